"""The engine's checks of what it is given, and its words when something is wrong.

engine.py calls these so that its own code reads as the lecture's: each check turns a bad number
(a string, a complex, inf or nan) into an error that names the op, the value and the node's label.
Nothing here builds a node or computes a gradient, and nothing imports the engine: the functions
read a node's slots (`_op`, `_label`, `_data`, `_prev`, `_local`, `_made`) by name.

The messages are English ids of the catalogue (micrograd/i18n/locale), translated only when an error is
built.
"""
import numbers

from .i18n import N_, _

__all__ = ['N_', '_', 'is_real', 'real', 'as_float', 'result', 'local_floats', 'text',
           'children_of', 'op_error', 'op_message', 'node_name', 'where', 'no_derivatives',
           'not_finite', 'sum_overflow', 'PYTHON_REASONS']


# Python's own words for a custom op's bad input (math.log(0), 1.0 / 0, math.exp(1000)): the
# catalogue has them, so they read in the learner's language like the engine's own reasons.
PYTHON_REASONS = (N_("math domain error"), N_("float division by zero"), N_("division by zero"),
                  N_("math range error"))
_INFIX = ('+', '-', '*', '/', '**')


# --- the numbers ------------------------------------------------------------------------------

def is_real(x):
    return isinstance(x, numbers.Real)


def real(x, label='', what=N_('Value data'), op='', of=None):
    """`x` as a finite float, or a TypeError/ValueError that names the type, value and label.
    `what` is the English name of the number ({op} and {value}: `op` and the Value `of`),
    translated only when there is an error to report."""
    if type(x) is not float:
        x = as_float(x, label, what, op, of)
    if x - x:
        what_it_is = _("NaN (not a number)") if x != x else x
        raise ValueError(_("{what} must be a finite number, not {value}{node}",
                           what=_what(what, op, of), value=what_it_is, node=node_name(label)))
    return x


def as_float(x, label='', what=N_('Value data'), op='', of=None):
    """A real number `x` (int, bool, numpy scalar…) as the float it is, inf and nan included;
    anything else (complex, str, None, an array) a TypeError, as `real` says it."""
    if type(x) is not int and not is_real(x):           # the ABC check is slow: ints skip it
        raise TypeError(_("{what} must be a real number, not {type} ({value}){node}",
                          what=_what(what, op, of), type=type(x).__name__,
                          value=f"{x!r:.60}", node=node_name(label)))
    try:
        return float(x)
    except OverflowError:
        raise OverflowError(_("{what} {value}… is too large for a float{node}",
                              what=_what(what, op, of), value=str(x)[:30],
                              node=node_name(label))) from None


def result(op, out, xs, const):
    """What `op.forward` returned, as the engine keeps it: a finite float, or the error (`xs`:
    the parents, Values or their numbers).  Op.apply and the compiled replay both ask here."""
    if type(out) is not float:
        out = real(out, what=N_("{op}: the result"), op=op.symbol)
    if out - out:                               # inf or nan
        raise OverflowError(op_message(op, xs, const, N_(
            "the result is too large for a float (it overflowed)")))
    return out


def local_floats(local, xs):
    """What a custom op's `local_grads` returned, as the engine keeps it: a tuple of one float
    per parent in `xs` (inf and nan stay: backward reports them where a gradient flows), or a
    TypeError saying which entry is wrong (Op.apply adds the op and the values)."""
    if type(local) is not tuple or len(local) != len(xs):
        got = (_("{n} derivative(s)", n=len(local)) if type(local) is tuple
               else _("a {type}", type=type(local).__name__))
        raise TypeError(_("local_grads gave {got} for {n} input(s); return a tuple with one "
                          "∂out/∂x per input, in order, e.g. (d,) for one input",
                          got=got, n=len(xs)))
    for d in local:
        if type(d) is not float:
            return tuple([d if type(d) is float else
                          as_float(d, what=N_("local_grads' ∂out/∂x for input {op}"), op=i + 1)
                          for i, d in enumerate(local)])
    return local


def _what(what, op, of):
    return _(what, op=op, value='' if of is None else _show(of))


# --- what a node is made of -------------------------------------------------------------------

def text(label):
    """A label as the str it is, or a TypeError."""
    if type(label) is not str:
        if not isinstance(label, str):
            raise TypeError(_("a label must be a str, not {type} ({value})",
                              type=type(label).__name__, value=f"{label!r:.40}"))
        label = str(label)
    return label


def children_of(children, label, value_class):
    """The children given to Value(data, _children) as a tuple of Values, or a TypeError."""
    children = tuple(children)
    for c in children:
        if not isinstance(c, value_class):
            raise TypeError(_("the children of a Value must be Values, not {type} ({value})"
                              "{node}", type=type(c).__name__, value=f"{c!r:.40}",
                              node=node_name(label)))
    return children


# --- an op that cannot be computed ------------------------------------------------------------

def op_error(op, parents, const, error, overflow):
    """The same kind of error, saying which op, why, and at which values and labels (`overflow`:
    the reason to give for an OverflowError)."""
    if isinstance(error, OverflowError):
        return OverflowError(op_message(op, parents, const, overflow))
    return type(error)(op_message(op, parents, const, error))


def op_message(op, parents, const, reason):
    """'log: log() of a non-positive value, at log(x=0.0)': the op, why, the values and labels
    (`reason`, an English sentence or an exception, in the learner's language)."""
    args = [_show(p) for p in parents] + [repr(v) for v in const.values()]
    if len(args) == 2 and op.symbol in _INFIX:
        call = f" {op.symbol} ".join(args)
    else:
        call = f"{op.symbol}({', '.join(args)})"
    return _("{op}: {reason}, at {call}", op=op.symbol, reason=_(str(reason)), call=call)


def node_name(label):
    return _(" (node {label})", label=repr(label)) if label else ''


def _show(v):
    if not hasattr(v, '_label'):                # a number of the compiled replay
        return repr(v)
    return f"{v._label}={v._data!r}" if v._label else repr(v._data)


# --- backward ---------------------------------------------------------------------------------

def where(node):
    """'the tanh node (node 'o') with data 0.7071…', in the learner's language."""
    op, label, data = node._op, node._label, repr(node._data)
    if label:       # not node_name: Chinese puts the label after the word for node, unbracketed
        if op:
            return _("the {op} node (node {label}) with data {data}", op=op, label=repr(label),
                     data=data)
        return _("the leaf node (node {label}) with data {data}", label=repr(label), data=data)
    if op:
        return _("the {op} node with data {data}", op=op, data=data)
    return _("the leaf node with data {data}", data=data)


def no_derivatives(node):
    return _("backward: {where} was built by hand with children but has neither local "
             "derivatives nor a _backward of its own; assign its _backward (micrograd's way) or "
             "define an Op subclass", where=where(node))


def not_finite(order, node, g):
    """The error for a gradient `g` (inf or nan) reaching `node`: which edge made it, if one of
    its consumers' local derivatives is inf or nan (a ValueError when that one has no real
    number, as aᵇ for a < 0), else an OverflowError: the products overflowed."""
    why, error = _("it overflowed"), OverflowError
    for consumer in order:
        local = consumer._local
        if type(local) is tuple and node in consumer._prev:
            for parent, d in zip(consumer._prev, local):
                if parent is node and d - d:
                    why = _("the local derivative of the {op} node for it is {d}",
                            op=repr(consumer._op), d=d)
                    made = consumer._made
                    op = made[0] if type(made) is tuple else made
                    if d != d and hasattr(op, 'undefined'):     # no real number
                        why = _("the local derivative of the {op} node for it is {d}: {why}",
                                op=repr(consumer._op), d=d, why=_(op.undefined()))
                        error = ValueError
    return error(_("backward: the gradient reaching {where} is not finite ({g}: {why}); "
                   "no .grad was changed", where=where(node), g=g, why=why))


def sum_overflow(nodes, before):
    """The error when adding a pass into .grad overflows (`before`: the gradients until then)."""
    node, old = next((n, old) for n, old in zip(nodes, before) if n._grad - n._grad)
    return OverflowError(_("backward: adding this pass's gradient to the {old} already in "
                           "{where} overflows; no .grad was changed", old=repr(old),
                           where=where(node)))
