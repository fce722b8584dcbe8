"""micrograd.nn: the top-level `nn` package under the name micrograd's users import it by.

    from micrograd.nn import Neuron, Layer, MLP      # micrograd's demo.ipynb
    from micrograd import nn                         # micrograd's trace_graph.ipynb

Every name here is the very object of `nn` (`micrograd.nn.MLP is nn.MLP`), so a model built
through either name is one model.  Nothing in the engine imports this module: `import micrograd`
does not load `nn`; only `micrograd.nn` does, when a script asks for it.
"""
import types

import nn as _nn
from nn import *                    # noqa: F401,F403  (Module, Neuron, Layer, MLP, losses, SGD, …)

__all__ = [name for name, obj in vars(_nn).items()
           if not name.startswith('_') and not isinstance(obj, types.ModuleType)]
__doc__ = f"{__doc__}\n{_nn.__doc__}"


def __getattr__(name):
    # nn.walkthrough, nn.exercises, nn.data, nn.train: loaded on first use, as `nn` does.
    return getattr(_nn, name)


def __dir__():
    return sorted(set(globals()) | set(dir(_nn)))
