"""Many paths add up (the multi-path sum) and the order of backward: a value used twice, a diamond,
and each _backward run once, after all of its consumers' (a topological order).
"""
from ..runner import N_, calls, own, spy
from .base import (OVERWRITE, Fail, attempt, backward, check, children, close, expect, grad, needs,
                   show)


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
