"""What every command shares: the error it reports, the exit codes, how it is registered."""
import argparse

USAGE, MISSING = 2, 1           # exit codes: a bad argument or path; a missing program or package

# Said in every command's --help: the one rule for the files the commands write (see paths.py).
FILES_RULE = ("Output files: a relative path is relative to the directory you run the command "
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
        epilog = f"{epilog}\n\n{_wrap(FILES_RULE)}"
    p = commands.add_parser(name, help=help, description=description, epilog=epilog,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    if run is not None:
        p.set_defaults(run=run)
    return p


def drawn(draw, root):
    """draw(root), with the renderer's errors as the command's own (a missing `dot` exits 1)."""
    from ..render import GraphTooLarge, RendererNotFound
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
        raise CommandError(f"{why}, which is not installed: {INSTALL_HINT}", MISSING)


def _wrap(text, width=95):
    import textwrap
    return '\n'.join(textwrap.wrap(text, width))
