"""ex04–ex08 (notebooks/exercises/ex_02, ex_03): the chain rule, one neuron per layer
(3Blue1Brown), and many paths add up (Hung-yi Lee)."""
from micrograd import Value
from micrograd.i18n import N_, _
from nn.losses import squared_error
from .answers import _number
from .base import Exercise
from .slips import (_HALF_3B1B, _NEG, _SIGN, _TWICE, _missing_sigma_prime, _over, _sigma_not_slope,
                    _sigma_prime, _slips, _times)

_CHAIN = N_("3Blue1Brown's chain, one neuron per layer, the last layer L:\n"
          "  z(L) = w(L)·a(L−1) + b(L),   a(L) = σ(z(L)),   C0 = (a(L) − y)²\n"
          "with  a(L−1) = 0.6,  w(L) = 1.5,  b(L) = -0.4,  y = 1.0.\n")


def _chain():
    a_prev, w, b = Value(0.6, label='a(L-1)'), Value(1.5, label='w(L)'), Value(-0.4, label='b(L)')
    a = (w * a_prev + b).sigmoid()
    squared_error([a], [1.0]).backward()
    return a_prev, w, b, a.data, a.data * (1 - a.data), 2 * (a.data - 1.0)


def _chain_slips(answer, a, sp, *more, lang=None):
    """The slips of the chain's factors σ'(z(L)) and 2(a(L) − y), and `more` of the exercise's own."""
    return _slips(answer, (_over(sp), _missing_sigma_prime('(L)', lang)),
                  (_over(2.0), _(_HALF_3B1B, lang)), (_times(2.0), _(_TWICE, lang)),
                  (_NEG, _(_SIGN, lang)), *more, lang=lang) + \
        [(answer / sp * a, _sigma_not_slope('(L)', lang))]


def _ex04_chain_w(lang=None):
    a_prev, w, b, a, sp, dC_da = _chain()
    return Exercise(
        'ex04_chain_w',
        title=_("The chain rule for a weight (3Blue1Brown)", lang),
        prompt=_(_CHAIN, lang) + _("Give ∂C0/∂w(L).", lang),
        expects=_("one number", lang),
        solution=w.grad,
        read=_number,
        because="∂C0/∂w(L) = ∂z/∂w · ∂a/∂z · ∂C0/∂a = a(L−1) · σ'(z(L)) · 2(a(L) − y).",
        hint=_("Three factors: how z moves with w, how a moves with z, how C0 moves with a.", lang),
        worked=f"a(L−1)·σ'(z)·2(a − y) = {a_prev.data:g} × {sp:.10g} × {dC_da:.10g} = {w.grad:.10g}",
        slips=_chain_slips(w.grad, a, sp, (_over(a_prev.data), _(
            "∂z(L)/∂w(L) = a(L−1): that factor is missing (what's left is ∂C0/∂b(L)).", lang)),
            lang=lang) +
        [(w.data * sp * dC_da, _("∂z(L)/∂w(L) is a(L−1), the input on the weight — you used w(L) "
                                 "(that gives ∂C0/∂a(L−1)).", lang))],
        lang=lang)


def _ex05_chain_b(lang=None):
    a_prev, w, b, a, sp, dC_da = _chain()
    return Exercise(
        'ex05_chain_b',
        title=_("The chain rule for a bias (3Blue1Brown)", lang),
        prompt=_(_CHAIN, lang) + _("Give ∂C0/∂b(L).", lang),
        expects=_("one number", lang),
        solution=b.grad,
        read=_number,
        because="∂C0/∂b(L) = 1 · σ'(z(L)) · 2(a(L) − y): ∂z/∂b = 1.",
        hint=_("Same chain as for the weight, but ∂z(L)/∂b(L) is simpler.", lang),
        worked=f"1·σ'(z)·2(a − y) = {sp:.10g} × {dC_da:.10g} = {b.grad:.10g}",
        slips=_chain_slips(b.grad, a, sp, (_times(a_prev.data), _(
            "∂z(L)/∂b(L) = 1: multiplying by a(L−1) gives the weight's gradient instead.", lang)),
            lang=lang),
        lang=lang)


def _ex06_chain_a_prev(lang=None):
    a_prev, w, b, a, sp, dC_da = _chain()
    return Exercise(
        'ex06_chain_a_prev',
        title=_("Going back a layer: ∂C0/∂a(L−1) (3Blue1Brown)", lang),
        prompt=_(_CHAIN, lang) + _("Give ∂C0/∂a(L−1).", lang),
        expects=_("one number", lang),
        solution=a_prev.grad,
        read=_number,
        because=_("∂C0/∂a(L−1) = w(L) · σ'(z(L)) · 2(a(L) − y) — then keep iterating backwards.", lang),
        hint=_("∂z(L)/∂a(L−1) is whatever multiplies a(L−1) in z(L).", lang),
        worked=f"w(L)·σ'(z)·2(a − y) = {w.data:g} × {sp:.10g} × {dC_da:.10g} = {a_prev.grad:.10g}",
        slips=_chain_slips(a_prev.grad, a, sp, (_over(w.data), _(
            "∂z(L)/∂a(L−1) = w(L): that factor is missing.", lang)), lang=lang) +
        [(a_prev.data * sp * dC_da, _("∂z(L)/∂a(L−1) is the weight w(L), not a(L−1) itself (that "
                                      "gives ∂C0/∂w(L)).", lang))],
        lang=lang)


def _ex07_bias_one_layer_back(lang=None):
    a0, w1, b1 = Value(0.8, label='a(0)'), Value(-0.7, label='w(1)'), Value(0.3, label='b(1)')
    w2, b2 = Value(1.2, label='w(2)'), Value(-0.5, label='b(2)')
    a1 = (w1 * a0 + b1).sigmoid()
    a2 = (w2 * a1 + b2).sigmoid()
    squared_error([a2], [1.0]).backward()
    sp1, sp2, dC_da = a1.data * (1 - a1.data), a2.data * (1 - a2.data), 2 * (a2.data - 1.0)
    return Exercise(
        'ex07_bias_one_layer_back',
        title=_("A bias one layer back", lang),
        prompt=_("Two layers of the chain:\n"
          "  a(1) = σ(w(1)·a(0) + b(1)),   a(2) = σ(w(2)·a(1) + b(2)),   C0 = (a(2) − y)²\n"
          "with  a(0) = 0.8,  w(1) = -0.7,  b(1) = 0.3,  w(2) = 1.2,  b(2) = -0.5,  y = 1.0.\n"
          "Give ∂C0/∂b(1).", lang),
        expects=_("one number", lang),
        solution=b1.grad,
        read=_number,
        because=_("∂C0/∂b(1) = 1 · σ'(z(1)) · w(2) · σ'(z(2)) · 2(a(2) − y): every link of the chain.",
          lang),
        hint=_("Walk from C0 back to b(1): a(2), z(2), a(1), z(1), b(1) — one factor per arrow.", lang),
        worked=f"σ'(z(1))·w(2)·σ'(z(2))·2(a(2) − y) = {sp1:.10g} × {w2.data:g} × {sp2:.10g} × "
        f"{dC_da:.10g} = {b1.grad:.10g}",
        slips=_slips(b1.grad, (_over(sp1), _missing_sigma_prime('(1)', lang)),
               (_over(sp2), _missing_sigma_prime('(2)', lang)), (_over(2.0), _(_HALF_3B1B, lang)),
               (_times(2.0), _(_TWICE, lang)), (_NEG, _(_SIGN, lang)),
               (_over(w2.data), _("Missing w(2): from z(2) back to a(1) the chain multiplies by "
                                  "∂z(2)/∂a(1) = w(2).", lang)), lang=lang) +
        [(b1.grad * a0.data, _("∂z(1)/∂b(1) = 1: multiplying by a(0) gives ∂C0/∂w(1) instead.",
                               lang)),
         (b1.grad / sp1 * a1.data, _sigma_not_slope('(1)', lang)),
         (b1.grad / sp2 * a2.data, _sigma_not_slope('(2)', lang))],
        lang=lang)


def _ex08_multipath(lang=None):
    z = Value(4.0, label='z')
    a = z.sigmoid()
    w3, w4, g1, g2 = 2.0, -2.0, 0.3, 0.45
    z1, z2 = a * w3, a * w4
    (z1 * g1 + z2 * g2).backward()          # a loss l with ∂l/∂z′ = g1 and ∂l/∂z″ = g2
    sp = _sigma_prime(z.data)
    path = _("Forgot a path: a feeds both z′ and z″, so ∂l/∂a is the sum over both paths, "
             "w3·∂l/∂z′ + w4·∂l/∂z″ (this is why backward uses +=).", lang)
    also = _(" Also σ'(z) is missing.", lang)
    return Exercise(
        'ex08_multipath',
        title=_("Many paths add up (Hung-yi Lee)", lang),
        prompt=_("Hung-yi Lee's network, input x = (1, -1), sigmoid everywhere. Neuron 1 of layer 1 has\n"
          "z = 4 and a = σ(z); a feeds both neurons of layer 2:\n"
          "  z′ = w3·a + …  with w3 = 2,    z″ = w4·a + …  with w4 = -2.\n"
          "The backward pass already found ∂l/∂z′ = 0.3 and ∂l/∂z″ = 0.45. Give ∂l/∂z.", lang),
        expects=_("one number", lang),
        solution=z.grad,
        read=_number,
        because=_("∂l/∂z = σ'(z)·[w3·∂l/∂z′ + w4·∂l/∂z″]: one term per path, summed.", lang),
        hint=_("Count the ways a change in a reaches l, then go from a back to z.", lang),
        worked=f"σ'(4)·(2 × 0.3 + (-2) × 0.45) = {sp:.10g} × {w3 * g1 + w4 * g2:g} = {z.grad:.10g}",
        slips=_slips(z.grad, (_over(sp), _missing_sigma_prime('', lang)),
               (_NEG, _("Check the signs of w4 = -2 and of each product.", lang)), lang=lang) +
        [(z.grad / sp * a.data, _sigma_not_slope('', lang)), (sp * w3 * g1, path),
         (sp * w4 * g2, path), (w3 * g1, path + also), (w4 * g2, path + also)],
        lang=lang)
