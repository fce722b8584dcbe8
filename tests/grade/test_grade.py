"""micrograd.grade: the lecture's engine (and Karpathy's own, and others written right) gets no ✗,
and each engine of tests/grade/engines/ — a learner's, with one classic bug — fails the check that names
it, with its cause, once. Whatever a learner's file does (end the process, fork, print, patch
builtins) the grader answers, and judges in its own process."""
import os
import subprocess
import sys
import time

import pytest

from micrograd.grade import CHECKS, LoadError, grade, grade_file

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), 'engines'))
from mistakes import MISTAKES, source as engine     # noqa: E402  (a learner's engine, by name)


LECTURE = engine('lecture_tuple')
GRADER = os.path.dirname(os.path.abspath(sys.modules['micrograd.grade'].__file__))  # none of our lines


def bug(old, new):
    """The lecture's engine with `old` replaced by `new` (which must be in it)."""
    assert old in LECTURE, old
    return LECTURE.replace(old, new)


RIGHT = ['lecture_tuple', 'lecture_set', 'karpathy_lecture', 'karpathy_micrograd',
         'composite_tanh', 'children_attr', 'recursive_topo', 'prints_to_stderr']
LIMITS = {'karpathy_lecture': {'tanh_overflow', 'deep_chain'}, 'karpathy_micrograd': {'deep_chain'},
          'composite_tanh': {'tanh_overflow'}, 'recursive_topo': {'deep_chain'}}

ENGINES = {   # name: (source, the check that must fail, words its cause must contain)
    'overwrite': (engine('overwrite'), 'used_twice', "use `+=`"),
    'overwrite_add': (engine('overwrite_add'), 'used_twice', "use `+=`"),
    'set_overwrite_add': (engine('set_overwrite_add'), 'used_twice', "use `+=`"),
    'set_walk': (engine('set_walk'), 'used_twice', "a set keeps one copy"),
    'no_topo': (engine('no_topo'), 'topological_order', "topological order"),
    'no_rmul': (engine('no_rmul'), 'reflected', "__rmul__"),
    'sub_sign': (engine('sub_sign'), 'subtraction', "x − y came out as y − x"),
    'sub_as_add': (engine('sub_as_add'), 'subtraction', "x − y came out as x + y"),
    'rsub_wrong': (engine('rsub_wrong'), 'reflected_sub_div', "2 − x came out as x − 2"),
    'tanh_assign': (engine('tanh_assign'), 'tanh', "overwrites x.grad (`=`)"),
    'no_out_grad_add': (engine('no_out_grad_add'), 'backward',
                        "+'s _backward must multiply by out.grad"),
    'no_out_grad_mul': (engine('no_out_grad_mul'), 'backward',
                        "*'s _backward must multiply by out.grad"),
    'do_nothing_backward': (engine('do_nothing_backward'), 'backward', "called no _backward"),
    'missing_math': (engine('missing_math'), 'tanh', "import math"),
    'wrong_and_patches_abs': (engine('wrong_and_patches_abs'), 'used_twice', "use `+=`"),
}
ALSO = {'overwrite': {'diamond', 'topological_order'},    # the same bug, shown again by a bigger graph
        'overwrite_add': {'diamond'}, 'wrong_and_patches_abs': {'diamond'}}
MAY_ALSO = {'set_overwrite_add': {'diamond', 'topological_order'}}   # a set's order varies by run


def _file(tmp_path, source, name='engine.py'):
    path = tmp_path / name
    path.write_text(source)
    return str(path)


@pytest.fixture(scope='module')
def lecture_report(tmp_path_factory):
    return grade_file(_file(tmp_path_factory.mktemp('lecture'), LECTURE))


def test_the_lecture_engine_passes_every_check(lecture_report):
    assert lecture_report, str(lecture_report)
    assert lecture_report.passed == [name for name, *_ in CHECKS
                                     if name not in ('second_backward', 'reflected_sub_div',
                                                     'softmax_nll')]
    # no __rsub__, no log: 'not yet', not a ✗
    assert lecture_report['reflected_sub_div'].status == lecture_report['softmax_nll'].status == 'not yet'
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
    assert {check} | ALSO.get(name, set()) <= set(report.failed) <= (
        {check} | ALSO.get(name, set()) | MAY_ALSO.get(name, set())), f"{name}:\n{report}"


def test_every_engine_of_tests_engines_is_graded():
    """A mistake written down in tests/grade/engines/mistakes.py is one the tests here look for."""
    assert set(MISTAKES) <= set(ENGINES) | set(RIGHT), set(MISTAKES) - set(ENGINES) - set(RIGHT)


@pytest.mark.parametrize('name', RIGHT)
def test_engines_written_right_get_no_cross_and_their_limits_are_not_failures(name, tmp_path):
    """Karpathy's own engines among them: a recursive build_topo and tanh from math.exp meet
    Python's limits (shown, with advice) but compute nothing wrong."""
    report = grade_file(_file(tmp_path, engine(name)))
    assert report and report.failed == [], f"{name}:\n{report}"
    limits = {o.name for o in report.outcomes if o.status == 'limit'}
    assert limits == LIMITS.get(name, set()), f"{name}:\n{report}"
    assert not [o.name for o in report.outcomes if o.status == 'skipped'], str(report)


def test_the_set_is_not_blamed_when_the_bug_is_the_equals_sign(tmp_path):
    o = grade_file(_file(tmp_path, engine('set_overwrite_add')))['used_twice']
    assert 'set' not in o.cause and 'tuple' not in o.cause, o.cause


def test_a_missing_out_grad_is_said_once_not_as_use_plus_equals(tmp_path):
    for name in ('no_out_grad_add', 'no_out_grad_mul'):
        report = grade_file(_file(tmp_path, engine(name)))
        assert report.failed == ['backward'], f"{name}:\n{report}"
        assert '+=' not in str(report).split('✗ backward')[1].split('read:')[0].replace(
            'self.grad +=', ''), str(report)
        later = [o for o in report.outcomes if o.status == 'skipped']
        assert later and all('✗ backward' in o.got for o in later), str(report)


def test_a_backward_that_does_nothing_gives_one_cause_once(tmp_path):
    report = grade_file(_file(tmp_path, engine('do_nothing_backward')))
    assert report.failed == ['backward'], str(report)
    assert str(report).count('cause:') == 1 and 'use `+=`' not in str(report), str(report)
    skipped = [o.name for o in report.outcomes if o.status == 'skipped']
    assert {'neuron', 'used_twice', 'diamond', 'topological_order', 'deep_chain'} <= set(skipped)
    # the ops' own _backward are still graded, as before there is a backward()
    assert [report[n].status for n in ('tanh', 'exp', 'relu')] == ['pass'] * 3, str(report)


def test_a_missing_import_is_one_cross_with_one_cause(tmp_path):
    report = grade_file(_file(tmp_path, engine('missing_math')))
    assert report.failed == ['tanh'] and "NameError: name 'math' is not defined" in report['tanh'].got
    assert report['tanh_overflow'].status == 'skipped' and 'NameError' in report['tanh_overflow'].got
    assert str(report).count('cause:') == 1, str(report)


def test_a_composite_tanh_is_graded_through_backward(tmp_path):
    report = grade_file(_file(tmp_path, engine('composite_tanh')))
    assert report['tanh'].status == 'pass' and report['neuron'].status == 'pass', str(report)


def test_children_are_found_by_what_they_hold_not_by_their_name(tmp_path):
    report = grade_file(_file(tmp_path, engine('children_attr')))
    assert report['forward'].status == 'pass', str(report)
    nothing = bug("self._prev = tuple(_children)", "self._kept = len(_children)")
    o = grade_file(_file(tmp_path, nothing))['forward']
    assert o.status == 'fail' and 'self._prev = tuple(_children)' in o.cause, o.cause


def test_comparisons_are_made_outside_their_process(tmp_path):
    """builtins.abs = lambda x: 0.0 in their file would make every number 'close' in their
    process: the verdict is still ✗."""
    report = grade_file(_file(tmp_path, engine('wrong_and_patches_abs')))
    assert 'used_twice' in report.failed, str(report)


def test_the_overwrite_bug_shows_the_smallest_expression_and_both_numbers(tmp_path):
    o = grade_file(_file(tmp_path, ENGINES['overwrite'][0]))['used_twice']
    assert (o.expr, o.expected, o.got) == ("a = Value(3.0); b = a + a; b.backward()", "a.grad = 2", "1")
    assert 'overwrites the contribution of the other path' in o.cause


def test_a_recursion_error_is_shown_as_their_own_folded_traceback(tmp_path):
    path = _file(tmp_path, engine('recursive_topo'))
    o = grade_file(path)['deep_chain']
    assert o.status == 'limit' and o.ok
    assert o.got.startswith('RecursionError')
    assert f'File "{path}"' in o.traceback and 'build_topo(child)' in o.traceback
    assert 'more times]' in o.traceback and GRADER not in o.traceback
    assert len(o.traceback.splitlines()) < 15, o.traceback


def test_a_missing_truediv_is_not_yet_not_a_failure(tmp_path):
    source = bug("    def __truediv__(self, other):\n        return self * other ** -1\n", "")
    report = grade_file(_file(tmp_path, source))
    assert report, str(report)
    assert report['division'].status == 'not yet' and '__truediv__' in report['division'].got


def test_a_blank_that_raises_not_implemented_is_not_yet(tmp_path):
    source = bug("        t = math.tanh(self.data)\n", "        raise NotImplementedError('part 2')\n")
    report = grade_file(_file(tmp_path, source))
    assert [report[n].status for n in ('tanh', 'neuron', 'tanh_overflow')] == ['not yet'] * 3, str(report)


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
    assert report['backward'].status == 'fail' and 'MemoryError' in report['backward'].got, str(report)
    assert report['neuron'].status == 'skipped' and 'MemoryError' in report['neuron'].got


def test_nothing_of_theirs_runs_in_our_process(tmp_path, monkeypatch):
    marker = tmp_path / 'ran.txt'
    source = LECTURE + f"\nimport os\nos.environ['GRADED_HERE'] = '1'\nopen({str(marker)!r}, 'w')\n"
    grade_file(_file(tmp_path, source))
    assert marker.exists() and 'GRADED_HERE' not in __import__('os').environ


def test_grade_takes_a_class_and_ships_its_module_source(tmp_path, monkeypatch):
    _file(tmp_path, engine('no_rmul'), 'learner_engine_13.py')
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


def test_grade_in_jupyter_with_import_math_in_an_earlier_cell_and_grade_in_the_class_cell(tmp_path):
    """`import math` in a cell of its own, and grade(Value) in the cell of the class: graded as
    the kernel runs it (no NameError: math, no NameError: grade)."""
    import nbformat
    from nbclient import NotebookClient
    cells = ["import math", "from micrograd import grade",
             bug("import math\n", "") + "\n\nprint('side effect')\ngrade(Value)"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    NotebookClient(nb, timeout=120, kernel_name='python3',
                   resources={'metadata': {'path': str(tmp_path)}}).execute()
    outputs = nb.cells[-1].outputs
    shown = next(o for o in outputs if o.get('output_type') == 'execute_result')['data']['text/plain']
    assert '0 failed' in shown and '✓ tanh' in shown and 'Cell In[3]' in shown, shown
    assert 'NameError' not in shown, shown


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


LOG = """
    def log(self):
        out = Value(math.log(self.data), (self,), 'log')

        def _backward():
            self.grad += out.grad / self.data
        out._backward = _backward
        return out

    def backward(self):"""


def test_the_lectures_softmax_exercise_through_their_engine(tmp_path):
    right = bug("\n    def backward(self):", LOG)
    assert grade_file(_file(tmp_path, right))['softmax_nll'].status == 'pass'
    o = grade_file(_file(tmp_path, right.replace("out.grad / self.data", "out.grad * self.data")))[
        'softmax_nll']
    assert o.status == 'fail' and o.expected.startswith('logits[0].grad = 0.0417725705'), str(o.details())


TANH_ABS = bug("(1 - t ** 2)", "(1 - t * abs(t))")     # right wherever the grader's points are > 0


def test_random_inputs_find_a_derivative_the_fixed_points_miss(tmp_path, monkeypatch):
    from micrograd.grade.checks import beyond
    monkeypatch.setitem(sys.modules, 'torch', None)          # central differences, not PyTorch
    monkeypatch.setattr(beyond, '_POINTS', {})
    report = grade_file(_file(tmp_path, TANH_ABS))
    assert report.failed == ['random'] and report['tanh'].status == 'pass', str(report)
    o = report['random']
    assert '(x*y + z).tanh()' in o.expr and 'central differences' in o.cause, o.cause


def test_random_inputs_against_pytorch_when_it_is_installed(tmp_path, monkeypatch):
    pytest.importorskip('torch')
    from micrograd.grade.checks import beyond
    monkeypatch.setattr(beyond, '_POINTS', {})
    o = grade_file(_file(tmp_path, TANH_ABS))['random']
    assert o.status == 'fail' and 'PyTorch' in o.cause, o.cause


# --- nothing a learner's file does breaks the grader ---------------------------------------------

def test_a_file_that_ends_the_process_when_imported_is_a_load_error_that_says_so(tmp_path):
    with pytest.raises(LoadError, match=r"ended while running .*exit code 3.*os\._exit"):
        grade_file(_file(tmp_path, LECTURE + "\nimport os\nos._exit(3)\n"))
    with pytest.raises(LoadError, match=r"SystemExit: 4"):
        grade_file(_file(tmp_path, LECTURE + "\nimport sys\nsys.exit(4)\n"))


def test_a_fork_when_imported_neither_confuses_the_grader_nor_outlives_it(tmp_path):
    marker = tmp_path / 'forked.txt'
    source = LECTURE + (f"\nimport os, time\nif os.fork() == 0:\n    os.setsid()\n"
                        f"    time.sleep(0.5)\n    open({str(marker)!r}, 'w').write(str(os.getpid()))\n"
                        f"    time.sleep(30)\n")
    report = grade_file(_file(tmp_path, source))
    assert report and report['deep_chain'].status == 'pass', str(report)
    time.sleep(1.0)
    assert not marker.exists()          # the fork ended at once, before it could do anything


def test_a_correct_engine_that_writes_to_stderr_gets_no_cross(tmp_path):
    """200 kB to stderr when imported, a line per backward(): the pipe is drained as it comes."""
    report = grade_file(_file(tmp_path, engine('prints_to_stderr')), timeout=2.0)
    assert report and report['deep_chain'].status == 'pass', str(report)


def test_the_load_limit_said_is_the_limit_applied(tmp_path):
    began = tmp_path / 'began.txt'
    source = f"import time\nopen({str(began)!r}, 'w').write(repr(time.time()))\nwhile True:\n    pass\n"
    with pytest.raises(LoadError, match=r"took more than 1 s"):
        grade_file(_file(tmp_path, source), timeout=1.0)
    ran = time.time() - float(began.read_text())     # their code's own time, start-up not in it
    assert 1.0 <= ran < 1.8, ran


@pytest.mark.parametrize('timeout', [0, -1, float('nan'), float('inf'), 1e300, True, '3'])
def test_a_timeout_out_of_range_is_refused_before_anything_runs(timeout, tmp_path):
    with pytest.raises(ValueError, match='timeout must be a number of seconds'):
        grade_file(_file(tmp_path, LECTURE), timeout=timeout)


@pytest.mark.parametrize('memory_mb', [0, -1, 10, 2.5, None])
def test_a_memory_limit_out_of_range_is_refused(memory_mb, tmp_path):
    with pytest.raises(ValueError, match='memory_mb must be a whole number'):
        grade_file(_file(tmp_path, LECTURE), memory_mb=memory_mb)


def test_the_cli_refuses_a_bad_timeout_with_exit_2(tmp_path):
    for value in ('0', 'nan', '1e300'):
        r = _cli(_file(tmp_path, LECTURE), '--timeout', value)
        assert r.returncode == 2 and 'timeout must be' in r.stderr and 'Traceback' not in r.stderr, r


def test_only_a_regular_file_of_reasonable_size_is_read(tmp_path):
    with pytest.raises(LoadError, match='not a regular file'):
        grade_file('/dev/zero')
    fifo = tmp_path / 'pipe.py'
    os.mkfifo(fifo)
    with pytest.raises(LoadError, match='not a regular file'):       # and no wait for a writer
        grade_file(str(fifo))
    with pytest.raises(LoadError, match='not a regular file'):
        grade_file(str(tmp_path))
    big = tmp_path / 'big.py'
    big.write_text('#' * (2 << 20))
    with pytest.raises(LoadError, match='more than an engine'):
        grade_file(str(big))


def test_a_bom_or_a_coding_cookie_is_read_as_python_reads_it(tmp_path):
    bom = tmp_path / 'bom.py'
    bom.write_bytes(b'\xef\xbb\xbf' + LECTURE.encode())
    assert grade_file(str(bom)), 'a UTF-8 BOM'
    latin = tmp_path / 'latin.py'
    latin.write_bytes(b'# -*- coding: latin-1 -*-\n# caf\xe9\n' + LECTURE.encode())
    assert grade_file(str(latin)), 'a latin-1 file'


def test_a_syntax_error_is_said_once_with_its_line(tmp_path):
    path = _file(tmp_path, "class Value:\n    def __init__(self, data)\n        self.data = data\n")
    with pytest.raises(LoadError) as e:
        grade_file(path)
    said = str(e.value)
    assert said.count('SyntaxError') == 1 and 'line 2' in said, said
    assert 'def __init__(self, data)' in said and '^' in said and 'this is Python 3.' in said, said


def test_grade_called_from_a_script_does_not_run_the_script_again(tmp_path):
    marker = tmp_path / 'runs.txt'
    script = _file(tmp_path, LECTURE + f"""

from micrograd import grade
with open({str(marker)!r}, 'a') as f:
    f.write('ran\\n')
report = grade(Value)
print('FAILED' if not report else 'OK', report.count('fail'))
raise SystemExit(0 if report else 1)
""", 'script.py')
    r = subprocess.run([sys.executable, script], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and 'OK 0' in r.stdout, (r.stdout, r.stderr)
    assert marker.read_text() == 'ran\n'          # once: in the script, not again in the child


# --- the grader's own files: each read in one sitting --------------------------------------------

def test_no_module_of_the_grader_grows_past_350_lines():
    """The house rule of issue 22: a file a reader takes in one sitting."""
    long = {}
    for folder, _dirs, files in os.walk(GRADER):
        for name in files:
            if name.endswith('.py'):
                path = os.path.join(folder, name)
                with open(path, encoding='utf-8') as f:
                    lines = sum(1 for _line in f)
                if lines > 350:
                    long[os.path.relpath(path, GRADER)] = lines
    assert not long, f"split these along a seam a reader thinks in: {long}"


def test_the_checks_stay_in_the_lectures_order_and_the_old_names_import():
    from micrograd.grade.checks import CHECKS as checks, Fail, Limit, NotYet, Skip  # noqa: F401
    from micrograd.grade.runner import (N_, TIMEOUT, MEMORY_MB, LoadError, Raised,  # noqa: F401
                                        Remote, Session, Stopped, Died, validate)
    assert checks is CHECKS
    assert [name for name, *_ in CHECKS] == [
        'forward', 'reflected', 'backward', 'tanh', 'exp', 'relu', 'neuron', 'used_twice',
        'diamond', 'topological_order', 'subtraction', 'division', 'power', 'reflected_sub_div',
        'tanh_overflow', 'deep_chain', 'softmax_nll', 'random', 'second_backward']
