"""Issue 13's reviewer conventions: one finding per defect, severities that mean
something, stage-aware advice, incomplete tables, Chinese locations — and the new
substantive rules, each where it must speak and where it must stay silent."""
from __future__ import annotations

import pytest

from jixiao.model.codec import sheet_from_dict
from jixiao.validation import check
from jixiao.validation.context import TABLE_INCOMPLETE
from jixiao.validation.profile import default_profile, merged
from jixiao.validation.registry import (
    BASIC,
    cost,
    department,
    econ,
    function,
    ind,
    project,
    qty,
    qual,
    sat,
    social,
    timely,
)


def run(sheet: dict, **profile):
    return check(sheet_from_dict(sheet), profile=merged(default_profile(), profile or None))


def codes(report, code, where=None):
    return [d for d in report.findings if d.code == code and (where is None or d.where.startswith(where))]


def incomplete(sheet: dict) -> dict:
    sheet["diagnostics"] = [{"code": TABLE_INCOMPLETE, "severity": "warning", "where": "indicators",
                             "message": "表格在第 8 行后截断"}]
    return sheet


# ------------------------------------------------------------------ severities

def test_department_sheet_without_supervisor_is_not_a_finding():
    sheet = department(function("职能1", "负责农业技术推广", *BASIC), supervisor=None)
    assert not codes(run(sheet), "R1")


def test_project_sheet_without_supervisor_is_a_warning_not_an_error():
    (d,) = codes(run(project(*BASIC, supervisor=None)), "R1")
    assert d.severity == "warning" and d.extra["location"] == "表头·主管部门"


def test_missing_level_labels_are_warnings_a_wrong_pair_an_error():
    report = run(project(*BASIC, ind("产出指标", None, "培训期数", "≥5期"),
                         ind("产出指标", "社会效益指标", "政策宣传覆盖率", "≥90%")))
    assert [d.severity for d in codes(report, "R7")] == ["warning", "error"]


def test_clean_sheet_has_no_error_and_grade_says_what_it_means():
    report = run(project(*BASIC))
    assert not report.has_errors and report.grade_meaning and report.to_dict()["grade_meaning"] == report.grade_meaning


# ------------------------------------------------------------------ incomplete tables

def test_incomplete_table_gets_one_finding_and_completeness_rules_turn_conditional():
    sheet = incomplete(project(qty("新建村级道路里程", "≥3.5公里"), qual("工程验收合格率", "=100%"),
                               ind("效益指标", "社会效益指标", "受益群众人数", None), goals=[]))
    report = run(sheet)
    (d,) = codes(report, "V-TABLE-INCOMPLETE")
    assert d.severity == "warning" and "截断" in d.message
    for code in ("R1", "R3", "R8"):
        found = codes(report, code)
        assert found and all(f.severity == "info" and "不完整" in f.message for f in found), code


def test_complete_table_keeps_its_severities():
    report = run(project(qty("新建村级道路里程", "≥3.5公里"), ind("效益指标", "社会效益指标", "受益群众人数", None)))
    assert not codes(report, "V-TABLE-INCOMPLETE")
    assert {d.severity for d in codes(report, "R8")} == {"error"}
    assert {d.severity for d in codes(report, "R3")} == {"warning"}


# ------------------------------------------------------------------ one defect, one finding

def test_unit_slash_and_missing_operator_on_one_cell_are_one_finding():
    report = run(project(*BASIC, qty("文体活动参加人次", "5000人/次")))
    on_cell = [d for d in report.findings if d.where.startswith("indicators[3]")]
    assert [d.code for d in on_cell] == ["V-UNIT-SLASH"] and "“≥5000人次”" in on_cell[0].hint


def test_missing_unit_and_operator_are_one_finding_with_one_fix():
    report = run(project(*BASIC, qty("召开专题会议次数", "2")))
    on_cell = [d for d in report.findings if d.where.startswith("indicators[3]")]
    assert [d.code for d in on_cell] == ["V-UNIT-MISSING"] and "“≥2次”" in on_cell[0].hint


def test_superseding_rule_switched_off_lets_the_other_speak():
    sheet = project(*BASIC, qty("文体活动参加人次", "5000人/次"))
    report = run(sheet, rules={"V-UNIT-SLASH": False})
    assert codes(report, "V-OP-MISSING")


# ------------------------------------------------------------------ stage awareness

def _self_evaluation(*indicators, **header):
    return project(*indicators, stage="self_evaluation", year=2023, **header)


def test_target_setting_findings_become_advice_on_a_self_evaluation():
    sheet = _self_evaluation(qty("享受补贴资金", "=60万元", actual="60万元"), social("政策知晓率", "≥90%", actual="92%"),
                             sat("受益群众满意度", "=100%", actual="98%"))
    report = run(sheet)
    for code in ("R18", "R14"):
        (d,) = codes(report, code)
        assert d.severity == "info" and "下年度" in d.hint, code
    assert not report.has_errors


def test_same_sheet_as_approval_keeps_the_error():
    sheet = project(qty("享受补贴资金", "=60万元"), social("政策知晓率", "≥90%"), sat("受益群众满意度", "=100%"))
    assert codes(run(sheet), "R18")[0].severity == "error"


def test_profile_severity_wins_over_the_stage():
    sheet = _self_evaluation(qty("享受补贴资金", "=60万元", actual="60万元"), *BASIC[1:])
    assert codes(run(sheet, severity={"R18": "error"}), "R18")[0].severity == "error"


def test_self_evaluation_checks_stay_silent_on_an_approval():
    sheet = project(qty("培训人次", "≥500人次", weight=70, score=60), social("政策知晓率", "≥90%", weight=10),
                    sat("参训人员满意度", "≥90%", weight=10))
    report = run(sheet)
    assert not [d for d in report.findings if d.code.startswith("V-SE-")]


def test_block_weights_follow_the_profile():
    sheet = _self_evaluation(qty("培训人次", "≥500人次", actual="520人次", weight=70, score=70),
                             social("政策知晓率", "≥90%", actual="92%", weight=20, score=20))
    assert codes(run(sheet), "V-SE-BLOCKS")                         # 70/20 against 50/40 (no satisfaction)
    assert not codes(run(sheet, thresholds={"block_weights": [70, 20, 0]}), "V-SE-BLOCKS")


def test_deducted_with_an_explanation_is_not_reported():
    sheet = _self_evaluation(qty("培训人次", "≥500人次", actual="520人次", weight=50, score=45,
                                 explanation="部分培训未按计划内容开展"), *BASIC[1:])
    assert not codes(run(sheet), "V-SE-DEDUCTED")


def test_full_marks_on_a_tier_actual_are_fine():
    sheet = _self_evaluation(*BASIC, social("长效机制", "持续发挥作用", actual="达成年度指标", weight=10, score=10))
    assert not codes(run(sheet), "V-SE-FULL-MARKS")


def test_actuals_copied_on_every_row_make_one_finding():
    rows = [qty("安装坡面水标尺", "≥266米", actual="≥266米"), qty("水标尺宽度", "≥50厘米", actual="≥50厘米"),
            qual("验收合格率", "=100%", actual="=100%"), sat("受益户满意度", "≥95%", actual="≥95%")]
    found = codes(run(_self_evaluation(*rows)), "V-SE-ACTUAL-COPIED")
    assert len(found) == 1 and found[0].where == "indicators"


def test_actual_equal_to_a_hundred_percent_target_is_not_copying():
    rows = [qty("培训人次", "≥500人次", actual="520人次"), qual("验收合格率", "=100%", actual="100%"),
            social("政策知晓率", "≥90%", actual="93%"), sat("受益户满意度", "≥95%", actual="96%")]
    assert not codes(run(_self_evaluation(*rows)), "V-SE-ACTUAL-COPIED")


# ------------------------------------------------------------------ locations

@pytest.mark.parametrize("sheet, where, location", [
    (project(*BASIC, supervisor=None), "supervisor", "表头·主管部门"),
    (project(*BASIC, goals=["开展农村实用技术培训", "完成高标准农田建设验收"]), "goals[1]", "年度目标2"),
    (department(function("职能1", "负责培训", *BASIC), function("职能2", None, *BASIC)), "functions[1].description",
     "职能2 › 职能描述"),
    (department(function("职能1", "负责培训", *BASIC, qty("享受人大补助", "=60元"))), "functions[0].indicators[3].target",
     "职能1 › 产出指标 › 数量指标 › 享受人大补助"),
])
def test_every_finding_has_a_chinese_location(sheet, where, location):
    report = run(sheet)
    (d,) = [d for d in report.findings if d.where == where]
    assert d.extra["location"] == location


def test_no_json_path_or_english_in_messages_and_hints():
    sheet = department(function("职能1", "负责培训", *BASIC, qty("开展党日活动次数", "=12次"),
                                qty("开展党日活动次数", "=12次")), function("职能2", None, *BASIC))
    for d in run(sheet).findings:
        for text in (d.message, d.hint):
            assert "indicators[" not in text and "functions[" not in text, text


# ------------------------------------------------------------------ substantive rules: speak and stay silent

@pytest.mark.parametrize("indicator", [
    ind("效益指标", "生态效益指标", "安全生产事故发生次数", "=0次"), timely("突发事件应急处置率", "=100%"),
    econ("村干部报酬按时足额发放", "=100%"), qty("辖区行政村数量", "=11个"), qty("全镇团组织数", "=26个"),
    qty("带动农户增收", "≥50万元"),
])
def test_category_fit_speaks(indicator):
    (d,) = codes(run(project(*BASIC, indicator)), "V-CATEGORY-FIT")
    assert "下" in d.hint or "改为" in d.hint


@pytest.mark.parametrize("indicator", [
    qty("走访覆盖行政村数", "=11个"), timely("资金拨付及时率", "=100%"), timely("工程完工时间", "12月31日前"),
    ind("效益指标", "生态效益指标", "森林覆盖率", "≥60%"), econ("带动农户增收", "≥5万元"),
    social("受益行政村数量", "=11个"), ind("效益指标", "生态效益指标", "生态环境安全隐患整治率", "≥90%"),
])
def test_category_fit_stays_silent(indicator):
    assert not codes(run(project(*BASIC, indicator)), "V-CATEGORY-FIT")


def test_cost_times_quantity_over_the_budget_from_the_goal():
    sheet = project(qty("硬化村组道路", "≥2.5公里"), cost("每公里造价", "≤50万元/公里"), *BASIC[1:],
                    goals=["本项目预算资金100万元, 硬化村组道路2.5公里"])
    (d,) = codes(run(sheet), "R17")
    assert "125" in d.message and "目标1" in d.message


def test_monthly_cost_counts_twelve_months():
    sheet = project(qty("公益性岗位人数", "=40个"), cost("岗位补贴标准", "≤2000元/人·月"), *BASIC[1:],
                    funds={"total": 60.0})
    (d,) = codes(run(sheet), "R17")
    assert "12 个月" in d.message and "96" in d.message


def test_cost_within_the_budget_is_silent():
    sheet = project(qty("公益性岗位人数", "=40个"), cost("岗位补贴标准", "≤1200元/人·月"), *BASIC[1:],
                    funds={"total": 60.0})
    assert not codes(run(sheet), "R17")


def test_cost_rates_without_any_money():
    (d,) = codes(run(project(*BASIC, cost("项目成本控制率", "≤100%"))), "R17")
    assert "没有一项金额" in d.message
    assert not codes(run(project(*BASIC, cost("项目成本控制率", "≤100%"), cost("项目总成本", "≤90万元"))), "R17")


def test_goal_that_is_the_project_name():
    sheet = project(*BASIC, goals=["农村实用技术培训项目"])
    assert codes(run(sheet), "V-GOAL-SPENDING")


def test_goal_with_money_and_results_is_fine():
    sheet = project(*BASIC, goals=["投入资金15万元, 开展农村实用技术培训500人次, 政策知晓率达到90%"])
    assert not codes(run(sheet), "V-GOAL-SPENDING")


def test_goal_number_agreeing_with_the_indicator_or_about_something_else_is_silent():
    sheet = project(qty("农村实用技术培训人次", "≥600人次"), *BASIC[1:],
                    goals=["开展农村实用技术培训500人次, 发放宣传资料3000份"])
    assert not codes(run(sheet), "V-GOAL-MISMATCH")


@pytest.mark.parametrize("name", ["资金使用合规性", "档案资料完整性", "政府采购规范性", "居民健康素养水平"])
def test_percent_of_compliance_or_a_statistic_is_measurable(name):
    assert not codes(run(project(*BASIC, social(name, "=100%"))), "V-UNMEASURABLE")


def test_time_written_as_a_percentage():
    (d,) = codes(run(project(*BASIC, timely("项目完成时间", "=100%"))), "R16")
    assert "百分比" in d.message and "及时率" in d.hint
    assert not codes(run(project(*BASIC, timely("项目完成及时率", "=100%"))), "R16")


def test_satisfaction_of_100_on_a_self_evaluation_asks_for_an_explanation():
    sheet = _self_evaluation(qty("培训人次", "≥500人次", actual="520人次"), social("政策知晓率", "≥90%", actual="92%"),
                             sat("参训人员满意度", "=100%", actual="96%"))
    (d,) = codes(run(sheet), "R14")
    assert d.severity == "info" and "偏差原因" in d.hint


def test_full_marks_although_the_target_was_missed():
    sheet = _self_evaluation(qual("培训合格率", "≥90%", actual="85%", weight=15, score=15), *BASIC)
    (d,) = codes(run(sheet), "V-SE-FULL-MARKS")
    assert "没有达到" in d.message


def test_full_marks_on_words_for_a_numeric_target():
    sheet = _self_evaluation(econ("参训人员月均收入增加", "≥500元", actual="达到预期", weight=15, score=15), *BASIC)
    (d,) = codes(run(sheet), "V-SE-FULL-MARKS")
    assert "数值" in d.message


def test_deadline_without_a_date():
    assert codes(run(project(*BASIC, timely("完成时间", "按时完成"))), "R16")
    assert not codes(run(project(*BASIC, timely("完成时间", "2024年6月底前完成"))), "R16")


def test_goal_with_a_total_and_a_part_matches_both_indicators():
    sheet = project(qty("农民培训人次", "≥1000人次"), qty("新型职业农民培训人次", "≥200人次"), *BASIC[1:],
                    goals=["年度培训农民1000人次, 其中新型职业农民培训200人次"])
    assert not codes(run(sheet), "V-GOAL-MISMATCH")


def test_execution_score_against_budget_and_spending():
    sheet = _self_evaluation(*BASIC, funds={"budget": 100.0, "executed": 80.0}, extra={"预算执行率得分": 10})
    (d,) = codes(run(sheet), "V-SE-TOTAL")
    assert "80.0%" in d.message and "8" in d.message and d.extra["location"] == "表头·资金"
    ok = _self_evaluation(*BASIC, funds={"budget": 100.0, "executed": 80.0}, extra={"预算执行率得分": 8})
    assert not codes(run(ok), "V-SE-TOTAL")


def test_score_above_the_proportion_of_a_missed_target():
    sheet = _self_evaluation(qty("培训人次", "≥500人次", actual="400人次", weight=50, score=48), *BASIC[1:])
    (d,) = codes(run(sheet), "V-SE-SCORE-HIGH")
    assert "40" in d.message
    fair = _self_evaluation(qty("培训人次", "≥500人次", actual="400人次", weight=50, score=40), *BASIC[1:])
    assert not codes(run(fair), "V-SE-SCORE-HIGH")


@pytest.mark.parametrize("name, target", [("三级指标内容", "指标值及单位"), ("(40-50)分", "数量指"),
                                          ("计划标准", "其他需说明的问题")])
def test_header_rows_read_as_indicators_get_one_hint_and_nothing_else(name, target):
    report = run(project(*BASIC, qty(name, target)))
    on_cell = [d for d in report.findings if d.where.startswith("indicators[3]")]
    assert [(d.code, d.severity) for d in on_cell] == [("V-NOT-INDICATOR", "info")]


@pytest.mark.parametrize("name", ["培训期数", "项目得分率", "指标完成率", "三级指标完成情况"])
def test_real_indicators_are_not_header_rows(name):
    assert not codes(run(project(*BASIC, qty(name, "≥5期"))), "V-NOT-INDICATOR")


def test_money_as_an_output_is_an_error_only_when_it_is_budget_money():
    assert codes(run(project(*BASIC, qty("享受人大补助", "=60元"))), "R18")[0].severity == "error"
    (d,) = codes(run(project(*BASIC, qty("购置办公设备", "=3万元"))), "R18")
    assert d.severity == "warning"
    assert not codes(run(project(*BASIC, qty("招商引资到位资金", "≥5000万元"))), "R18")


def test_ten_thousand_units_count_in_cost_times_quantity():
    sheet = project(qty("发放种粮补贴面积", "≥5万亩"), cost("每亩补贴标准", "=120元/亩"), *BASIC[1:], funds={"total": 450.0})
    (d,) = codes(run(sheet), "R17")
    assert "600" in d.message


def test_work_counts_under_effects():
    (d,) = codes(run(project(*BASIC, social("统计执法检查", "≥10家"))), "V-CATEGORY-FIT")
    assert "产出" in d.hint
    assert not codes(run(project(*BASIC, social("受益群众人数", "≥600人"))), "V-CATEGORY-FIT")


def test_costs_each_within_the_money_but_not_together():
    sheet = project(qty("聘用保洁员", "=60人"), cost("保洁员工资", "≤3000元/人·月"), cost("垃圾清运费", "≤80万元"),
                    *BASIC[1:], funds={"total": 260.0})
    (d,) = codes(run(sheet), "R17")
    assert "合计约 296" in d.message
    with_total = project(qty("聘用保洁员", "=60人"), cost("保洁员工资", "≤3000元/人·月"), cost("项目总成本", "≤250万元"),
                         *BASIC[1:], funds={"total": 260.0})
    assert not codes(run(with_total), "R17")


def test_full_marks_although_finished_late():
    sheet = _self_evaluation(timely("改造完成时间", "2023年10月底前", actual="2023年11月15日", weight=10, score=10), *BASIC)
    (d,) = codes(run(sheet), "V-SE-FULL-MARKS")
    assert "晚于" in d.message
    on_time = _self_evaluation(timely("改造完成时间", "2023年10月底前", actual="2023年10月20日", weight=10, score=10), *BASIC)
    assert not codes(run(on_time), "V-SE-FULL-MARKS")


@pytest.mark.parametrize("name", ["聘用保洁员", "配备护林员"])
def test_hired_staff_counted_as_an_output(name):
    assert codes(run(project(*BASIC, qty(name, "=60人"))), "V-INPUT-STAFF")


def test_count_written_as_a_percentage():
    (d,) = codes(run(project(*BASIC, social("受益群众人数", "=100%"))), "R11")
    assert d.severity == "warning" and "计数" in d.message
    assert not codes(run(project(*BASIC, social("受益群众人数增长", "≥10%"))), "R11")


def test_construction_under_social_effect_is_an_output():
    assert codes(run(project(*BASIC, social("新建村组道路", "≥3公里"))), "V-CATEGORY-FIT")
    assert not codes(run(project(*BASIC, ind("效益指标", "生态效益指标", "新增和改善灌溉达标面积", "≥500亩"))),
                     "V-CATEGORY-FIT")


@pytest.mark.parametrize("name, target", [("群众看病负担", "进一步减轻"), ("群众文化生活", "不断丰富")])
def test_more_vague_verbs(name, target):
    assert codes(run(project(*BASIC, social(name, target))), "V-VAGUE")


@pytest.mark.parametrize("target", ["良好", "较好", "优"])
def test_graded_words_are_not_vague(target):
    assert not codes(run(project(*BASIC, qual("服务质量", target))), "V-VAGUE")


def test_recovering_misused_funds_is_positive():
    assert not codes(run(project(*BASIC, qty("追回违规基金", "≥200万元"))), "R13")


def test_a_duration_in_words_is_a_time_requirement():
    assert not codes(run(project(*BASIC, timely("补贴资金兑付时间", "申请后30个工作日内"))), "R16")


def test_canteen_diners_of_the_office_are_staff():
    assert codes(run(project(*BASIC, qty("机关食堂就餐人数", "=55人"))), "V-INPUT-STAFF")


def test_people_on_a_register_are_a_stock():
    assert codes(run(project(*BASIC, qty("在册社区矫正对象", "=210人"))), "V-CATEGORY-FIT")


def test_growth_rate_above_target_is_not_over_achievement():
    sheet = _self_evaluation(*BASIC, social("数字资源访问量增长率", "≥10%", actual="12%"))
    assert not codes(run(sheet), "V-OVER-ACHIEVED")


def test_change_written_as_the_value_has_no_base():
    (d,) = codes(run(project(*BASIC, social("道路通行能力", "提高30%"))), "V-UNMEASURABLE")
    assert "基数" in d.message


def test_single_verb_value_is_vague():
    assert codes(run(project(*BASIC, social("沿线居民出行时间", "缩短"))), "V-VAGUE")


@pytest.mark.parametrize("target", ["更加浓厚", "持续向好", "不断优化"])
def test_short_values_of_direction_only_are_vague(target):
    assert codes(run(project(*BASIC, social("全民阅读氛围", target))), "V-VAGUE")


@pytest.mark.parametrize("target", ["持续发挥作用", "达到预期", "应保尽保", "优良"])
def test_graded_values_seen_on_forms_are_not_vague(target):
    assert not codes(run(project(*BASIC, social("长效机制", target))), "V-VAGUE")


def test_unit_cost_per_batch_times_batches():
    sheet = project(qty("食品安全抽检批次", "≥800批次"), cost("每批次抽检费用", "≤600元/批次"), *BASIC[1:],
                    funds={"total": 40.0})
    assert "48" in codes(run(sheet), "R17")[0].message


def test_village_organisations_are_a_stock():
    assert codes(run(project(*BASIC, qty("村级组织数量", "=15个"))), "V-CATEGORY-FIT")


@pytest.mark.parametrize("name", ["网格员", "专职网格员人数", "护林员"])
def test_role_staff_counted_as_an_output(name):
    assert codes(run(project(*BASIC, qty(name, "=45人"))), "V-INPUT-STAFF")


@pytest.mark.parametrize("name", ["参训学员", "培训网格员人次"])
def test_people_trained_are_an_output(name):
    assert not codes(run(project(*BASIC, qty(name, "≥45人"))), "V-INPUT-STAFF")


def test_partial_tier_with_full_marks_or_above_its_band():
    full = _self_evaluation(*BASIC, social("档案安全保管", "长期有效", actual="部分达成年度指标并具有一定效果",
                                           weight=15, score=15))
    assert codes(run(full), "V-SE-FULL-MARKS")
    high = _self_evaluation(*BASIC, social("档案安全保管", "长期有效", actual="部分达成年度指标并具有一定效果",
                                           weight=15, score=13))
    assert codes(run(high), "V-SE-SCORE-HIGH")
    fair = _self_evaluation(*BASIC, social("档案安全保管", "长期有效", actual="部分达成年度指标并具有一定效果",
                                           weight=15, score=11))
    assert not codes(run(fair), "V-SE-SCORE-HIGH")


def test_vague_goal_without_any_number():
    report = run(project(*BASIC, goals=["全面加强干部队伍建设, 不断提高工作水平"]))
    (d,) = codes(report, "R20")
    assert "笼统" in d.message
    assert not codes(run(project(*BASIC, goals=["进一步提高培训质量, 全年培训500人次"])), "R20")


def test_goal_that_is_the_project_name_without_its_year():
    assert codes(run(project(*BASIC, project="2024年基层干部培训", goals=["基层干部培训"])), "V-GOAL-SPENDING")


def test_training_staff_is_an_output():
    assert not codes(run(project(*BASIC, qty("培训基层干部", "≥300人次"))), "V-INPUT-STAFF")


def test_budget_execution_inside_a_block_counts_in_it():
    sheet = _self_evaluation(qty("培训人次", "≥500人次", actual="520人次", weight=50, score=50),
                             social("政策知晓率", "≥90%", actual="92%", weight=20, score=20),
                             social("预算执行率", "≥95%", actual="96%", weight=10, score=10),
                             sat("参训人员满意度", "≥90%", actual="95%", weight=10, score=10))
    assert not codes(run(sheet), "V-SE-BLOCKS")


def test_full_marks_on_a_weaker_actual():
    sheet = _self_evaluation(*BASIC, social("财政资金使用效益", "明显提高", actual="有所提高", weight=20, score=20))
    assert codes(run(sheet), "V-SE-FULL-MARKS")
