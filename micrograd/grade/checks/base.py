"""What every check uses: where each idea is read about, the outcomes (Fail, Limit, NotYet, Skip),
the register CHECKS that @check fills in the lecture's order, and the helpers that run the
learner's code and compare its numbers with ours.
"""
from ..runner import N_, Raised, containers, has


READ = {                     # where each idea is explained
    'forward': N_("notebooks/01_value_graph_chain_rule.ipynb (The expression); "
                  "08_build_your_own part 1"),
    'reflected': N_("notebooks/08_build_your_own.ipynb, part 1 (plain numbers on either side)"),
    'local': N_("notebooks/01_value_graph_chain_rule.ipynb (Derivatives by nudging); "
                "08_build_your_own part 2"),
    'neuron': N_("notebooks/01_value_graph_chain_rule.ipynb (One neuron)"),
    'paths': N_("notebooks/03_multi_path_sum.ipynb (many paths add up)"),
    'topo': N_("notebooks/08_build_your_own.ipynb, part 3 (backward: a topological order)"),
    'ops': N_("notebooks/08_build_your_own.ipynb, part 4 (-, / and ** from + and *)"),
    'stable': N_("notebooks/08_build_your_own.ipynb, part 2 (tanh for any input)"),
    'zero_grad': N_("notebooks/06_training.ipynb (zero_grad before each backward)"),
    'softmax': N_("notebooks/08_build_your_own.ipynb, parts 2 and 4 (the rules of each op); the "
                  "lecture's exercises, exercise 2 (softmax and −log p)"),
    'random': N_("notebooks/01_value_graph_chain_rule.ipynb (Derivatives by nudging)"),
}
WRAP = N_("an operator reads other.data, but a plain number has no .data: wrap it first, "
          "other = other if isinstance(other, Value) else Value(other).")
OVERWRITE = N_("`self.grad = …` overwrites the contribution of the other path: use `+=`.")
RECURSIVE = N_("build_topo calls itself once per node, and Python stops at about 1,000 nested "
               "calls: build the order with a loop and an explicit stack.")
RAISED = N_("your code raised an exception here (its traceback is below).")
UNDEFINED = N_("a name your code uses is not defined where it runs: is an import missing (import "
               "math at the top of the file, or of the cell that defines the class)?")
INERT = N_("not checked: backward() leaves every gradient at 0 (see ✗ backward above)")


class Fail(Exception):
    """The check showed a mistake: the expression, what was expected, what came out, and why
    (`error`: the Raised it came from, if their code raised)."""

    def __init__(self, expr, expected, got, cause, error=None):
        super().__init__(expr)
        self.expr, self.expected, self.got, self.cause, self.error = expr, expected, got, cause, error


class Limit(Fail):
    """Not a wrong answer but a limit of Python reached (RecursionError, OverflowError): shown with
    advice, and not counted as a failure."""


class NotYet(Exception):
    """The engine does not attempt this yet (no tanh, a blank that raises NotImplementedError)."""


class Skip(Exception):
    """Not checked, because an earlier check already showed the reason it would fail."""


CHECKS = []                  # (name, title, read, function), in the lecture's order


def check(name, title, read):
    def register(f):
        CHECKS.append((name, title, READ[read], f))
        return f
    return register


# --- helpers: run the learner's code, compare numbers -------------------------------------------

def needs(V, *names):
    missing = [n for n in names if not has(V, n)]
    if missing:
        raise NotYet(N_("the class has no {names} yet", names=', '.join(missing)))


def attempt(expr, f, cause=RAISED, limit=()):
    """f(), or Fail naming expr (Limit for an exception named in `limit`; NotYet for a blank that
    raises NotImplementedError)."""
    try:
        return f()
    except Raised as e:
        if e.is_a('NotImplementedError'):
            raise NotYet(N_("{expr} raises {error}", expr=expr, error=e.text)) from None
        why = cause(e) if callable(cause) else cause
        if e.is_a('NameError') and why == RAISED:
            why = UNDEFINED
        kind = Limit if any(e.is_a(name) for name in limit) else Fail
        raise kind(expr, '', e.text, why, error=e) from None


def number(x, what):
    """x as a float, from their value (a float, an int, a numpy scalar, …)."""
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        try:
            x = float(x)
        except Raised:
            raise Fail(what, N_("a number"), f"{show(x)}",
                       N_("{what} should be a plain number.", what=what)) from None
        except TypeError:
            raise Fail(what, N_("a number"), f"{show(x)} ({type(x).__name__})",
                       N_("{what} should be a plain number, not a {type}.", what=what,
                          type=type(x).__name__)) from None
    return float(x)


def show(x):
    try:
        return repr(x)[:80]
    except Raised as e:
        return f"<repr failed: {e.text}>"


def close(got, expected, tol=1e-6):
    return abs(got - expected) <= tol * (1 + abs(expected))


def expect(expr, what, got, expected, cause, tol=1e-6):
    got = number(got, what)
    if not close(got, expected, tol):
        raise Fail(expr, f"{what} = {expected:.10g}", f"{got:.10g}",
                   cause(got) if callable(cause) else cause)
    return got


def data(expr, v):
    value = attempt(expr, lambda: getattr(v, 'data', None))
    if value is None:                   # a plain number came back, or a Value with no .data
        raise Fail(expr, N_("a Value"), f"{show(v)} ({type(v).__name__})",
                   N_("the operator should return a new Value: return out."))
    return number(value, f"({expr}).data")


def grad(v, what):
    return number(attempt(what, lambda: getattr(v, 'grad')), what)


def children(out, *operands):
    """The attribute of out holding all the operands (the lecture's _prev, by whatever name):
    (name, its items), or (None, ()) — found by what it holds, not by its name."""
    for name, items in containers(out).items():
        if all(any(i is o for i in items) for o in operands):
            return name, items
    return None, ()


def backward(expr, root, seen):
    """root.backward(), unless an earlier check showed it does nothing."""
    if seen.get('inert'):
        raise Skip(INERT)
    attempt(f"{expr}; backward()", root.backward)


def usable_backward(seen):
    return seen.get('backward') == 'pass'


def fd(f, x, h=1e-6):
    """(f(x+h) − f(x−h)) / 2h: the slope of the learner's own forward."""
    return (f(x + h) - f(x - h)) / (2 * h)
