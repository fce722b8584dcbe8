"""Growth with size: time and peak memory of each whole-graph operation at 1e3 … 1e6 nodes.

    python bench/growth.py [--quick] [--json FILE]

On a chain y ← y·w + b (the deepest graph there is; n nodes), for each operation: the CPU time
(median of a few runs, GC on, as a learner runs it) and, in a second run under tracemalloc, the
peak memory it allocates beyond the graph; both divided by n.  Linear growth means each row's per-
node figures stay within 2× of each other across sizes.  draw_dot and the player's page are limited
to 3,000 nodes by design (a bigger picture is unreadable and slow to lay out): they are measured up
to that limit and shown as refused beyond it.  Correctness is checked before anything is timed.
"""
import argparse
import gc
import json
import os
import statistics
import sys
import time
import tracemalloc

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from micrograd import Value, compile, draw_dot, topological_order      # noqa: E402
from micrograd.views.render import GraphTooLarge                              # noqa: E402
from micrograd.views.trace import backward_steps                              # noqa: E402

SIZES = (1_000, 10_000, 100_000, 1_000_000)
PICTURE_SIZES = (300, 1_000, 3_000)     # draw_dot's and the player's limit is 3,000 nodes


def chain(n, shared=True):
    """y ← y·w + b until the graph has about n nodes; returns (x, y, depth).  shared: w and b are
    two leaves used at every step; else each step has its own constants (a picture can be laid
    out: edges from shared leaves would stretch across the whole drawing)."""
    x, w, b = Value(0.5, label='x'), Value(1.000001, label='w'), Value(1e-6, label='b')
    y = x
    depth = max(1, (n - 3) // 2 if shared else (n - 1) // 4)
    for _ in range(depth):
        y = y * w + b if shared else y * 1.000001 + 1e-6
    return x, y, depth



OPERATIONS = {
    'topological order': lambda y: topological_order(y),
    'backward': lambda y: y.backward(),
    'backward steps': lambda y: backward_steps(y),
    'compile': lambda y: compile(y, []),
    'draw_dot': lambda y: draw_dot(y),
    'player page': None,                # bytes, below
}


def check(x, y, depth):
    """The chain's gradient is exact before anything is timed: ∂y/∂x = wᵈ, and the replay agrees."""
    y.backward()
    want = 1.000001 ** depth
    assert abs(x.grad / want - 1) < 1e-9, f"∂y/∂x = {x.grad!r}, want {want!r}"
    r = compile(y, [x])(0.5)
    assert r.value == y.data and r.grads == [x.grad], "the compiled replay differs from backward"


def measure(name, n, repeat, picture):
    """(nodes, seconds per node, peak bytes per node, page bytes per node) for `name`."""
    x, y, depth = chain(n, shared=not picture)
    nodes = len(topological_order(y))
    check(x, y, depth)
    if name == 'player page':
        from micrograd import step_through
        t = time.perf_counter()
        html = step_through(y).html()
        seconds = time.perf_counter() - t
        return nodes, seconds / nodes, None, len(html.encode()) / nodes
    f = OPERATIONS[name]
    times = []
    for _ in range(repeat):
        t = time.process_time()     # CPU time: another job on a shared machine does not count
        out = f(y)
        times.append(time.process_time() - t)
        out = None
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    out = f(y)
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    out = None
    return nodes, statistics.median(times) / nodes, peak / nodes, None


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--quick', action='store_true', help='1e3 and 1e4 nodes only')
    ap.add_argument('--json', help='write the rows here')
    args = ap.parse_args(argv)
    sizes = SIZES[:2] if args.quick else SIZES
    rows = {}
    for name in OPERATIONS:
        picture = name in ('draw_dot', 'player page')
        row = []
        for n in (PICTURE_SIZES if picture else sizes):
            print(f"[growth] {name}: {n:,} nodes", file=sys.stderr, flush=True)
            repeat = 1 if n >= 1_000_000 else 3
            nodes, t, mem, page = measure(name, n, repeat, picture)
            row.append({'nodes': nodes, 'ns_per_node': t * 1e9, 'bytes_per_node': mem,
                        'page_bytes_per_node': page})
        if picture:
            x, y, _ = chain(sizes[1], shared=False)
            try:
                draw_dot(y)
                refused = False
            except GraphTooLarge:
                refused = True
            row.append({'nodes': len(topological_order(y)), 'refused': refused})
        rows[name] = row
    print_table(rows)
    rows = {name: dict(rows=row, passed=linear(row)[0], growth=linear(row)[1])
            for name, row in rows.items()}
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(rows, f, indent=1)
    return 0


def spread(values):
    """How much the per-node figure grows with size: the largest at a bigger size ÷ the smallest
    size's (≤ 1 if it only falls: compile's replay becomes a tape past 20,000 nodes)."""
    values = [v for v in values if v]
    return max(values[1:]) / values[0] if len(values) > 1 else None


def linear(row):
    """Linear growth: no per-node figure (time, memory, page bytes) grows past 2× its value at the
    smallest size.  The player's row is judged on its page's bytes (the issue's figure): its time
    is mostly Graphviz laying the picture out, shown but not ours to make linear."""
    measured = [r for r in row if 'ns_per_node' in r]
    figures = [spread([r['ns_per_node'] for r in measured]),
               spread([r['bytes_per_node'] for r in measured]),
               spread([r['page_bytes_per_node'] for r in measured])]
    judged = figures[2:] if figures[2] is not None else figures
    return all(f is None or f <= 2 for f in judged), figures


def print_table(rows):
    print("growth: a chain y ← y·w + b; per node: median time (GC on) | peak memory beyond the graph")
    for name, row in rows.items():
        cells = []
        for r in row:
            if 'refused' in r:
                cells.append(f"{r['nodes']:,}: {'refused (limit 3,000)' if r['refused'] else 'drawn'}")
            elif r['page_bytes_per_node'] is not None:
                cells.append(f"{r['nodes']:,}: {r['ns_per_node']:,.0f} ns, {r['page_bytes_per_node']:.0f} B page")
            else:
                cells.append(f"{r['nodes']:,}: {r['ns_per_node']:,.0f} ns, {r['bytes_per_node']:.0f} B")
        ok, figures = linear(row)
        shown = ', '.join('—' if f is None else f"{f:.2f}×" for f in figures)
        print(f"  {name:<18} {' | '.join(cells)} | growth {shown} | {'pass' if ok else 'FAIL'}")
    print("  growth = per-node figure at the bigger sizes ÷ at the smallest (time, memory, page "
          "bytes); linear: ≤ 2×")


if __name__ == '__main__':
    sys.exit(main())
