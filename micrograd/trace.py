"""The forward and backward passes as lists of steps, each with the numbers of its chain rule.

    ∂L/∂parent += ∂node/∂parent · ∂L/∂node          (one `Term`: the rule on one edge)

`backward_steps(root)` has one `BackwardStep` per node, in reverse topological order: the node whose
gradient ∂L/∂node is now complete and is pushed back to its parents.  When a value feeds several
nodes, its gradient is the sum over those paths, and the term that completes it lists them all:

    ∂l/∂a = ∂z'/∂a · ∂l/∂z' + ∂z''/∂a · ∂l/∂z'' = w3 · ∂l/∂z' + w4 · ∂l/∂z''

The steps keep their own gradients (never `.grad`), added in `backward()`'s order, so they end on
exactly the numbers `backward()` gives.  `forward_steps(root)` has one `ForwardStep` per node in
topological order: its formula and its value.  Nodes are named by their label, else `v{i}` (i =
their index in `topological_order(root)`, as in the rendered graph); L is the root's label, else 'L'.
"""
from dataclasses import dataclass, field, replace

from .engine import Value, topological_order

__all__ = ['Term', 'BackwardStep', 'ForwardStep', 'Steps', 'backward_steps', 'forward_steps',
           'format_steps', 'print_steps']


@dataclass(frozen=True)
class Term:
    """∂L/∂parent += ∂node/∂parent · ∂L/∂node on one edge: `grad` is ∂L/∂parent after adding it."""
    node: int               # indices in topological_order(root)
    parent: int
    k: int                  # the edge: the node's k-th parent (0 = first)
    L: str                  # names: the root, the node, the parent
    node_name: str
    parent_name: str
    local_name: str         # ∂node/∂parent in symbols: 'x1', '(1 − o²)', "σ'(z)"
    upstream: float         # ∂L/∂node
    local: float            # ∂node/∂parent
    product: float          # local · upstream
    grad: float             # ∂L/∂parent so far, this product included
    path: int               # this is contribution `path` (from 1) of the parent's `paths`
    paths: int
    terms: tuple = ()       # on the term that completes a parent reached by several paths: all of them

    def symbols(self):
        """'∂n/∂w1 · ∂L/∂n': this term of the chain rule in ∂ notation."""
        return f"∂{self.node_name}/∂{self.parent_name} · ∂{self.L}/∂{self.node_name}"

    def product_text(self):
        """'x1 · 0.5': the local derivative by name, times the upstream gradient's number."""
        return f"{self.local_name} · {_wrap(_num(self.upstream))}"

    def explain(self):
        """∂L/∂w1 = ∂n/∂w1 · ∂L/∂n = x1 · 0.5 = 1.0  (x1 = 2.0); a completed sum lists every path."""
        dL = f"∂{self.L}/∂{self.parent_name}"
        if self.terms:
            symbols = ' + '.join(t.symbols() for t in self.terms)
            names = ' + '.join(t.product_text() for t in self.terms)
            products = ' + '.join(_wrap(_num(t.product)) for t in self.terms)
            where = _where(self.terms, f"all {self.paths} paths, added up")
            return f"{dL} = {symbols} = {names} = {products} = {_num(self.grad)}{where}"
        text = f"{self.symbols()} = {self.product_text()} = {_num(self.product)}"
        if self.paths == 1:
            return f"{dL} = {text}{_where([self])}"
        return f"{dL} += {text}{_where([self], f'path {self.path} of {self.paths}, so far {_num(self.grad)}')}"


@dataclass(frozen=True)
class BackwardStep:
    """∂L/∂node is complete: push it to each parent, one `Term` (one chain-rule product) per edge."""
    number: int             # from 1
    node: int               # index in topological_order(root)
    name: str
    L: str
    formula: str            # 'n = x1w1 + b'; '' for a leaf
    grad: float             # ∂L/∂node, complete
    terms: tuple            # one Term per parent edge, in the order of node.parents
    incoming: tuple = ()    # the Terms that summed to ∂L/∂node (empty for the root)
    value: Value = field(default=None, repr=False, compare=False)

    def explain(self):
        """The step in words, then one line per chain-rule product."""
        dL = f"∂{self.L}/∂{self.name}"
        if not self.incoming:
            head = f"{dL} = 1 (the start: the output's gradient with respect to itself)"
        else:
            head = f"{dL} = {_num(self.grad)} is complete"
        if not self.terms:
            kind = 'an input' if self.value is None or self.value.label else 'a constant'
            return f"{head}: {self.name} is {kind} (a leaf), nothing to push back."
        lines = [f"{head}: push it back through {self.formula}"]
        for t in self.terms:
            lines.append('  ' + t.explain())
            if len(self.incoming) > 1:      # Hung-yi Lee's form: σ'(z)·[w3·∂l/∂z' + w4·∂l/∂z'']
                paths = ' + '.join(f"{i.local_name} · ∂{self.L}/∂{i.node_name}" for i in self.incoming)
                lines.append(f"    (that is ∂{self.L}/∂{t.parent_name} = {t.local_name} · [{paths}])")
        return '\n'.join(lines)

    def __str__(self):
        return self.explain()


@dataclass(frozen=True)
class ForwardStep:
    """node = op(parents), computed from its parents' numbers."""
    number: int             # from 1
    node: int               # index in topological_order(root)
    name: str
    parents: tuple          # indices of the parents
    formula: str            # 'x1w1 = x1 · w1'; '' for a leaf
    numbers: str            # '2.0 · (-3.0)'
    data: float
    value: Value = field(default=None, repr=False, compare=False)

    def explain(self):
        """x1w1 = x1 · w1 = 2.0 · (-3.0) = -6.0"""
        if not self.formula:
            kind = 'an input' if self.value is None or self.value.label else 'a constant'
            return f"{self.name} = {_num(self.data)}  ({kind}: a leaf)"
        return f"{self.formula} = {self.numbers} = {_num(self.data)}"

    def __str__(self):
        return self.explain()


class Steps(list):
    """A list of steps; print() shows them as text, one explanation per step."""

    def __str__(self):
        return format_steps(self)

    def _repr_pretty_(self, p, cycle):      # Jupyter/IPython show the text, not 30 dataclass reprs
        p.text(str(self))


def backward_steps(root):
    """One BackwardStep per node, from the root back: ∂L/∂parent += ∂node/∂parent · ∂L/∂node.

    Gradients are kept in the steps: the graph's `.grad` is never read nor changed.
    """
    order = topological_order(root)
    index = {v: i for i, v in enumerate(order)}
    names = _names(order)
    L = root.label or 'L'
    paths = [0] * len(order)                # how many edges leave each node: its gradient's terms
    for node in order:
        for parent in node._prev:
            paths[index[parent]] += 1
    grads = [0.0] * len(order)
    grads[-1] = 1.0                         # ∂L/∂L = 1
    received = [[] for _ in order]          # the Terms added into each node so far
    steps = Steps()
    for i in reversed(range(len(order))):
        node, g = order[i], grads[i]
        local = node.local_grads()
        if local is None:
            raise TypeError(f"backward_steps: the {node._op} node{_named(node)} was built by hand "
                            f"with children but has no local derivatives; define an Op subclass")
        local_names = _local_names(node, i, [index[p] for p in node._prev], order, names)
        terms = []
        for k, (parent, d) in enumerate(zip(node._prev, local)):
            p = index[parent]
            product = d * g
            grads[p] += product             # the same additions, in the same order, as backward()
            term = Term(i, p, k, L, names[i], names[p], local_names[k], g, d, product, grads[p],
                        len(received[p]) + 1, paths[p])
            received[p].append(term)
            if term.path == term.paths > 1:
                term = replace(term, terms=tuple(received[p]))
            terms.append(term)
        formula = _formula(node, i, names, index) if node._prev else ''
        steps.append(BackwardStep(len(steps) + 1, i, names[i], L, formula, g, tuple(terms),
                                  tuple(received[i]), node))
    return steps


def forward_steps(root):
    """One ForwardStep per node in topological order: node = op(parents) = its value."""
    order = topological_order(root)
    index = {v: i for i, v in enumerate(order)}
    names = _names(order)
    steps = Steps()
    for i, node in enumerate(order):
        parents = tuple(index[p] for p in node._prev)
        formula = numbers = ''
        if node._prev:
            formula = _formula(node, i, names, index)
            numbers = _expression(node._op, [_num(p.data) for p in node._prev])
        steps.append(ForwardStep(i + 1, i, names[i], parents, formula, numbers, node.data, node))
    return steps


def format_steps(steps):
    """The steps as text: 'step 3/10' and its explanation, one block per step."""
    n = len(steps)
    kind = 'backward' if steps and isinstance(steps[0], BackwardStep) else 'forward'
    blocks = [f"{kind} pass: {n} step{'s' * (n != 1)}"]
    for s in steps:
        blocks.append(f"step {s.number}/{n}  " + s.explain().replace('\n', '\n    '))
    return '\n'.join(blocks)


def print_steps(root):
    """Print the forward pass, then the backward pass, of the graph ending in `root`."""
    print(format_steps(forward_steps(root)))
    print()
    print(format_steps(backward_steps(root)))


# --- names and formulas ----------------------------------------------------------------------

def _names(order):
    """Each node's name: its label, else v{i} (its id in the rendered graph)."""
    return [v.label or f"v{i}" for i, v in enumerate(order)]


def _factor(v, i, names):
    """A node as a factor in a formula: an unlabelled constant is shown as its number."""
    if not v.label and not v._prev:
        return _wrap(_num(v.data))
    return names[i]


def _formula(node, i, names, index):
    """'n = x1w1 + b': the node's name = its op applied to its parents' names."""
    args = [_factor(p, index[p], names) for p in node._prev]
    return f"{names[i]} = {_expression(node._op, args)}"


def _expression(op, args):
    """The op written the way the lectures write it, with args (names or numbers) filled in."""
    w = [_wrap(a) for a in args]
    if op == '+':
        return ' + '.join(w)
    if op == '*':
        return ' · '.join(w)
    if op == '-':
        return f"{w[0]} − {w[1]}" if len(w) == 2 else f"−{w[0]}"
    if op == '/':
        return f"{w[0]} / {w[1]}"
    if op == '**':
        return f"{w[0]}^{w[1]}"
    if op.startswith('**'):
        return f"{w[0]}^{op[2:]}"
    if op == 'Σ':                           # parents (w1..wn, a1..an, b): b + w1·a1 + …
        n = len(w) // 2
        return ' + '.join([w[-1]] + [f"{a}·{b}" for a, b in zip(w[:n], w[n:-1])])
    if op == 'log':
        op = 'ln'
    return f"{op}({', '.join(args)})"


def _local_names(node, i, parents, order, names):
    """∂node/∂parent for each parent, in symbols: for a·b the other factor, for tanh (1 − o²)…"""
    op, o = node._op, names[i]
    f = [_factor(order[p], p, names) for p in parents]
    if op == '+':
        return ['1'] * len(f)
    if op == '*':
        return [f[1], f[0]]
    if op == '-':
        return ['1', '(−1)'] if len(f) == 2 else ['(−1)']
    if op == '/':
        return [f"1/{f[1]}", f"(−{f[0]}/{f[1]}²)"]
    if op == 'Σ':
        n = len(f) // 2
        return f[n:-1] + f[:n] + ['1']
    if op == '**':
        return [f"{f[1]}·{f[0]}^({f[1]} − 1)", f"{f[0]}^{f[1]}·ln {f[0]}"]
    if op.startswith('**'):
        k = float(op[2:])
        if k == 1:
            return ['1']
        return [f"{op[2:]}·{f[0]}" if k == 2 else f"{op[2:]}·{f[0]}^{k - 1:g}"]
    if len(f) == 1:
        a = f[0]
        one = {'exp': f"exp({a})", 'log': f"1/{a}", 'tanh': f"(1 − {o}²)", 'σ': f"σ'({a})",
               'ReLU': f"ReLU'({a})", 'sin': f"cos({a})", 'cos': f"−sin({a})"}
        if op in one:
            return [one[op]]
    return [f"∂{o}/∂{names[p]}" for p in parents]    # an Op we don't know: say what it is


def _where(terms, *notes):
    """'  (x1 = 2.0)': the value of each local derivative named by symbols, then any notes."""
    shown = {}
    for t in terms:
        name = t.local_name
        if not _is_number(name):
            if name.startswith('(') and name.endswith(')'):
                name = name[1:-1]
            shown.setdefault(name, t.local)
    parts = [f"{n} = {_num(v)}" for n, v in shown.items()] + list(notes)
    return '  (' + '; '.join(parts) + ')' if parts else ''


def _num(x):
    """A number as a learner reads it: 4 decimals at most, '1.0' not '1', '-1.5' not '-1.4999…'."""
    if x == 0:
        return '0.0'
    if 1e-4 <= abs(x) < 1e6:
        s = f"{x:.4f}".rstrip('0')
        return s + '0' if s.endswith('.') else s
    return f"{x:.4g}"


def _wrap(s):
    """(-3.0): a negative number in a product, in parentheses."""
    return f"({s})" if s.startswith('-') else s


def _is_number(s):
    try:
        float(s.strip('()'))
        return True
    except ValueError:
        return False


def _named(v):
    return f" (node {v.label!r})" if v.label else ''
