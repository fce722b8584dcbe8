"""What every command shares: the error it reports, the exit codes, how it is registered."""
import argparse

from ..i18n import LANGUAGES, N_, _

USAGE, MISSING = 2, 1           # exit codes: a bad argument or path; a missing program or package

# Said in every command's --help: the one rule for the files the commands write (see paths.py).
FILES_RULE = N_("Output files: a relative path is relative to the directory you run the command "
              "from; the folder a file goes into must already exist (nothing creates folders, "
              "except demo -o DIR, which creates DIR itself); an existing file is replaced only "
              "once the new one is complete.  Output paths are checked before any work starts.")


class CommandError(Exception):
    """A problem to report in one clean message (no traceback), with the exit code to use."""

    def __init__(self, message, code=USAGE):
        super().__init__(message)
        self.code = code


def command(commands, name, help, description, epilog, run=None, writes_files=False):
    """Register the subcommand `name` and return its parser; the --help of a command that writes
    files ends with the files rule."""
    if writes_files:
        epilog = f"{epilog}\n\n{_wrap(_(FILES_RULE))}"
    p = commands.add_parser(name, help=help, description=description, epilog=epilog,
                            formatter_class=Formatter, add_help=False)
    speak(p)
    add_lang(p)
    if run is not None:
        p.set_defaults(run=run)
    return p


class Formatter(argparse.RawDescriptionHelpFormatter):
    """argparse's --help with its own words ('usage:') in the learner's language too."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)


def speak(parser):
    """-h/--help and the section titles of `parser` in the learner's language (made with
    add_help=False; argparse's own words are not in our catalog otherwise)."""
    parser._positionals.title = _("positional arguments")
    parser._optionals.title = _("options")
    parser.add_argument('-h', '--help', action='help', default=argparse.SUPPRESS,
                        help=_("show this help message and exit"))


def add_lang(parser):
    """--lang en|zh: the language of everything the command says (main() reads it first)."""
    parser.add_argument('--lang', choices=LANGUAGES, default=argparse.SUPPRESS,
                        help=_("the language of the output: en or zh (default: $MICROGRAD_LANG, "
                               "else en)"))


def drawn(draw, root):
    """draw(root), with the renderer's errors as the command's own (a missing `dot` exits 1)."""
    from ..views.render import GraphTooLarge, RendererNotFound
    try:
        return draw(root)
    except RendererNotFound as e:
        raise CommandError(str(e), MISSING) from None
    except GraphTooLarge as e:
        raise CommandError(str(e)) from None


def require(module, why):
    """A CommandError (exit 1) with the install hint if `module` cannot be imported."""
    import importlib.util
    if importlib.util.find_spec(module) is None:
        from nn.data import INSTALL_HINT
        raise CommandError(_("{why}, which is not installed: {hint}", why=why, hint=INSTALL_HINT),
                           MISSING)


def _wrap(text, width=95):
    import textwrap
    if any(ord(c) > 0x2e80 for c in text):      # Chinese has no spaces to break at: by width,
        lines = [text[i:i + width // 2] for i in range(0, len(text), width // 2)]
        for i in range(1, len(lines)):          # and a line never starts with a '，' or '。'
            while lines[i][:1] in '，。；：）':
                lines[i - 1], lines[i] = lines[i - 1] + lines[i][0], lines[i][1:]
        return '\n'.join(line for line in lines if line)
    return '\n'.join(textwrap.wrap(text, width))
