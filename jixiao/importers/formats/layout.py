"""Space-aligned table text, as ``pdftotext -layout`` prints a PDF table.

Positions carry the structure here: the column header gives each column's x
(in characters, as pdftotext lays them out), and every chunk of text goes to the
column it starts in. Then:

* a line with a ``指标N`` number or a value is an indicator *anchor*; name (and
  value) fragments on lines above and below belong to the nearest anchors, split
  so that each anchor sits in the middle of its wrapped cell, as a vertically
  centred cell prints;
* text in the leftmost (核心职能) column is a function description running down
  the edge, interleaved with the rows; ``职能N`` starts a new one;
* page footers and repeated column headers are dropped; a merged cell printed
  again at the top of a new page merges with its first part.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from ..recover.cells import (
    FunctionLabel,
    Label,
    as_function,
    as_label,
    as_number,
    clean,
    clean_name,
    looks_like_value,
)
from ..recover.structure import Mark, Row
from ..recover.table import annual_column, role_of

_GAP = re.compile(r"\S+(?: \S+)*")
FOOTER = re.compile(r"^\s*(?:第\s*\d+\s*页\s*(?:[,，/]?\s*共\s*\d+\s*页)?|[—\-–]\s*\d+\s*[—\-–]|\d+\s*/\s*\d+"
                    r"|共\s*\d+\s*页\s*第\s*\d+\s*页)\s*$")
_HEAD_WORDS = ("核心职能", "一级指标", "二级指标", "三级指标", "指标值")
PAGE_TOP_LINES = 2  # lines at the top of a page where a split merged cell is reprinted
REPRINT_ROWS = 8    # how far back its first printing can be
_HEADER_LINE = re.compile(r"三级\s*指标|二级\s*指标")
_HEADER_WORDS = frozenset({"核心职能", "年度绩效指标", "绩效指标", "一级指标", "二级指标", "三级指标",
                           "指标值", "年度指标值", "指标名称"})


def is_layout(lines: list[str], head_at: int) -> bool:
    head = lines[head_at]
    return "\t" not in head and re.search(r"指标\s{2,}\S", head) is not None


@dataclass(slots=True)
class _Columns:
    function: int | None  # x where the 核心职能 column starts, None when absent
    level1: int
    level3: int
    value: int
    #: columns after the name besides the value (完成值, 分值, 得分, a second 目标值 …):
    #: (x, role, heading), in x order; empty for a form of names and values only
    extra: tuple[tuple[int, str, str], ...] = ()
    value_heading: str = "指标值"

    @classmethod
    def from_header(cls, line: str, previous: _Columns | None) -> _Columns:
        widened = _FILL in line
        pos = {w: line.find(_widen(w) if widened else w) for w in _HEAD_WORDS}
        l1 = pos["一级指标"] if pos["一级指标"] >= 0 else (previous.level1 if previous else 0)
        l3 = pos["三级指标"] if pos["三级指标"] >= 0 else (previous.level3 if previous else l1 + 20)
        val = pos["指标值"] if pos["指标值"] >= 0 else (previous.value if previous else l3 + 30)
        # Room left of 一级指标 holds the 核心职能 column, whose title may sit on the
        # line above (核心职能 | 年度绩效指标).
        fn = 0 if l1 >= 6 else None
        headed = [(m.start(), m.group().replace(_FILL, "")) for m in _GAP.finditer(line) if m.start() > l3 + 1]
        roles = [(x, role_of(h), h) for x, h in headed]
        targets = [(x, h) for x, r, h in roles if r == "target"]
        heading = "指标值"
        if targets:  # value columns side by side: this year's is the value
            val, heading = targets[annual_column([h for _, h in targets]) if len(targets) > 1 else 0]
        extra = tuple((x, r, h) for x, r, h in roles if r is not None and x != val)
        if extra and all(r in ("text", "explanation", "criteria") for _, r, _ in extra):
            extra = ()  # (备注, 指标解释 after the value: read as before, with the value)
        return cls(fn, l1, l3, val, extra, heading)

    @property
    def starts(self) -> tuple[int, ...]:
        return tuple(sorted(x for x in (self.function, self.level1, self.level3, self.value,
                                        *(x for x, _, _ in self.extra)) if x))

    @property
    def value_starts(self) -> frozenset[int]:
        """Starts of the columns text never runs into from the left."""
        return frozenset((self.value, *(x for x, _, _ in self.extra)))

    def column(self, x: int) -> str:
        if self.function is not None and x < self.level1 - 1:
            return "function"
        if x < self.level3 - 1:
            return "label"
        if not self.extra:
            return "name" if x < self.value - 2 else "value"
        after = sorted([(self.value, "value"), *((cx, f"extra{i}") for i, (cx, _, _) in enumerate(self.extra))])
        if x < after[0][0] - 2:
            return "name"
        return next(kind for cx, kind in reversed(after) if x >= cx - 2 or cx == after[0][0])


@dataclass(slots=True)
class _Line:
    no: int
    number: int | None = None
    name: list[str] = field(default_factory=list)
    value: list[str] = field(default_factory=list)
    labels: list[Label | FunctionLabel] = field(default_factory=list)
    extras: dict[int, list[str]] = field(default_factory=dict)  # by column of ``_Columns.extra``
    function_text: str | None = None
    page_top: bool = False
    page: int = 0  # pages (footers, repeated headers, form feeds) seen before the line

    @property
    def is_anchor(self) -> bool:
        return self.number is not None

    @property
    def has_fragment(self) -> bool:
        return bool(self.name or self.value)


def _chunks(line: str, cols: _Columns) -> list[tuple[int, str]]:
    """Chunks separated by 2+ spaces, also cut at a single space where a column starts
    (a wrapped description can end one space before the next column)."""
    out = []
    starts = cols.starts
    for m in _GAP.finditer(line):
        x0, text = m.start(), m.group()
        cut = 0
        for a in starts:
            for s in (a - 1, a, a + 1):
                # text never crosses into the value column; elsewhere only a
                # label, number or value after the space opens a new cell
                if x0 < s < x0 + len(text) and line[s - 1] == " " and s - x0 > cut \
                        and (a in cols.value_starts or _starts_cell(text[s - x0:])):
                    out.append((x0 + cut, text[cut:s - 1 - x0]))
                    cut = s - x0
                    break
        out.append((x0 + cut, text[cut:]))
    return [(x, t.replace(_FILL, "").strip()) for x, t in out if t.strip(" " + _FILL)]


def _starts_cell(rest: str) -> bool:
    """Whether text after a single space opens a new cell (a label, a number or a
    value) rather than continuing a sentence."""
    word = rest.replace(_FILL, "").split(" ", 1)[0]
    return as_label(word) is not None or as_number(word) is not None or looks_like_value(word)


def _read_line(no: int, line: str, cols: _Columns) -> _Line:
    info = _Line(no)
    for x, text in _chunks(line, cols):
        col = cols.column(x)
        if col.startswith("extra"):  # 完成值, 分值, 得分 …: a number here is no 指标 number
            info.extras.setdefault(int(col[5:]), []).append(text)
            continue
        if col == "function":
            fl = as_function(text)
            if fl is not None:
                info.labels.append(fl)
                info.function_text = fl.description or ""
            else:
                info.function_text = text
            continue
        lab = as_label(text)
        if lab is not None and col in ("label", "function"):
            info.labels.append(lab)
            continue
        if info.number is None and (n := as_number(text)) is not None:
            info.number = n
            continue
        m = re.match(r"^指标\s*(\d{1,3})\s*[:：]\s*(\S.*)$", text)
        if m and info.number is None:
            info.number, text = int(m.group(1)), m.group(2)
        if col == "value":
            info.value.append(text)
        else:
            info.name.append(text)
    if not info.value and len(info.name) >= 2 and (info.number is not None or looks_like_value(info.name[-1])):
        # columns drift between pages: a value printed left of the header's x
        info.value.append(info.name.pop())
    return info


# Text laid out by display width (a CJK character two columns wide) instead of by
# character cells as pdftotext does: each wide character gets a zero-width filler so
# that string indices equal screen columns; the fillers are dropped from chunk text.
_FILL = "\x00"
_WIDE = None


def _widen(line: str) -> str:
    global _WIDE
    if _WIDE is None:
        ranges = [(0x1100, 0x115F), (0x2E80, 0x303E), (0x3041, 0x33FF), (0x3400, 0x4DBF),
                  (0x4E00, 0x9FFF), (0xA000, 0xA4CF), (0xAC00, 0xD7A3), (0xF900, 0xFAFF),
                  (0xFE30, 0xFE4F), (0xFF00, 0xFF60), (0xFFE0, 0xFFE6)]
        _WIDE = {c: chr(c) + _FILL for a, b in ranges for c in range(a, b + 1)}
    return line.translate(_WIDE)


def _fit(head: str, sample: list[str]) -> int:
    """How many label, number and value chunks of the sample lines land in their own
    column (in an unnumbered table the labels alone cannot tell the geometries apart)."""
    cols = _Columns.from_header(head, None)
    hits = 0
    for line in sample:
        for x, text in _chunks(line, cols):
            text = text.replace(_FILL, "")
            col = cols.column(x)
            if col.startswith("extra"):  # 分值 20, 完成值 95%: in a column of their own
                hits += as_number(text) is not None or looks_like_value(text)
            elif as_number(text) is not None:
                hits += col == "name"
            elif as_label(text) is not None:
                hits += col == "label"
            elif looks_like_value(text):
                hits += col == "value"
    return hits


def _geometry(lines: list[str], head_at: int) -> list[str]:
    """The lines as they are (character cells, as pdftotext prints), or widened when
    the text was padded by display width: whichever puts more labels and numbers
    in their columns, judged on the first lines that hold any."""
    sample = [ln for ln in lines[head_at + 1:head_at + 80] if "指标" in ln][:25]
    if _fit(_widen(lines[head_at]), [_widen(ln) for ln in sample]) > _fit(lines[head_at], sample):
        return [_widen(ln) for ln in lines]
    return lines


def _table_start(lines: list[str], geometry: list[str], head_at: int, cols: _Columns) -> int:
    """The first line of the table: the line after the column header, unless the
    text starts mid-table and its header first appears on a later page (an excerpt,
    or a document whose first page lost its header). Then the table starts at the
    first line before the header that reads, in the header's columns, as an
    indicator row (an ``指标N`` number, or a 一级/二级 label and a value), or at the
    wrapped fragments of names and values just above it (a row sits in the middle of
    its cell); a header field (``单位名称：…``) before it keeps the lines above it out."""
    first = None
    for no in range(head_at):
        raw = lines[no].replace("\f", "")
        if not raw.strip() or FOOTER.match(raw):
            continue
        info = _read_line(no, geometry[no].replace("\f", "").rstrip(), cols)
        numbered = info.number is not None and bool(info.value)
        labelled = any(isinstance(lab, Label) for lab in info.labels) and bool(info.value) and bool(info.name)
        if numbered or labelled:
            first = no
            break
    if first is None:
        return head_at + 1
    while first > 0:
        raw = lines[first - 1].replace("\f", "")
        if not raw.strip() or re.search(r"[:：]", raw):
            break
        chunks = _chunks(geometry[first - 1].replace("\f", "").rstrip(), cols)
        if not chunks or any(cols.column(x) not in ("name", "value") for x, _ in chunks):
            break
        first -= 1
    return first


def table_rows(lines: list[str], head_at: int):
    geometry = _geometry(lines, head_at)
    cols = _Columns.from_header(geometry[head_at], None)
    begin = _table_start(lines, geometry, head_at, cols)
    header_cells = [[c for _, c in _chunks(ln, _Columns(None, 10 ** 6, 10 ** 6, 10 ** 6))]
                    for ln in lines[:min(head_at, begin)]]
    infos: list[_Line] = []
    page_top = 0  # lines left in the top zone of a new page
    page = 0
    pages: list[list[tuple[int, bool]]] = []  # after each page break: (info, starts left of the names)
    for no in range(begin, len(lines)):
        raw = lines[no]
        if "\f" in raw:
            page_top = PAGE_TOP_LINES
            raw = raw.replace("\f", "")
            pages.append([])
        if not raw.strip():
            continue
        if FOOTER.match(raw):
            page_top = PAGE_TOP_LINES
            pages.append([])
            continue
        if _HEADER_LINE.search(raw) and "指标值" in raw:
            cols = _Columns.from_header(geometry[no].replace("\f", ""), cols)
            page_top = PAGE_TOP_LINES
            continue
        if all(re.sub(r"\s+", "", t) in _HEADER_WORDS for t in raw.split()):
            page_top = PAGE_TOP_LINES
            continue
        info = _read_line(no, geometry[no].replace("\f", "").rstrip(), cols)
        if page_top == PAGE_TOP_LINES:
            page += 1
        info.page_top, info.page = page_top > 0, page
        page_top = max(0, page_top - 1)
        infos.append(info)
        if pages:
            pages[-1].append((len(infos) - 1, len(raw) - len(raw.lstrip()) < cols.level3 - 1))
    # a page (or what follows a page number) without a row, a label, a value or a name's
    # continuation, only text from the left margin: the site's (【打印】, 相关附件:), not the table's
    off = {k for page_infos in pages if all(left and not (infos[k].is_anchor or infos[k].labels or infos[k].value)
                                            for k, left in page_infos) for k, _ in page_infos}
    if off:
        infos = [info for k, info in enumerate(infos) if k not in off]
    if not any(i.is_anchor for i in infos):
        # unnumbered table: a line with a value is an anchor
        for i in infos:
            if i.value:
                i.number = -1
    return header_cells, *_assemble(infos, cols)


def _row_extras(columns: _Columns, value: str | None, cells: dict[int, list[str]]) -> dict[str, object] | None:
    """A row's cells in the columns after the value, by role; a second 目标值 column
    (长期目标值 beside 年度目标值) goes into ``by_column`` with the value's."""
    out: dict[str, object] = {}
    by_column: dict[str, str] = {}
    for i, (_, role, heading) in enumerate(columns.extra):
        text = clean("".join(cells.get(i, [])))
        if not text:
            continue
        if role == "target":
            by_column[heading] = text
        elif role not in out:
            out[role] = text
    if by_column:
        out["by_column"] = {columns.value_heading: value or "", **by_column}
    return out or None


def _assemble(infos: list[_Line], columns: _Columns):
    anchors = [k for k, i in enumerate(infos) if i.is_anchor]
    owner = _distribute(infos, anchors)
    rows: list[Row] = []
    names: dict[int, list[str]] = {a: [] for a in anchors}
    values: dict[int, list[str]] = {a: [] for a in anchors}
    extras: dict[int, dict[int, list[str]]] = {a: {} for a in anchors}
    for k, info in enumerate(infos):
        a = owner[k]
        if a is not None:
            names[a] += info.name
            values[a] += info.value
            for i, texts in info.extras.items():
                extras[a].setdefault(i, []).extend(texts)
    index_of = {a: j for j, a in enumerate(anchors)}
    for a in anchors:
        info = infos[a]
        name = clean_name("".join(names[a]))
        value = clean("".join(values[a])) or None
        rows.append(Row(name, value, info.number if info.number != -1 else None, info.no,
                        _row_extras(columns, value, extras[a]) if columns.extra else None))
    marks: list[Mark] = []
    skipped: list[tuple[int, str]] = []
    descriptions = _descriptions(infos)
    for k, info in enumerate(infos):
        pos = _position(k, anchors, index_of)
        for lab in info.labels:
            if isinstance(lab, FunctionLabel):
                described = descriptions.get(k, lab)
                if described is None:
                    continue
                lab = described
            elif info.page_top and _reprinted(lab, pos, marks):
                continue  # a merged cell split by the page break, printed again
            marks.append(Mark(pos, lab, info.no))
        if owner[k] is None and info.has_fragment and not info.labels:
            skipped.append((info.no, "".join(info.name + info.value)))
    return rows, marks, skipped


def _position(k: int, anchors: list[int], index_of: dict[int, int]) -> float:
    if k in index_of:
        return float(index_of[k])
    # between anchors j-1 and j (anchors are in line order: bisection, not a count
    # over all anchors, which made a long document quadratic)
    return bisect_left(anchors, k) - 0.5


def _reprinted(lab, pos: float, marks: list[Mark]) -> bool:
    """Whether ``lab`` was printed within REPRINT_ROWS before ``pos``. Marks come in
    line order, so only the last few are looked at."""
    for m in reversed(marks):
        if pos - m.pos > REPRINT_ROWS:
            return False
        if m.label == lab:
            return True
    return False


def _distribute(infos: list[_Line], anchors: list[int]) -> list[int | None]:
    """Which anchor each fragment line belongs to.

    The fragment lines between two anchors split into a tail of the upper one and a
    head of the lower one. All splits are chosen together (dynamic programming over
    the gaps) so that every wrapped cell is plausible: the anchor sits in the middle
    of its cell (pdftotext prints the one-line cells of a row level with the middle of
    the tallest), every line but the last of a wrapped name is full, and a value that
    is already whole takes no continuation.
    """
    owner: list[int | None] = [None] * len(infos)
    for a in anchors:
        owner[a] = a
    if not anchors:
        return owner
    gaps: list[list[int]] = [[] for _ in range(len(anchors) + 1)]
    j = 0
    for k, info in enumerate(infos):
        if info.is_anchor or not info.has_fragment:
            continue
        while j < len(anchors) and anchors[j] < k:
            j += 1
        gaps[j].append(k)
    full = 0.8 * max((_width(n) for i in infos for n in i.name), default=1)
    n = len(anchors)
    # best[j][u]: cost of anchors < j given that anchor j takes u head lines of gap j
    first = len(gaps[0])
    best: list[dict[int, float]] = [{first: _head_cost(infos, gaps[0], full, infos[anchors[0]])}]
    back: list[dict[int, int]] = [{}]
    for j in range(n):
        gap_after = gaps[j + 1]
        m = len(gap_after)
        nxt: dict[int, float] = {}
        bk: dict[int, int] = {}
        choices = range(m + 1) if j < n - 1 else (m,)  # the last anchor takes what is left
        for u, cost in best[j].items():
            for t in choices:
                c = cost + _anchor_cost(infos, anchors[j], u, t, gap_after[:t], full)
                head = gap_after[t:]
                c += _head_cost(infos, head, full, infos[anchors[j + 1]] if j + 1 < n else None)
                if c < nxt.get(m - t, float("inf")):
                    nxt[m - t], bk[m - t] = c, u
        best.append(nxt)
        back.append(bk)
    # walk back: u of anchor j+1 = m_j - t_j
    heads = [0] * (n + 1)
    u = min(best[n], key=best[n].__getitem__)
    for j in range(n, 0, -1):
        heads[j] = u
        u = back[j][u]
    heads[0] = first
    for j in range(n):
        gap_after = gaps[j + 1]
        t = len(gap_after) - heads[j + 1] if j < n - 1 else len(gap_after)
        for k in gaps[j][len(gaps[j]) - heads[j]:] if j else gaps[0]:
            owner[k] = anchors[j]
        for k in gap_after[:t]:
            owner[k] = anchors[j]
    return owner


def _width(text: str) -> int:
    return sum(2 if ord(c) > 0x2E7F else 1 for c in text)


def _head_cost(infos: list[_Line], head: list[int], full: float, anchor: _Line | None) -> float:
    """Lines opening a wrapped cell are full: a short one more likely ends the cell
    above; and a value that is already whole has no first half above it."""
    cost = 0.0
    for k in head:
        frag = infos[k]
        if anchor is not None and frag.page != anchor.page:
            cost += 2.0  # a page break rarely cuts a row
        if frag.name and _width(frag.name[-1]) < full:
            cost += 1.0
        if frag.value and anchor is not None and anchor.value and _complete(anchor.value[0]):
            cost += 1.0
    return cost


def _anchor_cost(infos: list[_Line], a: int, above: int, below: int, tail: list[int],
                 full: float) -> float:
    anchor = infos[a]
    cost = 0.0
    if not anchor.name and not anchor.value and above + below == 0:
        cost += 5.0
    elif not anchor.name and above + below == 0 and not any(infos[k].name for k in tail):
        cost += 5.0  # an anchor line without a name must take fragments
    d = abs(above - below)
    if d > 1:
        cost += 2.0 * (d - 1)
    elif d == 1 and not anchor.name:
        cost += 0.5
    if anchor.name and _width(anchor.name[-1]) < full and any(infos[k].name for k in tail):
        cost += 1.0  # a name that continues below fills its line
    if tail and anchor.value and _complete(anchor.value[-1]) and any(infos[k].value for k in tail):
        cost += 1.0  # a value that is already whole takes no continuation
    return cost + 2.0 * sum(infos[k].page != anchor.page for k in tail)


def _complete(value: str) -> bool:
    return looks_like_value(value) and not value.endswith(("/", "·", "(", "（", "-"))


def _descriptions(infos: list[_Line]) -> dict[int, FunctionLabel | None]:
    """Join the function-column text running down the edge into one label per
    function; the key is the line where it starts (None: a repeat to drop)."""
    out: dict[int, FunctionLabel | None] = {}
    current: int | None = None
    parts: dict[int, list[str]] = {}
    repeats: dict[int, list[str]] = {}
    numbers: dict[int, int | None] = {}
    sink: list[str] | None = None
    for k, info in enumerate(infos):
        fl = next((lab for lab in info.labels if isinstance(lab, FunctionLabel)), None)
        if fl is not None:
            if current is not None and fl.number is not None and numbers[current] == fl.number:
                out[k] = None  # printed again after a page break: merged below
                sink = repeats.setdefault(current, [])
                sink.append(fl.description or "")
                continue
            current = k
            numbers[k] = fl.number
            parts[k] = [fl.description] if fl.description else []
            sink = parts[k]
        elif info.function_text and sink is not None:
            sink.append(info.function_text)
    for k, texts in parts.items():
        desc = _merge("".join(texts), "".join(repeats.get(k, []))).strip() or None
        out[k] = FunctionLabel(numbers[k], desc, infos[k].function_text or "")
    return out


def _merge(first: str, again: str) -> str:
    """Join a description with its reprint after a page break, without doubling
    the part printed twice."""
    if not again or again in first:
        return first
    if first in again:
        return again
    for n in range(min(len(first), len(again)), 0, -1):
        if first.endswith(again[:n]):
            return first + again[n:]
    return first + again
