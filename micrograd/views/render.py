"""Draw a computation graph:  `draw_dot(root)` → graphviz.Digraph,  `to_svg(root)` → SVG text,
`to_png(root, path, dpi=…)` and `to_pdf(root, path)` → files for a slide or a hand-out.

As in Karpathy's lecture, every Value is a record  `name | data 2.0000 | grad 0.5000`  and every
operation is its own small oval (+, −, ·, /, tanh, Σ …) between its inputs and its output:

    x1 ──┐
         (*) ──> x1w1 ──(+)──> …──(tanh)──> o
    w1 ──┘

The names are graph.describe's, the same the steps use: a label; for an unlabelled node a short
expression such as (a − y), else v12; L for an unlabelled root.  A number the engine wrapped (the 2
of 2·x) is a small box showing just that number.  Hovering a box shows its full name and formula.

Colours say what role a value plays (call `legend()` to draw them):
    input       light blue   a labelled leaf that is not a parameter (the data x, a target y)
    constant    light grey   a number the engine wrapped: its box is the number, without a grad
    parameter   amber        a weight or bias: its label is  w[l][j][k]  or  b[l][j]
    output      green        the root you drew (usually the loss)
    interior    white        every other computed value

Label convention for networks (nn uses it; label hand-built networks the same way), indices from 1:
    w[l][j][k]  weight from input k to neuron j of layer l      b[l][j]  bias of neuron j of layer l
    z[l][j]     weighted input of neuron j of layer l           a[l][j]  its activation
    x[k]        input k of the network
A value labelled w/b/z/a[l][j]… is drawn, with its op oval, inside the cluster "layer l" › "neuron j";
an unlabelled value used only inside one neuron (w·x, a partial sum) joins that neuron too.  The
inputs x[1..n] are declared together and in order, each neuron's w[l][j][1..n] then b.  A loss over
several examples (each its own forward pass) draws one cluster per pass, "example 1" … "example n",
around its layers; the parameters they share are drawn outside them.  `collapse=True` folds each
neuron of each pass into one box (its activation's data and grad): layers left to right, neuron 1,
2, … from the top (the left with rankdir='TB'; Graphviz 2.x: newer ones reverse it).

Options of draw_dot/to_svg: show_grad=False (forward pass only), grads={Value: number} (shown
instead of .grad), show_local_grads=True (each parent → op edge says `local ∂child/∂parent`),
highlight_nodes={Value…}, highlight_edges={(parent, child)…} (every edge from parent into child's
op: both of a + a), clusters=False, collapse=True, legend=True, max_nodes=3000 (None: no limit),
slide=True (larger font, thicker lines, for a projector), background='white' | 'transparent' |
'dark' (a dark page: light lines and text around the same coloured boxes).  Size: see layout.py.
rankdir=None is 'LR', except for a slide (slide=True, to_png, to_pdf; or fit=True): then the shape
with the largest text on a 16:9 slide, see fit.py.  A collapsed box fed by FAINT_FROM (8) or more
boxes gets faint edges (a layer's n × m lines would be a block of ink).

Hover texts (each <title>): a value's full name and formula; an op's formula `n = s + b`; an op's
result edge `n = s + b = 0.8814`; an operand edge `∂n/∂b = 1`, `∂o/∂n = (1 − o²) = 0.5000`; an edge
into a collapsed box ∂(what it shows)/∂(the edge's value), through the neuron; a cluster its label.

Stable ids (the step-through player relies on them): number the values by their index i in
`topological_order(root)`.  Value node: `v{i}`;  its op oval: `v{i}op`;  edge op → value:
`v{i}op-v{i}`;  edge from its k-th parent p (k from 0, in `node.parents`) to the oval: `v{p}-v{i}op-{k}`.
These are the DOT names (and graphviz `id`s), so the SVG's <g> elements carry them.  In a value's <g>
the grad is the LAST <text> element and starts with "grad " (show_grad=True; a constant has none).
Clusters have ids `layer{l}` and `layer{l}-neuron{j}`, inside `example{e}` (ids then prefixed
`example{e}-`) when there are several passes, all of them in one frameless `passes`.  collapse=True: a neuron's box is named after the
value it shows (its activation a[l][j]), `v{i}`; an edge into the box is `v{p}-v{i}`; folded values
have none.  SVG classes: `node value <role>`, `node op`, `node neuron`, `edge operand`
(parent → op), `edge result` (op → value), plus `highlight` on highlighted elements.
"""
import types

from . import dot
from ..engine import WeightedSum
from .graph import described
# the steps' names for local derivatives (∂n/∂b = 1, (1 − o²)): one place says how they are written
from .trace import _d, _is_number, _local_names
from .fit import Shape, fitted, wrap
from .groups import Clusters, Plan, declaration_order, sortable
from .layout import (GraphTooLarge, LARGE, LARGE_LAYOUT, TRUNK_WEIGHT, boxes, refusal, too_large,
                     trunks)
from .renderer import Drawing, RendererNotFound, check_dpi, render, render_svg
from ..files import write_atomic
from ..i18n import N_, _

__all__ = ['draw_dot', 'to_svg', 'to_png', 'to_pdf', 'check_size', 'legend', 'render_svg',
           'RendererNotFound', 'GraphTooLarge', 'ROLE_COLORS']

ROLE_COLORS = types.MappingProxyType({
    'input': '#dbeafe', 'parameter': '#fde68a', 'output': '#bbf7d0', 'interior': '#ffffff',
    'constant': '#f3f4f6'})
_OP_COLOR, _NEURON_COLOR = '#f3f4f6', '#e9d5ff'
FAINT_FROM = 8                  # boxes feeding a collapsed neuron: from this many, faint edges
_SIDES = {'LR': ('e', 'w'), 'RL': ('w', 'e'), 'TB': ('s', 'n'), 'BT': ('n', 's')}
_ROLE_MEANING = (('input', N_('input: a leaf, not a parameter')),
                 ('constant', N_('constant: a number in the formula')),
                 ('parameter', N_('parameter: w[l][j][k] or b[l][j]')),
                 ('output', N_('output: the root (the loss)')),
                 ('interior', N_('interior: computed on the way')))


def draw_dot(root, format='svg', rankdir=None, *, show_grad=True, grads=None,
             show_local_grads=False, highlight_nodes=(), highlight_edges=(), clusters=True,
             collapse=False, legend=False, max_nodes=3000, slide=False, background='white',
             fit=None, graph=None):
    """The graph of `root` as a graphviz.Digraph: value records, op ovals, role colours, nn clusters.

    grads={Value: number} is shown instead of .grad ("grad ?" if missing); see the module docstring.
    rankdir=None: 'LR', or with fit (slide=True's default) the shape closest to a 16:9 slide.
    graph: the root's `describe(root)`, if the caller has it already.
    """
    if rankdir is not None and rankdir not in tuple(_SIDES):
        raise ValueError(_("draw_dot: rankdir must be 'LR', 'RL', 'TB' or 'BT' (left to right, right "
                           "to left, top to bottom, bottom to top), not {rankdir}",
                           rankdir=repr(rankdir)))
    if background not in dot.THEMES:
        raise ValueError(_("draw_dot: background must be one of {themes}, not {background}",
                           themes=', '.join(dot.THEMES), background=repr(background)))
    g = described(root, graph, 'draw_dot')
    plan = Plan(g, clusters or collapse, collapse)
    _refuse_if_too_large(g, plan, max_nodes, collapse)
    style, theme = (dot.SLIDE if slide else dot.NORMAL), dot.THEMES[background]
    lit = _Lit(g, highlight_nodes, highlight_edges)

    def draw(shape):
        return _draw(g, plan, format, shape, style, theme, lit, show_grad, grads, show_local_grads,
                     clusters, collapse, legend)
    if rankdir is None and (slide if fit is None else fit):
        return fitted(draw, plan)
    return draw(Shape(rankdir or 'LR'))


def _draw(g, plan, format, shape, style, theme, lit, show_grad, grads, show_local_grads, clusters,
          collapse, legend):
    rankdir = shape.rankdir
    drawing = _new_drawing(format, shape, plan, style, theme, collapse)
    fields = _Fields(g, show_grad, grads, shape)
    bodies = Clusters(drawing, style, theme, clusters, layers=collapse)
    _declare_neuron_boxes(g, plan, bodies, fields, lit, rankdir, clusters)
    _declare_values(g, plan, bodies, fields, lit, style)
    bodies.nest()
    _keep_in_order(g, plan, bodies)             # after every node is declared: it keeps their order
    titles = _titles(g, plan)
    _declare_edges(g, plan, drawing, lit, show_local_grads, rankdir, titles, _faint(style, theme))
    titles.update(bodies.titles)
    if legend:
        with drawing.subgraph(name='cluster_legend') as c:
            c.attr(label=_('legend'), id='legend', style='rounded', color=theme['cluster'],
                   fontcolor=theme['ink'], fontname='Helvetica', fontsize=style['cluster'])
            titles.update(_add_legend(c), legend=_('legend'))
    drawing.titles = titles
    if shape.wrap > 1 and not wrap(drawing, plan, shape.wrap):
        return None
    return drawing


def check_size(root, max_nodes=3000, collapse=False, clusters=True, *, graph=None):
    """Raise GraphTooLarge, as draw_dot would, without drawing: a cheap check to make before
    work that ends in a picture (step_through builds every step first); graph: as draw_dot's."""
    g = described(root, graph, 'check_size')
    _refuse_if_too_large(g, Plan(g, clusters or collapse, collapse), max_nodes, collapse)


def to_svg(root, **options):
    """SVG text of `draw_dot(root, **options)` (see renderer.py for the renderer used)."""
    return draw_dot(root, **options).svg()


def to_png(root, path=None, dpi=150, **options):
    """`draw_dot(root, **options)` as a PNG (`dpi` pixels per inch): written to `path` (and the path
    returned), or its bytes when no path is given.  Shaped for a 16:9 slide unless rankdir= or
    fit=False is given.

    For a slide: to_png(loss, 'loss.png', dpi=200, slide=True)."""
    if dpi is not None:
        check_dpi(dpi, 'to_png')                # before the work of drawing
    return _export(root, path, 'png', dpi, options)


def to_pdf(root, path=None, **options):
    """`draw_dot(root, **options)` as a PDF (vector: sharp at any size): written to `path` (and the
    path returned), or its bytes when no path is given.  Shaped for a slide, as to_png."""
    return _export(root, path, 'pdf', None, options)


def legend():
    """A tiny graph naming the colours: input, constant, parameter, output, interior, and an op."""
    g = Drawing(name='legend', graph_attr={'rankdir': 'LR'},
                node_attr={'fontname': 'Helvetica', 'fontsize': '12', 'height': '0.3'})
    g.titles = _add_legend(g)
    return g


# --- the stages of draw_dot ------------------------------------------------------------------

def _refuse_if_too_large(g, plan, max_nodes, collapse):
    drawn, layout = boxes(g, plan.shown, plan.folded)
    plan.layout = layout
    if too_large(drawn, layout, max_nodes):
        fits = False
        if not collapse and any(c is not None for c in g.neurons):
            folded = Plan(g, True, True)
            fits = not too_large(*boxes(g, folded.shown, folded.folded), max_nodes)
        raise GraphTooLarge(refusal(g, drawn, layout, max_nodes, collapse, fits))


def _new_drawing(format, shape, plan, style, theme, collapse):
    graph_attr = {'rankdir': shape.rankdir, 'nodesep': style['nodesep'], 'ranksep': style['ranksep'],
                  'newrank': 'true',        # one ranking of the whole graph, across clusters
                  'bgcolor': theme['bgcolor'], 'fontcolor': theme['ink']}
    if plan.layout > LARGE:
        graph_attr.update(LARGE_LAYOUT)
    # Few crossing-reduction passes: ties are then not swapped, so our order of declaration stays
    # (x[1..n], w[l][j][1..n] then b, neuron 1, 2, … down the page); a layer is complete bipartite
    # anyway, so every order of its neurons crosses as much.
    graph_attr['mclimit'] = '0.01'
    if collapse:                                # room for a layer's n × m edges between its columns
        graph_attr['ranksep'] = str(4 * float(style['ranksep']))
    return Drawing(name='micrograd', format=format, graph_attr=graph_attr,
                   node_attr={'shape': 'record', 'style': 'filled', 'fontname': 'Helvetica',
                              'fontsize': style['font'], 'height': style['height'],
                              'penwidth': style['pen']},
                   edge_attr={'fontname': 'Helvetica', 'fontsize': style['small'],
                              'arrowsize': style['arrow'], 'penwidth': style['pen'],
                              'color': theme['ink'], 'fontcolor': theme['ink']})


class _Lit:
    """The highlighted nodes and edges, by index."""

    def __init__(self, g, nodes, edges):
        self.nodes = {g.index[v] for v in nodes if v in g.index}
        self.edges = {(g.index[p], g.index[c]) for p, c in edges if p in g.index and c in g.index}


class _Fields:
    """The record label of a value: name | data | grad (a constant: just its number)."""

    def __init__(self, g, show_grad, grads, shape):
        self.g, self.show_grad, self.grads = g, show_grad, grads
        rows = '{%s}', '%s'                     # name | data | grad in a row, in each direction
        row = rows[0] if shape.rankdir in ('LR', 'RL') else rows[1]
        column = rows[1] if row == rows[0] else rows[0]
        self.record = column if shape.stacked is True else row
        self.leaf = column if shape.stacked else row    # stacked='leaves': only the leaves

    def numbers(self, v):
        fields = [f"data {dot.number(v.data)}"]
        if self.show_grad:
            grad = v.grad if self.grads is None else self.grads.get(v)
            fields.append("grad ?" if grad is None else f"grad {dot.number(grad)}")
        return fields

    def value(self, i):
        g = self.g
        if g.roles[i] == 'constant':
            return dot.record_field(g.names[i])
        record = self.record if g.order[i]._prev else self.leaf
        return record % '|'.join([dot.record_field(g.names[i]), *self.numbers(g.order[i])])

    def box(self, title, v):
        return self.record % '|'.join([dot.record_field(title), *self.numbers(v)])


def _declare_neuron_boxes(g, plan, bodies, fields, lit, rankdir, clusters):
    """collapse=True: one box per neuron of each pass, by (e, l, j) so that neuron 1 comes first
    (top, or left).  dot 2.x keeps the order of declaration, except inside a cluster drawn
    top-down (TB, BT), which it reverses."""
    for key in sorted(plan.box, key=sortable, reverse=clusters and rankdir in ('TB', 'BT')):
        i = plan.box[key]
        members = plan.members[key]
        ops = list(dict.fromkeys(g.order[k]._op for k in members if g.order[k]._prev))
        title = _("neuron {j}", j=key[2]) + (f": {' → '.join(ops)}" if ops else '')
        out = g.roles[i] == 'output'            # the box that holds the root is coloured as the output
        bodies.body(key[:2]).append(dot.statement(
            f"v{i}", f"v{i}", 'neuron output' if out else 'neuron',
            any(k in lit.nodes for k in members), label=fields.box(title, g.order[i]),
            style='filled,rounded', fillcolor=ROLE_COLORS['output'] if out else _NEURON_COLOR))


def _declare_values(g, plan, bodies, fields, lit, style):
    small = {'fontsize': style['small'], 'height': str(float(style['height']) * 0.7)}
    for i in declaration_order(g, plan):
        if plan.folded[i] or plan.shown[i] is None:     # in its neuron's box, or not drawn
            continue
        role = g.roles[i]
        body = bodies.body(plan.key[i])
        extra = small if role == 'constant' else {}
        body.append(dot.statement(f"v{i}", f"v{i}", f"value {role}", i in lit.nodes,
                                  label=fields.value(i), fillcolor=ROLE_COLORS[role], **extra))
        if g.order[i]._prev:
            body.append(dot.statement(f"v{i}op", f"v{i}op", 'op', False,
                                      label=dot.plain(g.ops[i]), shape='ellipse',
                                      fillcolor=_OP_COLOR, margin='0.02'))


def _keep_in_order(g, plan, bodies):
    """Each neuron's parameters one column after all of its inputs (invisible edges), so that
    layer l's cluster starts where layer l − 1 ends: layers left to right, not a staircase."""
    for i, v in enumerate(g.order):
        if v.op is WeightedSum and not plan.folded[i]:
            ps = g.parents[i]
            first_w, inputs = ps[0], ps[len(ps) // 2:-1]
            if g.roles[first_w] == 'parameter' and plan.shown[first_w] == first_w:
                bodies.drawing.body.extend(f"\tv{p} -> v{first_w} [style=invis]\n"
                                           for p in dict.fromkeys(inputs)
                                           if plan.shown[p] == p and p != first_w)


def _levels(g, plan):
    """{i: k}: neuron j's Σ pulls its j-th input (neuron j of the layer before) level with it,
    so that the layers line up instead of climbing a staircase."""
    level = {}
    for i, v in enumerate(g.order):
        if v.op is WeightedSum and g.neurons[i] and not plan.folded[i]:
            n, j = len(g.parents[i]) // 2, g.neurons[i][1]
            level[i] = n + min(j, n) - 1
    return level


def _faint(style, theme):
    """Thin, half-transparent lines: a layer's n × m edges between collapsed neurons, which
    drawn as the others would fill the gap between two columns with solid ink."""
    return {'color': theme['cluster'] + '99', 'penwidth': str(float(style['pen']) / 2),
            'arrowsize': str(float(style['arrow']) / 2)}


def _declare_edges(g, plan, drawing, lit, show_local_grads, rankdir, titles, faint):
    """Every edge, with its hover text in `titles`: an op's result `n = s + b = 0.8814`, an
    operand `∂n/∂b = 1`, an edge into a neuron's box ∂(what it shows)/∂(the edge's value).
    Into a box that FAINT_FROM or more boxes feed, the edges are faint."""
    side = _SIDES.get(rankdir)
    fed = {}                                    # box → the boxes feeding it
    for i, ps in enumerate(g.parents):
        if plan.folded[i]:
            fed.setdefault(plan.shown[i], set()).update(
                plan.shown[p] for p in ps if plan.shown[p] is not None and plan.folded[p])
    trunk = trunks(g) if plan.layout > LARGE else {}
    heavy = {'weight': TRUNK_WEIGHT} if plan.layout > LARGE else {}
    level = _levels(g, plan)
    hover = _Derivatives(g, plan)
    seen = set()
    for i, v in enumerate(g.order):
        folded, shown = plan.folded[i], plan.shown[i]
        if shown is None:
            continue
        head = f"v{shown}" if folded else f"v{i}op"
        if v._prev and not folded:
            drawing.body.append(dot.statement(f"{head} -> v{i}", f"{head}-v{i}", 'result', False,
                                              **heavy))
            titles[f"{head}-v{i}"] = f"{g.formulas[i]} = {dot.number(v.data)}"
        locals_ = v.local_grads() if show_local_grads and not folded else None
        for k, p in enumerate(g.parents[i]):
            if plan.shown[p] is None:
                continue
            tail = f"v{plan.shown[p]}"
            if tail == head:                    # inside one collapsed neuron
                continue
            edge_id = f"{tail}-{head}" if folded else f"{tail}-{head}-{k}"
            if edge_id in seen:
                continue
            seen.add(edge_id)
            titles[edge_id] = hover.text(i, k, p)
            attrs = {'label': f"local {dot.number(locals_[k])}"} if locals_ else {}
            if folded and side:                 # into a neuron's box from the side, never over its text
                attrs.update(tailport=side[0], headport=side[1])
            if folded and len(fed.get(shown, ())) >= FAINT_FROM and plan.folded[p]:
                attrs.update(faint)
            if trunk.get(i) == k and not folded:
                attrs.update(heavy)
            elif k == level.get(i):
                attrs['weight'] = TRUNK_WEIGHT

            drawing.body.append(dot.statement(f"{tail} -> {head}", edge_id, 'operand',
                                              (p, i) in lit.edges, **attrs))


class _Derivatives:
    """The hover text of an edge into value i's op (∂i/∂parent: by name, then its number), or into
    its neuron's box (∂(the box's value)/∂parent, through the neuron's folded values)."""

    def __init__(self, g, plan):
        self.g, self.plan, self.neurons = g, plan, {}

    def text(self, i, k, p):
        g, plan = self.g, self.plan
        if plan.folded[i]:
            top, key = plan.shown[i], plan.key[i]
            if key not in self.neurons:
                self.neurons[key] = _through_neuron(g, plan.members[key], top)
            value = self.neurons[key].get(p)
            d = _d(g.names[top], g.names[p])
            return d if value is None else f"{d} = {dot.number(value)}"
        d, name = _d(g.names[i], g.names[p]), _local_names(g, i)[k]
        local = g.order[i].local_grads()
        parts = [d] + ([name] if name != d else [])
        if local is not None and not _is_number(name):
            parts.append(dot.number(local[k]))
        return ' = '.join(parts)


def _through_neuron(g, members, top):
    """{parent outside the neuron: ∂top/∂parent}, the chain rule run over the neuron's folded
    values only (None for all when one of them has no local derivatives: a learner's _backward)."""
    inside, d, out = set(members), {top: 1.0}, {}
    for m in sorted(members, reverse=True):     # a member after every member it feeds
        if m not in d:
            continue
        local = g.order[m].local_grads()
        if local is None:
            return {}
        for p, l in zip(g.parents[m], local):
            into = d if p in inside else out
            into[p] = into.get(p, 0.0) + l * d[m]
    return out


def _titles(g, plan):
    """Hover text by node id: a value's full name and formula, an op's formula; a neuron box's
    layer and neuron."""
    titles = {f"v{i}": g.titles[i] for i in range(len(g)) if not plan.folded[i]}
    titles.update((f"v{i}op", g.formulas[i]) for i in range(len(g))
                  if g.formulas[i] and not plan.folded[i])
    for (e, l, j), i in plan.box.items():
        if e is None:
            where = _("neuron {j} of layer {l}: shows {name}", j=j, l=l, name=g.names[i])
        else:
            where = _("neuron {j} of layer {l} of example {e}: shows {name}", j=j, l=l, e=e,
                      name=g.names[i])
        titles[f"v{i}"] = f"{where}\n{g.titles[i]}"
    return titles


def _add_legend(g):
    """One coloured record per role and an op oval (ids start with `legend-`); returns their
    hover texts."""
    titles = {}
    for role, meaning in _ROLE_MEANING:
        g.body.append(dot.statement(f"legend_{role}", f"legend-{role}", f"legend {role}", False,
                                    label=dot.record_field(_(meaning)), shape='record', style='filled',
                                    fillcolor=ROLE_COLORS[role]))
        titles[f"legend-{role}"] = _(meaning)
    g.body.append(dot.statement("legend_op", "legend-op", 'legend op', False, label='op',
                                shape='ellipse', style='filled', fillcolor=_OP_COLOR))
    titles['legend-op'] = _("op: an operation, between its inputs and its result")
    return titles


def _export(root, path, format, dpi, options):
    options.setdefault('fit', True)             # a file is for a slide or a hand-out
    data = render(draw_dot(root, **options).source, format, dpi=dpi)
    if path is None:
        return data
    write_atomic(path, data)
    return path
