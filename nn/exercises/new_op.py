"""ex15 (notebooks/exercises/ex_06): a new op — the learner writes swish's local derivative,
checked by gradcheck."""
import inspect
import math

from micrograd import GradcheckError, Op, Value, gradcheck
from .answers import _Bad, _kind, _number, close
from .base import Exercise, Result

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
             (_swish, "That returns the output y itself, not its slope ∂y/∂x."),
             (lambda x: sig(x) + x * sig(x), "The second term of the product rule is x·σ'(x): use the "
                                             "slope σ'(x) = σ(x)(1 − σ(x)), not σ(x) itself.")]

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
