"""Word documents (.docx), read with python-docx and its XML.

The body is read in order: paragraphs become header lines, tables become
``grid`` tables. Merges are read from the cell XML rather than ``row.cells``
(which repeats merged text across the span): ``w:gridSpan`` spans columns,
``w:vMerge`` without ``restart`` continues the cell above; both become ``SPAN``.
"""
from __future__ import annotations

from io import BytesIO

from ..errors import CorruptDocument
from ..model.sheet import Sheet
from . import register
from .grid import SPAN, Table, check_size, sheet_from_blocks
from .xlsx import ZIP_MAGIC, zip_kind

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_BREAKS = {_W + "tab": "\t", _W + "br": "\n", _W + "cr": "\n"}


def _sniff(head: bytes) -> bool:
    return head.startswith(ZIP_MAGIC) and b"word/" in head


@register("docx", sniff=_sniff, priority=10)
def load_docx(data: bytes, path: str | None) -> Sheet:
    zip_kind(data, path)
    return sheet_from_blocks(document_blocks(data, path), path)


def document_blocks(data: bytes, path: str | None) -> list[str | Table]:
    import docx

    try:
        body = docx.Document(BytesIO(data)).element.body
    except Exception:  # noqa: BLE001 - damaged XML, a missing part …: python-docx raises many kinds
        raise CorruptDocument(path, "无法按 Word 文档读取, 其中的正文已损坏") from None
    blocks: list[str | Table] = []
    total = 0
    for el in _elements(body):
        if el.tag == _W + "p":
            blocks.append(_text(el))
        elif el.tag == _W + "tbl":
            table = _table(el, len([b for b in blocks if isinstance(b, Table)]) + 1)
            total += sum(len(r) for r in table.cells)
            check_size(total, path)
            blocks.append(table)
    return blocks


def _elements(parent):
    """Paragraphs and tables in order, looking inside content controls (``w:sdt``)."""
    for el in parent.iterchildren():
        if el.tag == _W + "sdt":
            for content in el.iterchildren(_W + "sdtContent"):
                yield from _elements(content)
        else:
            yield el


def _text(p) -> str:
    return "".join((t.text or "") if t.tag == _W + "t" else _BREAKS[t.tag]
                   for t in p.iter(_W + "t", _W + "tab", _W + "br", _W + "cr"))


def _cell_text(tc) -> str:
    return "\n".join(_text(p) for p in tc.iterchildren(_W + "p")).strip()


def _table(tbl, number: int) -> Table:
    grid: list[list[str | None]] = []
    for tr in tbl.iterchildren(_W + "tr"):
        row: list[str | None] = []
        before = tr.find(f"{_W}trPr/{_W}gridBefore")
        if before is not None:
            row.extend([""] * _int(before.get(_W + "val"), 0))
        for tc in tr.iterchildren(_W + "tc"):
            pr = tc.find(_W + "tcPr")
            span = _int(pr.find(_W + "gridSpan").get(_W + "val"), 1) if (
                pr is not None and pr.find(_W + "gridSpan") is not None) else 1
            vmerge = pr.find(_W + "vMerge") if pr is not None else None
            continued = vmerge is not None and vmerge.get(_W + "val") in (None, "continue")
            row.append(SPAN if continued else _cell_text(tc))
            row.extend([SPAN] * (span - 1))
        grid.append(row)
    width = max((len(r) for r in grid), default=0)
    for r in grid:
        r.extend([""] * (width - len(r)))
    return Table(grid, where=f"第{number}个表格")


def _int(text: str | None, default: int) -> int:
    try:
        return max(0, min(int(text), 1000)) if text is not None else default
    except ValueError:
        return default
