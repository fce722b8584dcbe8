"""-, / and ** (the lecture's part 4, built from + and *), with a plain number on either side:
x - y, x - 2, -x, x / y, x / 4, x ** 3, x ** -1, 2 - x and 1 / x.
"""
from ..runner import N_, has
from .base import WRAP, NotYet, attempt, backward, check, close, data, expect, grad, needs


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
