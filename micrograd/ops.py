"""The primitive operations: one class each, carrying all that is said about it.

Each op's `forward` computes its output from its parents' numbers and `local_grads` gives
∂out/∂x for each parent, with the equation in its docstring; `torch` is the same op in PyTorch
(compare_with_torch).  Value's operators (engine.py) make one node of an op each, through
`Op.apply`: `x.tanh()` is `Tanh.apply(x)`.  Subclass `Op` to add your own.
"""
import math

from . import errors
from .errors import N_
from .engine import Value, _node, _operand

__all__ = ['Op', 'PRIMITIVES', 'Add', 'Mul', 'Sub', 'Neg', 'Div', 'Pow', 'PowValue', 'Exp', 'Log',
           'Tanh', 'Sigmoid', 'Relu', 'Sin', 'Cos', 'WeightedSum']


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

    `torch(*xs)` is the same op on the parents as PyTorch float64 tensors (constants as keywords),
    for `compare_with_torch`; add one to yours, e.g. `return torch.nn.functional.softplus(x)`.
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
            raise errors.op_error(cls, parents, const, e,
                                  N_("the result is too large for a float")) from None
        if type(out) is not float or out - out:  # a custom op's int, numpy scalar, complex; inf
            out = errors.result(cls, out, parents, const)
        try:
            local = cls.local_grads(*xs, out, **const)
            if cls not in _BUILT_IN:            # ours give tuples of floats: only yours are checked
                local = errors.local_floats(local, parents)
        except (ArithmeticError, ValueError, TypeError) as e:
            raise errors.op_error(cls, parents, const, e,
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

    def torch(a, b):
        return a + b


class Mul(Op):
    """out = a · b;   ∂out/∂a = b,  ∂out/∂b = a"""
    symbol = '*'

    def forward(a, b):
        return a * b

    def local_grads(a, b, out):
        return (b, a)

    def torch(a, b):
        return a * b


class Sub(Op):
    """out = a − b;   ∂out/∂a = 1,  ∂out/∂b = −1"""
    symbol = '-'

    def forward(a, b):
        return a - b

    def local_grads(a, b, out):
        return _ONE_MINUS_ONE

    def torch(a, b):
        return a - b


class Neg(Op):
    """out = −a;   ∂out/∂a = −1"""
    symbol = '-'

    def forward(a):
        return -a

    def local_grads(a, out):
        return _MINUS_ONE

    def torch(a):
        return -a


class Div(Op):
    """out = a / b;   ∂out/∂a = 1/b,  ∂out/∂b = −a/b²"""
    symbol = '/'

    def forward(a, b):
        if b == 0:
            raise ZeroDivisionError(N_("division by zero"))
        return a / b

    def local_grads(a, b, out):
        return (1.0 / b, -out / b)              # −a/b² as −(a/b)/b: b² would underflow to 0

    def torch(a, b):
        return a / b


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

    def torch(a, k):
        return a ** k

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

    def torch(a, b):
        return a ** b


class Exp(Op):
    """out = eᵃ;   ∂out/∂a = eᵃ = out"""
    symbol = 'exp'

    def forward(a):
        if a > _EXP_MAX:
            raise OverflowError(N_("e to this power is too large for a float"))
        return math.exp(a)

    def local_grads(a, out):
        return (out,)

    def torch(a):
        return a.exp()


class Log(Op):
    """out = ln a;   ∂out/∂a = 1/a"""
    symbol = 'log'

    def forward(a):
        if a <= 0:
            raise ValueError(N_("log() of a non-positive value"))
        return math.log(a)

    def local_grads(a, out):
        return (1.0 / a,)

    def torch(a):
        return a.log()


class Tanh(Op):
    """out = tanh a = (e²ᵃ − 1)/(e²ᵃ + 1);   ∂out/∂a = 1 − tanh²a"""
    symbol = 'tanh'

    def forward(a):
        return math.tanh(a)                     # exact ±1 far out, never overflows

    def local_grads(a, out):
        return (1.0 - out * out,)

    def torch(a):
        return a.tanh()


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

    def torch(a):
        return a.sigmoid()


class Relu(Op):
    """out = max(0, a);   ∂out/∂a = 1 if a > 0 else 0"""
    symbol = 'ReLU'

    def forward(a):
        return a if a > 0 else 0.0

    def local_grads(a, out):
        return _ONE if a > 0 else _ZERO

    def torch(a):
        return a.relu()


class Sin(Op):
    """out = sin a;   ∂out/∂a = cos a"""
    symbol = 'sin'

    def forward(a):
        return math.sin(a)

    def local_grads(a, out):
        return (math.cos(a),)

    def torch(a):
        return a.sin()


class Cos(Op):
    """out = cos a;   ∂out/∂a = −sin a"""
    symbol = 'cos'

    def forward(a):
        return math.cos(a)

    def local_grads(a, out):
        return (-math.sin(a),)

    def torch(a):
        return a.cos()


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

    def torch(*x):
        n = len(x) // 2
        return sum((w * a for w, a in zip(x[:n], x[n:-1])), x[-1])   # b + w₁a₁ + …

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


PRIMITIVES = (Add, Sub, Neg, Mul, Div, Pow, PowValue, Exp, Log, Tanh, Sigmoid, Relu, Sin, Cos, WeightedSum)
_BUILT_IN = frozenset(PRIMITIVES)

_ONE, _ZERO, _MINUS_ONE = (1.0,), (0.0,), (-1.0,)
_ONE_ONE, _ONE_MINUS_ONE = (1.0, 1.0), (1.0, -1.0)
_EXP_MAX = math.log(1.7976931348623157e308)     # ln(largest float)
