"""What the scoring engine returns: per indicator, per function, execution, totals.

Plain frozen data; ``SheetScore.to_dict()`` is the JSON shape of ``jixiao score
--format json`` (issue 15: scores as numbers, null where none).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Flag:
    """Something a reviewer should look at. ``inflation`` marks the signs of an
    inflated self-evaluation (full marks without evidence, claims above the numbers)."""

    code: str
    message: str
    inflation: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "inflation": self.inflation}


# Not frozen: one is built per indicator and a frozen __init__ costs 2.5× as much
# (object.__setattr__ per field), a tenth of scoring a 10,000-indicator sheet.
@dataclass(slots=True)
class IndicatorScore:
    where: str                       # path into the sheet JSON
    name: str
    function: str | None             # 职能 label on a department sheet
    block: str | None                # 一级 the points come from (产出指标 …), None when unknown
    weight: float | None
    weight_source: str               # "sheet", "approved", "profile" or "none"
    method: str                      # positive, equal, reverse, range, qualitative, unscorable
    claimed: float | None
    recomputed: float | None         # None: the numbers do not allow a recomputation
    counted: float                   # what the recomputed total takes for this indicator
    derivation: str
    flags: tuple[Flag, ...] = ()

    @property
    def difference(self) -> float | None:
        """claimed − recomputed, or None when either is missing."""
        if self.claimed is None or self.recomputed is None:
            return None
        return round(self.claimed - self.recomputed, 6)

    def to_dict(self) -> dict[str, Any]:
        return {"where": self.where, "name": self.name, "function": self.function, "block": self.block,
                "weight": self.weight, "weight_source": self.weight_source, "method": self.method,
                "claimed": self.claimed, "recomputed": self.recomputed, "difference": self.difference,
                "derivation": self.derivation, "flags": [f.to_dict() for f in self.flags]}


@dataclass(frozen=True, slots=True)
class ExecutionScore:
    weight: float
    claimed: float | None
    recomputed: float | None
    rate: float | None               # executed / denominator, in % (2 decimals)
    derivation: str
    flags: tuple[Flag, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"weight": self.weight, "claimed": self.claimed, "recomputed": self.recomputed,
                "rate": self.rate, "derivation": self.derivation,
                "flags": [f.to_dict() for f in self.flags]}


@dataclass(frozen=True, slots=True)
class FunctionScore:
    """One 核心职能 of a department sheet: its indicators' points and their share."""

    label: str
    weight: float
    claimed: float | None
    recomputed: float
    rate: float | None               # recomputed / weight in % (None without weight)
    grade: str | None                # the grade of that share, same floors as the total

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "weight": self.weight, "claimed": self.claimed,
                "recomputed": self.recomputed, "rate": self.rate, "grade": self.grade}


@dataclass(frozen=True, slots=True)
class SheetScore:
    indicators: tuple[IndicatorScore, ...]
    execution: ExecutionScore
    functions: tuple[FunctionScore, ...]
    claimed_total: float | None
    recomputed_total: float
    claimed_grade: str | None
    recomputed_grade: str
    flags: tuple[Flag, ...]          # sheet-level findings
    notes: tuple[str, ...]           # how weights were found, what was assumed
    profile: str

    @property
    def inflation(self) -> list[Flag]:
        out = [f for f in self.flags if f.inflation]
        out += [f for i in self.indicators for f in i.flags if f.inflation]
        out += [f for f in self.execution.flags if f.inflation]
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "indicators": [i.to_dict() for i in self.indicators],
            "execution": self.execution.to_dict(),
            "functions": [f.to_dict() for f in self.functions],
            "total": {"claimed": self.claimed_total, "recomputed": self.recomputed_total},
            "grade": {"claimed": self.claimed_grade, "recomputed": self.recomputed_grade},
            "flags": [f.to_dict() for f in self.flags],
            "inflation": len(self.inflation),
            "notes": list(self.notes),
            "profile": self.profile,
        }
