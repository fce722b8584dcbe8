"""No public entry point leaves reference cycles behind (issue 12, finding 17): a graph and
everything made from it are freed by reference counting alone, with the cyclic collector off."""
import pytest

import micrograd
import nn
from micrograd import Value
from nn import train


def _neuron():
    x1, x2, w1, w2 = (Value(v, label=n) for v, n in ((2.0, 'x1'), (0.0, 'x2'), (-3.0, 'w1'), (1.0, 'w2')))
    b = Value(6.8813735870195432, label='b')
    o = (x1 * w1 + x2 * w2 + b).tanh()
    return o, [x1, x2]


def _fit_compiled():
    model = nn.MLP(2, [3, 1], rng=0)
    train.fit(model, [([1.0, 2.0], 1), ([0.0, 1.0], -1)], train.batch_loss('hinge'),
              nn.SGD(model.parameters()), epochs=2, batch_size=2, rng=0, compiled=True)


ENTRIES = {
    'backward': lambda: _neuron()[0].backward(),
    'topological_order': lambda: micrograd.topological_order(_neuron()[0]),
    'gradcheck': lambda: micrograd.gradcheck(lambda a, b: (a * b).tanh() - a / b, [0.3, 0.7]),
    'parse': lambda: micrograd.parse('tanh(w*x + b) - x/2', x=2, w=-3, b=6.88).backward(),
    'draw_dot': lambda: micrograd.draw_dot(_neuron()[0]).source,
    'backward_steps': lambda: [s.explain() for s in micrograd.backward_steps(_neuron()[0])],
    'forward_steps': lambda: [s.explain() for s in micrograd.forward_steps(_neuron()[0])],
    'step_through': lambda: micrograd.step_through(_neuron()[0]).html(),
    'compile': lambda: micrograd.compile(*_neuron())(1.0, 2.0).grads,
    'fit(compiled=True)': _fit_compiled,
}


@pytest.mark.parametrize('name', list(ENTRIES))
def test_public_entry_points_leave_no_cyclic_garbage(name, cyclic_garbage):
    found = cyclic_garbage(ENTRIES[name])
    assert found == 0, f"{name} left {found} objects in reference cycles"
