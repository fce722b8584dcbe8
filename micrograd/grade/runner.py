"""Run the checks on a learner's engine in a subprocess, with a time limit per check and a memory
limit: their code may loop, recurse or allocate without end, and none of it runs in our process.

The parent sends the sources as JSON on the child's stdin; the child (this file, run as a script
with `python -I`) sends one JSON line per check on a pipe of its own, so that the learner's prints
cannot garble the answers. A check with no answer within the time limit is stopped and reported
as ✗; the child is then restarted for the checks after it.
"""
import json
import os
import select
import signal
import subprocess
import sys
import time

TIMEOUT, MEMORY_MB = 3.0, 1024
CHILD_ENV = 'MICROGRAD_GRADING'        # set in the child: grade() called by their code does nothing


class LoadError(Exception):
    """The learner's file or class cannot be loaded (the message says why)."""


def run(pieces, class_name, names, timeout=TIMEOUT, memory_mb=MEMORY_MB):
    """{check name: result dict} for the checks `names`, run on `class_name` from `pieces`
    [(file name, source)], each check within `timeout` seconds."""
    results, todo = {}, list(names)
    while todo:
        done = _session(pieces, class_name, todo, timeout, memory_mb)
        results.update(done)
        todo = [n for n in todo if n not in results]
    return results


def _session(pieces, class_name, names, timeout, memory_mb):
    """One child: the results it gave before it finished, died or ran out of time."""
    read, write = os.pipe()
    env = dict(os.environ, **{CHILD_ENV: '1'})
    child = subprocess.Popen(
        [sys.executable, '-I', os.path.abspath(__file__), str(write)], pass_fds=(write,),
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
        start_new_session=True)     # its own process group: stopping it stops all it started
    os.close(write)
    try:
        request = dict(pieces=pieces, class_name=class_name, checks=names, memory_mb=memory_mb,
                       cpu_seconds=timeout * len(names) + 10)
        try:
            child.stdin.write(json.dumps(request).encode())
            child.stdin.close()
        except BrokenPipeError:
            pass
        lines = _Lines(read)
        first = lines.next(timeout + 2.0)    # + Python's start-up
        if first is None or 'load_error' in first:
            raise LoadError(_load_failure(first, child, timeout))
        results = {}
        for name in names:
            answer = lines.next(timeout)
            if answer is None:
                results[name] = _stopped(child, timeout)
                break
            results[name] = answer
        return results
    finally:
        _stop(child)
        os.close(read)


class _Lines:
    """JSON lines from a pipe, each awaited for at most a given time (None: none came)."""

    def __init__(self, fd):
        self.fd, self.buffer = fd, b''

    def next(self, timeout):
        deadline = time.monotonic() + timeout
        while b'\n' not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.fd], [], [], left)[0]:
                return None
            chunk = os.read(self.fd, 65536)
            if not chunk:
                return None
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b'\n', 1)
        return json.loads(line)


def _stop(child):
    if child.poll() is None:
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    child.wait()
    child.stderr.close()


def _stopped(child, timeout):
    """The result of a check that gave no answer: it ran out of time, or the process died.
    (English, marked as checks.py marks its texts: the parent translates every result.)"""
    from .checks import N_
    if child.poll() is None:
        return dict(status='fail', expected=N_("an answer within {timeout} s",
                                               timeout=f"{timeout:g}"),
                    got=N_("none: the check was stopped"),
                    cause=N_("the code never finished: a loop that does not end (in a "
                             "_backward, or a topological sort that revisits nodes)."))
    code = child.returncode
    how = (N_("signal {name}", name=signal.Signals(-code).name) if code < 0
           else N_("exit code {code}", code=code))
    return dict(status='fail', expected=N_("an answer"),
                got=N_("none: the process died ({how})", how=how),
                cause=N_("the code crashed Python: a recursion too deep for the C stack (a "
                         "raised sys.setrecursionlimit), memory beyond the limit, or os._exit."))


def _load_failure(first, child, timeout):
    from ..i18n import _
    from .report import translated
    if first is not None:
        return translated(first['load_error']) + (f"\n{first['traceback']}"
                                                  if first.get('traceback') else '')
    if child.poll() is None:
        return _("loading it took more than {timeout} s (does the file run a loop when imported?)",
                 timeout=f"{timeout:g}")
    _stop(child)
    return _("the grading process failed to start:\n{stderr}",
             stderr=child.stderr.read().decode(errors='replace')[-2000:])


# --- the child -----------------------------------------------------------------------------------

def _child(fd):
    import importlib.util
    import linecache
    import resource
    import types
    out = os.fdopen(fd, 'w', buffering=1)
    request = json.load(sys.stdin)
    sys.stdin = open(os.devnull)
    limit = request['memory_mb'] << 20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    cpu = int(request['cpu_seconds'])        # a backstop should the parent die and never stop us
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    spec = importlib.util.spec_from_file_location(
        '_micrograd_grade_checks',
        os.path.join(os.path.dirname(os.path.abspath(__file__)), 'checks.py'))
    checks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(checks)
    N_ = checks.N_
    files = {name for name, _ in request['pieces']}

    def send(**answer):
        out.write(json.dumps(answer) + '\n')

    module = types.ModuleType('learner_engine')
    sys.modules['learner_engine'] = module
    try:
        for name, source in request['pieces']:
            linecache.cache[name] = (len(source), None, source.splitlines(True), name)
            exec(compile(source, name, 'exec'), module.__dict__)
    except BaseException as e:
        return send(load_error=N_("{files} cannot be run: {error}", files=' + '.join(sorted(files)),
                                  error=f"{type(e).__name__}: {e}"),
                    traceback=_their_traceback(e, files))
    V = module.__dict__.get(request['class_name'])
    if not isinstance(V, type):
        classes = [k for k, v in vars(module).items() if isinstance(v, type) and v.__module__ ==
                   'learner_engine']
        return send(load_error=N_("there is no class named {name} in {files} (its classes: "
                                  "{classes})", name=repr(request['class_name']),
                                  files=', '.join(sorted(files)),
                                  classes=', '.join(classes) or N_('none')))
    send(loaded=True)
    by_name = {name: f for name, _, _, f in checks.CHECKS}
    for name in request['checks']:
        send(**_one(checks, by_name[name], V, files))


def _one(checks, f, V, files):
    N_ = checks.N_
    try:
        note = f(V)
    except checks.NotYet as e:
        return dict(status='not yet', got=e.args[0])        # a text as checks.N_ marks it
    except NotImplementedError as e:     # a blank still to fill, wherever the check met it
        return dict(status='not yet', got=f"NotImplementedError{': ' + str(e) if str(e) else ''}")
    except checks.Fail as e:
        return dict(status='fail', expr=e.expr, expected=e.expected, got=e.got, cause=e.cause,
                    traceback=_their_traceback(e.error, files) if e.error else '')
    except BaseException as e:           # the learner's code, outside an attempt(): never ✓
        return dict(status='fail', got=f"{type(e).__name__}: {e}",
                    cause=N_("your code raised an exception (its traceback is below)."),
                    traceback=_their_traceback(e, files))
    return dict(status='note', got=note) if note else dict(status='pass')


def _their_traceback(e, files):
    """The traceback of e trimmed to the learner's own lines; a run of one repeated line folded."""
    import traceback
    frames = [f for f in traceback.extract_tb(e.__traceback__) if f.filename in files]
    lines, last, repeats = [], None, 0
    for f in frames:
        key = (f.filename, f.lineno, f.name)
        if key == last:
            repeats += 1
            continue
        if repeats:
            lines.append(f"  [the line above repeated {repeats} more times]")
        last, repeats = key, 0
        lines.append(f'  File "{f.filename}", line {f.lineno}, in {f.name}\n'
                     f'    {(f.line or "").strip()}')
    if repeats:
        lines.append(f"  [the line above repeated {repeats} more times]")
    head = "Traceback (your code only):\n" if lines else ""
    return head + "\n".join(lines) + ("\n" if lines else "") + f"{type(e).__name__}: {e}"


if __name__ == '__main__':
    _child(int(sys.argv[1]))
