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

# Our activation names and PyTorch's modules, both ways ('linear': no module at all).  from_torch
# takes these exact classes only: a subclass, or a module that only shares the name, may compute
# something else, and its forward is not carried over.
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
    """An MLP (of class `cls`) with the weights, biases and activations of `seq`: a
    torch.nn.Sequential of Linear modules, each followed by at most one of ReLU, Tanh, Sigmoid or
    Identity (none: linear) — torch's own classes, with no hooks or forward of their own."""
    torch = require_torch("MLP.from_torch()")
    acts = {getattr(torch.nn, name): act for name, act in _FROM_TORCH.items()}
    allowed = ', '.join(_FROM_TORCH)
    if type(seq) is not torch.nn.Sequential:
        raise TypeError(_not_a_sequential(torch, seq, allowed))
    _refuse_hooks(seq, _("the Sequential"))
    layers = []                                     # [Linear, activation name]
    for i, module in enumerate(seq):
        kind = type(module)
        what = _("module {i} ({kind})", i=i, kind=_class_name(kind))
        if kind is torch.nn.Linear:
            if not (module.in_features and module.out_features):
                raise ValueError(_("from_torch: module {i} is Linear({n}, {m}): an MLP layer needs "
                                   "at least one input and one neuron", i=i,
                                   n=module.in_features, m=module.out_features))
            if layers and layers[-1][0].out_features != module.in_features:
                raise ValueError(_("from_torch: module {i} (Linear) takes {n} inputs but the layer "
                                   "before gives {m}", i=i, n=module.in_features,
                                   m=layers[-1][0].out_features))
            layers.append([module, 'linear'])
        elif kind in acts and layers and layers[-1][1] == 'linear':
            layers[-1][1] = acts[kind]
        elif kind in acts:
            where = _("first module") if not layers else _("second activation in a row")
            raise ValueError(_("from_torch: {what} cannot be carried over (an activation must "
                               "follow a Linear; this is the {where}); an MLP is Linear modules, "
                               "each followed by at most one of {allowed}", what=what, where=where,
                               allowed=allowed))
        else:
            raise ValueError(_("from_torch: {what} cannot be carried over{why}; an MLP is Linear "
                               "modules, each followed by at most one of {allowed} (torch.nn's own "
                               "classes)", what=what, allowed=allowed,
                               why=_look_alike(torch, kind, acts)))
        _refuse_hooks(module, what)
    if not layers:
        raise ValueError(_("from_torch: the Sequential has no Linear module"))
    mlp = cls.__new__(cls)
    mlp.layers = [Layer.from_weights(linear.weight.tolist(),
                                     None if linear.bias is None else linear.bias.tolist(),
                                     act, index=l)
                  for l, (linear, act) in enumerate(layers, 1)]
    return mlp


def _not_a_sequential(torch, seq, allowed):
    kind = type(seq)
    if kind is torch.nn.Linear:
        return _("from_torch: expected a torch.nn.Sequential, not a bare Linear: wrap it, "
                 "nn.MLP.from_torch(torch.nn.Sequential(linear)) (a one-layer, linear network)")
    why = (_(" (a subclass of Sequential: its own forward would not be carried over)")
           if isinstance(seq, torch.nn.Sequential) else '')
    return _("from_torch: expected a torch.nn.Sequential of Linear modules, each followed by at "
             "most one of {allowed}, not {kind}{why}", allowed=allowed, kind=_class_name(kind),
             why=why)


def _look_alike(torch, kind, acts):
    """Why a module that looks like one we take is not taken: a subclass, or only the same name."""
    for ours in (torch.nn.Linear, *acts):
        if issubclass(kind, ours) or kind.__name__ == ours.__name__:
            return _(" (not torch.nn.{name}: a subclass or a module of the same name may compute "
                     "something else)", name=ours.__name__)
    return ''


def _refuse_hooks(module, what):
    """A forward hook, or a forward set on the module itself, changes what it computes."""
    if module._forward_hooks or module._forward_pre_hooks or 'forward' in vars(module):
        raise ValueError(_("from_torch: {what} has forward hooks or a forward of its own, which "
                           "cannot be carried over", what=what))


def _class_name(kind):
    """'Tanh' for torch.nn's classes (and builtins), 'my_module.Tanh' for anything else."""
    module = kind.__module__
    if module == 'builtins' or module.startswith('torch.nn.modules.'):
        return kind.__qualname__
    return f"{module}.{kind.__qualname__}"


def _layer_act(layer):
    acts = {n.act for n in layer.neurons}
    if len(acts) != 1:
        raise ValueError(_("to_torch: the neurons of layer {l} have different activations {acts}; "
                           "a torch Linear layer has one", l=layer.index, acts=sorted(acts)))
    return acts.pop()
