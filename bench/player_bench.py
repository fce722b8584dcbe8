"""The step-through player on two 3,000-value pages in Chromium (a chain, an nn MLP): is each step on
screen in the next frame, how much work is a step, how long does the page take to load.  Issue 15's
target: "step latency ≤ 16 ms per step (one frame); page load ≤ 2 s".  Prints the figures with
pass/FAIL and a last line `player bench: pass` (or FAIL); asserts nothing.

    .venv/bin/python bench/player_bench.py [--values 3000] [--steps 240] [--graph both|chain|mlp]

What "≤ 16 ms per step (one frame)" is taken to mean.  A browser draws only at the display's frames
(every 16.7 ms at 60 Hz), so the time from a click to the frame that shows it is about one frame
interval however little the page does: a page whose handler only changes one number measures the
same 16.6 ms.  That time tests the display, not the player, so it is shown but not judged.  Judged:

- frames: how many display frames pass from the click to the frame that has drawn the step: 1 is
  the very next frame; a step too slow for one frame makes the browser skip frames, and they are
  counted.  Target: the 95th percentile is 1 (the worst step is shown beside it).  The frames are
  counted on the clock of the page's requestAnimationFrame timestamps (the frames' start times):
  ceil((drawn − start of the frame the click fell in) ÷ frame interval) − 1.
- work: the step's own main-thread time: the click's script, plus the drawing frame's style,
  layout and paint (from its requestAnimationFrame to a task posted from there, which runs once the
  frame is done).  Target: median and 95th percentile ≤ 16 ms.
- load: navigation start → the end of the first frame drawn after the player's first show(0)
  (an upper bound: the frame after Playwright sees data-mg-shown), and the wall time from
  Playwright's goto to then (file read, parse, layout, script, paint).  Target ≤ 2 s.

The steps timed are Next clicks in three runs of equal length: from the start of the backward pass,
from its middle and up to its end (--steps in all).  Both pages must pass for the bench to pass.
Debian's Chromium, headless, 1280 × 800.
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
FRAMES, WORK_MS, LOAD_MS = 1, 16.0, 2000.0

TIME_STEPS = """async ([el, starts, count]) => {
  const next = el.querySelector('.mg-next'), slider = el.querySelector('.mg-slider');
  const frame = () => new Promise(r => requestAnimationFrame(r));
  // The display's frame interval: the median gap between idle frames.
  const gaps = [];
  let before = await frame();
  for (let k = 0; k < 40; k++) { const t = await frame(); gaps.push(t - before); before = t; }
  gaps.sort((a, b) => a - b);
  const period = gaps[20];
  // rAF runs at the start of a frame (its timestamp: the frame's start); a task posted from it runs
  // once that frame is drawn.
  const drawn = () => new Promise(r => requestAnimationFrame(start => {
    const t = performance.now(), ch = new MessageChannel();
    ch.port1.onmessage = () => r([start, t, performance.now()]);
    ch.port2.postMessage(0);
  }));
  const frames = [], work = [], latency = [], worst = [];
  for (const from of starts) {
    slider.value = String(from);
    slider.dispatchEvent(new Event('input'));
    let [last] = await drawn();
    [last] = await drawn();
    for (let k = 0; k < count; k++) {
      const t0 = performance.now();
      next.click();
      const t1 = performance.now();
      const [start, frameStart, end] = await drawn();
      const clickFrame = last + Math.floor((t0 - last) / period) * period;
      const f = Math.max(1, Math.ceil((end - clickFrame) / period - 1e-3) - 1);
      frames.push(f);
      work.push((t1 - t0) + (end - frameStart));
      latency.push(end - t0);
      worst.push([f, from + k + 1]);
      last = start;
    }
  }
  worst.sort((a, b) => b[0] - a[0]);
  return {period, frames, work, latency, worst: worst.slice(0, 5)};
}"""


# The end of the next frame drawn, from navigation start: the player's first show(0) is on screen.
FIRST_FRAME = """() => new Promise(r => requestAnimationFrame(() => {
  const ch = new MessageChannel();
  ch.port1.onmessage = () => r(performance.now());
  ch.port2.postMessage(0);
}))"""


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


def pct(xs, q):
    xs = sorted(xs)
    return xs[int(q * (len(xs) - 1))]


def measure(ctx, tmp, name, n_values, n_steps):
    """Print one page's figures; True if all of them pass."""
    root = (chain if name == 'chain' else mlp)(n_values)
    order = topological_order(root)
    edges = sum(len(v._prev) for v in order)
    t = time.perf_counter()
    player = step_through(root, leaves=True)
    path = pathlib.Path(player.save_html(os.path.join(tmp, f'{name}.html')))
    build = time.perf_counter() - t
    size = path.stat().st_size
    page = ctx.new_page()
    loads = []
    for _ in range(3):
        t = time.perf_counter()
        page.goto(path.as_uri())
        page.wait_for_selector('.mg-player[data-mg-shown]', state='attached')
        drawn = page.evaluate(FIRST_FRAME)
        wall = (time.perf_counter() - t) * 1000
        loads.append((drawn, wall))
    el = page.locator('.mg-player').element_handle()
    total = len(player.backward)
    count = max(1, n_steps // 3)
    starts = [0, total // 2 - count // 2, total - count]
    r = page.evaluate(TIME_STEPS, [el, starts, count])
    assert f"step {total} of {total}" in page.locator('.mg-head').text_content()
    page.close()

    frames, work = r['frames'], r['work']
    next_frame = sum(f == 1 for f in frames) / len(frames)
    worst = ', '.join(f"step {k}: {f}" for f, k in r['worst'] if f > 1) or 'none'
    print(f"\nplayer bench: {name}, {len(order)} values, {edges} edges; page {size / 1e6:.2f} MB "
          f"({size / edges:.0f} bytes per edge), built and written in {build:.1f} s; "
          f"{len(frames)} steps timed (from steps {', '.join(str(s + 1) for s in starts)}); "
          f"display frame {r['period']:.1f} ms")
    print(f"{'figure':56} {'measured':>12} {'target':>12}  result")
    rows = [("frames from click to drawn, 95th percentile", pct(frames, 0.95), 'frame', FRAMES),
            ("step's work (script + style + layout + paint), median", statistics.median(work), 'ms', WORK_MS),
            ("step's work, 95th percentile", pct(work, 0.95), 'ms', WORK_MS),
            ("page load: navigation → first step drawn", statistics.median(s for s, _ in loads), 'ms', LOAD_MS),
            ("page load: wall time (goto → drawn)", statistics.median(w for _, w in loads), 'ms', LOAD_MS)]
    ok = True
    for label, value, unit, target in rows:
        passed = value <= target
        ok &= passed
        shown = f"{value:9.1f} ms" if unit == 'ms' else f"{value:6d} frame{'s' if value > 1 else ' '}"
        print(f"{label:56} {shown:>12} {f'≤ {target:g} {unit}':>12}  {'pass' if passed else 'FAIL'}")
    print(f"  drawn in the next frame: {next_frame:.1%} of the steps; most frames: {worst}")
    print(f"  click → drawn (about one display frame whatever the page does; not judged): median "
          f"{statistics.median(r['latency']):.1f} ms, 95th percentile {pct(r['latency'], 0.95):.1f} ms")
    return ok


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--values', type=int, default=3000)
    ap.add_argument('--steps', type=int, default=240, help="steps timed per page (three runs)")
    ap.add_argument('--graph', choices=('both', 'chain', 'mlp'), default='both')
    args = ap.parse_args(argv)
    if not os.path.exists(CHROMIUM):
        sys.exit(f"no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    names = ('chain', 'mlp') if args.graph == 'both' else (args.graph,)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(os.path.join(tmp, 'profile'), executable_path=CHROMIUM,
                                                    args=ARGS, viewport={'width': 1280, 'height': 800})
        verdicts = {name: measure(ctx, tmp, name, args.values, args.steps) for name in names}
        ctx.close()
    print(f"\nplayer bench: {'pass' if all(verdicts.values()) else 'FAIL'} "
          f"({', '.join(n + (' pass' if ok else ' FAIL') for n, ok in verdicts.items())})")


if __name__ == '__main__':
    main()
