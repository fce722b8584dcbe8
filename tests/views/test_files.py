"""The library's writers (to_png, to_pdf, save_html, write_atomic) write only regular files: a folder,
a device, a pipe or a broken link is refused with the command line's words and left as it was, and
a symbolic link is written through to its target, which is replaced atomically (issue 21, item 2)."""
import os
import stat

import pytest

from micrograd import Value, step_through, to_pdf, to_png
from micrograd.files import CannotWrite, write_atomic

FOLDER = "it is a folder: give the name of a file in it"
NOT_A_FILE = "it is not a regular file (a device, a pipe or a broken link)"


def _graph():
    x = Value(2.0, label='x')
    return (x * x).tanh()


WRITERS = {
    'write_atomic': lambda path: write_atomic(path, 'new content\n'),
    'to_png': lambda path: to_png(_graph(), path),
    'to_pdf': lambda path: to_pdf(_graph(), path),
    'save_html': lambda path: step_through(_graph()).save_html(path),
}


def _char_device(path):
    """A character device like /dev/null (1, 3) at `path`, or skip where nodes cannot be made."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, AttributeError):
        pytest.skip("making a device node needs root")
    return path


def _kind(path):
    mode = os.lstat(path).st_mode
    return ('folder' if stat.S_ISDIR(mode) else 'device' if stat.S_ISCHR(mode) else
            'pipe' if stat.S_ISFIFO(mode) else 'link' if stat.S_ISLNK(mode) else 'file')


@pytest.mark.parametrize('writer', WRITERS)
@pytest.mark.parametrize('kind', ['folder', 'device', 'pipe', 'broken link'])
def test_what_is_not_a_regular_file_is_refused_and_left_alone(writer, kind, tmp_path):
    path = tmp_path / 'out.png'
    if kind == 'folder':
        path.mkdir()
    elif kind == 'device':
        _char_device(path)
    elif kind == 'pipe':
        os.mkfifo(path)
    else:
        os.symlink(tmp_path / 'nowhere.png', path)
    before = _kind(path)
    with pytest.raises(CannotWrite) as e:
        WRITERS[writer](str(path))
    reason = FOLDER if kind == 'folder' else NOT_A_FILE
    assert str(e.value) == f"cannot write {str(path)!r}: {reason}"
    assert e.value.strerror == reason and e.value.filename == str(path)
    assert _kind(path) == before, f"{writer} replaced the {kind}"
    assert sorted(os.listdir(tmp_path)) == ['out.png'], "a temporary file was left"


@pytest.mark.parametrize('writer', WRITERS)
def test_a_symbolic_link_is_written_through_to_its_target(writer, tmp_path):
    (tmp_path / 'real').mkdir()
    target = tmp_path / 'real' / 'target.png'
    target.write_bytes(b'old')
    os.chmod(target, 0o640)
    link = tmp_path / 'link.png'
    os.symlink(os.path.join('real', 'target.png'), link)      # relative, as `ln -s` makes them
    assert WRITERS[writer](str(link)) == str(link)
    assert os.path.islink(link) and os.readlink(link) == os.path.join('real', 'target.png')
    assert target.read_bytes() != b'old', "the target kept its old content"
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640     # the target's mode stays
    assert sorted(os.listdir(tmp_path / 'real')) == ['target.png'], "a temporary file was left"
    assert sorted(os.listdir(tmp_path)) == ['link.png', 'real']


def test_a_link_to_a_link_reaches_the_file(tmp_path):
    (tmp_path / 'target.svg').write_text('old')
    os.symlink('target.svg', tmp_path / 'one.svg')
    os.symlink('one.svg', tmp_path / 'two.svg')
    write_atomic(tmp_path / 'two.svg', 'new')
    assert (tmp_path / 'target.svg').read_text() == 'new'
    assert [_kind(tmp_path / n) for n in ('one.svg', 'two.svg')] == ['link', 'link']


def test_a_link_to_a_folder_is_a_folder(tmp_path):
    (tmp_path / 'dir').mkdir()
    os.symlink('dir', tmp_path / 'link.html')
    with pytest.raises(CannotWrite, match="it is a folder"):
        write_atomic(tmp_path / 'link.html', 'x')
    assert os.listdir(tmp_path / 'dir') == []


def test_a_failed_write_through_a_link_leaves_the_target(tmp_path):
    target = tmp_path / 'target.svg'
    target.write_text('old')
    os.symlink('target.svg', tmp_path / 'link.svg')

    def fail(f):
        f.write(b'half')
        raise OSError("disk full")
    with pytest.raises(OSError, match="disk full"):
        write_atomic(tmp_path / 'link.svg', fail)
    assert target.read_text() == 'old' and os.path.islink(tmp_path / 'link.svg')
    assert sorted(os.listdir(tmp_path)) == ['link.svg', 'target.svg']


def test_the_command_line_writes_through_a_link_too(tmp_path, monkeypatch, capsys):
    from micrograd import cli
    (tmp_path / 'target.svg').write_text('old')
    os.symlink('target.svg', tmp_path / 'link.svg')
    monkeypatch.chdir(tmp_path)
    assert cli.main(['graph', 'x*y', 'x=2', 'y=3', '-o', 'link.svg']) == 0
    assert os.path.islink('link.svg') and (tmp_path / 'target.svg').read_text().startswith('<')
    os.mkfifo(tmp_path / 'pipe.svg')
    assert cli.main(['graph', 'x', 'x=1', '-o', 'pipe.svg']) == 2      # the same reason, with -o
    assert capsys.readouterr().err.endswith(f"cannot write 'pipe.svg' (-o): {NOT_A_FILE}\n")
