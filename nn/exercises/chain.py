"""ex04–ex08 (notebooks/exercises/ex_02, ex_03): the chain rule, one neuron per layer
(3Blue1Brown), and many paths add up (Hung-yi Lee)."""
from micrograd import Value
from ..losses import squared_error
from .answers import _number
from .base import Exercise
from .slips import (_HALF_3B1B, _NEG, _SIGN, _TWICE, _missing_sigma_prime, _over, _sigma_not_slope,
                    _sigma_prime, _slips, _times)

_CHAIN = ("3Blue1Brown's chain, one neuron per layer, the last layer L:\n"
          "  z(L) = w(L)·a(L−1) + b(L),   a(L) = σ(z(L)),   C0 = (a(L) − y)²\n"
          "with  a(L−1) = 0.6,  w(L) = 1.5,  b(L) = -0.4,  y = 1.0.\n")


def _chain():
    a_prev, w, b = Value(0.6, label='a(L-1)'), Value(1.5, label='w(L)'), Value(-0.4, label='b(L)')
    a = (w * a_prev + b).sigmoid()
    squared_error([a], [1.0]).backward()
    return a_prev, w, b, a.data, a.data * (1 - a.data), 2 * (a.data - 1.0)


def _chain_slips(answer, a, sp, *more):
    """The slips of the chain's factors σ'(z(L)) and 2(a(L) − y), and `more` of the exercise's own."""
    return _slips(answer, (_over(sp), _missing_sigma_prime('(L)')), (_over(2.0), _HALF_3B1B),
                  (_times(2.0), _TWICE), (_NEG, _SIGN), *more) + \
        [(answer / sp * a, _sigma_not_slope('(L)'))]


def _ex04_chain_w():
    a_prev, w, b, a, sp, dC_da = _chain()
    return Exercise(
        'ex04_chain_w', "The chain rule for a weight (3Blue1Brown)",
        _CHAIN + "Give ∂C0/∂w(L).", "one number", w.grad, _number,
        "∂C0/∂w(L) = ∂z/∂w · ∂a/∂z · ∂C0/∂a = a(L−1) · σ'(z(L)) · 2(a(L) − y).",
        "Three factors: how z moves with w, how a moves with z, how C0 moves with a.",
        f"a(L−1)·σ'(z)·2(a − y) = {a_prev.data:g} × {sp:.10g} × {dC_da:.10g} = {w.grad:.10g}",
        _chain_slips(w.grad, a, sp, (_over(a_prev.data), "∂z(L)/∂w(L) = a(L−1): that factor is "
                                                       "missing (what's left is ∂C0/∂b(L)).")) +
        [(w.data * sp * dC_da, "∂z(L)/∂w(L) is a(L−1), the input on the weight — you used w(L) "
                               "(that gives ∂C0/∂a(L−1)).")])


def _ex05_chain_b():
    a_prev, w, b, a, sp, dC_da = _chain()
    return Exercise(
        'ex05_chain_b', "The chain rule for a bias (3Blue1Brown)",
        _CHAIN + "Give ∂C0/∂b(L).", "one number", b.grad, _number,
        "∂C0/∂b(L) = 1 · σ'(z(L)) · 2(a(L) − y): ∂z/∂b = 1.",
        "Same chain as for the weight, but ∂z(L)/∂b(L) is simpler.",
        f"1·σ'(z)·2(a − y) = {sp:.10g} × {dC_da:.10g} = {b.grad:.10g}",
        _chain_slips(b.grad, a, sp, (_times(a_prev.data), "∂z(L)/∂b(L) = 1: multiplying by a(L−1) "
                                                        "gives the weight's gradient instead.")))


def _ex06_chain_a_prev():
    a_prev, w, b, a, sp, dC_da = _chain()
    return Exercise(
        'ex06_chain_a_prev', "Going back a layer: ∂C0/∂a(L−1) (3Blue1Brown)",
        _CHAIN + "Give ∂C0/∂a(L−1).", "one number", a_prev.grad, _number,
        "∂C0/∂a(L−1) = w(L) · σ'(z(L)) · 2(a(L) − y) — then keep iterating backwards.",
        "∂z(L)/∂a(L−1) is whatever multiplies a(L−1) in z(L).",
        f"w(L)·σ'(z)·2(a − y) = {w.data:g} × {sp:.10g} × {dC_da:.10g} = {a_prev.grad:.10g}",
        _chain_slips(a_prev.grad, a, sp, (_over(w.data), "∂z(L)/∂a(L−1) = w(L): that factor is "
                                                       "missing.")) +
        [(a_prev.data * sp * dC_da, "∂z(L)/∂a(L−1) is the weight w(L), not a(L−1) itself (that "
                                    "gives ∂C0/∂w(L)).")])


def _ex07_bias_one_layer_back():
    a0, w1, b1 = Value(0.8, label='a(0)'), Value(-0.7, label='w(1)'), Value(0.3, label='b(1)')
    w2, b2 = Value(1.2, label='w(2)'), Value(-0.5, label='b(2)')
    a1 = (w1 * a0 + b1).sigmoid()
    a2 = (w2 * a1 + b2).sigmoid()
    squared_error([a2], [1.0]).backward()
    sp1, sp2, dC_da = a1.data * (1 - a1.data), a2.data * (1 - a2.data), 2 * (a2.data - 1.0)
    return Exercise(
        'ex07_bias_one_layer_back', "A bias one layer back",
        "Two layers of the chain:\n"
        "  a(1) = σ(w(1)·a(0) + b(1)),   a(2) = σ(w(2)·a(1) + b(2)),   C0 = (a(2) − y)²\n"
        "with  a(0) = 0.8,  w(1) = -0.7,  b(1) = 0.3,  w(2) = 1.2,  b(2) = -0.5,  y = 1.0.\n"
        "Give ∂C0/∂b(1).", "one number", b1.grad, _number,
        "∂C0/∂b(1) = 1 · σ'(z(1)) · w(2) · σ'(z(2)) · 2(a(2) − y): every link of the chain.",
        "Walk from C0 back to b(1): a(2), z(2), a(1), z(1), b(1) — one factor per arrow.",
        f"σ'(z(1))·w(2)·σ'(z(2))·2(a(2) − y) = {sp1:.10g} × {w2.data:g} × {sp2:.10g} × "
        f"{dC_da:.10g} = {b1.grad:.10g}",
        _slips(b1.grad, (_over(sp1), _missing_sigma_prime('(1)')),
               (_over(sp2), _missing_sigma_prime('(2)')), (_over(2.0), _HALF_3B1B),
               (_times(2.0), _TWICE), (_NEG, _SIGN),
               (_over(w2.data), "Missing w(2): from z(2) back to a(1) the chain multiplies by "
                                "∂z(2)/∂a(1) = w(2).")) +
        [(b1.grad * a0.data, "∂z(1)/∂b(1) = 1: multiplying by a(0) gives ∂C0/∂w(1) instead."),
         (b1.grad / sp1 * a1.data, _sigma_not_slope('(1)')),
         (b1.grad / sp2 * a2.data, _sigma_not_slope('(2)'))])


def _ex08_multipath():
    z = Value(4.0, label='z')
    a = z.sigmoid()
    w3, w4, g1, g2 = 2.0, -2.0, 0.3, 0.45
    z1, z2 = a * w3, a * w4
    (z1 * g1 + z2 * g2).backward()          # a loss l with ∂l/∂z′ = g1 and ∂l/∂z″ = g2
    sp = _sigma_prime(z.data)
    path = ("Forgot a path: a feeds both z′ and z″, so ∂l/∂a is the sum over both paths, "
            "w3·∂l/∂z′ + w4·∂l/∂z″ (this is why backward uses +=).")
    return Exercise(
        'ex08_multipath', "Many paths add up (Hung-yi Lee)",
        "Hung-yi Lee's network, input x = (1, -1), sigmoid everywhere. Neuron 1 of layer 1 has\n"
        "z = 4 and a = σ(z); a feeds both neurons of layer 2:\n"
        "  z′ = w3·a + …  with w3 = 2,    z″ = w4·a + …  with w4 = -2.\n"
        "The backward pass already found ∂l/∂z′ = 0.3 and ∂l/∂z″ = 0.45. Give ∂l/∂z.",
        "one number", z.grad, _number,
        "∂l/∂z = σ'(z)·[w3·∂l/∂z′ + w4·∂l/∂z″]: one term per path, summed.",
        "Count the ways a change in a reaches l, then go from a back to z.",
        f"σ'(4)·(2 × 0.3 + (-2) × 0.45) = {sp:.10g} × {w3 * g1 + w4 * g2:g} = {z.grad:.10g}",
        _slips(z.grad, (_over(sp), _missing_sigma_prime('')), (_NEG, "Check the signs of "
                                                               "w4 = -2 and of each product.")) +
        [(z.grad / sp * a.data, _sigma_not_slope('')), (sp * w3 * g1, path), (sp * w4 * g2, path),
         (w3 * g1, path + " Also σ'(z) is missing."), (w4 * g2, path + " Also σ'(z) is missing.")])
