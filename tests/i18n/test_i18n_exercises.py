"""The exercises in Chinese: every prompt, verdict, hint and solution text, with no English left
and the same numbers as in English."""
import collections
import math

import pytest

import micrograd
from micrograd.i18n import extract
from nn import exercises
from nn.exercises.graph import _listing

IDS = [ex.id for ex in exercises.all_exercises()]
# Code a learner types or reads as code, and Python's own names in an error: not prose.
CODE = ['def', 'return', 'swish', 'SiLU', 'TypeError', 'ValueError', 'ZeroDivisionError',
        'None', 'list', 'str', 'int', 'float', 'tuple', 'abc', 'function', 'NoneType', 'dict',
        'division', 'by', 'zero', 'float division by zero', 'nan', 'zz', _listing()[1]]


def _answers(ex):
    """What a learner might give: the solution, every slip, and answers of the wrong form."""
    if ex.id == 'ex14_topological_order':
        right = list(ex.solution())
        yield from (right, right[::-1], right[:-1], right + right[:1], ['zz'] + right[1:],
                    right[1:2] + right[:1] + right[2:])
    elif ex.id == 'ex15_new_op':
        yield from (ex.solution(), lambda x, y: y, lambda x, y: 1 / 0, lambda x, y: 0.25,
                    lambda x: 1.0 / (1.0 + math.exp(-x)), lambda a, b, c: 0, 3.0)
    elif ex.id == 'ex16_find_the_bug':
        bug, node = ex.solution()
        yield from ((bug, node), (1, node), (bug, 'f'), (bug, 'y'), (99, 'zz'), (bug, 3), 'x')
    else:
        yield ex.solution()
        yield from (wrong for wrong, _text in ex._slips)
        yield 12345.0 if not isinstance(ex.solution(), (list, tuple)) else [12345.0] * len(ex.solution())
    yield from (..., 'abc', None, [1.0], [[1.0, 2.0], [3.0]], float('nan'), micrograd.Value(1.0))


def _texts(lang, id):
    ex = exercises.get(id, lang=lang)
    out = [str(ex), ex._repr_html_(), str(ex.hint())]
    for answer in _answers(ex):
        out.append(str(ex.check(answer, reveal=True)))
    return out


@pytest.mark.parametrize('id', IDS)
def test_exercise_in_chinese_has_no_english_words(id):
    for text in _texts('zh', id):
        words = extract.english_words(text, labels=CODE)
        assert words == [], f"{id}: English words {words} in:\n{text}"


@pytest.mark.parametrize('id', IDS)
def test_exercise_in_chinese_has_the_same_numbers(id):
    for en, zh in zip(_texts('en', id), _texts('zh', id)):
        assert collections.Counter(extract.numbers(zh, CODE)) == \
            collections.Counter(extract.numbers(en, CODE)), f"{id}:\n{en}\n---\n{zh}"


@pytest.mark.parametrize('id', IDS)
def test_the_verdicts_agree_in_both_languages(id):
    en, zh = exercises.get(id, lang='en'), exercises.get(id, lang='zh')
    for a, b in zip(_answers(en), _answers(zh)):
        assert en.check(a).ok == zh.check(b).ok


def test_check_and_hint_take_a_language_of_their_own():
    ex = exercises.get('ex04_chain_w')                     # English: nothing chosen
    assert ex.lang == 'en' and ex.prompt.startswith("3Blue1Brown's chain")
    assert str(ex.check(..., lang='zh')).startswith('✗ 还没有答案')
    assert ex.hint(lang='zh') == "三个因子：z 随 w 怎样变，a 随 z 怎样变，C0 随 a 怎样变。"
    right = ex.check(ex.solution(), reveal=True, lang='zh')
    assert right.ok and '参考答案：' in str(right)


def test_set_language_reaches_the_exercises():
    micrograd.set_language('zh')
    try:
        ex = exercises.get(8)
        assert ex.title == "多条路径相加（李宏毅）" and '答案形式：一个数。' in str(ex)
    finally:
        micrograd.set_language(None)
    assert exercises.get(8).title == "Many paths add up (Hung-yi Lee)"
