"""Monitoring rounds on SQLite and PostgreSQL (services.monitoring) and the pure
warnings (scoring.monitoring)."""
from __future__ import annotations

import datetime as dt

import pytest
from sheet_fixtures import approved, submittable

from jixiao.errors import Forbidden, InvalidRequest, NotFound, StateConflict
from jixiao.model.target import parse_target
from jixiao.scoring.monitoring import DEFAULT_RULES, Entry, assess
from jixiao.services import monitoring


@pytest.fixture(scope="module")
def seed(seed_gold) -> dict:
    return submittable(seed_gold)


def test_thresholds_follow_the_period_and_the_gap_warns():
    assert DEFAULT_RULES.threshold(3) is None and DEFAULT_RULES.threshold(7) == 40 and DEFAULT_RULES.threshold(10) == 80
    on_track = [Entry("indicators[0]", "培训人次", parse_target("≥100人次"), so_far="60", likelihood="确定能")]
    a = assess(on_track, budget=100, executed=55, month=7)
    assert a.execution == 55 and a.progress == 60 and a.warnings == () and a.light == "green"
    lagging = assess(on_track, budget=100, executed=30, month=7)
    assert lagging.light == "yellow" and any("低于 1–7月的预警线 40%" in w for w in lagging.warnings)
    assert any("相差 30.0 个百分点" in w for w in lagging.warnings)
    hopeless = [Entry("indicators[0]", "培训人次", parse_target("≥100人次"), so_far="10", likelihood="完全不可能")]
    assert assess(hopeless, budget=100, executed=15, month=8).light == "red"
    ceiling = [Entry("indicators[0]", "投诉次数", parse_target("≤5次"), so_far="2")]
    assert assess(ceiling, budget=None, executed=None, month=7).per_indicator["indicators[0]"] == 100


def test_a_round_from_opening_to_an_answered_correction(org_tree, seed):
    sid = approved(org_tree, seed)
    fin, prep, rev = (org_tree.actors[k] for k in ("fin", "prep_A1", "rev_A"))
    with org_tree.session() as s:
        with pytest.raises(Forbidden):
            monitoring.open_round(s, actor=prep, year=2024, label="1–7月", period_end=dt.date(2024, 7, 31))
        r = monitoring.open_round(s, actor=fin, year=2024, label="1–7月", period_end=dt.date(2024, 7, 31))
    with org_tree.session() as s:
        info, views = monitoring.round_overview(s, actor=rev, round_id=r.id)
    assert [v.sheet_id for v in views] == [sid] and views[0].state == "none"
    first = views[0].entries[0]
    with org_tree.session() as s:
        saved = monitoring.save_report(s, actor=prep, round_id=r.id, sheet_id=sid, budget=100.0, executed=20.0,
                                       entries=[{"where": first.where, "so_far": "=60元", "likelihood": "有可能",
                                                 "causes": ["经费保障"]}], submit=True)
    assert saved.state == "submitted" and saved.assessment.light in ("yellow", "red")
    assert any("预警线" in w for w in saved.assessment.warnings)
    with org_tree.session() as s, pytest.raises(InvalidRequest):
        monitoring.save_report(s, actor=prep, round_id=r.id, sheet_id=sid, budget=1.0, executed=1.0,
                               entries=[{"where": "indicators[99]", "so_far": "1"}])
    with org_tree.session() as s, pytest.raises(Forbidden):
        monitoring.require_correction(s, actor=org_tree.actors["prep_A1"], round_id=r.id, sheet_id=sid, text="x")
    with org_tree.session() as s:
        corrected = monitoring.require_correction(s, actor=rev, round_id=r.id, sheet_id=sid, text="请说明执行慢的原因")
    assert corrected.state == "correction"
    with org_tree.session() as s, pytest.raises(InvalidRequest):
        monitoring.save_report(s, actor=prep, round_id=r.id, sheet_id=sid, budget=100.0, executed=45.0, entries=[])
    with org_tree.session() as s:
        answered = monitoring.save_report(s, actor=prep, round_id=r.id, sheet_id=sid, budget=100.0, executed=45.0,
                                          entries=[], answer="资金 8 月到位, 已加快进度")
    assert answered.state == "answered" and answered.answer.startswith("资金") and answered.executed == 45.0


def test_others_do_not_see_a_units_report(org_tree, seed):
    sid = approved(org_tree, seed)
    with org_tree.session() as s:
        r = monitoring.open_round(s, actor=org_tree.actors["fin"], year=2024, label="1–8月",
                                  period_end=dt.date(2024, 8, 31))
    for who in ("prep_A2", "rev_B", "prep_B1"):
        with org_tree.session() as s:
            assert monitoring.round_overview(s, actor=org_tree.actors[who], round_id=r.id)[1] == []
            with pytest.raises(NotFound):
                monitoring.get_report(s, actor=org_tree.actors[who], round_id=r.id, sheet_id=sid)
    with org_tree.session() as s, pytest.raises(StateConflict):
        monitoring.require_correction(s, actor=org_tree.actors["fin"], round_id=r.id, sheet_id=sid, text="x")
