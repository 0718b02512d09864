"""docs/rules.md is generated from the rules and must match the code."""
from __future__ import annotations

import re

import pytest

from jixiao.validation import all_rules
from jixiao.validation.catalog import render


@pytest.fixture(scope="module")
def catalogue(repo_root) -> str:
    return (repo_root / "docs" / "rules.md").read_text(encoding="utf-8")


def test_rules_md_is_up_to_date(catalogue):
    assert catalogue == render(), \
        "docs/rules.md is out of date: run `python -m jixiao.validation.catalog > docs/rules.md`"


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.id)
def test_every_rule_is_documented_with_both_examples(catalogue, rule):
    section = re.search(rf"^## {re.escape(rule.id)}\n(.*?)(?=^## |\Z)", catalogue, re.M | re.S)
    assert section, f"{rule.id} has no section in docs/rules.md"
    body = section[1]
    assert rule.title in body and rule.checks in body and rule.why in body
    assert "**不通过的例子**" in body and "**通过的例子**" in body
    assert f"] {rule.id} `" in body, f"{rule.id}: the failing example's finding is not shown"


def test_score_formula_is_documented(catalogue):
    assert "## 得分与等级" in catalogue and "优 ≥ 90" in catalogue and "差 < 60" in catalogue


def test_guide_points_to_the_catalogue(repo_root):
    guide = (repo_root / "docs" / "guide.md").read_text(encoding="utf-8")
    assert "docs/rules.md" in guide or "rules.md" in guide
