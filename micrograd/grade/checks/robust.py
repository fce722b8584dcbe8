"""Limits of Python an engine meets: tanh(±1000) without overflow, and a chain 10,000 deep without
RecursionError (a recursive build_topo).
"""
import math

from ..runner import N_, chain
from .base import INERT, RAISED, RECURSIVE, Skip, attempt, check, data, expect, grad, needs


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
