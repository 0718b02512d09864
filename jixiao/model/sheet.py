"""The sheet: one performance-target table (绩效目标表) at any stage.

Pure data. The JSON contract (``jixiao/sheet@1``, docs/interchange.md) maps onto
these classes one to one; ``jixiao.model.codec`` converts both ways.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .target import Target

SCHEMA = "jixiao/sheet@1"
KINDS = ("department", "project")
STAGES = ("declaration", "approval", "monitoring", "self_evaluation")
SEVERITIES = ("error", "warning", "info")
DIRECTIONS = ("positive", "negative", "equal", "range")


@dataclass(slots=True)
class Indicator:
    """A 三级指标 with its place in the tree (一级/二级) and its values."""

    level1: str | None
    level2: str | None
    name: str
    target: Target | None
    weight: float | None = None
    direction: str | None = None
    actual: Target | None = None
    score: float | None = None
    explanation: str | None = None
    criteria: str | None = None
    basis: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Function:
    """A 核心职能 of a department sheet; ``description`` is None when the source lost it."""

    label: str
    description: str | None
    indicators: list[Indicator] = field(default_factory=list)


@dataclass(slots=True)
class Diagnostic:
    """What an importer inferred or a checker found. ``where`` is a path into the JSON."""

    code: str
    severity: str
    where: str
    message: str
    hint: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Sheet:
    kind: str = "department"
    stage: str = "approval"
    title: str | None = None
    year: int | None = None
    unit: str | None = None
    supervisor: str | None = None
    project: str | None = None
    funds: dict[str, float] | None = None
    overview: str | None = None
    goals: list[str] = field(default_factory=list)
    functions: list[Function] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def all_indicators(self) -> list[tuple[str, Indicator]]:
        """Every indicator with its JSON path, functions first."""
        out = [(f"functions[{fi}].indicators[{ii}]", ind)
               for fi, fn in enumerate(self.functions) for ii, ind in enumerate(fn.indicators)]
        out += [(f"indicators[{ii}]", ind) for ii, ind in enumerate(self.indicators)]
        return out
