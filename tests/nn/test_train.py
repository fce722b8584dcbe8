"""nn.data (moons, digits, the held-out split) and nn.train (the SGD loop and the two recipes)."""
import math
import random

import pytest

from micrograd import Value
import nn
from nn import data, train
from nn.module import MLP
from nn.optim import SGD


# --- data --------------------------------------------------------------------------------------

def test_moons_without_noise_lie_on_the_two_half_circles():
    X, y = data.moons(41, noise=0.0, seed=3)
    assert len(X) == len(y) == 41
    assert sorted(set(y)) == [-1, 1] and y.count(-1) == 20 and y.count(1) == 21
    for (x1, x2), label in zip(X, y):
        # upper: (cos t, sin t); lower: (1 − cos t, ½ − sin t), t in [0, π]
        cx, cy, side = (0.0, 0.0, 1) if label == -1 else (1.0, 0.5, -1)
        r = math.hypot(x1 - cx, x2 - cy)
        assert r == pytest.approx(1.0, abs=1e-12), f"point {(x1, x2)} (label {label}) has radius {r}"
        assert side * (x2 - cy) >= -1e-12, f"point {(x1, x2)} is on the wrong half of its circle"


def test_moons_are_seeded_and_noisy_and_can_be_labelled_0_1():
    a, b = data.moons(100, noise=0.1, seed=7), data.moons(100, noise=0.1, seed=7)
    assert a == b
    assert data.moons(100, noise=0.1, seed=8) != a
    X0, _ = data.moons(100, noise=0.0, seed=7)
    X, y = data.moons(100, noise=0.1, seed=7, signed=False)
    assert sorted(set(y)) == [0, 1]
    assert X == a[0], "the labels do not change the points"
    spread = sorted(math.dist(p, q) for p, q in zip(sorted(X), sorted(X0)))
    assert 0.01 < spread[50] < 0.5, f"median shift from the noise: {spread[50]}"


@pytest.mark.parametrize('n, noise', [(1, 0.1), (2.5, 0.1), (10, -1.0)])
def test_moons_refuse_bad_arguments(n, noise):
    with pytest.raises(ValueError, match='moons'):
        data.moons(n, noise)


def test_split_holds_out_a_quarter_seeded_and_disjoint():
    X = [[float(i)] for i in range(101)]
    y = list(range(101))
    (Xa, ya), (Xb, yb) = data.split(X, y, seed=5)
    assert (len(ya), len(yb)) == (76, 25)
    assert sorted(ya + yb) == y, "every example lands in exactly one part"
    assert all(x == [float(t)] for x, t in zip(Xa + Xb, ya + yb)), "x and y stay paired"
    assert data.split(X, y, seed=5) == ((Xa, ya), (Xb, yb))
    assert data.split(X, y, seed=6)[1][1] != yb
    with pytest.raises(ValueError, match='held_out'):
        data.split(X, y, held_out=1.0)
    with pytest.raises(ValueError, match='101 examples but 3 labels'):
        data.split(X, y[:3])


def test_one_hot():
    assert data.one_hot(2, 4) == [0.0, 0.0, 1.0, 0.0]


def test_digits_are_sklearns_8x8_images_scaled_to_0_1():
    pytest.importorskip('sklearn')
    X, y = data.digits()
    assert len(X) == len(y) == 1797 and {len(x) for x in X} == {64}
    assert min(map(min, X)) == 0.0 and max(map(max, X)) == 1.0
    assert sorted(set(y)) == list(range(10))
    raw, _ = data.digits(scale=False)
    assert raw[0][:8] == [0.0, 0.0, 5.0, 13.0, 9.0, 1.0, 0.0, 0.0], "the first image's top row"


def test_digits_without_sklearn_say_how_to_install_it(monkeypatch):
    import sys
    monkeypatch.setitem(sys.modules, 'sklearn', None)
    monkeypatch.setitem(sys.modules, 'sklearn.datasets', None)
    with pytest.raises(ImportError, match=r"pip install 'backprop-classroom\[train\]'"):
        data.digits()


# --- the training loop ---------------------------------------------------------------------------

def test_fit_is_micrograds_demo_loop():
    """fit + batch_loss('hinge', 1e-4) + the decaying η = the loop of micrograd's demo.ipynb."""
    X, y = data.moons(30, noise=0.1, seed=2)
    steps = 4

    # micrograd's demo, written out with this engine
    model = MLP(2, [8, 8, 1], rng=random.Random(0))
    expected = []
    for k in range(steps):
        scores = [model([Value(a) for a in x]) for x in X]
        losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        total = data_loss + 1e-4 * sum(p * p for p in model.parameters())
        model.zero_grad()
        total.backward()
        for p in model.parameters():
            p.data -= (1.0 - 0.9 * k / steps) * p.grad
        expected.append(total.data)

    ours = MLP(2, [8, 8, 1], rng=random.Random(0))
    got = train.fit(ours, list(zip(X, y)), train.batch_loss('hinge', l2=1e-4),
                    SGD(ours.parameters(), lr=1.0), epochs=steps,
                    schedule=lambda k, n: 1.0 - 0.9 * k / n)
    for k, (g, e) in enumerate(zip(got, expected)):
        assert g == pytest.approx(e, rel=1e-12), f"step {k}: fit's loss {g}, the demo loop's {e}"
    assert [p.data for p in ours.parameters()] == pytest.approx(
        [p.data for p in model.parameters()], rel=1e-9, abs=1e-12)


def test_fit_takes_one_step_per_mini_batch_and_reports_each():
    model = MLP(2, [3, 1], rng=1)
    calls = []
    losses = train.fit(model, [([0.1 * i, -0.2 * i], 1 if i % 2 else -1) for i in range(10)],
                       train.batch_loss('hinge'), SGD(model.parameters(), lr=0.1), epochs=2,
                       batch_size=4, rng=3, on_step=lambda k, n, C: calls.append((k, n, C)))
    assert len(losses) == 6, f"10 examples in batches of 4 is 3 steps per epoch: got {len(losses)} in 2"
    assert calls == [(k, 6, C) for k, C in enumerate(losses, 1)]


# --- the compiled step: the same numbers as backward(), from one recording per batch size -------

def _moons_run(compiled, batch_size):
    X, y = data.moons(30, noise=0.1, seed=4)
    model = MLP(2, [6, 6, 1], rng=random.Random(0))
    losses = train.fit(model, list(zip(X, y)), train.batch_loss('hinge', l2=1e-4),
                       SGD(model.parameters(), lr=0.5, momentum=0.5), epochs=3,
                       batch_size=batch_size, rng=9, schedule=lambda k, n: 0.5 * (1 - 0.9 * k / n),
                       compiled=compiled)
    return losses, [p.data for p in model.parameters()]


@pytest.mark.parametrize('batch_size, sizes', [(None, [30]), (7, [7, 2])])
def test_compiled_training_gives_exactly_the_eager_numbers(batch_size, sizes, monkeypatch):
    """30 moons in batches of 7: four of 7 and a last one of 2, which gets its own replay."""
    recorded = []
    record = train.compiled_step

    def counting(model, loss, batch):
        recorded.append(len(batch))
        return record(model, loss, batch)
    monkeypatch.setattr(train, 'compiled_step', counting)
    eager_losses, eager_w = _moons_run(False, batch_size)
    losses, w = _moons_run(True, batch_size)
    assert recorded == sizes, f"one recording per batch size over 3 epochs: {sizes}, got {recorded}"
    for k, (e, c) in enumerate(zip(eager_losses, losses)):
        assert c == e, f"step {k + 1}: eager loss {e!r}, compiled {c!r}"
    assert len(losses) == len(eager_losses) == 3 * (-(-30 // (batch_size or 30)))
    for k, (e, c) in enumerate(zip(eager_w, w)):
        assert c == e, f"parameter {k} after training: eager {e!r}, compiled {c!r}"


def test_compiled_step_adds_into_grad_as_backward_does():
    model = MLP(3, [4, 1], act='tanh', rng=2)
    batch = [([0.5, -1.0, 2.0], 1), ([1.5, 0.25, -0.5], -1), ([0.0, 1.0, 1.0], 1)]
    loss = train.batch_loss('quadratic', l2=1e-3)
    step = train.compiled_step(model, loss, batch)
    C = loss(model, batch)
    C.backward()
    C.backward()                        # two passes: each .grad holds 2·∂C/∂p
    expected = [p.grad for p in model.parameters()]
    model.zero_grad()
    assert step(batch) == C.data and step(batch) == C.data
    for p, e in zip(model.parameters(), expected):
        assert p.grad == e, f"∂C/∂{p.label} after two steps: backward {e!r}, compiled {p.grad!r}"


@pytest.mark.parametrize('loss', ['quadratic', 'cross-entropy'])
def test_compiled_recipes_match_the_eager_ones(loss):
    if loss == 'quadratic':
        kw = dict(hidden=(5,), epochs=2, n=20, seed=5, batch_size=8, loss=loss, lr=0.1)
        a, b = train.train_moons(compiled=False, **kw), train.train_moons(**kw)
        assert a.losses == b.losses and a.train_accuracy == b.train_accuracy, (a.losses, b.losses)
    pytest.importorskip('sklearn')
    kw = dict(hidden=(4,), epochs=1, train_size=25, batch_size=10, loss=loss, lr=3.0)
    a, b = train.train_digits(compiled=False, **kw), train.train_digits(**kw)
    assert len(a.losses) == 3 and a.losses == b.losses, f"eager {a.losses}, compiled {b.losses}"
    assert [p.data for p in a.model.parameters()] == [p.data for p in b.model.parameters()]
    assert a.settings['compiled'] is False and b.settings['compiled'] is True


def test_quadratic_takes_a_class_or_its_one_hot_vector():
    model = MLP(2, [3], act='sigmoid', rng=4)
    loss = train.batch_loss('quadratic', classes=3)
    by_class = loss(model, [([0.5, -1.0], 2), ([1.5, 0.25], 0)]).data
    by_vector = loss(model, [([0.5, -1.0], [0.0, 0.0, 1.0]), ([1.5, 0.25], (1.0, 0.0, 0.0))]).data
    assert by_class == by_vector, f"class labels {by_class!r}, one-hot vectors {by_vector!r}"


def test_a_loss_that_indexes_with_a_label_is_refused():
    model = MLP(2, [3], rng=0)
    batch = [([0.5, 1.0], 2)]
    with pytest.raises(ValueError, match=r"label y\[1\] is a class index.*one-hot target vector"):
        train.compiled_step(model, train.batch_loss('cross-entropy'), batch)
    C = train.compiled_step(model, train.batch_loss('cross-entropy'), [([0.5, 1.0], [0.0, 0.0, 1.0])])
    assert C([([0.5, 1.0], [0.0, 0.0, 1.0])]) == train.batch_loss('cross-entropy')(model, batch).data
    # one_hot(y) needs a class index, as cross-entropy does: a Value label is refused the same way
    with pytest.raises(ValueError, match=r"class index.*y\[1\].*train without compiling"):
        train.compiled_step(model, train.batch_loss('quadratic', classes=3), batch)

    def by_comparison(model, batch):    # the label used in Python (compared), not computed with
        return nn.mean([nn.quadratic_cost(model(x), [1.0 if y == 2 else 0.0] * 3) for x, y in batch])
    with pytest.raises(ValueError, match=r"does not compute with y\[1\]"):
        train.compiled_step(model, by_comparison, batch)
    with pytest.raises(ValueError, match=r"^neuron 1 of layer 1 has 2 weights but got 3 inputs$"):
        train.compiled_step(model, train.batch_loss('cross-entropy'), [([1.0, 2.0, 3.0], 0)])


def test_predict_and_accuracy():
    assert train.predict(Value(0.3)) == 1 and train.predict(Value(-0.3)) == -1
    assert train.predict([Value(0.1), Value(2.0), Value(-1.0)]) == 1
    sign = MLP.from_weights([[[1.0]]], [[0.0]], act='linear')
    assert train.accuracy(sign, [[1.0], [-2.0], [3.0], [-0.5]], [1, -1, -1, 0]) == 0.75


@pytest.mark.parametrize('name, classes, y', [('quadratic', 3, 2), ('cross-entropy', None, 2),
                                              ('hinge', None, -1)])
def test_batch_loss_averages_the_per_example_cost(name, classes, y):
    model = MLP(2, [3], act='sigmoid', rng=4) if name != 'hinge' else MLP(2, [1], rng=4)
    batch = [([0.5, -1.0], y), ([1.5, 0.25], y)]
    C = train.batch_loss(name, classes=classes)(model, batch)
    each = [train.batch_loss(name, classes=classes)(model, [ex]).data for ex in batch]
    assert C.data == pytest.approx(sum(each) / 2, rel=1e-12), f"{name}: {C.data} vs mean of {each}"
    with pytest.raises(ValueError, match='unknown loss'):
        train.batch_loss('l1')


# --- the recipes: small, quick runs whose loss must fall ---------------------------------------

def test_moons_recipe_learns():
    r = train.train_moons(hidden=(8,), epochs=25, n=40, seed=3)
    assert len(r.losses) == 25 and r.steps_per_epoch == 1 and r.n_train == r.n_test == 40
    assert r.losses[-1] < 0.5 * r.losses[0], f"hinge loss {r.losses[0]} → {r.losses[-1]}"
    assert r.train_accuracy >= 0.85, f"training accuracy {r.train_accuracy}"
    again = train.train_moons(hidden=(8,), epochs=25, n=40, seed=3)
    assert again.losses == r.losses, "the same seed gives the same run"


def test_digits_recipe_learns_on_a_subset():
    pytest.importorskip('sklearn')
    r = train.train_digits(hidden=(10,), epochs=3, train_size=120, batch_size=10, lr=2.0, seed=2)
    assert r.n_train == 120 and r.n_test == 449 and r.steps_per_epoch == 12
    first, last = r.losses[:12], r.losses[-12:]
    assert sum(last) < 0.8 * sum(first), f"mean loss of epoch 1 {sum(first) / 12}, of epoch 3 {sum(last) / 12}"
    assert r.test_accuracy > 0.3, f"held-out accuracy {r.test_accuracy} after 3 epochs on 120 images"


def test_recipes_refuse_a_loss_that_does_not_fit():
    with pytest.raises(ValueError, match='hinge or quadratic'):
        train.train_moons(loss='cross-entropy')
    with pytest.raises(ValueError, match='cross-entropy or quadratic'):
        train.train_digits(loss='hinge')
