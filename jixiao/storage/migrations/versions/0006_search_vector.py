"""PostgreSQL: the search vector stored, not recomputed per row and per query.

Migration 0003 indexed ``to_tsvector('simple', tokens)`` as an expression; a query
then recomputed the vector of every row it checked and again for ranking (about
1.4 ms a row, measured by benchmarks/web.py). A stored generated column holds it
once, kept up to date by PostgreSQL itself, with the GIN index on it. SQLite's FTS5
table needs nothing.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_public_search_tsv")
    op.execute("ALTER TABLE public_search ADD COLUMN tsv tsvector "
               "GENERATED ALWAYS AS (to_tsvector('simple', tokens)) STORED")
    op.execute("CREATE INDEX ix_public_search_tsv ON public_search USING gin (tsv)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_public_search_tsv")
    op.execute("ALTER TABLE public_search DROP COLUMN tsv")
    op.execute("CREATE INDEX ix_public_search_tsv ON public_search USING gin (to_tsvector('simple', tokens))")
