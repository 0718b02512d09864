"""The Alembic migrations on both databases: from empty to head, down to base and up
again, and the models describe exactly what the migrations create."""
from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from jixiao.storage import current_revision, downgrade, head_revision, make_engine, upgrade
from jixiao.storage.models import Base

TABLES = {"organisations", "users", "login_throttles", "api_tokens", "web_sessions", "sheets",
          "sheet_versions", "indicator_rows", "audit_events"}


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _diff(url: str) -> list:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True,
                                                         "compare_server_default": True})
            return compare_metadata(ctx, Base.metadata)
    finally:
        engine.dispose()


def test_upgrade_from_empty_creates_every_table(empty_db_url):
    assert current_revision(empty_db_url) is None
    assert _tables(empty_db_url) == set()
    assert upgrade(empty_db_url) == head_revision()
    assert _tables(empty_db_url) == TABLES | {"alembic_version"}


def test_models_match_the_migrations(empty_db_url):
    upgrade(empty_db_url)
    assert _diff(empty_db_url) == []


def test_downgrade_to_base_and_upgrade_again(empty_db_url):
    upgrade(empty_db_url)
    assert downgrade(empty_db_url, "base") is None
    assert _tables(empty_db_url) <= {"alembic_version"}
    assert upgrade(empty_db_url) == head_revision()
    assert _tables(empty_db_url) == TABLES | {"alembic_version"}
    assert _diff(empty_db_url) == []


def test_upgrade_twice_is_a_no_op(db_url):
    assert upgrade(db_url) == head_revision()
    assert _tables(db_url) == TABLES | {"alembic_version"}


def test_metadata_knows_every_migrated_table():
    assert set(Base.metadata.tables) == TABLES


@pytest.mark.parametrize("table", ["sheet_versions", "audit_events"])
def test_history_tables_refuse_update_and_delete_in_the_database(db, table):
    # Even SQL that bypasses the ORM cannot rewrite history: the migration's triggers.
    from jixiao.storage.models import AuditEvent, Organisation, SheetRecord, SheetVersion

    with db.session() as s:
        org = Organisation(name="单位", kind="unit")
        s.add(org)
        s.flush()
        sheet = SheetRecord(kind="department", unit_org_id=org.id, current_version=1)
        s.add(sheet)
        s.flush()
        s.add(SheetVersion(sheet_id=sheet.id, version=1, document={"schema": "jixiao/sheet@1"}))
        s.add(AuditEvent(actor_name="测试", action="create", sheet_id=sheet.id, version=1))
        s.commit()
    for sql in (f"UPDATE {table} SET id = id + 100", f"DELETE FROM {table}"):
        with db.engine.connect() as conn, pytest.raises(Exception, match="immutable"):
            conn.execute(text(sql))
    with db.engine.connect() as conn:
        assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 1
