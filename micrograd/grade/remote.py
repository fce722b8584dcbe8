"""Remote: a stand-in, in our process, for one of the learner's objects kept in the child.

Operators, attributes, calls and iteration on a Remote become requests to the child
(Session.ask) and come back as plain values or other Remotes; the functions below ask what
Python's own syntax cannot say.
"""


def _encode(value):
    if isinstance(value, Remote):
        return {'h': object.__getattribute__(value, '_mg_h')}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    return value                    # a number, a str, None: as JSON


class Remote:
    """One of their objects, kept in the child: operators, attributes, calls and iteration go
    there and come back as plain values or other Remotes. Identity is kept: the same object is
    always the same Remote, so `p is a` works."""
    __slots__ = ('_mg_session', '_mg_h')

    def __init__(self, session, h):
        object.__setattr__(self, '_mg_session', session)
        object.__setattr__(self, '_mg_h', h)

    def __getattr__(self, name):
        return _ask(self, 'getattr', self, name=name)

    def __setattr__(self, name, value):
        _ask(self, 'setattr', self, value, name=name)

    def __call__(self, *args):
        return _ask(self, 'call', self, *args)

    def __iter__(self):
        return iter(_ask(self, 'list', self))

    def __float__(self):
        return _ask(self, 'float', self)

    def __neg__(self):
        return _ask(self, 'neg', self)

    def __repr__(self):
        return _ask(self, 'repr', self)

    def __bool__(self):
        return _ask(self, 'bool', self)

    __hash__ = object.__hash__
    __eq__ = object.__eq__


def _operators(name):
    return (lambda self, other: _ask(self, 'binop', self, other, name=name),
            lambda self, other: _ask(self, 'binop', other, self, name=name))


for _name in ('add', 'sub', 'mul', 'truediv', 'pow'):
    _forward, _reflected = _operators(_name)
    setattr(Remote, f'__{_name}__', _forward)
    setattr(Remote, f'__r{_name}__', _reflected)


def _ask(remote, op, *args, **fields):
    return object.__getattribute__(remote, '_mg_session').ask(op, *args, **fields)


# What the checks may ask that Python's own syntax cannot say (functions, not Remote attributes,
# so that no name of ours hides one of theirs):

def has(V, name):
    """callable(getattr(V, name, None)), asked of their class."""
    return _ask(V, 'has', V, name=name)


def containers(v):
    """{attribute: [items]} for each tuple, list, set or frozenset in v's __dict__."""
    return _ask(v, 'containers', v)


def own(v, name):
    """Whether `name` is in v's own __dict__ (the lecture's `out._backward = …`)."""
    return _ask(v, 'own', v, name=name)


def spy(v, label):
    """Replace v._backward with one that notes `label` in the child's log when it runs."""
    _ask(v, 'spy', v, label=label)


def calls(V):
    """The labels the spies noted since the last time (and forget them)."""
    return _ask(V, 'calls')


def chain(V, n):
    """x = V(1.0); y = x; n times: y = y + V(1.0) — built in the child (n requests would be slow);
    [x, y]."""
    return _ask(V, 'chain', n=n)
