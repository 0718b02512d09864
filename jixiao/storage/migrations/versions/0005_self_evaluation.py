"""Self-evaluations (单位自评) of approved sheets and every score given in them.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "self_evaluations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sheet_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", TS, nullable=False),
        sa.CheckConstraint("state IN ('draft', 'submitted', 'checked', 'spot_checked')",
                           name="ck_self_evaluations_state"),
        sa.ForeignKeyConstraint(["sheet_id"], ["sheets.id"], name="fk_self_evaluations_sheet_id_sheets",
                                ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"], name="fk_self_evaluations_updated_by_id_users",
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_self_evaluations"),
        sa.UniqueConstraint("sheet_id", name="uq_self_evaluations_sheet_id"),
    )
    op.create_table(
        "evaluation_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("where", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor_name", sa.String(length=100), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.ForeignKeyConstraint(["evaluation_id"], ["self_evaluations.id"],
                                name="fk_evaluation_scores_evaluation_id_self_evaluations", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_evaluation_scores"),
    )
    op.create_index("ix_evaluation_scores_evaluation_id_where", "evaluation_scores", ["evaluation_id", "where"])


def downgrade() -> None:
    op.drop_index("ix_evaluation_scores_evaluation_id_where", table_name="evaluation_scores")
    op.drop_table("evaluation_scores")
    op.drop_table("self_evaluations")
