"""Round trip of the 自评表 and the 执行监控表 (issue 15, deliverable 4): a
self-evaluation-stage and a monitoring-stage sheet, department and project, rendered
in every format and imported back — the stage, the actuals, the claimed scores, the
deviation explanations and the budget execution survive, and the whole form
(``build_view``: every cell and optional column, and the 自评表's chart data) is the
same. The comparison is ``benchmarks/round_trip.py``'s."""
from __future__ import annotations

import copy
import json
import sys
from functools import cache
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from round_trip import round_trip  # noqa: E402

from jixiao.importers import import_bytes  # noqa: E402
from jixiao.model.codec import sheet_from_dict  # noqa: E402
from jixiao.model.sheet import Sheet  # noqa: E402
from jixiao.render import FORMATS, render  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

PROJECT = {
    "schema": "jixiao/sheet@1", "kind": "project", "stage": "self_evaluation", "title": "2024年项目支出绩效自评表",
    "year": 2024, "unit": "单位A1", "project": "农村道路养护", "goals": ["养护农村道路 120 公里"],
    "funds": {"budget": 100, "executed": 95}, "functions": [], "diagnostics": [], "extra": {}, "indicators": [
        {"level1": "产出指标", "level2": "数量指标", "name": "养护道路里程", "target": "≥120公里", "weight": 30,
         "actual": "110公里", "score": 27.5, "explanation": "15 公里因汛期顺延至次年"},
        {"level1": "产出指标", "level2": "质量指标", "name": "路面完好率", "target": "≥95%", "weight": 20,
         "actual": "96%", "score": 20},
        {"level1": "效益指标", "level2": "社会效益指标", "name": "群众出行条件改善", "target": "明显改善", "weight": 30,
         "actual": "明显改善", "score": 30},
        {"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "群众满意度", "target": "≥90%", "weight": 10,
         "actual": "85%", "score": 9.44, "explanation": "问卷回收偏少, 下年改为入户调查"}]}


def _department() -> dict:
    """The seed (a department sheet of 49 indicators in 4 functions) as a self-evaluation:
    every indicator weighted 1.5, actuals the target's number or words, claimed scores,
    a deviation explanation on every fifth."""
    doc = json.loads((ROOT / "tests/data/seed.gold.json").read_text(encoding="utf-8"))
    doc["stage"], doc["title"] = "self_evaluation", "2024年部门整体支出绩效自评表"
    doc["funds"] = {"budget": 1200.0, "executed": 1100.0}
    k = 0
    for f in doc["functions"]:
        for ind in f["indicators"]:
            text = (ind["target"] or {}).get("text") or "完成"
            ind["weight"] = 1.5
            ind["actual"] = text.lstrip("≥≤=<>") or "完成"
            ind["score"] = 1.5 if k % 3 else 1.2
            if k % 5 == 0:
                ind["explanation"] = f"第{k}项: 资金下达较晚"
            k += 1
    return doc


def _monitoring(doc: dict, title: str) -> dict:
    """A monitoring-stage sheet: the value so far as the actual, no scores yet."""
    out = copy.deepcopy(doc)
    out["stage"], out["title"] = "monitoring", title
    for ind in [i for f in out["functions"] for i in f["indicators"]] + out["indicators"]:
        ind.pop("score", None)
    return out


SHEETS = {
    "project-self_evaluation": PROJECT,
    "department-self_evaluation": _department(),
    "project-monitoring": _monitoring(PROJECT, "2024年项目支出绩效目标执行监控表"),
    "department-monitoring": _monitoring(_department(), "2024年部门整体支出绩效目标执行监控表"),
}


@cache
def sheet_of(name: str) -> Sheet:
    return sheet_from_dict(copy.deepcopy(SHEETS[name]))


def _fields(sheet: Sheet) -> list[tuple]:
    return [(w, i.name, i.actual.text if i.actual else None, i.score, i.weight, i.explanation)
            for w, i in sheet.all_indicators()]


def _skip_without_pdf(fmt: str) -> None:
    if fmt == "pdf":
        try:
            import weasyprint  # noqa: F401
        except (OSError, ImportError) as e:
            pytest.skip(f"WeasyPrint cannot load: {e}")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", list(SHEETS))
def test_stage_sheets_survive_the_round_trip(name, fmt):
    _skip_without_pdf(fmt)
    sheet = sheet_of(name)
    res = round_trip(name, sheet, fmt)
    assert res.error is None, res.error
    assert res.f1 == 1.0, res.indicators
    assert res.header is None, res.header
    assert res.view is None, res.view
    back = import_bytes(render(sheet, fmt), path=f"{name}.{fmt}")
    assert back.stage == sheet.stage and back.funds == sheet.funds
    assert _fields(back) == _fields(sheet)
    if sheet.stage == "self_evaluation":
        assert any(i.score for _, i in back.all_indicators()) and any(i.explanation for _, i in back.all_indicators())


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_reviewed_self_evaluation_keeps_both_scores(fmt):
    _skip_without_pdf(fmt)
    doc = copy.deepcopy(PROJECT)
    doc["indicators"][0].update(score=30, reviewed_score=27.5, claim_reason="应急抢修另计 15 公里")
    sheet = sheet_from_dict(doc)
    back = import_bytes(render(sheet, fmt), path=f"reviewed.{fmt}")
    first = back.indicators[0]
    assert (first.score, first.extra.get("reviewed_score")) == (30, 27.5)


def _reported() -> Sheet:
    """A 执行监控表 as a round's report makes it (``services.monitoring.report_sheet``):
    the value so far as the actual, the expected full-year value, causes, likelihood, note."""
    doc = copy.deepcopy(SHEETS["project-monitoring"])
    doc["title"] = "2024年项目支出绩效目标执行监控表 (1–6月)"
    for k, ind in enumerate(doc["indicators"]):
        ind.update(expected=ind["target"].lstrip("≥"), likelihood="有可能" if k % 2 else "确定能")
        if k % 2:
            ind.update(causes="经费保障、其他", note="资金 7 月到位")
    return sheet_from_dict(doc)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_reported_monitoring_form_renders_its_columns(fmt):
    from jixiao.render.view import build_view

    view = build_view(_reported())
    assert [c.heading for c in view.columns][5:10] == ["实际完成值", "全年预计完成情况", "偏差原因", "完成目标可能性",
                                                      "偏差原因备注"]
    _skip_without_pdf(fmt)
    assert render(_reported(), fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_reported_monitoring_form_imports_back(fmt):
    _skip_without_pdf(fmt)
    sheet = _reported()
    res = round_trip("reported", sheet, fmt)
    assert res.error is None and res.view is None, res.view or res.error
    back = import_bytes(render(sheet, fmt), path=f"reported.{fmt}")
    assert _fields(back) == _fields(sheet)
