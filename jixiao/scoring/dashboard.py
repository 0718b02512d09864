"""Dashboards across units (issue 15, deliverable 5): pure aggregation, no I/O.

Two kinds, one shape (``Dashboard``):

* a monitoring round (``monitoring_dashboard``): per sheet, budget execution against
  target progress; the mean target progress of the indicators per 一级 and per
  核心职能; the traffic lights counted; the indicators at risk — likely or certain to
  be missed (the unit's 完成可能性), or with progress so far below the period's line
  (the same line as budget execution: 25 / 40 / 60 / 80 % at the end of April / June
  / August / October);
* the year's self-evaluations (``evaluation_dashboard``): per sheet, the execution
  rate against the indicators' score rate (recomputed points over their weight); that
  rate per 一级 (Σ points / Σ weight over every sheet) and per 核心职能; the grades
  优/良/中/差 counted, recomputed and claimed; the indicators at risk — below their
  weight, or claimed on the signs of inflation.

Which sheets go in is the service's decision (who may see them); this module only
adds up. ``Dashboard.charts()`` is the JSON ``web/static/charts.js`` draws and
``render/charts.py`` can draw as images.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..model.indicator import level1_of, normalize_level1, normalize_level2
from ..model.sheet import Indicator, Sheet
from .monitoring import DEFAULT_RULES, Assessment, Entry, MonitoringRules
from .result import SheetScore

__all__ = ["UnitRow", "Share", "RiskItem", "Dashboard", "MonitoredSheet", "EvaluatedSheet",
           "monitoring_dashboard", "evaluation_dashboard", "level1_label", "GRADES", "LIGHTS", "MAX_AT_RISK"]

GRADES = ("优", "良", "中", "差")
LIGHTS = {"green": "绿灯", "yellow": "黄灯", "red": "红灯"}
LIGHT_COLOURS = {"green": "#15803d", "yellow": "#d97706", "red": "#b91c1c"}
#: At most this many indicators at risk are listed (the worst first); ``at_risk_total`` counts all.
MAX_AT_RISK = 100
OTHER = "其他"


@dataclass(frozen=True, slots=True)
class UnitRow:
    """One sheet: execution rate and target progress (monitoring) or score rate
    (self-evaluation), both in %; its light or grade."""

    sheet_id: int
    unit: str
    title: str
    execution: float | None
    progress: float | None
    status: str | None                 # light (green/yellow/red) or recomputed grade
    claimed_status: str | None = None  # claimed grade (self-evaluation)
    total: float | None = None         # recomputed total (self-evaluation)
    claimed_total: float | None = None


@dataclass(frozen=True, slots=True)
class Share:
    """A group of indicators (an 一级, or one sheet's 核心职能): its rate in %, how many
    indicators carry it, and for self-evaluations the points behind it."""

    label: str
    rate: float | None
    count: int
    points: float | None = None
    weight: float | None = None


@dataclass(frozen=True, slots=True)
class RiskItem:
    sheet_id: int
    unit: str
    title: str
    where: str
    name: str
    level1: str
    target: str
    value: str                         # what was reported (so far, or the actual)
    rate: float | None                 # progress or score rate, %
    reason: str


@dataclass(frozen=True, slots=True)
class Dashboard:
    kind: str                          # monitoring | evaluation
    units: tuple[UnitRow, ...]
    by_level1: tuple[Share, ...]
    by_function: tuple[Share, ...]
    statuses: tuple[tuple[str, int], ...]          # (light or grade, count), every label listed
    claimed_statuses: tuple[tuple[str, int], ...] = ()
    at_risk: tuple[RiskItem, ...] = ()
    at_risk_total: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)

    def charts(self) -> dict[str, dict[str, Any]]:
        """Chart data for ``charts.js``: ``{"units", "level1", "functions", "statuses"}``,
        each ``{"type", "categories", "series", "unit", "max"}`` (bars) or ``{"type":
        "pie", "items"}``."""
        monitoring = self.kind == "monitoring"
        second = "目标完成进度" if monitoring else "指标得分率"
        labels = _unique_labels(self.units)
        out: dict[str, dict[str, Any]] = {
            "units": {"type": "bar", "unit": "%", "max": 100, "categories": labels,
                      "series": [{"name": "预算执行率", "data": [_pct(u.execution) for u in self.units]},
                                 {"name": second, "data": [_pct(u.progress) for u in self.units]}]},
            "level1": {"type": "bar", "unit": "%", "max": 100, "categories": [s.label for s in self.by_level1],
                       "series": [{"name": second, "data": [_pct(s.rate) for s in self.by_level1]}]},
            "functions": {"type": "hbar", "unit": "%", "max": 100,
                          "categories": [s.label for s in self.by_function],
                          "series": [{"name": second, "data": [_pct(s.rate) for s in self.by_function]}]},
        }
        if monitoring:
            out["statuses"] = {"type": "pie", "items": [{"name": LIGHTS.get(k, k), "value": n,
                                                         "color": LIGHT_COLOURS.get(k)}
                                                        for k, n in self.statuses if n]}
        else:
            out["statuses"] = {"type": "bar", "unit": "份", "categories": list(GRADES),
                               "series": [{"name": "复算等级", "data": [n for _, n in self.statuses]},
                                          {"name": "自评等级", "data": [n for _, n in self.claimed_statuses]}]}
        return out


def _pct(value: float | None) -> float | None:
    return None if value is None else round(min(max(value, 0.0), 100.0), 1)


def _unique_labels(units: Sequence[UnitRow]) -> list[str]:
    """Unit names for a chart axis; a unit with several sheets gets the sheet's number."""
    seen: dict[str, int] = {}
    for u in units:
        seen[u.unit] = seen.get(u.unit, 0) + 1
    return [u.unit[:12] if seen[u.unit] == 1 else f"{u.unit[:10]}#{u.sheet_id}" for u in units]


def level1_label(ind: Indicator) -> str:
    """The indicator's 一级 (from 一级, else from its 二级), or 其他."""
    l1 = normalize_level1(ind.level1)
    if l1 is None:
        l2 = normalize_level2(ind.level2)
        l1 = level1_of(l2) if l2 else None
    return l1 or OTHER


_RANK = {name: i for i, name in enumerate(("产出指标", "成本指标", "效益指标", "满意度指标"))}


def _order(labels: Sequence[str]) -> list[str]:
    rank = _RANK
    return sorted(labels, key=lambda x: (rank.get(x, len(rank)), x))


def _placement(sheet: Sheet) -> dict[str, tuple[str, str | None, Indicator]]:
    """where -> (一级, 核心职能 label or None, indicator)."""
    out: dict[str, tuple[str, str | None, Indicator]] = {}
    for fi, fn in enumerate(sheet.functions):
        for ii, ind in enumerate(fn.indicators):
            out[f"functions[{fi}].indicators[{ii}]"] = (level1_label(ind), fn.label, ind)
    for ii, ind in enumerate(sheet.indicators):
        out[f"indicators[{ii}]"] = (level1_label(ind), None, ind)
    return out


def _text(target: Any) -> str:
    return "" if target is None else str(getattr(target, "text", target) or "")


def _function_label(unit: str, label: str, several: bool) -> str:
    return f"{unit[:10]}·{label[:14]}" if several else label[:24]


# ---------------------------------------------------------------- monitoring


@dataclass(frozen=True, slots=True)
class MonitoredSheet:
    sheet_id: int
    unit: str
    title: str
    sheet: Sheet                       # the approved version reported on
    entries: Sequence[Entry]
    assessment: Assessment


def monitoring_dashboard(reports: Sequence[MonitoredSheet], *, month: int,
                         rules: MonitoringRules = DEFAULT_RULES) -> Dashboard:
    """A round's dashboard over ``reports`` (every sheet the viewer may see)."""
    line = rules.threshold(month)
    units = tuple(UnitRow(r.sheet_id, r.unit, r.title, r.assessment.execution, r.assessment.progress,
                          r.assessment.light) for r in reports)
    level1: dict[str, list[float]] = {}
    functions: dict[str, list[float]] = {}
    several = len({r.unit for r in reports}) > 1
    risks: list[tuple[float, RiskItem]] = []
    for r in reports:
        placed = _placement(r.sheet)
        for e in r.entries:
            l1, fn, _ = placed.get(e.where, (OTHER, None, None))
            progress = r.assessment.per_indicator.get(e.where)
            if progress is not None:
                level1.setdefault(l1, []).append(progress)
                if fn is not None:
                    functions.setdefault(_function_label(r.unit, fn, several), []).append(progress)
            reason = ""
            if e.likelihood == "完全不可能":
                reason, rank = "预计完全不可能完成", -2.0
            elif e.likelihood == "有可能":
                reason, rank = "预计有可能完不成", -1.0
            elif progress is not None and line is not None and progress < line:
                reason, rank = f"完成进度 {progress:.1f}% 低于 1–{month}月的进度线 {line:g}%", progress
            if reason:
                if e.causes:
                    reason += " (原因: " + "、".join(e.causes) + ")"
                risks.append((rank, RiskItem(r.sheet_id, r.unit, r.title, e.where, e.name, l1, _text(e.target),
                                             e.so_far, progress, reason)))
    risks.sort(key=lambda x: x[0])
    lights = {"green": 0, "yellow": 0, "red": 0}
    for u in units:
        if u.status in lights:
            lights[u.status] += 1
    notes = (f"进度线: 1–{month}月 {line:g}% (与预算执行的预警线相同)" if line is not None
             else f"1–{month}月没有进度线: 只按完成可能性列出风险指标",)
    return Dashboard("monitoring", units, _means(level1, ordered=True), _means(functions, ordered=False),
                     tuple(lights.items()), (), tuple(r for _, r in risks[:MAX_AT_RISK]), len(risks), notes)


def _means(groups: Mapping[str, list[float]], *, ordered: bool) -> tuple[Share, ...]:
    labels = _order(list(groups)) if ordered else list(groups)
    return tuple(Share(k, round(math.fsum(groups[k]) / len(groups[k]), 2), len(groups[k])) for k in labels)


# ---------------------------------------------------------------- self-evaluation


@dataclass(frozen=True, slots=True)
class EvaluatedSheet:
    sheet_id: int
    unit: str
    title: str
    sheet: Sheet                       # the self-evaluation document
    score: SheetScore


def evaluation_dashboard(evaluations: Sequence[EvaluatedSheet]) -> Dashboard:
    """The year's self-evaluations over ``evaluations`` (every one the viewer may see)."""
    units: list[UnitRow] = []
    level1: dict[str, list[float]] = {}           # label -> [points, weight, count]
    functions: list[Share] = []
    several = len({e.unit for e in evaluations}) > 1
    risks: list[tuple[float, RiskItem]] = []
    grades = dict.fromkeys(GRADES, 0)
    claimed = dict.fromkeys(GRADES, 0)
    for ev in evaluations:
        s = ev.score
        placed = _placement(ev.sheet)
        got = math.fsum(i.counted for i in s.indicators if i.weight)
        weight = math.fsum(i.weight for i in s.indicators if i.weight and i.weight > 0)
        units.append(UnitRow(ev.sheet_id, ev.unit, ev.title, s.execution.rate,
                             100.0 * got / weight if weight > 0 else None, s.recomputed_grade, s.claimed_grade,
                             s.recomputed_total, s.claimed_total))
        grades[s.recomputed_grade] = grades.get(s.recomputed_grade, 0) + 1
        if s.claimed_grade in claimed:
            claimed[s.claimed_grade] += 1
        for f in s.functions:
            functions.append(Share(_function_label(ev.unit, f.label, several), f.rate, sum(
                1 for i in s.indicators if i.function == f.label), f.recomputed, f.weight))
        for i in s.indicators:
            l1, _, ind = placed.get(i.where, (i.block or OTHER, None, None))
            if i.weight and i.weight > 0:
                acc = level1.setdefault(l1, [0.0, 0.0, 0.0])
                acc[0] += i.counted
                acc[1] += i.weight
                acc[2] += 1
            rate = 100.0 * i.counted / i.weight if i.weight and i.weight > 0 else None
            inflation = [f.message for f in i.flags if f.inflation]
            # worst first: not recomputable, then by score rate; inflation alone last
            reason, rank = "", 100.0
            if i.recomputed is None and i.weight:
                reason, rank = _unscorable(i.derivation, ind), -1.0
            elif rate is not None and i.weight is not None and rate < 100.0 - 1e-9:
                reason, rank = f"复算 {i.counted:g} 分, 低于分值 {i.weight:g} 分", rate
            if inflation:
                reason = "; ".join(x for x in (reason, inflation[0]) if x)
            if reason:
                actual = ind.actual if ind is not None else None
                target = ind.target if ind is not None else None
                risks.append((rank, RiskItem(ev.sheet_id, ev.unit, ev.title, i.where, i.name, l1, _text(target),
                                             _text(actual), None if rate is None else round(rate, 2), reason)))
    risks.sort(key=lambda x: x[0])
    by_level1 = tuple(Share(k, round(100.0 * level1[k][0] / level1[k][1], 2) if level1[k][1] > 0 else None,
                            int(level1[k][2]), round(level1[k][0], 2), round(level1[k][1], 2))
                      for k in _order(list(level1)))
    return Dashboard("evaluation", tuple(units), by_level1, tuple(functions),
                     tuple((g, grades.get(g, 0)) for g in GRADES), tuple((g, claimed[g]) for g in GRADES),
                     tuple(r for _, r in risks[:MAX_AT_RISK]), len(risks),
                     ("指标得分率 = 复算得分之和 / 分值之和 (不含预算执行)",))


def _unscorable(derivation: str, ind: Indicator | None) -> str:
    """Why an indicator could not be recomputed, without the weight's own derivation
    (``分值 …;``) that opens it."""
    if ind is not None and ind.actual is None:
        return "没有实际完成值, 无法复算"
    parts = [p for p in derivation.split("; ") if p and not p.startswith("分值")]
    return "无法复算: " + ("; ".join(parts)[:80] or "实际完成值与指标值不能比较")
