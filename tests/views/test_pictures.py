"""Pictures for a slide and for a hover: the direction and wrapping that fill a 16:9 slide, text that
reads on a 1920×1080 slide, hover texts that say what the picture shows, and bad options (dpi,
rankdir) refused with one clear message by either renderer."""
import math
import re
import shutil

import pytest

from micrograd import Value, draw_dot, to_png
from .test_graph import renderer  # noqa: F401  (each test with dot, and with dot hidden)


def lecture_neuron():
    from nn import walkthrough
    v = walkthrough.lecture_neuron()
    v['o'].backward()
    return v['o']


# --- bad options: one clear message --------------------------------------------------------

@pytest.mark.parametrize('dpi', [0, math.nan, True, 'abc', -1, math.inf, 1e6, 5, 1201, '150'])
def test_a_bad_dpi_is_one_clear_error(renderer, dpi, tmp_path):
    path = tmp_path / 'o.png'
    with pytest.raises(ValueError) as err:
        to_png(lecture_neuron(), path, dpi=dpi)
    message = str(err.value)
    assert message == f"to_png: dpi must be a number from 10 to 1200 (pixels per inch), not {dpi!r}"
    assert not path.exists(), "nothing written"


@pytest.mark.parametrize('dpi', [10, 72.5, 150, 600])
def test_a_good_dpi_sets_the_size(renderer, dpi):
    from PIL import Image
    import io
    small = Image.open(io.BytesIO(to_png(Value(2.0, label='x'), dpi=dpi))).size
    big = Image.open(io.BytesIO(to_png(Value(2.0, label='x'), dpi=2 * dpi))).size
    assert abs(big[0] / small[0] - 2) < 0.15, (small, big)


@pytest.mark.parametrize('rankdir', [3, 'tb', 'XY', '', ['LR']])
def test_a_bad_rankdir_is_one_clear_error(rankdir):
    with pytest.raises(ValueError) as err:
        draw_dot(lecture_neuron(), rankdir=rankdir)
    assert str(err.value) == ("draw_dot: rankdir must be 'LR', 'RL', 'TB' or 'BT' (left to right, "
                              f"right to left, top to bottom, bottom to top), not {rankdir!r}")


# --- hover texts and the order of examples -------------------------------------------------

def chain():
    """3Blue1Brown's chain a(0) → a(1) → a(2) → a(3), C0 = (a(3) − y)², after backward."""
    import nn
    from nn import walkthrough
    net = nn.MLP.from_weights([[[w]] for w in walkthrough.CHAIN_W],
                              [[b] for b in walkthrough.CHAIN_B], act='sigmoid')
    C0 = nn.squared_error(net([walkthrough.CHAIN_A0]), walkthrough.CHAIN_Y)
    C0.label = 'C0'
    C0.backward()
    return C0


def four_example_loss():
    import nn
    mlp = nn.MLP(2, [3, 1], act='tanh', rng=0)
    xs = [[1.0, 2.0], [-1.0, 0.5], [0.3, -0.7], [2.0, 1.0]]
    loss = nn.mean([nn.squared_error(mlp(x), y) for x, y in zip(xs, [1.0, -1.0, 1.0, -1.0])])
    loss.backward()
    return loss


def titles(svg):
    """{element id: its <title> text} for every node, edge and cluster of an SVG."""
    import xml.etree.ElementTree as ET
    tree = ET.fromstring(svg[svg.find('<svg'):].encode('utf-8'))
    out = {}
    for g in tree.iter(SVG + 'g'):
        title = g.find(SVG + 'title')
        if title is not None and g.get('class') != 'graph':
            out[g.get('id')] = title.text or ''
    return out


SVG = '{http://www.w3.org/2000/svg}'
_AN_ID = re.compile(r'\bv\d+')


def assert_no_ids(svg, root):
    """No hover text says an internal id (v3, v3op, v1->v3op, cluster_…); a name the picture itself
    writes in a box (an unlabelled value called v12) may appear."""
    from micrograd.views.graph import describe
    drawn = {n for n in describe(root).names if _AN_ID.fullmatch(n)}
    for element, text in titles(svg).items():
        assert not (set(_AN_ID.findall(text)) - drawn), f"{element}: the hover text {text!r}"
        assert 'cluster_' not in text and 'legend_' not in text, f"{element}: {text!r}"


def test_hover_texts_say_the_formula_and_the_local_derivative():
    o = lecture_neuron()
    svg = draw_dot(o).svg()
    t = titles(svg)
    from micrograd import topological_order
    order = topological_order(o)
    i = {v.label: k for k, v in enumerate(order)}
    x1w1, w1 = i['x1*w1'], i['w1']
    assert t[f"v{x1w1}op"] == 'x1*w1 = x1·w1'
    assert t[f"v{x1w1}op-v{x1w1}"] == 'x1*w1 = x1·w1 = -6.0000'
    k = order[x1w1].parents.index(order[w1])
    assert t[f"v{w1}-v{x1w1}op-{k}"] == '∂(x1*w1)/∂w1 = x1 = 2.0000'
    n, b = i['n'], i['b']
    assert t[f"v{b}-v{n}op-1"] == '∂n/∂b = 1'
    o_ = i['o']
    assert t[f"v{n}-v{o_}op-0"] == '∂o/∂n = (1 − o^2) = 0.5000'
    assert_no_ids(svg, o)


def test_no_hover_text_is_an_id(tmp_path):
    """draw_dot (plain, collapsed, with a legend, several examples), the legend alone, the player's
    page and the command line's picture."""
    import subprocess
    import sys
    from micrograd import legend, render_svg, step_through
    o, C0, loss = lecture_neuron(), chain(), four_example_loss()
    for root, options in [(o, {}), (o, {'legend': True, 'show_local_grads': True}), (C0, {}),
                          (C0, {'collapse': True}), (loss, {}), (loss, {'collapse': True})]:
        svg = draw_dot(root, **options).svg()
        assert len(titles(svg)) > 10
        assert_no_ids(svg, root)
    legend_titles = titles(render_svg(legend()))
    assert legend_titles['legend-parameter'] == 'parameter: w[l][j][k] or b[l][j]'
    assert not any(_AN_ID.search(t) or 'legend_' in t for t in legend_titles.values())
    page = tmp_path / 'o.html'
    step_through(o).save_html(page)
    svg = page.read_text(encoding='utf-8')
    svg = svg[svg.find('<svg'):svg.find('</svg>') + 6]
    assert len(titles(svg)) > 10
    assert_no_ids(svg, o)
    picture = tmp_path / 'n.svg'
    subprocess.run([sys.executable, '-m', 'micrograd', 'graph', 'tanh(x1*w1 + x2*w2 + b)', 'x1=2',
                    'x2=0', 'w1=-3', 'w2=1', 'b=6.8813735870195432', '-o', str(picture)],
                   check=True, capture_output=True)
    from micrograd import parse
    same = parse('tanh(x1*w1 + x2*w2 + b)', x1=2, x2=0, w1=-3, w2=1, b=6.8813735870195432)
    svg = picture.read_text(encoding='utf-8')
    assert len(titles(svg)) > 10
    assert_no_ids(svg, same)


def test_a_collapsed_neuron_edge_says_its_derivative_through_the_neuron():
    C0 = chain()
    svg = draw_dot(C0, collapse=True).svg()
    edges = {k: v for k, v in titles(svg).items() if k.count('-') == 1 and 'op' not in k}
    from micrograd import topological_order
    order = topological_order(C0)
    a1 = next(v for v in order if v.label == 'a[1][1]')
    a2 = next(v for v in order if v.label == 'a[2][1]')
    w2 = next(v for v in order if v.label == 'w[2][1][1]')
    want = w2.data * a2.data * (1 - a2.data)        # ∂a(2)/∂a(1) = w(2)·σ'(z(2))
    (text,) = [t for t in edges.values() if t.startswith('∂a[2][1]/∂a[1][1]')]
    assert text == f"∂a[2][1]/∂a[1][1] = {want:.4f}"


@pytest.mark.parametrize('collapse', [False, True])
def test_examples_are_drawn_in_order(collapse):
    """A loss over 4 examples: example 1, 2, 3, 4 from the top (left to right, the default), with
    Debian's dot 2.43 (the WebAssembly renderer's Graphviz 16 orders them 4, 2, 3, 1)."""
    if shutil.which('dot') is None:
        pytest.skip("Graphviz's dot is not installed")
    from .test_render import box, groups, parse
    clusters = groups(parse(draw_dot(four_example_loss(), collapse=collapse).svg()), 'cluster')
    tops = [box(clusters[f"example{e}"])[1] for e in (1, 2, 3, 4)]
    assert tops == sorted(tops), f"example clusters' tops (SVG y, down the page): {tops}"


# --- slides --------------------------------------------------------------------------------

def slide_text_px(svg):
    """The smallest text of a picture shown as large as fits on a 1920×1080 slide, in pixels."""
    import xml.etree.ElementTree as ET
    tree = ET.fromstring(svg[svg.find('<svg'):].encode('utf-8'))
    w, h = (float(tree.get(a).removesuffix('pt')) for a in ('width', 'height'))
    scale = min(1920 / w, 1080 / h)
    return min(float(t.get('font-size')) for t in tree.iter(SVG + 'text')) * scale


def png_aspect(data):
    import io
    from PIL import Image
    w, h = Image.open(io.BytesIO(data)).size
    return w / h


@pytest.mark.parametrize('name', ['neuron', 'chain'])
def test_a_slide_is_shaped_for_a_slide(renderer, name):
    """slide=True: near 16:9 (not the 11.6:1 strip of left to right) and every text ≥ 24 px on a
    1920×1080 slide; rankdir= given is kept."""
    root = lecture_neuron() if name == 'neuron' else chain()
    aspect = png_aspect(to_png(root, dpi=100, slide=True))
    assert 1.2 <= aspect <= 2.4, f"{name}: a slide PNG {aspect:.2f}:1"
    px = slide_text_px(draw_dot(root, slide=True).svg())
    assert px >= 24, f"{name}: the smallest text on a 1920×1080 slide is {px:.1f} px"
    assert png_aspect(to_png(root, dpi=50, slide=True, rankdir='LR')) > 5, "rankdir='LR' is kept"
    assert png_aspect(to_png(root, dpi=50)) < 3, "to_png fits a slide too, in its normal style"


def test_draw_dot_stays_left_to_right_unless_slide():
    o = lecture_neuron()
    assert 'rankdir=LR' in draw_dot(o).source
    assert 'rankdir=LR' not in draw_dot(o, slide=True).source
    assert 'rankdir=LR' in draw_dot(o, slide=True, fit=False).source
    assert 'rankdir=TB' in draw_dot(o, rankdir='TB', slide=True).source


def test_the_command_lines_picture_is_shaped_for_a_slide(tmp_path):
    import subprocess
    import sys
    picture = tmp_path / 'n.png'
    subprocess.run([sys.executable, '-m', 'micrograd', 'graph', 'tanh(x1*w1 + x2*w2 + b)', 'x1=2',
                    'x2=0', 'w1=-3', 'w2=1', 'b=6.8813735870195432', '-o', str(picture)],
                   check=True, capture_output=True)
    aspect = png_aspect(picture.read_bytes())
    assert 1.2 <= aspect <= 2.4, f"graph -o n.png: {aspect:.2f}:1"


def edges_between_boxes(svg):
    """[(stroke-opacity, stroke-width)] of every edge between two collapsed neurons' boxes."""
    from .test_render import groups, parse
    tree = parse(svg[svg.find('<svg'):])
    nodes = groups(tree, 'node')
    boxes = {k for k, n in nodes.items() if 'neuron' in n.get('class').split()}
    out = []
    for k, e in groups(tree, 'edge').items():
        tail, _, head = k.partition('-')
        if tail in boxes and head in boxes:
            path = e.find(SVG + 'path')
            out.append((float(path.get('stroke-opacity', 1)), float(path.get('stroke-width', 1))))
    return out


def test_a_wide_collapsed_network_has_no_solid_band_of_edges():
    """2-16-16-1: the 16 × 16 edges between two layers are faint lines (thin, half transparent),
    not a block of ink; a 3-4-4-1 network's 16 keep the ordinary line."""
    import nn
    wide = nn.MLP(2, [16, 16, 1], rng=0)
    loss = (wide([0.5, -1.0]) - 1.0) ** 2
    loss.backward()
    faint = edges_between_boxes(draw_dot(loss, collapse=True, slide=True).svg())
    assert len(faint) == 16 * 16 + 16
    assert all(opacity <= 0.6 and width <= 1 for opacity, width in faint), faint[:3]
    small = nn.MLP(3, [4, 4, 1], rng=0)
    solid = edges_between_boxes(draw_dot(small([1.0, 2.0, 3.0]), collapse=True, slide=True).svg())
    assert len(solid) == 4 * 4 + 4 and all(o == 1 and w == 2 for o, w in solid), solid[:3]
