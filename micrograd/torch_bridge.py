"""compare_with_torch: the lecture's "same answer as PyTorch" cell as one call.

The graph is rebuilt in PyTorch, float64, op by op from what made each node (`node.op` and its
constants), PyTorch runs its own backward, and a table shows every labelled leaf's data and
gradient in both engines side by side.  PyTorch is optional:
pip install 'backprop-classroom[torch]'.

Your own `Op` subclass takes part if it has a `torch(*xs)` function (see `micrograd.Op`).
"""
import html

from . import engine
from .engine import topological_order
from .i18n import _, display_width, pad

__all__ = ['compare_with_torch', 'TorchComparison', 'require_torch', 'INSTALL_HINT']

INSTALL_HINT = "pip install 'backprop-classroom[torch]'"


def require_torch(what):
    """The `torch` module, or an ImportError that says what needed it and how to install it."""
    try:
        import torch
    except ImportError:
        raise ImportError(_("{what} needs PyTorch, which is not installed: {hint}", what=what,
                            hint=INSTALL_HINT), name='torch') from None
    return torch


def compare_with_torch(root, lang=None):
    """Rebuild `root`'s graph in PyTorch (float64), run both backward passes, and return a
    TorchComparison of every labelled leaf: data and ∂root/∂leaf in each engine (its table in
    `lang`, else the process's language when shown).

    The gradients are computed afresh on both sides; the graph's own .grad values are left as
    they were.
    """
    torch = require_torch("compare_with_torch")
    order = topological_order(root)
    tensors = {}
    for node in order:
        if not node._prev:
            t = torch.tensor(node.data, dtype=torch.float64, requires_grad=True)
        else:
            f = _torch_op(node, lang)
            t = f(*(tensors[p] for p in node._prev), **node.constants)
        tensors[node] = t
    tensors[root].backward()
    ours = _our_gradients(root, order)
    leaves = [node for node in order if not node._prev]
    shown = [node for node in leaves if node.label] or leaves
    rows = [Row(node.label or f"(leaf {i})", node.data, tensors[node].item(), ours[node],
                _torch_grad(tensors[node]))
            for i, node in enumerate(shown, 1)]
    return TorchComparison(root.label or 'root', root.data, tensors[root].item(), rows, lang)


def _torch_op(node, lang=None):
    """The PyTorch function for this node's op, or a clear error naming the node and the op (in
    `lang`, else the process's language)."""
    fn = node.op
    label = _(" (node {label})", lang=lang, label=repr(node.label)) if node.label else ''
    where = _("the {op} node{node} with data {data}", lang=lang, op=repr(node._op), node=label,
              data=repr(node.data))
    if fn is None:
        closure = engine.learner_backward(node) is not None
        how = (_("its derivative is your own `_backward` closure, which PyTorch cannot see inside",
                 lang=lang) if closure else
               _("it was built by hand with children and no Op", lang=lang))
        raise TypeError(_("compare_with_torch: {where} has no operation PyTorch can redo: {how}; "
                          "build it with the engine's ops (v.tanh(), a * b, …) or an Op subclass "
                          "with a torch(*xs) method", lang=lang, where=where, how=how))
    f = getattr(fn, 'torch', None)              # each op's own (Op has none to inherit)
    if f is not None:
        return f
    raise TypeError(_("compare_with_torch: the op {op} ({symbol}) of {where} has no torch(*xs) "
                      "method; add one to {op} that computes it with torch functions, e.g.  "
                      "def torch(x): return torch.tanh(x)", lang=lang, op=fn.__name__,
                      symbol=repr(fn.symbol), where=where))


def _our_gradients(root, order):
    """∂root/∂node for every node by this engine's backward, with every .grad put back after."""
    saved = [node.grad for node in order]
    for node in order:
        node.grad = 0.0
    try:
        root.backward()
        return {node: node.grad for node in order}
    finally:
        for node, grad in zip(order, saved):
            node.grad = grad


def _torch_grad(t):
    return 0.0 if t.grad is None else t.grad.item()       # a leaf root has no path to itself


class Row:
    """One leaf in both engines."""
    __slots__ = ('label', 'data', 'torch_data', 'grad', 'torch_grad')

    def __init__(self, label, data, torch_data, grad, torch_grad):
        self.label, self.data, self.torch_data = label, data, torch_data
        self.grad, self.torch_grad = grad, torch_grad

    @property
    def difference(self):
        """The larger of |data − torch data| and |grad − torch grad|."""
        return max(abs(self.data - self.torch_data), abs(self.grad - self.torch_grad))


class TorchComparison:
    """The table compare_with_torch returns: `rows` (one per labelled leaf), the root's value in
    both engines, and `max_difference`, the largest |ours − PyTorch's| of all those numbers."""

    def __init__(self, label, data, torch_data, rows, lang=None):
        self.label, self.data, self.torch_data, self.rows = label, data, torch_data, rows
        self.lang = lang
        self.max_difference = max([abs(data - torch_data)] + [r.difference for r in rows])

    def __getitem__(self, label):
        """The row of the leaf with this label."""
        for row in self.rows:
            if row.label == label:
                return row
        raise KeyError(_("no leaf labelled {label}; the leaves are {leaves}", label=repr(label),
                         leaves=', '.join(r.label for r in self.rows)))

    def _lines(self):
        head = (_('leaf', self.lang), 'data', 'data (torch)', 'grad', 'grad (torch)',
                _('|difference|', self.lang))
        body = [(r.label, repr(r.data), repr(r.torch_data), repr(r.grad),
                 repr(r.torch_grad), f"{r.difference:.3g}") for r in self.rows]
        return head, body

    def _summary(self):
        return _("{label} = {data} here, {torch_data} in PyTorch; largest difference {difference}",
                 self.lang, label=self.label, data=repr(self.data), torch_data=repr(self.torch_data),
                 difference=f"{self.max_difference:.3g}")

    def __str__(self):
        head, body = self._lines()
        widths = [max(display_width(row[i]) for row in [head] + body) for i in range(len(head))]
        fmt = lambda row: '  '.join(pad(c, w, '<' if i == 0 else '>')
                                    for i, (c, w) in enumerate(zip(row, widths)))
        rule = '  '.join('-' * w for w in widths)
        return '\n'.join([fmt(head), rule] + [fmt(row) for row in body] + [self._summary()])

    __repr__ = __str__

    def _repr_html_(self):
        head, body = self._lines()
        cell = lambda tag, text, i: (f"<{tag} style='text-align:{'left' if i == 0 else 'right'}; "
                                     f"padding:2px 10px; font-variant-numeric:tabular-nums'>"
                                     f"{html.escape(text)}</{tag}>")
        rows = ''.join('<tr>' + ''.join(cell('td', c, i) for i, c in enumerate(row)) + '</tr>'
                       for row in body)
        return (f"<table><thead><tr>{''.join(cell('th', c, i) for i, c in enumerate(head))}</tr>"
                f"</thead><tbody>{rows}</tbody></table><p>{html.escape(self._summary())}</p>")
