"""`--lang zh` on every command of python -m micrograd: its --help, its output and its errors in
Chinese, with the same numbers as in English; MICROGRAD_LANG=zh does the same for a whole process."""
import collections
import os
import subprocess
import sys

import pytest

from micrograd import cli
from micrograd.i18n import extract

COMMANDS = [c.__name__.rsplit('.', 1)[-1] for c in cli.COMMANDS]
# What --help shows that is not prose: metavars, choices, option values, names of tools.
SYNTAX = ['FILE.svg|png|pdf', 'COMMAND', 'EXPR', 'NAME=VALUE', 'NAME', 'VALUE', 'FILE.svg', 'FILE.html', 'FILE.png',
          'FILE.py[:CLASS]', 'FILE', 'CLASS', 'DIR', 'DATASET', 'SECONDS', 'N,N,…', 'N', 'en', 'zh',
          'relu', 'moons', 'digits', 'hinge', 'quadratic', 'cross-entropy', 'scikit-learn', 'lr',
          'steps', 'eval', 'backward()', 'micrograd-out', 'SVG', 'PNG', 'PDF', 'HTML', 'NUL',
          'demo', 'graph', 'train', 'grade', 'usage', 'Value', 'Scalar', 'my_engine.py', 'logit']


def _prose(text):
    """The help without its command lines (the examples are commands a learner types)."""
    return '\n'.join(line for line in text.splitlines()
                     if not line.lstrip().startswith(('python -m', 'micrograd ', '{'))
                     and 'micrograd ' + 'graph' not in line)


def run(*args, cwd, env=None):
    return subprocess.run([sys.executable, '-m', 'micrograd', *args], cwd=cwd, env=env,
                          capture_output=True, encoding='utf-8', timeout=300)


def in_process(argv, capsys):
    try:
        code = cli.main(argv)
    except SystemExit as e:
        code = e.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize('command', [None] + COMMANDS)
def test_help_in_chinese(command, capsys):
    argv = ([command] if command else []) + ['--lang', 'zh', '--help']
    code, out, _err = in_process(argv, capsys)
    assert code == 0
    assert '用法：' in out and '显示这段帮助并退出' in out
    words = extract.english_words(_prose(out), labels=SYNTAX)
    assert words == [], f"{' '.join(argv)}: English words {words} in:\n{out}"


@pytest.mark.parametrize('command', COMMANDS)
def test_every_command_takes_lang(command, capsys):
    code, out, _err = in_process([command, '--help'], capsys)
    assert code == 0 and '--lang {en,zh}' in out and 'usage: ' in out     # English by default


def test_graph_in_chinese_has_the_numbers_of_english(tmp_path):
    args = ['graph', 'tanh(w*x + b)', 'x=2', 'w=-3', 'b=6.88', '-o', 'f.svg', '--html', 'f.html']
    en = run(*args, cwd=tmp_path)
    zh = run(*args, '--lang', 'zh', cwd=tmp_path)
    assert en.returncode == zh.returncode == 0, zh.stderr
    assert '图片：f.svg' in zh.stdout and '逐步播放页面：f.html' in zh.stdout
    assert extract.english_words(zh.stdout, labels=['tanh(w*x + b)', 'f.svg', 'f.html']) == []
    assert extract.numbers(zh.stdout) == extract.numbers(en.stdout)


def test_demo_in_chinese(tmp_path):
    zh = run('demo', '--lang', 'zh', '-o', 'out', cwd=tmp_path)
    assert zh.returncode == 0, zh.stderr
    assert zh.stdout.startswith('1. 3Blue1Brown：每层只有一个神经元')
    assert '用任意浏览器打开这些 .html 页面' in zh.stdout
    assert extract.english_words(zh.stdout, labels=['out/01-chain-rule', 'out/02-multi-path']) == []
    page = (tmp_path / 'out' / '02-multi-path.html').read_text(encoding='utf-8')
    assert '<html lang="zh-CN">' in page and '李宏毅课件里的网络' in page and '下一步' in page


def test_train_in_chinese(tmp_path):
    zh = run('train', 'moons', '--epochs', '2', '--n', '20', '--lang', 'zh', cwd=tmp_path)
    assert zh.returncode == 0, zh.stderr
    assert zh.stdout.startswith('moons：训练集准确率'), zh.stdout
    assert extract.english_words(zh.stdout, labels=['moons']) == []


def test_grade_report_frame_in_chinese(tmp_path, capsys):
    import importlib.util
    spec = importlib.util.spec_from_file_location('_grade_tests', os.path.join(
        os.path.dirname(__file__), os.pardir, 'grade', 'test_grade.py'))
    tests = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tests)                  # its lecture engine, written as a learner would
    LECTURE = tests.LECTURE
    (tmp_path / 'engine.py').write_text(LECTURE, encoding='utf-8')
    code, out, _err = in_process(['grade', str(tmp_path / 'engine.py'), '--lang', 'zh'], capsys)
    assert code == 0, out
    assert out.startswith('正在评分：') and '项通过，0 项失败' in out
    from micrograd.grade import CHECKS
    names = [name for name, *_rest in CHECKS] + ['RecursionError', str(tmp_path / 'engine.py')]
    titles = '\n'.join(line for line in out.splitlines() if line[:1] in '✓✗·ℹ')
    assert len(titles.splitlines()) == len(CHECKS)
    # every title in Chinese (the details: tests/i18n/test_i18n_errors.py)
    assert extract.english_words(titles, labels=names) == [], titles


@pytest.mark.parametrize('argv, says', [
    (['graph', 'x*y', 'x=2', 'x=3'], 'micrograd graph：错误：x 给了两次'),
    (['graph', 'x', 'x=two'], "x='two'：值必须是一个数，例如 x=2.5"),
    (['graph', 'x', 'x=1', 'y=2'], "y 给了值，但 'x' 里没有用到"),
    (['train', 'moons', '--train-size', '5'], '--train-size 只能用于 digits'),
    (['graph', 'x', 'x=1', '-o', 'f.txt'], '-o 写出的是图片：请给出以 .svg, .png 或 .pdf 结尾的文件名'),
])
def test_errors_in_chinese(argv, says, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _out, err = in_process(argv + ['--lang', 'zh'], capsys)
    assert code == 2 and says in err, err
    assert 'Traceback' not in err


def test_microgard_lang_environment_reaches_the_cli(tmp_path):
    env = dict(os.environ, MICROGRAD_LANG='zh')
    out = run('graph', 'x*y', 'x=2', 'y=3', '-o', 'f.svg', cwd=tmp_path, env=env).stdout
    assert '图片：f.svg' in out
    out = run('graph', 'x*y', 'x=2', 'y=3', '-o', 'f.svg', '--lang', 'en', cwd=tmp_path,
              env=env).stdout
    assert 'picture: f.svg' in out                  # --lang outranks the environment


@pytest.mark.parametrize('value, warns', [('xx', True), ('C.UTF-8', False), ('en_US.UTF-8', False)])
def test_a_microgard_lang_we_do_not_speak_is_english_with_one_line_of_warning(value, warns,
                                                                               tmp_path):
    """Issue 21, item 6: every command, --help included, used to end in a traceback."""
    env = dict(os.environ, MICROGRAD_LANG=value)
    warning = (f"micrograd: warning: MICROGRAD_LANG={value!r} names no language micrograd speaks "
               "(en, zh): speaking English\n") if warns else ''
    p = run('--help', cwd=tmp_path, env=env)
    assert (p.returncode, p.stderr) == (0, warning) and p.stdout.startswith('usage: micrograd')
    p = run('graph', 'log(x)', 'x=-1', cwd=tmp_path, env=env)
    assert p.returncode == 2 and p.stderr.startswith(
        warning + "micrograd graph: error: cannot compute it at these values: log: log() of a "
                  "non-positive value, at log(x=-1.0)"), p.stderr
    p = run('graph', 'x*y', 'x=2', 'y=3', '-o', 'f.svg', '--lang', 'zh', cwd=tmp_path, env=env)
    assert p.returncode == 0 and '图片：f.svg' in p.stdout and p.stderr == ''    # --lang: no warning


def test_lang_is_restored_after_main(capsys):
    import micrograd
    in_process(['graph', 'x', 'x=1', '--lang', 'zh'], capsys)
    assert micrograd.get_language() == 'en'


def _small_moons():
    from nn import train
    return train.train_moons(hidden=(4,), epochs=3, n=20, batch_size=8, seed=3)


def test_train_plot_in_chinese_has_no_english_words_and_every_glyph():
    """The plot's titles, axes and legends in Chinese, set in a font that has the characters."""
    pytest.importorskip('matplotlib')
    import warnings
    import micrograd
    from micrograd.cli import plot
    result = _small_moons()
    english = plot.figure(result, 'moons')
    with micrograd.i18n.language('zh'):
        fig = plot.figure(result, 'moons')
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            png = plot.picture(result, 'moons', 'moons.png')
    texts = []
    for ax in fig.axes:
        texts += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
        texts += [t.get_text() for t in ax.get_legend().get_texts()]
    text = '\n'.join(texts)
    assert extract.english_words(text, labels=['moons', result.settings['loss']]) == [], text
    assert '训练损失' in text and '决策边界' in text
    en = '\n'.join(t for ax in english.axes for t in (ax.get_title(), ax.get_xlabel()))
    assert 'training loss' in en and 'decision boundary' in en and 'step' in en
    assert collections.Counter(extract.numbers(text)) == collections.Counter(extract.numbers(
        '\n'.join(t for ax in english.axes for t in [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
                  + [t.get_text() for t in ax.get_legend().get_texts()])))
    assert png[:8] == b'\x89PNG\r\n\x1a\n'
    assert not [w for w in caught if 'missing from font' in str(w.message)], \
        [str(w.message) for w in caught]


def test_train_progress_bar_shows_the_loss_in_chinese(tmp_path):
    pytest.importorskip('tqdm')
    p = run('train', 'moons', '--epochs', '3', '--n', '20', '--hidden', '4', '--seed', '3',
            '--lang', 'zh', cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert '损失=' in p.stderr and 'loss=' not in p.stderr, p.stderr
