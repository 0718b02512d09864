"""Excel workbooks (.xlsx, as Excel and WPS save them), read with openpyxl.

Every visible worksheet becomes one ``recover.table.Table``: merged ranges keep their
value in the top-left cell and ``SPAN`` elsewhere, hidden rows and columns are
dropped, numbers formatted as percentages read as ``95%``. Cached formula results
are used (``data_only``); a value typed as text, ``=100%``, stays text. Which zip is a
workbook, and the format's entry point, is ``ooxml``'s.
"""
from __future__ import annotations

import re
import warnings
from io import BytesIO

from ...errors import CorruptDocument
from .. import budget
from ..recover.table import SPAN, Table, cell_text

# a cell element, with or without a namespace prefix (<c r="A1">, <x:c r="A1">)
_PREFIXED_CELL = re.compile(rb"<[A-Za-z_][\w.-]{0,30}:c[\s/>]")
_MERGE = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,30}:)?mergeCell\b[^>]{0,200}?\bref\s*=\s*[\"']"
                    rb"\$?([A-Za-z]{1,3})\$?(\d{1,7})(?::\$?([A-Za-z]{1,3})\$?(\d{1,7}))?")


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


_OBJECT_PARTS = frozenset(("xl/styles.xml", "xl/workbook.xml"))
_SHEET_OBJECTS = (b"<dataValidation ", b"<hyperlink ", b"<cfRule ", b"<col ", b"<conditionalFormatting ")


class WorkbookTally(budget.ZipTally):
    """What openpyxl will build objects for, counted in the raw worksheet XML before
    it parses a byte: the cells the file holds and the area of every merged range
    (openpyxl keeps each range; ``_table`` walks each one)."""

    pattern = _MERGE

    def __init__(self) -> None:
        self.cells = 0
        self.rows = 0
        self.objects = 0

    def wants(self, member: str) -> bool:
        return (member.startswith("xl/worksheets/") and member.endswith(".xml")) or member in _OBJECT_PARTS

    def feed(self, member: str, chunk: bytes, b: budget.Budget) -> None:
        # openpyxl makes an object of 1-1.5 KB of every style (xf, font, fill,
        # border, number format), defined name, data validation, hyperlink, rule of
        # conditional formatting and column: 1.9 million <xf> took 2.6 GB. Real
        # workbooks hold a few thousand (Excel itself allows 64,000 cell formats).
        if member in _OBJECT_PARTS:
            self.objects += chunk.count(b"<") - chunk.count(b"</") - chunk.count(b"<?") - chunk.count(b"<!")
        else:
            self.objects += sum(chunk.count(tag) for tag in _SHEET_OBJECTS)
        if self.objects > b.limits.xlsx_objects:
            b.refuse(f"工作簿中的样式、名称、数据验证、超链接、条件格式和列定义超过上限 {b.limits.xlsx_objects} 个")
        if member in _OBJECT_PARTS:
            return
        self.cells += chunk.count(b"<c ") + chunk.count(b"<c>") + chunk.count(b"<c/")
        if b":c" in chunk:
            self.cells += len(_PREFIXED_CELL.findall(chunk))
        if self.cells > b.limits.cells:
            b.refuse(f"工作表中共有超过 {b.limits.cells} 个单元格, 超过上限 {b.limits.cells} 格")
        # every <row> with an attribute becomes a RowDimension (~500 bytes): 1.9
        # million empty hidden rows took 976 MB
        self.rows += chunk.count(b"<row ") + chunk.count(b"<row>") + chunk.count(b":row ")
        if self.rows > b.limits.rows:
            b.refuse(f"工作表中共有超过 {b.limits.rows} 行, 超过上限 {b.limits.rows} 行")

    def found(self, member: str, m: re.Match[bytes], b: budget.Budget) -> None:
        c0, r0 = _column(m.group(1)), int(m.group(2))
        c1, r1 = (_column(m.group(3)), int(m.group(4))) if m.group(3) else (c0, r0)
        b.merged((abs(r1 - r0) + 1) * (abs(c1 - c0) + 1))


def _load_workbook(data: bytes):
    """The workbook as openpyxl reads it (cached formula results), each worksheet
    with its cells, row and column dimensions and merged ranges, nothing else.

    ``openpyxl.load_workbook`` also restyles the border of every cell a merged range
    covers (``Worksheet._clean_merge_range``): 80% of the load time of a bordered
    form, for nothing an import reads. Its reader is used with that one step left out
    (openpyxl is pinned: ``ExcelReader``/``WorksheetReader`` are its own loader's parts)."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.worksheet._reader import WorksheetReader
    from openpyxl.worksheet.cell_range import MultiCellRange

    class Reader(ExcelReader):
        def read_worksheets(self):
            for sheet, rel in self.parser.find_sheets():
                if rel.target not in self.valid_files or "chartsheet" in rel.Type:
                    continue
                ws = self.wb.create_sheet(sheet.name)
                budget.tick()
                with self.archive.open(rel.target) as fh:
                    reader = WorksheetReader(ws, fh, self.shared_strings, self.data_only, self.rich_text)
                    reader.bind_cells()   # parses the whole sheet, merged ranges included
                    reader.bind_col_dimensions()
                    reader.bind_row_dimensions()
                merged = reader.parser.merged_cells
                ws.merged_cells = MultiCellRange([cr.ref for cr in merged.mergeCell] if merged else [])
                ws.sheet_state = sheet.state

    reader = Reader(BytesIO(data), read_only=False, keep_vba=False, data_only=True, keep_links=False)
    reader.read()
    return reader.wb


def workbook_tables(data: bytes, path: str | None) -> list[Table]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = _load_workbook(data)
    except Exception:  # noqa: BLE001 - zipfile, lxml and openpyxl raise many kinds on a damaged part
        raise CorruptDocument(path, "无法按 Excel 工作簿读取, 其中的表格数据已损坏") from None
    tables = []
    b = budget.current(path)
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        tables.append(_table(ws, getattr(ws, "_cells", {}), b))
    if b.cells_used > 50_000:
        # openpyxl's cells point back at their worksheet: the workbook is a cycle only
        # the collector frees, and unless it runs now its cells (~300 bytes each)
        # would still be held while the sheet is solved
        import gc

        del wb, ws
        gc.collect()
    return tables


def _table(ws, cells: dict, b: budget.Budget) -> Table:
    """The worksheet as a grid sized by the cells it holds (never by the
    ``<dimension>`` it declares), allocated only after its size is counted."""
    from openpyxl.utils import column_index_from_string

    used = [(r, c) for (r, c), cell in cells.items() if cell.value is not None and cell.value != ""]
    if not used:
        return Table([], where=f"工作表“{ws.title}”")
    n_rows, n_cols = max(r for r, _ in used), max(c for _, c in used)
    b.cells(n_rows * n_cols)  # one value in XFD1048576 would be a grid of 17 billion cells
    b.tick()
    grid: list[list[str | None]] = [[""] * n_cols for _ in range(n_rows)]
    for r, c in used:
        cell = cells[(r, c)]
        fmt = cell.number_format or ""
        grid[r - 1][c - 1] = cell_text(cell.value, "%" in fmt)
    for rng in ws.merged_cells.ranges:  # their areas were counted (WorkbookTally)
        for r in range(rng.min_row, min(rng.max_row, n_rows) + 1):
            for c in range(rng.min_col, min(rng.max_col, n_cols) + 1):
                if (r, c) != (rng.min_row, rng.min_col):
                    grid[r - 1][c - 1] = SPAN
    hidden_cols: set[int] = set()
    for key, dim in ws.column_dimensions.items():
        if dim.hidden:
            lo = dim.min or column_index_from_string(key)
            hidden_cols.update(range(lo, min(dim.max or lo, n_cols) + 1))  # <col max="16384">
    if hidden_cols:
        grid = [[v for c, v in enumerate(row, 1) if c not in hidden_cols] for row in grid]
    hidden = frozenset(r - 1 for r, dim in ws.row_dimensions.items() if dim.hidden and r <= n_rows)
    return Table(grid, hidden, f"工作表“{ws.title}”")
