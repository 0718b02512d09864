"""The rule registry: every check is a small function registered with its metadata.

A rule is ``fn(ctx) -> Iterable[Hit]``. Its metadata (stable ``id``, default
``severity``, Chinese ``title`` / ``checks`` / ``why``) and two embedded examples
(a sheet fragment that fails and one that passes) live next to the code, so the
catalogue (``python -m jixiao.validation.catalog``) and the tests read the same
source of truth.

IDs: ``R1`` … ``R26`` are the reviewer rules of domain.md §3; ``V-…`` are the
checks beyond them (some refine a domain rule where its parts deserve different
severities, e.g. a missing operator is a warning while a missing value is an error).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .labels import SEVERITY_LABEL  # noqa: F401  (re-exported for callers)

if TYPE_CHECKING:
    from .context import Context, Hit

SEVERITIES = ("error", "warning", "info")
_ID = re.compile(r"R[1-9]\d?|V-[A-Z0-9]+(?:-[A-Z0-9]+)*")


@dataclass(frozen=True, slots=True)
class Example:
    """A sheet fragment in the interchange shape (gold style: string targets are
    parsed), with the previous sheet and profile overrides the rule needs."""

    sheet: dict[str, Any]
    previous: dict[str, Any] | None = None
    profile: dict[str, Any] | None = None   # same shape as a profile TOML, merged over the default
    note: str = ""                          # one line for the catalogue


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: str
    title: str
    checks: str                 # what it checks (Chinese)
    why: str                    # why a reviewer cares (Chinese)
    fails: Example
    passes: Example
    func: Callable[[Context], Iterable[Hit]]
    needs: str = ""             # data the rule needs; it stays silent without it (Chinese)
    refines: str = ""           # the domain rule a V- rule refines, e.g. "R8"
    order: int = 0
    # Rules whose finding on the same cell describes the same defect: when this rule
    # speaks about an indicator (or a header field), theirs is dropped (one defect, one fix).
    supersedes: tuple[str, ...] = ()
    # "setting": a finding about how the targets were set; on a self-evaluation the
    # indicators are fixed, so it becomes advice for next year ("advice") or a request
    # to explain the deviation ("explain"). "evaluation": a check of the evaluation itself.
    phase: str = "setting"
    on_self_evaluation: str = "advice"
    # A completeness rule (something is missing): on a table the importer marked
    # incomplete it speaks conditionally, as a 提示.
    completeness: bool = False

    @property
    def sort_key(self) -> tuple:
        """Catalogue order: R1…R26, each followed by the V- rules that refine it; then
        the other V- rules in registration order."""
        if self.id.startswith("R"):
            return (0, int(self.id[1:]), 0)
        base = int(self.refines[1:]) if self.refines.startswith("R") else 99
        return (1 if not self.refines else 0, base, self.order)


RULES: dict[str, Rule] = {}


def rule(id: str, severity: str, *, title: str, checks: str, why: str, fails: Example,
         passes: Example, needs: str = "", refines: str = "", supersedes: tuple[str, ...] = (),
         phase: str = "setting", on_self_evaluation: str = "advice", completeness: bool = False):
    """Register the decorated function as rule ``id``."""
    if not _ID.fullmatch(id):
        raise ValueError(f"bad rule id {id!r}")
    if severity not in SEVERITIES:
        raise ValueError(f"{id}: bad severity {severity!r}")
    if id in RULES:
        raise ValueError(f"rule {id} registered twice")
    if phase not in ("setting", "evaluation") or on_self_evaluation not in ("advice", "explain"):
        raise ValueError(f"{id}: bad phase {phase!r} / {on_self_evaluation!r}")

    def register(fn: Callable[[Context], Iterable[Hit]]):
        RULES[id] = Rule(id, severity, title, checks, why, fails, passes, fn, needs, refines,
                         order=len(RULES), supersedes=tuple(supersedes), phase=phase,
                         on_self_evaluation=on_self_evaluation, completeness=completeness)
        return fn

    return register


def all_rules() -> list[Rule]:
    """Every registered rule in catalogue order (R1…R26 with their refinements, then extras)."""
    from . import rules  # noqa: F401  (importing the package registers the rules)

    return sorted(RULES.values(), key=lambda r: r.sort_key)


# --- example builders: small, readable sheet fragments ------------------------------------

def ind(level1: str, level2: str, name: str, target: str | None = None, **fields: Any) -> dict:
    """One indicator dict; ``target`` in gold style ("≥95%")."""
    return {"level1": level1, "level2": level2, "name": name, "target": target, **fields}


def qty(name: str, target: str, **f: Any) -> dict:
    return ind("产出指标", "数量指标", name, target, **f)


def qual(name: str, target: str, **f: Any) -> dict:
    return ind("产出指标", "质量指标", name, target, **f)


def timely(name: str, target: str, **f: Any) -> dict:
    return ind("产出指标", "时效指标", name, target, **f)


def cost(name: str, target: str, **f: Any) -> dict:
    return ind("产出指标", "成本指标", name, target, **f)


def social(name: str, target: str, **f: Any) -> dict:
    return ind("效益指标", "社会效益指标", name, target, **f)


def econ(name: str, target: str, **f: Any) -> dict:
    return ind("效益指标", "经济效益指标", name, target, **f)


def sat(name: str, target: str, **f: Any) -> dict:
    return ind("满意度指标", "服务对象满意度指标", name, target, **f)


BASIC = (qty("培训人次", "≥500人次"), social("政策知晓率", "≥90%"), sat("参训人员满意度", "≥90%"))


def project(*indicators: dict, **header: Any) -> dict:
    """A project sheet (项目支出) with a complete header unless overridden."""
    d = {"kind": "project", "stage": "approval", "year": 2024, "project": "农村实用技术培训项目",
         "unit": "示例县农业技术推广中心", "supervisor": "示例县农业农村局",
         "goals": ["开展农村实用技术培训, 提高农民种植技术水平"],
         "indicators": list(indicators)}
    d.update(header)
    return d


def function(label: str, description: str | None, *indicators: dict) -> dict:
    return {"label": label, "description": description, "indicators": list(indicators)}


def department(*functions: dict, **header: Any) -> dict:
    """A department sheet (部门整体支出) grouped by 核心职能."""
    d = {"kind": "department", "stage": "approval", "year": 2024, "unit": "示例镇人民政府",
         "supervisor": "示例镇人民政府", "goals": ["开展农村实用技术培训, 提高农民种植技术水平"],
         "functions": list(functions)}
    d.update(header)
    return d
