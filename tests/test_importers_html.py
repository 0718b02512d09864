"""HTML pages read back into sheets: rowspan/colspan expanded, text outside tables
as header lines, detection by content."""
from __future__ import annotations

import html
import random

import pytest
from generator import make_sheet
from test_importers_grid import check, form_of, load_seed
from test_importers_grid import write_file as _write

from jixiao.errors import DocumentTooLarge, NoIndicatorTable
from jixiao.files import import_sheet
from jixiao.importers import detect
from jixiao.model.codec import sheet_to_dict


@pytest.fixture(scope="module")
def seed_sheet(seed_gold_path):
    return load_seed(seed_gold_path)


_HEADING = "<tr><td>一级指标</td><td>二级指标</td><td>三级指标</td><td>指标值</td></tr>"


def _td(text: str, rows: int = 1, cols: int = 1) -> str:
    span = (f' rowspan="{rows}"' if rows > 1 else "") + (f' colspan="{cols}"' if cols > 1 else "")
    return f"<td{span}>{html.escape(text).replace(chr(10), '<br>')}</td>"


def html_text(form, *, header_in_table: bool = True, hidden: dict[int, list[str]] | None = None) -> str:
    """``form`` as a web page: an <h1> title, the header lines as table rows (or
    as paragraphs), the indicator table with rowspan/colspan."""
    width = len(form.columns)
    out = ["<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>绩效目标</title></head><body>",
           f"<h1>{html.escape(form.title)}</h1>"]
    if not header_in_table:
        out += [f"<p>{html.escape(' '.join(line[:1]))}: {html.escape(' '.join(line[1:2]))}</p>"
                if len(line) == 2 else "<p>" + "&emsp;&emsp;".join(html.escape(x) for x in line) + "</p>"
                for line in form.header]
    out.append("<table border='1'>")
    if header_in_table:
        for line in form.header:
            cells = [_td(v) for v in line[:-1]] + [_td(line[-1], cols=width - len(line) + 1)]
            out.append("<tr>" + "".join(cells) + "</tr>")
    if form.grouped:
        out.append("<tr>" + _td("核心职能", rows=2) + _td("年度绩效指标", cols=width - 1) + "</tr>")
        out.append("<tr>" + "".join(_td(c) for c in form.columns[1:]) + "</tr>")
    else:
        out.append("<tr>" + "".join(f"<th>{c}</th>" for c in form.columns) + "</tr>")
    starts = {c: {a: b - a for a, b in spans} for c, spans in form.runs.items()}
    extra = 0
    for k, values in enumerate(form.rows):
        for row in (hidden or {}).get(k, []):
            out.append("<tr style='display: none'>" + "".join(_td(v) for v in row) + "</tr>")
            extra += 1
        cells = []
        for c, v in enumerate(values):
            if c not in starts:
                cells.append(_td(v))
            elif k in starts[c]:
                cells.append(_td(v, rows=starts[c][k]))
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table><p>填报人: 李四</p></body></html>")
    return "\n".join(out)


def test_seed_as_web_page(tmp_path, seed_sheet, seed_gold):
    data = html_text(form_of(seed_sheet)).encode()
    assert detect(data) == "html"
    sheet = import_sheet(_write(tmp_path, data, "seed.txt"))
    result = check(seed_gold, sheet)
    assert result["descriptions_ok"] == 4 and result["meta"] == {"year": True, "unit": True, "goals": True}
    assert (sheet.title, sheet.overview, sheet.unit) == (seed_gold["title"], seed_gold["overview"], seed_gold["unit"])


def test_gb18030_page_with_bom_less_detection(tmp_path):
    sheet = make_sheet(random.Random(11), kind="project", regime="classic")
    data = ("  \r\n" + html_text(form_of(sheet, split=True), header_in_table=False)).encode("gb18030")
    assert detect(data) == "html"
    got = import_sheet(_write(tmp_path, data))
    check(sheet_to_dict(sheet), got)
    assert got.project == sheet.project


def test_fragment_with_only_a_table(tmp_path):
    page = ("<TABLE><tr><td>一级指标</td><td>二级指标</td><td>三级指标</td><td>指标值</td></tr>"
            "<tr><td rowspan=2>产出指标</td><td rowspan=2>数量指标</td><td>培训人数</td><td>≥300人</td></tr>"
            "<tr><td>培训场次</td><td>≥6场</td></tr></TABLE>")
    data = ("\ufeff" + page).encode()
    assert detect(data) == "html"
    sheet = import_sheet(_write(tmp_path, data))
    assert [(i.level2, i.name, i.target.text) for i in sheet.indicators] == [
        ("数量指标", "培训人数", "≥300人"), ("数量指标", "培训场次", "≥6场")]


def test_hidden_rows_skipped(tmp_path, seed_sheet, seed_gold):
    form = form_of(seed_sheet)
    second = form.runs[0][1][0]  # first row of 职能2: no rowspan crosses it
    hidden = {second: [["", "", "", "隐藏的指标", "=1个"]]}
    sheet = import_sheet(_write(tmp_path, html_text(form, hidden=hidden).encode()))
    check(seed_gold, sheet)
    assert "隐藏的指标" not in [i.name for _, i in sheet.all_indicators()]


@pytest.mark.parametrize("seed", range(25))
def test_generated_sheets_round_trip(tmp_path, seed):
    rng = random.Random(3000 + seed)
    for kind in ("department", "project"):
        sheet = make_sheet(rng, kind=kind, regime="classic" if (seed + len(kind)) % 2 else "2021")
        form = form_of(sheet, split=seed % 3 == 0, weight=seed % 5 == 0)
        check(sheet_to_dict(sheet), import_sheet(_write(tmp_path, html_text(form).encode())))


def test_rowspan_bomb_is_clamped(tmp_path):
    page = ("<html><table><tr><td colspan=99999999>2024年项目支出绩效目标表</td></tr>"
            + _HEADING
            + "<tr><td rowspan=99999999>产出指标</td><td rowspan=99999999>数量指标</td><td>培训人数</td>"
            "<td>≥300人</td></tr></table></html>")
    sheet = import_sheet(_write(tmp_path, page.encode()))
    assert [(i.level2, i.name) for i in sheet.indicators] == [("数量指标", "培训人数")]


def test_too_many_cells(tmp_path, monkeypatch):
    monkeypatch.setenv("JIXIAO_IMPORT_LIMITS", "cells=50")
    rows = "".join(f"<tr><td>指标{i}</td><td>=1个</td></tr>" for i in range(40))
    page = f"<html><table><tr><td>三级指标</td><td>指标值</td></tr>{rows}</table></html>"
    with pytest.raises(DocumentTooLarge) as e:
        import_sheet(_write(tmp_path, page.encode(), "大.html"))
    assert "大.html" in e.value.message


def test_page_without_indicator_table(tmp_path):
    page = "<html><body><p>2024年预算公开</p><table><tr><td>科目</td><td>金额</td></tr></table></body></html>"
    with pytest.raises(NoIndicatorTable) as e:
        import_sheet(_write(tmp_path, page.encode(), "公开.html"))
    assert "公开.html" in e.value.message


def test_paragraphs_inside_a_cell_stay_apart(tmp_path):
    page = ("<table><tr><td>部门职能概述</td><td colspan=3><p>一、负责全镇经济发展</p>"
            "<div>二、负责社会事务</div></td></tr>"
            + _HEADING + "<tr><td>产出指标</td><td>数量指标</td><td>培训人数</td><td><p>≥300人</p></td></tr></table>")
    sheet = import_sheet(_write(tmp_path, page.encode()))
    assert sheet.overview == "一、负责全镇经济发展\n二、负责社会事务"
    assert sheet.indicators[0].target.text == "≥300人"
