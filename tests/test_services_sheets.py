"""Stored sheets: versions, indicator rows, audit events, optimistic locking and
visibility — on SQLite and PostgreSQL."""
from __future__ import annotations

import copy
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from jixiao.errors import Forbidden, InvalidSheetJson, NotFound, StateConflict, VersionConflict
from jixiao.model.codec import sheet_to_dict
from jixiao.services import import_document, sheets
from jixiao.services.policy import SheetRef, can
from jixiao.storage.models import AuditEvent, HistoryIsImmutable, IndicatorRow, SheetRecord, SheetVersion

SEED = Path(__file__).parent / "data" / "seed.txt"


@pytest.fixture(scope="module")
def seed_sheet():
    return import_document(data=SEED.read_bytes(), name="seed.txt").sheet


def _counts(s):
    """Versions, indicator rows, and sheet events (org_tree's org events aside)."""
    return (s.scalar(select(func.count()).select_from(SheetVersion)),
            s.scalar(select(func.count()).select_from(IndicatorRow)),
            s.scalar(select(func.count()).select_from(AuditEvent)
                     .where(AuditEvent.sheet_id.is_not(None))))


def test_create_stores_version_1_with_its_indicator_rows_and_an_event(org_tree, seed_sheet):
    with org_tree.session() as s:
        made = sheets.create_sheet(s, actor=org_tree.actors["prep_A1"], document=seed_sheet,
                                   note="导入 seed.txt")
        assert (made.info.state, made.info.version, made.info.unit) == ("draft", 1, "单位A1")
        assert (made.info.year, made.info.kind) == (2024, "department")
        assert made.version.author == "prep_A1"
    with org_tree.session() as s:   # read back in a fresh session: what the database holds
        got = sheets.get_sheet(s, actor=org_tree.actors["prep_A1"], sheet_id=made.info.id)
        assert got.sheet == seed_sheet and got.document == sheet_to_dict(seed_sheet)
        rows = sheets.indicator_rows(s, actor=org_tree.actors["prep_A1"], sheet_id=made.info.id)
        expected = seed_sheet.all_indicators()
        assert [r.seq for r in rows] == list(range(1, len(expected) + 1))
        for row, (path, ind) in zip(rows, expected):
            assert (row.path, row.level1, row.level2, row.name) == \
                (path, ind.level1, ind.level2, ind.name)
            t = ind.target
            assert (row.target_text, row.op, row.value, row.unit, row.target_kind) == \
                ((t.text, t.op, t.value, t.unit, t.kind) if t else (None,) * 5)
        assert rows[0].function_label == seed_sheet.functions[0].label
        event = s.scalars(select(AuditEvent).where(AuditEvent.sheet_id == made.info.id)).one()
        assert (event.action, event.version, event.actor_name, event.comment) == \
            ("create", 1, "prep_A1", "导入 seed.txt")


def test_only_a_preparer_creates_and_only_in_their_own_org(org_tree, seed_sheet):
    with org_tree.session() as s:
        for who in ("rev_A", "fin", "admin"):
            with pytest.raises(Forbidden):
                sheets.create_sheet(s, actor=org_tree.actors[who], document=seed_sheet)
        made = sheets.create_sheet(s, actor=org_tree.actors["prep_A"], document=seed_sheet)
        assert made.info.unit == "部门A"     # a department's own sheet
        assert _counts(s) == (1, len(seed_sheet.all_indicators()), 1)


def test_a_document_breaking_the_contract_is_refused(org_tree):
    with org_tree.session() as s:
        with pytest.raises(InvalidSheetJson, match="year"):
            sheets.create_sheet(s, actor=org_tree.actors["prep_A1"],
                                document={"schema": "jixiao/sheet@1", "year": "明年"})
        assert _counts(s) == (0, 0, 0)


def test_saves_make_consecutive_versions_and_a_stale_base_conflicts(org_tree, seed_sheet):
    prep = org_tree.actors["prep_A1"]
    with org_tree.session() as s:
        sid = sheets.create_sheet(s, actor=prep, document=seed_sheet).info.id
        edited = copy.deepcopy(seed_sheet)
        edited.goals.append("新增的年度目标")
        edited.functions[0].indicators.pop()
        v2 = sheets.save_version(s, actor=prep, sheet_id=sid, document=edited, expected_version=1,
                                 note="删去一个指标")
        assert v2.info.version == 2 and v2.version.note == "删去一个指标"
        before = _counts(s)
        for stale in (1, None, 3):
            with pytest.raises(VersionConflict) as e:
                sheets.save_version(s, actor=prep, sheet_id=sid, document=seed_sheet,
                                    expected_version=stale)
            assert (e.value.current, e.value.expected, e.value.sheet_id) == (2, stale, sid)
        assert _counts(s) == before   # nothing written by a refused save
        assert [v.version for v in sheets.list_versions(s, actor=prep, sheet_id=sid)] == [1, 2]
        assert sheets.get_version(s, actor=prep, sheet_id=sid, version=1).sheet == seed_sheet
        assert sheets.get_sheet(s, actor=prep, sheet_id=sid).sheet == edited
        n2 = len(edited.all_indicators())
        assert len(sheets.indicator_rows(s, actor=prep, sheet_id=sid)) == n2
        assert len(sheets.indicator_rows(s, actor=prep, sheet_id=sid, version=1)) == n2 + 1
        with pytest.raises(NotFound):
            sheets.get_version(s, actor=prep, sheet_id=sid, version=9)


def test_the_unique_version_is_the_last_line_of_defence(org_tree, seed_sheet):
    # A writer that skipped the comparison (simulated by inserting version 2 directly,
    # without moving current_version) cannot make a second version 2.
    prep = org_tree.actors["prep_A1"]
    with org_tree.session() as s:
        sid = sheets.create_sheet(s, actor=prep, document=seed_sheet).info.id
        s.add(SheetVersion(sheet_id=sid, version=2, document={"schema": "jixiao/sheet@1"},
                           author_name="别人"))
        s.commit()
        with pytest.raises(VersionConflict) as e:
            sheets.save_version(s, actor=prep, sheet_id=sid, document=seed_sheet, expected_version=1)
        assert e.value.current == 2
        assert s.scalar(select(func.count()).select_from(SheetVersion)) == 2
        assert _counts(s)[2] == 1


def test_who_may_save_and_what_an_outsider_sees(org_tree, seed_sheet):
    with org_tree.session() as s:
        sid = sheets.create_sheet(s, actor=org_tree.actors["prep_A1"], document=seed_sheet).info.id
        # Not visible: answered like a sheet that does not exist.
        for who in ("prep_A2", "prep_B1", "rev_B"):
            with pytest.raises(NotFound):
                sheets.get_sheet(s, actor=org_tree.actors[who], sheet_id=sid)
            with pytest.raises(NotFound):
                sheets.save_version(s, actor=org_tree.actors[who], sheet_id=sid,
                                    document=seed_sheet, expected_version=1)
        with pytest.raises(NotFound):
            sheets.get_sheet(s, actor=None, sheet_id=sid)
        with pytest.raises(NotFound):
            sheets.get_sheet(s, actor=org_tree.actors["prep_A1"], sheet_id=sid + 1000)
        # Visible but not theirs to edit.
        for who in ("rev_A", "fin", "admin"):
            assert sheets.get_sheet(s, actor=org_tree.actors[who], sheet_id=sid).info.id == sid
            with pytest.raises(Forbidden):
                sheets.save_version(s, actor=org_tree.actors[who], sheet_id=sid,
                                    document=seed_sheet, expected_version=1)


@pytest.mark.parametrize("state, editable", [("draft", True), ("returned", True),
                                             ("adjusting", True), ("submitted", False),
                                             ("dept_passed", False), ("approved", False),
                                             ("published", False)])
def test_only_draft_returned_and_adjusting_sheets_take_a_save(org_tree, seed_sheet, state, editable):
    prep = org_tree.actors["prep_A1"]
    with org_tree.session() as s:
        sid = sheets.create_sheet(s, actor=prep, document=seed_sheet).info.id
        s.get(SheetRecord, sid).state = state
        s.commit()
        if editable:
            assert sheets.save_version(s, actor=prep, sheet_id=sid, document=seed_sheet,
                                       expected_version=1).info.version == 2
        else:
            with pytest.raises(StateConflict, match="不能修改"):
                sheets.save_version(s, actor=prep, sheet_id=sid, document=seed_sheet,
                                    expected_version=1)


def test_published_sheets_are_visible_to_everyone(org_tree, seed_sheet):
    with org_tree.session() as s:
        sid = sheets.create_sheet(s, actor=org_tree.actors["prep_B1"], document=seed_sheet).info.id
        s.get(SheetRecord, sid).state = "published"
        s.commit()
        for actor in [None, *org_tree.actors.values()]:
            assert sheets.get_sheet(s, actor=actor, sheet_id=sid).info.state == "published"


def test_lists_show_exactly_what_can_view_allows(org_tree, seed_sheet):
    with org_tree.session() as s:
        ids = {}
        for who in ("prep_A1", "prep_A2", "prep_A", "prep_B1"):
            ids[who] = sheets.create_sheet(s, actor=org_tree.actors[who], document=seed_sheet).info.id
        s.get(SheetRecord, ids["prep_B1"]).state = "published"
        s.commit()
        records = s.scalars(select(SheetRecord)).all()
        for name, actor in [("anon", None), *org_tree.actors.items()]:
            expected = {r.id for r in records
                        if can(actor, "view", SheetRef(r.unit_org_id, r.unit_org.parent_id, r.state))}
            items, total = sheets.list_sheets(s, actor=actor)
            assert {i.id for i in items} == expected and total == len(expected), name
        items, total = sheets.list_sheets(s, actor=org_tree.actors["fin"], limit=2, offset=1)
        assert (len(items), total) == (2, 4)
        items, _ = sheets.list_sheets(s, actor=org_tree.actors["fin"], unit_org_id=org_tree.orgs["A2"])
        assert [i.id for i in items] == [ids["prep_A2"]]
        assert sheets.list_sheets(s, actor=org_tree.actors["fin"], year=2023) == ([], 0)
        assert sheets.list_sheets(s, actor=org_tree.actors["fin"], state="published")[1] == 1


def test_saved_versions_and_events_cannot_be_changed_through_the_orm(org_tree, seed_sheet):
    with org_tree.session() as s:
        sid = sheets.create_sheet(s, actor=org_tree.actors["prep_A1"], document=seed_sheet).info.id
        version = s.scalars(select(SheetVersion).where(SheetVersion.sheet_id == sid)).one()
        version.note = "改写历史"
        with pytest.raises(HistoryIsImmutable):
            s.flush()
        s.rollback()
        s.delete(s.scalars(select(AuditEvent).where(AuditEvent.sheet_id == sid)).one())
        with pytest.raises(HistoryIsImmutable):
            s.flush()

# ----------------------------------------------------------------------- concurrency


def _race(org_tree, seed_sheet, *, threads: int, retry: bool):
    """``threads`` writers at once, each reading the current version and saving on it
    (and, with ``retry``, reading again after a conflict until its save lands)."""
    from jixiao.storage import make_engine, session_factory

    prep = org_tree.actors["prep_A1"]
    with org_tree.session() as s:
        sid = sheets.create_sheet(s, actor=prep, document=seed_sheet).info.id
    engine = make_engine(org_tree.db.url, pool_size=threads, max_overflow=0)
    Session = session_factory(engine)
    barrier = threading.Barrier(threads)
    results: dict[int, list] = {i: [] for i in range(threads)}

    def writer(i: int) -> None:
        doc = copy.deepcopy(seed_sheet)
        doc.goals.append(f"写入者 {i}")
        with Session() as s:
            base = sheets.get_sheet(s, actor=prep, sheet_id=sid).info.version
            barrier.wait()
            while True:
                try:
                    saved = sheets.save_version(s, actor=prep, sheet_id=sid, document=doc,
                                                expected_version=base, note=f"写入者 {i}")
                    results[i].append(("saved", saved.info.version))
                    return
                except VersionConflict as e:
                    results[i].append(("conflict", e.current))
                    if not retry:
                        return
                    base = e.current

    start = time.perf_counter()
    pool = [threading.Thread(target=writer, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(timeout=120)
    elapsed = time.perf_counter() - start
    engine.dispose()
    assert not any(t.is_alive() for t in pool)
    return sid, results, elapsed


def test_twenty_concurrent_saves_on_one_base_give_one_version_and_clean_conflicts(
        org_tree, seed_sheet):
    sid, results, elapsed = _race(org_tree, seed_sheet, threads=20, retry=False)
    outcomes = [r for rs in results.values() for r in rs]
    assert outcomes.count(("saved", 2)) == 1
    assert outcomes.count(("conflict", 2)) == 19
    with org_tree.session() as s:
        versions = s.scalars(select(SheetVersion.version).where(SheetVersion.sheet_id == sid)
                             .order_by(SheetVersion.version)).all()
        assert versions == [1, 2]
        assert s.get(SheetRecord, sid).current_version == 2
    print(f"\n[{org_tree.db.backend}] 20 writers on one base: 1 saved, 19 conflicts, {elapsed:.2f} s")


def test_twenty_concurrent_writers_with_correct_bases_lose_and_duplicate_nothing(
        org_tree, seed_sheet):
    sid, results, elapsed = _race(org_tree, seed_sheet, threads=20, retry=True)
    saved = {i: rs[-1][1] for i, rs in results.items()}
    assert all(rs[-1][0] == "saved" for rs in results.values())
    assert sorted(saved.values()) == list(range(2, 22))     # consecutive, none twice
    conflicts = sum(len(rs) - 1 for rs in results.values())
    with org_tree.session() as s:
        rows = s.scalars(select(SheetVersion).where(SheetVersion.sheet_id == sid)
                         .order_by(SheetVersion.version)).all()
        assert [v.version for v in rows] == list(range(1, 22))
        # Every writer's document is the version it was told it got: nothing lost.
        for i, number in saved.items():
            assert rows[number - 1].document["goals"][-1] == f"写入者 {i}"
            assert rows[number - 1].note == f"写入者 {i}"
        assert s.get(SheetRecord, sid).current_version == 21
        per_version = dict(s.execute(select(IndicatorRow.version, func.count())
                                     .where(IndicatorRow.sheet_id == sid)
                                     .group_by(IndicatorRow.version)).all())
        assert per_version == {n: len(seed_sheet.all_indicators()) for n in range(1, 22)}
        events = s.scalars(select(AuditEvent.version).where(AuditEvent.sheet_id == sid)
                           .order_by(AuditEvent.id)).all()
        assert events == list(range(1, 22))
    print(f"\n[{org_tree.db.backend}] 20 writers retrying: versions 2-21, {conflicts} conflicts "
          f"on the way, {elapsed:.2f} s")
