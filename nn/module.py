"""Neurons, layers and multi-layer perceptrons built from `Value`s.

    z[l][j] = b[l][j] + Σₖ w[l][j][k] · a[l−1][k]        a[l][j] = f(z[l][j])

By default everything behaves exactly like micrograd 0.1.0's `nn` (ReLU hidden layers, a linear
output, weights `random.uniform(-1, 1)` drawn in the same order, bias 0), so a script written for
micrograd gives the same numbers here.  Every weight, bias and forward-pass node is labelled
(`w[l][j][k]`, `b[l][j]`, `z[l][j]`, `a[l][j]`, `x[k]`, counting from 1 as in the lectures) so a
rendered graph reads like the equations.
"""
import random
from dataclasses import dataclass

from micrograd.engine import Value, leaf, weighted_sum, weighted_sums

from micrograd.i18n import _, N_

from .checks import size

__all__ = ['Module', 'Neuron', 'Layer', 'MLP', 'LayerTrace', 'ACTIVATIONS']

# The activation f of a neuron, by name: a = f(z).  'linear' means a = z (no node is added).
ACTIVATIONS = {
    'relu': Value.relu,
    'tanh': Value.tanh,
    'sigmoid': Value.sigmoid,
    'linear': None,
}
_NAMES = {'relu': 'ReLU', 'tanh': 'Tanh', 'sigmoid': 'Sigmoid', 'linear': 'Linear'}


class Module:
    """Anything with parameters: `parameters()` lists them, `zero_grad()` resets their .grad."""

    def zero_grad(self):
        for p in self.parameters():
            p.grad = 0.0

    def parameters(self):
        return []


class Neuron(Module):
    """a = f(b + Σₖ wₖ·xₖ), with wₖ ~ uniform(−1, 1) and b = 0 (micrograd's order of draws).

    `act` is 'relu' | 'tanh' | 'sigmoid' | 'linear' (default: 'relu' if `nonlin` else 'linear');
    `rng` is a seed or a `random.Random` (default: the global `random`); `layer`/`index` = l, j.
    """

    def __init__(self, nin, nonlin=True, act=None, rng=None, layer=1, index=1, bias=True):
        nin = size(nin, N_("neuron {j} of layer {l}: nin (its number of inputs)"), j=index, l=layer)
        act = _act_name(act, nonlin)
        uniform = _generator(rng).uniform
        self._build([uniform(-1, 1) for _ in range(nin)], 0 if bias else None, act, layer, index)

    @classmethod
    def from_weights(cls, w, b=None, act='sigmoid', layer=1, index=1):
        """A neuron with the given weights (numbers, or Values used as they are) and bias;
        `b=None` gives a neuron without a bias: z = Σₖ wₖ·xₖ."""
        neuron = cls.__new__(cls)
        neuron._build(list(w), b, _act_name(act, True), layer, index)
        return neuron

    def _build(self, w, b, act, layer, index):
        l, j = layer, index
        self.w = [leaf(wk, f"w[{l}][{j}][{k}]") for k, wk in enumerate(w, 1)]
        self.b = None if b is None else leaf(b, f"b[{l}][{j}]")
        self.act = act
        self.nonlin = act != 'linear'
        self.layer, self.index = l, j
        self._labels = (f"z[{l}][{j}]", f"a[{l}][{j}]")

    def __call__(self, x):
        return self.forward(x)[1]

    def forward(self, x):
        """(z, a) for input x: the weighted input and the activation (the same node if linear)."""
        return self._forward(_inputs(x))

    def _forward(self, x):
        """forward() on inputs that are already a list of Values (a layer converts them once)."""
        if len(x) != len(self.w):
            raise ValueError(_("neuron {j} of layer {l} has {w} weights but got {x} inputs",
                               j=self.index, l=self.layer, w=len(self.w), x=len(x)))
        # One fused node, summed in micrograd's float order: ((b + w₁x₁) + w₂x₂) + …
        z = weighted_sum(self.w, x, self._bias(), self._labels[0])
        return z, self._activate(z)

    def _bias(self):
        return 0.0 if self.b is None else self.b    # no bias: a constant 0

    def _activate(self, z):
        """a = f(z), labelled a[l][j]; z itself if the neuron is linear."""
        f = ACTIVATIONS[self.act]
        if f is None:
            return z
        a = f(z)
        a.label = self._labels[1]
        return a

    def parameters(self):
        return self.w + ([] if self.b is None else [self.b])

    def __repr__(self):
        return f"{_NAMES[self.act]}Neuron({len(self.w)})"


@dataclass
class LayerTrace:
    """One layer of one forward pass: its inputs x, weighted inputs z and activations a."""
    x: list
    z: list
    a: list


class Layer(Module):
    """nout neurons reading the same nin inputs; `index` is the layer's number l in its network.
    Returns a list of activations, or one Value if the layer has one neuron (as micrograd)."""

    def __init__(self, nin, nout, index=1, rng=None, **kwargs):
        nout = size(nout, N_("layer {l}: nout (its number of neurons)"), l=index)
        rng = _generator(rng)           # one generator for all the neurons: draws stay in order
        self.neurons = [Neuron(nin, rng=rng, layer=index, index=j, **kwargs)
                        for j in range(1, nout + 1)]
        self.index = index

    @classmethod
    def from_weights(cls, W, b=None, act='sigmoid', index=1):
        """A layer with weight matrix W (row j = neuron j's weights w_jk) and bias vector b."""
        W = [list(row) for row in W]
        b = [None] * len(W) if b is None else list(b)
        if len(b) != len(W):
            raise ValueError(_("layer {l}: {w} rows of weights but {b} biases", l=index,
                               w=len(W), b=len(b)))
        if len({len(row) for row in W}) > 1:
            raise ValueError(_("layer {l}: the rows of the weight matrix have different lengths "
                               "{lengths}", l=index, lengths=[len(row) for row in W]))
        layer = cls.__new__(cls)
        layer.neurons = [Neuron.from_weights(row, bj, act, layer=index, index=j)
                         for j, (row, bj) in enumerate(zip(W, b), 1)]
        layer.index = index
        return layer

    def __call__(self, x):
        return _unwrap(self.trace(x).a)

    def trace(self, x):
        """This layer's pass on x, as a LayerTrace; numbers in x become leaves x[k] once."""
        x = _inputs(x)
        neurons = self.neurons
        if neurons and len(x) != len(neurons[0].w):
            neurons[0]._forward(x)                  # says which neuron and how many inputs
        # every neuron's z at once: the inputs' numbers are read once for the whole layer
        z = weighted_sums([n.w for n in neurons], x, [n._bias() for n in neurons],
                          [n._labels[0] for n in neurons])
        return LayerTrace(x, z, [n._activate(zj) for n, zj in zip(neurons, z)])

    def parameters(self):
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self):
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """A multi-layer perceptron: nin inputs, then one layer per entry of nouts.

    Hidden layers use `act`, the last layer `out_act` (micrograd: 'relu' then 'linear');
    `rng` is a seed or a `random.Random` (default: the global `random`, as micrograd).
    """

    def __init__(self, nin, nouts, act='relu', out_act='linear', rng=None):
        # Everything is checked before the first weight is drawn, even an act no layer will use.
        nin = size(nin, N_("MLP: nin (the number of inputs)"))
        if isinstance(nouts, (str, bytes)) or not hasattr(nouts, '__iter__'):
            raise ValueError(_("MLP: nouts must be a list of layer sizes, like [16, 16, 1], not "
                               "{value}", value=repr(nouts)))
        nouts = [size(n, N_("MLP: the size of layer {l} in nouts={nouts}"), l=l, nouts=repr(nouts))
                 for l, n in enumerate(nouts, 1)]
        if not nouts:
            raise ValueError(_("MLP: nouts is empty: give at least one layer size, like [1]"))
        act, out_act = _act_name(act, True), _act_name(out_act, True)
        rng = _generator(rng)
        sizes = [nin] + nouts
        last = len(nouts) - 1
        self.layers = [Layer(sizes[i], sizes[i + 1], index=i + 1, rng=rng,
                             act=out_act if i == last else act)
                       for i in range(len(nouts))]

    @classmethod
    def from_weights(cls, weights, biases=None, act='sigmoid', out_act=None):
        """An MLP with weight matrices (weights[l−1][j−1][k−1] = w[l][j][k], Nielsen's w_jk) and
        bias vectors; `biases=None` gives a network without biases; out_act defaults to act."""
        weights = list(weights)
        biases = [None] * len(weights) if biases is None else list(biases)
        if len(biases) != len(weights):
            raise ValueError(_("from_weights: {w} weight matrices but {b} bias vectors",
                               w=len(weights), b=len(biases)))
        out_act = act if out_act is None else out_act
        mlp = cls.__new__(cls)
        mlp.layers = [Layer.from_weights(W, b, out_act if l == len(weights) else act, index=l)
                      for l, (W, b) in enumerate(zip(weights, biases), 1)]
        for prev, layer in zip(mlp.layers, mlp.layers[1:]):
            nin = len(layer.neurons[0].w) if layer.neurons else 0
            if nin != len(prev.neurons):
                raise ValueError(_("from_weights: layer {l}'s rows have {nin} weights but layer "
                                   "{prev} has {n} neurons", l=layer.index, nin=nin,
                                   prev=prev.index, n=len(prev.neurons)))
        return mlp

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def forward_trace(self, x):
        """(output, [LayerTrace per layer]): after backward, [z.grad for z in layers[l].z] = δ^(l+1)."""
        layers = []
        for layer in self.layers:
            layers.append(layer.trace(x))
            x = layers[-1].a
        return _unwrap(x), layers

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

    def to_torch(self):
        """This network as a float64 torch.nn.Sequential with the same weights, biases and
        activations (needs PyTorch: pip install 'backprop-classroom[torch]')."""
        from .torch_bridge import to_torch
        return to_torch(self)

    @classmethod
    def from_torch(cls, seq):
        """The MLP a torch.nn.Sequential of Linear layers and ReLU/Tanh/Sigmoid/Identity
        computes, with its weights and biases as leaves (the round trip is exact)."""
        from .torch_bridge import from_torch
        return from_torch(cls, seq)

    def __repr__(self):
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"


# --- helpers ---------------------------------------------------------------------------------

def _generator(rng):
    """The source of random numbers: the global `random` module, a seeded Random, or rng itself."""
    if rng is None or rng is random:
        return random
    if isinstance(rng, random.Random):
        return rng
    if isinstance(rng, int) and not isinstance(rng, bool):
        return random.Random(rng)
    raise TypeError(_("rng must be None, an int seed or a random.Random, not {type}",
                      type=type(rng).__name__))


def _act_name(act, nonlin):
    if act is None:
        return 'relu' if nonlin else 'linear'
    if act not in ACTIVATIONS:
        raise ValueError(_("unknown activation {act}: choose one of {choices}", act=repr(act),
                           choices=', '.join(map(repr, ACTIVATIONS))))
    return act


def _inputs(x):
    """The inputs as a list of Values; numbers become leaves labelled x[k] (k from 1)."""
    if isinstance(x, Value) or not hasattr(x, '__iter__'):
        x = [x]                         # a one-neuron layer's output feeding the next layer
    return [xk if isinstance(xk, Value) else Value(xk, label=f"x[{k}]") for k, xk in enumerate(x, 1)]


def _unwrap(a):
    return a[0] if len(a) == 1 else list(a)
