"""grade(Value): check a learner's own engine, written the lecture's way, for the classic mistakes.

    checks.py   the checks, one small function each, in the lecture's order
    runner.py   the subprocess that runs them: a time limit per check, a memory limit
    report.py   the verdict as text (✓ / ✗) and as HTML for Jupyter

Only the class's source goes to the subprocess, never the class itself: a class in a module file
is graded from that file; a class defined in a notebook cell from that cell, and from the cells
that later assigned methods to it (`Value.tanh = tanh`) — IPython keeps cell sources in linecache.
A class whose source cannot be found (typed at a plain `python` prompt, or made by `type()`)
cannot be graded: define it in a file or a notebook cell. A module's file is run on its own, so its
relative imports (`from .x import y`) fail, and in a notebook only the cells named above are sent:
the imports they need (`import math`) must be in those cells.
"""
import inspect
import linecache
import os
import sys

from ..i18n import _
from .checks import CHECKS
from .report import TEXTS, Outcome, Report, translated
from .runner import CHILD_ENV, MEMORY_MB, TIMEOUT, LoadError, run

__all__ = ['grade', 'grade_file', 'Report', 'Outcome', 'LoadError', 'CHECKS']


def grade(ValueClass, *, timeout=TIMEOUT, memory_mb=MEMORY_MB):
    """Run every check on ValueClass in a subprocess; a Report (✓ / ✗ / not yet for each check).

    Raises LoadError if its source cannot be found or does not run on its own."""
    if os.environ.get(CHILD_ENV):           # called by the learner's own code while being graded
        return None
    pieces = _sources(ValueClass)
    where = ", ".join(name for name, _ in pieces)
    return _grade(pieces, ValueClass.__name__, _("{cls} from {where}", cls=ValueClass.__name__,
                                                 where=where), timeout, memory_mb)


def grade_file(path, class_name='Value', *, timeout=TIMEOUT, memory_mb=MEMORY_MB):
    """grade() for the class `class_name` in the Python file at `path` (which is never imported
    here: it runs only in the subprocess)."""
    try:
        with open(path, encoding='utf-8') as f:
            source = f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise LoadError(_("cannot read {path}: {error}", path=path,
                          error=e.strerror if isinstance(e, OSError) else e)) from None
    return _grade([(path, source)], class_name, _("{cls} from {where}", cls=class_name, where=path),
                  timeout, memory_mb)


def _grade(pieces, class_name, source, timeout, memory_mb):
    results = run(pieces, class_name, [name for name, *_ in CHECKS], timeout, memory_mb)
    return Report(source, [Outcome(name, _(title), translated(read),
                                   **{k: translated(v) if k in TEXTS else v
                                      for k, v in results[name].items()})
                           for name, title, read, _f in CHECKS])


def _sources(cls):
    """[(file name, source)]: the module file of cls, or the notebook cells that define it."""
    if not isinstance(cls, type):
        raise TypeError(_("grade() takes your Value class itself (grade(Value)), not {type} "
                          "{value}", type=type(cls).__name__, value=f"{cls!r:.40}"))
    files = []                              # the class's cell, then the cells that patched it
    for attr in vars(cls).values():
        code = getattr(getattr(attr, '__func__', attr), '__code__', None)
        if code is not None and code.co_filename not in files:
            files.append(code.co_filename)
    module = sys.modules.get(cls.__module__)
    path = getattr(module, '__file__', None)
    if path and path in files and os.path.isfile(path):     # a module (or script) file
        return [(path, inspect.getsource(module))]
    pieces = [(_cell_name(name), ''.join(linecache.getlines(name))) for name in files]
    if not pieces or not all(source for _, source in pieces):
        raise LoadError(_("cannot find the source of {cls}: grade() sends your code to a "
                          "separate process, so the class must be defined in a file or a "
                          "notebook cell", cls=cls.__name__))
    return pieces



def _cell_name(filename):
    """'Cell In[3]' for a notebook cell's file, as IPython names it in tracebacks."""
    ipython = getattr(sys.modules.get('IPython'), 'get_ipython', lambda: None)()
    try:
        kind, number = ipython.compile.format_code_name(filename)
        return f"{kind} {number}".strip().rstrip(',')
    except Exception:           # not IPython, an older one, or not a cell: the file name as it is
        return filename
