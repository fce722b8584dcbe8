"""The step-through player without a browser: its arguments, its file, its size, its math, its text."""
import json
import math
import os
import re

import pytest

from micrograd import Value, step_through
from micrograd.cli.demo import _seed_graphs
from micrograd.engine import weighted_sum
from micrograd.views.player import TRUST
from micrograd.views.player_math import math_lines, plain_text
from micrograd.views.trace import backward_steps, forward_steps
from nn.walkthrough import lecture_neuron


def embedded_data(page_html):
    m = re.search(r'<script type="application/json" class="mg-data">(.*?)</script>', page_html, re.S)
    return json.loads(m[1])


def seeds():
    return {name: root for name, _, root in _seed_graphs()}


# --- arguments -----------------------------------------------------------------------------

@pytest.mark.parametrize('delay', [math.nan, math.inf, 0, -1.0])
def test_a_delay_that_is_no_time_is_explained(delay):
    with pytest.raises(ValueError, match=r"step_through: delay must be a positive, finite number of seconds, not"):
        step_through(Value(1.0), delay=delay)


@pytest.mark.parametrize('delay', ['1', None, True])
def test_a_delay_that_is_not_a_number_is_explained(delay):
    with pytest.raises(TypeError, match=r"step_through: delay must be a number of seconds, not"):
        step_through(Value(1.0), delay=delay)


def test_other_bad_arguments_are_explained(tmp_path):
    with pytest.raises(TypeError, match=r"root must be a Value .*, not str"):
        step_through('x')
    with pytest.raises(TypeError, match=r"leaves must be True or False, not 'yes'"):
        step_through(Value(1.0), leaves='yes')
    with pytest.raises(TypeError, match=r"save_html: title must be a str, not NoneType"):
        step_through(Value(1.0)).save_html(tmp_path / 'p.html', title=None)
    assert not os.listdir(tmp_path), "nothing written"


# --- the file ------------------------------------------------------------------------------

def test_a_lone_surrogate_is_drawn_as_render_draws_it(tmp_path):
    path = tmp_path / 'p.html'
    path.write_text('the old page', encoding='utf-8')
    x = Value(2.0, label='x\ud800')
    y = x * x; y.label = 'y'
    step_through(y).save_html(path)
    page = path.read_text(encoding='utf-8')
    assert 'x\ufffd' in page and '\ud800' not in page
    assert os.listdir(tmp_path) == ['p.html'], "no temporary file left"
    assert 'x\ufffd' in embedded_data(page)['backward']['steps'][-1]['text']


def test_a_failed_write_leaves_the_old_page(tmp_path, monkeypatch):
    path = tmp_path / 'p.html'
    path.write_text('the old page', encoding='utf-8')

    def fail(*_):
        raise OSError(28, 'No space left on device')
    monkeypatch.setattr('micrograd.files.os.replace', fail)
    with pytest.raises(OSError, match='No space left'):
        step_through(lecture_neuron()['o']).save_html(path)
    assert path.read_text(encoding='utf-8') == 'the old page'
    assert os.listdir(tmp_path) == ['p.html'], "no temporary file left"


# --- size ----------------------------------------------------------------------------------

def shared_sum(k, m):
    """One Σ node of 2k + 1 parents used m times: k·m products if every parent repeated the sum."""
    z = weighted_sum([Value(0.1 * i, label=f'w{i}') for i in range(k)],
                     [Value(0.2, label=f'a{i}') for i in range(k)], Value(0.3, label='b'))
    out = z * 1.0
    for c in range(2, m + 1):
        out = out + z * float(c)
    out.label = 'L'
    return out


def edges(root):
    from micrograd import topological_order
    return sum(len(v._prev) for v in topological_order(root))


def test_the_page_grows_with_the_edges_not_their_products():
    small, large = shared_sum(40, 40), shared_sum(80, 80)
    per_edge = [len(step_through(r).html().encode()) / edges(r) for r in (small, large)]
    assert per_edge[1] < 1.3 * per_edge[0], f"bytes per edge: {per_edge} (grows with the size)"


# --- math ----------------------------------------------------------------------------------

def normal(s):
    """The text without the layout's differences: spaces, a fraction's '/', a superscript's '^'."""
    return re.sub(r"[\s/^]", '', s).replace('²', '2').replace('-', '−')


def graphs():
    odd = lecture_neuron(s='x1*w1 + x2*w2')['o']          # a label with operators and spaces
    return [*seeds().values(), odd]


def test_every_line_of_math_reads_as_its_text():
    for root in graphs():
        data = embedded_data(step_through(root).html())
        for kind, steps in (('backward', backward_steps(root)), ('forward', forward_steps(root))):
            for s, embedded in zip(steps, data[kind]['steps']):
                assert embedded['text'] == s.explain()
                lines = s.explain().split('\n')
                assert len(embedded['math']) == len(lines)
                for line, segments in zip(lines, embedded['math']):
                    assert normal(plain_text(segments)) == normal(line), (line, segments)


def test_fractions_names_and_prose():
    line = math_lines("∂o/∂x1*w1 + x2*w2 = 0.5 is complete: push it back through o = tanh(n)",
                      {'o', 'x1*w1 + x2*w2', 'n'})[0]
    assert line[0][0] == ['f', ['o∂', 'io'], ['o∂', 'ix1*w1 + x2*w2']], "one name, one <mi>"
    assert line[1] == ' is complete: push it back through '
    assert line[2] == ['io', 'o=', 'itanh', ['r', ['o(', 'in', 'o)']]]
    sq = math_lines("∂C0/∂v16 = 2·v16 · 1.0  (2·v16 = -0.856)", {'C0', 'v16'})[0]
    assert sq[0][-1] == 'n1.0' and sq[1] == '\u2003', "the note apart: not 1.0 times (…)"
    assert sq[2] == [['r', ['o(', 'n2', 'o·', 'iv16', 'o=', 'n−0.856', 'o)']]]
    assert math_lines("(1 − o²)", {'o'})[0][0] == [['r', ['o(', 'n1', 'o−', ['s', ['io'], ['n2']], 'o)']]]
    leaf = math_lines("∂L/∂a = 2.0 is complete: a is an input (a leaf), nothing to push back.", {'L', 'a'})[0]
    assert leaf[1:] == [' is complete: ', ['ia'], ' is an input (a leaf), nothing to push back.']


# --- where scripts do not run --------------------------------------------------------------

def test_the_jupyter_output_says_the_steps_and_how_to_trust_it():
    p = step_through(lecture_neuron()['o'])
    bundle = p._repr_mimebundle_()
    assert set(bundle) == {'text/html', 'text/plain'}
    text = bundle['text/plain']
    assert text.endswith(TRUST) and 'jupyter trust' in TRUST
    assert 'step 5/10  ∂o/∂(x2*w2) = 0.5 is complete: push it back through x2*w2 = x2·w2' in text
    assert '<div class="mg-live" hidden="hidden">' in bundle['text/html'], \
        "the controls wait for the script (JupyterLab's sanitizer drops an empty hidden)"
    assert 'class="mg-static"' in bundle['text/html'] and re.search(r'<pre>backward pass: 10 steps', bundle['text/html'])


def test_a_big_graph_writes_out_its_first_steps_only():
    y = Value(0.5, label='x')
    for i in range(70):                     # 351 values
        y = (y * Value(0.9, label=f'w{i}') + Value(0.1, label=f'b{i}')).tanh()
    page = step_through(y).html()
    pre = re.search(r'<pre>(.*?)</pre>', page, re.S)[1]
    assert 'step 300/351' in pre and 'step 301/351' not in pre and '… and 51 more steps' in pre


def _chain(n):
    """n values: x, then n - 1 products and sums each using x again."""
    from micrograd import Value
    x = y = Value(0.5, label='x')
    for i in range(n - 1):
        y = y + x if i % 2 else y * x
    return y


def test_a_graph_of_more_values_than_can_be_drawn_is_refused_from_its_count(monkeypatch):
    """Issue 21, item 9: a 1e6-value graph took 4.7 s and 672 MB to refuse, described in full
    first; now the refusal walks 3,001 values and stops (bench: 0.001 s, +0 MB for 1e6 values)."""
    import micrograd.views.player as player
    from micrograd import GraphTooLarge
    for name in ('describe', 'check_size', 'draw_dot', 'backward_steps', 'forward_steps'):
        monkeypatch.setattr(player, name, lambda *a, _name=name, **k: pytest.fail(f"{_name} ran"))
    for n in (3001, 50_000):
        with pytest.raises(GraphTooLarge) as e:
            player.step_through(_chain(n))
        assert str(e.value) == (
            "step_through: this graph has more than 3,000 values, too many to draw (draw_dot's "
            "max_nodes) and to step through: step through a sub-expression instead (one neuron, "
            "one term of the loss, one example's pass)")
    with pytest.raises(GraphTooLarge, match="^step_through：这个计算图的值超过 3,000 个"):
        player.step_through(_chain(3001), lang='zh')


def test_a_graph_of_3000_values_goes_on_to_the_drawing_check(monkeypatch):
    import micrograd.views.player as player

    class Reached(Exception):
        pass

    def check_size(root, graph):
        raise Reached
    monkeypatch.setattr(player, 'check_size', check_size)
    with pytest.raises(Reached):
        player.step_through(_chain(3000))


def test_a_graph_too_large_to_draw_is_refused_before_any_step_is_built(monkeypatch):
    import micrograd.views.player as player
    from micrograd import GraphTooLarge, Value
    v = Value(1.0, label='x')
    for _ in range(2000):
        v = v * 1.0 + 0.5
    monkeypatch.setattr(player, 'backward_steps', lambda root: pytest.fail("steps were built"))
    with pytest.raises(GraphTooLarge):
        player.step_through(v)
