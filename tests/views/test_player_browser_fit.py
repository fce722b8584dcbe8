"""Issue 19, item 1, on a saved page: at every step the node, its op, its parents and the edges
between are whole inside the graph pane, their text at least 10 px, on a phone (390 px), a narrow
window (700) and a laptop (1280); where the step cannot fit, the player stacks or draws it apart."""
import pathlib

import pytest

from micrograd import step_through
from .player_fit import four_example_loss, mlp_loss, notebook_03, problems
from .test_player_browser import browser  # noqa: F401  (the module's Chromium)
from .test_trace import lecture_neuron

CASES = {'notebook 03': notebook_03, 'MLP(3,[4,4,1]) loss': mlp_loss,
         '4-example loss': four_example_loss, 'lecture neuron': lambda: lecture_neuron()[0]}


@pytest.fixture(scope='module')
def pages(tmp_path_factory):
    folder = tmp_path_factory.mktemp('fit')
    return {name: pathlib.Path(step_through(make()).save_html(folder / f'{k}.html')).as_uri()
            for k, (name, make) in enumerate(CASES.items())}


@pytest.mark.parametrize('width', [390, 700, 1000, 1400])
@pytest.mark.parametrize('case', list(CASES))
def test_every_step_is_whole_and_readable(browser, pages, case, width):  # noqa: F811
    page = browser.new_page()
    page.set_viewport_size({'width': width, 'height': 800})
    errors = []
    page.on('pageerror', lambda e: errors.append(str(e)))
    page.goto(pages[case])
    player = page.locator('.mg-player').first
    last = int(player.locator('input[type=range]').get_attribute('max'))
    # every step of the small graphs; of the 80-step loss, its first 30 and every 5th after
    steps = range(last + 1) if last <= 40 else sorted(set(range(31)) | set(range(0, last + 1, 5)) | {last})
    bad = [p for k in steps for p in problems(player, k)]
    page.close()
    assert not errors, errors
    assert not bad, f"{case} at {width} px: {len(bad)} problems, first {bad[:5]}"
