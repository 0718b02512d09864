"""Rows -> ``Sheet``: the end every reader shares, text or table formats.

``sheet_from_rows`` takes a reader's rows and marks (``structure.Row``/``Mark``) and
the header fields above the table, repairs the operators of the values
(``operators``), lets ``structure.solve`` rebuild the tree and reports every
inference as a diagnostic; ``row_skipped`` and ``table_incomplete`` are the
diagnostics readers add for lines they did not read. See docs/structure.md.
"""
from __future__ import annotations

from bisect import bisect_right

from ...model.indicator import Category
from ...model.sheet import Diagnostic, Function, Indicator, Sheet
from ...model.target import parse_target
from .cells import FunctionLabel, Label
from .evidence import WANDERING, LabelModel
from .operators import repair as repair_operator
from .structure import Mark, Row, assign_function_labels, solve


def table_incomplete(where: str, place: str, content: str, label: bool = False) -> Diagnostic:
    """The diagnostic for a table the text stops in: its last row is cut off, or
    (``label``) it ends with a label whose rows never come."""
    what = ("之后再无指标行, 表格缺少后续部分" if label else
            "一行不完整(指标值或其后的单元格缺失), 该行未导入为指标或只导入了完整的部分; 表格可能还有后续指标")
    return Diagnostic("IMPORT_TABLE_INCOMPLETE", "warning", where,
                      f"原文在表格中途截断: {place}“{content[:40]}”{what}",
                      "请取得完整的原表 (如原始 Excel/Word 文件或完整的网页) 后重新导入")


def row_skipped(where: str, place: str, content: str, problem: str, check: str) -> Diagnostic:
    """The diagnostic for a table line that was not read as an indicator."""
    return Diagnostic("IMPORT_ROW_SKIPPED", "warning", where,
                      f"{place}“{content[:40]}”{problem}, 未导入", f"{check}; 如是指标, 请补全后重新导入")


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
