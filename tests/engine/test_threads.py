"""backward() in several threads at once (issue 21, item 1): a pass only ever adds its own
gradients into .grad, so passes running side by side add up exactly as one after the other.

Every number below is an integer (products and sums of small integers), so the gradients are
exact whatever order the threads' additions land in: the expected numbers are exact too.
"""
import sys
import threading

import pytest

from micrograd import Value, topological_order

THREADS = 8


def _params():
    return [Value(float(d), label=f"w{i}") for i, d in enumerate((1, 2, -1, 3, -2, 1))]


def _doubled(v):
    """2·v as micrograd builds a new op: a node with the learner's own _backward."""
    out = Value(2 * v.data, (v,), 'double')

    def _backward():
        v.grad += 2 * out.grad
    out._backward = _backward
    return out


def _loss(w, t):
    """Thread t's graph over the shared parameters w: many nodes, every op kind, integer data."""
    terms = []
    for j in range(200):
        x = float(t + j % 7 - 3)
        z = w[j % 6] * x + w[(j + 1) % 6] - w[(j + 2) % 6] / 1.0
        terms.append(z ** 2 if j % 3 else _doubled(z).relu() + (-z) * w[(j + 3) % 6])
    return sum(terms)


def _run(target, *args):
    barrier = threading.Barrier(THREADS)
    errors = []

    def body(*a):
        try:
            barrier.wait()
            target(*a)
        except BaseException as e:      # noqa: B036 - reported below, with the thread's number
            errors.append(repr(e))
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)          # a switch almost anywhere
    try:
        threads = [threading.Thread(target=body, args=(t, *args)) for t in range(THREADS)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
    finally:
        sys.setswitchinterval(old)
    assert not errors, errors


def _alone(t, calls):
    """Thread t's gradients for the six parameters, computed alone on copies of them."""
    w = _params()
    loss = _loss(w, t)
    for _ in range(calls):
        loss.backward()
    return [p.grad for p in w]


@pytest.mark.parametrize('trial', range(3))
def test_threads_with_graphs_of_their_own_over_shared_parameters_add_up_exactly(trial):
    calls = 10
    w = _params()
    expected = [sum(g) for g in zip(*(_alone(t, calls) for t in range(THREADS)))]
    assert all(g == int(g) and g for g in expected)     # the exactness the test relies on

    def work(t):
        loss = _loss(w, t)
        for _ in range(calls):
            loss.backward()
    _run(work)
    got = [p.grad for p in w]
    assert got == expected, ("shared parameters after 8 threads' backward(): expected "
                             f"{expected}, got {got}")


@pytest.mark.parametrize('trial', range(3))
def test_threads_calling_backward_on_one_shared_graph_add_up_exactly(trial):
    calls = 10
    w = _params()
    loss = _loss(w, 3)
    order = topological_order(loss)
    loss.backward()
    once = [n.grad for n in order]
    for n in order:
        n.grad = 0.0

    def work(t):
        for _ in range(calls):
            loss.backward()
    _run(work)
    wrong = [(n.label or n._op, 80 * g, n.grad) for n, g in zip(order, once) if n.grad != 80 * g]
    assert not wrong, (f"{len(wrong)} of {len(order)} nodes are not exactly 80 × one pass "
                       f"(node, expected, got): {wrong[:5]}")
