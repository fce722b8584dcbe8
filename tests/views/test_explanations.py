"""The explanations a learner reads: short steps, names by expression, one power notation, lines that wrap."""
import random
import re

import pytest

import nn
from micrograd import Value, to_svg, topological_order
from micrograd.views.graph import describe
from micrograd.views.trace import backward_steps, forward_steps

XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
YS = [1.0, -1.0, -1.0, 1.0]


def mlp_loss():
    """Karpathy's nn.MLP(3, [4, 4, 1]) on his first example, with Nielsen's ½(a − y)²."""
    random.seed(1337)
    mlp = nn.MLP(3, [4, 4, 1])
    return nn.quadratic_cost([mlp(XS[0])], [YS[0]])


def four_example_loss():
    """The lecture's loss over its four examples: Σ (score − y)²."""
    random.seed(1337)
    mlp = nn.MLP(3, [4, 4, 1])
    return sum((mlp(x) - y) ** 2 for x, y in zip(XS, YS))


def lecture_neuron():
    """The neuron as the lecture first writes it: only the leaves, n and o labelled."""
    x1, x2 = Value(2.0, label='x1'), Value(0.0, label='x2')
    w1, w2 = Value(-3.0, label='w1'), Value(1.0, label='w2')
    b = Value(6.8813735870195432, label='b')
    n = x1 * w1 + x2 * w2 + b; n.label = 'n'
    o = n.tanh(); o.label = 'o'
    return o


def squared_error():
    a, y = Value(0.57, label='a'), Value(1.0, label='y')
    return (a - y) ** 2


def half_squared_error():
    return (Value(0.57, label='a') - 1.0) ** 2 * 0.5


def tanh_of_a_product():
    return (Value(-3.0, label='x') * Value(2.0, label='w')).tanh()


GRAPHS = {'MLP loss': mlp_loss, '4-example loss': four_example_loss, 'neuron': lecture_neuron,
          '(a − y)^2': squared_error, 'tanh(x·w)': tanh_of_a_product}


def texts(root, lang='en'):
    return [s.explain(lang) for s in (*forward_steps(root), *backward_steps(root))]


def sigma_steps(steps):
    return [s for s in steps if s.value._op == 'Σ']


# --- leaves and constants folded ------------------------------------------------------------

def test_a_sigma_step_says_its_leaves_in_one_line():
    steps = backward_steps(mlp_loss())
    (z31,) = [s for s in steps if s.name == 'z[3][1]']
    lines = z31.explain().splitlines()
    assert lines[-1] == "  w[3][1][1], w[3][1][2], w[3][1][3], w[3][1][4], b[3][1]: parameters, done"
    assert len(lines) <= 11, "the step, its 9 products and one line for the leaves it completes"
    g = describe(mlp_loss())
    assert len(sigma_steps(steps)) == 9
    for s in sigma_steps(steps):
        text = s.explain()
        many = sum(1 for t in s.terms if t.terms)           # a sum over paths: the rule, its numbers
        assert len(text.splitlines()) <= 2 + len(s.terms) + many, text
        assert 'nothing to push back' not in text, text
        (done,) = [line for line in text.splitlines() if line.endswith(', done')]
        leaves = [t.parent_name for t in s.terms if t.path == t.paths and not g.parents[t.parent]]
        assert leaves and set(re.split(r', |: \w+, done(?:; )?', done.strip())) - {''} == set(leaves), done


def test_no_step_for_a_constant():
    for make in (mlp_loss, four_example_loss, half_squared_error):
        root = make()
        g = describe(root)
        steps = backward_steps(root)
        constants = {i for i, r in enumerate(g.roles) if r == 'constant'}
        assert constants, make.__name__
        assert [s for s in steps if s.node in constants or s.role == 'constant'] == []
        assert len(steps) == len(g) - len(constants)
        said = '\n'.join(s.explain() for s in steps)
        assert 'is a constant' not in said
        root.backward()                         # each constant's gradient is still in its term
        for t in (t for s in steps for t in s.terms if t.parent in constants and t.path == t.paths):
            assert t.grad == g.order[t.parent].grad, (t.parent_name, t.grad, g.order[t.parent].grad)


def test_the_root_of_quadratic_cost_folds_its_half():
    first = backward_steps(mlp_loss())[0].explain().splitlines()
    assert first[-1] == "  0.5: a constant, done"
    assert backward_steps(mlp_loss())[1].name == '(z[3][1] − 1.0)^2'


# --- names -----------------------------------------------------------------------------------

def test_the_lecture_neurons_sums_are_named_by_their_expression():
    o = lecture_neuron()
    g = describe(o)
    assert g.names == ['x1', 'w1', 'x1·w1', 'x2', 'w2', 'x2·w2', 'x1·w1 + x2·w2', 'b', 'n', 'o']
    forward = {s.name: s.explain() for s in forward_steps(o)}
    assert forward['x1·w1'] == "x1·w1 = 2.0·(-3.0) = -6.0"
    assert forward['x1·w1 + x2·w2'] == "x1·w1 + x2·w2 = (-6.0) + 0.0 = -6.0"
    assert forward['n'] == "n = x1·w1 + x2·w2 + b = (-6.0) + 6.8814 = 0.8814"
    step = next(s for s in backward_steps(o) if s.name == 'x1·w1 + x2·w2')
    assert step.explain().splitlines() == [
        "∂o/∂(x1·w1 + x2·w2) = 0.5 is complete: push it back through x1·w1 + x2·w2",
        "  ∂o/∂(x1·w1) = ∂(x1·w1 + x2·w2)/∂(x1·w1) · ∂o/∂(x1·w1 + x2·w2) = 1 · 0.5 = 0.5",
        "  ∂o/∂(x2·w2) = ∂(x1·w1 + x2·w2)/∂(x2·w2) · ∂o/∂(x1·w1 + x2·w2) = 1 · 0.5 = 0.5"]
    assert set(g.names) <= set(re.findall(r'<text[^>]*>([^<]*)</text>', to_svg(o).replace('&#45;', '-')
                                          .replace('&#183;', '·'))) | {''}, "the picture shows them"


def test_a_function_of_a_product_has_no_doubled_parentheses():
    assert [s.explain() for s in forward_steps(tanh_of_a_product())][-2:] == [
        "x·w = (-3.0)·2.0 = -6.0", "L = tanh(x·w) = tanh(-6.0) = -1.0"]


@pytest.mark.parametrize('lang', ['en', 'zh'])
@pytest.mark.parametrize('name', GRAPHS)
def test_no_doubled_parentheses(name, lang):
    root = GRAPHS[name]()
    for text in texts(root, lang):
        assert '((' not in text, text
    assert '((' not in ''.join(describe(root).names)


def _redundant(text):
    """'((x))': a group whose only content is another group."""
    stack, pairs = [], {}
    for k, c in enumerate(text):
        if c == '(':
            stack.append(k)
        elif c == ')' and stack:
            pairs[stack.pop()] = k
    return [text[a:pairs[a] + 1] for a in pairs if a + 1 in pairs and pairs[a + 1] == pairs[a] - 1]


def test_no_group_is_written_twice():
    x, y = Value(0.5, label='x'), Value(-2.0, label='y')
    roots = [((x + y) * (x - y)).exp(), (-(x * y)).tanh() ** 2, ((x + 1) ** 2).log(), x / (y * x),
             -(x + y), (x ** y).sigmoid(), ((x + y) ** 3) * -1.5]
    for root in roots:
        for text in texts(root):
            assert _redundant(text) == [], text


# --- one notation for powers ------------------------------------------------------------------

def test_a_power_is_written_one_way_in_the_picture_and_the_steps():
    C0 = squared_error()
    svg = to_svg(C0)
    ovals = re.findall(r'<g id="v\d+op" class="node op[^"]*">.*?<text[^>]*>([^<]*)</text>', svg, re.S)
    assert '^2' in ovals, ovals
    said = '\n'.join(texts(C0) + describe(C0).names)
    assert '(a − y)^2' in said and '2·(a − y)' in said
    for text in texts(mlp_loss()) + texts(lecture_neuron()) + [said]:
        assert '**' not in text and '²' not in text, text
    assert '**' not in svg and '²' not in svg


# --- every line wraps --------------------------------------------------------------------------

def test_a_sum_over_paths_is_a_line_per_form():
    steps = backward_steps(mlp_loss())
    (term,) = [t for s in steps for t in s.terms if t.parent_name == 'x[1]' and t.terms]
    rule, numbers = term.explain().splitlines()
    assert rule.startswith("∂L/∂x[1] = ∂z[1][4]/∂x[1] · ∂L/∂z[1][4] + ")
    assert numbers.startswith("= w[1][4][1] · ") and numbers.endswith("(all 4 paths, added up)")
    assert ';' not in numbers, "no list of values in one group, which could not wrap"



def test_a_name_in_brackets_is_one_group_in_the_players_math():
    from micrograd.views.player_math import math_lines
    (line,) = math_lines("∂L/∂[(a − y)^2] = 0.5", {'L', '(a − y)^2'})
    assert line == [[['f', ['o∂', 'iL'], ['o∂', ['r', ['o[', 'i(a − y)^2', 'o]']]]], 'o=', 'n0.5']]
    (line,) = math_lines("σ'(z) · [w3 · a + w4 · b]", {'z', 'a', 'b', 'w3', 'w4'})
    assert 'o+' in line[0], "Hung-yi Lee's bracket is no group: the line still breaks at its +"


# --- in the player: what a learner sees ------------------------------------------------------

from .test_player_browser import browser, open_player, page, steps_shown   # noqa: E402,F401

OVERFLOW = """el => {
  const side = el.querySelector('.mg-side'), box = side.getBoundingClientRect();
  const out = [...el.querySelectorAll('.mg-text math')].filter(m => {
    const r = m.getBoundingClientRect();
    return r.right > box.right + 1 || r.left < box.left - 1;
  }).map(m => m.textContent);
  return {out, lines: el.querySelectorAll('.mg-text .mg-line').length,
          sideways: side.scrollWidth - side.clientWidth};
}"""


def _all_lines(player):
    """Every line of the step drawn: the player draws the first ones and the rest once they are near."""
    lines = -1
    while lines != player.locator('.mg-text .mg-line').count():
        lines = player.locator('.mg-text .mg-line').count()
        player.evaluate("el => { const side = el.querySelector('.mg-side'); side.scrollTop = side.scrollHeight; }")
        player.page.wait_for_timeout(150)
    return lines


@pytest.mark.parametrize('name,width', [('MLP loss', 390), ('MLP loss', 1280), ('4-example loss', 390)])
def test_every_line_wraps_inside_the_pane(page, tmp_path, name, width):
    page.set_viewport_size({'width': width, 'height': 844})
    root = GRAPHS[name]()
    player = open_player(page, tmp_path, root, leaves=False)
    folded = [s for s in backward_steps(root) if s.value._prev or not s.incoming]
    assert steps_shown(player) == len(folded)
    for k, s in enumerate(folded, 1):
        player.locator('input[type=range]').fill(str(k))
        lines = _all_lines(player)
        seen = player.evaluate(OVERFLOW)
        assert seen['out'] == [] and seen['sideways'] <= 1, f"step {k} ({s.name}) at {width} px: {seen}"
        if s.name == 'z[3][1]' and name == 'MLP loss':
            assert lines == 11, f"the Σ step of the output neuron: {lines} lines"
        if s.value._op == 'Σ':
            many = sum(1 for t in s.terms if t.terms)
            assert lines == len(s.explain().splitlines()) <= 2 + len(s.terms) + many, (k, s.name, lines)


# --- the written expression is the computed one ----------------------------------------------

from hypothesis import assume, given, settings, strategies as st   # noqa: E402

from micrograd import parse, weighted_sum                           # noqa: E402
from micrograd.expr import ParseError                               # noqa: E402

_PYTHON = [('·', '*'), ('^', '**'), ('−', '-'), ('σ(', 'sigmoid('), ('ReLU(', 'relu('), ('ln(', 'log(')]
_UNARY = [lambda a: -a, lambda a: a.tanh(), lambda a: a.exp(), lambda a: a.sigmoid(),
          lambda a: a ** 2, lambda a: a ** -1, lambda a: a ** 3]
_BINARY = [lambda a, b: a + b, lambda a, b: a - b, lambda a, b: a * b, lambda a, b: a / b,
           lambda a, b: a * 2.5, lambda a, b: a - 1.5, lambda a, b: -0.5 * a, lambda a, b: 3.0 - a,
           lambda a, b: weighted_sum([a], [b], Value(0.25, label='c'))]


def _graphs():
    leaf = st.sampled_from(['x', 'y'])
    return st.recursive(leaf, lambda inner: st.one_of(
        st.tuples(st.integers(0, len(_UNARY) - 1), inner),
        st.tuples(st.integers(0, len(_BINARY) - 1), inner, inner)), max_leaves=8)


def _build(tree, leaves):
    if isinstance(tree, str):
        return leaves[tree]
    if len(tree) == 2:
        return _UNARY[tree[0]](_build(tree[1], leaves))
    return _BINARY[tree[0]](_build(tree[1], leaves), _build(tree[2], leaves))


@settings(max_examples=300, deadline=None)
@given(_graphs(), st.floats(0.3, 2.0), st.floats(-2.0, -0.3))
def test_every_written_expression_computes_its_value(tree, x, y):
    """Parentheses only where needed, yet never too few: each formula, read back, is the node's value."""
    leaves = {'x': Value(x, label='x'), 'y': Value(y, label='y'), 'c': Value(0.25, label='c')}
    try:
        root = _build(tree, leaves)
    except (ValueError, ZeroDivisionError, OverflowError):
        assume(False)
    g = describe(root)
    known = {n: v.data for n, v in zip(g.names, g.order) if re.fullmatch(r'v\d+|L', n)}
    known.update((k, v.data) for k, v in leaves.items())
    written = [(g.expression(i), v.data) for i, v in enumerate(g.order) if v._prev]
    written += [(t.local_name, t.local) for s in backward_steps(root) for t in s.terms
                if "'" not in t.local_name and 'ln ' not in t.local_name]   # σ'(z): no formula
    for said, value in written:
        assert _redundant(said) == [], said           # tanh((−x)^2) is fine: one group each
        text = said
        for a, b in _PYTHON:
            text = text.replace(a, b)
        used = {k: d for k, d in known.items() if re.search(rf'\b{k}\b', text)}
        try:
            again = parse(text, **used).data
        except ParseError:
            raise
        except (ValueError, ZeroDivisionError, OverflowError):      # a value out of range
            continue
        assert again == pytest.approx(value, rel=1e-9, abs=1e-12), (said, text, used)
