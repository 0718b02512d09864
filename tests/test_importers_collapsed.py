"""Forms whose whitespace was lost: the whole table one run of text.

``collapse`` prints a generated sheet as such a page would: the header fields and
the column titles run together, then every row's cells joined without a
separator, 一级/二级 labels only on the first row of their block (with a subtotal
such as 产出指标(50分) now and then), in one of several column orders, with
weights, actual values and scores filled in as a self-evaluation has them
(tests/collapsed_forms.py); here, how the importer reads such runs back.
"""
from __future__ import annotations

import random

import pytest
from collapsed_forms import LAYOUTS, collapse
from generator import gold_of, make_sheet
from sheet_score import score

from jixiao.errors import NoIndicatorTable
from jixiao.importers.formats.collapsed import import_collapsed
from jixiao.importers.formats.split import name_cost, values
from jixiao.importers.formats.text import import_text
from jixiao.model.codec import sheet_to_dict


def _sample(seed: int, layout: str | None = None, per_line: bool = False) -> tuple[str, dict]:
    rng = random.Random(seed)
    kind = "department" if rng.random() < 0.3 else "project"
    sheet = make_sheet(rng, kind=kind, regime=rng.choice(["classic", "2021"]),
                       functions=rng.randint(2, 3) if kind == "department" else None)
    layout = layout or rng.choice(list(LAYOUTS))
    text = collapse(sheet, rng, layout, per_line)
    return text, gold_of(sheet)


def _f1(text: str, gold: dict) -> float:
    return score(gold, sheet_to_dict(import_text(text)))["f1"]


# -- the reading of one run ---------------------------------------------------------


def test_numbers_run_together_are_cut_by_the_rules_real_forms_obey():
    # 分值 before 指标值: 20|100%|100%|20 and 10|20万元|20万元|10, found by no
    # leading zeros, 得分 ≤ 分值, the actual repeating the target, 70 = 10+20+30+10
    text = ("绩效目标自评表(2023年度)项目名称某村道路维修项目主管部门某县交通运输局实施单位某县交通运输局"
            "一级指标二级指标三级指标分值年度指标值全年实际值得分未完成原因及拟采取的改进措施"
            "产出指标(70分)数量指标维修(改造)道路长度10≥12公里≥12公里10质量指标工程(项目)验收合格率20100%100%20"
            "时效指标按期完工率30≥90%≥90%30成本指标项目总投资1045万元45万元10"
            "效益指标(20分)社会效益指标受益群众(含脱贫户)人数20≥3000人≥3000人18"
            "满意度指标(10分)服务对象满意度指标受益群众满意度10≥95%≥95%10总分10098")
    sheet = import_text(text)
    got = [(i.level2, i.name, i.weight, i.target.text, i.actual.text, i.score) for i in sheet.indicators]
    assert got == [
        ("数量指标", "维修(改造)道路长度", 10, "≥12公里", "≥12公里", 10),
        ("质量指标", "工程(项目)验收合格率", 20, "100%", "100%", 20),
        ("时效指标", "按期完工率", 30, "≥90%", "≥90%", 30),
        ("成本指标", "项目总投资", 10, "45万元", "45万元", 10),
        ("社会效益指标", "受益群众(含脱贫户)人数", 20, "≥3000人", "≥3000人", 18),
        ("服务对象满意度指标", "受益群众满意度", 10, "≥95%", "≥95%", 10),
    ]
    assert (sheet.year, sheet.project, sheet.unit, sheet.stage) == (2023, "某村道路维修项目", "某县交通运输局",
                                                                     "self_evaluation")
    assert any(d.code == "IMPORT_COLLAPSED_TABLE" for d in sheet.diagnostics)


def test_qualitative_values_names_ending_in_digits_and_an_empty_label():
    text = ("一级指标二级指标三级指标指标值实际完成值分值得分"
            "产出指标数量指标建设5G基站≥3个3个2020质量指标资金使用合规性严格执行相关制度规定达到预期1515"
            "效益指标经济效益指标社会效益指标群众生活条件改善情况显著提升显著提升3530"
            "满意度指标服务对象满意度指标群众满意度≥90%96%3030")
    sheet = import_text(text)
    got = [(i.level2, i.name, i.target.text, i.actual.text, i.weight, i.score) for i in sheet.indicators]
    assert got == [
        ("数量指标", "建设5G基站", "≥3个", "3个", 20, 20),
        ("质量指标", "资金使用合规性", "严格执行相关制度规定", "达到预期", 15, 15),
        ("社会效益指标", "群众生活条件改善情况", "显著提升", "显著提升", 35, 30),
        ("服务对象满意度指标", "群众满意度", "≥90%", "96%", 30, 30),
    ]


def test_split_operator_value_and_unit_columns():
    text = ("一级指标二级指标三级指标指标性质指标值度量单位权重(%)"
            "产出指标数量指标开展培训次数≥12次20质量指标培训合格率≥95%30"
            "效益指标社会效益指标政策知晓率提升定性有所提升30满意度指标服务对象满意度指标参训人员满意度≥90%20")
    sheet = import_text(text)
    got = [(i.name, i.target.text, i.weight) for i in sheet.indicators]
    assert got == [("开展培训次数", "≥12次", 20), ("培训合格率", "≥95%", 30), ("政策知晓率提升", "有所提升", 30),
                   ("参训人员满意度", "≥90%", 20)]


def test_department_form_with_function_labels():
    text = ("2024年部门整体支出绩效目标申报表部门(单位)名称某镇人民政府主管部门某县人民政府"
            "核心职能一级指标二级指标三级指标指标值"
            "职能1:负责党建、宣传工作。产出指标数量指标开展党日活动次数≥12次效益指标社会效益指标党员教育覆盖率=100%"
            "职能2:负责农业农村工作。产出指标数量指标高标准农田建设面积≥500亩满意度指标服务对象满意度指标农户满意度≥90%")
    sheet = import_text(text)
    assert sheet.kind == "department" and sheet.year == 2024 and sheet.unit == "某镇人民政府"
    assert [(f.label, f.description, [i.name for i in f.indicators]) for f in sheet.functions] == [
        ("职能1", "负责党建、宣传工作。", ["开展党日活动次数", "党员教育覆盖率"]),
        ("职能2", "负责农业农村工作。", ["高标准农田建设面积", "农户满意度"])]


def test_weights_that_miss_the_subtotal_are_reported():
    text = ("一级指标二级指标三级指标分值指标值实际完成值得分"
            "产出指标(50分)数量指标发放补贴人数20≥100人≥100人20质量指标补贴发放准确率20100%100%20"
            "满意度指标(10分)服务对象满意度指标受益群众满意度10≥90%≥90%10")
    sheet = import_text(text)
    assert [i.weight for i in sheet.indicators] == [20, 20, 10]
    codes = [d.code for d in sheet.diagnostics]
    assert "IMPORT_COLLAPSED_SUBTOTAL_MISMATCH" in codes


def test_no_header_run_or_no_values_is_no_table():
    with pytest.raises(NoIndicatorTable):
        import_collapsed("关于下达2023年资金的通知各乡镇:现将资金下达给你们。")
    with pytest.raises(NoIndicatorTable):
        import_collapsed("一级指标二级指标三级指标指标值产出指标数量指标88100质量指标88100")


def test_an_empty_template_is_refused_rather_than_guessed():
    # no values at all: every cut would be a guess
    text = ("一级指标二级指标三级指标年初目标值实际完成值得分产出指标数量指标发放助学金人数发放奖学金人数"
            "成本指标人均资助标准效益指标社会效益指标资金发放率困难学生完成学业率满意度指标服务对象满意度指标学生满意度")
    with pytest.raises(NoIndicatorTable, match="把握不大"):
        import_text(text)


def test_values_and_names():
    text = "≥266米水标尺宽度"
    cands = {t for _, _, t in values(text, 0, len(text))}
    assert "≥266米" in cands and "≥266" in cands
    assert "≥0266米" not in {t for _, _, t in values("≥0266米", 0, 6)}
    assert name_cost("项目(工程)验收合格率") < name_cost("项目(工程")
    assert name_cost("≥90%") == float("inf")


# -- generated forms ----------------------------------------------------------------


# (the costs were set by hand looking at seeds 0-5 per layout and 1000-1039; the
# suite measures other seeds)
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_each_layout_reads_back(layout):
    f1s = [_f1(*_sample(7000 + seed, layout)) for seed in range(4)]
    assert sum(f1s) / len(f1s) >= 0.8, (layout, f1s)


def test_f1_over_generated_collapsed_forms():
    f1s = [_f1(*_sample(5000 + seed)) for seed in range(120)]
    mean = sum(f1s) / len(f1s)
    assert mean >= 0.93, mean  # 0.956 when written


# -- one row per line, its cells run together (an XLSX shown on a web page) ---------


def test_rows_on_lines_of_their_own_are_cut_at_the_line_ends():
    f1s = [_f1(*_sample(5000 + seed, per_line=True)) for seed in range(40)]
    assert sum(f1s) / len(f1s) >= 0.95, f1s  # 0.982 when written (one run of text: 0.966)


def test_a_short_level1_word_at_a_line_start_is_the_level1_label():
    text = ("项目绩效目标表\n指标名称指标说明目标值分值\n产出数量指标享受资助人数达到预计值210010\n"
            "资金支出率达到目标值95%10\n质量指标建档立卡学生全面覆盖100%10\n效益社会效益指标受益学生人数达到预计值300人20\n")
    got = [(i.level1, i.level2, i.name, i.target.text, i.weight) for _, i in import_text(text).all_indicators()]
    assert got == [("产出指标", "数量指标", "享受资助人数", "2100", 10.0),
                   ("产出指标", "数量指标", "资金支出率", "95%", 10.0),
                   ("产出指标", "质量指标", "建档立卡学生全面覆盖", "100%", 10.0),
                   ("效益指标", "社会效益指标", "受益学生人数", "300人", 20.0)]


# -- one value column per town --------------------------------------------------------


def test_one_value_column_per_town_with_the_operator_in_its_own_column():
    text = ("附件2某区2025年水利专项资金绩效目标表项目名称水利专项资金主管部门(单位)名称某区水利局绩效指标"
            "一级指标二级指标三级指标指标解释指标方向东坪乡城关镇产出指标数量指标开展修复工程(个)反映修复工程开展情况≥12"
            "质量指标已建工程是否存在质量问题当年已完工项目是否在检查中发现质量问题是/否否否"
            "时效指标项目开展率(%)反映修复开展情况≥100%100%")
    sheet = import_text(text)
    got = [(i.name, i.target.text, i.explanation, i.extra.get("by_column")) for _, i in sheet.all_indicators()]
    assert got == [("开展修复工程(个)", "≥1", "反映修复工程开展情况", {"东坪乡": "1", "城关镇": "2"}),
                   ("已建工程是否存在质量问题", "否", "当年已完工项目是否在检查中发现质量问题", {"东坪乡": "否", "城关镇": "否"}),
                   ("项目开展率(%)", "≥100%", "反映修复开展情况", {"东坪乡": "100%", "城关镇": "100%"})]
    assert sheet.unit == "某区水利局"
    assert [d.where for d in sheet.diagnostics if d.code == "IMPORT_COLUMN_VALUES_DIFFER"] == ["indicators[0]"]
