"""nn: neural networks built on micrograd's `Value` — neurons, layers, losses, optimisers, and the
seeds' worked examples (`nn.walkthrough`)."""
from .module import Module, Neuron, Layer, MLP, LayerTrace
from .losses import quadratic_cost, squared_error, hinge_loss, cross_entropy, mean
from .optim import SGD, Adam, minibatches


def __getattr__(name):
    # nn.walkthrough is imported on first use, so `python -m nn.walkthrough` runs it cleanly.
    if name == 'walkthrough':
        import importlib
        return importlib.import_module('.walkthrough', __name__)
    raise AttributeError(f"module 'nn' has no attribute {name!r}")
