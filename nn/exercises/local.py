"""ex01–ex03 (notebooks/exercises/ex_01): local derivatives of a product, of tanh (Karpathy's
neuron), of σ, exp, log and a power."""
import math

from micrograd import Value
from .answers import _number, _vector
from .base import Exercise
from .slips import _NEG, _fmt, _with_entry

def _ex01_mul_local():
    a, b = Value(-2.0, label='a'), Value(3.0, label='b')
    answer = (a * b).local_grads()
    return Exercise(
        'ex01_mul_local', "Local derivatives of a product",
        "c = a · b  with  a = -2.0,  b = 3.0.\nGive the local derivatives (∂c/∂a, ∂c/∂b).",
        "a list of 2 numbers [∂c/∂a, ∂c/∂b]", list(answer), _vector(2),
        "∂(a·b)/∂a = b and ∂(a·b)/∂b = a: each factor's slope is the other factor.",
        "Hold b fixed and nudge a by h: c changes by b·h.",
        f"∂c/∂a = b = {b.data:g},  ∂c/∂b = a = {a.data:g}",
        [((a.data, b.data), "Swapped: c = a·b changes by b for each unit of a, so ∂c/∂a is the "
                            "other factor, not a itself."),
         ((1.0, 1.0), "That is the rule for +; for a product each slope is the other factor."),
         (_NEG(answer), "Check the sign of each factor.")],
        names=('∂c/∂a', '∂c/∂b'))


def _ex02_tanh_local():
    n = Value(0.8813735870195432, label='n')
    o = n.tanh()
    d, = o.local_grads()
    return Exercise(
        'ex02_tanh_local', "Local derivative of tanh (Karpathy's neuron)",
        f"o = tanh(n)  with  n = {n.data!r}  (so o = {o.data!r}).\nGive ∂o/∂n.",
        "one number", d, _number,
        "∂tanh(n)/∂n = 1 − tanh²(n) = 1 − o²: the slope is read off the output.",
        "Write the derivative of tanh in terms of its output o.",
        f"∂o/∂n = 1 − o² = 1 − {o.data:.10g}² = {d:.10g}",
        [(1 - n.data ** 2, "The derivative is 1 − tanh²(n) = 1 − o², with the OUTPUT o — you used "
                           "the input n."),
         (1 - o.data, "Square the output: 1 − o², not 1 − o."),
         (-d, "Check the sign: tanh is increasing, so its slope is positive."),
         (o.data, "That is the output o itself, not its slope.")])


def _ex03_local_derivatives():
    x = Value(0.5, label='x')
    outs = (x.sigmoid(), x.exp(), x.log(), x ** 3)
    answer = tuple(v.local_grads()[0] for v in outs)
    s = outs[0].data
    return Exercise(
        'ex03_local_derivatives', "Local derivatives of σ, exp, log and a power",
        "At x = 0.5, give the local derivative of each op with respect to x:\n"
        "  [∂σ(x)/∂x, ∂eˣ/∂x, ∂ln(x)/∂x, ∂x³/∂x]",
        "a list of 4 numbers", list(answer), _vector(4),
        "σ' = σ(1 − σ), (eˣ)' = eˣ, (ln x)' = 1/x, (x³)' = 3x².",
        "Each is the textbook derivative evaluated at x; σ's is easiest written with σ(x) itself.",
        "σ(x)(1 − σ(x)), eˣ, 1/x, 3x² at x = 0.5 = " + _fmt(answer),
        [(_with_entry(answer, 0, s), "σ'(x) is not σ(x): it is σ(x)(1 − σ(x)), the slope of σ."),
         (_with_entry(answer, 0, 0.5 * 0.5), "σ'(x) = σ(x)(1 − σ(x)) uses σ(x), not x."),
         (_with_entry(answer, 1, 0.5 * math.exp(-0.5)),
          "eˣ is not a power of x: the power rule does not apply; eˣ is its own derivative."),
         (_with_entry(answer, 2, math.log(0.5)), "That is ln x itself, not its slope."),
         (_with_entry(answer, 2, -answer[2]), "Check the sign: ln grows, so its slope is > 0."),
         (_with_entry(answer, 3, 0.5 ** 2), "Power rule: k·xᵏ⁻¹ — the exponent k comes down."),
         (_with_entry(answer, 3, 3 * 0.5 ** 3), "Power rule: the exponent drops by one, k·xᵏ⁻¹.")],
        names=("∂σ/∂x", "∂eˣ/∂x", "∂ln/∂x", "∂x³/∂x"))
