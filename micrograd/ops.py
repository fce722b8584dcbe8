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

    # What pictures, steps and the compiled replay say of the op (views/graph.py, views/trace.py
    # and replay.py read it).  Templates: {a}, {b} … the parents, by forward's names or by place
    # ({0}, {1} …); {k} a constant; {out} the output; in the replay, {g} the output's gradient.
    # After a colon, how tightly a parent must bind in that place: '{b:power}' writes b − c as
    # (b − c).  An op whose templates depend on its constants or on how many parents it has
    # gives them by a function (number, n, **constants), `number` writing a number as the view
    # does.  None: a picture writes the op as symbol(x, y), a step names ∂out/∂x, and the replay
    # calls forward and local_grads.
    drawn = None            # the symbol in its oval, if not `symbol`
    written = None          # how a formula writes it, e.g. '{a:sum} + {b:sum}'
    binds = 'atom'          # how tightly that binds: 'negative' < 'sum' < 'product' < 'power' < 'atom'
    derivatives = None      # each ∂out/∂parent as a step writes it, e.g. ('{b:product}', '{a:product}')
    replay = None           # (out, (each ∂out/∂parent)) in Python, e.g. ('{a} * {b}', ('{b}', '{a}'));
                            # read for the primitives only: yours replays its forward and local_grads
    bounded = False         # a finite input gives a finite output or raises (the replay checks the others)

    @classmethod
    def says(cls, what, number, n, **const):
        """Its template `what` ('drawn', 'written', 'derivatives' or 'replay') for n parents.
        A subclass with a forward or local_grads of its own says only what it says itself: its
        parent's words are about other arithmetic (class MyTanh(Tanh) with a new forward)."""
        for klass in cls.__mro__:
            if what in vars(klass):
                said = getattr(klass, what)
                return said(number, n, **const) if callable(said) else said
            if 'forward' in vars(klass) or 'local_grads' in vars(klass):
                return None

    @classmethod
    def parent_names(cls):
        """The names forward gives its parents (('a', 'b') for Mul; () for forward(*x))."""
        code = cls.forward.__code__
        return code.co_varnames[:code.co_argcount]

    @classmethod
    def fields(cls, parents, **more):
        """A template's named fields: the parents by forward's names, and `more` (out=…)."""
        return dict(zip(cls.parent_names(), parents), **more)

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
    written, binds, derivatives = '{a:sum} + {b:sum}', 'sum', ('1', '1')
    replay = '{a} + {b}', ('1', '1')

    def forward(a, b):
        return a + b

    def local_grads(a, b, out):
        return _ONE_ONE

    def torch(a, b):
        return a + b


class Mul(Op):
    """out = a · b;   ∂out/∂a = b,  ∂out/∂b = a"""
    symbol = '*'
    written, binds, derivatives = '{a:product}·{b:product}', 'product', ('{b:product}', '{a:product}')
    replay = '{a} * {b}', ('{b}', '{a}')

    def forward(a, b):
        return a * b

    def local_grads(a, b, out):
        return (b, a)

    def torch(a, b):
        return a * b


class Sub(Op):
    """out = a − b;   ∂out/∂a = 1,  ∂out/∂b = −1"""
    symbol = '-'
    drawn, written, binds, derivatives = '−', '{a:sum} − {b:product}', 'sum', ('1', '(−1)')
    replay = '{a} - {b}', ('1', '(-1.0)')

    def forward(a, b):
        return a - b

    def local_grads(a, b, out):
        return _ONE_MINUS_ONE

    def torch(a, b):
        return a - b


class Neg(Op):
    """out = −a;   ∂out/∂a = −1"""
    symbol = '-'
    bounded = True
    drawn, written, binds, derivatives = '−', '−{a:power}', 'negative', ('(−1)',)
    replay = '-{a}', ('(-1.0)',)

    def forward(a):
        return -a

    def local_grads(a, out):
        return _MINUS_ONE

    def torch(a):
        return -a


class Div(Op):
    """out = a / b;   ∂out/∂a = 1/b,  ∂out/∂b = −a/b²"""
    symbol = '/'
    written, binds = '{a:product}/{b:power}', 'product'
    derivatives = '1/{b:power}', '(−{a:power}/{b:atom}^2)'
    replay = '{a} / {b}', ('(1.0 / {b})', '(-{out} / {b})')      # Python raises for b = 0 too

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
    drawn, written, binds = '^{k}', '{a:atom}^{k}', 'power'

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
        return f"**{exponent(k)}"               # exact: '**2', '**0.5'

    def derivatives(number, n, k):
        if k == 1:
            return ('1',)
        if k == 2:
            return ('{k:product}·{a:product}',)
        return (f'{{k:product}}·{{a:atom}}^{number(k - 1)}',)

    def replay(number, n, k):                   # forward and local_grads, branch for branch
        if k == 0:
            return '{a} ** 0.0', ('0.0',)
        if k == int(k):                         # an integer power: never complex; errors raise
            return f'{{a}} ** {number(k)}', (f'{number(k)} * {{a}} ** {number(k - 1)}',)
        # math.pow raises where forward raises (a < 0; a = 0 with k < 0), and for ∂ at a = 0 with
        # k < 1 (local_grads' infinite slope) when a gradient flows through it
        slope = f'{number(k)} * math.pow({{a}}, {number(k - 1)})'
        return f'math.pow({{a}}, {number(k)})', (f'({slope} if {{a}} or {{g}} else 0.0)' if k < 1
                                                 else slope,)


class PowValue(Op):
    """out = aᵇ (b a Value);   ∂out/∂a = b·aᵇ⁻¹,  ∂out/∂b = aᵇ·ln a
    (no real number for a < 0 or 0⁰: nan, which backward reports if a gradient needs it)"""
    symbol = '**'
    drawn, written, binds = '^', '{a:atom}^{b:atom}', 'power'
    derivatives = '{b:atom}·{a:atom}^({b:atom} − 1)', '{a:atom}^{b:atom}·ln {a:atom}'
    replay = 'math.pow({a}, {b})', (
        '(0.0 if {b} == 0 or not ({a} or {g}) else {b} * math.pow({a}, {b} - 1.0))',
        '({out} * math.log({a}) if {a} != 0 or {b} <= 0 else 0.0)')

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
    bounded = True
    derivatives = 'exp({a})',
    replay = 'math.exp({a})', ('{out}',)       # math.exp raises just past forward's limit

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
    bounded = True
    written, derivatives = 'ln({a})', ('1/{a:power}',)
    replay = 'math.log({a})', ('(1.0 / {a})',)     # math.log raises for a ≤ 0, as forward does

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
    bounded = True
    derivatives = '(1 − {out:atom}^2)',
    replay = 'math.tanh({a})', ('(1.0 - {out} * {out})',)

    def forward(a):
        return math.tanh(a)                     # exact ±1 far out, never overflows

    def local_grads(a, out):
        return (1.0 - out * out,)

    def torch(a):
        return a.tanh()


class Sigmoid(Op):
    """out = σ(a) = 1/(1 + e⁻ᵃ);   ∂out/∂a = σ(a)·(1 − σ(a))"""
    symbol = 'σ'
    bounded = True
    derivatives = "σ'({a})",
    replay = ('1.0 / (1.0 + math.exp(-{a})) if {a} >= 0 else math.exp({a}) / (1.0 + math.exp({a}))',
              ('{out} * (1.0 - {out})',))

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
    bounded = True
    derivatives = "ReLU'({a})",
    replay = '{a} if {a} > 0 else 0.0', ('(1.0 if {a} > 0 else 0.0)',)

    def forward(a):
        return a if a > 0 else 0.0

    def local_grads(a, out):
        return _ONE if a > 0 else _ZERO

    def torch(a):
        return a.relu()


class Sin(Op):
    """out = sin a;   ∂out/∂a = cos a"""
    symbol = 'sin'
    bounded = True
    derivatives = 'cos({a})',
    replay = 'math.sin({a})', ('math.cos({a})',)

    def forward(a):
        return math.sin(a)

    def local_grads(a, out):
        return (math.cos(a),)

    def torch(a):
        return a.sin()


class Cos(Op):
    """out = cos a;   ∂out/∂a = −sin a"""
    symbol = 'cos'
    bounded = True
    derivatives = '−sin({a})',
    replay = 'math.cos({a})', ('(-math.sin({a}))',)

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
    binds = 'sum'

    def written(number, n):                     # b + w₁·a₁ + w₂·a₂ + …
        m = n // 2
        return ''.join([f'{{{n - 1}:sum}}'] + [f' + {{{k}:product}}·{{{m + k}:product}}' for k in range(m)])

    def derivatives(number, n):                 # a₁ … aₙ, w₁ … wₙ, 1
        m = n // 2
        return tuple(f'{{{k}:product}}' for k in [*range(m, 2 * m), *range(m)]) + ('1',)

    def replay(number, n):
        m = n // 2
        return ([f'{{{n - 1}}}'] + [f'{{{k}}} * {{{m + k}}}' for k in range(m)],
                tuple(f'{{{k}}}' for k in [*range(m, 2 * m), *range(m)]) + ('1',))

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


def exponent(k):
    """A constant exponent as it is written: '2', '0.5', '-1'."""
    return f"{int(k)}" if k == int(k) else repr(k)


PRIMITIVES = (Add, Sub, Neg, Mul, Div, Pow, PowValue, Exp, Log, Tanh, Sigmoid, Relu, Sin, Cos, WeightedSum)
_BUILT_IN = frozenset(PRIMITIVES)

_ONE, _ZERO, _MINUS_ONE = (1.0,), (0.0,), (-1.0,)
_ONE_ONE, _ONE_MINUS_ONE = (1.0, 1.0), (1.0, -1.0)
_EXP_MAX = math.log(1.7976931348623157e308)     # ln(largest float)
