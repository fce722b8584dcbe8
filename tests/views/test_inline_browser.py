"""`draw_dot` in a live JupyterLab (1440×900, the file browser open), as a learner sees it: text at
its natural size (≥ 12 CSS px) in a box that scrolls and zooms, dark in JupyterLab Dark, and the
PNG where the notebook is not trusted.  The test starts its own JupyterLab (its settings, workspace
and notebook signatures in a temporary directory) and drives it with Chromium."""
import os
import pathlib
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import pytest

from micrograd import draw_dot
from .player_fit import mlp_loss
from .test_player_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, jupyterlab_shows, lecture_neuron

SHOTS = pathlib.Path(os.environ.get('MG_SHOTS', ARTIFACTS))
CELLS = ["""\
import random, nn
from micrograd import Value, draw_dot
from nn.walkthrough import lecture_neuron
o = lecture_neuron(x1w1='x1w1', x2w2='x2w2', s='x1w1x2w2')['o']
o.backward()
draw_dot(o)""", """\
m = nn.MLP(3, [4, 4, 1], rng=random.Random(1))
x = [Value(v, label=f'x{i + 1}') for i, v in enumerate([2.0, 3.0, -1.0])]
loss = (m(x) - 1.0) ** 2
loss.label = 'loss'
loss.backward()
draw_dot(loss)"""]

# Each picture of the page: the smallest text of its values and ops on screen (font size × the
# SVG's scale on screen), its box's scroll sizes and background, the player's zoom.
MEASURE = """() => [...document.querySelectorAll('.jp-OutputArea-output')].map(out => {
  const svg = [...out.querySelectorAll('svg')].find(s => s.getBoundingClientRect().width > 0);
  const img = [...out.querySelectorAll('img')].find(s => s.getBoundingClientRect().width > 0);
  if (!svg) return {img: img ? {shown: img.getBoundingClientRect().width, natural: img.naturalWidth} : null};
  let text = Infinity;
  for (const t of svg.querySelectorAll('g.node text'))
    text = Math.min(text, parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a);
  let box = svg.parentElement;
  while (box && !/(auto|scroll)/.test(getComputedStyle(box).overflowX)) box = box.parentElement;
  const player = out.querySelector('.mg-player');
  const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
  let bg = box || out, c = getComputedStyle(bg).backgroundColor;
  while (bg && /rgba\\(.*, 0\\)|transparent/.test(c)) { bg = bg.parentElement; c = getComputedStyle(bg).backgroundColor; }
  const node = svg.querySelector('g.node polygon');
  return {text: text, scrollWidth: box && box.scrollWidth, clientWidth: box && box.clientWidth,
          scale: player && parseFloat(player.getAttribute('data-mg-scale')),
          background: lum(rgb(c)), ink: lum(rgb(getComputedStyle(svg.querySelector('g.node text')).fill)),
          fill: node && lum(rgb(getComputedStyle(node).fill))};
})"""


def _free(port):
    with socket.socket() as s:
        return s.connect_ex(('127.0.0.1', port)) != 0


@pytest.fixture(scope='module')
def lab():
    """A JupyterLab on port 8911 (or the next free one) serving a temporary directory."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM}")
    pytest.importorskip('jupyterlab')
    nbformat = pytest.importorskip('nbformat')
    port = next(p for p in range(8911, 8931) if _free(p))
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as root:
        root = pathlib.Path(root)
        for d in ('notebooks', 'settings', 'workspaces', 'data', 'runtime'):
            (root / d).mkdir()
        news = root / 'settings' / '@jupyterlab' / 'apputils-extension' / 'notification.jupyterlab-settings'
        news.parent.mkdir(parents=True)
        news.write_text('{"fetchNews": "false"}')      # no "Would you like news?" over the pictures
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(c) for c in CELLS]
        nb.metadata['kernelspec'] = {'name': 'python3', 'display_name': 'Python 3', 'language': 'python'}
        nbformat.write(nb, root / 'notebooks' / 'inline.ipynb')
        env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(root / 'settings'),
                   JUPYTERLAB_WORKSPACES_DIR=str(root / 'workspaces'),
                   JUPYTER_DATA_DIR=str(root / 'data'), JUPYTER_RUNTIME_DIR=str(root / 'runtime'))
        server = subprocess.Popen(
            [sys.executable, '-m', 'jupyter', 'lab', '--no-browser', f'--port={port}',
             '--ServerApp.token=', '--ServerApp.password=', '--allow-root', '--ServerApp.ip=127.0.0.1',
             f'--ServerApp.root_dir={root / "notebooks"}', '--ServerApp.port_retries=0',
             '--LabApp.news_url=', '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate'],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            url = f'http://127.0.0.1:{port}'
            for _ in range(120):
                try:
                    urllib.request.urlopen(url + '/api/status', timeout=1)
                    break
                except OSError:
                    if server.poll() is not None:
                        pytest.fail("JupyterLab did not start")
                    time.sleep(0.25)
            sync_api = pytest.importorskip('playwright.sync_api')
            with sync_api.sync_playwright() as pw:
                ctx = pw.chromium.launch_persistent_context(
                    str(root / 'profile'), executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                    viewport={'width': 1440, 'height': 900})
                ctx.route('**/*', lambda r: r.continue_() if r.request.url.startswith(url) or
                          r.request.url.startswith('data:') else r.abort())
                yield {'ctx': ctx, 'url': url, 'root': root / 'notebooks'}
                ctx.close()
        finally:
            server.terminate()          # it shuts its kernels down first
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def open_notebook(lab, name):
    page = lab['ctx'].new_page()
    page.errors = []
    page.on('pageerror', lambda e: page.errors.append(str(e)))
    page.goto(f"{lab['url']}/lab/tree/{name}")
    page.wait_for_selector('.jp-Notebook .jp-Cell', timeout=30000)
    page.wait_for_selector('.jp-Notebook-ExecutionIndicator[data-status="idle"]', timeout=30000)
    return page


def run_all(page):
    page.locator('.jp-Notebook').first.click()
    for attempt in range(3):            # a kernel that just started may miss the first request
        menu(page, 'Run', 'Run All Cells')
        try:
            page.wait_for_function(
                "[...document.querySelectorAll('.jp-OutputArea-output')].filter(o => o.querySelector('svg'))"
                ".length >= 2", timeout=15000)
            break
        except Exception:
            if attempt == 2:
                raise
    page.wait_for_timeout(500)                 # the pictures' scripts lay them out


def menu(page, *path):
    """Click through JupyterLab's menu bar: menu(page, 'Settings', 'Theme', 'JupyterLab Dark')."""
    page.locator('.lm-MenuBar-itemLabel', has_text=path[0]).first.click()
    for name in path[1:]:
        page.locator(f'.lm-Menu:visible .lm-Menu-item:has(.lm-Menu-itemLabel:text-is("{name}"))').last.click()


def dark_theme(page):
    menu(page, 'Settings', 'Theme', 'JupyterLab Dark')
    page.wait_for_function("document.body.dataset.jpThemeLight === 'false'", timeout=10000)
    page.wait_for_timeout(500)          # the theme's style sheet comes after the attribute


def pictures(page):
    return page.evaluate(MEASURE)


def test_draw_dot_in_jupyterlab_at_reading_size_zooms_and_goes_dark(lab):
    page = open_notebook(lab, 'inline.ipynb')
    run_all(page)
    neuron, mlp = pictures(page)
    assert neuron['text'] >= 12 and mlp['text'] >= 12, (neuron, mlp)     # micrograd's: ≈ 16 px
    assert mlp['scrollWidth'] > mlp['clientWidth'] + 200, "the MLP scrolls sideways"
    shot = page.locator('.jp-OutputArea-output').nth(1)
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot.screenshot(path=str(SHOTS / 'inline_mlp_light.png'))

    out = page.locator('.jp-OutputArea-output').nth(1)
    box = out.locator('.mg-graph')
    where = box.bounding_box()
    page.mouse.move(where['x'] + 300, where['y'] + 200)
    page.mouse.wheel(400, 0)                  # a touchpad's sideways swipe, the picture not focused
    page.wait_for_function("el => el.scrollLeft > 0", arg=box.element_handle(), timeout=3000)
    box.evaluate("el => { el.scrollLeft = 0; }")
    out.get_by_role('button', name='Zoom in').click()
    assert pictures(page)[1]['scale'] == pytest.approx(1.25 * mlp['scale'], rel=1e-3)
    out.get_by_role('button', name='Whole graph').click()
    whole = pictures(page)[1]
    assert whole['scale'] < mlp['scale'] and whole['text'] >= 9.99, whole    # readable, not 3 px
    note = out.locator('.mg-note')                # the whole MLP is not legible at the cell's width
    assert note.is_visible() and 'drag' in note.inner_text()
    out.screenshot(path=str(SHOTS / 'inline_mlp_whole.png'))
    out.get_by_role('button', name='Zoom out').click()
    assert pictures(page)[1]['scale'] < whole['scale']

    dark_theme(page)
    neuron, mlp = pictures(page)
    for p in (neuron, mlp):
        assert p['background'] < 0.2 and p['ink'] > 0.6 and p['fill'] < 0.35, p
    page.locator('.jp-OutputArea-output').nth(1).screenshot(path=str(SHOTS / 'inline_mlp_dark.png'))
    assert page.errors == []
    page.close()


def test_untrusted_notebook_shows_the_picture(lab):
    nbformat = pytest.importorskip('nbformat')
    from nbformat.sign import NotebookNotary
    loss = mlp_loss()
    loss.backward()
    bundle = draw_dot(loss)._repr_mimebundle_()
    assert {'image/png', 'image/svg+xml'} <= set(bundle) and jupyterlab_shows(bundle, False) == 'text/html'
    nb = nbformat.v4.new_notebook()
    out = nbformat.v4.new_output('display_data', data={
        k: (v.decode('ascii') if k == 'image/png' else v) for k, v in
        {**bundle, 'image/png': __import__('base64').b64encode(bundle['image/png'])}.items()})
    nb.cells = [nbformat.v4.new_code_cell('draw_dot(loss)', outputs=[out])]
    nb.metadata['kernelspec'] = {'name': 'python3', 'display_name': 'Python 3', 'language': 'python'}
    NotebookNotary(data_dir=str(lab['root'].parent / 'data')).mark_cells(nb, False)
    nbformat.write(nb, lab['root'] / 'untrusted.ipynb')
    page = open_notebook(lab, 'untrusted.ipynb')
    page.wait_for_selector('.jp-OutputArea-output img', timeout=20000)
    shown = pictures(page)[0]
    assert shown['img'] and shown['img']['natural'] > 1000, shown
    assert shown['img']['shown'] == shown['img']['natural'], "at its own size (16 px text), not shrunk"
    assert page.locator('.jp-OutputArea-output script').count() == 0, "sanitized: untrusted"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator('.jp-OutputArea-output').first.screenshot(path=str(SHOTS / 'inline_untrusted.png'))
    page.close()

