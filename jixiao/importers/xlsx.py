"""Excel workbooks (.xlsx, as Excel and WPS save them), read with openpyxl.

Every visible worksheet becomes one table of ``grid``: merged ranges keep their
value in the top-left cell and ``SPAN`` elsewhere, hidden rows and columns are
dropped, numbers formatted as percentages read as ``95%``. Cached formula results
are used (``data_only``); a value typed as text, ``=100%``, stays text.
"""
from __future__ import annotations

import warnings
from io import BytesIO

from ..errors import CorruptDocument, DocumentTooLarge, UnsupportedDocument
from ..model.sheet import Sheet
from . import register
from .grid import SPAN, Table, cell_text, check_size, sheet_from_blocks

#: Total uncompressed size of the members of an xlsx/docx (zip bomb guard).
MAX_UNCOMPRESSED = 200 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
_OOXML = {"xl/workbook.xml": "xlsx", "word/document.xml": "docx"}


def zip_kind(data: bytes, path: str | None) -> str:
    """'xlsx' or 'docx' for an OOXML zip, after the size checks; raises otherwise."""
    import zipfile

    try:
        with zipfile.ZipFile(BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        raise CorruptDocument(path, "ZIP 目录缺失或损坏 (文件可能被截断或下载不完整)") from None
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED:
        raise DocumentTooLarge(path, f"解压后 {total / 2**20:.1f} MB, 超过上限 {MAX_UNCOMPRESSED // 2**20} MB"
                                     " (可能是压缩炸弹)")
    names = {i.filename for i in infos}
    for member, kind in _OOXML.items():
        if member in names:
            return kind
    raise UnsupportedDocument(path, "这是 ZIP 压缩包, 但不是 Excel (.xlsx) 或 Word (.docx) 文档")


def _sniff(head: bytes) -> bool:
    return head.startswith(ZIP_MAGIC) and b"xl/" in head


@register("xlsx", sniff=_sniff, priority=10)
def load_xlsx(data: bytes, path: str | None) -> Sheet:
    zip_kind(data, path)
    return sheet_from_blocks(workbook_tables(data, path), path)


@register("ooxml", sniff=lambda head: head.startswith(ZIP_MAGIC), priority=12)
def load_ooxml(data: bytes, path: str | None) -> Sheet:
    """A zip whose first members did not tell: dispatch on the member list."""
    if zip_kind(data, path) == "xlsx":
        return load_xlsx(data, path)
    from .docx import load_docx

    return load_docx(data, path)


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
    total = 0
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        cells = getattr(ws, "_cells", {})
        total += len(cells)
        check_size(total, path)
        tables.append(_table(ws, cells, path))
    return tables


def _table(ws, cells: dict, path: str | None) -> Table:
    from openpyxl.utils import column_index_from_string

    used = [(r, c) for (r, c), cell in cells.items() if cell.value is not None and cell.value != ""]
    if not used:
        return Table([], where=f"工作表“{ws.title}”")
    n_rows, n_cols = max(r for r, _ in used), max(c for _, c in used)
    check_size(n_rows * n_cols, path)
    grid: list[list[str | None]] = [[""] * n_cols for _ in range(n_rows)]
    for r, c in used:
        cell = cells[(r, c)]
        fmt = cell.number_format or ""
        grid[r - 1][c - 1] = cell_text(cell.value, "%" in fmt)
    for rng in ws.merged_cells.ranges:
        for r in range(rng.min_row, min(rng.max_row, n_rows) + 1):
            for c in range(rng.min_col, min(rng.max_col, n_cols) + 1):
                if (r, c) != (rng.min_row, rng.min_col):
                    grid[r - 1][c - 1] = SPAN
    hidden_cols = set()
    for key, dim in ws.column_dimensions.items():
        if dim.hidden:
            lo = dim.min or column_index_from_string(key)
            hidden_cols.update(range(lo, (dim.max or lo) + 1))
    if hidden_cols:
        grid = [[v for c, v in enumerate(row, 1) if c not in hidden_cols] for row in grid]
    hidden = frozenset(r - 1 for r, dim in ws.row_dimensions.items() if dim.hidden and r <= n_rows)
    return Table(grid, hidden, f"工作表“{ws.title}”")
