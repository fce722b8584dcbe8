"""The step-through player on a 3,000-value page in Chromium: how long one step takes to reach the
screen, and how long the page takes to load.  Targets (issue 15): a step ≤ 16 ms (one frame at
60 Hz), a page load ≤ 2 s.  Prints the numbers with pass/FAIL; asserts nothing.

    .venv/bin/python bench/player_bench.py [--values 3000] [--steps 200] [--graph chain|mlp]

A step is timed from the Next click (dispatched in the page) to the end of the frame that draws it
(a task posted from that frame's requestAnimationFrame runs once it is drawn); its work is that
minus the wait for the frame to start (the script, then the frame's style, layout and paint).  The
load is timed from navigation start to the end of the player's first show(0) (data-mg-shown), and
as the wall time of Playwright's goto (file read, parse, layout, script).  Debian's Chromium, headless.
"""
import argparse
import os
import pathlib
import statistics
import sys
import tempfile
import time

from micrograd import Value, step_through, topological_order

CHROMIUM = '/usr/bin/chromium'
ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync']
STEP_MS, LOAD_MS = 16.0, 2000.0

TIME_STEPS = """async ([el, count]) => {
  const next = el.querySelector('.mg-next'), times = [], work = [];
  // rAF runs at the start of a frame; a task posted from it runs once that frame is drawn.
  const drawn = () => new Promise(r => requestAnimationFrame(() => {
    const t = performance.now();
    const ch = new MessageChannel();
    ch.port1.onmessage = () => r([t, performance.now()]);
    ch.port2.postMessage(0);
  }));
  await drawn();
  for (let k = 0; k < count; k++) {
    const t0 = performance.now();
    next.click();
    const t1 = performance.now();
    const [frameStart, end] = await drawn();
    times.push(end - t0);
    work.push((t1 - t0) + (end - frameStart));
  }
  return [times, work];
}"""


def chain(n_values):
    """y = tanh(y·w + b) again and again: 5 values a link (w, y·w, b, the sum, tanh)."""
    y = Value(0.5, label='x')
    for i in range(max(1, (n_values - 1) // 5)):
        y = (y * Value(0.9, label=f'w{i}') + Value(0.1, label=f'b{i}')).tanh()
    return y


def mlp(n_values):
    """An nn MLP (labelled, clustered) of at most n values: layers of 16 neurons, one example."""
    import nn

    def build(depth):
        net = nn.MLP(16, [16] * depth + [1], rng=0)
        return net([Value(0.1 * k, label=f'x[{k + 1}]') for k in range(16)])
    depth = 1
    while len(topological_order(build(depth + 1))) <= n_values:
        depth += 1
    return build(depth)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--values', type=int, default=3000)
    ap.add_argument('--steps', type=int, default=200, help="steps timed (from the start of the pass)")
    ap.add_argument('--graph', choices=('chain', 'mlp'), default='chain')
    args = ap.parse_args(argv)
    if not os.path.exists(CHROMIUM):
        sys.exit(f"no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    root = (chain if args.graph == 'chain' else mlp)(args.values)
    order = topological_order(root)
    edges = sum(len(v._prev) for v in order)
    t = time.perf_counter()
    player = step_through(root, leaves=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        path = pathlib.Path(player.save_html(os.path.join(tmp, 'player.html')))
        build = time.perf_counter() - t
        size = path.stat().st_size
        ctx = pw.chromium.launch_persistent_context(os.path.join(tmp, 'profile'), executable_path=CHROMIUM,
                                                    args=ARGS, viewport={'width': 1280, 'height': 800})
        page = ctx.new_page()
        loads = []
        for _ in range(3):
            t = time.perf_counter()
            page.goto(path.as_uri())
            page.wait_for_selector('.mg-player[data-mg-shown]', state='attached')
            wall = (time.perf_counter() - t) * 1000
            shown = float(page.locator('.mg-player').get_attribute('data-mg-shown'))
            loads.append((shown, wall))
        el = page.locator('.mg-player').element_handle()
        times, work = page.evaluate(TIME_STEPS, [el, args.steps])
        assert f"step {args.steps} of" in page.locator('.mg-head').text_content()
        ctx.close()

    shown = statistics.median(s for s, _ in loads)
    wall = statistics.median(w for _, w in loads)
    times.sort()
    work.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    print(f"player bench: {args.graph}, {len(order)} values, {edges} edges; page {size / 1e6:.2f} MB "
          f"({size / edges:.0f} bytes per edge), built and written in {build:.1f} s")
    print(f"{'figure':52} {'measured':>12} {'target':>10}  result")
    rows = [(f"step to screen (click → drawn), median of {len(times)}", statistics.median(times), STEP_MS),
            ("step to screen, 95th percentile", p95, STEP_MS),
            ("step's work (script + style + layout + paint)", statistics.median(work), STEP_MS),
            ("step's work, 95th percentile", work[int(0.95 * (len(work) - 1))], STEP_MS),
            ("page load: navigation → first step shown", shown, LOAD_MS),
            ("page load: goto wall time", wall, LOAD_MS)]
    for name, ms, target in rows:
        verdict = '' if target is None else ('pass' if ms <= target else 'FAIL')
        print(f"{name:52} {ms:9.1f} ms {'' if target is None else f'≤ {target:g} ms':>10}  {verdict}")


if __name__ == '__main__':
    main()
