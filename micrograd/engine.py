"""The engine: a scalar `Value`, its primitive operations, and reverse-mode `backward`.

Every node stores its parents and, computed once in the forward pass, the local derivative of
each edge (∂node/∂parent).  `backward` then needs only one rule, applied on every edge in
reverse topological order:

    parent.grad += local * node.grad          # += : contributions along many paths add up

Each primitive below is one small class: `forward` computes the output from the parents' numbers
and `local_grads` gives ∂out/∂x for each parent, with the equation in the docstring.  Composite
operations (a − b, a / b, −a, …) are built from primitives and carry no derivative code.
"""
import gc
import math
import numbers
import operator

__all__ = ['Value', 'Op', 'PRIMITIVES', 'topological_order', 'weighted_sum', 'leaf']


class Value:
    """A scalar in a computation graph: its number `data`, its gradient `grad` = ∂root/∂self."""

    __slots__ = ('data', 'grad', '_prev', '_op', 'label', '_local', '_fn', '_const')
    __array_ufunc__ = None      # numpy defers to our reflected operators: np.float64(2) * v is a Value

    def __init__(self, data, _children=(), _op='', label=''):
        self.data = _real(data, label)
        self.grad = 0.0
        self._prev = tuple(_children)
        self._op = _op
        self.label = label
        # A node built by hand with children has no local derivatives: backward says so.
        self._local = None if self._prev else ()
        self._fn = None                 # the Op that made it, and the Op's constants (Pow's k)
        self._const = _NO_CONST

    @property
    def parents(self):
        """The nodes this one was computed from, in order (`a + a` has two parents)."""
        return self._prev

    def local_grads(self):
        """(∂self/∂parent for each parent), aligned with `parents`, at the forward pass's numbers."""
        return self._local

    def __repr__(self):
        label = f", label={self.label!r}" if self.label else ''
        return f"Value(data={self.data}, grad={self.grad}{label})"

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

    def __neg__(self):                          # -a = a · (−1)
        return self * -1

    def __sub__(self, other):                   # a − b = a + (−b)
        other = _operand(other)
        return NotImplemented if other is None else self + (-other)

    def __truediv__(self, other):               # a / b = a · b⁻¹
        other = _operand(other)
        if other is None:
            return NotImplemented
        if other.data == 0:
            raise ZeroDivisionError(f"/: division by zero, at {_show(self)} / {_show(other)}")
        return self * other ** -1

    def __radd__(self, other):                  # other + self
        return self + other

    def __rmul__(self, other):                  # other * self
        return self * other

    def __rsub__(self, other):                  # other − self
        other = _operand(other)
        return NotImplemented if other is None else other + (-self)

    def __rtruediv__(self, other):              # other / self
        other = _operand(other)
        return NotImplemented if other is None else other / self

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
        second call leaves exactly twice the first call's gradients in every node.
        """
        order = topological_order(self)
        earlier = list(map(_grad_of, order))    # what earlier calls accumulated
        again = any(earlier)
        if again:                               # this pass starts from zero, adds them back last:
            for node in order:                  # so a node reached again is not counted twice
                node.grad = 0.0
        self.grad = 1.0
        try:
            for node in reversed(order):        # every node after all of its consumers
                g = node.grad                   # ∂self/∂node, complete: all consumers are done
                if g - g:                       # inf or nan: stop, and put every .grad back
                    raise OverflowError(node)
                for parent, local in zip(node._prev, node._local):
                    parent.grad += local * g    # the chain rule; += sums the paths
        except BaseException as e:              # even Ctrl-C: leave no half-done pass behind
            for done, grad in zip(order, earlier):      # `done`: the error names `node`
                done.grad = grad
            if isinstance(e, (OverflowError, TypeError)):
                raise _backward_error(node, g, e) from None
            raise
        if again:
            for node, grad in zip(order, earlier):
                node.grad += grad


def topological_order(root):
    """Every node reachable from `root`, each after all of its parents; the same order every run."""
    # The walk allocates a tuple per node; none can be part of a cycle, so the cyclic collector
    # would only re-scan the whole graph again and again (3x slower on a deep chain): pause it.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _depth_first(root)
    finally:
        if collecting:
            gc.enable()


def _depth_first(root):
    order, seen = [], {root}
    emit, mark = order.append, seen.add
    stack = [(root, iter(root._prev))]          # depth-first, without recursion
    while stack:
        node, parents = stack[-1]
        for parent in parents:
            if parent not in seen:
                mark(parent)
                if parent._prev:
                    stack.append((parent, iter(parent._prev)))
                    break
                emit(parent)                    # a leaf: nothing to wait for
        else:                                   # all parents emitted: now this node
            stack.pop()
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
    """

    symbol = '?'

    @classmethod
    def apply(cls, *parents, **const):
        """Run the op on Values (numbers become constant leaves) and return the new node."""
        for p in parents:
            if type(p) is not Value:
                parents = tuple(_operand(p, cls) for p in parents)
                break
        xs = [p.data for p in parents]
        try:
            out = cls.forward(*xs, **const)
        except (ArithmeticError, ValueError) as e:
            raise _op_error(cls, parents, const, e, "the result") from None
        try:
            local = cls.local_grads(*xs, out, **const)
            if type(local) is not tuple or len(local) != len(parents):
                raise TypeError(_arity_message(local, parents))
            check = sum(local, out)             # inf or nan if anything is not finite
        except (ArithmeticError, ValueError, TypeError) as e:
            raise _op_error(cls, parents, const, e, "its local derivative") from None
        if check - check:
            _check_finite(cls, parents, const, out, local)
        node = _new(Value)
        node.data = out
        node.grad = 0.0
        node._prev = parents
        node._op = cls.name(**const) if const else cls.symbol
        node.label = ''
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
        if a == 0 and k < 1:
            raise ZeroDivisionError("the derivative k·aᵏ⁻¹ is infinite at a = 0")
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


PRIMITIVES = (Add, Mul, Pow, PowValue, Exp, Log, Tanh, Sigmoid, Relu, Sin, Cos, WeightedSum)


# --- helpers ---------------------------------------------------------------------------------

_new = object.__new__
_grad_of = operator.attrgetter('grad')
_NO_CONST = {}                  # shared by every node whose op has no constants: never modified
_ONE, _ZERO, _ONE_ONE = (1.0,), (0.0,), (1.0, 1.0)
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
        raise ValueError(f"{what} must be a finite number, not {x}{_node_name(label)}")
    return x


def _operand(x, op=None):
    """A Value for the other side of an operator: Values pass, real numbers become constant
    leaves, anything else gives None (so Python raises its own clear TypeError)."""
    if isinstance(x, Value):
        return x
    if type(x) is float or type(x) is int or _is_real(x):
        return Value(x)
    if op is None:
        return None
    raise TypeError(f"{op.symbol}: expected a Value or a real number, not {type(x).__name__}")


def _arity_message(local, parents):
    got = (f"{len(local)} derivative(s)" if type(local) is tuple else f"a {type(local).__name__}")
    return (f"local_grads gave {got} for {len(parents)} input(s); return a tuple with one "
            f"∂out/∂x per input, in order, e.g. (d,) for one input")


def _op_error(op, parents, const, error, what):
    """The same kind of error, saying which op, why, and at which values and labels."""
    if isinstance(error, OverflowError):
        return OverflowError(_op_message(op, parents, const, f"{what} is too large for a float"))
    return type(error)(_op_message(op, parents, const, error))


def _check_finite(op, parents, const, out, local):
    """Raise if the output or a local derivative is inf or nan (their sum may just overflow)."""
    if out - out:
        raise OverflowError(_op_message(op, parents, const, "the result is too large for a float (it overflowed)"))
    if any(d - d for d in local):
        raise OverflowError(_op_message(op, parents, const, "its local derivative is not finite"))


def _node_name(label):
    return f" (node {label!r})" if label else ''


def _show(v):
    return f"{v.label}={v.data!r}" if v.label else repr(v.data)


def _op_message(op, parents, const, reason):
    """'log: log() of a non-positive value, at log(x=0.0)': the op, why, the values and labels."""
    args = [f"{p.label}={p.data!r}" if p.label else repr(p.data) for p in parents]
    args += [repr(v) for v in const.values()]
    if op.symbol in ('+', '*', '**'):
        call = f" {op.symbol} ".join(args)
    else:
        call = f"{op.symbol}({', '.join(args)})"
    return f"{op.symbol}: {reason}, at {call}"


def _backward_error(node, g, error):
    where = f"the {node._op or 'leaf'} node{_node_name(node.label)} with data {node.data!r}"
    if node._local is None:
        return TypeError(f"backward: {where} was built by hand with children but has no local "
                         f"derivatives; define an Op subclass for a new operation")
    if isinstance(error, TypeError):
        return error
    return OverflowError(f"backward: the gradient reaching {where} is not finite ({g}: it "
                         f"overflowed); no .grad was changed")
