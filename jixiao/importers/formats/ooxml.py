"""Office Open XML packages: a ZIP that is an Excel workbook (``xlsx``) or a Word
document (``docx``), told by its member list, never by its name.

Three formats are registered here, each dispatching on ``zip_kind``: ``xlsx`` and
``docx`` for a zip whose first members name ``xl/`` or ``word/``, ``ooxml`` for one
whose first members do not tell. ``zip_kind`` decompresses every member once within
the budget before either reader (``xlsx.workbook_tables``, ``docx.read_docx``) parses
a byte. The readers themselves do not know of each other.
"""
from __future__ import annotations

from ...errors import UnsupportedDocument
from ...model.sheet import Sheet
from .. import budget
from ..recover.table import sheet_from_blocks
from ..registry import register
from .docx import read_docx
from .xlsx import WorkbookTally, workbook_tables

ZIP_MAGIC = b"PK\x03\x04"
_OOXML = {"xl/workbook.xml": "xlsx", "word/document.xml": "docx"}


def zip_kind(data: bytes, path: str | None) -> str:
    """'xlsx' or 'docx' for an OOXML zip, after every member has been decompressed
    once within the budget (``budget.scan_zip``); raises otherwise."""
    b = budget.current(path)
    z = budget.open_zip(data, path)
    with z:
        names = {i.filename for i in z.infolist()}
        kind = next((k for member, k in _OOXML.items() if member in names), None)
        if kind is None:
            raise UnsupportedDocument(path, "这是 ZIP 压缩包, 但不是 Excel (.xlsx) 或 Word (.docx) 文档")
        budget.scan_zip(z, path, WorkbookTally() if kind == "xlsx" else None)
    b.tick()
    return kind


def _sniff_xlsx(head: bytes) -> bool:
    return head.startswith(ZIP_MAGIC) and b"xl/" in head


def _sniff_docx(head: bytes) -> bool:
    return head.startswith(ZIP_MAGIC) and b"word/" in head


@register("xlsx", sniff=_sniff_xlsx, priority=10)
@budget.within
def load_xlsx(data: bytes, path: str | None) -> Sheet:
    if zip_kind(data, path) != "xlsx":
        return read_docx(data, path)  # a docx whose first member names xl/ (a package with both)
    return sheet_from_blocks(workbook_tables(data, path), path)


@register("docx", sniff=_sniff_docx, priority=10)
@budget.within
def load_docx(data: bytes, path: str | None) -> Sheet:
    if zip_kind(data, path) != "docx":
        return sheet_from_blocks(workbook_tables(data, path), path)
    return read_docx(data, path)


@register("ooxml", sniff=lambda head: head.startswith(ZIP_MAGIC), priority=12)
@budget.within
def load_ooxml(data: bytes, path: str | None) -> Sheet:
    """A zip whose first members did not tell: dispatch on the member list."""
    if zip_kind(data, path) == "xlsx":
        return sheet_from_blocks(workbook_tables(data, path), path)
    return read_docx(data, path)
