"""The argument checks nn shares, so that every function means the same by "a size" or "a number".

A size is an int or a numpy integer (anything with __index__), never a bool: True is not 1 layer.
"""
import math
import numbers
import operator

from micrograd.i18n import _

__all__ = ['integer', 'size', 'is_number', 'finite']


def integer(x):
    """x as an int if it is an integer (a numpy one too) and not a bool; else None."""
    if isinstance(x, bool) or type(x).__name__ == 'bool_':         # numpy's bool, too
        return None
    try:
        return operator.index(x)
    except TypeError:
        return None


def size(x, what, at_least=1, **fields):
    """x as an int ≥ at_least, or a ValueError saying `what` had to be (`what`: an English id of
    the catalog, its {fields} filled in, translated only if there is an error)."""
    n = integer(x)
    if n is None or n < at_least:
        raise ValueError(_("{what} must be an integer ≥ {at_least}, not {value}",
                           what=_(what, **fields), at_least=at_least, value=repr(x)))
    return n


def is_number(x):
    """A real number that is not a bool."""
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def finite(x, what, at_least=-math.inf):
    """x if it is a finite number ≥ at_least, else a ValueError saying `what` had to be."""
    if not (is_number(x) and at_least <= x < math.inf):
        if at_least == -math.inf:
            raise ValueError(_("{what} must be a finite number, not {value}", what=_(what),
                               value=repr(x)))
        raise ValueError(_("{what} must be a finite number ≥ {at_least}, not {value}",
                           what=_(what), at_least=f"{at_least:g}", value=repr(x)))
    return x
