"""The sheet JSON schema (jixiao/model/sheet.schema.json, docs/sheet.schema.json) and the
edge check built on it (jixiao.model.schema): every wrong value anywhere in a document
is one Chinese line naming its JSON path, for import, check and render alike."""
from __future__ import annotations

import json
import math
import re
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from test_codec import sheets
from typer.testing import CliRunner

from jixiao import cli
from jixiao.importers import import_bytes, import_path
from jixiao.model import schema as S
from jixiao.model.codec import ContractError, dumps, loads, sheet_from_dict

ROOT = Path(__file__).resolve().parents[1]
PACKAGED = ROOT / "jixiao" / "model" / "sheet.schema.json"
PUBLISHED = ROOT / "docs" / "sheet.schema.json"
CJK = re.compile(r"[\u4e00-\u9fff]")
REFERENCE = Draft202012Validator(json.loads(PUBLISHED.read_text(encoding="utf-8")))

# ------------------------------------------------------------------ the schema file


def test_published_schema_is_the_packaged_one_byte_for_byte():
    assert PUBLISHED.read_bytes() == PACKAGED.read_bytes(), \
        "docs/sheet.schema.json must be a copy of jixiao/model/sheet.schema.json (cp it)"


def test_schema_is_valid_draft_2020_12():
    document = json.loads(PUBLISHED.read_text(encoding="utf-8"))
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(document)


def test_the_codec_reads_the_packaged_file():
    # importlib.resources, not a path next to the source: what a wheel ships.
    assert S.schema_text() == PACKAGED.read_text(encoding="utf-8")
    assert S.schema()["title"] == "jixiao/sheet@1"


def test_the_enums_are_the_models():
    from jixiao.model.sheet import DIRECTIONS, KINDS, SEVERITIES, STAGES
    from jixiao.model.target import KINDS as TARGET_KINDS
    from jixiao.model.target import OPS

    s = S.schema()
    assert s["properties"]["kind"]["enum"] == list(KINDS)
    assert s["properties"]["stage"]["enum"] == list(STAGES)
    assert s["$defs"]["diagnostic"]["properties"]["severity"]["enum"] == list(SEVERITIES)
    assert s["$defs"]["indicator"]["properties"]["direction"]["enum"] == [*DIRECTIONS, None]
    assert s["$defs"]["op"]["enum"] == [*OPS, None]
    assert s["$defs"]["target"]["properties"]["kind"]["enum"] == list(TARGET_KINDS)


def test_the_fast_check_refuses_keywords_it_does_not_implement():
    with pytest.raises(ValueError, match="oneOf"):
        S._Compiler({"type": "object", "properties": {"a": {"oneOf": [{"type": "string"}]}}}).build()

# ------------------------------------------------------------------ valid sheets validate


def _valid_by_the_library(doc) -> None:
    errors = sorted(REFERENCE.iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]
    assert S.is_valid(doc)


def test_seed_gold_and_its_round_trip_validate(seed_gold):
    _valid_by_the_library(seed_gold)
    _valid_by_the_library(json.loads(dumps(sheet_from_dict(seed_gold))))


def test_shared_golds_validate(shared_dir):
    golds = sorted((shared_dir / "seeds").glob("*.gold.json")) + \
        sorted((shared_dir / "corpus" / "dev" / "gold").glob("*.json"))
    if not golds:
        pytest.skip("no gold files in ../shared")
    for path in golds:
        doc = json.loads(path.read_text(encoding="utf-8"))
        _valid_by_the_library(doc)
        _valid_by_the_library(json.loads(dumps(loads(path.read_text(encoding="utf-8")))))


@pytest.mark.parametrize("name", ["seed.txt", "seed_layout.txt"])
def test_text_importer_output_validates(name):
    sheet = import_path(ROOT / "tests" / "data" / name)
    assert sheet.all_indicators()
    _valid_by_the_library(json.loads(dumps(sheet)))


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "html"])
def test_form_importer_output_validates(seed_gold, fmt):
    # The seed rendered as the official form and read back by that format's importer.
    from jixiao.render import render

    data = render(sheet_from_dict(seed_gold), fmt)
    sheet = import_bytes(data, path=f"seed.{fmt}")
    assert sheet.all_indicators()
    _valid_by_the_library(json.loads(dumps(sheet)))


@settings(max_examples=60, deadline=None)
@given(sheets)
def test_every_sheet_the_codec_writes_validates(sheet):
    _valid_by_the_library(json.loads(dumps(sheet)))

# ------------------------------------------------------------------ messages


def detail(text: str) -> str:
    with pytest.raises(ContractError) as info:
        loads(text)
    return str(info.value)


@pytest.mark.parametrize("text, expected", [
    ('{"functions": [{"indicators": [{"name": "a"}, {"name": ["x"]}]}]}',
     "functions[0].indicators[1].name: 应为字符串, 实为列表"),
    ('{"indicators": [{"name": {"a": 1}}]}', "indicators[0].name: 应为字符串, 实为对象"),
    ('{"indicators": [{"target": "=1"}]}', "indicators[0].name: 缺少必填字段 (三级指标名称)"),
    ('{"title": 5}', "title: 应为字符串或 null, 实为数字 5"),
    ('{"goals": ["a", true]}', "goals[1]: 应为字符串, 实为布尔值 true"),
    ('{"indicators": [{"name": "a", "weight": "很多"}]}',
     "indicators[0].weight: 应为数字或 null, 实为字符串“很多”"),
    ('{"indicators": [{"name": "a", "target": [1]}]}',
     "indicators[0].target: 应为对象、字符串、数字或 null, 实为列表"),
    ('{"kind": "部门"}', '表的种类应为 "department" 或 "project", 实为“部门”'),
    ('{"stage": "review"}',
     'stage: 表的阶段应为 "declaration"、"approval"、"monitoring" 或 "self_evaluation", 实为“review”'),
    ('{"diagnostics": [{"code": "X", "severity": "fatal"}]}',
     'diagnostics[0].severity: 级别应为 "error"、"warning" 或 "info", 实为“fatal”'),
    ('{"indicators": [{"name": "a", "direction": "up"}]}', "indicators[0].direction: 指标方向应为"),
    ('{"indicators": [{"name": "a", "target": {"text": "x", "op": "≈"}}]}', "indicators[0].target.op: 比较符应为"),
    ('{"schema": "jixiao/sheet@2"}', 'schema: 应为 "jixiao/sheet@1", 实为“jixiao/sheet@2”'),
    ('{"year": "明年"}', "year: 应为整数年份, 实为“明年”"),
    ('{"year": 20245}', "year: 应不大于 9999 (整数年份), 实为 20245"),
    ('{"year": 24}', "year: 应不小于 1000 (整数年份), 实为 24"),
    ('{"funds": {"total": "一百"}}', "funds.total: 应为数字或 null, 实为字符串“一百”"),
    ('{"extra": []}', "extra: 应为对象, 实为列表"),
    ('[]', "顶层: 应为对象, 实为列表"),
    ('{"indicators": [{"name": "' + "长" * 32768 + '"}]}',
     "indicators[0].name: 过长: 应不超过 32767 个字符, 实为 32768 个字符"),
    ('{"indicators": [{"name": "a", "score": NaN}]}', "indicators[0].score: NaN 不是有效的 JSON 数字, 实为 NaN"),
    ('{"funds": {"total": Infinity}}', "funds.total: Infinity 不是有效的 JSON 数字"),
    ('{"extra": {"x": [-Infinity]}}', "extra.x[0]: -Infinity 不是有效的 JSON 数字"),
    ('{"indicators": [{"name": "a", "weight": 1e400}]}', "indicators[0].weight: 数字超出范围 (溢出为无穷大)"),
    ('{"year": 9007199254740992}', "year: 整数超出范围 (绝对值不超过 2^53-1, 即 9007199254740991)"),
    ('{"year": ' + "9" * 5000 + "}", "year: 整数超出范围"),
    ('{"extra": {"来源": "\\ud800"}}', "extra.来源: 含有不成对的 UTF-16 代理项"),
    ('{"extra": {"a.b": [1, {"c": NaN}]}}', 'extra["a.b"][1].c: NaN'),
    ('{"title": "x",}', "JSON 语法错误 (第1行第15列): 此处应为带双引号的键名"),
    ('{"title" "x"}', "JSON 语法错误 (第1行第10列): 此处缺少冒号"),
])
def test_each_problem_is_one_chinese_message_with_its_path(text, expected):
    message = detail(text)
    assert expected in message, message
    assert CJK.search(message) and "\n" not in message


def test_the_first_problem_in_document_order_is_reported():
    # jsonschema lists errors in the schema's keyword order; the user reads top down.
    doc = {"indicators": [{"name": 1}], "title": [], "year": "x", "kind": "k"}
    assert detail(json.dumps(doc)).startswith("indicators[0].name: ")
    doc = {"kind": "k", "indicators": [{"name": 1}]}
    assert detail(json.dumps(doc)).startswith("kind: ")
    # Long arrays are narrowed to their first failing element before jsonschema
    # runs: the indices must still be the document's.
    functions = [{"indicators": [{"name": "a"}]}, {"indicators": [{"name": "b"}, {"name": 2}]}, {"label": []}]
    indicators = [{"name": "c"}, {"name": "d"}, {"name": 3}]
    assert detail(json.dumps({"functions": functions, "indicators": indicators})) \
        .startswith("functions[1].indicators[1].name: ")
    assert detail(json.dumps({"indicators": indicators, "functions": functions})) \
        .startswith("indicators[2].name: ")
    diagnostics = [{"code": "a"}] * 50 + [{"code": "b", "severity": "bad"}]
    assert detail(json.dumps({"diagnostics": diagnostics})).startswith("diagnostics[50].severity: ")


def test_valid_edge_values_are_accepted():
    sheet = loads(json.dumps({"year": 2024.0, "extra": {"big": 2**53 - 1, "neg": -(2**53 - 1)},
                              "indicators": [{"name": "长" * 32767, "target": 90, "weight": 1e308}]}))
    assert sheet.year == 2024 and isinstance(sheet.year, int)
    assert sheet.indicators[0].target.text == "90" and sheet.indicators[0].weight == 1e308
    assert loads('{"year": " 2024 "}').year == 2024

# ------------------------------------------------------------------ nesting depth


def test_nesting_up_to_the_limit_is_accepted_and_beyond_it_refused():
    def nested(levels: int) -> str:
        inner = "[" * (levels - 2) + "]" * (levels - 2)  # extra is level 1, x level 2
        return '{"extra": {"x": ' + inner + "}}"

    loads(nested(S.MAX_DEPTH))
    message = detail(nested(S.MAX_DEPTH + 1))
    assert message.startswith("extra.x[0][0][0][0][0][0]…: 嵌套超过 64 层"), message


def test_brackets_inside_strings_do_not_count():
    text = json.dumps({"title": "[" * 200 + "{" * 200, "overview": "\\\"[[[", "goals": ['"]]]' * 100]})
    assert loads(text).title.startswith("[[[")


@pytest.mark.parametrize("text", ["[" * 200_000, '{"a":' * 100_000, "[" * 70 + "]" * 69])
def test_deep_or_unclosed_documents_are_refused_without_recursion(text):
    message = detail(text)
    assert "嵌套超过 64 层" in message, message

# ------------------------------------------------------------------ the fast tier agrees with jsonschema


BASE = json.loads((ROOT / "tests" / "data" / "seed.gold.json").read_text(encoding="utf-8"))


def value_paths(doc, path=()):
    """Every path to a value in ``doc``, the document itself first."""
    yield path
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from value_paths(v, (*path, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield from value_paths(v, (*path, i))


PATHS = list(value_paths(BASE))


def replaced(doc, path, value):
    if not path:
        return value
    doc = json.loads(json.dumps(doc))
    node = doc
    for p in path[:-1]:
        node = node[p]
    node[path[-1]] = value
    return doc


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**53 + 1, 2**53 - 1) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=5)
    # Values on the edges of the schema's rules: integral floats count as integers,
    # the year's pattern and bounds, enum members, empty strings.
    | st.sampled_from(["department", "self_evaluation", "warning", "≥", "range", "2024", " 2024 ", "2024\n",
                       "20245", 2024.0, 999, 10000, 9999.5, "", "=", "quantity", True, False, 0, -0.0]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["name", "text", "value", "kind", "x", "indicators", "label", "total"]), inner, max_size=3),
    max_leaves=6)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PATHS), json_values)
def test_fast_check_agrees_with_jsonschema(path, value):
    doc = replaced(BASE, path, value)
    assert S.is_valid(doc) == REFERENCE.is_valid(doc)


@settings(max_examples=100, deadline=None)
@given(json_values)
def test_fast_check_agrees_on_whole_documents(doc):
    assert S.is_valid(doc) == REFERENCE.is_valid(doc)

# ------------------------------------------------------------------ every command, any wrong value


def run_cli(*args: str) -> tuple[int, str, str]:
    """The CLI in-process, through ``cli.run`` — where errors become the one red line
    and the exit code — with typer's CliRunner capturing the streams. (CliRunner.invoke
    on ``cli.app`` would skip ``run`` and report any JixiaoError as exit 1.)"""
    runner = CliRunner()
    with runner.isolation(env={"COLUMNS": "120", "NO_COLOR": "1", "JIXIAO_DEBUG": None}) as (out, err, _):
        code = cli.run(list(args))
        sys.stdout.flush()
        sys.stderr.flush()
        return code, out.getvalue().decode("utf-8"), err.getvalue().decode("utf-8")


def shown(path) -> str:
    """The path as the message writes it (the gold's keys are all identifiers)."""
    out = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
    return out or "顶层"


MARK = "\u0000raw:"


@st.composite
def wrong_values(draw):
    """(JSON text to splice in, whether it is wrong wherever it stands)."""
    kind = draw(st.sampled_from(["list", "dict", "none", "nan", "inf", "-inf", "overflow", "huge", "digits",
                                 "deep", "deep-object"]))
    if kind == "list":
        return json.dumps(draw(st.sampled_from([[], ["x"], [1, None], [[]]]))), False
    if kind == "dict":
        return json.dumps(draw(st.sampled_from([{}, {"a": 1}, {"name": []}]))), False
    if kind == "none":
        return "null", False
    if kind in ("nan", "inf", "-inf"):
        return {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}[kind], True
    if kind == "overflow":
        return draw(st.sampled_from(["1e400", "-1e999", "9" * 400 + ".0"])), True
    if kind == "huge":
        return str(draw(st.sampled_from([2**53, -(2**53), 2**64, 10**30]))), True
    if kind == "digits":
        return "7" * draw(st.integers(17, 6000)), True
    levels = draw(st.integers(S.MAX_DEPTH + 1, 3 * S.MAX_DEPTH))
    if kind == "deep":
        return "[" * levels + "]" * levels, True
    return '{"k": ' * levels + "1" + "}" * levels, True


def mutated_text(path, raw: str) -> str:
    # Splice raw text in: NaN, 5,000 digits and deep nesting are what a hostile
    # file holds, and json.dumps would not write them.
    return json.dumps(replaced(BASE, path, MARK), ensure_ascii=False).replace(json.dumps(MARK), raw)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(PATHS), wrong=wrong_values())
def test_any_wrong_value_anywhere_is_one_line_naming_its_path(tmp_path_factory, path, wrong):
    raw, always_wrong = wrong
    text = mutated_text(path, raw)
    if always_wrong:
        valid = False
    else:
        valid = REFERENCE.is_valid(json.loads(text))
    folder = tmp_path_factory.mktemp("mutated")
    source = folder / "bad.json"
    source.write_text(text, encoding="utf-8")
    for args in (["import", str(source), "--to", "json"], ["check", str(source)],
                 ["render", str(source), "-o", str(folder / "out.html")]):
        code, out, err = run_cli(*args)
        assert "Traceback" not in out + err and "内部错误" not in err, (args, err)
        if valid:
            assert code in ((0, 1) if args[0] == "check" else (0,)), (args, code, err)
            continue
        assert code == 2, (args, code, err)
        assert out == ""
        assert len(err.strip().splitlines()) == 1, err
        assert CJK.search(err)
        if not path and not raw.startswith("{"):
            # Not an object at all: content detection does not take it for a sheet
            # JSON, and the text importer refuses it (its own one-line message).
            continue
        # At the top any path is below the mutated one (deep nesting names [0][0]…).
        assert f"不是有效的绩效目标表 JSON (jixiao/sheet@1): {shown(path) if path else ''}" in err, err
    if not valid:
        assert not (folder / "out.html").exists()


def test_mutation_strategy_reaches_every_kind_of_place():
    # The property above is only as good as the places it mutates.
    shapes = {tuple("#" if isinstance(p, int) else p for p in path) for path in PATHS}
    for needed in [(), ("functions", "#", "indicators", "#", "name"),
                   ("functions", "#", "indicators", "#", "target", "value"), ("year",), ("goals", "#"),
                   ("funds",), ("notes",)]:
        assert needed in shapes, needed


def test_wrong_values_in_a_project_sheet_and_in_diagnostics(tmp_path):
    doc = {"schema": "jixiao/sheet@1", "kind": "project", "stage": "declaration", "funds": {"total": 10},
           "indicators": [{"name": "a", "target": "≥90%"}],
           "diagnostics": [{"code": "X", "severity": "warning", "where": "indicators[0]", "message": "m"}]}
    assert loads(json.dumps(doc)).indicators[0].target.value == 90
    for path, raw, where in [(("funds", "total"), "[1]", "funds.total"),
                             (("diagnostics", 0, "where"), "{}", "diagnostics[0].where"),
                             (("diagnostics", 0, "severity"), '"fatal"', "diagnostics[0].severity"),
                             (("kind",), '"department-ish"', "kind")]:
        text = json.dumps(replaced(doc, path, MARK), ensure_ascii=False).replace(json.dumps(MARK), raw)
        source = tmp_path / "p.json"
        source.write_text(text, encoding="utf-8")
        for args in (["import", str(source)], ["check", str(source)],
                     ["render", str(source), "-o", str(tmp_path / "p.xlsx")]):
            code, out, err = run_cli(*args)
            assert code == 2 and out == "" and len(err.strip().splitlines()) == 1, (args, err)
            assert f"(jixiao/sheet@1): {where}: " in err, err


def test_check_previous_goes_through_the_same_edge(tmp_path, seed_path):
    bad = tmp_path / "last.json"
    bad.write_text('{"indicators": [{"name": "a", "weight": NaN}]}', encoding="utf-8")
    code, out, err = run_cli("check", str(seed_path), "--previous", str(bad))
    assert code == 2 and "indicators[0].weight: NaN" in err and len(err.strip().splitlines()) == 1, err


def test_non_finite_numbers_in_a_sheet_are_written_as_null():
    from jixiao.model.sheet import Indicator, Sheet
    from jixiao.model.target import Target

    target = Target("9" * 400 + "元", value=math.inf, unit="元")  # what parse_target makes of it today
    sheet = Sheet(indicators=[Indicator("产出指标", "数量指标", "a", target, weight=math.inf)],
                  funds={"total": math.nan})
    text = dumps(sheet)
    doc = json.loads(text)
    assert doc["indicators"][0]["target"]["value"] is None and doc["indicators"][0]["weight"] is None
    assert doc["funds"]["total"] is None
    _valid_by_the_library(doc)


def test_the_guides_examples_are_what_the_cli_prints(tmp_path, monkeypatch):
    guide = (ROOT / "docs" / "guide.md").read_text(encoding="utf-8")
    row = next(line for line in guide.splitlines() if line.startswith("| `InvalidSheetJson` |"))
    examples = re.findall(r"`(错误: [^`]+)`", row)
    documents = {
        "year: 应为整数年份, 实为“明年”": {"year": "明年"},
        "functions[0].indicators[3].name: 应为字符串, 实为列表":
            {"functions": [{"indicators": [{"name": "a"}, {"name": "b"}, {"name": "c"}, {"name": ["d"]}]}]},
    }
    assert len(examples) == len(documents), examples
    monkeypatch.chdir(tmp_path)
    for example in examples:
        doc = next(d for tail, d in documents.items() if example.endswith(tail))
        Path("bad.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        for command in ("import", "check"):
            code, _, err = run_cli(command, "bad.json")
            assert (code, err.strip()) == (2, example)


def test_quoted_values_cannot_break_the_line():
    message = detail(json.dumps({"kind": "部门\n整体\t\u0007"}))
    assert "\n" not in message and "\t" not in message and "\u0007" not in message
    assert message.endswith("实为“部门\\n整体\\t\\u0007”"), message
