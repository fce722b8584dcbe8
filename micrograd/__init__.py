"""micrograd: a scalar reverse-mode autodiff engine for learning and teaching backpropagation."""
from .engine import Value, Op, PRIMITIVES, topological_order, weighted_sum
from .check import gradcheck, numerical_grad, GradcheckError
from .replay import compile, Compiled
from .trace import backward_steps, forward_steps
from .player import step_through
from .render import draw_dot, to_svg, legend, render_svg, RendererNotFound, GraphTooLarge
from .expr import parse, ParseError
