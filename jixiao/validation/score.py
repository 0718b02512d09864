"""The quality score (0–100) and reviewer grade (优/良/中/差) of a checked sheet.

    score = 100 − Σ over rules of  W[severity] × (1 + ln(max(1, n × 20 / max(N, 20))))

``n`` is the number of findings of one rule, ``N`` the number of indicators. One
finding of a rule costs its full weight; more findings of the same rule cost less
and less each (a sheet that writes "≧" fifty times has one habit, not fifty
problems), and on a sheet larger than 20 indicators the count is scaled to a
20-indicator sheet, so large sheets are not punished for their size. Any error
caps the score at 79: a sheet with an error cannot be submitted as it is (中, revise
and resubmit). The score never goes below 0 and is rounded to one decimal.

Grades (domain.md §3, §4.1): 优 ≥ 90, 良 80–<90, 中 60–<80, 差 < 60.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

WEIGHTS = {"error": 10.0, "warning": 2.5, "info": 0.4}
REFERENCE_SIZE = 20
ERROR_CAP = 79.0
GRADES = ((90.0, "优"), (80.0, "良"), (60.0, "中"), (0.0, "差"))
GRADE_MEANING = {"优": "可直接进入预算环节", "良": "小幅修改后进入预算环节", "中": "修改后重新报送",
                 "差": "不能进入预算环节"}


def rule_penalty(severity: str, count: int, indicators: int) -> float:
    """What ``count`` findings of one rule of ``severity`` cost on a sheet of ``indicators``."""
    if count <= 0:
        return 0.0
    scaled = count * REFERENCE_SIZE / max(indicators, REFERENCE_SIZE)
    return WEIGHTS.get(severity, 0.0) * (1.0 + math.log(max(1.0, scaled)))


def score_of(findings: Iterable[tuple[str, str]], indicators: int) -> float:
    """Score from ``(rule id, severity)`` pairs."""
    counts = Counter(findings)
    penalty = sum(rule_penalty(sev, n, indicators) for (_, sev), n in counts.items())
    score = max(0.0, 100.0 - penalty)
    if any(sev == "error" for _, sev in counts):
        score = min(score, ERROR_CAP)
    return round(score, 1)


def grade_of(score: float) -> str:
    return next(g for floor, g in GRADES if score >= floor)
