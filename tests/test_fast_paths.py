"""The operators' dedicated paths (engine._binary, engine._unary) make exactly the node the
primitive's own Op.apply makes: the same number and local derivatives to the bit, the same parents,
op and constants — or the same error, word for word.  Hypothesis tries random operands and the
edge values (±0.0, the tiniest and largest floats, overflow, division by zero, domain errors)."""
import struct

import pytest
from hypothesis import example, given, settings, strategies as st

from micrograd import Value
from micrograd.engine import FAST, Constant, is_constant

EDGES = [0.0, -0.0, 5e-324, -5e-324, 1e-320, 1e308, -1e308, 1.7976931348623157e308, 1.0, -1.0,
         0.5, 709.78, 710.0, -745.2, 1e-160, 3]
operand = st.one_of(st.sampled_from(EDGES), st.floats(allow_nan=False, allow_infinity=False),
                    st.integers(-10 ** 6, 10 ** 6))
REFLECTED = {'__radd__', '__rmul__', '__rsub__', '__rtruediv__'}
BINARY = [name for name in FAST if name.startswith('__') and name != '__neg__']
UNARY = [name for name in FAST if name not in BINARY]


def bits(x):
    return struct.pack('>d', x)


def same_node(fast, slow):
    assert bits(fast.data) == bits(slow.data), (fast.data, slow.data)
    assert [bits(d) for d in fast.local_grads()] == [bits(d) for d in slow.local_grads()]
    assert fast._fn is slow._fn and fast._op == slow._op and fast._const == slow._const
    assert fast.label == slow.label == '' and fast.grad == slow.grad == 0.0
    for p, q in zip(fast._prev, slow._prev, strict=True):
        assert bits(p.data) == bits(q.data) and is_constant(p) == is_constant(q)


def outcome(f):
    try:
        return f(), None
    except (ArithmeticError, ValueError, TypeError) as e:
        return None, (type(e), str(e))


@pytest.mark.parametrize('name', BINARY)
@settings(max_examples=150, deadline=None)
@given(a=operand, b=operand, b_is_number=st.booleans())
@example(a=1e308, b=1e308, b_is_number=False)
@example(a=1.0, b=0.0, b_is_number=True)
@example(a=1.0, b=5e-324, b_is_number=False)
def test_a_binary_operator_makes_the_node_its_op_makes(name, a, b, b_is_number):
    op = FAST[name]
    x = Value(a, label='a')
    y = b if b_is_number or name in REFLECTED else Value(b, label='b')
    fast, fast_error = outcome(lambda: getattr(x, name)(y))
    if name in REFLECTED:                       # the number on the left: 2 − x is Sub(2, x)
        c = Value(y)
        c._fn = Constant
        parents = (c, x) if name in ('__rsub__', '__rtruediv__') else (x, c)
    else:
        c = y if isinstance(y, Value) else Value(y)
        if not isinstance(y, Value):
            c._fn = Constant
        parents = (x, c)
    slow, slow_error = outcome(lambda: op.apply(*parents))
    assert fast_error == slow_error, f"{name}({a!r}, {b!r}): {fast_error} vs {slow_error}"
    if slow is not None:
        same_node(fast, slow)
        assert fast._prev[parents.index(x)] is x


@pytest.mark.parametrize('name', UNARY)
@settings(max_examples=150, deadline=None)
@given(a=operand)
@example(a=710.0)
@example(a=0.0)
@example(a=-0.0)
def test_a_unary_method_makes_the_node_its_op_makes(name, a):
    x = Value(a, label='a')
    fast, fast_error = outcome(lambda: getattr(x, name)())
    slow, slow_error = outcome(lambda: FAST[name].apply(x))
    assert fast_error == slow_error, f"{name}({a!r}): {fast_error} vs {slow_error}"
    if slow is not None:
        same_node(fast, slow)
        assert fast._prev == (x,)


def test_every_fast_path_is_a_primitive_and_a_number_on_either_side_works():
    from micrograd import PRIMITIVES
    assert set(FAST.values()) <= set(PRIMITIVES)
    x = Value(3.0)
    assert [(2 - x).data, (x - 2).data, (2 / x).data, (2 * x).data, (2 + x).data, (-x).data] == \
        [-1.0, 1.0, 2 / 3, 6.0, 5.0, -3.0]
    with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for -: 'str' and 'Value'"):
        'a' - x
    assert x.__add__(object()) is NotImplemented
