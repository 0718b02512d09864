"""The format-neutral core of the table importers (xlsx, xls, docx, html).

A reader turns its document into *blocks* in reading order: paragraphs (``str``)
and tables (``Table``: a 2D grid of cell strings after merged cells are resolved —
the value in the top-left cell of a span and ``SPAN`` (None) in the rest; ``""``
is an empty cell). ``sheet_from_blocks`` then

* finds the indicator table: the first table with a header row holding
  三级指标/指标名称, in any column order, with a second header row above it when
  年度绩效指标 spans the columns; maps its columns to roles (``columns.HEADING_ROLES``);
* joins the tables that continue it (the same header repeated, or no header and
  the same width);
* reads the header fields from the paragraphs and the cells above the header row
  (label cell -> value cell to its right, ``header.parse_header``);
* turns data rows into ``structure.Row`` (target joined from 指标性质 + 指标值 +
  度量单位 when split; 完成值/权重/得分/指标解释/评分标准 into ``extras``) and merged 核心职能/一级/二级
  cells into ``structure.Mark`` on the first row of their span (a value repeated
  down the column counts once), and builds the sheet with
  ``sheet.sheet_from_rows`` and the ``MERGED`` label model (``evidence.AT_TOP``, stricter).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ...errors import NoIndicatorTable
from ...model.sheet import Diagnostic, Sheet
from ...model.target import parse_target
from .cells import (
    NUMBER_PREFIX,
    FunctionLabel,
    Label,
    as_function,
    as_number,
    clean,
    clean_name,
    wrap_space,
)
from .columns import (
    CAUSE_CELL,
    HEADING_ROLES,
    LIKELIHOOD_CELL,
    PLACE_HEADING,
    TABLE_END,
    TEXT_COLUMN_WORDS,
    cell_label,
    header_cells,
    specific_role,
)
from .evidence import LabelModel
from .header import parse_header
from .sheet import row_skipped, sheet_from_rows
from .structure import Mark, Row

SPAN = None
_DIGIT = re.compile(r"\d")
_BARE_NUMBER = re.compile(r"^(\d{1,3})\u2063")
_OP_CHARS = frozenset("=＝﹦≥≤≧≦⩾⩽><＞＜")
#: ``evidence.AT_TOP`` but stricter: a merged cell's text is on the first row of its
#: span, never elsewhere (AT_TOP leaves 10% for "any row", which let misleading
#: name cues pull a 效益 block's tail under the 满意度 label below it).
MERGED = LabelModel(inside=0.95, displaced=0.02, missing=0.03, top=0.99, middle=0.0, bottom=0.0,
                    cue_weight=1.0)
#: MERGED where every indicator row's 二级 cell holds a label or is covered by the
#: merged label above it: the table then says where each group ends, so no group
#: goes without its label (names that read like another 二级 cannot cut a merged
#: cell in two, as three 知晓率 rows under a 6-row 经济效益指标 cell once did).
LABELLED = LabelModel(inside=0.95, displaced=0.05 - 1e-6, missing=1e-6, top=0.99, middle=0.0, bottom=0.0,
                      cue_weight=1.0)

_EXTRA_ROLES = {"核心职能": "function", "职能": "function", "指标性质": "op", "性质": "op",
                "值": "target", "单位": "unit", "年度指标值": "target"}
_PARENS = re.compile(r"[(（][^()（）]*[)）]")
_SQUEEZE = re.compile(r"[\s\u3000*＊★]+")
_NAME_HEADS = ("三级指标", "指标名称")
_PARAGRAPH_ROLES = frozenset(("explanation", "criteria", "note"))  # cells whose line breaks are kept
#: Cells of an indicator row beside its name and target (``Row.extras``; the
#: monitoring and review ones go to ``Indicator.extra``, ``sheet.EXTRA_KEYS``).
_EXTRAS = ("actual", "weight", "score", "explanation", "criteria", "reviewed", "expected", "causes", "likelihood",
           "note")


@dataclass(slots=True)
class Table:
    cells: list[list[str | None]]
    hidden: frozenset[int] = frozenset()  # row indexes hidden in the source (skipped)
    where: str = ""                       # "工作表“Sheet1”", "第2个表格": for messages


@dataclass(slots=True)
class _Found:
    table: Table
    head: int              # the row holding 三级指标
    roles: list[str | None]
    data: list[list[str | None]] = field(default_factory=list)
    continued: set[int] = field(default_factory=set)  # data rows that open a continuation table
    carried: list[str] = field(default_factory=list)  # tables whose first row ends the page before's


_YEARS = re.compile(r"\d{4}\s*(?:[-—~至]\s*\d{4})?\s*年?度?")


def role_of(text: str | None) -> str | None:
    """The role of a column header cell, or None when it is no column header."""
    if not text:
        return None
    word = _SQUEEZE.sub("", text)
    bare = _PARENS.sub("", word) or word
    for w in (word, bare):
        if w in HEADING_ROLES:
            return HEADING_ROLES[w]
        if w in _EXTRA_ROLES:
            return _EXTRA_ROLES[w]
    specific = specific_role(bare)
    if specific is not None:
        return specific
    bare = _YEARS.sub("", bare) or bare  # 2024-2026年目标值: the years say which, not what
    if len(bare) > 12:
        return None
    if "解释" in bare or bare == "指标内容":
        return "explanation"
    if "标准" in bare:
        return "criteria"
    if any(w in bare for w in TEXT_COLUMN_WORDS) or "类型" in bare:
        return "text"
    for key, role in (("三级", "name"), ("二级", "level2"), ("一级", "level1"), ("职能", "function"),
                      ("性质", "op"), ("完成", "actual"), ("实际", "actual"), ("权重", "weight"),
                      ("分值", "weight"), ("得分", "score"), ("指标值", "target"), ("目标值", "target"),
                      ("年度目标", "target"), ("期目标", "target"),
                      ("单位", "unit")):
        if key in bare:
            return role
    return None


def refine_roles(roles: list[str | None], data: list[list[str | None]]) -> list[str | None]:
    """The heading's roles checked against what the cells hold: a column headed as
    causes whose cells are prose is a text column; a column of likelihood words
    (确定能/有可能/完全不可能) is the likelihood whatever its heading says, when it
    is no label column; one of cause words (经费/制度/人员/硬件/其他) under a heading
    that gave no role is the causes."""
    out = list(roles)
    for c, role in enumerate(roles):
        if role in ("function", "level1", "level2", "name", "likelihood", "weight", "score", "reviewed"):
            continue
        cells = [v for row in data[:400] if c < len(row) and (v := clean(row[c] or ""))]
        if not cells:
            continue
        if role == "causes":
            if not all(CAUSE_CELL.match(v) for v in cells):
                out[c] = "text"
        elif len(cells) >= 2 and all(LIKELIHOOD_CELL.match(v) for v in cells) and role != "target":
            out[c] = "likelihood"
        elif role in (None, "text") and len(cells) >= 2 and all(CAUSE_CELL.match(v) and v != "无" for v in cells):
            out[c] = "causes"
    return out


def find_header_row(cells: list[list[str | None]]) -> int | None:
    for r, row in enumerate(cells[:200]):
        if any(c and _SQUEEZE.sub("", _PARENS.sub("", c)) in _NAME_HEADS for c in row):
            roles = [role_of(c) for c in row]
            if "target" in roles or "name" in roles:
                return r
    return None


def _roles(cells: list[list[str | None]], head: int) -> list[str | None]:
    """Roles of the columns; a column whose header cell is spanned or empty takes
    the role of the header cell above it (核心职能 merged down two header rows)."""
    roles: list[str | None] = []
    for c, text in enumerate(cells[head]):
        role = role_of(text)
        if role is None and not text:
            for up in range(head - 1, max(head - 3, -1), -1):
                above = cells[up][c] if c < len(cells[up]) else None
                if above:
                    role = role_of(above)
                    break
        if role is None and text is SPAN and roles:
            role = roles[-1]  # a heading spanning columns: 三级指标 over 指标1: | name
        roles.append(role)
    return roles


def _is_header(row: list[str | None]) -> bool:
    return any(c and _SQUEEZE.sub("", _PARENS.sub("", c)) in _NAME_HEADS for c in row)


def _cells_of(row: list[str | None]) -> list[str]:
    return [c.strip() for c in row if c and c.strip()]


def find_tables(blocks: Sequence[str | Table]) -> tuple[list[list[str]], _Found | None]:
    """Header lines (cells of the lines above the table) and the indicator table,
    its continuations joined."""
    above: list[list[str]] = []
    found: _Found | None = None
    after_table = False  # the block before was a table: a row broken at a page end goes on
    for block in blocks:
        if isinstance(block, str):
            after_table = False
            if found is None:
                above.extend(header_cells([block], 1))
            elif TABLE_END.match(block.strip()):
                break  # a note or the signatures: the table is over
            continue
        if found is None:
            head = find_header_row(block.cells)
            if head is None:
                lines = [_cells_of(row) for i, row in enumerate(block.cells) if i not in block.hidden]
                if after_table and above and lines and _rest_of_row(block.cells[0]):
                    end = above[-1][-1]
                    above[-1][-1] = end + wrap_space(end, lines[0][0]) + " ".join(lines.pop(0))
                above.extend(lines)
                after_table = True
                continue
            found = _Found(block, head, _roles(block.cells, head))
            above.extend(_cells_of(row) for i, row in enumerate(block.cells[:head])
                         if i not in block.hidden and not _opens_table(row))
            found.data.extend(r for i, r in enumerate(block.cells[head + 1:], head + 1) if i not in block.hidden)
            continue
        head = find_header_row(block.cells)
        if head is not None and _roles(block.cells, head) == found.roles:
            start = head + 1
        elif head is None and block.cells and len(block.cells[0]) == len(found.roles):
            start = 0
        else:
            break
        rows = [r for i, r in enumerate(block.cells[start:], start) if i not in block.hidden]
        if rows and found.data and _carry_over(found.data, rows, found.roles):
            found.carried.append(block.where)
        found.continued.add(len(found.data))
        found.data.extend(rows)
    if found is not None:
        found.roles = refine_roles(found.roles, found.data)
    return above, found


def _carry_over(data: list[list[str | None]], rows: list[list[str | None]], roles: list[str | None]) -> bool:
    """Word and WPS let a row break across pages and flow a tall merged cell's text
    onto the next: a continued table's first row that holds text but no 指标值 is
    the end of the last row before (it is taken into it and dropped), and a 核心职能
    text there that is no 职能N label while the one in force is, is the rest of that
    label. Returns whether anything was carried."""
    first = rows[0]
    targets = [c for c, r in enumerate(roles) if r == "target" and c < len(first)]
    texts = {c: v for c, v in enumerate(first) if v and v.strip()}  # column -> its text
    # a label row (产出指标(50分)), a 职能N or a total (合计) opens a page as rows of their own
    rest = texts and not any(cell_label(v) or as_function(v) or TABLE_END.match(v.strip()) for v in texts.values())
    if targets and rest and not any((first[c] or "").strip() for c in targets):
        for c, v in texts.items():
            if (anchor := _anchor(data, c)) is not None:
                _append(data, anchor, c, v)
        del rows[0]
        return True
    carried = False
    for c in (c for c, r in enumerate(roles) if r == "function" and c in texts):
        anchor = _anchor(data, c)
        if anchor is not None and (label := as_function(data[anchor][c] or "")) is not None \
                and label.number is not None and as_function(texts[c]) is None:
            _append(data, anchor, c, texts[c])
            rows[0] = first = list(first)  # the block's own rows stay as read
            first[c] = SPAN
            carried = True
    return carried


def _anchor(data: list[list[str | None]], c: int) -> int | None:
    """The last row with text of its own in column ``c`` (a merged cell's top)."""
    return next((r for r in range(len(data) - 1, -1, -1) if c < len(data[r]) and data[r][c]), None)


def _append(data: list[list[str | None]], r: int, c: int, text: str) -> None:
    """``text`` added to the cell at row ``r``, column ``c``, as a wrapped line."""
    cell = data[r][c]
    assert cell is not None, "an anchor's cell has text"
    before, text = cell.rstrip(), text.strip()
    data[r] = list(data[r])  # a copy: the block's own rows stay as read
    data[r][c] = before + wrap_space(before, text) + text


def _rest_of_row(row: list[str | None]) -> bool:
    """A header row's rest on a new page: its label cell empty, its value not."""
    return len(row) >= 2 and not (row[0] or "").strip() and any(c and c.strip() for c in row[1:])


def _opens_table(row: list[str | None]) -> bool:
    return any(c and _SQUEEZE.sub("", c) in ("核心职能", "年度绩效指标", "绩效指标") for c in row)


def _joined(cells: list[str | None], cols: list[int], role: str) -> str | None:
    """The text of a role's columns (one, or several under one spanning heading)."""
    tidy = _clean_lines if role in _PARAGRAPH_ROLES else clean
    parts = [tidy(v) for i in cols if i < len(cells) and (v := cells[i])]
    if role == "name" and len(parts) > 1:
        n = int(parts[0]) if parts[0].isdigit() and len(parts[0]) <= 3 else as_number(parts[0])
        if n is not None:
            parts[0] = f"{n}\u2063"  # a number cell before the name: kept apart
    return "".join(parts) or None


def _clean_lines(text: str) -> str:
    """A free-text cell (指标解释, 评分标准) with its line breaks kept."""
    return "\n".join(ln for ln in (clean(x) for x in text.split("\n")) if ln)


def rows_and_marks(found: _Found) -> tuple[list[Row], list[Mark], list[tuple[int, str]]]:
    roles = found.roles
    col: dict[str, list[int]] = {}
    for i, r in enumerate(roles):
        if r:
            col.setdefault(r, []).append(i)
    sets = _column_sets(found, col)
    if sets and "target" in col:
        col["target"] = [sets[annual_column([h for h, _ in sets])][1]]
    rows: list[Row] = []
    marks: list[Mark] = []
    skipped: list[tuple[int, str]] = []
    last: dict[str, str] = {}  # label columns: the value in force (merged or repeated)
    for line, cells in enumerate(found.data, found.head + 1):
        values = {role: v for role, cols in col.items() if (v := _joined(cells, cols, role))}
        get = values.get
        if _is_header(cells):
            continue  # the column header repeated on a new page
        first = next((clean(c) for c in cells if c and c.strip()), "")
        if first and TABLE_END.match(first) and not get("name"):
            break
        for role in ("function", "level1", "level2"):
            lab: Label | FunctionLabel | None
            text = get(role)
            if not text or last.get(role) == text:
                continue
            last[role] = text
            if role == "function":
                last.pop("level1", None)
                last.pop("level2", None)
                lab = as_function(text) or FunctionLabel(None, text, text)
            else:
                if role == "level1":
                    last.pop("level2", None)
                lab = cell_label(text)
            if lab is not None:
                marks.append(Mark(float(len(rows)), lab, line))
        name = get("name")
        if not name:
            continue
        extras: dict[str, object] = {k: v for k in _EXTRAS if (v := get(k))}
        if sets:
            by_column = {h: v for h, i in sets if i < len(cells) and (v := clean(cells[i] or ""))}
            if by_column:
                extras["by_column"] = by_column
            if "target" not in col and by_column:  # one value column per town: the first town's
                values["target"] = next(iter(by_column.values()))
        target = join_target(get("op"), get("target"), get("unit"))
        m = NUMBER_PREFIX.match(name) or _BARE_NUMBER.match(name)
        number = int(m.group(1)) if m else None
        if m and m.re is _BARE_NUMBER:
            name = name[m.end():]
        if target is None and not extras:
            skipped.append((line, name))
            continue
        rows.append(Row(clean_name(name), target, number, line, extras))
    n = len(rows)
    marks = [m if m.pos < n else Mark(n - 0.5, m.label, m.line) for m in marks]
    return rows, marks, skipped


# Headings of a value column for the years of a project rather than for this year.
_LONG_TERM = re.compile(r"长期|中期|总体|实施期|整体|[三五]年|\d{4}\s*[-—~至]\s*\d{4}")
_THIS_YEAR = re.compile(r"年度|本年|当年|\d{4}年")


def _column_sets(found: _Found, col: dict[str, list[int]]) -> list[tuple[str, int]]:
    """(heading, column) of value columns side by side: several 指标值 columns with
    headings of their own (长期目标值 | 年度目标值), or one value column per town or
    village after the name (笏石街道办 | 埭头镇). Empty for one value column, or one
    heading spanning several (指标值 over ≥ | 95 | %)."""
    head = found.table.cells[found.head]
    heading = [clean(h) if isinstance(h, str) else "" for h in head]
    targets = [(heading[i], i) for i in col.get("target", []) if i < len(heading) and heading[i]]
    if len(targets) >= 2 and len({h for h, _ in targets}) == len(targets):
        return targets
    after = max(col.get("name", [-1]))
    places = [(heading[i], i) for i, r in enumerate(found.roles)
              if r is None and i > after >= 0 and i < len(heading) and PLACE_HEADING.fullmatch(heading[i])]
    return places if "target" not in col or not places else []


def annual_column(headings: list[str]) -> int:
    """Which of the side-by-side value columns holds this year's target."""
    for i, h in enumerate(headings):
        if _THIS_YEAR.search(h) and not _LONG_TERM.search(h):
            return i
    return next((i for i, h in enumerate(headings) if not _LONG_TERM.search(h)), 0)


def _labels_complete(found: _Found) -> bool:
    """Every indicator row has a 二级 label in its own cell or in a merged cell above
    (on the first row of a table continued on a new page, an empty label cell is the
    merged cell above going on: a PDF prints its text on the first page only)."""
    level2 = [i for i, r in enumerate(found.roles) if r == "level2"]
    names = [i for i, r in enumerate(found.roles) if r == "name"]
    if not level2 or not names:
        return False
    for k, cells in enumerate(found.data):
        if not any(i < len(cells) and cells[i] for i in names) or _is_header(cells):
            continue
        if not any(i < len(cells) and ((v := cells[i]) is SPAN or v.strip() or k in found.continued)
                   for i in level2):
            return False
    return True


def join_target(op: str | None, value: str | None, unit: str | None) -> str | None:
    """指标性质 + 指标值 + 度量单位 as one target; an 指标性质 that is no operator
    (定量, 正向) is left out, and so is an operator or unit the value already has,
    or a unit after words."""
    value = value or ""
    if op and value[:1] not in _OP_CHARS and parse_target(op + "1").op is not None:
        value = op + value
    if unit and (not value or _DIGIT.search(value) and not value.endswith(unit) and value[-1] != "%"):
        value += unit  # not after words: 达到预期 has no unit
    return value.strip() or None


def sheet_from_blocks(blocks: Sequence[str | Table], path: str | None) -> Sheet:
    """The sheet of a document given as paragraphs and resolved tables."""
    from ..budget import current

    # the solver's cost is per row (cells were counted as the tables were made), the
    # header parser's per paragraph
    current(path).rows(sum(len(b.cells) if isinstance(b, Table) else 1 for b in blocks))
    header_lines, found = find_tables(blocks)
    if found is None:
        raise NoIndicatorTable(path)
    rows, marks, skipped = rows_and_marks(found)
    if not rows:
        raise NoIndicatorTable(path, "找到了表头, 但表中没有可读的指标行")
    header = parse_header(header_lines)
    grouped = "function" in found.roles or any(
        "核心职能" in c for cells in header_lines + [found.table.cells[found.head]] for c in cells if c)
    sheet = sheet_from_rows(header, rows, marks, grouped, LABELLED if _labels_complete(found) else MERGED)
    sheet.funds = header.funds()
    # (explanation, criteria and by_column reach each indicator in sheet_from_rows, from the row's extras)
    if (sets := next((by for row in rows if (by := (row.extras or {}).get("by_column"))), None)) is not None:
        paths = [p for p, _ in sheet.all_indicators()]
        chosen = next(iter(sets), "")
        sheet.diagnostics.append(Diagnostic(
            "IMPORT_COLUMN_SETS", "info", paths[0].rsplit("[", 1)[0] if paths else "indicators",
            f"指标表有并列的多列指标值 ({'、'.join(sets)}): "
            + ("指标值取本年度一列, 各列的值保存在 by_column 中" if "target" in found.roles
               else f"各地的指标值分列, 指标值取第一列“{chosen}”的值, 各列的值保存在 by_column 中"),
            "请核对指标值取的是否是本年度目标"))
    for where in found.carried:
        sheet.diagnostics.append(Diagnostic(
            "IMPORT_ROW_CONTINUED", "info", where,
            f"{where}首行是上一页最后一行的续行 (表格行跨页断开), 已并入上一行",
            "如不是续行, 请核对该处前后两行"))
    for line, name in skipped:
        sheet.diagnostics.append(row_skipped(
            f"{found.table.where}row:{line + 1}", f"{found.table.where}第{line + 1}行", name,
            "没有指标值", "检查原表此行是否漏填指标值"))
    return sheet


def cell_text(value, percent: bool = False) -> str:
    """A spreadsheet value as the text the clerk sees: 0.95 formatted as % -> '95%'."""
    import datetime

    from ...model.target import format_number

    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        if percent:
            return format_number(round(value * 100, 10)) + "%"
        return format_number(round(float(value), 10))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value).strip()
