"""The file system, for the command line: read a document, write an output atomically.

The use-cases in ``jixiao.services`` take and return bytes and objects; the CLI
(and a library user with files) comes through here to turn paths into bytes and
bytes into files. The web app never does: it has uploads and responses.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .errors import JixiaoError

if TYPE_CHECKING:
    from .model.sheet import Sheet
    from .validation import Profile

__all__ = ["read_document", "import_sheet", "load_profile", "write_output", "write_bytes",
           "atomic_writer"]


def read_document(path: str | os.PathLike[str]) -> bytes:
    """The bytes of the file at ``path``; ``FileMissing`` (and the importers' other
    refusals of what cannot be read safely) otherwise."""
    from .importers.decode import read_bytes

    return read_bytes(os.fspath(path))


def import_sheet(path: str | os.PathLike[str], *, format: str | None = None) -> Sheet:
    """Read and import the document at ``path`` (``services.import_document``)."""
    from .services import import_document

    name = os.fspath(path)
    return import_document(data=read_document(name), name=name, format=format).sheet


def load_profile(path: str | os.PathLike[str]) -> Profile:
    """The review profile in the TOML file at ``path``, over the default."""
    from .validation import load_profile as load

    return load(os.fspath(path))


def write_bytes(data: bytes, out_path: str | os.PathLike[str]) -> Path:
    """Write ``data`` to ``out_path`` atomically and return the path."""
    with atomic_writer(out_path) as f:
        f.buffer.write(data)   # the text wrapper's binary layer; flushed by the writer
    return Path(out_path)


def write_output(text: str, out_path: str | os.PathLike[str]) -> Path:
    """Write ``text`` (UTF-8) to ``out_path`` atomically and return the path.

    Readers see either the old file or the complete new one, never a part:
    the text goes to a temporary file in the same directory, is fsynced, then
    renamed over the target with ``os.replace``. Missing parent folders are
    created.
    """
    with atomic_writer(out_path) as f:
        f.write(text)
    return Path(out_path)


@contextlib.contextmanager
def atomic_writer(out_path: str | os.PathLike[str]) -> Iterator[TextIO]:
    """Context manager yielding a text file that replaces ``out_path`` only when
    the ``with`` block finishes without an exception; on any error the
    temporary file is removed and ``out_path`` is left as it was."""
    out = Path(out_path)
    shown = os.fspath(out_path)
    if out.is_dir():
        raise JixiaoError(f"无法写入“{shown}”: 这是一个文件夹, 请给出文件名")
    parent = out.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{out.name}.", suffix=".tmp")
    except OSError as e:
        raise JixiaoError(f"无法写入“{shown}”: {_reason(e)}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _target_mode(out))
        os.replace(tmp, out)
    except BaseException as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(e, OSError):
            raise JixiaoError(f"无法写入“{shown}”: {_reason(e)}") from None
        raise
    _fsync_dir(parent)


def _target_mode(out: Path) -> int:
    """Keep the permissions of the file being replaced; a new file gets the
    usual 0666 minus umask (mkstemp would leave it 0600)."""
    try:
        return out.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_dir(directory: Path) -> None:
    """Make the rename itself durable (POSIX); best effort elsewhere."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _reason(e: OSError) -> str:
    import errno

    return {
        errno.EACCES: "没有写入权限",
        errno.EPERM: "没有写入权限",
        errno.ENOSPC: "磁盘空间不足",
        errno.EROFS: "文件系统只读",
        errno.ENOTDIR: "路径中有一段不是文件夹",
        errno.EISDIR: "这是一个文件夹, 请给出文件名",
        errno.ENAMETOOLONG: "文件名过长",
    }.get(e.errno or 0, e.strerror or type(e).__name__)
