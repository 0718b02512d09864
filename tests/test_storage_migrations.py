"""The Alembic migrations on both databases: from empty to head, down to base and up
again, and the models describe exactly what the migrations create."""
from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from jixiao.storage import current_revision, downgrade, head_revision, make_engine, upgrade
from jixiao.storage.models import SEARCH_INDEX_PG, SEARCH_INDEX_TABLES, SEARCH_VECTOR_PG, Base

TABLES = {"organisations", "users", "login_throttles", "api_tokens", "web_sessions", "sheets",
          "sheet_versions", "indicator_rows", "audit_events", "public_search", "monitoring_rounds",
          "monitoring_reports", "self_evaluations", "evaluation_scores"}


def _tables(url: str) -> set[str]:
    """The tables the migrations made, without SQLite's FTS5 index (not in the ORM's metadata)."""
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - set(SEARCH_INDEX_TABLES)
    finally:
        engine.dispose()


def _diff(url: str) -> list:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={
                "compare_type": True, "compare_server_default": True,
                # SQLite's FTS5 index lives outside the ORM's metadata (migration 0003).
                "include_name": lambda name, kind, parent: not (
                    (kind == "table" and name in SEARCH_INDEX_TABLES) or name == SEARCH_INDEX_PG
                    or (kind == "column" and name == SEARCH_VECTOR_PG))})
            return compare_metadata(ctx, Base.metadata)
    finally:
        engine.dispose()


def _run(url: str, statements: list[str]) -> None:
    """Plain SQL in one transaction: rows written at an older revision."""
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            for sql in statements:
                conn.execute(text(sql))
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


def test_upgrading_a_database_with_rows_keeps_them(empty_db_url):
    """Rows written at the first revision survive every later migration (a batch
    rebuild on SQLite must not lose or orphan them), and the services read them."""
    from jixiao.services import sheets
    from jixiao.services.accounts import actor_of
    from jixiao.storage import session_factory
    from jixiao.storage.models import User

    upgrade(empty_db_url, "0001")
    now = "2026-01-02 03:04:05"
    doc = '{"schema": "jixiao/sheet@1", "kind": "department", "year": 2025, "title": "旧表"}'
    statements = [
        "INSERT INTO organisations (id, name, kind, parent_id, seq, created_at) VALUES "
        f"(1, '财政局', 'finance', NULL, 1, '{now}'), (2, '大华镇', 'department', 1, 1, '{now}')",
        "INSERT INTO users (id, username, display_name, password_hash, role, org_id, active, "
        f"created_at, password_changed_at) VALUES (1, 'zhang', '', 'x', 'preparer', 2, TRUE, '{now}', '{now}')",
        "INSERT INTO sheets (id, kind, year, unit_org_id, title, state, current_version, created_at, "
        f"updated_at) VALUES (1, 'department', 2025, 2, '旧表', 'draft', 1, '{now}', '{now}')",
        "INSERT INTO sheet_versions (id, sheet_id, version, document, author_name, note, created_at) "
        f"VALUES (1, 1, 1, '{doc}', 'zhang', '', '{now}')",
        "INSERT INTO indicator_rows (id, version_id, sheet_id, version, seq, path, name) VALUES "
        "(1, 1, 1, 1, 1, 'indicators[0]', '满意度')",
        "INSERT INTO audit_events (id, at, actor_name, action, sheet_id, version, comment, detail) "
        f"VALUES (1, '{now}', 'zhang', 'create', 1, 1, '', '{{}}')",
    ]
    _run(empty_db_url, statements)
    assert upgrade(empty_db_url) == head_revision()
    assert _diff(empty_db_url) == []
    engine = make_engine(empty_db_url)
    try:
        with session_factory(engine)() as s:
            actor = actor_of(s.get(User, 1))
            got = sheets.get_sheet(s, actor=actor, sheet_id=1)
            assert (got.info.title, got.info.version, got.document["title"]) == ("旧表", 1, "旧表")
            assert [r.name for r in sheets.indicator_rows(s, actor=actor, sheet_id=1)] == ["满意度"]
        with engine.connect() as conn:
            counts = [conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in
                      ("organisations", "users", "sheets", "sheet_versions", "indicator_rows",
                       "audit_events")]
            assert counts == [2, 1, 1, 1, 1, 1]
    finally:
        engine.dispose()


def test_without_postgresql_binaries_the_postgresql_cases_skip_with_a_reason(repo_root, tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "JIXIAO_TEST_PG_BIN_GLOB": str(tmp_path / "no-such-postgresql" / "*")}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "-p", "no:xdist",
         "tests/test_storage_migrations.py::test_upgrade_from_empty_creates_every_table"],
        cwd=repo_root, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed, 1 skipped" in done.stdout, done.stdout
    assert "PostgreSQL server binaries not found" in done.stdout and "apt-get install postgresql" \
        in done.stdout


def test_0007_fills_the_published_header_fields_from_the_published_documents(empty_db_url):
    """A sheet published before 0007 gets its published version's year, 主管部门, title
    and kind beside its search text, not the newer draft's."""
    upgrade(empty_db_url, "0006")
    now = "2026-01-02 03:04:05"
    published = ('{"schema": "jixiao/sheet@1", "kind": "project", "year": 2025, "title": "公开的表", '
                 '"supervisor": "县教育局"}')
    adjusting = '{"schema": "jixiao/sheet@1", "kind": "project", "year": 2026, "title": "调整中的表"}'
    statements = [
        f"INSERT INTO organisations (id, name, kind, parent_id, seq, created_at) VALUES (1, '实验小学', 'unit', NULL, 1, '{now}')",
        "INSERT INTO sheets (id, kind, year, unit_org_id, title, state, current_version, created_at, updated_at, "
        f"published_version, published_at) VALUES (1, 'project', 2026, 1, '调整中的表', 'adjusting', 2, '{now}', "
        f"'{now}', 1, '{now}')",
        "INSERT INTO sheet_versions (id, sheet_id, version, document, author_name, note, created_at) VALUES "
        f"(1, 1, 1, '{published}', 'a', '', '{now}'), (2, 1, 2, '{adjusting}', 'a', '', '{now}')",
        f"INSERT INTO public_search (sheet_id, version, year, tokens, updated_at) VALUES (1, 1, 2025, '公开', '{now}')",
    ]
    _run(empty_db_url, statements)
    assert upgrade(empty_db_url) == head_revision()
    engine = make_engine(empty_db_url)
    try:
        with engine.connect() as conn:
            row = conn.execute(text("SELECT year, supervisor, title, kind FROM public_search")).one()
        assert tuple(row) == (2025, "县教育局", "公开的表", "project")
    finally:
        engine.dispose()
