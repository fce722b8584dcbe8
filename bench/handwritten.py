"""The demo step in plain Python floats, with the gradient derived by hand: the speed a scalar
engine can at best approach.

    z[l] = W[l]·a[l−1] + b[l],   a[l] = relu(z[l]) (the last layer is linear: s = z[L])
    C = (1/n) Σᵢ relu(1 − yᵢ·sᵢ) + α Σ p²

A network is a list of layers, a layer a list of neurons, a neuron the list [w₁ … wₙ, b].
"""


def forward(net, X, Y, alpha=1e-4):
    """(C, tape): the loss and, per point, every layer's input a[l−1] and weighted input z[l]."""
    last = len(net) - 1
    tape, C = [], 0.0
    for x, y in zip(X, Y):
        a, inputs, zs = x, [], []
        for l, layer in enumerate(net):
            z = []
            for neuron in layer:
                zj = neuron[-1]
                for w, ak in zip(neuron, a):        # zip stops before b: a is one shorter
                    zj += w * ak
                z.append(zj)
            inputs.append(a)
            zs.append(z)
            a = z if l == last else [zj if zj > 0 else 0.0 for zj in z]
        s = a[0]
        margin = 1.0 - y * s
        C += margin if margin > 0 else 0.0
        tape.append((inputs, zs, margin))
    C /= len(X)
    C += alpha * sum(p * p for layer in net for neuron in layer for p in neuron)
    return C, tape


def backward(net, tape, Y, alpha=1e-4):
    """∂C/∂p for every p, shaped like net:  δ[L] = ∂C/∂s = −yᵢ/n where the margin is > 0,
    δ[l] = (W[l+1]ᵀ δ[l+1]) ⊙ relu′(z[l]),  ∂C/∂W[l] = δ[l] a[l−1]ᵀ,  ∂C/∂b[l] = δ[l]; + 2αp."""
    grads = [[[2 * alpha * p for p in neuron] for neuron in layer] for layer in net]
    n = len(tape)
    for (inputs, zs, margin), y in zip(tape, Y):
        if margin <= 0:                             # relu(1 − y·s) is flat here: no gradient
            continue
        delta = [-y / n]
        for l in range(len(net) - 1, -1, -1):
            if l != len(net) - 1:                   # ∂C/∂a → ∂C/∂z through relu′(z) = [z > 0]
                delta = [d if z > 0 else 0.0 for d, z in zip(delta, zs[l])]
            a = inputs[l]
            for g, d in zip(grads[l], delta):
                for k, ak in enumerate(a):
                    g[k] += d * ak
                g[-1] += d
            if l:
                layer = net[l]
                delta = [sum(neuron[k] * d for neuron, d in zip(layer, delta)) for k in range(len(a))]
    return grads


def sgd(net, grads, lr):
    """p ← p − lr·∂C/∂p, in place."""
    for layer, glayer in zip(net, grads):
        for neuron, g in zip(layer, glayer):
            for k, gk in enumerate(g):
                neuron[k] -= lr * gk
