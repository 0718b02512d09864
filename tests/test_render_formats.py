"""Every renderer of the official form (jixiao/render) on the seed and on generated
sheets: each file is read back with the standard library of its format, and the
four outputs agree with each other and with the view-model."""
from __future__ import annotations

import io
import random
import re
import shutil
import subprocess
from functools import cache

import docx
import openpyxl
import pytest
from generator import make_sheet
from lxml import html as lxml_html

from jixiao.model.codec import loads
from jixiao.model.sheet import Sheet
from jixiao.render import render
from jixiao.render.view import build_view, target_text
from jixiao.render.xlsx import SHEET_NAME

DOCX_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SHEET_IDS = ["seed"] + [f"{k}-{r}-{n}" for k in ("department", "project")
                        for r in ("classic", "2021") for n in range(5)]


@cache
def sheet_of(sheet_id: str) -> Sheet:
    if sheet_id == "seed":
        from conftest import DATA

        return loads((DATA / "seed.gold.json").read_text(encoding="utf-8"))
    kind, regime, n = sheet_id.split("-")
    return make_sheet(random.Random(int(n)), kind=kind, regime=regime)


@cache
def output(sheet_id: str, fmt: str) -> bytes:
    if fmt == "pdf":
        need_weasyprint()
    return render(sheet_of(sheet_id), fmt)


def need_weasyprint() -> None:
    try:
        import weasyprint  # noqa: F401
    except (OSError, ImportError) as e:  # pango / harfbuzz missing on this machine
        pytest.skip(f"WeasyPrint cannot load: {e}")


def expected(sheet: Sheet) -> list[tuple[str, str]]:
    return [(i.name, target_text(i.target)) for _, i in sheet.all_indicators()]


def heading_row(view) -> int:
    """The xlsx row of the column headings: after the title, the year line when the
    title lacks the year, and the header fields."""
    return 2 + bool(view.subtitle) + len(view.fields)


def flat(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


# ----------------------------------------------------------- reading each format back

def xlsx_pairs(data: bytes, view) -> list[tuple[str, str]]:
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    first = heading_row(view) + 1
    n, t = view.column_index("name") + 1, view.column_index("target") + 1
    return [(ws.cell(r, n).value or "", ws.cell(r, t).value or "")
            for r in range(first, first + len(view.rows))]


def docx_pairs(data: bytes, view) -> list[tuple[str, str]]:
    table = docx.Document(io.BytesIO(data)).tables[1]
    n, t = view.column_index("name"), view.column_index("target")
    return [(row.cells[n].text, row.cells[t].text) for row in table.rows[1:]]


def html_grid(data: bytes) -> list[list[str]]:
    """The indicator table body with every rowspan expanded."""
    doc = lxml_html.fromstring(data)
    grid: list[list[str]] = []
    carry: dict[int, tuple[str, int]] = {}   # column -> (text, rows still covered)
    for tr in doc.xpath("//table[@class='indicators']/tbody/tr"):
        tds, row, col = list(tr.xpath("./td")), [], 0
        while tds or col in carry:
            if col in carry:
                text, left = carry.pop(col)
                if left > 1:
                    carry[col] = (text, left - 1)
            else:
                td = tds.pop(0)
                text, span = td.text_content(), int(td.get("rowspan", "1"))
                if span > 1:
                    carry[col] = (text, span - 1)
            row.append(text)
            col += 1
        grid.append(row)
    return grid


def html_pairs(data: bytes, view) -> list[tuple[str, str]]:
    n, t = view.column_index("name"), view.column_index("target")
    return [(row[n], row[t]) for row in html_grid(data)]


def pdf_pairs(data: bytes, view) -> list[tuple[str, str]]:
    import pdfplumber

    headings = [c.heading for c in view.columns]
    n, t = view.column_index("name"), view.column_index("target")
    pairs = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                for row in table:
                    if len(row) != len(headings) or row == headings:
                        continue   # the header-field table, or the repeated column headings
                    pairs.append((flat(row[n]), flat(row[t])))
    return pairs


READERS = {"xlsx": xlsx_pairs, "docx": docx_pairs, "html": html_pairs, "pdf": pdf_pairs}


# ------------------------------------------------------------------------- per format

@pytest.mark.parametrize("sheet_id", SHEET_IDS)
def test_xlsx_reads_back_with_merges_text_values_and_print_setup(sheet_id):
    sheet, data = sheet_of(sheet_id), output(sheet_id, "xlsx")
    view = build_view(sheet)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.active
    assert ws.title == SHEET_NAME == "绩效目标表"
    assert ws["A1"].value == view.title
    if view.subtitle:
        last = openpyxl.utils.get_column_letter(len(view.columns))
        assert ws["A2"].value == view.subtitle and f"A2:{last}2" in {str(r) for r in ws.merged_cells.ranges}
    head = heading_row(view)
    assert [c.value for c in ws[head]] == [c.heading for c in view.columns]
    assert ws.print_title_rows == f"${head}:${head}"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws["A1"].font.name == "宋体"
    merged = {str(r) for r in ws.merged_cells.ranges}
    for r, cells in enumerate(view.rows, head + 1):
        for c, cell in enumerate(cells):
            if cell.rowspan > 1:
                letter = openpyxl.utils.get_column_letter(c + 1)
                assert f"{letter}{r}:{letter}{r + cell.rowspan - 1}" in merged
                assert ws.cell(r, c + 1).alignment.vertical == "center"
            if cell.rowspan:
                got = ws.cell(r, c + 1)
                assert got.data_type == "s" and got.value == (cell.text or None)
    assert xlsx_pairs(data, view) == expected(sheet)


def test_xlsx_equals_values_are_strings_not_formulas():
    data = output("seed", "xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    values = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str)
              and c.value.startswith("=")]
    assert len(values) == 25   # 13 × "=100%" and 12 other "=…" values in the seed
    assert all(c.data_type == "s" for c in values)
    assert b"<f>" not in _sheet_xml(data)   # no formula element anywhere


def _sheet_xml(data: bytes) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("xl/worksheets/sheet1.xml")


def test_xlsx_row_heights_fit_the_wrapped_text():
    from jixiao.render.xlsx import POINTS_PER_LINE, lines_needed

    view = build_view(sheet_of("seed"))
    ws = openpyxl.load_workbook(io.BytesIO(output("seed", "xlsx"))).active
    head = heading_row(view)
    for r, cells in enumerate(view.rows, head + 1):
        for c, cell in enumerate(cells):
            if cell.rowspan:
                width = ws.column_dimensions[openpyxl.utils.get_column_letter(c + 1)].width
                room = sum(ws.row_dimensions[r + k].height for k in range(cell.rowspan))
                assert room >= lines_needed(cell.text, width) * POINTS_PER_LINE, (r, c)


@pytest.mark.parametrize("sheet_id", SHEET_IDS)
def test_docx_reads_back_with_vertical_merges_and_landscape(sheet_id):
    sheet, data = sheet_of(sheet_id), output(sheet_id, "docx")
    view = build_view(sheet)
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    assert section.page_width > section.page_height   # landscape
    assert document.paragraphs[0].text == view.title
    if view.subtitle:
        assert document.paragraphs[1].text == view.subtitle
    normal = document.styles["Normal"]
    assert normal.font.name == "宋体"
    assert normal.element.rPr.rFonts.get(f"{DOCX_NS}eastAsia") == "宋体"
    fields, table = document.tables
    assert [r.cells[0].text for r in fields.rows] == [f.label for f in view.fields]
    assert len(table.rows) == 1 + len(view.rows)
    assert [c.text for c in table.rows[0].cells] == [c.heading for c in view.columns]
    assert table.rows[0]._tr.find(f"{DOCX_NS}trPr/{DOCX_NS}tblHeader") is not None
    restarts = len(table._tbl.xpath(".//w:vMerge[@w:val='restart']"))
    assert restarts == sum(1 for cells in view.rows for c in cells if c.rowspan > 1)
    assert docx_pairs(data, view) == expected(sheet)


@pytest.mark.parametrize("sheet_id", SHEET_IDS)
def test_html_parses_and_rowspans_match_the_view(sheet_id):
    sheet, data = sheet_of(sheet_id), output(sheet_id, "html")
    view = build_view(sheet)
    doc = lxml_html.fromstring(data)
    assert doc.xpath("string(//h1)") == view.title
    assert doc.xpath("string(//p[@class='subtitle'])") == view.subtitle
    body = doc.xpath("//table[@class='indicators']/tbody/tr")
    assert len(body) == len(view.rows)
    for tr, cells in zip(body, view.rows):
        assert [int(td.get("rowspan", "1")) for td in tr.xpath("./td")] == \
            [c.rowspan for c in cells if c.rowspan]
    assert len(doc.xpath("//table[@class='indicators']/thead/tr/th")) == len(view.columns)
    assert html_pairs(data, view) == expected(sheet)
    assert "size: A4 landscape" in data.decode()


@pytest.mark.parametrize("sheet_id", SHEET_IDS)
def test_pdf_opens_and_holds_every_indicator_and_the_footer(sheet_id):
    import pdfplumber

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    sheet, data = sheet_of(sheet_id), output(sheet_id, "pdf")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = len(pdf.pages)
        assert pages >= 1 and pdf.pages[0].width > pdf.pages[0].height   # landscape
    layout = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data,
                            capture_output=True, check=True).stdout.decode()
    # pdftotext drops the narrow spaces between CJK glyphs: "第 1 页 共" reads "第1页共".
    assert re.search(rf"第\s*1\s*页\s*共\s*{pages}\s*页", layout)
    assert layout.count("核心职能" if sheet.functions else "三级指标") >= pages   # thead repeats
    # -raw keeps a wrapped cell's lines together; -layout interleaves neighbouring cells.
    raw = flat(subprocess.run(["pdftotext", "-raw", "-", "-"], input=data,
                              capture_output=True, check=True).stdout.decode())
    assert [name for name, _ in expected(sheet) if flat(name) not in raw] == []


def test_pdf_uses_the_noto_sans_cjk_font():
    if not shutil.which("pdffonts"):
        pytest.skip("pdffonts (poppler-utils) is not installed")
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(output("seed", "pdf"))
        f.flush()
        fonts = subprocess.run(["pdffonts", f.name], capture_output=True, text=True,
                               check=True).stdout
    assert "Noto-Sans-CJK-SC" in fonts and "Serif" not in fonts


# --------------------------------------------------------------- the renderers agree

@pytest.mark.parametrize("sheet_id", ["seed", "department-classic-0", "department-2021-1",
                                      "project-classic-2", "project-2021-3"])
def test_the_four_renderers_agree(sheet_id):
    sheet = sheet_of(sheet_id)
    view = build_view(sheet)
    want = [(flat(n), flat(t)) for n, t in expected(sheet)]
    for fmt, read in READERS.items():
        got = [(flat(n), flat(t)) for n, t in read(output(sheet_id, fmt), view)]
        assert got == want, fmt


# ----------------------------------------------------------------------- the template

@pytest.mark.parametrize("kind", ["department", "project"])
def test_blank_template_has_fields_headings_dropdowns_and_instructions(kind):
    from jixiao.model.indicator import LEVEL1, LEVEL2
    from jixiao.render.template import BLANK_ROWS, blank_view, render_template

    view = blank_view(kind)
    wb = openpyxl.load_workbook(io.BytesIO(render_template(kind)))
    assert wb.sheetnames == ["绩效目标表", "填表说明"]
    ws = wb["绩效目标表"]
    labels = [ws.cell(r, 1).value for r in range(2, 2 + len(view.fields))]
    assert labels[0] == ("部门(单位)名称" if kind == "department" else "项目名称")
    assert all(ws.cell(r, 2).value is None for r in range(2, 2 + len(view.fields)))
    head = 2 + len(view.fields)
    headings = [c.value for c in ws[head]]
    assert headings[:5] == (["核心职能", "一级指标", "二级指标", "三级指标", "指标值"]
                            if kind == "department" else
                            ["一级指标", "二级指标", "三级指标", "指标值", "权重(%)"])
    assert ws.print_title_rows == f"${head}:${head}"
    assert ws.page_setup.orientation == "landscape"
    lists = {dv.formula1.strip('"'): str(dv.sqref) for dv in ws.data_validations.dataValidation}
    l1 = openpyxl.utils.get_column_letter(view.column_index("level1") + 1)
    l2 = openpyxl.utils.get_column_letter(view.column_index("level2") + 1)
    assert lists[",".join(LEVEL1)] == f"{l1}{head + 1}:{l1}{head + BLANK_ROWS}"
    assert lists[",".join(LEVEL2)] == f"{l2}{head + 1}:{l2}{head + BLANK_ROWS}"
    assert ws.cell(head + 1, 4).number_format == "@"   # "=100%" typed in stays text
    notes = [c.value for c in wb["填表说明"]["A"]]
    assert notes[0] == "填表说明" and any("下拉列表" in n for n in notes)


def test_template_rejects_unknown_kind():
    from jixiao.render.template import render_template

    with pytest.raises(ValueError):
        render_template("school")


# ------------------------------------------------------------- out and back in again

@pytest.mark.parametrize("fmt", ["xlsx", "docx", "html"])
@pytest.mark.parametrize("sheet_id", ["seed", "department-2021-1", "project-classic-2"])
def test_rendered_forms_import_back_to_the_same_indicators(tmp_path, sheet_id, fmt):
    from jixiao.files import import_sheet

    sheet = sheet_of(sheet_id)
    path = tmp_path / f"form.{fmt}"
    path.write_bytes(output(sheet_id, fmt))
    back = import_sheet(path)

    def tree(s: Sheet):
        return [(i.level1, i.level2, i.name, target_text(i.target)) for _, i in s.all_indicators()]

    assert tree(back) == tree(sheet)
    assert [f.label for f in back.functions] == [f.label for f in sheet.functions]


HOSTILE_TEXT = "村\x00道\x0b维\x1b护\x7f\x85率\ufffe\uffff\ud800\r\n第二行\r第三行\x9f"


def hostile_sheet() -> Sheet:
    """The seed with control characters, non-characters and a lone surrogate in every
    kind of text a form shows: header fields, goals, function labels, names, targets."""
    import dataclasses

    from jixiao.model.target import parse_target

    sheet = sheet_of("seed")
    functions = [dataclasses.replace(
        f, label=HOSTILE_TEXT + f.label,
        indicators=[dataclasses.replace(i, name=HOSTILE_TEXT + i.name,
                                        target=parse_target("≥95%\x00\x1b" + HOSTILE_TEXT))
                    for i in f.indicators]) for f in sheet.functions]
    return dataclasses.replace(sheet, unit=HOSTILE_TEXT, title=HOSTILE_TEXT + (sheet.title or ""),
                               goals=[HOSTILE_TEXT + g for g in sheet.goals], functions=functions)


UNHOLDABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def test_control_characters_are_cleaned_in_the_view():
    view = build_view(hostile_sheet())
    texts = [view.title, view.subtitle or ""] + [t for f in view.fields for t in (f.label, f.value)] + \
            [c.text for row in view.rows for c in row]
    assert all(not UNHOLDABLE.search(t) for t in texts)
    assert any("村道维护率\n第二行\n第三行" in t for t in texts)


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "html", "pdf"])
def test_every_renderer_writes_text_with_control_characters(fmt):
    if fmt == "pdf":
        need_weasyprint()
    data = render(hostile_sheet(), fmt)
    if fmt == "xlsx":
        ws = openpyxl.load_workbook(io.BytesIO(data)).active
        values = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    elif fmt == "docx":
        d = docx.Document(io.BytesIO(data))
        values = [c.text for t in d.tables for row in t.rows for c in row.cells]
    elif fmt == "html":
        values = [data.decode("utf-8")]
    else:
        values = [pdf_text(data)]
    assert any("村道维护率" in v for v in values)
    assert all(not UNHOLDABLE.search(v) for v in values)


def pdf_text(data: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)
