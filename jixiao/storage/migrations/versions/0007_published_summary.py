"""The header fields of each published version beside its search text.

Public lists and search answers showed each sheet's year, 主管部门, title and kind by
reading them out of the published version's JSON document (JSON paths in SQL), and
the whole-year export chose its sheets by the year inside those documents. Both
databases parse the whole document text for every such read — on PostgreSQL about
60 ms of database time per search answer, and an export that parsed every version's
document once per batch (benchmarks/web.py). ``public_search`` already holds one row
per published sheet, written at each ``publish`` with the published version's year;
it now holds the other header fields too, and lists never open a document.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""
from __future__ import annotations

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = (("supervisor", sa.String(200)), ("title", sa.String(500)), ("kind", sa.String(20)))


def upgrade() -> None:
    with op.batch_alter_table("public_search") as batch:
        for name, type_ in _COLUMNS:
            batch.add_column(sa.Column(name, type_, nullable=True))
    # The rows of sheets published before this migration: from their published documents.
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT p.sheet_id, v.document FROM public_search p JOIN sheet_versions v "
        "ON v.sheet_id = p.sheet_id AND v.version = p.version")).all()
    for sheet_id, document in rows:
        doc = json.loads(document) if isinstance(document, str) else (document or {})
        bind.execute(sa.text("UPDATE public_search SET supervisor = :s, title = :t, kind = :k "
                             "WHERE sheet_id = :id"),
                     {"s": _text(doc.get("supervisor"), 200), "t": _text(doc.get("title"), 500) or "",
                      "k": _text(doc.get("kind"), 20) or "department", "id": sheet_id})


def _text(value: object, limit: int) -> str | None:
    return str(value)[:limit] if isinstance(value, str) and value else None


def downgrade() -> None:
    with op.batch_alter_table("public_search") as batch:
        for name, _ in reversed(_COLUMNS):
            batch.drop_column(name)
