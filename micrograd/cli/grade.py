"""python -m micrograd grade FILE.py[:CLASS]: the grader (micrograd/grade/) as a command.

Exit codes: 0 no check failed ('not yet' and a limit of Python are allowed: a learner grades the
engine as it grows); 1 a check failed; 2 the file or the class cannot be loaded (the message says
why), or --timeout is out of range.
"""
from ..grade import TIMEOUT, LoadError, grade_file
from ..i18n import _
from .common import CommandError, command

FAILED = 1


def add(commands):
    p = command(commands, 'grade', _("check your own micrograd engine for the classic mistakes"),
                _("Run the lecture's checks on the class CLASS (default Value) in FILE.py: your code runs\n"
                  "in a separate process with a time limit per check, and answers there, while the\n"
                  "grader compares here: forward values, reflected operators, backward() through + and *,\n"
                  "tanh/exp/relu through backward(), the lecture's neuron, a value used twice, a diamond,\n"
                  "the topological order, - / ** and 2 - x, 1 / x, tanh(±1000), a 10,000-deep chain,\n"
                  "softmax + negative log-likelihood, random inputs against central differences (and\n"
                  "PyTorch, if installed), a second backward(). Each check says ✓, ✗ (with the\n"
                  "expression, expected vs got, the probable cause and where to read about it), · 'not\n"
                  "yet' for what the engine does not attempt, – 'not checked' when an earlier ✗ is the\n"
                  "reason, or ⚠ for a limit of Python met (RecursionError, OverflowError), with advice.\n"
                  "\n"
                  "exit codes: 0 no check failed ('not yet' and limits allowed), 1 a check failed, 2 the\n"
                  "file or class cannot be loaded, or --timeout is out of range."),
                _("examples:") + "\n  python -m micrograd grade my_engine.py\n"
                "  python -m micrograd grade my_engine.py:Scalar --timeout 10")
    p.add_argument('target', metavar='FILE.py[:CLASS]',
                   help=_("your engine's file, and the class name if it is not Value"))
    p.add_argument('--timeout', type=float, default=TIMEOUT, metavar='SECONDS',
                   help=_("the time limit of each check (default: %(default)g)"))
    p.set_defaults(run=run)


def run(args):
    path, colon, name = args.target.rpartition(':')
    if not (colon and path and name.isidentifier()):
        path, name = args.target, 'Value'
    try:
        report = grade_file(path, name, timeout=args.timeout)
    except (LoadError, ValueError) as e:        # ValueError: a --timeout out of range
        raise CommandError(str(e)) from None
    print(report)
    return 0 if report else FAILED
