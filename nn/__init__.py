"""nn: neural networks built on micrograd's `Value` — neurons, layers, losses, optimisers — and,
in nn/course/, the seeds' worked examples (`nn.walkthrough`) and exercises that check a learner's
answers (`nn.exercises`)."""
from .module import Module, Neuron, Layer, MLP, LayerTrace
from .losses import quadratic_cost, squared_error, hinge_loss, cross_entropy, mean
from .optim import SGD, Adam, minibatches


def __getattr__(name):
    # Imported on first use, so `python -m nn.walkthrough` runs it cleanly.
    if name in ('walkthrough', 'exercises', 'course', 'data', 'train'):
        import importlib
        return importlib.import_module('.' + name, __name__)
    raise AttributeError(f"module 'nn' has no attribute {name!r}")
