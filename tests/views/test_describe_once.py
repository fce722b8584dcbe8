"""step_through describes its graph once and hands that Graph to the size check, the drawing and
both step lists; a Graph handed over must be the root's own."""
import pytest

import nn
from micrograd import Value, draw_dot, step_through
from micrograd.views import graph, player, render, trace
from micrograd.views.graph import describe
from micrograd.views.layout import GraphTooLarge
from micrograd.views.render import check_size
from micrograd.views.trace import backward_steps, forward_steps
from nn.walkthrough import lecture_neuron


def mlp_loss():
    model = nn.MLP(3, [4, 4, 1], rng=1)
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    return sum((model(x) - y) ** 2 for x, y in zip(xs, [1.0, -1.0, -1.0, 1.0]))


@pytest.fixture
def described(monkeypatch):
    """Counts describe() calls, at every place it is looked up, and every Graph built."""
    calls = {'describe': 0, 'Graph': 0}
    real_describe, real_init = graph.describe, graph.Graph.__init__

    def counting_describe(*args, **kwargs):
        calls['describe'] += 1
        return real_describe(*args, **kwargs)

    def counting_init(self, *args, **kwargs):
        calls['Graph'] += 1
        real_init(self, *args, **kwargs)

    for module in (graph, render, trace, player):
        if hasattr(module, 'describe'):
            monkeypatch.setattr(module, 'describe', counting_describe)
    monkeypatch.setattr(graph.Graph, '__init__', counting_init)
    return calls


@pytest.mark.parametrize('make', [lambda: lecture_neuron()['o'], mlp_loss], ids=['neuron', 'mlp'])
@pytest.mark.parametrize('options', [{}, {'start': 'forward', 'leaves': True, 'lang': 'zh'}])
def test_step_through_describes_the_graph_once(described, make, options):
    root = make()
    step_through(root, **options)
    assert described == {'describe': 1, 'Graph': 1}


def test_a_graph_handed_over_gives_what_describing_again_gives():
    root = mlp_loss()
    g = describe(root)
    assert draw_dot(root, graph=g).source == draw_dot(root).source
    assert [s.explain() for s in backward_steps(root, graph=g)] == \
        [s.explain() for s in backward_steps(root)]
    assert [s.explain() for s in forward_steps(root, graph=g)] == \
        [s.explain() for s in forward_steps(root)]
    big = sum(Value(float(i)) for i in range(2000))     # 3,999 values: more than 3,000 to draw
    with pytest.raises(GraphTooLarge):
        check_size(big, graph=describe(big))


@pytest.mark.parametrize('call', [
    lambda root, g: draw_dot(root, graph=g), lambda root, g: check_size(root, graph=g),
    lambda root, g: backward_steps(root, graph=g), lambda root, g: forward_steps(root, graph=g)],
    ids=['draw_dot', 'check_size', 'backward_steps', 'forward_steps'])
def test_the_graph_of_another_root_is_refused(call):
    x = Value(2.0, label='x')
    y = x * x; y.label = 'y'
    z = x + 1.0; z.label = 'z'
    with pytest.raises(ValueError, match=r"^\w+: graph= must be describe\(root\) of this root "
                                         r"\(z\), not the description of another graph \(y\)"):
        call(z, describe(y))
