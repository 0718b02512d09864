"""The formulas of domain.md §4.1, each against a computation done by hand."""
from __future__ import annotations

from dataclasses import replace

import pytest

from jixiao.scoring import DEFAULT
from jixiao.scoring import formulas as F
from jixiao.scoring.config import Execution

RATIO = replace(DEFAULT, reverse="ratio")
UNCAPPED = replace(DEFAULT, cap_at_weight=False)


def test_the_issue_example_reproduces_exactly():
    # 92 / 95 × 20 = 19.3684… → 19.37
    s, text = F.positive(92, 95, 20, "%", DEFAULT)
    assert s == 19.37
    assert text == "实际 92% / 目标 95% × 20 分 = 19.37 分"


@pytest.mark.parametrize("a, t, w, expected", [
    (95, 95, 20, 20),        # met exactly
    (99, 95, 20, 20),        # above: full, never more
    (0, 95, 20, 0),
    (450, 500, 10, 9),       # 450/500×10
    (1, 3, 10, 3.33),        # 3.333… down
    (2, 3, 10, 6.67),        # 6.666… up
    (0.5, 8, 9, 0.56),       # 0.5625 → half up would be 0.56 (not a tie at 2 decimals)
    (7, 8, 1.3, 1.14),       # 1.1375 → 1.14 half up (binary floats would give 1.1374999…)
])
def test_positive(a, t, w, expected):
    assert F.positive(a, t, w, None, DEFAULT)[0] == expected


def test_positive_tie_rounds_half_up_on_the_decimal_value():
    # 2.675 is 2.67499999… as a binary float; the hand rule says 2.68
    assert F.rounded(2.675, 2, "half_up") == 2.68
    assert F.rounded(2.665, 2, "half_up") == 2.67
    assert F.rounded(2.665, 2, "half_even") == 2.66
    assert F.rounded(8.6, 0, "half_up") == 9
    assert F.rounded(8.6, 0, "down") == 8
    assert F.rounded(8.1, 0, "up") == 9


def test_positive_negative_target_by_distance():
    # "增长率 ≥-5%": −7 is 2 points below: (1 − 2/5) × 10 = 6; −15 and lower: 0; −3 meets it
    assert F.positive(-7, -5, 10, "%", DEFAULT)[0] == 6
    assert F.positive(-15, -5, 10, "%", DEFAULT)[0] == 0
    assert F.positive(-3, -5, 10, "%", DEFAULT)[0] == 10


def test_positive_zero_target_is_met_by_any_actual():
    s, text = F.positive(0, 0, 10, "起", DEFAULT)
    assert s == 10 and "目标为 0起" in text


def test_positive_above_target_uncapped_when_configured():
    s, text = F.positive(120, 100, 10, "%", UNCAPPED)
    assert s == 12 and "不封顶" in text


def test_equal_zero_target_needs_a_zero_actual():
    assert F.equal(0, 0, 10, "次", DEFAULT)[0] == 10
    s, text = F.equal(1, 0, 10, "次", DEFAULT)
    assert s == 0 and "不为 0" in text


def test_equal_nonzero_target_scores_like_positive():
    assert F.equal(100, 100, 10, "%", DEFAULT)[0] == 10
    assert F.equal(90, 100, 10, "%", DEFAULT)[0] == 9
    assert F.equal(110, 100, 10, "%", DEFAULT)[0] == 10


@pytest.mark.parametrize("a, expected", [
    (90, 10),        # below the ceiling: met
    (100, 10),       # at it
    (110, 9),        # (1 − 10/100) × 10
    (150, 5),        # (1 − 50/100) × 10
    (133, 6.7),      # (1 − 33/100) × 10
    (199, 0.1),
    (200, 0),        # 2 × target
    (500, 0),
])
def test_reverse_linear(a, expected):
    assert F.reverse(a, 100, 10, "万元", DEFAULT)[0] == expected


def test_reverse_linear_derivation():
    s, text = F.reverse(110, 100, 10, "万元", DEFAULT)
    assert text == "实际 110万元 超过目标 100万元: (1 − (110 − 100) / 100) × 10 分 = 9 分"
    assert "2 倍及以上" in F.reverse(200, 100, 10, "万元", DEFAULT)[1]


@pytest.mark.parametrize("a, expected", [
    (90, 10), (100, 10),
    (110, 9.09),     # 100/110 × 10
    (200, 5),        # 100/200 × 10: the ratio never reaches 0
    (400, 2.5),
])
def test_reverse_ratio(a, expected):
    s, text = F.reverse(a, 100, 10, "万元", RATIO)
    assert s == expected
    if a > 100:
        assert "目标 100 / 实际" in text


def test_reverse_negative_target_by_distance():
    # "≤-5%": −3 is 2 above: (1 − 2/5) × 10 = 6, in both strategies; −6 meets it
    assert F.reverse(-3, -5, 10, "%", DEFAULT)[0] == 6
    assert F.reverse(-3, -5, 10, "%", RATIO)[0] == 6
    assert F.reverse(-6, -5, 10, "%", DEFAULT)[0] == 10


def test_reverse_zero_target():
    assert F.reverse(0, 0, 5, "次", DEFAULT)[0] == 5
    assert F.reverse(1, 0, 5, "次", DEFAULT)[0] == 0
    assert F.reverse(1, 0, 5, "次", RATIO)[0] == 0


@pytest.mark.parametrize("a, expected", [
    (92, 10), (90, 10), (95, 10),
    (81, 9),         # 81/90 × 10
    (0, 0),
    (100, 9.47),     # above 95: (1 − 5/95) × 10 = 9.4736…
])
def test_range_90_to_95(a, expected):
    assert F.in_range(a, 90, 95, 10, "%", DEFAULT)[0] == expected


def test_range_plus_minus_deviation():
    # "±5%": lo = −5, hi = 5; −7 is 2 beyond −5: (1 − 2/5) × 10 = 6; +7: (1 − 2/5) × 10 = 6
    assert F.in_range(-7, -5, 5, 10, "%", DEFAULT)[0] == 6
    assert F.in_range(7, -5, 5, 10, "%", DEFAULT)[0] == 6
    assert F.in_range(-3, -5, 5, 10, "%", DEFAULT)[0] == 10
    assert F.in_range(-20, -5, 5, 10, "%", DEFAULT)[0] == 0


def test_range_above_uses_the_reverse_strategy():
    assert F.in_range(110, 50, 100, 10, "%", RATIO)[0] == 9.09
    assert F.in_range(110, 50, 100, 10, "%", DEFAULT)[0] == 9


def test_execution_full_and_capped():
    s, rate, text = F.execution(251.89, 251.89, 10, "全年预算数", DEFAULT)
    assert (s, rate) == (10, 100)
    assert text == "全年执行数 251.89 万元 / 全年预算数 251.89 万元 = 执行率 100.00%; 100.00% × 10 分 = 10 分"
    s, rate, text = F.execution(120, 100, 10, "全年预算数", DEFAULT)
    assert (s, rate) == (10, 120) and "超过 100% 按 100% 计" in text


def test_execution_hebei_86_percent_scores_9_at_0_decimals():
    # domain.md §4.1: "86% scored 9 in one form [S13]"
    assert F.execution(86, 100, 10, "全年预算数", DEFAULT)[0] == 8.6
    hebei = replace(DEFAULT, execution=Execution(decimals=0))
    assert F.execution(86, 100, 10, "全年预算数", hebei)[0] == 9


def test_execution_rate_of_a_real_sheet():
    # 89.974 / 90 = 99.971…% → 9.997… × 1 → 10.00 at 2 decimals; rate shown 99.97%
    s, rate, _ = F.execution(89.974, 90, 10, "全年预算数", DEFAULT)
    assert rate == 99.97 and s == 10.0
