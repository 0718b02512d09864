"""The PDF importer's page geometry on hand-made pages: tables from ruling
segments (``pdfgrid``) and where characters belong (``pdfplace``), without a PDF."""
from __future__ import annotations

from jixiao.importers.formats.pdf import _cell_text
from jixiao.importers.formats.pdf.grid import by_column, by_line, find_grids
from jixiao.importers.formats.pdf.page import Char, Page
from jixiao.importers.formats.pdf.place import placed
from jixiao.importers.recover.table import SPAN


def chars(text: str, x: float, top: float, size: float = 10.0, clip=None) -> list[Char]:
    return [Char(x + i * size, x + (i + 1) * size, top, top + size, size, ch, clip) for i, ch in enumerate(text)]


def page(hsegs, vsegs, cs=()) -> Page:
    return Page(1, 600.0, 800.0, list(cs), hsegs, vsegs)


def grid_text(pg: Page) -> list[list[str | None]]:
    g = find_grids(pg)
    assert len(g) == 1
    return g[0].texts(placed(pg, g), _cell_text)[0]


def test_merged_cell_is_the_slots_no_rule_separates():
    # 3 columns x 3 rows; the first column's rows 2 and 3 are one cell, and the
    # last row's middle rule is missing (a row inserted without borders)
    h = [(100, 0, 300), (120, 0, 300), (140, 100, 300), (160, 0, 300)]
    v = [(0, 100, 160), (100, 100, 160), (200, 100, 140), (300, 100, 160)]
    cs = chars("一级", 10, 105) + chars("名称", 110, 105) + chars("值", 210, 105) + chars("产出", 10, 135) \
        + chars("甲", 110, 125) + chars("1", 210, 125) + chars("乙", 110, 145) + chars("2", 210, 145)
    assert grid_text(page(h, v, cs)) == [["一级", "名称", "值"], ["产出", "甲", "1"], [SPAN, "乙", "2"]]


def test_clipped_text_outside_its_clip_belongs_to_the_clipped_cell():
    # a merged label cut by the page break: LibreOffice draws it all, clipped to the
    # cell's part on this page; the line below the table is still that cell's text
    h = [(100, 0, 200), (120, 0, 200)]
    v = [(0, 100, 120), (100, 100, 120), (200, 100, 120)]
    clip = (0.0, 100.0, 100.0, 120.0)
    cs = chars("满意度", 5, 104, clip=clip) + chars("指标", 5, 128, clip=clip) + chars("甲", 110, 104)
    assert grid_text(page(h, v, cs)) == [["满意度\n指标", "甲"]]


def test_text_centred_on_a_row_too_low_goes_to_that_row():
    # rows 15 pt high; a 2-line name (pitch 14) centred on the middle row runs over
    # both its rules; the rows above and below hold their own one-line names
    h = [(100, 0, 60), (115, 0, 60), (130, 0, 60), (145, 0, 60)]
    v = [(0, 100, 145), (60, 100, 145)]
    cs = chars("上", 5, 102.5) + chars("长名称第一", 5, 110.5) + chars("行", 5, 124.5) + chars("下", 5, 132.5)
    assert grid_text(page(h, v, cs)) == [["上"], ["长名称第一行"], ["下"]]


def test_two_unruled_rows_are_split_by_line():
    edges = [0.0, 100.0, 150.0]
    cs = chars("甲指标", 5, 100) + chars("5", 110, 100) + chars("乙指标", 5, 115) + chars("3", 110, 115)
    parts = by_column(cs, edges)
    assert parts is not None
    rows = by_line(parts, edges)
    assert [["".join(c.text for c in p) for p in sub] for _, sub in rows] == [["甲指标", "5"], ["乙指标", "3"]]


def test_one_row_with_wrapped_text_is_not_split():
    # a name filling its column and wrapping, its value wrapping too: one row
    edges = [0.0, 60.0, 120.0]
    cs = chars("一二三四五", 3, 100) + chars("六", 3, 114) + chars("符合相关规", 63, 100) + chars("定", 63, 114)
    parts = by_column(cs, edges)
    assert parts is not None and len(by_line(parts, edges)) == 1


def test_unruled_rows_split_at_values_that_cannot_wrap():
    # name | value; the first name wraps to two lines, each value is one short line
    edges = [0.0, 60.0, 120.0]
    cs = chars("一二三四五", 3, 100) + chars("六", 3, 114) + chars("≥97%", 70, 107, size=6) \
        + chars("七八九", 3, 128) + chars("≥90%", 70, 128, size=6)
    parts = by_column(cs, edges)
    assert parts is not None
    rows = by_line(parts, edges)
    assert [["".join(c.text for c in p) for p in sub] for _, sub in rows] == [["一二三四五六", "≥97%"], ["七八九", "≥90%"]]


def test_unruled_rows_split_at_a_rule_of_the_label_column():
    # the heading is ruled throughout; below it two rows were inserted without
    # borders beside a label column ruled between its two groups (the second row
    # lacks its value, so its lines alone would not tell the rows apart)
    h = [(80, 0, 200), (100, 0, 200), (130, 0, 60), (160, 0, 200)]
    v = [(0, 80, 160), (60, 80, 160), (130, 80, 100), (200, 80, 160)]
    cs = chars("一级", 5, 85) + chars("名称", 65, 85) + chars("值", 140, 85) + chars("效益", 5, 110) \
        + chars("满意", 5, 140) + chars("甲", 65, 110) + chars("1", 150, 110) + chars("乙", 65, 140)
    assert grid_text(page(h, v, cs)) == [["一级", "名称", "值"], ["效益", "甲", "1"], ["满意", "乙", ""]]


def test_merged_cell_text_running_over_a_column_line_stays_whole():
    # a header value merged over two columns whose text happens to break exactly at
    # the column line of the table below: one cell, not two
    h = [(100, 0, 250), (120, 0, 250), (140, 0, 250)]
    v = [(0, 100, 140), (100, 100, 140), (150, 120, 140), (250, 100, 140)]
    cs = chars("名称", 5, 105) + chars("富溪区应急管理局", 105, 105, size=9.0) \
        + chars("甲", 105, 125) + chars("乙", 155, 125)
    assert grid_text(page(h, v, cs)) == [["名称", "富溪区应急管理局", SPAN], ["", "甲", "乙"]]
