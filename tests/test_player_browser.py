"""The step-through player: its HTML, then the real thing in Chromium (a saved page and nbconvert's export)."""
import concurrent.futures
import json
import os
import pathlib
import re
import tempfile

import pytest

from micrograd import Value, step_through, topological_order
from micrograd.player import Player
from micrograd.trace import backward_steps
from test_trace import lecture_neuron as neuron_and_values


def lecture_neuron():
    return neuron_and_values()[0]

CHROMIUM = '/usr/bin/chromium'
CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                 '--disable-background-networking', '--disable-component-update', '--disable-sync']
ARTIFACTS = pathlib.Path(__file__).parent / 'artifacts'

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
    assert not re.search(r'\b(src|href)\s*=', page), "no external script, style sheet or link"
    assert 'window.microgradPlayer = window.microgradPlayer ||' in page and '.mg-player' in page
    assert re.findall(r'https?://[^"\s]*', page) == ['http://www.w3.org/2000/svg',
                                                       'http://www.w3.org/1999/xlink']  # names only
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
  el.querySelectorAll('g.node.value').forEach(g => {
    const t = g.querySelectorAll('text');
    const grad = t[t.length - 1], data = t[t.length - 2];
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
    player.get_by_role('button', name='Previous').click()
    assert state(player)['current'] == v['x2']

    player.get_by_role('button', name='Play').click()
    page.wait_for_function("el => el.querySelector('input[type=range]').value === '10'",
                           arg=player.element_handle(), timeout=5000)
    s = state(player)
    assert 'step 10 of 10' in s['status'] and '∂o/∂x1 = -1.5 is complete' in s['status']
    assert player.get_by_role('button', name='Play').is_visible(), "Pause turns back into Play at the end"
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
    assert 'x1w1 = x1 · w1 = 2.0 · (-3.0) = -6.0' in s['status']
    assert s['values'][v['x1w1']][0] == 'data -6.0000' and s['values'][v['o']][0] == 'data '
    assert all(grad == 'grad ' for _, grad, _ in s['values'].values()), "no gradients in the forward pass"
    player.get_by_label('backward pass').check()
    s = state(player)
    assert 'Backward pass · ready' in s['status'] and s['values'][v['o']][0] == 'data 0.7071'


def test_two_players_step_independently(page, tmp_path):
    o = lecture_neuron()
    v = ids(o)
    p = step_through(o)
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
    assert "∂<img src=x onerror=alert(2)>/∂\"&'" in s['status'], s['status']
    texts = player.locator('svg text').all_text_contents()
    assert '<script>alert(1)</script>' in texts and '"&\'' in texts
    assert page.locator('img').count() == 0 and page.dialogs == []


def exported_notebook():
    """A notebook with two players, executed by nbclient and exported by nbconvert's HTMLExporter."""
    nbformat = pytest.importorskip('nbformat')
    nbclient = pytest.importorskip('nbclient')
    nbconvert = pytest.importorskip('nbconvert')
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('from micrograd import Value, step_through\n' + NEURON),
                nbformat.v4.new_code_cell('step_through(o)'),
                nbformat.v4.new_code_cell('step_through(o, start="forward")')]
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
