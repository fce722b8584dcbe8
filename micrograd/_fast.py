"""The engine's fast paths: the same nodes and the same gradients, bit for bit, sooner.

engine.py is written to be read; this module, installed by it at import (`install`), replaces a
few of its pieces with versions written for speed, as the standard library's `_heapq` replaces
heapq's Python functions.  Block it (`sys.modules['micrograd._fast'] = None` before the first
`import micrograd`) and the readable engine runs alone; tests/engine/test_pure_engine.py runs
the engine's tests that way too.  What is replaced, and why it is faster (measured by `./run bench`):

- the operators (`x * y`, `x.tanh()`…): each written, once, from its op's own `forward` and
  `local_grads`, into a function that builds the node straight away, without `Op.apply`'s generic
  work (packing the parents, checking types and result).  Anything unusual (an overflow, a domain
  error) goes to `apply`, which says what went wrong.
- the walk: a node is marked as reached in its own `_seen` slot, not in a set (a set costs more
  than the rest of the walk on a big graph), by one thread at a time; another thread meanwhile
  walks with the engine's set.
- the backward pass: the pass's gradients kept in the `_seen` slots too, not a table, and the
  chain rule written out for one and two parents.
- `weighted_sums`: a layer's inputs read once for all its neurons.
"""
import ast
import functools
import inspect
import linecache
import operator
import textwrap
import threading

from . import errors

READABLE = {}       # what install replaced: the engine's own functions, by name


def install(engine):
    """Put the fast paths into the engine's namespace `engine` (its globals()), keeping the
    readable versions in READABLE."""
    global _engine, Value
    _engine = engine
    Value = engine['Value']
    for name, op in operators(engine).items():
        READABLE[name] = getattr(Value, name)
        fast = _operator(op, name, reflected=name.startswith('__r'),
                         swap=name in ('__rsub__', '__rtruediv__'))
        fast.__wrapped__ = READABLE[name]       # inspect.getsource shows the readable one
        setattr(Value, name, fast)
    READABLE['backward'] = Value.backward
    Value.backward = functools.wraps(Value.backward)(backward)
    for name, fast in (('topological_order', topological_order), ('weighted_sums', weighted_sums)):
        READABLE[name] = engine[name]
        engine[name] = functools.wraps(engine[name])(fast)


def operators(engine):
    """The operators written from their ops: {Value's method name: its Op}."""
    e = engine
    return {'__add__': e['Add'], '__radd__': e['Add'], '__mul__': e['Mul'], '__rmul__': e['Mul'],
            '__sub__': e['Sub'], '__rsub__': e['Sub'], '__truediv__': e['Div'],
            '__rtruediv__': e['Div'], '__neg__': e['Neg'], 'exp': e['Exp'], 'log': e['Log'],
            'tanh': e['Tanh'], 'sigmoid': e['Sigmoid'], 'relu': e['Relu'], 'sin': e['Sin'],
            'cos': e['Cos']}


# --- the walk and the pass, with the marks in the nodes -------------------------------------------

_EMIT = object()
_MARKS = {}
_BUSY = object()                # the marks' holder while a learner's _backward runs in its pass


def topological_order(root):
    if not isinstance(root, Value):
        return READABLE['topological_order'](root)      # which says what is wrong
    return _with_the_marks(_order_with_the_marks, READABLE['topological_order'], root)


def _order_with_the_marks(root):
    return _walk_with_the_marks(root)[0]


def backward(self):
    _with_the_marks(_backward_in_the_slots, READABLE['backward'], self)


def _with_the_marks(marked, unmarked, root):
    """marked(root) if this thread can take the marks (the nodes' `_seen` slots: one thread at a
    time), else unmarked(root), the engine's own, which keeps a set and a table of its own."""
    me = threading.get_ident()
    if _MARKS.setdefault('walking', me) != me:  # atomic: the GIL holds through setdefault
        return unmarked(root)
    try:
        return marked(root)
    finally:            # (if an interrupt comes first, this thread takes the marks again next time)
        del _MARKS['walking']


def _walk_with_the_marks(root):
    """(every node reached from root, each after its parents; the leaves among them; whether any
    has a gradient yet), in the order of the engine's topological_order.

    The walk goes straight on to a node's first parent; the stack keeps the others (those not
    reached yet) and, under them, the node itself after _EMIT, to emit once they are done.  The
    mark is a new float 0.0, told apart from the others by identity: so the walk also leaves
    every node's gradient at 0 for backward's pass, in the same slot.  No tuple or iterator per
    node (only a slice of the parents of a node with more than two), so a big walk gives the
    cyclic GC little to scan.
    """
    order, leaves, stack, reached = [], [], [root], float()
    emit, emit_leaf, pop, push = order.append, leaves.append, stack.pop, stack.append
    has_grad = False
    while stack:
        node = pop()
        if node is _EMIT:                       # all of its parents are emitted: now the node
            emit(pop())
            continue
        while node._seen is not reached:
            node._seen = reached
            if node._grad:
                has_grad = True
            parents = node._prev
            if not parents:                     # a leaf: nothing to wait for
                emit(node)
                emit_leaf(node)
                break
            push(node)
            push(_EMIT)
            if len(parents) == 2:
                push(parents[1])
            elif len(parents) > 2:              # the others, the second on top
                for parent in parents[:0:-1]:
                    if parent._seen is not reached:
                        push(parent)
            node = parents[0]
    return order, leaves, has_grad


class _InSlots:
    """A pass's gradients kept in the nodes' own `_seen` slots (by the thread with the marks)."""

    __getitem__ = staticmethod(operator.attrgetter('_seen'))

    def __setitem__(self, node, g):
        node._seen = g


_IN_SLOTS = _InSlots()


def _backward_in_the_slots(root):
    """The engine's backward, with ∂root/∂v kept in v._seen, each added into v.grad once it is
    complete (the leaves' once they are checked): all or none, as the engine's own."""
    order, leaves, has_grad = _walk_with_the_marks(root)      # each _seen left at 0.0
    _engine['_all_or_none'](order, has_grad, _pass_in_the_slots, root, order, leaves)


def _pass_in_the_slots(root, order, leaves):
    root._seen = 1.0
    for node in reversed(order):                # every node after all of its consumers
        locals_ = node._local                   # ∂node/∂parent, one per parent; () for a leaf
        if type(locals_) is tuple:
            g = node._seen                      # ∂root/∂node, complete: all consumers are done
            if not g:                           # adds nothing (a ReLU that is off, a hinge met)
                continue
            n = len(locals_)
            # the chain rule, written out for two parents and for one: most nodes have them, and
            # for so few the zip() would cost more than the arithmetic.  A leaf (n = 0) has its
            # gradient added in after the check, the others now.
            if n == 2:
                node._grad += g
                a, b = node._prev
                da, db = locals_
                a._seen += da * g
                b._seen += db * g
            elif n == 1:
                node._grad += g
                node._prev[0]._seen += locals_[0] * g
            elif n:
                node._grad += g
                for parent, local in zip(node._prev, locals_):
                    parent._seen += local * g   # the chain rule; += sums the paths
        else:
            _MARKS['walking'] = _BUSY           # no walk in the learner's code may take them
            try:
                _engine['_run_learners'](node, order, _IN_SLOTS)
            finally:
                _MARKS['walking'] = threading.get_ident()
            if node._prev:                      # (a leaf's is added with the other leaves')
                node._grad += node._seen
    # inf or nan flows on to every parent (inf·0 is nan), down to the leaves, so it shows in
    # their total: only then look for the node it started at
    total = sum(map(_IN_SLOTS.__getitem__, leaves))
    if total - total:
        _engine['_first_not_finite'](order, _IN_SLOTS)
    for leaf in leaves:
        leaf._grad += leaf._seen


# --- a layer's weighted sums ---------------------------------------------------------------------

def weighted_sums(W, a, B, labels=None):
    """Each node is the one WeightedSum.apply makes, from WeightedSum's own z and grads, without
    apply's generic work when every weight, input and bias is a Value and z is a finite float —
    and the inputs' numbers are read once for the whole layer (a network makes thousands of these
    per step).  Anything else goes to the engine's own, which converts numbers or says what is
    wrong."""
    W, a, B = list(W), tuple(a), list(B)
    n = len(a)
    ad = tuple([v._data for v in a if type(v) is Value])
    if len(ad) != n or len(B) != len(W):
        return READABLE['weighted_sums'](W, a, B, labels)
    labels = [''] * len(W) if labels is None else [
        label if type(label) is str else errors.text(label) for label in labels]
    WeightedSum, node_of = _engine['WeightedSum'], _engine['_node']
    z_of, grads_of = WeightedSum.z, WeightedSum.grads
    nodes = []
    for w, b, label in zip(W, B, labels):
        if len(w) != n:                         # the engine's own says what is wrong
            return READABLE['weighted_sums'](W, a, B, labels)
        wd = tuple([v._data for v in w if type(v) is Value])
        z = z_of(wd, ad, b._data) if len(wd) == n and type(b) is Value else None
        if z is None or z - z:
            node = WeightedSum.apply(*w, *a, b)
            node._label = label
        else:
            node = node_of(z, (*w, *a, b), 'Σ', grads_of(wd, ad), WeightedSum, label)
        nodes.append(node)
    return nodes


# --- the operators, written from each op's own forward and local_grads --------------------------

# The expressions that Mul.forward and Mul.local_grads return are pasted into a function that
# builds the node straight away.  An op whose forward or local_grads is more than one `return`
# (Div, Exp, …) is called instead of pasted.  source(name) shows what was written;
# tests/engine/test_fast_paths.py checks every operator against apply, bit for bit.

_OPERATOR = """\
def {name}({params}):
{coerce}    {unpack}
    try:
        {out} = {forward}
        local = {local}
    except (ArithmeticError, ValueError):
        return _op.apply({parents})
    if {out} - {out}:                  # inf or nan: apply says so
        return _op.apply({parents})
    node = _new(Value)
    node._data = {out}
    node._grad = 0.0
    node._prev = ({prev})
    node._op = _symbol
    node._label = ''
    node._local = local
    node._made = _op
    node._seen = None
    return node
"""
_COERCE = """\
    if type(other) is not Value:       # a number becomes a constant leaf
        other = _coerce(other, _op, {reflected})
        if other is None:
            return NotImplemented
"""
_TEMPLATE_NAMES = {'self', 'other', 'node', 'local', '_op', '_symbol', '_forward', '_local_grads',
                   '_new', 'Value', '_coerce', 'NotImplemented'}


def source(function):
    """The source written for a fast operator (`Value.__mul__`, or what _operator returned)."""
    return ''.join(linecache.getlines(function.__code__.co_filename))


def _operator(op, name, reflected=False, swap=False):
    """Value.<name>, written from `op`: x.name() if op has one parent, else x.name(other).
    `reflected`: the number was on the left (2 + x), and `swap` keeps it there (2 − x is
    Sub(2, x); 2 · x is Mul(x, 2), as micrograd's __rmul__)."""
    xs, local_args = _arguments(op.forward), _arguments(op.local_grads)
    out = local_args[-1] if local_args[-1] not in xs else '_out'
    if set(xs + (out,)) & _TEMPLATE_NAMES:
        raise ValueError(f"{op.__name__}: rename the arguments {xs} of forward for _operator")
    parents = ('other, self' if swap else 'self, other') if len(xs) == 2 else 'self'
    pasted = local_args == xs + (out,)          # local_grads reads the same names
    text = _OPERATOR.format(
        name=name, params='self, other' if len(xs) == 2 else 'self', parents=parents, out=out,
        prev=parents if len(xs) == 2 else 'self,',
        coerce=_COERCE.format(reflected=reflected) if len(xs) == 2 else '',
        unpack=f"{', '.join(xs)} = {', '.join(p + '._data' for p in parents.split(', '))}",
        forward=_returned(op.forward) or f"_forward({', '.join(xs)})",
        local=pasted and _returned(op.local_grads) or f"_local_grads({', '.join(xs)}, {out})")
    filename = f"<micrograd._fast: Value.{name}, written from {op.__name__}>"
    code = compile(f"def _make(_op, _symbol, _forward, _local_grads, _new, Value, _coerce):\n"
                   f"{textwrap.indent(text, '    ')}    return {name}\n", filename, 'exec')
    namespace = {}
    exec(code, op.forward.__globals__, namespace)     # the pasted expressions read op's globals
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    method = namespace["_make"](op, op.symbol, op.forward, op.local_grads, object.__new__, Value,
                                _engine['_coerce'])
    method.__qualname__ = f"Value.{name}"
    method.__doc__ = f"{(op.__doc__ or op.__name__).split(';')[0].strip()}: one {op.__name__} node"
    return method


def _arguments(function):
    code = function.__code__
    return code.co_varnames[:code.co_argcount]


def _returned(function):
    """The source of the expression `function` returns, if its body (after the docstring) is that
    one `return` and reads no name of the template and only globals of its module (the pasted
    expression runs there); else None (the function is then called)."""
    if function.__code__.co_freevars:           # it reads a variable of an enclosing function
        return None
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    except (OSError, TypeError, SyntaxError):   # no source: the engine was run from a string
        return None
    body = tree.body[0].body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    if len(body) != 1 or not isinstance(body[0], ast.Return) or body[0].value is None:
        return None
    read = {n.id for n in ast.walk(body[0].value) if isinstance(n, ast.Name)}
    return None if read & _TEMPLATE_NAMES else ast.unparse(body[0].value)
