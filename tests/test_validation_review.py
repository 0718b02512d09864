"""The checker against the review set (tests/data/review): what a reviewer raises
is found, what the checker raises is what a reviewer would raise, and nothing a
reviewer would not block on is an error (issue 13's acceptance)."""
from __future__ import annotations

import json

import pytest

from jixiao.model.codec import sheet_from_dict
from jixiao.validation.engine import run
from jixiao.validation.review import SHARED_GOLD, load, measure, summary


@pytest.fixture(scope="module")
def review_dir(repo_root):
    return repo_root / "tests" / "data" / "review"


@pytest.fixture(scope="module")
def figures(review_dir):
    return measure(review_dir)


def _entries(review_dir):
    for path in sorted(review_dir.glob("*.json")):
        if path.name != "figures.json":
            entry = load(path)
            if entry is not None:
                yield path.stem, entry


def test_the_set_has_at_least_twenty_sheets(figures):
    assert figures.sheets >= 20 - (0 if SHARED_GOLD.exists() else 6)


def test_recall_of_expected_problems(figures):
    assert figures.recall >= 0.85, figures.missed


def test_precision_of_warnings_and_errors(figures):
    assert figures.precision >= 0.85, figures.wrong


def test_no_error_a_reviewer_would_not_block_on(figures):
    assert not figures.blocking_noise


def test_noise_never_appears(review_dir):
    for name, entry in _entries(review_dir):
        report = run(sheet_from_dict(entry["sheet"]))
        for noise in entry.get("noise", []):
            codes = noise["code"]
            bad = [d for d in report.findings if d.code in codes and d.severity != "info"
                   and (d.where == noise["where"] or d.where.startswith(noise["where"] + "."))]
            assert not bad, (name, [d.message for d in bad])


def test_clean_sheets_have_no_warnings(review_dir):
    for name, entry in _entries(review_dir):
        if name.endswith(("clean_project", "clean_department")):
            report = run(sheet_from_dict(entry["sheet"]))
            assert not [d.message for d in report.findings if d.severity != "info"], name


def test_stored_figures_are_current(review_dir, figures):
    if not SHARED_GOLD.exists():
        pytest.skip("../shared/corpus/dev/gold is absent: the stored figures include its readings")
    stored = json.loads((review_dir / "figures.json").read_text("utf-8"))
    assert stored == summary(figures), \
        "run `python -m jixiao.validation.review tests/data/review --write`, then regenerate docs/rules.md"
