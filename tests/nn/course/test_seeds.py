"""The seeds' worked examples (docs/seeds.md): engine gradients, the lectures' closed forms and
finite differences agree to 1e-6; Hung-yi Lee's table comes out to its printed precision."""
import io
import math

import pytest

import nn
from micrograd import gradcheck
from micrograd.check import numerical_grad
from nn import walkthrough as wt

TOL = 1e-6


@pytest.fixture(scope='module')
def results():
    return {'chain_rule': wt.chain_rule(), 'multi_path': wt.multi_path(),
            'four_equations': wt.four_equations(), 'matrix_form': wt.matrix_form()}


def _assert_agree(checks, where):
    assert checks, f"{where}: no checks"
    for c in checks:
        assert c.error <= TOL, (f"{where}, {c.quantity} ({c.formula}): by hand {c.closed_form!r}, "
                                f"engine {c.engine!r}, finite difference {c.numeric!r}")
        # The engine and the plain-Python equations do the same arithmetic: far tighter than 1e-6.
        assert math.isclose(c.engine, c.closed_form, rel_tol=1e-9, abs_tol=1e-12), \
            f"{where}, {c.quantity}: engine {c.engine!r} vs by hand {c.closed_form!r}"


@pytest.mark.parametrize('name', ['chain_rule', 'multi_path', 'four_equations', 'matrix_form'])
def test_three_ways_agree(results, name):
    _assert_agree(results[name].checks, name)


# --- 1. 3Blue1Brown ---------------------------------------------------------------------------

def test_chain_rule_factors(results):
    c = results['chain_rule']
    w, b, y = c.w, c.b, c.y
    # Recompute the forward pass here, independently of the walkthrough.
    a = [c.a[0]]
    for wl, bl in zip(w, b):
        a.append(1 / (1 + math.exp(-(wl * a[-1] + bl))))
    assert c.a == pytest.approx(a, rel=1e-15)
    assert math.isclose(c.C0, (a[3] - y) ** 2, rel_tol=1e-12)
    assert math.isclose(c.dz_dw, a[2], rel_tol=1e-15)                    # ∂z(L)/∂w(L) = a(L−1)
    assert math.isclose(c.da_dz, a[3] * (1 - a[3]), rel_tol=1e-12)       # σ'(z(L))
    assert math.isclose(c.dC0_da, 2 * (a[3] - y), rel_tol=1e-15)         # ∂C0/∂a(L)
    rows = {ch.quantity: ch for ch in c.checks}
    product = c.dz_dw * c.da_dz * c.dC0_da
    assert math.isclose(rows['∂C0/∂w(3)'].engine, product, rel_tol=1e-12)
    assert math.isclose(rows['∂C0/∂b(3)'].engine, c.da_dz * c.dC0_da, rel_tol=1e-12)
    assert math.isclose(rows['∂C0/∂a(2)'].engine, w[2] * c.da_dz * c.dC0_da, rel_tol=1e-12)
    assert {'∂C0/∂w(1)', '∂C0/∂b(1)', '∂C0/∂a(1)'} <= set(rows), "the chain must reach layer 1"


def test_chain_rule_gradcheck_on_the_last_neuron(results):
    c = results['chain_rule']

    def C0(w3, b3, a2):                                  # (σ(w(L)·a(L−1) + b(L)) − y)²
        return nn.squared_error(nn.Neuron.from_weights([w3], b3, act='sigmoid')([a2]), c.y)
    assert gradcheck(C0, [c.w[2], c.b[2], c.a[2]], atol=1e-8, rtol=1e-6)


def test_chain_rule_average_over_examples(results):
    c = results['chain_rule']
    assert len(c.examples) >= 3 and len(c.per_example) == len(c.examples)
    assert len(set(round(g, 9) for g in c.per_example)) == len(c.per_example)   # really different
    avg = c.averaged
    assert math.isclose(avg.closed_form, sum(c.per_example) / len(c.per_example), rel_tol=1e-15)
    assert avg.error <= TOL, (avg.closed_form, avg.engine, avg.numeric)


# --- 2. Hung-yi Lee ---------------------------------------------------------------------------

def test_lee_table_to_its_printed_precision(results):
    m = results['multi_path']
    for l in range(3):
        for j in range(2):
            z, a = m.z[l][j], m.a[l][j]
            assert round(z, 2) == wt.LEE_Z[l][j], f"z[{l + 1}][{j + 1}] = {z}, table {wt.LEE_Z[l][j]}"
            assert round(a, 2) == wt.LEE_A[l][j], f"a[{l + 1}][{j + 1}] = {a}, table {wt.LEE_A[l][j]}"
            assert abs(a - wt.LEE_A_FULL[l][j]) < 5e-9, \
                f"a[{l + 1}][{j + 1}] = {a!r}, full precision {wt.LEE_A_FULL[l][j]}"
    assert m.z[0] == [4.0, -2.0]


def test_lee_table_literally():
    """The numbers as docs/seeds.md prints them, not through the walkthrough's constants."""
    net = nn.MLP.from_weights([[[1, -2], [-1, 1]], [[2, -1], [-2, -1]], [[3, -1], [-1, 4]]],
                              [[1, 0], [0, 0], [-2, 2]], act='sigmoid')
    _, layers = net.forward_trace([1, -1])
    got = [[round(v.data, 8) for v in t.a] for t in layers]
    assert got == [[0.98201379, 0.11920292], [0.86351831, 0.11073744], [0.61770478, 0.82912398]]
    assert [[round(v.data, 2) for v in t.z] for t in layers] == [[4, -2], [1.84, -2.08], [0.48, 1.58]]


def test_lee_forward_pass_dz_dw_is_the_input(results):
    m = results['multi_path']
    dz_dw = [g for _, g, _, _ in m.dz_dw]
    assert dz_dw[0] == -1.0
    assert round(dz_dw[1], 2) == 0.12 and round(dz_dw[2], 2) == 0.11
    inputs = [x for _, _, _, x in m.dz_dw]
    assert dz_dw == inputs, "∂z/∂w must be the input on that weight"


def test_lee_multi_path_terms(results):
    m = results['multi_path']
    assert (m.w3, m.w4) == (2, -2)
    s = wt.sigmoid(4.0)
    assert math.isclose(m.sigma_prime_z, s * (1 - s), rel_tol=1e-15)
    assert math.isclose(m.term_w3, m.w3 * m.dl_dz1, rel_tol=1e-15)
    assert math.isclose(m.term_w4, m.w4 * m.dl_dz2, rel_tol=1e-15)
    assert math.isclose(m.dl_dz, m.sigma_prime_z * (m.term_w3 + m.term_w4), rel_tol=1e-15)
    rows = {c.quantity: c for c in m.checks}
    # The engine's ∂l/∂z', ∂l/∂z'' and ∂l/∂z, against the terms computed by hand.
    assert math.isclose(rows['∂l/∂z[2][1]'].engine, m.dl_dz1, rel_tol=1e-12)
    assert math.isclose(rows['∂l/∂z[2][2]'].engine, m.dl_dz2, rel_tol=1e-12)
    assert math.isclose(rows['∂l/∂z[1][1]'].engine, m.dl_dz, rel_tol=1e-12)
    # Both paths matter: either alone gives a different answer.
    for alone in (m.sigma_prime_z * m.term_w3, m.sigma_prime_z * m.term_w4):
        assert abs(alone - m.dl_dz) > 1e-4


def test_lee_dl_dz_by_finite_difference_on_z():
    """∂l/∂z[1][1] by nudging z itself: l as a function of z = z[1][1] through the rest."""
    W, b = wt.LEE_WEIGHTS, wt.LEE_BIASES
    y = list(wt.LEE_TARGET)
    a12 = wt.sigmoid(-2.0)

    def l_of_z(z):
        rest = nn.MLP.from_weights(W[1:], b[1:], act='sigmoid')
        return nn.quadratic_cost(rest([z.sigmoid(), a12]), y)
    numeric = numerical_grad(l_of_z, [4.0])[0]
    assert abs(numeric - wt.multi_path().dl_dz) < TOL


# --- 3. Nielsen -------------------------------------------------------------------------------

def test_nielsen_bp1_to_bp4_per_layer(results):
    n = results['four_equations']
    assert n.hadamard_example == [3, 8]
    assert len(n.layers) == 3 and all(len(ly.z) >= 2 for ly in n.layers)
    for ly in n.layers:
        where = f"layer {ly.l}"
        assert ly.delta_engine == pytest.approx(ly.delta, rel=1e-9, abs=1e-12), where       # BP1/BP2
        assert ly.dC_db_engine == pytest.approx(ly.delta, rel=1e-9, abs=1e-12), where       # BP3
        for j, (row, row_eng) in enumerate(zip(ly.dC_dW, ly.dC_dW_engine), 1):              # BP4
            assert row_eng == pytest.approx(row, rel=1e-9, abs=1e-12), f"{where}, neuron {j}"
    # BP1 written out once more, directly from the numbers:
    last = n.layers[-1]
    for j, (a, z) in enumerate(zip(last.a, last.z)):
        expected = (a - wt.NIELSEN_Y[j]) * wt.sigmoid_prime(z)
        assert math.isclose(last.delta_engine[j], expected, rel_tol=1e-12), (j, last.delta_engine[j], expected)


def test_nielsen_bp2_by_transpose():
    """δ^l = ((w^(l+1))ᵀ δ^(l+1)) ⊙ σ'(z^l), spelled out with the engine's δ^(l+1)."""
    n = wt.four_equations()
    for l in range(len(n.layers) - 1):
        W_next = wt.NIELSEN_WEIGHTS[l + 1]
        d_next = n.layers[l + 1].delta_engine
        for k, z in enumerate(n.layers[l].z):
            expected = sum(W_next[j][k] * d_next[j] for j in range(len(d_next))) * wt.sigmoid_prime(z)
            got = n.layers[l].delta_engine[k]
            assert math.isclose(got, expected, rel_tol=1e-12), f"δ[{l + 1}][{k + 1}]: {got} vs {expected}"


def test_nielsen_gradcheck_whole_network():
    x, y = list(wt.NIELSEN_X), list(wt.NIELSEN_Y)
    shapes = [(len(W), len(W[0])) for W in wt.NIELSEN_WEIGHTS]
    flat = [w for W in wt.NIELSEN_WEIGHTS for row in W for w in row]
    flat += [bj for b in wt.NIELSEN_BIASES for bj in b]

    def C(*p):
        it = iter(p)
        W = [[[next(it) for _ in range(cols)] for _ in range(rows)] for rows, cols in shapes]
        b = [[next(it) for _ in range(rows)] for rows, _ in shapes]
        return nn.quadratic_cost(nn.MLP.from_weights(W, b, act='sigmoid')(x), y)
    assert gradcheck(C, flat, atol=1e-8, rtol=1e-6)


# --- 4. The matrix form -----------------------------------------------------------------------

def test_matrix_form_shapes(results):
    mf = results['matrix_form']
    assert [wt.shape(W) for W in mf.W] == [(5, 4), (3, 5), (2, 3)]      # W3 2×3, W2 3×5 (the seed)
    for i, (sW, sd, sx, sg) in enumerate(mf.shapes, 1):
        assert sg == sW, f"∂E/∂W{i} has shape {sg}, W{i} has {sW}"
        assert sd == (sW[0], 1) and sx == (1, sW[1]), f"layer {i}: δ {sd}, xᵀ {sx}"
    assert [len(x) for x in mf.x] == [4, 5, 3, 2]


def test_matrix_form_is_bias_free():
    net = nn.MLP.from_weights(wt.MATRIX_W, biases=None)
    assert len(net.parameters()) == 5 * 4 + 3 * 5 + 2 * 3
    assert not any(p.label.startswith('b') for p in net.parameters())


def test_matrix_form_gradient_is_outer_product(results):
    mf = results['matrix_form']
    for i, (d, x_prev, g) in enumerate(zip(mf.delta, mf.x, mf.dE_dW_engine), 1):
        for j, row in enumerate(g):
            for k, gjk in enumerate(row):
                assert math.isclose(gjk, d[j] * x_prev[k], rel_tol=1e-9, abs_tol=1e-15), \
                    f"∂E/∂W{i}[{j + 1}][{k + 1}]: engine {gjk} vs δ·x {d[j] * x_prev[k]}"


def test_matrix_form_update_step(results):
    mf = results['matrix_form']
    for i, (Wi, Gi, new, new_eng) in enumerate(zip(mf.W, mf.dE_dW, mf.W_new, mf.W_new_engine), 1):
        for j in range(len(Wi)):
            for k in range(len(Wi[j])):
                expected = Wi[j][k] - mf.alpha * Gi[j][k]
                assert math.isclose(new[j][k], expected, rel_tol=1e-15)
                assert math.isclose(new_eng[j][k], expected, rel_tol=1e-12, abs_tol=1e-15), \
                    f"W{i}[{j + 1}][{k + 1}] after the step: SGD {new_eng[j][k]} vs {expected}"
    assert mf.E_new < mf.E, f"one step of gradient descent should lower E: {mf.E} → {mf.E_new}"


def test_matrix_form_gradcheck():
    W = wt.MATRIX_W
    shapes = [(len(Wi), len(Wi[0])) for Wi in W]
    flat = [w for Wi in W for row in Wi for w in row]

    def E(*p):
        it = iter(p)
        Ws = [[[next(it) for _ in range(c)] for _ in range(r)] for r, c in shapes]
        return nn.quadratic_cost(nn.MLP.from_weights(Ws)(list(wt.MATRIX_X0)), list(wt.MATRIX_T))
    assert gradcheck(E, flat, atol=1e-8, rtol=1e-6)


# --- printing -----------------------------------------------------------------------------------

def test_print_all_shows_every_example():
    buf = io.StringIO()
    wt.print_all(file=buf)
    text = buf.getvalue()
    for heading in ("3Blue1Brown", "Hung-yi Lee", "Nielsen", "Matrix form"):
        assert heading in text
    assert "0.98201379" in text and "0.82912398" in text
    assert "5×1 times 1×4 = 5×4" in text
    worst = float(text.rsplit(':', 1)[1])
    assert worst <= TOL, text[-200:]


def test_hadamard_and_helpers():
    assert wt.hadamard([1, 2], [3, 4]) == [3, 8]
    assert wt.outer([1, 2], [3, 4, 5]) == [[3, 4, 5], [6, 8, 10]]
    assert wt.transpose([[1, 2, 3], [4, 5, 6]]) == [[1, 4], [2, 5], [3, 6]]
    assert wt.matvec([[1, 2], [3, 4]], [1, -1]) == [-1, -1]


def test_one_module_a_seed_each_read_in_one_sitting_and_every_old_name_still_imports():
    """nn.walkthrough is a package (chain, paths, nielsen, matrix, common, tables, neuron), each
    module under 350 lines; what the notebooks import `from nn.walkthrough` is still there."""
    import ast
    import json
    import os
    folder = os.path.dirname(wt.__file__)
    assert os.path.basename(wt.__file__) == '__init__.py'
    for name in os.listdir(folder):
        if name.endswith('.py'):
            with open(os.path.join(folder, name), encoding='utf-8') as f:
                assert sum(1 for _line in f) <= 350, name
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    imported = set()
    for base, _dirs, files in os.walk(os.path.join(root, 'notebooks')):
        for name in files:
            if name.endswith('.ipynb'):
                with open(os.path.join(base, name), encoding='utf-8') as f:
                    cells = json.load(f)['cells']
                for cell in cells:
                    if cell['cell_type'] == 'code':
                        for s in ast.walk(ast.parse(''.join(cell['source']))):
                            if isinstance(s, ast.ImportFrom) and s.module == 'nn.walkthrough':
                                imported |= {a.name for a in s.names}
    assert {'CHAIN_W', 'LEE_WEIGHTS', 'NIELSEN_WEIGHTS', 'MATRIX_W'} <= imported
    assert [n for n in sorted(imported) if not hasattr(wt, n)] == []
