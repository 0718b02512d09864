"""Use-cases: the only API the CLI (and later the web app) calls.

Each function does one thing a user asks for and raises only ``JixiaoError``
subclasses for problems the user can fix. Presentation (tables, colours, exit
codes) is the caller's business.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ..errors import JixiaoError

if TYPE_CHECKING:
    from ..model.sheet import Sheet
    from ..validation import Report

__all__ = ["import_sheet", "sheet_json", "check_sheet", "write_output", "atomic_writer"]


def import_sheet(path: str | os.PathLike[str], *, format: str | None = None) -> Sheet:
    """Read the document at ``path`` (text or sheet JSON, detected from its
    content) and return the sheet with the importer's diagnostics."""
    from ..importers import import_path

    return import_path(path, format=format)


def check_sheet(sheet: Sheet, *, profile: str | os.PathLike[str] | None = None,
                previous: Sheet | str | os.PathLike[str] | None = None,
                attach: bool = False) -> Report:
    """Check ``sheet`` against the reviewer rules (docs/rules.md).

    ``profile`` is a review profile (TOML file; None: the shipped default);
    ``previous`` last year's sheet — or, for a self-evaluation, the approved
    sheet — as a Sheet or any file ``import_sheet`` reads. With ``attach`` the
    findings are also appended to ``sheet.diagnostics`` (``import --check``).
    Raises ``ProfileInvalid`` for an unusable profile and ``ImportFailed`` for an
    unreadable previous sheet.
    """
    from ..validation import check, load_profile

    loaded = load_profile(profile) if profile is not None else None
    if previous is not None and not hasattr(previous, "functions"):
        previous = import_sheet(previous)
    report = check(sheet, profile=loaded, previous=previous)
    if attach:
        # Replace the findings of an earlier check (a sheet JSON written by
        # ``import --check``) instead of piling up duplicates.
        from ..validation import all_rules

        ids = {r.id for r in all_rules()}
        sheet.diagnostics[:] = [d for d in sheet.diagnostics if d.code not in ids] + report.findings
    return report


def sheet_json(sheet: Sheet) -> str:
    """The sheet as ``jixiao/sheet@1`` JSON text, ending in a newline."""
    from ..model.codec import dumps

    return dumps(sheet) + "\n"


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
