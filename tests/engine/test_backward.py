"""backward on graph shapes (shared nodes, diamonds, a million deep), accumulation across calls,
topological order, memory, errors during backward, and gradcheck."""
import gc
import math
import random
import re
import sys

import pytest
from hypothesis import given, settings, strategies as st

from micrograd import GradcheckError, Op, Value, gradcheck, topological_order, weighted_sum


@pytest.fixture
def default_recursion_limit():
    """Run with CPython's default recursion limit, whatever the test runner set."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    yield
    sys.setrecursionlimit(old)


def test_a_plus_a_gives_two():
    a = Value(3.0, label='a')
    (a + a).backward()
    assert a.grad == 2.0, f"∂(a + a)/∂a expected 2.0, got {a.grad!r}"


def test_x_times_x_gives_two_x():
    x = Value(-1.5, label='x')
    (x * x).backward()
    assert x.grad == -3.0, f"∂(x·x)/∂x at x = -1.5 expected -3.0, got {x.grad!r}"


def test_diamond_sums_both_paths():
    a = Value(0.5, label='a')
    b = a * 2.0                                 # two paths from a to d, through b and c
    c = a.exp()
    d = b * c
    d.backward()
    expected = 2.0 * c.data + b.data * c.data   # ∂d/∂b·∂b/∂a + ∂d/∂c·∂c/∂a
    assert a.grad == pytest.approx(expected, rel=1e-15), f"diamond: expected {expected}, got {a.grad}"
    assert (b.grad, c.grad) == (c.data, b.data)


def test_a_value_used_by_many_consumers():
    x, y = Value(0.7, label='x'), Value(-1.3, label='y')
    f = x * y + x.exp() + x.tanh() + x * x + x.sigmoid() + x.sin() * x.cos() + 3.0 * x
    f.backward()
    t, s = math.tanh(0.7), 1 / (1 + math.exp(-0.7))
    expected = -1.3 + math.exp(0.7) + (1 - t * t) + 1.4 + s * (1 - s) + math.cos(1.4) + 3.0
    assert x.grad == pytest.approx(expected, rel=1e-14), f"∂f/∂x expected {expected}, got {x.grad}"
    assert y.grad == 0.7


def test_a_chain_a_million_deep(default_recursion_limit):
    n, c = 1_000_000, 1.000001
    x, k = Value(1.0, label='x'), Value(c, label='k')
    v = x
    for _ in range(n):                          # v = x·kⁿ, one node per step
        v = v * k
    v.backward()
    product = 1.0
    for _ in range(n):                          # the same float products the engine makes
        product *= c
    assert v.data == product
    assert x.grad == product, f"∂(x·kⁿ)/∂x expected {product!r}, got {x.grad!r}"
    exact = math.exp(n * math.log1p(1e-6))      # kⁿ to full precision
    assert x.grad == pytest.approx(exact, rel=1e-9)
    expected_k = n * exact / c                  # ∂(x·kⁿ)/∂k = n·x·kⁿ⁻¹
    assert k.grad == pytest.approx(expected_k, rel=1e-8), f"∂/∂k expected {expected_k}, got {k.grad}"


def test_sum_of_a_million_values(default_recursion_limit):
    xs = [Value(float(i)) for i in range(1_000_000)]
    s = sum(xs)
    assert s.data == 999_999 * 1_000_000 / 2
    s.backward()
    wrong = [i for i, x in enumerate(xs) if x.grad != 1.0]
    assert not wrong, f"∂sum/∂xᵢ should be 1.0; {len(wrong)} are not, e.g. x{wrong[0]}: {xs[wrong[0]].grad}"


# --- accumulation across backward calls ------------------------------------------------------

def _network(seed=0):
    """A small two-layer tanh/sigmoid network with reused interior nodes, every node labelled."""
    rng = random.Random(seed)
    x = [Value(rng.uniform(-1, 1), label=f"x{i}") for i in range(3)]
    h = []
    for j in range(4):
        w = [Value(rng.uniform(-1, 1), label=f"w{j}{i}") for i in range(3)]
        z = weighted_sum(w, x, Value(0.1 * j, label=f"b{j}"))
        z.label = f"z{j}"
        h.append(z.tanh() if j % 2 else z.sigmoid())
        h[-1].label = f"h{j}"
    out = h[0] * h[1] + (h[1] - h[2]) ** 2 + h[3].exp() / (1 + h[0] * h[0]) + (h[2] * x[0]).relu()
    for i, node in enumerate(topological_order(out)):
        node.label = node.label or f"n{i}"
    return out


def test_two_backward_calls_give_exactly_twice_the_gradients():
    out = _network()
    order = topological_order(out)
    out.backward()
    first = [node.grad for node in order]
    interior = [n for n in order if n.parents and n is not out]
    assert sum(n.grad != 0.0 for n in interior) > 10, "the graph should have interior gradients"
    out.backward()
    for node, g in zip(order, first):
        assert node.grad == 2 * g, (f"node {node.label} ({node._op or 'leaf'}): after two backward "
                                    f"calls expected exactly {2 * g!r}, got {node.grad!r}")


# --- topological order -----------------------------------------------------------------------

def _reachable(root):
    seen, todo = {root}, [root]
    while todo:
        for p in todo.pop().parents:
            if p not in seen:
                seen.add(p)
                todo.append(p)
    return seen


def test_topological_order_puts_every_node_after_its_parents_once():
    out = _network()
    order = topological_order(out)
    position = {node: i for i, node in enumerate(order)}
    assert len(position) == len(order), "a node appears twice"
    assert set(order) == _reachable(out), "the order is missing nodes or has unreachable ones"
    assert order[-1] is out
    for node in order:
        for p in node.parents:
            assert position[p] < position[node], f"{p.label} comes after its consumer {node.label}"


def test_topological_order_is_the_same_on_every_run():
    labels = [node.label for node in topological_order(_network())]
    for _ in range(3):                          # fresh objects: new ids and hashes each time
        again = [node.label for node in topological_order(_network())]
        assert again == labels
    out = _network()
    assert topological_order(out) == topological_order(out)


def _recursive_order(root):
    """The order the docstring promises: visit each parent in turn, then emit the node."""
    order, seen = [], set()

    def visit(node):
        if node not in seen:
            seen.add(node)
            for p in node.parents:
                visit(p)
            order.append(node)
    visit(root)
    return order


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.integers(0, 10 ** 6), min_size=1, max_size=6), min_size=1, max_size=40))
def test_topological_order_is_the_recursive_walks_order(picks):
    """Random graphs: nodes with 1–6 parents (repeats too: a + a), picked among those made before."""
    nodes = [Value(0.5, label='x0'), Value(-1.0, label='x1')]
    for k, pick in enumerate(picks):
        parents = tuple(nodes[i % len(nodes)] for i in pick)
        nodes.append(Value(1.0, parents, 'op', label=f'n{k}'))
    root = nodes[-1]
    assert topological_order(root) == _recursive_order(root)
    from micrograd import engine
    if engine._fast is not None:                # the fast walk, with the marks in the nodes
        fast = engine._fast
        assert fast._walk_with_the_marks(root)[0] == fast.READABLE['topological_order'](root)


# --- memory: no reference cycles ----------------------------------------------------------------

def _count_values():
    return sum(isinstance(o, Value) for o in gc.get_objects())


def test_a_dropped_graph_is_freed_by_refcounting_alone():
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        before = _count_values()
        out = _network()
        out.backward()
        topological_order(out)
        built = _count_values()
        del out
        after = _count_values()
        gc.set_debug(gc.DEBUG_SAVEALL)          # keep what the collector finds, to look at it
        gc.collect()
        cyclic = [o for o in gc.garbage if isinstance(o, Value)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if was_enabled:
            gc.enable()
    assert built >= before + 40
    assert after == before, f"{after - before} Values outlived their graph without the cycle collector"
    assert not cyclic, f"the cycle collector found {len(cyclic)} Values in reference cycles"


# --- errors during backward --------------------------------------------------------------------

def test_backward_through_a_hand_built_node_raises_a_clear_type_error():
    x = Value(2.0, label='x')
    h = Value(3.0, (x,), 'f', label='h')        # children but no Op: no local derivatives
    for root in (h, h * 2.0):
        with pytest.raises(TypeError) as e:
            root.backward()
        message = str(e.value)
        assert "'h'" in message and 'f' in message and 'by hand' in message, message
        assert x.grad == 0.0 and h.grad == 0.0
    y = x * 5.0                                 # nothing left half-done behind
    y.backward()
    assert x.grad == 5.0


def _overflowing_graph():
    """Forward finite, gradient not: ∂(10¹⁰·ln n)/∂n = 10¹⁰/n = 10³¹⁰ at n = 10⁻³⁰⁰."""
    a = Value(1e-300, label='a')
    n = a * 1.0
    n.label = 'n'
    L = n.log()
    L.label = 'L'
    root = L * 1e10
    root.label = 'root'
    return a, n, L, root


def test_a_gradient_that_overflows_raises_and_changes_no_grad():
    a, n, L, root = _overflowing_graph()
    L.backward()                                # some gradients already there, to keep
    first = (L.grad, n.grad, a.grad)
    order = topological_order(root)
    before = [node.grad for node in order]
    with pytest.raises(OverflowError) as e:
        root.backward()
    message = str(e.value)
    assert "'n'" in message and '1e-300' in message, f"the error should name node 'n': {message}"
    after = [node.grad for node in order]
    assert after == before, "backward changed some .grad before raising"
    L.backward()                                # the graph still works, with no leftovers
    assert (L.grad, n.grad, a.grad) == tuple(2 * g for g in first)


def _interrupted(a):
    """out = a, micrograd's way, whose _backward raises as Ctrl-C would in the middle of backward
    (a custom Op's local_grads can no longer hand backward an object that raises: apply checks)."""
    out = Value(a.data, (a,), 'interrupted')

    def _backward():
        raise RuntimeError("interrupted")
    out._backward = _backward
    return out


def test_an_interrupted_backward_leaves_nothing_behind():
    x = Value(2.0, label='x')
    m = x * 3.0
    root = _interrupted(x) + m
    with pytest.raises(RuntimeError):
        root.backward()
    assert x.grad == 0.0 and m.grad == 0.0
    (m + 0.0).backward()                        # m is interior here: no stale partial sums
    assert (m.grad, x.grad) == (1.0, 3.0), f"expected (1.0, 3.0), got {(m.grad, x.grad)}"


# --- gradcheck ---------------------------------------------------------------------------------

def test_gradcheck_passes_on_a_correct_function():
    x, y = Value(0.3, label='x'), Value(-1.2, label='y')
    assert gradcheck(lambda x, y: (x * y).tanh() + x.exp() / (1 + y * y), [x, y]) is True
    assert gradcheck(lambda a, b, c: weighted_sum([a], [b], c).sigmoid(), [0.5, 2.0, -1.0]) is True
    assert (x.grad, y.grad) == (0.0, 0.0), "gradcheck must not touch the caller's Values"


class _WrongSquare(Op):
    """out = a²;   ∂out/∂a = 2a — but local_grads below forgets the 2"""
    symbol = 'sq'

    def forward(a):
        return a * a

    def local_grads(a, out):
        return (a,)


def test_gradcheck_names_each_wrong_input_with_both_numbers():
    f = lambda x, y, z: _WrongSquare.apply(x) * y + _WrongSquare.apply(z)
    with pytest.raises(GradcheckError) as e:
        gradcheck(f, [Value(3.0, label='x'), Value(2.0, label='y'), Value(-1.0, label='z')])
    message = str(e.value)
    lines = {m.group(1): (float(m.group(2)), float(m.group(3))) for m in re.finditer(
        r"(\w+) = [-\d.e+]+: analytic ([-\d.e+]+), numeric ([-\d.e+]+)", message)}
    assert set(lines) == {'x', 'z'}, f"expected x and z named, not y: {message}"
    assert lines['x'][0] == 6.0 and lines['x'][1] == pytest.approx(12.0, rel=1e-6), message
    assert lines['z'][0] == -1.0 and lines['z'][1] == pytest.approx(-2.0, rel=1e-6), message
    assert isinstance(e.value, AssertionError)
