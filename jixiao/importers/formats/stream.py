"""Tables whose rows the extraction lost: one cell per line (``cell |``), one cell
per paragraph, or a whole form run together on one space-separated line.

Nothing marks where a row starts, so the table is read as a stream of cells and
rebuilt from the column header: after each 三级 name come the cells the header
promises (指标性质, 指标值, 度量单位, 完成值, 权重, 得分 …), each taken when the next
cell fits it and skipped when the source left it empty. 一级/二级 labels in the
stream become marks for the structure solver, as in the other readers.
"""
from __future__ import annotations

import re

from ..recover.cells import FunctionLabel, Label, as_label, clean, clean_name, looks_like_value
from ..recover.columns import (
    CAUSE_CELL,
    CELL_SPLIT,
    HEADING_ROLES,
    LIKELIHOOD_CELL,
    PLACE_HEADING,
    TABLE_END,
    TEXT_COLUMN_WORDS,
    cell_label,
    is_prose,
    lead_columns,
    specific_role,
)
from ..recover.structure import Mark, Row
from .layout import FOOTER

# Heading words seen on real forms beside ``columns.HEADING_ROLES``, by what they contain (checked
# in order, on headings of at most 10 characters without their annotations).
_ROLE_WORDS = (("三级", "name"), ("指标名称", "name"), ("指标内容", "name"), ("一级", "level1"),
               ("二级", "level2"), ("指标性质", "op"), ("计算符号", "op"), ("符号", "op"),
               ("实际完成", "actual"), ("完成值", "actual"), ("实际值", "actual"),
               ("指标值", "target"), ("目标值", "target"), ("预期目标", "target"),
               ("单位", "unit"), ("权重", "weight"), ("分值", "weight"), ("得分", "score"))


_NOTES = re.compile(r"[(（][^()（）]{0,6}[)）]|[★☆*＊\s]")
_OP = re.compile(r"^(?:[=＝﹦≥≤≧≦>＜<＞]|>=|<=|＞＝|＜＝)$")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?%?$")
# a block's points printed under its 一级 label: (40-50)分, (30分), 20分
_SCORE_BAND = re.compile(r"^[(（]?\s*\d+(?:\.\d+)?\s*(?:分\s*)?(?:[-~～至]\s*\d+(?:\.\d+)?\s*)?(?:分\s*[)）]|[)）]\s*分|分)$")
_PLACEHOLDERS = re.compile(r"[(（]\s*[≥≤=<>＞＜≧≦]*\s*\*+\s*[^()（）\s]{0,6}\s*[)）]")
_FUSED_DEFAULT = re.compile(r"(?<=[\u4e00-\u9fff])\d+(?:\.\d+)?%$")


def is_operator(text: str) -> bool:
    """The cell is a comparison operator alone (≥, >=, ＝ …), a value cut off after it."""
    return _OP.match(text) is not None


# one value cell with spaces inside: "≧ %", "≥ 95 %" (an operator, then at most a number and a unit)
_SPACED_VALUE = re.compile(r"^\s*[=＝﹦═≥≤≧≦>＜<＞]=?\s*[\d.]*\s*[^\s\d]{0,4}\s*$")


_TARGET_ROLES = frozenset(("op", "target", "unit", "place"))
# the cells after a name an indicator keeps (``sheet.EXTRA_KEYS``)
_ROW_EXTRAS = frozenset(("actual", "weight", "score", "reviewed", "expected", "causes", "likelihood", "note"))
# the upper row of a two-row heading, reprinted on every page: no row
_HEADING_WORDS = frozenset(("核心职能", "年度绩效指标", "绩效指标", "年度绩效目标"))


def stream_rows(lines: list[str], start: int
                ) -> tuple[list[Row], list[Mark], list[tuple[int, str]], tuple[int, str] | None]:
    """Rows and marks from the table starting at line ``start`` (where 一级指标 is),
    and where the text ends inside the table's last row when it does (``cut``: the line
    and the row's name). That row is no indicator when it stops before or inside a
    cell of its target (op, value, unit), the value perhaps cut mid-number; a cut
    trailing cell (a weight) is dropped and the row kept."""
    tokens = _tokens(lines, start)
    open_end = _open_end(lines, start)
    cut: tuple[int, str] | None = None
    roles, i = _schema(tokens)
    lead = lead_columns(lines[start]) if start < len(lines) else 0
    rows: list[Row] = []
    marks: list[Mark] = []
    after_name = roles[roles.index("name") + 1:] if "name" in roles else ["target"]
    places = "place" in after_name
    while i < len(tokens):
        text, line_no = tokens[i]
        if TABLE_END.match(text):
            break
        lab = cell_label(text)
        pos = float(len(rows))
        prev = marks[-1].label if marks and marks[-1].pos == pos else None
        prev_level = prev.level if isinstance(prev, Label) else 0
        level = lab.level if isinstance(lab, Label) else 0
        if prev_level == 2 and level == 1 and i + 1 < len(tokens) and looks_like_value(tokens[i + 1][0]):
            lab = None  # 服务对象满意度指标 | 满意度 | 90%: a name that reads as a label, its value after it
        if lab is not None:
            # printed on the first row of its block, the next one
            if prev_level == level == 2:
                marks.pop()  # a 二级 whose rows were left empty (经济效益指标 | | |): the next one holds
            marks.append(Mark(pos, lab, line_no))
            i += 1
            continue
        if text in HEADING_ROLES or text in _HEADING_WORDS or looks_like_value(text) or _OP.match(text) or \
                _SCORE_BAND.match(text) or (
                len(text) <= 12 and role_of(text) in ("level1", "level2", "name", "target")):
            i += 1  # a stray cell: a repeated header or a value without a name
            continue
        if lead and (j := _project_cells(tokens, i, lead)):
            i = j  # a project's own cells (名称 | 预算数 | 年度目标) before its first indicator row
            continue
        cells, i, short, last = _take(tokens, i + 1, after_name)
        if i >= len(tokens):  # the text ends in this row
            if short is not None and any(r in _TARGET_ROLES for r in after_name[short:]) and (
                    open_end or _short_last_line(lines, start)):
                cut = (line_no, text)  # it stops before a cell of its target
                continue
            if open_end and last is not None:
                cut = (line_no, text)  # the last cell is cut off where the text ends
                if last in _TARGET_ROLES:
                    continue
                cells.pop(last, None)
        if places:
            values = [v for k, v in cells.items() if k.startswith("place")]
            if values and "target" not in cells:
                cells["target"] = max(values, key=values.count)  # the value most places share
        target = "".join(cells.get(k, "") for k in ("op", "target", "unit")).strip()
        if not target:
            continue  # a name cut off by truncation, or prose: not an indicator
        name = _FUSED_DEFAULT.sub("", clean_name(text)) or clean_name(text)
        rows.append(Row(name, target, None, line_no,
                        {k: v for k, v in cells.items() if k in _ROW_EXTRAS}))
    n = len(rows)
    marks = [m for m in marks if m.pos < n] + [Mark(n - 0.5, m.label, m.line) for m in marks if m.pos >= n]
    return rows, marks, [], cut


_AMOUNT = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+\.\d{2}$")


def _project_cells(tokens: list[tuple[str, int]], i: int, lead: int) -> int | None:
    """The index of the label run after a project's cells starting at ``i`` (at most
    ``lead`` of them, one an amount such as 3,309,840.00), else None."""
    for j in range(i + 1, min(i + lead, len(tokens) - 1) + 1):
        if cell_label(tokens[j][0]) is not None:
            return j if any(_AMOUNT.match(t) for t, _ in tokens[i:j]) else None
    return None


def is_score_band(text: str) -> bool:
    """(40-50)分, (30分), 20分: a block's points under its 一级 label."""
    return _SCORE_BAND.match(text.strip()) is not None


def headless_rows(lines: list[str], start: int
                  ) -> tuple[list[Row], list[Mark], tuple[int, str] | None]:
    """Rows of a table printed without its heading row: runs of 一级/二级 labels, each
    followed by the cells of its rows. The row width is the commonest number of cells
    after a run (2: 三级 | 指标值, 3: … | 实际值, 4); name and value are the first two
    cells of each row. Cells before the first label (a row cut off at the start of
    the excerpt) are no row; a last row with its name and value but short of cells is
    kept and the table reported cut (``cut``), one with its name only is dropped."""
    tokens = _tokens(lines, start)
    runs: list[tuple[list[tuple[Label | FunctionLabel, int]], list[tuple[str, int]]]] = []
    for text, no in tokens:
        if TABLE_END.match(text):
            break
        lab = cell_label(text)
        if lab is not None:
            if not runs or runs[-1][1]:
                runs.append(([], []))
            runs[-1][0].append((lab, no))
        elif runs:
            runs[-1][1].append((text, no))
    sizes = [len(cells) for _, cells in runs if 2 <= len(cells) <= 4]
    if not sizes:
        return [], [], None
    width = max(set(sizes), key=lambda n: (sizes.count(n), -n))
    rows: list[Row] = []
    marks: list[Mark] = []
    cut: tuple[int, str] | None = None
    for k, (labels, cells) in enumerate(runs):
        for lab, no in labels:
            marks.append(Mark(float(len(rows)), lab, no))
        last = k == len(runs) - 1
        for a in range(0, len(cells), width):
            row = cells[a:a + width]
            if len(row) < width and last:
                cut = (row[0][1], row[0][0])
            if len(row) < 2:
                continue
            name, value = clean_name(row[0][0]), row[1][0]
            extras = {"actual": row[2][0]} if len(row) > 2 and width >= 3 else {}
            rows.append(Row(name, value, None, row[0][1], extras))
    n = len(rows)
    marks = [m for m in marks if m.pos < n] + [Mark(n - 0.5, m.label, m.line) for m in marks if m.pos >= n]
    return rows, marks, cut


def _short_last_line(lines: list[str], start: int) -> bool:
    """The table's last line has fewer cells (``|``) than any line before it: its
    trailing cells are missing, not empty (an empty cell keeps its ``|``)."""
    body = [ln.count("|") for ln in lines[start:] if ln.strip()]
    return len(body) >= 3 and min(body[:-1]) >= 2 and body[-1] < min(body[:-1])


def _open_end(lines: list[str], start: int) -> bool:
    """The text stops inside a cell: every line of the table closes its cells with ``|``
    (one cell per line, or pipe rows) but the last one does not."""
    body = [ln.rstrip() for ln in lines[start:] if ln.strip()]
    if len(body) < 3 or body[-1].endswith("|"):
        return False
    return sum(ln.endswith("|") for ln in body[:-1]) >= 0.8 * (len(body) - 1)


def _tokens(lines: list[str], start: int) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    for no in range(start, len(lines)):
        line = lines[no]
        if no == start and "一级指标" in line:
            line = line[line.index("一级指标"):]  # the form's header runs on before it
        if FOOTER.match(line):
            continue
        line = _PLACEHOLDERS.sub("", line)
        cells = [c for c in CELL_SPLIT.split(line) if c.strip()]
        if len(cells) == 1 and " " in cells[0].strip() and not is_prose(cells[0]) and not _SPACED_VALUE.match(cells[0]):
            parts = cells[0].split()
            # a row flattened to single spaces, unless the spaces only space out one heading (指 标 解 释)
            cells = ["".join(parts)] if all(len(p) == 1 for p in parts) else parts
        for c in cells:
            c = clean(c)
            if c:
                out.append((c, no))
    return _join_split_labels(out)


def _join_split_labels(tokens: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Wrapped label cells come out in two pieces (经济效益 / 指标)."""
    out: list[tuple[str, int]] = []
    for text, no in tokens:
        if out and text in ("指标", "指 标") and as_label(out[-1][0] + "指标") is not None:
            out[-1] = (out[-1][0] + "指标", out[-1][1])
        else:
            out.append((text, no))
    return out


def role_of(heading: str) -> str | None:
    """The role of a column heading: 一级指标, 一级目标, 三级指标内容, 指标值(必填) …"""
    word = heading.replace(" ", "")
    role = HEADING_ROLES.get(word)
    if role is not None:
        return role
    word = _NOTES.sub("", word)
    role = HEADING_ROLES.get(word) or specific_role(word)
    if role is None and len(word) <= 10 and word.endswith(("指标", "目标", "值", "单位", "内容", "符号",
                                                               "性质", "权重", "分值", "得分", "名称")):
        role = next((r for w, r in _ROLE_WORDS if w in word), None)
    if role is None and any(w in word for w in TEXT_COLUMN_WORDS) and len(word) <= 12:
        role = "text"
    return role


def _schema(tokens: list[tuple[str, int]]) -> tuple[list[str], int]:
    """Roles of the columns, from the header cells starting at 一级指标."""
    i = next((k for k, (t, _) in enumerate(tokens[:60]) if role_of(t) == "level1"), 0)
    roles: list[str] = []
    while i < len(tokens):
        role = role_of(tokens[i][0])
        if role is None and roles and "target" not in roles and PLACE_HEADING.fullmatch(tokens[i][0].replace(" ", "")):
            role = "place"  # one value column per town or village (a regional allocation of targets)
        if role is None:
            break
        roles.append(role)
        i += 1
    return roles or ["level1", "level2", "name", "target"], i


def _take(tokens, i: int, roles: list[str]) -> tuple[dict[str, str], int, int | None, str | None]:
    """The cells that follow a name, matched to the header's roles in order; the index
    of the first role the text ended before (None when it did not), and the role of
    the last cell taken."""
    cells: dict[str, str] = {}
    short = last = None
    for k, role in enumerate(roles):
        if i >= len(tokens):
            short = k  # the text ended here: roles[k:] never came
            break
        text = tokens[i][0]
        if cell_label(text) is not None or TABLE_END.match(text):
            break
        if _fits(role, text, tokens, i, roles[k + 1:]):
            if role == "place":
                cells[f"place{k}"] = text
            elif role != "text":
                cells[role] = text
            last = role
            i += 1
    return cells, i, short, last


def _fits(role: str, text: str, tokens, i: int, later: list[str] | tuple[str, ...] = ()) -> bool:
    nxt = tokens[i + 1][0] if i + 1 < len(tokens) else ""
    if role == "place":
        return looks_like_value(text) or bool(_NUMBER.match(text))
    if role == "text" and "place" in later:
        return not looks_like_value(text) and cell_label(text) is None  # 指标解释 before the places' values
    if role == "op":
        return bool(_OP.match(text))
    if role in ("weight", "score", "reviewed"):
        return bool(_NUMBER.match(text)) and not text.endswith("%")
    if role == "likelihood":
        return bool(LIKELIHOOD_CELL.match(text))
    if role == "causes":
        return bool(CAUSE_CELL.match(text))
    if role == "unit":
        return len(text) <= 5 and not re.search(r"\d", text) and as_label(text) is None
    if role == "target":
        # any cell: qualitative targets are words; but a word followed by a value
        # is the next name, its own target after it
        return looks_like_value(text) or not (looks_like_value(nxt) or _OP.match(nxt))
    if role in ("actual", "expected"):
        return looks_like_value(text) or len(text) <= 8
    # a text column (原因, 备注, 绩效标准): it ends the row, so what follows it opens
    # the next one: a label, or a name with its value after it
    after = tokens[i + 2][0] if i + 2 < len(tokens) else ""
    return not nxt or cell_label(nxt) is not None or bool(TABLE_END.match(nxt)) or (
        not looks_like_value(nxt) and (looks_like_value(after) or bool(_OP.match(after))))
