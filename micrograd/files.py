"""Writing files so that a failure loses nothing: the new content goes to a temporary file beside
the target, which is renamed over it only once it is complete.  An error at any point leaves the
old file as it was and no temporary file behind.

Only a regular file (or a new one) is ever written: a folder, a device such as /dev/null, a pipe or
a broken link is refused before anything is touched, as the command line refuses it.  A symbolic
link is written through: its target gets the new content (atomically, beside the target) and the
link stays a link."""
import errno
import os
import tempfile

from .i18n import _

__all__ = ['write_atomic', 'refusal', 'CannotWrite']


class CannotWrite(OSError):
    """A path that is not a file to write: `strerror` says why (the command line's words)."""

    def __str__(self):
        return _("cannot write {path}: {reason}", path=repr(self.filename), reason=self.strerror)


def refusal(path):
    """Why `path` cannot be written as a file (a folder, a device, a pipe, a broken link), or None."""
    if os.path.isdir(path):
        return _("it is a folder: give the name of a file in it")
    if os.path.lexists(path) and not os.path.isfile(path):
        return _("it is not a regular file (a device, a pipe or a broken link)")
    return None


def write_atomic(path, content, encoding='utf-8'):
    """Write `content` (str, bytes, or a function taking a binary file object) to `path`.

    The target's directory must exist; a str is encoded first, so an unencodable character fails
    before anything is touched.  Returns the path written.
    """
    path = os.fspath(path)
    reason = refusal(path)
    if reason:
        raise CannotWrite(errno.EISDIR if os.path.isdir(path) else errno.EINVAL, reason, path)
    if isinstance(content, str):
        content = content.encode(encoding)          # fails here, before any file is opened
    target = os.path.realpath(path)                 # a link's target: replacing it keeps the link
    folder = os.path.dirname(target)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix='.' + os.path.basename(target) + '.',
                               suffix='.tmp')
    try:
        with os.fdopen(fd, 'wb') as f:
            if callable(content):
                content(f)
            else:
                f.write(content)
        if os.path.exists(target):
            os.chmod(tmp, os.stat(target).st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path
