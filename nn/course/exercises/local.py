"""ex01–ex03 (notebooks/exercises/ex_01): local derivatives of a product, of tanh (Karpathy's
neuron), of σ, exp, log and a power."""
import math

from micrograd import Value
from micrograd.i18n import _
from .answers import _number, _vector
from .base import Exercise
from .slips import _NEG, _fmt, _with_entry

def _ex01_mul_local(lang=None):
    a, b = Value(-2.0, label='a'), Value(3.0, label='b')
    answer = (a * b).local_grads()
    return Exercise(
        'ex01_mul_local',
        title=_("Local derivatives of a product", lang),
        prompt=_("c = a · b  with  a = -2.0,  b = 3.0.\nGive the local derivatives (∂c/∂a, ∂c/∂b).",
          lang),
        expects=_("a list of 2 numbers [∂c/∂a, ∂c/∂b]", lang),
        solution=list(answer),
        read=_vector(2),
        because=_("∂(a·b)/∂a = b and ∂(a·b)/∂b = a: each factor's slope is the other factor.", lang),
        hint=_("Hold b fixed and nudge a by h: c changes by b·h.", lang),
        worked=f"∂c/∂a = b = {b.data:g},  ∂c/∂b = a = {a.data:g}",
        slips=[((a.data, b.data), _("Swapped: c = a·b changes by b for each unit of a, so ∂c/∂a is "
                              "the other factor, not a itself.", lang)),
         ((1.0, 1.0), _("That is the rule for +; for a product each slope is the other factor.",
                        lang)),
         (_NEG(answer), _("Check the sign of each factor.", lang))],
        names=('∂c/∂a', '∂c/∂b'),
        lang=lang)


def _ex02_tanh_local(lang=None):
    n = Value(0.8813735870195432, label='n')
    o = n.tanh()
    d, = o.local_grads()
    return Exercise(
        'ex02_tanh_local',
        title=_("Local derivative of tanh (Karpathy's neuron)", lang),
        prompt=_("o = tanh(n)  with  n = {n}  (so o = {o}).\nGive ∂o/∂n.", lang, n=repr(n.data),
          o=repr(o.data)),
        expects=_("one number", lang),
        solution=d,
        read=_number,
        because=_("∂tanh(n)/∂n = 1 − tanh²(n) = 1 − o²: the slope is read off the output.", lang),
        hint=_("Write the derivative of tanh in terms of its output o.", lang),
        worked=f"∂o/∂n = 1 − o² = 1 − {o.data:.10g}² = {d:.10g}",
        slips=[(1 - n.data ** 2, _("The derivative is 1 − tanh²(n) = 1 − o², with the OUTPUT o — you "
                             "used the input n.", lang)),
         (1 - o.data, _("Square the output: 1 − o², not 1 − o.", lang)),
         (-d, _("Check the sign: tanh is increasing, so its slope is positive.", lang)),
         (o.data, _("That is the output o itself, not its slope.", lang))],
        lang=lang)


def _ex03_local_derivatives(lang=None):
    x = Value(0.5, label='x')
    outs = (x.sigmoid(), x.exp(), x.log(), x ** 3)
    answer = tuple(v.local_grads()[0] for v in outs)
    s = outs[0].data
    return Exercise(
        'ex03_local_derivatives',
        title=_("Local derivatives of σ, exp, log and a power", lang),
        prompt=_("At x = 0.5, give the local derivative of each op with respect to x:\n"
          "  [∂σ(x)/∂x, ∂eˣ/∂x, ∂ln(x)/∂x, ∂x³/∂x]", lang),
        expects=_("a list of 4 numbers", lang),
        solution=list(answer),
        read=_vector(4),
        because="σ' = σ(1 − σ), (eˣ)' = eˣ, (ln x)' = 1/x, (x³)' = 3x².",
        hint=_("Each is the textbook derivative evaluated at x; σ's is easiest written with σ(x) "
          "itself.", lang),
        worked=_("σ(x)(1 − σ(x)), eˣ, 1/x, 3x² at x = 0.5 = {values}", lang, values=_fmt(answer)),
        slips=[(_with_entry(answer, 0, s), _("σ'(x) is not σ(x): it is σ(x)(1 − σ(x)), the slope of σ.",
                                       lang)),
         (_with_entry(answer, 0, 0.5 * 0.5), _("σ'(x) = σ(x)(1 − σ(x)) uses σ(x), not x.", lang)),
         (_with_entry(answer, 1, 0.5 * math.exp(-0.5)),
          _("eˣ is not a power of x: the power rule does not apply; eˣ is its own derivative.",
            lang)),
         (_with_entry(answer, 2, math.log(0.5)), _("That is ln x itself, not its slope.", lang)),
         (_with_entry(answer, 2, -answer[2]), _("Check the sign: ln grows, so its slope is > 0.",
                                                lang)),
         (_with_entry(answer, 3, 0.5 ** 2), _("Power rule: k·xᵏ⁻¹ — the exponent k comes down.",
                                              lang)),
         (_with_entry(answer, 3, 3 * 0.5 ** 3), _("Power rule: the exponent drops by one, k·xᵏ⁻¹.",
                                                  lang))],
        names=("∂σ/∂x", "∂eˣ/∂x", "∂ln/∂x", "∂x³/∂x"),
        lang=lang)
