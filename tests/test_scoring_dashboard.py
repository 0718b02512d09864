"""The dashboards' arithmetic (scoring.dashboard), pure: means per 一级 and 核心职能,
the period's progress line, the lights and grades counted, the worst first."""
from __future__ import annotations

import pytest

from jixiao.model.sheet import Function, Indicator, Sheet
from jixiao.model.target import parse_target
from jixiao.scoring import DEFAULT, score_sheet
from jixiao.scoring.dashboard import EvaluatedSheet, MonitoredSheet, evaluation_dashboard, monitoring_dashboard
from jixiao.scoring.monitoring import Entry, assess


def department(actuals: tuple[str, str, str]) -> Sheet:
    inds = [Indicator("产出指标", "数量指标", "培训人次", parse_target("≥1000人次"), 30.0),
            Indicator(None, "质量指标", "合格率", parse_target("≥90%"), 30.0),
            Indicator("效益指标", "社会效益指标", "就业人数", parse_target("≥200人"), 30.0)]
    for ind, a in zip(inds, actuals, strict=True):
        ind.actual = parse_target(a)
    return Sheet(kind="department", stage="self_evaluation", functions=[
        Function("职能1 培训", None, inds[:2]), Function("职能2 就业", None, inds[2:])],
        funds={"budget": 100.0, "executed": 80.0})


def test_monitoring_means_progress_line_and_risks():
    sheet = department(("", "", ""))
    entries = [Entry("functions[0].indicators[0]", "培训人次", parse_target("≥1000人次"), "300人次", likelihood="确定能"),
               Entry("functions[0].indicators[1]", "合格率", parse_target("≥90%"), "90%", likelihood="确定能"),
               Entry("functions[1].indicators[0]", "就业人数", parse_target("≥200人"), "50人", likelihood="完全不可能",
                     causes=("经费保障",))]
    a = assess(entries, budget=100, executed=45, month=6)
    board = monitoring_dashboard([MonitoredSheet(7, "单位A1", "表", sheet, entries, a)], month=6)
    assert [(s.label, s.rate) for s in board.by_level1] == [("产出指标", 65.0), ("效益指标", 25.0)]
    assert [(s.label, s.rate) for s in board.by_function] == [("职能1 培训", 65.0), ("职能2 就业", 25.0)]
    assert dict(board.statuses) == {"green": 0, "yellow": 0, "red": 1}
    # the certain miss first, then 30 % below the 40 % line of 1–6月; 合格率 (100 %) is not at risk
    assert [(r.name, r.reason) for r in board.at_risk] == [
        ("就业人数", "预计完全不可能完成 (原因: 经费保障)"), ("培训人次", "完成进度 30.0% 低于 1–6月的进度线 40%")]
    charts = board.charts()
    assert charts["statuses"]["type"] == "pie" and charts["functions"]["type"] == "hbar"
    assert charts["units"]["series"][0]["data"] == [45.0]


def test_evaluation_rates_grades_and_worst_first():
    good, poor = department(("1000人次", "95%", "200人")), department(("500人次", "95%", "100人"))
    rows = [EvaluatedSheet(1, "单位A1", "好", good, score_sheet(good, DEFAULT)),
            EvaluatedSheet(2, "单位A2", "差", poor, score_sheet(poor, DEFAULT))]
    board = evaluation_dashboard(rows)
    assert [u.progress for u in board.units] == [pytest.approx(100.0), pytest.approx(100 * 60 / 90)]
    output = board.by_level1[0]
    assert (output.label, output.points, output.weight, output.rate) == ("产出指标", 105.0, 120.0, 87.5)
    assert dict(board.statuses) == {"优": 1, "良": 0, "中": 1, "差": 0}     # 98 and 68
    assert [f.label for f in board.by_function] == ["单位A1·职能1 培训", "单位A1·职能2 就业", "单位A2·职能1 培训",
                                                   "单位A2·职能2 就业"]
    assert [(r.unit, r.name, r.rate) for r in board.at_risk] == [("单位A2", "培训人次", 50.0),
                                                                  ("单位A2", "就业人数", 50.0)]
    assert board.charts()["units"]["categories"] == ["单位A1", "单位A2"]
