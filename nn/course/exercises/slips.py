"""Slips: what each common mistake would make of the right answer, and the hint that names it."""
import math
from itertools import combinations

from micrograd.i18n import N_, _
from .answers import _same

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


def _slips(answer, *rules, lang=None):
    """[(what the slip gives, its hint)] for each rule (slip, hint) and each pair of them."""
    out = [(slip(answer), hint) for slip, hint in rules]
    for (f, s), (g, t) in combinations(rules, 2):   # transposition last: rules list it last
        out.append((g(f(answer)), _("Two slips. {first} And: {second}", lang, first=s, second=t)))
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
_SIGN = N_("Check the sign: ∂/∂a of (a − y)² is 2(a − y), not 2(y − a); a cost grows when a moves "
        "away from y.")
_SIGN_HALF = N_("Check the sign: ∂/∂a of ½Σ(a − y)² is a − y, not y − a; a cost grows when a moves "
              "away from y.")
_HALF_3B1B = N_("Factor of 2: C0 = (a − y)² has no ½ in front, so ∂C0/∂a = 2(a − y) — the 2 stays. "
             "(Nielsen's ½(a − y)² is the one whose 2 cancels.)")
_TWICE = N_("Factor of 2: the 2 from differentiating the square appears once; you have it twice.")
_HALF_NIELSEN = N_("Factor of 2: Nielsen's C = ½Σ(a − y)² has a ½ that cancels the 2 of the square, "
                "so ∂C/∂a = a − y with no 2.")
_HALVED = N_("Factor of 2: the ½ of C = ½(a − y)² is used up cancelling the 2; don't halve again.")


def _sigma_not_slope(z, lang=None):
    """The hint for σ(z) where the chain needs the slope σ'(z)."""
    return _("Use the slope σ'(z{z}) = σ(z{z})(1 − σ(z{z})), not σ(z{z}) itself.", lang, z=z)


def _missing_sigma_prime(z, lang=None):
    return _("Missing σ'(z{z}): a = σ(z{z}) lies between z{z} and the cost, so the chain needs its "
             "slope σ'(z{z}) = σ(z{z})(1 − σ(z{z})).", lang, z=z)
