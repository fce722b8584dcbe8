"""python -m micrograd demo | graph | train | grade: the application layer (the one user of nn).

    python -m micrograd demo                      the seeds' worked examples: tables, SVGs, players
    python -m micrograd graph "tanh(w*x + b)" w=-3 x=2 b=6.88 -o f.svg --html f.html --steps
    python -m micrograd train moons --plot moons.png
    python -m micrograd train digits --plot digits.png
    python -m micrograd grade my_engine.py[:Value]   (see micrograd/cli/grade.py)

Each command is a module of this package with `add(commands)` (its options, registered with
common.command) and `run(args)` (which may return an exit code); COMMANDS lists them, in the
order `--help` shows them: a new command is one module and one entry there.  Files are written by `paths` (one rule
for every output).  Exit codes: 0 done; 2 a bad argument, expression, value or output path, or a
file that cannot be written (one message saying which, no traceback); 1 a missing program or
package; 130 interrupted.
"""
import argparse
import sys
import warnings

from .. import i18n
from ..i18n import _
from . import demo, grade, graph, train
from .common import CommandError, Formatter, add_lang, speak

__all__ = ['main', 'build_parser', 'COMMANDS', 'CommandError']

COMMANDS = (demo, graph, train, grade)


def main(argv=None):
    """Run the command line; returns the exit code (0 on success).  `--lang zh` (anywhere, on any
    command) speaks Chinese for this run, --help included; the language before is restored after."""
    for stream in (sys.stdout, sys.stderr):     # ∂ and σ on a terminal that cannot show them: '?'
        if hasattr(stream, 'reconfigure'):
            stream.reconfigure(errors='replace')
    argv = sys.argv[1:] if argv is None else list(argv)
    with warnings.catch_warnings():
        _say_language_warnings_plainly()
        with i18n.language(_lang_in(argv)):
            return _main(argv)


def _say_language_warnings_plainly():
    """A bad MICROGRAD_LANG is one line on stderr, not a warning's file:line and source line."""
    shown = warnings.showwarning
    warnings.showwarning = lambda message, category, *where: (
        print(_("micrograd: warning: {message}", message=message), file=sys.stderr)
        if issubclass(category, i18n.LanguageWarning) else shown(message, category, *where))


def _lang_in(argv):
    """The value of --lang in argv (read before the parser is built, so --help is translated)."""
    for i, a in enumerate(argv):
        if a == '--':
            break
        if a == '--lang' and i + 1 < len(argv):
            value = argv[i + 1]
        elif a.startswith('--lang='):
            value = a.split('=', 1)[1]
        else:
            continue
        return value if value in i18n.LANGUAGES else None    # argparse reports a bad one
    return None


def _main(argv):
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        hint = ''
        if args.command == 'graph' and any(a[:1] == '-' and a[:2] != '--' for a in extra):
            hint = _(" (an EXPR that starts with '-' needs '--' before it: graph -- '-x' x=1)")
        parser.error(_("unrecognized arguments: {args}", args=' '.join(extra)) + hint)
    if args.command is None:                    # `python -m micrograd` alone: the demo
        args = parser.parse_args(['demo'])
    try:
        code = args.run(args)
    except CommandError as e:
        print(_("micrograd {command}: error: {message}", command=args.command, message=e),
              file=sys.stderr)
        return e.code
    except KeyboardInterrupt:
        print(_("micrograd {command}: interrupted", command=args.command), file=sys.stderr)
        return 130
    return code or 0


def build_parser():
    parser = argparse.ArgumentParser(
        prog='micrograd', description=_("Backpropagation, shown: run the seeds' worked examples, "
                                        "draw and step through the graph of an expression, or "
                                        "train a small network. With no command, runs `demo`."),
        epilog=_("`micrograd COMMAND --help` describes each command's options."),
        formatter_class=Formatter, add_help=False)
    speak(parser)
    parser.add_argument('--version', action='version', version=f"%(prog)s {_version()}",
                        help=_("show the version and exit"))
    add_lang(parser)
    commands = parser.add_subparsers(dest='command', metavar='COMMAND')
    for command in COMMANDS:
        command.add(commands)
    return parser


def _version():
    try:
        from importlib.metadata import version
        return version('backprop-classroom')
    except Exception:                           # not installed (run from a source tree)
        return 'unknown'
