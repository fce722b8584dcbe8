"""nn.exercises: right answers pass, each common slip gets its own hint, bad input never raises."""
import inspect
import math
import re

import numpy as np
import pytest

from micrograd import Value
from nn import exercises
from nn.exercises import all_exercises, buggy_backward, get


def s(z):
    return 1 / (1 + math.exp(-z))


def sp(z):
    return s(z) * (1 - s(z))


def swish_grad(x, y):
    return s(x) * (1 + x * (1 - s(x)))


# --- the answers, worked out in closed form here, independently of the exercises ------------

# 3Blue1Brown's last layer: a(L−1) = 0.6, w = 1.5, b = -0.4, y = 1, C0 = (a − y)²
Z = 1.5 * 0.6 - 0.4
DC = 2 * (s(Z) - 1.0)
W, B, A = 0.6 * sp(Z) * DC, sp(Z) * DC, 1.5 * sp(Z) * DC
# one layer back: a(0) = 0.8, w(1) = -0.7, b(1) = 0.3, w(2) = 1.2, b(2) = -0.5
Z1 = -0.7 * 0.8 + 0.3
Z2 = 1.2 * s(Z1) - 0.5
B1 = sp(Z1) * 1.2 * sp(Z2) * 2 * (s(Z2) - 1.0)
# Hung-yi Lee: z = 4, w3 = 2, w4 = -2, ∂l/∂z′ = 0.3, ∂l/∂z″ = 0.45
P1, P2 = sp(4) * 2 * 0.3, sp(4) * -2 * 0.45
# BP1: z = (0.5, -1.2), y = (1, 0), C = ½Σ(a − y)²
D1 = [(s(0.5) - 1) * sp(0.5), (s(-1.2) - 0) * sp(-1.2)]
# BP2: w = [[2, -1], [-2, -1]], δ' = (0.2, -0.1), z = (0.5, -1.0)
WT_D = [2 * 0.2 + -2 * -0.1, -1 * 0.2 + -1 * -0.1]
W_D = [2 * 0.2 + -1 * -0.1, -2 * 0.2 + -1 * -0.1]
D2 = [WT_D[0] * sp(0.5), WT_D[1] * sp(-1.0)]
# the matrix-form seed's last layer
WL, XP, T = [[0.4, -0.6, 0.2], [-0.3, 0.8, 0.5]], [0.5, -0.2, 0.9], [1.0, 0.0]
ZL = [sum(w * x for w, x in zip(row, XP)) for row in WL]
DL = [(s(z) - t) * sp(z) for z, t in zip(ZL, T)]
G = [[d * x for x in XP] for d in DL]
# Karpathy's neuron
PARENTS = {'x1w1': ['x1', 'w1'], 'x2w2': ['x2', 'w2'], 's': ['x1w1', 'x2w2'], 'n': ['s', 'b'],
           'o': ['n'], 'x1': [], 'x2': [], 'w1': [], 'w2': [], 'b': []}
ORDER = ['b', 'x2', 'w2', 'x2w2', 'w1', 'x1', 'x1w1', 's', 'n', 'o']
BUG_LINE = next(i for i, line in enumerate(inspect.getsource(buggy_backward).splitlines(), 1)
                if 'parent.grad =' in line)


def matrix(rows, k=1.0):
    return [[v * k for v in row] for row in rows]


RIGHT = {
    'ex01_mul_local': [3.0, -2.0],
    'ex02_tanh_local': 1 - math.tanh(0.8813735870195432) ** 2,
    'ex03_local_derivatives': [sp(0.5), math.exp(0.5), 2.0, 0.75],
    'ex04_chain_w': W,
    'ex05_chain_b': B,
    'ex06_chain_a_prev': A,
    'ex07_bias_one_layer_back': B1,
    'ex08_multipath': P1 + P2,
    'ex09_bp1': D1,
    'ex10_bp2': D2,
    'ex11_bp4': 0.3 * -0.7,
    'ex12_matrix_gradient': G,
    'ex13_gradient_shape': (3, 5),
    'ex14_topological_order': ORDER,
    'ex15_new_op': swish_grad,
    'ex16_find_the_bug': (BUG_LINE, 'x'),
    'ex17_fix_the_bug': [1 + -4.0, 2.5],
}

SIGMA, TWO, SIGN, PATH, TRANSPOSE = "σ'(z", "factor of 2", "sign", "path", "transpos"

# (exercise, a slip's answer, words its hint must contain)
SLIPS = [
    ('ex01_mul_local', [-2.0, 3.0], ["other factor"]),
    ('ex01_mul_local', [1.0, 1.0], ["rule for +"]),
    ('ex01_mul_local', [-3.0, 2.0], [SIGN]),
    ('ex02_tanh_local', 1 - 0.8813735870195432 ** 2, ["OUTPUT o", "input n"]),
    ('ex02_tanh_local', 1 - math.tanh(0.8813735870195432), ["Square"]),
    ('ex02_tanh_local', math.tanh(0.8813735870195432) ** 2 - 1, [SIGN]),
    ('ex03_local_derivatives', [s(0.5), math.exp(0.5), 2.0, 0.75], ["σ'(x) is not σ(x)"]),
    ('ex03_local_derivatives', [sp(0.5), 0.5 * math.exp(-0.5), 2.0, 0.75], ["power rule"]),
    ('ex03_local_derivatives', [sp(0.5), math.exp(0.5), -2.0, 0.75], [SIGN]),
    ('ex03_local_derivatives', [sp(0.5), math.exp(0.5), math.log(0.5), 0.75], ["ln x itself"]),
    ('ex03_local_derivatives', [s(0.5), math.exp(0.5), 2.0, 0.25],         # two entries wrong
     ["σ'(x) is not σ(x)", "Power rule"]),
    ('ex04_chain_w', W / sp(Z), [SIGMA]),
    ('ex04_chain_w', W / 2, [TWO]),
    ('ex04_chain_w', W * 2, [TWO]),
    ('ex04_chain_w', -W, [SIGN]),
    ('ex04_chain_w', W / 0.6, ["a(L−1)"]),
    ('ex04_chain_w', A, ["you used w(L)"]),
    ('ex04_chain_w', 0.6 * s(Z) * DC, ["not σ(z(L))"]),
    ('ex04_chain_w', -W / sp(Z), [SIGMA, SIGN]),
    ('ex05_chain_b', B / sp(Z), [SIGMA]),
    ('ex05_chain_b', B / 2, [TWO]),
    ('ex05_chain_b', -B, [SIGN]),
    ('ex05_chain_b', W, ["∂z(L)/∂b(L) = 1"]),
    ('ex06_chain_a_prev', A / sp(Z), [SIGMA]),
    ('ex06_chain_a_prev', A * 2, [TWO]),
    ('ex06_chain_a_prev', -A, [SIGN]),
    ('ex06_chain_a_prev', B, ["w(L)"]),
    ('ex06_chain_a_prev', W, ["weight w(L), not a(L−1)"]),
    ('ex07_bias_one_layer_back', B1 / sp(Z1), ["σ'(z(1))"]),
    ('ex07_bias_one_layer_back', B1 / sp(Z2), ["σ'(z(2))"]),
    ('ex07_bias_one_layer_back', B1 / 2, [TWO]),
    ('ex07_bias_one_layer_back', -B1, [SIGN]),
    ('ex07_bias_one_layer_back', B1 / 1.2, ["w(2)"]),
    ('ex07_bias_one_layer_back', B1 * 0.8, ["∂z(1)/∂b(1) = 1"]),
    ('ex08_multipath', P1, [PATH, "+="]),
    ('ex08_multipath', P2, [PATH]),
    ('ex08_multipath', (P1 + P2) / sp(4), [SIGMA]),
    ('ex08_multipath', P1 / sp(4), [PATH, "σ'(z)"]),
    ('ex08_multipath', -(P1 + P2), [SIGN]),
    ('ex09_bp1', [s(0.5) - 1, s(-1.2)], [SIGMA]),
    ('ex09_bp1', [2 * d for d in D1], [TWO, "½"]),
    ('ex09_bp1', [d / 2 for d in D1], [TWO]),
    ('ex09_bp1', [-d for d in D1], [SIGN]),
    ('ex09_bp1', [D1[0], -D1[1]], [SIGN]),                       # one entry wrong: per entry
    ('ex10_bp2', [W_D[0] * sp(0.5), W_D[1] * sp(-1.0)], [TRANSPOSE]),
    ('ex10_bp2', WT_D, [SIGMA]),
    ('ex10_bp2', [-d for d in D2], [SIGN]),
    ('ex10_bp2', W_D, [TRANSPOSE, SIGMA]),
    ('ex11_bp4', 0.9 * 0.2, [TRANSPOSE]),
    ('ex11_bp4', -0.7, ["BP3"]),
    ('ex11_bp4', 0.3, ["δ_j", "missing"]),
    ('ex11_bp4', 0.21, [SIGN]),
    ('ex12_matrix_gradient', [list(col) for col in zip(*G)], [TRANSPOSE]),
    ('ex12_matrix_gradient', [[g / sp(z) for g in row] for row, z in zip(G, ZL)], [SIGMA]),
    ('ex12_matrix_gradient', matrix(G, 2), [TWO]),
    ('ex12_matrix_gradient', matrix(G, 0.5), [TWO]),
    ('ex12_matrix_gradient', matrix(G, -1), [SIGN]),
    ('ex12_matrix_gradient', [list(col) for col in zip(*matrix(G, -1))], [SIGN, TRANSPOSE]),
    ('ex13_gradient_shape', (5, 3), [TRANSPOSE]),
    ('ex13_gradient_shape', (3,), ["δ₂ alone"]),
    ('ex13_gradient_shape', (5,), ["x₁ alone"]),
    ('ex13_gradient_shape', (2, 3), ["W₃"]),
    ('ex14_topological_order', ORDER[::-1], ["Reversed"]),
    ('ex14_topological_order', ['x1', 'w1', 'x1w1', 'x2', 'w2', 'x2w2', 'n', 's', 'b', 'o'],
     ["'n' comes before its input 's'"]),
    ('ex14_topological_order', ORDER[:-1], ["Missing: o"]),
    ('ex14_topological_order', ORDER + ['s'], ["'s' appears more than once"]),
    ('ex14_topological_order', ORDER[:-1] + ['out'], ["No node is labelled 'out'"]),
    ('ex15_new_op', lambda x, y: s(x), ["Product rule"]),
    ('ex15_new_op', lambda x, y: x * sp(x), ["Product rule"]),
    ('ex15_new_op', lambda x, y: sp(x), ["σ'(x) alone", "product rule"]),
    ('ex15_new_op', lambda x, y: -swish_grad(x, y), [SIGN]),
    ('ex15_new_op', lambda x, y: y, ["output y itself"]),
    ('ex15_new_op', lambda x, y: 2 * x, ["gradcheck", "x = -2.0: analytic -4.0"]),
    ('ex15_new_op', lambda x, y: swish_grad(x, y) * (1 + 1e-5), ["not exact"]),
    ('ex15_new_op', lambda x, y: 1 / (x - 0.3), ["raised ZeroDivisionError", "x = 0.3"]),
    ('ex16_find_the_bug', (BUG_LINE, 'y'), ["'y'", "one path", "+="]),
    ('ex16_find_the_bug', (BUG_LINE, 'q'), ["'q'", "one path", "+="]),
    ('ex16_find_the_bug', (BUG_LINE, 'f'), ["root"]),
    ('ex16_find_the_bug', (5, 'x'), ["Line 5", "assignment is right there"]),
    ('ex16_find_the_bug', (4, 'x'), ["Line 4", "clears"]),
    ('ex16_find_the_bug', (2, 'x'), ["Line 2 does not change any gradient"]),
    ('ex16_find_the_bug', (99, 'x'), ["lines 1 to"]),
    ('ex16_find_the_bug', (5, 'z'), ["Line 5", "no node 'z'"]),
    ('ex17_fix_the_bug', [-4.0, 2.5], ["+=", "last path"]),
    ('ex17_fix_the_bug', [1.0, 2.5], [PATH]),
    ('ex17_fix_the_bug', [3.0, -2.5], [SIGN]),
]

BAD = [None, "abc", "0.25", float('nan'), float('inf'), [1.0] * 7, {}, object(), True,
       Value(0.5), [[1.0, 2.0], [3.0]], [], [None, 1.0], ["a", "b"]]

EXERCISES = {ex.id: ex for ex in all_exercises()}


def forbidden(answer):
    """The ways the right answer could be written into a hint: a hint must contain none of them."""
    if isinstance(answer, (int, float)):
        forms = {repr(float(answer)), f"{answer:.3g}", f"{answer:.4f}", f"{answer:.10g}"}
        return {f for f in forms if len(f.lstrip('-')) >= 3}
    if isinstance(answer, tuple) and isinstance(answer[1], str):        # (line, node)
        return {f"line {answer[0]}", f"Line {answer[0]}"}
    if isinstance(answer, tuple):                                        # a shape
        return {"3×5", "3x5", str(answer)}
    if isinstance(answer, list) and isinstance(answer[0], str):        # an order
        return {", ".join(answer)}
    if isinstance(answer, list):
        return set().union(*map(forbidden, answer))
    return {"x·σ(x)(1 − σ(x))", "σ(x) + x", "y + σ(x)"}                  # the function's formula


# --- the registry ----------------------------------------------------------------------------

def test_at_least_twelve_exercises_with_unique_ordered_ids():
    ids = [ex.id for ex in all_exercises()]
    assert len(ids) >= 12
    assert len(set(ids)) == len(ids), ids
    assert ids == sorted(ids)
    for n, id in enumerate(ids, 1):
        assert re.fullmatch(rf"ex{n:02d}_[a-z0-9_]+", id), id
    assert set(ids) == set(RIGHT), "every exercise needs its right answer in this file"


def test_each_call_builds_fresh_exercises():
    first, second = all_exercises(), all_exercises()
    assert all(a is not b for a, b in zip(first, second))


def test_get_by_id_and_number():
    assert get('ex04_chain_w').id == get(4).id == 'ex04_chain_w'
    with pytest.raises(KeyError, match="ex01_mul_local"):
        get('ex99_nothing')


def test_the_setups_cover_the_lectures():
    text = " ".join(ex.prompt for ex in all_exercises())
    for words in ("3Blue1Brown", "Hung-yi Lee", "BP1", "BP2", "BP4", "topological", "Karpathy",
                  "gradcheck", "shape", "C0 = (a(L) − y)²", "½"):
        assert words in text, f"no exercise mentions {words!r}"


# --- right answers ---------------------------------------------------------------------------

@pytest.mark.parametrize('id', sorted(RIGHT))
def test_right_answer_passes(id):
    result = EXERCISES[id].check(RIGHT[id])
    assert result.ok, f"{id}: the right answer {RIGHT[id]!r} was marked wrong: {result}"
    assert str(result).startswith('✓ ') and len(result.message) > 10


@pytest.mark.parametrize('id', sorted(RIGHT))
def test_solution_passes_its_own_check_and_matches_the_closed_form(id):
    ex = EXERCISES[id]
    assert ex.check(ex.solution()).ok
    if id in ('ex14_topological_order', 'ex16_find_the_bug', 'ex15_new_op'):
        assert ex.solution() == RIGHT[id] or ex.check(RIGHT[id]).ok
    else:
        assert np.allclose(np.array(ex.solution(), dtype=float), np.array(RIGHT[id], dtype=float),
                           rtol=1e-12, atol=1e-15), f"{id}: {ex.solution()} vs {RIGHT[id]}"


@pytest.mark.parametrize('id', sorted(RIGHT))
def test_reveal_shows_the_worked_solution_and_hint_does_not(id):
    ex = EXERCISES[id]
    wrong = ex.check(None, reveal=True)
    assert not wrong.ok and "Solution: " in str(wrong) and wrong.solution
    assert "Solution" not in str(ex.check(None))
    for form in forbidden(RIGHT[id]):
        assert form not in ex.hint(), f"{id}: hint() gives away {form!r}: {ex.hint()}"


def test_tolerance_is_relative_1e_6():
    ex = get('ex04_chain_w')
    assert ex.check(W * (1 + 5e-7)).ok
    assert not ex.check(W * (1 + 5e-6)).ok
    assert exercises.close(1e-10, 0.0) and not exercises.close(2e-9, 0.0)


def test_numpy_answers_are_read():
    assert get('ex09_bp1').check(np.array(D1)).ok
    assert get('ex12_matrix_gradient').check(np.array(G)).ok
    assert get('ex04_chain_w').check(np.float64(W)).ok
    assert get('ex13_gradient_shape').check(np.zeros((3, 5)).shape).ok


def test_other_valid_orders_pass_too():
    ex = get('ex14_topological_order')
    leaves_first = ['x1', 'x2', 'w1', 'w2', 'b', 'x1w1', 'x2w2', 's', 'n', 'o']
    for order in (ORDER, ex.solution(), leaves_first):
        assert ex.check(order).ok, order
        assert all(order.index(p) < order.index(v) for v in order for p in PARENTS[v])


def test_one_argument_local_grad_is_accepted():
    assert get('ex15_new_op').check(lambda x: swish_grad(x, None)).ok
    assert get('ex15_new_op').check(lambda x, y: (swish_grad(x, y),)).ok


def test_the_buggy_backward_keeps_only_the_last_path():
    x, y = Value(2.5, label='x'), Value(-4.0, label='y')
    f = x * y + x
    buggy_backward(f)
    assert (x.grad, y.grad) == (-4.0, 2.5)
    x.grad = y.grad = 0.0
    f.backward()
    assert (x.grad, y.grad) == (-3.0, 2.5)


# --- slips: each gets its own hint, and no hint gives the answer away ------------------------

@pytest.mark.parametrize('id, answer, words', SLIPS,
                         ids=[f"{id}-{n}" for n, (id, _, _) in enumerate(SLIPS)])
def test_slip_gets_its_own_hint(id, answer, words):
    result = EXERCISES[id].check(answer)
    assert not result.ok, f"{id}: the slip {answer!r} was marked right"
    for word in words:
        assert word.lower() in result.message.lower(), \
            f"{id}: the hint for {answer!r} should mention {word!r}: {result.message}"
    for form in forbidden(RIGHT[id]):
        assert form not in result.message, f"{id}: the hint gives away {form!r}: {result.message}"


def test_every_exercise_has_a_slip_tested():
    assert {id for id, _, _ in SLIPS} == set(RIGHT)


def test_an_unknown_slip_gets_the_general_hint():
    ex = get('ex04_chain_w')
    result = ex.check(12.5)
    assert not result.ok and ex.hint() in result.message


# --- bad answers: ✗ with what was expected, never a traceback -------------------------------

@pytest.mark.parametrize('bad', BAD, ids=[repr(b)[:20] for b in BAD])
@pytest.mark.parametrize('id', sorted(RIGHT))
def test_bad_answer_is_explained_not_raised(id, bad):
    result = EXERCISES[id].check(bad)
    assert result.ok is False, f"{id}: {bad!r} was marked right"
    if id == 'ex14_topological_order' and bad in ([], ["a", "b"]):       # labels, just wrong ones
        assert re.match(r"Missing: b, n, o|No node is labelled 'a'", result.message), result
        return
    assert "expected" in result.message, f"{id}: {bad!r} gives no expectation: {result.message}"
    assert str(result).startswith('✗ ')


@pytest.mark.parametrize('bad', [lambda: 1.0, lambda x, y: "0.5", lambda x, y: float('nan'),
                                 lambda x, y: Value(1.0), lambda x, y: [1.0, 2.0], math.sin, max,
                                 lambda x, y, z: 1.0, Value, 3.0])
def test_bad_local_grad_functions_are_explained(bad):
    result = get('ex15_new_op').check(bad)
    assert result.ok is False and result.message, result


def test_a_value_answer_says_to_take_its_number():
    result = get('ex04_chain_w').check(Value(W))
    assert not result.ok and "v.grad" in result.message


# --- display ---------------------------------------------------------------------------------

def test_results_and_exercises_display_as_text_and_html():
    ex = get('ex08_multipath')
    good, bad = ex.check(P1 + P2), ex.check(P1)
    assert bool(good) and not bool(bad)
    assert str(good).startswith('✓') and str(bad).startswith('✗') and repr(bad) == str(bad)
    assert '✗' in bad._repr_html_() and '&lt;' not in good._repr_html_()
    assert ex.id in str(ex) and ex.prompt in str(ex) and ex.id in ex._repr_html_()
    assert repr(ex.hint()) == str(ex.hint()) == ex.hint()._repr_markdown_()
    lt = get('ex15_new_op').check(lambda x, y: 1 / 0)
    assert '<' not in lt._repr_html_().split('>', 1)[1].rsplit('<', 1)[0]


# --- every exercise × every slip kind that can occur in it -----------------------------------
# A row per kind of slip: the words its hint must contain, and the slip's answers in every
# exercise where it can occur (worked out here). An exercise missing from a row is one where the
# slip cannot happen: no σ in ex01, ex02, ex11, ex13, ex14, ex16, ex17; no cost in ex08, ex10, ex11.

def _minus(x):
    return [_minus(v) for v in x] if isinstance(x, list) else -x


SIGN_COST = {'ex09_bp1': "½Σ(a − y)²", 'ex12_matrix_gradient': "½‖x_L − t‖²",
             **{id: "(a − y)²" for id in ('ex04_chain_w', 'ex05_chain_b', 'ex06_chain_a_prev',
                                           'ex07_bias_one_layer_back')}}

KINDS = {
    'σ for σ′': (["slope", "not σ("], {
        'ex03_local_derivatives': [[s(0.5), math.exp(0.5), 2.0, 0.75]],
        'ex04_chain_w': [0.6 * s(Z) * DC],
        'ex05_chain_b': [s(Z) * DC],
        'ex06_chain_a_prev': [1.5 * s(Z) * DC],
        'ex07_bias_one_layer_back': [B1 / sp(Z1) * s(Z1), B1 / sp(Z2) * s(Z2)],
        'ex08_multipath': [(P1 + P2) / sp(4) * s(4)],
        'ex09_bp1': [[(s(0.5) - 1) * s(0.5), s(-1.2) * s(-1.2)]],
        'ex10_bp2': [[WT_D[0] * s(0.5), WT_D[1] * s(-1.0)]],
        'ex12_matrix_gradient': [[[(s(z) - t) * s(z) * x for x in XP] for z, t in zip(ZL, T)]],
        'ex15_new_op': [lambda x, y: s(x) + x * s(x)]}),
    'missing σ′': (["Missing σ'"], {
        'ex04_chain_w': [W / sp(Z)], 'ex05_chain_b': [B / sp(Z)], 'ex06_chain_a_prev': [A / sp(Z)],
        'ex07_bias_one_layer_back': [B1 / sp(Z1), B1 / sp(Z2)],
        'ex08_multipath': [(P1 + P2) / sp(4)],
        'ex09_bp1': [[D1[0] / sp(0.5), D1[1] / sp(-1.2)]],
        'ex10_bp2': [WT_D],
        'ex12_matrix_gradient': [[[(s(z) - t) * x for x in XP] for z, t in zip(ZL, T)]]}),
    'sign': (["sign"], {id: [_minus(RIGHT[id])] for id in (
        'ex01_mul_local', 'ex02_tanh_local', 'ex04_chain_w', 'ex05_chain_b', 'ex06_chain_a_prev',
        'ex07_bias_one_layer_back', 'ex08_multipath', 'ex09_bp1', 'ex10_bp2', 'ex11_bp4',
        'ex12_matrix_gradient', 'ex17_fix_the_bug')} | {
        'ex03_local_derivatives': [[sp(0.5), math.exp(0.5), -2.0, 0.75]],
        'ex15_new_op': [lambda x, y: -swish_grad(x, y)]}),
    'factor of 2': (["Factor of 2"], {id: [_minus(_minus(RIGHT[id])) and
                                           (matrix(RIGHT[id], k) if id == 'ex12_matrix_gradient'
                                            else [v * k for v in RIGHT[id]] if id == 'ex09_bp1'
                                            else RIGHT[id] * k) for k in (2.0, 0.5)]
                                      for id in ('ex04_chain_w', 'ex05_chain_b', 'ex06_chain_a_prev',
                                                 'ex07_bias_one_layer_back', 'ex09_bp1',
                                                 'ex12_matrix_gradient')}),
    'transpose': (["transpos"], {
        'ex10_bp2': [[W_D[0] * sp(0.5), W_D[1] * sp(-1.0)]], 'ex11_bp4': [0.9 * 0.2],
        'ex12_matrix_gradient': [[list(col) for col in zip(*G)]], 'ex13_gradient_shape': [(5, 3)]}),
    'a forgotten path': (["path"], {'ex08_multipath': [P1, P2], 'ex17_fix_the_bug': [[1.0, 2.5]]}),
}
TABLE = [(kind, id, n, answer) for kind, (_, cells) in KINDS.items()
         for id, answers in cells.items() for n, answer in enumerate(answers)]


@pytest.mark.parametrize('kind, id, n, answer', TABLE,
                         ids=[f"{kind}-{id[:4]}-{n}" for kind, id, n, _ in TABLE])
def test_every_slip_kind_gets_its_hint_in_every_exercise_where_it_can_occur(kind, id, n, answer):
    words = KINDS[kind][0] + ([SIGN_COST[id]] if kind == 'sign' and id in SIGN_COST else [])
    result = EXERCISES[id].check(answer)
    assert not result.ok, f"{id}: the slip ({kind}) was marked right"
    for word in words:
        assert word.lower() in result.message.lower(), \
            f"{id}: the hint for {kind} should say {word!r}: {result.message}"


def test_sigma_for_its_slope_is_recognised_wherever_a_sigma_appears():
    with_sigma = {ex.id for ex in all_exercises() if re.search('σ|sigmoid', ex.prompt)}
    assert set(KINDS['σ for σ′'][1]) == with_sigma


def test_the_nielsen_sign_hint_speaks_of_its_own_cost():
    message = get('ex09_bp1').check([-d for d in D1]).message
    assert "½Σ(a − y)²" in message and "2(a − y)" not in message, message


# --- rounded answers ---------------------------------------------------------------------------

NUMERIC = [id for id in RIGHT if id not in ('ex13_gradient_shape', 'ex14_topological_order',
                                            'ex15_new_op', 'ex16_find_the_bug')]


def _rounded(x, n):
    return [_rounded(v, n) for v in x] if isinstance(x, list) else float(f"{x:.{n}g}")


@pytest.mark.parametrize('id', NUMERIC)
def test_an_answer_rounded_to_4_or_more_figures_is_right_and_the_prompt_says_so(id):
    ex = EXERCISES[id]
    assert "4 or more significant figures" in ex.prompt and ex.prompt in str(ex)
    for n in (4, 5, 6, 8):
        assert ex.check(_rounded(RIGHT[id], n)), f"{id}: {_rounded(RIGHT[id], n)} ({n} figures)"


def _flat(x):
    return [v for item in x for v in _flat(item)] if isinstance(x, list) else [x]


@pytest.mark.parametrize('id', NUMERIC)
def test_fewer_figures_or_a_wrong_fourth_figure_are_not_right(id):
    ex, right = EXERCISES[id], RIGHT[id]
    if any(float(f"{v:.3g}") != float(f"{v:.4g}") for v in _flat(right)):
        assert not ex.check(_rounded(right, 3)), f"{id}: {_rounded(right, 3)} (3 figures) passed"
    fourth = (lambda v: v if v == float(f"{v:.4g}") else
              float(f"{v:.4g}") + 10.0 ** (math.floor(math.log10(abs(v))) - 3))
    off = [[fourth(v) for v in row] if isinstance(row, list) else fourth(row) for row in right] \
        if isinstance(right, list) else fourth(right)
    if off != right:
        assert not ex.check(off), f"{id}: {off} (the fourth figure off by one) passed"


def test_a_rounded_slip_still_gets_its_hint():
    result = get('ex04_chain_w').check(float(f"{-W:.4g}"))
    assert not result.ok and "sign" in result.message.lower(), result


def test_significant_figures_are_read_from_what_was_written():
    from nn.exercises.answers import significant_figures
    assert [significant_figures(x) for x in (-0.1216, 3.0, 1200.0, 1.0203, 1.216e-05, 0.5)] == \
        [4, 1, 2, 5, 4, 1]
    assert get('ex03_local_derivatives').check([0.235, 1.649, 2.0, 0.75])      # 0.2350: ok


def test_messages_say_an_int_and_no_answer():
    assert "an int is not a label" in get('ex14_topological_order').check([3]).message
    message = get('ex03_local_derivatives').check([..., 1.0, 2.0, 3.0]).message
    assert "no answer yet (…)" in message and "a ellipsis" not in message, message
    assert all(" a int" not in get(id).check(3).message for id in ('ex14_topological_order',
                                                                   'ex13_gradient_shape'))


# --- each exercise reads as a filled-in form ---------------------------------------------------

def test_every_exercise_is_made_with_keywords_and_a_positional_form_is_refused():
    """Exercise(id, title=…, prompt=…, …): only the id goes by position (issue 22 item 5), so
    which text is the hint and which the worked solution is said where each exercise is made."""
    import ast
    import os
    folder = os.path.dirname(exercises.__file__)
    made = 0
    for name in sorted(os.listdir(folder)):
        if not name.endswith('.py'):
            continue
        with open(os.path.join(folder, name), encoding='utf-8') as f:
            tree = ast.parse(f.read(), name)
        for call in ast.walk(tree):
            if isinstance(call, ast.Call) and getattr(call.func, 'id', None) == 'Exercise':
                made += 1
                assert len(call.args) == 1, f"{name}:{call.lineno}: {len(call.args)} positional"
    assert made == len(all_exercises())
    with pytest.raises(TypeError):
        exercises.Exercise('ex00', 'a title', 'a prompt', 'one number', 1.0, float, 'why', 'hint',
                           'worked')
