"""The engine: a scalar `Value`, its primitive operations, and reverse-mode `backward`.

Every node stores its parents and, computed once in the forward pass, the local derivative of
each edge (∂node/∂parent).  `backward` then needs only one rule, applied on every edge in
reverse topological order:

    parent.grad += local * node.grad          # += : contributions along many paths add up

Each primitive below is one small class: `forward` computes the output from the parents' numbers
and `local_grads` gives ∂out/∂x for each parent, with the equation in the docstring.  What the
learner writes is what the graph holds (`a - b` is one Sub node); only the reflected operators
(`2 * x`, `1 - x`) are built from the others and carry no derivative code.  A node made by hand,
micrograd's way (`Value(t, (x,), 'tanh')` with its `_backward` assigned), works here too.
"""
import math
import numbers
import operator

__all__ = ['Value', 'Op', 'PRIMITIVES', 'topological_order', 'weighted_sum', 'leaf',
           'learner_backward', 'is_constant']


class Value:
    """A scalar in a computation graph: its number `data`, its gradient `grad` = ∂root/∂self.

    Our ops take each edge's local derivative at forward time, from the numbers of that moment;
    micrograd's closures read `.data` when they run.  So the two differ only if `.data` is changed
    between the forward pass and `backward()`: `y = x * x; x.data = 5.0; y.backward()` gives
    x.grad = 2·(old x) here and 10.0 in micrograd.  Change data, then recompute the forward pass.
    """

    __slots__ = ('_data', 'grad', '_prev', '_op', '_label', '_local', '_fn', '_const')
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
        self._fn = None                 # the Op that made it, and the Op's constants (Pow's k)
        self._const = _NO_CONST

    # `data` and `label` are checked whenever they are set; the engine itself writes the slots.
    data = property(operator.attrgetter('_data'), doc="the node's number: a finite float")
    label = property(operator.attrgetter('_label'), doc="the node's name in pictures and steps")

    @data.setter
    def data(self, x):
        self._data = _real(x, self._label)

    @label.setter
    def label(self, text):
        self._label = _text(text)

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
            raise TypeError(f"_backward must be a function (called with no arguments), not "
                            f"{type(function).__name__}{_node_name(self._label)}")
        self._local = function          # the learner's closure replaces the local derivatives
        self._fn = None
        self._const = _NO_CONST

    def _push(self):
        if self._local is None:
            raise TypeError(_no_derivatives(self))
        g = self.grad
        for parent, local in zip(self._prev, self._local):
            parent.grad += local * g

    def __repr__(self):
        label = f", label={self._label!r}" if self._label else ''
        return f"Value(data={self._data}, grad={self.grad}{label})"

    # --- operators: primitives and the composites built from them ---------------------------

    def __add__(self, other):
        other = _operand(other)
        return NotImplemented if other is None else Add.apply(self, other)

    def __mul__(self, other):
        other = _operand(other)
        return NotImplemented if other is None else Mul.apply(self, other)

    def __pow__(self, other):
        if isinstance(other, Value):
            return PowValue.apply(self, other)
        if not _is_real(other):
            return NotImplemented
        return Pow.apply(self, k=_real(other, what=f"**: the exponent of {_show(self)}"))

    def __rpow__(self, other):                  # 2 ** v
        other = _operand(other)
        return NotImplemented if other is None else PowValue.apply(other, self)

    def __neg__(self):
        return Neg.apply(self)

    def __sub__(self, other):
        other = _operand(other)
        return NotImplemented if other is None else Sub.apply(self, other)

    def __truediv__(self, other):
        other = _operand(other)
        return NotImplemented if other is None else Div.apply(self, other)

    def __radd__(self, other):                  # other + self
        return self + other

    def __rmul__(self, other):                  # other * self
        return self * other

    def __rsub__(self, other):                  # other − self
        other = _operand(other)
        return NotImplemented if other is None else Sub.apply(other, self)

    def __rtruediv__(self, other):              # other / self
        other = _operand(other)
        return NotImplemented if other is None else Div.apply(other, self)

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
        second call leaves exactly twice the first call's gradients in every node.  Any error or
        interrupt (Ctrl-C) on the way leaves every .grad as it was before the call.
        """
        order = topological_order(self)
        earlier = list(map(_grad_of, order))    # what earlier calls accumulated
        try:
            # This pass starts from zero and adds the earlier gradients back last, so a node
            # reached again is not counted twice.
            for node in order:
                node.grad = 0.0
            self.grad = 1.0
            for node in reversed(order):        # every node after all of its consumers
                g = node.grad                   # ∂self/∂node, complete: all consumers are done
                if g - g:                       # inf or nan: find why, put every .grad back
                    g = _not_finite(order, node, g)
                locals_ = node._local           # ∂node/∂parent, one per parent
                if type(locals_) is tuple:
                    for parent, local in zip(node._prev, locals_):
                        parent.grad += local * g    # the chain rule; += sums the paths
                elif locals_ is None:
                    raise TypeError(_no_derivatives(node))
                else:
                    locals_()                   # the learner's own _backward, micrograd-style
            for done, grad in zip(order, earlier):
                done.grad += grad
            if any(done.grad - done.grad for done in order):
                raise _sum_overflow(order, earlier)
        except BaseException as e:              # even Ctrl-C: leave no half-done pass behind
            for done, grad in zip(order, earlier):
                done.grad = grad
            raise


def topological_order(root):
    """Every node reachable from `root`, each after all of its parents; the same order every run.

    Depth-first without recursion (a chain 1,000,000 deep works): a stack of nodes and, beside it,
    how many of each one's parents have been looked at.
    """
    if not isinstance(root, Value):
        raise TypeError(f"expected a Value (the root of a graph), not {type(root).__name__} "
                        f"({root!r:.40})")
    order, seen = [], {root}
    emit, mark = order.append, seen.add
    nodes, looked = [root], [0]                 # plain ints: the walk makes no garbage to collect
    while nodes:
        node = nodes[-1]
        parents = node._prev
        i, n = looked[-1], len(parents)
        while i < n:
            parent = parents[i]
            i += 1
            if parent not in seen:
                mark(parent)
                if parent._prev:                # visit its parents first
                    looked[-1] = i
                    nodes.append(parent)
                    looked.append(0)
                    break
                emit(parent)                    # a leaf: nothing to wait for
        else:                                   # all parents emitted: now this node
            nodes.pop()
            looked.pop()
            emit(node)
    return order


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
            raise _op_error(cls, parents, const, e, "the result") from None
        if type(out) is not float:              # a custom op's int, numpy scalar, complex…
            out = _real(out, what=f"{cls.symbol}: the result")
        if out - out:                           # inf or nan
            raise OverflowError(_op_message(cls, parents, const, "the result is too large for a "
                                                                 "float (it overflowed)"))
        try:
            local = cls.local_grads(*xs, out, **const)
            if type(local) is not tuple or len(local) != len(parents):
                raise TypeError(_arity_message(local, parents))
        except (ArithmeticError, ValueError, TypeError) as e:
            raise _op_error(cls, parents, const, e, "its local derivative") from None
        # A local derivative may be infinite (√x at 0, 1/b for a tiny b) though the result is
        # finite: backward reports it, naming the edge, only if a gradient has to flow through it.
        node = _new(Value)
        node._data = out
        node.grad = 0.0
        node._prev = parents
        node._op = cls.name(**const) if const else cls.symbol
        node._label = ''
        node._local = local
        node._fn = cls
        node._const = const or _NO_CONST
        return node

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
            raise ZeroDivisionError("division by zero")
        return a / b

    def local_grads(a, b, out):
        return (1.0 / b, -out / b)              # −a/b² as −(a/b)/b: b² would underflow to 0


class Pow(Op):
    """out = aᵏ (k a constant number);   ∂out/∂a = k·aᵏ⁻¹"""
    symbol = '**'

    def forward(a, k):
        if a == 0 and k < 0:
            raise ZeroDivisionError("0 cannot be raised to a negative power")
        if a < 0 and k != int(k):
            raise ValueError("a negative base with a non-integer exponent has no real value")
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
    """out = aᵇ (b a Value);   ∂out/∂a = b·aᵇ⁻¹,  ∂out/∂b = aᵇ·ln a"""
    symbol = '**'

    def forward(a, b):
        return Pow.forward(a, b)

    def local_grads(a, b, out):
        if a > 0:
            return (Pow.local_grads(a, out, b)[0], out * math.log(a))
        if a == 0 and b > 0:                     # aᵇ·ln a → 0 as a → 0⁺
            return (Pow.local_grads(a, out, b)[0], 0.0)
        raise ValueError("∂(aᵇ)/∂b = aᵇ·ln a needs a base a > 0")


class Exp(Op):
    """out = eᵃ;   ∂out/∂a = eᵃ = out"""
    symbol = 'exp'

    def forward(a):
        if a > _EXP_MAX:
            raise OverflowError("e to this power is too large for a float")
        return math.exp(a)

    def local_grads(a, out):
        return (out,)


class Log(Op):
    """out = ln a;   ∂out/∂a = 1/a"""
    symbol = 'log'

    def forward(a):
        if a <= 0:
            raise ValueError("log() of a non-positive value")
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
        z = x[-1]
        for w, a in zip(x[:n], x[n:-1]):        # b + w₁a₁ + w₂a₂ + …, micrograd's order
            z += w * a
        return z

    def local_grads(*x):
        n = (len(x) - 1) // 2
        return x[n:2 * n] + x[:n] + _ONE


def weighted_sum(w, a, b):
    """z = b + Σₖ wₖ·aₖ as one node (what a neuron computes before its activation)."""
    if len(w) != len(a):
        raise ValueError(f"weighted_sum: {len(w)} weights but {len(a)} inputs")
    return WeightedSum.apply(*w, *a, b)


def leaf(x, label):
    """x as a labelled leaf: a number becomes a new Value; a Value is used as it is (and gets
    `label` if it has none)."""
    if isinstance(x, Value):
        x.label = x.label or label
        return x
    return Value(x, label=label)


PRIMITIVES = (Add, Sub, Neg, Mul, Div, Pow, PowValue, Exp, Log, Tanh, Sigmoid, Relu, Sin, Cos, WeightedSum)


# --- helpers ---------------------------------------------------------------------------------

_new = object.__new__
_grad_of = operator.attrgetter('grad')
_NO_CONST = {}                  # shared by every node whose op has no constants: never modified
_ONE, _ZERO, _MINUS_ONE = (1.0,), (0.0,), (-1.0,)
_ONE_ONE, _ONE_MINUS_ONE = (1.0, 1.0), (1.0, -1.0)
_EXP_MAX = math.log(1.7976931348623157e308)     # ln(largest float)


def _is_real(x):
    return isinstance(x, numbers.Real)


def _real(x, label='', what='Value data'):
    """`x` as a finite float, or a TypeError/ValueError that names the type, value and label."""
    if type(x) is not float:
        if type(x) is not int and not _is_real(x):      # the ABC check is slow: ints skip it
            raise TypeError(f"{what} must be a real number, not {type(x).__name__} "
                            f"({x!r:.60}){_node_name(label)}")
        try:
            x = float(x)
        except OverflowError:
            raise OverflowError(f"{what} {str(x)[:30]}… is too large for a float"
                                f"{_node_name(label)}") from None
    if x - x:
        what_it_is = "NaN (not a number)" if x != x else x
        raise ValueError(f"{what} must be a finite number, not {what_it_is}{_node_name(label)}")
    return x


def _operand(x, op=None):
    """A Value for the other side of an operator: Values pass, real numbers become constant
    leaves, anything else gives None (so Python raises its own clear TypeError)."""
    if isinstance(x, Value):
        return x
    if type(x) is float or type(x) is int or _is_real(x):
        c = Value(x)
        c._fn = Constant
        return c
    if op is None:
        return None
    raise TypeError(f"{op.symbol}: expected a Value or a real number, not {type(x).__name__}")


class Constant:
    """Marks a number the engine wrapped into a leaf Value (the 2 in `2 * x`): pictures draw it as
    the number it is, and its gradient, which no one can ask for, is never an error."""


def _arity_message(local, parents):
    got = (f"{len(local)} derivative(s)" if type(local) is tuple else f"a {type(local).__name__}")
    return (f"local_grads gave {got} for {len(parents)} input(s); return a tuple with one "
            f"∂out/∂x per input, in order, e.g. (d,) for one input")


def _op_error(op, parents, const, error, what):
    """The same kind of error, saying which op, why, and at which values and labels."""
    if isinstance(error, OverflowError):
        return OverflowError(_op_message(op, parents, const, f"{what} is too large for a float"))
    return type(error)(_op_message(op, parents, const, error))


def _node_name(label):
    return f" (node {label!r})" if label else ''


def _show(v):
    return f"{v.label}={v.data!r}" if v.label else repr(v.data)


def _op_message(op, parents, const, reason):
    """'log: log() of a non-positive value, at log(x=0.0)': the op, why, the values and labels."""
    args = [_show(p) for p in parents] + [repr(v) for v in const.values()]
    if len(args) == 2 and op.symbol in _INFIX:
        call = f" {op.symbol} ".join(args)
    else:
        call = f"{op.symbol}({', '.join(args)})"
    return f"{op.symbol}: {reason}, at {call}"


_INFIX = ('+', '-', '*', '/', '**')


def _text(label):
    if type(label) is not str:
        if not isinstance(label, str):
            raise TypeError(f"a label must be a str, not {type(label).__name__} ({label!r:.40})")
        label = str(label)
    return label


def _children_of(children, label):
    children = tuple(children)
    for c in children:
        if not isinstance(c, Value):
            raise TypeError(f"the children of a Value must be Values, not {type(c).__name__} "
                            f"({c!r:.40}){_node_name(label)}")
    return children


def _no_derivatives(node):
    return (f"backward: {_where(node)} was built by hand with children but has neither local "
            f"derivatives nor a _backward of its own; assign its _backward (micrograd's way) or "
            f"define an Op subclass")


def _where(node):
    return f"the {node._op or 'leaf'} node{_node_name(node._label)} with data {node._data!r}"


def _not_finite(order, node, g):
    """The gradient reaching `node` is inf or nan: 0 for a number the engine wrapped (nobody can
    ask for its gradient), else an OverflowError saying which edge made it."""
    if node._fn is Constant:
        node.grad = 0.0
        return 0.0
    why = "it overflowed"
    for consumer in order:
        local = consumer._local
        if type(local) is tuple and node in consumer._prev:
            for parent, d in zip(consumer._prev, local):
                if parent is node and d - d:
                    why = f"the local derivative of the {consumer._op!r} node for it is {d}"
    raise OverflowError(f"backward: the gradient reaching {_where(node)} is not finite "
                        f"({g}: {why}); no .grad was changed")


def _sum_overflow(order, earlier):
    node = next(n for n in order if n.grad - n.grad)
    old = earlier[order.index(node)]
    return OverflowError(f"backward: adding this pass's gradient to the {old!r} already in "
                         f"{_where(node)} overflows; no .grad was changed")


def learner_backward(node):
    """The `_backward` function the learner assigned to `node` (micrograd's way), or None."""
    local = node._local
    return local if callable(local) else None


def is_constant(node):
    """True for a number the engine wrapped into a Value (the 2 in `2 * x`)."""
    return node._fn is Constant
