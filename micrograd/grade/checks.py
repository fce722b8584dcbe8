"""The checks of micrograd.grade, in the lecture's order: each builds the smallest expression that
shows one idea, with the learner's class V, and returns (a note) or raises Fail / NotYet.

This file runs in the grading subprocess, beside the learner's code: it imports nothing but math.
So every text it gives is English, marked with N_ for the catalog: a sentence as it is, one with
values as [sentence, {field: text}]; the parent process translates them (grade.report.translated).
"""
import math


def N_(message, **fields):
    """Mark an English sentence for the catalog (micrograd/locale); with fields, the sentence and
    its fields as [message, fields] (JSON-ready), which the parent fills in, translated."""
    return [message, fields] if fields else message


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
}
WRAP = N_("an operator reads other.data, but a plain number has no .data: wrap it first, "
          "other = other if isinstance(other, Value) else Value(other).")
OVERWRITE = N_("`self.grad = …` overwrites the contribution of the other path: use `+=`.")
RECURSIVE = N_("build_topo calls itself once per node, and Python stops at about 1,000 nested "
               "calls: build the order with a loop and an explicit stack.")
RAISED = N_("your code raised an exception here (its traceback is below).")


class Fail(Exception):
    """The check showed a mistake: the expression, what was expected, what came out, and why."""

    def __init__(self, expr, expected, got, cause, error=None):
        super().__init__(expr)
        self.expr, self.expected, self.got, self.cause, self.error = expr, expected, got, cause, error


class NotYet(Exception):
    """The engine does not attempt this yet (no tanh, a blank that raises NotImplementedError)."""


CHECKS = []                  # (name, title, read, function), in the lecture's order


def check(name, title, read):
    def register(f):
        CHECKS.append((name, title, READ[read], f))
        return f
    return register


# --- helpers: run the learner's code, compare numbers -------------------------------------------

def needs(V, *names):
    missing = [n for n in names if not callable(getattr(V, n, None))]
    if missing:
        raise NotYet(N_("the class has no {names} yet", names=', '.join(missing)))


def attempt(expr, f, cause=RAISED):
    """f(), or Fail naming expr (or NotYet for a blank that raises NotImplementedError)."""
    try:
        return f()
    except NotImplementedError as e:
        raise NotYet(N_("{expr} raises NotImplementedError{detail}", expr=expr,
                        detail=': ' + str(e) if str(e) else '')) from None
    except Exception as e:
        why = cause(e) if callable(cause) else cause
        raise Fail(expr, '', f"{type(e).__name__}: {e}", why, error=e) from None


def number(x, what):
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        try:
            x = float(x)                 # numpy scalars; anything else is shown as it is
        except Exception:
            raise Fail(what, N_("a number"), f"{show(x)} ({type(x).__name__})",
                       N_("{what} should be a plain number, not a {type}.", what=what,
                          type=type(x).__name__)) from None
    return float(x)


def show(x):
    try:
        return repr(x)[:80]
    except Exception as e:
        return f"<repr failed: {type(e).__name__}>"


def close(got, expected, tol=1e-6):
    return abs(got - expected) <= tol * (1 + abs(expected))


def expect(expr, what, got, expected, cause, tol=1e-6):
    got = number(got, what)
    if not close(got, expected, tol):
        raise Fail(expr, f"{what} = {expected:.10g}", f"{got:.10g}",
                   cause(got) if callable(cause) else cause)


def data(expr, v):
    if not hasattr(v, 'data'):
        raise Fail(expr, N_("a Value"), f"{show(v)} ({type(v).__name__})",
                   N_("the operator should return a new Value: return out."))
    return v.data


def backward(expr, root):
    attempt(f"{expr}; backward()", root.backward)


def fd(f, x, h=1e-6):
    """(f(x+h) − f(x−h)) / 2h: the slope of the learner's own forward."""
    return (f(x + h) - f(x - h)) / (2 * h)


# --- the checks ----------------------------------------------------------------------------------

@check('forward', N_("forward values of + and *"), 'forward')
def forward(V):
    needs(V, '__add__', '__mul__')
    for expr, f, want in (("Value(2.0) + Value(-3.0)", lambda a, b: a + b, -1.0),
                          ("Value(2.0) * Value(-3.0)", lambda a, b: a * b, -6.0)):
        a, b = attempt("Value(2.0)", lambda: V(2.0)), V(-3.0)
        out = attempt(expr, lambda: f(a, b))
        expect(expr, "data", data(expr, out), want, N_("the forward value is wrong: + adds the "
               "two .data, * multiplies them, and the result is a new Value(…)."))
        prev = list(getattr(out, '_prev', ()))
        if not (any(p is a for p in prev) and any(p is b for p in prev)):
            raise Fail(expr, N_("_prev to hold both operands"), show(getattr(out, '_prev', None)),
                       N_("pass the operands as children, Value(…, (self, other), op), so that "
                          "backward() can find them."))
        expect(expr, "grad", getattr(out, 'grad', None), 0.0,
               N_("a new Value starts with grad = 0.0."))


@check('reflected', N_("reflected operators with plain numbers (x + 1, 2 * x)"), 'reflected')
def reflected(V):
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


def _local(V, op, x, want, slips, cause):
    """op's forward at x against math, and its _backward against finite differences of it."""
    needs(V, op)
    expr = f"Value({x}).{op}()"
    v = attempt(f"Value({x})", lambda: V(x))
    out = attempt(expr, lambda: getattr(v, op)())
    expect(expr, "data", data(expr, out), want(x), N_("the forward value of {op} is wrong.", op=op))
    slope = fd(lambda t: float(getattr(V(t), op)().data), x)
    out.grad = 2.0                      # not 1, so that a missing "* out.grad" shows
    attempt(f"o = {expr}; o.grad = 2.0; o._backward()", out._backward)
    expr = f"o = {expr}; o.grad = 2.0; o._backward()"

    def why(got):
        for value, text in slips(x, out.data):
            if close(got, 2.0 * value, 1e-4):
                return text
        if close(got, slope, 1e-4):
            return N_("the local derivative is right, but _backward must multiply it by "
                      "out.grad.")
        return cause
    expect(expr, "x.grad", v.grad, 2.0 * slope, why, tol=1e-4)


@check('tanh', N_("tanh: forward, and its local derivative against finite differences"),
       'local')
def tanh(V):
    _local(V, 'tanh', 0.5, math.tanh,
           lambda x, o: ((1 - x * x, N_("1 − x² uses the input: ∂tanh(x)/∂x = 1 − tanh²(x) = "
                                        "1 − o², with the output o = out.data.")),
                         (1 - o, N_("square the output: 1 − o², not 1 − o."))),
           N_("∂tanh(x)/∂x = 1 − tanh²(x): self.grad += (1 - t**2) * out.grad."))


@check('exp', N_("exp: forward, and its local derivative against finite differences"), 'local')
def exp(V):
    _local(V, 'exp', 0.5, math.exp,
           lambda x, o: ((x * o, N_("that is x·eˣ (a power rule): eˣ is its own derivative.")),),
           N_("∂eˣ/∂x = eˣ = out.data: self.grad += out.data * out.grad."))


@check('relu', N_("relu: forward, and its local derivative against finite differences"),
       'local')
def relu(V):
    for x in (-1.5, 2.0):
        _local(V, 'relu', x, lambda t: max(t, 0.0), lambda x, o: (),
               N_("∂relu(x)/∂x is 1 where x > 0 and 0 elsewhere: "
                  "self.grad += (out.data > 0) * out.grad."))


@check('neuron', N_("the lecture's neuron: o = tanh(x1·w1 + x2·w2 + b)"), 'neuron')
def neuron(V):
    needs(V, 'tanh', 'backward')
    x1, x2, w1, w2, b = V(2.0), V(0.0), V(-3.0), V(1.0), V(6.8813735870195432)
    expr = "x1, x2, w1, w2, b = 2, 0, -3, 1, 6.8813735870195432;  o = (x1*w1 + x2*w2 + b).tanh()"
    o = attempt(expr, lambda: (x1 * w1 + x2 * w2 + b).tanh())
    expect(expr, "o.data", data(expr, o), math.sqrt(0.5), N_("the forward pass is wrong."))
    backward(expr, o)
    expr += "; o.backward()"
    expect(expr, "o.grad", o.grad, 1.0,
           N_("backward() must start with self.grad = 1.0 (∂o/∂o = 1)."))
    want = {'x1': -1.5, 'w1': 1.0, 'x2': 0.5, 'w2': 0.0, 'b': 0.5}
    got = {k: number(v.grad, f"{k}.grad") for k, v in zip(('x1', 'w1', 'x2', 'w2', 'b'),
                                                          (x1, w1, x2, w2, b))}
    wrong = [k for k in want if not close(got[k], want[k])]
    if wrong:
        cause = (N_("no gradient reached the leaves: backward() must call every node's "
                    "_backward, from the root down.") if all(g == 0 for g in got.values()) else
                 N_("a local derivative in +, * or tanh is wrong: ∂(a·b)/∂a = b, ∂(a+b)/∂a = 1, "
                    "∂tanh(n)/∂n = 1 − o²."))
        raise Fail(expr, ", ".join(f"{k}.grad = {want[k]:g}" for k in wrong),
                   ", ".join(f"{k}.grad = {got[k]:.10g}" for k in wrong), cause)


@check('used_twice', N_("a value used twice (a + a, x * x)"), 'paths')
def used_twice(V):
    needs(V, 'backward')
    a = V(3.0)
    b = attempt("a = Value(3.0); b = a + a", lambda: a + a)
    backward("a = Value(3.0); b = a + a", b)
    x = V(3.0)
    y = attempt("x = Value(3.0); y = x * x", lambda: x * x)
    backward("x = Value(3.0); y = x * x", y)
    square_ok = close(number(x.grad, "x.grad"), 6.0)
    if not close(number(a.grad, "a.grad"), 2.0):
        if not square_ok:
            cause = OVERWRITE
        elif len(list(b._prev)) < 2:
            cause = N_("b = a + a has _prev = {prev}, with a only once: _prev is a set, so one "
                       "of the two paths is lost — keep the children as a tuple.",
                       prev=show(b._prev))
        else:
            cause = N_("both uses of a add 1 to a.grad: ∂(a + a)/∂a = 2.")
        raise Fail("a = Value(3.0); b = a + a; b.backward()", "a.grad = 2", f"{a.grad:.10g}", cause)
    expect("x = Value(3.0); y = x * x; y.backward()", "x.grad", x.grad, 6.0,
           lambda got: OVERWRITE if close(got, 3.0) else N_("∂(x·x)/∂x = x + x = 2x."))


@check('diamond', N_("a diamond: a reaches d along two paths"), 'paths')
def diamond(V):
    needs(V, 'backward')
    expr = "a = Value(3.0); d = (a * Value(2.0)) * (a + Value(1.0)); d.backward()"
    a = V(3.0)
    d = attempt(expr, lambda: (a * V(2.0)) * (a + V(1.0)))
    backward(expr, d)
    expect(expr, "a.grad", a.grad, 14.0,
           lambda got: N_("a.grad holds one path only (8 through 2a, 6 through a + 1): "
                          "{overwrite}", overwrite=OVERWRITE)
           if close(got, 8.0) or close(got, 6.0)
           else N_("a's gradient is the sum over both paths: 2·(a + 1) + 2a = 14."))


@check('topological_order', N_("topological order: each _backward after all of its consumers'"),
       'topo')
def topological_order(V):
    needs(V, 'backward')
    for flip in (False, True):
        expr = ("x = Value(2.0); a = x * Value(3.0); b = a * Value(2.0); c = b + Value(1.0); "
                f"d = {'a * c' if flip else 'c * a'}")
        x = V(2.0)
        a = attempt(expr, lambda: x * V(3.0))
        b = a * V(2.0)
        c = b + V(1.0)
        d = a * c if flip else c * a
        calls, nodes = [], (('d', d), ('c', c), ('b', b), ('a', a))
        spied = all('_backward' in getattr(node, '__dict__', {}) for _, node in nodes)
        for name, node in nodes if spied else ():    # the lecture's closures: watch them run
            node._backward = _spy(node._backward, name, calls)
        backward(expr, d)
        expr += "; d.backward()"
        if spied:
            _in_order(expr, calls, {'a': 'bd', 'b': 'c', 'c': 'd'})
        expect(expr, "x.grad", x.grad, 75.0, N_("the order is right, but x.grad is not: a is "
               "used by b and by d, so its gradient is the sum of both paths — {overwrite}",
                                                 overwrite=OVERWRITE) if spied
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


def _spy(backward, name, calls):
    def spy():
        calls.append(name)
        backward()
    return spy


def _binary(V, op, cases):
    needs(V, op, 'backward')
    for expr, f, want, grads, cause in cases:
        x, y = V(6.0), V(3.0)
        out = attempt(expr, lambda: f(x, y))
        expect(expr, "data", data(expr, out), want, cause)
        if grads:
            backward(expr, out)
            for (name, leaf), (g, why) in zip((('x', x), ('y', y)), grads):
                expect(expr + "; backward()", f"{name}.grad", leaf.grad, g, why)


@check('subtraction', N_("x - y and x - 2"), 'ops')
def subtraction(V):
    sign = N_("x − y came out as y − x: __sub__ should return self + (-other).")
    _binary(V, '__sub__', (
        ("x, y = Value(6.0), Value(3.0); x - y", lambda x, y: x - y, 3.0,
         ((1.0, N_("∂(x − y)/∂x = 1.")),
          (-1.0, N_("∂(x − y)/∂y = −1: the minus sign is lost in backward."))),
         sign),
        ("Value(6.0) - 2", lambda x, y: x - 2, 4.0, (), WRAP)))


@check('division', N_("x / y and x / 4"), 'ops')
def division(V):
    _binary(V, '__truediv__', (
        ("x, y = Value(6.0), Value(3.0); x / y", lambda x, y: x / y, 2.0,
         ((1 / 3, N_("∂(x/y)/∂x = 1/y.")), (-2 / 3, N_("∂(x/y)/∂y = −x/y²: x / y is x * y**-1."))),
         N_("x / y should be x * y**-1.")),
        ("Value(6.0) / 4", lambda x, y: x / 4, 1.5, (), WRAP)))


@check('power', N_("x ** 3 and x ** -1 (a number exponent)"), 'ops')
def power(V):
    def rule(got):
        if close(got, 3 * 6.0 ** 3) or close(got, -1 * 6.0 ** -1):
            return N_("power rule: n·xⁿ⁻¹ — the exponent drops by one.")
        return N_("∂(xⁿ)/∂x = n·xⁿ⁻¹: self.grad += other * self.data**(other - 1) * out.grad.")

    _binary(V, '__pow__', (
        ("x = Value(6.0); x ** 3", lambda x, y: x ** 3, 216.0, ((108.0, rule),),
         N_("x ** n is x.data ** n.")),
        ("x = Value(6.0); x ** -1", lambda x, y: x ** -1, 1 / 6, ((-1 / 36, rule),),
         N_("x ** n is x.data ** n."))))


@check('tanh_overflow', N_("tanh(±1000) without overflow"), 'stable')
def tanh_overflow(V):
    needs(V, 'tanh')
    overflow = N_("({e} − 1)/({e} + 1) overflows past x ≈ 355 ({e} > 1.8·10³⁰⁸): use "
                  "math.tanh(x), or write it with {small}.", e='e^{2x}', small='e^{−2|x|}')
    for x, want in ((1000.0, 1.0), (-1000.0, -1.0)):
        expr = f"Value({x}).tanh()"
        out = attempt(expr, lambda: V(x).tanh(),
                      lambda e: overflow if isinstance(e, OverflowError) else RAISED)
        expect(expr, "data", data(expr, out), want,
               lambda got: overflow if math.isnan(got) else
               N_("tanh tends to ±1 for large |x|."))


@check('deep_chain', N_("a chain 10,000 deep without RecursionError"), 'topo')
def deep_chain(V):
    needs(V, 'backward')
    expr = N_("x = Value(1.0); y = x; 10,000 times: y = y + Value(1.0); y.backward()")
    x = V(1.0)
    y = x
    for _ in range(10000):
        y = y + V(1.0)
    attempt(expr, y.backward, lambda e: RECURSIVE if isinstance(e, RecursionError) else RAISED)
    expect(expr, "x.grad", x.grad, 1.0, N_("every + passes its gradient on unchanged: x.grad = 1."))


@check('second_backward', N_("what a second backward() does"), 'zero_grad')
def second_backward(V):
    needs(V, 'backward')
    x, y, z = V(2.0), V(-3.0), V(4.0)
    o = x * y + z
    o.backward()
    first = number(x.grad, "x.grad")
    o.backward()
    second = number(x.grad, "x.grad")
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
