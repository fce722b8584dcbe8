"""micrograd.grade: the lecture's engine passes every check, and each engine below — the lecture's
with one classic bug — fails the check that names it, with its cause. The engines are written here,
as a learner would write them, and graded from files in a temporary directory."""
import subprocess
import sys
import time

import pytest

from micrograd.grade import CHECKS, LoadError, grade, grade_file

LECTURE = '''\
import math


class Value:

    def __init__(self, data, _children=(), _op='', label=''):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = tuple(_children)
        self._op = _op
        self.label = label

    def __repr__(self):
        return f"Value(data={self.data})"

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), '+')

        def _backward():
            self.grad += 1.0 * out.grad
            other.grad += 1.0 * out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), '*')

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def __pow__(self, other):
        assert isinstance(other, (int, float)), "only int/float powers for now"
        out = Value(self.data ** other, (self,), f'**{other}')

        def _backward():
            self.grad += other * self.data ** (other - 1) * out.grad
        out._backward = _backward
        return out

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def __truediv__(self, other):
        return self * other ** -1

    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-other)

    def tanh(self):
        t = math.tanh(self.data)
        out = Value(t, (self,), 'tanh')

        def _backward():
            self.grad += (1 - t ** 2) * out.grad
        out._backward = _backward
        return out

    def exp(self):
        out = Value(math.exp(self.data), (self,), 'exp')

        def _backward():
            self.grad += out.data * out.grad
        out._backward = _backward
        return out

    def relu(self):
        out = Value(0 if self.data < 0 else self.data, (self,), 'ReLU')

        def _backward():
            self.grad += (out.data > 0) * out.grad
        out._backward = _backward
        return out

    def backward(self):
        topo, visited = [], set()
        stack = [(self, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                topo.append(node)
            elif node not in visited:
                visited.add(node)
                stack.append((node, True))
                stack.extend((child, False) for child in node._prev)
        self.grad = 1.0
        for node in reversed(topo):
            node._backward()
'''


def bug(old, new):
    """The lecture's engine with `old` replaced by `new` (which must be in it)."""
    assert old in LECTURE, old
    return LECTURE.replace(old, new)


RECURSIVE_TOPO = """    def backward(self):
        topo, visited = [], set()

        def build_topo(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build_topo(child)
                topo.append(v)
        build_topo(self)
        self.grad = 1.0
        for node in reversed(topo):
            node._backward()

    def unused(self):"""

NO_TOPO = """    def backward(self):
        self.grad = 1.0
        queue, seen = [self], {self}       # breadth first from the root: no topological sort
        while queue:
            node = queue.pop(0)
            node._backward()
            for child in node._prev:
                if child not in seen:
                    seen.add(child)
                    queue.append(child)

    def unused(self):"""

ENGINES = {   # name: (source, the check that must fail, words its cause must contain)
    'overwrite': (bug("self.grad += 1.0 * out.grad\n            other.grad += 1.0 * out.grad",
                      "self.grad = 1.0 * out.grad\n            other.grad = 1.0 * out.grad")
                  .replace("self.grad += other.data * out.grad\n            other.grad += self.data",
                           "self.grad = other.data * out.grad\n            other.grad = self.data"),
                  'used_twice', "use `+=`"),    # also diamond and topological_order: see ALSO
    'recursive_topo': (bug("    def backward(self):", RECURSIVE_TOPO), 'deep_chain', "explicit stack"),
    'no_topo': (bug("    def backward(self):", NO_TOPO), 'topological_order', "topological order"),
    'set_prev': (bug("self._prev = tuple(_children)", "self._prev = set(_children)")
                 .replace("self.grad += 1.0 * out.grad\n            other.grad += 1.0 * out.grad",
                          "for child in out._prev:\n                child.grad += out.grad"),
                 'used_twice', "_prev is a set"),
    'exp_tanh': (bug("t = math.tanh(self.data)",
                     "e = math.exp(2 * self.data)\n        t = (e - 1) / (e + 1)"),
                 'tanh_overflow', "overflows"),
    'no_rmul': (bug("    def __rmul__(self, other):\n        return self * other\n", ""),
                'reflected', "__rmul__"),
    'sub_sign': (bug("return self + (-other)", "return other + (-self)"), 'subtraction',
                 "__sub__ should return self + (-other)"),
}


ALSO = {'overwrite': {'diamond', 'topological_order'}}    # the same bug, shown again by a bigger graph


def _file(tmp_path, source, name='engine.py'):
    path = tmp_path / name
    path.write_text(source)
    return str(path)


@pytest.fixture(scope='module')
def lecture_report(tmp_path_factory):
    return grade_file(_file(tmp_path_factory.mktemp('lecture'), LECTURE))


def test_the_lecture_engine_passes_every_check(lecture_report):
    assert lecture_report, str(lecture_report)
    assert lecture_report.passed == [name for name, *_ in CHECKS if name != 'second_backward']
    note = lecture_report['second_backward']
    assert note.status == 'note' and 'zero_grad' in note.got and '3×' in note.got and 'Interior nodes' in note.got, note.got


@pytest.mark.parametrize('name', sorted(ENGINES))
def test_each_broken_engine_fails_the_right_check(name, tmp_path):
    source, check, cause = ENGINES[name]
    report = grade_file(_file(tmp_path, source))
    assert not report
    assert check in report.failed, f"{name}: {check} should fail:\n{report}"
    outcome = report[check]
    assert cause in outcome.cause, f"{name}: the cause should say {cause!r}:\n{report}"
    assert outcome.expr and outcome.got and outcome.read.startswith('notebooks/'), str(report)
    assert set(report.failed) == {check} | ALSO.get(name, set()), f"{name}:\n{report}"


def test_a_set_for_prev_with_the_lectures_closures_is_not_flagged(tmp_path):
    """Karpathy's micrograd keeps _prev as a set; with a closure per op a + a is still right."""
    report = grade_file(_file(tmp_path, bug("self._prev = tuple(_children)", "self._prev = set(_children)")))
    assert report and report['used_twice'].status == 'pass', str(report)


def test_the_overwrite_bug_shows_the_smallest_expression_and_both_numbers(tmp_path):
    o = grade_file(_file(tmp_path, ENGINES['overwrite'][0]))['used_twice']
    assert (o.expr, o.expected, o.got) == ("a = Value(3.0); b = a + a; b.backward()", "a.grad = 2", "1")
    assert 'overwrites the contribution of the other path' in o.cause


def test_a_recursion_error_is_shown_as_their_own_folded_traceback(tmp_path):
    path = _file(tmp_path, ENGINES['recursive_topo'][0])
    o = grade_file(path)['deep_chain']
    assert o.got.startswith('RecursionError')
    assert f'File "{path}"' in o.traceback and 'build_topo(child)' in o.traceback
    assert 'more times]' in o.traceback and 'runner.py' not in o.traceback and 'checks.py' not in o.traceback
    assert len(o.traceback.splitlines()) < 15, o.traceback


def test_a_missing_truediv_is_not_yet_not_a_failure(tmp_path):
    source = bug("    def __truediv__(self, other):\n        return self * other ** -1\n", "")
    report = grade_file(_file(tmp_path, source))
    assert report, str(report)
    assert report['division'].status == 'not yet' and '__truediv__' in report['division'].got


def test_a_blank_that_raises_not_implemented_is_not_yet(tmp_path):
    source = bug("        t = math.tanh(self.data)\n", "        raise NotImplementedError('part 2')\n")
    report = grade_file(_file(tmp_path, source))
    assert [report[n].status for n in ('tanh', 'neuron', 'tanh_overflow')] == ['not yet'] * 3


def test_a_backward_that_loops_forever_is_stopped_within_its_time_limit(tmp_path):
    source = bug("            self.grad += (1 - t ** 2) * out.grad",
                 "            while True:\n                pass")
    start = time.monotonic()
    report = grade_file(_file(tmp_path, source), timeout=1.0)
    took = time.monotonic() - start
    stopped = [n for n in report.failed if report[n].expected == 'an answer within 1 s'
               and 'stopped' in report[n].got and 'never finished' in report[n].cause]
    assert 'tanh' in stopped and 'neuron' in stopped, str(report)
    assert report['used_twice'].status == 'pass' and report['deep_chain'].status == 'pass'
    assert took < 1.0 * len(stopped) + 4, f"{took:.1f} s for {len(stopped)} stopped checks"


def test_memory_beyond_the_limit_fails_the_check_it_happens_in(tmp_path):
    source = bug("        self.grad = 1.0\n        for node in reversed(topo):",
                 "        hoard = [0] * 2 * 10 ** 8      # 1.6 GB\n"
                 "        self.grad = 1.0\n        for node in reversed(topo):")
    report = grade_file(_file(tmp_path, source), memory_mb=300)
    assert report['neuron'].status == 'fail' and 'MemoryError' in report['neuron'].got, str(report)


def test_nothing_of_theirs_runs_in_our_process(tmp_path, monkeypatch):
    marker = tmp_path / 'ran.txt'
    source = LECTURE + f"\nimport os\nos.environ['GRADED_HERE'] = '1'\nopen({str(marker)!r}, 'w')\n"
    grade_file(_file(tmp_path, source))
    assert marker.exists() and 'GRADED_HERE' not in __import__('os').environ


def test_grade_takes_a_class_and_ships_its_module_source(tmp_path, monkeypatch):
    _file(tmp_path, ENGINES['no_rmul'][0], 'learner_engine_13.py')
    monkeypatch.syspath_prepend(str(tmp_path))
    from learner_engine_13 import Value
    report = grade(Value)
    assert report.failed == ['reflected'] and 'learner_engine_13.py' in report.source
    assert '✗ reflected' in str(report) and '<table' in report._repr_html_()


def test_grade_in_jupyter_ships_the_cells_that_define_the_class(tmp_path):
    """A class from a cell, with a method patched in from a later cell, graded from those cells."""
    import nbformat
    from nbclient import NotebookClient
    cells = [ENGINES['no_rmul'][0].replace("    def tanh(self):", "    def unused_tanh(self):"),
             "import math\n\ndef tanh(self):\n    return Value(math.tanh(self.data), (self,), 'tanh')"
             "\n\nValue.tanh = tanh",
             "from micrograd import grade\nreport = grade(Value)\nreport"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    NotebookClient(nb, timeout=120, kernel_name='python3',
                   resources={'metadata': {'path': str(tmp_path)}}).execute()
    shown = nb.cells[-1].outputs[0]['data']
    assert 'Cell In[1], Cell In[2]' in shown['text/plain'], shown['text/plain']
    assert '✗ reflected' in shown['text/plain'] and '__rmul__' in shown['text/plain']
    assert '✗ tanh' in shown['text/plain'] and 'multiply it by out.grad' not in shown['text/plain']
    assert '<table' in shown['text/html'] and '✗' in shown['text/html']


def test_our_own_engine_passes_every_check_and_adds_up_exactly_twice():
    import micrograd
    report = grade(micrograd.Value)
    assert report.passed == [name for name, *_ in CHECKS if name != 'second_backward'], str(report)
    note = report['second_backward'].got
    assert 'x.grad = -3; after a second, -6' in note and 'Interior' not in note, note


def test_grade_refuses_a_class_without_source():
    with pytest.raises(LoadError, match='cannot find the source'):
        grade(type('Value', (), {'__init__': eval('lambda self, data: None')}))


def test_a_file_that_cannot_run_or_has_no_such_class_is_a_load_error(tmp_path):
    with pytest.raises(LoadError, match=r"no class named 'Engine'.*its classes: Value"):
        grade_file(_file(tmp_path, LECTURE), 'Engine')
    with pytest.raises(LoadError, match=r"(?s)ZeroDivisionError.*line 2"):
        grade_file(_file(tmp_path, "x = 1\ny = 1 / 0\n"))
    with pytest.raises(LoadError, match='cannot read'):
        grade_file(str(tmp_path / 'missing.py'))


def _cli(*args):
    return subprocess.run([sys.executable, '-m', 'micrograd', 'grade', *args],
                          capture_output=True, text=True, timeout=120)


def test_the_cli_exits_0_when_all_pass_1_when_any_fail_2_when_it_cannot_load(tmp_path):
    good = _cli(_file(tmp_path, LECTURE, 'good.py'))
    assert good.returncode == 0 and '✓ neuron' in good.stdout and '0 failed' in good.stdout, good
    bad = _cli(_file(tmp_path, ENGINES['sub_sign'][0], 'bad.py') + ':Value')
    assert bad.returncode == 1 and '✗ subtraction' in bad.stdout, bad
    for target, words in ((str(tmp_path / 'nope.py'), 'cannot read'),
                          (str(tmp_path / 'good.py') + ':Engine', "no class named 'Engine'")):
        r = _cli(target)
        assert r.returncode == 2 and words in r.stderr and 'Traceback' not in r.stderr, r
