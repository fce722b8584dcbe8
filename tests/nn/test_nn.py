"""nn: micrograd compatibility, activations, seeded init, from_weights, forward_trace, losses,
optimisers, training."""
import json
import math
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

import nn
from micrograd import Value, gradcheck
from micrograd.engine import topological_order


# --- micrograd 0.1.0 compatibility: the same script, run against both packages ----------------

REPO = Path(__file__).resolve().parents[2]


def _micrograd_010():
    """The directory holding micrograd 0.1.0's package, or None (the test is then skipped)."""
    for d in (os.environ.get('MICROGRAD_010'), '/tmp/mg010', REPO / 'bench' / '.micrograd-0.1.0'):
        if d and (Path(d) / 'micrograd' / 'nn.py').is_file():
            return Path(d)
    return None


# A script written for micrograd (its demo's loss and update), printing its numbers as JSON.
DEMO = """
import json, random, sys
random.seed(1337)
model = MLP(2, [16, 16, 1])
X = [[0.5, -1.2], [1.5, 0.3], [-0.7, 0.8], [0.0, 2.0]]
ys = [1, -1, 1, -1]
params = model.parameters()
before = [p.data for p in params]
scores = [model(list(map(Value, x))) for x in X]
losses = [(1 + -yi * si).relu() for yi, si in zip(ys, scores)]
data_loss = sum(losses) * (1.0 / len(losses))
reg_loss = 1e-4 * sum((p * p for p in params))
total = data_loss + reg_loss
model.zero_grad()
total.backward()
grads = [p.grad for p in params]
for p in params:
    p.data -= 0.1 * p.grad
after = [model([x0, x1]).data for x0, x1 in X]
print(json.dumps(dict(repr=repr(model), repr_neuron=repr(Neuron(3)), repr_lin=repr(Neuron(3, nonlin=False)),
                      origin=sys.modules[Value.__module__].__file__, weights=before, scores=[s.data for s in scores],
                      loss=total.data, grads=grads, after=after)))
"""


def _run_demo(prelude, pythonpath, cwd):
    env = dict(os.environ, PYTHONPATH=str(pythonpath))
    done = subprocess.run([sys.executable, '-c', prelude + DEMO], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_same_numbers_as_micrograd_0_1_0(tmp_path):
    mg = _micrograd_010()
    if mg is None:
        pytest.skip("micrograd 0.1.0 not found (set MICROGRAD_010 to the directory holding it)")
    theirs = _run_demo("from micrograd.engine import Value\nfrom micrograd.nn import MLP, Neuron\n",
                       mg, tmp_path)
    ours = _run_demo("from micrograd import Value\nfrom nn import MLP, Neuron\n", REPO, tmp_path)
    assert theirs['origin'].startswith(str(mg)), f"micrograd 0.1.0 was not loaded: {theirs['origin']}"
    assert not ours['origin'].startswith(str(mg)), f"ours was not loaded: {ours['origin']}"
    for key in ('repr', 'repr_neuron', 'repr_lin'):
        assert ours[key] == theirs[key]
    assert ours['weights'] == theirs['weights'], "initial weights differ"
    assert ours['scores'] == theirs['scores'], "forward pass differs"
    assert ours['loss'] == theirs['loss']
    for i, (g_ours, g_theirs) in enumerate(zip(ours['grads'], theirs['grads'])):
        # Paths may be summed in another order: allow a few ulps.
        assert math.isclose(g_ours, g_theirs, rel_tol=1e-12, abs_tol=1e-15), \
            f"parameter {i}: our grad {g_ours!r}, micrograd's {g_theirs!r}"
    for i, (s_ours, s_theirs) in enumerate(zip(ours['after'], theirs['after'])):
        assert math.isclose(s_ours, s_theirs, rel_tol=1e-12, abs_tol=1e-15), \
            f"after one step, example {i}: ours {s_ours!r}, micrograd's {s_theirs!r}"


def test_micrograd_init_order_in_process():
    """Weights are random.uniform(-1, 1), neuron by neuron, layer by layer; biases 0."""
    random.seed(1337)
    model = nn.MLP(2, [3, 1])
    random.seed(1337)
    expected = []
    for nin, nout in ((2, 3), (3, 1)):
        for _ in range(nout):
            expected += [random.uniform(-1, 1) for _ in range(nin)] + [0.0]
    assert [p.data for p in model.parameters()] == expected


# --- structure, labels, activations ------------------------------------------------------------

def test_reprs_and_shapes():
    model = nn.MLP(3, [4, 2], rng=0)
    assert repr(model) == ("MLP of [Layer of [ReLUNeuron(3), ReLUNeuron(3), ReLUNeuron(3), "
                           "ReLUNeuron(3)], Layer of [LinearNeuron(4), LinearNeuron(4)]]")
    assert len(model.parameters()) == 4 * 4 + 2 * 5
    assert isinstance(model([1, 2, 3]), list) and len(model([1, 2, 3])) == 2
    assert isinstance(nn.MLP(3, [4, 1], rng=0)([1, 2, 3]), Value)
    assert repr(nn.Neuron(2, act='tanh', rng=0)) == "TanhNeuron(2)"
    assert repr(nn.Layer(2, 2, act='sigmoid', rng=0)) == "Layer of [SigmoidNeuron(2), SigmoidNeuron(2)]"


def test_labels_follow_the_lectures():
    model = nn.MLP(2, [3, 1], rng=1)
    labels = [p.label for p in model.parameters()]
    assert labels[:3] == ['w[1][1][1]', 'w[1][1][2]', 'b[1][1]']
    assert labels[-4:] == ['w[2][1][1]', 'w[2][1][2]', 'w[2][1][3]', 'b[2][1]']
    out, layers = model.forward_trace([0.5, -1.0])
    assert [x.label for x in layers[0].x] == ['x[1]', 'x[2]']
    assert [z.label for z in layers[0].z] == ['z[1][1]', 'z[1][2]', 'z[1][3]']
    assert [a.label for a in layers[0].a] == ['a[1][1]', 'a[1][2]', 'a[1][3]']
    assert out.label == 'z[2][1]' and layers[1].a == layers[1].z     # linear: z is the output
    assert layers[1].x == layers[0].a                                 # layer 2 reads layer 1's a
    lone = nn.Neuron(2, rng=0)
    assert [p.label for p in lone.parameters()] == ['w[1][1][1]', 'w[1][1][2]', 'b[1][1]']
    assert lone([1.0, 2.0]).label == 'a[1][1]'


def test_numbers_are_wrapped_once_per_layer_call():
    layer = nn.Layer(2, 3, rng=0)
    t = layer.trace([1.0, 2.0])
    for z in t.z:                       # every neuron reads the same two x leaves
        assert z.parents[2] is t.x[0] and z.parents[3] is t.x[1]


@pytest.mark.parametrize('act, f', [
    ('relu', lambda z: max(0.0, z)),
    ('tanh', math.tanh),
    ('sigmoid', lambda z: 1 / (1 + math.exp(-z))),
    ('linear', lambda z: z),
])
def test_activation_choices(act, f):
    n = nn.Neuron(3, act=act, rng=7)
    x = [0.3, -0.8, 0.5]
    z = sum(wi.data * xi for wi, xi in zip(n.w, x)) + n.b.data
    got = n(x).data
    assert math.isclose(got, f(z), rel_tol=1e-12, abs_tol=1e-15), f"{act}({z}): {got} vs {f(z)}"
    assert gradcheck(lambda *ws: nn.Neuron.from_weights(ws[:3], ws[3], act=act)(x),
                     [w.data for w in n.w] + [0.2])


def test_act_keyword_and_out_act():
    model = nn.MLP(2, [3, 2], act='tanh', out_act='sigmoid', rng=3)
    assert repr(model) == ("MLP of [Layer of [TanhNeuron(2), TanhNeuron(2), TanhNeuron(2)], "
                           "Layer of [SigmoidNeuron(3), SigmoidNeuron(3)]]")
    assert repr(nn.Neuron(2, nonlin=False, rng=0)) == "LinearNeuron(2)"
    with pytest.raises(ValueError, match="unknown activation 'softmax'"):
        nn.Neuron(2, act='softmax')


def test_seeded_init_is_reproducible_and_leaves_global_random_alone():
    random.seed(42)
    state = random.getstate()
    a = [p.data for p in nn.MLP(3, [4, 4, 1], rng=5).parameters()]
    b = [p.data for p in nn.MLP(3, [4, 4, 1], rng=random.Random(5)).parameters()]
    assert a == b
    assert random.getstate() == state, "a seeded MLP must not draw from the global generator"
    assert a != [p.data for p in nn.MLP(3, [4, 4, 1], rng=6).parameters()]
    with pytest.raises(TypeError, match="rng must be"):
        nn.MLP(2, [1], rng='seed')


def test_input_length_mismatch_is_explained():
    with pytest.raises(ValueError, match="neuron 1 of layer 1 has 2 weights but got 3 inputs"):
        nn.MLP(2, [1], rng=0)([1, 2, 3])


def test_one_neuron_hidden_layer_feeds_the_next():
    model = nn.MLP(2, [1, 2], rng=0)        # micrograd would fail here: a Value is not a list
    out = model([1.0, -1.0])
    assert len(out) == 2


def test_zero_grad():
    model = nn.MLP(2, [2, 1], rng=0)
    model([1.0, 2.0]).backward()
    assert any(p.grad != 0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 and type(p.grad) is float for p in model.parameters())


# --- from_weights and forward_trace -------------------------------------------------------------

def test_from_weights_matches_hand_computation():
    W1, b1 = [[1, -2], [-1, 1]], [1, 0]
    W2, b2 = [[2, -1]], [0.5]
    net = nn.MLP.from_weights([W1, W2], [b1, b2], act='sigmoid', out_act='linear')
    s = lambda z: 1 / (1 + math.exp(-z))
    a1 = [s(1 * 1 + -2 * -1 + 1), s(-1 * 1 + 1 * -1 + 0)]
    expected = 0.5 + 2 * a1[0] - a1[1]
    assert math.isclose(net([1, -1]).data, expected, rel_tol=1e-12)
    assert [p.data for p in net.parameters()] == [1, -2, 1, -1, 1, 0, 2, -1, 0.5]
    assert repr(net) == "MLP of [Layer of [SigmoidNeuron(2), SigmoidNeuron(2)], Layer of [LinearNeuron(2)]]"


def test_from_weights_without_biases_has_no_bias_parameters():
    net = nn.MLP.from_weights([[[0.5, -0.5], [1.0, 2.0]], [[1.0, -1.0]]])
    assert len(net.parameters()) == 6
    assert all(p.label.startswith('w[') for p in net.parameters())
    out = net([2.0, 1.0])
    s = lambda z: 1 / (1 + math.exp(-z))
    assert math.isclose(out.data, s(s(0.5) - s(4.0)), rel_tol=1e-12)
    out.backward()
    assert all(p.grad != 0 for p in net.parameters())


def test_from_weights_shape_errors():
    with pytest.raises(ValueError, match="layer 2's rows have 3 weights but layer 1 has 2 neurons"):
        nn.MLP.from_weights([[[1, 2], [3, 4]], [[1, 2, 3]]])
    with pytest.raises(ValueError, match="2 weight matrices but 1 bias vectors"):
        nn.MLP.from_weights([[[1]], [[1]]], [[0]])
    with pytest.raises(ValueError, match="2 rows of weights but 3 biases"):
        nn.MLP.from_weights([[[1], [2]]], [[0, 0, 0]])


def test_from_weights_accepts_values_so_gradcheck_can_drive_it():
    x = [0.4, -0.9]

    def C(w11, w12, w21, w22, v1, v2, b):
        net = nn.MLP.from_weights([[[w11, w12], [w21, w22]], [[v1, v2]]], [[0.1, -0.1], [b]],
                                  act='tanh', out_act='sigmoid')
        return nn.quadratic_cost(net(x), 0.25)
    assert gradcheck(C, [0.3, -0.2, 0.8, 0.5, 1.1, -0.7, 0.05])


def test_forward_trace_delta_is_z_grad():
    W = [[[0.2, -0.4], [0.7, 0.1], [-0.3, 0.6]], [[0.5, -0.6, 0.9]]]
    b = [[0.1, 0.0, -0.2], [0.3]]
    net = nn.MLP.from_weights(W, b, act='sigmoid')
    out, layers = net.forward_trace([1.0, 0.5])
    assert out is layers[-1].a[0] and len(layers) == 2
    C = nn.quadratic_cost(out, 1.0)
    C.backward()
    # BP1 and BP2 by hand
    a2 = out.data
    delta2 = (a2 - 1.0) * a2 * (1 - a2)
    assert math.isclose(layers[1].z[0].grad, delta2, rel_tol=1e-12)
    for j, (z, a) in enumerate(zip(layers[0].z, layers[0].a)):
        expected = W[1][0][j] * delta2 * a.data * (1 - a.data)
        assert math.isclose(z.grad, expected, rel_tol=1e-12), f"δ[1][{j + 1}]: {z.grad} vs {expected}"
        assert math.isclose(net.layers[0].neurons[j].b.grad, expected, rel_tol=1e-12)   # BP3


# --- losses -----------------------------------------------------------------------------------

def test_quadratic_cost_and_squared_error():
    a = [Value(0.8), Value(0.1)]
    C = nn.quadratic_cost(a, [1.0, 0.0])
    assert math.isclose(C.data, 0.5 * (0.2 ** 2 + 0.1 ** 2), rel_tol=1e-12)
    C.backward()
    assert [round(v.grad, 12) for v in a] == [-0.2, 0.1]          # ∂C/∂a = a − y
    b = Value(0.8)
    C0 = nn.squared_error(b, 1.0)                                  # a lone Value and a number
    C0.backward()
    assert math.isclose(C0.data, 0.04, rel_tol=1e-12) and math.isclose(b.grad, -0.4, rel_tol=1e-12)
    with pytest.raises(ValueError, match="quadratic_cost: 2 activations but 3 targets"):
        nn.quadratic_cost(a, [1, 2, 3])
    with pytest.raises(ValueError, match="squared_error: 1 activations but 2 targets"):
        nn.squared_error(b, [1, 2])


def test_hinge_loss_matches_micrograd_demo():
    scores = [Value(0.5), Value(-2.0), Value(1.5)]
    ys = [1, -1, -1]
    L = nn.hinge_loss(scores, ys)
    expected = (max(0, 1 - 0.5) + max(0, 1 - 2.0) + max(0, 1 + 1.5)) / 3
    assert math.isclose(L.data, expected, rel_tol=1e-12)
    L.backward()
    assert [s.grad for s in scores] == [-1 / 3, 0.0, 1 / 3]
    with pytest.raises(ValueError, match="hinge_loss: 3 scores but 2 labels"):
        nn.hinge_loss(scores, [1, 1])


def test_cross_entropy_is_stable_and_correct():
    logits = [Value(2.0), Value(1.0), Value(-1.0)]
    L = nn.cross_entropy(logits, 0)
    e = [math.exp(2.0), math.exp(1.0), math.exp(-1.0)]
    p = [ei / sum(e) for ei in e]
    assert math.isclose(L.data, -math.log(p[0]), rel_tol=1e-12)
    L.backward()
    for i, (s, pi) in enumerate(zip(logits, p)):              # ∂L/∂sᵢ = pᵢ − [i = t]
        assert math.isclose(s.grad, pi - (i == 0), rel_tol=1e-12), f"logit {i}: {s.grad} vs {pi - (i == 0)}"
    big = nn.cross_entropy([Value(1000.0), Value(0.0)], 1)     # e^1000 would overflow
    assert math.isclose(big.data, 1000.0, rel_tol=1e-12)
    assert gradcheck(lambda a, b, c: nn.cross_entropy([a, b, c], 2), [0.3, -1.2, 2.0])
    with pytest.raises(ValueError, match="class index 0…2, not 3"):
        nn.cross_entropy(logits, 3)


@pytest.mark.parametrize('target', [True, False])
def test_cross_entropy_refuses_a_bool_target_as_hinge_loss_does(target):
    # True was taken as class 1 (operator.index(True) == 1): a learner's flag, not a class index
    with pytest.raises(ValueError, match=f"class index 0…1, not {target}"):
        nn.cross_entropy([Value(0.5), Value(-0.5)], target)


def test_finding_9_cross_entropy_of_logits_1e308_apart_is_0_not_an_overflow():
    s = [Value(1e308), Value(-1e308)]
    L = nn.cross_entropy(s, 0)                  # raised OverflowError: −1e308 − 1e308 overflows
    assert L.data == 0.0, L.data
    L.backward()
    assert [si.grad for si in s] == [0.0, 0.0]  # softmax = (1, 0): ∂L/∂s = p − [i = t] = 0
    assert nn.cross_entropy([1e308, -1e308], 0).data == 0.0      # plain numbers too
    # the target is never left out: its loss of ~1000 is there, and of ~2e308 is a real overflow
    far = [Value(0.0), Value(-1000.0)]
    L = nn.cross_entropy(far, 1)
    assert L.data == 1000.0
    L.backward()
    assert [si.grad for si in far] == [1.0, -1.0]
    with pytest.raises(OverflowError, match="too large"):
        nn.cross_entropy([Value(1e308), Value(-1e308)], 1)


def test_finding_9_cross_entropy_keeps_every_term_it_can_add():
    s = [Value(2.0), Value(1.0), Value(-700.0)]   # e^-702 is tiny but not 0: still in the sum
    L = nn.cross_entropy(s, 0)
    exps = [n for n in topological_order(L) if n._op == 'exp']
    assert len(exps) == 3, [n._op for n in topological_order(L)]
    assert math.isclose(L.data, math.log(1 + math.exp(-1) + math.exp(-702)), rel_tol=1e-15)


def test_mean():
    v = [Value(1.0), Value(2.0), Value(6.0)]
    m = nn.mean(v)
    m.backward()
    assert m.data == 3.0 and all(math.isclose(x.grad, 1 / 3) for x in v)


# --- optimisers -------------------------------------------------------------------------------

def test_sgd_update_formula():
    p = Value(1.0)
    opt = nn.SGD([p], lr=0.1)
    p.grad = 2.0
    opt.step()
    assert math.isclose(p.data, 1.0 - 0.1 * 2.0, rel_tol=1e-15)
    opt.zero_grad()
    assert p.grad == 0.0


def test_sgd_momentum_formula():
    p = Value(1.0)
    opt = nn.SGD([p], lr=0.1, momentum=0.9)
    p.grad = 2.0
    opt.step()                          # v = −0.2, w = 0.8
    p.grad = 1.0
    opt.step()                          # v = 0.9·(−0.2) − 0.1 = −0.28, w = 0.52
    assert math.isclose(p.data, 0.52, rel_tol=1e-12), p.data


def test_adam_update_formula():
    p = Value(1.0)
    opt = nn.Adam([p], lr=0.01, betas=(0.9, 0.999), eps=1e-8)
    p.grad = 2.0
    opt.step()                          # m̂ = g, v̂ = g²: the first step is lr·g/(|g| + ε)
    assert math.isclose(p.data, 1.0 - 0.01 * 2.0 / (2.0 + 1e-8), rel_tol=1e-12)
    p.grad = -1.0
    opt.step()
    m = 0.9 * (0.1 * 2.0) + 0.1 * -1.0
    v = 0.999 * (0.001 * 4.0) + 0.001 * 1.0
    expected = 1.0 - 0.01 * 2.0 / (2.0 + 1e-8) - 0.01 * (m / (1 - 0.81)) / (math.sqrt(v / (1 - 0.999 ** 2)) + 1e-8)
    assert math.isclose(p.data, expected, rel_tol=1e-12), (p.data, expected)


def test_optimiser_errors():
    with pytest.raises(ValueError, match="learning rate must be a positive"):
        nn.SGD([Value(1.0)], lr=0)
    with pytest.raises(ValueError, match="no parameters"):
        nn.Adam([])


def _labelled(*data_grad):
    ps = [Value(d, label=f"w{i}") for i, (d, _) in enumerate(data_grad, 1)]
    for p, (_, g) in zip(ps, data_grad):
        p.grad = g
    return ps


def test_finding_4_adam_eps_0_with_a_zero_gradient_is_an_error_that_moves_nothing():
    ps = _labelled((1.0, 0.5), (2.0, 0.0), (3.0, 0.5))
    opt = nn.Adam(ps, lr=0.1, eps=0.0)
    with pytest.raises(FloatingPointError, match=r"parameter 'w2': m̂/\(√v̂ \+ ε\) divides by 0.*"
                                                 r"this one is 0\.0\) and eps = 0.*eps > 0"):
        opt.step()                              # was ZeroDivisionError after moving w1
    assert [p.data for p in ps] == [1.0, 2.0, 3.0]
    assert (opt.t, opt.m, opt.v) == (0, [0.0] * 3, [0.0] * 3)
    ps[1].grad = 0.25                           # with every gradient non-zero, eps = 0 is fine
    opt.step()
    assert [p.data for p in ps] == pytest.approx([0.9, 1.9, 2.9], rel=1e-12)


def test_adam_eps_0_with_a_gradient_too_small_to_square_says_so():
    """Issue 21, item 10: a 1e-200 gradient squares to 0, so √v̂ = 0 as for a zero gradient; the
    message said "its gradient has been 0 so far", which was not true."""
    ps = _labelled((1.0, 0.5), (2.0, 1e-200))
    opt = nn.Adam(ps, lr=0.1, eps=0.0)
    with pytest.raises(FloatingPointError) as e:
        opt.step()
    assert str(e.value) == (
        "Adam.step: parameter 'w2': m̂/(√v̂ + ε) divides by 0: every gradient of it so far was 0 or "
        "too small to square (g² underflows to 0; this one is 1e-200) and eps = 0 (give eps > 0, "
        "e.g. 1e-8) (data 2.0, grad 1e-200, lr 0.1); no parameter was changed")
    assert [p.data for p in ps] == [1.0, 2.0] and opt.t == 0
    opt.eps = 1e-8                              # with eps > 0 the step is taken: w2 moves by ~1e-193
    opt.step()
    assert opt.t == 1 and ps[1].data == 2.0 and ps[0].data == pytest.approx(0.9, rel=1e-8)


def _optimisers():
    return [lambda ps: nn.SGD(ps, lr=0.1, momentum=0.5), lambda ps: nn.Adam(ps, lr=0.1)]


def _state(opt):
    return {k: (list(v) if isinstance(v, list) else v) for k, v in vars(opt).items()
            if k in ('velocity', 'm', 'v', 't')}


@pytest.mark.parametrize('make', _optimisers(), ids=['sgd', 'adam'])
def test_finding_4_a_step_interrupted_at_any_line_moves_all_parameters_or_none(make):
    """Ctrl-C injected (sys.settrace) at each line the step runs in nn/optim.py, one at a time."""
    def fresh():
        ps = _labelled((1.0, 0.5), (-2.0, -1.5), (3.0, 2.0))
        opt = make(ps)
        opt.step()                              # some state already (momentum, m, v, t)
        for p, g in zip(ps, (0.25, 1.0, -0.5)):
            p.grad = g
        return ps, opt
    ps, opt = fresh()
    before = ([p.data for p in ps], _state(opt))
    opt.step()
    after = ([p.data for p in ps], _state(opt))
    k = 0
    while True:
        ps, opt = fresh()
        seen = 0

        def tracer(frame, event, arg):
            nonlocal seen
            if frame.f_code.co_filename != nn.optim.__file__:
                return None
            if event == 'line':
                seen += 1
                if seen == k + 1:
                    raise KeyboardInterrupt
            return tracer
        sys.settrace(tracer)
        try:
            opt.step()
            interrupted = False
        except KeyboardInterrupt:
            interrupted = True
        finally:
            sys.settrace(None)
        now = ([p.data for p in ps], _state(opt))
        assert now in (before, after), f"interrupted at line event {k + 1}: {now}"
        if not interrupted:
            assert now == after
            break
        k += 1
    assert k > 10, f"only {k} lines traced"


@pytest.mark.parametrize('make, says', [
    (lambda ps: nn.SGD(ps, lr=math.inf), "learning rate must be a positive finite number, not inf"),
    (lambda ps: nn.SGD(ps, lr=math.nan), "learning rate must be a positive finite number, not nan"),
    (lambda ps: nn.SGD(ps, lr=True), "learning rate must be a positive finite number, not True"),
    (lambda ps: nn.SGD(ps, lr='0.1'), "learning rate must be a positive finite number, not '0.1'"),
    (lambda ps: nn.SGD(ps, momentum=math.nan), r"momentum must be a number in \[0, 1\), not nan"),
    (lambda ps: nn.SGD(ps, momentum=1.0), r"momentum must be a number in \[0, 1\), not 1.0"),
    (lambda ps: nn.Adam(ps, lr=math.inf), "Adam: the learning rate must be a positive finite"),
    (lambda ps: nn.Adam(ps, eps=math.nan), "Adam: eps must be a finite number ≥ 0, not nan"),
    (lambda ps: nn.Adam(ps, eps=math.inf), "Adam: eps must be a finite number ≥ 0, not inf"),
    (lambda ps: nn.Adam(ps, eps=-1e-8), "Adam: eps must be a finite number ≥ 0"),
    (lambda ps: nn.Adam(ps, betas=(0.9, math.nan)), r"betas must be two numbers in \[0, 1\)"),
    (lambda ps: nn.Adam(ps, betas=(0.9,)), r"betas must be two numbers in \[0, 1\)"),
    (lambda ps: nn.Adam(ps, betas=(1.0, 0.999)), r"betas must be two numbers in \[0, 1\)"),
])
def test_finding_6_hyper_parameters_are_checked_when_the_optimiser_is_made(make, says):
    with pytest.raises(ValueError, match=says):
        make([Value(1.0)])


@pytest.mark.parametrize('make', _optimisers(), ids=['sgd', 'adam'])
def test_finding_6_a_learning_rate_set_later_is_checked_too(make):
    opt = make([Value(1.0)])
    with pytest.raises(ValueError, match="learning rate must be a positive finite number, not inf"):
        opt.lr = math.inf                       # as a schedule in fit() does every step
    assert opt.lr == 0.1


@pytest.mark.parametrize('grad', [math.nan, math.inf])
@pytest.mark.parametrize('make', _optimisers(), ids=['sgd', 'adam'])
def test_finding_6_a_non_finite_gradient_is_an_error_naming_the_parameter(make, grad):
    ps = _labelled((1.0, 0.5), (2.0, 0.0))
    with pytest.raises(ValueError, match=r"\.grad must be a finite number.*'w2'"):
        ps[1].grad = grad                       # refused when set (issue 21 item 4)
    ps[1]._grad = grad                          # written past the check: the step still refuses
    with pytest.raises(FloatingPointError, match=f"parameter 'w2': its gradient is {grad}"):
        make(ps).step()
    assert [p.data for p in ps] == [1.0, 2.0]


def test_finding_6_an_update_that_overflows_is_an_error_naming_the_parameter():
    ps = _labelled((1.0, 0.5), (2.0, 1e300))
    opt = nn.SGD(ps, lr=1e10)                   # −1e10 · 1e300 = −inf
    with pytest.raises(FloatingPointError, match="parameter 'w2': its new data would be -inf"):
        opt.step()
    assert [p.data for p in ps] == [1.0, 2.0] and opt.velocity == [0.0, 0.0]
    unlabelled = [Value(1.0), Value(1.0)]
    unlabelled[1].grad = 1e300
    with pytest.raises(FloatingPointError, match=r"parameter number 2 \(unlabelled\)"):
        nn.SGD(unlabelled, lr=1e10).step()


def test_finding_6_adam_does_not_freeze_a_parameter_after_a_huge_gradient():
    w = Value(2.0, label='w')
    opt = nn.Adam([w], lr=0.1)
    w.grad = 1e155                              # v̂ = g² ≈ 1e310 overflowed: every later step was 0
    opt.step()
    assert w.data == pytest.approx(1.9, rel=1e-12)          # the first step is lr · g/|g|
    w.grad = 1.0
    opt.step()
    assert w.data < 1.9, "a later step must still move w"
    for b2 in (0.999, 0.0):                     # past ~1e155 (1e154 for β₂ = 0) v itself overflows
        w = Value(2.0, label='w')
        opt = nn.Adam([w], betas=(0.9, b2))
        w.grad = 1e156 if b2 else 2e154
        with pytest.raises(FloatingPointError, match="parameter 'w'.*overflows Adam's second moment"):
            opt.step()
        assert (w.data, opt.t, opt.v) == (2.0, 0, [0.0])


@pytest.mark.parametrize('make, says', [
    (lambda: nn.MLP(-1, [1]), r"MLP: nin \(the number of inputs\) must be an integer ≥ 1, not -1"),
    (lambda: nn.MLP(2, [0, 1]), r"MLP: the size of layer 1 in nouts=\[0, 1\] must be an integer ≥ 1"),
    (lambda: nn.MLP(2, [1], act='softmax'), "unknown activation 'softmax'"),   # act unused: 1 layer
    (lambda: nn.MLP(2, [3, 1], out_act='gelu'), "unknown activation 'gelu'"),
    (lambda: nn.MLP(2, []), "nouts is empty"),
    (lambda: nn.MLP(2, 3), r"nouts must be a list of layer sizes, like \[16, 16, 1\], not 3"),
    (lambda: nn.MLP(2, [True]), "must be an integer ≥ 1, not True"),
    (lambda: nn.MLP(2.0, [1]), "must be an integer ≥ 1, not 2.0"),
    (lambda: nn.Layer(2, 0), r"layer 1: nout \(its number of neurons\) must be an integer ≥ 1"),
    (lambda: nn.Neuron(-3), r"neuron 1 of layer 1: nin \(its number of inputs\) must be"),
    (lambda: nn.hinge_loss([Value(0.5)], [5]), "label 1 is 5, but the labels must be \\+1 or −1"),
    (lambda: nn.hinge_loss([Value(0.5), Value(1.0)], [1, 0]), "label 2 is 0.*2y − 1"),
    (lambda: nn.hinge_loss([Value(0.5)], [True]), "label 1 is True"),
    (lambda: nn.data.one_hot(5, 3), "one_hot: the label must be a class index 0…2, not 5"),
    (lambda: nn.data.one_hot(-1, 3), "class index 0…2, not -1"),
    (lambda: nn.data.one_hot(1.0, 3), "class index 0…2, not 1.0"),
    (lambda: nn.data.one_hot(0, 0), r"one_hot: n \(the number of classes\) must be an integer ≥ 1"),
    (lambda: nn.data.moons(10, noise=math.inf), r"moons: noise \(a standard deviation\) must be a finite"),
    (lambda: nn.data.moons(10, noise=math.nan), "must be a finite number ≥ 0, not nan"),
    (lambda: nn.data.moons(True), "moons: n must be an integer ≥ 2, not True"),
    (lambda: nn.minibatches([1, 2], True), "minibatches: batch_size must be an integer ≥ 1, not True"),
    (lambda: nn.minibatches([1, 2], False), "must be an integer ≥ 1, not False"),
    (lambda: nn.minibatches([1, 2], 1.0), "must be an integer ≥ 1, not 1.0"),
])
def test_finding_14_nn_refuses_nonsense_up_front(make, says):
    with pytest.raises(ValueError, match=says):
        make()


def test_finding_14_a_bad_act_is_refused_before_any_weight_is_drawn():
    rng = random.Random(0)
    with pytest.raises(ValueError, match="softmax"):
        nn.MLP(2, [1], act='softmax', rng=rng)
    assert rng.random() == random.Random(0).random(), "no draw was spent on the refused network"


def test_finding_14_fit_refuses_a_batch_size_of_0_and_bad_epochs():
    from nn import train
    model = nn.MLP(1, [1], rng=0)
    args = (model, [([1.0], 1)], train.batch_loss('hinge'), nn.SGD(model.parameters()))
    before = [p.data for p in model.parameters()]
    for kw, says in ((dict(batch_size=0), r"fit: batch_size \(None for one full batch\) must be an "
                      "integer ≥ 1, not 0"), (dict(batch_size=True), "not True"),
                     (dict(epochs=0), "fit: epochs must be an integer ≥ 1, not 0")):
        with pytest.raises(ValueError, match=says):     # batch_size=0 was ZeroDivisionError
            train.fit(*args, **kw)
    with pytest.raises(ValueError, match="no examples"):
        train.fit(model, [], *args[2:])
    assert [p.data for p in model.parameters()] == before


def test_finding_14_numpy_integers_are_sizes():
    np = pytest.importorskip('numpy')
    assert [len(b) for b in nn.minibatches(range(5), np.int64(2), rng=0)] == [2, 2, 1]
    assert nn.data.one_hot(np.int64(1), np.int32(3)) == [0.0, 1.0, 0.0]
    assert nn.data.moons(np.int64(6), seed=1) == nn.data.moons(6, seed=1)
    model = nn.MLP(np.int64(2), [np.int64(3), 1], rng=5)
    assert [len(layer.neurons) for layer in model.layers] == [3, 1]
    assert model([1.0, 2.0]).data == nn.MLP(2, [3, 1], rng=5)([1.0, 2.0]).data
    with pytest.raises(ValueError, match="must be an integer ≥ 1, not (np.)?True"):
        nn.minibatches([1, 2], np.bool_(True))


def test_finding_14_hinge_loss_takes_plain_numbers_as_constant_scores():
    assert nn.hinge_loss([1.0], [1]).data == 0.0            # was AttributeError: float.relu
    s = Value(0.25, label='s')
    L = nn.hinge_loss([s, -2.0], [1, 1])                    # (0.75 + 3) / 2
    assert L.data == 1.875
    L.backward()
    assert s.grad == -0.5
    assert nn.hinge_loss([Value(0.5)], [-1.0]).data == 1.5  # ±1 as floats are labels too


def test_minibatches():
    data = list(range(10))
    batches = nn.minibatches(data, 4, rng=0)
    assert [len(b) for b in batches] == [4, 4, 2]
    assert sorted(x for b in batches for x in b) == data
    assert batches == nn.minibatches(data, 4, rng=random.Random(0))
    assert data == list(range(10)), "the caller's list must not be shuffled"


# --- training ---------------------------------------------------------------------------------

@pytest.mark.parametrize('make_opt', [lambda ps: nn.SGD(ps, lr=0.1, momentum=0.5),
                                      lambda ps: nn.Adam(ps, lr=0.05)], ids=['sgd', 'adam'])
def test_training_reduces_the_loss(make_opt):
    X = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    model = nn.MLP(3, [4, 4, 1], act='tanh', rng=1)
    opt = make_opt(model.parameters())

    def loss():
        return nn.mean([nn.squared_error(model(x), y) for x, y in zip(X, ys)])
    first = loss().data
    for _ in range(60):
        L = loss()
        opt.zero_grad()
        L.backward()
        opt.step()
    last = loss().data
    assert last < 0.1 * first, f"loss went from {first} to {last}"


def test_minibatch_gradient_is_the_average():
    model = nn.MLP(2, [3, 1], act='tanh', rng=2)
    batch = [([0.5, 1.0], 1.0), ([-1.0, 0.3], -1.0)]
    per_example = []
    for x, y in batch:
        model.zero_grad()
        nn.squared_error(model(x), y).backward()
        per_example.append([p.grad for p in model.parameters()])
    model.zero_grad()
    nn.mean([nn.squared_error(model(x), y) for x, y in batch]).backward()
    for i, p in enumerate(model.parameters()):
        expected = (per_example[0][i] + per_example[1][i]) / 2
        assert math.isclose(p.grad, expected, rel_tol=1e-12, abs_tol=1e-15), (p.label, p.grad, expected)


# --- issue 12, finding 17 for nn: no entry point leaves cyclic garbage -----------------------------

def _mlp_backward():
    model = nn.MLP(2, [3, 1], act='tanh', rng=0)
    nn.mean([nn.squared_error(model([1.0, 2.0]), 1.0)]).backward()


def _optimisers_step():
    model = nn.MLP(2, [3, 1], rng=0)
    model([1.0, 2.0]).backward()
    for opt in (nn.SGD(model.parameters(), momentum=0.5), nn.Adam(model.parameters())):
        opt.step()
        opt.zero_grad()


def _fit_eagerly():
    from nn import train
    model = nn.MLP(2, [3, 1], rng=0)
    train.fit(model, [([1.0, 2.0], 1), ([0.0, 1.0], -1)], train.batch_loss('hinge', l2=1e-4),
              nn.SGD(model.parameters()), epochs=2, batch_size=1, rng=0)


def _losses_and_data():
    nn.cross_entropy([Value(1e308), Value(-1e308)], 0).backward()
    nn.hinge_loss([Value(0.5), 2.0], [1, -1]).backward()
    nn.data.one_hot(1, 3), nn.data.moons(10, seed=1), nn.minibatches(range(5), 2, rng=0)


def _refusals():
    for bad in (lambda: nn.MLP(2, [0]), lambda: nn.Adam([Value(1.0)], eps=math.nan)):
        with pytest.raises(ValueError):
            bad()
    w = Value(1.0, label='w')
    w._grad = math.nan                          # past .grad's own check
    with pytest.raises(FloatingPointError):
        nn.SGD([w]).step()


@pytest.mark.parametrize('entry', [_mlp_backward, _optimisers_step, _fit_eagerly, _losses_and_data,
                                   _refusals])
def test_finding_17_nn_entry_points_leave_no_cyclic_garbage(entry, cyclic_garbage):
    found = cyclic_garbage(entry)
    assert found == 0, f"{entry.__name__} left {found} objects in reference cycles"
