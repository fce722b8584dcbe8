"""python -m micrograd demo | graph | train: run as subprocesses from the installed package; their
files exist and parse; bad input is one clear message with exit code 2, never a traceback."""
import math
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from micrograd import cli

PNG = b'\x89PNG\r\n\x1a\n'


def run(*args, cwd, python_args=('-m', 'micrograd'), timeout=300):
    return subprocess.run([sys.executable, *python_args, *args], cwd=cwd, capture_output=True,
                          encoding='utf-8', errors='replace', timeout=timeout)


def in_process(*args, capsys):
    """main(args) here (quicker than a subprocess): (exit code, stdout, stderr)."""
    try:
        code = cli.main(list(args))
    except SystemExit as e:            # argparse's own errors and --help
        code = e.code
    out, err = capsys.readouterr()
    return code, out, err


def assert_clean_error(code, err, *says, expected=2):
    assert code == expected, f"exit code {code}, expected {expected}; stderr:\n{err}"
    assert 'Traceback' not in err, f"a traceback instead of a message:\n{err}"
    for s in says:
        assert s in err, f"stderr should say {s!r}:\n{err}"


def assert_svg(path):
    root = ET.parse(path).getroot()
    assert root.tag.endswith('svg'), f"{path}: root element {root.tag}"
    return Path(path).read_text(encoding='utf-8')


def assert_player(path):
    page = Path(path).read_text(encoding='utf-8')
    assert page.startswith('<!DOCTYPE html>') and 'class="mg-player"' in page \
        and 'microgradPlayer(' in page and '<svg' in page, f"{path} is not a step-through page"


# --- graph -------------------------------------------------------------------------------------

def test_graph_prints_the_value_and_every_gradient_and_writes_both_files(tmp_path):
    (tmp_path / 'out').mkdir()          # the folder a file goes into must exist (finding 10)
    p = run('graph', 'tanh(w*x + b)', 'x=2', 'w=-3', 'b=6.88', '-o', 'out/neuron.svg',
            '--html', 'out/steps.html', '--steps', cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    t = math.tanh(-3 * 2 + 6.88)
    expected = [f"f = tanh(w*x + b) = {t:.10g}", f"∂f/∂x = {-3 * (1 - t * t):.10g}",
                f"∂f/∂w = {2 * (1 - t * t):.10g}", f"∂f/∂b = {1 - t * t:.10g}"]
    assert p.stdout.splitlines()[:4] == expected, p.stdout
    assert 'backward pass: 6 steps' in p.stdout and 'step 6/6' in p.stdout
    svg = assert_svg(tmp_path / 'out' / 'neuron.svg')
    assert 'grad' in svg and 'tanh' in svg
    assert_player(tmp_path / 'out' / 'steps.html')
    assert f"picture: out/neuron.svg" in p.stdout and "step-through: out/steps.html" in p.stdout


@pytest.mark.parametrize('name, magic', [('f.png', b'\x89PNG'), ('f.pdf', b'%PDF'),
                                         ('f.SVG', b'<?xml')])
def test_graph_writes_png_pdf_or_svg_by_the_extension(name, magic, tmp_path, capsys):
    code, out, _ = in_process('graph', 'x/y - x', 'x=3', 'y=2', '-o', str(tmp_path / name),
                              capsys=capsys)
    assert code == 0 and (tmp_path / name).read_bytes().startswith(magic)


def test_graph_one_leaf_per_name(capsys):
    code, out, _ = in_process('graph', 'x*x + x', 'x=3', capsys=capsys)
    assert code == 0 and out.splitlines() == ['f = x*x + x = 12', '∂f/∂x = 7']


@pytest.mark.parametrize('args, says', [
    (['x.y', 'x=1'], ["attribute access (.y)", "(column 2)", "  x.y\n   ^"]),
    (["__import__('os').system('ls')", 'x=1'], ["attribute access (.system)"]),
    (['open(x)', 'x=1'], ["unknown function 'open'"]),
    (['x[0]', 'x=1'], ['indexing']),
    (['lambda: x', 'x=1'], ['lambda']),
    (['x*y', 'x=1'], ["'y' has no value: give one, e.g. y=1.0"]),
    (['x +', 'x=1'], ['not a valid expression']),
    (['', 'x=1'], ['empty']),
    (['x' * 3000, 'x=1'], ['too long']),
    (['x ** 99999', 'x=1'], ['the exponent 99999 is too large']),
    (['log(x)', 'x=0'], ['cannot compute it at these values', 'log() of a non-positive value']),
    (['1/(x - 1)', 'x=1'], ['division by zero', '(column 2)']),
    (['exp(exp(x))', 'x=10'], ['exp: the result is too large']),
    (['x', 'x=1', 'y=2'], ['y is given a value but not used']),
    (['x', 'x=abc'], ["x='abc': the value must be a number"]),
    (['x', 'x=inf'], ['finite']),
    (['x', 'x'], ['expected NAME=VALUE']),
    (['x', '2x=1'], ['expected NAME=VALUE']),
    (['x', 'x=1', 'x=2'], ['x is given twice']),
    (['x', 'x=1', '-o', 'x.gif'], ['ending in .svg, .png or .pdf']),
    (['x', 'x=1', '--html', 'x.txt'], ['ending in .html']),
    (['x', 'x=1', '--color'], ['unrecognized arguments: --color']),
    ([], ['the following arguments are required: EXPR']),
])
def test_graph_refuses_bad_input_with_one_clear_message(args, says, capsys):
    code, out, err = in_process('graph', *args, capsys=capsys)
    assert_clean_error(code, err, *says)
    assert out == ''


def test_graph_errors_as_a_subprocess_have_no_traceback(tmp_path):
    for args in (['x.__class__', 'x=1'], ['log(x)', 'x=-1'], ['x', 'x=?']):
        p = run('graph', *args, cwd=tmp_path)
        assert_clean_error(p.returncode, p.stderr, 'micrograd graph: error:')
    assert not list(tmp_path.iterdir()), "a failed command writes no files"


# --- demo --------------------------------------------------------------------------------------

def test_no_command_runs_the_demo_into_micrograd_out(tmp_path):
    p = run(cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    for title in ("3Blue1Brown", "Hung-yi Lee", "Nielsen", "Matrix form", "largest disagreement"):
        assert title in p.stdout, f"the demo's tables should mention {title!r}"
    out = tmp_path / 'micrograd-out'
    names = sorted(f.name for f in out.iterdir())
    assert names == ['01-chain-rule.html', '01-chain-rule.svg', '02-multi-path.html',
                     '02-multi-path.svg'], names
    for f in out.iterdir():
        assert str(Path('micrograd-out') / f.name) in p.stdout, f"the demo should print {f}"
        (assert_svg if f.suffix == '.svg' else assert_player)(f)
    assert 'C0' in (out / '01-chain-rule.svg').read_text(encoding='utf-8')


def test_demo_writes_into_the_folder_given(tmp_path, capsys):
    (tmp_path / 'a').mkdir()            # demo creates the folder -o names, not its parents
    code, out, err = in_process('demo', '-o', str(tmp_path / 'a' / 'b'), capsys=capsys)
    assert code == 0, err
    assert len(list((tmp_path / 'a' / 'b').glob('*.svg'))) == 2
    assert len(list((tmp_path / 'a' / 'b').glob('*.html'))) == 2


# --- train -------------------------------------------------------------------------------------

def test_train_moons_prints_accuracy_and_plots(tmp_path):
    p = run('train', 'moons', '--epochs', '5', '--n', '24', '--hidden', '4', '--seed', '3',
            '--lr', '0.5', '--noise', '0.05', '--plot', 'moons.png', cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert 'moons: training accuracy' in p.stdout and '(24 examples)' in p.stdout
    assert '5 steps' in p.stdout and 'plot: moons.png' in p.stdout
    assert 'loss=' in p.stderr, "the progress bar shows the running loss"
    assert (tmp_path / 'moons.png').read_bytes()[:8] == PNG


@pytest.mark.parametrize('dataset, options', [
    ('moons', ['--n', '20', '--hidden', '4', '--seed', '2', '--batch-size', '8']),
    ('digits', ['--train-size', '24', '--hidden', '3', '--batch-size', '8'])])   # cross-entropy
def test_train_replays_by_default_and_eager_reports_the_same_final_loss(dataset, options, tmp_path):
    if dataset == 'digits':
        pytest.importorskip('sklearn')
    args = ['train', dataset, '--epochs', '4', *options]
    default, eager = run(*args, cwd=tmp_path), run(*args, '--eager', cwd=tmp_path)
    assert default.returncode == eager.returncode == 0, default.stderr + eager.stderr
    final = [re.search(r'final loss (\S+); 12 steps', p.stdout) for p in (default, eager)]
    assert all(final), f"default: {default.stdout}\neager: {eager.stdout}"
    assert final[0][1] == final[1][1], f"final loss compiled {final[0][1]}, eager {final[1][1]}"
    assert '(compiled replay)' in default.stdout and '(compiled replay)' not in eager.stdout
    assert '(eager: a graph built every step)' in eager.stdout


def test_train_digits_prints_accuracy_and_plots(tmp_path):
    pytest.importorskip('sklearn')
    p = run('train', 'digits', '--epochs', '1', '--train-size', '40', '--hidden', '5',
            '--batch-size', '10', '--act', 'tanh', '--loss', 'quadratic', '--lr', '1',
            '--plot', 'digits.png', cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert 'digits: training accuracy' in p.stdout and '(40 examples)' in p.stdout
    assert '(449 held-out quarter)' in p.stdout and '4 steps' in p.stdout
    assert (tmp_path / 'digits.png').read_bytes()[:8] == PNG


@pytest.mark.parametrize('args, says', [
    (['mnist'], ["invalid choice: 'mnist'"]),
    (['moons', '--hidden', '0'], ['at least 1 neuron']),
    (['moons', '--hidden', '16,x'], ['expected sizes like 16,16']),
    (['moons', '--lr', '-1'], ['--lr: expected a positive number']),
    (['moons', '--lr', 'nan'], ['--lr: expected a positive number']),
    (['moons', '--epochs', '0'], ['--epochs: expected a positive number']),
    (['moons', '--epochs', '1.5'], ['--epochs: expected a positive int']),
    (['moons', '--noise', '-0.1'], ['--noise: expected a number ≥ 0']),
    (['moons', '--act', 'gelu'], ["invalid choice: 'gelu'"]),
    (['moons', '--n', '1'], ['at least 2 points']),
    (['moons', '--loss', 'cross-entropy'], ['one output per class']),
    (['digits', '--loss', 'hinge'], ['10 classes']),
    (['digits', '--n', '50'], ['--n is for moons only']),
    (['moons', '--train-size', '50'], ['--train-size is for digits only']),
    (['moons', '--plot', 'loss.txt'], ['.png, .svg or .pdf']),
    (['digits', '--compiled', '--eager'], ['not allowed with argument']),
])
def test_train_refuses_bad_arguments_with_one_clear_message(args, says, capsys):
    code, out, err = in_process('train', *args, capsys=capsys)
    assert_clean_error(code, err, *says)


def test_train_bad_argument_as_a_subprocess_has_no_traceback(tmp_path):
    p = run('train', 'moons', '--hidden', '-3', cwd=tmp_path)
    assert_clean_error(p.returncode, p.stderr, 'micrograd train: error')


def test_train_digits_without_sklearn_says_how_to_install_it(tmp_path):
    code = ("import sys; sys.modules['sklearn'] = None; from micrograd.cli import main; "
            "sys.exit(main(['train', 'digits', '--epochs', '1']))")
    p = run(cwd=tmp_path, python_args=('-c', code))
    assert_clean_error(p.returncode, p.stderr, "pip install 'backprop-classroom[train]'", expected=1)


# --- help --------------------------------------------------------------------------------------

ISSUE_OPTIONS = {
    'demo': ['-o', '--out'],
    'graph': ['EXPR', 'NAME=VALUE', '-o', '--out', '--html', '--steps'],
    'train': ['moons', 'digits', '--hidden', '--act', '--epochs', '--batch-size', '--lr', '--seed',
              '--plot', '--compiled'],
}


def _documented_options(command):
    """Every option string (and positional name) the parser of `command` accepts."""
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.dest == 'command').choices[command]
    names = []
    for action in sub._actions:
        names += action.option_strings or [action.metavar or action.dest]
    return names


@pytest.mark.parametrize('command', sorted(ISSUE_OPTIONS))
def test_help_documents_every_option(command, tmp_path):
    p = run(command, '--help', cwd=tmp_path)
    assert p.returncode == 0 and 'Traceback' not in p.stderr
    for option in set(ISSUE_OPTIONS[command]) | set(_documented_options(command)):
        assert option in p.stdout, f"`micrograd {command} --help` does not mention {option}"
    assert 'example' in p.stdout


def test_top_level_help_lists_the_commands_and_the_console_script_runs(tmp_path):
    p = run('--help', cwd=tmp_path)
    assert p.returncode == 0 and all(c in p.stdout for c in ('demo', 'graph', 'train'))
    script = Path(sys.executable).with_name('micrograd')
    if not script.exists():
        pytest.skip("no `micrograd` console script next to this Python (not installed with pip)")
    q = subprocess.run([str(script), '--version'], cwd=tmp_path, capture_output=True,
                       encoding='utf-8', timeout=60)
    assert q.returncode == 0 and q.stdout.startswith('micrograd '), q.stdout + q.stderr


# --- output paths (issue 12, finding 10): checked first, one rule, one exit code, one message ------

NOT_A_FOLDER = '-o/--out names the folder to write into, and this is not a folder'


def _bad_places(tmp_path):
    (tmp_path / 'folder.svg').mkdir()
    (tmp_path / 'folder.png').mkdir()
    (tmp_path / 'a-file').write_text('not a folder')
    os.mkfifo(tmp_path / 'pipe.svg')
    return {'nodir': 'nodir/x', 'in-a-file': 'a-file/x', 'a-folder': 'folder'}


@pytest.mark.parametrize('args, path, option, says', [
    (['graph', 'x', 'x=1', '-o', ''], '', '-o', 'no file name given'),
    (['graph', 'x', 'x=1', '--html', ''], '', '--html', 'no file name given'),
    (['graph', 'x', 'x=1', '-o', 'folder.svg'], 'folder.svg', '-o', 'it is a folder'),
    (['graph', 'x', 'x=1', '-o', 'pipe.svg'], 'pipe.svg', '-o', 'it is not a regular file'),
    (['graph', 'x', 'x=1', '-o', 'nodir/x.svg'], 'nodir/x.svg', '-o',
     "the folder 'nodir' does not exist"),
    (['graph', 'x', 'x=1', '--html', 'a-file/x.html'], 'a-file/x.html', '--html',
     "the folder 'a-file' is not a folder"),
    (['graph', 'x', 'x=1', '-o', 'a-file/deeper/x.svg'], 'a-file/deeper/x.svg', '-o',
     "the folder 'a-file/deeper' does not exist"),
    (['train', 'moons', '--plot', 'nodir/a.png'], 'nodir/a.png', '--plot',
     "the folder 'nodir' does not exist"),
    (['train', 'moons', '--plot', ''], '', '--plot', 'no file name given'),
    (['train', 'moons', '--plot', 'folder.png'], 'folder.png', '--plot', 'it is a folder'),
    (['train', 'moons', '--plot', '/dev/null'], '/dev/null', '--plot',
     '--plot writes a picture of the loss: give a file name ending in .png, .svg or .pdf'),
    (['demo', '-o', '/dev/null'], '/dev/null', '-o/--out', NOT_A_FOLDER),
    (['demo', '-o', 'a-file'], 'a-file', '-o/--out', NOT_A_FOLDER),
    (['demo', '-o', 'nodir/out'], 'nodir/out', '-o/--out', "the folder 'nodir' does not exist"),
    (['demo', '-o', ''], '', '-o/--out', 'no folder name given'),
])
def test_finding_10_a_bad_output_path_is_refused_before_any_work(args, path, option, says, tmp_path,
                                                               capsys, monkeypatch):
    _bad_places(tmp_path)
    monkeypatch.chdir(tmp_path)
    from nn import train, walkthrough

    def no_work(*a, **k):
        raise AssertionError("the work started before the output path was checked")
    for module, name in ((train, 'train_moons'), (walkthrough, 'print_all')):
        monkeypatch.setattr(module, name, no_work)
    before = sorted(p.name for p in tmp_path.rglob('*'))
    code, out, err = in_process(*args, capsys=capsys)
    assert_clean_error(code, err, f"micrograd {args[0]}: error: cannot write {path!r} ({option}): "
                       f"{says}")
    assert len(err.strip().splitlines()) == 1, f"one message, not:\n{err}"
    assert out == '', f"nothing is done (or printed) before the paths are checked:\n{out}"
    assert sorted(p.name for p in tmp_path.rglob('*')) == before, "nothing is written or created"


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write any file: nothing is read-only")
def test_finding_10_a_read_only_output_is_refused(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / 'f.svg').write_text(OLD)
    (tmp_path / 'f.svg').chmod(0o444)
    code, _, err = in_process('graph', 'x', 'x=1', '-o', 'f.svg', capsys=capsys)
    assert_clean_error(code, err, "cannot write 'f.svg' (-o): the file is read-only")
    (tmp_path / 'f.svg').chmod(0o644)
    (tmp_path / 'ro').mkdir(mode=0o555)
    code, _, err = in_process('graph', 'x', 'x=1', '-o', 'ro/f.svg', capsys=capsys)
    assert_clean_error(code, err, "cannot write 'ro/f.svg' (-o): Permission denied")
    assert (tmp_path / 'f.svg').read_text() == OLD and not list((tmp_path / 'ro').iterdir())


def test_finding_10_train_plot_into_a_missing_folder_fails_before_training(tmp_path):
    p = run('train', 'moons', '--plot', 'nodir/a.png', cwd=tmp_path)     # was: a traceback after
    assert_clean_error(p.returncode, p.stderr,
                       "micrograd train: error: cannot write 'nodir/a.png' (--plot): the folder "
                       "'nodir' does not exist")
    assert 'step' not in p.stderr and p.stdout == '', "no training took place"
    assert not (tmp_path / 'nodir').exists()


def test_finding_10_demo_writes_into_an_existing_folder_and_creates_only_the_one_it_names(tmp_path,
                                                                                     capsys):
    (tmp_path / 'mine').mkdir()
    (tmp_path / 'mine' / 'notes.txt').write_text('kept')
    code, _, err = in_process('demo', '-o', str(tmp_path / 'mine'), capsys=capsys)
    assert code == 0, err
    assert sorted(f.name for f in (tmp_path / 'mine').iterdir()) == [
        '01-chain-rule.html', '01-chain-rule.svg', '02-multi-path.html', '02-multi-path.svg',
        'notes.txt']
    code, _, err = in_process('demo', '-o', str(tmp_path / 'new'), capsys=capsys)
    assert code == 0 and len(list((tmp_path / 'new').iterdir())) == 4, err


def test_finding_10_every_command_states_the_files_rule_in_its_help(tmp_path):
    for command in ('demo', 'graph', 'train'):
        p = run(command, '--help', cwd=tmp_path)
        text = ' '.join(p.stdout.split())
        assert 'relative to the directory you run the command from' in text, command
        assert 'the folder a file goes into must already exist' in text, command
        assert 'checked before any work starts' in text, command


def test_finding_10_run_keeps_the_callers_directory(tmp_path):
    """./run cds into the clone to set up; a relative -o is still the caller's."""
    repo = Path(__file__).resolve().parents[2]
    if Path(sys.prefix).resolve() != (repo / '.venv').resolve():
        pytest.skip("not run inside the clone's own .venv (./run would set one up)")
    p = subprocess.run([str(repo / 'run'), 'python', '-m', 'micrograd', 'graph', 'x*x', 'x=3',
                        '-o', 'neuron.svg'], cwd=tmp_path, capture_output=True, encoding='utf-8',
                       timeout=300)
    assert p.returncode == 0, p.stderr
    assert 'picture: neuron.svg' in p.stdout
    assert_svg(tmp_path / 'neuron.svg')
    assert not (repo / 'neuron.svg').exists(), "written into the clone instead"


# --- a write that fails leaves the old file (issue 12, finding 1) ---------------------------------

OLD = 'the old file, which must survive\n'


def _no_bigger_than(limit):
    """For the child process: files may not grow past `limit` bytes (a write past it fails with
    EFBIG), as on a full disk — a real failure halfway through the write, nothing mocked."""
    def limit_files():
        import resource
        import signal
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)       # EFBIG instead of being killed
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return limit_files


def _run_limited(*args, cwd, limit=1000):
    return subprocess.run([sys.executable, '-m', 'micrograd', *args], cwd=cwd, capture_output=True,
                          encoding='utf-8', errors='replace', timeout=300,
                          preexec_fn=_no_bigger_than(limit))


TRAIN = ['train', 'moons', '--epochs', '2', '--n', '10', '--hidden', '2', '--seed', '1']


@pytest.mark.parametrize('args, name, option', [
    (['graph', 'tanh(w*x + b)', 'x=2', 'w=-3', 'b=6.88', '-o', 'f.svg'], 'f.svg', '-o'),
    pytest.param(['graph', 'tanh(w*x + b)', 'x=2', 'w=-3', 'b=6.88', '--html', 'f.html'],
                 'f.html', '--html'),
    (['demo', '-o', 'out'], 'out/01-chain-rule.svg', '-o/--out'),
    ([*TRAIN, '--plot', 'loss.png'], 'loss.png', '--plot'),
    ([*TRAIN, '--plot', 'loss.svg'], 'loss.svg', '--plot'),
    ([*TRAIN, '--plot', 'loss.pdf'], 'loss.pdf', '--plot'),
], ids=['graph -o', 'graph --html', 'demo -o', 'train --plot png', 'train --plot svg',
        'train --plot pdf'])
def test_finding_1_a_failed_write_leaves_the_old_file_and_no_temporary_file(args, name, option,
                                                                           tmp_path):
    old = tmp_path / name
    old.parent.mkdir(exist_ok=True)
    old.write_text(OLD)
    p = _run_limited(*args, cwd=tmp_path)
    assert_clean_error(p.returncode, p.stderr, f"cannot write {name!r} ({option}): File too large")
    assert old.read_text() == OLD, f"{name} was overwritten by a failed write"
    assert [f.name for f in old.parent.iterdir()] == [old.name], "a temporary file was left"
    q = _run_limited(*args, cwd=tmp_path, limit=10 ** 8)      # the same command, room to write
    assert q.returncode == 0, q.stderr
    assert old.read_text(errors='replace') != OLD
