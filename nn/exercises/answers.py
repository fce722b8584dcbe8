"""Reading answers: plain floats and tuples, or _Bad saying what was wrong; and when two agree."""
import math
import numbers

from micrograd import Value

RTOL, ATOL = 1e-6, 1e-9


RULE = ("A number is right within a relative 1e-6, or when rounded to 4 or more significant "
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


def _kind(x):
    if x is None:
        return "None"
    if x is Ellipsis:
        return "no answer (…)"
    if isinstance(x, str):
        return f"the text {x[:30]!r}"
    if isinstance(x, (list, tuple)):
        return f"a {type(x).__name__} of {len(x)} item{'s' * (len(x) != 1)}"
    name = type(x).__name__
    return f"{'an' if name[0].lower() in 'aeiou' else 'a'} {name}"


def _plain(x):
    return x.tolist() if hasattr(x, 'tolist') else x    # numpy arrays and scalars, without numpy


def _number(x, what='the answer'):
    x = _plain(x)
    if x is Ellipsis:
        raise _Bad(f"{what} has no answer yet (…)")
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
    return a == b if isinstance(a, str) or isinstance(b, str) else agree(a, b)


def _labels(x):
    if isinstance(x, str) or not isinstance(x, (list, tuple)):
        raise _Bad(f"the answer is {_kind(x)}, not a list of labels")
    bad = [v for v in x if not isinstance(v, str)]
    if bad:
        raise _Bad(f"{_kind(bad[0])} is not a label; labels are strings like 'x1'")
    return list(x)


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
