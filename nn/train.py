"""Training: shuffle, split into mini-batches, one gradient step per mini-batch (REFERENCE §1).

    C = (1/m) Σₓ Cₓ  (+ α Σ w²)           averaged over the m examples of the batch
    opt.zero_grad();  C.backward();  opt.step()          w ← w − η ∂C/∂w

`fit` is that loop for any model and loss.  `train_moons` and `train_digits` are the two recipes
of `python -m micrograd train moons|digits`: micrograd's moons demo, and a Nielsen-style sigmoid
network on the 8×8 digits.
"""
import random
from dataclasses import dataclass

from . import data
from .losses import cross_entropy, hinge_loss, mean, quadratic_cost
from .module import MLP
from .optim import SGD, minibatches

__all__ = ['fit', 'predict', 'accuracy', 'Result', 'train_moons', 'train_digits',
           'MOONS', 'DIGITS', 'LOSSES']

# The recipes' defaults.  MOONS is micrograd's demo.ipynb: MLP(2, [16, 16, 1]), hinge loss + 1e-4
# L2, 100 full-batch steps with η = 1.0 − 0.9·k/100, on 100 points with noise 0.1.
MOONS = dict(hidden=(16, 16), act='relu', loss='hinge', epochs=100, batch_size=None, lr=1.0,
             l2=1e-4, seed=1337, n=100, noise=0.1)
# DIGITS is Nielsen's chapter-1 network scaled to 8×8 images: 64-30-10, sigmoid, batch 10.
DIGITS = dict(hidden=(30,), act='sigmoid', loss='cross-entropy', epochs=30, batch_size=10, lr=0.5,
              l2=0.0, seed=1, train_size=None)
LOSSES = ('hinge', 'quadratic', 'cross-entropy')


def fit(model, examples, loss, optimizer, epochs=1, batch_size=None, rng=None, schedule=None,
        on_step=None):
    """For each epoch, for each mini-batch: C = loss(model, batch); zero_grad; C.backward(); step.

    `examples` are (x, y) pairs; batch_size=None is one full batch (not shuffled);
    `schedule(k, steps)` sets the learning rate of step k; `on_step(k, steps, C)` after each step.
    Returns the loss of every step.
    """
    examples = list(examples)
    full = batch_size is None or batch_size >= len(examples)
    per_epoch = 1 if full else -(-len(examples) // batch_size)
    steps = epochs * per_epoch
    rng = rng if isinstance(rng, random.Random) else random.Random(rng)
    losses = []
    for _ in range(epochs):
        batches = [examples] if full else minibatches(examples, batch_size, rng)
        for batch in batches:
            if schedule is not None:
                optimizer.lr = schedule(len(losses), steps)
            C = loss(model, batch)
            optimizer.zero_grad()
            C.backward()
            optimizer.step()
            losses.append(C.data)
            if on_step is not None:
                on_step(len(losses), steps, C.data)
    return losses


def predict(out):
    """The class a network's output says: the sign (±1) of one score, else the argmax."""
    if isinstance(out, (list, tuple)):
        return max(range(len(out)), key=lambda j: out[j].data)
    return 1 if out.data > 0 else -1


def accuracy(model, X, y):
    """The fraction of examples whose predicted class is y (a 0 label counts as −1 for one score)."""
    if not X:
        return float('nan')
    hits = 0
    for x, label in zip(X, y):
        guess = predict(model(x))
        hits += guess == label or (guess == -1 and label == 0)
    return hits / len(X)


@dataclass
class Result:
    """What a recipe trained, and how well: the loss of every step and the two accuracies."""
    model: MLP
    losses: list
    steps_per_epoch: int
    train_accuracy: float
    test_accuracy: float
    n_train: int
    n_test: int
    settings: dict


def batch_loss(name, l2=0.0, classes=None):
    """loss(model, batch) -> C: the mean of the per-example cost over the batch, + l2 · Σ w².

    'hinge': max(0, 1 − y·score), y = ±1;  'quadratic': ½Σ(a − y)², y one-hot (or a ±1 score);
    'cross-entropy': −ln softmax(s)_y.
    """
    if name not in LOSSES:
        raise ValueError(f"unknown loss {name!r}: choose one of {', '.join(LOSSES)}")

    def loss(model, batch):
        outs = [model(x) for x, _ in batch]
        ys = [y for _, y in batch]
        if name == 'hinge':
            C = hinge_loss(outs, ys)
        elif name == 'cross-entropy':
            C = mean([cross_entropy(s, y) for s, y in zip(outs, ys)])
        elif classes:
            C = mean([quadratic_cost(a, data.one_hot(y, classes)) for a, y in zip(outs, ys)])
        else:
            C = mean([quadratic_cost(a, y) for a, y in zip(outs, ys)])
        if l2:
            C = C + l2 * sum(p * p for p in model.parameters())
        return C
    return loss


def train_moons(hidden=MOONS['hidden'], act=MOONS['act'], loss=MOONS['loss'],
                epochs=MOONS['epochs'], batch_size=MOONS['batch_size'], lr=MOONS['lr'],
                l2=MOONS['l2'], seed=MOONS['seed'], n=MOONS['n'], noise=MOONS['noise'],
                on_step=None):
    """micrograd's demo: one score per point, sign = class; η decays linearly from lr to lr/10.

    Held out: n fresh points from the same two moons (seed + 1), as the moons are unlimited.
    """
    if loss == 'cross-entropy':
        raise ValueError("the moons have one output score: use the hinge or quadratic loss")
    X, y = data.moons(n, noise, seed=seed)
    X_test, y_test = data.moons(n, noise, seed=seed + 1)
    rng = random.Random(seed)
    model = MLP(2, list(hidden) + [1], act=act, rng=rng)
    losses = fit(model, list(zip(X, y)), batch_loss(loss, l2), SGD(model.parameters(), lr=lr),
                 epochs, batch_size, rng, schedule=lambda k, steps: lr * (1.0 - 0.9 * k / steps),
                 on_step=on_step)
    settings = dict(hidden=tuple(hidden), act=act, loss=loss, epochs=epochs,
                    batch_size=batch_size, lr=lr, l2=l2, seed=seed, n=n, noise=noise)
    return Result(model, losses, 1 if batch_size is None else -(-n // batch_size),
                  accuracy(model, X, y), accuracy(model, X_test, y_test), len(X), len(X_test),
                  settings)


def train_digits(hidden=DIGITS['hidden'], act=DIGITS['act'], loss=DIGITS['loss'],
                 epochs=DIGITS['epochs'], batch_size=DIGITS['batch_size'], lr=DIGITS['lr'],
                 l2=DIGITS['l2'], seed=DIGITS['seed'], train_size=DIGITS['train_size'],
                 on_step=None):
    """64 pixels → hidden → 10 outputs, plain mini-batch SGD; tested on a held-out quarter.

    'cross-entropy' reads the 10 outputs as logits; 'quadratic' puts σ on them (Nielsen ch. 1).
    `train_size` trains on only the first examples of the training split (quick experiments).
    """
    if loss == 'hinge':
        raise ValueError("the digits have 10 classes: use the cross-entropy or quadratic loss")
    X, y = data.digits()
    (X_train, y_train), (X_test, y_test) = data.split(X, y, held_out=0.25, seed=seed)
    if train_size is not None:
        X_train, y_train = X_train[:train_size], y_train[:train_size]
    rng = random.Random(seed)
    out_act = 'sigmoid' if loss == 'quadratic' else 'linear'
    model = MLP(64, list(hidden) + [10], act=act, out_act=out_act, rng=rng)
    losses = fit(model, list(zip(X_train, y_train)), batch_loss(loss, l2, classes=10),
                 SGD(model.parameters(), lr=lr), epochs, batch_size, rng, on_step=on_step)
    settings = dict(hidden=tuple(hidden), act=act, loss=loss, epochs=epochs,
                    batch_size=batch_size, lr=lr, l2=l2, seed=seed, train_size=train_size)
    per_epoch = 1 if batch_size is None else -(-len(X_train) // batch_size)
    return Result(model, losses, per_epoch, accuracy(model, X_train, y_train),
                  accuracy(model, X_test, y_test), len(X_train), len(X_test), settings)
