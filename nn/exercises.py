"""Exercises: derive a gradient by hand, then `check` it — ✓ with the reason, or ✗ with a hint.

    ex = nn.exercises.get('ex04_chain_w');  print(ex);  ex.check(-0.1);  ex.hint();  ex.solution()
A number is right when |answer − expected| ≤ 1e-9 + 1e-6·|expected| (absolute 1e-9, relative 1e-6).
"""
import html
import inspect
import math
import numbers
from itertools import combinations

from micrograd import GradcheckError, Op, Value, gradcheck, topological_order
from .losses import quadratic_cost, squared_error
from .walkthrough import lecture_neuron

__all__ = ['Exercise', 'Result', 'all_exercises', 'get', 'buggy_backward', 'close', 'RTOL', 'ATOL']

RTOL, ATOL = 1e-6, 1e-9


def close(answer, expected):
    """|answer − expected| ≤ ATOL + RTOL·|expected|"""
    return abs(answer - expected) <= ATOL + RTOL * abs(expected)


class Result:
    """The verdict on one answer: `ok`, and a message (why it is right, or a hint if it is not)."""

    def __init__(self, ok, message, solution=None):
        self.ok, self.message, self.solution = ok, message, solution

    def __bool__(self):
        return self.ok

    def __str__(self):
        text = f"{'✓' if self.ok else '✗'} {self.message}"
        return text + (f"\nSolution: {self.solution}" if self.solution else '')

    __repr__ = __str__

    def _repr_html_(self):
        colour = '#1a7f37' if self.ok else '#b42318'
        style = f"border-left:4px solid {colour};padding:4px 10px;white-space:pre-wrap"
        return f'<div style="{style}">{html.escape(str(self))}</div>'


class Text(str):
    """A hint: a str that shows as plain text (no quotes) in a REPL and in Jupyter."""

    def __repr__(self):
        return str(self)

    def _repr_markdown_(self):
        return str(self)


class _Bad(Exception):
    """An answer of the wrong form (type, length, shape, NaN): the message says what it was."""


class Exercise:
    """One exercise: `prompt`; `check(answer, reveal=False)` → Result; `hint()`; `solution()`."""

    def __init__(self, id, title, prompt, expects, solution, read, because, hint, worked,
                 slips=(), names=None, judge=None):
        self.id, self.title, self.prompt, self.expects = id, title, prompt, expects
        self._solution, self._read, self._because = solution, read, because
        self._hint, self._worked, self._judge = hint, worked, judge
        self._answer = read(solution)
        self._slips = list(slips)
        self._names = names
        for wrong, text in self._slips:    # a slip that gives the right answer would be a bug here
            if _same(wrong, self._answer):
                raise ValueError(f"{id}: the slip {text[:50]!r} gives the right answer")

    def check(self, answer, reveal=False):
        """✓ or ✗ with a targeted hint; `reveal=True` also shows the worked solution."""
        try:
            if answer is Ellipsis:
                raise _Bad("no answer yet: replace the ... with your answer")
            result = (self._judge or self._compare)(self._read(answer))
        except _Bad as e:
            result = Result(False, f"{e}; expected {self.expects}.")
        except Exception as e:          # an answer can be anything: say what it was, no traceback
            result = Result(False, f"could not read {_kind(answer)} ({type(e).__name__}: {e}); "
                                   f"expected {self.expects}.")
        if reveal:
            result.solution = self._worked
        return result

    def hint(self):
        """A nudge in the right direction that does not give the answer away."""
        return Text(self._hint)

    def solution(self):
        """The answer, in the form `check` expects (this gives it away)."""
        return self._solution

    def _compare(self, value):
        if _same(value, self._answer):
            return Result(True, self._because)
        for wrong, text in self._slips:
            if _same(value, wrong):
                return Result(False, text)
        if _shape(value) != _shape(self._answer):
            return Result(False, f"your answer has shape {_shape(value)}, but {self.expects} "
                                 f"has shape {_shape(self._answer)}.")
        if len(_shape(value)) == 1:                       # a list: which entries, and why
            notes = [self._entry(i, v) for i, (v, right) in enumerate(zip(value, self._answer))
                     if not close(v, right)]
            if any(note.endswith('.') for note in notes):
                return Result(False, "\n".join(notes))
            return Result(False, f"{', '.join(notes)}. {self._hint}")
        return Result(False, f"Not right, and not one of the usual slips. {self._hint}")

    def _entry(self, i, v):
        """'δ₂ᴸ: <the hint of a slip that gives v here>', or 'δ₂ᴸ is not right'."""
        right, name = self._answer[i], self._names[i] if self._names else f"entry {i + 1}"
        for wrong, text in self._slips:
            if _shape(wrong) == _shape(self._answer) and not close(wrong[i], right) \
                    and close(v, wrong[i]):
                return f"{name}: {text}"
        return f"{name} is not right"

    def __str__(self):
        return f"{self.id} — {self.title}\n\n{self.prompt}\n\nAnswer with {self.expects}."

    def __repr__(self):
        return f"<Exercise {self.id}: {self.title}>"

    def _repr_html_(self):
        return (f"<b>{html.escape(self.id)}</b> — {html.escape(self.title)}"
                f'<pre style="white-space:pre-wrap">{html.escape(self.prompt)}</pre>'
                f"<i>Answer with {html.escape(self.expects)}.</i>")


# --- reading answers: plain floats and tuples, or _Bad saying what was wrong --------------------

def _kind(x):
    if x is None:
        return "None"
    if isinstance(x, str):
        return f"the text {x[:30]!r}"
    if isinstance(x, (list, tuple)):
        return f"a {type(x).__name__} of {len(x)} item{'s' * (len(x) != 1)}"
    return f"a {type(x).__name__}"


def _plain(x):
    return x.tolist() if hasattr(x, 'tolist') else x    # numpy arrays and scalars, without numpy


def _number(x, what='the answer'):
    x = _plain(x)
    if isinstance(x, Value):
        raise _Bad(f"{what} is a Value ({x!r}); give its number, e.g. v.grad")
    if isinstance(x, str):
        raise _Bad(f"{what} is {_kind(x)}; write the number without quotes")
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise _Bad(f"{what} is {_kind(x)}, not a number")
    x = float(x)
    if not math.isfinite(x):
        raise _Bad(f"{what} is {x}, but a gradient here is a finite number")
    return x


def _vector(n):
    def read(x):
        x = _plain(x)
        if not isinstance(x, (list, tuple)):
            raise _Bad(f"the answer is {_kind(x)}, not a list of numbers")
        if len(x) != n:
            raise _Bad(f"the answer has {len(x)} numbers, not {n}")
        return tuple(_number(v, f"entry {i}") for i, v in enumerate(x, 1))
    return read


def _matrix(x):
    rows = _plain(x)
    if not isinstance(rows, (list, tuple)) or not rows:
        raise _Bad(f"the answer is {_kind(rows)}, not a list of rows")
    rows = [_plain(r) for r in rows]
    if not all(isinstance(r, (list, tuple)) and r for r in rows) or len({len(r) for r in rows}) > 1:
        raise _Bad("the rows are not all lists of the same length")
    return tuple(tuple(_number(v, f"entry ({i}, {k})") for k, v in enumerate(r, 1))
                 for i, r in enumerate(rows, 1))


def _dims(x):
    x = _plain(x)
    if not isinstance(x, (list, tuple)) or not x:
        raise _Bad(f"the answer is {_kind(x)}, not a shape tuple like (rows, columns)")
    if len(x) > 2:
        raise _Bad(f"the answer has {len(x)} sizes, but a gradient here has at most two")
    for d in x:
        if isinstance(d, bool) or not isinstance(d, numbers.Real) or not math.isfinite(d) \
                or d != int(d) or d < 1:
            raise _Bad(f"{d!r:.20} is not a size (a whole number ≥ 1)")
    return tuple(int(d) for d in x)


def _shape(x):
    """() for a number, (n,) for a list, (rows, columns) for a matrix."""
    return (len(x),) + _shape(x[0]) if isinstance(x, tuple) and x else ()


def _same(a, b):
    if isinstance(a, tuple) or isinstance(b, tuple):
        return (isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b)
                and all(map(_same, a, b)))
    return a == b if isinstance(a, str) or isinstance(b, str) else close(a, b)


# --- slips: what each common mistake would make of the right answer ---------------------------

def _scaled(x, k):
    """x·k entry by entry; k is a number or a (nested) tuple that broadcasts over x's rows."""
    if isinstance(x, tuple):
        ks = k if isinstance(k, tuple) else (k,) * len(x)
        return tuple(_scaled(v, kv) for v, kv in zip(x, ks))
    return x * k


def _times(k):
    return lambda x: _scaled(x, k)


def _over(k):
    return _times(_inverse(k))


def _inverse(k):
    return tuple(map(_inverse, k)) if isinstance(k, tuple) else 1.0 / k


def _transposed(m):
    return tuple(zip(*m))


def _slips(answer, *rules):
    """[(what the slip gives, its hint)] for each rule (slip, hint) and each pair of them."""
    out = [(slip(answer), hint) for slip, hint in rules]
    for (f, s), (g, t) in combinations(rules, 2):   # transposition last: rules list it last
        out.append((g(f(answer)), f"Two slips. {s} And: {t}"))
    return [(v, t) for v, t in out if not _same(v, answer)]


def _with_entry(answer, i, v):
    """The answer with entry i replaced by v: a slip in one entry of a list."""
    return tuple(v if k == i else a for k, a in enumerate(answer))


def _sigma_prime(z):
    s = 1.0 / (1.0 + math.exp(-z))
    return s * (1.0 - s)


def _fmt(x):
    if isinstance(x, tuple):
        return "[" + ", ".join(map(_fmt, x)) + "]"
    return f"{x:.10g}"


_NEG = _times(-1.0)
_SIGN = ("Check the sign: ∂/∂a of (a − y)² is 2(a − y), not 2(y − a); a cost grows when a moves "
        "away from y.")
_HALF_3B1B = ("Factor of 2: C0 = (a − y)² has no ½ in front, so ∂C0/∂a = 2(a − y) — the 2 stays. "
             "(Nielsen's ½(a − y)² is the one whose 2 cancels.)")
_TWICE = "Factor of 2: the 2 from differentiating the square appears once; you have it twice."
_HALF_NIELSEN = ("Factor of 2: Nielsen's C = ½Σ(a − y)² has a ½ that cancels the 2 of the square, "
                "so ∂C/∂a = a − y with no 2.")
_HALVED = "Factor of 2: the ½ of C = ½(a − y)² is used up cancelling the 2; don't halve again."


def _missing_sigma_prime(z):
    return (f"Missing σ'(z{z}): a = σ(z{z}) lies between z{z} and the cost, so the chain needs its "
            f"slope σ'(z{z}) = σ(z{z})(1 − σ(z{z})).")


# --- the exercises ---------------------------------------------------------------------------

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
        [(_with_entry(answer, 0, s), "σ'(x) is not σ(x): it is σ(x)(1 − σ(x))."),
         (_with_entry(answer, 0, 0.5 * 0.5), "σ'(x) = σ(x)(1 − σ(x)) uses σ(x), not x."),
         (_with_entry(answer, 1, 0.5 * math.exp(-0.5)),
          "eˣ is not a power of x: the power rule does not apply; eˣ is its own derivative."),
         (_with_entry(answer, 2, math.log(0.5)), "That is ln x itself, not its slope."),
         (_with_entry(answer, 2, -answer[2]), "Check the sign: ln grows, so its slope is > 0."),
         (_with_entry(answer, 3, 0.5 ** 2), "Power rule: k·xᵏ⁻¹ — the exponent k comes down."),
         (_with_entry(answer, 3, 3 * 0.5 ** 3), "Power rule: the exponent drops by one, k·xᵏ⁻¹.")],
        names=("∂σ/∂x", "∂eˣ/∂x", "∂ln/∂x", "∂x³/∂x"))


_CHAIN = ("3Blue1Brown's chain, one neuron per layer, the last layer L:\n"
          "  z(L) = w(L)·a(L−1) + b(L),   a(L) = σ(z(L)),   C0 = (a(L) − y)²\n"
          "with  a(L−1) = 0.6,  w(L) = 1.5,  b(L) = -0.4,  y = 1.0.\n")


def _chain():
    a_prev, w, b = Value(0.6, label='a(L-1)'), Value(1.5, label='w(L)'), Value(-0.4, label='b(L)')
    a = (w * a_prev + b).sigmoid()
    squared_error([a], [1.0]).backward()
    return a_prev, w, b, a.data, a.data * (1 - a.data), 2 * (a.data - 1.0)


def _chain_slips(answer, sp, *more):
    return _slips(answer, (_over(sp), _missing_sigma_prime('(L)')), (_over(2.0), _HALF_3B1B),
                  (_times(2.0), _TWICE), (_NEG, _SIGN), *more)


def _ex04_chain_w():
    a_prev, w, b, a, sp, dC_da = _chain()
    return Exercise(
        'ex04_chain_w', "The chain rule for a weight (3Blue1Brown)",
        _CHAIN + "Give ∂C0/∂w(L).", "one number", w.grad, _number,
        "∂C0/∂w(L) = ∂z/∂w · ∂a/∂z · ∂C0/∂a = a(L−1) · σ'(z(L)) · 2(a(L) − y).",
        "Three factors: how z moves with w, how a moves with z, how C0 moves with a.",
        f"a(L−1)·σ'(z)·2(a − y) = {a_prev.data:g} × {sp:.10g} × {dC_da:.10g} = {w.grad:.10g}",
        _chain_slips(w.grad, sp, (_over(a_prev.data), "∂z(L)/∂w(L) = a(L−1): that factor is "
                                                       "missing (what's left is ∂C0/∂b(L)).")) +
        [(w.data * sp * dC_da, "∂z(L)/∂w(L) is a(L−1), the input on the weight — you used w(L) "
                               "(that gives ∂C0/∂a(L−1))."),
         (a_prev.data * a * dC_da, "Use the slope σ'(z(L)), not σ(z(L)) itself.")])


def _ex05_chain_b():
    a_prev, w, b, a, sp, dC_da = _chain()
    return Exercise(
        'ex05_chain_b', "The chain rule for a bias (3Blue1Brown)",
        _CHAIN + "Give ∂C0/∂b(L).", "one number", b.grad, _number,
        "∂C0/∂b(L) = 1 · σ'(z(L)) · 2(a(L) − y): ∂z/∂b = 1.",
        "Same chain as for the weight, but ∂z(L)/∂b(L) is simpler.",
        f"1·σ'(z)·2(a − y) = {sp:.10g} × {dC_da:.10g} = {b.grad:.10g}",
        _chain_slips(b.grad, sp, (_times(a_prev.data), "∂z(L)/∂b(L) = 1: multiplying by a(L−1) "
                                                        "gives the weight's gradient instead.")) +
        [(a * dC_da, "Use the slope σ'(z(L)), not σ(z(L)) itself.")])


def _ex06_chain_a_prev():
    a_prev, w, b, a, sp, dC_da = _chain()
    return Exercise(
        'ex06_chain_a_prev', "Going back a layer: ∂C0/∂a(L−1) (3Blue1Brown)",
        _CHAIN + "Give ∂C0/∂a(L−1).", "one number", a_prev.grad, _number,
        "∂C0/∂a(L−1) = w(L) · σ'(z(L)) · 2(a(L) − y) — then keep iterating backwards.",
        "∂z(L)/∂a(L−1) is whatever multiplies a(L−1) in z(L).",
        f"w(L)·σ'(z)·2(a − y) = {w.data:g} × {sp:.10g} × {dC_da:.10g} = {a_prev.grad:.10g}",
        _chain_slips(a_prev.grad, sp, (_over(w.data), "∂z(L)/∂a(L−1) = w(L): that factor is "
                                                       "missing.")) +
        [(a_prev.data * sp * dC_da, "∂z(L)/∂a(L−1) is the weight w(L), not a(L−1) itself (that "
                                    "gives ∂C0/∂w(L))."),
         (w.data * a * dC_da, "Use the slope σ'(z(L)), not σ(z(L)) itself.")])


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
        [(b1.grad * a0.data, "∂z(1)/∂b(1) = 1: multiplying by a(0) gives ∂C0/∂w(1) instead.")])


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
        [(sp * w3 * g1, path), (sp * w4 * g2, path), (w3 * g1, path + " Also σ'(z) is missing."),
         (w4 * g2, path + " Also σ'(z) is missing.")])


def _ex09_bp1():
    z = [Value(0.5, label='z1'), Value(-1.2, label='z2')]
    a = [zj.sigmoid() for zj in z]
    quadratic_cost(a, [1.0, 0.0]).backward()
    answer = tuple(zj.grad for zj in z)
    sp = tuple(_sigma_prime(zj.data) for zj in z)
    diff = (a[0].data - 1.0, a[1].data - 0.0)
    return Exercise(
        'ex09_bp1', "BP1: the output error δᴸ (Nielsen)",
        "Output layer with 2 sigmoid neurons and Nielsen's cost C = ½ Σⱼ (aⱼᴸ − yⱼ)²:\n"
        "  zᴸ = (0.5, -1.2),   aᴸ = σ(zᴸ),   y = (1.0, 0.0).\n"
        "Give δᴸ = ∂C/∂zᴸ (BP1).", "a list of 2 numbers [δ₁ᴸ, δ₂ᴸ]", list(answer), _vector(2),
        "BP1: δᴸ = (aᴸ − y) ⊙ σ'(zᴸ) — the ½ cancels the 2 of the square.",
        "δᴸ = ∇ₐC ⊙ σ'(zᴸ): first ∂C/∂aⱼ for this cost, then through the sigmoid.",
        f"(aᴸ − y) ⊙ σ'(zᴸ) = {_fmt(diff)} ⊙ {_fmt(sp)} = {_fmt(answer)}",
        _slips(answer, (_over(sp), _missing_sigma_prime('ᴸ')), (_times(2.0), _HALF_NIELSEN),
               (_over(2.0), _HALVED), (_NEG, _SIGN)) +
        [(tuple(d * aj.data for d, aj in zip(diff, a)), "Use the slope σ'(zᴸ), not σ(zᴸ) = aᴸ.")],
        names=('δ₁ᴸ', 'δ₂ᴸ'))


def _ex10_bp2():
    W = ((2.0, -1.0), (-2.0, -1.0))           # Hung-yi Lee's layer-2 weights, row j = neuron j
    delta_next = (0.2, -0.1)
    z = [Value(0.5, label='z1'), Value(-1.0, label='z2')]
    a = [zk.sigmoid() for zk in z]
    z_next = [sum((wjk * ak for wjk, ak in zip(row, a)), Value(0.0)) for row in W]
    sum((zj * dj for zj, dj in zip(z_next, delta_next)), Value(0.0)).backward()
    answer = tuple(zk.grad for zk in z)
    sp = tuple(_sigma_prime(zk.data) for zk in z)
    back = tuple(sum(W[j][k] * delta_next[j] for j in range(2)) for k in range(2))
    wrong_way = tuple(sum(W[k][j] * delta_next[j] for j in range(2)) * sp[k] for k in range(2))
    transpose = ("Transpose: δˡ needs (wˡ⁺¹)ᵀ δˡ⁺¹ — sum down the COLUMN k of w (the weights "
                 "leaving neuron k), not along row k.")
    return Exercise(
        'ex10_bp2', "BP2: the error one layer back (Nielsen)",
        "Layer l has 2 sigmoid neurons with zˡ = (0.5, -1.0). The next layer's weights (row j =\n"
        "neuron j of layer l+1) and error are\n"
        "  wˡ⁺¹ = [[2, -1], [-2, -1]],   δˡ⁺¹ = (0.2, -0.1).\n"
        "Give δˡ (BP2).", "a list of 2 numbers [δ₁ˡ, δ₂ˡ]", list(answer), _vector(2),
        "BP2: δˡ = ((wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ σ'(zˡ): each neuron collects the errors it fed, weighted.",
        "Neuron k of layer l feeds every neuron j of layer l+1 through w_jk; add those paths.",
        f"(wᵀδ) ⊙ σ'(z) = {_fmt(back)} ⊙ {_fmt(sp)} = {_fmt(answer)}",
        _slips(answer, (_over(sp), _missing_sigma_prime('ˡ')), (_NEG, "Check the sign of each "
                                                                "product w·δ.")) +
        [(wrong_way, transpose),
         (tuple(v / s for v, s in zip(wrong_way, sp)), transpose + " Also σ'(zˡ) is missing.")],
        names=('δ₁ˡ', 'δ₂ˡ'))


def _ex11_bp4():
    a_prev, delta = (0.3, 0.9, -0.5), (0.2, -0.7)
    w = [[Value(0.0, label=f"w{j}{k}") for k in (1, 2, 3)] for j in (1, 2)]
    z = [sum((wjk * ak for wjk, ak in zip(row, a_prev)), Value(0.0)) for row in w]
    sum((zj * dj for zj, dj in zip(z, delta)), Value(0.0)).backward()   # so that ∂C/∂z = δ
    answer = w[1][0].grad                                               # w_jk with j = 2, k = 1
    return Exercise(
        'ex11_bp4', "BP4: the gradient of one weight (Nielsen)",
        "Layer l has 2 neurons, layer l−1 has 3, and (1-based, w_jk = from neuron k to neuron j)\n"
        "  aˡ⁻¹ = (0.3, 0.9, -0.5),   δˡ = (0.2, -0.7).\n"
        "Give ∂C/∂w₂₁ˡ  (j = 2, k = 1) with BP4.", "one number", answer, _number,
        "BP4: ∂C/∂w_jkˡ = a_kˡ⁻¹ · δ_jˡ — the input it carries times the error where it lands.",
        "A weight's gradient is (what flows in on it) × (the error of the neuron it feeds).",
        f"a₁ˡ⁻¹ · δ₂ˡ = {a_prev[0]:g} × {delta[1]:g} = {answer:.10g}",
        [(a_prev[1] * delta[0], "Transposed indices: w_jk goes FROM neuron k (layer l−1) TO "
                                "neuron j (layer l); you used a_j · δ_k."),
         (delta[1], "That is δ_j alone, BP3's ∂C/∂b_j; a weight also multiplies by its input "
                    "a_k."),
         (a_prev[0], "That is a_k alone: the error δ_j of the neuron the weight feeds is "
                     "missing."),
         (-answer, "Check the sign of each factor.")])


def _ex12_matrix_gradient():
    W = [[Value(v, label=f"W{j}{k}") for k, v in enumerate(row, 1)]
         for j, row in enumerate(((0.4, -0.6, 0.2), (-0.3, 0.8, 0.5)), 1)]
    x_prev, t = (0.5, -0.2, 0.9), (1.0, 0.0)
    z = [sum((wjk * xk for wjk, xk in zip(row, x_prev)), Value(0.0)) for row in W]
    x = [zj.sigmoid() for zj in z]
    quadratic_cost(x, t).backward()
    answer = tuple(tuple(w.grad for w in row) for row in W)
    sp = tuple(_sigma_prime(zj.data) for zj in z)
    delta = tuple((xj.data - tj) * s for xj, tj, s in zip(x, t, sp))
    return Exercise(
        'ex12_matrix_gradient', "∂E/∂W in matrix form (bias-free)",
        "The last layer of the matrix-form seed, no biases, f = σ:\n"
        "  x_L = σ(W_L x_(L−1)),   E = ½‖x_L − t‖²\n"
        "  W_L = [[0.4, -0.6, 0.2], [-0.3, 0.8, 0.5]],  x_(L−1) = (0.5, -0.2, 0.9),  t = (1, 0).\n"
        "Give ∂E/∂W_L as a matrix (a list of rows).",
        "a 2×3 matrix [[…], […]] (W_L's shape)", [list(r) for r in answer], _matrix,
        "∂E/∂W_L = δ_L x_(L−1)ᵀ with δ_L = (x_L − t) ∘ σ'(W_L x_(L−1)): W_L's own shape.",
        "First δ_L (one number per output), then an outer product with the layer's input.",
        f"δ_L = {_fmt(delta)},  δ_L x_(L−1)ᵀ = {_fmt(answer)}",
        _slips(answer, (_over(sp), _missing_sigma_prime('_L')), (_times(2.0), _HALF_NIELSEN),
               (_over(2.0), _HALVED), (_NEG, _SIGN),
               (_transposed, "Transposed: ∂E/∂W_L = δ_L x_(L−1)ᵀ has W_L's shape — one row per "
                             "output neuron; yours is x_(L−1) δ_Lᵀ.")))


def _ex13_gradient_shape():
    return Exercise(
        'ex13_gradient_shape', "The shape of ∂E/∂W (the matrix-form seed's dimension check)",
        "A bias-free network  x_i = f_i(W_i x_(i−1)),  E = ½‖x_L − t‖²,  with W3 of shape 2×3\n"
        "and W2 of shape 3×5 (so x2 has 3 entries and x1 has 5).\n"
        "What is the shape of ∂E/∂W2 = δ2 x1ᵀ?", "a tuple (rows, columns)", (3, 5), _dims,
        "∂E/∂W₂ = δ₂ x₁ᵀ: a column of δ₂'s size times a row of x₁'s size — W₂'s own shape.",
        "A gradient has the shape of the thing it is the gradient of.",
        "δ2 (3 entries) x1ᵀ (5 entries) is 3×5 — the same as W2",
        [((5, 3), "Transposed: δ₂ x₁ᵀ has one row per entry of δ₂, and W₂'s shape."),
         ((3,), "That is the shape of δ₂ alone; δ₂ x₁ᵀ is an outer product, a matrix."),
         ((5,), "That is the shape of x₁ alone; δ₂ x₁ᵀ is an outer product, a matrix."),
         ((2, 3), "That is W₃'s shape; the question is about W₂.")])


def _ex14_topological_order():
    o = lecture_neuron(x1w1='x1w1', x2w2='x2w2', s='s')['o']
    order = [v.label for v in topological_order(o)]
    parents = {v.label: [p.label for p in v.parents] for v in topological_order(o)}

    def judge(labels):
        unknown = [v for v in labels if v not in parents]
        if unknown:
            return Result(False, f"No node is labelled {unknown[0]!r}; the nodes are "
                                 f"{', '.join(sorted(parents))}.")
        twice = [v for v in parents if labels.count(v) > 1]
        if twice:
            return Result(False, f"{twice[0]!r} appears more than once: each node comes once.")
        missing = [v for v in sorted(parents) if v not in labels]
        if missing:
            return Result(False, f"Missing: {', '.join(missing)}; every node comes exactly once.")
        where = {v: i for i, v in enumerate(labels)}
        late = [(v, p) for v in labels for p in parents[v] if where[p] > where[v]]
        if not late:
            return Result(True, "Every node comes after all of its inputs, so each can be computed "
                                "in this order (and backward walks it in reverse).")
        if all(where[p] > where[v] for v in labels for p in parents[v]):
            return Result(False, "Reversed: that is the order backward visits the nodes (reverse "
                                 "topological order). Forward, a node comes after its inputs.")
        v, p = late[0]
        return Result(False, f"{v!r} comes before its input {p!r}: a node can only be computed "
                             f"after all of its inputs.")

    return Exercise(
        'ex14_topological_order', "A topological order",
        "Karpathy's neuron, defined here out of order:\n"
        "  o = tanh(n);   n = s + b;   x2w2 = x2·w2;   s = x1w1 + x2w2;   x1w1 = x1·w1\n"
        "with leaves x1, x2, w1, w2, b. List all 10 labels in an order in which the graph can be\n"
        "computed (a topological order: every node after all of its inputs).",
        "a list of the 10 labels, e.g. ['x1', …]", order, _labels, "", 
        "Start from the leaves; add a node only once all of its inputs are already listed.",
        "One valid order (micrograd.topological_order): " + ", ".join(order), judge=judge)


def _labels(x):
    if isinstance(x, str) or not isinstance(x, (list, tuple)):
        raise _Bad(f"the answer is {_kind(x)}, not a list of labels")
    bad = [v for v in x if not isinstance(v, str)]
    if bad:
        raise _Bad(f"{_kind(bad[0])} is not a label; labels are strings like 'x1'")
    return list(x)


def _swish(x):
    return x / (1.0 + math.exp(-x))


def _swish_local_grad(x, y):
    s = 1.0 / (1.0 + math.exp(-x))
    return s + x * s * (1.0 - s)


_POINTS = (-2.0, -0.5, 0.3, 1.7, 3.0)


def _ex15_new_op():
    def sig(x):
        return 1.0 / (1.0 + math.exp(-x))

    product = ("Product rule: y = x·σ(x) has two factors that depend on x, so ∂y/∂x has two "
               "terms, one for each factor; you have only one of them.")
    slips = [(lambda x: sig(x), product), (lambda x: x * sig(x) * (1 - sig(x)), product),
             (lambda x: sig(x) * (1 - sig(x)), "That is σ'(x) alone; y = x·σ(x) is a product — "
                                               "use the product rule."),
             (lambda x: -_swish_local_grad(x, _swish(x)), "Check the sign of each term."),
             (_swish, "That returns the output y itself, not its slope ∂y/∂x.")]

    def judge(g):
        yours = []
        for x in _POINTS:
            try:
                yours.append(_call(g, x))
            except _Bad:
                raise
            except Exception as e:      # the learner's code: report its error in their terms
                return Result(False, f"your function raised {type(e).__name__}: {e} at x = {x:g}.")
        exact = all(close(d, _swish_local_grad(x, _swish(x))) for d, x in zip(yours, _POINTS))
        for slip, text in slips:
            if not exact and all(close(d, slip(x)) for d, x in zip(yours, _POINTS)):
                return Result(False, text)
        swish = _op(g)
        try:
            for x in _POINTS:
                gradcheck(lambda v: swish.apply(v), [Value(x, label='x')])
        except GradcheckError as e:
            return Result(False, f"micrograd.gradcheck disagrees with your derivative:\n{e}")
        except Exception as e:          # near a test point the learner's function may still fail
            return Result(False, f"your function failed inside gradcheck: {type(e).__name__}: {e}")
        if not exact:
            return Result(False, "Close to the finite differences but not exact: write the "
                                 "derivative in closed form.")
        return Result(True, "gradcheck passes at every test point: "
                            "∂y/∂x = σ(x) + x·σ(x)(1 − σ(x)).")

    return Exercise(
        'ex15_new_op', "A new op: write its local derivative",
        "A new primitive, swish (also called SiLU):  y = swish(x) = x·σ(x).\n"
        "Write its local derivative as a Python function\n"
        "    def local_grad(x, y):       # x: the input, y = swish(x): the output (numbers)\n"
        "        return ...              # ∂y/∂x, a number\n"
        "and check the function itself: ex.check(local_grad). The checker turns it into a\n"
        "micrograd.Op and runs micrograd.gradcheck at x = -2, -0.5, 0.3, 1.7, 3.",
        "a function local_grad(x, y) returning a number", _swish_local_grad, _function,
        "", "Product rule, and σ'(x) = σ(x)(1 − σ(x)).",
        "def local_grad(x, y):  s = σ(x);  return s + x·s·(1 − s)     # = y + σ(x)·(1 − y)",
        judge=judge)


def _function(f):
    if not callable(f) or isinstance(f, (Value, type)):
        raise _Bad(f"the answer is {_kind(f)}, not a function; pass the function itself, without "
                   f"calling it")
    if _arity(f) not in (1, 2):
        raise _Bad("the function should take (x, y): the input and the output")
    return f


def _arity(f):
    try:
        ps = inspect.signature(f).parameters.values()
    except (TypeError, ValueError):
        return 2
    if any(p.kind == p.VAR_POSITIONAL for p in ps):
        return 2
    return sum(p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
               for p in ps)


def _call(g, x):
    """The learner's local_grad at x (called with (x, y), or just x), as a checked number."""
    d = g(x) if _arity(g) == 1 else g(x, _swish(x))
    if isinstance(d, (tuple, list)) and len(d) == 1:      # as Op.local_grads would return it
        d = d[0]
    return _number(d, f"your function's result at x = {x:g}")


def _op(g):
    """Swish as a micrograd.Op whose local derivative is the learner's function g."""
    class Swish(Op):
        """y = x·σ(x);   ∂y/∂x = g(x, y), the learner's"""
        symbol = 'swish'

        def forward(x):
            return _swish(x)

        def local_grads(x, y):
            return (_call(g, x),)

    return Swish


# ex16's listing, printed with its line numbers (hence no docstring). The bug is deliberate.
def buggy_backward(root):
    order = topological_order(root)
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    for node in reversed(order):
        for parent, local in zip(node.parents, node.local_grads()):
            parent.grad = local * node.grad


def _bug_graph():
    x, y = Value(2.5, label='x'), Value(-4.0, label='y')
    q = x * y
    q.label = 'q'
    f = q + x
    f.label = 'f'
    return x, y, q, f


_BUG_PROMPT = ("This backward pass (printed with its line numbers) runs on\n"
               "  q = x·y,   f = q + x,   with  x = 2.5,  y = -4.0:\n\n")


def _listing():
    lines = inspect.getsource(buggy_backward).splitlines()
    return lines, "\n".join(f"{i:2}  {line}" for i, line in enumerate(lines, 1))


def _ex16_find_the_bug():
    lines, listing = _listing()
    bug = next(i for i, line in enumerate(lines, 1) if 'parent.grad =' in line)
    right, wrong = _bug_graph(), _bug_graph()
    right[-1].backward()
    buggy_backward(wrong[-1])
    bad_nodes = [r.label for r, w in zip(right, wrong) if not close(w.grad, r.grad)]
    node = bad_nodes[0]

    def line_note(k):
        text = lines[k - 1].strip() if 1 <= k <= len(lines) else ''
        if not text:
            return f"The listing has lines 1 to {len(lines)}."
        if text.startswith('root.grad'):
            return (f"Line {k} seeds ∂f/∂f = 1 exactly once: an assignment is right there. "
                    f"Look for a gradient that arrives from more than one consumer.")
        if text.startswith('node.grad'):
            return f"Line {k} clears old gradients before the pass; that does not change this pass."
        return f"Line {k} does not change any gradient."

    def node_note(v):
        if v not in {n.label for n in right}:
            return f"There is no node {v!r}; the nodes are f, q, x, y."
        if v == 'f':
            return "f is the root: its gradient is seeded, ∂f/∂f = 1."
        return (f"{v!r} reaches f along one path only, so `=` and `+=` give the same number "
                f"there. Which node reaches f along two paths?")

    def judge(pair):
        k, v = pair
        notes = ([] if k == bug else [line_note(k)]) + ([] if v == node else [node_note(v)])
        if not notes:
            return Result(True, f"Line {bug} assigns with `=`: each path overwrites the one "
                                f"before, so {node!r} keeps only its last path. It must be `+=`.")
        return Result(False, " ".join(notes))

    return Exercise(
        'ex16_find_the_bug', "Find the bug in a backward pass",
        _BUG_PROMPT + listing + "\n\nOne line is wrong, and it makes one node's .grad wrong. "
        "Which line, and which node?", "a pair (line number, node label)", (bug, node), _pair,
        "", "Count the paths from each node to f. Which line decides what happens when a "
            "gradient arrives along a second path?",
        f"line {bug}, `parent.grad = local * node.grad`, must be `+=`; node {node!r} "
        f"(reached along two paths) keeps only the last one.", judge=judge)


def _pair(x):
    x = _plain(x)
    if not isinstance(x, (list, tuple)) or len(x) != 2:
        raise _Bad(f"the answer is {_kind(x)}, not a pair")
    k, v = x
    if isinstance(k, bool) or not isinstance(k, numbers.Real) or not math.isfinite(k) \
            or k != int(k):
        raise _Bad(f"the line number is {_kind(k)}, not a whole number")
    if not isinstance(v, str):
        raise _Bad(f"the node is {_kind(v)}; give its label as a string like 'q'")
    return int(k), v


def _ex17_fix_the_bug():
    x, y, q, f = _bug_graph()
    f.backward()
    answer = (x.grad, y.grad)
    bx, by, bq, bf = _bug_graph()
    buggy_backward(bf)
    return Exercise(
        'ex17_fix_the_bug', "Fix the bug: the right gradients",
        _BUG_PROMPT + _listing()[1] + "\n\nWith the bug fixed, what are ∂f/∂x and ∂f/∂y?",
        "a list of 2 numbers [∂f/∂x, ∂f/∂y]", list(answer), _vector(2),
        "x reaches f directly and through q, so ∂f/∂x = 1 + ∂f/∂q·∂q/∂x = 1 + y.",
        "List every path from x to f; each contributes a product of local derivatives.",
        f"∂f/∂x = 1 + y = {answer[0]:g},  ∂f/∂y = x = {answer[1]:g}",
        [((bx.grad, by.grad), "That is what the buggy backward prints: with `=` each path "
                              "overwrites the one before (only the last path survives). With `+=` "
                              "the paths add up."),
         ((1.0, answer[1]), "Forgot a path: x also reaches f through q = x·y."),
         (_NEG(answer), "Check the sign of each local derivative.")],
        names=('∂f/∂x', '∂f/∂y'))


_BUILDERS = (_ex01_mul_local, _ex02_tanh_local, _ex03_local_derivatives, _ex04_chain_w,
             _ex05_chain_b, _ex06_chain_a_prev, _ex07_bias_one_layer_back, _ex08_multipath,
             _ex09_bp1, _ex10_bp2, _ex11_bp4, _ex12_matrix_gradient, _ex13_gradient_shape,
             _ex14_topological_order, _ex15_new_op, _ex16_find_the_bug, _ex17_fix_the_bug)


def all_exercises():
    """Every exercise, freshly built, in order (ex01 … ex17)."""
    return [build() for build in _BUILDERS]


def get(id):
    """One exercise by its id ('ex04_chain_w') or its number (4)."""
    for ex in all_exercises():
        if ex.id == id or (isinstance(id, int) and ex.id.startswith(f"ex{id:02d}_")):
            return ex
    raise KeyError(f"no exercise {id!r}; the ids are: "
                   f"{', '.join(ex.id for ex in all_exercises())}")
