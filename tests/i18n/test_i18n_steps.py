"""The forward and backward steps in Chinese, for Karpathy's neuron and the seeds' networks: no
English word outside the node names, symbols and numbers, and the same numbers as in English."""
import collections

import pytest

import micrograd
import nn
from micrograd import Value, backward_steps, forward_steps
from micrograd.i18n import extract
from micrograd.views.trace import format_steps
from nn import walkthrough as wt


def _lecture():
    return wt.lecture_neuron()['o']


def _chain():
    net = nn.MLP.from_weights([[[w]] for w in wt.CHAIN_W], [[b] for b in wt.CHAIN_B], act='sigmoid')
    C0 = nn.squared_error(net([wt.CHAIN_A0]), wt.CHAIN_Y)
    C0.label = 'C0'
    return C0


def _lee():
    net = nn.MLP.from_weights(wt.LEE_WEIGHTS, wt.LEE_BIASES, act='sigmoid')
    l = nn.quadratic_cost(net(list(wt.LEE_X)), list(wt.LEE_TARGET))
    l.label = 'l'
    return l


def _nielsen():
    net = nn.MLP.from_weights(wt.NIELSEN_WEIGHTS, wt.NIELSEN_BIASES, act='sigmoid')
    C = nn.quadratic_cost(net(list(wt.NIELSEN_X)), list(wt.NIELSEN_Y))
    C.label = 'C'
    return C


def _matrix():
    net = nn.MLP.from_weights(wt.MATRIX_W, None, act='sigmoid')
    return nn.quadratic_cost(net(list(wt.MATRIX_X0)), list(wt.MATRIX_T))


def _learner_closure():
    """micrograd's way: a node made by hand whose _backward is the learner's own closure."""
    a, b = Value(2.0, label='a'), Value(-3.0, label='b')
    c = Value(a.data * b.data, (a, b), '*')
    c.label = 'c'

    def _backward():
        a.grad += b.data * c.grad
        b.grad += a.data * c.grad
    c._backward = _backward
    d = c * a + 1.0
    d.label = 'd'
    return d


def _mlp():
    from tests.views.test_explanations import mlp_loss
    return mlp_loss()


def _unlabelled():
    from tests.views.test_explanations import lecture_neuron
    return lecture_neuron()


GRAPHS = {'lecture neuron': _lecture, '3Blue1Brown chain': _chain, 'Hung-yi Lee': _lee,
          'Nielsen': _nielsen, 'matrix form': _matrix, "learner's _backward": _learner_closure,
          'MLP(3, [4, 4, 1]) loss': _mlp, 'neuron with unlabelled sums': _unlabelled}


def _texts(root, lang):
    f, b = forward_steps(root), backward_steps(root)
    names = [s.name for s in f] + [b[0].L]
    return format_steps(f, lang) + '\n' + format_steps(b, lang), names


@pytest.mark.parametrize('name', GRAPHS)
def test_steps_in_chinese_have_no_english_words(name):
    zh, names = _texts(GRAPHS[name](), 'zh')
    words = extract.english_words(zh, labels=names)
    assert words == [], f"{name}: English words {sorted(set(words))} in:\n{zh[:3000]}"


@pytest.mark.parametrize('name', GRAPHS)
def test_steps_in_chinese_have_the_numbers_of_english(name):
    root = GRAPHS[name]()
    (en, names), (zh, _n) = _texts(root, 'en'), _texts(root, 'zh')
    assert collections.Counter(extract.numbers(zh, names)) == \
        collections.Counter(extract.numbers(en, names)), name
    assert len(en.splitlines()) == len(zh.splitlines())


def test_the_multi_path_sum_in_both_languages():
    steps = backward_steps(_lee())
    term = next(t for s in steps for t in s.terms if t.parent_name == 'a[1][1]' and t.terms)
    assert 'all 2 paths, added up)' in term.explain()
    assert '全部 2 条路径相加' in term.explain(lang='zh')
    first = next(t for s in steps for t in s.terms if t.parent_name == 'a[1][1]' and t.path == 1)
    assert '第 1 条路径，共 2 条，目前累计' in first.explain(lang='zh')


def test_the_leaves_a_step_completes_in_both_languages():
    steps = backward_steps(_mlp())
    z = next(s for s in steps if s.name == 'z[3][1]')
    assert z.explain().splitlines()[-1] == \
        "  w[3][1][1], w[3][1][2], w[3][1][3], w[3][1][4], b[3][1]: parameters, done"
    assert z.explain(lang='zh').splitlines()[-1] == \
        "  w[3][1][1]，w[3][1][2]，w[3][1][3]，w[3][1][4]，b[3][1]：参数，梯度已完整"
    assert steps[0].explain(lang='zh').splitlines()[-1] == "  0.5：常数，梯度已完整"
    n = next(s for s in backward_steps(_unlabelled()) if s.name == 'n')
    assert n.explain(lang='zh').splitlines()[-1] == "  b：输入，梯度已完整"
    first = next(s for s in steps if s.name == 'z[1][1]')
    assert first.explain().splitlines()[-1] == ("  w[1][1][1], w[1][1][2], w[1][1][3], b[1][1]: "
                                                "parameters, done; x[1], x[2], x[3]: inputs, done")
    assert first.explain(lang='zh').splitlines()[-1] == (
        "  w[1][1][1]，w[1][1][2]，w[1][1][3]，b[1][1]：参数，梯度已完整；x[1]，x[2]，x[3]：输入，梯度已完整")


def test_set_language_reaches_the_steps():
    root = _lecture()
    micrograd.set_language('zh')
    try:
        text = str(backward_steps(root))
        assert text.startswith('反向传播：共 10 步') and '已经完整' in text
    finally:
        micrograd.set_language(None)
    assert str(backward_steps(root)).startswith('backward pass: 10 steps')


@pytest.mark.parametrize('make', ['sum', 'network'])
def test_graph_too_large_in_chinese(make):
    if make == 'sum':
        root = sum((Value(float(i), label=f"x{i}") for i in range(40)), Value(0.0))
    else:
        net = nn.MLP(2, [4, 1])
        root = sum((net([0.1 * k, -0.2 * k]) for k in range(3)), Value(0.0))
    with pytest.raises(micrograd.GraphTooLarge) as en:
        micrograd.draw_dot(root, max_nodes=10)
    micrograd.set_language('zh')
    try:
        with pytest.raises(micrograd.GraphTooLarge) as zh:
            micrograd.draw_dot(root, max_nodes=10)
    finally:
        micrograd.set_language(None)
    text = str(zh.value)
    assert text.startswith('draw_dot：这个计算图有'), text
    assert extract.english_words(text, labels=['collapse', 'True', 'None', 'ys', 'xs']) == [], text
    assert collections.Counter(extract.numbers(text)) == collections.Counter(extract.numbers(str(en.value)))


def test_picture_texts_in_chinese():
    import re
    root = _lee()
    root.backward()
    micrograd.set_language('zh')
    try:
        svg = micrograd.to_svg(root, legend=True) + micrograd.to_svg(root, collapse=True)
    finally:
        micrograd.set_language(None)
    texts = ' \n'.join(re.findall(r'<text[^>]*>([^<]*)</text>', svg) +
                       re.findall(r'<title>([^<]*)</title>', svg))
    assert '第 1 层' in texts and '图例' in texts and '输入：叶子，不是参数' in texts
    names = [s.name for s in forward_steps(root)] + ['op', 'local', 'html']
    texts = texts.replace('&amp;#45;', '-').replace('&#45;', '-').replace('&gt;', '>')
    texts = re.sub(r'\bv\d+(op)?\b|\blegend-\w+', ' ', texts)      # ids, not prose
    assert extract.english_words(texts, labels=names) == [], texts
