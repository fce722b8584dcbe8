"""ex14, ex16, ex17 (notebooks/exercises/ex_06): the backward pass as code — a topological order,
and a bug to find and fix."""
import inspect

from micrograd import Value, topological_order
from micrograd.i18n import N_, _
from ..walkthrough import lecture_neuron
from .answers import _labels, _pair, _vector, close
from .base import Exercise, Result
from .slips import _NEG

def _ex14_topological_order(lang=None):
    o = lecture_neuron(x1w1='x1w1', x2w2='x2w2', s='s')['o']
    order = [v.label for v in topological_order(o)]
    parents = {v.label: [p.label for p in v.parents] for v in topological_order(o)}

    def judge(labels):
        unknown = [v for v in labels if v not in parents]
        if unknown:
            return Result(False, _("No node is labelled {label}; the nodes are {nodes}.", lang,
                                   label=repr(unknown[0]), nodes=', '.join(sorted(parents))))
        twice = [v for v in parents if labels.count(v) > 1]
        if twice:
            return Result(False, _("{label} appears more than once: each node comes once.", lang,
                                   label=repr(twice[0])))
        missing = [v for v in sorted(parents) if v not in labels]
        if missing:
            return Result(False, _("Missing: {labels}; every node comes exactly once.", lang,
                                   labels=', '.join(missing)))
        where = {v: i for i, v in enumerate(labels)}
        late = [(v, p) for v in labels for p in parents[v] if where[p] > where[v]]
        if not late:
            return Result(True, _("Every node comes after all of its inputs, so each can be "
                                  "computed in this order (and backward walks it in reverse).",
                                  lang))
        if all(where[p] > where[v] for v in labels for p in parents[v]):
            return Result(False, _("Reversed: that is the order backward visits the nodes "
                                   "(reverse topological order). Forward, a node comes after its "
                                   "inputs.", lang))
        v, p = late[0]
        return Result(False, _("{node} comes before its input {input}: a node can only be "
                               "computed after all of its inputs.", lang, node=repr(v),
                               input=repr(p)))

    return Exercise(
        'ex14_topological_order',
        title=_("A topological order", lang),
        prompt=_("Karpathy's neuron, defined here out of order:\n"
          "  o = tanh(n);   n = s + b;   x2w2 = x2·w2;   s = x1w1 + x2w2;   x1w1 = x1·w1\n"
          "with leaves x1, x2, w1, w2, b. List all 10 labels in an order in which the graph can "
          "be\ncomputed (a topological order: every node after all of its inputs).", lang),
        expects=_("a list of the 10 labels, e.g. ['x1', …]", lang),
        solution=order,
        read=_labels,
        because="",
        hint=_("Start from the leaves; add a node only once all of its inputs are already listed.",
          lang),
        worked=_("One valid order (micrograd.topological_order): {order}", lang, order=", ".join(order)),
        judge=judge,
        lang=lang)


# ex16's listing, printed with its line numbers (hence no docstring). The bug is deliberate.
def buggy_backward(root):
    order = topological_order(root)
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    for node in reversed(order):
        for parent, local in zip(node.parents, node.local_grads()):
            parent.grad = local * node.grad


def _bug_graph():
    x, y = Value(2.5, label='x'), Value(-4.0, label='y')
    q = x * y
    q.label = 'q'
    f = q + x
    f.label = 'f'
    return x, y, q, f


_BUG_PROMPT = N_("This backward pass (printed with its line numbers) runs on\n"
               "  q = x·y,   f = q + x,   with  x = 2.5,  y = -4.0:\n\n")


def _listing():
    lines = inspect.getsource(buggy_backward).splitlines()
    return lines, "\n".join(f"{i:2}  {line}" for i, line in enumerate(lines, 1))


def _ex16_find_the_bug(lang=None):
    lines, listing = _listing()
    bug = next(i for i, line in enumerate(lines, 1) if 'parent.grad =' in line)
    right, wrong = _bug_graph(), _bug_graph()
    right[-1].backward()
    buggy_backward(wrong[-1])
    bad_nodes = [r.label for r, w in zip(right, wrong) if not close(w.grad, r.grad)]
    node = bad_nodes[0]

    def line_note(k):
        text = lines[k - 1].strip() if 1 <= k <= len(lines) else ''
        if not text:
            return _("The listing has lines 1 to {n}.", lang, n=len(lines))
        if text.startswith('root.grad'):
            return _("Line {k} seeds ∂f/∂f = 1 exactly once: an assignment is right there. "
                     "Look for a gradient that arrives from more than one consumer.", lang, k=k)
        if text.startswith('node.grad'):
            return _("Line {k} clears old gradients before the pass; that does not change this "
                     "pass.", lang, k=k)
        return _("Line {k} does not change any gradient.", lang, k=k)

    def node_note(v):
        if v not in {n.label for n in right}:
            return _("There is no node {label}; the nodes are f, q, x, y.", lang, label=repr(v))
        if v == 'f':
            return _("f is the root: its gradient is seeded, ∂f/∂f = 1.", lang)
        return _("{label} reaches f along one path only, so `=` and `+=` give the same number "
                 "there. Which node reaches f along two paths?", lang, label=repr(v))

    def judge(pair):
        k, v = pair
        notes = ([] if k == bug else [line_note(k)]) + ([] if v == node else [node_note(v)])
        if not notes:
            return Result(True, _("Line {k} assigns with `=`: each path overwrites the one "
                                  "before, so {node} keeps only its last path. It must be `+=`.",
                                  lang, k=bug, node=repr(node)))
        return Result(False, " ".join(notes))

    return Exercise(
        'ex16_find_the_bug',
        title=_("Find the bug in a backward pass", lang),
        prompt=_(_BUG_PROMPT, lang) + listing + "\n\n" + _(
            "One line is wrong, and it makes one node's .grad wrong. Which line, and which node?",
            lang),
        expects=_("a pair (line number, node label)", lang),
        solution=(bug, node),
        read=_pair,
        because="",
        hint=_("Count the paths from each node to f. Which line decides what happens when a "
              "gradient arrives along a second path?", lang),
        worked=_("line {k}, `parent.grad = local * node.grad`, must be `+=`; node {node} (reached along "
          "two paths) keeps only the last one.", lang, k=bug, node=repr(node)),
        judge=judge,
        lang=lang)


def _ex17_fix_the_bug(lang=None):
    x, y, q, f = _bug_graph()
    f.backward()
    answer = (x.grad, y.grad)
    bx, by, bq, bf = _bug_graph()
    buggy_backward(bf)
    return Exercise(
        'ex17_fix_the_bug',
        title=_("Fix the bug: the right gradients", lang),
        prompt=_(_BUG_PROMPT, lang) + _listing()[1] + "\n\n" + _(
            "With the bug fixed, what are ∂f/∂x and ∂f/∂y?", lang),
        expects=_("a list of 2 numbers [∂f/∂x, ∂f/∂y]", lang),
        solution=list(answer),
        read=_vector(2),
        because=_("x reaches f directly and through q, so ∂f/∂x = 1 + ∂f/∂q·∂q/∂x = 1 + y.", lang),
        hint=_("List every path from x to f; each contributes a product of local derivatives.", lang),
        worked=f"∂f/∂x = 1 + y = {answer[0]:g},  ∂f/∂y = x = {answer[1]:g}",
        slips=[((bx.grad, by.grad), _("That is what the buggy backward prints: with `=` each path "
                                "overwrites the one before (only the last path survives). With "
                                "`+=` the paths add up.", lang)),
         ((1.0, answer[1]), _("Forgot a path: x also reaches f through q = x·y.", lang)),
         (_NEG(answer), _("Check the sign of each local derivative.", lang))],
        names=('∂f/∂x', '∂f/∂y'),
        lang=lang)
