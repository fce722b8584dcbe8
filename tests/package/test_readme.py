"""The README's and the manual's (docs/) Python examples run as written, their quotations of the
engine are really in the engine, and the README's links land where they say."""
import importlib.util
import os
import re

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SOURCES = {name: open(os.path.join(ROOT, 'micrograd', name), encoding='utf-8').read()
           for name in ('engine.py', 'ops.py')}         # the engine, and its ops
ENGINE_LINES = {' '.join(line.split()) for text in SOURCES.values() for line in text.splitlines()}
MANUAL = sorted(name for name in os.listdir(os.path.join(ROOT, 'docs')) if name.endswith('.md'))


def read(name):
    return open(os.path.join(ROOT, name), encoding='utf-8').read()


def python_blocks(name):
    return re.findall(r"```python\n(.*?)```", read(name), flags=re.S)


def is_quotation(block):
    """Every line (but `...`) is a line of engine.py or ops.py: the page shows the engine's own code."""
    lines = [' '.join(line.split()) for line in block.splitlines() if line.strip() not in ('', '...')]
    return all(line in ENGINE_LINES for line in lines)


def run_examples(name, scope):
    for block in python_blocks(name):
        if is_quotation(block):
            continue
        if 'torch' in block and importlib.util.find_spec('torch') is None:
            continue                            # the optional extra: tests/nn/test_torch.py says so
        exec(compile(block, name, 'exec'), scope)
    return scope


@pytest.fixture
def readme_scope(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)                 # the examples write neuron.svg / neuron.html
    return run_examples('README.md', {})


def test_readme_example_runs(readme_scope, tmp_path):
    scope = readme_scope
    assert (round(scope['x1'].grad, 12), round(scope['w1'].grad, 12)) == (-1.5, 1.0)
    assert (tmp_path / 'neuron.html').exists()
    assert len(read('README.md').splitlines()) <= 130     # a page a newcomer reads to the end


@pytest.mark.parametrize('name', MANUAL)
def test_manual_examples_run(name, readme_scope, tmp_path):
    """Each page of docs/ runs after the README's fifteen lines, as a reader follows the link."""
    scope = run_examples(os.path.join('docs', name), dict(readme_scope))
    if name == 'engine.md':
        assert scope['r'].value == scope['o'].data
        assert scope['gradcheck'](lambda x: scope['Softplus'].apply(x) * x, [0.7]) is True
    if name == 'pictures.md':
        assert (tmp_path / 'neuron.svg').exists()


def test_the_manual_quotes_the_engine():
    quotes = [b for b in python_blocks('docs/engine.md') if is_quotation(b)]
    assert any('class Tanh(Op)' in q for q in quotes)
    assert any('grad[parent] += local * g' in q for q in quotes)


def test_every_page_the_readme_links_to_exists():
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", read('README.md')):
        if not target.startswith('http'):
            assert os.path.exists(os.path.join(ROOT, target)), target
    for name in MANUAL:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", read(os.path.join('docs', name))):
            if not target.startswith('http'):
                assert os.path.exists(os.path.join(ROOT, 'docs', target)), (name, target)


def test_the_readme_links_into_the_engine_land_on_what_they_name():
    """`[class Value](micrograd/engine.py#L38)`: line 38 of engine.py is where `class Value` starts."""
    links = re.findall(r"\[`([^`]+)`\]\(micrograd/(engine\.py|ops\.py)#L(\d+)\)", read('README.md'))
    assert [name for name, *_ in links] == ['class Value', 'class Tanh(Op)', 'def topological_order',
                                            'def backward'], links
    for name, file, number in links:
        line = SOURCES[file].splitlines()[int(number) - 1]
        assert line.strip().startswith(name), (name, file, number, line)


def test_the_readme_pictures_show_the_neuron():
    svg = read('docs/img/neuron.svg')
    assert all(f'>{label}' in svg for label in ('x1', 'w1', 'x2', 'w2', 'b', 'n', 'o'))
    with open(os.path.join(ROOT, 'docs', 'img', 'player.png'), 'rb') as f:
        assert f.read(8) == b'\x89PNG\r\n\x1a\n'
