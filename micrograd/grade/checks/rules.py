"""The backward rules (part 2 and 3): backward() through + and *, the local derivatives of tanh, exp
and relu against finite differences of the learner's own forward, and the lecture's neuron.
"""
import math

from ..runner import N_
from .base import (Fail, NotYet, attempt, backward, check, children, close, data, expect, fd, grad,
                   needs, usable_backward)


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
