"""micrograd grade FILE.py[:CLASS]: the grader, kept in its own module (micrograd/grade/command.py)."""
from .common import CommandError, command


def add(commands):
    from ..grade.command import add_command
    add_command(commands, command, CommandError)
