"""Engines and sessions from a database URL; nothing is read from the environment here.

SQLite gets, on every new connection: ``foreign_keys=ON`` (off by default in SQLite),
WAL journal (readers do not block the writer), ``busy_timeout`` (a writer waits for
the lock instead of failing at once) and ``synchronous=NORMAL`` (safe with WAL).

SQLite transactions: Python's sqlite3 module starts transactions lazily and
*deferred*, so a transaction that read first and then writes can fail with
``database is locked`` without waiting (SQLITE_BUSY_SNAPSHOT in WAL mode: another
writer committed in between). The driver's own transaction handling is therefore
turned off and we emit ``BEGIN`` ourselves: ``BEGIN IMMEDIATE`` for a session
marked by ``begin_write`` (it takes the write lock up front and waits for it
within ``busy_timeout``), plain ``BEGIN`` for reads. On PostgreSQL ``begin_write``
does nothing special; services lock the rows they change (``SELECT … FOR UPDATE``).
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_URL = "sqlite:///jixiao.db"
#: How long a SQLite writer waits for the lock, in milliseconds.
SQLITE_BUSY_TIMEOUT_MS = 30_000
_WRITE = "jixiao_write"


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url`` (``sqlite:///path`` or ``postgresql+psycopg://…``) with
    the settings above. Raises ``DatabaseUnavailable`` for a URL it cannot use."""
    from ..errors import DatabaseUnavailable

    try:
        parsed = make_url(url)
    except Exception:  # sqlalchemy.exc.ArgumentError: the text is no URL at all
        raise DatabaseUnavailable(url, "数据库地址格式不正确 (例如 sqlite:///jixiao.db "
                                       "或 postgresql+psycopg://用户@主机/库名)") from None
    backend = parsed.get_backend_name()
    if backend == "postgresql" and parsed.drivername == "postgresql":
        # A bare postgresql:// would pick psycopg2, which is not installed.
        parsed = parsed.set(drivername="postgresql+psycopg")
    if backend not in ("sqlite", "postgresql"):
        raise DatabaseUnavailable(url, f"不支持的数据库类型“{backend}”, 请用 SQLite 或 PostgreSQL")
    kwargs.setdefault("pool_pre_ping", backend == "postgresql")
    try:
        engine = create_engine(parsed, **kwargs)
    except Exception as e:  # missing driver module, bad options
        raise DatabaseUnavailable(url, f"{type(e).__name__}: {e}") from None
    if backend == "sqlite":
        _configure_sqlite(engine, memory=parsed.database in (None, "", ":memory:"))
    return engine


def _configure_sqlite(engine: Engine, *, memory: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None   # we issue BEGIN ourselves (see above)
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            if not memory:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE)
                             else "BEGIN")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions for ``engine``. Objects stay readable after commit
    (``expire_on_commit=False``): services return them to callers."""
    return sessionmaker(engine, expire_on_commit=False)


def begin_write(session: Session) -> None:
    """Start ``session``'s transaction as a write transaction (SQLite: ``BEGIN
    IMMEDIATE``). A read-only transaction already open is ended first; one with
    pending changes is a bug of the caller."""
    if session.in_transaction():
        if session.new or session.dirty or session.deleted:
            raise RuntimeError("begin_write on a session with unflushed changes")
        session.rollback()
    session.connection(execution_options={_WRITE: True})


def is_sqlite(session_or_engine: Session | Engine) -> bool:
    bind = session_or_engine.get_bind() if isinstance(session_or_engine, Session) \
        else session_or_engine
    return bind.dialect.name == "sqlite"
