"""Full-text search over published sheets, on both databases.

``public_search`` holds, per published sheet, its searchable text as character
bigrams separated by spaces (Chinese has no spaces between words; bigrams make
any two-character substring findable, services/search.py). The index over it is
each database's own: SQLite gets an FTS5 table ``public_search_fts`` whose rowid
is the sheet id (a phrase query of the query's bigrams finds the substring);
PostgreSQL a GIN index on ``to_tsvector('simple', tokens)`` (``phraseto_tsquery``
does the same). Neither needs an extension.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "public_search",
        sa.Column("sheet_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("tokens", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["sheet_id"], ["sheets.id"], name="fk_public_search_sheet_id_sheets",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("sheet_id", name="pk_public_search"),
    )
    op.create_index("ix_public_search_year", "public_search", ["year"])
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE public_search_fts USING fts5(tokens, tokenize='unicode61')")
    else:
        op.execute("CREATE INDEX ix_public_search_tsv ON public_search USING gin (to_tsvector('simple', tokens))")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS public_search_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_public_search_tsv")
    op.drop_index("ix_public_search_year", table_name="public_search")
    op.drop_table("public_search")
