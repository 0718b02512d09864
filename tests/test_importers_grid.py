"""The format-neutral table core (jixiao.importers.recover.table), and the form layout the
xlsx/docx/html tests write: a known sheet laid out the way a clerk fills the form
(核心职能, 一级 and 二级 merged down their rows, targets as text)."""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from sheet_score import score

from jixiao.errors import DocumentTooLarge, NoIndicatorTable
from jixiao.importers.recover.table import SPAN, Table, refine_roles, role_of, sheet_from_blocks
from jixiao.model.codec import loads, sheet_to_dict
from jixiao.model.target import format_number


def load_seed(path):
    """The seed's expert reading as a ``Sheet``: what the clerk typed into the form."""
    return loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed_sheet(seed_gold_path):
    return load_seed(seed_gold_path)


# ------------------------------------------------------------------ the form layout
@dataclass
class Form:
    """A sheet as a form: title, header lines (label, value, …), column heads, data
    rows and, per merged column, the runs ``(start, end)`` that are one cell."""

    title: str
    header: list[list[str]]
    columns: list[str]
    rows: list[list[str]]
    runs: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    grouped: bool = False  # 核心职能 + 年度绩效指标 two-row header


def _split(t) -> tuple[str, str, str]:
    if t is None:
        return "", "", ""
    if t.value is None:
        return "", t.text, ""
    value = format_number(t.value)
    if t.upper is not None:
        value += "-" + format_number(t.upper)
    return t.op or "", value, t.unit or ""


def form_of(sheet, *, split: bool = False, weight: bool = False, order: list[str] | None = None) -> Form:
    """The form of ``sheet`` (a ``Sheet``); ``split``: 指标性质 | 指标值 | 度量单位;
    ``weight``: a 权重 column; ``order``: the column heads in another order."""
    grouped = sheet.kind == "department" and bool(sheet.functions)
    if sheet.kind == "department":
        header = [["部门(单位)名称", sheet.unit or "", "主管部门", sheet.supervisor or ""]]
        if sheet.overview:
            header.append(["部门职能概述", sheet.overview])
        goal_label = "年度整体绩效目标"
    else:
        header = [["项目名称", sheet.project or "", "主管部门", sheet.supervisor or ""],
                  ["实施单位", sheet.unit or ""]]
        goal_label = "年度绩效目标"
    if sheet.goals:
        header.append([goal_label, "\n".join(f"目标{i}: {g}" for i, g in enumerate(sheet.goals, 1))])
    columns = (["核心职能"] if grouped else []) + ["一级指标", "二级指标", "三级指标"]
    columns += ["指标性质", "指标值", "度量单位"] if split else ["指标值"]
    if weight:
        columns.append("权重(%)")
    keyed = []
    for fi, f in enumerate(sheet.functions if grouped else [None]):
        fun = "" if f is None else (f"{f.label}: {f.description}" if f.description else f.label)
        for ind in (f.indicators if f is not None else sheet.indicators):
            cells = {"核心职能": fun, "一级指标": ind.level1 or "", "二级指标": ind.level2 or "",
                     "三级指标": ind.name, "权重(%)": format_number(ind.weight) if ind.weight else ""}
            if split:
                cells.update(zip(("指标性质", "指标值", "度量单位"), _split(ind.target)))
            else:
                cells["指标值"] = ind.target.text if ind.target else ""
            keys = {"核心职能": (fi,), "一级指标": (fi, ind.level1), "二级指标": (fi, ind.level1, ind.level2)}
            keyed.append((cells, keys))
    if order:
        columns = [c for c in order if c in columns] + [c for c in columns if c not in order]
    rows = [[cells[c] for c in columns] for cells, _ in keyed]
    runs = {}
    for ci, c in enumerate(columns):
        if c in ("核心职能", "一级指标", "二级指标"):
            spans, start = [], 0
            for i in range(1, len(keyed) + 1):
                if i == len(keyed) or keyed[i][1][c] != keyed[start][1][c]:
                    spans.append((start, i))
                    start = i
            runs[ci] = spans
    return Form(sheet.title or "", header, columns, rows, runs, grouped)


def table_of(form: Form) -> list[list[str | None]]:
    """The form as one resolved grid (what a reader hands to ``grid``)."""
    width = len(form.columns)
    out: list[list[str | None]] = []
    for line in form.header:
        row: list[str | None] = list(line) + [SPAN] * (width - len(line))
        out.append(row[:width] if len(line) <= width else [" ".join(line)] + [SPAN] * (width - 1))
    if form.grouped:
        out.append(["核心职能", "年度绩效指标"] + [SPAN] * (width - 2))
        out.append([SPAN] + form.columns[1:])
    else:
        out.append(list(form.columns))
    body: list[list[str | None]] = [list(r) for r in form.rows]
    for ci, spans in form.runs.items():
        for a, b in spans:
            for i in range(a + 1, b):
                body[i][ci] = SPAN
    return out + body


def write_file(tmp_path, data: bytes, name: str = "表.bin"):
    """``data`` saved under ``name``: the name says nothing, detection goes by content."""
    p = tmp_path / name
    p.write_bytes(data)
    return p


def check(gold: dict, sheet) -> dict:
    result = score(gold, sheet_to_dict(sheet))
    assert result["f1"] == 1.0, result
    return result


# ------------------------------------------------------------------ grid itself
def test_column_heads_map_to_roles():
    assert role_of("三级指标") == "name" and role_of("指标名称") == "name"
    assert role_of("权重（%）") == "weight" and role_of("分值") == "weight"
    assert role_of("*指标值") == "target" and role_of("指标值类型") == "text"
    assert role_of("实际完成值") == "actual" and role_of("得分") == "score"
    assert role_of("核心职能") == "function" and role_of("计量单位") == "unit"
    assert role_of("评(扣)分标准") == "criteria" and role_of("指标解释") == "explanation"
    assert role_of("备注") == "text" and role_of("潢源县大华镇") is None


def test_the_most_specific_heading_words_decide_first():
    # a 复核得分 is no second 得分, a 全年预计完成情况 / 完成目标可能性 no 实际完成值
    assert [role_of(h) for h in ("复核得分", "复评得分", "审核得分", "自评得分")] == ["reviewed"] * 3 + ["score"]
    assert [role_of(h) for h in ("全年预计完成情况", "完成目标可能性", "偏差原因", "偏差原因备注")] == \
        ["expected", "likelihood", "causes", "note"]
    assert role_of("偏差原因分析及改进措施") == "text" and role_of("全年完成值") == "actual"


def test_cells_correct_the_heading():
    roles = ["name", "target", "causes", None, "text"]
    data = [["甲", "≥1", "原材料涨价, 工期顺延", "确定能", "经费、其他"],
            ["乙", "≥2", "", "有可能", "人员"]]
    assert refine_roles(roles, data) == ["name", "target", "text", "likelihood", "causes"]


def test_monitoring_and_review_columns_are_kept_in_extra():
    cells = [["一级指标", "二级指标", "三级指标", "指标值", "得分", "复核得分", "全年预计完成情况", "偏差原因",
              "完成目标可能性", "偏差原因备注"],
             ["产出指标", "数量指标", "道路里程", "≥120公里", "30", "27.5", "120公里", "经费保障、其他", "有可能",
              "资金 7 月到位"]]
    ind = sheet_from_blocks([Table(cells)], "m.xlsx").indicators[0]
    assert ind.score == 30 and ind.extra == {"reviewed_score": 27.5, "expected": "120公里", "causes": "经费保障、其他",
                                             "likelihood": "有可能", "note": "资金 7 月到位"}


def test_seed_grid_reads_back_exactly(seed_sheet, seed_gold):
    sheet = sheet_from_blocks([seed_sheet.title, Table(table_of(form_of(seed_sheet)))], "seed.xlsx")
    result = check(seed_gold, sheet)
    assert result["meta"] == {"year": True, "unit": True, "goals": True}
    assert sheet.overview == seed_gold["overview"] and sheet.title == seed_gold["title"]


def test_values_repeated_down_a_column_count_once(seed_sheet, seed_gold):
    cells = table_of(form_of(seed_sheet))
    for r in range(1, len(cells)):
        for c in range(3):
            if cells[r][c] is SPAN and cells[r - 1][c] and r > 4:
                cells[r][c] = cells[r - 1][c]  # unmerged form: every row repeats its labels
    check(seed_gold, sheet_from_blocks([seed_sheet.title, Table(cells)], None))


def _flat() -> list[list[str | None]]:
    return [["2024年项目支出绩效目标表", SPAN, SPAN, SPAN],
            ["项目名称", "乡村道路养护", "主管部门", "交通运输局"],
            ["一级指标", "二级指标", "三级指标", "指标值"],
            ["产出指标", "数量指标", "养护里程", "≥120公里"],
            [SPAN, SPAN, "养护次数", "≥4次"],
            [SPAN, "质量指标", "验收合格率", "=100%"],
            ["效益指标", "社会效益指标", "群众出行条件", "有所改善"],
            ["满意度指标", "服务对象满意度指标", "群众满意度", "≥90%"]]


def test_hidden_rows_are_skipped():
    cells = _flat()
    cells.insert(5, [SPAN, SPAN, "作废指标", "=1个"])
    sheet = sheet_from_blocks([Table(cells, hidden=frozenset({5}))], None)
    names = [i.name for i in sheet.indicators]
    assert "作废指标" not in names and len(names) == 5
    assert sheet.kind == "project" and sheet.project == "乡村道路养护" and sheet.year == 2024


def test_table_continued_with_and_without_repeated_header():
    cells = _flat()
    first, rest = cells[:5], cells[5:]
    again = [cells[2]] + rest
    for tail in (rest, again):
        sheet = sheet_from_blocks([Table(first), "", Table(tail)], None)
        assert [i.name for i in sheet.indicators] == ["养护里程", "养护次数", "验收合格率", "群众出行条件", "群众满意度"]
        assert [i.level2 for i in sheet.indicators][2] == "质量指标"


def test_row_broken_across_pages_is_joined():
    # Word and WPS let a row break at the page end: its rest opens the next page
    cells = _flat()
    first = cells[:5]
    first[4] = [SPAN, SPAN, "养护", "≥4次"]
    tail = [cells[2], ["", "", "次数", ""]] + cells[5:]
    blocks = [Table(first, where="第1页"), Table(tail, where="第2页")]
    sheet = sheet_from_blocks(blocks, None)
    assert [i.name for i in sheet.indicators][:3] == ["养护里程", "养护次数", "验收合格率"]
    assert [d.where for d in sheet.diagnostics if d.code == "IMPORT_ROW_CONTINUED"] == ["第2页"]
    assert not any(d.code == "IMPORT_ROW_SKIPPED" for d in sheet.diagnostics)
    assert tail[1] == ["", "", "次数", ""] and first[4][2] == "养护"  # the blocks stay as read
    assert sheet_from_blocks(blocks, None).indicators[1].name == "养护次数"  # read twice, joined once


@pytest.mark.parametrize("opening", [["效益指标(30分)", "", "", "", "30"], ["合计", "", "", "", "100"],
                                     ["", "社会效益指标", "", "", ""]])
def test_label_or_total_row_opening_a_page_is_no_rest_of_a_row(opening):
    head = ["一级指标", "二级指标", "三级指标", "指标值", "权重"]
    page1 = [head, ["产出指标", "数量指标", "培训人数", "≥300人", "10"]]
    page2 = [head, opening, ["效益指标", "社会效益指标", "群众知晓度", "有所提升", "30"]]
    sheet = sheet_from_blocks([Table(page1), Table(page2)], None)
    assert sheet.indicators[0].name == "培训人数"
    assert not any(d.code == "IMPORT_ROW_CONTINUED" for d in sheet.diagnostics)


def test_merged_function_text_flowed_onto_the_next_page():
    head = ["核心职能", "一级指标", "二级指标", "三级指标", "指标值"]
    page1 = [head, ["职能1: 负责全镇经济社会发", "产出指标", "数量指标", "培训人数", "≥300人"],
             [SPAN, SPAN, SPAN, "培训场次", "≥6场"]]
    page2 = [head, ["展规划工作。", "效益指标", "社会效益指标", "群众知晓度", "有所提升"],
             ["职能2: 负责社会事务", "产出指标", "数量指标", "救助人数", "≥50人"]]
    sheet = sheet_from_blocks([Table(page1), Table(page2)], None)
    assert [(f.label, f.description, len(f.indicators)) for f in sheet.functions] == [
        ("职能1", "负责全镇经济社会发展规划工作。", 3), ("职能2", "负责社会事务", 1)]
    # unnumbered labels: a text at the top of a page may be a new function's, not carried
    page1[1][0], page2[2][0] = "负责全镇经济社会发", "负责社会事务"
    sheet = sheet_from_blocks([Table(page1), Table(page2)], None)
    assert sheet.functions[0].description == "负责全镇经济社会发"
    assert not any(d.code == "IMPORT_ROW_CONTINUED" for d in sheet.diagnostics)


def test_no_indicator_table():
    with pytest.raises(NoIndicatorTable) as e:
        sheet_from_blocks(["说明", Table([["名称", "金额"], ["办公费", "10"]])], "a.xlsx")
    assert "a.xlsx" in e.value.message and "绩效指标表" in e.value.message


def test_row_without_value_is_reported_not_imported():
    cells = _flat()
    cells.insert(4, [SPAN, SPAN, "漏填的指标", ""])
    sheet = sheet_from_blocks([Table(cells)], None)
    assert "漏填的指标" not in [i.name for i in sheet.indicators]
    assert any(d.code == "IMPORT_ROW_SKIPPED" and "漏填的指标" in d.message for d in sheet.diagnostics)


def test_cell_limit():
    from jixiao.importers.budget import Budget, Limits

    b = Budget("big.xlsx", Limits(cells=10))
    b.cells(10)
    with pytest.raises(DocumentTooLarge) as e:
        b.cells(1)
    assert "big.xlsx" in e.value.message and "上限 10 格" in e.value.message


def test_self_evaluation_columns_and_totals():
    title = "2023年度项目支出绩效自评表"
    cells = [[title] + [SPAN] * 7,
             ["项目名称", "城区环卫保洁", "主管部门", "城管局", "实施单位", "环卫所", SPAN, SPAN],
             ["一级指标", "二级指标", "三级指标", "年度\n指标值", "实际\n完成值", "分值", "得分", "偏差原因分析及改进措施"],
             ["产出指标(50分)", "数量指标", "保洁面积", "≥120万平方米", "125万平方米", "20", "20", ""],
             [SPAN, "质量指标", "保洁达标率", "≥95%", "96%", "30", "28.5", "个别路段不达标"],
             ["满意度指标(10分)", "服务对象满意度指标", "市民满意度", "≥90%", "92%", "10", "10", ""],
             ["总分", SPAN, SPAN, SPAN, SPAN, "60", "58.5", ""]]
    sheet = sheet_from_blocks([Table(cells)], None)
    assert (sheet.kind, sheet.stage, sheet.project) == ("project", "self_evaluation", "城区环卫保洁")
    got = [(i.level1, i.level2, i.name, i.target.text, i.actual.text, i.weight, i.score) for i in sheet.indicators]
    assert got == [("产出指标", "数量指标", "保洁面积", "≥120万平方米", "125万平方米", 20, 20),
                   ("产出指标", "质量指标", "保洁达标率", "≥95%", "96%", 30, 28.5),
                   ("满意度指标", "服务对象满意度指标", "市民满意度", "≥90%", "92%", 10, 10)]


def test_weight_before_target_and_unit_in_the_value_column():
    cells = [["三级指标", "分值", "指标值及单位", "绩效标准", "一级指标", "二级指标"],
             ["培训人次", "10", "≥300人次", "达到得满分", "产出指标", "数量指标"],
             ["群众满意度", "10", "≥90%", "每低1%扣1分", "满意度指标", "服务对象满意度指标"]]
    sheet = sheet_from_blocks(["2024年项目支出绩效目标表", Table(cells)], None)
    assert [(i.level2, i.name, i.target.text, i.weight) for i in sheet.indicators] == [
        ("数量指标", "培训人次", "≥300人次", 10), ("服务对象满意度指标", "群众满意度", "≥90%", 10)]


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "html"])
def test_rendered_forms_read_back(fmt, seed_sheet, seed_gold):
    """Forms out and in: what ``jixiao render`` writes, the importers read back."""
    import random

    from generator import make_sheet

    from jixiao.importers import detect, import_bytes

    render = pytest.importorskip("jixiao.render").render
    data = render(seed_sheet, fmt)
    data = data.encode() if isinstance(data, str) else data
    assert detect(data) == fmt
    sheet = import_bytes(data, path=f"seed.{fmt}")
    assert check(seed_gold, sheet)["meta"] == {"year": True, "unit": True, "goals": True}
    rng = random.Random(fmt)
    for k in range(6):
        known = make_sheet(rng, kind="project" if k % 2 else "department", regime="classic" if k % 3 else "2021")
        data = render(known, fmt)
        check(sheet_to_dict(known), import_bytes(data.encode() if isinstance(data, str) else data))


def test_split_target_cells_joined_without_doubling():
    from jixiao.importers.recover.table import join_target

    assert join_target("≥", "300", "人次") == "≥300人次"
    assert join_target("≥", "≥300人次", "人次") == "≥300人次"   # the clerk typed it twice
    assert join_target("定量", "95", "%") == "95%"               # 指标性质 as 定量/定性
    assert join_target("大于等于", "5", "年") == "大于等于5年"
    assert join_target("=", "100%", "%") == "=100%"
    assert join_target("", "达到预期", "%") == "达到预期"
    assert join_target(None, None, None) is None


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "html"])
def test_rendered_optional_columns_read_back(fmt):
    """权重, 实际完成值, 得分, 指标解释, 评(扣)分标准 as ``jixiao render`` writes them."""
    import random

    from generator import make_sheet

    from jixiao.importers import import_bytes
    from jixiao.model.target import parse_target

    render = pytest.importorskip("jixiao.render").render
    known = make_sheet(random.Random(21), kind="project", regime="classic")
    for k, (_, ind) in enumerate(known.all_indicators()):
        ind.weight, ind.score = 10.0, 10.0 - k % 3
        ind.actual = parse_target(f"{90 + k}%")
        ind.explanation = f"反映第{k + 1}项工作的完成情况"
        ind.criteria = "完成得满分, 每低1%扣1分"
    data = render(known, fmt)
    got = import_bytes(data.encode() if isinstance(data, str) else data)
    check(sheet_to_dict(known), got)
    fields = ("weight", "score", "explanation", "criteria")
    assert [[getattr(i, f) for f in fields] for i in got.indicators] == [
        [getattr(i, f) for f in fields] for i in known.indicators]
    assert [i.actual.text for i in got.indicators] == [i.actual.text for i in known.indicators]


def test_headings_spanning_two_columns():
    """三级指标 over 指标N: | name (as in the seed's form), 指标值 over value | unit."""
    cells = [["一级指标", "二级指标", "三级指标", SPAN, "指标值", SPAN],
             ["产出指标", "数量指标", "指标1:", "培训人次", "≥300", "人次"],
             [SPAN, SPAN, "2.", "培训场次", "≥6", "场"],
             [SPAN, "质量指标", "1", "合格率", "=100%", ""],
             [SPAN, "时效指标", "指标1", "完成时间", "12", "月底前"]]
    sheet = sheet_from_blocks(["2024年项目支出绩效目标表", Table(cells)], None)
    assert [(i.level2, i.name, i.target.text) for i in sheet.indicators] == [
        ("数量指标", "培训人次", "≥300人次"), ("数量指标", "培训场次", "≥6场"), ("质量指标", "合格率", "=100%"),
        ("时效指标", "完成时间", "12月底前")]


# ------------------------------------------------------------------ value columns side by side
def _side_by_side(sheet, headings: list[str], annual: int) -> list[list[str | None]]:
    """``sheet``'s indicators with one value column per heading; column ``annual``
    holds the target, the others a value of their own (a long-term one, a town's)."""
    rows: list[list[str | None]] = [["一级指标", "二级指标", "三级指标", *headings]]
    for _, ind in sheet.all_indicators():
        text = ind.target.text if ind.target else ""
        values = [text if k == annual else f"{text}(其他{k})" for k in range(len(headings))]
        rows.append([ind.level1, ind.level2, ind.name, *values])
    return rows


@pytest.mark.parametrize("headings, annual", [
    (["长期目标值", "年度目标值"], 1), (["年度指标值", "中长期指标值"], 0), (["2024年目标值", "2024-2026年目标值"], 0),
    (["实施期目标", "年度目标"], 1)])
def test_long_term_and_annual_target_columns_side_by_side(seed_sheet, seed_gold, headings, annual):
    flat = type(seed_sheet)(**{**{f: getattr(seed_sheet, f) for f in seed_sheet.__dataclass_fields__},
                              "functions": [], "indicators": [i for _, i in seed_sheet.all_indicators()]})
    sheet = sheet_from_blocks(["项目支出绩效目标表", Table(_side_by_side(flat, headings, annual))], None)
    got = [(i.name, i.target.text if i.target else None) for _, i in sheet.all_indicators()]
    assert got == [(i.name, i.target.text if i.target else None) for _, i in flat.all_indicators()]
    first = next(i for _, i in sheet.all_indicators())
    assert set(first.extra["by_column"]) == set(headings)
    assert [d.code for d in sheet.diagnostics].count("IMPORT_COLUMN_SETS") == 1


def test_one_value_column_per_town_takes_the_first_and_keeps_every_town():
    rows = [["一级指标", "二级指标", "三级指标", "指标解释", "城关镇", "东坪乡", "西山村"],
            ["产出指标", "数量指标", "修复工程数量(个)", "反映修复工程开展情况", "2", "1", "1"],
            [SPAN, "质量指标", "工程验收合格率", "反映验收情况", "≥95%", "≥95%", "≥95%"],
            ["满意度指标", "服务对象满意度指标", "群众满意度", "反映群众满意程度", "≥90%", "≥90%", "≥90%"]]
    sheet = sheet_from_blocks([Table(rows)], None)
    got = [(i.level2, i.name, i.target.text, i.extra["by_column"]["东坪乡"]) for _, i in sheet.all_indicators()]
    assert got == [("数量指标", "修复工程数量(个)", "2", "1"), ("质量指标", "工程验收合格率", "≥95%", "≥95%"),
                   ("服务对象满意度指标", "群众满意度", "≥90%", "≥90%")]
    assert "各地的指标值分列" in next(d.message for d in sheet.diagnostics if d.code == "IMPORT_COLUMN_SETS")


def test_one_heading_spanning_operator_value_and_unit_is_no_column_set():
    rows = [["一级指标", "二级指标", "三级指标", "指标值", SPAN, SPAN],
            ["产出指标", "数量指标", "修复工程数量", "≥", "2", "个"],
            [SPAN, "质量指标", "工程验收合格率", "≥", "95", "%"]]
    sheet = sheet_from_blocks([Table(rows)], None)
    assert [i.target.text for _, i in sheet.all_indicators()] == ["≥2个", "≥95%"]
    assert not any(d.code == "IMPORT_COLUMN_SETS" for d in sheet.diagnostics)
