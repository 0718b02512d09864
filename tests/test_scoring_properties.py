"""Properties of the scoring engine (hypothesis): bounds, monotonicity, sums."""
from __future__ import annotations

import math
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.model.sheet import Indicator, Sheet
from jixiao.model.target import parse_target
from jixiao.scoring import DEFAULT, score_sheet
from jixiao.scoring import formulas as F

values = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False).map(lambda x: round(x, 3))
targets = st.floats(min_value=0.001, max_value=1e6, allow_nan=False, allow_infinity=False).map(
    lambda x: max(round(x, 3), 0.001))
weights = st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda x: round(x, 2))
strategies = st.sampled_from([DEFAULT, replace(DEFAULT, reverse="ratio")])
KINDS = ("positive", "equal", "reverse")


def _score(kind, a, t, w, cfg):
    return getattr(F, kind)(a, t, w, "%", cfg)[0]


signed = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).map(lambda x: round(x, 3))


@given(st.sampled_from(KINDS), values, values, weights, strategies)
def test_never_below_zero_nor_above_the_weight(kind, a, t, w, cfg):
    assert 0 <= _score(kind, a, t, w, cfg) <= w


@given(st.sampled_from(KINDS), signed, signed, weights, strategies)
def test_bounded_for_negative_targets_and_actuals_too(kind, a, t, w, cfg):
    # the engine clamps negative actuals only for targets ≥ 0; the formulas must hold anyway
    assert 0 <= _score(kind, a, t, w, cfg) <= w


@given(values, values, values, weights, strategies)
def test_range_within_bounds(a, lo, hi, w, cfg):
    assert 0 <= F.in_range(a, lo, hi, w, "%", cfg)[0] <= w


@given(values, values, targets, weights)
def test_uncapped_positive_is_monotone_too(a, b, t, w):
    cfg = replace(DEFAULT, cap_at_weight=False)
    lo, hi = sorted((a, b))
    assert _score("positive", lo, t, w, cfg) <= _score("positive", hi, t, w, cfg)


@given(signed, signed, signed, weights)
def test_positive_is_monotone_in_the_actual(a, b, t, w):
    lo, hi = sorted((a, b))
    assert _score("positive", lo, t, w, DEFAULT) <= _score("positive", hi, t, w, DEFAULT)
    if t != 0:                  # "=0" is met by 0 alone (§4.1, [C1]): not monotone by design
        assert _score("equal", lo, t, w, DEFAULT) <= _score("equal", hi, t, w, DEFAULT)


@given(signed, signed, signed, weights, strategies)
def test_reverse_is_anti_monotone_in_the_actual(a, b, t, w, cfg):
    lo, hi = sorted((a, b))
    assert _score("reverse", lo, t, w, cfg) >= _score("reverse", hi, t, w, cfg)


@given(targets, weights, strategies)
def test_meeting_the_target_gives_the_weight(t, w, cfg):
    assert _score("positive", t, t, w, cfg) == w
    assert _score("equal", t, t, w, cfg) == w
    assert _score("reverse", t, t, w, cfg) == w


rows = st.lists(st.tuples(st.sampled_from(["产出指标", "效益指标", "满意度指标", "成本指标"]),
                          st.sampled_from(["≥", "≤", "=", ""]), targets, st.one_of(st.none(), values),
                          st.one_of(st.none(), weights), st.one_of(st.none(), weights)),
                min_size=1, max_size=25)


TIER_WORDS = ("达成年度指标", "部分达成年度指标并具有一定效果", "未达成年度指标且效果较差", "效果明显", "天气晴")


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(TIER_WORDS), weights, st.one_of(st.none(), st.floats(-10, 200, allow_nan=False)), strategies)
def test_qualitative_scores_stay_within_their_tier_band(actual, w, claimed, cfg):
    ind = Indicator("效益指标", None, "社会影响", parse_target("效果明显"), w, None, parse_target(actual), claimed)
    s = score_sheet(Sheet(kind="project", indicators=[ind]), cfg).indicators[0]
    if s.recomputed is None:
        assert actual == "天气晴"
        return
    assert 0 <= s.recomputed <= w
    if claimed is not None and 0.8 * w <= claimed <= w and actual in ("达成年度指标", "效果明显"):
        assert s.recomputed == claimed              # a claim inside its band is kept


@settings(max_examples=60, deadline=None)
@given(rows, st.one_of(st.none(), st.tuples(targets, values)), strategies)
def test_totals_are_the_sum_of_parts_and_scores_stay_within_weights(spec, funds, cfg):
    leaves = [Indicator(l1, None, f"指标{i}", parse_target(f"{op}{t}%"), wt, None,
                        parse_target(f"{a}%") if a is not None else None, sc)
              for i, (l1, op, t, a, wt, sc) in enumerate(spec)]
    sheet = Sheet(kind="project", stage="self_evaluation", indicators=leaves,
                  funds={"budget": funds[0], "executed": funds[1]} if funds else None)
    r = score_sheet(sheet, cfg)
    for s in r.indicators:
        if s.recomputed is not None:
            assert 0 <= s.recomputed <= s.weight + 1e-9
    parts = math.fsum([s.counted for s in r.indicators] + [r.execution.recomputed or 0.0])
    assert abs(r.recomputed_total - parts) <= 0.5 * 10 ** -cfg.decimals + 1e-9
    if all(s.weight_source == "profile" for s in r.indicators):
        # profile weights hand out exactly the 90 points of the blocks (+10 execution)
        assert abs(sum(s.weight for s in r.indicators) - 90) < 1e-6
