"""Issue 19's cases, and the check that a player shows each step whole: used by the saved-page test
(test_player_browser_fit.py) and the live-JupyterLab test (test_jupyterlab.py)."""
import random

from micrograd import Value

# The step's node, its op, its parents and the edges between (or their copies in the focus view):
# each one's box inside the graph pane's visible rectangle (the pane clipped by every ancestor that
# clips or scrolls, and by the window), and every text in them at least 10 CSS px high.
MEASURE = """el => {
  const g = el.querySelector('.mg-graph'), r = g.getBoundingClientRect();
  const pane = {l: r.left + g.clientLeft, t: r.top + g.clientTop};
  pane.r = pane.l + g.clientWidth; pane.b = pane.t + g.clientHeight;
  for (let a = g.parentElement; a; a = a.parentElement) {
    const s = getComputedStyle(a), q = a.getBoundingClientRect();
    if (/(auto|scroll|hidden|clip)/.test(s.overflowX + s.overflowY) && q.width > 0 && q.height > 0) {
      pane.l = Math.max(pane.l, q.left); pane.t = Math.max(pane.t, q.top);
      pane.r = Math.min(pane.r, q.right); pane.b = Math.min(pane.b, q.bottom);
    }
  }
  pane.r = Math.min(pane.r, innerWidth); pane.b = Math.min(pane.b, innerHeight);
  const focus = g.querySelector('.mg-focus:not([hidden])');
  const lit = focus ? [...focus.querySelectorAll('g.node, line')]
                    : [...g.querySelectorAll('.mg-current, .mg-target, .mg-edge')];
  const out = [], small = [], name = e => e.id ? e.id.slice(e.id.indexOf('-v') + 1) : e.textContent.trim() || e.tagName;
  for (const e of lit) {
    const b = e.getBoundingClientRect();
    if (b.width === 0 && b.height === 0) continue;
    if (b.left < pane.l - 1 || b.top < pane.t - 1 || b.right > pane.r + 1 || b.bottom > pane.b + 1)
      out.push(name(e) + ' at ' + [b.left, b.top, b.right, b.bottom].map(Math.round) +
               ' outside ' + [pane.l, pane.t, pane.r, pane.b].map(Math.round));
    for (const t of e.querySelectorAll('text')) {
      const px = parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a;   // font size × zoom
      if (px < 9.99) small.push(name(e) + ': ' + t.textContent + ' at ' + px.toFixed(1) + ' px');
    }
  }
  return {lit: lit.length, problems: out.concat(small)};
}"""


def problems(player, step):
    """What of step `step` is cropped or too small in `player` (a Playwright locator): a list of sentences."""
    player.locator('input[type=range]').fill(str(step))
    seen = player.evaluate(MEASURE)
    if step and not seen['lit']:
        return [f"step {step}: nothing highlighted"]
    return [f"step {step}: {p}" for p in seen['problems']]


def mlp_loss():
    """An nn.MLP(3, [4, 4, 1])'s squared error on one example (issue 19's "every Σ step")."""
    import nn
    m = nn.MLP(3, [4, 4, 1], rng=random.Random(1))
    x = [Value(v, label=f'x{i + 1}') for i, v in enumerate([2.0, 3.0, -1.0])]
    loss = (m(x) - 1.0) ** 2
    loss.label = 'loss'
    return loss


def four_example_loss():
    """micrograd's demo: the summed squared error of an MLP(3, [4, 4, 1]) on four examples."""
    import nn
    m = nn.MLP(3, [4, 4, 1], rng=random.Random(2))
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    loss = sum((m(x) - y) ** 2 for x, y in zip(xs, [1.0, -1.0, -1.0, 1.0]))
    loss.label = 'loss'
    return loss


def notebook_03():
    """Notebook 03's loss l, built as the notebook builds it (Hung-yi Lee's 2-2-2 sigmoid network)."""
    import nn
    from nn.walkthrough import LEE_BIASES, LEE_TARGET, LEE_WEIGHTS, LEE_X
    net = nn.MLP.from_weights(LEE_WEIGHTS, LEE_BIASES, act='sigmoid')
    out, _ = net.forward_trace(list(LEE_X))
    l = nn.quadratic_cost(out, list(LEE_TARGET))
    l.label = 'l'
    return l
