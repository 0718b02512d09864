"""The sheet JSON contract (jixiao.model.codec): lossless round trips, gold files, refusals."""
from __future__ import annotations

import dataclasses
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.model import target as target_module
from jixiao.model.codec import ContractError, dumps, loads, sheet_from_dict, sheet_to_dict
from jixiao.model.sheet import DIRECTIONS, KINDS, SCHEMA, SEVERITIES, STAGES, Diagnostic, Function, Indicator, Sheet
from jixiao.model.target import OPS, Target

CJK = re.compile(r"[\u4e00-\u9fff]")
_TARGET_FIELDS = {f.name for f in dataclasses.fields(Target)}
_IND_FIELDS = {f.name for f in dataclasses.fields(Indicator)}
_DIAG_FIELDS = {f.name for f in dataclasses.fields(Diagnostic)}

# ------------------------------------------------------------------ strategies

words = st.text(alphabet=st.sampled_from("产出效益满意度指标数量质量时效成本元人次%≥≤=<> abc12.\n:"),
                max_size=12)
texts = st.one_of(words, st.text(max_size=20))
opt_text = st.none() | texts
numbers = st.floats(allow_nan=False, allow_infinity=False, width=64) | st.integers(-10**6, 10**6)
opt_number = st.none() | numbers
json_scalars = st.none() | st.booleans() | st.integers(-10**9, 10**9) | \
    st.floats(allow_nan=False, allow_infinity=False) | texts
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(texts, inner, max_size=2), max_leaves=4)


def extras(reserved: set[str]):
    return st.dictionaries(texts.filter(lambda k: k not in reserved), json_values, max_size=2)


@st.composite
def targets(draw):
    kwargs = dict(text=draw(texts), op=draw(st.none() | st.sampled_from(OPS)),
                  op_inferred=draw(st.none() | st.sampled_from(OPS)),
                  value=draw(opt_number), upper=draw(opt_number), unit=draw(opt_text))
    if "kind" in _TARGET_FIELDS and hasattr(target_module, "KINDS"):
        kwargs["kind"] = draw(st.sampled_from(target_module.KINDS))
    return Target(**{k: v for k, v in kwargs.items() if k in _TARGET_FIELDS})


indicators = st.builds(
    Indicator,
    level1=opt_text, level2=opt_text, name=texts, target=st.none() | targets(),
    weight=opt_number, direction=st.none() | st.sampled_from(DIRECTIONS),
    actual=st.none() | targets(), score=opt_number,
    explanation=opt_text, criteria=opt_text, basis=opt_text,
    extra=extras(_IND_FIELDS),
)
functions = st.builds(Function, label=texts.filter(bool), description=opt_text,
                      indicators=st.lists(indicators, max_size=4))
diagnostics = st.builds(Diagnostic, code=texts, severity=st.sampled_from(SEVERITIES), where=texts,
                        message=texts, hint=texts, extra=extras(_DIAG_FIELDS))
funds = st.none() | st.dictionaries(st.sampled_from(["total", "fiscal", "other", "basic", "project"]),
                                    st.floats(0, 1e7, allow_nan=False))
sheets = st.builds(
    Sheet,
    kind=st.sampled_from(KINDS), stage=st.sampled_from(STAGES), title=opt_text,
    year=st.none() | st.integers(1990, 2100), unit=opt_text, supervisor=opt_text, project=opt_text,
    funds=funds, overview=opt_text, goals=st.lists(texts, max_size=3),
    functions=st.lists(functions, max_size=3), indicators=st.lists(indicators, max_size=3),
    diagnostics=st.lists(diagnostics, max_size=3), extra=extras(set()),
)

# ------------------------------------------------------------------ round trips


@settings(max_examples=100, deadline=None)
@given(sheets)
def test_round_trip_is_lossless(sheet):
    text = dumps(sheet)
    assert loads(text) == sheet
    assert json.loads(text)["schema"] == SCHEMA


@settings(max_examples=30, deadline=None)
@given(sheets)
def test_dict_round_trip_and_compact_json(sheet):
    assert sheet_from_dict(sheet_to_dict(sheet)) == sheet
    assert loads(dumps(sheet, indent=None)) == sheet


def test_output_keeps_chinese_readable():
    sheet = Sheet(title="2024年部门整体支出绩效目标批复表")
    assert "2024年部门整体支出绩效目标批复表" in dumps(sheet)


def test_seed_gold_round_trip(seed_gold):
    sheet = sheet_from_dict(seed_gold)
    assert sheet.year == seed_gold["year"]
    assert len(sheet.functions) == len(seed_gold["functions"])
    assert sum(len(f.indicators) for f in sheet.functions) == \
        sum(len(f["indicators"]) for f in seed_gold["functions"])
    again = loads(dumps(sheet))
    assert again == sheet
    # Gold string targets become full target objects on the way out.
    out = json.loads(dumps(sheet))
    first = out["functions"][0]["indicators"][0]["target"]
    assert isinstance(first, dict) and first["text"]


def test_shared_seed_golds_round_trip(shared_dir):
    golds = sorted((shared_dir / "seeds").glob("*.gold.json"))
    if not golds:
        pytest.skip("no gold files in ../shared/seeds")
    for path in golds:
        sheet = loads(path.read_text(encoding="utf-8"))
        assert loads(dumps(sheet)) == sheet, path.name


def test_missing_optional_fields_are_accepted():
    sheet = loads('{"schema": "jixiao/sheet@1", "indicators": [{"name": "村个数", "target": "=26个"}]}')
    assert sheet.kind == "department" and sheet.functions == []
    assert sheet.indicators[0].target.text == "=26个"


def test_unknown_keys_survive():
    doc = {"schema": SCHEMA, "notes": "专家备注",
           "indicators": [{"name": "x", "target": None, "来源": "第3页"}]}
    out = sheet_to_dict(loads(json.dumps(doc)))
    assert out["extra"]["notes"] == "专家备注"
    assert out["indicators"][0]["来源"] == "第3页"

# ------------------------------------------------------------------ contract violations


@pytest.mark.parametrize("text, where", [
    ("{not json", "JSON"),
    ("[]", "顶层"),
    ('"字符串"', "顶层"),
    ('{"schema": "jixiao/sheet@2"}', "schema"),
    ('{"indicators": [{"target": "=1"}]}', "indicators[0].name"),
    ('{"indicators": [5]}', "indicators[0]"),
    ('{"functions": [{"indicators": [{"name": "a", "weight": "很多"}]}]}', "functions[0].indicators[0].weight"),
    ('{"indicators": [{"name": "a", "target": {"text": "x", "value": "九十"}}]}', "indicators[0].target.value"),
    ('{"indicators": [{"name": "a", "target": [1]}]}', "indicators[0].target"),
    ('{"year": "二〇二四"}', "year"),
    ('{"goals": "一个目标"}', "goals"),
    ('{"functions": ["职能1"]}', "functions[0]"),
    ('{"diagnostics": [1]}', "diagnostics[0]"),
])
def test_contract_violations_name_the_place_in_chinese(text, where):
    with pytest.raises(ContractError) as info:
        loads(text)
    message = str(info.value)
    assert where in message
    assert CJK.search(message), message

# ------------------------------------------------------------------ the schema at the edge (jixiao.model.schema)


@pytest.mark.parametrize("text, where", [
    ('{"kind": "county"}', "kind"),
    ('{"kind": null}', "kind"),
    ('{"stage": "draft"}', "stage"),
    ('{"stage": ""}', "stage"),
    ('{"diagnostics": [{"code": "X", "severity": "critical"}]}', "diagnostics[0].severity"),
    ('{"indicators": [{"name": "a", "direction": "upward"}]}', "indicators[0].direction"),
    ('{"indicators": [{"name": "a", "target": {"text": "x", "kind": "vague"}}]}', "indicators[0].target.kind"),
    ('{"indicators": [{"name": "a", "actual": {"text": "x", "op_inferred": "≈"}}]}',
     "indicators[0].actual.op_inferred"),
])
def test_unknown_kinds_stages_severities_are_refused(text, where):
    with pytest.raises(ContractError) as info:
        loads(text)
    assert str(info.value).startswith(f"{where}: "), str(info.value)
    assert "应为" in str(info.value)


def test_numbers_are_json_numbers_not_numeric_strings():
    # The contract says numbers; the codec no longer converts "90" itself (the
    # gold-style string form exists for targets only, and stays).
    with pytest.raises(ContractError, match=r"indicators\[0\]\.weight: 应为数字或 null"):
        loads('{"indicators": [{"name": "a", "weight": "90"}]}')
    assert loads('{"indicators": [{"name": "a", "target": "≥90%"}]}').indicators[0].target.op == "≥"


def test_dicts_are_validated_too_not_only_json_text():
    # sheet_from_dict is the codec's other door (validation rules, the generator).
    with pytest.raises(ContractError, match=r"functions\[0\]\.indicators\[0\]\.name: 应为字符串, 实为对象"):
        sheet_from_dict({"functions": [{"indicators": [{"name": {"zh": "x"}}]}]})


_BASE = None


def _base():
    global _BASE
    if _BASE is None:
        from pathlib import Path
        _BASE = json.loads((Path(__file__).parent / "data" / "seed.gold.json").read_text(encoding="utf-8"))
    return _BASE


def _paths(doc, path=()):
    yield path
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from _paths(v, (*path, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield from _paths(v, (*path, i))


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_refusal_always_names_the_mutated_place(data):
    from jsonschema import Draft202012Validator

    from jixiao.model.schema import schema

    base = _base()
    path = data.draw(st.sampled_from(list(_paths(base))))
    value = data.draw(json_values | st.sampled_from([[], {}, None, [1], {"name": 1}]))
    doc = json.loads(json.dumps(base))
    if path:
        node = doc
        for p in path[:-1]:
            node = node[p]
        node[path[-1]] = value
    else:
        doc = value
    valid = Draft202012Validator(schema()).is_valid(doc)
    try:
        sheet = loads(json.dumps(doc, ensure_ascii=False))
    except ContractError as e:
        assert not valid, e
        shown = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".") or "顶层"
        assert str(e).startswith(shown), (shown, str(e))
        assert CJK.search(str(e)) and "\n" not in str(e)
    else:
        assert valid
        assert loads(dumps(sheet)) == sheet
