"""Dashboards across units (issue 15, deliverable 5) on both databases: the service
decides whose sheets go in (a department reviewer: its department's units only;
finance: every unit's), the pages embed the chart data charts.js draws."""
from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from sheet_fixtures import approved, road_project

from jixiao.services import monitoring
from jixiao.services import self_evaluation as se

REVIEWER = {"A1": "rev_A", "A2": "rev_A", "B1": "rev_B"}


def approved_in(tree, unit: str) -> int:
    return approved(tree, road_project(f"单位{unit}"), who=f"prep_{unit}", reviewer=REVIEWER[unit])


def self_evaluated(tree, unit: str, road: str) -> int:
    sid = approved_in(tree, unit)
    prep = tree.actors[f"prep_{unit}"]
    with tree.session() as s:
        se.start(s, actor=prep, sheet_id=sid)
        se.save(s, actor=prep, sheet_id=sid, submit=True, budget=100, executed=95, entries=[
            {"where": "indicators[0]", "actual": road}, {"where": "indicators[1]", "actual": "96%"},
            {"where": "indicators[2]", "actual": "达成年度指标"}, {"where": "indicators[3]", "actual": "80%"}])
    return sid


@pytest.fixture
def three_units(org_tree) -> dict[str, int]:
    return {"A1": self_evaluated(org_tree, "A1", "60公里"), "A2": self_evaluated(org_tree, "A2", "120公里"),
            "B1": self_evaluated(org_tree, "B1", "130公里")}


def test_the_self_evaluation_overview_is_narrowed_by_the_service(org_tree, three_units):
    a = org_tree.actors
    with org_tree.session() as s:
        rev_a = se.overview(s, actor=a["rev_A"])
        rev_b = se.overview(s, actor=a["rev_B"])
        fin = se.overview(s, actor=a["fin"])
        prep = se.overview(s, actor=a["prep_A2"])
        none = se.overview(s, actor=a["rev_A"], year=2023)
    assert {r.unit for r in rev_a.rows} == {"单位A1", "单位A2"} and rev_a.year == 2024 and rev_a.years == (2024,)
    assert {r.unit for r in rev_b.rows} == {"单位B1"}
    assert {r.unit for r in fin.rows} == {"单位A1", "单位A2", "单位B1"}
    assert [r.unit for r in prep.rows] == ["单位A2"] and none.rows == ()
    board = rev_a.dashboard
    # 养护道路里程 60 of 120 km: 15 of 30 points; 满意度 80 of 90 %: 8.89 of 10
    first = next(u for u in board.units if u.sheet_id == three_units["A1"])
    assert first.execution == pytest.approx(95.0) and first.progress == pytest.approx(100 * (15 + 20 + 30 + 8.89) / 90)
    output = next(s for s in board.by_level1 if s.label == "产出指标")
    assert output.count == 4 and output.weight == 100 and output.points == pytest.approx(85.0)
    assert [s.label for s in board.by_level1] == ["产出指标", "效益指标", "满意度指标"]
    assert sum(n for _, n in board.statuses) == 2 and dict(board.statuses)["良"] == 1
    risky = {(r.unit, r.name) for r in board.at_risk}
    assert ("单位A1", "养护道路里程") in risky and ("单位A2", "养护道路里程") not in risky
    assert ("单位A1", "群众满意度") in risky and all(r.unit != "单位B1" for r in board.at_risk)
    assert board.at_risk[0].name == "养护道路里程"          # the worst first (50 %)
    assert "单位B1" not in json.dumps(board.charts(), ensure_ascii=False)


def test_the_pages_draw_the_dashboards(org_tree, sign_in, three_units):
    rev = sign_in("rev_A")
    page = rev.get("/self-evaluations")
    assert page.status_code == 200 and "自评汇总" in page.text and "风险指标" in page.text
    assert "单位A1" in page.text and "单位B1" not in page.text
    assert "/static/vendor/echarts-6.1.0.min.js" in page.text and "cdn" not in page.text.lower()
    charts = dict(re.findall(r'<script type="application/json" id="evaluation-(\w+)">(.*?)</script>', page.text))
    assert set(charts) == {"units", "level1", "functions", "statuses"}
    assert json.loads(charts["statuses"])["categories"] == ["优", "良", "中", "差"]
    assert rev.get("/self-evaluations?year=20x4").status_code == 422
    assert "单位B1" in sign_in("fin").get("/self-evaluations?year=2024").text

    with org_tree.session() as s:
        rid = monitoring.open_round(s, actor=org_tree.actors["fin"], year=2024, label="1–6月",
                                    period_end=dt.date(2024, 6, 30)).id
        monitoring.save_report(s, actor=org_tree.actors["prep_A1"], round_id=rid, sheet_id=three_units["A1"],
                               budget=100, executed=30, submit=True, entries=[
                                   {"where": "indicators[0]", "so_far": "30公里", "likelihood": "有可能",
                                    "causes": ["经费保障"]},
                                   {"where": "indicators[1]", "so_far": "96%", "likelihood": "确定能"}])
    overview = rev.get(f"/monitoring/{rid}")
    assert overview.status_code == 200 and "汇总看板" in overview.text
    charts = dict(re.findall(r'<script type="application/json" id="monitoring-(\w+)">(.*?)</script>', overview.text))
    assert json.loads(charts["statuses"])["type"] == "pie"
    assert "预计有可能完不成 (原因: 经费保障)" in overview.text and "单位B1" not in overview.text
    with org_tree.session() as s:
        _, views, board = monitoring.round_dashboard(s, actor=org_tree.actors["rev_B"], round_id=rid)
    assert {v.unit for v in views} == {"单位B1"} and all(r.unit == "单位B1" for r in board.at_risk)
