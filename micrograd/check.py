"""Check gradients against finite differences:  ∂f/∂xᵢ ≈ (f(x + ε·eᵢ) − f(x − ε·eᵢ)) / 2ε."""
from .engine import Value
from .i18n import _

__all__ = ['gradcheck', 'numerical_grad', 'GradcheckError']


class GradcheckError(AssertionError):
    """The engine's gradient and the finite-difference estimate disagree for some inputs."""


def _leaves(inputs):
    """Fresh leaf Values for the inputs (numbers or Values), keeping their labels."""
    leaves = []
    for i, x in enumerate(inputs):
        data, label = (x.data, x.label) if isinstance(x, Value) else (x, '')
        leaves.append(Value(data, label=label or f"x{i}"))
    return leaves


def _evaluate(f, xs):
    out = f(*[Value(x) for x in xs])
    return out.data if isinstance(out, Value) else float(out)


def numerical_grad(f, inputs, eps=1e-6):
    """Central differences of f (a function of Values returning a Value) at `inputs`."""
    xs = [x.data if isinstance(x, Value) else float(x) for x in inputs]
    grads = []
    for i in range(len(xs)):
        up, down = list(xs), list(xs)
        up[i] += eps
        down[i] -= eps
        grads.append((_evaluate(f, up) - _evaluate(f, down)) / (2 * eps))
    return grads


def gradcheck(f, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, lang=None):
    """True if backward's ∂f/∂xᵢ matches the central difference for every input, within
    |analytic − numeric| ≤ atol + rtol·|numeric|; otherwise raise GradcheckError naming each
    input that disagrees with both numbers (in `lang`).  `f` takes one Value per input and
    returns a Value.
    """
    leaves = _leaves(inputs)
    out = f(*leaves)
    if not isinstance(out, Value):
        raise TypeError(_("gradcheck: f must return a Value, not {type}", lang,
                          type=type(out).__name__))
    out.backward()
    numeric = numerical_grad(f, leaves, eps)
    wrong = [_("  {label} = {data}: analytic {analytic}, numeric {numeric}", lang, label=leaf.label,
               data=repr(leaf.data), analytic=repr(leaf.grad), numeric=repr(n))
             for leaf, n in zip(leaves, numeric) if not abs(leaf.grad - n) <= atol + rtol * abs(n)]
    if wrong:
        raise GradcheckError(_("gradcheck failed (analytic = backward, numeric = central "
                               "difference with eps={eps}):", lang, eps=eps) + "\n" + "\n".join(wrong))
    return True
