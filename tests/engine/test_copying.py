"""copy.deepcopy and pickle of a graph (issue 21 item 10): deep chains without RecursionError,
shared nodes kept shared, and a learner's own `_backward` closure copied with its graph."""
import copy
import math
import pickle

from micrograd import Value, topological_order


def _chain(n):
    x = Value(0.5, label='x')
    v = x
    for _ in range(n):
        v = v * 1.0001 + 0.1
    return x, v


def _lecture_tanh(x):
    """micrograd's way: a node built by hand, its _backward a closure over x and out."""
    t = math.tanh(x.data)
    out = Value(t, (x,), 'tanh', label='t')

    def _backward():
        x.grad += (1 - t ** 2) * out.grad
    out._backward = _backward
    return out


def test_a_deepcopy_of_a_learners_node_runs_its_own_closure_on_the_copies():
    x = Value(0.8, label='x')
    root = _lecture_tanh(x) * 2.0
    twin = copy.deepcopy(root)
    twin.backward()
    leaf = topological_order(twin)[0]
    assert leaf.label == 'x' and leaf is not x
    assert leaf.grad == 2.0 * (1 - math.tanh(0.8) ** 2)
    assert x.grad == 0.0 and root.grad == 0.0   # the original is untouched


def test_a_chain_100000_deep_pickles_and_20000_deep_deepcopies():
    x, v = _chain(100_000)
    back = pickle.loads(pickle.dumps(v))
    assert back.data == v.data and back is not v
    back.backward()
    assert topological_order(back)[0].grad > 0 and x.grad == 0.0
    x, v = _chain(20_000)
    twin = copy.deepcopy(v)
    assert twin.data == v.data and len(topological_order(twin)) == len(topological_order(v))


def test_nodes_shared_by_what_is_copied_at_once_stay_shared():
    a = Value(2.0, label='a')
    b = a * 3.0
    d = b + a
    for a2, b2, d2 in (pickle.loads(pickle.dumps([a, b, d])), copy.deepcopy([a, b, d])):
        assert d2._prev[0] is b2 and b2._prev[0] is a2 and d2._prev[1] is a2
        d2.backward()
        assert (a2.grad, b2.grad) == (4.0, 1.0) and a.grad == 0.0
    again = pickle.loads(pickle.dumps(d))       # the bookkeeping of the last pickle is gone
    assert again.data == d.data == 8.0


def test_a_shallow_copy_shares_the_parents():
    a = Value(2.0, label='a')
    b = a * 3.0
    c = copy.copy(b)
    assert c is not b and c._prev == b._prev and c.data == 6.0 and c.local_grads() == b.local_grads()
