"""The engine: a scalar `Value`, its primitive operations, and reverse-mode `backward`.

Every node stores its parents and, computed once in the forward pass, the local derivative of
each edge (∂node/∂parent).  `backward` then needs only one rule, applied on every edge in
reverse topological order:

    grad[parent] += local * grad[node]        # += : contributions along many paths add up

Read it top to bottom: `Value` and its operators, `backward`, `topological_order`, then how a
node is built.  Each operator makes one node of an op, `x.tanh()` is `Tanh.apply(x)`: the ops
live in ops.py, each a small class whose `forward` computes the output and whose `local_grads`
gives ∂out/∂x for each parent (the numbers `backward` multiplies by), with the equation in its
docstring.  What the learner writes is what the graph holds (`a - b` is one Sub node).  A node
made by hand, micrograd's way (`Value(t, (x,), 'tanh')` with its `_backward` assigned), works
here too.

Neighbours keep this file short.  errors.py checks the numbers and words the messages; copying.py
lets copy.deepcopy and pickle take graphs of any depth.  _fast.py
(the standard library's heapq/_heapq pattern) replaces the operators, the walk, the backward pass
and `weighted_sums` at import with versions written for speed that give the same numbers bit for
bit; the engine's tests run with and without it (tests/engine/test_pure_engine.py).
"""
import operator
import threading
from itertools import repeat

from . import copying, errors
from .errors import N_, _

__all__ = ['Value', 'Op', 'PRIMITIVES', 'topological_order', 'weighted_sum', 'weighted_sums',
           'leaf', 'learner_backward', 'is_constant']


class Value:
    """A scalar in a computation graph: its number `data`, its gradient `grad` = ∂root/∂self.

    Our ops take each edge's local derivative at forward time, from the numbers of that moment;
    micrograd's closures read `.data` when they run.  So the two differ only if `.data` is changed
    between the forward pass and `backward()`: `y = x * x; x.data = 5.0; y.backward()` gives
    x.grad = 2·(old x) here and 10.0 in micrograd.  Change data, then recompute the forward pass.
    """

    # _local: the local derivatives, one float per parent (() for a leaf); or the learner's own
    # `_backward` function in their place; or None for a node built by hand with children whose
    # `_backward` is not assigned yet.  _made: the Op that made the node (None if made by hand,
    # Constant for a wrapped number), or (Op, its constants) for an op with constants (Pow's k).
    # _seen: the fast walk's mark (see _fast.py).
    __slots__ = ('_data', '_grad', '_prev', '_op', '_label', '_local', '_made', '_seen')
    __array_ufunc__ = None      # numpy defers to our reflected operators: np.float64(2) * v is a Value

    def __init__(self, data, _children=(), _op='', label=''):
        self._label = errors.text(label)
        self._data = errors.real(data, label)
        self._grad = 0.0
        self._prev = errors.children_of(_children, label, Value)
        self._op = _op
        self._local = None if self._prev else ()
        self._made = None
        self._seen = None

    # data, grad and label are checked whenever they are set; the engine writes the slots.
    data = property(operator.attrgetter('_data'), doc="the node's number: a finite float")
    grad = property(operator.attrgetter('_grad'), doc="∂root/∂self, added in by backward()")
    label = property(operator.attrgetter('_label'), doc="the node's name in pictures and steps")

    @data.setter
    def data(self, x):
        self._data = errors.real(x, self._label)

    @grad.setter
    def grad(self, g):
        if type(g) is not float or g - g:
            g = errors.real(g, self._label, N_('.grad'))
        self._grad = g

    @label.setter
    def label(self, text):
        self._label = text if type(text) is str else errors.text(text)

    @property
    def op(self):
        """The Op class that made this node (Add, Tanh…); None for a leaf or a node made by hand."""
        made = self._made
        made = made[0] if type(made) is tuple else made
        return None if made is Constant else made

    @property
    def constants(self):
        """The constants the op was applied with, e.g. {'k': 2.0} for x**2; else {}."""
        made = self._made
        return dict(made[1]) if type(made) is tuple else {}

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
                              node=errors.node_name(self._label)))
        self._local = function          # the learner's closure replaces the local derivatives
        self._made = None

    def _push(self):
        if self._local is None:
            raise TypeError(errors.no_derivatives(self))
        for parent, local in zip(self._prev, self._local):
            parent.grad += local * self._grad

    def __repr__(self):
        label = f", label={self._label!r}" if self._label else ''
        return f"Value(data={self._data}, grad={self._grad}{label})"

    # copy.deepcopy and pickle go through the graph without recursion (copying.py)
    def __copy__(self):
        return copying.shallow(self)

    def __deepcopy__(self, memo):
        return copying.deepcopy(topological_order(self), memo)

    def __reduce_ex__(self, protocol):
        return copying.reduce(self, topological_order)

    # --- the operators: each makes one node of its op (a number becomes a constant leaf) --------

    def __add__(self, other):
        return _binary(Add, self, other)

    def __radd__(self, other):                  # 2 + x is Add(x, 2), as micrograd's __radd__
        return _binary(Add, self, other, reflected=True)

    def __mul__(self, other):
        return _binary(Mul, self, other)

    def __rmul__(self, other):                  # 2 · x is Mul(x, 2), as micrograd's __rmul__
        return _binary(Mul, self, other, reflected=True)

    def __sub__(self, other):
        return _binary(Sub, self, other)

    def __rsub__(self, other):                  # 2 − x is Sub(2, x)
        return _binary(Sub, self, other, reflected=True)

    def __truediv__(self, other):
        return _binary(Div, self, other)

    def __rtruediv__(self, other):              # 2 / x is Div(2, x)
        return _binary(Div, self, other, reflected=True)

    def __pow__(self, other):
        if isinstance(other, Value):
            return PowValue.apply(self, other)
        if not errors.is_real(other):
            return NotImplemented
        return Pow.apply(self, k=errors.real(other, what=N_("**: the exponent of {value}"),
                                             of=self))

    def __rpow__(self, other):                  # 2 ** v
        other = _operand(other)
        return NotImplemented if other is None else PowValue.apply(other, self)

    def __neg__(self):
        return Neg.apply(self)

    def exp(self):
        return Exp.apply(self)

    def log(self):
        return Log.apply(self)

    def tanh(self):
        return Tanh.apply(self)

    def sigmoid(self):
        return Sigmoid.apply(self)

    def relu(self):
        return Relu.apply(self)

    def sin(self):
        return Sin.apply(self)

    def cos(self):
        return Cos.apply(self)

    # --- the backward pass -------------------------------------------------------------------

    def backward(self):
        """Add ∂self/∂v into v.grad for every v in the graph (∂self/∂self = 1).

        Gradients accumulate across calls, as in PyTorch: each call adds exactly one pass, so a
        second call leaves exactly twice the first call's gradients in every node.  The pass is
        worked out in a table of its own and added into .grad once it is complete: passes in
        other threads (over the same parameters, or the same graph) add up exactly, and an error
        or an interrupt (Ctrl-C) on the way leaves every .grad as it was.
        """
        order = topological_order(self)
        grad = dict.fromkeys(order, 0.0)        # ∂self/∂v in this pass, apart from v.grad
        grad[self] = 1.0
        for node in reversed(order):            # every node after all of its consumers
            g = grad[node]                      # ∂self/∂node, complete: all consumers are done
            if type(node._local) is not tuple:  # the learner's own _backward (or none yet)
                _run_learners(node, order, grad)
            elif g:                             # 0 adds nothing (a ReLU that is off, a hinge met)
                # node._local: ∂node/∂parent, one per parent (none for a leaf)
                for parent, local in zip(node._prev, node._local):
                    grad[parent] += local * g   # the chain rule; += sums the paths
        _check(order, grad)
        _all_or_none(order, True, _add_in, order, grad)


def topological_order(root):
    """Every node reachable from `root`, each after all of its parents; the same order every run.

    Depth-first without recursion (a chain 1,000,000 deep works), in the order a recursive walk
    (visit each parent in turn, then emit the node) gives.
    """
    if not isinstance(root, Value):
        raise TypeError(_("expected a Value (the root of a graph), not {type} ({value})",
                          type=type(root).__name__, value=f"{root!r:.40}"))
    order, seen, stack = [], {root}, [(root, iter(root._prev))]
    while stack:
        node, parents = stack[-1]
        for parent in parents:                  # the next parent not reached yet: go there
            if parent not in seen:
                seen.add(parent)
                stack.append((parent, iter(parent._prev)))
                break
        else:                                   # all of its parents are in order: now the node
            stack.pop()
            order.append(node)
    return order


# --- what keeps backward right: the learner's own _backward, the checks, the adding in ---------

_ADDING = threading.RLock()     # held while a pass adds into .grad, or lends it to a learner's
                                # _backward (which may call backward() itself)


def _run_learners(node, order, grad):
    """Run the learner's own `_backward` of `node` on the pass's gradients `grad`: it reads
    node.grad and adds into its parents' .grad, so those hold the pass's numbers while it runs
    (no other pass adds meanwhile), and their own again after."""
    if node._local is None:
        raise TypeError(errors.no_derivatives(node))
    if grad[node] - grad[node]:                 # checked before the learner's code sees it
        _first_not_finite(order, grad)
    fields = (node, *node._prev)
    with _ADDING:
        kept = [v._grad for v in fields]
        try:
            for v in fields:
                v._grad = grad[v]
            node._local()
            for v in node._prev:
                grad[v] = v._grad
        finally:
            for v, old in zip(fields, kept):
                v._grad = old


def _check(order, grad):
    """Raise if the pass's gradient `grad` is inf or nan somewhere (see _first_not_finite)."""
    total = sum(grad.values())                  # inf or nan anywhere makes the total so
    if total - total:
        _first_not_finite(order, grad)


def _first_not_finite(order, grad):
    """Raise for the first node, last first, whose gradient in this pass is inf or nan: the node
    where backward() would have stopped, had it checked every node on its way.  A number the
    engine wrapped has its gradient set to 0 instead: nobody can ask for it."""
    for node in reversed(order):
        g = grad[node]
        if g - g:
            if node._made is not Constant:
                raise errors.not_finite(order, node, g)
            grad[node] = 0.0


def _add_in(order, grad):
    for v in order:
        v._grad += grad[v]


def _all_or_none(order, has_grad, add, *args):
    """add(*args), which adds a pass into the .grad of the nodes in `order`, all or none: an
    overflow, an error or an interrupt on the way puts back every .grad, and no other pass adds
    meanwhile (each += reads, then writes).  `has_grad`: some .grad is not 0 yet (if none is, there
    is nothing to keep, and nothing to overflow)."""
    with _ADDING:
        before = [v._grad for v in order] if has_grad else None
        try:
            add(*args)
            if before and any(v._grad - v._grad for v in order):
                raise errors.sum_overflow(order, before)
        except BaseException:                   # even Ctrl-C: leave no half-done pass behind
            for v, old in zip(order, before or repeat(0.0)):
                v._grad = old
            raise




class Constant:
    """Marks a number the engine wrapped into a leaf Value (the 2 in `2 * x`): pictures draw it as
    the number it is, and its gradient, which no one can ask for, is never an error."""


def weighted_sum(w, a, b, label=''):
    """z = b + Σₖ wₖ·aₖ as one node named `label`: what a neuron computes before its activation."""
    return weighted_sums([w], a, [b], [label])[0]


def weighted_sums(W, a, B, labels=None):
    """A layer's weighted inputs z = W·a + b: one Σ node z_j = b_j + Σₖ W_jk·aₖ per row j of W
    (a list of weight lists), each named labels[j]."""
    W, a, B = list(W), tuple(a), list(B)
    if len(B) != len(W):
        raise ValueError(_("weighted_sums: {w} rows of weights but {b} biases", w=len(W), b=len(B)))
    labels = [''] * len(W) if labels is None else list(labels)
    nodes = []
    for w, b, label in zip(W, B, labels):
        if len(w) != len(a):
            raise ValueError(_("weighted_sum: {w} weights but {a} inputs", w=len(w), a=len(a)))
        node = WeightedSum.apply(*w, *a, b)
        node.label = label
        nodes.append(node)
    return nodes


def leaf(x, label):
    """x as a labelled leaf: a number becomes a new Value; a Value is used as it is (and gets
    `label` if it has none)."""
    if isinstance(x, Value):
        x.label = x.label or label
        return x
    return Value(x, label=label)


def learner_backward(node):
    """The `_backward` function the learner assigned to `node` (micrograd's way), or None."""
    local = node._local
    return local if callable(local) else None


def is_constant(node):
    """True for a number the engine wrapped into a Value (the 2 in `2 * x`)."""
    return node._made is Constant


# --- building nodes ----------------------------------------------------------------------------

def _node(data, parents, op, local, made, label=''):
    """A Value whose every slot is given, without Value.__init__'s checks: the ops have checked."""
    node = _new(Value)
    node._data = data
    node._grad = 0.0
    node._prev = parents
    node._op = op
    node._label = label
    node._local = local
    node._made = made
    node._seen = None
    return node


def _binary(op, x, other, reflected=False):
    """op(x, other) for x's operator; `reflected`: the number was on the left (2 + x), and stays
    there for the ops where the order matters (2 − x is Sub(2, x), 2 · x is Mul(x, 2))."""
    other = _coerce(other, op, reflected)
    if other is None:
        return NotImplemented
    if reflected and op in (Sub, Div):
        return op.apply(other, x)
    return op.apply(x, other)


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


def _operand(x, op=None):
    """A Value for the other side of an operator: Values pass, real numbers become constant
    leaves, anything else gives None (so Python raises its own clear TypeError)."""
    if isinstance(x, Value):
        return x
    if type(x) is float or type(x) is int or errors.is_real(x):
        return _constant(errors.real(x))
    if op is None:
        return None
    raise TypeError(_("{op}: expected a Value or a real number, not {type}", op=op.symbol,
                      type=type(x).__name__))


def _constant(x):
    """A finite float as a constant leaf, as _operand makes it (without Value.__init__'s checks)."""
    return _node(x, (), '', (), Constant)


_new = object.__new__


# --- the ops (ops.py): each Value operator makes a node of one of them -----------------------

from .ops import *                               # noqa: E402,F401,F403  (Add, Mul, Tanh…)


# --- the fast paths: the same numbers, sooner ---------------------------------------------------

try:
    from . import _fast
except ImportError:     # blocked: sys.modules['micrograd._fast'] = None
    _fast = None
else:
    _fast.install(globals())
