"""Legacy Excel workbooks (BIFF ``.xls``, as WPS and old Excel save them), read
with xlrd.

Merged ranges come from ``formatting_info=True`` (the value stays in the top-left
cell, ``SPAN`` elsewhere) and hidden rows are skipped; when the file lacks the
formatting records xlrd needs, it is read without them and merged cells show as
empty cells, which the label reading treats the same way. An OLE2 file that is
an encrypted xlsx/docx or a Word 97 document gets its own message.
"""
from __future__ import annotations

from ...errors import CorruptDocument, EncryptedDocument, UnsupportedDocument
from ...model.sheet import Sheet
from .. import budget
from ..recover.table import SPAN, Table, cell_text, sheet_from_blocks
from ..registry import register

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@register("xls", sniff=lambda head: head.startswith(OLE2_MAGIC), priority=10)
@budget.within
def load_xls(data: bytes, path: str | None) -> Sheet:
    ole2_problem(data, path)
    return sheet_from_blocks(workbook_tables(data, path), path)


def ole2_problem(data: bytes, path: str | None) -> None:
    """Raise for OLE2 files that are no legacy workbook: encrypted OOXML, Word 97."""
    if "EncryptionInfo".encode("utf-16-le") in data:
        raise EncryptedDocument(path)
    if "WordDocument".encode("utf-16-le") in data and "Workbook".encode("utf-16-le") not in data:
        raise UnsupportedDocument(path, "这是旧版 Word (.doc) 文档, 请在 Word/WPS 中另存为 .docx 再导入")


# BIFF8 cell records (a MULBLANK/MULRK holds a run of cells) and merged ranges
_ONE_CELL = frozenset((0x0201, 0x0203, 0x0204, 0x00FD, 0x027E, 0x0006, 0x0205, 0x0406, 0x0207))
_MULBLANK, _MULRK, _MERGEDCELLS = 0x00BE, 0x00BD, 0x00E5


def count_cells(data: bytes, b: budget.Budget) -> bool:
    """The cells the workbook's BIFF records hold, counted before xlrd builds them:
    a MULBLANK record gives 256 blank cells in 518 bytes, and xlrd (which keeps
    blanks with ``formatting_info``) took 266 MB and 21 s for the 16.6 million of a
    34 MB file. A stream xlrd's own container reader cannot find is left to xlrd."""
    import struct

    import xlrd.compdoc

    try:
        doc = xlrd.compdoc.CompDoc(data, logfile=_Null())
        stream = doc.get_named_stream("Workbook") or doc.get_named_stream("Book")
    except Exception:  # noqa: BLE001 - damaged: xlrd reports it with its own words
        return False
    if not stream:
        return False
    cells = merged = 0
    i, n = 0, len(stream)
    unpack = struct.unpack_from
    while i + 4 <= n:
        kind, length = unpack("<HH", stream, i)
        if kind in _ONE_CELL:
            cells += 1
        elif kind == _MULBLANK:
            cells += max(0, (length - 6) // 2)
        elif kind == _MULRK:
            cells += max(0, (length - 6) // 6)
        elif kind == _MERGEDCELLS and i + 6 <= n:
            count = unpack("<H", stream, i + 4)[0]
            for k in range(min(count, max(0, (length - 2) // 8))):
                r0, r1, c0, c1 = unpack("<HHHH", stream, i + 6 + 8 * k)
                merged += (abs(r1 - r0) + 1) * (abs(c1 - c0) + 1)
        i += 4 + length
    if cells > b.limits.cells:
        b.refuse(f"工作簿中共有 {cells} 个单元格, 超过上限 {b.limits.cells} 格")
    b.merged(merged)
    return True


def workbook_tables(data: bytes, path: str | None) -> list[Table]:
    import xlrd

    b = budget.current(path)
    counted = count_cells(data, b)
    book = None
    for formatting in (True, False):
        try:
            book = xlrd.open_workbook(file_contents=data, formatting_info=formatting, on_demand=False,
                                      ragged_rows=True, logfile=_Null())
            break
        except NotImplementedError:
            continue  # formatting_info is not supported for this file
        except Exception:  # noqa: BLE001 - xlrd raises XLRDError, CompDocError, struct.error … on damage
            raise CorruptDocument(path, "无法按旧版 Excel (.xls) 工作簿读取, 文件结构已损坏") from None
    if book is None:
        raise CorruptDocument(path, "无法按旧版 Excel (.xls) 工作簿读取")
    tables = []
    for sh in book.sheets():
        if getattr(sh, "visibility", 0):
            continue
        b.tick()
        # xlrd holds the cells already (bounded by the file size); what is counted
        # here is what this reader allocates and walks: the rows padded to the
        # widest, and the area of every merged range
        lengths = [sh.row_len(r) for r in range(sh.nrows)]
        b.cells(len(lengths) * max(lengths, default=0))
        if not counted:
            for rlo, rhi, clo, chi in getattr(sh, "merged_cells", []):
                b.merged(max(0, rhi - rlo) * max(0, chi - clo))
        tables.append(_table(book, sh, b))
    return tables


def _table(book, sh, b: budget.Budget) -> Table:
    import xlrd

    grid: list[list[str | None]] = []
    for r in range(sh.nrows):
        if r % 1024 == 0:
            b.tick()
        row: list[str | None] = []
        for c in range(sh.row_len(r)):  # ragged rows: only the cells the file holds
            cell = sh.cell(r, c)
            value = cell.value if cell.ctype not in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK) else None
            if cell.ctype == xlrd.XL_CELL_DATE:
                try:
                    value = xlrd.xldate.xldate_as_datetime(value, book.datemode)
                except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                    pass
            row.append(cell_text(value, cell.ctype == xlrd.XL_CELL_NUMBER and _percent(book, cell)))
        while row and not row[-1]:
            row.pop()
        grid.append(row)
    width = max((len(row) for row in grid), default=0)
    for row in grid:
        row.extend([""] * (width - len(row)))
    for rlo, rhi, clo, chi in getattr(sh, "merged_cells", []):
        for r in range(rlo, min(rhi, len(grid))):
            for c in range(clo, min(chi, width)):
                if (r, c) != (rlo, clo):
                    grid[r][c] = SPAN
    hidden = frozenset(r for r, info in getattr(sh, "rowinfo_map", {}).items() if info.hidden)
    return Table(grid, hidden, f"工作表“{sh.name}”")


def _percent(book, cell) -> bool:
    try:
        xf = book.xf_list[cell.xf_index]
        return "%" in book.format_map[xf.format_key].format_str
    except (AttributeError, IndexError, KeyError, TypeError):
        return False


class _Null:
    def write(self, *_):
        pass
