"""Code written for Karpathy's micrograd, and for the lecture that builds it, runs here unchanged.

Each test does what a micrograd user's code does, in our own words: the demo's imports and its
published losses, the lecture's manual `_backward()` walk, ops written the lecture's way (a node
made by hand plus an assigned `_backward` closure), and that none of it costs a reference cycle.
"""
import ast
import gc
import math
import random
import subprocess
import sys
from pathlib import Path

import pytest

import micrograd
import nn
from micrograd import Value, topological_order
from nn.walkthrough import lecture_neuron
from .test_backward import _count_values


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


def test_only_the_cli_and_the_alias_import_nn():
    """The layering of DESIGN.md: the engine and everything that looks at a graph never use nn."""
    package = Path(micrograd.__file__).parent
    users = []
    for path in sorted(package.rglob('*.py')):          # the cli/ package's modules too
        for node in ast.walk(ast.parse(path.read_text(encoding='utf-8'))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ''] if isinstance(node, ast.ImportFrom) and not node.level else [])
            if any(name == 'nn' or name.startswith('nn.') for name in names):
                users.append(path.relative_to(package).parts[0])    # 'cli' for cli/*.py
    assert sorted(set(users)) == ['cli', 'nn.py'], users


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


# --- micrograd's README example and its test_engine.py, without torch -------------------------

def test_micrograds_readme_example_prints_its_numbers():
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b ** 3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e ** 2
    g = f / 2.0
    g += 10.0 / f
    assert f'{g.data:.4f}' == '24.7041'
    g.backward()
    assert (f'{a.grad:.4f}', f'{b.grad:.4f}') == ('138.8338', '645.5773')
    # by hand: c = −1, d = 6, e = −7, f = 49, so g = 49/2 + 10/49 = 1210.5/49
    assert math.isclose(g.data, 1210.5 / 49, rel_tol=1e-15)


def test_micrograds_sanity_check_without_torch():
    """test_engine.py's first test, with the numbers PyTorch gives it: y = −20, dy/dx = 46."""
    x = Value(-4.0)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    assert (y.data, x.grad) == (-20.0, 46.0)


# --- the lecture's manual walk: `_backward()` one node at a time --------------------------------

def test_the_lectures_manual_backward_walk_gives_its_numbers():
    v = lecture_neuron()
    o = v['o']
    o.grad = 1.0
    for node in reversed(topological_order(o)):     # o, n, b, x1*w1 + x2*w2, x2*w2, x1*w1, …
        node._backward()
    lecture = dict(n=0.5, b=0.5, x1=-1.5, w1=1.0, x2=0.5, w2=0.0)
    for name, grad in lecture.items():
        assert math.isclose(v[name].grad, grad, abs_tol=1e-12), (name, v[name].grad, grad)
    walked = {name: node.grad for name, node in v.items()}
    fresh = lecture_neuron()
    fresh['o'].backward()
    assert walked == {name: node.grad for name, node in fresh.items()}, \
        "the walk by hand and backward() should do the very same arithmetic"


def test_each_backward_call_pushes_once_and_a_leafs_does_nothing():
    v = lecture_neuron()
    o, n = v['o'], v['n']
    o.grad = 1.0
    o._backward()
    once = n.grad
    assert once == 1.0 - o.data ** 2
    o._backward()                                   # called again: added again, as micrograd's
    assert n.grad == 2 * once
    v['x1']._backward()
    assert v['x1'].grad == 0.0 and v['w1'].grad == 0.0


# --- ops written the lecture's way ---------------------------------------------------------------

def tanh_closure(self):
    """The lecture's tanh: a node made by hand, with its derivative as a closure."""
    x = self.data
    t = (math.exp(2 * x) - 1) / (math.exp(2 * x) + 1)
    out = Value(t, (self,), 'tanh')

    def _backward():
        self.grad += (1 - t ** 2) * out.grad
    out._backward = _backward
    return out


def exp_closure(self):
    """The lecture's exp."""
    out = Value(math.exp(self.data), (self,), 'exp')

    def _backward():
        self.grad += out.data * out.grad
    out._backward = _backward
    return out


def _neuron(tanh, exp):
    x1, x2 = Value(2.0, label='x1'), Value(0.0, label='x2')
    w1, w2 = Value(-3.0, label='w1'), Value(1.0, label='w2')
    b = Value(6.8813735870195432, label='b')
    n = x1 * w1 + x2 * w2 + b
    e = exp(2 * n)                                  # the lecture's second tanh: (e − 1)/(e + 1)
    o = tanh(n) + (e - 1) / (e + 1)
    return o, (x1, x2, w1, w2, b)


def test_ops_written_as_closures_give_the_builtins_gradients():
    o_mine, mine = _neuron(tanh_closure, exp_closure)
    o_ours, ours = _neuron(Value.tanh, Value.exp)
    assert math.isclose(o_mine.data, o_ours.data, rel_tol=1e-15)
    o_mine.backward()
    o_ours.backward()
    for a, b in zip(mine, ours):
        assert math.isclose(a.grad, b.grad, rel_tol=1e-12, abs_tol=1e-15), (a.label, a.grad, b.grad)
    assert math.isclose(mine[0].grad, 2 * -1.5, rel_tol=1e-12)     # two tanh's of the lecture
    # exp is the same arithmetic either way: bit for bit
    x_mine, x_ours = Value(0.3), Value(0.3)
    (exp_closure(x_mine) * x_mine).backward()
    (x_ours.exp() * x_ours).backward()
    assert x_mine.grad == x_ours.grad


def test_a_graph_mixing_closures_and_builtins_accumulates_exactly():
    x, y = Value(0.4, label='x'), Value(-1.3, label='y')
    h = tanh_closure(x * y) + x                     # a closure node feeding built-ins …
    g = exp_closure(h * h) * h.sigmoid()            # … and built-ins feeding a closure node
    root = tanh_closure(g + h) * x
    nodes = topological_order(root)
    root.backward()
    once = [node.grad for node in nodes]
    assert x.grad != 0 and y.grad != 0
    root.backward()
    assert [node.grad for node in nodes] == [2 * g for g in once], \
        "a second backward() should leave exactly twice the first call's gradients"


# --- where the two engines differ: when the local derivative is taken --------------------------

def test_builtins_take_local_derivatives_at_forward_time_closures_when_they_run():
    x = Value(3.0, label='x')
    y = x * x
    x.data = 5.0                    # changed between the forward pass and backward()
    y.backward()
    assert x.grad == 6.0            # 2·3: the derivative taken when y was computed

    x = Value(3.0, label='x')
    out = Value(x.data * x.data, (x,), 'square')

    def _backward():                # micrograd's way: reads x.data when it runs
        x.grad += 2 * x.data * out.grad
    out._backward = _backward
    x.data = 5.0
    out.backward()
    assert x.grad == 10.0           # 2·5


# --- no reference cycles -------------------------------------------------------------------------

def test_a_dropped_graph_of_builtin_nodes_is_freed_with_gc_disabled():
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        before = _count_values()
        v = lecture_neuron()
        o = v['o']
        o.grad = 1.0
        for node in reversed(topological_order(o)):
            node._backward()                        # the walk by hand must not tie nodes in loops
        o.backward()
        built = _count_values()
        del v, o, node
        after = _count_values()
    finally:
        if was_enabled:
            gc.enable()
    assert built >= before + 10
    assert after == before, f"{after - before} Values outlived their graph without the cycle collector"
