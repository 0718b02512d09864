"""The [scoring] table of a review profile: defaults, overrides, refusals, fallbacks."""
from __future__ import annotations

import pytest

from jixiao.errors import ProfileInvalid
from jixiao.scoring import DEFAULT, config_from_profile_text, scoring_config


def test_defaults_are_the_national_rule():
    w = DEFAULT.weights
    assert (w.execution, w.output, w.effect, w.satisfaction, w.cost) == (10, 50, 30, 10, 0)
    assert DEFAULT.reverse == "linear" and DEFAULT.decimals == 2 and DEFAULT.over_achievement == 1.2
    assert DEFAULT.execution.denominator == "budget"
    assert DEFAULT.qualitative.achieved == (0.8, 1.0) and DEFAULT.qualitative.failed == (0.0, 0.6)
    assert (DEFAULT.grades.excellent, DEFAULT.grades.good, DEFAULT.grades.fair) == (90, 80, 60)


def test_a_full_table():
    cfg = config_from_profile_text("""
[scoring]
reverse = "ratio"
decimals = 1
over_achievement = 1.3
[scoring.weights]
execution = 20
output = 40
satisfaction_to = "output"
[scoring.execution]
denominator = "budget_initial"
decimals = 0
[scoring.qualitative]
achieved = [0.9, 1.0]
pick = "bottom"
[scoring.grades]
excellent = 85
""", source="p.toml")
    assert cfg.reverse == "ratio" and cfg.decimals == 1 and cfg.over_achievement == 1.3
    assert cfg.weights.execution == 20 and cfg.weights.output == 40 and cfg.weights.effect == 30
    assert cfg.weights.satisfaction_to == "output"
    assert cfg.execution.denominator == "budget_initial" and cfg.execution.decimals == 0
    assert cfg.qualitative.achieved == (0.9, 1.0) and cfg.qualitative.pick == "bottom"
    assert cfg.grades.excellent == 85 and cfg.grades.good == 80
    assert cfg.source == "p.toml"


def test_thresholds_of_the_same_meaning_are_the_fallback_and_scoring_wins():
    cfg = config_from_profile_text("""
[thresholds]
over_achievement = 1.3
execution_weight = 20.0
block_weights = [40.0, 30.0, 10.0]
""", source="p.toml")
    assert cfg.over_achievement == 1.3 and cfg.weights.execution == 20 and cfg.weights.output == 40
    cfg = config_from_profile_text("""
[thresholds]
over_achievement = 1.3
[scoring]
over_achievement = 1.5
""", source="p.toml")
    assert cfg.over_achievement == 1.5


def test_a_profile_without_scoring_gives_the_defaults():
    cfg = config_from_profile_text('name = "x"\n[rules]\nR5 = false\n', source="p.toml")
    assert cfg.weights == DEFAULT.weights and cfg.reverse == DEFAULT.reverse


@pytest.mark.parametrize("table, message", [
    ({"revers": "linear"}, "键 scoring.revers: 未知的配置项"),
    ({"reverse": "quadratic"}, "应为 “linear” / “ratio” 之一"),
    ({"decimals": "2"}, "应为整数"),
    ({"decimals": 9}, "应在 0 到 6 之间"),
    ({"cap_at_weight": 1}, "应为 true 或 false"),
    ({"over_achievement": -1}, "不能为负数"),
    ({"over_achievement": 0.9}, "应不小于 1"),
    ({"weights": {"outptu": 50}}, "键 scoring.weights.outptu: 未知的配置项"),
    ({"weights": 50}, "应为一个表 ([scoring.weights])"),
    ({"execution": {"denominator": "total"}}, "scoring.execution.denominator"),
    ({"qualitative": {"achieved": [0.8]}}, "应为两个数字的列表"),
    ({"qualitative": {"partial": [0.8, 0.6]}}, "0 ≤ 下限 ≤ 上限 ≤ 1"),
    ({"qualitative": {"failed_words": "差"}}, "应为文字列表"),
    ({"grades": {"good": 95}}, "excellent ≥ good ≥ fair"),
])
def test_refused_with_the_key(table, message):
    with pytest.raises(ProfileInvalid) as e:
        scoring_config(table, source="p.toml")
    assert message in e.value.message and "配置文件“p.toml”无效" in e.value.message


def test_toml_syntax_error_names_the_line():
    with pytest.raises(ProfileInvalid, match="TOML 语法错误 \\(第2行"):
        config_from_profile_text("[scoring]\nreverse = \n", source="p.toml")


def test_the_validation_profile_accepts_a_scoring_table(tmp_path):
    from jixiao.validation import load_profile

    p = tmp_path / "p.toml"
    p.write_text('[scoring]\nreverse = "ratio"\n', encoding="utf-8")
    assert load_profile(p).source == str(p)
