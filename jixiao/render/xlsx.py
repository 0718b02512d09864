"""Excel workbook of the form (openpyxl): merged 核心职能/一级/二级 cells, wrapped
text with row heights that fit, thin borders, A4 landscape, header row repeated
on every printed page. Every value is stored as text: openpyxl would otherwise
store "=100%" as a formula (stack-notes.md gotcha 1)."""
from __future__ import annotations

import io
import math

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet

from . import renderer
from .view import FormView, display_width

FONT_NAME = "宋体"
SHEET_NAME = "绩效目标表"
POINTS_PER_LINE = 14.5     # 10.5 pt 宋体 with leading
MAX_ROW_HEIGHT = 409       # Excel's limit, in points
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BODY_FONT = Font(name=FONT_NAME, size=10.5)
BOLD_FONT = Font(name=FONT_NAME, size=10.5, bold=True)
TITLE_FONT = Font(name=FONT_NAME, size=16, bold=True)
HEAD_FILL = PatternFill("solid", fgColor="F0F0F0")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
LEFT_COLUMNS = {"function", "name", "explanation", "criteria"}


def lines_needed(text: str, width_chars: float) -> int:
    """Wrapped line count of ``text`` in a column ``width_chars`` Excel units wide."""
    usable = max(width_chars - 1.5, 1.0)  # cell padding
    return sum(max(1, math.ceil(display_width(p) / usable)) for p in (text or "").split("\n"))


def _height(lines: int) -> float:
    return min(MAX_ROW_HEIGHT, lines * POINTS_PER_LINE + 4)


def _put(ws: Worksheet, row: int, col: int, text: str, font=BODY_FONT, align=CENTER):
    cell = ws.cell(row=row, column=col, value=text)
    cell.data_type = "s"   # never a formula, whatever the text starts with
    cell.font, cell.alignment, cell.border = font, align, BORDER
    return cell


def _box(ws: Worksheet, row1: int, col1: int, row2: int, col2: int) -> None:
    """Borders on every cell of a merged range (Excel draws a merged cell's edge
    from the cells it covers)."""
    for r in range(row1, row2 + 1):
        for c in range(col1, col2 + 1):
            ws.cell(row=r, column=c).border = BORDER


def _merge(ws: Worksheet, row1: int, col1: int, row2: int, col2: int) -> None:
    """Register a merged range without ``ws.merge_cells``, which restyles every
    covered cell through openpyxl's slow style index (most of the render time).
    The covered cells already carry their borders and hold no value."""
    ref = CellRange(min_col=col1, min_row=row1, max_col=col2, max_row=row2).coord
    # straight into the range set: ``MultiCellRange.add`` first tests the new range
    # against every range so far (quadratic in a 5,000-indicator form); the form's
    # merged ranges are disjoint by construction
    ws.merged_cells.ranges.add(MergedCellRange(ws, ref))


def _excel_width(view: FormView, i: int) -> float:
    return view.columns[i].width * 2 + 2


def write_form(ws: Worksheet, view: FormView) -> int:
    """Draw ``view`` onto ``ws``; the blank template (template.py) uses it too.
    Returns the row of the column headings (the body starts below it)."""
    ncol = len(view.columns)
    widths = [_excel_width(view, i) for i in range(ncol)]
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    _put(ws, 1, 1, view.title, TITLE_FONT)
    _box(ws, 1, 1, 1, ncol)
    _merge(ws, 1, 1, 1, ncol)
    ws.row_dimensions[1].height = 30
    row = 2
    if view.subtitle:   # (2024年度) when the title does not give the year
        _put(ws, row, 1, view.subtitle)
        _box(ws, row, 1, row, ncol)
        _merge(ws, row, 1, row, ncol)
        ws.row_dimensions[row].height = _height(1)
        row += 1
    value_width = sum(widths[1:]) if ncol > 1 else widths[0]
    for f in view.fields:
        _put(ws, row, 1, f.label, BOLD_FONT)
        _put(ws, row, 2, f.value, align=LEFT)
        if ncol > 2:
            _box(ws, row, 2, row, ncol)
            _merge(ws, row, 2, row, ncol)
        label_lines = lines_needed(f.label, widths[0])
        ws.row_dimensions[row].height = _height(max(label_lines, lines_needed(f.value, value_width)))
        row += 1
    head = row
    for i, col in enumerate(view.columns, 1):
        _put(ws, head, i, col.heading, BOLD_FONT).fill = HEAD_FILL
    ws.row_dimensions[head].height = _height(1)
    _write_body(ws, view, head + 1, widths)
    ws.print_title_rows = f"{head}:{head}"
    ws.freeze_panes = ws.cell(row=head + 1, column=1)
    _page_setup(ws)
    return head


def _write_body(ws: Worksheet, view: FormView, first: int, widths: list[float]) -> None:
    heights = [1] * len(view.rows)
    spans = []  # (row index, column index, span, lines)
    for r, cells in enumerate(view.rows):
        for c, cell in enumerate(cells):
            key = view.columns[c].key
            align = LEFT if key in LEFT_COLUMNS else CENTER
            if cell.rowspan == 0:
                ws.cell(row=first + r, column=c + 1).border = BORDER
                continue
            _put(ws, first + r, c + 1, cell.text, align=align)
            lines = lines_needed(cell.text, widths[c])
            if cell.rowspan > 1:
                _merge(ws, first + r, c + 1, first + r + cell.rowspan - 1, c + 1)
                spans.append((r, cell.rowspan, lines))
            else:
                heights[r] = max(heights[r], lines)
    # A merged cell's text must fit in the rows it spans: spread any shortfall evenly.
    for r, span, lines in spans:
        short = lines - sum(heights[r:r + span])
        if short > 0:
            for j in range(span):
                heights[r + j] += math.ceil(short / span)
    for r, lines in enumerate(heights):
        ws.row_dimensions[first + r].height = _height(lines)


def _page_setup(ws: Worksheet) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top, ws.page_margins.bottom = 0.5, 0.6
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"


@renderer("xlsx", media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
def render_xlsx(view: FormView) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_NAME
    write_form(ws, view)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
