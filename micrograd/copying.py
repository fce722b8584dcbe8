"""copy.deepcopy and pickle of a graph, without recursion: a chain 100,000 deep copies like a small one.

Left to themselves, both follow each node's parents one Python call deeper per node, and stop
with RecursionError past about a thousand.  Here a node is copied (or saved) with its ancestors in
topological order, parents first, so each one finds its parents already done.  Nodes shared
between several things copied at once stay shared (copy.deepcopy's memo, pickle's own), and a
learner's own `_backward` closure is copied with the graph: the copy's closure adds into the
copy's nodes, not into the original's.

engine.py's Value calls these from __deepcopy__, __copy__ and __reduce_ex__; they read and write a
node's slots and never import the engine.
"""
import copy
import threading
import types

SLOTS = ('_data', '_grad', '_prev', '_op', '_label', '_local', '_made')


def deepcopy(order, memo):
    """The copy of order[-1], the root of `order` (every node it reaches, parents first), each
    node copied once: those already in copy.deepcopy's `memo` are used as they are."""
    made = []
    for node in order:
        if id(node) in memo:
            continue
        twin = object.__new__(type(node))
        memo[id(node)] = twin
        twin._data, twin._grad, twin._op, twin._label = node._data, node._grad, node._op, node._label
        twin._prev = tuple([memo[id(p)] for p in node._prev])   # the parents came first
        twin._made = copy.deepcopy(node._made, memo)
        twin._local = node._local
        twin._seen = None
        made.append(twin)
    memo.setdefault(id(memo), []).append(order)     # keep the originals alive, as copy does
    for twin in made:                   # once every node has its copy: the learners' closures
        if callable(twin._local):
            twin._local = _function(twin._local, memo)
    return memo[id(order[-1])]


def shallow(node):
    """copy.copy(node): a new node with the same number, gradient, parents and op."""
    twin = object.__new__(type(node))
    for slot in SLOTS:
        setattr(twin, slot, getattr(node, slot))
    twin._seen = None
    return twin


def _function(f, memo):
    """A copy of the learner's `_backward` whose closure holds the copies (a plain function is
    shared by copy.deepcopy, which would leave the copy adding into the original nodes)."""
    if not isinstance(f, types.FunctionType) or not f.__closure__:
        return copy.deepcopy(f, memo)           # a bound method gets its copied node
    cells = []
    for cell in f.__closure__:
        if id(cell) not in memo:
            try:
                memo[id(cell)] = types.CellType(copy.deepcopy(cell.cell_contents, memo))
            except ValueError:                  # an empty cell
                memo[id(cell)] = types.CellType()
            memo[id(memo)].append(cell)
        cells.append(memo[id(cell)])
    g = types.FunctionType(f.__code__, f.__globals__, f.__name__, f.__defaults__, tuple(cells))
    g.__kwdefaults__, g.__qualname__ = f.__kwdefaults__, f.__qualname__
    g.__dict__.update(copy.deepcopy(f.__dict__, memo))
    return g


# --- pickle ---------------------------------------------------------------------------------------

# pickle memoizes each node once saved, but asks it how to save itself before it saves what it
# holds.  So the node asked first (a root) answers with its ancestors in order, parents first,
# and notes them here: each of them, asked in its turn, answers with only its own slots, its
# parents being saved already.  The note is per thread, and cleared once the list is saved.
_ANCESTORS = threading.local()


def reduce(node, order_of):
    """What Value.__reduce_ex__ returns for `node` (order_of: the engine's topological_order)."""
    pending = _pending()
    if id(node) in pending or not node._prev:   # its parents are saved already, or it has none
        pending.discard(id(node))
        return _restored, _state(node)
    pending.clear()                             # what a pickling that failed left behind
    ancestors = order_of(node)[:-1]
    pending.update(map(id, ancestors))
    return _restored_after, (ancestors, _state(node), _Saved())


def _pending():
    try:
        return _ANCESTORS.ids
    except AttributeError:
        _ANCESTORS.ids = set()
        return _ANCESTORS.ids


def _state(node):
    return (type(node),) + tuple(getattr(node, slot) for slot in SLOTS)


def _restored(cls, *values):
    node = object.__new__(cls)
    for slot, value in zip(SLOTS, values):
        setattr(node, slot, value)
    node._seen = None
    return node


def _restored_after(ancestors, state, saved):
    return _restored(*state)


class _Saved:
    """Saved after a root's ancestors: clears the note of those pickle had saved already."""

    def __reduce__(self):
        _pending().clear()
        return _Saved, ()
