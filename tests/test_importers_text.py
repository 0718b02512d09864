"""Tab-separated extracted text, with the seed sheet as the reference case."""

import pytest
from sheet_score import score

from jixiao.errors import NoIndicatorTable
from jixiao.importers.formats.text import import_text
from jixiao.model.codec import sheet_to_dict


def test_seed_matches_expert_reading(seed_text, seed_gold):
    sheet = import_text(seed_text)
    result = score(seed_gold, sheet_to_dict(sheet))
    assert result["f1"] == 1.0
    assert result["descriptions_ok"] == 4
    assert result["meta"] == {"year": True, "unit": True, "goals": True}


def test_seed_header_fields(seed_text, seed_gold):
    sheet = import_text(seed_text)
    assert sheet.kind == "department" and sheet.stage == "approval"
    assert sheet.title == seed_gold["title"]
    assert sheet.overview == seed_gold["overview"]
    assert sheet.supervisor == seed_gold["supervisor"]
    assert [f.label for f in sheet.functions] == ["职能1", "职能2", "职能3", "职能4"]


def test_seed_diagnostics_say_what_was_inferred(seed_text):
    sheet = import_text(seed_text)
    codes = {(d.code, d.where) for d in sheet.diagnostics}
    assert ("STRUCT_FUNCTION_LABEL_LOST", "functions[2]") in codes
    # 职能1's 质量 group and 职能4's 效益 group have no printed label
    assert ("STRUCT_LEVEL2_INFERRED", "functions[0].indicators[4]") in codes
    assert ("STRUCT_LEVEL2_INFERRED", "functions[3].indicators[4]") in codes
    for d in sheet.diagnostics:
        assert d.message and d.hint and d.severity in ("error", "warning", "info")


def test_text_without_table_is_refused():
    with pytest.raises(NoIndicatorTable) as e:
        import_text("这是一段普通的文字, 没有任何指标表。\n第二行。", path="说明.txt")
    assert "说明.txt" in e.value.message and "指标表" in e.value.message


def test_header_without_rows_is_refused():
    with pytest.raises(NoIndicatorTable):
        import_text("一级指标\t二级指标\t三级指标\t指标值\n")


def test_flat_project_table_keeps_indicators_on_top():
    text = "\n".join([
        "2023年项目支出绩效目标申报表",
        "项目名称\t乡村道路建设\t主管部门\t某县交通运输局",
        "实施单位\t某县公路中心",
        "年度目标\t目标1: 完成道路硬化20公里。",
        "一级指标\t二级指标\t三级指标\t指标值",
        "产出指标\t数量指标\t道路硬化里程\t≥20公里",
        "\t质量指标\t验收合格率\t=100%",
        "\t时效指标\t完工及时率\t≥95%",
        "效益指标\t社会效益指标\t受益群众人数\t≥5000人",
        "满意度指标\t服务对象满意度指标\t群众满意度\t≥90%",
    ])
    sheet = import_text(text)
    assert sheet.kind == "project" and sheet.functions == []
    assert [i.level2 for i in sheet.indicators] == [
        "数量指标", "质量指标", "时效指标", "社会效益指标", "服务对象满意度指标"]
    assert sheet.unit == "某县公路中心" and sheet.project == "乡村道路建设"
    assert sheet.year == 2023 and sheet.goals == ["完成道路硬化20公里。"]


def test_truncated_row_is_reported_not_imported():
    text = "一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t培训人次\t≥500人次\n\t\t被截断的"
    sheet = import_text(text)
    assert [i.name for i in sheet.indicators] == ["培训人次"]
    assert any(d.code == "IMPORT_ROW_SKIPPED" for d in sheet.diagnostics)


_CUT_HEAD = ("2024年度河道保洁项目绩效目标表\n一级指标\t二级指标\t三级指标\t指标值\n"
             "产出指标\t数量指标\t保洁河道长度\t≥36公里\n\t质量指标\t垃圾清运率\t=100%\n"
             "效益指标\t社会效益指标\t沿河居民受益户数\t≥1200户\n")


@pytest.mark.parametrize("tail", [
    "满意度指标\t服务对象满意度指标\t指标1:\t沿河居民满意度",  # the text stops after the name
    "满意度指标\t服务对象满意度指标\t沿河居民满意度\t≥\n",     # only the operator is left
    "满意度指标\t服务对象满意度指标\t沿河居民满意度\t≥8",      # the number runs into the end
])
def test_last_row_cut_off_in_tab_text_is_dropped_and_reported(tail):
    sheet = import_text(_CUT_HEAD + tail)
    assert [i.name for i in sheet.indicators] == ["保洁河道长度", "垃圾清运率", "沿河居民受益户数"]
    cut = [d for d in sheet.diagnostics if d.code == "IMPORT_TABLE_INCOMPLETE"]
    assert len(cut) == 1 and cut[0].where == "line:6" and "沿河居民满意度" in cut[0].message


@pytest.mark.parametrize("tail", [
    "满意度指标\t服务对象满意度指标\t沿河居民满意度\t≥85%",     # a unit: the value is whole
    "满意度指标\t服务对象满意度指标\t沿河居民满意度\t≥85\n",   # the line ends: the number is whole
    "满意度指标\t服务对象满意度指标\t指标1:\t沿河居民满意度\t达到85\n",
])
def test_complete_last_row_in_tab_text_is_kept(tail):
    sheet = import_text(_CUT_HEAD + tail)
    assert [i.name for i in sheet.indicators][-1] == "沿河居民满意度"
    assert "IMPORT_TABLE_INCOMPLETE" not in {d.code for d in sheet.diagnostics}


def test_tab_self_evaluation_reads_every_column_under_its_heading(seed_gold):
    """A 自评表 copied as tab text: 完成值, 分值, 得分 beside the target are read by the
    heading they stand under, not taken for the name and value (the last two cells)."""
    inds = seed_gold["functions"][0]["indicators"] if seed_gold.get("functions") else seed_gold["indicators"]
    lines = ["项目支出绩效自评表", "项目名称\t测试项目", "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因"]
    last: tuple = (None, None)
    for k, ind in enumerate(inds):
        target = ind["target"]["text"] if isinstance(ind["target"], dict) else ind["target"]
        l1 = ind["level1"] if ind["level1"] != last[0] else ""
        l2 = ind["level2"] if (ind["level1"], ind["level2"]) != last else ""
        last = (ind["level1"], ind["level2"])
        lines.append("\t".join([l1, l2, ind["name"], target, target, str(5 + k % 3), str(5 + k % 3 - k % 2), ""]))
    sheet = import_text("\n".join(lines) + "\n")
    got = [(i.name, i.target.text, i.actual.text, i.weight, i.score) for _, i in sheet.all_indicators()]
    want = [(ind["name"], ind["target"]["text"] if isinstance(ind["target"], dict) else ind["target"],
             ind["target"]["text"] if isinstance(ind["target"], dict) else ind["target"],
             float(5 + k % 3), float(5 + k % 3 - k % 2)) for k, ind in enumerate(inds)]
    assert got == want


def test_tab_long_term_and_annual_targets_take_the_annual_one():
    text = ("项目名称\t乡村道路建设\n一级指标\t二级指标\t三级指标\t长期目标值\t年度目标值\n"
            "产出指标\t数量指标\t新建道路里程\t≥100公里\t≥20公里\n\t\t修复桥梁数量\t≥10座\t≥2座\n"
            "\t质量指标\t验收合格率\t100%\t≥98%\n满意度指标\t服务对象满意度指标\t群众满意度\t≥95%\t≥90%\n")
    sheet = import_text(text)
    assert [(i.name, i.target.text) for _, i in sheet.all_indicators()] == [
        ("新建道路里程", "≥20公里"), ("修复桥梁数量", "≥2座"), ("验收合格率", "≥98%"), ("群众满意度", "≥90%")]
    assert next(i for _, i in sheet.all_indicators()).extra["by_column"] == {"长期目标值": "≥100公里",
                                                                           "年度目标值": "≥20公里"}
