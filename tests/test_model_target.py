"""Target-value grammar (jixiao.model.target): examples, agreement with the scorer, properties."""
from __future__ import annotations

import dataclasses
import importlib.util
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.model.target import (
    OPS,
    QUALITATIVE_WORDS,
    Target,
    direction_of,
    format_number,
    format_target,
    infer_op,
    is_qualitative,
    parse_target,
    unit_family,
)

_spec = importlib.util.spec_from_file_location("sheet_score", Path(__file__).with_name("sheet_score.py"))
sheet_score = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sheet_score)


def fields(t: Target):
    return (t.op, t.value, t.upper, t.unit, t.kind)


# --- operators ----------------------------------------------------------------------------
@pytest.mark.parametrize("text,op", [
    ("≥90%", "≥"), ("≧90%", "≥"), ("⩾90%", "≥"), (">=90%", "≥"), ("＞＝90%", "≥"),
    ("≤90%", "≤"), ("≦90%", "≤"), ("⩽90%", "≤"), ("<=90%", "≤"), ("＜＝90%", "≤"),
    ("=90%", "="), ("＝90%", "="), ("﹦90%", "="), (">90%", ">"), ("＞90%", ">"),
    ("<90%", "<"), ("＜90%", "<"),
    ("不低于90%", "≥"), ("不少于90%", "≥"), ("至少90%", "≥"), ("达到90%", "≥"),
    ("不高于90%", "≤"), ("不超过90%", "≤"), ("不多于90%", "≤"),
    ("高于90%", ">"), ("超过90%", ">"), ("大于90%", ">"),
    ("低于90%", "<"), ("少于90%", "<"), ("小于90%", "<"), ("等于90%", "="),
    ("90%以上", "≥"), ("90%及以上", "≥"), ("90%以内", "≤"), ("90%以下", "≤"),
    ("控制在90%以内", "≤"), ("控制在90%", "≤"), ("达到90%以上", "≥"),
    ("大于等于90%", "≥"), ("大于或等于90%", "≥"), ("不小于90%", "≥"), ("小于等于90%", "≤"),
    ("不大于90%", "≤"), ("≥ 90 %", "≥"),
])
def test_operator_variants(text, op):
    assert fields(parse_target(text)) == (op, 90.0, None, "%", "quantity")


# --- examples ---------------------------------------------------------------------------
@pytest.mark.parametrize("text,expected", [
    # the seed's values
    ("=60元", ("=", 60.0, None, "元", "quantity")),
    ("≥1", ("≥", 1.0, None, None, "quantity")),
    ("≧90%", ("≥", 90.0, None, "%", "quantity")),
    ("10%", (None, 10.0, None, "%", "quantity")),
    ("24场", (None, 24.0, None, "场", "quantity")),
    ("5000人/次", (None, 5000.0, None, "人/次", "quantity")),
    (">95%", (">", 95.0, None, "%", "quantity")),
    ("≥10000", ("≥", 10000.0, None, None, "quantity")),
    ("=26个", ("=", 26.0, None, "个", "quantity")),
    # numbers and compound units
    ("1,000元", (None, 1000.0, None, "元", "quantity")),
    ("≥12,345.5万元", ("≥", 12345.5, None, "万元", "quantity")),
    ("１００％", (None, 100.0, None, "%", "quantity")),
    ("≥２.５万元", ("≥", 2.5, None, "万元", "quantity")),
    ("≥500人次", ("≥", 500.0, None, "人次", "quantity")),
    ("≤3000元/平方米", ("≤", 3000.0, None, "元/平方米", "quantity")),
    ("800元/人·月", (None, 800.0, None, "元/人·月", "quantity")),
    ("≥100公里", ("≥", 100.0, None, "公里", "quantity")),
    ("≥100百分比", ("≥", 100.0, None, "百分比", "quantity")),
    ("≥80M", ("≥", 80.0, None, "M", "quantity")),
    ("≥2个/年", ("≥", 2.0, None, "个/年", "quantity")),
    ("250万", (None, 250.0, None, "万", "quantity")),
    ("≤-5%", ("≤", -5.0, None, "%", "quantity")),
    ("1000.5元", (None, 1000.5, None, "元", "quantity")),
    ("3个工作日内", (None, 3.0, None, "个工作日内", "quantity")),  # unit as written, like score.py
    # ranges
    ("90%-95%", (None, 90.0, 95.0, "%", "range")),
    ("90%~95%", (None, 90.0, 95.0, "%", "range")),
    ("90%～95%", (None, 90.0, 95.0, "%", "range")),
    ("90-95%", (None, 90.0, 95.0, "%", "range")),
    ("90%至95%", (None, 90.0, 95.0, "%", "range")),
    ("≥90%且≤100%", (None, 90.0, 100.0, "%", "range")),
    ("±5%", (None, -5.0, 5.0, "%", "range")),
    ("3-5万元", (None, 3.0, 5.0, "万元", "range")),
    ("2000-3000元", (None, 2000.0, 3000.0, "元", "range")),
    # placeholders: value unknown, unit kept
    ("≥**个", ("≥", None, None, "个", "placeholder")),
    ("**元/人·月", (None, None, None, "元/人·月", "placeholder")),
    ("≤**%", ("≤", None, None, "%", "placeholder")),
    # qualitative: a leading operator word is split off as the scorer does
    ("达到预期", ("≥", None, None, None, "qualitative")),
    ("高于上年水平", (">", None, None, None, "qualitative")),
    ("控制在合理范围", (None, None, None, None, "qualitative")),
    # deadlines and periods
    ("12月31日前", (None, None, None, None, "deadline")),
    ("12月底前", (None, None, None, None, "deadline")),
    ("12月底前完成", (None, None, None, None, "deadline")),
    ("2023年12月31日前", (None, None, None, None, "deadline")),
    ("2023.12", (None, None, None, None, "deadline")),
    ("12月31日", (None, None, None, None, "deadline")),
    ("2024年底前完成", (None, None, None, None, "deadline")),
    ("年底前完成", (None, None, None, None, "deadline")),
    ("按期完成", (None, None, None, None, "deadline")),
    ("在项目计划完成时间内完成", (None, None, None, None, "deadline")),
    ("按月", (None, None, None, None, "period")),
    ("每季度", (None, None, None, None, "period")),
    ("每月1次", (None, None, None, None, "period")),
    ("2023.07-2024.01", (None, None, None, None, "period")),
    ("2023年1月至2023年12月", (None, None, None, None, "period")),
    ("2023年1月-12月", (None, None, None, None, "period")),
    ("2023-01-01至2023-12-31", (None, None, None, None, "period")),
    ("2023-12-31前", (None, None, None, None, "deadline")),
    ("", (None, None, None, None, "empty")),
    ("  ", (None, None, None, None, "empty")),
])
def test_examples(text, expected):
    t = parse_target(text)
    assert t.text == text
    assert fields(t) == expected


@pytest.mark.parametrize("word", QUALITATIVE_WORDS + ("优良", "好", "持续发挥作用"))
def test_qualitative_words(word):
    t = parse_target(word)
    assert t.value is None and t.unit is None and t.upper is None
    assert is_qualitative(t)
    assert format_target(t) == word


def test_text_kept_as_written():
    t = parse_target(" ＞＝９０％ ")
    assert t.text == " ＞＝９０％ " and fields(t) == ("≥", 90.0, None, "%", "quantity")
    assert format_target(t) == "≥90%"


@pytest.mark.parametrize("t,text", [
    (Target("", "=", value=60.0, unit="元"), "=60元"),
    (Target("", value=2.61, unit="万元"), "2.61万元"),
    (Target("", "≥", value=1e20), "≥100000000000000000000"),
    (Target("", value=90.0, upper=95.0, unit="%", kind="range"), "90%-95%"),
    (Target("", value=3.0, upper=5.0, unit="万元", kind="range"), "3-5万元"),
    (Target("", value=-5.0, upper=5.0, unit="%", kind="range"), "±5%"),
    (Target("", value=2000.0, upper=5.0, kind="range"), "2000~5"),     # not a year-month
    (Target("", value=2023.07), "2023.070"),                            # not a date
    (Target("", value=0.0, unit="0"), "0 0"),
    (Target("", "≥", unit="个", kind="placeholder"), "≥**个"),
    (Target(" 按月 ", kind="period"), "按月"),
    (Target("x", value=90.0, upper=95.0, unit="%"), "90%-95%"),   # kind missing (from JSON)
    (Target("效果明显"), "效果明显"),
])
def test_format(t, text):
    assert format_target(t) == text
    assert format_number(60.0) == "60" and format_number(2.61) == "2.61"


# --- agreement with the scorer ----------------------------------------------------------
AGREE = [
    "=60元", "≥1", "≧90%", "10%", "24场", "5000人/次", ">95%", "≥10000", "=26个", "=100%",
    "≥95%", ">=90%", "≥1000人", "=78人", "=2次", "≥266米", "≥50厘米", "20万元", "10辆", "≥80M",
    "2023.07-2024.01", "250万", ">=20平方米", "<=475元/亩", "<=2875元/个", "<=3000元/平方米",
    ">=6万元", ">=2.61万元", "≥100公里", "≥20座", "1600元/亩", "3500公斤", "50", "100",
    "≥100百分比", "≤90万元", "达成预期指标", "效果明显", "显著提升", "优良", "严格执行相关制度规定",
    "符合相关规定", "在项目计划完成时间内完成", "达到预期", "高", "中", "低", "优", "良", "较好",
    "应保尽保", "逐步提升", "12月31日前", "12月底前", "2023年12月31日前", "按月", "每季度",
    "90%-95%", "90%~95%", "90%～95%", "90-95%", "90%至95%", "3-5万元", "＞＝９０％", "﹦100%",
    "＝100％", "不低于90%", "不超过5%", "高于上年", "≤-5%", "≥0.5个百分点", "3个工作日内",
    "≥ 95 %", "", "800元/人·月", "≥500人次", "1次/月", "100%(≥95%)", "2023年",
]


def _pred(t: Target) -> dict:
    return {"text": t.text, "op": t.op, "value": t.value, "upper": t.upper, "unit": t.unit}


@pytest.mark.parametrize("text", AGREE)
def test_agrees_with_scorer(text):
    gold = sheet_score.norm_target(text, True)
    assert sheet_score.norm_target(_pred(parse_target(text)), False) == gold


# Where the scorer's simpler grammar reads a value wrongly, we keep the correct reading.
# Listed so that a change on either side shows up here.
DISAGREE = {
    "1,000元": (None, 1000.0, None, "元"),           # scorer: value 1, unit ",000元"
    "90%以上": ("≥", 90.0, None, "%"),               # scorer: op None, unit "%以上"
    "5%以内": ("≤", 5.0, None, "%"),
    "控制在90万元以内": ("≤", 90.0, None, "万元"),   # scorer: qualitative
    "大于等于90%": ("≥", 90.0, None, "%"),           # scorer: op ">", qualitative "等于90%"
    "不小于90%": ("≥", 90.0, None, "%"),             # scorer: qualitative
    "≥90%且≤100%": (None, 90.0, 100.0, "%"),         # scorer: ≥ 90, unit "%且≤100%"
    "±5%": (None, -5.0, 5.0, "%"),                   # scorer: qualitative
    "90%—95%": (None, 90.0, 95.0, "%"),              # scorer: unit "%—95%"
    "1到3个": (None, 1.0, 3.0, "个"),                # scorer: unit "到3个"
    "1000.5元": (None, 1000.5, None, "元"),          # scorer: DATE regex sees "1000.5"
    "2000-3000元": (None, 2000.0, 3000.0, "元"),     # scorer: DATE regex sees "2000-30"
    "12月31日": (None, "12月31日", None, None),      # scorer: value 12, unit "月31日"
    "2024年底前完成": (None, "2024年底前完成", None, None),  # scorer: value 2024
    "≥**个": ("≥", None, None, "个"),                # scorer: text "**个"; we keep the unit
}


@pytest.mark.parametrize("text,ours", DISAGREE.items())
def test_known_disagreements(text, ours):
    assert sheet_score.norm_target(_pred(parse_target(text)), False) == ours
    assert sheet_score.norm_target(text, True) != ours


# --- meaning helpers ----------------------------------------------------------------------
@pytest.mark.parametrize("text,name,op", [
    ("24场", "开展活动场次", "="),
    ("100%", "项目完成率", "="),
    ("95%", "资金发放及时率", "≥"),
    ("90%", "受益群众满意度", "≥"),
    ("90%", "投诉处理满意度", "≥"),
    ("98%", "验收合格率", "≥"),
    ("90万元", "项目总成本", "≤"),
    ("2%", "投诉率", "≤"),
    ("10%", "能耗下降率", "≥"),
    ("50万元", "专项资金", None),
    ("≥95%", "满意度", None),          # the source wrote an operator
    ("达到预期", "满意度", None),
])
def test_infer_op(text, name, op):
    assert infer_op(parse_target(text), name) == op


def test_direction_and_units():
    assert direction_of(parse_target("≥95%")) == "positive"
    assert direction_of(parse_target("<2%")) == "negative"
    assert direction_of(parse_target("=100%")) == "equal"
    assert direction_of(parse_target("90%-95%")) == "range"
    assert direction_of(parse_target("24场")) is None
    assert direction_of(dataclasses.replace(parse_target("24场"), op_inferred="=")) == "equal"
    assert direction_of(parse_target("效果明显")) is None
    expect = {"%": "percent", "百分比": "percent", "元": "money", "万元": "money", "元/人·月": "money",
              "人/次": "count", "人次": "count", "个/年": "count", "场": "count", "天": "time",
              "个工作日": "time", "公里": "physical", "M": "physical", "分": "score", "万": None,
              None: None, "": None}
    for unit, fam in expect.items():
        assert unit_family(unit) == fam, unit


# --- properties ---------------------------------------------------------------------------
UNITS = [None, "%", "元", "万元", "个", "人", "人次", "人/次", "次", "场", "户", "家", "天", "小时",
         "月", "年", "元/人", "元/人·月", "元/平方米", "元/亩", "公里", "平方米", "吨", "亩", "百分比",
         "M", "个/年", "万", "分", "个工作日"]
# (text, op, kind) as parse_target reads them; the unit tests above pin these readings.
WORDS = [(w, "≥" if w.startswith("达到") else None, "qualitative") for w in QUALITATIVE_WORDS] + [
    ("高于上年水平", ">", "qualitative"), ("12月31日前", None, "deadline"),
    ("12月底前完成", None, "deadline"), ("2023年12月31日前", None, "deadline"),
    ("在项目计划完成时间内完成", None, "deadline"), ("按月", None, "period"),
    ("每季度", None, "period"), ("2023.07-2024.01", None, "period"), ("", None, "empty")]

numbers = st.builds(lambda n, k: n / 10 ** k, st.integers(-10 ** 9, 10 ** 9), st.integers(0, 3)) \
    | st.floats(-1e22, 1e22, allow_nan=False, allow_infinity=False)
ops = st.sampled_from((None,) + OPS)
units = st.sampled_from(UNITS)


def _self_text(t: Target) -> Target:
    return dataclasses.replace(t, text=format_target(t))


targets = st.one_of(
    st.builds(lambda o, v, u: Target("", o, None, v, None, u, "quantity"), ops, numbers, units),
    st.builds(lambda o, a, b, u: Target("", o, None, a, b, u, "range"), ops, numbers, numbers, units),
    st.builds(lambda o, u: Target("", o, None, None, None, u, "placeholder"), ops, units),
    st.sampled_from(WORDS).map(lambda w: Target(w[0], w[1], kind=w[2])),
).map(_self_text)


@settings(max_examples=1500)
@given(targets)
def test_format_parses_back(t):
    assert parse_target(format_target(t)) == t
    assert format_target(parse_target(format_target(t))) == format_target(t)


@settings(max_examples=1000)
@given(st.text())
def test_never_raises(s):
    t = parse_target(s)
    assert t.text == s
    assert t.kind in ("quantity", "range", "qualitative", "deadline", "period", "placeholder", "empty")
    assert t.op is None or t.op in OPS
    format_target(t)


ALPHABET = "0123456789.,-%~ ≥≤=<>至以上内下元个/次月日年前底按每*±且达到不低于控制在高优"


@settings(max_examples=1500)
@given(st.text(alphabet=ALPHABET, max_size=14))
def test_format_is_idempotent_on_any_text(s):
    once = format_target(parse_target(s))
    assert format_target(parse_target(once)) == once


@pytest.mark.parametrize("text, op, value, unit", [
    ("辖区企业满意率达95%以上。", "≥", 95.0, "%"), ("群众满意度不低于90%", "≥", 90.0, "%"),
    ("全年完成培训达到12次", "≥", 12.0, "次"), ("项目资金支出控制在100万元以内", "≤", 100.0, "万元")])
def test_a_sentence_stating_one_quantity_is_that_quantity(text, op, value, unit):
    t = parse_target(text)
    assert (t.kind, t.op, t.value, t.unit, t.text) == ("quantity", op, value, unit, text)


@pytest.mark.parametrize("text", ["完成造林1000亩", "项目完成率达100%,群众满意", "控制在合理范围",
                                  "2024年12月底前完成", "覆盖6个村达50个"])
def test_sentences_without_an_operator_or_with_more_than_one_quantity_stay_text(text):
    assert parse_target(text).kind != "quantity"
