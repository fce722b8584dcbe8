"""One engine's figures, measured in an interpreter of its own:  python bench/engines.py ENGINE CONFIG

ENGINE is 'micrograd' (0.1.0 from PyPI, in bench/.micrograd-0.1.0) or 'ours' (this repository).
Both import as `micrograd`, so they never share an interpreter.  CONFIG is a JSON object (see
run.py) whose 'part' says which figures to measure; they are printed on stdout as one JSON object,
progress goes to stderr.
"""
import contextlib
import gc
import json
import math
import os
import random
import statistics
import sys
import time
import tracemalloc

import handwritten                                  # beside this file: bench/ is on sys.path

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MICROGRAD_010 = os.path.join(HERE, '.micrograd-0.1.0')
# CPU time of this process, not wall time: on a shared machine, wall time also counts the moments
# another job had the core, and that would land on whichever engine was running then.
clock = time.process_time_ns


def load(engine):
    """(Value, MLP) of `engine`, imported from its own directory (first on sys.path)."""
    where = MICROGRAD_010 if engine == 'micrograd' else ROOT
    sys.path.insert(0, where)
    import micrograd
    if not os.path.abspath(micrograd.__file__).startswith(where + os.sep):
        sys.exit(f"bench: wanted {engine}'s micrograd from {where}, got {micrograd.__file__}")
    if engine == 'micrograd':
        from micrograd.engine import Value
        from micrograd.nn import MLP
    else:
        from micrograd import Value
        from nn import MLP
    return Value, MLP


def note(*msg):
    print('  ', *msg, file=sys.stderr, flush=True)


def median_ms(ns):
    return statistics.median(ns) / 1e6


@contextlib.contextmanager
def recursion_limit(n):
    """Raise the recursion limit to at least n inside the block (micrograd's backward recurses)."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, n))
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


@contextlib.contextmanager
def garbage_collector(on):
    """Python's cyclic GC on or off inside the block; starts from a collected heap."""
    was_on = gc.isenabled()
    gc.collect()
    (gc.enable if on else gc.disable)()
    try:
        yield
    finally:
        (gc.enable if was_on else gc.disable)()


def graph_size(root):
    """The number of nodes reachable from root (the length of its topological order)."""
    seen, stack = {root}, [root]
    while stack:
        for parent in stack.pop()._prev:
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return len(seen)


# --- (a) micrograd's demo: MLP(2, [16, 16, 1]) on 100 moons, hinge loss, SGD ------------------

def moons(n=100, noise=0.1, seed=0):
    """n points on two interleaved half circles (like sklearn's make_moons), labels −1 and +1."""
    rng = random.Random(seed)
    half = n // 2
    X, Y = [], []
    for i in range(n):
        t = math.pi * (i % half) / (half - 1)
        if i < half:
            x0, x1, y = math.cos(t), math.sin(t), -1.0
        else:
            x0, x1, y = 1 - math.cos(t), 0.5 - math.sin(t), 1.0
        X.append((x0 + rng.gauss(0, noise), x1 + rng.gauss(0, noise)))
        Y.append(y)
    return X, Y


def demo_model(MLP, seed=1337):
    """MLP(2, [16, 16, 1]) with the same weights in both engines: w ~ uniform(−1, 1), b = 0."""
    model = MLP(2, [16, 16, 1])
    rng = random.Random(seed)
    for layer in model.layers:
        for neuron in layer.neurons:
            for w in neuron.w:
                w.data = rng.uniform(-1, 1)
            neuron.b.data = 0.0
    return model


def demo_loss(model, X, Y, Value, alpha=1e-4):
    """C = mean(relu(1 − y·score)) + α Σ p², written as in micrograd's demo notebook."""
    scores = [model([Value(x0), Value(x1)]) for x0, x1 in X]
    losses = [(1 + -y * s).relu() for y, s in zip(Y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = alpha * sum(p * p for p in model.parameters())
    return data_loss + reg_loss


def learning_rate(k):
    return 1.0 - 0.9 * (k % 100) / 100            # the demo's schedule


def engine_step(model, X, Y, Value, k):
    """One training step; returns (loss, (forward, backward, update) in ns)."""
    t0 = clock()
    loss = demo_loss(model, X, Y, Value)
    model.zero_grad()
    t1 = clock()
    loss.backward()
    t2 = clock()
    lr = learning_rate(k)
    for p in model.parameters():
        p.data -= lr * p.grad
    return loss, (t1 - t0, t2 - t1, clock() - t2)


def hand_step(net, X, Y, k):
    """The same step in plain floats (handwritten.py); returns (tape, phases in ns)."""
    t0 = clock()
    C, tape = handwritten.forward(net, X, Y)
    t1 = clock()
    grads = handwritten.backward(net, tape, Y)
    t2 = clock()
    handwritten.sgd(net, grads, learning_rate(k))
    return tape, (t1 - t0, t2 - t1, clock() - t2)


def time_training(step, steps, repeat, gc_on, warm_up=True):
    """ms per step, median over `repeat` loops of `steps` steps, and of each phase.

    GC on: an ordinary loop, CPU time of the whole loop (garbage collection included wherever
    it falls).
    GC off: the steps alone; the last step's graph is freed and collected off the clock.
    """
    with garbage_collector(gc_on):
        # `out` holds the last step's graph, as a training loop's `loss` does: with the GC on,
        # freeing it is part of the next step's time.
        out = step(0)[0] if warm_up else None
        per_step, forward, backward = [], [], []
        for r in range(repeat):
            phases = [0, 0, 0]
            start = clock()
            for k in range(steps):
                if not gc_on:
                    out = None
                    gc.collect()
                out, t = step(r * steps + k + 1)
                phases = [a + b for a, b in zip(phases, t)]
            whole = clock() - start
            per_step.append((whole if gc_on else sum(phases)) / steps)
            forward.append(phases[0] / steps)
            backward.append(phases[1] / steps)
        out = None
    return {'step_ms': median_ms(per_step), 'forward_ms': median_ms(forward),
            'backward_ms': median_ms(backward), 'steps': steps, 'repeat': repeat}


def demo(Value, MLP, config, with_hand):
    """(a) The demo's training step timed with the GC on and off (and by hand, for ours)."""
    X, Y = moons()
    model = demo_model(MLP)
    loss = demo_loss(model, X, Y, Value)
    model.zero_grad()
    loss.backward()
    result = {'initial_loss': loss.data, 'nodes': graph_size(loss)}
    if with_hand:
        result['hand'] = check_hand(model, loss, X, Y)
    loss = None
    times = dict(steps=config['steps'], repeat=config['repeat'], warm_up=not config['quick'])
    for gc_on in (True, False):
        mode = 'gc_on' if gc_on else 'gc_off'
        note(f"demo step, {mode.replace('_', ' ')}: {times['repeat']} x {times['steps']} steps")
        result[mode] = time_training(lambda k: engine_step(model, X, Y, Value, k), gc_on=gc_on, **times)
        result[mode]['backward_ns_per_node'] = result[mode]['backward_ms'] * 1e6 / result['nodes']
        if with_hand:
            net = weights_of(model)
            result['hand'][mode] = time_training(lambda k: hand_step(net, X, Y, k), gc_on=gc_on, **times)
    return result


def weights_of(model):
    """The model's numbers as plain lists: per layer, per neuron [w₁ … wₙ, b]."""
    return [[[w.data for w in n.w] + [n.b.data] for n in layer.neurons] for layer in model.layers]


def check_hand(model, loss, X, Y):
    """The hand-written step computes the engine's loss and gradients on the same weights."""
    net = weights_of(model)
    C, tape = handwritten.forward(net, X, Y)
    assert abs(C - loss.data) <= 1e-9, f"hand-written loss {C!r} != engine's loss {loss.data!r}"
    hand = [g for layer in handwritten.backward(net, tape, Y) for neuron in layer for g in neuron]
    ours = [p.grad for p in model.parameters()]
    worst = max(abs(a - b) for a, b in zip(hand, ours))
    assert len(hand) == len(ours) and worst <= 1e-9, \
        f"hand-written gradient differs from the engine's by {worst!r}"
    return {'initial_loss': C, 'max_grad_difference': worst}


# --- (b) a deep chain -------------------------------------------------------------------------

def chain(Value, depth):
    """y ← y·w + b, `depth` times from y = x (w, b shared leaves): 2·depth + 3 nodes in a line."""
    x, w, b = Value(0.5), Value(1.0001), Value(0.0001)
    y = x
    for _ in range(depth):
        y = y * w + b
    return x, y


def failure_depth(Value, hi):
    """The smallest chain depth ≤ hi whose backward raises RecursionError (hi is known to)."""
    lo = 1
    while lo < hi:
        mid = (lo + hi) // 2
        _, y = chain(Value, mid)
        try:
            y.backward()
            lo = mid + 1
        except RecursionError:
            hi = mid
    return lo


def time_chain(Value, depth, repeat):
    """Median forward (building) and backward ms, GC off; 'error' if backward raised RecursionError."""
    forward, backward_ns, error, grad_ok = [], [], None, None
    for _ in range(repeat):
        with garbage_collector(False):
            t0 = clock()
            x, y = chain(Value, depth)
            t1 = clock()
            forward.append(t1 - t0)
            if error is None:
                try:
                    y.backward()
                    backward_ns.append(clock() - t1)
                    # ∂y/∂x = w^depth: the whole chain was walked
                    grad_ok = abs(x.grad / 1.0001 ** depth - 1) < 1e-6
                except RecursionError:
                    error = 'RecursionError'
            x = y = None
    nodes = 2 * depth + 3
    result = {'depth': depth, 'nodes': nodes, 'forward_ms': median_ms(forward), 'error': error,
              'grad_ok': grad_ok, 'backward_ms': None, 'backward_ns_per_node': None}
    if backward_ns:
        result['backward_ms'] = median_ms(backward_ns)
        result['backward_ns_per_node'] = statistics.median(backward_ns) / nodes
    return result


def chains(Value, config):
    """(b) Every depth in config['depths'], and the depth from which backward fails (or None)."""
    results, fails_at = {}, None
    for depth in config['depths']:
        repeat = config['repeat'] if depth < 10 ** 6 else config['repeat_1m']
        if fails_at and config['quick'] and depth > config['raise_limit_up_to']:   # saves time
            note(f"chain {depth}: not run (backward fails from depth {fails_at})")
            r = {'depth': depth, 'nodes': 2 * depth + 3, 'forward_ms': None, 'backward_ms': None,
                 'backward_ns_per_node': None, 'grad_ok': None, 'error': 'not run'}
        else:
            note(f"chain {depth}: {repeat} repeats")
            r = time_chain(Value, depth, repeat)
        if r['error']:
            fails_at = fails_at or failure_depth(Value, depth)
            r['error'] = f"RecursionError at depth {fails_at}"
            if depth <= config['raise_limit_up_to']:
                limit = r['nodes'] + 1000
                with recursion_limit(limit):
                    r['raised_limit'] = dict(time_chain(Value, depth, repeat), recursion_limit=limit)
        results[str(depth)] = r
    return results, fails_at


# --- (c) sum of products, (d) bytes per node --------------------------------------------------

def sum_of_products(Value, n, repeat, gc_on):
    """s = Σᵢ aᵢ·bᵢ over n products with Python's sum(): forward and backward, median ms."""
    rng = random.Random(0)
    pairs = [(rng.uniform(-1, 1), rng.uniform(-1, 1)) for _ in range(n)]
    forward, backward, nodes = [], [], None
    limit = 4 * n + 1000                            # only micrograd's recursive backward needs it
    for _ in range(repeat):
        a = [Value(x) for x, _ in pairs]
        b = [Value(y) for _, y in pairs]
        with garbage_collector(gc_on), recursion_limit(limit):
            t0 = clock()
            s = sum(ai * bi for ai, bi in zip(a, b))
            t1 = clock()
            s.backward()
            t2 = clock()
        assert a[-1].grad == b[-1].data, f"∂s/∂a = b: got {a[-1].grad!r}, want {b[-1].data!r}"
        forward.append(t1 - t0)
        backward.append(t2 - t1)
        nodes = nodes or graph_size(s)
        a = b = s = None
    total = [f + b for f, b in zip(forward, backward)]
    return {'n': n, 'nodes': nodes, 'forward_ms': median_ms(forward),
            'backward_ms': median_ms(backward), 'total_ms': median_ms(total),
            'backward_ns_per_node': statistics.median(backward) / nodes,
            'recursion_limit': limit}


def bytes_per_node(Value, n):
    """tracemalloc's growth while building Σᵢ aᵢ·bᵢ (n products, ≈ 4n nodes), per node."""
    rng = random.Random(0)
    pairs = [(rng.uniform(-1, 1), rng.uniform(-1, 1)) for _ in range(n)]
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    s = sum(Value(x) * Value(y) for x, y in pairs)
    grown = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    nodes = graph_size(s)
    return {'nodes': nodes, 'bytes': grown, 'bytes_per_node': grown / nodes}


def main():
    engine, config = sys.argv[1], json.loads(sys.argv[2])
    Value, MLP = load(engine)
    part = config['part']
    result = {'engine': engine, 'module': sys.modules['micrograd'].__file__,
              'default_recursion_limit': sys.getrecursionlimit()}
    if part == 'bytes_per_node':
        note(f"bytes per node: {config['bytes_n']} products")
        result[part] = bytes_per_node(Value, config['bytes_n'])
    elif part == 'demo':
        with recursion_limit(10 ** 4):              # micrograd's demo backward recurses ~700 deep
            result[part] = demo(Value, MLP, config, with_hand=engine == 'ours')
    elif part == 'sum_of_products':
        result[part] = {}
        for gc_on in (True, False):
            mode = 'gc_on' if gc_on else 'gc_off'
            note(f"sum of {config['sum_n']} products, {mode.replace('_', ' ')}: {config['repeat']} repeats")
            result[part][mode] = sum_of_products(Value, config['sum_n'], config['repeat'], gc_on)
    elif part == 'chain':
        result[part], result['recursion_error_depth'] = chains(Value, config)
    else:
        sys.exit(f"bench: no part {part!r}")
    print(json.dumps(result))


if __name__ == '__main__':
    main()
