"""A sheet's page data (services.sheet_view) on SQLite and PostgreSQL: one read of
the newest version with its versions, open comments and findings; visibility as
``policy.can``; what follows from a version computed once per version."""
from __future__ import annotations

import copy

import pytest
from sheet_fixtures import submittable
from sqlalchemy import event

from jixiao.errors import NotFound
from jixiao.services import sheets, workflow
from jixiao.services.sheet_view import sheet_view


@pytest.fixture(scope="module")
def document(seed_gold) -> dict:
    return submittable(seed_gold)


def _draft(tree, document: dict) -> int:
    with tree.session() as s:
        return sheets.create_sheet(s, actor=tree.actors["prep_A1"], document=document).info.id


def _view(tree, who: str, sheet_id: int):
    with tree.session() as s:
        return sheet_view(s, actor=tree.actors[who], sheet_id=sheet_id)


def _statements(tree, run) -> list[str]:
    """The SQL statements ``run`` sends (BEGIN and COMMIT left out)."""
    seen: list[str] = []

    def listen(conn, cursor, statement, *args):
        if statement.split()[0].upper() not in ("BEGIN", "COMMIT"):
            seen.append(statement)

    event.listen(tree.db.engine, "before_cursor_execute", listen)
    try:
        run()
    finally:
        event.remove(tree.db.engine, "before_cursor_execute", listen)
    return seen


def test_the_view_is_the_newest_version_with_its_versions_and_findings(org_tree, document):
    sid = _draft(org_tree, document)
    changed = copy.deepcopy(document)
    changed["goals"] = ["第二版的目标"]
    with org_tree.session() as s:
        sheets.save_version(s, actor=org_tree.actors["prep_A1"], sheet_id=sid, document=changed,
                            expected_version=1)
    view = _view(org_tree, "prep_A1", sid)
    assert (view.info.id, view.info.version, view.version.version) == (sid, 2, 2)
    assert [v.version for v in view.versions] == [1, 2]
    assert view.sheet.goals == ["第二版的目标"]
    assert view.report.findings is not None and view.open_comments == []
    assert (view.info.unit, view.info.unit_org_id, view.info.unit_parent_id) == ("单位A1", org_tree.orgs["A1"],
                                                                                org_tree.orgs["A"])


@pytest.mark.parametrize("who", ["prep_A2", "rev_B", "prep_B1"])
def test_who_may_not_see_the_sheet_gets_not_found(org_tree, document, who):
    sid = _draft(org_tree, document)
    with pytest.raises(NotFound):
        _view(org_tree, who, sid)
    with pytest.raises(NotFound):
        _view(org_tree, "prep_A1", sid + 10_000)


def test_open_comments_are_those_since_the_last_submit(org_tree, document):
    sid = _draft(org_tree, document)
    with org_tree.session() as s:
        workflow.perform_action(s, actor=org_tree.actors["prep_A1"], sheet_id=sid, action="submit")
    with org_tree.session() as s:
        workflow.perform_action(s, actor=org_tree.actors["rev_A"], sheet_id=sid, action="return",
                                comment="请细化", comments=[{"where": "functions[0].indicators[1]", "text": "无依据"}])
    view = _view(org_tree, "prep_A1", sid)
    assert [(e.action, e.comment) for e in view.open_comments] == [("return", "请细化")]
    assert [(c.where, c.text) for c in view.open_comments[0].comments] == [("functions[0].indicators[1]", "无依据")]
    with org_tree.session() as s:
        workflow.perform_action(s, actor=org_tree.actors["prep_A1"], sheet_id=sid, action="submit")
    assert _view(org_tree, "rev_A", sid).open_comments == []


def test_a_versions_document_is_read_and_checked_once(org_tree, document, monkeypatch):
    sid = _draft(org_tree, document)
    checks = []
    import jixiao.services.authoring as authoring

    real = authoring.check_document
    monkeypatch.setattr(authoring, "check_document", lambda **kw: checks.append(1) or real(**kw))
    first = _statements(org_tree, lambda: _view(org_tree, "prep_A1", sid))
    again = _statements(org_tree, lambda: _view(org_tree, "rev_A", sid))
    reads_document = [q for q in first if "document" in q.split("FROM")[0]]
    assert len(reads_document) == 1
    assert not [q for q in again if "document" in q.split("FROM")[0]] and len(again) == len(first) - 1
    assert len(checks) == 1
