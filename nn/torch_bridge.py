"""An MLP carried to PyTorch and back: the same weights, biases and activations.

    seq = model.to_torch()          # torch.nn.Sequential(Linear, ReLU, Linear, ReLU, Linear)
    model = nn.MLP.from_torch(seq)

Layer l's weight matrix is row j = neuron j's weights w[l][j][k] (PyTorch's `Linear.weight`, and
Nielsen's w_jk), so nothing is transposed.  The PyTorch network is float64, like the engine, and
its output on any input equals ours up to the order of the sums (≈1e-16).  PyTorch is optional:
pip install 'backprop-classroom[torch]'.
"""
from micrograd.torch_bridge import require_torch
from micrograd.i18n import _

from .module import Layer

__all__ = ['to_torch', 'from_torch']

# Our activation names and PyTorch's modules, both ways ('linear': no module at all).
_TO_TORCH = {'relu': 'ReLU', 'tanh': 'Tanh', 'sigmoid': 'Sigmoid'}
_FROM_TORCH = {torch_name: act for act, torch_name in _TO_TORCH.items()}
_FROM_TORCH['Identity'] = 'linear'


def to_torch(mlp):
    """A torch.nn.Sequential computing what `mlp` computes: per layer a float64 Linear (without a
    bias if no neuron of the layer has one), then its activation module unless it is linear."""
    torch = require_torch("MLP.to_torch()")
    modules = []
    for layer in mlp.layers:
        neurons = layer.neurons
        W = [[w.data for w in n.w] for n in neurons]
        has_bias = any(n.b is not None for n in neurons)
        linear = torch.nn.Linear(len(W[0]), len(W), bias=has_bias, dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor(W, dtype=torch.float64))
            if has_bias:                            # a neuron without a bias gets 0: the same z
                linear.bias.copy_(torch.tensor([0.0 if n.b is None else n.b.data
                                                for n in neurons], dtype=torch.float64))
        modules.append(linear)
        act = _layer_act(layer)
        if act != 'linear':
            modules.append(getattr(torch.nn, _TO_TORCH[act])())
    return torch.nn.Sequential(*modules)


def from_torch(cls, seq):
    """An MLP (of class `cls`) with the weights, biases and activations of `seq`: Linear modules,
    each followed by at most one of ReLU, Tanh, Sigmoid or Identity (none: linear)."""
    torch = require_torch("MLP.from_torch()")
    layers = []                                     # [Linear, activation name]
    for i, module in enumerate(seq):
        kind = type(module).__name__
        if isinstance(module, torch.nn.Linear):
            if layers and layers[-1][0].out_features != module.in_features:
                raise ValueError(_("from_torch: module {i} (Linear) takes {n} inputs but the layer "
                                   "before gives {m}", i=i, n=module.in_features,
                                   m=layers[-1][0].out_features))
            layers.append([module, 'linear'])
        elif kind in _FROM_TORCH and layers and layers[-1][1] == 'linear':
            layers[-1][1] = _FROM_TORCH[kind]
        else:
            where = "first" if not layers else "second activation in a row"
            raise ValueError(
                f"from_torch: module {i} ({kind}) cannot be carried over"
                + (f" (an activation must follow a Linear; this is the {where})"
                   if kind in _FROM_TORCH else "")
                + f"; an MLP is Linear modules, each followed by at most one of "
                  f"{', '.join(_FROM_TORCH)}")
    if not layers:
        raise ValueError(_("from_torch: the Sequential has no Linear module"))
    mlp = cls.__new__(cls)
    mlp.layers = [Layer.from_weights(linear.weight.tolist(),
                                     None if linear.bias is None else linear.bias.tolist(),
                                     act, index=l)
                  for l, (linear, act) in enumerate(layers, 1)]
    return mlp


def _layer_act(layer):
    acts = {n.act for n in layer.neurons}
    if len(acts) != 1:
        raise ValueError(_("to_torch: the neurons of layer {l} have different activations {acts}; "
                           "a torch Linear layer has one", l=layer.index, acts=sorted(acts)))
    return acts.pop()
