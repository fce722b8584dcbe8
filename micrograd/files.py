"""Writing files so that a failure loses nothing: the new content goes to a temporary file beside
the target, which is renamed over it only once it is complete.  An error at any point leaves the
old file as it was and no temporary file behind."""
import os
import tempfile

__all__ = ['write_atomic']


def write_atomic(path, content, encoding='utf-8'):
    """Write `content` (str, bytes, or a function taking a binary file object) to `path`.

    The target's directory must exist; a str is encoded first, so an unencodable character fails
    before anything is touched.  Returns the path written.
    """
    path = os.fspath(path)
    if isinstance(content, str):
        content = content.encode(encoding)          # fails here, before any file is opened
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix='.' + os.path.basename(path) + '.', suffix='.tmp')
    try:
        with os.fdopen(fd, 'wb') as f:
            if callable(content):
                content(f)
            else:
                f.write(content)
        if os.path.exists(path):
            os.chmod(tmp, os.stat(path).st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path
