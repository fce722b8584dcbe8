"""ex15 (notebooks/exercises/ex_06): a new op — the learner writes swish's local derivative,
checked by gradcheck."""
import inspect
import math

from micrograd import GradcheckError, Op, Value, gradcheck
from micrograd.i18n import _
from .answers import _Bad, _kind, _number, close
from .base import Exercise, Result

def _swish(x):
    return x / (1.0 + math.exp(-x))


def _swish_local_grad(x, y):
    s = 1.0 / (1.0 + math.exp(-x))
    return s + x * s * (1.0 - s)


_POINTS = (-2.0, -0.5, 0.3, 1.7, 3.0)


def _ex15_new_op(lang=None):
    def sig(x):
        return 1.0 / (1.0 + math.exp(-x))

    product = _("Product rule: y = x·σ(x) has two factors that depend on x, so ∂y/∂x has two "
                "terms, one for each factor; you have only one of them.", lang)
    slips = [(lambda x: sig(x), product), (lambda x: x * sig(x) * (1 - sig(x)), product),
             (lambda x: sig(x) * (1 - sig(x)), _("That is σ'(x) alone; y = x·σ(x) is a product "
                                                 "— use the product rule.", lang)),
             (lambda x: -_swish_local_grad(x, _swish(x)), _("Check the sign of each term.", lang)),
             (_swish, _("That returns the output y itself, not its slope ∂y/∂x.", lang)),
             (lambda x: sig(x) + x * sig(x), _("The second term of the product rule is x·σ'(x): "
                                               "use the slope σ'(x) = σ(x)(1 − σ(x)), not σ(x) "
                                               "itself.", lang))]

    def judge(g):
        yours = []
        for x in _POINTS:
            try:
                yours.append(_call(g, x, lang))
            except _Bad:
                raise
            except Exception as e:      # the learner's code: report its error in their terms
                return Result(False, _("your function raised {error}: {message} at x = {x}.",
                                       lang, error=type(e).__name__, message=e, x=f"{x:g}"))
        exact = all(close(d, _swish_local_grad(x, _swish(x))) for d, x in zip(yours, _POINTS))
        for slip, text in slips:
            if not exact and all(close(d, slip(x)) for d, x in zip(yours, _POINTS)):
                return Result(False, text)
        swish = _op(g, lang)
        try:
            for x in _POINTS:
                gradcheck(lambda v: swish.apply(v), [Value(x, label='x')], lang=lang)
        except GradcheckError as e:
            return Result(False, _("micrograd.gradcheck disagrees with your derivative:\n{error}",
                                   lang, error=e))
        except Exception as e:          # near a test point the learner's function may still fail
            return Result(False, _("your function failed inside gradcheck: {error}: {message}",
                                   lang, error=type(e).__name__, message=e))
        if not exact:
            return Result(False, _("Close to the finite differences but not exact: write the "
                                   "derivative in closed form.", lang))
        return Result(True, _("gradcheck passes at every test point: "
                              "∂y/∂x = σ(x) + x·σ(x)(1 − σ(x)).", lang))

    return Exercise(
        'ex15_new_op',
        title=_("A new op: write its local derivative", lang),
        prompt=_("A new primitive, swish (also called SiLU):  y = swish(x) = x·σ(x).\n"
          "Write its local derivative as a Python function\n"
          "    def local_grad(x, y):       # x: the input, y = swish(x): the output (numbers)\n"
          "        return ...              # ∂y/∂x, a number\n"
          "and check the function itself: ex.check(local_grad). The checker turns it into a\n"
          "micrograd.Op and runs micrograd.gradcheck at x = -2, -0.5, 0.3, 1.7, 3.", lang),
        expects=_("a function local_grad(x, y) returning a number", lang),
        solution=_swish_local_grad,
        read=_function,
        because="",
        hint=_("Product rule, and σ'(x) = σ(x)(1 − σ(x)).", lang),
        worked="def local_grad(x, y):  s = σ(x);  return s + x·s·(1 − s)     # = y + σ(x)·(1 − y)",
        judge=judge,
        lang=lang)


def _function(f, lang=None):
    if not callable(f) or isinstance(f, (Value, type)):
        raise _Bad(_("the answer is {kind}, not a function; pass the function itself, without "
                     "calling it", lang, kind=_kind(f, lang)))
    if _arity(f) not in (1, 2):
        raise _Bad(_("the function should take (x, y): the input and the output", lang))
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


def _call(g, x, lang=None):
    """The learner's local_grad at x (called with (x, y), or just x), as a checked number."""
    d = g(x) if _arity(g) == 1 else g(x, _swish(x))
    if isinstance(d, (tuple, list)) and len(d) == 1:      # as Op.local_grads would return it
        d = d[0]
    return _number(d, _("your function's result at x = {x}", lang, x=f"{x:g}"), lang)


def _op(g, lang=None):
    """Swish as a micrograd.Op whose local derivative is the learner's function g."""
    class Swish(Op):
        """y = x·σ(x);   ∂y/∂x = g(x, y), the learner's"""
        symbol = 'swish'

        def forward(x):
            return _swish(x)

        def local_grads(x, y):
            return (_call(g, x, lang),)

    return Swish
