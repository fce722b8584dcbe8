"""What the four seeds share: `Check` (one derivative three ways), the "by hand" column in plain
Python lists (σ, ⊙, W x, Wᵀ, u vᵀ and BP1–BP4, independent of the engine), and the helpers that
read the engine's numbers back (.grad, central differences through a network built afresh).
"""
import math
from dataclasses import dataclass

from micrograd.check import numerical_grad
from nn.losses import quadratic_cost
from nn.module import MLP


@dataclass
class Check:
    """One derivative three ways: the lecture's equation by hand, backward's .grad, and numerics."""
    quantity: str           # e.g. '∂C0/∂w(3)'
    closed_form: float
    engine: float
    numeric: float
    formula: str = ''       # the equation the closed form evaluates

    @property
    def error(self):
        """The largest disagreement between the three numbers."""
        x = (self.closed_form, self.engine, self.numeric)
        return max(x) - min(x)


# --- plain-Python linear algebra: the "by hand" column, independent of the engine -------------

def sigmoid(z):
    """σ(z) = 1 / (1 + e⁻ᶻ)"""
    return 1.0 / (1.0 + math.exp(-z))


def sigmoid_prime(z):
    """σ'(z) = σ(z)·(1 − σ(z))"""
    return sigmoid(z) * (1.0 - sigmoid(z))


def hadamard(u, v):
    """u ⊙ v = (u₁v₁, u₂v₂, …):  [1, 2] ⊙ [3, 4] = [3, 8]"""
    return [ui * vi for ui, vi in zip(u, v)]


def matvec(W, x):
    """(W x)ⱼ = Σₖ Wⱼₖ xₖ"""
    return [sum(wjk * xk for wjk, xk in zip(row, x)) for row in W]


def transpose(W):
    """(Wᵀ)ₖⱼ = Wⱼₖ"""
    return [list(col) for col in zip(*W)]


def outer(u, v):
    """(u vᵀ)ⱼₖ = uⱼ vₖ"""
    return [[uj * vk for vk in v] for uj in u]


def shape(M):
    """(rows, columns) of a matrix; (n, 1) for a column vector given as a flat list."""
    return (len(M), len(M[0])) if M and isinstance(M[0], list) else (len(M), 1)


@dataclass
class ByHand:
    """A sigmoid network's forward and backward pass in plain Python (Nielsen's BP1–BP4)."""
    z: list                 # z[l−1] = W a + b of layer l
    a: list                 # a[0] = the input, a[l] = σ(z) of layer l
    delta: list             # δ of layer l = ∂C/∂z
    dC_db: list             # BP3: ∂C/∂b = δ
    dC_dW: list             # BP4: ∂C/∂w_jk = a_k(l−1) δ_j = δ a(l−1)ᵀ


def backprop_by_hand(weights, biases, x, y, cost_factor=1.0):
    """BP1: δ^L = c(a^L − y) ⊙ σ'(z^L); BP2: δ^l = (W^(l+1)ᵀ δ^(l+1)) ⊙ σ'(z^l); BP3, BP4.
    cost_factor c is 1 for C = ½Σ(a − y)² and 2 for C0 = Σ(a − y)²; biases=None means none."""
    if biases is None:
        biases = [[0.0] * len(W) for W in weights]
    a, z = [list(x)], []
    for W, b in zip(weights, biases):
        z.append([zj + bj for zj, bj in zip(matvec(W, a[-1]), b)])
        a.append([sigmoid(zj) for zj in z[-1]])
    nabla_a = [cost_factor * (aj - yj) for aj, yj in zip(a[-1], y)]
    delta = [hadamard(nabla_a, [sigmoid_prime(zj) for zj in z[-1]])]             # BP1
    for W, z_l in zip(reversed(weights[1:]), reversed(z[:-1])):
        delta.insert(0, hadamard(matvec(transpose(W), delta[0]),
                                 [sigmoid_prime(zj) for zj in z_l]))                  # BP2
    dC_dW = [outer(d, a_prev) for d, a_prev in zip(delta, a)]                        # BP4
    return ByHand(z, a, delta, [list(d) for d in delta], dC_dW)                      # BP3


# --- helpers that read the engine's numbers ---------------------------------------------------

def _grads(net):
    """(∂C/∂W per layer as matrices, ∂C/∂b per layer as vectors) from the parameters' .grad."""
    dW = [[[w.grad for w in n.w] for n in layer.neurons] for layer in net.layers]
    db = [[n.b.grad if n.b is not None else None for n in layer.neurons] for layer in net.layers]
    return dW, db


def _data(values):
    return [v.data for v in values]


def _fill(flat, like):
    """The numbers of `flat`, in the nested list shape of `like`."""
    it = iter(flat)

    def fill(x):
        return [fill(e) for e in x] if isinstance(x, (list, tuple)) else next(it)
    return fill(like)


def _flat(nested):
    return [x for e in nested for x in _flat(e)] if isinstance(nested, (list, tuple)) else [nested]


def _numeric(weights, biases, x, cost, act='sigmoid'):
    """∂C/∂W and ∂C/∂b by central differences through a network built afresh from the numbers."""
    nw = len(_flat(weights))

    def C(*p):
        net = MLP.from_weights(_fill(p[:nw], weights), _fill(p[nw:], biases), act=act)
        return cost(net(x))
    g = numerical_grad(C, _flat(weights) + _flat(biases))
    return _fill(g[:nw], weights), _fill(g[nw:], biases)


def _zeros_like(weights):
    return [[0.0] * len(W) for W in weights]


def _backpropagated(weights, biases, x, y):
    """(net, per-layer traces, C) for the sigmoid net with these weights, after C = ½Σ(a − y)²
    on input x has been back-propagated."""
    net = MLP.from_weights(weights, biases, act='sigmoid')
    out, traces = net.forward_trace(list(x))
    C = quadratic_cost(out, list(y))
    C.backward()
    return net, traces, C
