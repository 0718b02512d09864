"""Self-evaluation of stored approved sheets, on SQLite and PostgreSQL: bound to the
approved indicators, recomputed, claims only with reasons, checked, rescored, every
score kept; the 自评表 renders with both scores."""
from __future__ import annotations

import copy
import io

import openpyxl
import pytest
from sheet_fixtures import approved, road_project

from jixiao.errors import Forbidden, InvalidRequest, NotFound, StateConflict
from jixiao.services import render_document, sheets
from jixiao.services import self_evaluation as se


@pytest.fixture(scope="module")
def project() -> dict:
    """A small project sheet with weights (the engine needs them to score)."""
    return road_project()


def test_a_self_evaluation_from_start_to_a_finance_rescore(org_tree, project):
    sid = approved(org_tree, project)
    a = org_tree.actors
    with org_tree.session() as s:
        with pytest.raises(Forbidden):
            se.start(s, actor=a["rev_A"], sheet_id=sid)
        view = se.start(s, actor=a["prep_A1"], sheet_id=sid)
    assert view.state == "draft" and view.sheet.stage == "self_evaluation" and "自评表" in view.sheet.title
    entries = [{"where": "indicators[0]", "actual": "110公里", "claimed": "30"},
               {"where": "indicators[1]", "actual": "96%"}]
    with org_tree.session() as s, pytest.raises(InvalidRequest, match="请填写理由"):
        se.save(s, actor=a["prep_A1"], sheet_id=sid, entries=entries)   # 110/120 × 30 = 27.5, not 30
    with org_tree.session() as s, pytest.raises(InvalidRequest, match="不能增减指标"):
        se.save(s, actor=a["prep_A1"], sheet_id=sid, entries=[{"where": "indicators[9]", "actual": "1"}])
    entries[0]["reason"] = "另有 15 公里应急抢修未计入"
    with org_tree.session() as s:
        view = se.save(s, actor=a["prep_A1"], sheet_id=sid, entries=entries, budget=100, executed=96, submit=True)
    first = next(i for i in view.score.indicators if i.where == "indicators[0]")
    assert view.state == "submitted" and first.claimed == 30 and first.recomputed == pytest.approx(27.5)
    assert "110" in first.derivation and "120" in first.derivation
    kinds = {(h.where, h.kind) for h in view.history}
    assert ("indicators[0]", "claimed") in kinds and ("indicators[0]", "recomputed") in kinds and ("", "recomputed") in kinds
    with org_tree.session() as s, pytest.raises(StateConflict):
        se.save(s, actor=a["prep_A1"], sheet_id=sid, entries=entries)
    with org_tree.session() as s:
        assert se.check(s, actor=a["rev_A"], sheet_id=sid, comment="核实无误").state == "checked"
    with org_tree.session() as s, pytest.raises(InvalidRequest):
        se.rescore(s, actor=a["fin"], sheet_id=sid, where="indicators[0]", score=27.5, reason="")
    with org_tree.session() as s:
        view = se.rescore(s, actor=a["fin"], sheet_id=sid, where="indicators[0]", score=27.5,
                          reason="应急抢修不属本项目")
    assert view.state == "spot_checked" and view.reviewed("indicators[0]").score == 27.5
    assert view.reviewed("indicators[0]").actor == "fin"
    data = render_document(sheet=view.sheet, format="xlsx")
    cells = [str(c.value) for row in openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows() for c in row
             if c.value is not None]
    assert "自评表" in cells[0] and "得分" in cells and "复核得分" in cells and "27.5" in cells and "30" in cells


def test_only_approved_sheets_and_only_their_reviewers(org_tree, project):
    with org_tree.session() as s:
        draft = sheets.create_sheet(s, actor=org_tree.actors["prep_A1"], document=copy.deepcopy(project)).info.id
    with org_tree.session() as s, pytest.raises(StateConflict):
        se.start(s, actor=org_tree.actors["prep_A1"], sheet_id=draft)
    sid = approved(org_tree, project)
    with org_tree.session() as s:
        se.start(s, actor=org_tree.actors["prep_A1"], sheet_id=sid)
        se.save(s, actor=org_tree.actors["prep_A1"], sheet_id=sid, entries=[], submit=True)
    with org_tree.session() as s, pytest.raises(NotFound):      # another department does not even see it
        se.check(s, actor=org_tree.actors["rev_B"], sheet_id=sid)
    with org_tree.session() as s, pytest.raises(Forbidden):
        se.rescore(s, actor=org_tree.actors["prep_A1"], sheet_id=sid, where="indicators[0]", score=1, reason="x")
