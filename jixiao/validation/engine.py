"""Run the enabled rules over a sheet and build the report (findings, score, grade).

Besides running the rules, the engine applies three reviewer conventions, so that
rules stay simple and the report reads like one reviewer wrote it:

* one defect, one finding: a rule that ``supersedes`` others removes their finding
  on the same indicator (or header field);
* on a self-evaluation the indicators are fixed ("不增、不减"): findings about how
  the targets were set become 提示, worded as advice for next year's targets or as
  a request to explain the deviation;
* on a table the importer marked incomplete, completeness rules become 提示 and
  say that the missing part may be in what was not read.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..model.codec import diagnostic_to_dict
from ..model.sheet import Diagnostic, Sheet
from .context import Context, Hit
from .profile import Profile, default_profile
from .registry import SEVERITIES, Rule, all_rules
from .score import GRADE_MEANING, grade_of, score_of

_RANK = {s: i for i, s in enumerate(SEVERITIES)}


@dataclass(slots=True)
class Report:
    """What a check found. ``findings`` are in document order: each 核心职能 (its own
    findings first, then its indicators'), the flat list, then the sheet as a whole."""

    findings: list[Diagnostic]
    score: float
    grade: str
    indicators: int
    regime: str
    profile: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def has_errors(self) -> bool:
        return self.counts.get("error", 0) > 0

    @property
    def grade_meaning(self) -> str:
        """What the grade means for the sheet (domain.md §3): 优 可直接进入预算环节 …"""
        return GRADE_MEANING.get(self.grade, "")

    def to_dict(self) -> dict[str, Any]:
        return {"score": self.score, "grade": self.grade, "grade_meaning": self.grade_meaning,
                "counts": dict(self.counts), "indicators": self.indicators, "regime": self.regime,
                "profile": self.profile, "findings": [diagnostic_to_dict(d) for d in self.findings]}


def run(sheet: Sheet, *, profile: Profile | None = None, previous: Sheet | None = None) -> Report:
    profile = profile or default_profile()
    ctx = Context(sheet, profile, previous)
    position = {id(it): n for n, it in enumerate(ctx.items)}
    self_eval = sheet.stage == "self_evaluation"
    raw: list[tuple[Rule, Hit]] = []
    for r in all_rules():
        if profile.is_enabled(r.id):
            raw += [(r, hit) for hit in r.func(ctx)]
    # One defect on one cell is one finding: drop what a superseding rule already says.
    spoken = {(r.id, _cell(h)) for r, h in raw}
    keyed: list[tuple[tuple, Diagnostic]] = []
    for r, hit in raw:
        cell = _cell(hit)
        if any((other.id, cell) in spoken for other in _superseders(r.id)):
            continue
        severity = profile.severity.get(r.id) or hit.severity or r.severity
        message, hint = hit.message, hit.hint
        if r.completeness and ctx.incomplete:
            severity = "info"
            message += " (导入的表格不完整, 缺少的内容可能在未读到的部分, 请对照原表核实)"
        if self_eval and r.phase == "setting" and r.id not in profile.severity:
            severity = "info"
            if r.on_self_evaluation == "explain":
                hint = f"自评时指标值不作调整: 在偏差原因分析中说明; 编制下年度目标时{_lead(hint)}"
            else:
                hint = f"自评时指标不增不减, 本条供编制下年度绩效目标参考: {hint}"
        rank = (_RANK[severity], r.sort_key)
        keyed.append((_order(hit, position, rank), _diagnostic(ctx, r, severity, hit, message, hint)))
    keyed.sort(key=lambda pair: pair[0])
    findings = [d for _, d in keyed]
    counts = {s: 0 for s in SEVERITIES}
    for d in findings:
        counts[d.severity] += 1
    score = score_of(((d.code, d.severity) for d in findings), len(ctx.items))
    return Report(findings, score, grade_of(score), len(ctx.items), ctx.regime, profile.name, counts)


_SUPERSEDERS: dict[str, list[Rule]] | None = None


def _superseders(rule_id: str) -> list[Rule]:
    """Rules whose finding on a cell removes ``rule_id``'s; ``"*"`` supersedes every other rule."""
    global _SUPERSEDERS
    if _SUPERSEDERS is None:
        table: dict[str, list[Rule]] = {}
        rules = all_rules()
        for r in rules:
            for other in r.supersedes:
                for target in ([x.id for x in rules if x.id != r.id] if other == "*" else [other]):
                    table.setdefault(target, []).append(r)
        _SUPERSEDERS = table
    return _SUPERSEDERS.get(rule_id, [])


def _cell(hit: Hit) -> object:
    """What a finding is about: the indicator, else its place in the sheet."""
    return id(hit.item) if hit.item is not None else hit.where


def _lead(hint: str) -> str:
    return hint if hint.startswith(("把", "将", "改", "写", "补", "按", "删", "移", "在", "用", "核")) else ": " + hint


def _order(hit: Hit, position: dict[int, int], rank: tuple) -> tuple:
    """Functions in order (a function's own findings before its indicators'), then the
    flat list, then the sheet; inside one place, errors first, then catalogue order."""
    group = 0 if hit.fn is not None else (1 if hit.item is not None else 2)
    item = position[id(hit.item)] if hit.item is not None else -1
    return (group, hit.fn if hit.fn is not None else 0, item, *rank)


def _diagnostic(ctx: Context, r: Rule, severity: str, hit: Hit, message: str, hint: str) -> Diagnostic:
    extra: dict[str, Any] = {}
    if hit.fn is not None:
        extra["function"] = ctx.label_of(hit.fn)
    it = hit.item
    if it is not None:
        extra.update(level1=it.ind.level1, level2=it.ind.level2, indicator=it.name)
    extra["location"] = location(ctx, hit)
    return Diagnostic(r.id, severity, hit.where, message, hint, extra)


# --- Chinese locations: 表头·主管部门, 年度目标3, 职能2 › 产出指标 › 数量指标 › 名称 ------------
_HEADER = {"supervisor": "主管部门", "project": "项目名称", "unit": "部门(单位)名称", "funds": "资金",
           "year": "年度", "overview": "职能概述", "title": "标题"}
_FIELD = {"target": "指标值", "name": "指标名称", "level1": "一级指标", "level2": "二级指标", "weight": "权重",
          "score": "得分", "actual": "实际完成值", "basis": "取值依据", "explanation": "指标解释",
          "criteria": "评(扣)分标准", "description": "职能描述"}
_GOAL = re.compile(r"goals\[(\d+)\]")
_FUNCTION = re.compile(r"functions\[(\d+)\](?:\.(\w+))?$")


def location(ctx: Context, hit: Hit) -> str:
    """Where a finding is, in the words of the form (never a JSON path)."""
    it = hit.item
    if it is not None:
        parts = [ctx.label_of(it.fn)] if it.fn is not None else []
        parts += [it.ind.level1 or "(无一级指标)", it.ind.level2 or "(无二级指标)", it.name or "(无名称)"]
        return " › ".join(parts)
    w = hit.where
    if w in _HEADER:
        return f"表头·{_HEADER[w]}"
    m = _GOAL.fullmatch(w)
    if m:
        return f"年度目标{int(m[1]) + 1}"
    if w == "goals":
        return "年度目标"
    m = _FUNCTION.fullmatch(w)
    if m:
        label = ctx.label_of(int(m[1])) if int(m[1]) < len(ctx.sheet.functions) else f"职能{int(m[1]) + 1}"
        return f"{label} › {_FIELD.get(m[2], '')}" if m[2] else label
    if hit.fn is not None:
        return ctx.label_of(hit.fn)
    return "指标表" if w in ("indicators", "functions") else "整表"
