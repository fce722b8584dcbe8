"""The limits of a grading: the time a check may take, the memory and CPU the child may use, and
the results of a check that ran out of time or whose process died."""
import math

from .child import N_

TIMEOUT, MEMORY_MB = 3.0, 1024
STARTUP = 30.0          # Python's own start-up, before their code: generous on a busy machine


def validate(timeout, memory_mb):
    """The limits, checked before anything runs (a ValueError naming the bad one)."""
    from ..i18n import _
    if (isinstance(timeout, bool) or not isinstance(timeout, (int, float))
            or not math.isfinite(timeout) or not 0 < timeout <= 3600):
        raise ValueError(_("grade: timeout must be a number of seconds above 0 and at most 3600, "
                           "not {value}", value=repr(timeout)))
    if isinstance(memory_mb, bool) or not isinstance(memory_mb, int) or not 64 <= memory_mb <= 1 << 20:
        raise ValueError(_("grade: memory_mb must be a whole number of megabytes from 64 to "
                           "1048576, not {value}", value=repr(memory_mb)))


def stopped(timeout):
    """The result of a check that gave no answer in time."""
    return dict(status='fail', expected=N_("an answer within {timeout} s", timeout=f"{timeout:g}"),
                got=N_("none: the check was stopped"),
                cause=N_("the code never finished: a loop that does not end (in a "
                         "_backward, or a topological sort that revisits nodes)."))


def died(how):
    """The result of a check whose process died (`how`: a signal or an exit code)."""
    return dict(status='fail', expected=N_("an answer"),
                got=N_("none: the process died ({how})", how=how),
                cause=N_("the code crashed Python: a recursion too deep for the C stack (a "
                         "raised sys.setrecursionlimit), memory beyond the limit, or os._exit."))
