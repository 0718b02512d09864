"""The real-world phenomena of tests/generator.py (issue 12): the gold is right for each one,
and the noise-level corpora are what they were before the phenomena existed."""
from __future__ import annotations

import hashlib
import json
import random
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from generator import (  # noqa: E402
    LEVEL3_RUN_ON,
    PHENOMENA,
    PHENOMENON_LEVELS,
    make_sheet,
    phenomenon_sample,
    phenomenon_samples,
    render_layout,
    render_pipe,
    render_tab,
    samples,
)

from jixiao.model.codec import sheet_from_dict  # noqa: E402

opencc = pytest.importorskip("opencc_purepy")
_t2s = opencc.OpenCC("t2s").convert

#: sha256 prefixes of samples(12, noise, seed=2024) + samples(6, noise, seed=7, LEVEL3_RUN_ON)
#: (text, gold, facts), computed with the generator of 4e549cf, before the phenomena.
CORPUS_HASHES = {0: "b537c5b82f9cdbe3", 1: "eba0a881303c7128", 2: "e130c34788b50932", 3: "e7a057285a557ad0"}


def _names(gold: dict) -> list[str]:
    return [i["name"] for f in gold["functions"] for i in f["indicators"]] + [i["name"] for i in gold["indicators"]]


def _inds(gold: dict) -> list[dict]:
    return [i for f in gold["functions"] for i in f["indicators"]] + list(gold["indicators"])


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("noise", [0, 1, 2, 3])
def test_noise_corpora_are_unchanged(noise):
    h = hashlib.sha256()
    for s in samples(12, noise, seed=2024) + samples(6, noise, seed=7, numbering_mix=LEVEL3_RUN_ON):
        h.update(s.text.encode())
        h.update(json.dumps(s.gold, ensure_ascii=False, sort_keys=True).encode())
        h.update(json.dumps(s.facts, ensure_ascii=False, sort_keys=True, default=str).encode())
    assert h.hexdigest()[:16] == CORPUS_HASHES[noise]


@pytest.mark.parametrize("render", [render_tab, render_layout, render_pipe])
@pytest.mark.parametrize("noise", [0, 3])
def test_trace_changes_nothing_and_rebuilds_the_text(render, noise):
    for i in range(4):
        sheet = make_sheet(random.Random(i), kind="department" if i % 2 else "project")
        plain = render(sheet, random.Random(f"r{i}"), noise, {})
        trace: dict = {}
        traced = render(sheet, random.Random(f"r{i}"), noise, {}, trace=trace)
        assert traced == plain
        end = "\n\f" if render is render_layout else "\n"
        assert "".join("\n".join(t for _, _, t in p) + end for p in trace["pages"]) == plain
        rows = [r for p in trace["pages"] for kd, r, _ in p if kd == "row"]
        assert rows == sorted(rows) and set(rows) == set(range(len(sheet.all_indicators())))


@pytest.mark.parametrize("phenomenon", PHENOMENA)
@pytest.mark.parametrize("level", PHENOMENON_LEVELS)
def test_every_phenomenon_is_deterministic_and_its_gold_a_sheet(phenomenon, level):
    a = phenomenon_samples(6, phenomenon, level, seed=3)
    b = phenomenon_samples(6, phenomenon, level, seed=3)
    assert [s.text for s in a] == [s.text for s in b] and [s.gold for s in a] == [s.gold for s in b]
    assert {s.layout for s in a} == ({phenomenon} if phenomenon in ("prose", "collapsed") else {"tab", "layout", "pipe"})
    assert sum(s.facts["applied"] for s in a) > 0
    for s in a:
        sheet_from_dict(s.gold)
        assert s.facts["phenomenon"] == phenomenon and s.facts["level"] == level
        assert _names(s.gold)
        if phenomenon != "traditional" and s.layout != "layout":  # (layout text wraps names)
            flat = _squash(s.text)
            for name in _names(s.gold):  # every gold row is in the text
                assert _squash(name) in flat, (phenomenon, level, name)


def test_phenomena_draw_from_their_own_streams():
    before = [s.text for s in samples(4, 2, seed=5)]
    phenomenon_samples(4, "lookalike", 3, seed=5)
    assert [s.text for s in samples(4, 2, seed=5)] == before
    with pytest.raises(ValueError):
        phenomenon_sample(random.Random(0), "nonsense", 1)
    with pytest.raises(ValueError):
        phenomenon_sample(random.Random(0), "furniture", 4)


@pytest.mark.parametrize("level", PHENOMENON_LEVELS)
def test_truncated_last_row_is_not_in_the_gold(level):
    for i in range(12):
        s = phenomenon_sample(random.Random(f"t{i}"), "truncated", level, "tab" if i % 2 else "layout")
        gold, cut = _inds(s.gold), s.facts["cut_row"]
        assert len(gold) == s.facts["rows"] - 1 and s.facts["dropped_rows"] == [s.facts["rows"] - 1]
        tail = s.text[-200:]
        assert cut["target"] not in tail.split("\n")[-1] and not s.text.endswith("\f")
        if level == 1:   # cut inside the name
            assert _squash(cut["name"]) not in _squash(tail)
        elif i % 2:      # the name is there, the value not (or only its start)
            assert cut["name"] in tail
        if i % 2:        # tab: the gold's last row is the line before the cut one
            before = s.text.rstrip("\n").split("\n")[-2]
            assert gold[-1]["name"] in before and gold[-1]["target"]["text"] in before


def test_truncated_levels_cut_name_operator_number():
    s1, s2, s3 = (phenomenon_sample(random.Random("cut"), "truncated", lv, "tab") for lv in (1, 2, 3))
    # same sheet at every level (the cut uses no randomness before the render)
    assert s1.gold == s2.gold == s3.gold
    t1, t2, t3 = (s.text.rstrip("\n").split("\n")[-1].split("\t") for s in (s1, s2, s3))
    assert len(t2) >= len(t1) and len(t3[-1]) >= len(t2[-1])
    assert re.search(r"\d", t3[-1])            # level 3: a number is left
    assert not re.search(r"\d", t2[-1])        # level 2: no digit of the value is left


@pytest.mark.parametrize("level", PHENOMENON_LEVELS)
def test_traditional_only_in_the_text(level):
    for s in phenomenon_samples(6, "traditional", level, seed=11):
        assert "指標" in s.text and "指标" not in s.text
        assert "標" not in json.dumps(s.gold, ensure_ascii=False)
        for name in _names(s.gold):
            assert _t2s(name) == name            # gold names simplified
        glosses = re.findall(r"[\u4e00-\u9fff]\([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*\)", s.text)
        assert bool(glosses) == (level >= 2)
        # the text converts back to what the gold says (glosses dropped)
        back = _squash(_t2s(re.sub(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", "", s.text)))
        for name in _names(s.gold) if s.layout == "tab" else ():
            assert _squash(name) in back


@pytest.mark.parametrize("level", PHENOMENON_LEVELS)
def test_furniture_is_in_the_text_not_the_gold(level):
    for s in phenomenon_samples(6, "furniture", level, seed=12):
        lines = [ln.strip().removesuffix(" |") for ln in s.text.replace("\f", "\n").split("\n")]
        pages = [ln for ln in lines if re.fullmatch(r"(—|-) ?\d+ ?(—|-)|第 ?\d+ ?页.*|\d+/\d+|共\d+页 第\d+页", ln)]
        assert len(pages) == (s.text.count("\f") if s.layout == "layout" else len(pages)) and \
            len(pages) >= (1 if s.layout == "layout" else 2)
        site = [ln for ln in lines if re.search(r"资源ID|下载|本站|阅读|IPv6|无障碍|字体|分享|打印|上一篇|下一篇|扫一扫|版权",
                                                 ln)]
        assert bool(site) == (level >= 2)
        blob = json.dumps(_inds(s.gold), ensure_ascii=False)
        assert "页" not in blob.replace("页岩", "") and "资源ID" not in blob and "—" not in blob


@pytest.mark.parametrize("level", PHENOMENON_LEVELS)
def test_lookalikes_in_the_text_canonical_operators_in_the_gold(level):
    seen = set()
    for s in phenomenon_samples(10, "lookalike", level, seed=13):
        seen |= {c for c in ("═", "〓", "≥=", "=>", "≤=", "=<", "\t二") if c in s.text}
        blob = json.dumps(s.gold, ensure_ascii=False)
        assert "═" not in blob and "〓" not in blob and "≥=" not in blob
    assert {"═", "〓"} & seen
    assert (level >= 2) == bool({"≥=", "=>", "≤=", "=<"} & seen)
    if level == 3:
        assert "\t二" in seen


def test_lookalike_ocr_two_only_where_the_value_cannot_be_right():
    for s in phenomenon_samples(30, "lookalike", 3, seed=14, layouts=("tab",)):
        for ind in _inds(s.gold):
            if re.search(r"\t2" + re.escape(ind["target"]["text"].lstrip("≥≧>=＞＝")) + r"\b", s.text) \
                    and (ind["target"]["op"] == "≥") and ind["name"] + "\t2" in s.text:
                assert ind["target"]["unit"] == "%" and ind["target"]["value"] <= 100


@pytest.mark.parametrize("level", PHENOMENON_LEVELS)
def test_unit_only_targets_are_placeholders_in_the_gold(level):
    n = 0
    for s in phenomenon_samples(8, "unit_only", level, seed=15):
        for ind in _inds(s.gold):
            t = ind["target"]
            if t and t.get("kind") == "placeholder":
                n += 1
                assert t["value"] is None and t["unit"] and t["text"] in s.text
    assert n > 0


@pytest.mark.parametrize("level", PHENOMENON_LEVELS)
def test_headless_has_no_heading_and_cut_rows_leave_the_gold(level):
    for i in range(8):
        s = phenomenon_sample(random.Random(f"h{i}"), "headless", level, "tab" if i % 2 else "layout")
        first_page = s.text.split("\f")[0]  # (layout: later pages reprint their heading)
        assert "三级指标" not in first_page and "一级指标" not in first_page
        if level >= 2:
            assert "部门(单位)名称" not in s.text and "项目名称" not in s.text and not first_page.startswith("\n")
            assert s.gold["unit"] is None and s.gold["goals"] == []
        flat = _squash(s.text)
        if level == 3:
            assert s.facts["dropped_rows"]
            for name in _names(s.gold) if s.layout == "tab" else ():
                assert _squash(name) in flat
        else:
            assert not s.facts["dropped_rows"]


@pytest.mark.parametrize("level", PHENOMENON_LEVELS)
def test_prose_lists_every_gold_row_with_its_value(level):
    for s in phenomenon_samples(6, "prose", level, seed=16):
        assert "\t" not in s.text and "三级指标" not in s.text
        for ind in _inds(s.gold):
            assert ind["name"] + ind["target"]["text"] in s.text or ind["name"] + "为" + ind["target"]["text"] in s.text
            assert not re.search(r"[,，;；。为是:：]", ind["name"])
        if level == 3:  # several 二级 in one sentence
            assert re.search(r"指标:[^\n]*；[^\n]*指标:", s.text)


@pytest.mark.parametrize("level", PHENOMENON_LEVELS)
def test_repeated_headings_and_block_totals_leave_the_gold_alone(level):
    for s in phenomenon_samples(6, "repeated_heading", level, seed=17):
        assert s.text.count("三级指标") >= 2 + (level >= 2) * 0
        assert s.gold["indicators"] or s.gold["functions"]
    for s in phenomenon_samples(6, "block_total", level, seed=18):
        assert re.search(r"(产出|效益|满意度|成本)指标 ?[(（]\d+分?[)）]", s.text)
        assert (level >= 2) == bool(re.search(r"[二数质时社经生可服]\S*指标 ?[(（]\d+分?[)）]", s.text))
        for ind in _inds(s.gold):
            assert "分" not in ind["level1"] and "(" not in ind["level1"] and "(" not in ind["level2"]


@pytest.mark.parametrize("level", PHENOMENON_LEVELS)
def test_collapsed_forms_lose_their_whitespace(level):
    seen = set()
    for s in phenomenon_samples(9, "collapsed", level, seed=19):
        seen.add(s.facts["collapsed_layout"])
        assert not re.search(r"[ \t\f]", s.text)
        rows = s.text.strip("\n").split("\n")
        assert (len(rows) > len(_inds(s.gold))) if level == 1 else len(rows) == 1
        if s.facts["collapsed_layout"] in ("self_eval", "weight_first"):  # the weights are in the gold
            assert all(i["weight"] >= 1 and i["score"] is not None for i in _inds(s.gold))
            assert sum(i["weight"] for i in _inds(s.gold)) >= 100
    assert seen <= ({"by_place", "self_eval", "weight_first"} if level == 3 else
                    {"declaration", "weighted", "explained", "monitoring", "split_target"}) and len(seen) >= 2
