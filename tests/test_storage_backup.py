"""``storage.backup``: a consistent copy while writers are busy, and the restore drill
of docs/storage.md, on SQLite and PostgreSQL."""
from __future__ import annotations

import copy
import shutil
import sqlite3
import subprocess
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from jixiao.errors import BackupFailed, DatabaseUnavailable
from jixiao.services import import_document, sheets
from jixiao.storage import make_engine, session_factory
from jixiao.storage.backup import backup
from jixiao.storage.models import AuditEvent, IndicatorRow, SheetRecord, SheetVersion

SEED = Path(__file__).parent / "data" / "seed.txt"


@pytest.fixture(scope="module")
def seed_sheet():
    return import_document(data=SEED.read_bytes(), name="seed.txt").sheet


def _consistent(url: str) -> dict:
    """Counts of a database, after checking that every sheet's current_version has its
    version row and its indicator rows (a torn copy would break this)."""
    engine = make_engine(url)
    try:
        with session_factory(engine)() as s:
            for record in s.scalars(select(SheetRecord)):
                versions = s.scalars(select(SheetVersion.version)
                                     .where(SheetVersion.sheet_id == record.id)).all()
                assert sorted(versions) == list(range(1, record.current_version + 1))
                rows = s.scalar(select(func.count()).select_from(IndicatorRow)
                                .where(IndicatorRow.sheet_id == record.id))
                assert rows == record.current_version * 49
            return {m.__tablename__: s.scalar(select(func.count()).select_from(m))
                    for m in (SheetRecord, SheetVersion, IndicatorRow, AuditEvent)}
    finally:
        engine.dispose()


def _busy_writer(org_tree, seed_sheet, sid: int, stop: threading.Event,
                 saved: threading.Event) -> threading.Thread:
    prep = org_tree.actors["prep_A1"]

    def run() -> None:
        doc = copy.deepcopy(seed_sheet)
        with org_tree.session() as s:
            version = 1
            while not stop.is_set():
                version = sheets.save_version(s, actor=prep, sheet_id=sid, document=doc,
                                              expected_version=version).info.version
                saved.set()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_backup_taken_during_saves_is_a_consistent_database(org_tree, seed_sheet, tmp_path,
                                                               request):
    assert len(seed_sheet.all_indicators()) == 49
    with org_tree.session() as s:
        sid = sheets.create_sheet(s, actor=org_tree.actors["prep_A1"], document=seed_sheet).info.id
    stop, saved = threading.Event(), threading.Event()
    writer = _busy_writer(org_tree, seed_sheet, sid, stop, saved)
    try:
        assert saved.wait(timeout=60)
        target = tmp_path / "备份" / "jixiao.backup"
        results = [backup(org_tree.db.url, target) for _ in range(3)]   # again over the old one
    finally:
        stop.set()
        writer.join(timeout=60)
    assert all(r.size > 0 for r in results) and target.exists()
    assert [p.name for p in target.parent.iterdir()] == ["jixiao.backup"]   # no temp file left
    live = _consistent(org_tree.db.url)
    if org_tree.db.backend == "sqlite":
        assert results[0].command is None
        restored_url = f"sqlite:///{target}"
        assert sqlite3.connect(target).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    else:
        assert "pg_dump --format=custom" in results[0].command
        assert "PGPASSWORD" not in results[0].command
        # The restore drill: a new database, pg_restore, then the app reads it.
        cluster = request.getfixturevalue("pg_cluster")
        cluster.drop_database("restored")
        restored_url = cluster.create_database("restored")
        request.addfinalizer(lambda: cluster.drop_database("restored"))
        done = subprocess.run(["pg_restore", "--no-owner", "--exit-on-error",
                               f"--dbname=postgresql://postgres@127.0.0.1:{cluster.port}/restored",
                               str(target)], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    copy_counts = _consistent(restored_url)
    assert 2 <= copy_counts["sheet_versions"] <= live["sheet_versions"]
    from jixiao.storage import current_revision, head_revision

    assert current_revision(restored_url) == head_revision()
    engine = make_engine(restored_url)
    try:
        with session_factory(engine)() as s:
            got = sheets.get_sheet(s, actor=org_tree.actors["fin"], sheet_id=sid)
            assert got.sheet == seed_sheet
    finally:
        engine.dispose()


def test_backup_refuses_a_missing_database_and_a_folder(tmp_path):
    with pytest.raises(DatabaseUnavailable, match="不存在"):
        backup(f"sqlite:///{tmp_path / 'nope.db'}", tmp_path / "b.db")
    assert not (tmp_path / "nope.db").exists()     # no empty database created by mistake
    (tmp_path / "dir").mkdir()
    with pytest.raises(BackupFailed, match="文件夹"):
        backup(f"sqlite:///{tmp_path / 'nope.db'}", tmp_path / "dir")


def test_a_backup_onto_the_database_itself_is_refused(tmp_path):
    path = tmp_path / "jixiao.db"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(BackupFailed, match="数据库文件本身"):
        backup(f"sqlite:///{path}", path)
    assert sqlite3.connect(path).execute("SELECT count(*) FROM t").fetchone() == (0,)


def test_without_pg_dump_the_message_names_the_package(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))      # a PATH with no pg_dump on it
    assert shutil.which("pg_dump") is None
    with pytest.raises(BackupFailed, match="apt-get install postgresql-client"):
        backup("postgresql+psycopg://app:secret@127.0.0.1:1/app", tmp_path / "x.dump")
    assert list(tmp_path.iterdir()) == []


def test_a_failing_pg_dump_leaves_nothing_and_hides_the_password(pg_cluster, tmp_path):
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump not installed")
    url = f"postgresql+psycopg://postgres:s3cret@127.0.0.1:{pg_cluster.port}/no_such_db"
    with pytest.raises(BackupFailed, match="pg_dump 失败") as e:
        backup(url, tmp_path / "x.dump")
    assert "s3cret" not in e.value.message
    assert list(tmp_path.iterdir()) == []
