"""3. Nielsen (docs/seeds.md §3): the four fundamental equations BP1–BP4 on a 2-3-3-2 sigmoid
network, by hand beside the engine's .grad.
"""
from dataclasses import dataclass

from nn.losses import quadratic_cost
from .common import (Check, _backpropagated, _grads, _numeric, backprop_by_hand, hadamard,
                     sigmoid_prime)


# Our choice of numbers: a 2-3-3-2 sigmoid network (Nielsen's layers 1-2-3-4), one example.
NIELSEN_WEIGHTS = (((0.5, -0.3), (0.8, 0.2), (-0.6, 0.9)),
                   ((0.7, -0.5, 0.3), (-0.4, 0.6, 0.9), (0.2, 0.8, -0.7)),
                   ((1.1, -0.6, 0.4), (-0.3, 0.9, 0.5)))
NIELSEN_BIASES = ((0.1, -0.2, 0.05), (0.0, 0.1, -0.1), (0.2, -0.3))
NIELSEN_X = (0.9, -0.4)
NIELSEN_Y = (0.0, 1.0)


@dataclass
class NielsenLayer:
    """One layer's numbers: by hand (BP1/BP2, BP3, BP4) beside the engine's .grad."""
    l: int                  # our layer number (Nielsen's is l + 1)
    z: list
    a: list
    sigma_prime: list       # σ'(z^l)
    delta: list             # BP1 (output layer) or BP2, by hand
    delta_engine: list      # [z.grad for z in layers[l].z]
    dC_db_engine: list      # BP3 holds if this equals delta
    dC_dW: list             # BP4 by hand: a_k(l−1) · δ_j
    dC_dW_engine: list


@dataclass
class FourEquations:
    """Nielsen's BP1–BP4 with C = ½‖a^L − y‖² on one example."""
    C: float
    layers: list            # NielsenLayer, first layer first
    hadamard_example: list  # [1, 2] ⊙ [3, 4]
    checks: list


def four_equations(weights=NIELSEN_WEIGHTS, biases=NIELSEN_BIASES, x=NIELSEN_X, y=NIELSEN_Y):
    """(BP1) δ^L = (a^L − y) ⊙ σ'(z^L);  (BP2) δ^l = ((w^(l+1))ᵀ δ^(l+1)) ⊙ σ'(z^l);
    (BP3) ∂C/∂b^l_j = δ^l_j;  (BP4) ∂C/∂w^l_jk = a^(l−1)_k δ^l_j."""
    weights = [[list(row) for row in W] for W in weights]
    biases = [list(b) for b in biases]
    net, traces, C = _backpropagated(weights, biases, x, y)

    by_hand = backprop_by_hand(weights, biases, x, y)
    dW_eng, db_eng = _grads(net)
    dW_num, db_num = _numeric(weights, biases, list(x), lambda o: quadratic_cost(o, list(y)))
    L = len(weights)
    layers, checks = [], []
    for l, t in enumerate(traces, 1):
        i = l - 1
        layers.append(NielsenLayer(l, by_hand.z[i], by_hand.a[l],
                                   [sigmoid_prime(zj) for zj in by_hand.z[i]], by_hand.delta[i],
                                   [z.grad for z in t.z], db_eng[i], by_hand.dC_dW[i], dW_eng[i]))
        bp = 'BP1: (a − y) ⊙ σ\'(z)' if l == L else f"BP2: (w[{l + 1}]ᵀ δ[{l + 1}]) ⊙ σ'(z)"
        for j, z_node in enumerate(t.z, 1):
            checks.append(Check(f"δ[{l}][{j}] = ∂C/∂z[{l}][{j}]", by_hand.delta[i][j - 1],
                                z_node.grad, db_num[i][j - 1], bp))
            checks.append(Check(f"∂C/∂b[{l}][{j}]", by_hand.delta[i][j - 1], db_eng[i][j - 1],
                                db_num[i][j - 1], f"BP3: δ[{l}][{j}]"))
            for k in range(1, len(weights[i][j - 1]) + 1):
                checks.append(Check(f"∂C/∂w[{l}][{j}][{k}]", by_hand.dC_dW[i][j - 1][k - 1],
                                    dW_eng[i][j - 1][k - 1], dW_num[i][j - 1][k - 1],
                                    f"BP4: a[{l - 1}][{k}] · δ[{l}][{j}]"))
    return FourEquations(C.data, layers, hadamard([1, 2], [3, 4]), checks)
