"""Bad math never passes silently: every bad input raises a clear error that names the op, the
value and the node's label, and leaves its operands as they were."""
import math
from typing import Callable, NamedTuple

import mpmath
import pytest

from micrograd import Value, weighted_sum
from micrograd.engine import Mul


def leaf(data, label):
    """An operand with a gradient already in it, so an error that resets it would show."""
    v = Value(data, label=label)
    v.grad = 0.25
    return v


def data(x, label):
    return [], lambda: Value(x, label=label)


def unary(x, label, f):
    v = leaf(x, label)
    return [v], lambda: f(v)


def binary(a, label_a, b, label_b, f):
    u, v = leaf(a, label_a), leaf(b, label_b)
    return [u, v], lambda: f(u, v)


class Bad(NamedTuple):
    error: type
    words: tuple        # what the message must say: the op, the value, the label
    make: Callable      # () -> (the operands, a function that must raise)


div, power = (lambda a, b: a / b), (lambda a, b: a ** b)
power_backward = lambda a, b: (a ** b).backward()     # noqa: E731
CASES = {
    # data that is not a real, finite number
    'str data': Bad(TypeError, ('str', 'abc', 'name'), lambda: data('abc', 'name')),
    'complex data': Bad(TypeError, ('complex', '(1+2j)', "'z'"), lambda: data(1 + 2j, 'z')),
    'None data': Bad(TypeError, ('NoneType', 'None', 'nothing'), lambda: data(None, 'nothing')),
    'list data': Bad(TypeError, ('list', '[1.0]', 'row'), lambda: data([1.0], 'row')),
    'nan data': Bad(ValueError, ('NaN', "'q'"), lambda: data(math.nan, 'q')),
    'inf data': Bad(ValueError, ('inf', "'q'"), lambda: data(math.inf, 'q')),
    '-inf data': Bad(ValueError, ('-inf', "'q'"), lambda: data(-math.inf, 'q')),
    'huge int data': Bad(OverflowError, ('1000', 'big'), lambda: data(10 ** 400, 'big')),
    # logarithms
    'log(0)': Bad(ValueError, ('log', 'x=0.0'), lambda: unary(0.0, 'x', Value.log)),
    'log(-2)': Bad(ValueError, ('log', 'x=-2.0'), lambda: unary(-2.0, 'x', Value.log)),
    # powers with a constant exponent
    '0 ** -1': Bad(ZeroDivisionError, ('**', 'x=0.0', '-1'), lambda: unary(0.0, 'x', lambda v: v ** -1)),
    '0 ** -0.5': Bad(ZeroDivisionError, ('**', 'x=0.0', '-0.5'), lambda: unary(0.0, 'x', lambda v: v ** -0.5)),
    '-8 ** 0.5': Bad(ValueError, ('**', 'x=-8.0', '0.5'), lambda: unary(-8.0, 'x', lambda v: v ** 0.5)),
    '-8 ** (1/3)': Bad(ValueError, ('**', 'x=-8.0', '0.333'), lambda: unary(-8.0, 'x', lambda v: v ** (1 / 3))),
    '10 ** 400': Bad(OverflowError, ('**', 'x=10.0', '400'), lambda: unary(10.0, 'x', lambda v: v ** 400)),
    'nan exponent': Bad(ValueError, ('NaN', 'exponent'), lambda: unary(2.0, 'x', lambda v: v ** math.nan)),
    # Value ** Value and number ** Value: ∂/∂b = aᵇ·ln a needs a > 0
    # (-2)³ and 0⁰ are computed; ∂/∂k = aᵏ·ln a is not a real number, so backward() refuses
    'Value ** Value, negative base': Bad(ValueError, ("'**'", "node 'k'", 'a > 0'),
                                         lambda: binary(-2.0, 'base', 3.0, 'k', power_backward)),
    'Value ** Value, 0 ** 0': Bad(ValueError, ("'**'", "node 'k'", 'a > 0'),
                                  lambda: binary(0.0, 'base', 0.0, 'k', power_backward)),
    'number ** Value, negative base': Bad(ValueError, ("'**'", "node 'k'", 'a > 0'),
                                          lambda: unary(2.0, 'k', lambda v: ((-2) ** v).backward())),
    'number ** Value, fractional': Bad(ValueError, ('**', '-8.0', 'k=0.5'),
                                       lambda: unary(0.5, 'k', lambda v: (-8) ** v)),
    '0 ** Value(-1)': Bad(ZeroDivisionError, ('**', '0.0', 'k=-1.0'), lambda: unary(-1.0, 'k', lambda v: 0 ** v)),
    '10 ** Value(400)': Bad(OverflowError, ('**', '10.0', 'k=400.0'),
                            lambda: unary(400.0, 'k', lambda v: 10 ** v)),
    # division
    'Value / Value(0)': Bad(ZeroDivisionError, ('/', 'num=1.0', 'den=0.0'),
                            lambda: binary(1.0, 'num', 0.0, 'den', div)),
    'Value / Value(-0.0)': Bad(ZeroDivisionError, ('/', 'num=1.0', 'den=-0.0'),
                               lambda: binary(1.0, 'num', -0.0, 'den', div)),
    'Value / 0': Bad(ZeroDivisionError, ('/', 'num=1.0', '0.0'), lambda: unary(1.0, 'num', lambda v: v / 0)),
    'number / Value(0)': Bad(ZeroDivisionError, ('/', '1.0', 'den=0.0'),
                             lambda: unary(0.0, 'den', lambda v: 1 / v)),
    # overflow
    'exp(710)': Bad(OverflowError, ('exp', 'x=710.0'), lambda: unary(710.0, 'x', Value.exp)),
    '1e200 * 1e200': Bad(OverflowError, ('*', 'a=1e+200', 'b=1e+200'),
                         lambda: binary(1e200, 'a', 1e200, 'b', lambda a, b: a * b)),
    '1e200 * number': Bad(OverflowError, ('*', 'a=1e+200'), lambda: unary(1e200, 'a', lambda v: v * 1e200)),
    '1e308 + 1e308': Bad(OverflowError, ('+', 'a=1e+308', 'b=1e+308'),
                         lambda: binary(1e308, 'a', 1e308, 'b', lambda a, b: a + b)),
    '-1e308 - 1e308': Bad(OverflowError, ('+', 'a=-1e+308'),
                          lambda: binary(-1e308, 'a', 1e308, 'b', lambda a, b: a - b)),
    'weighted_sum overflow': Bad(OverflowError, ('Σ', 'w=1e+200', 'a=1e+200'),
                                 lambda: binary(1e200, 'w', 1e200, 'a', lambda w, a: weighted_sum([w], [a], 0.0))),
    # operands that are not numbers: Python's own TypeError, naming the op and both types
    'Value + str': Bad(TypeError, ('+', 'Value', 'str'), lambda: unary(1.0, 'x', lambda v: v + 'a')),
    'str + Value': Bad(TypeError, ('+', 'Value', 'str'), lambda: unary(1.0, 'x', lambda v: 'a' + v)),
    'Value - str': Bad(TypeError, ('-', 'Value', 'str'), lambda: unary(1.0, 'x', lambda v: v - 'a')),
    'Value * None': Bad(TypeError, ('*', 'Value', 'NoneType'), lambda: unary(1.0, 'x', lambda v: v * None)),
    'Value / list': Bad(TypeError, ('/', 'Value', 'list'), lambda: unary(1.0, 'x', lambda v: v / [1.0])),
    'Value ** str': Bad(TypeError, ('**', 'Value', 'str'), lambda: unary(1.0, 'x', lambda v: v ** 'a')),
    'Value + complex': Bad(TypeError, ('+', 'Value', 'complex'), lambda: unary(1.0, 'x', lambda v: v + 1j)),
    'Op.apply(str)': Bad(TypeError, ('*', 'str'), lambda: unary(1.0, 'x', lambda v: Mul.apply(v, 'a'))),
    'weighted_sum lengths': Bad(ValueError, ('weighted_sum', '2 weights', '1 input'),
                                lambda: binary(1.0, 'w', 2.0, 'a', lambda w, a: weighted_sum([w, w], [a], 0.0))),
}


def _state(v):
    return (v.data, v.grad, v.parents, v._op, v.label, v.local_grads())


@pytest.mark.parametrize('name', list(CASES))
def test_bad_input_raises_a_clear_error_and_changes_nothing(name):
    case = CASES[name]
    operands, action = case.make()
    before = [_state(v) for v in operands]
    with pytest.raises(Exception) as e:
        action()
    assert type(e.value) is case.error, f"{name}: expected {case.error.__name__}, got {e.value!r}"
    message = str(e.value)
    missing = [w for w in case.words if w not in message]
    assert not missing, f"{name}: the message should mention {missing}: {message!r}"
    assert 'math domain error' not in message
    after = [_state(v) for v in operands]
    assert after == before, f"{name}: an operand changed: {before} -> {after}"


# --- sigmoid and tanh: exact limits and accuracy, never errors ----------------------------------

@pytest.mark.parametrize('x, sigma, t', [(1000.0, 1.0, 1.0), (-1000.0, 0.0, -1.0),
                                         (1.7976931348623157e308, 1.0, 1.0),
                                         (-1.7976931348623157e308, 0.0, -1.0)])
def test_sigmoid_and_tanh_reach_their_limits_with_finite_slopes(x, sigma, t):
    for method, limit in ((Value.sigmoid, sigma), (Value.tanh, t)):
        out = method(Value(x))
        d, = out.local_grads()
        assert out.data == limit, f"{method.__name__}({x}) expected {limit}, got {out.data!r}"
        assert d == 0.0, f"{method.__name__}'({x}) expected 0.0, got {d!r}"


@pytest.mark.parametrize('x', [-30.0, -37.0, -100.0, -700.0, -5.0, 5.0, 30.0])
def test_sigmoid_is_accurate(x):
    with mpmath.workdps(50):
        exact = 1 / (1 + mpmath.exp(-mpmath.mpf(x)))
        got = Value(x).sigmoid().data
        error = abs((mpmath.mpf(got) - exact) / exact)
    assert error < 1e-15, \
        f"σ({x}) expected {mpmath.nstr(exact, 17)}, got {got!r} (relative error {float(error):.2e})"
