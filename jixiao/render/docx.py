"""Word document of the form (python-docx): A4 landscape, a heading, the header
field table and the indicator table with real vertical merges and a header row
that Word repeats on every page."""
from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

from . import renderer
from .view import FormView

FONT_NAME = "宋体"
BODY_SIZE = 9
LEFT_COLUMNS = {"function", "name", "explanation", "criteria"}
PAGE_WIDTH_MM, PAGE_HEIGHT_MM, MARGIN_MM = 297, 210, 15


def _east_asian_font(element, name: str) -> None:
    """Word picks CJK glyphs from the eastAsia font slot, not from font.name."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def _default_font(doc) -> None:
    """宋体 9 pt for everything, set once on the Normal style: per-run fonts cost
    most of the render time."""
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT_NAME, Pt(BODY_SIZE)
    _east_asian_font(normal.element, FONT_NAME)


def _set_font(run, size: float, bold: bool = False) -> None:
    if size != BODY_SIZE:
        run.font.size = Pt(size)
    if bold:
        run.font.bold = True


def _write(cell, text: str, *, bold: bool = False, center: bool = True, size: float = 10,
           indent: bool = False) -> None:
    """``indent``: prose, each paragraph's first line two characters in (首行缩进)."""
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for i, line in enumerate((text or "").split("\n")):
        paragraph = cell.add_paragraph() if i else cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
        if indent:
            paragraph.paragraph_format.first_line_indent = Pt(2 * size)
        _set_font(paragraph.add_run(line), size, bold)


_JC = qn("w:jc")
_VAL = qn("w:val")


def _write_body(tc, text: str, center: bool, merge: str | None) -> None:
    """A body cell at the Normal style's size, written as XML: the same markup as
    ``_write`` (vAlign center, one paragraph per line, justified centre or left),
    without python-docx's ordered-insertion machinery (half the render time).
    ``merge``: "restart" for the first cell of a vertical merge, "continue" for a
    covered cell (left empty), None otherwise. The cell's tcPr holds only its tcW,
    so vMerge and vAlign are appended in the schema's order."""
    tc_pr = tc.get_or_add_tcPr()
    if merge:
        etree.SubElement(tc_pr, qn("w:vMerge")).set(_VAL, merge)
        if merge == "continue":
            return
    etree.SubElement(tc_pr, qn("w:vAlign")).set(_VAL, "center")
    first = tc.find(qn("w:p"))
    for i, line in enumerate((text or "").split("\n")):
        p = first if i == 0 else etree.SubElement(tc, qn("w:p"))
        jc = etree.SubElement(etree.SubElement(p, qn("w:pPr")), _JC)
        jc.set(_VAL, "center" if center else "left")
        t = etree.SubElement(etree.SubElement(p, qn("w:r")), qn("w:t"))
        t.text = line
        if line != line.strip():
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _landscape(doc) -> float:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(MARGIN_MM))
    return PAGE_WIDTH_MM - 2 * MARGIN_MM


def _charts(doc, view: FormView, usable_mm: float) -> None:
    """A 自评表's charts under the table, as inline pictures (PNG); none without a
    CJK font to draw them in."""
    if not view.charts:
        return
    from .charts import chart_png

    for chart in view.charts:
        png = chart_png(chart)
        if png is None:
            continue
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run().add_picture(io.BytesIO(png), width=Mm(min(240.0, usable_mm)))


@renderer("docx", media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
def render_docx(view: FormView) -> bytes:
    doc = Document()
    _default_font(doc)
    usable_mm = _landscape(doc)
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(heading.add_run(view.title), 16, bold=True)
    if view.subtitle:   # (2024年度) when the title does not give the year
        sub = doc.add_paragraph()
        sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _set_font(sub.add_run(view.subtitle), 10.5)

    fields = doc.add_table(rows=len(view.fields), cols=2)
    fields.style = "Table Grid"
    fields.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row, f in zip(fields.rows, view.fields):
        row.cells[0].width, row.cells[1].width = Mm(usable_mm * 0.16), Mm(usable_mm * 0.84)
        _write(row.cells[0], f.label, bold=True)
        _write(row.cells[1], f.value, center=False, indent=f.prose)
    doc.add_paragraph()

    table = doc.add_table(rows=1 + len(view.rows), cols=len(view.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    total = sum(c.width for c in view.columns)
    widths = [Mm(usable_mm * c.width / total) for c in view.columns]
    # One grid of cell objects up front: table.cell() rebuilds the whole grid on
    # every call (quadratic). Vertical merges keep every <w:tc>, so it stays valid.
    grid = [list(row.cells) for row in table.rows]
    for i, col in enumerate(view.columns):
        _write(grid[0][i], col.heading, bold=True)
    _repeat_header(table.rows[0])
    for row_cells in grid:
        for cell, w in zip(row_cells, widths):
            cell.width = w
    # Vertical merges written directly (w:vMerge restart / continue): the covered
    # cells are empty, so python-docx's cell.merge (which recomputes the table grid on
    # every call) has nothing to move.
    centred = [col.key not in LEFT_COLUMNS for col in view.columns]
    for r, cells in enumerate(view.rows, 1):
        for c, cell in enumerate(cells):
            merge = "continue" if cell.rowspan == 0 else "restart" if cell.rowspan > 1 else None
            _write_body(grid[r][c]._tc, cell.text, centred[c], merge)
    _charts(doc, view, usable_mm)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
