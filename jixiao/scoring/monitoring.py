"""Monitoring (运行监控, "双监控"): money progress against target progress, pure.

domain.md §5.4: a round covers January to some month; a unit reports, per approved
indicator, the value so far and the expected full-year value, the causes of a
deviation and the likelihood of reaching the target, and its budget execution.
Two warnings (the Sichuan rulebook's; every number a parameter):

* execution below the threshold of the period: Jan–Apr < 25 %, Jan–Jun < 40 %,
  Jan–Aug < 60 %, Jan–Oct < 80 % (a month between takes the threshold of the last
  listed month before it);
* a gap of more than 10 points between target progress and budget execution.

Traffic lights (same tiers as the qualitative scores, §4): green when no warning
and every indicator is likely to be reached, yellow on a warning or an indicator
"有可能", red when an indicator is "完全不可能" or execution is below half its
threshold.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..model.target import Target, parse_target

__all__ = ["MonitoringRules", "Entry", "Assessment", "assess", "CAUSES", "LIKELIHOODS", "DEFAULT_RULES"]

CAUSES = ("经费保障", "制度保障", "人员保障", "硬件保障", "其他")
LIKELIHOODS = ("确定能", "有可能", "完全不可能")


@dataclass(frozen=True, slots=True)
class MonitoringRules:
    #: month (end of the period) -> minimum execution rate in percent
    thresholds: Mapping[int, float] = field(default_factory=lambda: {4: 25.0, 6: 40.0, 8: 60.0, 10: 80.0})
    max_gap: float = 10.0

    def threshold(self, month: int) -> float | None:
        earlier = [m for m in self.thresholds if m <= month]
        return self.thresholds[max(earlier)] if earlier else None


DEFAULT_RULES = MonitoringRules()


@dataclass(frozen=True, slots=True)
class Entry:
    """One indicator's report: where (its path in the approved sheet), its target,
    what is done so far and expected for the year (as written), causes, likelihood."""

    where: str
    name: str
    target: Target | None
    so_far: str = ""
    expected: str = ""
    causes: tuple[str, ...] = ()
    likelihood: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class Assessment:
    execution: float | None          # percent of the budget executed
    progress: float | None           # mean target progress of the quantitative indicators, percent
    warnings: tuple[str, ...]
    light: str                       # green | yellow | red
    per_indicator: Mapping[str, float] = field(default_factory=dict)   # where -> progress percent


def _progress(entry: Entry) -> float | None:
    """Progress of one indicator in percent of its target, for targets with a number:
    so-far over target for ≥ and =, capped at 100; a ≤ target (a ceiling) counts as
    on track (100) while the value so far stays within it."""
    t = entry.target
    done = parse_target(entry.so_far) if entry.so_far else None
    if t is None or t.value is None or done is None or done.value is None or t.kind != "quantity":
        return None
    op = t.op or t.op_inferred or "≥"
    if op in ("≤", "<"):
        return 100.0 if done.value <= t.value else max(0.0, 100.0 * t.value / done.value) if done.value else 100.0
    if t.value == 0:
        return None
    return max(0.0, min(100.0, 100.0 * done.value / t.value))


def assess(entries: Sequence[Entry], *, budget: float | None, executed: float | None, month: int,
           rules: MonitoringRules = DEFAULT_RULES) -> Assessment:
    """The warnings and the traffic light of one unit's report for a round ending in ``month``."""
    execution = (100.0 * executed / budget) if budget and executed is not None and budget > 0 else None
    per = {e.where: p for e in entries if (p := _progress(e)) is not None}
    progress = sum(per.values()) / len(per) if per else None
    warnings: list[str] = []
    threshold = rules.threshold(month)
    if execution is not None and threshold is not None and execution < threshold:
        warnings.append(f"预算执行率 {execution:.1f}% 低于 1–{month}月的预警线 {threshold:g}%")
    if execution is not None and progress is not None and abs(progress - execution) > rules.max_gap:
        warnings.append(f"目标完成进度 {progress:.1f}% 与预算执行率 {execution:.1f}% 相差 "
                        f"{abs(progress - execution):.1f} 个百分点, 超过 {rules.max_gap:g} 个百分点")
    hopeless = [e.name for e in entries if e.likelihood == "完全不可能"]
    if hopeless:
        warnings.append("预计完全不可能完成: " + "、".join(hopeless[:5]) + (" 等" if len(hopeless) > 5 else ""))
    missing = [e.name for e in entries if not e.so_far]
    if missing:
        warnings.append(f"{len(missing)} 个指标没有填写当前完成值")
    unexplained = [e.name for e in entries if e.likelihood in ("有可能", "完全不可能") and not e.causes]
    if unexplained:
        warnings.append("未说明偏差原因: " + "、".join(unexplained[:5]) + (" 等" if len(unexplained) > 5 else ""))
    severe = hopeless or (execution is not None and threshold is not None and execution < threshold / 2)
    doubtful = any(e.likelihood == "有可能" for e in entries)
    light = "red" if severe else "yellow" if warnings or doubtful else "green"
    return Assessment(execution, progress, tuple(warnings), light, per)
