"""The target-quality checker (审核规则): reviewer rules R1–R26 of domain.md §3 and
the checks beyond them, with explained findings, a score and a grade.

    from jixiao.validation import check
    report = check(sheet)                       # default profile
    report = check(sheet, profile="本地.toml", previous=last_year_sheet)
    report.findings   # [Diagnostic(code="R18", severity="error", where=…, message=…, hint=…)]
    report.score, report.grade

Rules live in ``rules/`` (one module per theme) and register themselves with their
metadata and examples (``registry.rule``); ``python -m jixiao.validation.catalog``
prints the catalogue (docs/rules.md) from them.
"""
from __future__ import annotations

from pathlib import Path

from ..model.sheet import Sheet
from .engine import Report, run
from .profile import Profile, default_profile, load_profile
from .registry import Rule, all_rules

__all__ = ["check", "Report", "Profile", "Rule", "all_rules", "default_profile", "load_profile"]


def check(sheet: Sheet, *, profile: Profile | str | Path | None = None,
          previous: Sheet | None = None) -> Report:
    """Check ``sheet`` under ``profile`` (a Profile, a TOML path, or None for the
    default); ``previous`` is last year's sheet, or the approved sheet when
    ``sheet`` is its self-evaluation."""
    if isinstance(profile, (str, Path)):
        profile = load_profile(profile)
    return run(sheet, profile=profile, previous=previous)
