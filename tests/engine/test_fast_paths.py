"""The operators, written from their primitives (_fast._operator), and the neurons' weighted sums
(_fast.weighted_sums) make exactly the node the primitive's own Op.apply makes: the same number
and local derivatives to the bit, the same parents, op and constants — or the same error, word for
word.  Hypothesis tries random operands and the edge values (±0.0, the tiniest and largest floats,
overflow, division by zero, domain errors)."""
import math
import struct

import pytest
from hypothesis import example, given, settings, strategies as st

from micrograd import Value
from micrograd import engine
from micrograd.engine import Constant, is_constant

pytestmark = pytest.mark.skipif(engine._fast is None, reason="the engine runs without its fast paths")
FAST = engine._fast.operators(vars(engine)) if engine._fast else {}

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
    assert fast._made is slow._made and fast._op == slow._op
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
        c._made = Constant
        parents = (c, x) if name in ('__rsub__', '__rtruediv__') else (x, c)
    else:
        c = y if isinstance(y, Value) else Value(y)
        if not isinstance(y, Value):
            c._made = Constant
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


def test_an_operator_pastes_its_ops_own_return_expressions_or_calls_them():
    """_operator works from any Op's source: one-line bodies are pasted, longer ones called, and
    so is one that reads a variable of the function around it."""
    import inspect

    from micrograd.engine import Op
    from micrograd._fast import _operator, source as written
    scale = 3.0

    class Softplus(Op):
        """y = ln(1 + eˣ);   ∂y/∂x = σ(x)"""
        symbol = 'softplus'

        def forward(x):
            return math.log1p(math.exp(x))

        def local_grads(x, y):
            if x < -50:
                return (math.exp(x),)
            return (1 / (1 + math.exp(-x)),)

    method = _operator(Softplus, 'softplus')
    source = written(method)
    assert 'math.log1p(math.exp(x))' in source and '_local_grads(x, y)' in source, source
    for a in (-60.0, -1.0, 0.0, 2.5, 30.0, 800.0):
        fast, fast_error = outcome(lambda: method(Value(a, label='a')))
        slow, slow_error = outcome(lambda: Softplus.apply(Value(a, label='a')))
        assert fast_error == slow_error, (a, fast_error, slow_error)
        if slow is not None:
            same_node(fast, slow)
    assert 'a * b' in written(Value.__mul__)                 # Mul's own forward, pasted
    tanh = written(Value.tanh)
    assert 'math.tanh(a)' in tanh and '(1.0 - out * out,)' in tanh, tanh
    assert inspect.getsource(Value.tanh).split() == ['def', 'tanh(self):', 'return', 'Tanh.apply(self)']

    class Scaled(Op):
        symbol = 'scaled'

        def forward(x):
            return scale * x

        def local_grads(x, y):
            return (scale,)
    source = written(_operator(Scaled, 'scaled'))
    assert '_forward(x)' in source and '_local_grads(x, y)' in source, source
    assert _operator(Scaled, 'scaled')(Value(2.0)).data == 6.0


number_or_value = st.tuples(operand, st.booleans())


@settings(max_examples=150, deadline=None)
@given(rows=st.integers(1, 4), n=st.integers(0, 5), data=st.data())
def test_weighted_sums_make_the_nodes_weighted_sum_apply_makes(rows, n, data):
    """Random layers (numbers among the inputs or biases go through apply): the same numbers,
    local derivatives, parents, op and label as WeightedSum.apply, or the same error."""
    from micrograd.engine import WeightedSum, weighted_sums

    def draw():
        x, is_value = data.draw(number_or_value)
        return Value(x) if is_value else x
    W = [[Value(data.draw(operand)) for _ in range(n)] for _ in range(rows)]
    a = [draw() for _ in range(n)]
    B = [draw() for _ in range(rows)]
    labels = [f"z[{j}]" for j in range(rows)]
    fast, fast_error = outcome(lambda: weighted_sums(W, a, B, labels))
    slow = []
    for w, b in zip(W, B):
        node, slow_error = outcome(lambda: WeightedSum.apply(*w, *a, b))
        if slow_error:
            break
        slow.append(node)
    assert (fast_error is None) == (slow_error is None), (fast_error, slow_error)
    if fast_error:
        assert fast_error == slow_error
        return
    for f, s, label in zip(fast, slow, labels, strict=True):
        assert f.label == label
        f.label = ''
        same_node(f, s)


def test_weighted_sums_check_their_shapes():
    from micrograd.engine import weighted_sums
    x = [Value(1.0), Value(2.0)]
    with pytest.raises(ValueError, match="3 weights but 2 inputs"):
        weighted_sums([[Value(1.0)] * 3], x, [Value(0.0)])
    with pytest.raises(ValueError, match="2 rows of weights but 1 biases"):
        weighted_sums([[Value(1.0)] * 2] * 2, x, [Value(0.0)])
