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
            context.configure(connection=connection, **OPTIONS)
            with context.begin_transaction():
                context.run_migrations()
            connection.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
