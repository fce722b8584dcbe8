"""Output paths: checked before any work, written whole or not at all, one message for any problem.

The rule for every file a command writes (common.FILES_RULE says it in --help):
  * a relative path is relative to the directory the command runs in (./run keeps the caller's);
  * the folder a file goes into must exist — nothing creates folders, except `demo -o DIR`, which
    creates DIR itself (its parent must exist);
  * the file is written with micrograd.files.write_atomic: an existing file is replaced only once
    the new one is complete, and a failure leaves it as it was, with no temporary file behind.
Every problem is a CommandError (exit 2) of one shape: cannot write 'PATH' (OPTION): REASON.
"""
import os
import tempfile

from ..files import refusal, write_atomic
from ..i18n import _
from .common import CommandError, drawn


def check_file(path, option, suffixes, kind):
    """Refuse now, before any work, an output file `path` (given as `option`) that could not be
    written: the wrong kind of name, a folder, a device, a missing or read-only folder."""
    if not path:
        raise bad(path, option, _("no file name given"))
    if not path.lower().endswith(suffixes):
        ends = suffixes[0] if len(suffixes) == 1 else _("{some} or {last}",
                                                         some=', '.join(suffixes[:-1]),
                                                         last=suffixes[-1])
        raise bad(path, option, _("{option} writes {kind}: give a file name ending in {ends}",
                                  option=option, kind=kind, ends=ends))
    _usable_name(path, option)
    reason = refusal(path)                      # a folder, a device, a pipe: as write_atomic says
    if reason:
        raise bad(path, option, reason)
    if os.path.exists(path) and not os.access(path, os.W_OK):
        raise bad(path, option, _("the file is read-only"))
    _check_folder_of(path, option)


def check_folder(path, option):
    """Refuse now a folder of outputs (demo -o DIR) that could not be used: DIR may exist (as a
    folder) or not (then its parent must exist, and DIR is created by make_folder)."""
    if not path:
        raise bad(path, option, _("no folder name given"))
    _usable_name(path, option)
    if os.path.isdir(path):
        _probe(os.path.join(path, 'x'), path, option)
    elif os.path.lexists(path):
        raise bad(path, option, _("{option} names the folder to write into, and this is not a "
                                  "folder", option=option))
    else:
        _check_folder_of(os.path.normpath(path), option, shown=path)


def make_folder(path, option):
    """Create the folder checked by check_folder (only it: its parent exists)."""
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as e:
        raise bad(path, option, e.strerror or str(e)) from None


def write(path, option, content):
    """write_atomic(path, content): a str, bytes, or a function writing to the binary file."""
    write_with(path, option, lambda: write_atomic(path, content))


def write_with(path, option, save):
    """save(), which writes `path` (atomically, as write_atomic does), with its errors as ours."""
    try:
        save()
    except OSError as e:
        raise bad(path, option, e.strerror or str(e)) from None


def write_svg(root, path, option, **options):
    """The picture of root's graph as the file `path`: SVG (to_svg), PNG or PDF by its extension
    (options: draw_dot's)."""
    from ..views import render
    kind = os.path.splitext(path)[1].lower()
    if kind in ('.png', '.pdf'):
        export = render.to_png if kind == '.png' else render.to_pdf
        write_with(path, option, lambda: drawn(lambda r: export(r, path, **options), root))
        return
    write(path, option, drawn(lambda r: render.to_svg(r, **options), root))


def write_player(root, path, option, title):
    """The step-through page of root's graph (step_through(root).save_html) as the file `path`."""
    from ..views.player import step_through
    player = drawn(step_through, root)
    write_with(path, option, lambda: player.save_html(path, title=title))


def bad(path, option, reason):
    return CommandError(_("cannot write {path} ({option}): {reason}", path=repr(path), option=option,
                          reason=reason))


def _usable_name(path, option):
    if '\0' in path:
        raise bad(path, option, _("a file name cannot contain a NUL character"))


def _check_folder_of(path, option, shown=None):
    shown = path if shown is None else shown
    folder = os.path.dirname(path) or os.curdir
    if not os.path.isdir(folder):
        what = _("is not a folder") if os.path.lexists(folder) else _("does not exist")
        raise bad(shown, option, _("the folder {folder} {what} (nothing creates it: make it first)",
                                   folder=repr(folder), what=what))
    _probe(path, shown, option)


def _probe(path, shown, option):
    """Create and delete the temporary file write_atomic will use: the one sure test that the
    folder takes a new file there (permissions, a read-only disk, a name too long)."""
    folder = os.path.dirname(path) or os.curdir
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix='.' + os.path.basename(path) + '.',
                                   suffix='.tmp')
    except OSError as e:
        raise bad(shown, option, e.strerror or str(e)) from None
    os.close(fd)
    os.unlink(tmp)
