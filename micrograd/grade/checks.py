"""The checks of micrograd.grade, in the lecture's order: each builds the smallest expression that
shows one idea with the learner's class V, and returns (a note) or raises Fail / NotYet / Limit.

They run in our process; V and everything made from it are Remotes (runner.py): the learner's
objects stay in the grading subprocess and only plain numbers come back, so every comparison
here is ours. Every gradient is read after backward(), as the learner's own code would get it,
so an op built from other ops (tanh from exp) is graded as it is used. Their texts are English
marked with N_; the report translates them. `seen` is shared by the checks of one grading: what
an earlier check learnt (that backward() does nothing, say) spares the later ones a wrong cause.
"""
import math

from .runner import N_, Raised, chain, containers, has, own, spy, calls

READ = {                     # where each idea is explained
    'forward': N_("notebooks/01_value_graph_chain_rule.ipynb (The expression); "
                  "08_build_your_own part 1"),
    'reflected': N_("notebooks/08_build_your_own.ipynb, part 1 (plain numbers on either side)"),
    'local': N_("notebooks/01_value_graph_chain_rule.ipynb (Derivatives by nudging); "
                "08_build_your_own part 2"),
    'neuron': N_("notebooks/01_value_graph_chain_rule.ipynb (One neuron)"),
    'paths': N_("notebooks/03_multi_path_sum.ipynb (many paths add up)"),
    'topo': N_("notebooks/08_build_your_own.ipynb, part 3 (backward: a topological order)"),
    'ops': N_("notebooks/08_build_your_own.ipynb, part 4 (-, / and ** from + and *)"),
    'stable': N_("notebooks/08_build_your_own.ipynb, part 2 (tanh for any input)"),
    'zero_grad': N_("notebooks/06_training.ipynb (zero_grad before each backward)"),
    'softmax': N_("notebooks/08_build_your_own.ipynb, parts 2 and 4 (the rules of each op); the "
                  "lecture's exercises, exercise 2 (softmax and −log p)"),
    'random': N_("notebooks/01_value_graph_chain_rule.ipynb (Derivatives by nudging)"),
}
WRAP = N_("an operator reads other.data, but a plain number has no .data: wrap it first, "
          "other = other if isinstance(other, Value) else Value(other).")
OVERWRITE = N_("`self.grad = …` overwrites the contribution of the other path: use `+=`.")
RECURSIVE = N_("build_topo calls itself once per node, and Python stops at about 1,000 nested "
               "calls: build the order with a loop and an explicit stack.")
RAISED = N_("your code raised an exception here (its traceback is below).")
UNDEFINED = N_("a name your code uses is not defined where it runs: is an import missing (import "
               "math at the top of the file, or of the cell that defines the class)?")
INERT = N_("not checked: backward() leaves every gradient at 0 (see ✗ backward above)")


class Fail(Exception):
    """The check showed a mistake: the expression, what was expected, what came out, and why
    (`error`: the Raised it came from, if their code raised)."""

    def __init__(self, expr, expected, got, cause, error=None):
        super().__init__(expr)
        self.expr, self.expected, self.got, self.cause, self.error = expr, expected, got, cause, error


class Limit(Fail):
    """Not a wrong answer but a limit of Python reached (RecursionError, OverflowError): shown with
    advice, and not counted as a failure."""


class NotYet(Exception):
    """The engine does not attempt this yet (no tanh, a blank that raises NotImplementedError)."""


class Skip(Exception):
    """Not checked, because an earlier check already showed the reason it would fail."""


CHECKS = []                  # (name, title, read, function), in the lecture's order


def check(name, title, read):
    def register(f):
        CHECKS.append((name, title, READ[read], f))
        return f
    return register


# --- helpers: run the learner's code, compare numbers -------------------------------------------

def needs(V, *names):
    missing = [n for n in names if not has(V, n)]
    if missing:
        raise NotYet(N_("the class has no {names} yet", names=', '.join(missing)))


def attempt(expr, f, cause=RAISED, limit=()):
    """f(), or Fail naming expr (Limit for an exception named in `limit`; NotYet for a blank that
    raises NotImplementedError)."""
    try:
        return f()
    except Raised as e:
        if e.is_a('NotImplementedError'):
            raise NotYet(N_("{expr} raises {error}", expr=expr, error=e.text)) from None
        why = cause(e) if callable(cause) else cause
        if e.is_a('NameError') and why == RAISED:
            why = UNDEFINED
        kind = Limit if any(e.is_a(name) for name in limit) else Fail
        raise kind(expr, '', e.text, why, error=e) from None


def number(x, what):
    """x as a float, from their value (a float, an int, a numpy scalar, …)."""
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        try:
            x = float(x)
        except Raised:
            raise Fail(what, N_("a number"), f"{show(x)}",
                       N_("{what} should be a plain number.", what=what)) from None
        except TypeError:
            raise Fail(what, N_("a number"), f"{show(x)} ({type(x).__name__})",
                       N_("{what} should be a plain number, not a {type}.", what=what,
                          type=type(x).__name__)) from None
    return float(x)


def show(x):
    try:
        return repr(x)[:80]
    except Raised as e:
        return f"<repr failed: {e.text}>"


def close(got, expected, tol=1e-6):
    return abs(got - expected) <= tol * (1 + abs(expected))


def expect(expr, what, got, expected, cause, tol=1e-6):
    got = number(got, what)
    if not close(got, expected, tol):
        raise Fail(expr, f"{what} = {expected:.10g}", f"{got:.10g}",
                   cause(got) if callable(cause) else cause)
    return got


def data(expr, v):
    value = attempt(expr, lambda: getattr(v, 'data', None))
    if value is None:                   # a plain number came back, or a Value with no .data
        raise Fail(expr, N_("a Value"), f"{show(v)} ({type(v).__name__})",
                   N_("the operator should return a new Value: return out."))
    return number(value, f"({expr}).data")


def grad(v, what):
    return number(attempt(what, lambda: getattr(v, 'grad')), what)


def children(out, *operands):
    """The attribute of out holding all the operands (the lecture's _prev, by whatever name):
    (name, its items), or (None, ()) — found by what it holds, not by its name."""
    for name, items in containers(out).items():
        if all(any(i is o for i in items) for o in operands):
            return name, items
    return None, ()


def backward(expr, root, seen):
    """root.backward(), unless an earlier check showed it does nothing."""
    if seen.get('inert'):
        raise Skip(INERT)
    attempt(f"{expr}; backward()", root.backward)


def usable_backward(seen):
    return seen.get('backward') == 'pass'


def fd(f, x, h=1e-6):
    """(f(x+h) − f(x−h)) / 2h: the slope of the learner's own forward."""
    return (f(x + h) - f(x - h)) / (2 * h)


# --- the checks ----------------------------------------------------------------------------------

@check('forward', N_("forward values of + and *"), 'forward')
def forward(V, seen):
    needs(V, '__add__', '__mul__')
    for expr, f, want in (("Value(2.0) + Value(-3.0)", lambda a, b: a + b, -1.0),
                          ("Value(2.0) * Value(-3.0)", lambda a, b: a * b, -6.0)):
        a, b = attempt("Value(2.0)", lambda: V(2.0)), V(-3.0)
        out = attempt(expr, lambda: f(a, b))
        expect(expr, "data", data(expr, out), want, N_("the forward value is wrong: + adds the "
               "two .data, * multiplies them, and the result is a new Value(…)."))
        if children(out, a, b)[0] is None:
            raise Fail(expr, N_("an attribute holding both operands (the lecture's _prev)"),
                       ', '.join(sorted(containers(out))) or N_('none'),
                       N_("pass the operands as children, Value(…, (self, other), op), and keep "
                          "them (self._prev = tuple(_children)), so that backward() can find "
                          "them."))
        expect(expr, "grad", grad(out, "grad"), 0.0, N_("a new Value starts with grad = 0.0."))


@check('reflected', N_("reflected operators with plain numbers (x + 1, 2 * x)"), 'reflected')
def reflected(V, seen):
    needs(V, '__add__', '__mul__')
    for expr, f, want, cause in (
            ("Value(3.0) + 1", lambda x: x + 1, 4.0, WRAP),
            ("Value(3.0) * 2", lambda x: x * 2, 6.0, WRAP),
            ("1 + Value(3.0)", lambda x: 1 + x, 4.0,
             N_("Python tries int.__add__ first, then Value.__radd__: define "
                "__radd__(self, other): return self + other.")),
            ("2 * Value(3.0)", lambda x: 2 * x, 6.0,
             N_("Python tries int.__mul__ first, then Value.__rmul__: define "
                "__rmul__(self, other): return self * other."))):
        out = attempt(expr, lambda: f(V(3.0)), cause)
        expect(expr, "data", data(expr, out), want, cause)


@check('backward', N_("backward() through + and *, with an output gradient of 1 and of 3"), 'topo')
def backward_check(V, seen):
    needs(V, '__add__', '__mul__', 'backward')
    expr = "a, b = Value(2.0), Value(-3.0); c = a * b; c.backward()"
    a, b = V(2.0), V(-3.0)
    c = attempt(expr, lambda: a * b)
    attempt(expr, c.backward)
    got = (grad(a, "a.grad"), grad(b, "b.grad"))
    if got == (0.0, 0.0):
        a, b = V(2.0), V(-3.0)
        c = a * b
        c.grad = 1.0
        attempt("c.grad = 1.0; c._backward()", c._backward)
        if (grad(a, "a.grad"), grad(b, "b.grad")) == (-3.0, 2.0):
            seen['inert'] = True
            raise Fail(expr, "a.grad = -3, b.grad = 2", "a.grad = 0, b.grad = 0",
                       N_("c._backward() alone gives a and b their gradients, but backward() "
                          "called no _backward: it must set self.grad = 1.0, then call "
                          "node._backward() for every node of reversed(topo)."))
    for name, g, want in (("a", got[0], -3.0), ("b", got[1], 2.0)):
        expect(expr, f"{name}.grad", g, want, N_("∂(a·b)/∂a = b and ∂(a·b)/∂b = a: self.grad "
               "+= other.data * out.grad, other.grad += self.data * out.grad."))
    expect(expr, "c.grad", grad(c, "c.grad"), 1.0,
           N_("backward() must start with self.grad = 1.0 (∂c/∂c = 1)."))
    for expr, f, want, slip, cause in (
            ("a, b = Value(2.0), Value(-3.0); d = (a + b) * Value(3.0); d.backward()",
             lambda a, b: (a + b) * V(3.0), 3.0, 1.0,
             N_("+'s _backward must multiply by out.grad (here 3): self.grad += 1.0 * out.grad.")),
            ("a, b = Value(2.0), Value(-3.0); d = (a * b) * Value(3.0); d.backward()",
             lambda a, b: (a * b) * V(3.0), -9.0, -3.0,
             N_("*'s _backward must multiply by out.grad (here 3): self.grad += other.data * "
                "out.grad."))):
        a, b = V(2.0), V(-3.0)
        d = attempt(expr, lambda: f(a, b))
        attempt(expr, d.backward)
        expect(expr, "a.grad", grad(a, "a.grad"), want,
               lambda got: cause if close(got, slip) else N_("the chain rule: a.grad = "
                                                              "∂d/∂c · ∂c/∂a."))


def _local(V, seen, op, x, want, slips, cause):
    """op's forward at x against math, and its gradient (after backward(), or by its own
    _backward before there is a backward()) against finite differences of its forward."""
    needs(V, op)
    expr = f"x = Value({x}); o = x.{op}()"
    v = attempt(f"Value({x})", lambda: V(x))
    out = attempt(expr, lambda: getattr(v, op)())
    expect(expr, "o.data", data(expr, out), want(x),
           N_("the forward value of {op} is wrong.", op=op))
    slope = fd(lambda t: data(expr, attempt(expr, lambda: getattr(V(t), op)())), x)

    def why(scale):
        def cause_of(got):
            for value, text in slips(x, out.data):
                if close(got, scale * value, 1e-4):
                    return text
            if scale != 1 and close(got, slope, 1e-4):
                return N_("the local derivative is right, but _backward must multiply it by "
                          "out.grad.")
            return cause
        return cause_of

    if not usable_backward(seen):       # part 2 of the lecture: no backward() yet
        if children(out, v)[0] is None:
            raise NotYet(N_("{op} is built from other ops: its gradient is checked once "
                            "backward() works", op=op))
        out.grad = 2.0                  # not 1, so that a missing "* out.grad" shows
        probe = f"{expr}; o.grad = 2.0; o._backward()"
        attempt(probe, out._backward)
        expect(probe, "x.grad", grad(v, "x.grad"), 2.0 * slope, why(2.0), tol=1e-4)
        return
    probe = f"{expr}; o.backward()"
    attempt(probe, out.backward)
    expect(probe, "x.grad", grad(v, "x.grad"), slope, why(1.0), tol=1e-4)
    for probe, f, scale, extra in (
            (f"x = Value({x}); y = x.{op}() * Value(2.0); y.backward()",
             lambda x: getattr(x, op)() * V(2.0), 2.0, 0.0),
            (f"x = Value({x}); y = x.{op}() + x; y.backward()",    # x reused through op
             lambda x: getattr(x, op)() + x, 1.0, 1.0)):
        v = V(x)
        y = attempt(probe, lambda: f(v))
        attempt(probe, y.backward)
        expect(probe, "x.grad", grad(v, "x.grad"), scale * slope + extra,
               lambda got: N_("{op}'s _backward overwrites x.grad (`=`), losing what + gave it: "
                              "use `+=`.", op=op) if extra and close(got, slope, 1e-4)
               else why(scale)(got), tol=1e-4)


@check('tanh', N_("tanh: forward, and its derivative against finite differences"), 'local')
def tanh(V, seen):
    _local(V, seen, 'tanh', 0.5, math.tanh,
           lambda x, o: ((1 - x * x, N_("1 − x² uses the input: ∂tanh(x)/∂x = 1 − tanh²(x) = "
                                        "1 − o², with the output o = out.data.")),
                         (1 - o, N_("square the output: 1 − o², not 1 − o."))),
           N_("∂tanh(x)/∂x = 1 − tanh²(x): self.grad += (1 - t**2) * out.grad."))


@check('exp', N_("exp: forward, and its derivative against finite differences"), 'local')
def exp(V, seen):
    _local(V, seen, 'exp', 0.5, math.exp,
           lambda x, o: ((x * o, N_("that is x·eˣ (a power rule): eˣ is its own derivative.")),),
           N_("∂eˣ/∂x = eˣ = out.data: self.grad += out.data * out.grad."))


@check('relu', N_("relu: forward, and its derivative against finite differences"), 'local')
def relu(V, seen):
    for x in (-1.5, 2.0):
        _local(V, seen, 'relu', x, lambda t: max(t, 0.0), lambda x, o: (),
               N_("∂relu(x)/∂x is 1 where x > 0 and 0 elsewhere: "
                  "self.grad += (out.data > 0) * out.grad."))


@check('neuron', N_("the lecture's neuron: o = tanh(x1·w1 + x2·w2 + b)"), 'neuron')
def neuron(V, seen):
    needs(V, 'tanh', 'backward')
    x1, x2, w1, w2, b = V(2.0), V(0.0), V(-3.0), V(1.0), V(6.8813735870195432)
    expr = "x1, x2, w1, w2, b = 2, 0, -3, 1, 6.8813735870195432;  o = (x1*w1 + x2*w2 + b).tanh()"
    o = attempt(expr, lambda: (x1 * w1 + x2 * w2 + b).tanh())
    expect(expr, "o.data", data(expr, o), math.sqrt(0.5), N_("the forward pass is wrong."))
    backward(expr, o, seen)
    expr += "; o.backward()"
    expect(expr, "o.grad", grad(o, "o.grad"), 1.0,
           N_("backward() must start with self.grad = 1.0 (∂o/∂o = 1)."))
    want = {'x1': -1.5, 'w1': 1.0, 'x2': 0.5, 'w2': 0.0, 'b': 0.5}
    got = {k: grad(v, f"{k}.grad") for k, v in zip(('x1', 'w1', 'x2', 'w2', 'b'),
                                                   (x1, w1, x2, w2, b))}
    wrong = [k for k in want if not close(got[k], want[k])]
    if wrong:
        cause = (N_("no gradient reached the leaves: backward() must call every node's "
                    "_backward, from the root down.") if all(g == 0 for g in got.values()) else
                 N_("a local derivative in +, * or tanh is wrong: ∂(a·b)/∂a = b, ∂(a+b)/∂a = 1, "
                    "∂tanh(n)/∂n = 1 − o²."))
        raise Fail(expr, ", ".join(f"{k}.grad = {want[k]:g}" for k in wrong),
                   ", ".join(f"{k}.grad = {got[k]:.10g}" for k in wrong), cause)


def _overwrites(V, seen, op):
    """Whether op's _backward overwrites: p reaches the root through two op nodes of its own,
    (p op q) op (p op r), so only `=` (not a duplicate child) can lose a path."""
    p = V(3.0)
    f = (lambda x, y: x + y) if op == '+' else (lambda x, y: x * y)
    root = f(f(p, V(2.0)), f(p, V(5.0)))
    backward(f"(p {op} q) {op} (p {op} r)", root, seen)
    return not close(grad(p, "p.grad"), 2.0 if op == '+' else 60.0)


@check('used_twice', N_("a value used twice (a + a, x * x)"), 'paths')
def used_twice(V, seen):
    needs(V, 'backward')
    for op, f, want, right in (
            ('+', lambda a: a + a, 2.0, N_("both uses of a add 1 to a.grad: ∂(a + a)/∂a = 2.")),
            ('*', lambda a: a * a, 6.0, N_("∂(a·a)/∂a = a + a = 2a."))):
        expr = f"a = Value(3.0); b = a {op} a"
        a = V(3.0)
        b = attempt(expr, lambda: f(a))
        backward(expr, b, seen)
        got = grad(a, "a.grad")
        if close(got, want):
            continue
        name, kids = children(b, a)
        if _overwrites(V, seen, op):
            cause = OVERWRITE
        elif name is not None and len(kids) < 2:
            cause = N_("b = {expr} has {name} = {prev}, with a only once: a set keeps one copy, "
                       "and a _backward that walks it loses one path — keep the children as a "
                       "tuple (or add into self.grad and other.grad, as the lecture does).",
                       expr=f"a {op} a", name=name, prev=show(getattr(b, name)))
        else:
            cause = right
        raise Fail(f"{expr}; b.backward()", f"a.grad = {want:g}", f"{got:.10g}", cause)


@check('diamond', N_("a diamond: a reaches d along two paths"), 'paths')
def diamond(V, seen):
    needs(V, 'backward')
    expr = "a = Value(3.0); d = (a * Value(2.0)) * (a + Value(1.0)); d.backward()"
    a = V(3.0)
    d = attempt(expr, lambda: (a * V(2.0)) * (a + V(1.0)))
    backward(expr, d, seen)
    expect(expr, "a.grad", grad(a, "a.grad"), 14.0,
           lambda got: N_("a.grad holds one path only (8 through 2a, 6 through a + 1): "
                          "{overwrite}", overwrite=OVERWRITE)
           if close(got, 8.0) or close(got, 6.0)
           else N_("a's gradient is the sum over both paths: 2·(a + 1) + 2a = 14."))


@check('topological_order', N_("topological order: each _backward after all of its consumers'"),
       'topo')
def topological_order(V, seen):
    needs(V, 'backward')
    for flip in (False, True):
        expr = ("x = Value(2.0); a = x * Value(3.0); b = a * Value(2.0); c = b + Value(1.0); "
                f"d = {'a * c' if flip else 'c * a'}")
        x = V(2.0)
        a = attempt(expr, lambda: x * V(3.0))
        b = a * V(2.0)
        c = b + V(1.0)
        d = a * c if flip else c * a
        nodes = (('d', d), ('c', c), ('b', b), ('a', a))
        spied = all(own(node, '_backward') for _, node in nodes)
        for name, node in nodes if spied else ():    # the lecture's closures: watch them run
            spy(node, name)
        calls(V)
        backward(expr, d, seen)
        expr += "; d.backward()"
        if spied:
            _in_order(expr, calls(V), {'a': 'bd', 'b': 'c', 'c': 'd'})
        expect(expr, "x.grad", grad(x, "x.grad"), 75.0, N_("the order is right, but x.grad is "
               "not: a is used by b and by d, so its gradient is the sum of both paths — "
               "{overwrite}", overwrite=OVERWRITE) if spied
               else N_("a node's _backward ran before all of its consumers' (walk reversed(topo)), "
                       "or a gradient was overwritten (use +=)."))


def _in_order(expr, calls, consumers):
    """Each node's _backward ran once, after those of all its consumers."""
    for name in consumers:
        if calls.count(name) != 1:
            raise Fail(expr, N_("{name}._backward to run once", name=name),
                       N_("{n} times (order: {order})", n=calls.count(name),
                          order=', '.join(calls) or N_('none')),
                       N_("backward() should call each node's _backward exactly once: "
                          "build_topo must skip the nodes it has visited."))
    for name, users in consumers.items():
        early = [u for u in users if calls.index(u) > calls.index(name)]
        if early:
            both = N_("{a} and {b}", a=users[0], b=users[1]) if len(users) == 2 else users
            raise Fail(expr, N_("{name}._backward after {users}'s", name=name, users=both),
                       N_("the order {order}: {name} ran before {early}, so it passed on an "
                          "incomplete {name}.grad", order=', '.join(calls), name=name,
                          early=early[0]),
                       N_("backward() must first build a topological order (build_topo) and "
                          "call _backward on reversed(topo): a node only after all its "
                          "consumers."))


def _binary(V, seen, op, cases):
    needs(V, op, 'backward')
    for expr, f, want, grads, cause in cases:
        x, y = V(6.0), V(3.0)
        out = attempt(expr, lambda: f(x, y))
        expect(expr, "data", data(expr, out), want, cause)
        if grads:
            backward(expr, out, seen)
            for (name, leaf), (g, why) in zip((('x', x), ('y', y)), grads):
                expect(expr + "; backward()", f"{name}.grad", grad(leaf, f"{name}.grad"), g, why)


@check('subtraction', N_("x - y, x - 2 and -x"), 'ops')
def subtraction(V, seen):
    def sign(got):
        if close(got, 9.0):
            return N_("x − y came out as x + y: __sub__ should return self + (-other).")
        if close(got, -3.0):
            return N_("x − y came out as y − x: __sub__ should return self + (-other).")
        return N_("__sub__ should return self + (-other).")
    cases = [("x, y = Value(6.0), Value(3.0); x - y", lambda x, y: x - y, 3.0,
              ((1.0, N_("∂(x − y)/∂x = 1.")),
               (-1.0, N_("∂(x − y)/∂y = −1: the minus sign is lost in backward."))), sign),
             ("Value(6.0) - 2", lambda x, y: x - 2, 4.0, (), WRAP)]
    if has(V, '__neg__'):
        cases.append(("x = Value(6.0); -x", lambda x, y: -x, -6.0,
                      ((-1.0, N_("∂(−x)/∂x = −1: -x is x * -1.")),), N_("-x is x * -1.")))
    _binary(V, seen, '__sub__', cases)


@check('division', N_("x / y and x / 4"), 'ops')
def division(V, seen):
    _binary(V, seen, '__truediv__', (
        ("x, y = Value(6.0), Value(3.0); x / y", lambda x, y: x / y, 2.0,
         ((1 / 3, N_("∂(x/y)/∂x = 1/y.")), (-2 / 3, N_("∂(x/y)/∂y = −x/y²: x / y is x * y**-1."))),
         N_("x / y should be x * y**-1.")),
        ("Value(6.0) / 4", lambda x, y: x / 4, 1.5, (), WRAP)))


@check('power', N_("x ** 3 and x ** -1 (a number exponent)"), 'ops')
def power(V, seen):
    def rule(got):
        if close(got, 3 * 6.0 ** 3) or close(got, -1 * 6.0 ** -1):
            return N_("power rule: n·xⁿ⁻¹ — the exponent drops by one.")
        return N_("∂(xⁿ)/∂x = n·xⁿ⁻¹: self.grad += other * self.data**(other - 1) * out.grad.")

    _binary(V, seen, '__pow__', (
        ("x = Value(6.0); x ** 3", lambda x, y: x ** 3, 216.0, ((108.0, rule),),
         N_("x ** n is x.data ** n.")),
        ("x = Value(6.0); x ** -1", lambda x, y: x ** -1, 1 / 6, ((-1 / 36, rule),),
         N_("x ** n is x.data ** n."))))


@check('reflected_sub_div', N_("a number on the left of - and /: 2 - x, 1 / x"), 'ops')
def reflected_sub_div(V, seen):
    needs(V, 'backward')
    present = [m for m in ('__rsub__', '__rtruediv__') if has(V, m)]
    if not present:
        raise NotYet(N_("the class has no {names} yet", names='__rsub__, __rtruediv__'))
    for method, x, expr, f, want, slope, swapped, rule in (
            ('__rsub__', 3.0, "x = Value(3.0); 2 - x", lambda x: 2 - x, -1.0, -1.0,
             N_("2 − x came out as x − 2."),
             N_("__rsub__(self, other) is other − self: return other + (-self).")),
            ('__rtruediv__', 4.0, "x = Value(4.0); 1 / x", lambda x: 1 / x, 0.25, -1 / 16,
             N_("1 / x came out as x / 1."),
             N_("__rtruediv__(self, other) is other / self: return other * self**-1."))):
        if method not in present:
            continue
        x = V(x)
        out = attempt(expr, lambda: f(x))
        expect(expr, "data", data(expr, out), want,
               lambda got: N_("{swapped} {rule}", swapped=swapped, rule=rule)
               if close(got, 1 / want) or close(got, -want) else rule)
        backward(expr, out, seen)
        expect(expr + "; backward()", "x.grad", grad(x, "x.grad"), slope, rule)
    if len(present) < 2:
        missing = ({'__rsub__', '__rtruediv__'} - set(present)).pop()
        raise NotYet(N_("the class has no {names} yet", names=missing))


@check('tanh_overflow', N_("tanh(±1000) without overflow"), 'stable')
def tanh_overflow(V, seen):
    needs(V, 'tanh')
    overflow = N_("({e} − 1)/({e} + 1) overflows past x ≈ 355 ({e} > 1.8·10³⁰⁸): use "
                  "math.tanh(x), or write it with {small}.", e='e^{2x}', small='e^{−2|x|}')
    for x, want in ((1000.0, 1.0), (-1000.0, -1.0)):
        expr = f"Value({x}).tanh()"
        out = attempt(expr, lambda: V(x).tanh(),
                      lambda e: overflow if e.is_a('OverflowError') else RAISED,
                      limit=('OverflowError',))
        expect(expr, "data", data(expr, out), want,
               lambda got: overflow if math.isnan(got) else
               N_("tanh tends to ±1 for large |x|."))


@check('deep_chain', N_("a chain 10,000 deep without RecursionError"), 'topo')
def deep_chain(V, seen):
    needs(V, 'backward')
    expr = N_("x = Value(1.0); y = x; 10,000 times: y = y + Value(1.0); y.backward()")
    x, y = attempt(expr, lambda: chain(V, 10000))
    if seen.get('inert'):
        raise Skip(INERT)
    attempt(expr, y.backward, lambda e: RECURSIVE if e.is_a('RecursionError') else RAISED,
            limit=('RecursionError',))
    expect(expr, "x.grad", grad(x, "x.grad"), 1.0,
           N_("every + passes its gradient on unchanged: x.grad = 1."))


@check('softmax_nll', N_("the lecture's exercise: softmax, then the negative log-likelihood"),
       'softmax')
def softmax_nll(V, seen):
    needs(V, 'exp', 'log', '__truediv__', '__neg__', '__radd__', 'backward')
    if not usable_backward(seen):
        raise Skip(N_("not checked: it needs backward() through + and * (✗ backward above)"))
    expr = ("logits = [Value(0.0), Value(3.0), Value(-2.0), Value(1.0)]; "
            "counts = [l.exp() for l in logits]; probs = [c / sum(counts) for c in counts]; "
            "loss = -probs[3].log(); loss.backward()")
    numbers = (0.0, 3.0, -2.0, 1.0)
    logits = [V(x) for x in numbers]
    loss = attempt(expr, lambda: _nll(logits, 3))
    total = sum(math.exp(x) for x in numbers)
    expect(expr, "loss.data", data(expr, loss), math.log(total) - numbers[3],
           N_("the forward pass is wrong: check exp, log, / and sum() (which starts from 0, "
              "so 0 + Value needs __radd__)."))
    attempt(expr, loss.backward)
    for i, x in enumerate(numbers):       # ∂loss/∂logit_i = softmax_i − [i = target]
        expect(expr, f"logits[{i}].grad", grad(logits[i], f"logits[{i}].grad"),
               math.exp(x) / total - (i == 3),
               N_("∂loss/∂logitᵢ = pᵢ − 1 for the target and pᵢ for the others: a derivative "
                  "in exp, log, / or - is wrong, or a gradient is overwritten (`=`)."), tol=1e-5)


def _nll(logits, target):
    counts = [logit.exp() for logit in logits]
    total = sum(counts)
    return -(counts[target] / total).log()


class _Ops:
    """The unary ops, as methods of their Values, or as math on floats (the reference)."""

    def __init__(self, on_values):
        self.on_values = on_values

    def __getattr__(self, op):
        if self.on_values:
            return lambda v: getattr(v, op)()
        return {'tanh': math.tanh, 'exp': math.exp, 'relu': lambda t: max(t, 0.0)}[op]


RANDOM = (  # (expression, what it needs of the class, the function of (x, y, z, ops))
    ("(x*y + z).tanh()", ('tanh',), lambda x, y, z, f: f.tanh(x * y + z)),
    ("(x - y) * (x + z) / (y*y + 1.0)", ('__sub__', '__truediv__', '__pow__'),
     lambda x, y, z, f: (x - y) * (x + z) / (y * y + 1.0)),
    ("(x*z).exp() + y**2", ('exp', '__pow__'), lambda x, y, z, f: f.exp(x * z) + y ** 2),
    ("(x + y).relu() * z - x", ('relu', '__sub__'), lambda x, y, z, f: f.relu(x + y) * z - x),
)


@check('random', N_("random inputs: backward() against central differences (and PyTorch, if "
                    "installed)"), 'random')
def random_inputs(V, seen):
    needs(V, 'backward')
    if not usable_backward(seen):
        raise Skip(N_("not checked: it needs backward() through + and * (✗ backward above)"))
    cases = [(text, f) for text, ops, f in RANDOM if all(has(V, op) for op in ops)]
    if not cases:
        raise NotYet(N_("the class has no {names} yet", names='tanh, exp, relu, -, /'))
    values, floats = _Ops(True), _Ops(False)
    for text, f in cases:
        for point, reference in _random_points()[text]:
            expr = "x, y, z = {}; o = {}; o.backward()".format(
                ', '.join(f"Value({p})" for p in point), text)
            leaves = [V(p) for p in point]
            o = attempt(expr, lambda: f(*leaves, values))
            expect(expr, "o.data", data(expr, o), f(*point, floats),
                   N_("the forward value is wrong (compared with the same expression on floats)."))
            attempt(expr, o.backward)
            for i, name in enumerate('xyz'):
                def forward(t):
                    return data(expr, f(*[V(t if j == i else p) for j, p in enumerate(point)],
                                        values))
                slope = reference[i] if reference else fd(forward, point[i])
                expect(expr, f"{name}.grad", grad(leaves[i], f"{name}.grad"), slope,
                       N_("backward() disagrees with {reference} at these inputs: a local "
                          "derivative in {expression} is wrong.", expression=text,
                          reference=N_("PyTorch") if reference else
                          N_("the slope of your own forward (central differences)")), tol=1e-4)


def _random_points():
    """{expression: [(x, y, z), PyTorch's gradients there or None]}: three points each, from
    a fixed seed; made before the check's clock starts (importing PyTorch takes a while)."""
    if not _POINTS:
        import random
        rng = random.Random(20)
        for text, _ops, f in RANDOM:
            points = [[round(rng.uniform(-2.0, 2.0), 3) for _ in range(3)] for _ in range(3)]
            _POINTS[text] = [(p, _torch_grads(f, p)) for p in points]
    return _POINTS


_POINTS = {}
random_inputs.prepare = _random_points


def _torch_grads(f, point):
    """The gradients PyTorch gives the same expression at `point`, or None without PyTorch."""
    try:
        import torch
    except ImportError:
        return None
    leaves = [torch.tensor(p, dtype=torch.float64, requires_grad=True) for p in point]
    ops = type('TorchOps', (), {'tanh': staticmethod(torch.tanh), 'exp': staticmethod(torch.exp),
                                'relu': staticmethod(torch.relu)})
    f(*leaves, ops).backward()
    return [float(t.grad) for t in leaves]


@check('second_backward', N_("what a second backward() does"), 'zero_grad')
def second_backward(V, seen):
    needs(V, 'backward')
    if seen.get('inert'):
        raise Skip(INERT)
    x, y, z = V(2.0), V(-3.0), V(4.0)
    o = x * y + z
    o.backward()
    first = grad(x, "x.grad")
    o.backward()
    second = grad(x, "x.grad")
    if close(second, first):
        verdict = N_("A second backward() leaves the gradients as they were: yours resets or "
                     "overwrites them. (The lecture's adds up; training then calls zero_grad.)")
    elif close(second, 2 * first):
        verdict = N_("Gradients add up across backward() calls, as in the lecture (and PyTorch): "
                     "set every p.grad = 0 (zero_grad) before each backward().")
    else:
        verdict = N_("Gradients add up across backward() calls, as in the lecture (and PyTorch): "
                     "set every p.grad = 0 (zero_grad) before each backward(). Interior nodes "
                     "keep their old .grad and pass it on again, hence {ratio}× rather than 2×.",
                     ratio=f"{second / first:.3g}")
    return N_("o = x*y + z: after one o.backward() x.grad = {first}; after a second, {second}. "
              "{verdict}", first=f"{first:g}", second=f"{second:g}", verdict=verdict)
