"""HTML pages (a form saved as a web page, or published on a government site),
read with lxml.html.

Innermost ``<table>`` elements become ``recover.table.Table`` grids with ``rowspan``/``colspan``
expanded (the text in the top-left cell, ``SPAN`` elsewhere; spans are clamped to
the table as browsers do); rows hidden with ``display:none`` are skipped. Text
outside tables (headings, paragraphs) becomes header lines, in document order.
"""
from __future__ import annotations

import re

from ...errors import CorruptDocument
from ...model.sheet import Sheet
from .. import budget
from ..decode import decode_bytes
from ..recover.table import SPAN, Table, sheet_from_blocks
from ..registry import register

_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|table|head|body|meta)\b",
                    re.IGNORECASE | re.DOTALL)
_BLOCKS = frozenset(("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "caption", "center", "pre"))
_CELL_BLOCKS = ("p", "div", "li", "pre", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6")
_HIDDEN = re.compile(r"display\s*:\s*none", re.IGNORECASE)
_WS = re.compile(r"[ \t\r\f\v\u00a0]+")


def _sniff(head: bytes) -> bool:
    return bool(_START.match(head)) or (b"<table" in head[:1024].lower() and b"<" == head.lstrip()[:1])


@register("html", sniff=_sniff, priority=30)
@budget.within
def load_html(data: bytes, path: str | None) -> Sheet:
    return sheet_from_blocks(page_blocks(decode_bytes(data, path), path), path)


def page_blocks(text: str, path: str | None) -> list[str | Table]:
    import lxml.etree
    import lxml.html

    b = budget.current(path)
    # every element opens with "<": an upper bound on the tree lxml would build
    b.xml_nodes(text.count("<"), "网页中")
    # nothing fetched (libxml2's HTML parser expands no entity a DTD declares), its own size
    # and depth limits kept (huge_tree off)
    parser = lxml.html.HTMLParser(no_network=True, huge_tree=False)
    try:
        root = lxml.html.document_fromstring(text.lstrip("\ufeff"), parser=parser)
    except (lxml.etree.ParserError, ValueError):
        raise CorruptDocument(path, "无法按网页 (HTML) 读取, 页面中没有可解析的内容") from None
    # libxml2 drops what lies deeper than 255 levels; any element that deep means
    # the page was cut (one XPath step per level: linear in the tree)
    if root.xpath("/" + "/".join(["*"] * b.limits.depth)):
        b.refuse(f"网页的元素嵌套超过上限 {b.limits.depth} 层")
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    blocks: list[str | Table] = []
    tables = 0
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        b.tick()
        if len(blocks) & 0x3FF == 0:
            b.rows(len(blocks), "网页的段落与表格", "个")
        tag = el.tag.lower()
        if tag == "table" and not el.xpath(".//table"):
            tables += 1
            blocks.append(_table(el, tables, b))
        elif tag in _BLOCKS and not el.xpath("ancestor::table|.//table"):
            blocks.extend(ln for ln in (_clean(x) for x in el.text_content().split("\n")) if ln)
    return blocks


def _clean(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _cell(td) -> str:
    for el in td.iter(*_CELL_BLOCKS):  # <td><p>一</p><p>二</p></td> holds two paragraphs
        el.text = "\n" + (el.text or "")
        el.tail = "\n" + (el.tail or "")
    lines = [_clean(x) for x in td.text_content().split("\n")]
    return "\n".join(ln for ln in lines if ln)


def _table(table, number: int, b: budget.Budget) -> Table:
    """The table as a grid, spans expanded. Each cell's span (rowspan × colspan, as
    a browser clamps them) is counted before it is written, and so is the padding
    of short rows: a colspan=1000 rowspan=1000 cell is a million cells."""
    trs = [tr for tr in table.xpath(".//tr") if _owner(tr) is table]
    grid: list[list[str | None]] = [[] for _ in trs]
    hidden = set()
    for r, tr in enumerate(trs):
        b.tick()
        if _HIDDEN.search(tr.get("style") or ""):
            hidden.add(r)
        c = 0
        for td in tr:
            if not isinstance(td.tag, str) or td.tag.lower() not in ("td", "th"):
                continue
            row = grid[r]
            while c < len(row) and row[c] is not None:  # cells spanned down from above
                c += 1
            rowspan = min(_span(td.get("rowspan")), len(trs) - r)
            colspan = min(_span(td.get("colspan")), 1000)
            area = rowspan * colspan
            if area > 1:
                b.merged(area)
            b.cells(area)
            text = _cell(td)
            for dr in range(rowspan):
                target = grid[r + dr]
                for dc in range(colspan):
                    _put(target, c + dc, text if (dr, dc) == (0, 0) else _SPANNED)
            c += colspan
    width = max((len(row) for row in grid), default=0)
    b.cells(sum(width - len(row) for row in grid))
    cells = [[SPAN if v is _SPANNED else ("" if v is None else v) for v in row + [None] * (width - len(row))]
             for row in grid]
    return Table(cells, frozenset(hidden), f"第{number}个表格")


_SPANNED = object()


def _put(row: list, c: int, value) -> None:
    if c >= len(row):
        row.extend([None] * (c + 1 - len(row)))
    row[c] = value


def _owner(tr):
    return next(a for a in tr.iterancestors() if a.tag == "table")


def _span(text: str | None) -> int:
    try:
        return max(1, int(str(text).strip()))
    except (TypeError, ValueError):
        return 1
