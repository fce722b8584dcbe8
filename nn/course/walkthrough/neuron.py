"""Karpathy's lecture neuron, o = tanh(x1·w1 + x2·w2 + b): the pictures', the player's and the
exercises' first example.
"""
from micrograd.engine import Value


def lecture_neuron(x1w1='x1*w1', x2w2='x2*w2', s='x1*w1 + x2*w2'):
    """Karpathy's neuron o = tanh(x1·w1 + x2·w2 + b), x1 = 2, x2 = 0, w1 = −3, w2 = 1, b = 6.88137…
    (so o = 1/√2), as a dict of its Values by name; the three arguments label the interior sums."""
    v = dict(x1=Value(2.0, label='x1'), x2=Value(0.0, label='x2'), w1=Value(-3.0, label='w1'),
             w2=Value(1.0, label='w2'), b=Value(6.8813735870195432, label='b'))
    v['x1w1'] = v['x1'] * v['w1']
    v['x2w2'] = v['x2'] * v['w2']
    v['s'] = v['x1w1'] + v['x2w2']
    v['n'] = v['s'] + v['b']
    v['o'] = v['n'].tanh()
    for name, label in dict(x1w1=x1w1, x2w2=x2w2, s=s, n='n', o='o').items():
        v[name].label = label
    return v
