"""micrograd: a scalar reverse-mode autodiff engine for learning and teaching backpropagation.

    engine.py   Value, the primitive Ops (forward beside local derivative), backward
    check.py    gradcheck: the engine's gradients against finite differences
    graph.py    describe: what the learner sees of a graph (names, formulas, roles, groups)
    render.py   draw_dot / to_svg / to_png / to_pdf: the graph as a picture, in stages: groups.py
                (what goes where), dot.py (DOT text), layout.py (size), renderer.py (dot or wasm)
    trace.py    forward_steps / backward_steps: each chain-rule product, explained
    player.py   step_through: the steps as a page you click through
    expr.py     parse: "tanh(w*x + b)" -> a graph, without eval
    replay.py   compile: a recorded graph replayed as straight-line Python
    grade/      grade(Value): a learner's own engine checked for the classic mistakes
    torch_bridge.py   compare_with_torch: the same graph in PyTorch, side by side (optional)
    nn.py       micrograd.nn: the top-level `nn`, by micrograd's name (loaded only when asked for)
    i18n/       _(): every sentence to a learner in English or Chinese; set_language('zh')
"""
from .engine import Value, Op, PRIMITIVES, topological_order, weighted_sum
from .check import gradcheck, numerical_grad, GradcheckError
from .render import (draw_dot, to_svg, to_png, to_pdf, legend, render_svg, RendererNotFound,
                     GraphTooLarge)
from .trace import backward_steps, forward_steps
from .player import step_through
from .expr import parse, ParseError
from .replay import compile, Compiled
from .i18n import set_language, get_language
from .torch_bridge import compare_with_torch, TorchComparison
from .grade import grade

# `from micrograd import *` leaves out `compile`, so it never hides Python's built-in.
__all__ = ['Value', 'Op', 'PRIMITIVES', 'topological_order', 'weighted_sum',
           'gradcheck', 'numerical_grad', 'GradcheckError',
           'draw_dot', 'to_svg', 'to_png', 'to_pdf', 'legend', 'render_svg', 'RendererNotFound',
           'GraphTooLarge', 'backward_steps', 'forward_steps', 'step_through', 'parse', 'ParseError',
           'Compiled', 'compare_with_torch', 'TorchComparison', 'grade', 'set_language',
           'get_language']
