"""Compile a graph: write its forward and backward pass out once as plain Python, then replay it.

    forward:   v = op(parents)                            every node, in topological order
    backward:  dL_dv = Σ over the nodes u that use v of ∂u/∂v · dL_du     in reverse order

`compile(root, inputs)` reads the graph once and returns a function of new input numbers that runs
those lines with plain floats (no Values).  Each sum adds its terms in the order backward() adds
them (parent.grad += local * grad), so the numbers are the engine's to the last bit.

Like tracing in JAX or PyTorch, a replay repeats the operations that were recorded: it is valid
while the graph's shape does not depend on the data.  ReLU's kink is fine (the graph is the same on
both sides of it); a Python `if` on a value, or a loop whose length comes from the data, is not —
compile again for inputs that would take another path.

    f = compile(o, [x1, x2])            # every other leaf (w1, w2, b) is read from .data per call
    r = f(2.0, 0.0)                     # r.value = o;  r.grads = [∂o/∂x1, ∂o/∂x2]
    r.param_grads                       # [∂o/∂w1, ∂o/∂w2, ∂o/∂b]
    print(f.source)                     # the same lines, readable, and runnable on their own
"""
import builtins
import keyword
import math
import re

from .engine import Value, learner_backward, topological_order
from .ops import _BUILT_IN
from .errors import real as _real, result as _result, local_floats as _local_floats
from .i18n import _

__all__ = ['compile', 'Compiled', 'Result']

_TERMS_PER_LINE = 100       # long sums go on several lines: Python's compiler recurses per term


def compile(root, inputs=(), params=None):
    """A Compiled replay of root's graph: f(*numbers for inputs) → Result(value, grads, param_grads).

    `params` (default: every other leaf) are read from their .data at each call; any other leaf
    is a constant.  Valid while the graph's shape does not depend on the data (see the module).
    """
    return Compiled(root, inputs, params)


class Compiled:
    """root's graph written out as straight-line Python; call it with one number per input.

    `inputs` and `params` are leaf Values (params are read from .data at each call), `constants`
    the other leaves' recorded numbers, `unused` the inputs and params not in the graph (∂ = 0).
    """

    def __init__(self, root, inputs=(), params=None):
        if not isinstance(root, Value):
            raise TypeError(_("compile: the root must be a Value, not {type}", type=type(root).__name__))
        self.root = root
        self.order = topological_order(root)
        for v in self.order:                    # refuse before any work, naming the node
            if v._prev:
                _op_of(v)
        self.inputs = _leaves(inputs, 'inputs', ())
        if params is None:
            taken = set(self.inputs)
            params = [v for v in self.order if not v._prev and v not in taken]
        self.params = _leaves(params, 'params', self.inputs)
        fed = set(self.inputs + self.params)
        self.constants = {v: v.data for v in self.order if not v._prev and v not in fed}
        in_graph = fed.intersection(self.order)
        self.unused = [v for v in self.inputs + self.params if v not in in_graph]
        self._replay = _replay(self)

    def __call__(self, *values):
        """Result(value, grads, param_grads) for these input numbers, exactly as backward() gives."""
        if len(values) != len(self.inputs):
            raise TypeError(_("this compiled graph takes {n} input number(s) ({names}), got {got}.  "
                              "A compiled graph has a fixed shape: for another number of inputs "
                              "(another batch size), build the graph again and compile it",
                              n=len(self.inputs), names=_names(self.inputs), got=len(values)))
        args = [_real(x, v.label or f"input {i}") for i, (x, v) in enumerate(zip(values, self.inputs))]
        args += [p.data for p in self.params]
        try:
            value, grads, check = self._replay(*args)
            if not check - check:               # everything finite: the engine would agree
                return Result(self, value, grads)
        except (ArithmeticError, ValueError, TypeError):
            pass
        return Result(self, *self._eager(args))  # the engine itself: its own error, or its numbers

    def _eager(self, args):
        """(value, grads): the recorded graph rebuilt from Values with these leaf numbers and run
        by the engine — slow, but with the engine's own errors (used when a replay goes wrong)."""
        new = {}
        for leaf, x in zip(self.inputs + self.params, args):
            new[leaf] = Value(x, label=leaf.label)
        try:
            for node in self.order:
                if node in new:
                    continue
                if not node._prev:              # a constant, as recorded
                    new[node] = Value(self.constants[node], label=node.label)
                    continue
                cls, const = _op_of(node)
                new[node] = cls.apply(*[new[p] for p in node._prev], **const)
                new[node].label = node.label
            root = new[self.root]
            root.backward()
        except (ArithmeticError, ValueError, TypeError) as e:
            of = f" of {self.root.label!r}" if self.root.label else ''
            raise type(e)(f"{e}  [in a replay of the compiled graph{of}: it repeats the "
                          f"operations recorded at compile time, whatever branch your code would "
                          f"take for these inputs]") from None
        return root.data, [new[v].grad for v in self.inputs + self.params]

    @property
    def source(self):
        """The forward and backward pass as a readable, self-contained Python function."""
        return _write(self, readable=True)[0]

    def __repr__(self):
        return (f"<compiled graph of {_names([self.root])}: {len(self.order)} nodes, "
                f"inputs ({_names(self.inputs)}), {len(self.params)} params>")


class Result:
    """One replay: `value` = the root's number, `grads[i]` = ∂root/∂inputs[i],
    `param_grads[j]` = ∂root/∂params[j]."""

    __slots__ = ('value', 'grads', 'param_grads', 'compiled')

    def __init__(self, compiled, value, grads):
        n = len(compiled.inputs)
        self.compiled = compiled
        self.value = value
        self.grads = list(grads[:n])
        self.param_grads = list(grads[n:])

    def grads_for(self, leaves):
        """[∂root/∂v for v in leaves]: any inputs or params of the compiled graph."""
        c = self.compiled
        where = {v: g for v, g in zip(c.inputs + c.params, self.grads + self.param_grads)}
        try:
            return [where[v] for v in leaves]
        except KeyError as e:
            raise KeyError(_("grads_for: {name} is not an input or a param of this compiled graph",
                             name=_names([e.args[0]]))) from None

    def add_to_grads(self):
        """p.grad += ∂root/∂p for every param: what root.backward() does to them."""
        for p, g in zip(self.compiled.params, self.param_grads):
            p.grad += g

    def __repr__(self):
        return f"Result(value={self.value!r}, grads={self.grads!r}, param_grads={self.param_grads!r})"


# --- writing the code ------------------------------------------------------------------------

def _write(c, readable):
    """(text, helpers): the Python of `forward_backward(*inputs, *params) -> (value, grads, …)`.

    readable: params as keywords with their current numbers, constants written in as numbers.
    Otherwise (the replay): also the constants' gradients, and a sum that is finite iff nothing
    overflowed.  helpers: the Op classes the code calls by name (ops without an inline rule).
    """
    names = _name_all(c.order + c.unused)
    literal = {v: _literal(x) for v, x in c.constants.items()}
    arg = lambda v: literal.get(v) or names[v]
    grad = lambda v: 'dL_d' + names[v]
    root, helpers = arg(c.root), {}
    rule_of = lambda v: _rule(*_op_of(v), [arg(p) for p in v._prev], names[v], f"_d_{names[v]}",
                              readable, helpers, grad(v))

    lines = ['    # forward pass: every node from its parents, in topological order']
    check = [root]                              # the values that might have overflowed
    for node in c.order:
        if node._prev:
            rule = rule_of(node)
            lines += _assign(names[node], rule.terms)
            if rule.setup:
                lines.append(f"    {rule.setup}")
            if not (node.op in _BUILT_IN and node.op.bounded):     # finite in: finite out, or raise
                check.append(names[node])
    lines.append(f"    # backward pass, last node first: dL_dv = ∂{root}/∂v = Σ over the nodes u that "
                 f"use v of ∂u/∂v · dL_du")
    paths = {c.root: ['1.0']}                   # per node, its terms local · dL_du so far
    for node in reversed(c.order):
        if not (readable and node in literal):  # ∂L/∂(a constant): nobody asks
            lines += _assign(grad(node), paths.pop(node))
        for parent, local in zip(node._prev, rule_of(node).locals if node._prev else ()):
            paths.setdefault(parent, []).append(grad(node) if local == '1' else
                                                f"{local} * {grad(node)}")
    for v in c.unused:
        lines.append(f"    {grad(v)} = 0.0  # {names[v]} is not in the graph")
    wanted = c.inputs + c.params
    if readable:
        lines.append(f"    return {root}, {_tuple(grad(v) for v in wanted)}")
        params = set(c.params)
        signature = ', '.join(f"{names[v]}={float(v.data)!r}" if v in params else names[v]
                              for v in wanted)
        doc = f'    """{root} and (∂{root}/∂v for each argument v, in order)."""'
        top = [f"# Written by micrograd.compile: the forward and backward pass of {root}, in "
               f"plain Python.", "import math"]
        top += [_import(cls, name) for cls, name in helpers.items()]
        text = top + ['', '', f"def forward_backward({signature}):", doc] + lines
    else:
        # -0.0 + 0.0 is 0.0: a gradient the engine collects from 0.0 is never -0.0
        lines += _assign('_check', check + [grad(v) for v in c.order if not v._prev])
        lines.append(f"    return {root}, {_tuple(grad(v) + ' + 0.0' for v in wanted)}, _check")
        text = [f"def forward_backward({', '.join(names[v] for v in wanted)}):"] + lines
    return '\n'.join(text) + '\n', helpers


def _replay(c):
    """The replay function of `c`: f(*inputs, *params) → (value, grads, check).

    A graph of up to _ONE_FUNCTION nodes becomes one function with a local variable per node (the
    fastest Python there is).  Python's own compiler takes ~10 µs a line, a minute for a 1e6-deep
    chain, so a bigger graph becomes a tape instead: time and memory in proportion to its size.
    """
    if len(c.order) <= _ONE_FUNCTION:
        return _define(*_write(c, readable=False), c.root)
    return _Tape(c)


class _Tape:
    """A big graph's replay: each node's own op (its forward and local_grads, the engine's very
    branches) on plain floats, then the chain rule exactly as backward() adds it."""

    def __init__(self, c):
        index = {v: i for i, v in enumerate(c.order)}
        self.size, self.root = len(c.order), index[c.root]
        self.template = [0.0] * len(c.order)    # the constants' numbers, in their places
        for v, x in c.constants.items():
            self.template[index[v]] = x
        self.feed = [(index[v], k) for k, v in enumerate(c.inputs + c.params) if v in index]
        self.wanted = [index.get(v) for v in c.inputs + c.params]
        self.leaves = [i for i, v in enumerate(c.order) if not v._prev]
        self.tape = [(index[v], v.op, tuple(index[p] for p in v._prev), v.constants)
                     for v in c.order if v._prev]

    def __call__(self, *args):
        v, local = self.template.copy(), [()] * self.size
        for i, k in self.feed:
            v[i] = args[k]
        check = 0.0
        for i, op, parents, const in self.tape:
            xs = [v[j] for j in parents]
            out = op.forward(*xs, **const)
            if op in _BUILT_IN:
                d = op.local_grads(*xs, out, **const)
            else:                               # checked as Op.apply checks it
                out = _result(op, out, xs, const)
                d = _local_floats(op.local_grads(*xs, out, **const), xs)
            v[i], local[i] = out, d
            check += out
        g = [0.0] * self.size
        g[self.root] = 1.0
        for i, _, parents, _ in reversed(self.tape):
            gi = g[i]
            for j, d in zip(parents, local[i]):
                g[j] += d * gi
        for i in self.leaves:
            check += g[i]
        return v[self.root], [0.0 if i is None else g[i] for i in self.wanted], check


class _Rule:
    """One op written out: its output as a sum of terms, a line to run after it, its locals."""
    __slots__ = ('terms', 'locals', 'setup')

    def __init__(self, forward, locals, setup=''):
        self.terms = forward if isinstance(forward, list) else [forward]
        self.locals, self.setup = locals, setup


def _rule(cls, const, p, o, d, readable, helpers, g='g'):
    """The engine's arithmetic for op `cls` with parents p and output o, as Python text; the
    same branches as the op's own forward and local_grads, whether readable or not.

    A local of '1' means the gradient passes through unchanged (1.0 · g is g, bit for bit).
    `d` names the tuple of local derivatives of an op run through its own class; `g` names the
    output's gradient (an infinite local derivative, √a at 0, is an error only where g ≠ 0).
    """
    said = cls.says('replay', _literal, len(p), **const) if cls in _BUILT_IN else None
    if said is not None:                        # a primitive's own source (ops.py), filled in
        forward, locals = said
        names = cls.fields(p, out=o, g=g)
        fill = lambda t: t.format(*p, **names)
        return _Rule([fill(t) for t in forward] if isinstance(forward, list) else fill(forward),
                     [fill(t) for t in locals])
    # Any other op runs through its own forward and local_grads; the replay checks what they
    # return as Op.apply does (the same functions), so it gives the engine's floats or falls back
    # to the engine for its error.
    name = helpers.setdefault(cls, _helper_name(cls, helpers, readable))
    consts = [f"{key}={_literal(x)}" for key, x in const.items()]
    forward = f"{name}.forward({', '.join(p + consts)})"
    local = f"{name}.local_grads({', '.join(p + [o] + consts)})"
    if not readable:
        forward, local = f"_result({name}, {forward}, (), {{}})", f"_local_floats({local}, {_tuple(p)})"
    return _Rule(forward, [f"{d}[{i}]" for i in range(len(p))], setup=f"{d} = {local}")


_ONE_FUNCTION = 20_000      # nodes: a bigger graph's replay is a tape (see _replay)


def _helper_name(cls, helpers, readable):
    """A generated name for an op class: `_op1`, or `_op1_Softplus` in readable source (its
    __name__ made an identifier; the leading _ keeps it apart from every label's name)."""
    base = f"_op{len(helpers) + 1}"
    tail = _identifier(cls.__name__) if readable else ''
    return f"{base}_{tail}" if tail else base


def _import(cls, name):
    """The readable source's line that brings in an op class, or a comment when its module or
    name is not a plain dotted identifier (then the class has to be passed in by hand)."""
    module, qualname = getattr(cls, '__module__', ''), getattr(cls, '__qualname__', '')
    if _DOTTED.fullmatch(str(module)) and _DOTTED.fullmatch(str(qualname)) and '.' not in qualname \
            and not any(keyword.iskeyword(part) for part in f"{module}.{qualname}".split('.')):
        return f"from {module} import {qualname} as {name}"
    return f"{name} = None  # set this to the Op class of the {name} nodes: it has no importable name"


_DOTTED = re.compile(r'[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*', flags=re.ASCII)


def _assign(name, terms):
    """`name = t1 + t2 + …`, on several lines when long (left to right, as one line would)."""
    step = _TERMS_PER_LINE
    lines = [f"    {name} = {' + '.join(terms[:step])}"]
    for i in range(step, len(terms), step):
        lines.append(f"    {name} = {name} + {' + '.join(terms[i:i + step])}")
    return lines


def _define(text, helpers, root, title=None):
    """The function our generated `text` defines (never user text: every name is generated).

    The function is taken out of its namespace, so function and globals make no reference cycle.
    """
    namespace = {'__builtins__': {}, 'math': math, '_result': _result, '_local_floats': _local_floats}
    namespace.update({name: cls for cls, name in helpers.items()})
    where = f"<compiled graph of {title or _names([root])}>"
    exec(builtins.compile(text, where, 'exec'), namespace)
    return namespace.pop('forward_backward')


def _literal(x):
    """A float as Python text that reads back exactly; negative numbers in parentheses."""
    s = repr(float(x))
    return f"({s})" if s.startswith('-') else s


def _tuple(items):
    items = list(items)
    return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"


# --- names -----------------------------------------------------------------------------------

def _name_all(nodes):
    """A distinct Python identifier per node: its label made an identifier (z[1][1] → z_1_1),
    or v7 (its place in topological order) when it has none."""
    names, used = {}, {'math', 'forward_backward'}
    for i, v in enumerate(nodes):
        base = _identifier(v.label) or f"v{i}"
        name, n = base, 1
        while name in used:
            n += 1
            name = f"{base}__{n}"
        used.add(name)
        names[v] = name
    return names


def _identifier(label):
    name = re.sub(r'\W+', '_', str(label), flags=re.ASCII).strip('_')
    if not name:
        return ''
    if name[0].isdigit() or name.startswith('dL_d'):   # dL_d… names the gradients
        name = 'v_' + name
    return name + '_' if keyword.iskeyword(name) else name


def _names(values):
    return ', '.join(repr(v.label) if v.label else f"Value({v.data!r})" for v in values)


# --- reading the graph -----------------------------------------------------------------------

def _leaves(values, what, taken):
    """`values` as a tuple of distinct leaf Values, none of them in `taken`."""
    if isinstance(values, Value):
        values = [values]
    values = tuple(values)
    seen = set(taken)
    for v in values:
        if not isinstance(v, Value):
            raise TypeError(_("compile: {what} must be Values (the leaves to feed), not {type}",
                              what=what, type=type(v).__name__))
        if v._prev:
            raise ValueError(_("compile: {what} must be leaves, but {name} is computed by '{op}' "
                               "from other nodes", what=what, name=_names([v]), op=v._op))
        if v in seen:
            raise ValueError(_("compile: {name} is listed twice among the inputs and params",
                               name=_names([v])))
        seen.add(v)
    return values


def _op_of(node):
    """(Op class, constants) of an interior node, as Op.apply recorded them."""
    if learner_backward(node) is not None:
        raise TypeError(_("compile: the {op} node {name} runs the learner's own _backward closure, "
                          "and compile cannot see inside a closure; define an Op subclass (forward "
                          "and local_grads) for it, or call backward()",
                          op=node._op or '?', name=_names([node])))
    if node.op is None:
        raise TypeError(_("compile: the {op} node {name} was built by hand with children but has "
                          "no local derivatives; define an Op subclass",
                          op=node._op or '?', name=_names([node])))
    return node.op, node.constants
