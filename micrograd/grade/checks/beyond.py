"""Beyond the lecture's code: its exercise (softmax, then the negative log-likelihood), random
inputs against central differences (and PyTorch, if installed), and what a second backward() does.
"""
import math

from ..runner import N_, has
from .base import (INERT, NotYet, Skip, attempt, check, close, data, expect, fd, grad,
                   needs, usable_backward)


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
