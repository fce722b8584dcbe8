"""Training: shuffle, split into mini-batches, one gradient step per mini-batch (docs/seeds.md §1).

    C = (1/m) Σₓ Cₓ  (+ α Σ w²)           averaged over the m examples of the batch
    opt.zero_grad();  C.backward();  opt.step()          w ← w − η ∂C/∂w

`fit` is that loop for any model and loss.  `train_moons` and `train_digits` are the two recipes
of `python -m micrograd train moons|digits`: micrograd's moons demo, and a Nielsen-style sigmoid
network on the 8×8 digits.

With `compiled=True` (the recipes' default) the loss of a batch is built once per batch size and
replayed (`micrograd.compile`): the same numbers to the last bit, without building a graph every
step.  Every loss here compiles: labels and targets enter the cost as numbers (one-hot vectors for
the classes), so the graph has the same shape for every batch of a size.
"""
import random
from dataclasses import dataclass

from micrograd import Value, compile as compile_graph

from . import data
from micrograd.i18n import _, N_

from .checks import size
from .losses import hinge_loss, mean, quadratic_cost, softmax_cross_entropy
from .module import MLP
from .optim import SGD, minibatches

__all__ = ['fit', 'compiled_step', 'predict', 'accuracy', 'Result', 'train_moons',
           'train_digits', 'MOONS', 'DIGITS', 'LOSSES']

# The recipes' defaults.  MOONS is micrograd's demo.ipynb: MLP(2, [16, 16, 1]), hinge loss + 1e-4
# L2, 100 full-batch steps with η = 1.0 − 0.9·k/100, on 100 points with noise 0.1.
MOONS = dict(hidden=(16, 16), act='relu', loss='hinge', epochs=100, batch_size=None, lr=1.0,
             l2=1e-4, seed=1337, n=100, noise=0.1)
# DIGITS is Nielsen's chapter-1 network scaled to 8×8 images: 64-30-10, sigmoid, batch 10, with the
# cross-entropy cost and η decaying from 2 to 0.2 (as the moons' schedule): ≥ 95 % in 10 epochs.
DIGITS = dict(hidden=(30,), act='sigmoid', loss='cross-entropy', epochs=10, batch_size=10, lr=2.0,
              l2=0.0, seed=1, train_size=None)
LOSSES = ('hinge', 'quadratic', 'cross-entropy')


def fit(model, examples, loss, optimizer, epochs=1, batch_size=None, rng=None, schedule=None,
        on_step=None, compiled=False):
    """For each epoch, for each mini-batch: zero_grad; C = loss(model, batch); C.backward(); step.

    `examples` are (x, y) pairs; batch_size=None is one full batch (not shuffled);
    `schedule(k, steps)` sets the learning rate of step k; `on_step(k, steps, C)` after each step;
    `compiled=True` replays the loss recorded once per batch size (see `compiled_step`): the same
    numbers, faster.  Returns the loss of every step.
    """
    examples = list(examples)
    if not examples:
        raise ValueError(_("fit: no examples to train on"))
    epochs = size(epochs, N_("fit: epochs"))
    if batch_size is not None:
        batch_size = size(batch_size, N_("fit: batch_size (None for one full batch)"))
    full = batch_size is None or batch_size >= len(examples)
    per_epoch = 1 if full else -(-len(examples) // batch_size)
    steps = epochs * per_epoch
    rng = rng if isinstance(rng, random.Random) else random.Random(rng)
    losses, replays = [], {}            # replays: one per batch size (the last may be smaller)
    for _epoch in range(epochs):
        batches = [examples] if full else minibatches(examples, batch_size, rng)
        for batch in batches:
            if schedule is not None:
                optimizer.lr = schedule(len(losses), steps)
            optimizer.zero_grad()
            if compiled:
                if len(batch) not in replays:
                    replays[len(batch)] = compiled_step(model, loss, batch)
                C = replays[len(batch)](batch)
            else:
                C = loss(model, batch)
                C.backward()
                C = C.data
            optimizer.step()
            losses.append(C)
            if on_step is not None:
                on_step(len(losses), steps, C)
    return losses


def compiled_step(model, loss, batch):
    """step(batch) → C: loss(model, batch) recorded once, replayed for batches of this shape,
    adding ∂C/∂p into each p.grad as C.backward() does; x and y may feed only its arithmetic."""
    xs = [_like(x, f"x[{i}]") for i, (x, _) in enumerate(batch, 1)]
    ys = [_like(y, f"y[{i}]") for i, (_, y) in enumerate(batch, 1)]
    inputs = _flat(xs) + _flat(ys)
    try:
        C = loss(model, list(zip(xs, ys)))
    except (TypeError, ValueError) as e:
        loss(model, batch)              # a mistake that is not about compiling raises as it is
        raise ValueError(_("compiled_step: cannot record the loss with the batch's numbers as "
                           "Values ({error}); a loss whose graph changes with the data cannot be "
                           "replayed: train without compiling", error=e)) from None
    replay = compile_graph(C, inputs, params=model.parameters())
    fed = set(inputs)
    for v in replay.unused:             # read in Python (say, as an index), not computed with
        if v in fed:
            raise ValueError(_("compiled_step: the loss does not compute with {label}; a number "
                               "used in Python (a label used as an index, say) changes the graph "
                               "with the data: train without compiling", label=v.label))

    def step(batch):
        r = replay(*_flat([x for x, _ in batch]), *_flat([y for _, y in batch]))
        r.add_to_grads()
        return r.value
    return step


def _like(x, label):
    """x (a number, or nested lists of numbers) as leaf Values labelled label[k]…"""
    if isinstance(x, (list, tuple)):
        return [_like(xk, f"{label}[{k}]") for k, xk in enumerate(x, 1)]
    return Value(x, label=label)


def _flat(x):
    return [v for xk in x for v in _flat(xk)] if isinstance(x, (list, tuple)) else [x]


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

    'hinge': max(0, 1 − y·score), y = ±1;  'quadratic': ½Σ(a − y)², y one-hot (a class, one-hot
    encoded if `classes`, or a ±1 score);  'cross-entropy': −ln softmax(s)_y = ln Σ e^s − Σ yᵢsᵢ,
    y a class or its one-hot vector (give the vector to compile it: the numbers feed the replay).
    """
    if name not in LOSSES:
        raise ValueError(_("unknown loss {name}: choose one of {choices}", name=repr(name),
                           choices=', '.join(LOSSES)))

    def loss(model, batch):
        outs = [model(x) for x, _ in batch]
        ys = [y for _, y in batch]
        if name == 'hinge':
            C = hinge_loss(outs, ys)
        elif name == 'cross-entropy':
            C = mean([softmax_cross_entropy(s, _one_hot(y, len(s))) for s, y in zip(outs, ys)])
        elif classes:
            C = mean([quadratic_cost(a, y if isinstance(y, (list, tuple)) else
                                     data.one_hot(y, classes)) for a, y in zip(outs, ys)])
        else:
            C = mean([quadratic_cost(a, y) for a, y in zip(outs, ys)])
        if l2:
            C = C + l2 * sum(p * p for p in model.parameters())
        return C
    return loss


def _one_hot(y, classes):
    """y's one-hot vector (y itself if it is one already)."""
    if isinstance(y, (list, tuple)):
        return y
    if isinstance(y, Value):
        raise ValueError(_("cross-entropy: the label {label} is a class index, which picks a "
                           "number in Python; a compiled replay needs the one-hot target vector "
                           "(nn.data.one_hot(y, {classes})) as the label", label=y.label or y,
                           classes=classes))
    return data.one_hot(y, classes)


def train_moons(hidden=MOONS['hidden'], act=MOONS['act'], loss=MOONS['loss'],
                epochs=MOONS['epochs'], batch_size=MOONS['batch_size'], lr=MOONS['lr'],
                l2=MOONS['l2'], seed=MOONS['seed'], n=MOONS['n'], noise=MOONS['noise'],
                on_step=None, compiled=True):
    """micrograd's demo: one score per point, sign = class; η decays linearly from lr to lr/10.

    Held out: n fresh points from the same two moons (seed + 1), as the moons are unlimited.
    `compiled` (the default): record each batch size's loss once and replay it (the same numbers
    as compiled=False, which builds the graph every step, only faster).
    """
    if loss == 'cross-entropy':
        raise ValueError(_("the moons have one output score: use the hinge or quadratic loss"))
    X, y = data.moons(n, noise, seed=seed)
    X_test, y_test = data.moons(n, noise, seed=seed + 1)
    rng = random.Random(seed)
    model = MLP(2, list(hidden) + [1], act=act, rng=rng)
    losses = fit(model, list(zip(X, y)), batch_loss(loss, l2), SGD(model.parameters(), lr=lr),
                 epochs, batch_size, rng, schedule=lambda k, steps: lr * (1.0 - 0.9 * k / steps),
                 on_step=on_step, compiled=compiled)
    settings = dict(hidden=tuple(hidden), act=act, loss=loss, epochs=epochs,
                    batch_size=batch_size, lr=lr, l2=l2, seed=seed, n=n, noise=noise,
                    compiled=compiled)
    return Result(model, losses, 1 if batch_size is None else -(-n // batch_size),
                  accuracy(model, X, y), accuracy(model, X_test, y_test), len(X), len(X_test),
                  settings)


def train_digits(hidden=DIGITS['hidden'], act=DIGITS['act'], loss=DIGITS['loss'],
                 epochs=DIGITS['epochs'], batch_size=DIGITS['batch_size'], lr=DIGITS['lr'],
                 l2=DIGITS['l2'], seed=DIGITS['seed'], train_size=DIGITS['train_size'],
                 on_step=None, compiled=True):
    """64 pixels → hidden → 10 outputs, mini-batch SGD with η = lr·(1 − 0.9·k/steps); tested on a
    held-out quarter.

    'cross-entropy' reads the 10 outputs as logits; 'quadratic' puts σ on them (Nielsen ch. 1).
    `train_size` trains on only the first examples of the training split (quick experiments);
    `compiled` (the default) replays the loss recorded once per batch size (the same numbers as
    compiled=False, faster).
    """
    if loss == 'hinge':
        raise ValueError(_("the digits have 10 classes: use the cross-entropy or quadratic "
                           "loss"))
    X, y = data.digits()
    (X_train, y_train), (X_test, y_test) = data.split(X, y, held_out=0.25, seed=seed)
    if train_size is not None:
        X_train, y_train = X_train[:train_size], y_train[:train_size]
    rng = random.Random(seed)
    out_act = 'sigmoid' if loss == 'quadratic' else 'linear'
    model = MLP(64, list(hidden) + [10], act=act, out_act=out_act, rng=rng)
    # the one-hot targets y enter the cost as numbers, so a replay can be fed them
    targets = [data.one_hot(t, 10) for t in y_train]
    losses = fit(model, list(zip(X_train, targets)), batch_loss(loss, l2, classes=10),
                 SGD(model.parameters(), lr=lr), epochs, batch_size, rng,
                 schedule=lambda k, steps: lr * (1.0 - 0.9 * k / steps), on_step=on_step,
                 compiled=compiled)
    settings = dict(hidden=tuple(hidden), act=act, loss=loss, epochs=epochs,
                    batch_size=batch_size, lr=lr, l2=l2, seed=seed, train_size=train_size,
                    compiled=compiled)
    per_epoch = 1 if batch_size is None else -(-len(X_train) // batch_size)
    return Result(model, losses, per_epoch, accuracy(model, X_train, y_train),
                  accuracy(model, X_test, y_test), len(X_train), len(X_test), settings)
