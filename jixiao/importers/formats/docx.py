"""Word documents (.docx), read with python-docx and its XML.

The body is read in order: paragraphs become header lines, tables become
``recover.table.Table`` grids. Merges are read from the cell XML rather than ``row.cells``
(which repeats merged text across the span): ``w:gridSpan`` spans columns,
``w:vMerge`` without ``restart`` continues the cell above; both become ``SPAN``. Which zip is a document, and the
format's entry point, is ``ooxml``'s.
"""
from __future__ import annotations

from io import BytesIO

from ...errors import CorruptDocument
from ...model.sheet import Sheet
from .. import budget
from ..recover.table import SPAN, Table, sheet_from_blocks

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_BREAKS = {_W + "tab": "\t", _W + "br": "\n", _W + "cr": "\n"}


def read_docx(data: bytes, path: str | None) -> Sheet:
    """A docx whose members ``ooxml.zip_kind`` has checked."""
    return sheet_from_blocks(document_blocks(data, path), path)


def document_blocks(data: bytes, path: str | None) -> list[str | Table]:
    import docx

    b = budget.current(path)
    try:
        body = docx.Document(BytesIO(data)).element.body
    except Exception as e:  # noqa: BLE001 - damaged XML, a missing part …: python-docx raises many kinds
        if "depth" in str(e).lower():  # libxml2 stops at 256 levels without huge_tree
            b.refuse(f"正文的 XML 元素嵌套超过上限 {b.limits.depth} 层")
        raise CorruptDocument(path, "无法按 Word 文档读取, 其中的正文已损坏") from None
    blocks: list[str | Table] = []
    tables = 0
    for el in _elements(body):
        if len(blocks) & 0x3FF == 0:
            # paragraphs and tables: 1.9 million empty ones took 690 MB and 48 s
            b.rows(len(blocks), "正文的段落与表格", "个")
            b.tick()
        if el.tag == _W + "p":
            blocks.append(_text(el))
        elif el.tag == _W + "tbl":
            tables += 1
            blocks.append(_table(el, tables, b))
    b.rows(len(blocks), "正文的段落与表格", "个")
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


def _table(tbl, number: int, b: budget.Budget) -> Table:
    """The table as a grid. Every cell is counted before it is allocated: a
    ``w:gridSpan``/``w:gridBefore`` of a million columns counts a million cells
    (and is refused before the list is made), and so does the padding of short rows
    to the widest."""
    grid: list[list[str | None]] = []
    for tr in tbl.iterchildren(_W + "tr"):
        b.tick()
        row: list[str | None] = []
        before = tr.find(f"{_W}trPr/{_W}gridBefore")
        if before is not None:
            n = _int(before.get(_W + "val"), 0)
            b.cells(n)
            row.extend([""] * n)
        for tc in tr.iterchildren(_W + "tc"):
            pr = tc.find(_W + "tcPr")
            span = _int(pr.find(_W + "gridSpan").get(_W + "val"), 1) if (
                pr is not None and pr.find(_W + "gridSpan") is not None) else 1
            span = max(span, 1)
            if span > 1:
                b.merged(span)
            b.cells(span)
            vmerge = pr.find(_W + "vMerge") if pr is not None else None
            continued = vmerge is not None and vmerge.get(_W + "val") in (None, "continue")
            row.append(SPAN if continued else _cell_text(tc))
            row.extend([SPAN] * (span - 1))
        grid.append(row)
    width = max((len(r) for r in grid), default=0)
    b.cells(sum(width - len(r) for r in grid))
    for r in grid:
        r.extend([""] * (width - len(r)))
    return Table(grid, where=f"第{number}个表格")


def _int(text: str | None, default: int) -> int:
    """A span as declared (not clamped: the budget refuses what is too wide)."""
    try:
        return max(0, int(text)) if text is not None else default
    except ValueError:
        return default
