"""Random expressions: the engine's gradients against sympy's symbolic derivatives."""
import math

import mpmath
import sympy
from hypothesis import assume, example, given, settings, strategies as st

from micrograd import Value, topological_order

NAMES = ('x0', 'x1', 'x2')
SYMBOLS = {name: sympy.Symbol(name, real=True) for name in NAMES}
CONSTANTS = (0.5, 1.0, 2.0, 3.0, -1.5)          # exact in binary, so sympy gets the same numbers
EXPONENTS = (-2, -1, 0, 1, 2, 3)
UNARY = ('exp', 'log', 'tanh', 'sigmoid', 'sin', 'cos', 'relu', 'neg')
BIG = 1e4                                       # larger intermediate values count as blown up


def _trees(names):
    leaves = st.one_of(st.sampled_from(names).map(lambda n: ('var', n)),
                       st.sampled_from(CONSTANTS).map(lambda c: ('const', c)))
    return st.recursive(leaves, lambda t: st.one_of(
        st.tuples(st.sampled_from(('+', '-', '*', '/')), t, t),
        st.tuples(st.just('**'), t, st.sampled_from(EXPONENTS)),
        st.tuples(st.sampled_from(UNARY), t)), max_leaves=8)


@st.composite
def problems(draw):
    """(an expression tree over 1–3 variables, their values)."""
    names = NAMES[:draw(st.integers(1, 3))]
    tree = draw(_trees(names))
    number = st.one_of(st.just(0.0), st.floats(1e-3, 2.0), st.floats(-2.0, -1e-3))
    return tree, {n: draw(number) for n in names}


def _build(tree, leaves):
    """(the engine's Value, the sympy expression) for one tree; assume() away what blows up."""
    kind = tree[0]
    if kind == 'var':
        return leaves[tree[1]], SYMBOLS[tree[1]]
    if kind == 'const':
        return Value(tree[1]), sympy.Rational(tree[1])
    a, sa = _build(tree[1], leaves)
    if kind == '**':
        k = tree[2]
        assume(k >= 0 or abs(a.data) >= 1e-2)
        v, s = a ** k, sa ** k
    elif kind in ('+', '-', '*', '/'):
        b, sb = _build(tree[2], leaves)
        if kind == '/':
            assume(abs(b.data) >= 1e-2)
        if kind == '+':
            v, s = a + b, sa + sb
        elif kind == '-':
            v, s = a - b, sa - sb
        elif kind == '*':
            v, s = a * b, sa * sb
        else:
            v, s = a / b, sa / sb
        if kind in '+-':                        # exact cancellation, or no catastrophic one
            assume(v.data == 0 or abs(v.data) >= 1e-4 * (abs(a.data) + abs(b.data)))
    elif kind == 'log':                         # of a positive subexpression: ln(1 + a²)
        # 1 + a² keeps only ε/a² of a tiny a²'s relative accuracy, and ln(1 + a²) ≈ a² passes that
        # error on, to every gradient that multiplies by it (found at a = 3.8e-6: 7e-6 relative)
        assume(a.data == 0 or abs(a.data) >= 1e-3)
        v, s = (1 + a * a).log(), sympy.log(1 + sa ** 2)
    elif kind in ('tanh', 'sigmoid'):
        assume(abs(a.data) <= 5)                # further out, 1 − tanh² loses digits to cancellation
        v = getattr(a, kind)()
        s = sympy.tanh(sa) if kind == 'tanh' else 1 / (1 + sympy.exp(-sa))
    elif kind in ('sin', 'cos'):
        v, s = getattr(a, kind)(), getattr(sympy, kind)(sa)
        assume(abs(v.data) >= 1e-4)             # near a zero, sin/cos lose relative accuracy
    elif kind == 'exp':
        assume(a.data <= math.log(BIG))
        v, s = a.exp(), sympy.exp(sa)
    elif kind == 'relu':
        assume(abs(a.data) >= 1e-3)             # away from the kink
        v = a.relu()                            # away from 0, max(0, a) is locally one branch:
        s = sa if a.data > 0 else sympy.Integer(0)
    else:                                       # 'neg'
        v, s = -a, -sa
    assume(abs(v.data) <= BIG)
    return v, s


def _path_scale(root, leaves):
    """Σ over paths of |product of local grads|: how large the rounding in ∂root/∂x can be."""
    scale = {root: 1.0}
    for node in reversed(topological_order(root)):
        for p, d in zip(node.parents, node.local_grads()):
            scale[p] = scale.get(p, 0.0) + abs(d) * scale.get(node, 0.0)
    return {name: scale.get(v, 0.0) for name, v in leaves.items()}


def _exact(expr, point):
    """expr at the point, to 40 digits (mpmath)."""
    with mpmath.workdps(40):
        f = sympy.lambdify([SYMBOLS[n] for n in point], expr, modules='mpmath')
        return f(*[mpmath.mpf(x) for x in point.values()])


@settings(max_examples=200, deadline=None)
@given(problems())
@example(problem=(('*', ('var', 'x0'), ('log', ('log', ('var', 'x0')))), {'x0': 0.001953125}))
def test_gradients_match_sympy(problem):
    tree, point = problem
    leaves = {name: Value(x, label=name) for name, x in point.items()}
    out, expr = _build(tree, leaves)
    out.backward()
    value = _exact(expr, point)
    assert abs(out.data - value) <= 1e-9 * max(1.0, abs(value)), \
        f"{expr} at {point}: value expected {value}, got {out.data!r}"
    scale = _path_scale(out, leaves)
    for name, leaf in leaves.items():
        exact = _exact(sympy.diff(expr, SYMBOLS[name]), point)
        tol = 1e-9 * max(scale[name], abs(exact)) + 1e-30     # 1e-30: mpmath's own rounding
        assert abs(leaf.grad - exact) <= tol, (f"∂({expr})/∂{name} at {point}: expected "
                                               f"{mpmath.nstr(exact, 17)} (sympy), got {leaf.grad!r}")


@settings(max_examples=200, deadline=None)
@given(problems())
def test_backward_twice_is_exactly_twice_once(problem):
    tree, point = problem
    leaves = {name: Value(x, label=name) for name, x in point.items()}
    out, _ = _build(tree, leaves)
    order = topological_order(out)
    out.backward()
    once = [node.grad for node in order]
    out.backward()
    for node, g in zip(order, once):
        assert node.grad == 2 * g, f"{node._op or 'leaf'} node {node.label!r}: {node.grad!r} != 2·{g!r}"
