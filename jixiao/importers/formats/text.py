"""Structure recovery from extracted text: tab-separated (as copied from a PDF
viewer, like the seed), space-aligned (``pdftotext -layout``, ``layout.py``) or a
stream of cells whose rows were lost (``stream.py``).

``import_text`` finds the header fields and the indicator table, turns table lines
into format-neutral rows and marks (``structure.Row``/``Mark``), lets
``structure.solve`` rebuild the tree and reports every inference as a diagnostic;
``recover.sheet.sheet_from_rows`` is the end every reader shares, text or table formats.
See docs/structure.md.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from ...errors import NoIndicatorTable
from ...model.sheet import Diagnostic, Sheet
from .. import budget
from ..decode import decode_bytes
from ..recover import columns
from ..recover.cells import (
    FunctionLabel,
    Label,
    as_function,
    as_label,
    as_short_cell,
    clean,
    clean_name,
    looks_like_value,
)
from ..recover.evidence import AT_TOP, WANDERING
from ..recover.header import parse_header
from ..recover.sheet import row_skipped, sheet_from_rows, table_incomplete
from ..recover.structure import Mark, Row
from ..recover.table import Table, role_of, sheet_from_blocks
from ..registry import register
from . import layout, stream
from .prose import prose_rows
from .tidy import tidy

_TABLE_HEAD = re.compile(r"三级\s*指标|二级\s*指标")
_NOTE = re.compile(r"^(?:注|备注|说明|填报人|审核人|联系电话|填报日期|附件)\s*[:：\d]")
_CUT = re.compile(r"\t| {2,}|\u3000+")


@register("text", sniff=lambda head: True, priority=1000)
def load_text(data: bytes, path: str | None) -> Sheet:
    text = decode_bytes(data, path)
    check_text(text, path)
    return import_text(text, path=path)


_FIELD_BREAK = re.compile(r"[\t\n]| +|\u3000+")


def check_text(text: str, path: str | None, what: str = "文本") -> None:
    """The text importer's cost is per line and per field, whatever their length:
    lines against ``rows``, fields (tabs, line breaks, runs of spaces) against
    ``text_fields``, before it starts."""
    b = budget.current(path)
    b.rows(text.count("\n") + (not text.endswith("\n")), what)
    b.text_fields(_FIELD_BREAK.subn("", text)[1])


def import_text(text: str, *, path: str | None = None) -> Sheet:
    """The sheet held by extracted text; ``NoIndicatorTable`` when there is none."""
    text, notes = tidy(text.replace("\r\n", "\n").replace("\r", "\n"))
    sheet = _import_lines(text, path)
    sheet.diagnostics[:0] = notes
    return sheet


# A value run into the text before it: 补助≤110元, 合格率100%10, 人数=300人=300人
_FUSED_VALUE = re.compile(r"[\u4e00-\u9fff]{2}[^\t]*?[\u4e00-\u9fff)）”](?:[≥≤=＝≧≦﹦<>＞＜]{1,2}|不超过|不低于|不少于|不高于|"
                          r"达到|大于|小于)?\d")


#: Column roles a tab table can have whose cells the content-based reading (the last two
#: cells of a row are its name and value) would take for the name or the value.
_NAME_VALUE_ROLES = frozenset(("function", "level1", "level2", "name", "target", "text", None))


def _tab_table(lines: list[str], head_at: int):
    """The table under a tab-separated heading row that names more columns than a
    name and one value (``recover.table.Table``, cells by tab position), else None."""
    head = [c.strip() for c in lines[head_at].split("\t")]
    roles = [role_of(c) for c in head]
    if len(head) < 4 or "name" not in roles or (
            roles.count("target") < 2 and all(r in _NAME_VALUE_ROLES for r in roles)):
        return None
    body = [ln for ln in lines[head_at + 1:] if ln.strip()]
    if not body or sum("\t" in ln for ln in body) * 2 < len(body):
        return None  # the rows lost their tabs: not a tab table
    cells = [[c.strip() or None for c in ln.split("\t")] for ln in [lines[head_at], *body]]
    return Table(cells, where="表格")


def _fused_rows(lines: list[str]) -> bool:
    """Lines after the column headings that are whole rows with their cells run
    together (no tab, no wide gap): most of at least three carry a value fused to text."""
    body = [ln for ln in lines[1:] if ln.strip()]
    if len(body) < 3 or any(_CUT.search(ln) for ln in body):
        return False
    fused = sum(bool(_FUSED_VALUE.search(ln)) for ln in body)
    return 10 * fused >= 6 * len(body)


def _import_lines(text: str, path: str | None) -> Sheet:
    lines = text.split("\n")
    head_at = _find_table(lines)
    if head_at is None:
        return _headless(lines, path)
    model = WANDERING
    cut: tuple[int, str] | None = None
    if (table := _tab_table(lines, head_at)) is not None:
        # columns beyond name and value (完成值, 分值, 得分, 长期/年度目标 …): the tab positions
        # keep the cells under their headings, read as a table is read
        return sheet_from_blocks([*lines[:head_at], table], path)
    if layout.is_layout(lines, head_at):
        header_cells, rows, marks, skipped = layout.table_rows(lines, head_at)
    else:
        header_cells = [_cells(ln) for ln in lines[:head_at]]
        rows, marks, skipped = tab_rows(lines, head_at)
        cut = _cut_last_row(lines, rows, marks, text)
    s_rows: list[Row] = []
    if _fused_rows(lines[head_at:]):
        from .collapsed import import_collapsed  # one row per line, its cells run together
        try:
            return import_collapsed(text, path=path)
        except NoIndicatorTable:
            pass
    if len(rows) < 3:
        # rows lost in extraction (a cell per line, or all on one line): read cells
        start = next((i for i, ln in enumerate(lines) if "一级指标" in ln.replace(" ", "")), head_at)
        s_rows, s_marks, s_skipped, s_cut = stream.stream_rows(lines, start)
        if len(s_rows) >= 2 * len(rows) + 2 or (s_rows and not rows and _celled(lines, start)) or (
                s_cut and len(s_rows) > len(rows)):
            header_cells, rows, marks, skipped = columns.header_cells(lines, start), s_rows, s_marks, s_skipped
            model, cut = AT_TOP, s_cut
    if not rows:
        from .collapsed import import_collapsed  # whitespace lost: one run of text (builds on this module)
        try:
            return import_collapsed(text, path=path)
        except NoIndicatorTable:
            if len(lines) < 3 or not s_rows:
                raise
            # a short table (one complete row) the collapsed reader does not see
            header_cells, rows, marks, skipped = columns.header_cells(lines, start), s_rows, s_marks, s_skipped
            model, cut = AT_TOP, s_cut
    header = parse_header(header_cells)
    sheet = sheet_from_rows(header, rows, marks, "核心职能" in text, model)
    for line_no, content in skipped:
        sheet.diagnostics.append(row_skipped(
            f"line:{line_no + 1}", f"第{line_no + 1}行", content,
            "不像完整的指标行 (缺少指标名称或指标值)", "检查原表此行是否被截断或跨页"))
    at_label = _cut_after_rows(lines, max(r.line for r in rows)) if cut is None and rows else None
    if at_label is not None:
        sheet.diagnostics.append(table_incomplete(f"line:{at_label[0] + 1}", f"第{at_label[0] + 1}行", at_label[1], True))
    if cut is not None:
        sheet.diagnostics.append(table_incomplete(f"line:{cut[0] + 1}", f"第{cut[0] + 1}行", cut[1]))
    return sheet


def _cut_last_row(lines: list[str], rows: list[Row], marks: list[Mark], text: str) -> tuple[int, str] | None:
    """Where a tab table's text stops inside its last row, which is then dropped: the row
    is the last thing in the text and its value is missing, a bare operator (≥), or a
    number running into the text's end without a line break (``≥9`` of ``≥95%``).
    Drops the row and the labels opening it from ``rows`` and ``marks``."""
    if not rows:
        return None
    last = rows[-1]
    if any(ln.strip() for ln in lines[last.line + 1:]):
        return None
    value = (last.value or "").strip()
    if value and not stream.is_operator(value) and not (value[-1].isdigit() and not text.endswith("\n")):
        return None
    rows.pop()
    marks[:] = [m for m in marks if m.pos < len(rows)]
    return last.line, last.name


_CLOSING = re.compile(r"合计|总分|总计|评价结论|存在问题|改进措施|注\s*[:：]|说明|填报|审核|盖章|签字|签章|负责人|附件|联系"
                      r"|其他需|意见|日期|单位:|备注")
_TAIL_SPLIT = re.compile(r"\s*\|\s*|\t+|\s{2,}")
_LABEL_HEADS = ("产出指标", "效益指标", "满意度指标", "成本指标", "数量指标", "质量指标", "时效指标", "经济效益指标",
                "社会效益指标", "生态效益指标", "可持续影响指标", "服务对象满意度指标", "经济成本指标", "社会成本指标",
                "生态环境成本指标")


def _cut_after_rows(lines: list[str], last: int) -> tuple[int, str] | None:
    """Where the text stops inside the table after its last row: it ends with labels
    opening blocks that never come (产出指标 | 数量指), a label cut short or a score
    band, and nothing after the last row closes the table (合计, 评价结论, a signature …)."""
    end = len(lines)
    while end > last + 1 and not lines[end - 1].strip():
        end -= 1
    if end - last > 40 or end <= last + 1 or not _label_like(_TAIL_SPLIT.split(lines[end - 1].strip())[-1], False):
        return None  # the text ends in something else than a label, or a long tail: the rest of a document
    if _CLOSING.search("\n".join(lines[last + 1:end])):
        return None
    tail = [(no, c) for no in range(last + 1, len(lines)) for c in _TAIL_SPLIT.split(lines[no].strip()) if c.strip()]
    if not tail:
        return None
    labels = 0
    for _, c in reversed(tail):
        if not _label_like(c):
            break
        labels += 1
    return tail[-1] if labels else None


def _label_like(cell: str, bare: bool = True) -> bool:
    """A label, a label cut short (数量指, 效) or a score band; ``bare``: also a bare
    ordinal or number ((二)、) left of a label."""
    squeezed = "".join(cell.split()).strip("()（）、.:：0123456789一二三四五六七八九十")
    if not squeezed:
        return bare
    return as_label(squeezed) is not None or any(h.startswith(squeezed) for h in _LABEL_HEADS) \
        or stream.is_score_band(cell)


_SECTION = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.]|\d+\s*[.、]\D|第[一二三四五六七八九十\d]+部分)")
_LABEL_LINE = re.compile(r"^[\s|]*([^\s|]{2,16}?指标)[\s|]*$")


def _headless(lines: list[str], path: str | None) -> Sheet:
    """A table printed without its heading row (an excerpt that starts mid-table).
    Rows of separated cells (tabs, ``|``, runs of spaces) with labels in their cells
    are read as tab rows, cells told by content; else, when at least three lines hold
    a 二级 label of their own, cell by cell (``stream``) as 一级 | 二级 | 三级 | 指标值;
    else prose targets; else the collapsed reader."""
    tabs, pipes = sum("\t" in ln for ln in lines), sum("|" in ln for ln in lines)
    cells = lines
    if tabs < 3 and pipes < 3:  # space-aligned (pdftotext -layout): cells at runs of spaces
        cells = [_CUT.sub("\t", ln.strip()) for ln in lines]
    elif pipes > tabs:  # pipe rows read as tab rows: cells are told by what they hold
        cells = ["\t".join(c.strip() for c in ln.split("|")) for ln in lines]
    tabbed = [i for i, ln in enumerate(cells) if "\t" in ln and any(
        0 < len(c) <= 16 and as_label(c) is not None for c in map(str.strip, ln.split("\t")))]
    # a short excerpt (the tail of a table: its last 一级 block) may hold two label
    # lines only; then three rows of separated cells ending in a value say it is a
    # table too
    valued = sum(1 for ln in cells if "\t" in ln and looks_like_value(
        next((c.strip() for c in reversed(ln.split("\t")) if c.strip()), "")))
    if len(tabbed) >= 3 or (len(tabbed) == 2 and valued >= 3):  # separated cells, no heading row in the text
        first = tabbed[0]
        rows, marks, skipped = tab_rows(cells, first - 1)
        if len(rows) >= 2:
            sheet = sheet_from_rows(parse_header([_cells(ln) for ln in cells[:first]]), rows, marks,
                                    "核心职能" in "".join(lines[:first]), WANDERING)
            sheet.diagnostics.insert(0, _headless_note(first, "按各单元格的内容"))
            for line_no, content in skipped:
                sheet.diagnostics.append(row_skipped(
                    f"line:{line_no + 1}", f"第{line_no + 1}行", content,
                    "不像完整的指标行 (缺少指标名称或指标值)", "检查原表此行是否被截断或跨页"))
            at_label = _cut_after_rows(lines, max(r.line for r in rows))
            if at_label is not None:
                sheet.diagnostics.append(table_incomplete(
                    f"line:{at_label[0] + 1}", f"第{at_label[0] + 1}行", at_label[1], True))
            return sheet
    at = [i for i, ln in enumerate(lines) if (m := _LABEL_LINE.match(ln)) and (lab := as_label(m[1]))
          and lab.level == 2]
    if len(at) < 3:
        got = prose_rows(lines)
        if got is not None:  # targets written as sentences (数量指标: 完成…1000亩, …)
            rows, marks, first = got
            sheet = sheet_from_rows(parse_header([_cells(ln) for ln in lines[:first]]), rows, marks, False, AT_TOP)
            sheet.diagnostics.insert(0, Diagnostic(
                "IMPORT_PROSE_TARGETS", "warning", f"line:{first + 1}",
                f"原文没有指标表, 绩效指标写在文字中 (第{first + 1}行起); "
                f"已按“二级指标: 指标名称+指标值, …”逐句读取 {len(rows)} 个指标",
                "请逐条核对指标名称与指标值的切分"))
            at_label = _cut_after_rows(lines, max(r.line for r in rows))
            if at_label is not None:
                sheet.diagnostics.append(table_incomplete(
                    f"line:{at_label[0] + 1}", f"第{at_label[0] + 1}行", at_label[1], True))
            return sheet
        from .collapsed import import_collapsed  # a heading run under other names (指标名称 | 目标值 …)
        return import_collapsed("\n".join(lines), path=path)
    start = max(at[0] - 1, 0) if _LABEL_LINE.match(lines[max(at[0] - 1, 0)]) else at[0]
    # the table ends before the report's next section or its prose
    end = next((i for i in range(at[-1] + 1, len(lines)) if _SECTION.match(lines[i]) or len(lines[i]) > 80),
               len(lines))
    rows, marks, cut = stream.headless_rows(lines[:end], start)
    if len(rows) < 2:
        raise NoIndicatorTable(path)
    sheet = sheet_from_rows(parse_header(columns.header_cells(lines, start)), rows, marks, False, AT_TOP)
    sheet.diagnostics.insert(0, _headless_note(start, "按“一级指标 | 二级指标 | 三级指标 | 指标值 (| 实际完成值)”的列序"))
    if cut is not None:
        sheet.diagnostics.append(table_incomplete(f"line:{cut[0] + 1}", f"第{cut[0] + 1}行", cut[1]))
    return sheet


def _headless_note(line: int, how: str) -> Diagnostic:
    return Diagnostic(
        "IMPORT_TABLE_HEADLESS", "warning", f"line:{line + 1}",
        f"指标表没有表头行 (原文从表格中间开始, 第{line + 1}行), 已{how}读取",
        "请核对各指标的名称与指标值是否对应正确")


def _celled(lines: list[str], start: int) -> bool:
    """The table's text keeps its cell separators (``|`` on most lines): it is no
    collapsed run, so what the cell reader finds is what there is."""
    body = [ln for ln in lines[start:start + 40] if ln.strip()]
    return len(body) >= 3 and sum("|" in ln for ln in body) >= 0.8 * len(body)


def _find_table(lines: list[str]) -> int | None:
    for i, ln in enumerate(lines):
        if _TABLE_HEAD.search(ln):
            return i
    return None


def _cells(line: str) -> list[str]:
    # Long cells (an overview, the goals) keep their inner spacing: header.paragraphs
    # normalises them once, later.
    parts = line.split("\t") if "\t" in line else _CUT.split(line)
    return [c for c in (x.strip() for x in parts) if c]


def tab_rows(lines: list[str], head_at: int) -> tuple[list[Row], list[Mark], list[tuple[int, str]]]:
    """Rows and marks of a tab-separated table; cells are recognised by content."""
    rows: list[Row] = []
    marks: list[Mark] = []
    skipped: list[tuple[int, str]] = []
    short_of, function_of = as_short_cell, as_function  # hot loop
    for ln_no in range(head_at + 1, len(lines)):
        line = lines[ln_no]
        texts: list[str] = []
        line_marks: list[Label | FunctionLabel] = []
        number = None
        cells: Iterable[str] = filter(None, map(str.strip, line.split("\t")))  # in C: most cells are empty
        if "  " in line or "\u3000" in line:
            cells = map(clean, cells)
        for cell in cells:
            # labels and numbers are short; a long cell is a 职能 label with its description or text
            hit = short_of(cell) if len(cell) <= 16 else function_of(cell) if cell[0] in "职核" else None
            if hit is None:
                texts.append(cell)
            elif not isinstance(hit, int):
                line_marks.append(hit)
            elif number is None:
                number = hit
            else:
                texts.append(cell)  # a second number on the line is read as text
        if not texts and not line_marks:
            continue
        if texts and not line_marks and number is None and (
                _TABLE_HEAD.search(line) or (len(texts[0]) <= 8 and all(map(_heading_cell, texts)))):
            continue  # a repeated column header (核心职能 | 年度绩效指标 over 一级指标 | …)
        if len(texts) >= 3:
            line_marks.append(FunctionLabel(None, texts[0], texts[0]))
        if len(texts) >= 2:
            rows.append(Row(clean_name(texts[-2]), texts[-1], number, ln_no))
            pos = float(len(rows) - 1)
        elif len(texts) == 1 and number is not None:
            rows.append(Row(clean_name(texts[0]), None, number, ln_no))
            pos = float(len(rows) - 1)
        else:
            if texts and not line_marks and not _NOTE.match(texts[0]):
                skipped.append((ln_no, texts[0]))
            pos = len(rows) - 0.5
        for lab in line_marks:
            marks.append(Mark(pos, lab, ln_no))
    return rows, marks, skipped


_HEADING_CELLS = frozenset(("核心职能", "年度绩效指标", "绩效指标", "年度绩效目标", "部门职能", "职能", "指标", "绩效目标"))


def _heading_cell(cell: str) -> bool:
    return cell in _HEADING_CELLS or (len(cell) <= 10 and stream.role_of(cell) is not None)

