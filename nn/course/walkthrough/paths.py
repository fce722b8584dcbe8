"""2. Hung-yi Lee (docs/seeds.md §2): the slides' network, ∂z/∂w in the forward pass, and the
multi-path sum ∂l/∂z = σ'(z)[w3·∂l/∂z' + w4·∂l/∂z''] in the backward pass.
"""
from dataclasses import dataclass

from micrograd.i18n import N_
from nn.losses import quadratic_cost
from .common import Check, _backpropagated, _data, _grads, _numeric, backprop_by_hand, sigmoid_prime


LEE_WEIGHTS = (((1, -2), (-1, 1)), ((2, -1), (-2, -1)), ((3, -1), (-1, 4)))
LEE_BIASES = ((1, 0), (0, 0), (-2, 2))
LEE_X = (1, -1)
LEE_Z = ((4, -2), (1.84, -2.08), (0.48, 1.58))              # the table, 2 decimal places
LEE_A = ((0.98, 0.12), (0.86, 0.11), (0.62, 0.83))          # the table, 2 decimal places
LEE_A_FULL = ((0.98201379, 0.11920292), (0.86351831, 0.11073744), (0.61770478, 0.82912398))
LEE_TARGET = (1.0, 0.0)     # our choice: the slides leave the loss l open; l = ½Σ(y − ŷ)²


@dataclass
class MultiPath:
    """Hung-yi Lee's network (sigmoid everywhere) on x = (1, −1), with l = ½Σ(a(3) − ŷ)²."""
    z: list                 # z per layer, from the engine's forward pass
    a: list                 # a = σ(z) per layer
    loss: float
    dz_dw: list             # the forward-pass slide: (w, engine's ∂z/∂w, input's name, its value)
    sigma_prime_z: float    # σ'(z) for z = z[1][1], the first neuron of layer 1
    w3: float               # w[2][1][1]: a = a[1][1] into z' = z[2][1]
    w4: float               # w[2][2][1]: a = a[1][1] into z'' = z[2][2]
    dl_dz1: float           # ∂l/∂z', by hand
    dl_dz2: float           # ∂l/∂z'', by hand
    term_w3: float          # w3 · ∂l/∂z'
    term_w4: float          # w4 · ∂l/∂z''
    dl_dz: float            # σ'(z) · [w3·∂l/∂z' + w4·∂l/∂z'']
    checks: list


def multi_path(target=LEE_TARGET):
    """∂l/∂z = σ'(z) · [w3 · ∂l/∂z' + w4 · ∂l/∂z''] for the first neuron of layer 1: a = σ(z)
    reaches l through z' and z'', and the two paths add up; also ∂l/∂w = a · ∂l/∂z for every w."""
    weights = [[list(row) for row in W] for W in LEE_WEIGHTS]
    biases = [list(b) for b in LEE_BIASES]
    net, layers, loss = _backpropagated(weights, biases, LEE_X, target)

    # Forward pass: ∂z/∂w is the input on that weight; the engine stored it as a local derivative.
    dz_dw = []
    for l, x_label in ((1, 'x2'), (2, 'a[1][2]'), (3, 'a[2][2]')):
        z_node = layers[l - 1].z[0]                     # parents: (w₁…wₙ, a₁…aₙ, b)
        dz_dw.append((f"w[{l}][1][2]", z_node.local_grads()[1], x_label,
                      layers[l - 1].x[1].data))

    by_hand = backprop_by_hand(weights, biases, LEE_X, target)
    w3, w4 = weights[1][0][0], weights[1][1][0]
    dl_dz1, dl_dz2 = by_hand.delta[1]                   # ∂l/∂z', ∂l/∂z'' (the next layer's δ)
    sp = sigmoid_prime(by_hand.z[0][0])
    dl_dz = sp * (w3 * dl_dz1 + w4 * dl_dz2)

    cost = lambda o: quadratic_cost(o, list(target))
    dW_num, db_num = _numeric(weights, biases, list(LEE_X), cost)
    dW_eng = _grads(net)[0]
    checks = [Check("∂l/∂z[1][1]", dl_dz, layers[0].z[0].grad, db_num[0][0],
                    "σ'(z) · [w3 · ∂l/∂z' + w4 · ∂l/∂z'']")]
    for l in range(len(weights), 0, -1):                # from the output layer back
        for j, z_node in enumerate(layers[l - 1].z, 1):
            if (l, j) == (1, 1):
                continue                                # the multi-path row above
            # ∂z/∂b = 1, so a central difference on b[l][j] measures ∂l/∂z[l][j]
            checks.append(Check(f"∂l/∂z[{l}][{j}]", by_hand.delta[l - 1][j - 1], z_node.grad,
                                db_num[l - 1][j - 1],
                                N_("σ'(z) · Σ (w · ∂l/∂z of the next layer)")
                                if l < len(weights) else "σ'(z) · ∂l/∂y"))
    for l, W in enumerate(weights, 1):
        for j, row in enumerate(W, 1):
            for k in range(1, len(row) + 1):
                checks.append(Check(f"∂l/∂w[{l}][{j}][{k}]", by_hand.dC_dW[l - 1][j - 1][k - 1],
                                    dW_eng[l - 1][j - 1][k - 1], dW_num[l - 1][j - 1][k - 1],
                                    "∂z/∂w · ∂l/∂z = a · ∂l/∂z"))
    return MultiPath([_data(t.z) for t in layers], [_data(t.a) for t in layers], loss.data, dz_dw,
                     sp, w3, w4, dl_dz1, dl_dz2, w3 * dl_dz1, w4 * dl_dz2, dl_dz, checks)
