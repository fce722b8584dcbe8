"""What a picture groups and in which order: the stages of draw_dot that decide where each value
goes, before any DOT text is written.

    Plan               each value's cluster key, the node that shows it, the collapsed neuron boxes
    Clusters           the bodies nodes are declared in: a frame per neuron ("layer 2 · neuron 1"),
                       per layer around collapsed neurons, per pass ("example 3"), and an unframed
                       one keeping the inputs x[1..n] together
    declaration_order  inputs first and in order, each neuron's w[l][j][1..n] then b, the rest as
                       computed: dot keeps this order down each column unless crossings force another
"""
import graphviz

from ..i18n import _

__all__ = ['Plan', 'Clusters', 'declaration_order', 'sortable']


class Plan:
    """What is drawn where: each value's cluster key, the node that shows it, collapsed boxes.

    key[i]: (e, l, j) neuron j of layer l in pass e (None when there is one pass), (e, 'x') the
    inputs of pass e, or None (no cluster).  shown[i]: the index of the node that draws value i
    (itself, its neuron's box, or None: not drawn); folded[i]: drawn as its neuron's box."""

    def __init__(self, g, grouped, collapse):
        several = g.n_examples > 1
        self.key = [_key(g, i, several) if grouped else None for i in range(len(g))]
        self.members = {}                       # (e, l, j) → the values folded into its box
        if collapse:
            for i, k in enumerate(self.key):
                if k is not None and len(k) == 3:
                    self.members.setdefault(k, []).append(i)
        self.box = {k: _box_value(g, ks) for k, ks in self.members.items()}
        self.folded = [collapse and k is not None and len(k) == 3 for k in self.key]
        hidden = collapse and several           # shared parameters: in no one pass's box
        self.shown = [self.box[k] if f else (None if hidden and g.roles[i] == 'parameter'
                                             and g.neurons[i] else i)
                      for i, (k, f) in enumerate(zip(self.key, self.folded))]


def _key(g, i, several):
    e, c = g.examples[i], g.neurons[i]
    if c is not None:
        if several and g.roles[i] == 'parameter':
            return None                         # shared by every pass: outside them
        return (e, *c)
    if g.roles[i] == 'input' and g.order[i].label.startswith('x['):
        return (e, 'x')
    return (e,) if e is not None else None


def _box_value(g, members):
    """The value whose numbers a collapsed neuron shows: its activation a[l][j], else its last value."""
    return next((i for i in members if g.order[i].label.startswith('a[')), members[-1])


class Clusters:
    """The bodies nodes are declared in: the drawing's, or a cluster's (made when first used).

    Layer frames only around collapsed neurons: around drawn-out neurons, every edge from the
    layer before would have to run around the frame's first column (the parameters), and the
    layers would climb a staircase; each neuron's frame says its layer instead."""

    def __init__(self, drawing, style, theme, enabled, layers):
        self.drawing, self.style, self.theme, self.enabled = drawing, style, theme, enabled
        self.layers = layers
        self.made = {}
        self.titles = {}                        # cluster id → its hover text
        self.loose = []                         # nodes in no cluster: declared after the clusters

    def body(self, key):
        if key is None or not self.enabled:
            return self.loose
        if key not in self.made:
            if self._outer(key) is not None:
                self.body(self._outer(key))     # every neuron sits in its layer, its pass
            attrs = self._attrs(key)
            self.made[key] = graphviz.Digraph(name=f"cluster_{attrs['id']}", graph_attr=attrs)
            self.titles[attrs['id']] = attrs['label'] or (
                _("the examples, one forward pass each") if key == PASSES else _("the inputs"))
        return self.made[key].body

    def _attrs(self, key):
        ink, line = self.theme['ink'], self.theme['cluster']
        common = {'id': _cluster_id(key), 'color': line, 'fontcolor': ink, 'fontname': 'Helvetica',
                  'fontsize': self.style['cluster'], 'penwidth': self.style['pen'],
                  'peripheries': '1'}          # a frame, even inside the passes' frameless one
        if key[1:] == ('x',) or key == PASSES:  # kept together, in order, no frame
            return {**common, 'label': '', 'peripheries': '0'}
        if len(key) == 1:
            return {**common, 'label': _("example {e}", e=key[0]), 'style': 'rounded,bold'}
        if len(key) == 2:
            return {**common, 'label': _("layer {l}", l=key[1]), 'style': 'rounded'}
        label = _("neuron {j}", j=key[2]) if self.layers else \
            _("layer {l} · neuron {j}", l=key[1], j=key[2])
        return {**common, 'label': label, 'style': 'rounded,dashed'}

    def nest(self):
        """Each cluster into the one around it, innermost first (subgraph() copies the body)."""
        # the inputs (no clusters inside) first: they come before layer 1 in the source; the
        # passes in order, then the frameless cluster around them
        for key in sorted(self.made, key=lambda k: (k[1:] != ('x',), -len(k), k == PASSES,
                                                    sortable(k))):
            outer = self._outer(key)
            (self.made[outer] if outer in self.made else self.drawing).subgraph(self.made[key])
        self.drawing.body.extend(self.loose)

    def _outer(self, key):
        """The cluster around a cluster: neuron → layer (collapse=True) → pass → the passes
        (one frameless cluster: there dot keeps the passes in order, not the shared parameters'
        best place for crossings, which put pass 3 above pass 1) → the drawing."""
        if len(key) == 3 and self.layers:
            return key[:2]
        if len(key) >= 2:
            return (key[0],) if key[0] is not None else None
        if key != PASSES and key[0] is not None:
            return PASSES
        return None


PASSES = ('passes',)                            # the key of the cluster around every pass


def _cluster_id(key):
    if key == PASSES:
        return 'passes'
    e, rest = key[0], key[1:]
    parts = [f"example{e}"] if e is not None else []
    if rest[:1] == ('x',):
        parts.append('inputs')
    elif rest:
        parts.append(f"layer{rest[0]}")
        if len(rest) == 2:
            parts.append(f"neuron{rest[1]}")
    return '-'.join(parts) or 'drawing'


def sortable(key):
    return tuple((0, x) if isinstance(x, int) else (1, str(x)) for x in key)


def declaration_order(g, plan):
    """Inputs x[1..n] first and in order, each neuron's w[l][j][1..n] then b, then the rest as
    computed: dot keeps this order down each column unless crossings force another."""
    def rank(i):
        key, label = plan.key[i], g.order[i].label
        place = 2 if key is None else 0 if key[1:] == ('x',) else 1     # inputs, neurons, the rest
        example = g.examples[i] or len(g)           # the passes first, in order; shared nodes after
        return (example, place, sortable(key or ()), _label_rank(label), i)
    return sorted(range(len(g)), key=rank)


def _label_rank(label):
    """x[k], w[l][j][k]: k;  b[l][j] after every weight;  anything else after, in computed order."""
    if label[:2] in ('x[', 'w[') and label.endswith(']'):
        try:
            return (0, int(label[label.rindex('[') + 1:-1]))
        except ValueError:
            pass
    return (1, 0) if label.startswith('b[') else (2, 0)
