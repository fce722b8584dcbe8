"""Every primitive's local derivatives against central differences, the composites built from
them, numpy scalars, and the shape of a node (parents, local_grads, data, grad, identity)."""
import math
import os
import re
import subprocess
import sys
from typing import NamedTuple

import numpy as np
import pytest

from micrograd import PRIMITIVES, Op, Value, backward_steps, topological_order, weighted_sum
from micrograd.views.graph import describe
from micrograd.views.trace import format_steps
from micrograd.engine import (Add, Cos, Div, Exp, Log, Mul, Neg, Pow, PowValue, Relu, Sigmoid,
                              Sin, Sub, Tanh, WeightedSum)

EPS = 2.220446049250313e-16


class Case(NamedTuple):
    xs: tuple                   # the parents' numbers
    const: dict = {}            # constant keyword arguments (Pow's k)
    h: float = None             # finite-difference step; None: 1e-6·max(1, |x|)
    fd: str = 'central'         # 'left': a kink, where local_grads gives the left derivative


# One list of cases per primitive, with the edge values where a derivative is easy to get wrong.
CASES = {
    Add: [Case((1.0, 2.0)), Case((-3.5, 0.25)), Case((0.0, 0.0)), Case((1e300, -1e300))],
    Mul: [Case((2.0, 3.0)), Case((-1.5, 0.0)), Case((0.0, 0.0)), Case((1e150, -1e150)),
          Case((-1e-200, 3.0))],
    Sub: [Case((1.0, 2.0)), Case((-3.5, 0.25)), Case((0.0, 0.0)), Case((1e300, -1e300))],
    Neg: [Case((1.0,)), Case((0.0,)), Case((-2.5,)), Case((1e300,))],
    Div: [Case((1.0, 3.0)), Case((-2.0, 0.7)), Case((0.0, 5.0)), Case((1e300, 3.0)),
          Case((3.0, -1e-100), h=1e-108), Case((1e-300, 1e-150), h=1e-158)],   # tiny divisors
    Pow: [Case((2.0,), {'k': 3.0}), Case((-2.0,), {'k': 3.0}),      # negative base, integer k
          Case((-1.5,), {'k': -2.0}), Case((-3.0,), {'k': 2.0}),
          Case((0.0,), {'k': 2.0}), Case((0.0,), {'k': 3.0}),       # 0 base, positive k
          Case((0.0,), {'k': 1.0}), Case((0.0,), {'k': 0.0}), Case((4.0,), {'k': 0.0}),
          Case((4.0,), {'k': 0.5}), Case((2.0,), {'k': -1.0}), Case((1e-3,), {'k': -3.0}),
          Case((2.5,), {'k': 1.7})],
    PowValue: [Case((2.0, 3.0)), Case((0.5, -1.5)), Case((3.0, 0.0)), Case((1.0, 2.5)),
               Case((0.0, 2.0)), Case((0.0, 1.0)), Case((0.0, 3.0))],   # 0 base: ∂/∂b → 0
    Exp: [Case((0.0,)), Case((1.5,)), Case((-4.0,)), Case((700.0,)), Case((-700.0,)),
          Case((-1000.0,))],
    Log: [Case((1.0,)), Case((0.3,)), Case((50.0,)), Case((1e300,)),
          Case((1e-8,), h=1e-14), Case((1e-300,), h=1e-306)],           # tiny positive
    Tanh: [Case((0.0,)), Case((0.5,)), Case((-2.0,)), Case((20.0,)), Case((-20.0,)),
           Case((1000.0,)), Case((-1000.0,))],
    Sigmoid: [Case((0.0,)), Case((1.5,)), Case((-3.0,)), Case((30.0,)), Case((-30.0,)),
              Case((-700.0,)), Case((1000.0,)), Case((-1000.0,))],
    Relu: [Case((2.5,)), Case((-3.0,)), Case((1e-9,), h=1e-10), Case((-1e-9,), h=1e-10),
           Case((0.0,), h=1e-10, fd='left')],                           # 0 from both sides
    Sin: [Case((0.0,)), Case((math.pi / 2,)), Case((-1.0,)), Case((100.0,))],
    Cos: [Case((0.0,)), Case((math.pi,)), Case((2.5,)), Case((-100.0,))],
    WeightedSum: [Case((2.0, 3.0, 1.0)),                                # w, a, b (n = 1)
                  Case((0.5, -1.5, -2.0, 4.0, 0.0)),                    # n = 2
                  Case((1.0, 0.0, -1.0, 0.0, 2.0, 3.0, -0.5)),          # n = 3, zeros
                  Case((-0.25,))],                                      # n = 0: z = b
}


def test_every_primitive_has_cases():
    missing = set(PRIMITIVES) - set(CASES)
    unknown = set(CASES) - set(PRIMITIVES)
    assert not missing, f"primitives without a test case in CASES: {sorted(op.__name__ for op in missing)}"
    assert not unknown, f"CASES lists ops that are not in PRIMITIVES: {sorted(op.__name__ for op in unknown)}"
    assert all(CASES[op] for op in PRIMITIVES)


@pytest.mark.parametrize('op', PRIMITIVES, ids=lambda op: op.__name__)
def test_every_primitive_documents_its_derivative(op):
    assert op.__doc__ and '∂' in op.__doc__, f"{op.__name__}: the docstring should give ∂out/∂x"


def _difference(op, case, i):
    """(a finite-difference estimate of ∂out/∂xᵢ, a bound on its rounding error)."""
    x = case.xs[i]
    h = case.h if case.h is not None else 1e-6 * max(1.0, abs(x))

    def f(xi):
        xs = list(case.xs)
        xs[i] = xi
        return op.forward(*xs, **case.const)

    fx = f(x)
    if case.fd == 'left':
        lo = f(x - h)
        return (fx - lo) / h, 8 * EPS * max(abs(lo), abs(fx)) / h
    # Richardson: (4·D(h/2) − D(h)) / 3 cancels the h² term of the central difference D.
    d1 = (f(x + h) - f(x - h)) / (2 * h)
    d2 = (f(x + h / 2) - f(x - h / 2)) / h
    big = max(abs(f(x + s * h)) for s in (-1, -0.5, 0, 0.5, 1))
    return d2 + (d2 - d1) / 3, 16 * EPS * big / h


def _all_cases():
    return [pytest.param(op, case, id=f"{op.__name__}{case.xs}{case.const or ''}")
            for op in PRIMITIVES for case in CASES.get(op, ())]


@pytest.mark.parametrize('op, case', _all_cases())
def test_local_grads_match_finite_differences(op, case):
    leaves = [Value(x) for x in case.xs]
    node = op.apply(*leaves, **case.const)
    assert node.data == op.forward(*case.xs, **case.const)
    local = node.local_grads()
    assert len(local) == len(node.parents) == len(case.xs), \
        f"{op.__name__} at {case.xs}: {len(local)} local grads for {len(node.parents)} parents"
    for i, d in enumerate(local):
        assert type(d) is float and math.isfinite(d), f"{op.__name__} at {case.xs}: ∂/∂x{i} = {d!r}"
        numeric, rounding = _difference(op, case, i)
        tol = 1e-6 * abs(numeric) + rounding + 1e-300
        assert abs(d - numeric) <= tol, (
            f"{op.__name__} at {case.xs} {case.const}: ∂out/∂x{i} expected {numeric!r} "
            f"(finite difference), got {d!r} from local_grads")


@pytest.mark.parametrize('op, case', _all_cases())
def test_backward_applies_the_local_grads(op, case):
    leaves = [Value(x, label=f"x{i}") for i, x in enumerate(case.xs)]
    node = op.apply(*leaves, **case.const)
    root = node * 3.0                           # an upstream gradient that is not 1
    root.backward()
    local = node.local_grads()
    assert node.grad == 3.0
    for leaf, d in zip(leaves, local):
        assert leaf.grad == d * 3.0, (f"{op.__name__} at {case.xs}: {leaf.label}.grad expected "
                                      f"{d * 3.0!r} (3·local), got {leaf.grad!r}")


# --- composites: built from primitives, checked against finite differences ------------------

COMPOSITES = [
    ('a - b', lambda a, b: a - b, [(3.0, 5.0), (-1.0, 0.0)]),
    ('a / b', lambda a, b: a / b, [(3.0, 5.0), (-2.0, 0.25), (0.0, -4.0)]),
    ('-a', lambda a: -a, [(2.0,), (0.0,)]),
    ('2 + a', lambda a: 2 + a, [(1.5,)]),
    ('2 - a', lambda a: 2 - a, [(1.5,), (-4.0,)]),
    ('2 * a', lambda a: 2 * a, [(1.5,)]),
    ('2 / a', lambda a: 2 / a, [(4.0,), (-0.5,)]),
    ('a ** 2', lambda a: a ** 2, [(-3.0,), (0.0,)]),
    ('a ** b', lambda a, b: a ** b, [(2.0, 3.0), (0.5, -1.5), (3.0, 0.0), (1.0, 2.0)]),
    ('2 ** a', lambda a: 2 ** a, [(3.0,), (-1.5,), (0.0,)]),
    ('0.5 ** a', lambda a: 0.5 ** a, [(2.0,)]),
    ('sum([a, b, c])', lambda a, b, c: sum([a, b, c]), [(1.0, -2.0, 0.5)]),
    ('sum([a, b, a])', lambda a, b: sum([a, b, a]), [(1.0, -2.0)]),
    ('a - a', lambda a: a - a, [(7.0,)]),
    ('a / a', lambda a: a / a, [(7.0,)]),
    ('(a - b) / (a + b)', lambda a, b: (a - b) / (a + b), [(3.0, 1.0)]),
]


def _composite_cases():
    return [pytest.param(f, xs, id=f"{name} at {xs}") for name, f, points in COMPOSITES for xs in points]


@pytest.mark.parametrize('f, xs', _composite_cases())
def test_composites_match_finite_differences(f, xs):
    leaves = [Value(x, label=f"x{i}") for i, x in enumerate(xs)]
    out = f(*leaves)
    assert isinstance(out, Value) and type(out.data) is float
    expected = f(*xs)                           # the same formula on plain floats
    assert out.data == pytest.approx(expected, rel=1e-15, abs=1e-300), f"forward at {xs}"
    out.backward()
    for i, leaf in enumerate(leaves):
        h = 1e-6 * max(1.0, abs(xs[i]))
        up, down = list(xs), list(xs)
        up[i] += h
        down[i] -= h
        numeric = (f(*[Value(x) for x in up]).data - f(*[Value(x) for x in down]).data) / (2 * h)
        assert abs(leaf.grad - numeric) <= 1e-6 * max(1.0, abs(numeric)), \
            f"at {xs}: ∂f/∂x{i} expected {numeric!r} (finite difference), got {leaf.grad!r}"


@pytest.mark.parametrize('f, xs', _composite_cases())
def test_composites_are_built_from_primitives(f, xs):
    out = f(*[Value(x) for x in xs])
    symbols = tuple(op.symbol for op in PRIMITIVES)
    for node in topological_order(out):
        assert node._op == '' or node._op.startswith(symbols), f"node with op {node._op!r}"
        assert (node._op == '') == (not node.parents)


# --- numpy scalars ---------------------------------------------------------------------------

NUMPY_SCALARS = [np.float64(2.0), np.int64(2), np.float32(2.0)]
OPERATORS = [('+', lambda p, q: p + q), ('-', lambda p, q: p - q), ('*', lambda p, q: p * q),
             ('/', lambda p, q: p / q), ('**', lambda p, q: p ** q)]


@pytest.mark.parametrize('s', NUMPY_SCALARS, ids=lambda s: type(s).__name__)
@pytest.mark.parametrize('name, op', OPERATORS, ids=[n for n, _ in OPERATORS])
def test_numpy_scalars_on_either_side_give_values(s, name, op):
    for out, expected in ((op(s, Value(3.0)), op(2.0, 3.0)), (op(Value(3.0), s), op(3.0, 2.0))):
        assert isinstance(out, Value), f"{type(s).__name__} {name} Value gave {type(out).__name__}"
        assert type(out.data) is float and type(out.grad) is float
        assert out.data == pytest.approx(expected, rel=1e-15), f"{type(s).__name__} {name}"


def test_numpy_float64_times_value_is_a_value():
    out = np.float64(2.0) * Value(3.0)
    assert isinstance(out, Value) and out.data == 6.0


@pytest.mark.parametrize('s', NUMPY_SCALARS + [np.float32(0.1)], ids=lambda s: type(s).__name__)
def test_value_of_a_numpy_scalar_stores_a_float(s):
    v = Value(s)
    assert type(v.data) is float and v.data == float(s)


# --- the shape of a node ---------------------------------------------------------------------

def test_parents_and_prev_are_the_same_ordered_tuple():
    a, b = Value(2.0), Value(3.0)
    c, d = a * b, b * a
    assert c.parents is c._prev and type(c.parents) is tuple
    assert c.parents[0] is a and c.parents[1] is b and len(c.parents) == 2
    assert d.parents[0] is b and d.parents[1] is a


def test_a_plus_a_has_two_parents():
    a = Value(2.0)
    c = a + a
    assert len(c.parents) == 2 and c.parents[0] is a and c.parents[1] is a
    assert c.local_grads() == (1.0, 1.0)


def test_local_grads_are_aligned_with_parents():
    a, b = Value(2.0), Value(3.0)
    assert (a * b).local_grads() == (3.0, 2.0)  # ∂(ab)/∂a = b, ∂(ab)/∂b = a
    w1, w2, x1, x2, bias = (Value(v) for v in (1.0, 2.0, 3.0, 4.0, 5.0))
    z = weighted_sum([w1, w2], [x1, x2], bias)
    assert z.parents == (w1, w2, x1, x2, bias)
    assert z.local_grads() == (3.0, 4.0, 1.0, 2.0, 1.0)
    p = a ** b
    assert p.local_grads() == (3.0 * 2.0 ** 2, 8.0 * math.log(2.0))


def test_a_leaf_has_no_parents_and_no_op():
    a = Value(1.5, label='a')
    assert a.parents == () and a.local_grads() == () and a._op == '' and a.label == 'a'


def test_data_and_grad_are_floats_and_grad_starts_at_zero():
    a, b = Value(3), Value(2)
    assert type(a.data) is float and a.data == 3.0
    c = a * b + 1
    for v in (a, b, c):
        assert type(v.data) is float and type(v.grad) is float and v.grad == 0.0
    c.backward()
    assert (a.grad, b.grad, c.grad) == (2.0, 3.0, 1.0)
    assert all(type(v.grad) is float for v in (a, b, c))


def test_equality_and_hash_are_by_identity():
    a, b = Value(1.0), Value(1.0)
    assert a == a and a != b and not (a == b)
    assert a != 1.0
    assert len({a, b}) == 2 and {a: 'a', b: 'b'}[b] == 'b'
    assert hash(a) == hash(a)


# --- one op, one class: what pictures, steps and the replay say of an op is on its class ------

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
READERS = ['micrograd/views/graph.py', 'micrograd/views/trace.py', 'micrograd/replay.py',
           'micrograd/torch_bridge.py']


@pytest.mark.parametrize('op', PRIMITIVES, ids=lambda op: op.__name__)
def test_every_primitive_carries_its_derivatives_replay_and_torch_on_its_class(op):
    for what in ('derivatives', 'replay', 'torch'):
        assert what in vars(op), f"{op.__name__} has no {what} of its own"
    n = 5 if op is WeightedSum else len(op.parent_names()) - (op is Pow)
    const = {'k': 3.0} if op is Pow else {}
    assert len(op.says('derivatives', str, n, **const)) == n
    forward, locals = op.says('replay', str, n, **const)
    assert len(locals) == n and forward


@pytest.mark.parametrize('path', READERS)
def test_the_views_and_the_replay_name_no_op_they_would_have_to_know(path):
    """graph, trace, replay and torch_bridge read each op from its class: none names one."""
    text = open(os.path.join(ROOT, path), encoding='utf-8').read()
    named = [op.__name__ for op in PRIMITIVES if re.search(rf"\b{op.__name__}\b", text)]
    assert not named, f"{path} names {named}"


def test_a_custom_op_is_written_as_its_class_says():
    class Cube(Op):
        '''out = a³;   ∂out/∂a = 3a²'''
        symbol = 'cube'
        written, binds, derivatives = '{a:atom}^3', 'power', ('3·{a:atom}^2',)

        def forward(a):
            return a ** 3

        def local_grads(a, out):
            return (3 * a * a,)

    x, y = Value(2.0, label='x'), Value(1.0, label='y')
    z = Cube.apply(x + y)
    z.label = 'z'
    assert describe(z).expression(len(topological_order(z)) - 1) == '(x + y)^3'
    text = format_steps(backward_steps(z))
    assert '3·(x + y)^2' in text, text


def test_the_ops_import_whichever_module_comes_first():
    for first in ('import micrograd.ops', 'from micrograd.engine import Tanh',
                  'from micrograd.ops import Tanh', 'import micrograd.replay'):
        run = subprocess.run([sys.executable, '-c', f"{first}\nimport micrograd\n"
                              "assert micrograd.engine.Tanh is micrograd.ops.Tanh"],
                             capture_output=True, text=True)
        assert run.returncode == 0, (first, run.stderr)


def test_a_subclass_with_its_own_forward_says_nothing_of_its_parents_arithmetic():
    class Tanh3(Tanh):
        '''out = tanh(3a);   ∂out/∂a = 3(1 − out²)'''
        symbol = 'tanh3'

        def forward(a):
            return math.tanh(3 * a)

        def local_grads(a, out):
            return (3 * (1 - out * out),)

    class Named(Tanh):              # only a new name: still tanh's arithmetic and words
        symbol = 'th'

    x = Value(0.2, label='x')
    y = Tanh3.apply(x)
    y.label = 'y'
    y.backward()
    text = format_steps(backward_steps(y))
    assert '∂y/∂x' in text and '(1 − y^2)' not in text, text
    assert Tanh3.says('derivatives', str, 1) is None and Tanh3.says('replay', str, 1) is None
    assert Named.says('derivatives', str, 1) == Tanh.derivatives
    from micrograd import compile
    assert compile(y, inputs=[x])(0.2).grads_for([x])[0] == x.grad


@pytest.mark.parametrize('derivatives, says', [
    (('3·{z:atom}^2',), "KeyError: 'z'"), (('3·{a:tight}^2',), "KeyError: 'tight'"),
    (('{0}', '{1}'), 'one template per parent: 1, not 2'), (('{4}',), 'IndexError')])
def test_a_custom_ops_bad_template_is_a_clear_error_naming_the_op(derivatives, says):
    Cube = type('Cube', (Op,), {'__doc__': 'out = a³', 'symbol': 'cube', 'derivatives': derivatives,
                                'forward': lambda a: a ** 3, 'local_grads': lambda a, out: (3 * a * a,)})
    y = Cube.apply(Value(2.0, label='a'))
    with pytest.raises(ValueError, match=r"Cube\.derivatives = .* cannot be written") as e:
        backward_steps(y)
    assert says in str(e.value) and "by name ['a']" in str(e.value), str(e.value)
