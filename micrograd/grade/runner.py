"""Run a learner's engine in a subprocess and let the checks use it from here, at arm's length.

Their code may loop, recurse, allocate without end, patch builtins, fork or end the process: none
of it runs in our process, and none of our judging runs in theirs. The child (this file, run as a
script with `python -I`) loads their sources and then only answers requests — build this, add
these, read that attribute — keeping their objects in a table; the checks (checks.py) run here on
`Remote` stand-ins for those objects and compare the plain numbers that come back. A request with
no answer by the check's deadline stops the child (Stopped), and a child that died says so (Died);
the next check gets a fresh child.
"""
import json
import math
import os
import select
import signal
import subprocess
import sys
import threading
import time

TIMEOUT, MEMORY_MB = 3.0, 1024
STARTUP = 30.0          # Python's own start-up, before their code: generous on a busy machine
CHILD_ENV = 'MICROGRAD_GRADING'        # set in the child: grade() called by their code does nothing


def N_(message, **fields):
    """Mark an English sentence for the catalog (micrograd/locale); with fields, the sentence and
    its fields as [message, fields], which report.translated fills in, translated."""
    return [message, fields] if fields else message


class LoadError(Exception):
    """The learner's file or class cannot be loaded (the message says why)."""


class Stopped(BaseException):
    """No answer within the check's time: the child is stopped. (Not an Exception: a check's
    own `except Exception` must not swallow it.)"""


class Died(BaseException):
    """The child ended while working on a request: `how` is 'signal SIGSEGV' / 'exit code 3'."""


class Raised(Exception):
    """Their code raised: `types` are the exception's class names (its MRO), `text` is
    'Type: message', `traceback` their own lines of it."""

    def __init__(self, types, text, traceback):
        super().__init__(text)
        self.types, self.text, self.traceback = types, text, traceback

    def is_a(self, name):
        return name in self.types


class RaisedAttributeError(Raised, AttributeError):
    """Raised, for an attribute that is not there: getattr(x, name, default) and hasattr work."""


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


# --- the parent's side --------------------------------------------------------------------------

class Session:
    """One child with the learner's code loaded; `V` is their class, as a Remote."""

    def __init__(self, pieces, class_name, timeout, memory_mb):
        from ..i18n import _
        self.timeout = timeout
        req_r, req_w = os.pipe()
        ans_r, ans_w = os.pipe()
        self.child = subprocess.Popen(
            [sys.executable, '-I', os.path.abspath(__file__), str(req_r), str(ans_w)],
            pass_fds=(req_r, ans_w), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, env=dict(os.environ, **{CHILD_ENV: '1'}),
            start_new_session=True)     # its own process group: stopping it stops all it started
        os.close(req_r)
        os.close(ans_w)
        self.requests, self.answers = os.fdopen(req_w, 'wb'), _Lines(ans_r)
        self.stderr = _Drain(self.child.stderr)     # read as it comes: a full pipe would block them
        self.remotes = {}
        self.files = ' + '.join(sorted({name for name, *_ in pieces}))
        try:
            self._send(dict(pieces=pieces, class_name=class_name, memory_mb=memory_mb,
                            cpu_seconds=int(timeout * 40 + STARTUP)))
            self._await(STARTUP, _("the grading process failed to start"), None)   # 'ready'
            loaded = self._await(timeout, _("loading {files} took more than {timeout} s (does it "
                                            "run a loop when imported?)", files=self.files,
                                            timeout=f"{timeout:g}"), self.files)
        except BaseException:
            self.close()
            raise
        if 'load_error' in loaded:
            from .report import translated
            self.close()
            raise LoadError(translated(loaded['load_error'])
                            + (f"\n{loaded['traceback']}" if loaded.get('traceback') else ''))
        self.V = self._remote(0)

    def _await(self, seconds, late, files):
        """The next line from the child during loading, or LoadError saying why none came
        (`files`: theirs, that were running; None before their code started)."""
        from ..i18n import _
        from .report import translated
        line = self.answers.next(seconds)
        if line is not None:
            return line
        if not self.answers.eof:
            raise LoadError(late)
        how = translated(self._how())
        self.stderr.join()
        tail = self.stderr.text()
        said = (_("the process ended while running {files} ({how}): does it call os._exit() or "
                  "kill itself when imported?", files=files, how=how) if files else
                _("the grading process failed to start ({how})", how=how))
        raise LoadError(said + (f"\n{tail}" if tail else ''))

    def _how(self):
        try:
            self.child.wait(timeout=2.0)
        except subprocess.TimeoutExpired:       # it closed our pipe but lives on: no more of it
            os.killpg(self.child.pid, signal.SIGKILL)
            self.child.wait()
        code = self.child.returncode
        return (N_("signal {name}", name=signal.Signals(-code).name) if code < 0
                else N_("exit code {code}", code=code))

    def start(self):
        """A new check: its time starts now, and the objects of the last check are let go."""
        self.deadline = time.monotonic() + self.timeout
        self.remotes = {0: self.V}
        self.ask('forget')

    def ask(self, op, *args, **fields):
        """The child's answer to one request: a plain value, a Remote, or Raised."""
        self._send(dict(op=op, args=[_encode(a) for a in args], **fields))
        answer = self.answers.next(self.deadline - time.monotonic())
        if answer is None:
            if not self.answers.eof:
                raise Stopped()
            raise Died(self._how())
        if 'error' in answer:
            e = answer['error']
            kind = RaisedAttributeError if 'AttributeError' in e['types'] else Raised
            raise kind(e['types'], e['text'], e['traceback'])
        return self._decode(answer['ok'])

    def _send(self, request):
        try:
            self.requests.write(json.dumps(request).encode() + b'\n')
            self.requests.flush()
        except (BrokenPipeError, ValueError):       # it died (or closed our pipe)
            raise Died(self._how()) from None

    def _decode(self, value):
        if isinstance(value, dict):
            return ({k: self._decode(v) for k, v in value['d'].items()} if 'd' in value
                    else self._remote(value['h']))
        if isinstance(value, list):
            return [self._decode(v) for v in value]
        return value

    def _remote(self, h):
        if h not in self.remotes:
            self.remotes[h] = Remote(self, h)
        return self.remotes[h]

    def close(self):
        if self.child.poll() is None:
            try:
                os.killpg(self.child.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.child.wait()
        for f in (self.requests, self.answers):
            try:
                f.close()
            except OSError:
                pass
        self.stderr.join()


def _encode(value):
    if isinstance(value, Remote):
        return {'h': object.__getattribute__(value, '_mg_h')}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    return value                    # a number, a str, None: as JSON


class Remote:
    """One of their objects, kept in the child: operators, attributes, calls and iteration go
    there and come back as plain values or other Remotes. Identity is kept: the same object is
    always the same Remote, so `p is a` works."""
    __slots__ = ('_mg_session', '_mg_h')

    def __init__(self, session, h):
        object.__setattr__(self, '_mg_session', session)
        object.__setattr__(self, '_mg_h', h)

    def __getattr__(self, name):
        return _ask(self, 'getattr', self, name=name)

    def __setattr__(self, name, value):
        _ask(self, 'setattr', self, value, name=name)

    def __call__(self, *args):
        return _ask(self, 'call', self, *args)

    def __iter__(self):
        return iter(_ask(self, 'list', self))

    def __float__(self):
        return _ask(self, 'float', self)

    def __neg__(self):
        return _ask(self, 'neg', self)

    def __repr__(self):
        return _ask(self, 'repr', self)

    def __bool__(self):
        return _ask(self, 'bool', self)

    __hash__ = object.__hash__
    __eq__ = object.__eq__


def _operators(name):
    return (lambda self, other: _ask(self, 'binop', self, other, name=name),
            lambda self, other: _ask(self, 'binop', other, self, name=name))


for _name in ('add', 'sub', 'mul', 'truediv', 'pow'):
    _forward, _reflected = _operators(_name)
    setattr(Remote, f'__{_name}__', _forward)
    setattr(Remote, f'__r{_name}__', _reflected)


def _ask(remote, op, *args, **fields):
    return object.__getattribute__(remote, '_mg_session').ask(op, *args, **fields)


# What the checks may ask that Python's own syntax cannot say (functions, not Remote attributes,
# so that no name of ours hides one of theirs):

def has(V, name):
    """callable(getattr(V, name, None)), asked of their class."""
    return _ask(V, 'has', V, name=name)


def containers(v):
    """{attribute: [items]} for each tuple, list, set or frozenset in v's __dict__."""
    return _ask(v, 'containers', v)


def own(v, name):
    """Whether `name` is in v's own __dict__ (the lecture's `out._backward = …`)."""
    return _ask(v, 'own', v, name=name)


def spy(v, label):
    """Replace v._backward with one that notes `label` in the child's log when it runs."""
    _ask(v, 'spy', v, label=label)


def calls(V):
    """The labels the spies noted since the last time (and forget them)."""
    return _ask(V, 'calls')


def chain(V, n):
    """x = V(1.0); y = x; n times: y = y + V(1.0) — built in the child (n requests would be slow);
    [x, y]."""
    return _ask(V, 'chain', n=n)


class _Lines:
    """JSON lines from a pipe, each awaited for at most a given time (None: none came). A line
    that is not JSON (a forked copy of the child writing over it) counts as none."""

    def __init__(self, fd):
        self.fd, self.buffer, self.eof = fd, b'', False

    def next(self, timeout):
        deadline = time.monotonic() + timeout
        while b'\n' not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.fd], [], [], left)[0]:
                return None
            chunk = os.read(self.fd, 1 << 16)
            if not chunk:               # the child closed it: it ended (or closed our pipe)
                self.eof = True
                return None
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b'\n', 1)
        try:
            answer = json.loads(line)
        except ValueError:
            return None
        return answer if isinstance(answer, dict) else None

    def close(self):
        os.close(self.fd)


class _Drain(threading.Thread):
    """Reads the child's stderr as it comes, keeping its last 4 KB (shown if loading fails)."""

    def __init__(self, pipe):
        super().__init__(daemon=True)
        self.pipe, self.tail = pipe, b''
        self.start()

    def run(self):
        try:
            while True:
                chunk = self.pipe.read1(1 << 16)
                if not chunk:
                    break
                self.tail = (self.tail + chunk)[-4096:]
        except (OSError, ValueError):
            pass
        finally:
            self.pipe.close()

    def text(self):
        return self.tail.decode(errors='replace').strip()


# --- the child -----------------------------------------------------------------------------------

def _child(req_fd, ans_fd):
    import ast
    import builtins
    import linecache
    import operator
    import resource
    import traceback
    # Our own references to what we use, taken before their code runs: a module-level name is
    # found here before builtins, so `builtins.abs = …` in their file changes nothing of ours.
    tools = {name: getattr(builtins, name) for name in (
        'isinstance', 'type', 'float', 'int', 'str', 'repr', 'list', 'dict', 'len', 'id', 'getattr',
        'setattr', 'callable', 'vars', 'tuple', 'set', 'frozenset', 'bool', 'range', 'sorted',
        'BaseException', 'Exception', 'SyntaxError', 'ImportError', 'compile', 'exec', 'abs',
        'dir')}
    globals().update(tools, dumps=json.dumps, loads=json.loads, tb_extract=traceback.extract_tb,
                     operators={n: getattr(operator, n) for n in ('add', 'sub', 'mul', 'truediv',
                                                                  'pow', 'neg')})
    me = os.getpid()
    os.register_at_fork(after_in_child=lambda: os._exit(0))     # a fork of theirs ends at once
    requests = os.fdopen(req_fd, 'rb')
    answers = os.fdopen(ans_fd, 'w', buffering=1)
    sys.stdin = open(os.devnull)

    def send(**answer):
        if os.getpid() == me:
            answers.write(dumps(answer) + '\n')

    request = loads(requests.readline())
    limit = request['memory_mb'] << 20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    cpu = request['cpu_seconds']            # a backstop should the parent die and never stop us
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    send(ready=True)
    files = {name for name, *_ in request['pieces']}
    loaded = _load(request['pieces'], files, ast, linecache)
    if 'load_error' in loaded:
        return send(**loaded)
    module = loaded['module']
    V = module.get(request['class_name'])
    if not isinstance(V, type):
        classes = [k for k, v in module.items() if isinstance(v, type)
                   and v.__module__ == 'learner_engine']
        return send(load_error=N_("there is no class named {name} in {files} (its classes: "
                                  "{classes})", name=repr(request['class_name']),
                                  files=', '.join(sorted(files)),
                                  classes=', '.join(classes) or N_('none')))
    send(loaded=True)
    table = _Table(V)
    while True:
        line = requests.readline()
        if not line:
            os._exit(0)
        try:
            r = loads(line)
            answer = {'ok': table.encode(table.do(r['op'], [table.decode(a) for a in r['args']], r))}
        except BaseException as e:      # their exception, even SystemExit: an answer, not our end
            answer = {'error': _describe(e, files)}
        send(**answer)


def _load(pieces, files, ast, linecache):
    """Run their sources in one module namespace: {'module': its dict} or {'load_error': …}.
    A piece marked `definitions` (a script's or a cell's source, which calls grade() itself) runs
    only its imports, definitions and assignments without calls; `imports` pieces (a notebook's
    earlier cells) run only their imports, each one skipped if it fails."""
    import types
    module = types.ModuleType('learner_engine')
    sys.modules['learner_engine'] = module
    for name, source, *kind in pieces:
        linecache.cache[name] = (len(source), None, source.splitlines(True), name)
        try:
            tree = ast.parse(source, name)
            if kind == ['imports']:             # each on its own: one that fails is skipped
                for s in tree.body:
                    if isinstance(s, (ast.Import, ast.ImportFrom)):
                        try:
                            exec(compile(ast.Module([s], []), name, 'exec'), module.__dict__)
                        except ImportError:
                            pass
                continue
            if kind:
                tree.body = [s for s in tree.body if _keep(s, ast)]
            exec(compile(tree, name, 'exec'), module.__dict__)
        except SyntaxError as e:
            line = e.text or ''
            column = (e.offset or 1) - 1 - (len(line) - len(line.lstrip()))    # in the stripped line
            return dict(load_error=N_(
                "{file}, line {line}: SyntaxError: {error}\n    {text}\n    {caret}\n"
                "(this is Python {version}: code written for a newer Python can fail here)",
                file=name, line=str(e.lineno), error=e.msg, text=line.strip(),
                caret=' ' * max(column, 0) + '^', version='.'.join(map(str, sys.version_info[:3]))))
        except BaseException as e:
            return dict(load_error=N_("{files} cannot be run: {error}",
                                      files=' + '.join(sorted(files)), error=_text(e)),
                        traceback=_their_traceback(e, files))
    return {'module': module.__dict__}


def _keep(statement, ast):
    if isinstance(statement, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef,
                              ast.ClassDef)):
        return True
    return (isinstance(statement, (ast.Assign, ast.AnnAssign))
            and not any(isinstance(n, ast.Call) for n in ast.walk(statement)))


class _Table:
    """Their objects by number (0 is their class), and the requests on them."""

    def __init__(self, V):
        self.V, self.log = V, []
        self.forget()

    def forget(self):
        self.objects, self.numbers = [self.V], {id(self.V): 0}

    def encode(self, x):
        t = type(x)
        if x is None or t is bool or t is str and len(x) <= 1000 or t is float or (
                t is int and -(1 << 63) < x < 1 << 63):
            return x
        if t is list and x and all(type(i) is str for i in x):
            return x
        if t is list:
            return [self.encode(i) for i in x]
        if t is dict:
            return {'d': {k: self.encode(v) for k, v in x.items()}}
        if id(x) not in self.numbers:
            self.numbers[id(x)] = len(self.objects)
            self.objects.append(x)
        return {'h': self.numbers[id(x)]}

    def decode(self, a):
        if isinstance(a, dict):
            return self.objects[a['h']]
        if isinstance(a, list):
            return tuple(self.decode(i) for i in a)
        return a

    def do(self, op, args, r):
        if op == 'forget':
            return self.forget()
        if op == 'getattr':
            return getattr(args[0], r['name'])
        if op == 'setattr':
            return setattr(args[0], r['name'], args[1])
        if op == 'call':
            return args[0](*args[1:])
        if op == 'binop':
            return operators[r['name']](*args)
        if op == 'neg':
            return operators['neg'](args[0])
        if op == 'float':
            return float(args[0])
        if op == 'bool':
            return bool(args[0])
        if op == 'list':
            return list(list(args[0]))          # a list of (encoded) items, not one object
        if op == 'repr':
            return repr(args[0])[:80]
        if op == 'has':
            return callable(getattr(args[0], r['name'], None))
        if op == 'own':
            return r['name'] in getattr(args[0], '__dict__', {})
        if op == 'containers':
            return self.containers(args[0])
        if op == 'spy':
            return self.spy(args[0], r['label'])
        if op == 'calls':
            calls = list(self.log)
            self.log.clear()
            return calls
        if op == 'chain':
            x = y = self.V(1.0)
            for _ in range(r['n']):
                y = y + self.V(1.0)
            return [x, y]
        raise ValueError(op)

    def containers(self, x):
        """{name: items} of x's attributes that hold a tuple, list, set or frozenset: in its
        __dict__, its __slots__ or its properties (not methods, not dunders)."""
        found = {}
        for name in sorted(set(getattr(x, '__dict__', {})) | set(dir(type(x)))):
            if name.startswith('__') or callable(getattr(type(x), name, None)):
                continue
            try:
                v = getattr(x, name)
            except Exception:
                continue
            if type(v) in (tuple, list, set, frozenset):
                found[name] = list(v)
        return found

    def spy(self, node, label):
        backward, log = node._backward, self.log

        def spied():
            log.append(label)
            backward()
        node._backward = spied


def _text(e):
    try:
        message = str(e)
    except BaseException:
        message = '<str() failed>'
    return f"{type(e).__name__}: {message}"[:500] if message else type(e).__name__


def _describe(e, files):
    return dict(types=[c.__name__ for c in type(e).__mro__], text=_text(e),
                traceback=_their_traceback(e, files))


def _their_traceback(e, files):
    """The traceback of e trimmed to the learner's own lines; a run of one repeated line folded."""
    frames = [f for f in tb_extract(e.__traceback__) if f.filename in files]
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
    if not lines:
        return ''
    return "Traceback (your code only):\n" + "\n".join(lines) + "\n" + _text(e)


if __name__ == '__main__':
    _child(int(sys.argv[1]), int(sys.argv[2]))
