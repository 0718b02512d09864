"""PDF documents with a text layer.

Each page is read with pdfminer (``pdf.page``: characters with their clip, ruling
segments) rather than through pdfplumber's object dicts. Ruled tables are rebuilt
from the segments (``pdf.grid``): a merged cell is the set of grid slots no rule
separates, so a merged cell cut open by a page break keeps its text. Characters
are placed in cells by ``pdf.place`` (text clipped to a cell, or running over the
rules of a row set too low, still goes to its cell); a cell's lines are joined as
the reader sees them: a line that runs to the cell's right edge wraps (joined
without a break), a shorter one ends its paragraph.

Text outside the tables (the title, notes) becomes paragraphs in page order. A
table that continues on the next page repeats its header row (or has none) and is
joined by ``recover.table.find_tables``; a merged 核心职能/一级/二级 cell continued there is
empty on the new page (or, from LibreOffice, holds the same text again) and so
continues the span above.

No ruled indicator table at all: the pages' layout text (pdfplumber) goes to the
text importer. No characters on any page: a scan, refused with a message asking
for OCR.
"""
from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from io import BytesIO
from typing import TYPE_CHECKING

from ....errors import (
    CorruptDocument,
    EncryptedDocument,
    NoIndicatorTable,
)
from ....model.sheet import Sheet
from ... import budget
from ...recover.cells import wrap_space
from ...recover.columns import TABLE_END
from ...recover.table import SPAN, Table, find_header_row, find_tables, sheet_from_blocks
from ...registry import register
from .grid import Grid, by_column, by_line, find_grids
from .place import placed

if TYPE_CHECKING:
    from .page import Char, Page

_LINE_TOL = 3.0      # points: characters whose tops differ less share a line
_MARKER = re.compile(r"^\s*(?:目标\s*\d|职能\s*\d|[(（][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.]|"
                     r"\d{1,3}(?:[、．:：)）]|\.(?!\d))|[•●▪])")  # 1. but not 0.5分
#: · and - also join words (元/人·月, 90%-95%): at the start of a wrapped line they
#: begin a list item only when a space follows or the text before ended a clause
_SOFT_MARKER = re.compile(r"^[·-](?:\s|$)")
_CLAUSE_END = re.compile(r"[。；;：:！!？?]$")
_SQUEEZE = re.compile(r"\s+")
_HEADINGS = frozenset(("核心职能", "年度绩效指标", "一级指标", "二级指标", "三级指标", "指标名称"))
#: a line under a table that is no row of it: notes, totals, signatures
_NOT_A_ROW = re.compile(TABLE_END.pattern + r"|^(?:填报|制表|单位负责人|负责人|联系|审核|日期|第\s*\d+\s*页)")
_WORDISH = re.compile(r"[A-Za-z0-9.%+\-/]$")
_NO_BREAK_BEFORE = frozenset("，。、；：？！,.;:?!）)]】》」』〕〉”’\"'%‰℃々ー～")
_NO_BREAK_AFTER = frozenset("（([【《「『〔〈“‘”’\"'")


def _sniff(head: bytes) -> bool:
    return head.startswith(b"%PDF-")


@register("pdf", sniff=_sniff, priority=10)
@budget.within
def load_pdf(data: bytes, path: str | None) -> Sheet:
    blocks, layout_text, has_text = read_pdf(data, path)
    if not has_text:
        raise NoIndicatorTable(path, "这是扫描件或图片 PDF, 没有可提取的文字层; 请先做文字识别 (OCR) 或导入原始 Excel/Word 文件")
    _, found = find_tables(blocks)
    if found is None:
        from ..text import check_text, import_text

        text = layout_text()
        check_text(text, path, "版面文本")
        return import_text(text, path=path)
    return sheet_from_blocks(blocks, path)


def _open(data: bytes, path: str | None):
    from pdfminer.pdfdocument import (
        PDFDocument,
        PDFEncryptionError,
        PDFPasswordIncorrect,
    )
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    budget.guard_pdfminer()  # every stream pdfminer decodes from here on is within the budget
    b = budget.current(path)
    _count_objects(data, b)
    try:
        doc = PDFDocument(PDFParser(BytesIO(data)))
        # the page count the page tree declares, before its pages are walked
        root = resolve1(doc.catalog.get("Pages"))
        declared = resolve1(root.get("Count")) if isinstance(root, dict) else None
        if isinstance(declared, int) and not isinstance(declared, bool):
            b.pages(declared, declared=True)
        pages = []
        for page in PDFPage.create_pages(doc):  # lazily: stop one past the limit
            pages.append(page)
            b.pages(len(pages))
            b.tick()
    except Exception as e:  # noqa: BLE001 - pdfminer raises many kinds on damaged files
        chain = [e, *e.args, e.__cause__, e.__context__]
        if any(isinstance(x, (PDFPasswordIncorrect, PDFEncryptionError)) for x in chain):
            raise EncryptedDocument(path, "PDF 设置了打开密码或使用了不支持的加密; 请取消密码后另存, 再导入") from None
        raise CorruptDocument(path, "无法按 PDF 读取, 文件可能被截断或已损坏") from None
    return pages


_XREF_SECTION = re.compile(rb"xref\s+\d{1,10}\s+(\d{1,10})")
_SIZE = re.compile(rb"/Size\s+(\d{1,12})")


def _count_objects(data: bytes, b: budget.Budget) -> None:
    """The objects pdfminer would index, counted in the raw bytes before it parses
    them: it reads a cross-reference table into a dict entry per line (an 80 MB table
    of 4 million entries took 1.2 GB), and without a usable table it indexes every
    ``N 0 obj`` in the file. Bounded by ``pdf_objects``; a form has a few thousand."""
    limit = b.limits.pdf_objects
    first = _XREF_SECTION.search(data)
    declared = [int(m.group(1)) for m in _XREF_SECTION.finditer(data)] if first else []
    sizes = [int(m.group(1)) for m in _SIZE.finditer(data, max(0, len(data) - (1 << 20)))]
    counts = {"交叉引用表声明": sum(declared), "文件尾 /Size 声明": max(sizes, default=0),
              "文件中有": data.count(b" obj")}
    for what, n in counts.items():
        if n > limit:
            b.refuse(f"PDF {what} {n} 个对象, 超过上限 {limit} 个")


def read_pdf(data: bytes, path: str | None):
    """``(blocks, layout_text, has_text)``: the grid blocks of all pages, a function
    giving the documents' layout text (for the fallback), and whether any page has
    characters."""
    pages = _open(data, path)
    b = budget.current(path)
    blocks: list[str | Table] = []
    cuts: list[set] = []
    has_text = False
    from .page import Reader  # pdfminer: loaded only when a PDF is read

    reader = Reader(b)
    for number, pdfpage in enumerate(pages, 1):
        b.tick()
        try:
            page = reader.read(pdfpage, number)
        except Exception:  # noqa: BLE001 - a damaged content stream
            raise CorruptDocument(path, f"第 {number} 页无法读取, 文件可能已损坏") from None
        if page.chars:
            has_text = True
            for block, cut in page_blocks(page):
                if isinstance(block, Table):
                    b.cells(sum(len(r) for r in block.cells))
                blocks.append(block)
                cuts.append(cut)
    _mend_cut(blocks, cuts)

    def layout_text() -> str:
        import pdfplumber

        texts = []
        with pdfplumber.open(BytesIO(data)) as pdf:
            for p in pdf.pages:  # as many as _open counted
                b.tick()
                texts.append(p.extract_text(layout=True) or "")
                p.close()  # its layout objects are several times our characters' size
        return "\n".join(texts)

    return blocks, layout_text, has_text


def page_blocks(page: Page) -> list[tuple[str | Table, set[tuple[int, int]]]]:
    """The page's paragraphs and tables, top to bottom, each with the cells of a
    table whose text is cut off by the cell's clip."""
    grids = find_grids(page)
    inside: list[list] = [[] for _ in grids]
    outside: list[tuple[float, float, Char]] = []
    for x, y, ch in placed(page, grids):
        for i, g in enumerate(grids):
            if g.xs[0] - 1 <= x <= g.xs[-1] + 1 and g.ys[0] - 1 <= y <= g.ys[-1] + 1:
                inside[i].append((x, y, ch))
                break
        else:
            outside.append((x, y, ch))
    around: list[tuple[list, list]] = []  # unruled rows over and under each table
    for g in grids:
        over, used = _unruled_rows(g, outside, below=False)
        under, used2 = _unruled_rows(g, outside, below=True)
        around.append((over, under))
        if used or used2:
            outside = [p for p in outside if id(p[2]) not in used and id(p[2]) not in used2]
    out: list[tuple[float, str | Table, set]] = []
    for line in _lines([ch for _, _, ch in outside]):
        text = "".join(("  " if c.x0 - p.x1 > c.size else "") + c.text
                       for p, c in zip([line[0], *line], line)).strip()
        if text:
            out.append((line[0].top, text, set()))
    number = 0
    for i, g in enumerate(grids):
        cells, cut = g.texts(inside[i], _cell_text)
        over, under = around[i]
        cells = over + cells + under
        cut = {(r + len(over), c) for r, c in cut}
        for top, part, part_cut in _parts(cells, cut):
            number += 1
            y = g.ys[min(max(top - len(over), 0), len(g.ys) - 1)]
            out.append((y, Table(part, where=f"第{page.number}页第{number}个表格"), part_cut))
    out.sort(key=lambda x: x[0])
    return [(b, cut) for _, b, cut in out]


def _unruled_rows(g: Grid, outside: list[tuple[float, float, Char]], below: bool) -> tuple[list[list[str | None]], set[int]]:
    """Rows printed right under (or over) a table without rules of their own: rows
    added after the borders were drawn, or such a row cut from its table by a page
    break. Lines from the outer rule outwards, the first within 1.6 (text centred
    in a row of three lines) and each next within 1.2 character heights of the
    last, each character inside one column; characters clipped away go with the
    cell their clip belongs to. Two columns or more must hold text. Returns the
    rows and the ids of the characters used."""
    xs = g.xs
    edge = g.ys[-1] if below else g.ys[0]
    pool = [c for _, y, c in outside if (y >= edge if below else y <= edge) and xs[0] <= c.x0 and c.x1 <= xs[-1]]
    hidden = [c for c in pool if c.clip is not None and not c.clip[1] <= (c.top + c.bottom) / 2 <= c.clip[3]]
    gone = {id(c) for c in hidden}
    lines = _lines([c for c in pool if id(c) not in gone])  # the lines one sees
    take: list[Char] = []
    last = edge
    for line in lines if below else lines[::-1]:
        size = max(c.size for c in line)
        gap = min(c.top for c in line) - last if below else last - max(c.bottom for c in line)
        if gap > (1.2 if take else 1.6) * size or _NOT_A_ROW.match("".join(c.text for c in line).strip()):
            break
        if any(bisect_right(xs, c.x0 + 0.5) != bisect_right(xs, c.x1 - 0.5) for c in line if not c.text.isspace()):
            break  # runs over a column line: no row of this table
        take.extend(line)
        last = max(c.bottom for c in line) if below else min(c.top for c in line)
    lo, hi = (edge, last) if below else (last, edge)
    take.extend(c for c in hidden if take and c.clip is not None  # (every hidden one has a clip)
                and c.clip[1] < hi - 1 and c.clip[3] > lo + 1)  # clipped away in them
    parts = by_column(take, xs) if take else None
    if parts is None:
        return [], set()
    rows: list[list[str | None]] = [[_cell_text(p, xs[i], xs[i + 1]) for i, p in enumerate(sub)]
                                    for _, sub in by_line(parts, xs)]
    return rows, {id(c) for c in take}


def _mend_cut(blocks: list[str | Table], cuts: list[set[tuple[int, int]]]) -> None:
    """A label cut off by its cell's clip (a 核心职能 repeated on every row in rows
    too low for it) reads as the label above it in the column when one text
    begins the other: it is the same label, shown as far as the row allows."""
    above: dict[int, tuple[str, bool]] = {}
    width = None
    for block, cut in zip(blocks, cuts):
        if not isinstance(block, Table):
            continue
        if width != len(block.cells[0]):
            above, width = {}, len(block.cells[0])
        for r, row in enumerate(block.cells):
            if any(c and _SQUEEZE.sub("", c) in _HEADINGS for c in row):
                continue  # the heading repeated on a new page
            for c, text in enumerate(row):
                if not text:
                    continue
                was = (r, c) in cut
                prev = above.get(c)
                if prev and text != prev[0] and (was or prev[1]) and min(len(text), len(prev[0])) >= 4 and (
                        prev[0].startswith(text) or text.startswith(prev[0])):
                    row[c] = text = prev[0]
                above[c] = (text, was or bool(prev and text == prev[0] and prev[1]))


def _parts(cells: list[list[str | None]], cut: set) -> list[tuple[int, list[list[str | None]], set]]:
    """The table split above its indicator heading (``(first row, rows, cut)`` each),
    each part without the grid columns none of its cells starts in: the header
    fields above a form's heading are often ruled in columns of their own."""
    head = find_header_row(cells)
    if head is not None and head > 0 and any(c and ("职能" in c or "绩效指标" in c) for c in cells[head - 1]):
        head -= 1  # 核心职能 | 年度绩效指标 above the heading
    cuts = [0, head, len(cells)] if head else [0, len(cells)]
    out = []
    for a, b in itertools.pairwise(cuts):
        rows = cells[a:b]
        keep = [c for c in range(len(rows[0])) if any(row[c] is not SPAN for row in rows)]
        if keep:
            out.append((a, [[row[c] for c in keep] for row in rows],
                        {(r - a, keep.index(c)) for r, c in cut if a <= r < b and c in keep}))
    return out


def _lines(chars: list[Char]) -> list[list[Char]]:
    lines: list[list[Char]] = []
    for ch in sorted(chars, key=lambda c: (c.top, c.x0)):
        if lines and abs(ch.top - lines[-1][0].top) <= _LINE_TOL:
            lines[-1].append(ch)
        else:
            lines.append([ch])
    for line in lines:
        line.sort(key=lambda c: c.x0)
    return lines


def _cell_text(chars: list[Char], left: float, right: float) -> str:
    """The text of the cell from ``left`` to ``right``: wrapped lines joined,
    paragraph ends kept as newlines. A line wrapped when it runs to the cell's
    right edge, or when the next line's first word (up to its first break
    opportunity: 0.5分, 委”干) would not have fitted after it; a line that starts a
    list item or is indented by about two characters (首行缩进) begins a paragraph."""
    out = ""
    prev: list[Char] | None = None
    lines = [(line, ink) for line in _lines(chars) if (ink := [c for c in line if c.text.strip()])]
    # every line equally far in is a cell indented as a whole (Excel's 缩进), no paragraphs
    ragged = any(abs(ink[0].x0 - lines[0][1][0].x0) > 1.0 for _, ink in lines)
    for line, ink in lines:
        text = "".join(c.text for c in line).strip()
        if out and prev is not None:
            end = prev[-1].x1
            wraps = end >= right - 2.2 * max(c.size for c in prev) - 6 or end + _first_word(ink) >= right - 6
            if (not wraps or _MARKER.match(text) or _soft_marker(text, out)
                    or ragged and _indented(ink, left, right)):
                out += "\n"
            else:
                out += wrap_space(out, text)
        out += text
        prev = line
    return out


def _indented(ink: list[Char], left: float, right: float) -> bool:
    """The line stands about two characters further from the cell's left edge than
    a cell's padding, and is not centred (its margins differ)."""
    indent, size = ink[0].x0 - left, ink[0].size
    return 1.5 * size <= indent <= 4.5 * size and abs(indent - (right - ink[-1].x1)) > 0.5 * size


def _soft_marker(text: str, before: str) -> bool:
    return text[0] in "·-" and bool(_SOFT_MARKER.match(text) or _CLAUSE_END.search(before)
                                    or before.rsplit("\n", 1)[-1].startswith(text[0]))


def _first_word(chars: list[Char]) -> float:
    """Width of what the line's first break opportunity leaves before it, as line
    breaking (UAX #14) sees it: one CJK character or a run of Latin letters, digits
    and number signs, held together with the punctuation no line may start with
    (”，。) and with quotes, after which none may break either (“两委”干: pango
    follows UAX #14's QU rules). ``chars``: the line's printed characters."""
    k = 0
    while k + 1 < len(chars):
        here, nxt = chars[k].text, chars[k + 1].text
        if not (nxt in _NO_BREAK_BEFORE or here in _NO_BREAK_AFTER
                or _WORDISH.match(here) and _WORDISH.match(nxt)):
            break
        k += 1
    last = chars[k]
    return last.x1 - chars[0].x0
