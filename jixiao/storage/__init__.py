"""Storage: SQLAlchemy tables, engines and sessions, Alembic migrations, backups.

Everything takes the database URL as an argument; reading ``JIXIAO_DATABASE_URL``
is the caller's business (the CLI, ``create_app(settings)``). docs/storage.md
describes the tables, the versioning of sheets, migrations and backups.
"""
from __future__ import annotations

from .engine import DEFAULT_URL, begin_write, is_sqlite, make_engine, session_factory
from .migrate import current_revision, downgrade, head_revision, upgrade

__all__ = ["DEFAULT_URL", "begin_write", "is_sqlite", "make_engine", "session_factory",
           "upgrade", "downgrade", "current_revision", "head_revision"]
