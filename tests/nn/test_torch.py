"""PyTorch both ways: compare_with_torch (the lecture's "same answer as PyTorch" cell) and
nn.MLP.to_torch / from_torch.  PyTorch is optional: these tests skip without it, except the one
that checks the message a learner gets when it is missing (CI installs torch==2.13.0)."""
import math
import random
import subprocess
import sys

import pytest
from hypothesis import given, settings, strategies as st

import nn
from micrograd import Op, Value, compare_with_torch
from nn import walkthrough as wt
from nn.walkthrough import lecture_neuron

LECTURE_GRADS = dict(x1=-1.5, w1=1.0, x2=0.5, w2=0.0, b=0.5)     # the lecture's numbers
TOL = 1e-12


@pytest.fixture
def torch():
    return pytest.importorskip('torch')


def _close(a, b):
    return abs(a - b) <= TOL * max(1.0, abs(a), abs(b))


def _assert_agree(table):
    for row in table.rows:
        assert _close(row.grad, row.torch_grad), \
            f"∂/∂{row.label}: ours {row.grad!r}, PyTorch {row.torch_grad!r}\n{table}"
        assert row.data == row.torch_data, f"{row.label}: {row.data!r} vs {row.torch_data!r}"
    assert _close(table.data, table.torch_data), f"output: {table.data!r} vs {table.torch_data!r}"


# --- a missing PyTorch ------------------------------------------------------------------------

def test_without_torch_every_entry_point_says_how_to_install_it():
    code = (
        "import sys\n"
        "sys.modules['torch'] = None            # as if PyTorch were not installed\n"
        "import nn\n"
        "from micrograd import Value, compare_with_torch\n"
        "seq = object()\n"
        "for call in (lambda: compare_with_torch(Value(2.0) * 3), lambda: nn.MLP(2, [1]).to_torch(),\n"
        "             lambda: nn.MLP.from_torch(seq)):\n"
        "    try:\n"
        "        call()\n"
        "    except ImportError as e:\n"
        "        print(type(e).__name__, e.name, '|', e)\n")
    done = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 3, done.stdout
    for line, what in zip(lines, ('compare_with_torch', 'MLP.to_torch()', 'MLP.from_torch()')):
        assert line.startswith('ImportError torch |'), line
        assert what in line and "pip install 'backprop-classroom[torch]'" in line, line


# --- compare_with_torch -----------------------------------------------------------------------

def test_the_lecture_neuron_agrees_with_torch_and_keeps_its_grads(torch):
    v = lecture_neuron()
    table = compare_with_torch(v['o'])
    assert [row.label for row in table.rows] == ['x1', 'w1', 'x2', 'w2', 'b']
    _assert_agree(table)
    for name, grad in LECTURE_GRADS.items():
        assert math.isclose(table[name].grad, grad, abs_tol=1e-12), (name, table[name].grad)
        assert math.isclose(table[name].torch_grad, grad, abs_tol=1e-12), name
    assert table.max_difference < TOL
    assert all(node.grad == 0.0 for node in v.values()), "compare_with_torch changed .grad"
    v['o'].backward()                           # and after a backward of the learner's own
    compare_with_torch(v['o'])
    assert v['x1'].grad == table['x1'].grad


def test_the_table_prints_and_shows_in_jupyter(torch):
    table = compare_with_torch(lecture_neuron()['o'])
    text, page = str(table), table._repr_html_()
    assert repr(table) == text
    lines = text.splitlines()
    assert lines[0].split() == ['leaf', 'data', 'data', '(torch)', 'grad', 'grad', '(torch)',
                                '|difference|']
    assert [line.split()[0] for line in lines[2:7]] == ['x1', 'w1', 'x2', 'w2', 'b']
    assert lines[-1].startswith('o = 0.7071067811865') and 'largest difference' in lines[-1]
    assert page.count('<tr>') == 6 and '<td' in page and 'largest difference' in page
    with pytest.raises(KeyError, match="no leaf labelled 'w3'.*x1, w1"):
        table['w3']


def _seed_costs():
    """The cost of each seed network of docs/seeds.md, built from nn (nothing backpropagated)."""
    chain = nn.MLP.from_weights([[[w]] for w in wt.CHAIN_W], [[b] for b in wt.CHAIN_B])
    lee = nn.MLP.from_weights(wt.LEE_WEIGHTS, wt.LEE_BIASES)
    nielsen = nn.MLP.from_weights(wt.NIELSEN_WEIGHTS, wt.NIELSEN_BIASES)
    matrix = nn.MLP.from_weights(wt.MATRIX_W, None)
    return dict(
        chain_rule=nn.squared_error(chain([wt.CHAIN_A0]), wt.CHAIN_Y),
        multi_path=nn.quadratic_cost(lee(list(wt.LEE_X)), list(wt.LEE_TARGET)),
        four_equations=nn.quadratic_cost(nielsen(list(wt.NIELSEN_X)), list(wt.NIELSEN_Y)),
        matrix_form=nn.quadratic_cost(matrix(list(wt.MATRIX_X0)), list(wt.MATRIX_T)))


@pytest.mark.parametrize('seed', ['chain_rule', 'multi_path', 'four_equations', 'matrix_form'])
def test_the_seeds_networks_agree_with_torch(torch, seed):
    C = _seed_costs()[seed]
    table = compare_with_torch(C)
    weights = [row for row in table.rows if row.label.startswith('w[')]
    assert len(weights) >= 3 and any(row.grad != 0 for row in weights)
    _assert_agree(table)


# Expressions of every primitive a learner can write, with inputs where each op is defined.
LEAF = st.floats(-2.0, 2.0, allow_nan=False).map(lambda x: round(x, 3))
UNARY = [lambda a: a.tanh(), lambda a: a.sigmoid(), lambda a: a.relu(), lambda a: a.sin(),
         lambda a: a.cos(), lambda a: (a * 0.5).exp(), lambda a: (a * a + 1).log(),
         lambda a: -a, lambda a: a ** 2, lambda a: a ** 3, lambda a: (a * a + 0.5) ** 0.5,
         lambda a: (a * a + 1) ** -1]
BINARY = [lambda a, b: a + b, lambda a, b: a * b, lambda a, b: a - b,
          lambda a, b: a / (b * b + 1), lambda a, b: (a * a + 0.5) ** b.tanh(),
          lambda a, b: 2.0 - a * b, lambda a, b: 3.0 / (a * a + 1) + b]


@st.composite
def expressions(draw):
    leaves = [Value(draw(LEAF), label=name) for name in ('x', 'y', 'z')]
    nodes = list(leaves)
    for _ in range(draw(st.integers(1, 8))):
        if draw(st.booleans()):
            f = draw(st.sampled_from(UNARY))
            nodes.append(f(draw(st.sampled_from(nodes))))
        else:
            f = draw(st.sampled_from(BINARY))
            nodes.append(f(draw(st.sampled_from(nodes)), draw(st.sampled_from(nodes))))
    return nodes[-1]


@settings(max_examples=80, deadline=None, derandomize=True)
@given(expressions())
def test_random_expressions_agree_with_torch(root):
    pytest.importorskip('torch')
    _assert_agree(compare_with_torch(root))


class Softplus(Op):
    """y = ln(1 + eˣ);   ∂y/∂x = σ(x)"""
    symbol = 'softplus'

    def forward(x):
        return math.log1p(math.exp(x))

    def local_grads(x, y):
        return (1 / (1 + math.exp(-x)),)


class SoftplusForTorch(Softplus):
    def torch(x):
        import torch
        return torch.nn.functional.softplus(x)


def test_a_custom_op_takes_part_through_its_torch_method(torch):
    x = Value(0.7, label='x')
    table = compare_with_torch(SoftplusForTorch.apply(x * 2) * x)
    _assert_agree(table)
    assert table['x'].grad != 0


def test_a_custom_op_without_a_torch_method_is_named(torch):
    x = Value(0.7, label='x')
    y = Softplus.apply(x)
    y.label = 'y'
    with pytest.raises(TypeError, match=r"the op Softplus \('softplus'\) of the 'softplus' node "
                                        r"\(node 'y'\).*torch\(\*xs\) method"):
        compare_with_torch(y * 3)


def test_a_node_built_by_hand_is_named(torch):
    x = Value(0.5, label='x')
    h = Value(math.tanh(0.5), (x,), 'tanh', label='h')
    with pytest.raises(TypeError, match=r"the 'tanh' node \(node 'h'\) with data 0\.46.*"
                                        r"built by hand"):
        compare_with_torch(h + 1)


def test_a_node_with_a_learners_closure_is_named(torch):
    x = Value(0.5, label='x')
    t = math.tanh(x.data)
    out = Value(t, (x,), 'tanh', label='mytanh')

    def _backward():
        x.grad += (1 - t ** 2) * out.grad
    out._backward = _backward
    with pytest.raises(TypeError, match=r"'tanh' node \(node 'mytanh'\).*own `_backward` closure"):
        compare_with_torch(out * 2)


# --- nn.MLP.to_torch / from_torch -------------------------------------------------------------

def _same_network(a, b):
    assert repr(a) == repr(b)
    assert [p.data for p in a.parameters()] == [p.data for p in b.parameters()]
    assert [[n.b is None for n in layer.neurons] for layer in a.layers] == \
           [[n.b is None for n in layer.neurons] for layer in b.layers]


@pytest.mark.parametrize('act, out_act', [('relu', 'linear'), ('tanh', 'sigmoid'),
                                          ('sigmoid', 'tanh'), ('linear', 'relu')])
def test_to_torch_is_the_same_network_and_comes_back_exactly(torch, act, out_act):
    model = nn.MLP(3, [5, 4, 2], act=act, out_act=out_act, rng=7)
    seq = model.to_torch()
    kinds = [type(m).__name__ for m in seq]
    names = dict(relu='ReLU', tanh='Tanh', sigmoid='Sigmoid', linear=None)
    assert kinds == [k for k in ('Linear', names[act], 'Linear', names[act], 'Linear',
                                 names[out_act]) if k]
    assert all(p.dtype == torch.float64 for p in seq.parameters())
    assert seq[0].weight[1, 2].item() == model.layers[0].neurons[1].w[2].data
    rng = random.Random(3)
    for _ in range(20):
        x = [rng.uniform(-3, 3) for _ in range(3)]
        ours = [a.data for a in model(x)]
        theirs = seq(torch.tensor(x, dtype=torch.float64)).tolist()
        assert all(_close(a, b) for a, b in zip(ours, theirs)), (x, ours, theirs)
    _same_network(nn.MLP.from_torch(seq), model)


def test_a_bias_free_network_and_a_one_output_network(torch):
    matrix = nn.MLP.from_weights(wt.MATRIX_W, None)
    seq = matrix.to_torch()
    assert all(m.bias is None for m in seq if isinstance(m, torch.nn.Linear))
    _same_network(nn.MLP.from_torch(seq), matrix)
    demo = nn.MLP(2, [16, 16, 1], rng=1337)     # micrograd's demo model: one score
    score = demo([0.5, -0.25])
    assert isinstance(score, Value)
    assert _close(demo.to_torch()(torch.tensor([0.5, -0.25], dtype=torch.float64)).item(),
                  score.data)


def test_from_torch_takes_a_float32_network_and_trains_on(torch):
    torch.manual_seed(0)
    seq = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1),
                              torch.nn.Identity())
    model = nn.MLP.from_torch(seq)
    assert repr(model) == "MLP of [Layer of [TanhNeuron(2), TanhNeuron(2), TanhNeuron(2)], " \
                          "Layer of [LinearNeuron(3)]]"
    assert model.layers[0].neurons[2].w[1].data == seq[0].weight[2, 1].item()   # float32 exact
    out = model([1.0, -1.0])
    out.backward()
    assert all(p.grad != 0 for p in model.layers[1].parameters())


@pytest.mark.parametrize('modules, message', [
    (lambda t: [t.nn.Linear(2, 3), t.nn.Dropout(0.5), t.nn.Linear(3, 1)], r"module 1 \(Dropout\)"),
    (lambda t: [t.nn.ReLU(), t.nn.Linear(2, 1)], r"module 0 \(ReLU\).*must follow a Linear"),
    (lambda t: [t.nn.Linear(2, 3), t.nn.ReLU(), t.nn.Tanh()], r"module 2 \(Tanh\)"),
    (lambda t: [t.nn.Linear(2, 3), t.nn.Linear(2, 1)], r"module 1 \(Linear\) takes 2 inputs.*3"),
    (lambda t: [], r"no Linear module"),
])
def test_from_torch_refuses_what_is_not_an_mlp(torch, modules, message):
    with pytest.raises(ValueError, match=message):
        nn.MLP.from_torch(torch.nn.Sequential(*modules(torch)))


def _look_alikes(torch):
    """Modules that pass for torch's by name or by class, computing something else (issue 21,
    item 8: each was carried over as the built-in, its outputs different with no error)."""
    class Tanh(torch.nn.Module):                # the name only
        def forward(self, x):
            return torch.sigmoid(x)

    class ReLU(torch.nn.Module):
        def forward(self, x):
            return 2 * x

    class SigmoidTanh(torch.nn.Tanh):           # a subclass whose forward is sigmoid
        def forward(self, x):
            return torch.sigmoid(x)

    class Scaled(torch.nn.Linear):
        def forward(self, x):
            return 10 * super().forward(x)

    hooked, patched = torch.nn.Tanh(), torch.nn.Tanh()
    hooked.register_forward_hook(lambda module, inputs, out: 2 * out)
    patched.forward = torch.sigmoid
    return {'Tanh by name': (Tanh(), r"module 1 \([\w.]*test_torch\.[\w.<>]*Tanh\) cannot be carried over "
                                     r"\(not torch\.nn\.Tanh: a subclass or a module of the same name"),
            'ReLU by name': (ReLU(), r"\(not torch\.nn\.ReLU"),
            'a subclass of Tanh': (SigmoidTanh(), r"SigmoidTanh\) cannot be carried over \(not "
                                                  r"torch\.nn\.Tanh"),
            'a subclass of Linear': (Scaled(3, 1), r"Scaled\) cannot be carried over \(not "
                                                   r"torch\.nn\.Linear"),
            'a forward hook': (hooked, r"module 1 \(Tanh\) has forward hooks or a forward of its own"),
            'a forward of its own': (patched, r"module 1 \(Tanh\) has forward hooks"),
            'LazyLinear': (torch.nn.LazyLinear(1), r"\(LazyLinear\) cannot be carried over \(not "
                                                   r"torch\.nn\.Linear")}


@pytest.mark.parametrize('name', ['Tanh by name', 'ReLU by name', 'a subclass of Tanh',
                                  'a subclass of Linear', 'a forward hook', 'a forward of its own',
                                  'LazyLinear'])
def test_from_torch_takes_only_torchs_own_classes(torch, name):
    module, message = _look_alikes(torch)[name]
    seq = torch.nn.Sequential(torch.nn.Linear(2, 3), module)
    with pytest.raises(ValueError, match=message):
        nn.MLP.from_torch(seq)
    seq = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Tanh())  # the real one still goes
    assert repr(nn.MLP.from_torch(seq)) == "MLP of [Layer of [TanhNeuron(2), TanhNeuron(2), " \
                                          "TanhNeuron(2)]]"


def test_from_torch_says_what_to_do_with_a_bare_linear_and_an_empty_one(torch):
    linear = torch.nn.Linear(2, 3)
    with pytest.raises(TypeError) as e:
        nn.MLP.from_torch(linear)                   # was "'Linear' object is not iterable"
    assert str(e.value) == ("from_torch: expected a torch.nn.Sequential, not a bare Linear: wrap "
                            "it, nn.MLP.from_torch(torch.nn.Sequential(linear)) (a one-layer, "
                            "linear network)")
    assert repr(nn.MLP.from_torch(torch.nn.Sequential(linear))) == \
        "MLP of [Layer of [LinearNeuron(2), LinearNeuron(2), LinearNeuron(2)]]"
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')             # torch: "Initializing zero-element tensors"
        empty = [torch.nn.Linear(0, 3), torch.nn.Linear(2, 0)]
    for i, module in enumerate(empty):
        with pytest.raises(ValueError) as e:
            nn.MLP.from_torch(torch.nn.Sequential(module))
        n, m = (0, 3) if i == 0 else (2, 0)
        assert str(e.value) == (f"from_torch: module 0 is Linear({n}, {m}): an MLP layer needs at "
                                "least one input and one neuron")


def test_from_torch_refuses_what_is_not_a_sequential(torch):
    class Mine(torch.nn.Sequential):
        def forward(self, x):
            return -super().forward(x)
    with pytest.raises(TypeError, match=r"not [\w.]*test_torch\.[\w.<>]*Mine \(a subclass of Sequential: "
                                        r"its own forward would not be carried over\)"):
        nn.MLP.from_torch(Mine(torch.nn.Linear(2, 1)))
    with pytest.raises(TypeError, match=r"expected a torch\.nn\.Sequential of Linear modules, each "
                                        r"followed by at most one of ReLU, Tanh, Sigmoid, Identity, "
                                        r"not list$"):
        nn.MLP.from_torch([torch.nn.Linear(2, 1)])


def test_every_primitive_has_its_pytorch_counterpart(torch):
    from micrograd import PRIMITIVES
    missing = [op.__name__ for op in PRIMITIVES if not callable(vars(op).get('torch'))]
    assert not missing, f"compare_with_torch cannot redo {missing}"
