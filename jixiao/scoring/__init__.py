"""Self-evaluation scoring (自评复算): pure, no I/O.

``score_sheet(sheet, config, approved=None) -> SheetScore`` recomputes every
indicator, budget execution, the per-function sums, the total and the grade of a
self-evaluation sheet, each with its derivation in Chinese. The settings are the
``[scoring]`` table of a review profile (``config``). Formulas and their sources:
docs/scoring.md.
"""
from __future__ import annotations

from .config import DEFAULT, ScoringConfig, config_from_profile_data, config_from_profile_text, scoring_config
from .engine import score_sheet, tier_of
from .result import ExecutionScore, Flag, FunctionScore, IndicatorScore, SheetScore

__all__ = ["DEFAULT", "ScoringConfig", "scoring_config", "config_from_profile_text", "config_from_profile_data",
           "score_sheet", "tier_of", "SheetScore", "IndicatorScore", "ExecutionScore", "FunctionScore", "Flag"]
