"""PDF documents with a text layer, read with pdfplumber.

Each page's ruled tables (``find_tables``, lines strategy) become ``grid`` tables.
The grid is rebuilt from the cell rectangles rather than taken from
``Table.extract``: every distinct cell edge is a grid line, a cell's text goes to
its top-left slot and ``SPAN`` fills the rest. Slots no rectangle covers (a
merged cell cut open by the page break, which pdfplumber drops) are joined down
their column into one cell, so 职能1 printed at the top of a split cell is not lost.
Characters are bucketed into slots once per page, and a cell's lines are joined
as the reader sees them: a line that runs to the cell's right edge wraps (joined
without a break), a shorter one ends its paragraph.

Text outside the tables (the title, notes) becomes paragraphs in page order. A
table that continues on the next page repeats its header row (or has none) and is
joined by ``grid.find_tables``; a merged 核心职能/一级/二级 cell continued there is
empty on the new page and so continues the span above.

No ruled indicator table at all: the pages' layout text goes to the text importer.
No characters on any page: a scan, refused with a message asking for OCR.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from io import BytesIO

from ..errors import (
    CorruptDocument,
    DocumentTooLarge,
    EncryptedDocument,
    NoIndicatorTable,
)
from ..model.sheet import Sheet
from . import register
from .grid import SPAN, Table, check_size, find_tables, sheet_from_blocks

#: Pages a PDF may have; a form has a handful, a budget book a few hundred.
MAX_PAGES = 300
TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
_SNAP = 1.5          # points: cell edges closer than this are one grid line
_LINE_TOL = 3.0      # points: characters whose tops differ less share a line
_MARKER = re.compile(r"^\s*(?:目标\s*\d|职能\s*\d|[(（][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.]|"
                     r"\d{1,3}[、.．:：)）]|[•·●▪-])")
_LATIN_END = re.compile(r"[A-Za-z]$")
_LATIN_START = re.compile(r"^[A-Za-z]")


def _sniff(head: bytes) -> bool:
    return head.startswith(b"%PDF-")


@register("pdf", sniff=_sniff, priority=10)
def load_pdf(data: bytes, path: str | None) -> Sheet:
    blocks, layout_text, has_text = read_pdf(data, path)
    if not has_text:
        raise NoIndicatorTable(path, "这是扫描件或图片 PDF, 没有可提取的文字层; 请先做文字识别 (OCR) 或导入原始 Excel/Word 文件")
    _, found = find_tables(blocks)
    if found is None:
        from .text import import_text

        return import_text(layout_text(), path=path)
    return sheet_from_blocks(blocks, path)


def _open(data: bytes, path: str | None):
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(BytesIO(data))
        pages = pdf.pages
    except Exception as e:  # noqa: BLE001 - pdfminer raises many kinds on damaged files
        chain = [e, *e.args, e.__cause__, e.__context__]
        if any(isinstance(x, (PDFPasswordIncorrect, PDFEncryptionError)) for x in chain):
            raise EncryptedDocument(path, "PDF 设置了打开密码或使用了不支持的加密; 请取消密码后另存, 再导入") from None
        raise CorruptDocument(path, "无法按 PDF 读取, 文件可能被截断或已损坏") from None
    return pdf, pages


def read_pdf(data: bytes, path: str | None):
    """``(blocks, layout_text, has_text)``: the grid blocks of all pages, a function
    giving the documents' layout text (for the fallback), and whether any page has
    characters."""
    pdf, pages = _open(data, path)
    if len(pages) > MAX_PAGES:
        pdf.close()
        raise DocumentTooLarge(path, f"共 {len(pages)} 页, 超过上限 {MAX_PAGES} 页")
    blocks: list[str | Table] = []
    has_text = False
    total = 0
    try:
        for page in pages:
            try:
                chars = page.chars
                if chars:
                    has_text = True
                    for block in _page_blocks(page, chars):
                        if isinstance(block, Table):
                            total += sum(len(r) for r in block.cells)
                            check_size(total, path)
                        blocks.append(block)
                page.flush_cache()
            except (DocumentTooLarge, NoIndicatorTable):
                raise
            except Exception:  # noqa: BLE001 - a damaged content stream
                raise CorruptDocument(path, f"第 {page.page_number} 页无法读取, 文件可能已损坏") from None
    finally:
        pdf.close()

    def layout_text() -> str:
        pdf2, pages2 = _open(data, path)
        try:
            return "\n".join(p.extract_text(layout=True) or "" for p in pages2)
        finally:
            pdf2.close()

    return blocks, layout_text, has_text


def _page_blocks(page, chars: list[dict]) -> list[str | Table]:
    found = sorted(page.find_tables(TABLE_SETTINGS), key=lambda t: t.bbox[1])
    inside: list[list[dict]] = [[] for _ in found]
    outside: list[dict] = []
    for ch in chars:
        cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        for i, t in enumerate(found):
            x0, top, x1, bottom = t.bbox
            if x0 <= cx <= x1 and top <= cy <= bottom:
                inside[i].append(ch)
                break
        else:
            outside.append(ch)
    out: list[tuple[float, str | Table]] = []
    for line in _lines(outside):
        text = "".join(("  " if c["x0"] - p["x1"] > c["size"] else "") + c["text"]
                       for p, c in zip([line[0], *line], line)).strip()
        if text:
            out.append((line[0]["top"], text))
    number = 0
    for i, t in enumerate(found):
        cells = _grid(t, inside[i])
        if cells:
            number += 1
            out.append((t.bbox[1], Table(cells, where=f"第{page.page_number}页第{number}个表格")))
    out.sort(key=lambda x: x[0])
    return [b for _, b in out]


def _edges(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > _SNAP:
            out.append(v)
    return out


def _slot(edges: list[float], v: float) -> int:
    return bisect_right(edges, v + _SNAP) - 1


def _grid(table, chars: list[dict]) -> list[list[str | None]]:
    rects = table.cells
    xs = _edges([v for r in rects for v in (r[0], r[2])])
    ys = _edges([v for r in rects for v in (r[1], r[3])])
    nr, nc = len(ys) - 1, len(xs) - 1
    if nr < 1 or nc < 1:
        return []
    owner: list[list[int]] = [[-1] * nc for _ in range(nr)]
    boxes: list[tuple[float, float, float, float]] = []
    tops: list[tuple[int, int]] = []
    for rect in rects:
        r0, r1 = _slot(ys, rect[1]), max(_slot(ys, rect[3]), _slot(ys, rect[1]) + 1)
        c0, c1 = _slot(xs, rect[0]), max(_slot(xs, rect[2]), _slot(xs, rect[0]) + 1)
        k = len(boxes)
        boxes.append(rect)
        tops.append((r0, c0))
        for r in range(r0, min(r1, nr)):
            for c in range(c0, min(c1, nc)):
                owner[r][c] = k
    for c in range(nc):  # slots no rectangle covers: a cell cut open, joined down
        r = 0
        while r < nr:
            if owner[r][c] >= 0:
                r += 1
                continue
            end = r
            while end < nr and owner[end][c] < 0:
                end += 1
            k = len(boxes)
            boxes.append((xs[c], ys[r], xs[c + 1], ys[end]))
            tops.append((r, c))
            for rr in range(r, end):
                owner[rr][c] = k
            r = end
    texts: list[list[dict]] = [[] for _ in boxes]
    for ch in chars:
        r = min(max(_slot(ys, (ch["top"] + ch["bottom"]) / 2 - _SNAP), 0), nr - 1)
        c = min(max(_slot(xs, (ch["x0"] + ch["x1"]) / 2 - _SNAP), 0), nc - 1)
        texts[owner[r][c]].append(ch)
    grid: list[list[str | None]] = [[SPAN] * nc for _ in range(nr)]
    for k, (r, c) in enumerate(tops):
        grid[r][c] = _cell_text(texts[k], boxes[k][2])
    return grid


def _lines(chars: list[dict]) -> list[list[dict]]:
    lines: list[list[dict]] = []
    for ch in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        if lines and abs(ch["top"] - lines[-1][0]["top"]) <= _LINE_TOL:
            lines[-1].append(ch)
        else:
            lines.append([ch])
    for line in lines:
        line.sort(key=lambda c: c["x0"])
    return lines


def _cell_text(chars: list[dict], right: float) -> str:
    """The cell's text: wrapped lines joined, paragraph ends kept as newlines."""
    out = ""
    wraps = False
    for line in _lines(chars):
        text = "".join(c["text"] for c in line).strip()
        if not text:
            continue
        if out:
            if not wraps or _MARKER.match(text):
                out += "\n"
            elif out[-1] in ",;:!?" or _LATIN_END.search(out) and _LATIN_START.match(text):
                out += " "
        out += text
        size = max(c["size"] for c in line)
        wraps = line[-1]["x1"] >= right - 2.2 * size - 6
    return out
