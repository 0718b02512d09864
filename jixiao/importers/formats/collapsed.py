"""Forms whose whitespace was lost: the whole table (often the whole page) is one
run of text, ``…一级指标二级指标三级指标分值年度指标值全年实际值得分…产出指标(70分)
数量指标安装坡面水标尺10≥266米≥266米10…``, as some web pages and document
previews give it.

The column header run tells which cells follow each 三级 name and in what order
(``columns.HEADING_ROLES``); 一级/二级 labels (with block subtotals such as
``产出指标(70分)``) and ``职能N`` labels are found by content and become marks;
the text between them is cut into names and cells by ``split.Splitter``. Header
fields (项目名称, 主管部门, 实施单位, the title and year) are cut out of the text
before the table at their field names. Read only when no other reader found a row.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from ...errors import DocumentTooLarge, NoIndicatorTable
from ...model.indicator import COST, LEVEL2_OF
from ...model.sheet import Diagnostic, Sheet
from ..budget import current
from ..recover.cells import FunctionLabel, Label, as_label, clean_name
from ..recover.columns import HEADING_ROLES, PLACE_HEADING
from ..recover.evidence import AT_TOP
from ..recover.header import FIELDS, parse_header
from ..recover.sheet import row_skipped, sheet_from_rows, table_incomplete
from ..recover.structure import Mark, Row
from . import empty_cells, fused, scorecard
from .split import Barrier, Cell, Splitter

# Column titles beyond stream's: the 核心职能 column, direction and explanation columns.
_TITLES = {**HEADING_ROLES, "核心职能": "function", "指标方向": "op", "指标值类型": "op", "指标内容": "content",
           "指标解释": "explanation", "指标说明": "explanation", "评(扣)分标准": "text", "评分标准": "text",
           "绩效标准": "text", "备注": "text", "全年完成值": "actual", "实际完成情况": "actual",
           "年度指标值及单位": "target", "指标值(含单位)": "target", "当年预期实现值": "target",
           "预期实现值": "target", "预期目标值": "target", "年度预期值": "target", "预期目标": "target",
           "计划标准": "target", **scorecard.TITLES}
_TITLE = re.compile("|".join(re.escape(t) for t in sorted(_TITLES, key=len, reverse=True)))
# Free-worded text columns: 未完成原因及拟采取的改进措施, 偏差原因分析及改进措施, 计算方法 …
_TEXT_TITLE = re.compile(r"[\u4e00-\u9fff、及和与()（）]{0,14}(?:改进措施|原因分析|原因|备注|说明|标准|计算方法|依据)")
_BRACKETS = re.compile(r"[(（][^()（）]{0,8}[)）]")
_ANCHOR = re.compile(r"核心职能|一级指标|二级指标|三级指标|指标名称|绩效指标分类|绩效指标(?=绩效指标描述|绩效指标评价标准)")
_STOP = re.compile(r"总分|合计|注\s*[:：]|评价结论|存在问题|项目负责人[:：]|财务负责人|填报人|审核人|说明[:：]")
_SUBTOTAL = re.compile(r"[(（]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]")
_NOTE = re.compile(r"[(（][^()（）\d]{0,12}[)）]")  # (必填), (必填硬性指标) after a label
_FUNCTION = re.compile(r"(?:核心)?职能\s*(\d{1,5})\s*[:：]?")
_MERGED = re.compile(r"(?<=[是否])(?:年度)?绩效指标(?!分类|描述|评价|完成|名称)")
_GAP = re.compile(r"[\s\u3000…|]+")
_VALUE_ROLES = ("target", "actual", "column")
_HEADLESS_ROLES = ("level1", "level2", "name", "target", "weight")
# Field names that end a header value without being a field jixiao keeps.
_FIELD_STOPS = ("项目负责人及电话", "项目负责人", "联系电话", "联系人", "资金情况(万元)", "资金情况", "项目资金(万元)",
                "项目资金", "预算执行情况(万元)", "预算执行情况", "年度资金总额", "资金总额", "全年预算数", "年初预算数",
                "项目类别", "项目属性", "项目类型", "项目性质", "立项依据", "项目概况", "项目起止时间", "主管部门编码",
                "填报日期", "填报人", "绩效指标", "长期目标", "年初设定目标", "预期目标", "实际完成情况", "自评总分",
                "资金名称", "专项名称", "中央补助", "年度总体目标完成情况综述", "完成情况综述")
_FIELD_ALIASES = {"项目实施单位": "实施单位", "主管部门(单位)名称": "主管部门", "主管部门及代码": "主管部门"}
_FIELD_WORDS = sorted({*FIELDS, *_FIELD_STOPS, *_FIELD_ALIASES}, key=len, reverse=True)
_FIELD = re.compile("|".join(re.escape(w) for w in _FIELD_WORDS))
_TITLE_TAIL = re.compile(r"([^,，。:：;；!！?？、]{2,40}?表)([(（][^()（）]{0,10}[)）])?$")
_FORM_TITLE = re.compile(r"绩效(?:目标|自评|评价|监控|运行监控)[^,，。:：;；]{0,12}?表(?:[(（][^()（）]{0,10}[)）])?")
_DATE_HEAD = re.compile(r"^.*?\d{1,2}日")


@dataclass(slots=True)
class _Flat:
    """The text with whitespace removed; ``gaps`` where it was, ``line_of`` the line
    each character came from."""

    text: str
    gaps: set[int]
    line_of: list[int]


def import_collapsed(text: str, *, path: str | None = None) -> Sheet:
    """The sheet of a form whose separators were lost; ``NoIndicatorTable`` when no
    column header run and no indicator are found."""
    flat = _flatten(text)
    head = _header(flat.text)
    if head is not None and (pages := {i for i in scorecard.page_marker_lines(text.split("\n"))
                                       if i > flat.line_of[head[0]]}):
        flat = _flatten(text, frozenset(pages))  # page numbers of a preview inside the table: no text, no cell boundary
        head = _header(flat.text)
    headless = head is None
    if head is None:
        # no heading run: a fragment that starts mid-table, read as 一级 二级 三级 指标值 分值
        first = next((a for a, _, lab, _ in _labels(flat.text, 0, len(flat.text), "")
                      if isinstance(lab, Label)), None)
        if first is None:
            raise NoIndicatorTable(path)
        body_lines = [ln for ln in text.split("\n")[flat.line_of[first]:] if ln.strip()]
        if sum("|" in ln or "\t" in ln for ln in body_lines) * 2 >= len(body_lines):
            raise NoIndicatorTable(path)  # its cells are separated: not collapsed (a transposed table …)
        head = (first, first, list(_HEADLESS_ROLES))
    start, end, roles = head
    stop = _STOP.search(flat.text, end)
    body_end = stop.start() if stop else len(flat.text)
    after = _after_name(roles)
    if after is None:
        raise NoIndicatorTable(path)
    # the beam search costs about 10 s at 30,000 characters (budget.Limits.collapsed_chars)
    limit = current(path).limits.collapsed_chars
    if body_end - end > limit:
        raise DocumentTooLarge(path, f"连写成一片的指标表有 {body_end - end} 字, 超过上限 {limit} 字")
    line_starts = frozenset(i for i in range(1, len(flat.line_of)) if flat.line_of[i] != flat.line_of[i - 1])
    body, offsets, marks = _body(flat.text, end, body_end, flat.text[start:end], line_starts)
    if (trace := empty_cells.values_missing(flat.text[:body_end], body)) is not None:
        # the digits were stripped: labels printed short (数量) or non-standard (过程指标) count too
        body, offsets, marks = _body(flat.text, end, body_end, flat.text[start:end], line_starts, True)
    gaps = frozenset(i for i, o in enumerate(offsets) if o in flat.gaps)
    barriers = [Barrier(pos, _opens_block(marks, i), sub) for i, (pos, _, sub, _) in enumerate(marks)]
    bare = None if trace is None else empty_cells.Bare(empty_cells.name_ends(body, [b.pos for b in barriers]))
    parse = Splitter(body, after, barriers, gaps, _row_lines(body, offsets, line_starts), bare).run()
    if not parse.rows:
        raise NoIndicatorTable(path, _UNREADABLE)
    uncertain = _UNCERTAIN + 0.5 * max(0, len(after) - 5)  # (a row of many cells costs more)
    # (rows whose weights add up to their block's printed subtotal are read, with a warning each)
    settled = fused.settled_rows([[(c.role, c.start, c.text) for c in r] for r in parse.rows],
                                 [(b.pos, b.subtotal) for b in barriers if b.level1], len(body))
    if stop is None and len(parse.rows) > 1 and parse.row_costs[-1] > uncertain and \
            len(parse.rows) - 1 not in settled and not (marks and marks[-1][0] >= parse.rows[-1][-1].end):
        # the text stops inside the table and its last row reads badly: a row cut short, no
        # indicator, and the labels printed for it are gone with it (a label after it closed it)
        parse.skipped.append((parse.rows.pop()[0].start, len(body)))
        parse.row_costs.pop()
        marks = [mk for mk in marks if mk[0] < parse.skipped[-1][0]]
    if stop is None and parse.rows and (last := parse.rows[-1][-1]).role == "basis" and \
            (cut := scorecard.basis_end(last.text)) is not None:
        # its 依据 runs on into the text's end: the next row, cut short
        parse.rows[-1][-1] = Cell(last.role, last.start, last.start + cut, last.text[:cut])
        parse.skipped.append((last.start + cut, len(body)))
    # (a text cut off inside its last row ends in a skip: that is truncation, said below, no doubt)
    skipped = [sp for sp in parse.skipped if stop is not None or sp[1] < len(body.rstrip())]
    doubtful = sum(c > uncertain and i not in settled for i, c in enumerate(parse.row_costs)) + len(skipped)
    if doubtful >= 2 and 2 * doubtful > len(parse.rows) + len(skipped):
        # most cuts are guesses (an empty template, long prose in the cells): no reading beats a wrong one
        raise NoIndicatorTable(path, f"表格的空格和换行全部丢失, 切分出的 {len(parse.rows) + len(parse.skipped)} 段中有 "
                                     f"{doubtful} 段把握不大或不成指标, 不予导入; {_ADVICE}")
    columns = _column_titles(flat.text, start) if "column" in roles else []
    rows = [_row(cells, flat.line_of[offsets[cells[0].start]], columns) for cells in parse.rows]
    starts = [cells[0].start for cells in parse.rows]
    row_marks = [Mark(_mark_pos(starts, pos), lab, flat.line_of[offsets[min(pos, len(offsets) - 1)]])
                 for pos, lab, _, _ in marks if not isinstance(lab, Label) or empty_cells.is_standard(lab)]
    header = parse_header([_header_cells(flat.text[:start])])
    sheet = sheet_from_rows(header, rows, row_marks, "function" in roles, AT_TOP)
    if bare is not None:
        empty_cells.keep_odd_labels(sheet, [(_mark_pos(starts, pos), lab) for pos, lab, _, _ in marks])
        sheet.diagnostics.append(empty_cells.diagnostic(
            "indicators", trace, len(rows), sum(r.value is None for r in rows)))
    repaired: list[tuple[str, str]] = []
    _titles(flat.text, start, repaired)
    scorecard.absent_levels(sheet, roles, row_marks, f"line:{flat.line_of[start] + 1}")
    scorecard.scramble_diagnostics(sheet, repaired, [[(c.role, c.text) for c in r] for r in parse.rows],
                                   f"line:{flat.line_of[start] + 1}")
    _diagnose(sheet, parse, rows, after, body, starts, offsets, flat, uncertain)
    if stop is None and ((parse.skipped and parse.skipped[-1][1] >= len(body.rstrip()))
                         or (parse.row_costs and parse.row_costs[-1] > uncertain)
                         or (bool(marks) and bool(starts) and marks[-1][0] > starts[-1])):
        # the text stops inside the table: no closing row (合计, 总分, 评价结论 …), and its end reads as
        # no row, a doubtful one, or a label with no row after it
        tail = body[parse.skipped[-1][0]:].strip() if parse.skipped else (rows[-1].name if rows else "")
        sheet.diagnostics.append(table_incomplete(
            f"line:{flat.line_of[-1] + 1}" if flat.line_of else "text", "表格末尾", tail or body[-20:]))
    if headless:
        sheet.diagnostics.insert(0, Diagnostic(
            "IMPORT_TABLE_HEADLESS", "warning", f"line:{flat.line_of[start] + 1}",
            "指标表没有表头行 (原文从表格中间开始), 已按“一级指标 | 二级指标 | 三级指标 | 指标值 | 分值”的列序切分",
            "请核对各指标的名称、指标值与分值"))
    return sheet


def _flatten(text: str, pages: frozenset[int] = frozenset()) -> _Flat:
    out: list[str] = []
    gaps: set[int] = set()
    line_of: list[int] = []
    for no, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")):
        page = no in pages
        for piece in _GAP.split(scorecard.strip_marker(line) if page else line):
            if piece:
                if out and not page:
                    gaps.add(len(line_of))
                page = False
                out.append(piece)
                line_of.extend([no] * len(piece))
    return _Flat("".join(out), gaps, line_of)


def _header(flat: str) -> tuple[int, int, list[str]] | None:
    """(start, end, roles) of the first column header run that names a 三级 column
    and a value column."""
    for m in _ANCHOR.finditer(flat):
        roles, end = _titles(flat, m.start())
        roles = scorecard.expand(roles)
        if "name" not in roles and "content" not in roles and "level2" in roles \
                and any(r in roles[roles.index("level2"):] for r in _VALUE_ROLES):
            # 一级指标 | 二级指标 | 绩效标准 | 当年预期实现值 over rows 二级 | 三级 | 标准 | 值: the
            # headings are shifted by one, the 三级 column has none
            roles.insert(roles.index("level2") + 1, "name")
        if ("name" in roles or "content" in roles) and any(r in roles for r in _VALUE_ROLES):
            return m.start(), end, roles
    return None


def _titles(flat: str, p: int, repaired: list[tuple[str, str]] | None = None) -> tuple[list[str], int]:
    roles, p = _known_titles(flat, p, repaired)
    if "op" in roles or "explanation" in roles:
        places, q = _place_titles(flat, p)
        if places and not any(r in roles for r in _VALUE_ROLES):
            # 指标解释 | 指标方向 | 笏石街道办 | 埭头镇: one value column per town or village
            return roles + ["column"] * len(places), q
    return roles, p


_LEVEL1_AHEAD = re.compile(r"(?:产出|成本|效益|效果|满意度|项目完成)指标|(?:核心)?职能\s*\d")


def _place_titles(flat: str, p: int) -> tuple[list[str], int]:
    """Place names between the known column titles and the first 一级 label (at most
    eight, none longer than the pattern allows); ([], p) when the text there is no
    run of place names."""
    ahead = _LEVEL1_AHEAD.search(flat, p, p + 90)
    if ahead is None or ahead.start() == p:
        return [], p
    places, q = [], p
    while q < ahead.start() and (m := PLACE_HEADING.match(flat, q, ahead.start())) is not None:
        places.append(m.group())
        q = m.end()
    return (places, q) if q == ahead.start() and len(places) <= 8 else ([], p)


def _column_titles(flat: str, start: int) -> list[str]:
    """The titles of the per-place value columns of the heading run at ``start``."""
    return _place_titles(flat, _known_titles(flat, start)[1])[0]


def _known_titles(flat: str, p: int, repaired: list[tuple[str, str]] | None = None) -> tuple[list[str], int]:
    roles: list[str] = []
    while p < len(flat):
        if (c := scorecard.title_at(flat, p)) is not None:
            roles.append(c[0])
            p = c[1]
        elif (m := _TITLE.match(flat, p)) is not None:
            roles.append(_TITLES[m.group()])
            p = m.end()
        elif (t := _TEXT_TITLE.match(flat[p:p + 24].split("指标")[0])) is not None:  # never into a label
            roles.append("text")
            p += t.end()
        elif (w := _scrambled_title(flat, p)) is not None:
            roles.append(_TITLES[w[0]])
            if repaired is not None:
                repaired.append((flat[p:w[1]], w[0]))
            p = w[1]
        else:
            break
        if (b := _BRACKETS.match(flat, p)) is not None:
            p = b.end()  # 权重(%), 指标值(A), 全年实际值(B)
    return roles, p


def _scrambled_title(flat: str, p: int) -> tuple[str, int] | None:
    """(heading, end) of a heading whose characters OCR scrambled (``年成值全完值``):
    the text up to the next heading as written holds a known heading's characters."""
    for q in range(p + 4, min(p + 13, len(flat)) + 1):
        if q == len(flat) or _TITLE.match(flat, q) is not None:
            if (w := scorecard.scrambled(flat[p:q], _TITLES)) is not None:
                return w, q
    return None


def _after_name(roles: list[str]) -> list[str] | None:
    """The columns after the 三级 name, text columns told apart by whether a value
    column comes after them (指标解释 before 指标值 is filled; 原因 at the end mostly not)."""
    if "name" in roles:
        i = roles.index("name")
    elif "content" in roles:
        i = roles.index("content")  # 指标内容 holds the name when no 三级指标 column does
    else:
        return None
    rest = [("text" if r == "content" else r) for r in roles[i + 1:] if r not in ("level1", "level2", "function")]
    out = []
    for j, r in enumerate(rest):
        if r in ("text", "explanation"):
            r = "explanation" if any(x in _VALUE_ROLES for x in rest[j + 1:]) else "text"
        out.append(r)
    return out if any(r in _VALUE_ROLES for r in out) else None


def _body(flat: str, start: int, end: int, head_run: str, line_starts: frozenset[int] = frozenset(),
          empty: bool = False):
    """The table text with labels cut out: (text, offsets into ``flat``, marks as
    (position, label, subtotal, offset))."""
    keep: list[str] = []
    offsets: list[int] = []
    marks: list[tuple[int, Label | FunctionLabel, float | None, int]] = []
    found = _labels(flat, start, end, head_run, line_starts, empty)
    p = start
    for a, b, lab, sub in found:
        if a > p:
            keep.append(flat[p:a])
            offsets.extend(range(p, a))
        if lab is not None:  # (None: a repeated column header, dropped)
            marks.append((len(offsets), lab, sub, a))
        p = max(p, b)
    if end > p:
        keep.append(flat[p:end])
        offsets.extend(range(p, end))
    return "".join(keep), offsets, marks


#: (start, end, label, subtotal) of a label in the flattened text; the label is None
#: for a column header run repeated inside the table
_Span = tuple[int, int, Label | FunctionLabel | None, float | None]


_SHORT_LEVEL1 = ("满意度", "产出", "效益", "成本", "效果")


def _labels(flat: str, start: int, end: int, head_run: str, line_starts: frozenset[int] = frozenset(),
            empty: bool = False) -> list[_Span]:
    """Spans of 一级/二级 labels (the longest spelling ending in 指标, with a subtotal
    or a note in brackets after it), of 职能N labels with their description, and of
    column header runs repeated inside the table (dropped)."""
    spans: list[_Span] = []
    p = start
    while True:
        k = flat.find(head_run, p, end) if head_run else -1
        if k < 0:
            break
        spans.append((k, k + len(head_run), None, None))
        p = k + len(head_run)
    for m in _MERGED.finditer(flat, start, end):
        spans.append((m.start(), m.end(), None, None))  # a scorecard's merged 绩效指标 cell between rows
    for m in re.finditer("指标", flat[start:end]):
        e = start + m.end()
        label: Label | None = None
        s = e
        for back in range(14, 1, -1):
            s0 = e - back
            if s0 >= start and (got := as_label(flat[s0:e])) is not None:
                label, s = got, s0
                break
        if label is None:
            if empty and (odd := empty_cells.odd_level1(flat, e - 4, end, True)) is not None:
                spans.append((e - 4, e, odd[1], None))  # …受助学生满意度过程指标评审程序…
            continue
        sub = None
        total = _SUBTOTAL.match(flat, e)
        if total:
            sub, e = float(total.group(1)), total.end()
        elif (note := _NOTE.match(flat, e)) is not None:
            e = note.end()
        spans.append((s, e, label, sub))
        if empty:  # a table whose values are gone: 产出指标数量…, …满意度指标过程指标…
            for extra in (empty_cells.short_level2(flat, e, end) if label.level == 1 else None,
                          empty_cells.odd_level1(flat, e, end)):
                if extra is not None:
                    spans.append((e, extra[0], extra[1], None))
        if label.level == 2:
            # 产出数量指标 at a line's start: the 一级 cell, printed without 指标, ran into the 二级
            short = next((w for w in _SHORT_LEVEL1 if flat.startswith(w, s - len(w))), None)
            if short and s - len(short) in line_starts and (head := as_label(short)) is not None:
                spans.append((s - len(short), s, head, None))
    spans.sort(key=lambda x: (x[0], -x[1]))
    out: list[_Span] = []
    last = start
    for a, b, lab, sub in spans:
        if a < last:
            continue  # inside a longer label or a repeated header
        out.append((a, b, lab, sub))
        last = b
    # 职能N: description — the description runs to the next label
    with_functions: list[_Span] = []
    label_starts = [a for a, _, lab, _ in out if lab is not None]
    for m in _FUNCTION.finditer(flat, start, end):
        if any(a <= m.start() < b for a, b, _, _ in out):
            continue
        nxt = min((a for a in label_starts if a > m.end()), default=end)
        desc = flat[m.end():nxt].strip() or None
        with_functions.append((m.start(), nxt, FunctionLabel(int(m.group(1)), desc, flat[m.start():nxt]), None))
    merged = sorted(out + with_functions, key=lambda x: x[0])
    result: list[_Span] = []
    last = start
    for a, b, lab, sub in merged:
        if a >= last:
            result.append((a, b, lab, sub))
            last = b
    return result


_ROW_LINE_END = re.compile(r"(?:\d|%|[是否有无]|以上|以下|以内|完成)$")


def _row_lines(body: str, offsets: list[int], line_starts: frozenset[int]) -> frozenset[int]:
    """Where the body's lines break, when the table kept one line per row (an XLSX shown
    on a web page: ``产出数量指标享受资助人数达到预计值210010``): at least four
    lines, short, nearly all ending in a value. Empty when the text is one run."""
    # (a label cut out of the body may have held the line's start)
    ends = [i for i in range(1, len(offsets))
            if any(q in line_starts for q in range(offsets[i - 1] + 1, offsets[i] + 1))]
    if len(ends) < 2:
        return frozenset()
    lines = [body[a:b] for a, b in zip([0, *ends], [*ends, len(body)]) if b > a]
    valued = sum(bool(_ROW_LINE_END.search(ln)) for ln in lines)
    if len(lines) < 4 or 10 * valued < 8 * len(lines) or max(map(len, lines)) > 120 or \
            sum(map(len, lines)) > 60 * len(lines):  # (a page break inside one run of text is no row end)
        return frozenset()
    return frozenset(ends)


def _opens_block(marks, i: int) -> bool:
    """A 一级 label starts a block of weights; a bare 成本指标 only when it carries a
    subtotal or a 2021 成本 二级 follows it (else it is the classic 二级 under 产出)."""
    _, lab, sub, _ = marks[i]
    if not isinstance(lab, Label) or lab.level != 1:
        return False
    if lab.name != COST or sub is not None:
        return True
    nxt = marks[i + 1][1] if i + 1 < len(marks) else None
    return isinstance(nxt, Label) and nxt.name in LEVEL2_OF[COST]


def _row(cells: list[Cell], line: int, columns: list[str]) -> Row:
    by = {c.role: c.text for c in cells if c.text and c.role != "column"}
    op = by.get("op", "")
    if op[:2] in ("定量", "定性", "正向", "反向") or "/" in op or "或" in op or \
            scorecard.scrambled(op, scorecard.NATURE_WORDS, 0):
        del by["op"]  # 指标性质 or an answer set (是/否) that is no operator
    extras: dict[str, object] = {k: by[k] for k in ("actual", "weight", "score", "explanation", "basis") if k in by}
    per_place = [c.text for c in cells if c.role == "column"]
    if per_place and "target" not in by:
        # one value column per town: the target is the value they share (else the first one's,
        # with a diagnostic), the per-column values are kept by title
        by["target"] = next((v for v in per_place if v), "")
        extras["by_column"] = {t: v for t, v in zip(columns, per_place) if v}
    if "unit" in by and (not by.get("target") or by["target"].endswith(by["unit"])):
        del by["unit"]  # no value, or a 计量单位 column beside values that carry their unit: 次 | 26次
    target = "".join(by.get(k, "") for k in ("op", "target", "unit")) or None
    if "grade" in {c.role for c in cells}:
        grades = [by.get("target")] + [c.text or None for c in cells if c.role == "grade"]
        if (text := scorecard.criteria(grades)) is not None:
            extras["criteria"] = text
    return Row(fused.prose_text(clean_name(by["name"])), target, None, line, extras or None)


def _mark_pos(starts: list[int], pos: int) -> float:
    """A label printed before row i (its first row) sits at i; after the last row at n - 0.5."""
    i = bisect_right(starts, pos - 1)
    return float(i) if i < len(starts) else len(starts) - 0.5


def _header_cells(before: str) -> list[str]:
    """The text before the table cut at field names: [title, name, value, name, value …];
    a value runs to the next field name, kept or not (项目负责人, 资金情况 …)."""
    titles = list(_FORM_TITLE.finditer(before))
    if titles and any(_field_name(m.group()) in FIELDS for m in _FIELD.finditer(before, titles[-1].end())):
        # a notice before the form (…请你们落实到具体项目单位…附件2 …绩效目标表): its prose holds
        # field words too; the form's fields follow its title
        lead, before = before[: titles[-1].end()], before[titles[-1].end():]
        found = list(_FIELD.finditer(before))
        kept = found
    else:
        found = list(_FIELD.finditer(before))
        kept = [m for m in found if _field_name(m.group()) in FIELDS]
        lead = before[: kept[0].start()] if kept else before
    cells = []
    if (t := _TITLE_TAIL.search(lead)) is not None:
        cells.append(_DATE_HEAD.sub("", t.group(1)) + (t.group(2) or ""))
    elif lead:
        cells.append(lead[-60:])  # no title: still a year, perhaps
    for i, m in enumerate(found):
        name = _field_name(m.group())
        if name not in FIELDS:
            continue
        value = before[m.end(): found[i + 1].start() if i + 1 < len(found) else len(before)].strip(":：")
        cells += [name, value] if value else [name]
    return cells


def _field_name(word: str) -> str:
    return _FIELD_ALIASES.get(word, word)


def _diagnose(sheet: Sheet, parse, rows: list[Row], after: list[str], body: str, starts: list[int],
              offsets: list[int], flat: _Flat, uncertain: float = 4.0) -> None:
    paths = [p for p, _ in sheet.all_indicators()]
    where = paths[0].rsplit("[", 1)[0] if paths else "indicators"
    columns = "|".join(_ROLE_WORDS.get(r, r) for r in ["name", *after])
    sheet.diagnostics.append(Diagnostic(
        "IMPORT_COLLAPSED_TABLE", "info", where,
        f"原文表格的空格和换行全部丢失, 已按列标题({columns})把连写的文字切分为 {len(rows)} 个指标",
        "请逐项核对三级指标名称与指标值、分值、得分的切分是否正确"))
    for i, (row, cost) in enumerate(zip(rows, parse.row_costs)):
        if cost > uncertain and i < len(paths):
            parts = "、".join(f"{_ROLE_WORDS.get(k, k)}“{v}”" for k, v in
                             [("target", row.value or "")] + list((row.extras or {}).items())
                             if v and isinstance(v, str))
            sheet.diagnostics.append(Diagnostic(
                "IMPORT_COLLAPSED_SPLIT_UNCERTAIN", "warning", paths[i],
                f"“{row.name}”一行的切分把握不大: 读作{parts}",
                "请对照原表核对这一行的名称和各列的值"))
    for i, row in enumerate(rows):
        places = (row.extras or {}).get("by_column") or {}
        if len(set(places.values())) > 1 and i < len(paths):
            first = next(iter(places))
            sheet.diagnostics.append(Diagnostic(
                "IMPORT_COLUMN_VALUES_DIFFER", "warning", paths[i],
                f"“{row.name}”各地的指标值不同 ({'、'.join(f'{k}{v}' for k, v in places.items())}), "
                f"指标值取第一列“{first}”的值", "请核对指标值; 各地的值保存在 by_column 中"))
    for pos, total, subtotal in parse.blocks:
        i = bisect_right(starts, pos - 1)
        sheet.diagnostics.append(Diagnostic(
            "IMPORT_COLLAPSED_SUBTOTAL_MISMATCH", "warning", paths[i] if i < len(paths) else where,
            f"一级指标小计为 {subtotal:g} 分, 其下各三级指标分值合计 {total:g} 分, 两者不符",
            "请核对该一级指标下各三级指标的分值切分"))
    for a, b in parse.skipped:
        line = flat.line_of[offsets[a]]
        sheet.diagnostics.append(row_skipped(
            f"line:{line + 1}", f"第{line + 1}行表格中的", body[a:b],
            "无法切分为指标行", "检查原表此处"))


_UNCERTAIN = 4.0
_ADVICE = "请导入原始 Excel/Word 文件, 或保留了空格、换行的文本"
_UNREADABLE = f"表格的空格和换行全部丢失, 无法切分出指标; {_ADVICE}"
_ROLE_WORDS = {"name": "三级指标", "target": "指标值", "actual": "实际完成值", "weight": "分值", "score": "得分",
               "op": "指标性质", "unit": "度量单位", "explanation": "指标解释", "text": "备注", "grade": "评价标准",
               "basis": "评价标准确定依据", "adjusted": "调整指标值", "coef": "得分系数", "flag": "是否核心指标",
               "column": "分地区指标值"}
