"""The rarer refusals (compile, the PyTorch bridge, rendering, parsing, stepping a hand-built node)
also speak the learner's language: no English word but code and names, the same values."""
import pytest

import micrograd
from micrograd import Value
from micrograd.i18n import extract, language


def _cases():
    x = Value(2.0, label='x')
    y = x * 3.0
    hand = Value(1.0, (x,), 'f', label='h')
    closure = Value(1.0, (x,), 'mine', label='m')
    closure._backward = lambda: None
    return {
        'compile root': lambda: micrograd.compile(3.0, []),
        'compile input count': lambda: micrograd.compile(y, [x])(1.0, 2.0),
        'compile non-leaf input': lambda: micrograd.compile(y, [y]),
        'compile twice': lambda: micrograd.compile(y, [x, x]),
        'compile closure': lambda: micrograd.compile(closure, [x]),
        'compile hand-built': lambda: micrograd.compile(hand, [x]),
        'grads_for': lambda: micrograd.compile(y, [x])(1.0).grads_for([Value(1.0, label='z')]),
        'render format': lambda: micrograd.views.renderer.render('digraph {}', 'gif'),
        'parse type': lambda: micrograd.parse(3),
        'draw_dot root': lambda: micrograd.draw_dot(3.0),
        'draw_dot background': lambda: micrograd.draw_dot(y, background='pink'),
        'steps of a hand-built node': lambda: micrograd.backward_steps(hand),
    }


# code and names the text quotes as they are: functions, types, options, labels
CODE = ['compile', 'grads_for', 'render', 'parse', 'draw_dot', 'backward_steps', 'backward', 'Value',
        'Op', 'forward', 'local_grads', '_backward', 'float', 'str', 'int', 'inputs', 'params', 'svg',
        'png', 'pdf', 'gif', 'background', 'white', 'transparent', 'dark', 'pink', 'mine', 'f', 'h',
        'm', 'x', 'z']


@pytest.mark.parametrize('name', list(_cases()))
def test_refusals_in_chinese(name):
    messages = {}
    for lang in ('en', 'zh'):
        with language(lang):
            case = _cases()[name]
            with pytest.raises(Exception) as e:
                case()
            messages[lang] = (type(e.value), str(e.value).strip("'\""))
    (en_type, en), (zh_type, zh) = messages['en'], messages['zh']
    assert en_type is zh_type and en != zh, f"{name}: not translated: {zh!r}"
    words = extract.english_words(zh, labels=CODE)
    assert not words, f"{name}: English in {zh!r}: {words}"
    assert extract.numbers(zh) == extract.numbers(en), f"{name}: {zh!r} vs {en!r}"
