"""``jixiao db backup PATH``: a consistent copy of the database while the app runs.

* SQLite: the sqlite3 online backup API copies the live database page by page into
  a temporary file next to ``PATH`` (it restarts by itself if a writer changes a
  page it has copied, so the copy is one consistent state), the copy is checked
  (``PRAGMA integrity_check``), fsynced, and renamed over ``PATH``: readers of
  ``PATH`` see the old file or the complete new one, never a part.
* PostgreSQL: ``pg_dump --format=custom`` (Debian: postgresql-client) into a
  temporary file, then the same rename. pg_dump runs in one repeatable-read
  snapshot, so the dump is consistent too. The password goes to pg_dump through
  ``PGPASSWORD``, never on its command line. Restore with ``pg_restore``
  (docs/storage.md has the drill).
"""
from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BackupFailed, DatabaseUnavailable

if TYPE_CHECKING:
    from sqlalchemy.engine import URL


@dataclass(frozen=True, slots=True)
class BackupResult:
    path: Path
    size: int
    #: For PostgreSQL, the pg_dump command that was run (password not included).
    command: str | None = None


def backup(url: str, target: str | os.PathLike[str]) -> BackupResult:
    """Copy the database at ``url`` to ``target`` (replaced atomically)."""
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(url)
    except Exception:
        raise DatabaseUnavailable(url, "数据库地址格式不正确") from None
    out = Path(target)
    if out.is_dir():
        raise BackupFailed(str(target), "这是一个文件夹, 请给出备份文件名")
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite(url, parsed.database, out)
    if backend == "postgresql":
        return _postgresql(parsed, out)
    raise DatabaseUnavailable(url, f"不支持的数据库类型“{backend}”")


def _temp_next_to(out: Path) -> Path:
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    except OSError as e:
        raise BackupFailed(str(out), e.strerror or type(e).__name__) from None
    os.close(fd)
    return Path(tmp)


def _finish(tmp: Path, out: Path) -> int:
    with open(tmp, "rb+") as f:
        os.fsync(f.fileno())
    os.replace(tmp, out)
    with contextlib.suppress(OSError):
        fd = os.open(out.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    return out.stat().st_size


def _sqlite(url: str, database: str | None, out: Path) -> BackupResult:
    import sqlite3

    if not database or database == ":memory:":
        raise DatabaseUnavailable(url, "内存数据库无法备份")
    source_path = Path(database)
    if not source_path.is_file():
        raise DatabaseUnavailable(url, "数据库文件不存在")
    if out.exists() and out.resolve() == source_path.resolve():
        raise BackupFailed(str(out), "备份文件不能是数据库文件本身")
    tmp = _temp_next_to(out)
    try:
        # mode=rw: never create an empty database where the path was mistyped.
        source = sqlite3.connect(f"{source_path.resolve().as_uri()}?mode=rw", uri=True,
                                 timeout=30)
        try:
            dest = sqlite3.connect(tmp)
            try:
                # pages=-1: one step, so the copy is taken in a single read transaction.
                source.backup(dest, pages=-1)
                dest.execute("PRAGMA journal_mode=DELETE")   # a single self-contained file
                check = dest.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                dest.close()
        finally:
            source.close()
        if check != "ok":
            raise BackupFailed(str(out), f"副本校验失败: {check}")
        size = _finish(tmp, out)
    except sqlite3.Error as e:
        raise BackupFailed(str(out), f"SQLite: {e}") from None
    except OSError as e:
        raise BackupFailed(str(out), e.strerror or type(e).__name__) from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return BackupResult(out, size)


def pg_dump_command(url: URL, out: Path) -> tuple[list[str], dict[str, str]]:
    """The pg_dump argument list and the extra environment for ``url``. Connection details go in the environment (libpq's PG*
    variables), so neither the password nor the user appear in ``ps``."""
    env = {}
    for key, value in (("PGHOST", url.host), ("PGPORT", url.port), ("PGUSER", url.username),
                       ("PGPASSWORD", url.password), ("PGDATABASE", url.database)):
        if value is not None:
            env[key] = str(value)
    return ["pg_dump", "--format=custom", "--no-password", f"--file={out}"], env


def _postgresql(parsed: URL, out: Path) -> BackupResult:
    exe = shutil.which("pg_dump")
    if exe is None:
        raise BackupFailed(str(out), "没有找到 pg_dump, 请安装 PostgreSQL 客户端 "
                                     "(Debian/Ubuntu: apt-get install postgresql-client)")
    tmp = _temp_next_to(out)
    args, env = pg_dump_command(parsed, tmp)
    shown = " ".join(f"{k}={v}" for k, v in env.items() if k != "PGPASSWORD") + \
        " " + " ".join(pg_dump_command(parsed, out)[0])
    try:
        done = subprocess.run([exe, *args[1:]], env={**os.environ, **env}, capture_output=True,
                              text=True, timeout=3600)
        if done.returncode != 0:
            lines = (done.stderr or done.stdout or "").strip().splitlines()
            raise BackupFailed(str(out), "pg_dump 失败: " + (lines[0] if lines else
                                                            f"退出码 {done.returncode}"))
        size = _finish(tmp, out)
    except OSError as e:
        raise BackupFailed(str(out), e.strerror or type(e).__name__) from None
    except subprocess.TimeoutExpired:
        raise BackupFailed(str(out), "pg_dump 超过 1 小时仍未完成") from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return BackupResult(out, size, shown.strip())
