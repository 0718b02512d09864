"""Alembic environment for jixiao. The database comes from the caller, never from a
file or the environment: ``jixiao.storage.migrate`` puts either a ready connection
(``config.attributes["connection"]``) or a URL (``config.attributes["url"]``) in the
Alembic config. ``render_as_batch=True`` lets ALTERs work on SQLite (table copy)."""
from __future__ import annotations

from typing import Any

from alembic import context

from jixiao.storage.engine import make_engine
from jixiao.storage.models import Base

config = context.config
target_metadata = Base.metadata
OPTIONS: dict[str, Any] = {"target_metadata": target_metadata, "render_as_batch": True,
                           "compare_type": True}


def run_offline() -> None:
    context.configure(url=config.attributes["url"], literal_binds=True, **OPTIONS)
    with context.begin_transaction():
        context.run_migrations()


def _driver(connection: Any) -> Any:
    """The sqlite3 connection under a SQLAlchemy one (PRAGMAs outside any transaction)."""
    driver = connection.connection.driver_connection
    assert driver is not None
    return driver


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, **OPTIONS)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(config.attributes["url"])
    try:
        with engine.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            if sqlite:
                # A batch migration rebuilds a table (create new, copy, drop old, rename).
                # With foreign keys enforced, dropping a table that other rows point at
                # fails or cascades, so enforcement is off while migrating — it can only
                # be switched outside a transaction, hence on the driver connection before
                # anything else — and the result is checked before the commit instead.
                _driver(connection).execute("PRAGMA foreign_keys=OFF")
            try:
                context.configure(connection=connection, **OPTIONS)
                with context.begin_transaction():
                    context.run_migrations()
                    if sqlite:
                        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                        if broken:
                            raise RuntimeError(f"migration left rows with dangling foreign keys: "
                                               f"{broken[:5]}")
                connection.commit()
            finally:
                if sqlite:
                    connection.rollback()
                    _driver(connection).execute("PRAGMA foreign_keys=ON")
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
