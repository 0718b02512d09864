"""What changed between two versions of a sheet, per header field and per indicator.

Indicators are matched by where they sit and what they are called: within the
same function (by label) and the same 一级/二级, an indicator of the same name
is the same indicator, whose target or other fields may have changed. What is
left unmatched was added or removed — a rename shows as one removal and one
addition, which is what a reviewer comparing two printed forms sees too.
Pure: two ``Sheet`` objects in, a ``SheetDiff`` out.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .sheet import Indicator, Sheet
from .target import format_target

__all__ = ["FieldChange", "IndicatorChange", "SheetDiff", "diff_sheets", "merge3", "HEADER_FIELDS"]

#: Header fields compared, with the label a reviewer reads.
HEADER_FIELDS = {"title": "标题", "year": "年度", "unit": "单位", "supervisor": "主管部门", "project": "项目名称",
                 "funds": "资金", "overview": "职能概述", "kind": "表的种类", "stage": "阶段"}
#: Indicator fields compared besides the target.
INDICATOR_FIELDS = {"weight": "权重", "direction": "指标方向", "actual": "实际完成值", "score": "得分",
                    "explanation": "偏差说明", "criteria": "评分标准", "basis": "指标值依据"}


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    label: str
    before: Any
    after: Any


@dataclass(frozen=True, slots=True)
class IndicatorChange:
    """``kind`` is ``added``, ``removed`` or ``changed``; ``where`` the path in the
    newer version (the older one for a removal)."""

    kind: str
    where: str
    function: str
    level1: str
    level2: str
    name: str
    changes: tuple[FieldChange, ...] = ()


@dataclass(frozen=True, slots=True)
class SheetDiff:
    header: tuple[FieldChange, ...] = ()
    goals: tuple[FieldChange, ...] = ()
    indicators: tuple[IndicatorChange, ...] = ()
    functions: tuple[FieldChange, ...] = field(default_factory=tuple)

    @property
    def empty(self) -> bool:
        return not (self.header or self.goals or self.indicators or self.functions)

    def to_dict(self) -> dict[str, Any]:
        def fc(c: FieldChange) -> dict[str, Any]:
            return {"field": c.field, "label": c.label, "before": c.before, "after": c.after}

        return {"header": [fc(c) for c in self.header], "goals": [fc(c) for c in self.goals],
                "functions": [fc(c) for c in self.functions],
                "indicators": [{"kind": i.kind, "where": i.where, "function": i.function, "level1": i.level1,
                                "level2": i.level2, "name": i.name, "changes": [fc(c) for c in i.changes]}
                               for i in self.indicators]}


def _target_text(ind: Indicator) -> str:
    return format_target(ind.target) if ind.target is not None else ""


def _entries(sheet: Sheet) -> list[tuple[str, str, Indicator]]:
    """(path, function label, indicator) of every indicator, in sheet order."""
    labels = {f"functions[{i}]": fn.label for i, fn in enumerate(sheet.functions)}
    out = []
    for path, ind in sheet.all_indicators():
        out.append((path, labels.get(path.split(".")[0], ""), ind))
    return out


def _key(label: str, ind: Indicator) -> tuple[str, str, str, str]:
    return (label, ind.level1 or "", ind.level2 or "", " ".join(ind.name.split()))


def _indicator_changes(a: Indicator, b: Indicator) -> tuple[FieldChange, ...]:
    out = []
    if _target_text(a) != _target_text(b):
        out.append(FieldChange("target", "指标值", _target_text(a), _target_text(b)))
    for name, label in INDICATOR_FIELDS.items():
        before, after = getattr(a, name), getattr(b, name)
        if name == "actual":
            before = format_target(before) if before is not None else None
            after = format_target(after) if after is not None else None
        if before != after:
            out.append(FieldChange(name, label, before, after))
    return tuple(out)


def diff_sheets(older: Sheet, newer: Sheet) -> SheetDiff:
    header = tuple(FieldChange(f, label, getattr(older, f), getattr(newer, f))
                   for f, label in HEADER_FIELDS.items() if getattr(older, f) != getattr(newer, f))
    goals = tuple(FieldChange(f"goals[{i}]", f"目标{i + 1}", a, b)
                  for i, (a, b) in enumerate(_pad(older.goals, newer.goals)) if a != b)
    functions = tuple(FieldChange(f"functions[{i}].description", f"{b or a}的说明", da, db)
                      for i, ((a, da), (b, db)) in enumerate(_pad(
                          [(f.label, f.description) for f in older.functions],
                          [(f.label, f.description) for f in newer.functions], fill=("", None)))
                      if da != db or a != b)
    before: dict[tuple[str, str, str, str], list[tuple[str, Indicator]]] = {}
    for path, label, ind in _entries(older):
        before.setdefault(_key(label, ind), []).append((path, ind))
    changes: list[IndicatorChange] = []
    for path, label, ind in _entries(newer):
        matches = before.get(_key(label, ind))
        if matches:
            _, old = matches.pop(0)
            fields = _indicator_changes(old, ind)
            if fields:
                changes.append(IndicatorChange("changed", path, label, ind.level1 or "", ind.level2 or "",
                                               ind.name, fields))
        else:
            changes.append(IndicatorChange("added", path, label, ind.level1 or "", ind.level2 or "", ind.name,
                                           (FieldChange("target", "指标值", None, _target_text(ind)),)))
    for (label, _, _, _), rest in before.items():
        for path, old in rest:
            changes.append(IndicatorChange("removed", path, label, old.level1 or "", old.level2 or "", old.name,
                                           (FieldChange("target", "指标值", _target_text(old), None),)))
    return SheetDiff(header, goals, tuple(changes), functions)


def _pad(a: list[Any], b: list[Any], fill: Any = None) -> list[tuple[Any, Any]]:
    n = max(len(a), len(b))
    return [(a[i] if i < len(a) else fill, b[i] if i < len(b) else fill) for i in range(n)]


def merge3(base: Any, theirs: Any, mine: Any, path: str = "") -> tuple[Any, list[str]]:
    """Three-way merge of two edits of the same JSON document: where only one side
    changed something, that change is taken; where both changed the same thing
    differently, ``mine`` wins and the path is reported as a conflict.

    Objects merge key by key and lists of unchanged length item by item (a goal or
    an indicator edited on each side); a list whose length changed on a side is
    taken whole from the side that changed it (rows added or removed)."""
    if mine == theirs:
        return mine, []
    if mine == base:
        return theirs, []
    if theirs == base:
        return mine, []
    if isinstance(base, dict) and isinstance(theirs, dict) and isinstance(mine, dict):
        out: dict[str, Any] = {}
        conflicts: list[str] = []
        for key in dict.fromkeys([*base, *theirs, *mine]):
            merged, sub = merge3(base.get(key), theirs.get(key), mine.get(key), f"{path}.{key}" if path else key)
            if merged is not None or key in mine or key in theirs:
                out[key] = merged
            conflicts += sub
        return out, conflicts
    if isinstance(base, list) and isinstance(theirs, list) and isinstance(mine, list) \
            and len(base) == len(theirs) == len(mine):
        items, conflicts = [], []
        for i, (b, t, m) in enumerate(zip(base, theirs, mine)):
            merged, sub = merge3(b, t, m, f"{path}[{i}]")
            items.append(merged)
            conflicts += sub
        return items, conflicts
    return mine, [path]
