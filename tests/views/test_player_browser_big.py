"""The player on a network's page in Chromium: what keeps a big page fast must not cost the learner
anything.  The drawing is cut into tiles by place and the tiles far from the view are hidden: every
tile that reaches into the view must be shown, after a step, a jump, a drag and a zoom.  A long
explanation draws its first lines at once and the rest as it is scrolled: all of them must come.
(How fast it is, is bench/player_bench.py's business.)"""
import pytest

import nn
from micrograd import Value, topological_order
from .test_player_browser import ARTIFACTS, browser, embedded_data, open_player, page  # noqa: F401


def network():
    """A 16-16-16-1 nn.MLP on one example: ~600 values, clusters, edges across the drawing."""
    net = nn.MLP(16, [16, 16, 1], rng=0)
    return net([Value(0.1 * k, label=f'x[{k + 1}]') for k in range(16)])


# Tiles that reach into the graph's box but are hidden (would leave a hole), and how many are hidden.
HOLES = """el => {
  const g = el.querySelector('.mg-graph').getBoundingClientRect(), holes = [];
  // a step too big for the pane is drawn apart, over the drawing (the focus view): then that is seen
  const focus = el.querySelector('.mg-focus:not([hidden])');
  let hidden = 0;
  el.querySelectorAll('svg.mg-tile').forEach((t, k) => {
    const r = t.getBoundingClientRect(), off = getComputedStyle(t).visibility === 'hidden';
    hidden += off;
    if (off && !focus && r.right > g.left && r.left < g.right && r.bottom > g.top && r.top < g.bottom)
      holes.push(k + ' at ' + [r.left, r.top, r.right, r.bottom].map(Math.round));
  });
  const current = [...el.querySelectorAll(focus ? '.mg-focus g.mg-focus-current' : 'g.node.mg-current')]
      .filter(e => focus || !e.closest('.mg-focus')).every(e => {   // the value and its op
    const c = e.getBoundingClientRect();
    return getComputedStyle(e).visibility !== 'hidden' && c.left >= g.left && c.right <= g.right &&
           c.top >= g.top && c.bottom <= g.bottom;
  });
  return {tiles: el.querySelectorAll('svg.mg-tile').length, hidden, holes, current};
}"""


def check_no_holes(player, when):
    h = player.evaluate(HOLES)
    assert h['holes'] == [], f"{when}: hidden where seen: {h}"
    return h


def test_only_far_tiles_are_hidden(page, tmp_path):
    page.set_viewport_size({'width': 1280, 'height': 800})
    root = network()
    assert len(topological_order(root)) > 500
    player = open_player(page, tmp_path, root, name='network.html')
    h = check_no_holes(player, "at the start")
    assert h['tiles'] >= 8 and h['hidden'] >= h['tiles'] // 2, f"most of a big drawing is far away: {h}"
    slider = player.locator('input[type=range]')
    total = int(slider.get_attribute('max'))
    for k in list(range(1, 40)) + [total // 3, total // 2, total - 1, total, 7]:
        slider.fill(str(k))
        assert check_no_holes(player, f"step {k}")['current'], f"step {k}: its node is on screen, drawn"
    box = player.locator('.mg-graph').bounding_box()
    page.mouse.move(box['x'] + 200, box['y'] + 200)
    page.mouse.down()
    page.mouse.move(box['x'] + 500, box['y'] + 450, steps=6)
    page.mouse.up()
    check_no_holes(player, "after a drag")
    for name in ('Zoom out', 'Zoom out', 'Zoom out', 'Whole graph', 'Zoom in'):
        player.get_by_role('button', name=name).click()
        check_no_holes(player, f"after {name}")
    ARTIFACTS.mkdir(exist_ok=True)
    player.screenshot(path=str(ARTIFACTS / 'player_network.png'))


def test_a_long_explanation_comes_whole_as_it_is_scrolled(page, tmp_path):
    page.set_viewport_size({'width': 1280, 'height': 800})
    root = network()
    player = open_player(page, tmp_path, root, name='network.html')
    data = embedded_data(page.content())
    steps = data['backward']['steps']
    k, step = max(enumerate(steps, 1), key=lambda ks: len(ks[1]['math']))
    assert len(step['math']) > 20, "a neuron's sum: a line for each of its inputs"
    player.locator('input[type=range]').fill(str(k))
    drawn = player.locator('.mg-text .mg-line')
    assert 1 <= drawn.count() < len(step['math']), "the first lines only, at once"
    side = player.locator('.mg-side')
    for _ in range(len(step['math'])):
        if drawn.count() == len(step['math']):
            break
        side.evaluate("s => { s.scrollTop = s.scrollHeight; }")
        page.wait_for_timeout(100)
    assert drawn.count() == len(step['math']), f"{drawn.count()} of {len(step['math'])} lines after scrolling"
    assert squeeze(drawn.last.text_content()) == flat(step['math'][-1]), "the last line, in the end"
    assert player.locator('.mg-said').text_content() == step['text'], "screen readers get it all at once"
    player.get_by_role('button', name='Next').click()
    after = steps[k]['math']
    assert 1 <= drawn.count() <= len(after) and squeeze(drawn.first.text_content()) == flat(after[0]), \
        "the next step's own lines, from its first"


def flat(line):
    """A line's text as the page draws it (token texts one after another), without spaces."""
    def text(t):
        return t[1:] if isinstance(t, str) else ''.join(text(u) for part in t[1:] for u in part)
    return squeeze(''.join(seg if isinstance(seg, str) else ''.join(text(t) for t in seg) for seg in line))


def squeeze(text):
    return ''.join(text.split())


@pytest.mark.parametrize('lines', [1, 3])
def test_a_short_explanation_is_drawn_whole_at_once(page, tmp_path, lines):
    from .test_player_browser import chain
    player = open_player(page, tmp_path, chain(lines), name='chain.html')
    player.get_by_role('button', name='Next').click()
    data = embedded_data(page.content())
    assert player.locator('.mg-text .mg-line').count() == len(data['backward']['steps'][0]['math'])
    assert player.locator('.mg-text .mg-end').count() == 0


# Each marked element of the drawing and its copy in the highlight's own SVG: the same shapes.
LIT = """el => {
  const shapes = g => [...g.children].filter(c => /^(polygon|ellipse|path)$/.test(c.tagName))
    .map(c => c.tagName + ' ' + (c.getAttribute('points') || c.getAttribute('d') || c.getAttribute('cx')));
  const marked = [...el.querySelectorAll('g.mg-current, g.mg-target, g.mg-edge')].filter(g => !g.closest('.mg-lit, .mg-focus'));
  const copies = [...el.querySelectorAll('svg.mg-lit g[class^=mg-lit-]')];
  const key = g => g.getAttribute('class').split(' ').find(c => /^mg-(lit-)?(current|target|edge)$/.test(c))
    .replace('lit-', '') + ': ' + shapes(g).join(' | ');
  const red = [...el.querySelectorAll('svg.mg-lit g.mg-lit-current > *, svg.mg-lit g.mg-lit-edge > path')]
    .map(s => getComputedStyle(s).stroke);
  return {marked: marked.map(key).sort(), copies: copies.map(key).sort(), red: [...new Set(red)]};
}"""


@pytest.mark.parametrize('big', [False, True])
def test_the_highlight_is_drawn_over_the_marked_shapes(page, tmp_path, big):
    from .test_player_browser import click_next, lecture_neuron
    player = open_player(page, tmp_path, network() if big else lecture_neuron(), name='lit.html')
    for k in range(1, 8):
        click_next(player, 1)
        lit = player.evaluate(LIT)
        assert lit['marked'] and lit['copies'] == lit['marked'], f"step {k}: {lit}"
        assert lit['red'] == ['rgb(220, 38, 38)'], f"step {k}: the step's node and edges in red: {lit['red']}"
    player.locator('input[type=range]').fill('0')
    assert player.evaluate(LIT)['copies'] == [], "nothing is highlighted before the first step"
