"""The checks of micrograd.grade, in the lecture's order: each builds the smallest expression that
shows one idea with the learner's class V, and returns (a note) or raises Fail / NotYet / Limit.

They run in our process; V and everything made from it are Remotes (remote.py): the learner's
objects stay in the grading subprocess and only plain numbers come back, so every comparison
here is ours. Every gradient is read after backward(), as the learner's own code would get it,
so an op built from other ops (tanh from exp) is graded as it is used. Their texts are English
marked with N_; the report translates them. `seen` is shared by the checks of one grading: what
an earlier check learnt (that backward() does nothing, say) spares the later ones a wrong cause.

    base.py     what every check uses: READ, Fail / Limit / NotYet / Skip, @check, the helpers
    values.py   forward values of + and *, and a plain number on either side
    rules.py    backward() through + and *, tanh / exp / relu's derivatives, the neuron
    paths.py    a value used twice, a diamond, the topological order
    ops.py      -, / and ** (and 2 - x, 1 / x)
    robust.py   tanh(±1000), a chain 10,000 deep
    beyond.py   the softmax exercise, random inputs, a second backward()

Importing a module registers its checks in CHECKS, so the order below is the lecture's order.
"""
from .base import CHECKS, READ, Fail, Limit, NotYet, Skip, check
from . import values, rules, paths, ops, robust, beyond     # noqa: E402,F401  (in this order)

__all__ = ['CHECKS', 'READ', 'Fail', 'Limit', 'NotYet', 'Skip', 'check']
