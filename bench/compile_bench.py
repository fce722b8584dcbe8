"""micrograd's demo step three ways: the eager engine, a compiled replay, and plain floats by hand.

    python bench/compile_bench.py [--steps N] [--points N]

The step: MLP(2, [16, 16, 1]) on 100 points, C = (1/n) Σᵢ relu(1 − yᵢ·sᵢ) + 1e-4·Σ p², backward,
SGD.  The compiled replay must come within 3× of the hand-written gradient (bench/handwritten.py);
its one-time compile cost is printed beside it.
"""
import argparse
import math
import os
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import handwritten                                  # noqa: E402  (beside this file)
from micrograd import Value, compile, weighted_sum  # noqa: E402

SIZES = [2, 16, 16, 1]
ALPHA, LR = 1e-4, 0.05


def moons(n, rng):
    """Two interleaved half circles with a little noise; labels ±1."""
    X, Y = [], []
    for i in range(n):
        t = math.pi * rng.random()
        if i % 2:
            x = (math.cos(t), math.sin(t))
        else:
            x = (1 - math.cos(t), 0.5 - math.sin(t))
        X.append([x[0] + rng.gauss(0, 0.1), x[1] + rng.gauss(0, 0.1)])
        Y.append(1.0 if i % 2 else -1.0)
    return X, Y


def network(rng):
    """Weights as handwritten.py keeps them: net[l][j] = [w₁ … wₙ, b]."""
    return [[[rng.uniform(-1, 1) for _ in range(nin)] + [0.0] for _ in range(nout)]
            for nin, nout in zip(SIZES, SIZES[1:])]


def loss_graph(P, X, Y):
    """C as a graph of Values: weighted_sum + relu per neuron, the demo's hinge loss, L2."""
    losses = []
    for x, y in zip(X, Y):
        a = x
        for l, layer in enumerate(P):
            z = [weighted_sum(neuron[:-1], a, neuron[-1]) for neuron in layer]
            a = z if l == len(P) - 1 else [zj.relu() for zj in z]
        losses.append((1 + -y * a[0]).relu())
    data = losses[0]
    for term in losses[1:]:
        data = data + term
    reg = None
    for p in params_of(P):
        reg = p * p if reg is None else reg + p * p
    return data * (1.0 / len(losses)) + ALPHA * reg


def params_of(P):
    return [p for layer in P for neuron in layer for p in neuron]


def as_values(net):
    return [[[Value(p) for p in neuron] for neuron in layer] for layer in net]


def sgd_step(P, add_grads):
    """zero_grad, add this step's gradients (a backward or a replay's), then p ← p − η·∂C/∂p."""
    for p in params_of(P):
        p.grad = 0.0
    add_grads()
    for p in params_of(P):
        p.data -= LR * p.grad


def eager_step(P, X, Y):
    C = loss_graph(P, X, Y)
    sgd_step(P, C.backward)
    return C.data


def compiled_step(f, P, flat):
    r = f(*flat)
    sgd_step(P, r.add_to_grads)
    return r.value


def hand_step(net, X, Y):
    C, tape = handwritten.forward(net, X, Y, ALPHA)
    handwritten.sgd(net, handwritten.backward(net, tape, Y, ALPHA), LR)
    return C


def timed(step, n):
    times = []
    for _ in range(n):
        t = time.perf_counter()
        step()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1e3


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--steps', type=int, default=15)
    ap.add_argument('--points', type=int, default=100)
    args = ap.parse_args(argv)
    rng = random.Random(0)
    X, Y = moons(args.points, rng)
    net = network(rng)

    # Compile once: the batch's numbers become inputs, the weights params read at each call.
    P = as_values(net)
    Xv = [[Value(xk, label=f"x[{i}][{k}]") for k, xk in enumerate(x, 1)] for i, x in enumerate(X, 1)]
    Yv = [Value(y, label=f"y[{i}]") for i, y in enumerate(Y, 1)]
    t = time.perf_counter()
    C = loss_graph(P, Xv, Yv)
    built = time.perf_counter() - t
    f = compile(C, [v for x in Xv for v in x] + Yv, params=params_of(P))
    compile_ms = (time.perf_counter() - t - built) * 1e3
    flat = [xk for x in X for xk in x] + Y

    # Same numbers: the replay against the engine's backward (bit for bit), and against the hand
    # derivation (to rounding: its sums run in another order).
    r = f(*flat)
    C.backward()
    assert r.value == C.data and r.param_grads == [p.grad for p in params_of(P)], "replay ≠ engine"
    C_hand, tape = handwritten.forward(net, X, Y, ALPHA)
    g_hand = [g for layer in handwritten.backward(net, tape, Y, ALPHA) for n in layer for g in n]
    worst = max(abs(a - b) for a, b in zip(r.param_grads, g_hand))
    assert abs(r.value - C_hand) < 1e-12 and worst < 1e-12, f"hand-written gradient differs by {worst}"

    P_eager, P_comp = as_values(net), as_values(net)
    f = compile(loss_graph(P_comp, Xv, Yv), [v for x in Xv for v in x] + Yv, params=params_of(P_comp))
    net_hand = [[list(n) for n in layer] for layer in net]
    eager = timed(lambda: eager_step(P_eager, X, Y), max(3, args.steps // 3))
    comp = timed(lambda: compiled_step(f, P_comp, flat), args.steps)
    hand = timed(lambda: hand_step(net_hand, X, Y), args.steps)

    print(f"demo step: MLP{tuple(SIZES)}, {args.points} points, {len(f.order)} nodes, "
          f"median of {args.steps} steps")
    print(f"  eager engine       {eager:8.2f} ms")
    print(f"  compiled replay    {comp:8.2f} ms   (+ {compile_ms:.0f} ms once to compile: repaid "
          f"after {compile_ms / max(eager - comp, 1e-9):.0f} steps)")
    print(f"  hand-written       {hand:8.2f} ms")
    ratio = comp / hand
    print(f"compiled / hand-written = {ratio:.2f}x (must be ≤ 3x); eager / compiled = {eager / comp:.1f}x")
    if ratio > 3:
        sys.exit("compiled replay is more than 3x slower than the hand-written gradient")


if __name__ == '__main__':
    main()
