"""Structure recovery from extracted text: tab-separated (as copied from a PDF
viewer, like the seed), space-aligned (``pdftotext -layout``, ``layout.py``) or a
stream of cells whose rows were lost (``stream.py``).

``import_text`` finds the header fields and the indicator table, turns table lines
into format-neutral rows and marks (``structure.Row``/``Mark``), lets
``structure.solve`` rebuild the tree and reports every inference as a diagnostic;
``sheet_from_rows`` is the end every reader shares, text or table formats.
See docs/structure.md.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable

from ..errors import NoIndicatorTable
from ..model.indicator import Category
from ..model.sheet import Diagnostic, Function, Indicator, Sheet
from ..model.target import parse_target
from . import layout, stream
from .cells import FunctionLabel, Label, as_function, as_label, as_short_cell, clean, clean_name, looks_like_value
from .evidence import AT_TOP, WANDERING, LabelModel
from .header import parse_header
from .operators import repair as repair_operator
from .prose import prose_rows
from .structure import Mark, Row, assign_function_labels, solve
from .tidy import tidy

_TABLE_HEAD = re.compile(r"三级\s*指标|二级\s*指标")
_NOTE = re.compile(r"^(?:注|备注|说明|填报人|审核人|联系电话|填报日期|附件)\s*[:：\d]")
_CUT = re.compile(r"\t| {2,}|\u3000+")


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
    name and one value (``grid.Table``, cells by tab position), else None."""
    from .grid import Table, role_of

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
        from .grid import sheet_from_blocks  # (builds on this module)
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
            header_cells, rows, marks, skipped = stream.header_cells(lines, start), s_rows, s_marks, s_skipped
            model, cut = AT_TOP, s_cut
    if not rows:
        from .collapsed import import_collapsed  # whitespace lost: one run of text (builds on this module)
        try:
            return import_collapsed(text, path=path)
        except NoIndicatorTable:
            if len(lines) < 3 or not s_rows:
                raise
            # a short table (one complete row) the collapsed reader does not see
            header_cells, rows, marks, skipped = stream.header_cells(lines, start), s_rows, s_marks, s_skipped
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
    sheet = sheet_from_rows(parse_header(stream.header_cells(lines, start)), rows, marks, False, AT_TOP)
    sheet.diagnostics.insert(0, _headless_note(start, "按“一级指标 | 二级指标 | 三级指标 | 指标值 (| 实际完成值)”的列序"))
    if cut is not None:
        sheet.diagnostics.append(table_incomplete(f"line:{cut[0] + 1}", f"第{cut[0] + 1}行", cut[1]))
    return sheet


def _headless_note(line: int, how: str) -> Diagnostic:
    return Diagnostic(
        "IMPORT_TABLE_HEADLESS", "warning", f"line:{line + 1}",
        f"指标表没有表头行 (原文从表格中间开始, 第{line + 1}行), 已{how}读取",
        "请核对各指标的名称与指标值是否对应正确")


def table_incomplete(where: str, place: str, content: str, label: bool = False) -> Diagnostic:
    """The diagnostic for a table the text stops in: its last row is cut off, or
    (``label``) it ends with a label whose rows never come."""
    what = ("之后再无指标行, 表格缺少后续部分" if label else
            "一行不完整(指标值或其后的单元格缺失), 该行未导入为指标或只导入了完整的部分; 表格可能还有后续指标")
    return Diagnostic("IMPORT_TABLE_INCOMPLETE", "warning", where,
                      f"原文在表格中途截断: {place}“{content[:40]}”{what}",
                      "请取得完整的原表 (如原始 Excel/Word 文件或完整的网页) 后重新导入")


def _celled(lines: list[str], start: int) -> bool:
    """The table's text keeps its cell separators (``|`` on most lines): it is no
    collapsed run, so what the cell reader finds is what there is."""
    body = [ln for ln in lines[start:start + 40] if ln.strip()]
    return len(body) >= 3 and sum("|" in ln for ln in body) >= 0.8 * len(body)


def row_skipped(where: str, place: str, content: str, problem: str, check: str) -> Diagnostic:
    """The diagnostic for a table line that was not read as an indicator."""
    return Diagnostic("IMPORT_ROW_SKIPPED", "warning", where,
                      f"{place}“{content[:40]}”{problem}, 未导入", f"{check}; 如是指标, 请补全后重新导入")


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


def sheet_from_rows(header, rows: list[Row], marks: list[Mark], grouped: bool,
                    model: LabelModel = WANDERING) -> Sheet:
    """The Sheet (with diagnostics) from a reader's rows and marks and the header
    fields above the table; ``grouped``: the document has a 核心职能 column.
    Every reader, of text or of tables, ends here."""
    title = header.title or ""
    has_functions = grouped or any(isinstance(m.label, FunctionLabel) for m in marks)
    kind = "department" if ("部门整体" in title or "整体支出" in title or has_functions
                            or (header.unit_name and not header.project)) else "project"
    sheet = Sheet(kind=kind, stage=_stage(title), title=header.title, year=header.year,
                  unit=header.unit, supervisor=header.supervisor, project=header.project,
                  overview=header.overview(), goals=header.goals())
    repairs: list[tuple[int, str, str, str]] = []  # (row, kind, value as written, operator written)
    for i, r in enumerate(rows):
        if r.value:
            x = r.extras or {}
            value, how, op = repair_operator(r.value, r.name, x.get("actual"),
                                             bool(x.get("score")) and x.get("score") == x.get("weight") != "0")
            if how is not None:
                repairs.append((i, how, r.value, op or ""))
                r.value = value
    sol = solve(rows, marks, model)
    indicators = [_indicator(r) for r in rows]
    category_of: list[Category | None] = [None] * len(rows)
    for g in sol.groups:
        for i in range(g.start, g.end):
            category_of[i] = g.category
    own = _own_categories(rows, marks)
    for i, cat in own.items():
        category_of[i] = cat
    for ind, got in zip(indicators, category_of):
        if got is not None:  # the solver's groups cover every row
            ind.level1, ind.level2 = got.level1, got.level2
    if has_functions and kind == "department":
        skip = sol.first_function  # the text starts at function skip + 1 (the ones before are absent)
        labels = assign_function_labels(sol.functions, marks, skip)
        for fi, ((a, b), lab) in enumerate(zip(sol.functions, labels)):
            sheet.functions.append(Function(
                label=f"职能{lab.number if lab and lab.number else fi + 1 + skip}",
                description=lab.description if lab else None,
                indicators=indicators[a:b]))
            if lab is None:
                sheet.diagnostics.append(Diagnostic(
                    "STRUCT_FUNCTION_LABEL_LOST", "warning", f"functions[{fi}]",
                    f"第{fi + 1}个核心职能的标签和职能描述在原文中缺失, 按位置推断为“职能{fi + 1 + skip}”, 描述留空",
                    "请对照原表补填该职能的描述"))
        starts = [a for a, _ in sol.functions]

        def where(i: int) -> str:
            fi = bisect_right(starts, i) - 1
            return f"functions[{fi}].indicators[{i - starts[fi]}]"
    else:
        sheet.indicators = indicators

        def where(i: int) -> str:
            return f"indicators[{i}]"
    _group_diagnostics(sheet, sol, where, rows, own)
    _operator_diagnostics(sheet, repairs, where, rows)
    return sheet


def _operator_diagnostics(sheet: Sheet, repairs, where, rows: list[Row]) -> None:
    """A warning per guessed operator, one note for the glyphs repaired."""
    read = [(i, written, op) for i, how, written, op in repairs if how != "guess"]
    for i, how, written, op in repairs:
        if how == "guess":
            sheet.diagnostics.append(Diagnostic(
                "IMPORT_OPERATOR_REPAIRED", "warning", where(i),
                f"“{rows[i].name}”的指标值原文为“{written}”, 其中“{op}”按识别错误的运算符读作"
                f"“{rows[i].value}”", "请对照原表核对该指标值", {"original": written}))
    if read:
        ops = sorted({op for _, _, op in read})
        sheet.diagnostics.append(Diagnostic(
            "IMPORT_OPERATOR_NORMALISED", "info", where(read[0][0]),
            f"{len(read)} 个指标值的运算符写法不标准 ({'、'.join(ops)}), 已改写为 ≥ / ≤ / =",
            "原文写法见本条诊断的 extra.original", {"original": {where(i): written for i, written, _ in read}}))


def _stage(title: str) -> str:
    if "自评" in title or "评价" in title:
        return "self_evaluation"
    if "监控" in title:
        return "monitoring"
    if "批复" in title:
        return "approval"
    return "declaration"


#: Row cells a 自评表 or 执行监控表 adds, and the ``Indicator.extra`` key each is kept
#: under (``render.view``'s optional columns): the review's score (a number), the
#: expected full-year value, the causes of a deviation, the likelihood, a note.
EXTRA_KEYS = {"reviewed": "reviewed_score", "expected": "expected", "causes": "causes", "likelihood": "likelihood",
              "note": "note"}


def _indicator(r: Row) -> Indicator:
    ind = Indicator(None, None, r.name, parse_target(r.value) if r.value else None)
    if r.extras:
        actual = r.extras.get("actual")
        ind.actual = parse_target(actual) if actual else None
        ind.weight = _number(r.extras.get("weight"))
        ind.score = _number(r.extras.get("score"))
        ind.explanation = r.extras.get("explanation") or None  # 指标解释 / 描述, graded standards, 依据
        ind.criteria = r.extras.get("criteria") or None
        ind.basis = r.extras.get("basis") or None
        if by_column := r.extras.get("by_column"):
            ind.extra["by_column"] = dict(by_column)
        for role, key in EXTRA_KEYS.items():
            if not (text := r.extras.get(role)):
                continue
            if role != "reviewed":
                ind.extra[key] = text
            elif (number := _number(text)) is not None:
                ind.extra[key] = number
    return ind


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


def _own_categories(rows: list[Row], marks: list[Mark]) -> dict[int, Category]:
    """{row: its 一级/二级} when (nearly) every row prints both labels on its own line
    (an unmerged table, its rows in any order, hybrid pairs such as 产出指标/经济成本指标
    as printed): there is nothing to infer, the solver's order does not apply."""
    if not rows or len(marks) < 1.6 * len(rows):  # two labels a row: most tables print far fewer
        return {}
    l1: dict[int, str] = {}
    l2: dict[int, str] = {}
    for m in marks:
        if isinstance(m.label, Label) and m.pos == int(m.pos) and m.pos < len(rows):
            (l1 if m.label.level == 1 else l2)[int(m.pos)] = m.label.name
    own = {i: Category(l1[i], l2[i]) for i in l1.keys() & l2.keys()}
    return own if len(own) == len(rows) or (len(rows) >= 5 and len(own) >= 0.8 * len(rows)) else {}


def _group_diagnostics(sheet: Sheet, sol, where, rows: list[Row], own: dict[int, Category]) -> None:
    for g in sol.groups:
        if g.labelled or all(i in own for i in range(g.start, g.end)):
            continue
        first, last = rows[g.start].name, rows[g.end - 1].name
        span = f"“{first}”" if g.end - g.start == 1 else f"“{first}”至“{last}”"
        sheet.diagnostics.append(Diagnostic(
            "STRUCT_LEVEL2_INFERRED", "info", where(g.start),
            f"{span}一组指标在原文中没有可对应的二级指标标签, 按顺序与指标内容推断为“{g.category.level1}/{g.category.level2}”",
            "请核对该组指标的一级、二级指标归属"))
