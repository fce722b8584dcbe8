"""The seeds' worked examples (docs/seeds.md §1–4), each a function that returns its numbers.

Every example is built from `nn` classes and `Value`s, run through one backward pass, and shown
three ways that must agree (docs/seeds.md §5): the lecture's closed-form equation computed by hand
in plain Python lists (no engine), the engine's `.grad`, and a central difference
(`micrograd.numerical_grad`).  Each result has a `checks` list of `Check` rows with those numbers.

    chain_rule()      3Blue1Brown: one neuron per layer, ∂C0/∂w(L) as a product of three factors
    multi_path()      Hung-yi Lee: the slides' network and ∂l/∂z = σ'(z)[w3·∂l/∂z' + w4·∂l/∂z'']
    four_equations()  Nielsen: BP1–BP4 on a network with several neurons per layer
    matrix_form()     the matrix-form seed: bias-free 4-5-3-2 network, ∂E/∂Wᵢ = δᵢ x₍ᵢ₋₁₎ᵀ

Layers are numbered as the engine labels them: l = 1 is the first layer with weights (a(0) or x
is the input).  Nielsen counts the input as layer 1, so his w^l, b^l, δ^l are our l − 1.
Run `python -m nn.walkthrough` to print every table (`--lang zh`: in Chinese).
"""
import math
from dataclasses import dataclass, field

from micrograd.check import numerical_grad
from micrograd.engine import Value
from micrograd.i18n import LANGUAGES, N_, _, display_width, ngettext, pad
from .losses import mean, quadratic_cost, squared_error
from .module import MLP
from .optim import SGD

__all__ = ['Check', 'lecture_neuron', 'chain_rule', 'multi_path', 'four_equations', 'matrix_form', 'walkthroughs',
           'check_table', 'print_all', 'main', 'sigmoid', 'sigmoid_prime', 'hadamard', 'backprop_by_hand']


def lecture_neuron(x1w1='x1*w1', x2w2='x2*w2', s='x1*w1 + x2*w2'):
    """Karpathy's neuron o = tanh(x1·w1 + x2·w2 + b), x1 = 2, x2 = 0, w1 = −3, w2 = 1, b = 6.88137…
    (so o = 1/√2), as a dict of its Values by name; the three arguments label the interior sums."""
    v = dict(x1=Value(2.0, label='x1'), x2=Value(0.0, label='x2'), w1=Value(-3.0, label='w1'),
             w2=Value(1.0, label='w2'), b=Value(6.8813735870195432, label='b'))
    v['x1w1'] = v['x1'] * v['w1']
    v['x2w2'] = v['x2'] * v['w2']
    v['s'] = v['x1w1'] + v['x2w2']
    v['n'] = v['s'] + v['b']
    v['o'] = v['n'].tanh()
    for name, label in dict(x1w1=x1w1, x2w2=x2w2, s=s, n='n', o='o').items():
        v[name].label = label
    return v


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


# --- 1. 3Blue1Brown: one neuron per layer -----------------------------------------------------

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


# --- 2. Hung-yi Lee: the slides' network and the multi-path sum -------------------------------

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


def _backpropagated(weights, biases, x, y):
    """(net, per-layer traces, C) for the sigmoid net with these weights, after C = ½Σ(a − y)²
    on input x has been back-propagated."""
    net = MLP.from_weights(weights, biases, act='sigmoid')
    out, traces = net.forward_trace(list(x))
    C = quadratic_cost(out, list(y))
    C.backward()
    return net, traces, C


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


# --- 3. Nielsen: the four fundamental equations -----------------------------------------------

# Our choice of numbers: a 2-3-3-2 sigmoid network (Nielsen's layers 1-2-3-4), one example.
NIELSEN_WEIGHTS = (((0.5, -0.3), (0.8, 0.2), (-0.6, 0.9)),
                   ((0.7, -0.5, 0.3), (-0.4, 0.6, 0.9), (0.2, 0.8, -0.7)),
                   ((1.1, -0.6, 0.4), (-0.3, 0.9, 0.5)))
NIELSEN_BIASES = ((0.1, -0.2, 0.05), (0.0, 0.1, -0.1), (0.2, -0.3))
NIELSEN_X = (0.9, -0.4)
NIELSEN_Y = (0.0, 1.0)


@dataclass
class NielsenLayer:
    """One layer's numbers: by hand (BP1/BP2, BP3, BP4) beside the engine's .grad."""
    l: int                  # our layer number (Nielsen's is l + 1)
    z: list
    a: list
    sigma_prime: list       # σ'(z^l)
    delta: list             # BP1 (output layer) or BP2, by hand
    delta_engine: list      # [z.grad for z in layers[l].z]
    dC_db_engine: list      # BP3 holds if this equals delta
    dC_dW: list             # BP4 by hand: a_k(l−1) · δ_j
    dC_dW_engine: list


@dataclass
class FourEquations:
    """Nielsen's BP1–BP4 with C = ½‖a^L − y‖² on one example."""
    C: float
    layers: list            # NielsenLayer, first layer first
    hadamard_example: list  # [1, 2] ⊙ [3, 4]
    checks: list


def four_equations(weights=NIELSEN_WEIGHTS, biases=NIELSEN_BIASES, x=NIELSEN_X, y=NIELSEN_Y):
    """(BP1) δ^L = (a^L − y) ⊙ σ'(z^L);  (BP2) δ^l = ((w^(l+1))ᵀ δ^(l+1)) ⊙ σ'(z^l);
    (BP3) ∂C/∂b^l_j = δ^l_j;  (BP4) ∂C/∂w^l_jk = a^(l−1)_k δ^l_j."""
    weights = [[list(row) for row in W] for W in weights]
    biases = [list(b) for b in biases]
    net, traces, C = _backpropagated(weights, biases, x, y)

    by_hand = backprop_by_hand(weights, biases, x, y)
    dW_eng, db_eng = _grads(net)
    dW_num, db_num = _numeric(weights, biases, list(x), lambda o: quadratic_cost(o, list(y)))
    L = len(weights)
    layers, checks = [], []
    for l, t in enumerate(traces, 1):
        i = l - 1
        layers.append(NielsenLayer(l, by_hand.z[i], by_hand.a[l],
                                   [sigmoid_prime(zj) for zj in by_hand.z[i]], by_hand.delta[i],
                                   [z.grad for z in t.z], db_eng[i], by_hand.dC_dW[i], dW_eng[i]))
        bp = 'BP1: (a − y) ⊙ σ\'(z)' if l == L else f"BP2: (w[{l + 1}]ᵀ δ[{l + 1}]) ⊙ σ'(z)"
        for j, z_node in enumerate(t.z, 1):
            checks.append(Check(f"δ[{l}][{j}] = ∂C/∂z[{l}][{j}]", by_hand.delta[i][j - 1],
                                z_node.grad, db_num[i][j - 1], bp))
            checks.append(Check(f"∂C/∂b[{l}][{j}]", by_hand.delta[i][j - 1], db_eng[i][j - 1],
                                db_num[i][j - 1], f"BP3: δ[{l}][{j}]"))
            for k in range(1, len(weights[i][j - 1]) + 1):
                checks.append(Check(f"∂C/∂w[{l}][{j}][{k}]", by_hand.dC_dW[i][j - 1][k - 1],
                                    dW_eng[i][j - 1][k - 1], dW_num[i][j - 1][k - 1],
                                    f"BP4: a[{l - 1}][{k}] · δ[{l}][{j}]"))
    return FourEquations(C.data, layers, hadamard([1, 2], [3, 4]), checks)


# --- 4. The matrix-form seed: no biases, ∂E/∂Wᵢ = δᵢ x₍ᵢ₋₁₎ᵀ ---------------------------------

# The seed fixes W3 (2×3) and W2 (3×5); the input size is our choice: x0 has 4 entries (W1 5×4).
MATRIX_W = (((0.2, -0.4, 0.6, 0.1), (-0.3, 0.5, 0.2, -0.7), (0.8, -0.1, -0.5, 0.3),
             (0.4, 0.7, -0.2, -0.6), (-0.5, 0.3, 0.9, 0.2)),
            ((0.3, -0.6, 0.2, 0.5, -0.1), (-0.4, 0.1, 0.7, -0.3, 0.6), (0.5, 0.4, -0.2, 0.1, 0.3)),
            ((0.7, -0.5, 0.4), (-0.6, 0.8, 0.2)))
MATRIX_X0 = (0.5, -1.0, 0.8, 0.3)
MATRIX_T = (1.0, 0.0)
MATRIX_ALPHA = 0.5


@dataclass
class MatrixForm:
    """xᵢ = σ(Wᵢ xᵢ₋₁), E = ½‖x_L − t‖², one step Wᵢ ← Wᵢ − α ∂E/∂Wᵢ."""
    W: list                 # W1, W2, W3 (row j = neuron j)
    x: list                 # x0 (input), x1, x2, x3 (output)
    E: float
    delta: list             # δ1, δ2, δ3 by hand
    dE_dW: list             # δᵢ x₍ᵢ₋₁₎ᵀ by hand
    dE_dW_engine: list
    shapes: list            # per layer: (shape of Wᵢ, of δᵢ, of xᵢ₋₁ᵀ, of δᵢ xᵢ₋₁ᵀ)
    alpha: float
    W_new: list             # Wᵢ − α δᵢ xᵢ₋₁ᵀ by hand
    W_new_engine: list      # the weights after SGD(lr=α).step()
    E_new: float            # E after the step
    checks: list


def matrix_form(W=MATRIX_W, x0=MATRIX_X0, t=MATRIX_T, alpha=MATRIX_ALPHA):
    """δ_L = (x_L − t) ∘ f_L'(W_L x_(L−1));  δᵢ = (Wᵢ₊₁ᵀ δᵢ₊₁) ∘ fᵢ'(Wᵢ xᵢ₋₁);  ∂E/∂Wᵢ = δᵢ xᵢ₋₁ᵀ."""
    W = [[list(row) for row in Wi] for Wi in W]
    cost = lambda o: quadratic_cost(o, list(t))
    net, traces, E = _backpropagated(W, None, x0, t)
    dW_eng = _grads(net)[0]

    by_hand = backprop_by_hand(W, None, x0, t)
    shapes = []
    for Wi, d, x_prev, g in zip(W, by_hand.delta, by_hand.a, by_hand.dC_dW):
        x_prev_T = [list(x_prev)]                       # a 1×n row
        shapes.append((shape(Wi), shape(d), shape(x_prev_T), shape(g)))
        if shape(g) != shape(Wi):
            raise AssertionError(f"∂E/∂W has shape {shape(g)} but W has {shape(Wi)}")

    # Numerics: a network with biases fixed at 0 computes the same E, and ∂E/∂b = ∂E/∂z = δ.
    dW_num, db_num = _numeric(W, _zeros_like(W), list(x0), cost)
    checks = []
    for i, (t_i, Wi) in enumerate(zip(traces, W), 1):
        for j, z_node in enumerate(t_i.z, 1):
            checks.append(Check(f"δ{i}[{j}]", by_hand.delta[i - 1][j - 1], z_node.grad,
                                db_num[i - 1][j - 1], "(x_L − t) ∘ f'" if i == len(W)
                                else f"(W{i + 1}ᵀ δ{i + 1}) ∘ f'"))
        for j, row in enumerate(Wi, 1):
            for k in range(1, len(row) + 1):
                checks.append(Check(f"∂E/∂W{i}[{j}][{k}]", by_hand.dC_dW[i - 1][j - 1][k - 1],
                                    dW_eng[i - 1][j - 1][k - 1], dW_num[i - 1][j - 1][k - 1],
                                    f"δ{i}[{j}] · x{i - 1}[{k}]"))

    # One step of gradient descent, by hand and with the optimiser.
    W_new = [[[w - alpha * g for w, g in zip(row, grow)] for row, grow in zip(Wi, Gi)]
             for Wi, Gi in zip(W, by_hand.dC_dW)]
    SGD(net.parameters(), lr=alpha).step()
    W_new_engine = [[_data(n.w) for n in layer.neurons] for layer in net.layers]
    E_new = cost(net(list(x0))).data

    return MatrixForm(W, by_hand.a, E.data, by_hand.delta, by_hand.dC_dW, dW_eng, shapes, alpha,
                      W_new, W_new_engine, E_new, checks)


# --- printing ---------------------------------------------------------------------------------

def walkthroughs():
    """All four worked examples, in the order of docs/seeds.md."""
    return [chain_rule(), multi_path(), four_equations(), matrix_form()]


def _nums(xs, digits=6):
    if isinstance(xs, (list, tuple)):
        return '(' + ', '.join(_nums(x, digits) for x in xs) + ')'
    return f"{xs:.{digits}g}"


def check_table(checks, lang=None):
    """The Check rows as a table: quantity, by hand, engine .grad, finite diff., max |diff|, equation."""
    rows = [(_("quantity", lang), _("by hand", lang), _("engine .grad", lang),
             _("finite diff.", lang), _("max |diff|", lang), _("equation", lang))]
    rows += [(c.quantity, f"{c.closed_form:.10f}", f"{c.engine:.10f}", f"{c.numeric:.10f}",
              f"{c.error:.1e}", _(c.formula, lang)) for c in checks]
    widths = [max(display_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ['  '.join(pad(cell, wd, '<' if i in (0, 5) else '>')
                       for i, (cell, wd) in enumerate(zip(r, widths))).rstrip() for r in rows]
    lines.insert(1, '-' * display_width(lines[0]))
    return '\n'.join('  ' + line for line in lines)


def print_all(file=None, lang=None):
    """Print every worked example's numbers as tables, in English or Chinese (lang='zh')."""
    def out(*lines):
        for line in lines:
            print(line, file=file)

    c, m, n, mf = walkthroughs()
    L = len(c.w)
    out(_("1. 3Blue1Brown — one neuron per layer, C0 = (a(3) − y)²   (docs/seeds.md §1)", lang),
        _("  our numbers: w = {w}, b = {b}, a(0) = {a0}, y = {y}", lang,
          w=_nums(c.w), b=_nums(c.b), a0=f"{c.a[0]:g}", y=f"{c.y:g}"),
        _("  forward: z = {z}, a = {a}, C0 = {C0}", lang,
          z=_nums(c.z), a=_nums(c.a), C0=f"{c.C0:.10f}"),
        "  ∂C0/∂w(L) = ∂z(L)/∂w(L) · ∂a(L)/∂z(L) · ∂C0/∂a(L) = a(L−1) · σ'(z(L)) · 2(a(L) − y)",
        f"            = {c.dz_dw:.10f} · {c.da_dz:.10f} · {c.dC0_da:.10f}"
        f" = {c.dz_dw * c.da_dz * c.dC0_da:.10f}   (L = {L})",
        check_table(c.checks, lang),
        ngettext("  averaged over n = {n} example (a(0), y) = {examples}:",
                 "  averaged over n = {n} examples (a(0), y) = {examples}:", len(c.examples),
                 lang, examples=_nums(c.examples)),
        f"  ∂C_k/∂w({L}) = {_nums(c.per_example, 10)}",
        check_table([c.averaged], lang), "")

    head = [_("layer", lang), "z", "a = σ(z)", _("table a (2 d.p.)", lang)]
    widths = (max(display_width(head[0]), 7), 26, 26)
    out(_("2. Hung-yi Lee — the slides' network, x = (1, −1), sigmoid   (docs/seeds.md §2)", lang),
        '  ' + ' '.join(pad(h, wd) for h, wd in zip(head, widths + (0,))).rstrip())
    for l, (z, a, ta) in enumerate(zip(m.z, m.a, LEE_A), 1):
        cells = (str(l), _nums(z, 8), _nums(a, 8), _nums(ta))
        out('  ' + ' '.join(pad(x, wd) for x, wd in zip(cells, widths + (0,))).rstrip())
    out(_("  forward pass: ∂z/∂w = the input on that weight", lang))
    for w, g, name, value in m.dz_dw:
        out(f"    ∂z/∂{w} = {g:.8f}   ({name} = {value:.8f})")
    out(_("  our loss: l = ½Σ(a(3) − ŷ)², ŷ = {target}: l = {loss}", lang,
          target=_nums(LEE_TARGET), loss=f"{m.loss:.10f}"),
        _("  backward pass, first neuron of layer 1: "
          "∂l/∂z = σ'(z) · [w3 · ∂l/∂z' + w4 · ∂l/∂z'']", lang),
        f"    = {m.sigma_prime_z:.10f} · [{m.w3:g} · {m.dl_dz1:.10f} + ({m.w4:g}) · {m.dl_dz2:.10f}]",
        f"    = {m.sigma_prime_z:.10f} · [{m.term_w3:.10f} + ({m.term_w4:.10f})] = {m.dl_dz:.10f}",
        check_table(m.checks, lang), "")

    out(_("3. Nielsen — the four fundamental equations, C = ½‖a − y‖²   (docs/seeds.md §3)", lang),
        _("  our numbers: x = {x}, y = {y}, C = {C}; [1, 2] ⊙ [3, 4] = {example}", lang,
          x=_nums(NIELSEN_X), y=_nums(NIELSEN_Y), C=f"{n.C:.10f}", example=n.hadamard_example),
        _("  (our layer l is Nielsen's l + 1: he counts the input as layer 1)", lang))
    for ly in n.layers:
        out(_("  layer {l}: z = {z}, σ'(z) = {sigma_prime}", lang, l=ly.l, z=_nums(ly.z, 8),
              sigma_prime=_nums(ly.sigma_prime, 8)),
            _("           δ by hand = {delta}", lang, delta=_nums(ly.delta, 10)),
            f"           z.grad    = {_nums(ly.delta_engine, 10)}")
    out(check_table(n.checks, lang), "")

    out(_("4. Matrix form — no biases, E = ½‖x3 − t‖², f = σ   (docs/seeds.md §4)", lang),
        _("  x0 = {x0} (our choice of size 4), t = {t}, E = {E}", lang,
          x0=_nums(mf.x[0]), t=_nums(MATRIX_T), E=f"{mf.E:.10f}"))
    for i, (sW, sd, sx, sg) in enumerate(mf.shapes, 1):
        out(_("  ∂E/∂W{i} = δ{i} x{j}ᵀ: {delta} times {x} = {grad}, the shape of W{i} ({W})", lang,
              i=i, j=i - 1, delta=f"{sd[0]}×{sd[1]}", x=f"{sx[0]}×{sx[1]}",
              grad=f"{sg[0]}×{sg[1]}", W=f"{sW[0]}×{sW[1]}"))
    out(check_table(mf.checks, lang),
        _("  one step W ← W − α ∂E/∂W with α = {alpha}: E {E} → {E_new}", lang,
          alpha=f"{mf.alpha:g}", E=f"{mf.E:.10f}", E_new=f"{mf.E_new:.10f}"))
    worst = max(ch.error for ch in c.checks + [c.averaged] + m.checks + n.checks + mf.checks)
    out("", _("largest disagreement between by hand, engine and finite differences: {worst}",
              lang, worst=f"{worst:.1e}"))


def main(argv=None):
    """python -m nn.walkthrough [--lang en|zh]"""
    import argparse
    parser = argparse.ArgumentParser(prog='python -m nn.walkthrough',
                                     description=_("Print the seeds' worked examples as tables."))
    parser.add_argument('--lang', choices=LANGUAGES, default=None,
                        help=_("the language of the tables (default: $MICROGRAD_LANG, else en)"))
    print_all(lang=parser.parse_args(argv).lang)


if __name__ == '__main__':
    main()
