"""`Value ** Value` at a base ≤ 0 (issue 23): the result is computed whenever it is a real number
(a negative base with an integral exponent, 0⁰ = 1, 0 to a positive power); ∂(aᵇ)/∂b = aᵇ·ln a,
which has no real value there, is reported by backward() only if a gradient has to flow through
that edge, naming it — and steps, pictures, the compiled replay and compare_with_torch agree."""
import importlib.util

import pytest

from micrograd import Value, backward_steps, compile, draw_dot, forward_steps, topological_order
from micrograd.engine import PowValue


def _leaves(a, b):
    return Value(a, label='a'), Value(b, label='b')


def _refused_by_backward(root, edge_to):
    """backward() raises a ValueError naming the ** edge into `edge_to`, changing no .grad."""
    order = topological_order(root)
    with pytest.raises(ValueError) as e:
        root.backward()
    message = str(e.value)
    assert "'**'" in message and 'a > 0' in message and repr(edge_to) in message, message
    assert [n.grad for n in order] == [0.0] * len(order)
    return message


def test_a_negative_base_with_an_integral_exponent_is_computed():
    a, b = _leaves(-2.0, 2.0)
    y = a ** b
    assert y.data == 4.0
    da, db = y.local_grads()
    assert da == -4.0 and db != db              # ∂b = aᵇ·ln a: no real value (PyTorch: nan)
    _refused_by_backward(y, 'b')
    assert (Value(-2.0) ** Value(3.0)).data == -8.0


def test_zero_to_the_zero_is_one():
    a, b = _leaves(0.0, 0.0)
    y = a ** b
    assert y.data == 1.0
    assert y.local_grads()[0] == 0.0
    _refused_by_backward(y, 'b')


def test_a_zero_exponent_from_relu_at_a_negative_base():
    x = Value(-3.0, label='x')
    r = x.relu()
    r.label = 'r'
    y = x ** r                                  # (-3) ** 0
    assert y.data == 1.0
    _refused_by_backward(y, 'r')


def test_no_error_where_no_gradient_flows_through_the_exponent():
    a = Value(-2.0, label='a')
    y = PowValue.apply(a, 3.0)                  # the exponent is a number: nobody asks for its ∂
    y.backward()
    assert (y.data, a.grad) == (-8.0, 12.0)     # ∂(a³)/∂a = 3a²
    a, b = _leaves(-2.0, 3.0)
    y = (a ** b).relu()                         # -8 → ReLU off: no gradient reaches a ** b
    y.backward()
    assert (y.data, a.grad, b.grad) == (0.0, 0.0, 0.0)


def test_what_stays_refused():
    with pytest.raises(ValueError, match=r"\*\*.*non-integer"):
        Value(-2.0) ** Value(0.5)               # complex
    with pytest.raises(ZeroDivisionError, match=r"\*\*"):
        Value(0.0) ** Value(-1.0)               # 1/0
    a, b = _leaves(0.0, 2.0)
    (a ** b).backward()                         # 0 to a positive power: ∂b → 0, as before
    assert (a.grad, b.grad) == (0.0, 0.0)


def test_steps_and_pictures_show_the_node():
    a, b = _leaves(-2.0, 2.0)
    y = a ** b
    y.label = 'y'
    assert 'y' in draw_dot(y).source
    assert forward_steps(y)[-1].data == 4.0
    with pytest.raises(ValueError) as e:
        backward_steps(y)
    assert "'**'" in str(e.value) and "'b'" in str(e.value), str(e.value)
    x = Value(-2.0, label='x')
    steps = backward_steps(PowValue.apply(x, 3.0))
    assert [s.grad for s in steps if s.name == 'x'] == [12.0]
    r = (x ** Value(3.0, label='k')).relu()     # ReLU off: nothing flows back, as in backward()
    steps = backward_steps(r)
    assert sorted((s.name, s.grad) for s in steps if s.name in 'xk') == [('k', 0.0), ('x', 0.0)]


def test_the_compiled_replay_agrees_with_backward():
    a, b = _leaves(-2.0, 2.0)
    f = compile(a ** b, [a, b])
    with pytest.raises(ValueError) as e:
        f(-2.0, 2.0)
    assert "'**'" in str(e.value) and "'b'" in str(e.value)
    x = Value(-2.0, label='x')
    y = (x ** Value(3.0, label='k')).relu()     # no gradient through the exponent
    g = compile(y, [x])
    r = g(-2.0)
    assert (r.value, r.grads) == (0.0, [0.0])
    r = g(2.0)                                  # 2³ = 8: ∂/∂x = 3·2² = 12
    assert (r.value, r.grads) == (8.0, [12.0])


@pytest.mark.skipif(importlib.util.find_spec('torch') is None, reason="PyTorch not installed")
def test_compare_with_torch_says_what_backward_says():
    from micrograd import compare_with_torch
    a, b = _leaves(-2.0, 2.0)
    with pytest.raises(ValueError, match=r"'\*\*'"):
        compare_with_torch(a ** b)
    a = Value(-2.0, label='a')
    y = PowValue.apply(a, 3.0)
    table = compare_with_torch(y)
    assert table['a'].grad == table['a'].torch_grad == 12.0
