"""The step-through player: its HTML, then the real thing in Chromium (a saved page and nbconvert's export)."""
import concurrent.futures
import json
import os
import pathlib
import re
import tempfile

import pytest

from micrograd import Value, step_through, topological_order
from micrograd.views.player import Player
from micrograd.views.graph import describe
from micrograd.views.trace import backward_steps
from .test_trace import lecture_neuron as neuron_and_values


def lecture_neuron():
    return neuron_and_values()[0]

CHROMIUM = '/usr/bin/chromium'
CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                 '--disable-background-networking', '--disable-component-update', '--disable-sync']
ARTIFACTS = pathlib.Path(__file__).parents[1] / 'artifacts'

NEURON = """\
# Karpathy's neuron, as test_trace.lecture_neuron builds it (the notebook test runs this)
from nn.walkthrough import lecture_neuron
o = lecture_neuron(x1w1='x1w1', x2w2='x2w2', s='x1w1x2w2')['o']
"""


def chain(n):
    """y = tanh(… tanh(x·w0 + b0) … ·w_{n−1} + b_{n−1}): 5 values per link."""
    y = Value(0.5, label='x')
    for i in range(n):
        y = (y * Value(0.9, label=f'w{i}') + Value(0.1, label=f'b{i}')).tanh()
    return y


def embedded_data(page_html):
    """The step data of the first player, decoded from its <script type="application/json">."""
    m = re.search(r'<script type="application/json" class="mg-data">(.*?)</script>', page_html, re.S)
    return json.loads(m[1])


# --- the HTML, without a browser ---------------------------------------------------------------

def test_page_is_self_contained(tmp_path):
    o = lecture_neuron()
    page = pathlib.Path(step_through(o).save_html(tmp_path / 'o.html')).read_text(encoding='utf-8')
    assert page.count('<svg') == 1, "the graph is drawn once"
    assert not re.search(r'\b(src|href)\s*=\s*"(?!data:image/png;base64,)', page), \
        "no external script, style sheet, link or image (the untrusted fallback's picture is inline)"
    assert 'window.microgradPlayer = window.microgradPlayer ||' in page and '.mg-player' in page
    assert sorted(set(re.findall(r'https?://[^"\s\']*', page))) == [
        'http://www.w3.org/1998/Math/MathML', 'http://www.w3.org/1999/xlink',
        'http://www.w3.org/2000/svg'], "namespace names only, nothing fetched"
    data = embedded_data(page)
    steps = backward_steps(o)
    assert [s['text'] for s in data['backward']['steps']] == [s.explain() for s in steps]
    assert data['backward']['steps'][0]['grads'][0] == [len(steps) - 1, '1.0000', 1]


def test_labels_cannot_inject_markup():
    evil = Value(2.0, label='<script>alert(1)</script>')
    quote = Value(3.0, label='"&\'</script><!--')
    y = evil * quote; y.label = '<b>y</b>'
    page = step_through(y).html()
    assert '<script>alert' not in page and '<b>y' not in page
    assert page.count('<script') == 2, "only the player's data and code"
    block = re.search(r'class="mg-data">(.*?)</script>', page, re.S)[1]
    assert '<' not in block and '&' not in block, "</ and <!-- inside the JSON would end the script"
    assert "<script>alert(1)</script>" in json.loads(block)['backward']['steps'][0]['text']


def test_every_display_gets_its_own_id():
    p = step_through(lecture_neuron())
    a, b = p.html(), p._repr_html_()
    ida, idb = (re.match(r'<div class="mg-player" id="([^"]+)"', h)[1] for h in (a, b))
    assert ida != idb
    ids = re.findall(r'\bid="([^"]+)"', a)
    assert all(i == ida or i.startswith(ida + '-') for i in ids), "every SVG id is scoped to its player"
    assert f'{ida}-v9' in ids and f'{ida}-v0&#45;v2op&#45;0' in ids


def test_size_grows_linearly():
    small, large = (len(step_through(chain(n)).html().encode()) for n in (50, 100))
    assert len(topological_order(chain(100))) == 501
    assert large < 2_000_000, f"a 501-node player is {large} bytes"
    assert large < 2.1 * small, f"251 nodes: {small} bytes, 501 nodes: {large} bytes (not linear)"


def test_stepping_never_touches_grad():
    o = lecture_neuron()
    order = topological_order(o)
    step_through(o).html()
    assert all(v.grad == 0.0 for v in order)


def test_a_single_value_and_a_top_down_graph():
    x = Value(3.0, label='x')
    data = embedded_data(step_through(x).html())
    assert data['parents'] == [[]] and data['backward']['steps'][0]['grads'] == [[0, '1.0000', 1]]
    assert 'x is an input (a leaf)' in data['backward']['steps'][0]['text']
    page = step_through(lecture_neuron(), rankdir='TB').html()
    assert page.count('<svg') == 1 and 'mg-data' in page


def test_bad_start_is_explained():
    with pytest.raises(ValueError, match="start must be 'backward' or 'forward'"):
        Player(lecture_neuron(), start='sideways')


# --- in Chromium ---------------------------------------------------------------------------

@pytest.fixture(scope='module')
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium to run the browser tests")
    sync_api = pytest.importorskip('playwright.sync_api')
    with tempfile.TemporaryDirectory() as profile, sync_api.sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(profile, executable_path=CHROMIUM,
                                                    args=CHROMIUM_ARGS, viewport={'width': 1100, 'height': 800})
        yield ctx
        ctx.close()


@pytest.fixture
def page(browser):
    page = browser.new_page()
    page.errors = []
    page.dialogs = []
    page.on('pageerror', lambda e: page.errors.append(str(e)))
    page.on('dialog', lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.route(re.compile(r'^https?://'), lambda route: route.abort())   # nothing from the network
    yield page
    assert page.errors == [], f"JavaScript errors: {page.errors}"
    page.close()


STATE = """el => {
  const last = id => id.slice(id.lastIndexOf('-') + 1);
  const values = {};
  el.querySelectorAll('g.node.value:not(.constant)').forEach(g => {
    const t = [...g.querySelectorAll('text')];
    const grad = t.find(x => x.textContent.startsWith('grad ')), data = t.find(x => x.textContent.startsWith('data '));
    values[last(g.id)] = [data.textContent, grad.textContent, grad.getAttribute('class') || ''];
  });
  const current = el.querySelector('g.node.value.mg-current');
  return {current: current && last(current.id), status: el.querySelector('[role=status]').innerText,
          step: el.querySelector('input[type=range]').value, values: values,
          edges: [...el.querySelectorAll('g.edge.mg-edge')].map(e => e.id.slice(e.id.indexOf('-v') + 1)).sort()};
}"""


def state(player):
    return player.evaluate(STATE)


def ids(o):
    """{label: 'v{i}'}: the stable id of each value."""
    return {v.label: f"v{i}" for i, v in enumerate(topological_order(o))}


def open_player(page, tmp_path, o, name='player.html', **kw):
    kw.setdefault('leaves', True)         # the neuron's tests count its 10 steps, inputs included
    path = step_through(o, **kw).save_html(tmp_path / name)
    page.goto(pathlib.Path(path).as_uri())
    return page.locator('.mg-player').first


def click_next(player, times):
    for _ in range(times):
        player.get_by_role('button', name='Next').click()


def check_step_8(s, v):
    """After 8 steps of the neuron: x1w1 pushes ∂o/∂x1w1 = 0.5 to x1 and w1 (the lecture's numbers)."""
    assert s['current'] == v['x1w1'], f"highlighted {s['current']}, want x1w1 = {v['x1w1']}"
    assert 'step 8 of 10' in s['status'], s['status']
    assert '∂o/∂w1 = ∂x1w1/∂w1 · ∂o/∂x1w1 = x1 · 0.5 = 1.0  (x1 = 2.0)' in s['status'], s['status']
    grads = {k: s['values'][i][1] for k, i in v.items()}
    assert grads == {'x1': 'grad -1.5000', 'w1': 'grad 1.0000', 'x2': 'grad 0.5000', 'w2': 'grad 0.0000',
                     'x1w1': 'grad 0.5000', 'x2w2': 'grad 0.5000', 'x1w1x2w2': 'grad 0.5000',
                     'b': 'grad 0.5000', 'n': 'grad 0.5000', 'o': 'grad 1.0000'}, grads
    assert 'mg-new' in s['values'][v['w1']][2] and 'mg-new' not in s['values'][v['n']][2]
    x1, w1, x1w1 = (v[k][1:] for k in ('x1', 'w1', 'x1w1'))
    assert s['edges'] == sorted([f"v{x1}-v{x1w1}op-0", f"v{w1}-v{x1w1}op-1", f"v{x1w1}op-v{x1w1}"])


def slider_keys_play(page, player, at8, v, previous='Previous', play='Play'):
    """From step 8 of the neuron: the slider and the arrow keys reach the same state as Next ×8,
    Previous goes back one, Play runs to the end and turns back into Play; the final state."""
    slider = player.locator('input[type=range]')
    slider.fill('0')
    assert state(player)['current'] is None
    slider.fill('8')
    assert state(player) == at8, "the slider reaches the same state as Next ×8"

    slider.fill('0')
    player.focus()
    for _ in range(9):
        page.keyboard.press('ArrowRight')
    page.keyboard.press('ArrowLeft')
    assert state(player) == at8, "the arrow keys reach the same state as Next ×8"
    player.get_by_role('button', name=previous).click()
    assert state(player)['current'] == v['x2']

    player.get_by_role('button', name=play).click()
    page.wait_for_function("el => el.querySelector('input[type=range]').value === '10'",
                           arg=player.element_handle(), timeout=5000)
    assert player.get_by_role('button', name=play).is_visible(), "Pause turns back into Play at the end"
    return state(player)


def test_saved_page_next_slider_keys_play(page, tmp_path):
    o = lecture_neuron()
    v = ids(o)
    player = open_player(page, tmp_path, o, delay=0.05)
    s = state(player)
    assert s['current'] is None and 'Backward pass · ready' in s['status']
    assert all(grad == 'grad ' for _, grad, _ in s['values'].values()), "no gradient before the first step"

    click_next(player, 4)                   # x1w1x2w2 pushes 0.5 to x1w1 and x2w2
    s = state(player)
    assert s['current'] == v['x1w1x2w2'] and 'step 4 of 10' in s['status']
    assert s['values'][v['x1w1']][1:] == ['grad 0.5000', 'mg-new']
    assert s['values'][v['x1']][1] == 'grad ' and s['values'][v['o']][1] == 'grad 1.0000'

    click_next(player, 4)
    at8 = state(player)
    check_step_8(at8, v)
    ARTIFACTS.mkdir(exist_ok=True)
    player.screenshot(path=str(ARTIFACTS / 'player_saved_page.png'))

    s = slider_keys_play(page, player, at8, v)
    assert 'step 10 of 10' in s['status'] and '∂o/∂x1 = -1.5 is complete' in s['status']
    final = {k: s['values'][i][1] for k, i in v.items()}
    assert final['x1'] == 'grad -1.5000' and final['w1'] == 'grad 1.0000' and 'grad ' not in final.values()


def test_forward_pass_switch(page, tmp_path):
    o = lecture_neuron()
    v = ids(o)
    player = open_player(page, tmp_path, o)
    player.get_by_label('forward pass').check()
    click_next(player, 3)
    s = state(player)
    assert s['current'] == v['x1w1'] and 'Forward pass · step 3 of 10' in s['status']
    assert 'x1w1 = x1·w1 = 2.0·(-3.0) = -6.0' in s['status']
    assert s['values'][v['x1w1']][0] == 'data -6.0000' and s['values'][v['o']][0] == 'data '
    assert all(grad == 'grad ' for _, grad, _ in s['values'].values()), "no gradients in the forward pass"
    player.get_by_label('backward pass').check()
    s = state(player)
    assert 'Backward pass · ready' in s['status'] and s['values'][v['o']][0] == 'data 0.7071'


def test_two_players_step_independently(page, tmp_path):
    o = lecture_neuron()
    v = ids(o)
    p = step_through(o, leaves=True)
    path = tmp_path / 'two.html'
    path.write_text(f'<!DOCTYPE html><meta charset="utf-8"><body>{p.html()}<hr>{p.html()}</body>',
                    encoding='utf-8')
    page.goto(path.as_uri())
    first, second = page.locator('.mg-player').nth(0), page.locator('.mg-player').nth(1)
    click_next(first, 8)
    check_step_8(state(first), v)
    assert state(second)['current'] is None and 'ready' in state(second)['status']
    second.get_by_label('forward pass').check()
    second.focus()
    page.keyboard.press('ArrowRight')
    assert 'Forward pass · step 1 of 10' in state(second)['status']
    check_step_8(state(first), v)
    page.evaluate("id => window.microgradPlayer(id)", second.get_attribute('id'))  # again: no effect
    second.get_by_role('button', name='Next').click()
    assert 'Forward pass · step 2 of 10' in state(second)['status'], "one click, one step"
    check_step_8(state(first), v)


def test_escaped_labels_in_the_browser(page, tmp_path):
    evil = Value(2.0, label='<script>alert(1)</script>')
    quote = Value(3.0, label='"&\'')
    y = evil * quote; y.label = '<img src=x onerror=alert(2)>'
    player = open_player(page, tmp_path, y)
    click_next(player, 1)
    s = state(player)
    assert "∂(<img src=x onerror=alert(2)>)/∂\"&'" in s['status'], s['status']   # a spaced name: (…)
    texts = player.locator('svg text').all_text_contents()
    assert '<script>alert(1)</script>' in texts and '"&\'' in texts
    assert page.locator('img:not(.mg-picture)').count() == 0 and page.dialogs == []


def exported_notebook():
    """A notebook with two players, executed by nbclient and exported by nbconvert's HTMLExporter."""
    nbformat = pytest.importorskip('nbformat')
    nbclient = pytest.importorskip('nbclient')
    nbconvert = pytest.importorskip('nbconvert')
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('from micrograd import Value, step_through\n' + NEURON),
                nbformat.v4.new_code_cell('step_through(o, leaves=True)'),
                nbformat.v4.new_code_cell('step_through(o, start="forward", leaves=True)')]
    nbclient.NotebookClient(nb, timeout=60, kernel_name='python3',
                            extra_arguments=['--colors=nocolor']).execute()
    return nbconvert.HTMLExporter().from_notebook_node(nb)[0]


def test_nbconvert_export(page, tmp_path):
    # In a thread of its own: Playwright's event loop in this one slows nbclient's down tenfold.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        body = pool.submit(exported_notebook).result()
    path = tmp_path / 'exported.html'
    path.write_text(body, encoding='utf-8')
    page.goto(path.as_uri(), wait_until='domcontentloaded')
    players = page.locator('.mg-player')
    players.nth(1).wait_for()
    first = players.nth(0)
    page.wait_for_function("el => el.getAttribute('data-mg-ready')", arg=first.element_handle())
    click_next(first, 8)
    check_step_8(state(first), ids(lecture_neuron()))
    assert 'Forward pass · ready' in state(players.nth(1))['status']
    first.scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    first.screenshot(path=str(ARTIFACTS / 'player_nbconvert.png'))


# --- the seeds' pages, as `./run demo` writes them -------------------------------------------

def seed_pages():
    from micrograd.cli.demo import _seed_graphs
    return {name: root for name, _, root in _seed_graphs()}


STEP_IN_VIEW = """el => {
  const g = el.querySelector('.mg-graph').getBoundingClientRect();
  const box = {l: Math.max(g.left, 0), t: Math.max(g.top, 0),
               r: Math.min(g.right, innerWidth), b: Math.min(g.bottom, innerHeight)};
  const outside = [];
  const shown = [...el.querySelectorAll('g.mg-current, g.mg-target, g.mg-edge')];
  shown.forEach(e => {
    const r = e.getBoundingClientRect();
    if (r.left < box.l - 0.5 || r.right > box.r + 0.5 || r.top < box.t - 0.5 || r.bottom > box.b + 0.5)
      outside.push(e.id.slice(e.id.indexOf('-') + 1) + ' at ' + [r.left, r.top, r.right, r.bottom].map(Math.round)
                   + ', view ' + [box.l, box.t, box.r, box.b].map(Math.round));
  });
  const px = [...el.querySelectorAll('g.mg-current text, g.mg-target text')].map(t =>
    parseFloat(t.getAttribute('font-size')) * 4 / 3 * parseFloat(el.dataset.mgScale));
  const scale = parseFloat(el.dataset.mgScale), readable = parseFloat(el.dataset.mgReadable);
  const cur = el.querySelector('g.node.mg-current');
  return {node: cur && cur.id.slice(cur.id.lastIndexOf('-') + 1), outside: outside, atReadable: Math.abs(scale - readable) < 1e-3, nodes: el.querySelectorAll('g.node.mg-current, g.node.mg-target').length,
          smallest: Math.min(...px), head: el.querySelector('.mg-head').textContent};
}"""


def steps_shown(player):
    return int(player.locator('input[type=range]').get_attribute('max'))


@pytest.mark.parametrize('width,height', [(1280, 800), (390, 844)])
@pytest.mark.parametrize('name', ['01-chain-rule', '02-multi-path', 'chain of 201 (tiled)'])
def test_every_step_is_in_view(page, tmp_path, name, width, height):
    page.set_viewport_size({'width': width, 'height': height})
    root = chain(40) if name.startswith('chain') else seed_pages()[name]
    player = open_player(page, tmp_path, root, leaves=False)
    if name.startswith('chain'):
        assert player.locator('svg.mg-tile').count() >= 4, "a big graph is drawn in tiles"
    for kind in ('backward', 'forward'):
        player.get_by_label(f'{kind} pass').check()
        for k in range(1, steps_shown(player) + 1):
            click_next(player, 1)
            s = player.evaluate(STEP_IN_VIEW)
            assert f'step {k} of' in s['head'], s['head']
            current = [o for o in s['outside'] if re.match(r'v\d+(op)? ', o.split('-', 1)[1])
                       and o.split('-', 1)[1].split(' ')[0].rstrip('op') == s['node']]
            assert s['nodes'] >= 1 and current == [], f"{name} {kind} step {k} at {width}px: {current}"
            if width >= 1000:           # a phone cannot hold a parent beside its child at 10 px text
                assert s['outside'] == [], f"{name} {kind} step {k} at {width}px: {s['outside']}"
            else:
                assert s['outside'] == [] or s['atReadable'], f"not zoomed out as far as it may: {s['outside']}"
            assert s['smallest'] >= 10 - 1e-6, f"{name} {kind} step {k}: text {s['smallest']:.1f} px high"
    player.screenshot(path=str(ARTIFACTS / f"player_{name.split(' ')[0]}_{width}.png"))


def svg_texts(player):
    return set(t.replace('\u00a0', ' ') for t in player.locator('svg text').all_text_contents())


@pytest.mark.parametrize('name', ['01-chain-rule', '02-multi-path'])
def test_every_name_in_an_explanation_is_in_the_picture(page, tmp_path, name):
    root = seed_pages()[name]
    player = open_player(page, tmp_path, root, leaves=True)
    texts = svg_texts(player)
    missing = {}
    for s in backward_steps(root):
        click_next(player, 1)
        status = player.locator('.mg-said').text_content()
        shown = {s.name, s.L} | {t.parent_name for t in s.terms}
        for n in shown:
            assert n in status, f"step {s.number}: {n} is not in the explanation {status!r}"
            if n not in texts:
                missing.setdefault(n, s.number)
    if missing and all(re.fullmatch(r'v\d+', n) for n in missing):
        pytest.xfail(f"issue 11 item 2 (trace.py's names, the other helper's work): the steps name "
                     f"unlabelled nodes {sorted(missing, key=lambda n: int(n[1:]))} that the picture does not draw")
    assert not missing, f"named in the explanation, not in the picture: {missing}"


def final_grads(player):
    player.locator('input[type=range]').fill(str(steps_shown(player)))
    return {k: v[1] for k, v in state(player)['values'].items()}


def test_leaf_steps_fold_and_come_back(page, tmp_path):
    root = seed_pages()['01-chain-rule']
    order = topological_order(root)
    leaves = sum(1 for v in order if not v._prev)
    player = open_player(page, tmp_path, root, leaves=False)
    assert steps_shown(player) == len(order) - leaves and leaves >= 8
    folded = final_grads(player)
    player.get_by_label('leaf steps').check()
    n = len(backward_steps(root))           # a step for every input; none for a constant
    assert steps_shown(player) == n < len(order)
    assert f'step {n} of {n}' in state(player)['status'], "the end stays the end"
    assert final_grads(player) == folded
    root.backward()
    assert folded == {f"v{i}": f"grad {v.grad:.4f}" for i, v in enumerate(order) if v.label or v._prev}
    player.get_by_label('leaf steps').uncheck()
    said = []
    for k in range(1, steps_shown(player) + 1):
        player.locator('input[type=range]').fill(str(k))
        said.append(player.locator('.mg-said').text_content())
    names = describe(root).names
    done = sorted(n for t in said for n in done_names(t))
    assert done == sorted(names[i] for i, v in enumerate(order) if not v._prev), "each input said once"
    assert all('push it back through' in t for t in said), "every folded step still pushes something back"


def test_a_tiled_page_ends_on_backwards_numbers(page, tmp_path):
    root = chain(40)
    order = topological_order(root)
    player = open_player(page, tmp_path, root, leaves=False)
    pid = player.get_attribute('id')
    final = final_grads(player)
    root.backward()
    assert final == {f"v{i}": f"grad {v.grad:.4f}" for i, v in enumerate(order) if v.label or v._prev}
    w = node_index(root, 'w20')
    player.get_by_role('button', name='Whole graph').click()
    player.get_by_role('button', name='Zoom in').click()
    player.locator('input[type=range]').fill('1')
    for _ in range(3):                      # bring w20 into view: step to the node it feeds
        page.keyboard.press('End')
    target = next(s for s in backward_steps(root) if w in [t.parent for t in s.terms])
    player.locator('input[type=range]').fill(str([s for s in backward_steps(root) if s.terms].index(target) + 1))
    page.locator(f'#{pid}-v{w}').click()
    assert 'w20' in done_names(state(player)['status']), "a click reaches a value in a tile"


def done_names(status):
    """The leaves a step's text says are done ('w[1][1], b[1]: parameters, done'), in order."""
    lines = [line.strip() for line in status.split('\n') if line.endswith(', done')]
    return [n for line in lines for n in re.split(r', |: (?:an? )?\w+, done(?:; )?', line) if n]


def node_index(root, label):
    return next(i for i, v in enumerate(topological_order(root)) if v.label == label)


def test_clicking_a_value_lands_on_its_step(page, tmp_path):
    root = seed_pages()['02-multi-path']
    player = open_player(page, tmp_path, root, leaves=False)
    pid = player.get_attribute('id')
    player.get_by_role('button', name='Whole graph').click()
    a = node_index(root, 'a[1][1]')
    page.locator(f'#{pid}-v{a}').click()
    s = state(player)
    assert s['current'] == f'v{a}' and 'push it back through a[1][1] = σ(z[1][1])' in s['status'], s['status']
    w = node_index(root, 'w[2][1][1]')
    page.locator(f'#{pid}-v{w}').click()
    s = state(player)
    assert 'w[2][1][1]' in done_names(s['status']) and 'mg-new' in s['values'][f'v{w}'][2], \
        "an input lands on the step that completes its gradient"
    where = "el => el.querySelector('.mg-canvas').style.transform + ' ' + el.querySelector('.mg-graph').scrollLeft"
    before = player.evaluate(where)
    box = player.locator('g.node.value.mg-current').bounding_box()     # on screen: the view follows it
    page.mouse.move(box['x'] + 5, box['y'] + 5)
    page.mouse.down()
    page.mouse.move(box['x'] + 80, box['y'] + 40, steps=5)
    page.mouse.up()
    assert state(player)['current'] == s['current'], "a drag pans, it does not click"
    assert player.evaluate(where) != before


def scale(player):
    return float(player.get_attribute('data-mg-scale'))


def test_wheel_zooms_once_the_player_has_focus(page, tmp_path):
    player = open_player(page, tmp_path, seed_pages()['01-chain-rule'])
    graph = player.locator('.mg-graph').bounding_box()
    page.mouse.move(graph['x'] + graph['width'] / 2, graph['y'] + graph['height'] / 2)
    s0 = scale(player)
    page.mouse.wheel(0, -300)
    assert scale(player) == s0, "without focus the wheel scrolls the page"
    player.focus()
    page.mouse.wheel(0, -300)
    assert scale(player) > s0
    page.keyboard.press('-')
    page.keyboard.press('-')
    assert scale(player) < s0 * 1.6


def background(player):
    return player.evaluate("""el => {
        const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
        const lum = ([r, g, b]) => (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
        const fill = el.querySelector('g.node.value polygon');
        return {player: lum(rgb(getComputedStyle(el).backgroundColor)),
                page: lum(rgb(getComputedStyle(document.body).backgroundColor)),
                text: lum(rgb(getComputedStyle(el).color)),
                box: lum(rgb(getComputedStyle(fill).fill))};
    }""")


def test_dark_mode(page, tmp_path):
    page.emulate_media(color_scheme='dark')
    player = open_player(page, tmp_path, seed_pages()['02-multi-path'])
    click_next(player, 5)
    b = background(player)
    assert b['player'] < 0.15 and b['page'] < 0.15 and b['box'] < 0.3 and b['text'] > 0.7, b
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / 'player_dark.png'))
    page.evaluate("document.body.setAttribute('data-jp-theme-light', 'true')")   # JupyterLab's light theme
    page.wait_for_function("el => !el.classList.contains('mg-dark')", arg=player.element_handle())
    assert background(player)['player'] > 0.9
    page.emulate_media(color_scheme='light')
    page.evaluate("document.body.setAttribute('data-jp-theme-light', 'false')")  # JupyterLab's dark theme
    page.wait_for_function("el => el.classList.contains('mg-dark')", arg=player.element_handle())
    assert background(player)['player'] < 0.15


def test_narrow_page_shows_the_explanation_under_the_graph(page, tmp_path):
    page.set_viewport_size({'width': 390, 'height': 844})
    player = open_player(page, tmp_path, seed_pages()['02-multi-path'], leaves=False)
    click_next(player, 5)
    graph, status = (player.locator(c).bounding_box() for c in ('.mg-graph', '.mg-status'))
    assert status['y'] >= graph['y'] + graph['height'], "under the graph"
    assert status['y'] + 80 <= 844 and status['x'] >= 0 and status['x'] + status['width'] <= 390, status
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling"
    assert 'step 5 of' in player.locator('.mg-head').text_content()
    page.screenshot(path=str(ARTIFACTS / 'player_390.png'))
    page.set_viewport_size({'width': 1280, 'height': 800})
    # the player lays out again when its ResizeObserver reports, a frame or so after the resize
    page.wait_for_function(
        "el => el.querySelector('.mg-status').getBoundingClientRect().left >= "
        "el.querySelector('.mg-graph').getBoundingClientRect().right", arg=player.element_handle(), timeout=5000)
    graph, status = (player.locator(c).bounding_box() for c in ('.mg-graph', '.mg-status'))
    assert status['x'] >= graph['x'] + graph['width'] and status['y'] < graph['y'] + 10, "beside the graph"
    assert status['y'] + status['height'] <= 800


def test_speed_control_sets_the_play_interval(page, tmp_path):
    page.clock.install()
    player = open_player(page, tmp_path, seed_pages()['02-multi-path'], leaves=False)
    step = lambda: int(player.locator('input[type=range]').input_value())
    player.get_by_label('seconds per step').select_option('1000')
    player.get_by_role('button', name='Play').click()
    page.clock.run_for(2000)
    assert step() == 2
    player.get_by_label('seconds per step').select_option('250')
    page.clock.run_for(1000)
    assert step() == 6, "four steps a second once the speed is 0.25 s"
    player.get_by_role('button', name='Pause').click()
    page.clock.run_for(2000)
    assert step() == 6


def test_the_equations_are_mathml(page, tmp_path):
    root = seed_pages()['02-multi-path']
    second = [s for s in backward_steps(root) if s.terms][1]
    player = open_player(page, tmp_path, root, leaves=False)
    click_next(player, 2)
    frac = player.locator('.mg-text math mfrac').first
    num, den = (frac.locator(':scope > mrow').nth(k).bounding_box() for k in (0, 1))
    assert num['y'] + num['height'] <= den['y'] + 1, "numerator drawn above the denominator"
    assert frac.locator(':scope > mrow').nth(0).text_content() == '∂l'
    assert player.locator('.mg-text').get_attribute('aria-hidden') == 'true'
    assert second.explain().split('\n')[0] in player.locator('[role=status]').inner_text(), \
        "screen readers get the text"


# --- where scripts do not run: an untrusted notebook ---------------------------------------

JUPYTERLAB_RANKS = [('text/html', True), ('text/markdown', True), ('text/latex', True),
                    ('image/svg+xml', False), ('image/png', True), ('application/javascript', False),
                    ('text/plain', True)]   # @jupyterlab/rendermime's default factories, by rank


def jupyterlab_shows(data, trusted):
    """The mime type JupyterLab 4 renders for an output (preferredMimeType: untrusted → safe only)."""
    for mime, safe in JUPYTERLAB_RANKS:
        if mime in data and (trusted or safe):
            return mime
    return None


def sanitized(html_text):
    """What JupyterLab's sanitizer keeps of untrusted HTML: no script, style or svg (their text stays),
    and no valueless `hidden` (sanitize-html drops an empty value of its nonBooleanAttributes)."""
    html_text = re.sub(r'<(script|style)\b.*?</\1>', '', html_text, flags=re.S)
    html_text = re.sub(r'(<[^>]*?)\s(hidden)(?=[\s/>])(?!=)', r'\1', html_text)
    return re.sub(r'<svg\b.*?</svg>', lambda m: re.sub(r'<[^>]*>', '', m[0]), html_text, flags=re.S)


def executed_untrusted_notebook(tmp_path):
    nbformat = pytest.importorskip('nbformat')
    nbclient = pytest.importorskip('nbclient')
    from nbformat.sign import NotebookNotary
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('from micrograd import Value, step_through\n' + NEURON),
                nbformat.v4.new_code_cell('step_through(o)')]
    nbclient.NotebookClient(nb, timeout=60, kernel_name='python3',
                            extra_arguments=['--colors=nocolor']).execute()
    notary = NotebookNotary(data_dir=str(tmp_path), db_file=':memory:')
    notary.sign(nb)
    assert notary.check_signature(nb)
    notary.unsign(nb)                       # as a notebook someone else handed out
    assert not notary.check_signature(nb)
    notary.mark_cells(nb, False)
    return nb


def test_untrusted_notebook_shows_the_steps_and_how_to_trust(page, tmp_path):
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        nb = pool.submit(executed_untrusted_notebook, tmp_path).result()
    from micrograd.views.player import TRUST
    out = nb.cells[1].outputs[0]
    assert not nb.cells[1].metadata.get('trusted', True)
    assert jupyterlab_shows(out.data, trusted=True) == 'text/html'
    assert jupyterlab_shows(out.data, trusted=False) == 'text/html', "shown sanitized, not as text"
    assert TRUST in out.data['text/plain'] and 'step 10/10' in out.data['text/plain']
    path = tmp_path / 'untrusted.html'
    path.write_text('<!DOCTYPE html><meta charset="utf-8"><body>' + sanitized(out.data['text/html']),
                    encoding='utf-8')
    ctx = page.context.browser.new_context(java_script_enabled=False) if page.context.browser else None
    view = ctx.new_page() if ctx else page
    view.goto(path.as_uri())
    assert view.get_by_text(TRUST[:40]).is_visible()
    assert view.locator('button').count() > 0 and not view.locator('button').first.is_visible()
    assert not view.locator('.mg-live').is_visible(), "no bare buttons, no svg text soup"
    picture = view.locator('img.mg-picture')    # the final picture: <img src="data:…"> is kept
    assert picture.is_visible() and picture.evaluate('i => i.naturalWidth') > 200
    view.locator('summary').click()
    assert view.get_by_text('∂o/∂w1 = ∂x1w1/∂w1 · ∂o/∂x1w1 = x1 · 0.5 = 1.0').is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    view.screenshot(path=str(ARTIFACTS / 'player_untrusted.png'))
    if ctx:
        ctx.close()


def test_draw_dot_in_an_untrusted_notebook_shows_the_png_and_trusted_the_svg(page, tmp_path):
    from micrograd import draw_dot
    a, y = Value(3.0, label='a'), Value(1.0, label='y')
    C = (a - y) ** 2
    C.backward()
    html_text = draw_dot(C)._repr_mimebundle_()['text/html']
    untrusted, trusted = tmp_path / 'untrusted.html', tmp_path / 'trusted.html'
    untrusted.write_text('<!DOCTYPE html><meta charset="utf-8"><body>' + sanitized(html_text), encoding='utf-8')
    trusted.write_text('<!DOCTYPE html><meta charset="utf-8"><body>' + html_text, encoding='utf-8')
    page.goto(trusted.as_uri())
    assert page.locator('svg').first.is_visible() and page.locator('img').count() == 0
    ctx = page.context.browser.new_context(java_script_enabled=False) if page.context.browser else None
    view = ctx.new_page() if ctx else page
    view.goto(untrusted.as_uri())
    picture = view.locator('img')
    assert picture.is_visible() and picture.evaluate('i => i.naturalWidth') > 200
    assert view.locator('body').inner_text().strip() == '', "no words of the stripped SVG show"
    if ctx:
        ctx.close()
