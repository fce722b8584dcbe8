"""A learner's own `micrograd.Op` subclass is gradchecked, drawn and stepped like a built-in op."""
import math
import re

import numpy as np
import pytest
import sympy

from micrograd import (GradcheckError, Op, Value, backward_steps, draw_dot, forward_steps,
                       gradcheck, to_svg)

POINTS = (-3.0, -1.2, -0.3, 0.0, 0.4, 1.5, 4.0)
C = math.sqrt(2 / math.pi)                  # GELU's tanh approximation constant √(2/π)


def sigmoid(x):
    return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))


# --- what a learner writes -------------------------------------------------------------------

class Softplus(Op):
    """y = ln(1 + eˣ);   ∂y/∂x = σ(x)"""
    symbol = 'softplus'

    def forward(x):
        return max(x, 0.0) + math.log1p(math.exp(-abs(x)))     # ln(1 + eˣ) without overflow

    def local_grads(x, y):
        return (sigmoid(x),)


class Gelu(Op):
    """y = ½x(1 + tanh u),  u = √(2/π)(x + 0.044715x³);
    ∂y/∂x = ½(1 + tanh u) + ½x(1 − tanh²u)·√(2/π)(1 + 3·0.044715x²)"""
    symbol = 'gelu'

    def forward(x):
        return 0.5 * x * (1 + math.tanh(C * (x + 0.044715 * x ** 3)))

    def local_grads(x, y):
        t = math.tanh(C * (x + 0.044715 * x ** 3))
        return (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * C * (1 + 3 * 0.044715 * x * x),)


class SoftplusWrong(Softplus):
    """The slip: ∂y/∂x written as eˣ (the derivative of the inside, without the 1/(1 + eˣ))."""

    def local_grads(x, y):
        return (math.exp(x),)


class Hypot(Op):
    """out = √(a² + b²);   ∂out/∂a = a/out,  ∂out/∂b = b/out"""
    symbol = 'hypot'

    def forward(a, b):
        return math.hypot(a, b)

    def local_grads(a, b, out):
        return (a / out, b / out)


class HypotWrongB(Hypot):
    """The slip is in the second input only: ∂out/∂b written as a/out."""

    def local_grads(a, b, out):
        return (a / out, a / out)


def softplus(v):
    return Softplus.apply(v)


def gelu(v):
    return Gelu.apply(v)


# --- gradcheck -------------------------------------------------------------------------------

@pytest.mark.parametrize('x', POINTS)
@pytest.mark.parametrize('f', [softplus, gelu], ids=['softplus', 'gelu'])
def test_custom_op_passes_gradcheck(f, x):
    assert gradcheck(f, [Value(x, label='x')])


@pytest.mark.parametrize('x', POINTS)
def test_custom_ops_compose_with_builtins(x):
    def f(x, w, b):
        return gelu(w * x + b) * softplus(x) + (x * w).tanh()
    assert gradcheck(f, [Value(x, label='x'), Value(-0.8, label='w'), Value(0.3, label='b')])


@pytest.mark.parametrize('x', POINTS)
def test_local_grads_match_sympy(x):
    s = sympy.Symbol('x')
    forms = {Softplus: sympy.log(1 + sympy.exp(s)),
             Gelu: s / 2 * (1 + sympy.tanh(sympy.sqrt(2 / sympy.pi) * (s + 0.044715 * s ** 3)))}
    for op, expr in forms.items():
        node = op.apply(Value(x))
        exact = float(sympy.diff(expr, s).subs(s, x))
        assert float(expr.subs(s, x)) == pytest.approx(node.data, rel=1e-12, abs=1e-12), \
            f"{op.symbol}({x}): forward {node.data}, sympy {float(expr.subs(s, x))}"
        assert node.local_grads()[0] == pytest.approx(exact, rel=1e-12, abs=1e-12), \
            f"{op.symbol}'({x}): local_grads {node.local_grads()[0]}, sympy {exact}"


def test_custom_op_is_stable_far_out():
    assert Softplus.apply(Value(1000.0)).data == 1000.0
    assert Softplus.apply(Value(-1000.0)).data == 0.0
    big = Value(800.0)
    (Softplus.apply(big) * 2).backward()
    assert big.grad == 2.0


def test_wrong_local_derivative_fails_gradcheck_naming_the_input():
    # eˣ at 0.7 is 2.01375…, the true slope σ(0.7) is 0.66818…
    with pytest.raises(GradcheckError, match=r"x = 0\.7: analytic 2\.01375\d*, numeric 0\.6681"):
        gradcheck(SoftplusWrong.apply, [Value(0.7, label='x')])


def test_gradcheck_names_only_the_input_whose_derivative_is_wrong():
    with pytest.raises(GradcheckError) as caught:
        gradcheck(HypotWrongB.apply, [Value(3.0, label='a'), Value(-4.0, label='b')])
    message = str(caught.value)
    assert "b = -4.0: analytic 0.6, numeric -0.8" in message, message
    assert "a = 3.0" not in message, message
    assert gradcheck(Hypot.apply, [Value(3.0, label='a'), Value(-4.0, label='b')])


# --- drawn and stepped like a built-in -------------------------------------------------------

def _graph(unary):
    x, c = Value(0.7, label='x'), Value(3.0, label='c')
    y = unary(x)
    y.label = 'y'
    L = y * c
    L.label = 'L'
    return x, y, L


def _shape_of(source, symbol):
    """The DOT source with numbers and the op's symbol blanked out: what is left is the layout."""
    source = re.sub(r"(data|grad) -?[\d.]+(e[-+]?\d+)?", r"\1 #", source)
    return source.replace(f'label="{symbol}"', 'label="OP"')


def test_custom_op_renders_like_a_builtin():
    custom = draw_dot(_graph(softplus)[2]).source
    builtin = draw_dot(_graph(Value.tanh)[2]).source
    assert 'label="softplus"' in custom
    assert _shape_of(custom, 'softplus') == _shape_of(builtin, 'tanh'), \
        f"softplus draws differently from tanh:\n{custom}\n---\n{builtin}"


def test_custom_op_symbol_is_in_the_svg():
    svg = to_svg(_graph(gelu)[2])
    assert svg.lstrip().startswith(('<?xml', '<svg')), svg[:80]
    assert '>gelu</text>' in svg, "the op node 'gelu' is missing from the SVG"


def test_custom_op_steps_like_a_builtin():
    x, y, L = _graph(softplus)
    steps = backward_steps(L)
    step = next(s for s in steps if s.name == 'y')
    term, = step.terms
    assert step.formula == 'y = softplus(x)', step.formula
    assert term.upstream == 3.0 and term.local == sigmoid(0.7)
    assert term.product == pytest.approx(3.0 * sigmoid(0.7), rel=1e-15), \
        f"softplus step: product {term.product}, expected 3·σ(0.7) = {3.0 * sigmoid(0.7)}"
    shown = [float(n) for n in re.findall(r"-?\d+\.\d+", step.explain())]
    assert any(abs(n - term.product) < 1e-4 for n in shown), \
        f"the product {term.product} is not in the explanation:\n{step.explain()}"
    L.backward()
    assert x.grad == term.grad, f"x.grad {x.grad} but the step ends on {term.grad}"
    forward = next(s for s in forward_steps(L) if s.name == 'y').explain()
    assert forward == 'y = softplus(x) = softplus(0.7) = 1.1032', forward


# --- what local_grads returns is checked, as forward's result is (issue 21) -------------------

class Cbrt(Op):
    """y = ∛x;   ∂y/∂x = ⅓·x^(−2/3) — written with Python's **, which is complex for x < 0"""
    symbol = 'cbrt'

    def forward(x):
        return math.copysign(abs(x) ** (1 / 3), x)

    def local_grads(x, y):
        return ((1 / 3) * x ** (-2 / 3),)


def returning(*local):
    """An op y = 2x whose local_grads returns `local`, whatever it is."""
    class Twice(Op):
        symbol = 'twice'

        def forward(x):
            return 2.0 * x

        def local_grads(x, y):
            return local
    return Twice


@pytest.mark.parametrize('op, kind, words', [
    (Cbrt, TypeError, ('cbrt', 'complex', 'x=-8.0')),
    (returning('2'), TypeError, ('twice', 'str', "'2'", 'x=-8.0')),
    (returning(None), TypeError, ('twice', 'NoneType', 'x=-8.0')),
    (returning(np.array([1.0, 2.0])), TypeError, ('twice', 'ndarray', 'x=-8.0')),
    (returning(10 ** 400), OverflowError, ('twice', 'too large', 'x=-8.0')),
    (returning(1.0, 2.0), TypeError, ('twice', '2 derivative(s) for 1 input(s)', 'x=-8.0')),
])
def test_a_bad_local_derivative_is_refused_when_the_op_is_applied(op, kind, words):
    x = Value(-8.0, label='x')
    with pytest.raises(kind) as error:
        op.apply(x)
    for word in words:
        assert word in str(error.value)
    assert x.grad == 0.0


@pytest.mark.parametrize('d', [np.float32(0.1), np.float64(0.1), np.int64(3), 3, True])
def test_a_real_local_derivative_becomes_the_float_it_is(d):
    x = Value(1.5, label='x')
    y = returning(d).apply(x)
    assert type(y.local_grads()[0]) is float and y.local_grads()[0] == float(d)
    (y * 3.0).backward()
    assert type(x.grad) is float and x.grad == float(d) * 3.0      # float32(0.1) exactly, as float


def test_an_infinite_local_derivative_is_still_reported_only_where_a_gradient_flows():
    x = Value(2.0, label='x')
    (returning(np.float64('inf')).apply(x) * 0.0).backward()    # no gradient flows through it
    assert x.grad == 0.0
    with pytest.raises(OverflowError, match="not finite.*'twice' node for it is inf"):
        returning(np.float64('inf')).apply(x).backward()
