"""The forward and backward passes as lists of steps, each with the numbers of its chain rule.

    ∂L/∂parent += ∂node/∂parent · ∂L/∂node          (one `Term`: the rule on one edge)

`backward_steps(root)` has one `BackwardStep` per node, in reverse topological order: the node whose
gradient ∂L/∂node is now complete and is pushed back to its parents.  A number the engine wrapped
(the ½ of a cost) has no step: the line of the edge into it says all there is.  When a value feeds
several nodes, its gradient is the sum over those paths, and the term that completes it lists them
all, the rule on one line and its numbers on the next (each wraps where the pane ends):

    ∂l/∂a = ∂z'/∂a · ∂l/∂z' + ∂z''/∂a · ∂l/∂z''
    = w3 · 0.14 + w4 · 0.24 = (-0.14) + 0.71 = 0.57  (all 2 paths, added up)

A step's last line names the leaves whose gradient it completes, so a learner need not read a step
of their own for each: 'w[3][1][1], w[3][1][2], b[3][1]: parameters, done'.

The steps keep their own gradients (never `.grad`), added in `backward()`'s order, so they end on
exactly the numbers `backward()` gives.  `forward_steps(root)` has one `ForwardStep` per node in
topological order: its formula and its value.

Names and formulas are graph.describe's, the same the picture shows: a label; a number the engine
wrapped as that number; an unlabelled node as its short expression `x1·w1 + x2·w2`, else `v{i}` (i =
its index in `topological_order(root)`, its id in the SVG); L is the root's name ('L' if unlabelled).
Formulas follow the op class, so a custom Op is written `symbol(args)` whatever its symbol.  A name
that is a sum or a product is bracketed in the ∂ notation, ∂o/∂(x1·w1), and one that starts with a
parenthesis in square brackets, ∂L/∂[(a − y)^2]: never two parentheses in a row.

Fields added for issue 11 (the older ones are unchanged; all are plain data):
    Term.at_root        True on the root's own edges: explain() then reads '∂C0/∂(a − y) = 2·(a − y)
                        = -0.856', without the '· ∂C0/∂C0' factor (which is 1)
    Term.before         None, except on an edge pushed by the learner's own `_backward` (a node
                        whose `engine.learner_backward(node)` is set): ∂L/∂parent before the
                        closure ran; `grad` is after it, `product` what it added, `local` what it
                        adds when ∂L/∂node = 1.  The closure is run on the real .grad fields, which
                        are put back: stepping never leaves a .grad changed.
    BackwardStep.learner / ForwardStep.role, BackwardStep.role
                        True when the step ran the learner's `_backward`; the node's role in
                        graph.describe ('input', 'constant', 'parameter', 'output', 'interior')
Added for issue 19: BackwardStep.done, the (name, role) of each leaf whose gradient the step completes.
A sum over more than 8 paths is written with its first 3 and last 2 terms and '…', and Hung-yi
Lee's bracket form only for up to 8 paths, so the text of all steps stays linear in the edges.
"""
from dataclasses import dataclass, field, replace

from .. import engine, errors
from ..engine import Value
from .graph import ATOM, described, fill, number, precedence, wrap
from ..i18n import _, ngettext

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
    at_root: bool = False   # the node is the root: ∂L/∂node = 1, so the product is just ∂L/∂parent
    before: float = None    # set when the learner's own _backward pushed this edge: ∂L/∂parent
                            # before it ran (`grad` is after; `local` from a run with ∂L/∂node = 1)

    def symbols(self):
        """'∂n/∂w1 · ∂L/∂n': this term of the chain rule in ∂ notation ('∂L/∂p' at the root)."""
        if self.at_root:
            return f"{_d(self.L, self.parent_name)}"
        return f"{_d(self.node_name, self.parent_name)} · {_d(self.L, self.node_name)}"

    def product_text(self):
        """'x1 · 0.5': the local derivative by name, times the upstream gradient's number."""
        return f"{self.local_name} · {_wrap(_num(self.upstream))}"

    def explain(self, lang=None):
        """∂L/∂w1 = ∂n/∂w1 · ∂L/∂n = x1 · 0.5 = 1.0  (x1 = 2.0); a completed sum lists every path.
        In English, or in Chinese with lang='zh' (default: micrograd.set_language's)."""
        dL = f"{_d(self.L, self.parent_name)}"
        if self.before is not None:
            return _("{dL}: {before} before, {after} after your _backward ran (it added {added}; "
                     "with {dnode} = 1 it adds {local})", lang, dL=dL, before=_num(self.before),
                     after=_num(self.grad), added=_num(self.product),
                     dnode=f"{_d(self.L, self.node_name)}", local=_num(self.local))
        if self.terms:      # the rule, then its numbers (each path's local value was said with it)
            shown = _few(self.terms)            # a value used 1,500 times: not 1,500 products
            symbols = ' + '.join(t.symbols() if t else '…' for t in shown)
            names = ' + '.join(t.product_text() if t else '…' for t in shown)
            products = ' + '.join(_wrap(_num(t.product)) if t else '…' for t in shown)
            where = _where([], _("all {paths} paths, added up", lang, paths=self.paths))
            return f"{dL} = {symbols}\n= {names} = {products} = {_num(self.grad)}{where}"
        text = f"{self.symbols()} = {self.product_text()} = {_num(self.product)}"
        if self.at_root:                    # '∂C0/∂(a − y) = 2·(a − y) = -0.856', not '· ∂C0/∂C0'
            text = f"{self.local_name} = {_num(self.product)}"
            if _is_number(self.local_name):     # '∂y/∂o = 3.0', not '= 3.0 = 3.0'
                text = _num(self.product)
            if self.paths == 1:
                return f"{dL} = {text}"
        if self.paths == 1:
            return f"{dL} = {text}{_where([self])}"
        note = _("path {path} of {paths}, so far {grad}", lang, path=self.path, paths=self.paths,
                 grad=_num(self.grad))
        return f"{dL} += {text}{_where([self], note)}"


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
    role: str = ''          # the node's role in graph.describe: input, constant, parameter, …
    learner: bool = False   # pushed by the learner's own `_backward` (micrograd-style), not an Op
    done: tuple = ()        # (name, role) of each leaf whose gradient this step completes

    def explain(self, lang=None):
        """The step in words, then one line per chain-rule product (lang='zh': in Chinese)."""
        dL = f"{_d(self.L, self.name)}"
        if not self.incoming:
            head = _("{dL} = 1 (the start: the output's gradient with respect to itself)", lang,
                     dL=dL)
        else:
            head = _("{dL} = {grad} is complete", lang, dL=dL, grad=_num(self.grad))
        if not self.terms:
            return _("{head}: {name} is {kind} (a leaf), nothing to push back.", lang, head=head,
                     name=self.name, kind=_kind(self.role, lang))
        if self.learner:
            lines = [_("{head}: push it back through {formula} with your own _backward (the "
                       "function you assigned)", lang, head=head, formula=self.formula)]
        else:
            lines = [_("{head}: push it back through {formula}", lang, head=head,
                       formula=self.formula)]
        for t in self.terms:
            lines.append('  ' + t.explain(lang).replace('\n', '\n      '))
            if 1 < len(self.incoming) <= _LISTED and len(self.terms) <= _LISTED:
                # Hung-yi Lee's form σ'(z)·[w3·∂l/∂z' + w4·∂l/∂z''], while it is short: the text
                # stays linear in the number of edges
                paths = ' + '.join(f"{i.local_name} · {_d(self.L, i.node_name)}" for i in self.incoming)
                lines.append(_("    (that is {dL} = {local} · [{paths}])", lang,
                               dL=f"{_d(self.L, t.parent_name)}", local=t.local_name, paths=paths))
        if self.done:
            lines.append('  ' + _done(self.done, lang))
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
    role: str = ''          # the node's role in graph.describe: input, constant, parameter, …

    def explain(self, lang=None):
        """x1w1 = x1 · w1 = 2.0 · (-3.0) = -6.0"""
        if not self.formula:
            return _("{name} = {value}  ({kind}: a leaf)", lang, name=self.name,
                     value=_num(self.data), kind=_kind(self.role, lang))
        return f"{self.formula} = {self.numbers} = {_num(self.data)}"

    def __str__(self):
        return self.explain()


class Steps(list):
    """A list of steps; print() shows them as text, one explanation per step."""

    def __str__(self):
        return format_steps(self)

    def _repr_pretty_(self, p, cycle):      # Jupyter/IPython show the text, not 30 dataclass reprs
        p.text(str(self))


def backward_steps(root, graph=None):
    """One BackwardStep per node, from the root back: ∂L/∂parent += ∂node/∂parent · ∂L/∂node.

    Gradients are kept in the steps: the graph's `.grad` is never read nor changed.
    `graph`: the root's `describe(root)`, if the caller has it already.
    """
    g = described(root, graph, 'backward_steps')
    order, names, L = g.order, g.names, g.names[-1]
    paths = [0] * len(order)                # how many edges leave each node: its gradient's terms
    for ps in g.parents:
        for p in ps:
            paths[p] += 1
    grads = [0.0] * len(order)
    grads[-1] = 1.0                         # ∂L/∂L = 1
    received = [[] for _ in order]          # the Terms added into each node so far
    steps = Steps()
    for i in reversed(range(len(order))):
        node, up = order[i], grads[i]
        closure = engine.learner_backward(node)
        before = [grads[p] for p in g.parents[i]]
        if closure:                         # the learner's own _backward, run on real .grad fields
            local, added = _run_closure(closure, node, up, before)
        else:
            local = node.local_grads()
        if local is None:
            raise TypeError(_("backward_steps: the {op} node{named} was built by hand with children "
                              "but has neither local derivatives nor a _backward of its own; assign "
                              "its _backward or define an Op subclass",
                              op=node._op, named=errors.node_name(node.label)))
        local_names = _local_names(g, i)
        terms = []
        for k, (p, d) in enumerate(zip(g.parents[i], local)):
            product = d * up if up else 0.0     # a zero gradient flows nowhere, as in backward()
            if closure:                     # what the learner's closure really added
                product = added[k]
                grads[p] = before[k] + product
            else:
                grads[p] += product         # the same additions, in the same order, as backward()
            term = Term(i, p, k, L, names[i], names[p], local_names[k], up, d, product, grads[p],
                        len(received[p]) + 1, paths[p], at_root=i == len(order) - 1,
                        before=before[k] if closure else None)
            received[p].append(term)
            if term.path == term.paths > 1:
                term = replace(term, terms=tuple(received[p]))
            terms.append(term)
        if g.roles[i] == 'constant':
            continue                        # a number in a formula: its line says all there is
        done = tuple((names[t.parent], g.roles[t.parent]) for t in terms
                     if t.path == t.paths and not g.parents[t.parent])
        steps.append(BackwardStep(len(steps) + 1, i, names[i], L, g.formulas[i], up, tuple(terms),
                                  tuple(received[i]), node, role=g.roles[i], learner=bool(closure),
                                  done=done))
    if any(grad - grad for grad in grads):      # inf or nan: backward()'s error, naming the edge
        engine._first_not_finite(order, dict(zip(order, grads)))
    return steps


def _run_closure(closure, node, up, before):
    """(∂node/∂parent for each parent, what the closure adds to each parent's gradient now).

    The closure is run twice on the real .grad fields — once with node.grad = 1 and the parents
    at 0 (its local derivatives), once with node.grad = ∂L/∂node and the parents at their sums so
    far (what it adds) — and every .grad is put back afterwards, even on an error.  A parent
    that appears twice (a + a) gets the whole of what the closure added, at its first edge."""
    parents = node._prev
    saved = [node.grad] + [p.grad for p in parents]

    def run(grad, starts):
        for p, start in zip(parents, starts):
            p.grad = start
        node.grad = grad
        closure()
        seen, out = set(), []
        for p, start in zip(parents, starts):
            out.append(0.0 if id(p) in seen else p.grad - start)
            seen.add(id(p))
        return out

    try:
        local = run(1.0, [0.0] * len(parents))
        firsts = {}
        for k, p in enumerate(parents):
            firsts.setdefault(id(p), before[k])
        added = run(up, [firsts[id(p)] for p in parents])
    finally:
        node.grad = saved[0]
        for p, grad in zip(parents, saved[1:]):
            p.grad = grad
    return tuple(local), added


def forward_steps(root, graph=None):
    """One ForwardStep per node in topological order: node = op(parents) = its value."""
    g = described(root, graph, 'forward_steps')
    steps = Steps()
    for i, node in enumerate(g.order):
        numbers = ''
        if node._prev:
            numbers = g.expression(i, [(number(p.data), precedence(number(p.data)))
                                       for p in node._prev])
        steps.append(ForwardStep(i + 1, i, g.names[i], g.parents[i], g.formulas[i], numbers,
                                 node.data, node, role=g.roles[i]))
    return steps


def format_steps(steps, lang=None):
    """The steps as text: 'step 3/10' and its explanation, one block per step (lang='zh': Chinese)."""
    n = len(steps)
    if steps and isinstance(steps[0], BackwardStep):
        blocks = [ngettext("backward pass: {n} step", "backward pass: {n} steps", n, lang)]
    else:
        blocks = [ngettext("forward pass: {n} step", "forward pass: {n} steps", n, lang)]
    for s in steps:
        blocks.append(_("step {number}/{n}", lang, number=s.number, n=n) + "  "
                      + s.explain(lang).replace('\n', '\n    '))
    return '\n'.join(blocks)


def print_steps(root, lang=None):
    """Print the forward pass, then the backward pass, of the graph ending in `root`."""
    print(format_steps(forward_steps(root), lang))
    print()
    print(format_steps(backward_steps(root), lang))


# --- local derivatives by name ----------------------------------------------------------------

def _local_names(g, i):
    """∂node/∂parent for each parent, in symbols, as the op class writes it (its `derivatives`,
    ops.py): for a·b the other factor, for tanh (1 − o^2)…; an op that says nothing (a custom Op
    without them) has each named, ∂out/∂x."""
    node, ps = g.order[i], g.parents[i]
    args = [(g.names[p], g.precedence[p]) for p in ps]
    said = fill(node, 'derivatives', args, out=(g.names[i], g.precedence[i]))
    return said if said is not None else [_d(g.names[i], g.names[p]) for p in ps]


_LISTED = 8                 # a sum of more paths is written with its first and last few, and …


def _few(terms):
    """The terms of a sum as written: all of them, or the first 3, None (for …) and the last 2."""
    return terms if len(terms) <= _LISTED else (*terms[:3], None, *terms[-2:])


def _where(terms, *notes):
    """'  (x1 = 2.0)': the value of each local derivative named by symbols, then any notes."""
    shown = {}
    for t in terms:
        name = t.local_name
        if not _is_number(name):
            shown.setdefault(_ungroup(name), t.local)
    parts = [f"{n} = {_num(v)}" for n, v in shown.items()] + list(notes)
    return '  (' + '; '.join(parts) + ')' if parts else ''


_num, _wrap = number, wrap


def _is_number(s):
    try:
        float(s.strip('()').replace('−', '-'))
        return True
    except ValueError:
        return False


def _ungroup(name):
    """'a + b' for '(a + b)': the parentheses of one group around the whole name, taken off."""
    depth = 0
    for k, c in enumerate(name):
        depth += c == '('
        depth -= c == ')'
        if depth == 0:
            return name[1:-1] if k == len(name) - 1 and name[0] == '(' else name
    return name


def _done(done, lang=None):
    """'w[3][1][1], w[3][1][2], b[3][1]: parameters, done': the leaves a step completes, by role."""
    roles = {}
    for name, role in done:
        roles.setdefault(role, []).append(name)
    said = []
    for role, names in roles.items():
        joined = _(", ", lang).join(names)
        if role == 'constant':
            said.append(ngettext("{names}: a constant, done", "{names}: constants, done",
                                 len(names), lang, names=joined))
        elif role == 'parameter':
            said.append(ngettext("{names}: a parameter, done", "{names}: parameters, done",
                                 len(names), lang, names=joined))
        else:
            said.append(ngettext("{names}: an input, done", "{names}: inputs, done",
                                 len(names), lang, names=joined))
    return _("; ", lang).join(said)


def _kind(role, lang=None):
    if role == 'constant':
        return _("a constant", lang)
    return _("a parameter", lang) if role == 'parameter' else _("an input", lang)



def _d(top, bottom):
    """'∂L/∂w1', with a name that is itself a sum or product in parentheses: ∂o/∂(x1·w1 + x2·w2),
    and in brackets if it starts with one: ∂L/∂[(a − y)^2], never ∂((a − y)^2)."""
    return f"∂{_whole(top)}/∂{_whole(bottom)}"


def _whole(name):
    if precedence(name) == ATOM:
        return name
    return f"[{name}]" if name.startswith('(') else f"({name})"
