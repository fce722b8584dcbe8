"""Optimisers: move every parameter a little against its gradient, then clear the gradients.

One training step, as in the lectures:

    loss = mean([cost(model(x), y) for x, y in batch])   # the gradient averaged over the batch
    opt.zero_grad(); loss.backward(); opt.step()

A step moves every parameter or none: all the new values are computed and checked first, so a
NaN, an infinity or a division by zero is an error naming the parameter, with nothing moved.
"""
import math
import random

from micrograd.i18n import _, N_

from .checks import finite, is_number, size

__all__ = ['SGD', 'Adam', 'minibatches']


class Optimizer:
    """Holds the parameters (a list of Values); each subclass's `step()` says how it moves them."""

    def __init__(self, params, lr):
        self.params = list(params)
        if not self.params:
            raise ValueError(_("{optimizer}: no parameters to optimise",
                               optimizer=type(self).__name__))
        self.lr = lr

    @property
    def lr(self):
        return self._lr

    @lr.setter
    def lr(self, lr):                   # checked here, so a schedule's value is checked too
        if not (is_number(lr) and 0 < lr < math.inf):
            raise ValueError(_("{optimizer}: the learning rate must be a positive finite number, "
                               "not {value}", optimizer=type(self).__name__, value=repr(lr)))
        self._lr = lr

    def zero_grad(self):
        for p in self.params:
            p.grad = 0.0

    def _grads(self):
        """Every parameter's gradient, each checked to be a finite number."""
        for i, p in enumerate(self.params):
            if not math.isfinite(p.grad):
                raise self._failure(i, _("its gradient is {grad}, not a finite number",
                                         grad=repr(p.grad)))
        return [p.grad for p in self.params]

    def _commit(self, new_data, **state):
        """Check every new value, then set them all, with the optimiser's new state (by attribute
        name) — or, if interrupted halfway (Ctrl-C), put back all the old ones."""
        for name, values in (('data', new_data), *state.items()):
            for i, x in enumerate(values if isinstance(values, list) else ()):
                if not math.isfinite(x):
                    raise self._failure(i, _("its new {name} would be {value} (a smaller "
                                             "learning rate, or a smaller loss, may help)",
                                             name=name, value=repr(x)))
        old_data = [p.data for p in self.params]
        old_state = {name: getattr(self, name) for name in state}
        try:
            for p, x in zip(self.params, new_data):
                p.data = x
            for name, value in state.items():
                setattr(self, name, value)
        except BaseException:
            for p, x in zip(self.params, old_data):
                p.data = x
            for name, value in old_state.items():
                setattr(self, name, value)
            raise

    def _failure(self, i, what):
        p = self.params[i]
        name = f"'{p.label}'" if p.label else _("number {n} (unlabelled)", n=i + 1)
        return FloatingPointError(_(
            "{optimizer}.step: parameter {name}: {what} (data {data}, grad {grad}, lr {lr}); no "
            "parameter was changed", optimizer=type(self).__name__, name=name, what=what,
            data=repr(p.data), grad=repr(p.grad), lr=repr(self.lr)))


class SGD(Optimizer):
    """v ← μ·v − η·∂C/∂w;   w ← w + v      (μ = momentum; μ = 0 is plain w ← w − η·∂C/∂w)

    Nielsen's momentum form (chapter 3); averaging over a mini-batch is the loss's job (`mean`).
    """

    def __init__(self, params, lr=0.1, momentum=0.0):
        super().__init__(params, lr)
        if not (is_number(momentum) and 0 <= momentum < 1):
            raise ValueError(_("SGD: momentum must be a number in [0, 1), not {value}",
                               value=repr(momentum)))
        self.momentum = momentum
        self.velocity = [0.0] * len(self.params)

    def step(self):
        velocity = [self.momentum * v - self.lr * g for v, g in zip(self.velocity, self._grads())]
        self._commit([p.data + v for p, v in zip(self.params, velocity)], velocity=velocity)


class Adam(Optimizer):
    """m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  w ← w − η·m̂/(√v̂ + ε),  m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ)

    √v̂ is computed as √v/√(1−β₂ᵗ), which does not overflow; a gradient so large (past ~1e155)
    that v itself overflows is an error (v = inf would freeze the parameter from then on).
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        super().__init__(params, lr)
        betas = tuple(betas) if isinstance(betas, (tuple, list)) else (betas,)
        if not (len(betas) == 2 and all(is_number(b) and 0 <= b < 1 for b in betas)):
            raise ValueError(_("Adam: betas must be two numbers in [0, 1), like (0.9, 0.999), "
                               "not {value}", value=repr(betas)))
        finite(eps, N_("Adam: eps"), at_least=0)
        self.beta1, self.beta2 = betas
        self.eps = eps
        self.t = 0
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)

    def step(self):
        t, b1, b2 = self.t + 1, self.beta1, self.beta2
        g = self._grads()
        m = [b1 * mi + (1 - b1) * gi for mi, gi in zip(self.m, g)]
        v = [b2 * vi + (1 - b2) * gi * gi for vi, gi in zip(self.v, g)]
        new = []
        for i, p in enumerate(self.params):
            if v[i] == math.inf:
                raise self._failure(i, _("(1 − β₂)·g² overflows Adam's second moment v (a "
                                         "gradient of {g} means the loss has exploded), and "
                                         "v = inf would freeze it", g=f"{g[i]:.3g}"))
            m_hat = m[i] / (1 - b1 ** t)        # early steps: undo the bias towards 0
            root_v_hat = math.sqrt(v[i]) / math.sqrt(1 - b2 ** t)    # √ first: v/(1−β₂ᵗ) may overflow
            try:
                new.append(p.data - self.lr * m_hat / (root_v_hat + self.eps))
            except ZeroDivisionError:           # √v̂ = 0 only if every g² so far was 0 in floats
                raise self._failure(i, _("m̂/(√v̂ + ε) divides by 0: every gradient of it so far "
                                         "was 0 or too small to square (g² underflows to 0; this "
                                         "one is {g}) and eps = 0 (give eps > 0, e.g. 1e-8)",
                                         g=repr(g[i]))) from None
        self._commit(new, m=m, v=v, t=t)


def minibatches(examples, batch_size, rng=None):
    """Shuffle a copy of the examples, then split it into batches of batch_size (the last may be
    smaller); `rng` is a seed or a `random.Random` (default: the global `random`)."""
    batch_size = size(batch_size, N_("minibatches: batch_size"))
    examples = list(examples)
    if isinstance(rng, int) and not isinstance(rng, bool):
        rng = random.Random(rng)
    (rng or random).shuffle(examples)
    return [examples[i:i + batch_size] for i in range(0, len(examples), batch_size)]
