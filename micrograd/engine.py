"""The engine: a scalar `Value`, its primitive operations, and reverse-mode `backward`.

Every node stores its parents and, computed once in the forward pass, the local derivative of
each edge (∂node/∂parent).  `backward` then needs only one rule, applied on every edge in
reverse topological order:

    grad[parent] += local * grad[node]        # += : contributions along many paths add up

(`grad` is the pass's own ∂root/∂v, added into each v.grad once it is complete.)

Each primitive below is one small class: `forward` computes the output from the parents' numbers
and `local_grads` gives ∂out/∂x for each parent, with the equation in the docstring.  What the
learner writes is what the graph holds (`a - b` is one Sub node); only the reflected operators
(`2 * x`, `1 - x`) are built from the others and carry no derivative code.  A node made by hand,
micrograd's way (`Value(t, (x,), 'tanh')` with its `_backward` assigned), works here too.
"""
import ast
import inspect
import linecache
import math
import numbers
import operator
import textwrap
import threading
from itertools import repeat

__all__ = ['Value', 'Op', 'PRIMITIVES', 'topological_order', 'weighted_sum', 'weighted_sums',
           'leaf', 'learner_backward', 'is_constant']


class Value:
    """A scalar in a computation graph: its number `data`, its gradient `grad` = ∂root/∂self.

    Our ops take each edge's local derivative at forward time, from the numbers of that moment;
    micrograd's closures read `.data` when they run.  So the two differ only if `.data` is changed
    between the forward pass and `backward()`: `y = x * x; x.data = 5.0; y.backward()` gives
    x.grad = 2·(old x) here and 10.0 in micrograd.  Change data, then recompute the forward pass.
    """

    # _made: the Op that made the node (None if made by hand, Constant for a wrapped number), or
    # (Op, its constants) for an op with constants (Pow's k); _seen: the mark of the walk that
    # last reached it, and then, in backward(), that pass's gradient.
    __slots__ = ('_data', 'grad', '_prev', '_op', '_label', '_local', '_made', '_seen')
    __array_ufunc__ = None      # numpy defers to our reflected operators: np.float64(2) * v is a Value

    def __init__(self, data, _children=(), _op='', label=''):
        self._label = _text(label)
        self._data = _real(data, label)
        self.grad = 0.0
        self._prev = _children_of(_children, label)
        self._op = _op
        # A node built by hand with children has no local derivatives until its `_backward` is
        # assigned (micrograd's way of adding an op): backward says so.
        self._local = None if self._prev else ()
        self._made = None
        self._seen = None

    # `data` and `label` are checked whenever they are set; the engine itself writes the slots.
    data = property(operator.attrgetter('_data'), doc="the node's number: a finite float")
    label = property(operator.attrgetter('_label'), doc="the node's name in pictures and steps")

    @data.setter
    def data(self, x):
        self._data = _real(x, self._label)

    @label.setter
    def label(self, text):
        self._label = text if type(text) is str else _text(text)

    @property
    def _fn(self):
        """The Op class that made this node (None if made by hand; Constant: a wrapped number)."""
        made = self._made
        return made[0] if type(made) is tuple else made

    @_fn.setter
    def _fn(self, op):
        self._made = op

    @property
    def _const(self):
        """The constants the op was applied with, e.g. {'k': 2.0} for x**2; else {}."""
        made = self._made
        return made[1] if type(made) is tuple else _NO_CONST

    @property
    def parents(self):
        """The nodes this one was computed from, in order (`a + a` has two parents)."""
        return self._prev

    def local_grads(self):
        """(∂self/∂parent for each parent), aligned with `parents`, at the forward pass's numbers;
        None for a node whose `_backward` the learner wrote."""
        local = self._local
        return local if type(local) is tuple else None

    @property
    def _backward(self):
        """micrograd's `_backward()`: add ∂self/∂parent · self.grad into each parent's grad, once.

        Assign your own function to it, as the lecture does for a new op (`out._backward = f`),
        and `backward()` calls it in its place, in topological order."""
        local = self._local
        return local if callable(local) else self._push

    @_backward.setter
    def _backward(self, function):
        if not callable(function):
            raise TypeError(_("_backward must be a function (called with no arguments), not "
                              "{type}{node}", type=type(function).__name__,
                              node=_node_name(self._label)))
        self._local = function          # the learner's closure replaces the local derivatives
        self._made = None

    def _push(self):
        if self._local is None:
            raise TypeError(_no_derivatives(self))
        g = self.grad
        for parent, local in zip(self._prev, self._local):
            parent.grad += local * g

    def __repr__(self):
        label = f", label={self._label!r}" if self._label else ''
        return f"Value(data={self._data}, grad={self.grad}{label})"

    # --- operators: each one written from its primitive (see _operator, after the classes) ---

    def __pow__(self, other):
        if isinstance(other, Value):
            return PowValue.apply(self, other)
        if not _is_real(other):
            return NotImplemented
        return Pow.apply(self, k=_real(other, what=N_("**: the exponent of {value}"), of=self))

    def __rpow__(self, other):                  # 2 ** v
        other = _operand(other)
        return NotImplemented if other is None else PowValue.apply(other, self)

    # --- the backward pass -------------------------------------------------------------------

    def backward(self):
        """Add ∂self/∂v into v.grad for every v in the graph (∂self/∂self = 1).

        Gradients accumulate across calls, as in PyTorch: each call adds exactly one pass, so a
        second call leaves exactly twice the first call's gradients in every node.  The pass is
        worked out apart from .grad, and each gradient added in once it is complete: passes in
        other threads (over the same parameters, or the same graph) add up exactly, and an error
        or an interrupt (Ctrl-C) on the way leaves every .grad as it was.
        """
        _with_the_marks(_backward_in_the_slots, _backward_in_a_table, self)


def topological_order(root):
    """Every node reachable from `root`, each after all of its parents; the same order every run.

    Depth-first without recursion (a chain 1,000,000 deep works), in the order a recursive walk
    (visit each parent in turn, then emit the node) gives.
    """
    if not isinstance(root, Value):
        raise TypeError(_("expected a Value (the root of a graph), not {type} ({value})",
                          type=type(root).__name__, value=f"{root!r:.40}"))
    return _walk(root)[0]


def _walk(root):
    """(every node reached from root, each after its parents; the leaves among them; whether any
    has a gradient yet).

    One thread at a time walks with the marks in the nodes' `_seen` slots (_MARKS says which);
    another one, meanwhile, keeps a set of its own.
    """
    return _with_the_marks(_walk_with_the_marks, _walk_with_a_set, root)


def _with_the_marks(marked, unmarked, root):
    """marked(root) if this thread can take the marks (the nodes' `_seen` slots: one thread at a
    time), else unmarked(root), which keeps a set or a table of its own."""
    me = threading.get_ident()
    if _MARKS.setdefault('walking', me) != me:  # atomic: the GIL holds through setdefault
        return unmarked(root)
    try:
        return marked(root)
    finally:            # (if an interrupt comes first, this thread takes the marks again next time)
        del _MARKS['walking']


def _walk_with_the_marks(root):
    """_walk for the thread that has the marks.

    The walk goes straight on to a node's first parent; the stack keeps the others (those not
    reached yet) and, under them, the node itself after _EMIT, to emit once they are done.  A node
    is marked as reached in its own `_seen` slot, with a mark new for each walk: a set of the
    nodes reached would cost more than the rest of the walk on a big graph.  The mark is a new
    float 0.0, told apart from the others by identity: so the walk also leaves every node's
    gradient at 0 for backward's pass, in the same slot.  No tuple or iterator per node (only a
    slice of the parents of a node with more than two), so a big walk gives the cyclic GC little
    to scan.
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
            if node.grad:
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


def _walk_with_a_set(root):
    """_walk for a second thread, while the first one walks with the marks."""
    order, leaves, stack, seen = [], [], [root], set()
    emit, pop, push, mark = order.append, stack.pop, stack.append, seen.add
    has_grad = False
    while stack:
        node = pop()
        if node is _EMIT:
            emit(pop())
            continue
        while node not in seen:
            mark(node)
            if node.grad:
                has_grad = True
            parents = node._prev
            if not parents:
                emit(node)
                leaves.append(node)
                break
            push(node)
            push(_EMIT)
            for parent in parents[:0:-1]:
                if parent not in seen:
                    push(parent)
            node = parents[0]
    return order, leaves, has_grad


class _InSlots:
    """A pass's gradients kept in the nodes' own `_seen` slots (by the thread with the marks)."""

    __getitem__ = staticmethod(operator.attrgetter('_seen'))

    def __setitem__(self, node, g):
        node._seen = g


_IN_SLOTS = _InSlots()


def _run_learners(node, order, grad):
    """Run the learner's own `_backward` of `node` on the pass's gradients `grad`: it reads
    node.grad and adds into its parents' .grad, so those hold the pass's numbers while it runs
    (no other pass adds meanwhile), and their own again after; then add node's gradient in."""
    if node._local is None:
        raise TypeError(_no_derivatives(node))
    if grad[node] - grad[node]:                 # checked before the learner's code sees it
        _first_not_finite(order, grad)
    fields, in_slots = (node, *node._prev), grad is _IN_SLOTS
    with _ADDING:
        kept = list(map(_grad_of, fields))
        try:
            if in_slots:            # no walk in the learner's code may take the marks meanwhile
                _MARKS['walking'] = _BUSY
            for v in fields:
                v.grad = grad[v]
            node._local()
            for v in node._prev:
                grad[v] = v.grad
        finally:
            for v, old in zip(fields, kept):
                v.grad = old
            if in_slots:
                _MARKS['walking'] = threading.get_ident()
        if node._prev:                          # (a leaf's is added with the other leaves')
            node.grad += grad[node]


def _add_in(root, order, leaves, again, pass_):
    """Run `pass_`, which adds each node's gradient into its .grad once it is complete (the
    leaves' once they are checked).  All or none: an error or an interrupt puts back every .grad,
    and no other pass adds meanwhile (each += reads, then writes)."""
    with _ADDING:
        earlier = list(map(_grad_of, order)) if again else None     # again: there are some
        try:
            pass_(root, order, leaves)
            if earlier and any(node.grad - node.grad for node in order):
                raise _sum_overflow(order, earlier)
        except BaseException:                   # even Ctrl-C: leave no half-done pass behind
            for node, old in zip(order, earlier or repeat(0.0)):
                node.grad = old
            raise


def _check_the_leaves(order, leaves, grad):
    """Raise if the pass's gradient `grad` is inf or nan somewhere (see _first_not_finite)."""
    # inf or nan flows on to every parent (inf·0 is nan), down to the leaves, so it shows in
    # their total: only then look for the node it started at (checking every node on the way
    # would cost more than the rule; a learner's _backward is checked before it runs)
    total = sum(map(grad.__getitem__, leaves))
    if total - total:
        _first_not_finite(order, grad)


def _backward_in_the_slots(root):          # the walk leaves each node's _seen at 0.0
    _add_in(root, *_walk_with_the_marks(root), _pass_in_the_slots)


def _backward_in_a_table(root):
    _add_in(root, *_walk_with_a_set(root), _pass_in_a_table)


def _pass_in_the_slots(root, order, leaves):
    """backward()'s pass, with ∂root/∂v kept in v._seen (by the thread that has the marks)."""
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
                node.grad += g
                a, b = node._prev
                da, db = locals_
                a._seen += da * g
                b._seen += db * g
            elif n == 1:
                node.grad += g
                node._prev[0]._seen += locals_[0] * g
            elif n:
                node.grad += g
                for parent, local in zip(node._prev, locals_):
                    parent._seen += local * g   # the chain rule; += sums the paths
        else:
            _run_learners(node, order, _IN_SLOTS)
    _check_the_leaves(order, leaves, _IN_SLOTS)
    for leaf in leaves:
        leaf.grad += leaf._seen


def _pass_in_a_table(root, order, leaves):
    """backward()'s pass for a second thread, while the first one keeps its pass in the nodes'
    _seen slots: the same rule, in the same order, with the gradients in a table of its own."""
    grad = dict.fromkeys(order, 0.0)            # ∂root/∂v in this pass, kept apart from v.grad
    grad[root] = 1.0
    for node in reversed(order):                # every node after all of its consumers
        locals_ = node._local                   # ∂node/∂parent, one per parent; () for a leaf
        if type(locals_) is not tuple:
            _run_learners(node, order, grad)
        elif grad[node] and locals_:            # (a leaf's is added in after the check)
            g = grad[node]                      # ∂root/∂node, complete: all consumers are done
            node.grad += g
            for parent, local in zip(node._prev, locals_):
                grad[parent] += local * g       # the chain rule; += sums the paths
    _check_the_leaves(order, leaves, grad)
    for leaf in leaves:
        leaf.grad += grad[leaf]


_EMIT = object()
_MARKS = {}
_BUSY = object()                # the marks' holder while a learner's _backward runs in its pass
_ADDING = threading.RLock()     # held while a pass adds into .grad, or lends it to a learner's
                                # _backward (which may call backward() itself)


# --- primitives ------------------------------------------------------------------------------

class Op:
    """A primitive operation.  Subclass it to add your own:

        class Softplus(Op):
            '''y = ln(1 + eˣ);   ∂y/∂x = σ(x)'''
            symbol = 'softplus'
            def forward(x): return math.log1p(math.exp(x))
            def local_grads(x, y): return (1 / (1 + math.exp(-x)),)

        y = Softplus.apply(x)       # a Value whose backward uses local_grads

    `forward(*xs)` takes the parents' numbers (and any constant keyword arguments) and returns
    the output number; `local_grads(*xs, out)` returns one ∂out/∂x per parent.  Raise
    ValueError, ZeroDivisionError or OverflowError for bad input: `apply` adds the op, the
    values and the nodes' labels to the message.

    For `compare_with_torch`, add a `torch(*xs)` function: the same op on the parents as float64
    tensors (constants as keywords), e.g. `return torch.nn.functional.softplus(x)`.
    """

    symbol = '?'

    @classmethod
    def apply(cls, *parents, **const):
        """Run the op on Values (numbers become constant leaves) and return the new node."""
        for p in parents:
            if type(p) is not Value:
                parents = tuple(_operand(p, cls) for p in parents)
                break
        xs = [p._data for p in parents]
        try:
            out = cls.forward(*xs, **const)
        except (ArithmeticError, ValueError) as e:
            raise _op_error(cls, parents, const, e,
                            N_("the result is too large for a float")) from None
        if type(out) is not float or out - out:  # a custom op's int, numpy scalar, complex; inf
            out = _result(cls, out, parents, const)
        try:
            local = cls.local_grads(*xs, out, **const)
            if cls not in _BUILT_IN:            # ours give tuples of floats: only yours are checked
                local = _local_floats(local, parents)
        except (ArithmeticError, ValueError, TypeError) as e:
            raise _op_error(cls, parents, const, e,
                            N_("its local derivative is too large for a float")) from None
        # A local derivative may be infinite (√x at 0, 1/b for a tiny b) though the result is
        # finite: backward reports it, naming the edge, only if a gradient has to flow through it.
        return _node(out, parents, cls.name(**const) if const else cls.symbol, local,
                     (cls, const) if const else cls)

    @classmethod
    def name(cls, **const):
        """The op as it is shown in a graph: its symbol."""
        return cls.symbol


class Add(Op):
    """out = a + b;   ∂out/∂a = 1,  ∂out/∂b = 1"""
    symbol = '+'

    def forward(a, b):
        return a + b

    def local_grads(a, b, out):
        return _ONE_ONE


class Mul(Op):
    """out = a · b;   ∂out/∂a = b,  ∂out/∂b = a"""
    symbol = '*'

    def forward(a, b):
        return a * b

    def local_grads(a, b, out):
        return (b, a)


class Sub(Op):
    """out = a − b;   ∂out/∂a = 1,  ∂out/∂b = −1"""
    symbol = '-'

    def forward(a, b):
        return a - b

    def local_grads(a, b, out):
        return _ONE_MINUS_ONE


class Neg(Op):
    """out = −a;   ∂out/∂a = −1"""
    symbol = '-'

    def forward(a):
        return -a

    def local_grads(a, out):
        return _MINUS_ONE


class Div(Op):
    """out = a / b;   ∂out/∂a = 1/b,  ∂out/∂b = −a/b²"""
    symbol = '/'

    def forward(a, b):
        if b == 0:
            raise ZeroDivisionError(N_("division by zero"))
        return a / b

    def local_grads(a, b, out):
        return (1.0 / b, -out / b)              # −a/b² as −(a/b)/b: b² would underflow to 0


class Pow(Op):
    """out = aᵏ (k a constant number);   ∂out/∂a = k·aᵏ⁻¹"""
    symbol = '**'

    def forward(a, k):
        if a == 0 and k < 0:
            raise ZeroDivisionError(N_("0 cannot be raised to a negative power"))
        if a < 0 and k != int(k):
            raise ValueError(N_("a negative base with a non-integer exponent has no real value"))
        return a ** k

    def local_grads(a, out, k):
        if k == 0:
            return _ZERO
        if a == 0 and k < 1:                    # √a at 0: the slope is infinite
            return (math.inf,)
        return (k * a ** (k - 1),)

    @classmethod
    def name(cls, k):
        return f"**{int(k)}" if k == int(k) else f"**{k!r}"     # exact: '**2', '**0.5'


class PowValue(Op):
    """out = aᵇ (b a Value);   ∂out/∂a = b·aᵇ⁻¹,  ∂out/∂b = aᵇ·ln a
    (no real number for a < 0 or 0⁰: nan, which backward reports if a gradient needs it)"""
    symbol = '**'

    def forward(a, b):
        return Pow.forward(a, b)

    def undefined():
        """Why a local derivative is nan: backward's words when a gradient needs it."""
        return N_("∂(aᵇ)/∂b = aᵇ·ln a needs a base a > 0")

    def local_grads(a, b, out):
        if a > 0:
            return (Pow.local_grads(a, out, b)[0], out * math.log(a))
        if a == 0 and b > 0:                     # aᵇ·ln a → 0 as a → 0⁺
            return (Pow.local_grads(a, out, b)[0], 0.0)
        return (Pow.local_grads(a, out, b)[0], math.nan)


class Exp(Op):
    """out = eᵃ;   ∂out/∂a = eᵃ = out"""
    symbol = 'exp'

    def forward(a):
        if a > _EXP_MAX:
            raise OverflowError(N_("e to this power is too large for a float"))
        return math.exp(a)

    def local_grads(a, out):
        return (out,)


class Log(Op):
    """out = ln a;   ∂out/∂a = 1/a"""
    symbol = 'log'

    def forward(a):
        if a <= 0:
            raise ValueError(N_("log() of a non-positive value"))
        return math.log(a)

    def local_grads(a, out):
        return (1.0 / a,)


class Tanh(Op):
    """out = tanh a = (e²ᵃ − 1)/(e²ᵃ + 1);   ∂out/∂a = 1 − tanh²a"""
    symbol = 'tanh'

    def forward(a):
        return math.tanh(a)                     # exact ±1 far out, never overflows

    def local_grads(a, out):
        return (1.0 - out * out,)


class Sigmoid(Op):
    """out = σ(a) = 1/(1 + e⁻ᵃ);   ∂out/∂a = σ(a)·(1 − σ(a))"""
    symbol = 'σ'

    def forward(a):
        if a >= 0:                              # e⁻ᵃ ≤ 1: no overflow on either side
            return 1.0 / (1.0 + math.exp(-a))
        e = math.exp(a)
        return e / (1.0 + e)

    def local_grads(a, out):
        return (out * (1.0 - out),)


class Relu(Op):
    """out = max(0, a);   ∂out/∂a = 1 if a > 0 else 0"""
    symbol = 'ReLU'

    def forward(a):
        return a if a > 0 else 0.0

    def local_grads(a, out):
        return _ONE if a > 0 else _ZERO


class Sin(Op):
    """out = sin a;   ∂out/∂a = cos a"""
    symbol = 'sin'

    def forward(a):
        return math.sin(a)

    def local_grads(a, out):
        return (math.cos(a),)


class Cos(Op):
    """out = cos a;   ∂out/∂a = −sin a"""
    symbol = 'cos'

    def forward(a):
        return math.cos(a)

    def local_grads(a, out):
        return (-math.sin(a),)


class WeightedSum(Op):
    """z = b + Σₖ wₖ·aₖ  (one neuron's weighted input, in one node);
    ∂z/∂wₖ = aₖ,  ∂z/∂aₖ = wₖ,  ∂z/∂b = 1.   Parents: (w₁…wₙ, a₁…aₙ, b)."""
    symbol = 'Σ'

    def forward(*x):
        n = len(x) // 2
        return WeightedSum.z(x[:n], x[n:-1], x[-1])

    def local_grads(*x):
        n = (len(x) - 1) // 2
        return WeightedSum.grads(x[:n], x[n:2 * n])

    @staticmethod
    def z(w, a, b):
        """b + w₁a₁ + w₂a₂ + …, added in micrograd's order."""
        z = b
        for wk, ak in zip(w, a):
            z += wk * ak
        return z

    @staticmethod
    def grads(w, a):
        """(∂z/∂w₁ … ∂z/∂wₙ, ∂z/∂a₁ … ∂z/∂aₙ, ∂z/∂b) = (a₁ … aₙ, w₁ … wₙ, 1), w and a tuples."""
        return a + w + _ONE


def weighted_sum(w, a, b, label=''):
    """z = b + Σₖ wₖ·aₖ as one node named `label`: what a neuron computes before its activation."""
    return weighted_sums([w], a, [b], [label])[0]


def weighted_sums(W, a, B, labels=None):
    """A layer's weighted inputs z = W·a + b: one Σ node z_j = b_j + Σₖ W_jk·aₖ per row j of W
    (a list of weight lists), each named labels[j].

    Each is the node WeightedSum.apply makes, from WeightedSum's own z and grads, without apply's
    generic work when every weight, input and bias is a Value and z is a finite float — and the
    inputs' numbers are read once for the whole layer (a network makes thousands of these per
    step).  Anything else goes through apply, which converts numbers or says what is wrong."""
    W, a, B = list(W), tuple(a), list(B)
    if len(B) != len(W):
        raise ValueError(_("weighted_sums: {w} rows of weights but {b} biases", w=len(W), b=len(B)))
    labels = [''] * len(W) if labels is None else [
        label if type(label) is str else _text(label) for label in labels]
    n = len(a)
    ad = tuple([v._data for v in a if type(v) is Value])
    all_values = len(ad) == n                   # else apply converts the numbers among them
    z_of, grads_of = WeightedSum.z, WeightedSum.grads
    nodes = []
    for w, b, label in zip(W, B, labels):
        if len(w) != n:
            raise ValueError(_("weighted_sum: {w} weights but {a} inputs", w=len(w), a=n))
        parents = (*w, *a, b)
        wd = tuple([v._data for v in w if type(v) is Value])
        z = z_of(wd, ad, b._data) if all_values and len(wd) == n and type(b) is Value else None
        if z is None or z - z:
            node = WeightedSum.apply(*parents)
            node._label = label
        else:
            node = _node(z, parents, 'Σ', grads_of(wd, ad), WeightedSum, label)
        nodes.append(node)
    return nodes


def leaf(x, label):
    """x as a labelled leaf: a number becomes a new Value; a Value is used as it is (and gets
    `label` if it has none)."""
    if isinstance(x, Value):
        x.label = x.label or label
        return x
    return Value(x, label=label)


PRIMITIVES = (Add, Sub, Neg, Mul, Div, Pow, PowValue, Exp, Log, Tanh, Sigmoid, Relu, Sin, Cos, WeightedSum)
_BUILT_IN = frozenset(PRIMITIVES)


# --- the operators: generated from each primitive's own forward and local_grads ---------------

# `x * y` runs thousands of times per training step, so each operator is a function of its own,
# written (below, once, at import) from its primitive: the expressions that Mul.forward and
# Mul.local_grads return are pasted into a function that builds the node straight away, without
# apply's generic work (packing the parents, checking types, arity and result; it is the same
# node: two finite floats in, a float out).  Anything unusual — an overflow, a domain error — goes
# to apply, which says what went wrong.  inspect.getsource(Value.__mul__) shows what was written;
# tests/test_fast_paths.py checks every operator against apply, bit for bit.  An op whose forward
# or local_grads is more than one `return` (Div, Exp, …) is called instead of pasted.

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
    node.grad = 0.0
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
    source = _OPERATOR.format(
        name=name, params='self, other' if len(xs) == 2 else 'self', parents=parents, out=out,
        prev=parents if len(xs) == 2 else 'self,',
        coerce=_COERCE.format(reflected=reflected) if len(xs) == 2 else '',
        unpack=f"{', '.join(xs)} = {', '.join(p + '._data' for p in parents.split(', '))}",
        forward=_returned(op.forward) or f"_forward({', '.join(xs)})",
        local=pasted and _returned(op.local_grads) or f"_local_grads({', '.join(xs)}, {out})")
    filename = f"<micrograd.engine: Value.{name}, written from {op.__name__}>"
    code = compile(f"def _make(_op, _symbol, _forward, _local_grads, _new, Value, _coerce):\n"
                   f"{textwrap.indent(source, '    ')}    return {name}\n", filename, 'exec')
    namespace = {}
    exec(code, op.forward.__globals__, namespace)     # the pasted expressions read op's globals
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    method = namespace["_make"](op, op.symbol, op.forward, op.local_grads, object.__new__, Value,
                                _coerce)
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


def _coerce(other, op, reflected):
    """The other side of an operator as a Value: a real number becomes a constant leaf; None for
    anything else, so Python tries the other operand (or, for 2 + x's side, a TypeError here)."""
    if type(other) is float and not other - other:
        return _constant(other)
    value = _operand(other)
    if value is None and reflected:             # say which op, with both types
        raise TypeError(_("unsupported operand type(s) for {op}: '{type}' and 'Value'",
                          op=op.symbol, type=type(other).__name__))
    return value


FAST = {'__add__': Add, '__radd__': Add, '__mul__': Mul, '__rmul__': Mul, '__sub__': Sub,
        '__rsub__': Sub, '__truediv__': Div, '__rtruediv__': Div, '__neg__': Neg, 'exp': Exp,
        'log': Log, 'tanh': Tanh, 'sigmoid': Sigmoid, 'relu': Relu, 'sin': Sin, 'cos': Cos}
for _name, _op in FAST.items():     # 2 + x is Add(x, 2), as micrograd's __radd__; 2 − x: Sub(2, x)
    setattr(Value, _name, _operator(_op, _name, reflected=_name.startswith('__r'),
                                    swap=_name in ('__rsub__', '__rtruediv__')))
del _name, _op


# --- helpers ---------------------------------------------------------------------------------

# The messages are English ids of the catalog (micrograd/locale), translated only when an error is
# built.  This file also runs on its own (grade(micrograd.Value) sends it to a subprocess), so the
# package's i18n is imported then, not at the top; alone, the engine speaks English.

def N_(message):
    """Mark an English sentence for the catalog; _() translates it when the error is built."""
    return message


def _(msgid, /, **fields):
    """micrograd.i18n._: `msgid` in the learner's language (set_language / MICROGRAD_LANG)."""
    try:
        from .i18n import _ as translate
    except ImportError:                 # run as a lone file: no package around it
        return msgid.format(**fields) if fields else msgid
    return translate(msgid, **fields)


_new = object.__new__
_grad_of = operator.attrgetter('grad')
_NO_CONST = {}                  # shared by every node whose op has no constants: never modified
_ONE, _ZERO, _MINUS_ONE = (1.0,), (0.0,), (-1.0,)
_ONE_ONE, _ONE_MINUS_ONE = (1.0, 1.0), (1.0, -1.0)
_EXP_MAX = math.log(1.7976931348623157e308)     # ln(largest float)


def _is_real(x):
    return isinstance(x, numbers.Real)


def _real(x, label='', what=N_('Value data'), op='', of=None):
    """`x` as a finite float, or a TypeError/ValueError that names the type, value and label.
    `what` is the English name of the number ({op} and {value}: `op` and the Value `of`),
    translated only when there is an error to report."""
    if type(x) is not float:
        x = _float(x, label, what, op, of)
    if x - x:
        what_it_is = _("NaN (not a number)") if x != x else x
        raise ValueError(_("{what} must be a finite number, not {value}{node}",
                           what=_what(what, op, of), value=what_it_is, node=_node_name(label)))
    return x


def _float(x, label='', what=N_('Value data'), op='', of=None):
    """A real number `x` (int, bool, numpy scalar…) as the float it is, inf and nan included;
    anything else (complex, str, None, an array) a TypeError, as _real says it."""
    if type(x) is not int and not _is_real(x):          # the ABC check is slow: ints skip it
        raise TypeError(_("{what} must be a real number, not {type} ({value}){node}",
                          what=_what(what, op, of), type=type(x).__name__,
                          value=f"{x!r:.60}", node=_node_name(label)))
    try:
        return float(x)
    except OverflowError:
        raise OverflowError(_("{what} {value}… is too large for a float{node}",
                              what=_what(what, op, of), value=str(x)[:30],
                              node=_node_name(label))) from None


def _result(op, out, xs, const):
    """What `op.forward` returned, as the engine keeps it: a finite float, or the error (`xs`:
    the parents, Values or their numbers).  Op.apply and the compiled replay both ask here."""
    if type(out) is not float:
        out = _real(out, what=N_("{op}: the result"), op=op.symbol)
    if out - out:                               # inf or nan
        raise OverflowError(_op_message(op, xs, const, N_(
            "the result is too large for a float (it overflowed)")))
    return out


def _local_floats(local, xs):
    """What a custom op's `local_grads` returned, as the engine keeps it: a tuple of one float
    per parent in `xs` (inf and nan stay: backward reports them where a gradient flows), or a
    TypeError saying which entry is wrong (Op.apply adds the op and the values)."""
    if type(local) is not tuple or len(local) != len(xs):
        raise TypeError(_arity_message(local, xs))
    for d in local:
        if type(d) is not float:
            return tuple([d if type(d) is float else
                          _float(d, what=N_("local_grads' ∂out/∂x for input {op}"), op=i + 1)
                          for i, d in enumerate(local)])
    return local


def _what(what, op, of):
    return _(what, op=op, value='' if of is None else _show(of))


def _node(data, parents, op, local, made, label=''):
    """A Value whose every slot is given, without Value.__init__'s checks: the ops have checked."""
    node = _new(Value)
    node._data = data
    node.grad = 0.0
    node._prev = parents
    node._op = op
    node._label = label
    node._local = local
    node._made = made
    node._seen = None
    return node


def _constant(x):
    """A finite float as a constant leaf, as _operand makes it (without Value.__init__'s checks)."""
    return _node(x, (), '', (), Constant)


def _operand(x, op=None):
    """A Value for the other side of an operator: Values pass, real numbers become constant
    leaves, anything else gives None (so Python raises its own clear TypeError)."""
    if isinstance(x, Value):
        return x
    if type(x) is float or type(x) is int or _is_real(x):
        return _constant(_real(x))
    if op is None:
        return None
    raise TypeError(_("{op}: expected a Value or a real number, not {type}", op=op.symbol,
                      type=type(x).__name__))


class Constant:
    """Marks a number the engine wrapped into a leaf Value (the 2 in `2 * x`): pictures draw it as
    the number it is, and its gradient, which no one can ask for, is never an error."""


def _arity_message(local, parents):
    got = (_("{n} derivative(s)", n=len(local)) if type(local) is tuple
           else _("a {type}", type=type(local).__name__))
    return _("local_grads gave {got} for {n} input(s); return a tuple with one ∂out/∂x per "
             "input, in order, e.g. (d,) for one input", got=got, n=len(parents))


def _op_error(op, parents, const, error, overflow):
    """The same kind of error, saying which op, why, and at which values and labels (`overflow`:
    the reason to give for an OverflowError)."""
    if isinstance(error, OverflowError):
        return OverflowError(_op_message(op, parents, const, overflow))
    return type(error)(_op_message(op, parents, const, error))


# Python's own words for a custom op's bad input (math.log(0), 1.0 / 0, math.exp(1000)): the
# catalog has them, so they read in the learner's language like the engine's own reasons.
PYTHON_REASONS = (N_("math domain error"), N_("float division by zero"), N_("division by zero"),
                  N_("math range error"))


def _node_name(label):
    return _(" (node {label})", label=repr(label)) if label else ''


def _show(v):
    if type(v) is not Value:                    # a number of the compiled replay
        return repr(v)
    return f"{v.label}={v.data!r}" if v.label else repr(v.data)


def _op_message(op, parents, const, reason):
    """'log: log() of a non-positive value, at log(x=0.0)': the op, why, the values and labels
    (`reason`, an English sentence or an exception, in the learner's language)."""
    args = [_show(p) for p in parents] + [repr(v) for v in const.values()]
    if len(args) == 2 and op.symbol in _INFIX:
        call = f" {op.symbol} ".join(args)
    else:
        call = f"{op.symbol}({', '.join(args)})"
    return _("{op}: {reason}, at {call}", op=op.symbol, reason=_(str(reason)), call=call)


_INFIX = ('+', '-', '*', '/', '**')


def _text(label):
    if type(label) is not str:
        if not isinstance(label, str):
            raise TypeError(_("a label must be a str, not {type} ({value})",
                              type=type(label).__name__, value=f"{label!r:.40}"))
        label = str(label)
    return label


def _children_of(children, label):
    children = tuple(children)
    for c in children:
        if not isinstance(c, Value):
            raise TypeError(_("the children of a Value must be Values, not {type} ({value})"
                              "{node}", type=type(c).__name__, value=f"{c!r:.40}",
                              node=_node_name(label)))
    return children


def _no_derivatives(node):
    return _("backward: {where} was built by hand with children but has neither local "
             "derivatives nor a _backward of its own; assign its _backward (micrograd's way) or "
             "define an Op subclass", where=_where(node))


def _where(node):
    """'the tanh node (node 'o') with data 0.7071…', in the learner's language."""
    op, label, data = node._op, node._label, repr(node._data)
    if label:       # not _node_name: Chinese puts the label after the word for node, unbracketed
        if op:
            return _("the {op} node (node {label}) with data {data}", op=op, label=repr(label),
                     data=data)
        return _("the leaf node (node {label}) with data {data}", label=repr(label), data=data)
    if op:
        return _("the {op} node with data {data}", op=op, data=data)
    return _("the leaf node with data {data}", data=data)


def _first_not_finite(order, grad):
    """Raise for the first node, last first, whose gradient in this pass (`grad`) is inf or nan
    (zeroing constants'): the node where backward() would have stopped, had it checked every node
    on its way."""
    for node in reversed(order):
        g = grad[node]
        if g - g:
            grad[node] = _not_finite(order, node, g)


def _not_finite(order, node, g):
    """The gradient reaching `node` is inf or nan: 0 for a number the engine wrapped (nobody can
    ask for its gradient), else an OverflowError saying which edge made it."""
    if node._made is Constant:
        return 0.0
    why, error = _("it overflowed"), OverflowError
    for consumer in order:
        local = consumer._local
        if type(local) is tuple and node in consumer._prev:
            for parent, d in zip(consumer._prev, local):
                if parent is node and d - d:
                    why = _("the local derivative of the {op} node for it is {d}",
                            op=repr(consumer._op), d=d)
                    if d != d and hasattr(consumer._fn, 'undefined'):     # no real number
                        why = _("the local derivative of the {op} node for it is {d}: {why}",
                                op=repr(consumer._op), d=d, why=_(consumer._fn.undefined()))
                        error = ValueError
    raise error(_("backward: the gradient reaching {where} is not finite ({g}: {why}); "
                          "no .grad was changed", where=_where(node), g=g, why=why))


def _sum_overflow(nodes, earlier):
    node, old = next((n, old) for n, old in zip(nodes, earlier) if n.grad - n.grad)
    return OverflowError(_("backward: adding this pass's gradient to the {old} already in "
                           "{where} overflows; no .grad was changed", old=repr(old),
                           where=_where(node)))


def learner_backward(node):
    """The `_backward` function the learner assigned to `node` (micrograd's way), or None."""
    local = node._local
    return local if callable(local) else None


def is_constant(node):
    """True for a number the engine wrapped into a Value (the 2 in `2 * x`)."""
    return node._made is Constant
