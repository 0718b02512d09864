"""Alembic, driven from code: the migrations ship inside the package
(``jixiao/storage/migrations``) and the database URL is passed in, so no
``alembic.ini`` is needed anywhere."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import DatabaseUnavailable

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(url: str | None = None, *, connection: Any = None) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # Not through set_main_option: a password with "%" would be taken for interpolation.
    config.attributes["url"] = url
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(url: str, revision: str = "head") -> str | None:
    """Apply the migrations up to ``revision``; returns the revision the database is at."""
    from alembic import command

    _run(url, command.upgrade, revision)
    return current_revision(url)


def downgrade(url: str, revision: str = "base") -> str | None:
    from alembic import command

    _run(url, command.downgrade, revision)
    return current_revision(url)


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(url: str) -> str | None:
    """The revision the database at ``url`` is at; None for an empty database."""
    from alembic.migration import MigrationContext

    from .engine import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    except DatabaseUnavailable:
        raise
    except Exception as e:
        raise DatabaseUnavailable(url, _reason(e)) from None
    finally:
        engine.dispose()


def _run(url: str, step: Any, revision: str) -> None:
    try:
        step(alembic_config(url), revision)
    except DatabaseUnavailable:
        raise
    except Exception as e:
        from sqlalchemy.exc import OperationalError

        if isinstance(e, OperationalError):
            raise DatabaseUnavailable(url, _reason(e)) from None
        raise


#: Driver messages users meet, in Chinese; the driver's own line follows in brackets.
_KNOWN = (
    ("unable to open database file", "无法打开数据库文件: 所在文件夹不存在或没有写入权限"),
    ("database is locked", "数据库正忙, 请稍后再试"),
    ("no such table", "数据库尚未初始化, 请先运行 jixiao db upgrade"),
    ("connection refused", "无法连接数据库服务器 (连接被拒绝), 请检查主机、端口以及服务器是否在运行"),
    ("could not translate host name", "无法解析数据库服务器的主机名"),
    ("name or service not known", "无法解析数据库服务器的主机名"),
    ("password authentication failed", "数据库用户名或密码错误"),
    ("no password supplied", "数据库需要密码, 请在地址中给出"),
    ("timeout expired", "连接数据库服务器超时"),
)


def _reason(e: BaseException) -> str:
    """One line of a driver error, without the SQL and the URL; in Chinese when it is
    one of the common ones."""
    lines = str(getattr(e, "orig", None) or e).strip().splitlines()
    line = lines[0] if lines else type(e).__name__
    lowered = line.lower()
    for needle, chinese in _KNOWN:
        if needle in lowered:
            return f"{chinese} ({line})"
    if "does not exist" in lowered and "database" in lowered:
        return f"数据库不存在, 请先创建 ({line})"
    if "does not exist" in lowered and "relation" in lowered:
        return f"数据库尚未初始化, 请先运行 jixiao db upgrade ({line})"
    return line
