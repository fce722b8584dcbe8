"""The grading subprocess: it loads the learner's sources and then only answers requests.

Run as a script (`python -I child.py REQ_FD ANS_FD`, started by runner.Session), it reads one
JSON request a line — build this, add these, read that attribute — does it on their objects,
which it keeps in a table (_Table), and writes one JSON answer a line: a plain value, a number
standing for one of their objects, or the exception their code raised with its traceback trimmed
to their own lines. Being a script run with -I, it imports nothing of ours: N_ is defined here,
and the parent's modules take it from here.
"""
import json
import os
import sys


def N_(message, **fields):
    """Mark an English sentence for the catalog (micrograd/i18n/locale); with fields, the sentence and
    its fields as [message, fields], which report.translated fills in, translated."""
    return [message, fields] if fields else message


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
        if kind[:1] == ['package']:             # a module of an installed package (micrograd's
            imported = _imported(kind[1], name)     # engine): its relative imports need it whole
            if imported is not None:
                return {'module': imported.__dict__}
            kind = []                           # not importable here: run as a lone file
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


def _imported(name, path):
    """The module `name` imported, if it is the file `path`; else None."""
    import importlib
    try:
        module = importlib.import_module(name)
        same = os.path.samefile(module.__file__, path)
    except (ImportError, OSError, TypeError):
        return None
    return module if same else None


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
