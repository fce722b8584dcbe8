"""The README's Python examples run as written, top to bottom, and its quotations of the engine are
really in the engine."""
import importlib.util
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENGINE = open(os.path.join(ROOT, 'micrograd', 'engine.py'), encoding='utf-8').read()
ENGINE_LINES = {' '.join(line.split()) for line in ENGINE.splitlines()}


def python_blocks():
    text = open(os.path.join(ROOT, 'README.md'), encoding='utf-8').read()
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def is_quotation(block):
    """Every line (but `...`) is a line of engine.py: the README shows the engine's own code."""
    lines = [' '.join(line.split()) for line in block.splitlines() if line.strip() not in ('', '...')]
    return all(line in ENGINE_LINES for line in lines)


def test_readme_examples_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)                 # the examples write neuron.svg / neuron.html
    examples = [b for b in python_blocks() if not is_quotation(b)]
    assert len(examples) >= 5
    scope = {}
    for block in examples:
        if 'torch' in block and importlib.util.find_spec('torch') is None:
            continue                            # the optional extra: tests/test_torch.py says so
        exec(compile(block, 'README.md', 'exec'), scope)
    assert (round(scope['x1'].grad, 12), round(scope['w1'].grad, 12)) == (-1.5, 1.0)
    assert (tmp_path / 'neuron.svg').exists() and (tmp_path / 'neuron.html').exists()
    assert scope['r'].value == scope['o'].data
    assert scope['gradcheck'](lambda x: scope['Softplus'].apply(x) * x, [0.7]) is True


def test_readme_quotes_the_engine():
    quotes = [b for b in python_blocks() if is_quotation(b)]
    assert len(quotes) >= 2                     # Tanh, and the backward loop
    assert any('class Tanh(Op)' in q for q in quotes)
    assert any('grad[parent] += local * g' in q for q in quotes)
