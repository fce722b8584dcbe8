"""Run a learner's engine in a subprocess and let the checks use it from here, at arm's length.

Their code may loop, recurse, allocate without end, patch builtins, fork or end the process: none
of it runs in our process, and none of our judging runs in theirs. The child (child.py, run as a
script with `python -I`) loads their sources and then only answers requests — build this, add
these, read that attribute — keeping their objects in a table; the checks (checks/) run here on
`Remote` stand-ins for those objects (remote.py) and compare the plain numbers that come back. A
request with no answer by the check's deadline (limits.py) stops the child (Stopped), and a child
that died says so (Died); the next check gets a fresh child.

    runner.py   the parent's side: Session starts the child, sends requests, awaits answers
    child.py    the child: loads their code, answers requests on their objects
    remote.py   Remote, the stand-in for one of their objects, and the requests syntax cannot say
    limits.py   the time and memory limits, and the results of a check stopped or died
"""
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time

from . import child
from .child import N_
from .limits import MEMORY_MB, STARTUP, TIMEOUT, died, stopped, validate
from .remote import Remote, _encode, calls, chain, containers, has, own, spy

__all__ = ['N_', 'TIMEOUT', 'MEMORY_MB', 'STARTUP', 'CHILD_ENV', 'validate', 'stopped', 'died',
           'LoadError', 'Stopped', 'Died', 'Raised', 'RaisedAttributeError', 'Session', 'Remote',
           'has', 'containers', 'own', 'spy', 'calls', 'chain']

CHILD_ENV = 'MICROGRAD_GRADING'        # set in the child: grade() called by their code does nothing


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


class Session:
    """One child with the learner's code loaded; `V` is their class, as a Remote."""

    def __init__(self, pieces, class_name, timeout, memory_mb):
        from ..i18n import _
        self.timeout = timeout
        req_r, req_w = os.pipe()
        ans_r, ans_w = os.pipe()
        self.child = subprocess.Popen(
            [sys.executable, '-I', os.path.abspath(child.__file__), str(req_r), str(ans_w)],
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
