"""Issue 12, items 3 and 4: traditional characters, pinyin glosses, operator
look-alikes, page furniture, site boilerplate, truncated last rows, tables without a
heading row. Inputs are written here in the manner of real publications (no corpus
text); the last test reads the real excerpts from ../shared and skips without them."""
import json
from pathlib import Path

import pytest
from sheet_score import score

from jixiao.importers.formats.text import import_text
from jixiao.importers.formats.tidy import furniture, tidy, to_simplified
from jixiao.importers.recover.operators import repair
from jixiao.model.codec import sheet_to_dict
from jixiao.model.target import parse_target


def _codes(sheet):
    return [d.code for d in sheet.diagnostics]


def _rows(sheet):
    return [(i.level1, i.level2, i.name, i.target.text if i.target else None) for _, i in sheet.all_indicators()]


PIPE_TABLE = """\
{title} | |||||
项目名称 | {project} | |||||
主管部门 | {unit} | |||||
一级指标 | 二级指标 | 三级指标 | 指标值 | 度量单位 | 备注 |
产出指标 | 数量指标 | {n1} | 120 | 户 | |
质量指标 | {n2} | {v2} | | |
时效指标 | {n3} | 100% | | |
效益指标 | 社会效益指标 | {n4} | 有效改善 | | |
"""


# --- traditional characters and glosses -------------------------------------------------
def test_traditional_form_is_read_in_simplified_and_the_original_kept():
    text = PIPE_TABLE.format(
        title="2021年農村危房改造補助資金績效目標表", project="農村危房改造補助項目", unit="某某縣住房和城鄉建設局",
        n1="完成危房改造戶數", n2="竣工驗收合格率", v2="≥95%", n3="補助資金發放及時率", n4="農村住房安全保障水平")
    sheet = import_text(text)
    assert _rows(sheet) == [
        ("产出指标", "数量指标", "完成危房改造户数", "120户"),
        ("产出指标", "质量指标", "竣工验收合格率", "≥95%"),
        ("产出指标", "时效指标", "补助资金发放及时率", "100%"),
        ("效益指标", "社会效益指标", "农村住房安全保障水平", "有效改善")]
    assert sheet.project == "农村危房改造补助项目"
    d = next(d for d in sheet.diagnostics if d.code == "IMPORT_TRADITIONAL_CONVERTED")
    assert d.severity == "info" and d.hint
    assert "完成危房改造戶數" in "".join(d.extra["original"].values())


def test_pinyin_glosses_after_characters_are_dropped():
    text = PIPE_TABLE.format(
        title="2020年學(xué)生資助績(jī)效目標(biāo)表", project="學(xué)生資助補助經(jīng)費", unit="某市教育局",
        n1="資助學(xué)生人數(shù)", n2="資助對(duì)象識別準確率", v2="100%", n3="資金發(fā)放及時率",
        n4="家庭經(jīng)濟困難學(xué)生(含殘疾學(xué)生)就學保障")
    sheet = import_text(text)
    names = [r[2] for r in _rows(sheet)]
    assert names == ["资助学生人数", "资助对象识别准确率", "资金发放及时率", "家庭经济困难学生(含残疾学生)就学保障"]
    assert "IMPORT_GLOSS_DROPPED" in _codes(sheet)


def test_simplified_text_is_left_alone():
    lines = ["显著提升", "乾隆路改造工程", "覆盖率≥95%", "干部培训人次"]
    out, originals = to_simplified(lines)
    assert out == lines and originals == {}
    assert tidy("\n".join(lines)) == ("\n".join(lines), [])


# --- operators ----------------------------------------------------------------------------
@pytest.mark.parametrize("value,name,repaired,kind", [
    ("═100%", "资金到位率", "=100%", "glyph"),
    ("〓12个", "培训场次", "=12个", "glyph"),
    ("≥=90%", "满意度", "≥90%", "glyph"),
    ("=>85%", "知晓率", "≥85%", "glyph"),
    ("≤=5%", "差错率", "≤5%", "glyph"),
    ("二100%", "验收合格率", "=100%", "guess"),
    ("295%", "群众满意度", "≥95%", "guess"),
    ("2100%", "资金发放到位率", "≥100%", "guess"),
])
def test_operator_look_alikes_are_repaired(value, name, repaired, kind):
    assert repair(value, name)[:2] == (repaired, kind)


@pytest.mark.parametrize("value,name", [
    ("250%", "农民收入增长率"),   # a rise may be 250%
    ("295%", "道路长度"),         # nothing says it cannot exceed 100%
    ("25%", "合格率"),            # under 100 as written
    ("二级", "x"), ("≥95%", "满意度"), ("≧95%", "满意度"), (">=90%", "合格率"), ("﹦100%", "到位率"),
    ("95%以上", "满意度"),
])
def test_values_that_need_no_repair_stay(value, name):
    assert repair(value, name) == (value, None, None)


@pytest.mark.parametrize("value,op,v,unit", [
    ("≧95%", "≥", 95, "%"), (">=101人/次", "≥", 101, "人/次"), ("﹦100%", "=", 100, "%"),
    ("95%以上", "≥", 95, "%"), ("5%以下", "≤", 5, "%")])
def test_the_parser_reads_the_other_spellings_as_written(value, op, v, unit):
    t = parse_target(value)
    assert (t.text, t.op, t.value, t.unit) == (value, op, v, unit)


def test_a_repaired_operator_is_reported_on_its_indicator():
    text = PIPE_TABLE.format(title="某项目绩效目标表", project="某项目", unit="某局", n1="改造户数", n2="竣工验收合格率",
                             v2="292%", n3="补助发放及时率", n4="住房安全水平").replace("| 100% |", "| ═100% |")
    sheet = import_text(text)
    rows = _rows(sheet)
    assert rows[1][3] == "≥92%" and rows[2][3] == "=100%"
    guess = [d for d in sheet.diagnostics if d.code == "IMPORT_OPERATOR_REPAIRED"]
    assert [(d.where, d.severity, d.extra["original"]) for d in guess] == [("indicators[1]", "warning", "292%")]
    glyph = next(d for d in sheet.diagnostics if d.code == "IMPORT_OPERATOR_NORMALISED")
    assert glyph.extra["original"] == {"indicators[2]": "═100%"}


def test_a_value_cell_holding_only_its_unit_is_an_unfilled_template():
    for text, op, unit in (("公里", None, "公里"), ("万人", None, "万人"), ("≧ %", "≥", "%")):
        t = parse_target(text)
        assert (t.kind, t.op, t.value, t.unit) == ("placeholder", op, None, unit)
    assert parse_target("高").kind == "qualitative"


# --- page furniture and site text ---------------------------------------------------------
@pytest.mark.parametrize("line", ["— 1 —", "-1-", "- 12 -", "第 1 页 共 3 页", "第2页", "共3页 第1页", "2/3",
                                  "Page 2 of 3", "| — 2 — |", "2022年部门预算项目绩效目标_第3页"])
def test_page_numbers_are_furniture(line):
    assert furniture(line) == "page"


@pytest.mark.parametrize("line", ["本网站支持IPv6", "长者模式", "资源ID:245426", "下载积分:5金币",
                                  "已阅读5页,还剩53页未读, 继续免费阅读", "下载本文档",
                                  "版权说明:本文档由用户提供并上传", "3、本站不支持迅雷下载", "分享到:"])
def test_site_boilerplate_is_furniture(line):
    assert furniture(line) == "site"


@pytest.mark.parametrize("line", ["1", "100%", "产出指标", "全民阅读推广活动场次", "下载量", "≥95%", "12个",
                                  "资金下达及时率", "项目名称 | 本站改造"])
def test_table_text_is_not_furniture(line):
    assert furniture(line) is None


def test_page_furniture_and_site_text_around_a_table_are_dropped():
    text = ("本网站支持IPv6\n长者模式\n分享到:\n"
            + PIPE_TABLE.format(title="某项目绩效目标表", project="道路维修项目", unit="某县交通运输局",
                                n1="维修道路条数", n2="工程验收合格率", v2="100%", n3="完工及时率", n4="群众出行条件")
            .replace("时效指标 |", "— 1 —\n第 1 页 共 2 页\n一级指标 | 二级指标 | 三级指标 | 指标值 | 度量单位 | 备注 |\n时效指标 |")
            + "上一篇:关于下达资金的通知\n打印本页\n关闭窗口\n")
    sheet = import_text(text)
    assert [r[2] for r in _rows(sheet)] == ["维修道路条数", "工程验收合格率", "完工及时率", "群众出行条件"]
    assert sheet.project == "道路维修项目"
    codes = _codes(sheet)
    assert "IMPORT_PAGE_FURNITURE_DROPPED" in codes and "IMPORT_SITE_TEXT_DROPPED" in codes
    assert "IMPORT_TABLE_INCOMPLETE" not in codes


def test_a_heading_repeated_on_the_next_page_of_a_tab_table_is_no_row():
    text = ("项目名称\t某项目\n一级指标\t二级指标\t三级指标\t指标值\n"
            "产出指标\t数量指标\t培训人次\t≥300人次\n\t\t发放手册\t500册\n— 1 —\n"
            "一级指标\t二级指标\t三级指标\t指标值\n\t质量指标\t培训合格率\t≥90%\n"
            "效益指标\t社会效益指标\t技能水平\t有所提升\n")
    sheet = import_text(text)
    assert [r[2] for r in _rows(sheet)] == ["培训人次", "发放手册", "培训合格率", "技能水平"]


# --- truncation ---------------------------------------------------------------------------
HEAD = "一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | 权重 | 备注 |\n"
BODY = ("产出指标 | 数量指标 | 新建机耕道长度 | ≥ | 3.5 | 公里 | 20 | |\n"
        "质量指标 | 工程验收合格率 | = | 100 | % | 20 | |\n"
        "时效指标 | 项目完工及时率 | = | 100 | % | 20 | |\n")


@pytest.mark.parametrize("tail,kept", [
    ("成本指标 | 每公里建设成本 | ≤ | 6", False),          # the value cut mid-number
    ("成本指标 | 每公里建设成本 | ≤ | 60 | ", False),      # cut before its unit
    ("成本指标 | 每公里建设成本", False),                  # cut after the name
    ("成本指标 | 每公里建设成本 | ≤ | 60 | 万元 | 2", True),  # only the weight cut: the target is whole
])
def test_a_last_row_cut_off_is_no_indicator_and_the_table_is_marked_incomplete(tail, kept):
    sheet = import_text("项目名称 | 机耕道建设项目 |\n" + HEAD + BODY + tail + "\n")
    names = [r[2] for r in _rows(sheet)]
    assert names[:3] == ["新建机耕道长度", "工程验收合格率", "项目完工及时率"]
    assert ("每公里建设成本" in names) is kept
    if kept:
        ind = sheet.indicators[-1]
        assert ind.target.text == "≤60万元" and ind.weight is None
    d = [d for d in sheet.diagnostics if d.code == "IMPORT_TABLE_INCOMPLETE"]
    assert len(d) == 1 and d[0].severity == "warning" and "每公里建设成本" in d[0].message


def test_a_whole_table_is_not_marked_incomplete():
    sheet = import_text("项目名称 | 机耕道建设项目 |\n" + HEAD + BODY + "成本指标 | 每公里建设成本 | ≤ | 60 | 万元 | 20 | |\n")
    assert len(sheet.indicators) == 4 and "IMPORT_TABLE_INCOMPLETE" not in _codes(sheet)


def test_one_cell_per_line_cut_inside_a_cell():
    cells = ["一级指标", "二级指标", "三级指标", "指标值", "产出指标", "数量指标", "改造户厕数", "200户",
             "质量指标", "户厕验收合格率", "≥95%", "时效指标", "完工及时率", "100%", "成本指标", "户均补助标准"]
    text = "".join(f"{c} |\n" for c in cells) + "≤12\n"
    sheet = import_text(text)
    assert [r[2] for r in _rows(sheet)] == ["改造户厕数", "户厕验收合格率", "完工及时率"]
    assert "IMPORT_TABLE_INCOMPLETE" in _codes(sheet)


# --- no heading row -----------------------------------------------------------------------
def test_a_table_without_its_heading_row_is_read_in_the_usual_column_order():
    cells = ["产出指标", "数量指标", "保洁河道长度", "12公里", "产出指标", "质量指标", "河面漂浮物清理率", "≥95%",
             "产出指标", "时效指标", "保洁服务期限", "2024年全年", "效益指标", "生态效益指标", "河道水质", "持续改善"]
    text = "(续上表)\n" + "".join(f"{c}\n|\n" for c in cells)
    sheet = import_text(text)
    assert _rows(sheet) == [("产出指标", "数量指标", "保洁河道长度", "12公里"),
                            ("产出指标", "质量指标", "河面漂浮物清理率", "≥95%"),
                            ("产出指标", "时效指标", "保洁服务期限", "2024年全年"),
                            ("效益指标", "生态效益指标", "河道水质", "持续改善")]
    assert "IMPORT_TABLE_HEADLESS" in _codes(sheet)


def test_prose_without_a_table_is_still_refused():
    from jixiao.errors import NoIndicatorTable

    with pytest.raises(NoIndicatorTable):
        import_text("关于下达2024年专项资金的通知\n各乡镇人民政府:\n现将资金下达给你们, 请按规定使用。\n")


# --- the real excerpts (../shared) --------------------------------------------------------
ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT.parent / "shared" / "corpus" / "dev" / "raw"
REAL = ROOT / "tests" / "data" / "real"


@pytest.mark.skipif(not RAW.exists(), reason="../shared/corpus/dev/raw is not beside the repository")
@pytest.mark.parametrize("name", ["010", "020", "021"])
def test_real_excerpts_with_these_phenomena_are_read(name):
    raw = (RAW / f"{name}.txt").read_text(encoding="utf-8").split("\n")
    while raw and (raw[0].startswith(("source:", "kind:")) or not raw[0].strip()):
        raw.pop(0)
    gold = json.loads((REAL / f"{name}.gold.json").read_text(encoding="utf-8"))
    assert score(gold, sheet_to_dict(import_text("\n".join(raw))))["f1"] >= 0.99


# --- rows that print their own labels, several projects, bands, empty rows ----------------
def test_rows_that_print_both_labels_keep_them_in_any_order_and_hybrid_pairs():
    text = ("一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | 权重 |\n"
            "效益指标 | 社会效益指标 | 群众安全感 | ≥ | 90 | % | 20 |\n"
            "产出指标 | 数量指标 | 巡逻次数 | ≥ | 120 | 次 | 20 |\n"
            "产出指标 | 经济成本指标 | 巡逻经费 | ≤ | 8 | 万元 | 20 |\n"
            "满意度指标 | 服务对象满意度指标 | 居民满意度 | ≥ | 90 | % | 20 |\n"
            "产出指标 | 时效指标 | 接警到场时间 | ≤ | 15 | 分钟 | 20 |\n")
    assert [(r[0], r[1]) for r in _rows(import_text(text))] == [
        ("效益指标", "社会效益指标"), ("产出指标", "数量指标"), ("产出指标", "经济成本指标"),
        ("满意度指标", "服务对象满意度指标"), ("产出指标", "时效指标")]


def test_a_table_of_several_projects_skips_each_projects_own_cells():
    text = ("| 单位名称 | 项目名称 | 预算数 | 年度目标 | 一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | 权重 |\n"
            "| 某镇人民政府 | 村级公益岗补助 | 1,250,000.00 | 按时发放补助 | 产出指标 | 数量指标 | 公益岗人数 | = | 50 | 人 | 30 |\n"
            "| 产出指标 | 时效指标 | 补助发放及时率 | ≥ | 95 | % | 30 |\n"
            "| 道路养护经费 | 360,000.00 | 保障村道通行 | 产出指标 | 数量指标 | 养护村道里程 | ≥ | 40 | 公里 | 40 |\n"
            "| 满意度指标 | 服务对象满意度指标 | 村民满意度 | ≥ | 90 | % | 40 |\n")
    assert [r[2] for r in _rows(import_text(text))] == ["公益岗人数", "补助发放及时率", "养护村道里程", "村民满意度"]


def test_score_bands_empty_label_rows_and_a_name_that_reads_as_a_label():
    cells = ["一级指标", "二级指标", "三级指标", "指标值", "绩效标准",
             "产出指标", "(40-50)分", "数量指标", "洒水作业车辆", "6辆", "计划标准",
             "效益指标", "经济效益指标", " ", " ", "社会效益指标", "道路扬尘改善", "明显改善", "计划标准",
             "服务对象满意度指标", "满意度", "90%", "计划标准", "其他需说明的问题", "无"]
    sheet = import_text("\n\n".join(cells) + "\n")
    assert _rows(sheet) == [("产出指标", "数量指标", "洒水作业车辆", "6辆"),
                            ("效益指标", "社会效益指标", "道路扬尘改善", "明显改善"),
                            ("满意度指标", "服务对象满意度指标", "满意度", "90%")]


def test_a_headless_table_with_actual_values_and_other_spellings_of_the_levels():
    cells = ["按合同执行。", "项目完成指标", "数量指标", "清扫保洁面积", "12万平方米", "12万平方米",
             "项目完成指标", "时效指标", "2023年全年。", "2023年全年。", "2023年全年。",
             "效果指标", "社会效益指标", "市容环境", "有效改善", "有效改善",
             "满意度指标", "服务对象满意度指标", "居民满意度达90%以上。", "居民满意度达90%以上。"]
    text = "".join(f"{c}\n|\n" for c in cells) + "\n二、绩效自评结果\n本单位按要求开展了自评。\n"
    sheet = import_text(text)
    assert _rows(sheet) == [("产出指标", "数量指标", "清扫保洁面积", "12万平方米"),
                            ("产出指标", "时效指标", "2023年全年。", "2023年全年。"),
                            ("效益指标", "社会效益指标", "市容环境", "有效改善"),
                            ("满意度指标", "服务对象满意度指标", "居民满意度达90%以上。", "居民满意度达90%以上。")]
    assert sheet.indicators[0].actual.text == "12万平方米"
    assert parse_target("2023年全年。").value is None


def test_one_complete_row_of_a_pipe_table_is_read():
    text = ("项目名称 | 安防设备购置 |\n一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | 完成值 |\n"
            "产出指标 | 数量指标 | 购置摄像头 | = | 40 | 台 | 40 |\n合计 | |\n")
    assert _rows(import_text(text)) == [("产出指标", "数量指标", "购置摄像头", "=40台")]


def test_one_value_column_per_village_gives_the_value_they_share():
    cells = ["一级指标", "二级指标", "三级指标", "指 标 解 释", "东山村", "西岭村", "南湖镇",
             "产出指标", "数量指标", "新建蓄水池(座)", "反映蓄水池建设数量", "2", "2", "2",
             "质量指标", "工程验收合格率", "反映工程质量", "100%", "100%", "100%",
             "时效指标", "完工时间", "反映进度", "2024年10月底前", "2024年10月底前", "2024年10月底前",
             "效益指标", "社会效益指标", "受益群众人数", "反映受益人数", "300人", "2"]
    sheet = import_text("".join(f"{c} |\n" for c in cells[:-1]) + cells[-1] + "\n")
    assert _rows(sheet) == [("产出指标", "数量指标", "新建蓄水池(座)", "2"),
                            ("产出指标", "质量指标", "工程验收合格率", "100%"),
                            ("产出指标", "时效指标", "完工时间", "2024年10月底前")]
    assert "IMPORT_TABLE_INCOMPLETE" in _codes(sheet)


# --- prose targets ------------------------------------------------------------------------
def test_targets_written_as_sentences_are_read_clause_by_clause():
    text = ("某县2024年造林补助项目公示\n一、项目内容\n完成人工造林1000亩。\n二、绩效目标\n"
            "(一)产出指标\n1、数量指标:完成人工造林1000亩,新建苗圃2个。\n2、质量指标:造林成活率≥85%。\n"
            "3、时效指标:2024年11月底前完成栽植。\n4、成本指标:补助标准为每亩500元。\n"
            "(二)效益指标\n1、生态效益指标:森林覆盖率提高0.3个百分点。\n"
            "2、满意度指标:群众满意度达到90%以上。\n三、监督电话\n")
    sheet = import_text(text)
    assert _rows(sheet) == [
        ("产出指标", "数量指标", "完成人工造林", "1000亩"), ("产出指标", "数量指标", "新建苗圃", "2个"),
        ("产出指标", "质量指标", "造林成活率", "≥85%"), ("产出指标", "成本指标", "补助标准", "每亩500元"),
        ("效益指标", "生态效益指标", "森林覆盖率提高", "0.3个百分点"),
        ("满意度指标", "服务对象满意度指标", "群众满意度", "达到90%以上")]
    assert sheet.indicators[2].target.op == "≥" and sheet.indicators[2].target.value == 85
    assert next(i for i in sheet.indicators if i.name == "补助标准").target.text == "每亩500元"
    sat = next(i for i in sheet.indicators if i.name == "群众满意度")
    assert (sat.level1, sat.target.op, sat.target.value) == ("满意度指标", "≥", 90)
    assert "IMPORT_PROSE_TARGETS" in _codes(sheet)


def test_a_collapsed_fragment_without_its_heading_run():
    text = ("产出指标数量指标培训农技人员人数≥200人 25 发放技术手册=500册 25 时效指标培训完成及时率=100% 25 "
            "效益指标社会效益指标农户技术掌握率≥80% 25 合计100 评价结论按期完成。\n")
    sheet = import_text(text)
    assert _rows(sheet) == [("产出指标", "数量指标", "培训农技人员人数", "≥200人"),
                            ("产出指标", "数量指标", "发放技术手册", "=500册"),
                            ("产出指标", "时效指标", "培训完成及时率", "=100%"),
                            ("效益指标", "社会效益指标", "农户技术掌握率", "≥80%")]
    assert [i.weight for i in sheet.indicators] == [25, 25, 25, 25]
    assert "IMPORT_TABLE_HEADLESS" in _codes(sheet)


def test_a_transposed_table_of_headings_only_is_still_refused():
    from jixiao.errors import NoIndicatorTable

    text = ("项目单位 | 产 出 指 标 | 效 益 指 标 | |||\n质量指标 | 数量指标 | 时效指标 | 社会效益指标 | |||\n"
            "资金投向合规率 | 扶持村数 | 资金使用率 | 指标1:改善村容村貌 | |||\n某某镇\n")
    with pytest.raises(NoIndicatorTable):
        import_text(text)


def test_a_repeated_heading_is_reported():
    text = ("一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t培训人次\t≥300人次\n第 1 页 共 2 页\n"
            "一级指标\t二级指标\t三级指标\t指标值\n\t质量指标\t培训合格率\t≥90%\n")
    sheet = import_text(text)
    d = next(d for d in sheet.diagnostics if d.code == "IMPORT_HEADING_REPEATED")
    assert d.extra["lines"] == [4] and d.hint
    assert [r[2] for r in _rows(sheet)] == ["培训人次", "培训合格率"]


@pytest.mark.parametrize("ending,incomplete", [
    ("效益指标 |\n经济效益", True),            # a block opened, its rows never come
    ("效益指标 |\n(30分) |\n社会效", True),     # with its points, a label cut short
    ("合计 | 100 |", False),                   # the table is closed
    ("效益指标 |\n审核意见:同意", False),       # something closes it
    ("", False),
])
def test_a_text_ending_with_labels_whose_rows_never_come(ending, incomplete):
    cells = ["一级指标", "二级指标", "三级指标", "指标值", "产出指标", "数量指标", "新建水泥路", "2公里",
             "质量指标", "验收合格率", "100%", "时效指标", "完工及时率", "100%"]
    sheet = import_text("".join(f"{c} |\n" for c in cells) + ending + "\n")
    assert len(sheet.indicators) == 3
    assert ("IMPORT_TABLE_INCOMPLETE" in _codes(sheet)) is incomplete


def test_prose_cut_off_in_its_next_block_is_marked_incomplete():
    text = ("(一)、产出指标\n1、数量指标:资助学生1200人次。\n2、质量指标:资助标准100%达标。\n(二)、效")
    sheet = import_text(text)
    assert [r[2] for r in _rows(sheet)] == ["资助学生", "资助标准"]
    assert "IMPORT_TABLE_INCOMPLETE" in _codes(sheet)


def test_a_collapsed_table_cut_off_is_marked_incomplete():
    text = ("项目名称乡村道路硬化一级指标二级指标三级指标指标值分值产出指标数量指标硬化道路长度≥3公里20道路宽度≥3.5米20"
            "质量指标验收合格率100%20效益指标社会效益指标方便群众出行有效改善20满意度指标服务对象满意度指标群众满")
    sheet = import_text(text)
    assert [i.name for i in sheet.indicators] == ["硬化道路长度", "道路宽度", "验收合格率", "方便群众出行"]
    assert "IMPORT_TABLE_INCOMPLETE" in _codes(sheet)
    closed = import_text(text.replace("群众满", "群众满意度≥90%20合计100"))
    assert len(closed.indicators) == 5 and "IMPORT_TABLE_INCOMPLETE" not in _codes(closed)


# --- header fields as real forms label them -----------------------------------------------
def test_the_most_local_supervisor_that_is_filled_in_wins():
    from jixiao.importers.recover.header import parse_header

    h = parse_header([["中央主管部门", "财政部、农业农村部"], ["省级主管部门", "某省农业农村厅"],
                      ["市级主管部门", "某市农业农村局"], ["县级主管部门", "县(市、区)农业农村部门"]])
    assert h.supervisor == "某市农业农村局"
    h = parse_header([["市级主管部门"], ["某市水利局"], ["区级主管部门"], ["某区水利局"]])  # one cell per paragraph
    assert h.supervisor == "某区水利局"


def test_fields_with_their_value_in_one_cell_or_on_a_single_spaced_line():
    from jixiao.importers.recover.header import parse_header

    h = parse_header([["预算单位: 某县某乡人民政府"], ["主管部门 某县民宗委 实施单位 [607001]某县某乡人民政府"]])
    assert (h.unit_name, h.supervisor, h.implementer) == ("某县某乡人民政府", "某县民宗委", "[607001]某县某乡人民政府")
    h = parse_header([["填报单位:(盖章) 单位:万元"], ["填报单位(盖章): 单位负责人:张三"]])
    assert h.unit_name is None  # a stamp and another label are no values
    h = parse_header([["项目实施单位", "某市环境卫生管理处"], ["主管部门及其编码", "某市城市管理局 308001"]])
    assert (h.implementer, h.supervisor) == ("某市环境卫生管理处", "某市城市管理局 308001")


def test_collapsed_headings_shifted_by_one_and_ocr_specks():
    text = ("绩效指标一级指标二级指标绩效标准当年预期实现值数量指标大楼维修维护次数反映全年维修维护情况1200次"
            "质量指标设备更新验收合格率反映设备更新验收情况292%重.要设备维保合格率反映维保质量情况95%"
            "时效指标维修响应及时率反映报修响应情况100%合计")
    sheet = import_text(text)
    assert [(i.name, i.target.text) for i in sheet.indicators] == [
        ("大楼维修维护次数", "1200次"), ("设备更新验收合格率", "≥92%"), ("重要设备维保合格率", "95%"),
        ("维修响应及时率", "100%")]
    assert sheet.indicators[0].explanation is None or sheet.indicators[0].explanation.startswith("反映")
    assert "IMPORT_OPERATOR_REPAIRED" in _codes(sheet)


# --- headless separated rows, two-row headings reprinted -----------------------------------
ROWS = [("产出指标", "数量指标", "培训农民人次", "≥500人次"), ("", "", "发放补贴户数", "=320户"),
        ("", "质量指标", "培训合格率", "≥90%"), ("", "时效指标", "补贴发放及时率", "100%"),
        ("效益指标", "社会效益指标", "农户种植技能", "明显提升"),
        ("满意度指标", "服务对象满意度指标", "参训农民满意度", "≥90%")]
NAMES = [r[2] for r in ROWS]


@pytest.mark.parametrize("sep", ["\t", " | ", "    "])
def test_rows_of_separated_cells_without_a_heading_row(sep):
    width = (8, 10, 14, 10)
    if sep == "    ":  # space-aligned, as pdftotext -layout prints it
        lines = ["".join(c + " " * (w + 4 - len(c)) for c, w in zip(r, width)).rstrip() for r in ROWS]
    else:
        lines = [sep.join(r) + (" |" if "|" in sep else "") for r in ROWS]
    sheet = import_text("某项目绩效目标表(续)\n" + "\n".join(lines) + "\n")
    assert [(i.level1, i.level2, i.name) for i in sheet.indicators] == [
        ("产出指标", "数量指标", "培训农民人次"), ("产出指标", "数量指标", "发放补贴户数"),
        ("产出指标", "质量指标", "培训合格率"), ("产出指标", "时效指标", "补贴发放及时率"),
        ("效益指标", "社会效益指标", "农户种植技能"), ("满意度指标", "服务对象满意度指标", "参训农民满意度")]
    assert "IMPORT_TABLE_HEADLESS" in _codes(sheet)


TAIL = [("效益指标", "经济效益指标", "带动种植户增收", "119万元"), ("", "", "油菜产业产值", "达到810万元"),
        ("", "生态效益指标", "新增和改善灌溉面积", "=4650亩"), ("", "", "空气质量优良天数比例", "≧90%"),
        ("", "", "生态环境质量", "明显改善")]


@pytest.mark.parametrize("sep", ["\t", " | "])
def test_the_tail_of_a_table_with_two_label_lines_only(sep):
    # an excerpt that starts at the table's last 一级 block: no heading row, and only
    # two lines print a label of their own; its rows still read as a table
    lines = [sep.join(r) + (" |" if "|" in sep else "") for r in TAIL]
    sheet = import_text("\n".join(lines) + "\n")
    assert [(i.level2, i.name, i.target.text) for i in sheet.indicators] == [
        (l2 or prev, name, value) for (_, l2, name, value), prev in
        zip(TAIL, ["经济效益指标"] * 2 + ["生态效益指标"] * 3)]
    assert {i.level1 for i in sheet.indicators} == {"效益指标"}
    assert "IMPORT_TABLE_HEADLESS" in _codes(sheet)


@pytest.mark.parametrize("sep", ["\t", " | "])
def test_a_two_row_heading_reprinted_on_every_page_is_no_row(sep):
    head = [["核心职能", "", "年度绩效指标", "", "", ""], ["", "", "一级指标", "二级指标", "三级指标", "指标值"]]
    body = [["职能1: 负责农业技术推广", "", *ROWS[0]], ["", "", *ROWS[1]], ["", "", *ROWS[2]],
            ["", "", *ROWS[3]], ["", "", *ROWS[4]], ["", "", *ROWS[5]]]
    out = []
    for k, row in enumerate(body):
        if k % 2 == 0:
            out += head
        out.append(row)
    text = "部门名称" + sep + "某县农业农村局\n" + "\n".join(sep.join(r) for r in out) + "\n"
    sheet = import_text(text)
    assert [i.name for _, i in sheet.all_indicators()] == NAMES


def test_labels_with_their_block_points():
    from jixiao.importers.recover.cells import as_label

    for cell, level, name in (("产出指标(50)", 1, "产出指标"), ("数量指标 (10分)", 2, "数量指标"),
                              ("质量指标（10分）", 2, "质量指标"), ("成本指标(0-20)分", 1, "成本指标")):
        lab = as_label(cell)
        assert (lab.level, lab.name, lab.text) == (level, name, cell)
    assert as_label("满意度(%)") is None
    text = ("一级指标\t二级指标\t三级指标\t指标值\n产出指标(60分)\t数量指标(30分)\t改造户数\t=120户\n"
            "\t质量指标(30分)\t验收合格率\t100%\n满意度指标(40分)\t服务对象满意度指标(40分)\t住户满意度\t≥90%\n")
    assert _rows(import_text(text)) == [("产出指标", "数量指标", "改造户数", "=120户"),
                                        ("产出指标", "质量指标", "验收合格率", "100%"),
                                        ("满意度指标", "服务对象满意度指标", "住户满意度", "≥90%")]


def test_prose_with_all_the_blocks_of_a_level_in_one_sentence():
    text = ("三、绩效目标\n(一)产出指标:数量指标:改造农村户厕≥300户，新建公厕=2座；时效指标:完工及时率=100%。\n"
            "(二)满意度指标:服务对象满意度指标:农户满意度不低于90%。\n")
    sheet = import_text(text)
    assert _rows(sheet) == [("产出指标", "数量指标", "改造农村户厕", "≥300户"), ("产出指标", "数量指标", "新建公厕", "=2座"),
                            ("产出指标", "时效指标", "完工及时率", "=100%"),
                            ("满意度指标", "服务对象满意度指标", "农户满意度", "不低于90%")]
