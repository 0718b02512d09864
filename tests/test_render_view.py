"""The view-model of the official form (jixiao/render/view.py): the one structure
every renderer draws, so its rowspans and columns are checked here once."""
from __future__ import annotations

import itertools
import random

import pytest
from generator import make_sheet

from jixiao.model.codec import loads
from jixiao.model.sheet import Function, Indicator, Sheet
from jixiao.model.target import parse_target
from jixiao.render.view import build_view, target_text


@pytest.fixture(scope="module")
def seed_sheet(seed_gold_path) -> Sheet:
    return loads(seed_gold_path.read_text(encoding="utf-8"))


def generated() -> list[Sheet]:
    return [make_sheet(random.Random(n), kind=kind, regime=regime)
            for kind in ("department", "project") for regime in ("classic", "2021")
            for n in range(5)]


def expand(view, key: str) -> list[str]:
    """The column ``key`` with every merged cell's text copied down its span."""
    c = view.column_index(key)
    out: list[str] = []
    for cells in view.rows:
        out.append(cells[c].text if cells[c].rowspan else out[-1])
    return out


def spans(view, key: str) -> list[tuple[int, int]]:
    """(first row, row count) of every drawn cell of column ``key``."""
    c = view.column_index(key)
    return [(r, cells[c].rowspan) for r, cells in enumerate(view.rows) if cells[c].rowspan]


def test_seed_view_has_49_rows_in_4_functions(seed_sheet):
    view = build_view(seed_sheet)
    assert len(view.rows) == 49
    assert [c.heading for c in view.columns] == ["核心职能", "一级指标", "二级指标", "三级指标", "指标值"]
    function_spans = spans(view, "function")
    assert [n for _, n in function_spans] == [14, 18, 9, 8]
    assert view.title == "2024年部门整体支出绩效目标批复表"
    assert view.merged_column_keys == ("function", "level1", "level2")


def test_seed_header_fields(seed_sheet):
    fields = {f.label: f.value for f in build_view(seed_sheet).fields}
    assert list(fields) == ["部门(单位)名称", "主管部门", "部门职能概述", "年度整体绩效目标"]
    assert fields["部门(单位)名称"] == "潢源县大华镇人民政府"
    assert fields["年度整体绩效目标"].splitlines()[0].startswith("目标1: 深入推进")
    assert len(fields["年度整体绩效目标"].splitlines()) == 3


@pytest.mark.parametrize("sheet", [None, *generated()], ids=lambda s: "seed" if s is None else s.kind)
def test_spans_cover_rows_and_nest(sheet, seed_sheet):
    sheet = sheet or seed_sheet
    view = build_view(sheet)
    inds = [ind for _, ind in sheet.all_indicators()]
    assert [cells[view.column_index("name")].text for cells in view.rows] == [i.name for i in inds]
    assert [cells[view.column_index("target")].text for cells in view.rows] == \
        [target_text(i.target) for i in inds]
    assert expand(view, "level1") == [i.level1 or "" for i in inds]
    assert expand(view, "level2") == [i.level2 or "" for i in inds]
    outer = ["function", "level1", "level2"] if sheet.functions else ["level1", "level2"]
    for key in outer:
        assert sum(n for _, n in spans(view, key)) == len(view.rows), key
    # A merged cell never crosses the boundary of the merged cell to its left.
    for left, right in itertools.pairwise(outer):
        bounds = {r for r, _ in spans(view, left)} | {len(view.rows)}
        for r, n in spans(view, right):
            assert not any(r < b < r + n for b in bounds), (left, right, r, n)
    # Uncovered non-merge columns: every row draws its own name and value.
    assert all(cells[view.column_index("name")].rowspan == 1 for cells in view.rows)


def test_department_view_groups_by_function_and_project_has_no_function_column():
    dept = build_view(make_sheet(random.Random(1), kind="department"))
    proj = build_view(make_sheet(random.Random(1), kind="project"))
    assert dept.columns[0].key == "function"
    assert "function" not in [c.key for c in proj.columns]
    assert [c.heading for c in proj.columns[:4]] == ["一级指标", "二级指标", "三级指标", "指标值"]


def test_project_fields_show_funds_only_when_present():
    sheet = make_sheet(random.Random(3), kind="project")
    sheet.funds = {"total": 120.0, "fiscal": 100.0, "other": 20.0}
    fields = {f.label: f.value for f in build_view(sheet).fields}
    assert list(fields) == ["项目名称", "主管部门", "实施单位", "资金情况(万元)", "年度目标"]
    assert fields["资金情况(万元)"] == "年度资金总额 120 万元; 其中: 财政拨款 100 万元; 其他资金 20 万元"
    sheet.funds = None
    assert "资金情况(万元)" not in [f.label for f in build_view(sheet).fields]


def test_optional_columns_appear_only_when_an_indicator_has_them():
    ind = [Indicator("产出指标", "数量指标", f"指标{i}", parse_target("≥95%")) for i in range(3)]
    sheet = Sheet(kind="project", indicators=ind)
    assert [c.key for c in build_view(sheet).columns] == ["level1", "level2", "name", "target"]
    ind[1].weight, ind[2].criteria, ind[0].actual = 10.0, "每低1%扣1分", parse_target("96%")
    view = build_view(sheet)
    assert [c.key for c in view.columns][4:] == ["weight", "actual", "criteria"]
    assert [c.text for c in view.rows[1]][4:] == ["10", "", ""]
    assert [c.text for c in view.rows[0]][4:] == ["", "96%", ""]


def test_empty_labels_never_merge_and_flat_department_has_no_function_column():
    ind = [Indicator(None, None, "甲", None), Indicator(None, None, "乙", None),
           Indicator("产出指标", None, "丙", parse_target("=100%"))]
    view = build_view(Sheet(kind="department", indicators=ind))
    assert "function" not in [c.key for c in view.columns]
    assert [n for _, n in spans(view, "level1")] == [1, 1, 1]
    assert view.rows[2][view.column_index("target")].text == "=100%"
    assert view.rows[0][view.column_index("target")].text == ""


def test_functions_without_description_and_leftover_indicators():
    sheet = Sheet(kind="department", functions=[
        Function("职能1", None, [Indicator("产出指标", "数量指标", "甲", None)] * 2),
        Function("职能2", "负责某事", [Indicator("产出指标", "数量指标", "乙", None)])])
    view = build_view(sheet)
    assert [(r, n) for r, n in spans(view, "function")] == [(0, 2), (2, 1)]
    assert view.rows[0][0].text == "职能1" and view.rows[2][0].text == "职能2: 负责某事"
    # 产出指标 of 职能1 and 职能2 are separate cells: merges stop at a function boundary.
    assert [n for _, n in spans(view, "level1")] == [2, 1]


def test_title_defaults_from_kind_stage_and_year():
    assert build_view(Sheet(kind="project", stage="declaration", year=2025)).title == \
        "2025年项目支出绩效目标申报表"
    assert build_view(Sheet(kind="department")).title == "部门整体支出绩效目标批复表"


def test_an_approved_sheet_shows_its_approval_number_and_date_first():
    import dataclasses

    from jixiao.model.sheet import Sheet
    from jixiao.render.view import header_fields

    sheet = Sheet(kind="project", project="农村道路养护", unit="大华镇",
                  extra={"approval_number": "潢财绩批〔2024〕3号", "approval_date": "2024-03-01"})
    fields = header_fields(sheet)
    assert (fields[0].label, fields[0].value) == ("批复文号", "潢财绩批〔2024〕3号 (2024-03-01)")
    assert header_fields(dataclasses.replace(sheet, extra={}))[0].label == "项目名称"
