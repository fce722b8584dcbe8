"""Draw the README's two pictures again: `./run python docs/img/make.py`.

neuron.svg is `to_svg` of the lecture's neuron; player.png is that neuron's step-through page in
headless Chromium at 1280 × 720, on the step that completes ∂o/∂n."""
import pathlib
import sys
import tempfile

from micrograd import step_through, to_svg
from micrograd.files import write_atomic
from nn.walkthrough import lecture_neuron

HERE = pathlib.Path(__file__).parent
CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                 '--disable-background-networking', '--disable-component-update', '--disable-sync']


def main(step=2):
    o = lecture_neuron()['o']
    write_atomic(HERE / 'neuron.svg', to_svg(o))
    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        page_file = step_through(o).save_html(pathlib.Path(tmp) / 'neuron.html')
        browser = p.chromium.launch_persistent_context(
            pathlib.Path(tmp) / 'profile', executable_path='/usr/bin/chromium', args=CHROMIUM_ARGS,
            viewport={'width': 1280, 'height': 720})
        page = browser.new_page()
        page.goto(pathlib.Path(page_file).resolve().as_uri())
        page.wait_for_selector('.mg-player svg')
        for _ in range(step):
            page.click('.mg-next')
        page.wait_for_timeout(500)
        png = page.locator('.mg-player').screenshot()
        browser.close()
    write_atomic(HERE / 'player.png', png)


if __name__ == '__main__':
    main(*map(int, sys.argv[1:]))
