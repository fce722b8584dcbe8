"""Optimisers: move every parameter a little against its gradient, then clear the gradients.

One training step, as in the lectures:

    loss = mean([cost(model(x), y) for x, y in batch])   # the gradient averaged over the batch
    opt.zero_grad(); loss.backward(); opt.step()
"""
import math
import random

__all__ = ['SGD', 'Adam', 'minibatches']


class Optimizer:
    """Holds the parameters (a list of Values); each subclass's `step()` says how it moves them."""

    def __init__(self, params, lr):
        self.params = list(params)
        if not self.params:
            raise ValueError(f"{type(self).__name__}: no parameters to optimise")
        if not lr > 0:
            raise ValueError(f"{type(self).__name__}: the learning rate must be positive, not {lr!r}")
        self.lr = lr

    def zero_grad(self):
        for p in self.params:
            p.grad = 0.0


class SGD(Optimizer):
    """v ← μ·v − η·∂C/∂w;   w ← w + v      (μ = momentum; μ = 0 is plain w ← w − η·∂C/∂w)

    Nielsen's momentum form (chapter 3); averaging over a mini-batch is the loss's job (`mean`).
    """

    def __init__(self, params, lr=0.1, momentum=0.0):
        super().__init__(params, lr)
        if not 0 <= momentum < 1:
            raise ValueError(f"SGD: momentum must be in [0, 1), not {momentum!r}")
        self.momentum = momentum
        self.velocity = [0.0] * len(self.params)

    def step(self):
        for i, p in enumerate(self.params):
            self.velocity[i] = self.momentum * self.velocity[i] - self.lr * p.grad
            p.data += self.velocity[i]


class Adam(Optimizer):
    """m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  w ← w − η·m̂/(√v̂ + ε),  m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ)"""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        super().__init__(params, lr)
        if not all(0 <= beta < 1 for beta in betas):
            raise ValueError(f"Adam: both betas must be in [0, 1), not {betas!r}")
        self.beta1, self.beta2 = betas
        self.eps = eps
        self.t = 0
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)

    def step(self):
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        for i, p in enumerate(self.params):
            g = p.grad
            self.m[i] = b1 * self.m[i] + (1 - b1) * g
            self.v[i] = b2 * self.v[i] + (1 - b2) * g * g
            m_hat = self.m[i] / (1 - b1 ** self.t)      # early steps: undo the bias towards 0
            v_hat = self.v[i] / (1 - b2 ** self.t)
            p.data -= self.lr * m_hat / (math.sqrt(v_hat) + self.eps)


def minibatches(examples, batch_size, rng=None):
    """Shuffle a copy of the examples, then split it into batches of batch_size (the last may be
    smaller); `rng` is a seed or a `random.Random` (default: the global `random`)."""
    if not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"minibatches: batch_size must be a positive integer, not {batch_size!r}")
    examples = list(examples)
    if isinstance(rng, int) and not isinstance(rng, bool):
        rng = random.Random(rng)
    (rng or random).shuffle(examples)
    return [examples[i:i + batch_size] for i in range(0, len(examples), batch_size)]
