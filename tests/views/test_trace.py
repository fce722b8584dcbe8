"""Step records: each chain-rule product of the backward pass, with the seeds' numbers and formulas."""
import math

import pytest

from micrograd import Value, topological_order, weighted_sum
from micrograd.engine import PRIMITIVES, Op
from micrograd.views.graph import describe
from micrograd.views.trace import (BackwardStep, ForwardStep, Term, backward_steps, format_steps,
                             forward_steps, print_steps)
from nn import walkthrough


# --- the three networks, built by hand from Values -------------------------------------------

def lecture_neuron():
    """Karpathy's neuron: o = tanh(x1·w1 + x2·w2 + b)."""
    v = walkthrough.lecture_neuron(x1w1='x1w1', x2w2='x2w2', s='x1w1x2w2')
    return v['o'], {k: v[k] for k in ('x1', 'x2', 'w1', 'w2', 'b', 'n', 'o', 'x1w1')}


def one_neuron_chain(a0=0.7, w=(0.5, -1.2, 0.8), b=(0.1, 0.3, -0.2), y=1.0):
    """3Blue1Brown: z(L) = w(L)·a(L−1) + b(L), a(L) = σ(z(L)), C0 = (a(3) − y)²."""
    v = {'a(0)': Value(a0, label='a(0)')}
    for L in (1, 2, 3):
        wL, bL = Value(w[L - 1], label=f'w({L})'), Value(b[L - 1], label=f'b({L})')
        wa = wL * v[f'a({L - 1})']; wa.label = f'w({L})a({L - 1})'
        z = wa + bL; z.label = f'z({L})'
        a = z.sigmoid(); a.label = f'a({L})'
        v.update({f'w({L})': wL, f'b({L})': bL, f'z({L})': z, f'a({L})': a})
    err = v['a(3)'] - y; err.label = 'a(3)−y'
    C0 = err ** 2; C0.label = 'C0'
    return C0, v


HUNG_YI_W = [[[1, -2], [-1, 1]], [[2, -1], [-2, -1]], [[3, -1], [-1, 4]]]
HUNG_YI_B = [[1, 0], [0, 0], [-2, 2]]


def hung_yi_network():
    """Hung-yi Lee's 2-2-2 sigmoid network (docs/seeds.md §2), input (1, −1), l = a[3][1] + a[3][2].

    Labels follow render.py: w[l][j][k] is the weight from input k to neuron j of layer l.
    """
    v = {'x[1]': Value(1.0, label='x[1]'), 'x[2]': Value(-1.0, label='x[2]')}
    a = [v['x[1]'], v['x[2]']]
    for L in (1, 2, 3):
        out = []
        for j in (1, 2):
            w = [Value(float(HUNG_YI_W[L - 1][j - 1][k - 1]), label=f'w[{L}][{j}][{k}]') for k in (1, 2)]
            b = Value(float(HUNG_YI_B[L - 1][j - 1]), label=f'b[{L}][{j}]')
            z = weighted_sum(w, a, b); z.label = f'z[{L}][{j}]'
            s = z.sigmoid(); s.label = f'a[{L}][{j}]'
            v.update({f'z[{L}][{j}]': z, f'a[{L}][{j}]': s, f'b[{L}][{j}]': b})
            v.update({wk.label: wk for wk in w})
            out.append(s)
        a = out
    l = a[0] + a[1]; l.label = 'l'
    return l, v


def final_grads(steps):
    """∂L/∂v for every v, as the steps computed them."""
    return {s.value: s.grad for s in steps}


def term_into(steps, label):
    """Every Term that adds into the node labelled `label`, in the order they were added."""
    return [t for s in steps for t in s.terms if t.parent_name == label]


def assert_matches_engine(root):
    """The steps' gradients are exactly backward()'s, and building them changes no .grad."""
    order = topological_order(root)
    steps = backward_steps(root)
    for v in order:
        assert v.grad == 0.0, f"backward_steps changed .grad of {v.label or v._op}: {v.grad}"
    root.backward()
    for v, g in final_grads(steps).items():
        assert g == v.grad, f"node {v.label or v._op}: steps give {g}, backward() gives {v.grad}"
    roles = describe(root).roles
    assert [s.value for s in steps] == [v for v, r in zip(order[::-1], roles[::-1]) if r != 'constant']
    return steps


# --- the lecture neuron ----------------------------------------------------------------------

def test_lecture_neuron_grads():
    o, v = lecture_neuron()
    steps = assert_matches_engine(o)
    got = {k: final_grads(steps)[v[k]] for k in ('x1', 'w1', 'x2', 'w2', 'n')}
    want = dict(x1=-1.5, w1=1.0, x2=0.5, w2=0.0, n=0.5)
    for k in want:
        assert got[k] == pytest.approx(want[k], abs=1e-12), f"∂o/∂{k}: want {want[k]}, got {got[k]}"


def test_lecture_neuron_formulas():
    o, v = lecture_neuron()
    steps = backward_steps(o)
    assert [s.name for s in steps][:2] == ['o', 'n']        # reverse topological order
    (w1,) = term_into(steps, 'w1')
    assert (w1.upstream, w1.local, w1.product, w1.grad) == pytest.approx((0.5, 2.0, 1.0, 1.0))
    assert w1.local_name == 'x1' and w1.node_name == 'x1w1'
    assert w1.explain() == "∂o/∂w1 = ∂x1w1/∂w1 · ∂o/∂x1w1 = x1 · 0.5 = 1.0  (x1 = 2.0)"
    (n,) = term_into(steps, 'n')
    assert n.local_name == '(1 − o^2)'
    assert n.explain() == "∂o/∂n = (1 − o^2) = 0.5"         # at the root: no '· ∂o/∂o'
    assert n.at_root and steps[0].explain().startswith("∂o/∂o = 1")
    first = steps[0].explain()
    assert first.startswith("∂o/∂o = 1") and "o = tanh(n)" in first
    leaf = next(s for s in steps if s.name == 'x1')
    assert "∂o/∂x1 = -1.5 is complete" in leaf.explain() and "leaf" in leaf.explain()


def test_forward_steps():
    o, v = lecture_neuron()
    steps = forward_steps(o)
    assert [s.value for s in steps] == topological_order(o)
    text = {s.name: s.explain() for s in steps}
    assert text['x1w1'] == "x1w1 = x1·w1 = 2.0·(-3.0) = -6.0"
    assert text['n'] == "n = x1w1x2w2 + b = (-6.0) + 6.8814 = 0.8814"
    assert text['o'] == "o = tanh(n) = tanh(0.8814) = 0.7071"
    assert text['x1'] == "x1 = 2.0  (an input: a leaf)"
    assert steps[-1].data == pytest.approx(math.sqrt(0.5), abs=1e-12)
    assert all(isinstance(s, ForwardStep) for s in steps)


# --- 3Blue1Brown's chain ---------------------------------------------------------------------

def test_one_neuron_chain_matches_closed_form():
    C0, v = one_neuron_chain()
    steps = assert_matches_engine(C0)
    g = final_grads(steps)
    a2, a3, z3, w3 = (v[k].data for k in ('a(2)', 'a(3)', 'z(3)', 'w(3)'))
    sigma_prime = a3 * (1 - a3)
    dC_da3 = 2 * (a3 - 1.0)
    closed = {'w(3)': a2 * sigma_prime * dC_da3,          # ∂z/∂w · ∂a/∂z · ∂C0/∂a
              'b(3)': 1 * sigma_prime * dC_da3,
              'a(2)': w3 * sigma_prime * dC_da3}
    for k, want in closed.items():
        assert g[v[k]] == pytest.approx(want, rel=1e-12), f"∂C0/∂{k}: closed form {want}, steps {g[v[k]]}"
    (t,) = term_into(steps, 'z(3)')
    assert t.local_name == "σ'(z(3))" and t.local == pytest.approx(sigma_prime, rel=1e-12)
    (t,) = term_into(steps, 'w(3)')
    assert t.local_name == 'a(2)' and t.local == a2
    assert t.explain().startswith("∂C0/∂w(3) = ∂w(3)a(2)/∂w(3) · ∂C0/∂w(3)a(2) = a(2) · ")
    (t,) = term_into(steps, 'a(3)−y')
    assert t.local_name == '2·(a(3)−y)' and t.local == pytest.approx(2 * (a3 - 1.0))


# --- Hung-yi Lee's network: the multi-path sum ----------------------------------------------

def test_hung_yi_forward_numbers():
    l, v = hung_yi_network()
    data = {s.name: s.data for s in forward_steps(l)}
    want = {'a[1][1]': 0.98201379, 'a[1][2]': 0.11920292, 'a[2][1]': 0.86351831,
            'a[2][2]': 0.11073744, 'a[3][1]': 0.61770478, 'a[3][2]': 0.82912398}
    for k, a in want.items():
        assert data[k] == pytest.approx(a, abs=1e-8), f"{k}: slide {a}, forward step {data[k]}"
    assert (data['z[1][1]'], data['z[1][2]']) == (4.0, -2.0)


def test_hung_yi_grads_and_bracket_formula():
    l, v = hung_yi_network()
    steps = assert_matches_engine(l)
    g = final_grads(steps)
    # ∂l/∂z = σ'(z)·[w3·∂l/∂z' + w4·∂l/∂z'']  for z = z[2][1], whose a feeds z[3][1] and z[3][2]
    a = v['a[2][1]'].data
    want = a * (1 - a) * (3 * g[v['z[3][1]']] + (-1) * g[v['z[3][2]']])
    assert g[v['z[2][1]']] == pytest.approx(want, rel=1e-12), f"∂l/∂z[2][1]: bracket {want}, steps {g[v['z[2][1]']]}"
    step = next(s for s in steps if s.name == 'a[2][1]')
    assert ("(that is ∂l/∂z[2][1] = σ'(z[2][1]) · [w[3][2][1] · ∂l/∂z[3][2] + w[3][1][1] · ∂l/∂z[3][1]])"
            in step.explain())


def test_multi_path_completing_step_lists_every_term():
    l, v = hung_yi_network()
    steps = backward_steps(l)
    terms = term_into(steps, 'a[2][1]')
    assert [t.path for t in terms] == [1, 2] and all(t.paths == 2 for t in terms)
    first, last = terms
    assert not first.terms and "∂l/∂a[2][1] += " in first.explain() and "path 1 of 2" in first.explain()
    assert [t.node_name for t in last.terms] == ['z[3][2]', 'z[3][1]']
    assert [t.local_name for t in last.terms] == ['w[3][2][1]', 'w[3][1][1]']
    assert sum(t.product for t in last.terms) == last.grad == final_grads(steps)[v['a[2][1]']]
    assert last.explain().splitlines() == [     # the rule, then its numbers: each line wraps
        "∂l/∂a[2][1] = ∂z[3][2]/∂a[2][1] · ∂l/∂z[3][2] + ∂z[3][1]/∂a[2][1] · ∂l/∂z[3][1]",
        "= w[3][2][1] · 0.1417 + w[3][1][1] · 0.2361 = (-0.1417) + 0.7084 = 0.5668  "
        "(all 2 paths, added up)"]


def test_three_paths_into_one_value():
    x = Value(3.0, label='x')
    y = x * x + x; y.label = 'y'
    steps = assert_matches_engine(y)
    terms = term_into(steps, 'x')
    assert len(terms) == 3 and terms[-1].paths == 3
    assert [t.local_name for t in terms[-1].terms] == ['1', 'x', 'x']
    assert [t.product for t in terms[-1].terms] == [1.0, 3.0, 3.0]
    assert "= 1 · 1.0 + x · 1.0 + x · 1.0 = 1.0 + 3.0 + 3.0 = 7.0" in terms[-1].explain()


# --- stepping never touches the user's graph ---------------------------------------------

def test_stepping_leaves_grad_untouched():
    l, v = hung_yi_network()
    order = topological_order(l)
    v['x[1]'].grad = 7.0                      # a stale gradient must neither change nor leak in
    before = [n.grad for n in order]
    steps = backward_steps(l)
    forward_steps(l)
    str(steps)
    assert [n.grad for n in order] == before
    assert final_grads(steps)[v['x[1]']] != 7.0


def test_every_primitive_names_its_local_derivative():
    x, y = Value(0.7, label='x'), Value(1.3, label='y')
    nodes = {
        '+': x + y, '*': x * y, '**3': x ** 3, '**': x ** y, 'exp': x.exp(), 'log': x.log(),
        'tanh': x.tanh(), 'σ': x.sigmoid(), 'ReLU': x.relu(), 'sin': x.sin(), 'cos': x.cos(),
        'Σ': weighted_sum([x], [y], Value(0.1, label='b')), 'x - y': x - y, '-x': -x, '/': x / y,
    }
    assert {out.op for out in nodes.values()} == set(PRIMITIVES)
    for op, out in nodes.items():
        out.label = 'out'
        step = backward_steps(out)[0]
        assert out._op == {'x - y': '-', '-x': '-'}.get(op, op)
        for t, d in zip(step.terms, out.local_grads()):
            assert t.local == d, f"{op}: term local {t.local}, local_grads {d}"
            assert not t.local_name.startswith('∂'), f"{op}: no name for ∂out/∂{t.parent_name}"
    names = {op: [t.local_name for t in backward_steps(n)[0].terms] for op, n in nodes.items()}
    assert names['tanh'] == ['(1 − out^2)'] and names['σ'] == ["σ'(x)"] and names['*'] == ['y', 'x']
    assert names['**3'] == ['3·x^2'] and names['Σ'] == ['y', 'x', '1'] and names['log'] == ['1/x']
    assert names['x - y'] == ['1', '(−1)'] and names['-x'] == ['(−1)'] and names['/'] == ['1/y', '(−x/y^2)']


def test_unknown_op_is_named_by_its_partial():
    class Softplus(Op):
        """y = ln(1 + eˣ);   ∂y/∂x = σ(x)"""
        symbol = 'softplus'
        def forward(x): return math.log1p(math.exp(x))
        def local_grads(x, y): return (1 / (1 + math.exp(-x)),)

    x = Value(0.0, label='x')
    y = Softplus.apply(x); y.label = 'y'
    (t,) = backward_steps(y)[0].terms
    assert t.local_name == '∂y/∂x' and t.local == 0.5
    assert forward_steps(y)[-1].explain() == "y = softplus(x) = softplus(0.0) = 0.6931"


def test_hand_built_node_is_an_error_that_names_it():
    a = Value(1.0, label='a')
    c = Value(2.0, (a,), 'mystery', label='c')
    with pytest.raises(TypeError, match="'c'.*neither local derivatives nor a _backward"):
        backward_steps(c)


def test_unlabelled_nodes_are_named_by_a_short_expression_else_their_index():
    x = Value(0.25, label='x')
    y = (3 * x).tanh()
    steps = backward_steps(y)
    assert steps[0].name == 'L' and steps[0].L == 'L'       # an unlabelled root is L
    assert steps[0].explain().startswith("∂L/∂L = 1")
    (t,) = term_into(steps, 'x')
    assert t.local_name == '3.0'
    assert t.explain() == "∂L/∂x = ∂(x·3.0)/∂x · ∂L/∂(x·3.0) = 3.0 · 0.5966 = 1.7898"
    long = ((x * x + x) * (x - 1)).tanh() * 2               # (x·x + x)·(x − 1.0) is 19 characters
    names = [s.name for s in forward_steps(long)]
    assert names == ['x', 'x·x', 'x·x + x', '1.0', 'x − 1.0', '(x·x + x)·(x − 1.0)', 'v6', '2.0', 'L']


# --- the terminal form -----------------------------------------------------------------------

def test_printing_the_steps(capsys):
    o, v = lecture_neuron()
    steps = backward_steps(o)
    print(steps)
    out = capsys.readouterr().out
    assert out.startswith("backward pass: 10 steps\nstep 1/10  ∂o/∂o = 1")
    assert "    ∂o/∂w1 = ∂x1w1/∂w1 · ∂o/∂x1w1 = x1 · 0.5 = 1.0  (x1 = 2.0)" in out
    assert out.strip() == format_steps(steps)
    for s in steps:                         # every explanation, line by line
        for line in s.explain().splitlines():
            assert line in out
    print_steps(o)
    both = capsys.readouterr().out
    assert both.startswith("forward pass: 10 steps\nstep 1/10  x1 = 2.0") and format_steps(steps) in both
    assert isinstance(steps[0], BackwardStep) and isinstance(steps[0].terms[0], Term)


def test_a_name_that_is_a_sum_is_bracketed_in_the_d_notation():
    from nn.walkthrough import lecture_neuron
    step = backward_steps(lecture_neuron()['o'])[3]     # the lecture labels a node 'x1*w1 + x2*w2'
    text = step.explain()
    assert text.startswith("∂o/∂(x1*w1 + x2*w2) = 0.5 is complete"), text
    assert "∂o/∂(x1*w1) = ∂(x1*w1 + x2*w2)/∂(x1*w1) · ∂o/∂(x1*w1 + x2*w2) = 1 · 0.5 = 0.5" in text
