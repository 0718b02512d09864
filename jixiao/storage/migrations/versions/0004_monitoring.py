"""Monitoring rounds (运行监控) and the units' reports in them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "monitoring_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=50), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("opened_by_id", sa.Integer(), nullable=True),
        sa.Column("opened_at", TS, nullable=False),
        sa.Column("closed_at", TS, nullable=True),
        sa.ForeignKeyConstraint(["opened_by_id"], ["users.id"], name="fk_monitoring_rounds_opened_by_id_users",
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_monitoring_rounds"),
        sa.UniqueConstraint("year", "label", name="uq_monitoring_rounds_year_label"),
    )
    op.create_index("ix_monitoring_rounds_year", "monitoring_rounds", ["year"])
    op.create_table(
        "monitoring_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("sheet_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("entries", sa.JSON(), nullable=False),
        sa.Column("budget", sa.Double(), nullable=True),
        sa.Column("executed", sa.Double(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("correction", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", TS, nullable=False),
        sa.CheckConstraint("state IN ('draft', 'submitted', 'correction', 'answered')",
                           name="ck_monitoring_reports_state"),
        sa.ForeignKeyConstraint(["round_id"], ["monitoring_rounds.id"],
                                name="fk_monitoring_reports_round_id_monitoring_rounds", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["sheet_id"], ["sheets.id"], name="fk_monitoring_reports_sheet_id_sheets",
                                ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"], name="fk_monitoring_reports_updated_by_id_users",
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_monitoring_reports"),
        sa.UniqueConstraint("round_id", "sheet_id", name="uq_monitoring_reports_round_id_sheet_id"),
    )
    op.create_index("ix_monitoring_reports_sheet_id", "monitoring_reports", ["sheet_id"])


def downgrade() -> None:
    op.drop_index("ix_monitoring_reports_sheet_id", table_name="monitoring_reports")
    op.drop_table("monitoring_reports")
    op.drop_index("ix_monitoring_rounds_year", table_name="monitoring_rounds")
    op.drop_table("monitoring_rounds")
