"""Sheets the test generator builds clean get no error-level finding."""
from __future__ import annotations

import random
from collections import Counter

import pytest
from generator import make_sheet

from jixiao.validation import check

N = 300


def generated():
    for i in range(N):
        rng = random.Random(f"jixiao-clean:{i}")
        kind = "department" if i % 2 else "project"
        regime = "classic" if (i // 2) % 2 else "2021"
        yield i, make_sheet(rng, kind=kind, regime=regime)


@pytest.fixture(scope="module")
def reports():
    return [(i, sheet, check(sheet)) for i, sheet in generated()]


def test_clean_generated_sheets_have_no_errors(reports):
    errors = [(i, sheet.kind, d.code, d.message)
              for i, sheet, report in reports for d in report.findings if d.severity == "error"]
    assert not errors, errors[:10]


def test_both_kinds_and_regimes_were_covered(reports):
    seen = Counter((s.kind, "2021" if r.regime == "2021" else "classic") for _, s, r in reports)
    assert len(seen) == 4


def test_generated_sheets_grade_mostly_good(reports):
    grades = Counter(r.grade for _, _, r in reports)
    assert grades["差"] <= N * 0.05, grades
