"""micrograd: a scalar reverse-mode autodiff engine for learning and teaching backpropagation."""
from .engine import Value, Op, PRIMITIVES, topological_order, weighted_sum
from .check import gradcheck, numerical_grad, GradcheckError
