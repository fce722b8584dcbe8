"""Reading answers: plain floats and tuples, or _Bad saying what was wrong; and when two agree."""
import math
import numbers

from micrograd import Value
from micrograd.i18n import N_, _, ngettext

RTOL, ATOL = 1e-6, 1e-9


RULE = N_("A number is right within a relative 1e-6, or when rounded to 4 or more significant "
        "figures it equals the exact answer rounded the same way (-0.1216 for -0.12157…; "
        "0.235 counts as 0.2350).")


def close(answer, expected):
    """|answer − expected| ≤ ATOL + RTOL·|expected|"""
    return abs(answer - expected) <= ATOL + RTOL * abs(expected)


def agree(answer, expected):
    """close(), or: answer is expected rounded to n ≥ 4 significant figures, n as written (a float
    cannot show trailing zeros, so 0.235 is also 0.2350)."""
    if close(answer, expected):
        return True
    n = max(significant_figures(answer), 4)
    if answer == 0 or not math.isfinite(answer):
        return False
    unit = 10.0 ** (math.floor(math.log10(abs(answer))) - n + 1)     # the last figure's place
    return abs(answer - expected) <= unit / 2 * (1 + 1e-9)          # ties may round either way


def significant_figures(x):
    """The figures of x as written, which for a float is its shortest repr: 4 for -0.1216."""
    if not math.isfinite(x):
        return 0
    mantissa = repr(abs(float(x))).split('e')[0]
    return len(mantissa.replace('.', '').strip('0'))


class _Bad(Exception):
    """An answer of the wrong form (type, length, shape, NaN): the message says what it was."""


def _kind(x, lang=None):
    """What the learner gave, in words: 'a list of 3 items', 'the text 'abc'', 'an int'."""
    if x is None:
        return "None"
    if x is Ellipsis:
        return _("no answer (…)", lang)
    if isinstance(x, str):
        return _("the text {text}", lang, text=repr(x[:30]))
    if isinstance(x, (list, tuple)):
        return ngettext("a {type} of {n} item", "a {type} of {n} items", len(x), lang,
                        type=type(x).__name__)
    name = type(x).__name__
    if name[0].lower() in 'aeiou':
        return _("an {type}", lang, type=name)
    return _("a {type}", lang, type=name)


def _plain(x):
    return x.tolist() if hasattr(x, 'tolist') else x    # numpy arrays and scalars, without numpy


def _number(x, what=None, lang=None):
    x = _plain(x)
    what = _("the answer", lang) if what is None else what
    if x is Ellipsis:
        raise _Bad(_("{what} has no answer yet (…)", lang, what=what))
    if isinstance(x, Value):
        raise _Bad(_("{what} is a Value ({value}); give its number, e.g. v.grad", lang, what=what,
                     value=repr(x)))
    if isinstance(x, str):
        raise _Bad(_("{what} is {kind}; write the number without quotes", lang, what=what,
                     kind=_kind(x, lang)))
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise _Bad(_("{what} is {kind}, not a number", lang, what=what, kind=_kind(x, lang)))
    x = float(x)
    if not math.isfinite(x):
        raise _Bad(_("{what} is {x}, but a gradient here is a finite number", lang, what=what,
                     x=x))
    return x


def _vector(n):
    def read(x, lang=None):
        x = _plain(x)
        if not isinstance(x, (list, tuple)):
            raise _Bad(_("the answer is {kind}, not a list of numbers", lang, kind=_kind(x, lang)))
        if len(x) != n:
            raise _Bad(_("the answer has {count} numbers, not {n}", lang, count=len(x), n=n))
        return tuple(_number(v, _("entry {i}", lang, i=i), lang) for i, v in enumerate(x, 1))
    return read


def _matrix(x, lang=None):
    rows = _plain(x)
    if not isinstance(rows, (list, tuple)) or not rows:
        raise _Bad(_("the answer is {kind}, not a list of rows", lang, kind=_kind(rows, lang)))
    rows = [_plain(r) for r in rows]
    if not all(isinstance(r, (list, tuple)) and r for r in rows) or len({len(r) for r in rows}) > 1:
        raise _Bad(_("the rows are not all lists of the same length", lang))
    return tuple(tuple(_number(v, _("entry ({i}, {k})", lang, i=i, k=k), lang)
                       for k, v in enumerate(r, 1)) for i, r in enumerate(rows, 1))


def _dims(x, lang=None):
    x = _plain(x)
    if not isinstance(x, (list, tuple)) or not x:
        raise _Bad(_("the answer is {kind}, not a shape tuple like (rows, columns)", lang,
                     kind=_kind(x, lang)))
    if len(x) > 2:
        raise _Bad(_("the answer has {count} sizes, but a gradient here has at most two", lang,
                     count=len(x)))
    for d in x:
        if isinstance(d, bool) or not isinstance(d, numbers.Real) or not math.isfinite(d) \
                or d != int(d) or d < 1:
            raise _Bad(_("{size} is not a size (a whole number ≥ 1)", lang, size=f"{d!r:.20}"))
    return tuple(int(d) for d in x)


def _shape(x):
    """() for a number, (n,) for a list, (rows, columns) for a matrix."""
    return (len(x),) + _shape(x[0]) if isinstance(x, tuple) and x else ()


def _same(a, b):
    if isinstance(a, tuple) or isinstance(b, tuple):
        return (isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b)
                and all(map(_same, a, b)))
    return a == b if isinstance(a, str) or isinstance(b, str) else agree(a, b)


def _labels(x, lang=None):
    if isinstance(x, str) or not isinstance(x, (list, tuple)):
        raise _Bad(_("the answer is {kind}, not a list of labels", lang, kind=_kind(x, lang)))
    bad = [v for v in x if not isinstance(v, str)]
    if bad:
        raise _Bad(_("{kind} is not a label; labels are strings like 'x1'", lang,
                     kind=_kind(bad[0], lang)))
    return list(x)


def _pair(x, lang=None):
    x = _plain(x)
    if not isinstance(x, (list, tuple)) or len(x) != 2:
        raise _Bad(_("the answer is {kind}, not a pair", lang, kind=_kind(x, lang)))
    k, v = x
    if isinstance(k, bool) or not isinstance(k, numbers.Real) or not math.isfinite(k) \
            or k != int(k):
        raise _Bad(_("the line number is {kind}, not a whole number", lang, kind=_kind(k, lang)))
    if not isinstance(v, str):
        raise _Bad(_("the node is {kind}; give its label as a string like 'q'", lang,
                     kind=_kind(v, lang)))
    return int(k), v
