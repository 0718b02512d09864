"""score_sheet on small sheets whose every number was computed by hand."""
from __future__ import annotations

import copy
from dataclasses import replace

import pytest

from jixiao.model.sheet import Function, Indicator, Sheet
from jixiao.model.target import parse_target
from jixiao.scoring import DEFAULT, score_sheet, tier_of
from jixiao.scoring.config import Grades, Weights


def leaf(l1, name, target, actual=None, weight=None, score=None, l2=None, **extra):
    return Indicator(l1, l2, name, parse_target(target) if target is not None else None, weight, None,
                     parse_target(actual) if actual is not None else None, score, extra=dict(extra))


def project(*leaves, funds=None, stage="self_evaluation", **kw):
    return Sheet(kind="project", stage=stage, indicators=list(leaves), funds=funds, **kw)


def codes(s):
    return [f.code for f in s.flags]


FUNDS = {"budget_initial": 100.0, "budget": 100.0, "executed": 95.0}


# --- weights --------------------------------------------------------------------------

def test_profile_weights_spread_evenly_over_each_block():
    sheet = project(
        leaf("产出指标", "培训人次", "≥500人次", "500人次"),
        leaf("产出指标", "培训合格率", "≥95%", "95%"),
        leaf("产出指标", "课程数", "≥10门", "10门"),
        leaf("产出指标", "完成及时率", "=100%", "100%"),
        leaf("效益指标", "政策知晓率", "≥90%", "90%"),
        leaf("效益指标", "就业率", "≥80%", "80%"),
        leaf("满意度指标", "参训人员满意度", "≥90%", "90%"),
        funds=FUNDS)
    r = score_sheet(sheet)
    assert [i.weight for i in r.indicators] == [12.5] * 4 + [15, 15, 10]
    assert all(i.weight_source == "profile" for i in r.indicators)
    assert "产出指标 50 分 ÷ 4 个指标 = 12.5 分" in r.indicators[0].derivation
    assert r.execution.recomputed == 9.5            # 95/100 × 10
    assert r.recomputed_total == 99.5 and r.recomputed_grade == "优"
    assert r.claimed_total is None and r.claimed_grade is None


def test_missing_satisfaction_joins_effect():
    sheet = project(leaf("产出指标", "a", "≥1个", "1个"), leaf("效益指标", "b", "≥1个", "1个"),
                    leaf("效益指标", "c", "≥1个", "1个"), funds=FUNDS)
    r = score_sheet(sheet)
    assert [i.weight for i in r.indicators] == [50, 20, 20]
    assert any("没有满意度指标, 其 10 分 并入效益指标" in n for n in r.notes)


def test_missing_satisfaction_dropped_when_configured():
    sheet = project(leaf("产出指标", "a", "≥1个", "1个"), leaf("效益指标", "b", "≥1个", "1个"))
    cfg = replace(DEFAULT, weights=Weights(satisfaction_to=""))
    assert [i.weight for i in score_sheet(sheet, cfg).indicators] == [50, 30]


def test_another_missing_block_is_spread_in_proportion():
    # no 效益: its 30 points go 50:10 to 产出 and 满意度 → 75 and 15
    sheet = project(leaf("产出指标", "a", "≥1个", "1个"), leaf("满意度指标", "s", "≥90%", "95%"))
    r = score_sheet(sheet)
    assert [i.weight for i in r.indicators] == [75, 15]
    assert any("没有效益指标" in n for n in r.notes)


def test_sheet_weights_win_and_the_rest_of_a_block_is_shared():
    sheet = project(leaf("产出指标", "a", "≥1个", "1个", weight=20), leaf("产出指标", "b", "≥1个", "1个"),
                    leaf("产出指标", "c", "≥1个", "1个"), leaf("产出指标", "d", "≥1个", "1个"),
                    leaf("效益指标", "e", "≥1个", "1个", weight=30), leaf("满意度指标", "f", "≥1%", "1%", weight=10))
    r = score_sheet(sheet)
    assert [i.weight for i in r.indicators] == [20, 10, 10, 10, 30, 10]
    assert [i.weight_source for i in r.indicators][:2] == ["sheet", "profile"]
    assert "50 分 − 表内分值 20 分 ÷ 3 个指标 = 10 分" in r.indicators[1].derivation


def test_profile_source_ignores_the_sheet_weights():
    sheet = project(leaf("产出指标", "a", "≥1个", "1个", weight=70), leaf("效益指标", "b", "≥1个", "1个", weight=20))
    cfg = replace(DEFAULT, weights=Weights(source="profile"))
    assert [i.weight for i in score_sheet(sheet, cfg).indicators] == [50, 40]


def test_cost_block_shares_output_points_unless_configured():
    sheet = project(leaf("成本指标", "成本", "≤10万元", "9万元", l2="经济成本指标"),
                    leaf("产出指标", "a", "≥1个", "1个"), leaf("效益指标", "b", "≥1个", "1个"),
                    leaf("满意度指标", "c", "≥90%", "90%"))
    assert [i.weight for i in score_sheet(sheet).indicators] == [25, 25, 30, 10]
    cfg = replace(DEFAULT, weights=Weights(output=40, cost=10))
    r = score_sheet(sheet, cfg)
    assert [i.weight for i in r.indicators] == [10, 40, 30, 10]
    assert r.indicators[0].block == "成本指标"


def test_level1_from_level2_when_the_sheet_lost_it():
    sheet = project(leaf(None, "a", "≥1个", "1个", l2="数量指标"), leaf(None, "b", "≥1个", "1个", l2="社会效益指标"))
    r = score_sheet(sheet)
    assert [i.block for i in r.indicators] == ["产出指标", "效益指标"]


def test_unknown_block_without_weight_is_unscorable():
    r = score_sheet(project(leaf(None, "a", "≥1个", "1个"), leaf("产出指标", "b", "≥1个", "1个")))
    assert r.indicators[0].method == "unscorable" and r.indicators[0].recomputed is None


def test_weight_total_flag_when_sheet_weights_do_not_reach_100():
    sheet = project(leaf("产出指标", "a", "≥1个", "1个", weight=50), leaf("效益指标", "b", "≥1个", "1个", weight=30),
                    funds=FUNDS)
    r = score_sheet(sheet)
    assert "SC-WEIGHTS-TOTAL" in codes(r)
    full = project(leaf("产出指标", "a", "≥1个", "1个", weight=60), leaf("效益指标", "b", "≥1个", "1个", weight=30),
                   funds=FUNDS)
    assert "SC-WEIGHTS-TOTAL" not in codes(score_sheet(full))


# --- directions, units, edges ----------------------------------------------------------

def test_the_issue_example_in_a_sheet():
    r = score_sheet(project(leaf("产出指标", "合格率", "≥95%", "92%", weight=20, score=20)))
    s = r.indicators[0]
    assert s.recomputed == 19.37 and s.claimed == 20 and s.difference == 0.63
    assert s.derivation == "实际 92% / 目标 95% × 20 分 = 19.37 分"
    assert {"SC-CLAIMED-ABOVE", "SC-REASON-MISSING"} <= {f.code for f in s.flags}
    assert next(f for f in s.flags if f.code == "SC-CLAIMED-ABOVE").inflation


def test_reverse_both_strategies():
    sheet = project(leaf("产出指标", "项目总成本", "≤100万元", "110万元", weight=10))
    assert score_sheet(sheet).indicators[0].recomputed == 9
    assert score_sheet(sheet, replace(DEFAULT, reverse="ratio")).indicators[0].recomputed == 9.09


def test_negative_actual_counts_as_zero():
    s = score_sheet(project(leaf("效益指标", "增收", "≥10万元", "-5万元", weight=10))).indicators[0]
    assert s.recomputed == 0 and "为负数, 按 0 计" in s.derivation
    # a reverse target with a negative actual is met at 0
    s = score_sheet(project(leaf("产出指标", "超支", "≤5万元", "-1万元", weight=10))).indicators[0]
    assert s.recomputed == 10


def test_negative_actual_kept_for_a_deviation_range():
    s = score_sheet(project(leaf("产出指标", "偏差率", "±5%", "-7%", weight=10))).indicators[0]
    assert s.method == "range" and s.recomputed == 6


def test_negative_actual_kept_for_a_negative_floor():
    s = score_sheet(project(leaf("效益指标", "增长率", "≥-5%", "-7%", weight=10))).indicators[0]
    assert s.recomputed == 6 and "(1 − (-5 − -7) / 5) × 10 分 = 6 分" in s.derivation


def test_operator_inferred_for_a_bare_count():
    s = score_sheet(project(leaf("产出指标", "开展活动", "24场", "20场", weight=12))).indicators[0]
    assert s.method == "equal" and s.recomputed == 10       # 20/24 × 12
    assert s.derivation.startswith("原文未写比较符, 按“=”计; ")


def test_stated_direction_used_when_no_operator():
    ind = leaf("产出指标", "x", "10件", "12件", weight=10)
    ind.direction = "negative"
    s = score_sheet(project(ind)).indicators[0]
    assert s.method == "reverse" and s.recomputed == 8      # (1 − 2/10) × 10


def test_money_units_are_converted():
    s = score_sheet(project(leaf("产出指标", "成本", "≤90万元", "950000元", weight=10))).indicators[0]
    assert "折合 95万元" in s.derivation
    assert s.recomputed == 9.44                             # (1 − 5/90) × 10 = 9.444…


def test_unit_mismatch_is_unscorable():
    s = score_sheet(project(leaf("产出指标", "合格率", "≥95%", "30人", weight=10, score=10))).indicators[0]
    assert s.recomputed is None and "单位不一致" in s.derivation and s.counted == 0


def test_placeholder_target_is_unscorable():
    s = score_sheet(project(leaf("产出指标", "人数", "≥**人", "30人", weight=10))).indicators[0]
    assert s.method == "unscorable" and "占位符" in s.derivation


def test_unscorable_counts_the_claim_when_configured():
    sheet = project(leaf("产出指标", "合格率", "≥95%", None, weight=10, score=8))
    assert score_sheet(sheet).indicators[0].counted == 0
    s = score_sheet(sheet, replace(DEFAULT, unscorable="claimed")).indicators[0]
    assert s.counted == 8 and s.recomputed is None


# --- qualitative ------------------------------------------------------------------------

@pytest.mark.parametrize("actual, tier", [
    ("达成年度指标", "achieved"), ("达成预期指标", "achieved"),
    ("部分达成年度指标并具有一定效果", "partial"), ("基本完成", "partial"),
    ("未达成年度指标且效果较差", "failed"), ("未完成", "failed"), ("延期完成", "failed"),
    ("效果明显", "achieved"), ("按期完成", "achieved"),
    ("天气晴", None),
])
def test_tiers(actual, tier):
    assert tier_of(actual, "效果明显") == tier


def test_an_actual_repeating_the_target_words_is_achieved():
    assert tier_of("应保尽保", "应保尽保") == "achieved"
    assert tier_of("持续运行", "持续运行") == "achieved"


@pytest.mark.parametrize("actual, claimed, expected", [
    ("达成年度指标", 9, 9),          # inside [8, 10]
    ("达成年度指标", 7, 8),          # below the band: its floor
    ("达成年度指标", None, 10),      # no claim: the top of the band
    ("部分达成年度指标并具有一定效果", 10, 7.99),   # [6, 8): just under 8
    ("部分达成年度指标并具有一定效果", 6.5, 6.5),
    ("未达成年度指标且效果较差", None, 5.99),        # [0, 6)
    ("未达成年度指标且效果较差", 2, 2),
])
def test_qualitative_bands(actual, claimed, expected):
    s = score_sheet(project(leaf("效益指标", "社会影响", "效果明显", actual, weight=10, score=claimed))).indicators[0]
    assert s.method == "qualitative" and s.recomputed == expected


def test_qualitative_derivation_and_full_marks_flag():
    s = score_sheet(project(leaf("效益指标", "社会影响", "效果明显", "达成年度指标", weight=10, score=10))).indicators[0]
    assert "属“达成年度指标”档, 该档得分 [8, 10] 分" in s.derivation and "自评 10 分 在档内" in s.derivation
    assert [f.code for f in s.flags] == ["SC-FULL-ON-QUALITATIVE"]
    assert s.flags[0].inflation


def test_qualitative_pick_bottom_and_custom_bands():
    from jixiao.scoring.config import Qualitative

    cfg = replace(DEFAULT, qualitative=Qualitative(achieved=(0.9, 1.0), pick="bottom"))
    s = score_sheet(project(leaf("效益指标", "x", "效果明显", "达成", weight=20)), cfg).indicators[0]
    assert s.recomputed == 18


def test_deadline_target_scored_by_tier():
    s = score_sheet(project(leaf("产出指标", "完工时间", "12月31日前", "11月20日完成", weight=10, l2="时效指标")))
    assert s.indicators[0].method == "qualitative" and s.indicators[0].recomputed == 10


# --- inflation and other flags ----------------------------------------------------------

def test_full_marks_on_a_text_actual_for_a_number():
    s = score_sheet(project(leaf("产出指标", "成本控制数", "≤30万元", "完成", weight=90, score=90))).indicators[0]
    assert s.recomputed is None and [f.code for f in s.flags] == ["SC-FULL-ON-TEXT"]


def test_score_without_actual():
    s = score_sheet(project(leaf("产出指标", "人次", "≥500人次", None, weight=10, score=10))).indicators[0]
    assert "SC-SCORE-WITHOUT-ACTUAL" in [f.code for f in s.flags]


def test_actual_copied_from_target():
    s = score_sheet(project(leaf("产出指标", "标尺", "≥266米", "≥266米", weight=10, score=10))).indicators[0]
    assert s.recomputed == 10 and [f.code for f in s.flags] == ["SC-COPIED-ACTUAL"]


def test_plain_equal_actual_is_not_a_copy():
    s = score_sheet(project(leaf("产出指标", "合格率", "100%", "100%", weight=10, score=10))).indicators[0]
    assert s.flags == ()


def test_deduction_where_the_target_was_met():
    s = score_sheet(project(leaf("产出指标", "人次", "≥500人次", "520人次", weight=10, score=8,
                                 deviation="扣 2 分"))).indicators[0]
    assert [f.code for f in s.flags] == ["SC-DEDUCTED-WHEN-MET"]


def test_claim_above_weight():
    s = score_sheet(project(leaf("产出指标", "人次", "≥500人次", "520人次", weight=10, score=12))).indicators[0]
    assert {"SC-ABOVE-WEIGHT", "SC-CLAIMED-ABOVE"} <= {f.code for f in s.flags}


def test_over_achievement_flag_threshold_configurable():
    sheet = project(leaf("产出指标", "检查企业数", "≥100家", "125家", weight=10))
    s = score_sheet(sheet).indicators[0]
    assert "SC-OVER-ACHIEVED" in [f.code for f in s.flags] and "1.25 倍" in s.flags[0].message
    assert "未填写偏差原因" in s.flags[0].message
    assert score_sheet(sheet, replace(DEFAULT, over_achievement=1.3)).indicators[0].flags == ()


def test_reason_required_below_weight_and_found_in_extra_or_explanation():
    low = leaf("产出指标", "人次", "≥500人次", "400人次", weight=10)
    assert [f.code for f in score_sheet(project(low)).indicators[0].flags] == ["SC-REASON-MISSING"]
    low.extra["偏差原因分析及改进措施"] = "天气影响, 下年提前安排"
    assert score_sheet(project(low)).indicators[0].flags == ()


def test_tianjin_flags_are_off_by_default():
    sheet = project(leaf("产出指标", "差错", "≤2次", "3次", weight=10, deviation="x"),
                    leaf("产出指标", "场次", "=10场", "12场", weight=10))
    assert all(f.code not in ("SC-REVERSE-EXCEEDED", "SC-EQUAL-MISMATCH")
               for i in score_sheet(sheet).indicators for f in i.flags)
    cfg = replace(DEFAULT, flag_reverse_exceeded=True, flag_equal_mismatch=True)
    r = score_sheet(sheet, cfg)
    assert "SC-REVERSE-EXCEEDED" in [f.code for f in r.indicators[0].flags]
    assert "SC-EQUAL-MISMATCH" in [f.code for f in r.indicators[1].flags]


# --- execution, totals, grades ----------------------------------------------------------

def test_execution_denominator_and_fallback():
    funds = {"budget_initial": 80.0, "budget": 100.0, "executed": 80.0}
    sheet = project(leaf("产出指标", "a", "≥1个", "1个"), funds=funds)
    assert score_sheet(sheet).execution.recomputed == 8
    from jixiao.scoring.config import Execution

    cfg = replace(DEFAULT, execution=Execution(denominator="budget_initial"))
    assert score_sheet(sheet, cfg).execution.recomputed == 10
    only_initial = project(leaf("产出指标", "a", "≥1个", "1个"), funds={"budget_initial": 100.0, "executed": 80.0})
    e = score_sheet(only_initial).execution
    assert e.recomputed == 8 and e.derivation.startswith("表上没有全年预算数, 改用年初预算数")
    assert "SC-EXECUTION-LOW" in [f.code for f in e.flags]        # 80% < 90%


def test_no_execution_data():
    r = score_sheet(project(leaf("产出指标", "a", "≥1个", "1个", weight=90)))
    assert r.execution.recomputed is None and "SC-NO-EXECUTION" in codes(r)
    assert r.recomputed_total == 90


def test_claimed_total_from_the_sheet_and_inflation():
    sheet = project(leaf("产出指标", "合格率", "≥95%", "92%", weight=60, score=60),
                    leaf("效益指标", "知晓率", "≥90%", "90%", weight=30, score=30),
                    funds={**FUNDS, "execution_score": 10.0}, extra={"total_score": 100.0})
    r = score_sheet(sheet)
    # 92/95 × 60 = 58.105… → 58.11; + 30 + 9.5
    assert r.indicators[0].recomputed == 58.11
    assert r.execution.claimed == 10 and r.execution.recomputed == 9.5
    assert r.recomputed_total == 97.61 and r.claimed_total == 100
    assert "SC-TOTAL-ABOVE" in codes(r) and "SC-TOTAL-SUM" not in codes(r)
    assert "SC-CLAIMED-ABOVE" in [f.code for f in r.execution.flags]


def test_stated_total_not_matching_its_parts():
    sheet = project(leaf("产出指标", "a", "≥1个", "1个", weight=90, score=80), extra={"总分": 90.0})
    assert "SC-TOTAL-SUM" in codes(score_sheet(sheet))


def test_total_is_execution_plus_counted_leaves():
    sheet = project(leaf("产出指标", "a", "≥3个", "1个", score=10), leaf("产出指标", "b", "≥3个", "2个"),
                    leaf("效益指标", "c", "≥90%", "45%"), leaf("满意度指标", "d", "≥90%", None), funds=FUNDS)
    r = score_sheet(sheet)
    # 1/3×25 = 8.33, 2/3×25 = 16.67, 45/90×30 = 15, missing actual 0, execution 9.5
    assert [i.recomputed for i in r.indicators] == [8.33, 16.67, 15, None]
    assert r.recomputed_total == 49.5 and r.recomputed_grade == "差"


@pytest.mark.parametrize("total, grade", [(90, "优"), (89.99, "良"), (80, "良"), (79.99, "中"), (60, "中"),
                                          (59.99, "差")])
def test_grades(total, grade):
    assert DEFAULT.grades.of(total) == grade


def test_grades_configurable():
    assert Grades(excellent=85, good=75, fair=60).of(86) == "优"


# --- department sheets, approval -------------------------------------------------------

def test_department_scored_per_function_and_as_a_whole():
    f1 = Function("职能1", "党务", [leaf("产出指标", "会议", "≥4次", "4次"), leaf("效益指标", "知晓率", "≥90%", "45%")])
    f2 = Function("职能2", "民政", [leaf("产出指标", "补贴户数", "≥100户", "50户"),
                                   leaf("满意度指标", "群众满意度", "≥90%", "90%")])
    sheet = Sheet(kind="department", stage="self_evaluation", functions=[f1, f2], funds=FUNDS)
    r = score_sheet(sheet)
    # 产出 50 over 2 leaves (25 each), 效益 30 on one, 满意度 10 on one
    assert [i.weight for i in r.indicators] == [25, 30, 25, 10]
    assert [i.recomputed for i in r.indicators] == [25, 15, 12.5, 10]
    assert [i.function for i in r.indicators] == ["职能1", "职能1", "职能2", "职能2"]
    (a, b) = r.functions
    assert (a.label, a.weight, a.recomputed, a.rate, a.grade) == ("职能1", 55, 40, 72.73, "中")
    assert (b.label, b.weight, b.recomputed, b.rate, b.grade) == ("职能2", 35, 22.5, 64.29, "中")
    assert r.recomputed_total == 72                     # 62.5 + 9.5
    assert r.indicators[2].where == "functions[1].indicators[0]"


def test_scored_against_the_approved_target():
    approved = project(leaf("产出指标", "培训人次", "≥500人次", weight=20), leaf("效益指标", "知晓率", "≥90%", weight=30),
                       stage="approval")
    sheet = project(leaf("产出指标", "培训人次", "≥400人次", "450人次", score=20),
                    leaf("产出指标", "新增指标", "≥1个", "1个", weight=5))
    r = score_sheet(sheet, approved=approved)
    s = r.indicators[0]
    assert s.weight == 20 and s.weight_source == "approved"
    assert s.recomputed == 18                          # 450/500 × 20, not against the lowered 400
    assert "SC-TARGET-CHANGED" in [f.code for f in s.flags]
    assert "SC-NOT-APPROVED" in [f.code for f in r.indicators[1].flags]
    missing = [f for f in r.flags if f.code == "SC-APPROVED-MISSING"]
    assert len(missing) == 1 and "知晓率" in missing[0].message


def test_a_raised_target_is_no_inflation_a_lowered_one_is():
    approved = project(leaf("产出指标", "人次", "≥500人次", weight=10), leaf("产出指标", "成本", "≤90万元", weight=10),
                       stage="approval")
    raised = project(leaf("产出指标", "人次", "≥600人次", "600人次"), leaf("产出指标", "成本", "≤100万元", "90万元"))
    first, second = score_sheet(raised, approved=approved).indicators
    assert first.flags[0].code == "SC-TARGET-CHANGED" and not first.flags[0].inflation
    assert second.flags[0].inflation and "(降低了目标)" in second.flags[0].message   # a ceiling raised


def test_negative_weight_is_unscorable():
    s = score_sheet(project(leaf("产出指标", "a", "≥1个", "1个", weight=-5))).indicators[0]
    assert s.recomputed is None and "为负数" in s.derivation


def test_scoring_never_changes_the_sheet():
    sheet = project(leaf("产出指标", "合格率", "≥95%", "92%", score=20), funds=FUNDS)
    before = copy.deepcopy(sheet)
    score_sheet(sheet, approved=project(leaf("产出指标", "合格率", "≥90%", weight=50)))
    assert sheet == before
