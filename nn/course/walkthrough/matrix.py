"""4. The matrix-form seed (docs/seeds.md §4): a bias-free 4-5-3-2 network, ∂E/∂Wᵢ = δᵢ x₍ᵢ₋₁₎ᵀ
with its shapes, and one step of gradient descent by hand and with SGD.
"""
from dataclasses import dataclass

from nn.losses import quadratic_cost
from nn.optim import SGD
from .common import (Check, _backpropagated, _data, _grads, _numeric, _zeros_like, backprop_by_hand,
                     shape)


# The seed fixes W3 (2×3) and W2 (3×5); the input size is our choice: x0 has 4 entries (W1 5×4).
MATRIX_W = (((0.2, -0.4, 0.6, 0.1), (-0.3, 0.5, 0.2, -0.7), (0.8, -0.1, -0.5, 0.3),
             (0.4, 0.7, -0.2, -0.6), (-0.5, 0.3, 0.9, 0.2)),
            ((0.3, -0.6, 0.2, 0.5, -0.1), (-0.4, 0.1, 0.7, -0.3, 0.6), (0.5, 0.4, -0.2, 0.1, 0.3)),
            ((0.7, -0.5, 0.4), (-0.6, 0.8, 0.2)))
MATRIX_X0 = (0.5, -1.0, 0.8, 0.3)
MATRIX_T = (1.0, 0.0)
MATRIX_ALPHA = 0.5


@dataclass
class MatrixForm:
    """xᵢ = σ(Wᵢ xᵢ₋₁), E = ½‖x_L − t‖², one step Wᵢ ← Wᵢ − α ∂E/∂Wᵢ."""
    W: list                 # W1, W2, W3 (row j = neuron j)
    x: list                 # x0 (input), x1, x2, x3 (output)
    E: float
    delta: list             # δ1, δ2, δ3 by hand
    dE_dW: list             # δᵢ x₍ᵢ₋₁₎ᵀ by hand
    dE_dW_engine: list
    shapes: list            # per layer: (shape of Wᵢ, of δᵢ, of xᵢ₋₁ᵀ, of δᵢ xᵢ₋₁ᵀ)
    alpha: float
    W_new: list             # Wᵢ − α δᵢ xᵢ₋₁ᵀ by hand
    W_new_engine: list      # the weights after SGD(lr=α).step()
    E_new: float            # E after the step
    checks: list


def matrix_form(W=MATRIX_W, x0=MATRIX_X0, t=MATRIX_T, alpha=MATRIX_ALPHA):
    """δ_L = (x_L − t) ∘ f_L'(W_L x_(L−1));  δᵢ = (Wᵢ₊₁ᵀ δᵢ₊₁) ∘ fᵢ'(Wᵢ xᵢ₋₁);  ∂E/∂Wᵢ = δᵢ xᵢ₋₁ᵀ."""
    W = [[list(row) for row in Wi] for Wi in W]
    cost = lambda o: quadratic_cost(o, list(t))
    net, traces, E = _backpropagated(W, None, x0, t)
    dW_eng = _grads(net)[0]

    by_hand = backprop_by_hand(W, None, x0, t)
    shapes = []
    for Wi, d, x_prev, g in zip(W, by_hand.delta, by_hand.a, by_hand.dC_dW):
        x_prev_T = [list(x_prev)]                       # a 1×n row
        shapes.append((shape(Wi), shape(d), shape(x_prev_T), shape(g)))
        if shape(g) != shape(Wi):
            raise AssertionError(f"∂E/∂W has shape {shape(g)} but W has {shape(Wi)}")

    # Numerics: a network with biases fixed at 0 computes the same E, and ∂E/∂b = ∂E/∂z = δ.
    dW_num, db_num = _numeric(W, _zeros_like(W), list(x0), cost)
    checks = []
    for i, (t_i, Wi) in enumerate(zip(traces, W), 1):
        for j, z_node in enumerate(t_i.z, 1):
            checks.append(Check(f"δ{i}[{j}]", by_hand.delta[i - 1][j - 1], z_node.grad,
                                db_num[i - 1][j - 1], "(x_L − t) ∘ f'" if i == len(W)
                                else f"(W{i + 1}ᵀ δ{i + 1}) ∘ f'"))
        for j, row in enumerate(Wi, 1):
            for k in range(1, len(row) + 1):
                checks.append(Check(f"∂E/∂W{i}[{j}][{k}]", by_hand.dC_dW[i - 1][j - 1][k - 1],
                                    dW_eng[i - 1][j - 1][k - 1], dW_num[i - 1][j - 1][k - 1],
                                    f"δ{i}[{j}] · x{i - 1}[{k}]"))

    # One step of gradient descent, by hand and with the optimiser.
    W_new = [[[w - alpha * g for w, g in zip(row, grow)] for row, grow in zip(Wi, Gi)]
             for Wi, Gi in zip(W, by_hand.dC_dW)]
    SGD(net.parameters(), lr=alpha).step()
    W_new_engine = [[_data(n.w) for n in layer.neurons] for layer in net.layers]
    E_new = cost(net(list(x0))).data

    return MatrixForm(W, by_hand.a, E.data, by_hand.delta, by_hand.dC_dW, dW_eng, shapes, alpha,
                      W_new, W_new_engine, E_new, checks)
