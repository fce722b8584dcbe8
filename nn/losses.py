"""Losses: one number C that says how wrong the network is, built from Values so C.backward() works.

Both conventions of the lectures are here: Nielsen's C = ½Σ(a − y)² (so ∂C/∂a = a − y) and
3Blue1Brown's C0 = Σ(a − y)² (so ∂C0/∂a = 2(a − y)).
"""
import math
import numbers
import operator

from micrograd.engine import Op, Value, weighted_sum
from micrograd.i18n import _, N_

__all__ = ['quadratic_cost', 'squared_error', 'hinge_loss', 'cross_entropy', 'mean',
           'softmax_cross_entropy', 'LogSumExp']


def quadratic_cost(a, y):
    """C = ½ Σⱼ (aⱼ − yⱼ)²   (Nielsen; the matrix-form seed's E = ½‖x_L − t‖²);  ∂C/∂aⱼ = aⱼ − yⱼ"""
    return 0.5 * _sum_of_squares(a, y, 'quadratic_cost')


def squared_error(a, y):
    """C0 = Σⱼ (aⱼ − yⱼ)²   (3Blue1Brown);  ∂C0/∂aⱼ = 2(aⱼ − yⱼ)"""
    return _sum_of_squares(a, y, 'squared_error')


def hinge_loss(scores, ys):
    """L = (1/n) Σᵢ max(0, 1 − yᵢ·scoreᵢ),  labels yᵢ = ±1   (micrograd's moons demo)."""
    scores, ys = _pair(scores, ys, 'hinge_loss', N_('scores'), N_('labels'))
    for i, yi in enumerate(ys, 1):
        if isinstance(yi, bool) or not isinstance(yi, (Value, numbers.Real)) or _number(yi) not in (1, -1):
            raise ValueError(_("hinge_loss: label {i} is {value}, but the labels must be +1 or "
                               "−1 (0/1 labels y become ±1 as 2y − 1)", i=i, value=repr(yi)))
    scores = [si if isinstance(si, Value) else Value(si) for si in scores]    # a number: a constant
    losses = [(1 + -yi * si).relu() for yi, si in zip(ys, scores)]     # the demo's exact floats
    return _total(losses) * (1.0 / len(losses))


def cross_entropy(logits, target):
    """L = −ln softmax(s)_t = ln Σᵢ e^(sᵢ − m) − (s_t − m),  m = max sᵢ (a constant, for stability).

    A term with e^(sᵢ − m) = 0 in floating point (sᵢ ~745 or more below the max) adds nothing to
    the sum nor to any gradient, and sᵢ − m may not even be a float (−1e308 − 1e308): it is left
    out of the graph (the target's never is).
    """
    s = _as_list(logits)
    if not s:
        raise ValueError(_("cross_entropy: no logits"))
    try:
        t = -1 if isinstance(target, bool) else operator.index(target)   # True is not class 1
    except TypeError:
        t = -1
    if not 0 <= t < len(s):
        raise ValueError(_("cross_entropy: the target must be a class index 0…{last}, not "
                           "{value}", last=len(s) - 1, value=repr(target)))
    m = max(_number(si) for si in s)
    shifted = [si - m if i == t or math.exp(_number(si) - m) > 0.0 else None    # e^(s−m) ≤ 1
               for i, si in enumerate(s)]
    total = _total([v.exp() if isinstance(v, Value) else Value(v).exp()
                    for v in shifted if v is not None])
    return total.log() - shifted[t]


def mean(values):
    """(1/n) Σᵢ vᵢ  — e.g. a mini-batch's loss, so that backward averages the gradient over it."""
    values = _as_list(values)
    if not values:
        raise ValueError(_("mean: no values to average"))
    return _total(values) * (1.0 / len(values))


class LogSumExp(Op):
    """out = ln Σᵢ e^(sᵢ), computed as m + ln Σᵢ e^(sᵢ − m) with m = max s (nothing overflows);
    ∂out/∂sᵢ = e^(sᵢ − out) = softmax(s)ᵢ"""
    symbol = 'ln Σ exp'

    def forward(*s):
        m = max(s)
        return m + math.log(sum([math.exp(si - m) for si in s]))

    def local_grads(*s):
        out = s[-1]
        return tuple([math.exp(si - out) for si in s[:-1]])


def softmax_cross_entropy(logits, y):
    """L = ln Σᵢ e^(sᵢ) − Σᵢ yᵢ·sᵢ  = −ln softmax(s)_t  for a one-hot target y (1 at t);
    ∂L/∂sᵢ = softmax(s)ᵢ − yᵢ.  The label enters as numbers, so the graph is the same for every
    label (one ln Σ exp node, one Σ node): a compiled replay can be fed any target."""
    s, y = _pair(logits, y, 'softmax_cross_entropy', N_('logits'),
                 N_('target numbers'))
    s = [si if isinstance(si, Value) else Value(si) for si in s]
    return LogSumExp.apply(*s) - weighted_sum(y, s, 0.0)


# --- helpers ---------------------------------------------------------------------------------

def _as_list(x):
    return [x] if isinstance(x, Value) or not hasattr(x, '__iter__') else list(x)


def _number(x):
    return x.data if isinstance(x, Value) else x


def _pair(a, y, name, what_a, what_y):
    a, y = _as_list(a), _as_list(y)
    if len(a) != len(y):
        raise ValueError(_("{name}: {na} {what_a} but {ny} {what_y}; they must pair up one to "
                           "one", name=name, na=len(a), what_a=_(what_a), ny=len(y),
                           what_y=_(what_y)))
    if not a:
        raise ValueError(_("{name}: no {what_a} to compare", name=name, what_a=_(what_a)))
    return a, y


def _sum_of_squares(a, y, name):
    a, y = _pair(a, y, name, N_('activations'), N_('targets'))
    return _total([(aj - yj) ** 2 for aj, yj in zip(a, y)])


def _total(terms):
    """t₁ + t₂ + … without the extra constant 0 node that Python's sum() starts from."""
    total = terms[0]
    for t in terms[1:]:
        total = total + t
    return total if isinstance(total, Value) else Value(total)
