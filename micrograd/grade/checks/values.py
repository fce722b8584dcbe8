"""The forward values (the lecture's part 1): + and * make a new Value with the right .data that
keeps its operands as children, and a plain number works on either side (x + 1, 2 * x).
"""
from ..runner import N_, containers
from .base import WRAP, Fail, attempt, check, children, data, expect, grad, needs


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
