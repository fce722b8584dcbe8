"""What the learner sees of a graph, computed once: `describe(root)` → a `Graph`.

The picture (render.py), the steps (trace.py) and the player all read this one description, so a
name in an explanation is, by construction, a text in the picture.  For every node i (its index in
`topological_order(root)`, also its id `v{i}` in the SVG) it holds:

    names[i]     what the node is called everywhere:
                   its label (cleaned, below);
                   a number the engine wrapped (engine.is_constant): that number, '2.0';
                   an unlabelled root: 'L';
                   another unlabelled node: its expression when that is short, 'x1·w1 + x2·w2',
                   else 'v{i}' — and the picture then shows that name in the node's box
    formulas[i]  'n = x1·w1 + b' — written from the op class (node.op, node.constants), never by
                 parsing the symbol string; a custom Op is written  symbol(args);  '' for a leaf;
                 a node named by its expression is just that expression, 'x1·w1'
    titles[i]    the hover text: the full name and the formula
    ops[i]       the op as its oval shows it: its symbol, with − for a − b and −a, ^2 for a**2
    precedence[i]  how tightly names[i] binds (NEGATIVE < SUM < PRODUCT < POWER < ATOM; NEGATIVE
                 for -3.0 and −a): an operand is put in parentheses only when it binds less
                 tightly than its place needs, so nothing reads tanh((x1·w1)) or (x1·w1) + b
    spelled[i]   True when names[i] is the node's expression (not a label, a number or v{i})
    roles[i]     'input' (a leaf of yours), 'parameter' (w[l][j][k], b[l][j]), 'constant' (a
                 number the engine wrapped), 'output' (the root) or 'interior'
    neurons[i]   (l, j) when the node belongs to neuron j of layer l (nn's labels w/b/z/a[l][j]…;
                 an unlabelled value used only inside one neuron joins it), else None
    examples[i]  e (from 1) when the node belongs to forward pass e of a loss over several
                 examples, else None; `n_examples` passes in all (0 or 1: no example groups)

Labels are cleaned in one place, `clean_label`: a tab becomes a space, \\r\\n a newline, a control
character `\\xNN`, a lone surrogate U+FFFD (so SVG, JSON and HTML all carry the same valid text), and
a label longer than 60 characters or 4 lines is shortened with '…' (Graphviz fails on labels
beyond 16,384 characters); the hover title keeps up to 1,000 characters.

Passes: nn labels every pass's nodes the same (z[1][1] in each example).  The nodes of one pass are
the neuron nodes joined by edges that avoid the shared parameters (and the inputs x[k] they read);
the loss's own nodes then join the one pass all their computed parents come from, and any other
node (a target y, a constant) the one pass all its consumers are in.

Expressions are written tight ('x1·w1', 'a^2'), as the lectures write a term inside a formula (the
steps space out only the chain rule's own product, '∂n/∂w1 · ∂L/∂n'); a power is always '^k', in
the oval, the names and the formulas alike.
"""
import re
import string

from .. import engine
from ..ops import exponent
from ..engine import topological_order
from ..i18n import _

__all__ = ['Graph', 'describe', 'described', 'clean_label', 'number', 'wrap', 'exponent', 'group',
           'precedence', 'MAX_NAME', 'NEGATIVE', 'SUM', 'PRODUCT', 'POWER', 'ATOM']

MAX_NAME, MAX_LINES, MAX_TITLE = 60, 4, 1000
_SHORT = 20                     # an unlabelled node is named by its expression up to this length
NEGATIVE, SUM, PRODUCT, POWER, ATOM = range(5)      # how tightly a written expression binds
_NEURON_LABEL = re.compile(r'([wbza])\[(\d+)\]\[(\d+)\](\[\d+\])?')
_CONTROL = re.compile(r'[\x00-\x08\x0b-\x1f\x7f]')
_SURROGATE = re.compile(r'[\ud800-\udfff]')
_UNSET = object()               # a sentinel, never changed


class Graph:
    """The description of the graph ending in `root` (see the module docstring for the fields)."""

    def __init__(self, root, who='describe'):
        if not isinstance(root, engine.Value):
            raise TypeError(_("{who}: expected a Value (the root of a graph, e.g. the loss), not "
                              "{type} ({value})", who=who, type=type(root).__name__,
                              value=f"{root!r:.40}"))
        self.root = root
        self.order = order = topological_order(root)
        self.index = index = {v: i for i, v in enumerate(order)}
        self.parents = [tuple(index[p] for p in v._prev) for v in order]
        self.roles = [_role(v, root) for v in order]
        self.names, self.precedence, self.spelled = _names(order, self.parents, self.roles)
        self.formulas = [self._formula(i) for i in range(len(order))]
        self.titles = [_title(v, f) for v, f in zip(order, self.formulas)]
        self.ops = [_oval(v) if v._prev else '' for v in order]
        self.neurons = _neurons(order, self.parents)
        self.examples, self.n_examples = _examples(order, self.parents, self.neurons, self.roles)

    def __len__(self):
        return len(self.order)

    def factor(self, i, needs=POWER):
        """Node i as an operand that must bind at least as tightly as `needs`: 'x1·w1' as a
        term of a sum, '(x1·w1 + b)' as a factor, a negative number '(-3.0)' in parentheses."""
        return group(self.names[i], self.precedence[i], needs)

    def expression(self, i, args=None):
        """Node i's op applied to `args` (default: its parents' names), each put in parentheses
        where the op needs it: 'x1·w1', 'tanh(x1·w1)', '(a − y)^2'.  args: [(text, precedence)]."""
        if args is None:
            args = [(self.names[p], self.precedence[p]) for p in self.parents[i]]
        return expression(self.order[i], args)[0]

    def _formula(self, i):
        if not self.order[i]._prev:
            return ''
        if self.spelled[i]:                     # named by its expression: 'x1·w1', not 'x1·w1 = x1·w1'
            return self.names[i]
        return f"{self.names[i]} = {self.expression(i)}"


def describe(root, who='describe'):
    """The Graph of `root`: order, names, formulas, roles, neuron and example groups.

    A root that is not a Value is a TypeError that starts with `who` (the function called)."""
    return Graph(root, who)


def described(root, graph, who):
    """`graph` if it is `root`'s own description (a caller that has one already hands it on, so
    step_through describes once), else describe(root, who); another graph's is a ValueError."""
    if graph is None or not isinstance(root, engine.Value):     # not a Value: describe says so
        return describe(root, who)
    other = getattr(graph, 'root', None)
    if other is not root:
        raise ValueError(_("{who}: graph= must be describe(root) of this root ({root}), not the "
                           "description of another graph ({other})", who=who, root=_called(root),
                           other=_called(other) if isinstance(other, engine.Value)
                           else type(graph).__name__))
    return graph


def _called(v):
    """A value as an error names it: its label, else its number."""
    return clean_label(v.label) if v.label else number(v.data)


# --- formulas, from the op class ------------------------------------------------------------

def group(text, binds, needs):
    """`text` (which binds `binds`) in parentheses if its place needs something tighter."""
    return f"({text})" if binds < needs else text


class _Written(string.Formatter):
    """Fills in an op's template (ops.py): each field is a (text, how tightly it binds) pair, and
    `{b:power}` writes b in parentheses unless it binds at least as tightly as a power."""

    def format_field(self, value, spec):
        text, binds = value
        return group(text, binds, BINDS[spec]) if spec else text


_WRITTEN = _Written()
BINDS = {'negative': NEGATIVE, 'sum': SUM, 'product': PRODUCT, 'power': POWER, 'atom': ATOM}


def fill(node, what, args, **more):
    """node's op template `what` ('drawn', 'written', 'derivatives') filled in with args, its
    parents as (text, precedence) pairs, and `more` (out=…); None if the op has none."""
    op = node.op
    said = op.says(what, exponent, len(node.parents), **node.constants) if op else None
    if said is None:
        return None
    fields = op.fields(args, **more)
    for key, k in node.constants.items():
        fields[key] = (exponent(k), precedence(exponent(k)))
    templates = [said] if isinstance(said, str) else list(said)
    try:
        if what == 'derivatives' and len(templates) != len(args):
            raise ValueError(_("one template per parent: {m}, not {n}", n=len(templates), m=len(args)))
        filled = [_WRITTEN.vformat(t, args, fields) for t in templates]
    except (KeyError, IndexError, ValueError, TypeError, AttributeError) as e:
        raise ValueError(_("{op}.{what} = {said!r} cannot be written ({error}): its fields are the "
                           "parents by name {names} or by place {{0}}…{{{last}}}, and {more}; after "
                           "a colon, one of {binds}", op=op.__name__, what=what, said=said,
                           error=f"{type(e).__name__}: {e}", names=list(op.parent_names()),
                           last=max(len(args) - 1, 0), more=sorted(set(fields) - set(op.parent_names())) or '-',
                           binds=', '.join(BINDS))) from None
    return filled[0] if isinstance(said, str) else filled


def _oval(v):
    """The op's oval: its symbol; a power as it is written everywhere else, '^2' (not '**2')."""
    return fill(v, 'drawn', []) or clean_label(v._op or '?')


def expression(node, args):
    """(the op written as the lectures write it, how tightly that binds), with args filled in:
    args are (text, precedence) pairs, names or numbers (see `precedence`)."""
    written = fill(node, 'written', args)
    if written is not None:
        return written, BINDS[node.op.binds]
    # a custom Op, tanh, exp: symbol(args)
    return f"{clean_label(node._op or '?')}({', '.join(t for t, _ in args)})", ATOM


def _is_number(text):
    try:
        float(text)
        return True
    except ValueError:
        return False


_TOP = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")               # a group, its inside hidden


def precedence(text):
    """How tightly a name or number binds, read from the text: '-3.0', '−a' NEGATIVE; 'a − y',
    'my loss' SUM; 'x1*w1' PRODUCT; 'a^2' POWER; 'w[1][2][1]', 'tanh(x)', '(a − y)' ATOM."""
    if text[:1] in ('-', '−'):
        return NEGATIVE
    if _is_number(text):                        # '1e-05' is one number, not a difference
        return ATOM
    top = text
    while True:                                 # what is outside every (…) and […]
        inner = _TOP.sub('', top)
        if inner == top:
            break
        top = inner
    if re.search(r"[\s+−-]", top):
        return SUM
    if re.search(r"[*·/]", top):
        return PRODUCT
    return POWER if '^' in top else ATOM


# --- names ---------------------------------------------------------------------------------

def without_surrogates(text):
    """A lone surrogate ('x\\ud800', which UTF-8 cannot write) as U+FFFD, as every view draws it."""
    return _SURROGATE.sub('\ufffd', text)


def clean_label(text, limit=MAX_NAME):
    """The text as every view draws it: tabs as spaces, controls as \\xNN, lone surrogates as
    U+FFFD, at most `limit` characters and MAX_LINES lines (then '…')."""
    text = text.replace('\r\n', '\n').replace('\r', '\n').replace('\t', ' ')
    text = _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", text)
    text = without_surrogates(text)
    lines = text.split('\n')
    if len(lines) > MAX_LINES:
        text = '\n'.join(lines[:MAX_LINES]) + '…'
    if len(text) > limit:
        text = text[:limit - 1] + '…'
    return text


def number(x):
    """A number as a learner reads it: 4 decimals at most, '1.0' not '1', '-1.5' not '-1.4999…'."""
    if x == 0:
        return '0.0'
    if 1e-4 <= abs(x) < 1e6:
        s = f"{x:.4f}".rstrip('0')
        return s + '0' if s.endswith('.') else s
    return f"{x:.4g}"


def wrap(s):
    """(-3.0): a negative number in a product, in parentheses."""
    return f"({s})" if s.startswith('-') else s


def _names(order, parents, roles):
    """(names, precedence, spelled): spelled[i] is True when node i is named by its expression."""
    names, binds, spelled = [], [], []
    for i, v in enumerate(order):
        expr = False
        if v.label:
            name = clean_label(v.label)
        elif roles[i] == 'constant':
            name = number(v.data)
        elif roles[i] == 'output':
            name = 'L'
        elif not v._prev:                       # a leaf of yours without a label
            name = f"v{i}"
        else:
            name, b = expression(v, [(names[p], binds[p]) for p in parents[i]])
            expr = len(name) <= _SHORT
            if not expr:
                name = f"v{i}"
        names.append(name)
        binds.append(b if expr else precedence(name))
        spelled.append(expr)
    return names, binds, spelled


def _title(v, formula):
    name = clean_label(v.label, MAX_TITLE) if v.label else ''
    return '\n'.join(t for t in (name, clean_label(formula, MAX_TITLE)) if t) or number(v.data)


def _role(v, root):
    if v is root:
        return 'output'
    if v._prev:
        return 'interior'
    if v.label[:1] in ('w', 'b') and neuron_of(v.label):       # w[l][j][k] or b[l][j]
        return 'parameter'
    return 'constant' if engine.is_constant(v) and not v.label else 'input'


# --- neurons and examples --------------------------------------------------------------------

def neuron_of(label):
    """(l, j) for w[l][j][k], b[l][j], z[l][j], a[l][j]; None for any other label."""
    m = _NEURON_LABEL.fullmatch(label)
    if m and (m[1] == 'w') == bool(m[4]):
        return int(m[2]), int(m[3])
    return None


def _neurons(order, parents):
    """By label; an unlabelled value joins a neuron when every value computed from it is in it."""
    agreed = [_UNSET] * len(order)              # the one neuron all consumers of i are in, or None
    neuron = [None] * len(order)
    for i in range(len(order) - 1, -1, -1):     # consumers before the values they use
        v = order[i]
        c = neuron_of(v.label) if v.label else None
        if c is None and not v.label and agreed[i] is not _UNSET:
            c = agreed[i]
        neuron[i] = c
        for p in parents[i]:
            if agreed[p] is _UNSET:
                agreed[p] = c
            elif agreed[p] != c:
                agreed[p] = None
    return neuron


def _examples(order, parents, neuron, roles):
    """(example of each node or None, how many passes): see the module docstring."""
    n = len(order)
    up = list(range(n))                         # union-find over the nodes of one pass

    def find(i):
        while up[i] != i:
            up[i] = up[up[i]]
            i = up[i]
        return i

    for i in range(n):
        if neuron[i] is not None and roles[i] != 'parameter':
            for p in parents[i]:
                if roles[p] != 'parameter' and roles[p] != 'constant':
                    up[find(p)] = find(i)
    passes = {}                                 # component → example number, in order of first node
    for i in range(n):
        if neuron[i] is not None and roles[i] != 'parameter':
            passes.setdefault(find(i), len(passes) + 1)
    if len(passes) < 2:
        return [None] * n, len(passes)
    example = [passes.get(find(i)) if neuron[i] is not None or not order[i]._prev else None
               for i in range(n)]
    example = [e if roles[i] != 'parameter' else None for i, e in enumerate(example)]
    for i in range(n):                          # the loss's nodes: the one pass they compute from
        if example[i] is None and order[i]._prev:
            from_ = {example[p] for p in parents[i]} - {None}
            if len(from_) == 1:
                example[i] = from_.pop()
    consumers = [[] for _ in range(n)]          # a target, a constant: the one pass that reads it
    for i in range(n):
        for p in parents[i]:
            consumers[p].append(i)
    for i in range(n - 1, -1, -1):              # consumers before the values they use
        if example[i] is None and roles[i] != 'parameter' and consumers[i]:
            into = {example[c] for c in consumers[i]}
            if len(into) == 1:
                example[i] = into.pop()
    return example, len(passes)
