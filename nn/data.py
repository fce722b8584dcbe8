"""Data sets to train on: two interleaved half-moons (made here), and the 8×8 handwritten digits.

Every function returns plain Python lists — X (one list of numbers per example) and y (one label
per example) — so a learner can print them and feed them straight to a network.  Nothing here
downloads anything: the moons are generated, and the digits ship inside scikit-learn.
"""
import math
import random

from micrograd.i18n import _, N_

from .checks import finite, integer, size

__all__ = ['moons', 'digits', 'split', 'one_hot', 'INSTALL_HINT']

INSTALL_HINT = N_("pip install 'backprop-classroom[train]'  (or ./run demo, which installs it)")


def moons(n=100, noise=0.1, seed=None, signed=True):
    """n points on two half-circles, (cos t, sin t) and (1 − cos t, ½ − sin t) for t in [0, π],
    plus Gaussian noise of standard deviation `noise`; labels ±1 (for the hinge loss) if
    `signed`, else 0/1.  The upper moon is −1 (or 0).  Same seed, same points."""
    n = size(n, N_("moons: n"), at_least=2)
    finite(noise, N_("moons: noise (a standard deviation)"), at_least=0)
    rng = _generator(seed)
    n_upper = n // 2                            # as scikit-learn's make_moons splits them
    n_lower = n - n_upper
    upper = [(math.cos(t), math.sin(t)) for t in _linspace(0, math.pi, n_upper)]
    lower = [(1 - math.cos(t), 0.5 - math.sin(t)) for t in _linspace(0, math.pi, n_lower)]
    negative = -1 if signed else 0
    examples = [([x1 + rng.gauss(0, noise), x2 + rng.gauss(0, noise)], label)
                for (x1, x2), label in [(p, negative) for p in upper] + [(p, 1) for p in lower]]
    rng.shuffle(examples)
    return [x for x, _ in examples], [label for _, label in examples]


def digits(scale=True):
    """The 1797 handwritten 8×8 digits of scikit-learn (UCI, bundled with the package): X has 64
    pixels per image, in [0, 1] if `scale` (pixel / 16) else the raw 0…16; y is the digit 0…9."""
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        raise ImportError(_("the 8×8 digits come with scikit-learn, which is not installed: "
                            "{hint}", hint=_(INSTALL_HINT))) from None
    bunch = load_digits()
    factor = 1 / 16 if scale else 1
    X = [[float(p) * factor for p in row] for row in bunch.data]
    return X, [int(t) for t in bunch.target]


def split(X, y, held_out=0.25, seed=None):
    """(X_train, y_train), (X_test, y_test): a seeded shuffle, then the last `held_out` fraction
    (a quarter by default) is kept aside to measure what the network learned, not memorised."""
    if len(X) != len(y):
        raise ValueError(_("split: {x} examples but {y} labels", x=len(X), y=len(y)))
    if not 0 < held_out < 1:
        raise ValueError(_("split: held_out must be a fraction between 0 and 1, not {value}",
                           value=repr(held_out)))
    order = list(range(len(X)))
    _generator(seed).shuffle(order)
    n_test = round(len(X) * held_out)
    train, test = order[:len(X) - n_test], order[len(X) - n_test:]
    return ([X[i] for i in train], [y[i] for i in train]), ([X[i] for i in test], [y[i] for i in test])


def one_hot(label, n):
    """y as a vector: 1 at index `label`, 0 elsewhere (the target of a quadratic cost)."""
    n = size(n, N_("one_hot: n (the number of classes)"))
    t = integer(label)
    if t is None or not 0 <= t < n:
        raise ValueError(_("one_hot: the label must be a class index 0…{last}, not {value}",
                           last=n - 1, value=repr(label)))
    return [1.0 if j == t else 0.0 for j in range(n)]


def _linspace(a, b, n):
    return [a + (b - a) * i / (n - 1) for i in range(n)] if n > 1 else [a]


def _generator(seed):
    return seed if isinstance(seed, random.Random) else random.Random(seed)
