"""python -m micrograd grade FILE.py[:CLASS]: the grader as a subcommand of micrograd/cli/.

Exit codes: 0 no check failed ('not yet' is allowed: a learner grades the engine as it grows);
1 a check failed; 2 the file or the class cannot be loaded (the message says why).
"""
from ..i18n import _
from . import TIMEOUT, LoadError, grade_file

FAILED = 1


def add_command(commands, command, CommandError):
    p = command(commands, 'grade', _("check your own micrograd engine for the classic mistakes"),
                _("Run the lecture's checks on the class CLASS (default Value) in FILE.py, in a\n"
                  "separate process with a time limit per check: forward values, reflected operators,\n"
                  "tanh/exp derivatives, the lecture's neuron, a value used twice, a diamond, the\n"
                  "topological order, - / **, tanh(±1000), a 10,000-deep chain, a second backward().\n"
                  "Each check says ✓, ✗ (with the expression, expected vs got, the probable cause and\n"
                  "where to read about it), or 'not yet' for what the engine does not attempt.\n\n"
                  "exit codes: 0 no check failed ('not yet' allowed), 1 a check failed, 2 the file or\n"
                  "class cannot be loaded."),
                _("examples:") + "\n  python -m micrograd grade my_engine.py\n"
                "  python -m micrograd grade my_engine.py:Scalar --timeout 10")
    p.add_argument('target', metavar='FILE.py[:CLASS]',
                   help=_("your engine's file, and the class name if it is not Value"))
    p.add_argument('--timeout', type=float, default=TIMEOUT, metavar='SECONDS',
                   help=_("the time limit of each check (default: %(default)g)"))
    p.set_defaults(run=lambda args: run(args, CommandError))


def run(args, CommandError):
    path, colon, name = args.target.rpartition(':')
    if not (colon and path and name.isidentifier()):
        path, name = args.target, 'Value'
    try:
        report = grade_file(path, name, timeout=args.timeout)
    except (LoadError, ValueError) as e:        # ValueError: a --timeout out of range
        raise CommandError(str(e)) from None
    print(report)
    return 0 if report else FAILED
