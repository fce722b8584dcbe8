"""Code written for Karpathy's micrograd, and for the lecture that builds it, runs here unchanged.

Each test does what a micrograd user's code does, in our own words: the demo's imports and its
published losses, the lecture's manual `_backward()` walk, ops written the lecture's way (a node
made by hand plus an assigned `_backward` closure), and that none of it costs a reference cycle.
"""
import gc
import random
import subprocess
import sys

import pytest

import micrograd
import nn
from micrograd import Value, topological_order
from nn.walkthrough import lecture_neuron


# --- the import paths of micrograd's notebooks -------------------------------------------------

def test_micrograd_nn_is_the_nn_package():
    from micrograd.nn import Module, Neuron, Layer, MLP         # demo.ipynb
    from micrograd import nn as micrograd_nn                    # trace_graph.ipynb
    from micrograd.engine import Value as EngineValue
    assert (Module, Neuron, Layer, MLP) == (nn.Module, nn.Neuron, nn.Layer, nn.MLP)
    assert MLP is nn.MLP and micrograd_nn.SGD is nn.SGD and micrograd_nn.hinge_loss is nn.hinge_loss
    assert micrograd_nn.walkthrough is nn.walkthrough          # loaded on first use, once
    assert EngineValue is Value
    model = micrograd_nn.MLP(2, [3, 1], rng=0)
    assert isinstance(model, nn.MLP) and isinstance(model, nn.Module)
    with pytest.raises(AttributeError, match='Perceptron'):
        micrograd_nn.Perceptron


def _fresh_python(code):
    done = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_importing_micrograd_does_not_load_nn():
    out = _fresh_python(
        "import sys, micrograd, micrograd.engine\n"
        "from micrograd import Value, draw_dot, backward_steps, gradcheck, compare_with_torch\n"
        "print(sorted(m for m in sys.modules if m == 'nn' or m.startswith(('nn.', 'micrograd.nn'))))\n"
        "from micrograd.nn import MLP\n"
        "print('nn' in sys.modules, 'micrograd.nn' in sys.modules)\n")
    assert out.splitlines() == ['[]', 'True True'], out


# --- micrograd's demo.ipynb: its training loop and its published losses ------------------------

def test_micrograds_demo_gives_its_published_losses():
    """The demo: 100 moons from scikit-learn, MLP(2, [16, 16, 1]), SVM hinge loss + 1e-4 L2,
    100 steps of SGD with η from 1.0 down; its printed losses at step 0 and step 99."""
    np = pytest.importorskip('numpy')
    datasets = pytest.importorskip('sklearn.datasets')
    from micrograd.engine import Value
    from micrograd.nn import MLP
    np.random.seed(1337)
    random.seed(1337)
    X, y = datasets.make_moons(n_samples=100, noise=0.1)
    y = y * 2 - 1                               # labels −1 / +1, numpy ints as in the demo
    model = MLP(2, [16, 16, 1])

    def total_loss():
        scores = [model([Value(a) for a in row]) for row in X]
        margins = [(1 + -label * score).relu() for label, score in zip(y, scores)]
        data_loss = sum(margins) * (1.0 / len(margins))
        reg_loss = 1e-4 * sum(p * p for p in model.parameters())
        right = [(label > 0) == (score.data > 0) for label, score in zip(y, scores)]
        return data_loss + reg_loss, sum(right) / len(right)

    losses = []
    for k in range(100):
        loss, accuracy = total_loss()
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= (1.0 - 0.9 * k / 100) * p.grad
        losses.append(loss.data)
    assert losses[0] == 0.8958441028683222, losses[0]
    assert losses[99] == 0.010978370135492717, losses[99]
    assert accuracy == 1.0
