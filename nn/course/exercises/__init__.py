"""Exercises: derive a gradient by hand, then `check` it — ✓ with the reason, or ✗ with a hint.

    ex = nn.exercises.get('ex04_chain_w');  print(ex);  ex.check(-0.1);  ex.hint();  ex.solution()
A number is right when |answer − expected| ≤ 1e-9 + 1e-6·|expected| (absolute 1e-9, relative 1e-6),
or when, rounded to 4 or more significant figures, it is the expected value rounded the same way.

    base.py       Exercise and Result            answers.py  reading answers; when two agree
    slips.py      the common slips and their hints
    local.py      ex01–ex03  local derivatives                        (notebooks/exercises/ex_01)
    chain.py      ex04–ex08  the chain rule; many paths add up        (ex_02, ex_03)
    equations.py  ex09–ex13  Nielsen's four equations; the matrix form (ex_04, ex_05)
    graph.py      ex14, ex16, ex17  a topological order; find and fix a bug   (ex_06)
    new_op.py     ex15       a new op and its local derivative        (ex_06)
"""
from .answers import ATOL, RTOL, agree, close
from .base import Exercise, Result
from .chain import (_ex04_chain_w, _ex05_chain_b, _ex06_chain_a_prev, _ex07_bias_one_layer_back,
                    _ex08_multipath)
from .equations import _ex09_bp1, _ex10_bp2, _ex11_bp4, _ex12_matrix_gradient, _ex13_gradient_shape
from .graph import _ex14_topological_order, _ex16_find_the_bug, _ex17_fix_the_bug, buggy_backward
from .local import _ex01_mul_local, _ex02_tanh_local, _ex03_local_derivatives
from .new_op import _ex15_new_op

__all__ = ['Exercise', 'Result', 'all_exercises', 'get', 'buggy_backward', 'close', 'agree', 'RTOL',
           'ATOL']


_BUILDERS = (_ex01_mul_local, _ex02_tanh_local, _ex03_local_derivatives, _ex04_chain_w,
             _ex05_chain_b, _ex06_chain_a_prev, _ex07_bias_one_layer_back, _ex08_multipath,
             _ex09_bp1, _ex10_bp2, _ex11_bp4, _ex12_matrix_gradient, _ex13_gradient_shape,
             _ex14_topological_order, _ex15_new_op, _ex16_find_the_bug, _ex17_fix_the_bug)


def all_exercises(lang=None):
    """Every exercise, freshly built, in order (ex01 … ex17), its texts in `lang` ('en' | 'zh';
    default: micrograd.set_language's, else $MICROGRAD_LANG, else English)."""
    return [build(lang) for build in _BUILDERS]


def get(id, lang=None):
    """One exercise by its id ('ex04_chain_w') or its number (4), its texts in `lang`."""
    for ex in all_exercises(lang):
        if ex.id == id or (isinstance(id, int) and ex.id.startswith(f"ex{id:02d}_")):
            return ex
    raise KeyError(f"no exercise {id!r}; the ids are: "
                   f"{', '.join(ex.id for ex in all_exercises())}")
