"""The seeds' worked examples (docs/seeds.md §1–4), each a function that returns its numbers.

Every example is built from `nn` classes and `Value`s, run through one backward pass, and shown
three ways that must agree (docs/seeds.md §5): the lecture's closed-form equation computed by hand
in plain Python lists (no engine), the engine's `.grad`, and a central difference
(`micrograd.numerical_grad`).  Each result has a `checks` list of `Check` rows with those numbers.

    chain_rule()      3Blue1Brown: one neuron per layer, ∂C0/∂w(L) as a product of three factors
    multi_path()      Hung-yi Lee: the slides' network and ∂l/∂z = σ'(z)[w3·∂l/∂z' + w4·∂l/∂z'']
    four_equations()  Nielsen: BP1–BP4 on a network with several neurons per layer
    matrix_form()     the matrix-form seed: bias-free 4-5-3-2 network, ∂E/∂Wᵢ = δᵢ x₍ᵢ₋₁₎ᵀ

One module a seed, in that order: chain.py, paths.py, nielsen.py, matrix.py; what they share
(Check, the by-hand column, the engine's numbers read back) is common.py; the tables are
tables.py; Karpathy's lecture neuron is neuron.py.

Layers are numbered as the engine labels them: l = 1 is the first layer with weights (a(0) or x
is the input).  Nielsen counts the input as layer 1, so his w^l, b^l, δ^l are our l − 1.
Run `python -m nn.walkthrough` to print every table (`--lang zh`: in Chinese).
"""
# Every name the one module nn/walkthrough.py had: its seeds' numbers (CHAIN_W, LEE_WEIGHTS, …),
# result classes and by-hand helpers are imported from here by the notebooks and the tests.
from .chain import CHAIN_A0, CHAIN_B, CHAIN_EXAMPLES, CHAIN_W, CHAIN_Y, ChainRule, chain_rule
from .common import (ByHand, Check, backprop_by_hand, hadamard, matvec, outer, shape, sigmoid,
                     sigmoid_prime, transpose)
from .matrix import MATRIX_ALPHA, MATRIX_T, MATRIX_W, MATRIX_X0, MatrixForm, matrix_form
from .neuron import lecture_neuron
from .nielsen import (NIELSEN_BIASES, NIELSEN_WEIGHTS, NIELSEN_X, NIELSEN_Y, FourEquations,
                      NielsenLayer, four_equations)
from .paths import (LEE_A, LEE_A_FULL, LEE_BIASES, LEE_TARGET, LEE_WEIGHTS, LEE_X, LEE_Z,
                    MultiPath, multi_path)
from .tables import check_table, main, print_all, walkthroughs

__all__ = ['Check', 'lecture_neuron', 'chain_rule', 'multi_path', 'four_equations', 'matrix_form', 'walkthroughs',
           'check_table', 'print_all', 'main', 'sigmoid', 'sigmoid_prime', 'hadamard', 'backprop_by_hand']
