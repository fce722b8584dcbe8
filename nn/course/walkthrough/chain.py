"""1. 3Blue1Brown (docs/seeds.md §1): one neuron per layer, ∂C0/∂w(L) as a product of three
factors, "keep iterating backwards" to layer 1, and the average over n examples.
"""
from dataclasses import dataclass, field

from micrograd.check import numerical_grad
from nn.losses import mean, squared_error
from nn.module import MLP
from .common import Check, _numeric, backprop_by_hand, sigmoid, sigmoid_prime


# Our choice of numbers (the video uses symbols only): a(0) → a(1) → a(2) → a(3), sigmoid neurons.
CHAIN_W = (0.8, -1.2, 1.5)          # w(1), w(2), w(3)
CHAIN_B = (0.1, 0.4, -0.3)          # b(1), b(2), b(3)
CHAIN_A0 = 0.9                      # the input a(0)
CHAIN_Y = 1.0                       # the target y
CHAIN_EXAMPLES = ((0.9, 1.0), (-0.4, 0.0), (0.3, 1.0))    # (a(0), y) for the average over n


@dataclass
class ChainRule:
    """3Blue1Brown's chain: C0 = (a(3) − y)², a(l) = σ(z(l)), z(l) = w(l)·a(l−1) + b(l)."""
    w: tuple
    b: tuple
    y: float
    z: list                 # z(1), z(2), z(3)
    a: list                 # a(0), a(1), a(2), a(3)
    C0: float
    dz_dw: float            # ∂z(L)/∂w(L) = a(L−1)
    da_dz: float            # ∂a(L)/∂z(L) = σ'(z(L))
    dC0_da: float           # ∂C0/∂a(L) = 2(a(L) − y)
    checks: list            # w(L), b(L), a(L−1), then on backwards to layer 1
    examples: tuple = ()    # (a(0), y) pairs for the average over n
    per_example: list = field(default_factory=list)     # ∂C_k/∂w(L) for each example k
    averaged: Check = None  # ∂C/∂w(L) = (1/n) Σ_k ∂C_k/∂w(L)


def chain_rule(w=CHAIN_W, b=CHAIN_B, a0=CHAIN_A0, y=CHAIN_Y, examples=CHAIN_EXAMPLES):
    """∂C0/∂w(L) = ∂z(L)/∂w(L) · ∂a(L)/∂z(L) · ∂C0/∂a(L) = a(L−1) · σ'(z(L)) · 2(a(L) − y), then
    "keep iterating backwards" through ∂C0/∂a(L−1) = w(L)·σ'(z(L))·2(a(L) − y), and average over n."""
    weights = [[[wl]] for wl in w]
    biases = [[bl] for bl in b]
    L = len(w)

    # The engine: the network from nn, the cost from Values, one backward pass.
    net = MLP.from_weights(weights, biases, act='sigmoid')
    out, layers = net.forward_trace([a0])
    C0 = squared_error(out, y)
    C0.backward()

    # By hand: the forward pass, then each layer's three factors, from the output backwards.
    a, z = [a0], []
    for wl, bl in zip(w, b):
        z.append(wl * a[-1] + bl)
        a.append(sigmoid(z[-1]))
    cost = lambda a_L: squared_error(a_L, y)
    dW_num, db_num = _numeric(weights, biases, [a0], cost)
    dC0_da = 2 * (a[L] - y)
    checks = []
    for l in range(L, 0, -1):
        neuron, a_prev = net.layers[l - 1].neurons[0], layers[l - 1].x[0]   # a_prev is a(l−1)
        common = sigmoid_prime(z[l - 1]) * dC0_da           # ∂a(l)/∂z(l) · ∂C0/∂a(l)
        checks += [
            Check(f"∂C0/∂w({l})", a[l - 1] * common, neuron.w[0].grad, dW_num[l - 1][0][0],
                  f"a({l - 1}) · σ'(z({l})) · ∂C0/∂a({l})"),
            Check(f"∂C0/∂b({l})", common, neuron.b.grad, db_num[l - 1][0],
                  f"1 · σ'(z({l})) · ∂C0/∂a({l})"),
        ]
        if l > 1:
            def C_of_input(a_in, l=l):                      # the layers l … L as a function of a(l−1)
                return cost(MLP.from_weights(weights[l - 1:], biases[l - 1:])([a_in]))
            checks.append(Check(f"∂C0/∂a({l - 1})", w[l - 1] * common, a_prev.grad,
                                numerical_grad(C_of_input, [a[l - 1]])[0],
                                f"w({l}) · σ'(z({l})) · ∂C0/∂a({l})"))
        dC0_da = w[l - 1] * common                          # keep iterating backwards

    # Averaged over n examples: C = (1/n) Σ_k C_k, so ∂C/∂w(L) = (1/n) Σ_k ∂C_k/∂w(L).
    per_example = []
    for a0_k, y_k in examples:
        by_hand = backprop_by_hand(weights, biases, [a0_k], [y_k], cost_factor=2.0)
        per_example.append(by_hand.dC_dW[-1][0][0])
    net_n = MLP.from_weights(weights, biases, act='sigmoid')
    C = mean([squared_error(net_n([a0_k]), y_k) for a0_k, y_k in examples])     # one graph
    C.backward()

    def C_of_wL(wL):
        sub = MLP.from_weights(weights[:-1] + [[[wL]]], biases)
        return mean([squared_error(sub([a0_k]), y_k) for a0_k, y_k in examples])
    averaged = Check(f"∂C/∂w({L})", sum(per_example) / len(per_example),
                     net_n.layers[-1].neurons[0].w[0].grad,
                     numerical_grad(C_of_wL, [w[-1]])[0], f"(1/n) Σ_k ∂C_k/∂w({L})")

    return ChainRule(tuple(w), tuple(b), y, z, a, C0.data,
                     dz_dw=a[L - 1], da_dz=sigmoid_prime(z[L - 1]), dC0_da=2 * (a[L] - y),
                     checks=checks, examples=tuple(examples), per_example=per_example,
                     averaged=averaged)
