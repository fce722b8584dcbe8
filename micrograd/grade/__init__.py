"""grade(Value): check a learner's own engine, written the lecture's way, for the classic mistakes.

    checks/     the checks, one small function each, in the lecture's order (a module per idea)
    runner.py   the subprocess that holds their objects and answers requests on them, with a
                time limit per check and a memory limit; the checks judge here, in our process
                (child.py is that subprocess, remote.py the stand-ins for its objects,
                limits.py the limits)
    report.py   the verdict as text (✓ / ✗ / ⚠ …) and as HTML for Jupyter

Only the class's source goes to the subprocess, never the class itself: a class in a module file
is graded from that file; a class of a script or a notebook cell from the definitions of that
script, or of that cell and of the cells that later assigned methods to it (`Value.tanh = tanh`;
IPython keeps cell sources in linecache), with the imports of the notebook's cells before them.
A class whose source cannot be found (typed at a plain `python` prompt, or made by `type()`)
cannot be graded: define it in a file or a notebook cell. A module's file is run on its own, so its
relative imports (`from .x import y`) fail.
"""
import inspect
import linecache
import os
import stat
import sys

from ..i18n import _
from .checks import CHECKS, Fail, Limit, NotYet, Skip
from .report import TEXTS, Outcome, Report, translated
from .runner import (CHILD_ENV, MEMORY_MB, N_, TIMEOUT, Died, LoadError, Raised, Session,
                     Stopped, died, stopped, validate)

__all__ = ['grade', 'grade_file', 'Report', 'Outcome', 'LoadError', 'CHECKS']

MAX_BYTES = 1 << 20         # an engine is a few kB; a bigger "file" is not one


def grade(ValueClass, *, timeout=TIMEOUT, memory_mb=MEMORY_MB):
    """Run every check on ValueClass, whose code runs in a subprocess; a Report (✓ / ✗ / not yet
    for each check).

    Raises LoadError if its source cannot be found or does not run on its own."""
    if os.environ.get(CHILD_ENV):           # called by the learner's own code while being graded
        return None
    validate(timeout, memory_mb)
    pieces = _sources(ValueClass)
    where = ", ".join(name for name, *_ in pieces if name != NOTEBOOK_IMPORTS)
    return _grade(pieces, ValueClass.__name__, _("{cls} from {where}", cls=ValueClass.__name__,
                                                 where=where), timeout, memory_mb)


def grade_file(path, class_name='Value', *, timeout=TIMEOUT, memory_mb=MEMORY_MB):
    """grade() for the class `class_name` in the Python file at `path` (which is never imported
    here: it runs only in the subprocess)."""
    validate(timeout, memory_mb)
    return _grade([(path, _read(path))], class_name,
                  _("{cls} from {where}", cls=class_name, where=path), timeout, memory_mb)


def _read(path):
    """The text of a Python file, decoded as Python would (a BOM, a coding cookie); only a regular
    file of at most MAX_BYTES (never a pipe or a device, which could block or never end)."""
    import importlib.util
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise LoadError(_("cannot read {path}: not a regular file", path=path))
            if info.st_size > MAX_BYTES:
                raise LoadError(_("cannot read {path}: {size} bytes, more than an engine's "
                                  "{limit}", path=path, size=info.st_size, limit=MAX_BYTES))
            with os.fdopen(fd, 'rb') as f:
                fd = None
                source = f.read(MAX_BYTES + 1)
        finally:
            if fd is not None:
                os.close(fd)
        return importlib.util.decode_source(source)
    except OSError as e:
        raise LoadError(_("cannot read {path}: {error}", path=path, error=e.strerror)) from None
    except (UnicodeDecodeError, SyntaxError, LookupError) as e:     # a bad coding cookie
        raise LoadError(_("cannot read {path}: {error}", path=path, error=e)) from None


def _grade(pieces, class_name, source, timeout, memory_mb):
    results = _run(pieces, class_name, timeout, memory_mb)
    return Report(source, [Outcome(name, _(title), translated(read),
                                   **{k: translated(v) if k in TEXTS else v
                                      for k, v in results[name].items() if k != 'error'})
                           for name, title, read, _f in CHECKS])


def _run(pieces, class_name, timeout, memory_mb):
    """{check name: result}, each check in a child that has their code loaded; a check that ran
    out of time or killed its child leaves the next one a fresh child."""
    results, seen, session = {}, {}, None
    try:
        for name, _title, _read, f in CHECKS:
            if session is None:
                session = Session(pieces, class_name, timeout, memory_mb)
            try:
                getattr(f, 'prepare', lambda: None)()    # our own work, before their clock
                session.start()
                results[name] = _one(f, session.V, seen)
            except (Stopped, Died) as e:
                results[name] = stopped(timeout) if isinstance(e, Stopped) else died(e.args[0])
                session.close()
                session = None
            seen[name] = results[name]['status']
            _root_cause(name, results)
    finally:
        if session is not None:
            session.close()
    return results


def _one(f, V, seen):
    try:
        note = f(V, seen)
    except NotYet as e:
        return dict(status='not yet', got=e.args[0])        # a text as N_ marks it
    except Skip as e:
        return dict(status='skipped', got=e.args[0])
    except Fail as e:
        return dict(status='limit' if isinstance(e, Limit) else 'fail', expr=e.expr,
                    expected=e.expected, got=e.got, cause=e.cause,
                    traceback=e.error.traceback if e.error else '',
                    error=e.error.text if e.error else '')
    except Raised as e:                 # their code, outside an attempt(): never ✓
        if e.is_a('NotImplementedError'):
            return dict(status='not yet', got=e.text)
        return dict(status='fail', got=e.text, traceback=e.traceback, error=e.text,
                    cause=N_("your code raised an exception (its traceback is below)."))
    return dict(status='note', got=note) if note else dict(status='pass')


def _root_cause(name, results):
    """One mistake, one ✗: a check that fails with the same exception as an earlier ✗ is not
    counted again, nor one that fails after ✗ backward (every later check relies on + and *
    passing gradients on), nor the random inputs after any ✗: each points at that ✗."""
    result = results[name]
    if result['status'] != 'fail':
        return
    failed = [n for n, r in results.items() if n != name and r['status'] == 'fail']
    same = [n for n in failed if result.get('error') and results[n].get('error') == result['error']]
    if same:
        results[name] = dict(status='skipped', got=N_(
            "not checked: the same {error} as ✗ {check} above", error=result['error'],
            check=same[0]))
    elif 'backward' in failed or (failed and name == 'random'):
        results[name] = dict(status='skipped', got=N_(
            "fails too, most likely for the mistake ✗ {check} shows above: fix that first, "
            "then grade again", check='backward' if 'backward' in failed else failed[0]))


NOTEBOOK_IMPORTS = 'the imports of earlier cells'


def _sources(cls):
    """[(file name, source, kind)]: the module file of cls, or the notebook cells that define it.
    A script's or a cell's source is sent as 'definitions' (its imports, defs, classes and plain
    assignments: not the grade(Value) call, nor the work around it); a notebook's earlier cells
    give their imports ('imports': `import math` in a cell of its own)."""
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
        source = inspect.getsource(module)
        if cls.__module__ == '__main__':
            return [(path, source, 'definitions')]
        if getattr(module, '__package__', None):    # a package's module: imported as itself there
            return [(path, source, 'package', cls.__module__)]
        return [(path, source)]
    pieces = [(_cell_name(name), ''.join(linecache.getlines(name)), 'definitions')
              for name in files]
    if not pieces or not all(source for _, source, _kind in pieces):
        raise LoadError(_("cannot find the source of {cls}: grade() sends your code to a "
                          "separate process, so the class must be defined in a file or a "
                          "notebook cell", cls=cls.__name__))
    imports = _notebook_imports()
    return ([(NOTEBOOK_IMPORTS, imports, 'imports')] if imports else []) + pieces


def _notebook_imports():
    """The import statements of every cell run so far in this IPython kernel, as one source."""
    import ast
    ipython = getattr(sys.modules.get('IPython'), 'get_ipython', lambda: None)()
    lines = []
    for cell in (getattr(ipython, 'user_ns', None) or {}).get('In', ()):
        try:
            tree = ast.parse(cell)
        except (SyntaxError, ValueError, TypeError):
            continue
        lines += [ast.get_source_segment(cell, s) for s in tree.body
                  if isinstance(s, (ast.Import, ast.ImportFrom))]
    return '\n'.join(line for line in lines if line)


def _cell_name(filename):
    """'Cell In[3]' for a notebook cell's file, as IPython names it in tracebacks."""
    ipython = getattr(sys.modules.get('IPython'), 'get_ipython', lambda: None)()
    try:
        kind, number = ipython.compile.format_code_name(filename)
        return f"{kind} {number}".strip().rstrip(',')
    except Exception:           # not IPython, an older one, or not a cell: the file name as it is
        return filename
