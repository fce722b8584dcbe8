"""The errors a learner meets, in Chinese: with set_language('zh') (or MICROGRAD_LANG=zh) every
refusal of the engine and of nn reads without an English word outside the labels, symbols, type
names and code, keeps the same exception type, numbers and labels as in English, and the English
text is exactly what it was."""
import collections
import math
import subprocess
import sys

import pytest

import micrograd
import nn
from micrograd import Op, Value, weighted_sum
from micrograd.engine import topological_order
from micrograd.grade import CHECKS, grade_file
from micrograd.i18n import extract


pytestmark = pytest.mark.usefixtures('english_by_default')     # see conftest.py


class MyLog(Op):
    """A learner's op that lets Python's math.log refuse: Python's own reason is translated too."""
    symbol = 'mylog'

    def forward(a):
        return math.log(a)

    def local_grads(a, out):
        return (1.0 / a,)


class TwoGrads(Op):
    symbol = 'twice'

    def forward(a):
        return 2 * a

    def local_grads(a, out):
        return (2.0, 2.0)


def _hand_built():
    a = Value(2.0, label='a')
    c = Value(4.0, (a,), 'sq', label='c')
    return c.backward()


def _sqrt_at_zero():
    x = Value(0.0, label='x')
    y = x ** 0.5
    y.label = 'y'
    y.backward()


def _learner_backward_overflow():
    x = Value(3.0, label='x')
    y = Value(9.0, (x,), 'sq', label='y')

    def _backward():
        x.grad += math.inf * y.grad
    y._backward = _backward
    y.backward()


def _sum_overflow():
    x, k = Value(1.0, label='x'), Value(1e308, label='k')
    y = x * k
    y.label = 'y'
    y.backward()                # x.grad = 1e308: a second pass adds as much again
    y.backward()


def _not_a_function():
    Value(1.0, label='v')._backward = 3


# name -> (what raises, the words that stay as they are: labels, type names, inf/nan)
ENGINE = {
    'log(0)': (lambda: Value(0.0, label='x').log(), ['x']),
    '1/0': (lambda: Value(1.0, label='a') / Value(0.0, label='b'), ['a', 'b']),
    'exp overflow': (lambda: Value(1000.0, label='x').exp(), ['x']),
    'mul overflow': (lambda: Value(1e308, label='a') * Value(10.0, label='b'), ['a', 'b']),
    '0 ** -1': (lambda: Value(0.0, label='z') ** -1, ['z']),
    '(-2) ** 0.5': (lambda: Value(-2.0, label='a') ** 0.5, ['a']),
    '(-2) ** b': (lambda: (Value(-2.0, label='a') ** Value(2.0, label='b')).backward(), ['b', 'nan']),
    'python math domain error': (lambda: MyLog.apply(Value(-1.0, label='u')), ['u', 'mylog']),
    'local_grads arity': (lambda: TwoGrads.apply(Value(1.0, label='u')),
                          ['u', 'twice', 'out']),     # ∂out/∂x
    'NaN data': (lambda: Value(float('nan'), label='x'), ['x', 'NaN']),
    'inf data': (lambda: Value(math.inf, label='x'), ['x', 'inf']),
    'str data': (lambda: Value('abc', label='x'), ['x', 'str', 'abc']),
    'huge int': (lambda: Value(10 ** 400, label='big'), ['big']),
    'set .data to nan': (lambda: setattr(Value(1.0, label='w'), 'data', float('nan')),
                         ['w', 'NaN']),
    'bad exponent': (lambda: Value(2.0, label='x') ** math.inf, ['x', 'inf']),
    'bad label': (lambda: Value(1.0, label=3), ['int', 'str']),
    'bad children': (lambda: Value(1.0, (2.0,), '+', label='s'), ['s', 'float']),
    'operand': (lambda: Op.apply.__func__(type('Sq', (Op,), {'symbol': 'sq'}), 'x'),
                ['sq', 'str']),
    'reflected operand': (lambda: 'x' * Value(2.0), ['str']),
    'hand-built node backward': (_hand_built, ['c', 'sq', 'Op']),
    'non-finite gradient': (_sqrt_at_zero, ['x', 'inf']),
    "learner's _backward gives inf": (_learner_backward_overflow, ['x', 'inf']),
    'gradients add up to overflow': (_sum_overflow, ['x', 'k', 'y']),
    '_backward not a function': (_not_a_function, ['v', 'int']),
    'topological_order(3)': (lambda: topological_order(3), ['int']),
    'weighted_sum lengths': (lambda: weighted_sum([Value(1.0)], [], Value(0.0)), []),
}


def _error(make, lang):
    with micrograd.i18n.language(lang):
        with pytest.raises(Exception) as info:
            make()
    return info.type, str(info.value)


def _same_but_chinese(make, labels):
    en_type, en = _error(make, 'en')
    zh_type, zh = _error(make, 'zh')
    assert zh_type is en_type
    assert zh != en
    assert extract.english_words(zh, labels) == [], (en, zh)
    assert collections.Counter(extract.numbers(zh, labels)) == \
        collections.Counter(extract.numbers(en, labels)), (en, zh)
    for label in labels:
        assert (f"'{label}'" in zh) == (f"'{label}'" in en) and \
            (f"{label}=" in zh) == (f"{label}=" in en), (label, en, zh)
    return en, zh


@pytest.mark.parametrize('name', ENGINE)
def test_engine_errors_in_chinese(name):
    _same_but_chinese(*ENGINE[name])


def test_engine_english_is_unchanged():
    """The English messages, word for word as before the catalog had them."""
    assert _error(ENGINE['log(0)'][0], 'en')[1] == "log: log() of a non-positive value, at log(x=0.0)"
    assert _error(ENGINE['1/0'][0], 'en')[1] == "/: division by zero, at a=1.0 / b=0.0"
    assert _error(ENGINE['mul overflow'][0], 'en')[1] == \
        "*: the result is too large for a float (it overflowed), at a=1e+308 * b=10.0"
    assert _error(ENGINE['NaN data'][0], 'en')[1] == \
        "Value data must be a finite number, not NaN (not a number) (node 'x')"
    assert _error(ENGINE['bad exponent'][0], 'en')[1] == \
        "**: the exponent of x=2.0 must be a finite number, not inf"
    assert _error(ENGINE['non-finite gradient'][0], 'en')[1] == (
        "backward: the gradient reaching the leaf node (node 'x') with data 0.0 is not finite "
        "(inf: the local derivative of the '**0.5' node for it is inf); no .grad was changed")
    assert _error(ENGINE['hand-built node backward'][0], 'en')[1].startswith(
        "backward: the sq node (node 'c') with data 4.0 was built by hand with children")


def test_engine_chinese_sample():
    """What a learner reads (also a check that the words are the glossary's)."""
    assert _error(ENGINE['log(0)'][0], 'zh')[1] == "log：log() 的参数不是正数，出错处：log(x=0.0)"
    zh = _error(ENGINE['non-finite gradient'][0], 'zh')[1]
    assert "叶子节点 'x'（data = 0.0）" in zh and '梯度' in zh and '局部导数' in zh


def test_microgard_lang_zh_in_a_fresh_process():
    """MICROGRAD_LANG=zh alone makes the engine's errors Chinese."""
    code = "from micrograd import Value\ntry: Value(0.0, label='x').log()\nexcept ValueError as e: print(e)"
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True,
                         env={**__import__('os').environ, 'MICROGRAD_LANG': 'zh'}).stdout
    assert out.strip() == "log：log() 的参数不是正数，出错处：log(x=0.0)"


def _sgd_nan_gradient():
    w = Value(0.5, label='w1')
    w._grad = math.nan                          # past .grad's own check (the optimiser's is asked)
    nn.SGD([w], lr=0.1).step()


def _sgd_overflow():
    w = Value(1e308, label='w1')
    w.grad = -1e308
    nn.SGD([w], lr=10.0).step()


def _adam_gradient(g):
    w = Value(1.0)
    w.grad = g
    nn.Adam([w], lr=0.1, eps=0).step()


def _adam_zero_over_zero():
    w = Value(1.0)
    nn.Adam([w], lr=0.1, eps=0).step()


NN = {
    'MLP nin': (lambda: nn.MLP(0, [2, 1]), ['nin']),
    'MLP nouts size': (lambda: nn.MLP(2, [2, 0]), ['nouts']),
    'MLP nouts not a list': (lambda: nn.MLP(2, 3), ['nouts']),
    'MLP nouts empty': (lambda: nn.MLP(2, []), ['nouts']),
    'unknown activation': (lambda: nn.MLP(2, [1], act='swish'), ['swish', 'relu', 'linear',
                                                              'tanh', 'sigmoid']),
    'rng': (lambda: nn.MLP(2, [1], rng='seed'), ['rng', 'None', 'int', 'str', 'random.Random']),
    'neuron inputs': (lambda: nn.MLP(2, [1], rng=0)([1.0, 2.0, 3.0]), []),
    'from_weights biases': (lambda: nn.Layer.from_weights([[1.0, 2.0]], [0.0, 1.0]), []),
    'from_weights shapes': (lambda: nn.MLP.from_weights([[[1.0, 2.0]], [[1.0, 2.0]]]), []),
    'loss lengths': (lambda: nn.squared_error([Value(1.0)], [1.0, 2.0]), ['squared_error']),
    'loss empty': (lambda: nn.quadratic_cost([], []), ['quadratic_cost']),
    'hinge label': (lambda: nn.hinge_loss([Value(1.0)], [0]), ['hinge_loss']),
    'cross_entropy target': (lambda: nn.cross_entropy([Value(1.0), Value(2.0)], 5),
                             ['cross_entropy']),
    'mean of nothing': (lambda: nn.mean([]), []),
    'SGD lr': (lambda: nn.SGD([Value(1.0)], lr=-1), ['SGD']),
    'SGD momentum': (lambda: nn.SGD([Value(1.0)], momentum=1.5), ['SGD', 'momentum']),
    'SGD no parameters': (lambda: nn.SGD([]), ['SGD']),
    'SGD nan gradient': (_sgd_nan_gradient, ['SGD', 'w1', 'nan']),
    'SGD step overflows': (_sgd_overflow, ['SGD', 'w1', 'inf']),
    'Adam betas': (lambda: nn.Adam([Value(1.0)], betas=(0.9, 1.0)), ['Adam', 'betas']),
    'Adam eps': (lambda: nn.Adam([Value(1.0)], eps=-1.0), ['Adam']),
    'Adam 0/0': (_adam_zero_over_zero, ['Adam']),
    'Adam g² underflows': (lambda: _adam_gradient(1e-200), ['Adam']),
    'minibatches size': (lambda: nn.minibatches([1, 2], 0), []),
    'moons n': (lambda: nn.data.moons(1), []),
    'moons noise': (lambda: nn.data.moons(10, noise=-1.0), ['noise']),
    'split lengths': (lambda: nn.data.split([1, 2], [1]), []),
    'split held_out': (lambda: nn.data.split([1, 2], [1, 2], held_out=1.5), []),
    'one_hot label': (lambda: nn.data.one_hot(7, 3), []),
    'fit no examples': (lambda: nn.train.fit(nn.MLP(1, [1], rng=0), [], None, None), []),
    'fit epochs': (lambda: nn.train.fit(nn.MLP(1, [1], rng=0), [([1.0], 1)], None, None,
                                        epochs=0), ['epochs']),
    'unknown loss': (lambda: nn.train.batch_loss('huber'), ['huber', 'hinge', 'quadratic',
                                                           'cross', 'entropy']),
}


@pytest.mark.parametrize('name', NN)
def test_nn_errors_in_chinese(name):
    _same_but_chinese(*NN[name])


def test_nn_english_is_unchanged():
    assert _error(NN['MLP nouts size'][0], 'en')[1] == \
        "MLP: the size of layer 2 in nouts=[2, 0] must be an integer ≥ 1, not 0"
    assert _error(NN['SGD nan gradient'][0], 'en')[1] == (
        "SGD.step: parameter 'w1': its gradient is nan, not a finite number (data 0.5, grad nan, "
        "lr 0.1); no parameter was changed")
    assert _error(NN['moons noise'][0], 'en')[1] == \
        "moons: noise (a standard deviation) must be a finite number ≥ 0, not -1.0"
    assert _error(NN['loss lengths'][0], 'en')[1] == \
        "squared_error: 1 activations but 2 targets; they must pair up one to one"


# --- the grader: the ✗ lines of broken engines ------------------------------------------------

def _grade_tests():
    import importlib.util
    import os
    spec = importlib.util.spec_from_file_location('_grade_tests', os.path.join(
        os.path.dirname(__file__), os.pardir, 'grade', 'test_grade.py'))
    tests = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tests)                  # its engines, written as a learner would
    return tests


GRADE = _grade_tests()
# Code the details show as it is: the check names, the learner's methods and attributes.
CODE = ['Value', 'tanh', 'relu', 'exp', 'backward', 'build_topo', 'topo', 'zero_grad',
        'RecursionError', 'OverflowError', 'TypeError', 'AttributeError', 'int', 'float', 'str',
        'self', 'other', 'out', 'data', 'grad', 'isinstance', 'else', 'if', 'return', 'math',
        'none']


@pytest.mark.parametrize('name', [n for n in sorted(GRADE.ENGINES) + sorted(GRADE.LIMITS)
                                  if n not in GRADE.MAY_ALSO])   # a set's order varies by run
def test_grader_details_in_chinese(name, tmp_path):
    source = GRADE.engine(name)
    path = GRADE._file(tmp_path, source)
    en = grade_file(path)
    english_details = [e.details() for e in en.outcomes]
    with micrograd.i18n.language('zh'):
        zh = grade_file(path)
        chinese_details = [z.details() for z in zh.outcomes]
    assert [z.status for z in zh.outcomes] == [e.status for e in en.outcomes]
    for z, english, details in zip(zh.outcomes, english_details, chinese_details):
        if z.status == 'pass':
            continue
        # their code's own lines (the traceback) and the expression stay as they are
        details = [d for d in details if d != z.traceback and d.strip() != z.expr]
        english = [d for d in english if d != z.traceback and d.strip() != z.expr]
        text = '\n'.join(details)
        if not z.expected:              # 'raised …': their exception, word for word as Python said it
            text = text.replace(z.got, '')
        assert extract.english_words(text, labels=CODE + GRADE_NAMES) == [], (name, text)
        assert collections.Counter(extract.numbers('\n'.join(details), CODE)) == \
            collections.Counter(extract.numbers('\n'.join(english), CODE)), (name, details, english)
        assert z.read.startswith('notebooks/')


GRADE_NAMES = [name for name, *_rest in CHECKS]


def test_grader_english_is_unchanged(tmp_path):
    o = grade_file(GRADE._file(tmp_path, GRADE.ENGINES['overwrite'][0]))['used_twice']
    assert o.cause == "`self.grad = …` overwrites the contribution of the other path: use `+=`."
    assert o.read == "notebooks/03_multi_path_sum.ipynb (many paths add up)"
    with micrograd.i18n.language('zh'):
        z = grade_file(GRADE._file(tmp_path, GRADE.ENGINES['overwrite'][0]))['used_twice']
        lines = z.details()
    assert (z.expr, z.expected, z.got) == (o.expr, o.expected, o.got)
    assert z.cause == "`self.grad = …` 会覆盖另一条路径的贡献：请用 `+=`。"
    assert z.read == "notebooks/zh/03_multi_path_sum_zh.ipynb（多条路径相加）"
    assert lines[1:] == ['期望 a.grad = 2，实际 1', '原因：' + z.cause, '参阅：' + z.read], lines


# --- compare_with_torch's refusals (raised before any tensor is made: no PyTorch needed) ------

def _closure_node():
    a = Value(2.0, label='a')
    c = Value(-6.0, (a,), '*', label='c')

    def _backward():
        a.grad += -3.0 * c.grad
    c._backward = _backward
    return c


def _torch_refusal(node):
    from micrograd.torch_bridge import _torch_op
    return lambda: _torch_op(node)


TORCH = {
    "learner's closure": (_torch_refusal(_closure_node()), ['c', 'compare_with_torch', 'Op']),
    'op without torch()': (_torch_refusal(MyLog.apply(Value(2.0, label='u'))),
                           ['MyLog', 'mylog', 'compare_with_torch', 'def', 'return']),
}


@pytest.mark.parametrize('name', TORCH)
def test_compare_with_torch_refusals_in_chinese(name):
    en, zh = _same_but_chinese(*TORCH[name])
    assert en.startswith("compare_with_torch: the ")


def test_compare_with_torch_refusal_english_is_unchanged():
    assert _error(TORCH["learner's closure"][0], 'en')[1].startswith(
        "compare_with_torch: the '*' node (node 'c') with data -6.0 has no operation PyTorch can "
        "redo: its derivative is your own `_backward` closure, which PyTorch cannot see inside; ")


def test_the_sum_overflow_case_is_the_one_it_names():
    en = _error(ENGINE['gradients add up to overflow'][0], 'en')[1]
    assert en == ("backward: adding this pass's gradient to the 1e+308 already in the leaf node "
                  "(node 'x') with data 1.0 overflows; no .grad was changed")
