"""The step-through page in Chinese: every control, label, legend and explanation, in the HTML and
in Chromium, passing the English page's checks (the same states, numbers and gradients)."""
import collections
import re

import pytest

from micrograd import step_through
from micrograd.i18n import extract
from micrograd.views.trace import backward_steps, forward_steps
from .test_player_browser import (ARTIFACTS, browser, click_next, embedded_data, ids, lecture_neuron,  # noqa: F401
                                 open_player, page, slider_keys_play, state)

# The words that stay as they are on the page: node names, code, the notebook menu's own words.
KEEP = ['x1w1', 'x2w2', 'x1w1x2w2', 'grad', 'data', 'JupyterLab', 'Ctrl+Shift+C', 'Trust Notebook',
        'jupyter trust FILE.ipynb', 'tanh', 'micrograd']


def _visible(page_html):
    """The page's words a learner sees or hears: text and attributes, without code and the SVG."""
    text = re.sub(r'<script.*?</script>|<style.*?</style>|<svg.*?</svg>', ' ', page_html, flags=re.S)
    attrs = ' '.join(re.findall(r'(?:aria-label|title|alt)="([^"]*)"', text))
    return re.sub(r'<[^>]*>', ' ', text) + ' ' + attrs


def test_the_chinese_page_has_no_english_words():
    o = lecture_neuron()
    html = step_through(o, lang='zh').html()
    assert extract.english_words(_visible(html), labels=KEEP) == []
    data = embedded_data(html)
    words = ' '.join(data['words'].values()) + data['forward']['intro'] + data['backward']['intro']
    assert extract.english_words(words, labels=KEEP + ['o']) == []
    names = [s.name for s in forward_steps(o)]
    for s in data['backward']['steps'] + data['forward']['steps']:
        assert extract.english_words(s['text'], labels=names) == [], s['text']


def test_the_chinese_page_says_the_english_numbers():
    o = lecture_neuron()
    en, zh = embedded_data(step_through(o).html()), embedded_data(step_through(o, lang='zh').html())
    names = [s.name for s in forward_steps(o)]
    for mode in ('forward', 'backward'):
        for a, b in zip(en[mode]['steps'], zh[mode]['steps']):
            assert collections.Counter(extract.numbers(a['text'], names)) == \
                collections.Counter(extract.numbers(b['text'], names))
            assert a.get('grads') == b.get('grads') and a['node'] == b['node']
    assert [s['text'] for s in zh['backward']['steps']] == [s.explain('zh') for s in backward_steps(o)]


def test_chinese_prose_is_not_set_as_math():
    data = embedded_data(step_through(lecture_neuron(), lang='zh').html())
    for step in data['backward']['steps']:
        for line in step['math']:
            for seg in line:
                if isinstance(seg, list):                  # a formula: no Chinese inside
                    assert not re.search(r'[\u4e00-\u9fff]', str(seg)), (step['text'], seg)


def test_saved_chinese_page_next_slider_keys_play(page, tmp_path):
    o = lecture_neuron()
    v = ids(o)
    player = open_player(page, tmp_path, o, delay=0.05, lang='zh')
    assert page.evaluate('document.documentElement.lang') == 'zh-CN'
    assert page.title() == 'micrograd：反向传播，一步一步看'
    s = state(player)
    assert s['current'] is None and '反向传播 · 就绪' in s['status']
    assert player.locator('.mg-count').inner_text() == '第 0 / 10 步'

    player.get_by_role('button', name='下一步').click()
    click_next_zh(player, 7)
    at8 = state(player)
    assert at8['current'] == v['x1w1'] and '第 8 步，共 10 步' in at8['status']
    assert '∂o/∂w1 = ∂x1w1/∂w1 · ∂o/∂x1w1 = x1 · 0.5 = 1.0  (x1 = 2.0)' in at8['status']
    assert '已经完整：经过 x1w1 = x1·w1 往回传' in at8['status']
    grads = {k: at8['values'][i][1] for k, i in v.items()}
    assert grads['x1'] == 'grad -1.5000' and grads['w1'] == 'grad 1.0000' and grads['x2'] == 'grad 0.5000'
    ARTIFACTS.mkdir(exist_ok=True)
    player.screenshot(path=str(ARTIFACTS / 'player_saved_page_zh.png'))

    # the English page at step 8 is in the same state, word for word apart from the explanation
    en = open_player(page, tmp_path, o, name='en.html', delay=0.05)
    click_next(en, 8)
    at8_en = state(en)
    assert {k: at8_en[k] for k in ('current', 'values', 'edges', 'step')} == \
        {k: at8[k] for k in ('current', 'values', 'edges', 'step')}

    player = open_player(page, tmp_path, o, delay=0.05, lang='zh')
    s = slider_keys_play(page, player, at8, v, previous='上一步', play='播放')
    assert '第 10 步，共 10 步' in s['status'] and '∂o/∂x1 = -1.5，已经完整' in s['status']
    shown = player.inner_text()
    assert extract.english_words(shown, labels=KEEP + [s.name for s in forward_steps(o)]) == [], shown


def click_next_zh(player, times):
    for _ in range(times):
        player.get_by_role('button', name='下一步').click()


def test_chinese_forward_pass_switch_and_leaf_steps(page, tmp_path):
    o = lecture_neuron()
    v = ids(o)
    player = open_player(page, tmp_path, o, lang='zh')
    player.get_by_label('前向传播').check()
    click_next_zh(player, 3)
    s = state(player)
    assert s['current'] == v['x1w1'] and '前向传播 · 第 3 步，共 10 步' in s['status']
    assert 'x1w1 = x1·w1 = 2.0·(-3.0) = -6.0' in s['status']
    assert s['values'][v['x1w1']][0] == 'data -6.0000'
    player.get_by_label('反向传播').check()
    assert '反向传播 · 就绪' in state(player)['status']
    player.get_by_label('叶子步骤').uncheck()              # folded: fewer steps, said in Chinese
    assert '输入自己的步骤已并入使它们完整的那一步' in state(player)['status']
    assert player.locator('.mg-count').inner_text().startswith('第 0 / ')


# Every control of the toolbar whole: its text not clipped (scrollWidth ≤ clientWidth), its box
# inside the toolbar's, and the zoom group's buttons on one line.
TOOLBAR = """el => {
  const bar = el.querySelector('.mg-bar'), b = bar.getBoundingClientRect(), out = [];
  for (const c of bar.querySelectorAll('button, label, select, .mg-count, .mg-zoom')) {
    const r = c.getBoundingClientRect(), name = c.getAttribute('aria-label') || c.textContent.trim();
    if (c.scrollWidth > c.clientWidth + 0.5 && c.tagName !== 'SELECT')
      out.push(name + ' clipped: ' + c.scrollWidth + ' > ' + c.clientWidth);
    if (r.left < b.left - 0.5 || r.right > b.right + 0.5 || r.top < b.top - 0.5 || r.bottom > b.bottom + 0.5)
      out.push(name + ' outside the toolbar: ' + [r.left, r.right].map(Math.round) + ' of ' + [b.left, b.right].map(Math.round));
  }
  const zoom = [...bar.querySelectorAll('.mg-zoom button')].map(z => Math.round(z.getBoundingClientRect().top));
  if (new Set(zoom).size !== 1) out.push('the zoom buttons are not on one line, aligned: tops ' + zoom);
  const p = el.getBoundingClientRect();
  if (b.right > p.right + 0.5 || b.right > innerWidth) out.push('the toolbar is wider than the player');
  return out;
}"""


@pytest.mark.parametrize('width, phone', [(390, True), (390, False), (1280, False)])
def test_the_chinese_toolbar_fits(page, tmp_path, width, phone):
    page.set_viewport_size({'width': width, 'height': 844})
    if phone:                               # a phone's screen: 3 device px a CSS px, mobile layout
        page.context.new_cdp_session(page).send('Emulation.setDeviceMetricsOverride', {
            'width': width, 'height': 844, 'deviceScaleFactor': 3, 'mobile': True})
    player = open_player(page, tmp_path, lecture_neuron(), lang='zh')
    assert player.evaluate(TOOLBAR) == []
    player.get_by_role('button', name='播放').click()         # playing: the button says 暂停
    assert player.evaluate(TOOLBAR) == []
    ARTIFACTS.mkdir(exist_ok=True)
    player.locator('.mg-bar').screenshot(path=str(ARTIFACTS / f'player_toolbar_zh_{width}{"_phone" * phone}.png'))
