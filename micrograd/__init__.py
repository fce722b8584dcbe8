"""micrograd: a scalar reverse-mode autodiff engine for learning and teaching backpropagation.

    engine.py   Value, backward and the topological order; ops.py, the primitive Ops (forward
                beside local derivative); errors.py (checks, messages), copying.py, _fast.py
    check.py    gradcheck: the engine's gradients against finite differences
    expr.py     parse: "tanh(w*x + b)" -> a graph, without eval
    replay.py   compile: a recorded graph replayed as straight-line Python
    views/      what the learner sees: describe (names, formulas), forward_steps/backward_steps,
                draw_dot / to_svg / to_png / to_pdf, step_through (the player)
    grade/      grade(Value): a learner's own engine checked for the classic mistakes
    torch_bridge.py   compare_with_torch: the same graph in PyTorch, side by side (optional)
    nn.py       micrograd.nn: the top-level `nn`, by micrograd's name (loaded only when asked for)
    i18n/       _(): every sentence to a learner in English or Chinese; set_language('zh')
    cli/        python -m micrograd demo | graph | train | grade
"""
from .engine import Value, Op, PRIMITIVES, topological_order, weighted_sum
from .check import gradcheck, numerical_grad, GradcheckError
from .views.render import (draw_dot, to_svg, to_png, to_pdf, legend, render_svg, RendererNotFound,
                     GraphTooLarge)
from .views.trace import backward_steps, forward_steps
from .views.player import step_through
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
