"""The one typed view-model of an official form (绩效目标表), built from a Sheet.

Every renderer (html, pdf, xlsx, docx) draws exactly this: the same title, header
fields, columns and body rows with the same rowspans, so the outputs agree by
construction (tests/test_render_formats.py checks that they do).

Columns are data (``COLUMNS``), not hard-coded in the renderers: the monitoring
and self-evaluation forms (domain.md §6.3-6.5) add their columns here.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..model.sheet import Function, Indicator, Sheet
from ..model.target import Target, format_number, format_target

STAGE_WORD = {"declaration": "申报表", "approval": "批复表",
              "monitoring": "执行监控表", "self_evaluation": "自评表"}
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
FUND_LABELS = {"total": "年度资金总额", "fiscal": "其中: 财政拨款", "other": "其他资金",
               "budget_initial": "年初预算数", "budget": "全年预算数", "executed": "全年执行数"}


@dataclass(frozen=True, slots=True)
class Field:
    """One header line of the form: 项目名称 | 某某项目."""

    label: str
    value: str
    #: prose in paragraphs, printed with a first-line indent as Chinese prose is,
    #: which also tells a paragraph whose last line fills the cell from a wrapped one
    prose: bool = False


@dataclass(frozen=True, slots=True)
class Column:
    """One indicator-table column. ``width`` is in CJK characters (Excel units / 2),
    ``merge`` says whether equal neighbouring cells share one merged cell."""

    key: str
    heading: str
    width: float
    merge: bool = False


@dataclass(frozen=True, slots=True)
class Cell:
    """A body cell. ``rowspan`` > 1 starts a merged cell; 0 means covered by the
    merged cell above (renderers draw nothing there)."""

    text: str
    rowspan: int = 1


@dataclass(frozen=True, slots=True)
class BarChart:
    """A grouped bar chart the PDF and docx draw as an image (``render.charts``):
    ``series`` is ``(name, one value per category)``."""

    title: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float | None, ...]], ...]
    unit: str = "分"


@dataclass(frozen=True, slots=True)
class FormView:
    kind: str
    title: str
    fields: tuple[Field, ...]
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    #: The line under the title, ``(2024年度)``, when the title does not give the
    #: sheet's year (``项目支出绩效目标申报表``): the year is on the form either way.
    subtitle: str = ""
    #: Charts under the table of a 自评表 (PDF and docx only): weight, claimed and
    #: recomputed points per 一级 (``score_chart``).
    charts: tuple[BarChart, ...] = ()

    def column_index(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == key)

    @property
    def merged_column_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns if c.merge)


def target_text(t: Target | None) -> str:
    """The value as written on the source form; canonical text when that is blank."""
    if t is None:
        return ""
    return t.text.strip() or format_target(t)


def display_width(text: str) -> int:
    """Width in Latin character cells: CJK and full-width characters count 2."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _number(v: float | None) -> str:
    return "" if v is None else format_number(v)


def _reviewed(ind: Indicator) -> float | None:
    value = ind.extra.get("reviewed_score")
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _extra_text(ind: Indicator, key: str) -> str:
    value = ind.extra.get(key)
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    return value if isinstance(value, str) else ""


# key, heading, width, getter. Optional columns appear only when some indicator has a value.
_Getter = Callable[[Indicator], str]
OPTIONAL_COLUMNS: tuple[tuple[str, str, float, _Getter], ...] = (
    ("weight", "权重(%)", 6, lambda i: _number(i.weight)),
    ("actual", "实际完成值", 10, lambda i: target_text(i.actual)),
    ("score", "得分", 6, lambda i: _number(i.score)),
    # A self-evaluation's score after the department's or finance's review (复核).
    ("reviewed", "复核得分", 6, lambda i: _number(_reviewed(i))),
    # A 执行监控表's report (domain.md §6.3; services.monitoring.report_sheet): the
    # expected full-year value, the causes of a deviation, the likelihood, a note.
    ("expected", "全年预计完成情况", 10, lambda i: _extra_text(i, "expected")),
    ("causes", "偏差原因", 10, lambda i: _extra_text(i, "causes")),
    ("likelihood", "完成目标可能性", 8, lambda i: _extra_text(i, "likelihood")),
    ("note", "偏差原因备注", 14, lambda i: _extra_text(i, "note")),
    ("explanation", "指标解释", 20, lambda i: i.explanation or ""),
    ("criteria", "评(扣)分标准", 20, lambda i: i.criteria or ""),
)


def function_text(fn: Function) -> str:
    return f"{fn.label}: {fn.description}" if fn.description else fn.label


def _title(sheet: Sheet) -> str:
    if sheet.title:
        return sheet.title
    year = f"{sheet.year}年" if sheet.year else ""
    what = "部门整体支出绩效目标" if sheet.kind == "department" else "项目支出绩效目标"
    return f"{year}{what}{STAGE_WORD.get(sheet.stage, '表')}"


def _subtitle(sheet: Sheet, title: str) -> str:
    if sheet.year is None:
        return ""
    said = _YEAR.search(title)
    return "" if said and int(said.group(1)) == sheet.year else f"({sheet.year}年度)"


def _goals(goals: list[str]) -> str:
    return "\n".join(f"目标{i}: {g}" for i, g in enumerate(goals, 1))


def _funds(funds: dict[str, float], stage: str = "") -> str:
    """The funds line; a 执行监控表's execution is the amount so far (执行数), not the year's."""
    labels = {**FUND_LABELS, "executed": "执行数"} if stage == "monitoring" else FUND_LABELS
    return "; ".join(f"{labels.get(k, k)} {format_number(v)} 万元" for k, v in funds.items())


def header_fields(sheet: Sheet) -> tuple[Field, ...]:
    """The header lines of the form for its kind (domain.md §6.1, §6.2)."""
    if sheet.kind == "department":
        pairs = [("部门(单位)名称", sheet.unit), ("主管部门", sheet.supervisor),
                 ("部门职能概述", sheet.overview), ("年度整体绩效目标", _goals(sheet.goals))]
        if sheet.funds and sheet.stage in ("monitoring", "self_evaluation"):
            # the 监控表 and 自评表 report budget execution (domain.md §6.3, §6.5); it is scored
            pairs.insert(2, ("资金情况(万元)", _funds(sheet.funds, sheet.stage)))
    else:
        pairs = [("项目名称", sheet.project), ("主管部门", sheet.supervisor), ("实施单位", sheet.unit)]
        if sheet.funds:
            pairs.append(("资金情况(万元)", _funds(sheet.funds, sheet.stage)))
        pairs.append(("年度目标", _goals(sheet.goals)))
    number = sheet.extra.get("approval_number")
    if isinstance(number, str) and number.strip():
        # An approved sheet (批复表) carries the finance bureau's number and date (web workflow).
        date = sheet.extra.get("approval_date")
        pairs.insert(0, ("批复文号", number + (f" ({date})" if isinstance(date, str) and date else "")))
    return tuple(Field(label, (value or "").strip(), prose=label == "部门职能概述") for label, value in pairs)


def base_columns(with_function: bool) -> list[Column]:
    """The columns every form has; 核心职能 first on a department form."""
    cols = [Column("function", "核心职能", 16, merge=True)] if with_function else []
    return cols + [Column("level1", "一级指标", 7, merge=True),
                   Column("level2", "二级指标", 9, merge=True),
                   Column("name", "三级指标", 24), Column("target", "指标值", 12)]


def optional_column(key: str) -> Column:
    return next(Column(k, heading, width) for k, heading, width, _ in OPTIONAL_COLUMNS if k == key)


def _columns(sheet: Sheet, with_function: bool) -> tuple[tuple[Column, ...], list[_Getter]]:
    cols = base_columns(with_function)
    getters: list[_Getter] = []
    inds = [ind for _, ind in sheet.all_indicators()]
    for key, heading, width, get in OPTIONAL_COLUMNS:
        if any(get(i) for i in inds):
            cols.append(Column(key, heading, width))
            getters.append(get)
    return tuple(cols), getters


def _spans(keys: list[tuple]) -> list[int]:
    """Rowspans for a column whose merge identity per row is ``keys``: runs of equal,
    non-empty keys merge (an empty label never swallows its neighbours)."""
    spans = [1] * len(keys)
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start] or not keys[start][-1]:
            if i - start > 1:
                spans[start] = i - start
                for j in range(start + 1, i):
                    spans[j] = 0
            start = i
    return spans


def build_view(sheet: Sheet) -> FormView:
    """The official form of ``sheet``: grouped by 核心职能 when it has functions."""
    with_function = bool(sheet.functions)
    columns, getters = _columns(sheet, with_function)
    # (function index, function text, indicator); leftover flat indicators get no function.
    entries = [(fi, function_text(fn), ind) for fi, fn in enumerate(sheet.functions)
               for ind in fn.indicators]
    entries += [(-1, "", ind) for ind in sheet.indicators]
    merge_keys: dict[str, list[tuple[Any, ...]]] = {
        "function": [(fi, text) for fi, text, _ in entries],
        "level1": [(fi, i.level1 or "") for fi, _, i in entries],
        "level2": [(fi, i.level1 or "", i.level2 or "") for fi, _, i in entries],
    }
    spans = {key: _spans(k) for key, k in merge_keys.items()}
    # A 二级 merge never crosses a 一级 boundary: the 二级 key includes the 一级.
    rows = []
    for r, (_, ftext, ind) in enumerate(entries):
        texts = {"function": ftext, "level1": ind.level1 or "", "level2": ind.level2 or "",
                 "name": ind.name, "target": target_text(ind.target)}
        cells = []
        for col in columns:
            if col.key in texts:
                span = spans[col.key][r] if col.merge else 1
                cells.append(Cell(texts[col.key] if span else "", span))
        cells += [Cell(get(ind)) for get in getters]
        rows.append(tuple(cells))
    title = _title(sheet)
    fields = tuple(Field(f.label, printable(f.value), f.prose) for f in header_fields(sheet))
    rows = [tuple(Cell(printable(c.text), c.rowspan) for c in row) for row in rows]
    charts = (score_chart(sheet),) if sheet.stage == "self_evaluation" else ()
    return FormView(kind=sheet.kind, title=printable(title), fields=fields,
                    columns=columns, rows=tuple(rows), subtitle=printable(_subtitle(sheet, title)),
                    charts=tuple(c for c in charts if c is not None))


def score_chart(sheet: Sheet) -> BarChart | None:
    """A self-evaluation's points per 一级 (and budget execution): the weight, the
    claimed score (when the sheet claims any) and the score the engine recomputes
    (``jixiao.scoring``, default settings). None when no indicator has a weight."""
    from ..scoring import DEFAULT, score_sheet

    result = score_sheet(sheet, DEFAULT)
    blocks: dict[str, list[float | None]] = {}
    any_claim = False
    for s in result.indicators:
        if not s.weight or s.weight <= 0:
            continue
        acc = blocks.setdefault(s.block or "其他", [0.0, None, 0.0])
        acc[0] = (acc[0] or 0.0) + s.weight
        acc[2] = (acc[2] or 0.0) + s.counted
        if s.claimed is not None:
            acc[1] = (acc[1] or 0.0) + s.claimed
            any_claim = True
    if not blocks:
        return None
    ex = result.execution
    if ex.recomputed is not None or ex.claimed is not None:
        blocks = {"预算执行": [ex.weight, ex.claimed, ex.recomputed], **blocks}
        any_claim = any_claim or ex.claimed is not None
    names = list(blocks)
    pick = [0, 1, 2] if any_claim else [0, 2]
    labels = ("分值", "自评得分", "复算得分")
    series = tuple((labels[k], tuple(None if blocks[n][k] is None else round(float(blocks[n][k] or 0.0), 2)
                                     for n in names)) for k in pick)
    total = f"复算总分 {format_number(result.recomputed_total)} 分 ({result.recomputed_grade})"
    if result.claimed_total is not None:
        total += f", 自评 {format_number(result.claimed_total)} 分"
    return BarChart(printable(f"各一级指标分值与得分 · {total}"), tuple(names), series)


# C0/C1 controls but tab and newline, the non-characters U+FFFE/U+FFFF and lone
# surrogates: XML 1.0 (xlsx, docx, and so lxml and openpyxl) cannot hold them, and on
# a printed form they are invisible anyway. A sheet JSON may carry them (\u0000 is
# valid JSON), so every renderer gets text without them, decided here once.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def printable(text: str) -> str:
    """``text`` without the characters no output format can hold; ``\r`` becomes a
    line break."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _UNPRINTABLE.sub("", text)
