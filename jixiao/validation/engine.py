"""Run the enabled rules over a sheet and build the report (findings, score, grade)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model.codec import diagnostic_to_dict
from ..model.sheet import Diagnostic, Sheet
from .context import Context, Hit
from .profile import Profile, default_profile
from .registry import SEVERITIES, Rule, all_rules
from .score import grade_of, score_of

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

    def to_dict(self) -> dict[str, Any]:
        return {"score": self.score, "grade": self.grade, "counts": dict(self.counts),
                "indicators": self.indicators, "regime": self.regime, "profile": self.profile,
                "findings": [diagnostic_to_dict(d) for d in self.findings]}


def run(sheet: Sheet, *, profile: Profile | None = None, previous: Sheet | None = None) -> Report:
    profile = profile or default_profile()
    ctx = Context(sheet, profile, previous)
    position = {id(it): n for n, it in enumerate(ctx.items)}
    keyed: list[tuple[tuple, Diagnostic]] = []
    for r in all_rules():
        if not profile.is_enabled(r.id):
            continue
        severity = profile.severity_of(r.id, r.severity)
        rank = (_RANK[severity], r.sort_key)
        for hit in r.func(ctx):
            keyed.append((_order(hit, position, rank), _diagnostic(ctx, r, severity, hit)))
    keyed.sort(key=lambda pair: pair[0])
    findings = [d for _, d in keyed]
    counts = {s: 0 for s in SEVERITIES}
    for d in findings:
        counts[d.severity] += 1
    score = score_of(((d.code, d.severity) for d in findings), len(ctx.items))
    return Report(findings, score, grade_of(score), len(ctx.items), ctx.regime, profile.name, counts)


def _order(hit: Hit, position: dict[int, int], rank: tuple) -> tuple:
    """Functions in order (a function's own findings before its indicators'), then the
    flat list, then the sheet; inside one place, errors first, then catalogue order."""
    group = 0 if hit.fn is not None else (1 if hit.item is not None else 2)
    item = position[id(hit.item)] if hit.item is not None else -1
    return (group, hit.fn if hit.fn is not None else 0, item, *rank)


def _diagnostic(ctx: Context, r: Rule, severity: str, hit: Hit) -> Diagnostic:
    extra: dict[str, Any] = {}
    if hit.fn is not None:
        extra["function"] = ctx.label_of(hit.fn)
    it = hit.item
    if it is not None:
        extra.update(level1=it.ind.level1, level2=it.ind.level2, indicator=it.name)
    return Diagnostic(r.id, severity, hit.where, hit.message, hit.hint, extra)
