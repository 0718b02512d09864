"""What the public sees: the published version of each sheet.

An adjustment (调整) of a published sheet writes new versions while the public
must keep seeing the one that was published, until the adjustment is approved
and published in turn. ``published_version`` names that version (NULL: never
published) and ``published_at`` when it was published; the public portal, the
open-data exports and search read only those versions.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sheets") as batch:
        batch.add_column(sa.Column("published_version", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("published_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index("ix_sheets_published_version", ["published_version"])


def downgrade() -> None:
    with op.batch_alter_table("sheets") as batch:
        batch.drop_index("ix_sheets_published_version")
        batch.drop_column("published_at")
        batch.drop_column("published_version")
