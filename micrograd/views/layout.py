"""How big a picture is for Graphviz, and refusing one it would take minutes to lay out.

Graphviz lays out a box for every value, every op, and every column a long edge crosses (a value
used far from where it was made).  draw_dot raises GraphTooLarge above max_nodes values or
5 × max_nodes boxes: with the default, anything drawn takes a few seconds at most (see
bench/render_bench.py).  Above 2,000 boxes the layout trades a little polish for speed: Debian's
dot 2.43 spends its time in network simplex, quadratic on deep graphs; newrank skips the old
ranking's slow start, nslimit caps the x-placement iterations, and a weight on each op's one
deepest input (the "trunk") keeps a long chain straight, not a staircase 100x as tall.
"""
import types

from ..i18n import _, ngettext

__all__ = ['GraphTooLarge', 'boxes', 'trunks', 'refusal', 'LARGE', 'LARGE_LAYOUT', 'TRUNK_WEIGHT']

LARGE = 2000                                    # boxes dot lays out, long edges' included
PER_NODE = 5                                    # refuse beyond max_nodes × this many boxes
LARGE_LAYOUT = types.MappingProxyType({'newrank': 'true', 'nslimit': '0.2'})
TRUNK_WEIGHT = '8'


class GraphTooLarge(ValueError):
    """More than `max_nodes` values, or 5 × max_nodes boxes to lay out: unreadable, slow to draw."""


def boxes(g, shown, folded):
    """(value boxes drawn, boxes dot lays out): values, op ovals and the columns long edges cross.

    shown[i]: the node that draws value i (itself, or its neuron's box); folded[i]: in a box;
    shown[i] is None for a value not drawn at all.
    """
    drawn = len({s for s in shown if s is not None})
    ovals = sum(1 for i, v in enumerate(g.order) if v._prev and not folded[i])
    return drawn, drawn + ovals + _long_edge_columns(g, shown, folded)


def _long_edge_columns(g, shown, folded):
    """dot ranks to make edges short; we take the best of three simple rankings, which comes close."""
    n = len(g.order)
    edges = []                                  # (tail, head): value i is node i, its op oval n + i
    for i, ps in enumerate(g.parents):
        if ps and shown[i] is not None:
            head = shown[i] if folded[i] else n + i
            edges += [(t, head) for t in {shown[p] for p in ps} if t is not None and t != head]
            if not folded[i]:
                edges.append((head, i))
    early, late = [0] * (2 * n), [0] * (2 * n)  # columns after the inputs; before the root
    for t, h in edges:
        early[h] = max(early[h], early[t] + 1)
    for t, h in reversed(edges):
        late[t] = max(late[t], late[h] + 1)
    first_use = {}                              # an input's earliest consumer, ranked early
    for t, h in edges:
        if t < n and not g.parents[t]:
            first_use[t] = min(first_use.get(t, early[h]), early[h])
    inputs_late = early[:]                      # computed values early, inputs just before first use
    for t, column in first_use.items():
        inputs_late[t] = column - 1
    spans = [sum(max(0, c[h] - c[t] - 1) for t, h in edges) for c in (early, inputs_late)]
    return min(*spans, sum(max(0, late[t] - late[h] - 1) for t, h in edges))


def trunks(g):
    """{i: k} when value i's k-th parent is its one deepest (the long path runs through it)."""
    depth = [0] * len(g.order)
    trunk = {}
    for i, ps in enumerate(g.parents):
        if ps:
            ds = [depth[p] for p in ps]
            depth[i] = max(ds) + 1
            if ds.count(max(ds)) == 1:          # a tie (a neuron's inputs) has no trunk
                trunk[i] = ds.index(max(ds))
    return trunk


def too_large(drawn, layout, max_nodes):
    return max_nodes is not None and (drawn > max_nodes or layout > PER_NODE * max_nodes)


def refusal(g, drawn, layout, max_nodes, collapse, collapsed_fits):
    """The GraphTooLarge message: the size, and ways out that work for this graph (in the language
    of micrograd.set_language / MICROGRAD_LANG)."""
    neurons = len({c for c in g.neurons if c is not None})
    ways = []
    if not collapse and neurons and collapsed_fits:
        ways.append(ngettext("collapse=True folds each of its neurons into one box ({n} neuron per "
                             "pass), small enough to draw",
                             "collapse=True folds each of its neurons into one box ({n} neurons per "
                             "pass), small enough to draw", neurons))
    elif not neurons:
        ways.append(_("for a network, collapse=True folds each neuron into one box (it needs nn's "
                      "labels w[l][j][k], b[l][j], a[l][j])"))
    if g.n_examples > 1:
        ways.append(_("the loss is over {n} examples: draw one example's pass, e.g. "
                      "draw_dot(loss_of(model(xs[0]), ys[0])) — it uses the same parameters",
                      n=g.n_examples))
    ways.append(_("draw a sub-expression (one neuron, one term of the loss)"))
    ways.append(_("pass max_nodes=None to draw it anyway"))
    if drawn > max_nodes:
        size = _("this graph has {drawn} value nodes, more than max_nodes={max_nodes}: a picture "
                 "that big is unreadable and Graphviz would take a long time to lay it out",
                 drawn=f"{drawn:,}", max_nodes=f"{max_nodes:,}")
    else:
        size = _("this graph has {drawn} value nodes, but values used far apart from each other "
                 "stretch its edges across the picture: Graphviz would lay out about {layout} "
                 "boxes, more than {k} × max_nodes={max_nodes}, which takes minutes",
                 drawn=f"{drawn:,}", layout=f"{layout:,}", k=PER_NODE, max_nodes=f"{max_nodes:,}")
    options = _("; ").join(f"({k}) {w}" for k, w in enumerate(ways, 1))
    return _("draw_dot: {size}. Instead: {options}.", size=size, options=options)
