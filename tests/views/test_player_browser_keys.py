"""Issue 19 item 5, the player's part: ← and → work as soon as the player is on the page (not while
one types elsewhere; with two players, the one last touched), and a saved page says what it shows."""
import pathlib
import re

from micrograd import step_through
from .test_player_browser import browser, lecture_neuron, open_player, page, state  # noqa: F401


def test_arrow_keys_work_before_the_player_is_clicked(page, tmp_path):  # noqa: F811
    player = open_player(page, tmp_path, lecture_neuron())
    assert page.evaluate("document.activeElement === document.body"), "nothing clicked or focused"
    page.keyboard.press('ArrowRight')
    page.keyboard.press('ArrowRight')
    page.keyboard.press('ArrowLeft')
    assert 'step 1 of 10' in state(player)['status']


def test_arrow_keys_leave_a_text_field_alone(page, tmp_path):  # noqa: F811
    p = step_through(lecture_neuron(), leaves=True)
    path = tmp_path / 'field.html'
    path.write_text(f'<!DOCTYPE html><meta charset="utf-8"><body><textarea>abc</textarea>'
                    f'<div class="cm-editor"><div contenteditable="true">x = 1</div></div>{p.html()}</body>',
                    encoding='utf-8')
    page.goto(path.as_uri())
    player = page.locator('.mg-player').first
    page.locator('textarea').focus()
    page.keyboard.press('ArrowRight')
    page.locator('[contenteditable]').focus()
    page.keyboard.press('ArrowRight')
    assert 'ready' in state(player)['status'], "typing in a field or an editor does not step"


def test_arrow_keys_go_to_the_last_touched_player(page, tmp_path):  # noqa: F811
    p = step_through(lecture_neuron(), leaves=True)
    path = tmp_path / 'two.html'
    path.write_text(f'<!DOCTYPE html><meta charset="utf-8"><body>{p.html()}<hr>{p.html()}'
                    f'<p id="out">outside</p></body>', encoding='utf-8')
    page.goto(path.as_uri())
    first, second = page.locator('.mg-player').nth(0), page.locator('.mg-player').nth(1)
    page.keyboard.press('ArrowRight')              # untouched: the last one made
    assert 'step 1 of' in state(second)['status'] and 'ready' in state(first)['status']
    first.locator('.mg-head').click()
    page.locator('#out').click()
    page.keyboard.press('ArrowRight')
    assert 'step 1 of' in state(first)['status'] and 'step 1 of' in state(second)['status']


def test_saved_page_has_a_title_and_a_line_of_context(tmp_path):
    text = pathlib.Path(step_through(lecture_neuron()).save_html(tmp_path / 'o.html')).read_text('utf-8')
    assert '<title>micrograd: backpropagation, step by step</title>' in text
    assert re.search(r'<p class="mg-context">The graph of o: 10 values, 10 steps back from o to '
                     r'its inputs\.</p>', text), text[:800]
    zh = pathlib.Path(step_through(lecture_neuron(), lang='zh').save_html(tmp_path / 'zh.html')).read_text('utf-8')
    assert 'o 的计算图：10 个值，从 o 反向走到输入共' in zh
