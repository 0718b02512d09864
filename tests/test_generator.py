"""The test-corpus generator (tests/generator.py): sheets, renderers, noise rates, gold."""
from __future__ import annotations

import random
import re
import sys
from functools import cache
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generator import (  # noqa: E402
    LEVEL3_RUN_ON,
    aggregate,
    corpus,
    display_width,
    gold_of,
    make_sheet,
    render_layout,
    render_tab,
    sample,
    samples,
)
from sheet_score import score  # noqa: E402

from jixiao.model.codec import sheet_from_dict  # noqa: E402
from jixiao.model.indicator import (  # noqa: E402
    CLASSIC,
    COST,
    COST2,
    LEVEL2_OF,
    OUTPUT,
    REGIME_2021,
    Category,
)

KINDS = ("department", "project")
REGIMES = ("classic", "2021")
LAYOUTS = ("tab", "layout")
RENDER = {"tab": render_tab, "layout": render_layout}


@cache
def _samples(n: int, noise: int, seed: int = 7):
    return samples(n, noise, seed=seed)


def _all_indicators(sheet):
    return [i for f in sheet.functions for i in f.indicators] + list(sheet.indicators)


# -- sheets -----------------------------------------------------------------

@pytest.mark.parametrize("regime", REGIMES)
@pytest.mark.parametrize("kind", KINDS)
def test_make_sheet_is_a_plausible_sheet(kind, regime):
    order = {c: i for i, c in enumerate(CLASSIC if regime == "classic" else REGIME_2021)}
    for k in range(40):
        sheet = make_sheet(random.Random(k), kind=kind, regime=regime)
        assert sheet.kind == kind and sheet.year and sheet.title and sheet.unit and sheet.supervisor
        assert str(sheet.year) in sheet.title or "项目" in sheet.title
        assert 1 <= len(sheet.goals) <= 4
        if kind == "department":
            assert not sheet.indicators and 2 <= len(sheet.functions) <= 6
            assert "部门整体支出绩效目标" in sheet.title and sheet.overview
            blocks = [f.indicators for f in sheet.functions]
            for i, f in enumerate(sheet.functions):
                assert f.label == f"职能{i + 1}"
                assert 40 <= len(f.description) <= 200
                names = [x.name for x in f.indicators]
                assert len(names) == len(set(names)), "三级 names repeat inside a function"
        else:
            assert not sheet.functions and sheet.indicators and sheet.project
            blocks = [sheet.indicators]
        for inds in blocks:
            cats = [Category(x.level1, x.level2) for x in inds]
            groups = [c for j, c in enumerate(cats) if j == 0 or c != cats[j - 1]]
            assert len(groups) == len(set(groups)), "a 二级 repeats inside one function"
            assert [order[c] for c in groups] == sorted(order[c] for c in groups), "groups out of order"
            assert any(c.level1 == OUTPUT for c in groups), "no 产出 group"
            if kind == "department":
                assert 3 <= len(groups) <= 6
            for g in groups:
                assert 1 <= cats.count(g) <= 6
        for ind in _all_indicators(sheet):
            assert ind.level2 in LEVEL2_OF[ind.level1]
            assert ind.name and ind.target is not None and ind.target.text
            assert "\t" not in ind.name and "  " not in ind.name
            if ind.level2 == COST2:
                assert regime == "classic" and ind.level1 == OUTPUT
            if ind.level1 == COST:
                assert regime == "2021"


def test_vocabulary_is_varied_and_has_hard_cases():
    inds = [i for k in range(150) for i in _all_indicators(
        make_sheet(random.Random(k), kind=KINDS[k % 2], regime=REGIMES[k % 3 % 2]))]
    names = {i.name for i in inds}
    assert len(names) > 0.45 * len(inds), "names repeat too much"
    for l2 in ("数量指标", "质量指标", "时效指标", "社会效益指标", "服务对象满意度指标", "可持续影响指标"):
        assert len({i.name for i in inds if i.level2 == l2}) >= 150, l2
    cues = [i.extra["cue"] for i in inds]
    assert 0.12 <= cues.count("uncued") / len(cues) <= 0.18
    assert 0.03 <= cues.count("misleading") / len(cues) <= 0.07
    texts = [i.target.text for i in inds]
    assert 0.05 <= sum(not re.match(r"[=＝﹦≥≧≤≦<>＞＜不达高低超等]", t) and t[0].isdigit() for t in texts) / len(texts)
    for op in ("≥", "≧", "=", "＝", "﹦", ">", "≤", ">=", "不低于"):
        assert any(t.startswith(op) for t in texts), op
    assert any("日前" in t for t in texts) and any(t in ("有所提升", "效果明显", "持续发挥作用") for t in texts)
    assert any("“" in n for n in names) and any("、" in n for n in names) and any(re.search(r"\d", n) for n in names)


# -- determinism ------------------------------------------------------------

@pytest.mark.parametrize("noise", [0, 3])
def test_deterministic(noise):
    a = samples(12, noise, seed=3)
    b = samples(12, noise, seed=3)
    assert [(s.text, s.gold) for s in a] == [(s.text, s.gold) for s in b]
    assert corpus(12, noise, seed=3) == [(s.text, s.gold) for s in a]
    c = samples(12, noise, seed=4)
    assert [s.text for s in a] != [s.text for s in c]
    for layout in LAYOUTS:
        sheet = make_sheet(random.Random(5), kind="department", regime="2021")
        assert RENDER[layout](sheet, random.Random(9), noise) == RENDER[layout](sheet, random.Random(9), noise)


# -- renderers --------------------------------------------------------------

@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("regime", REGIMES)
@pytest.mark.parametrize("kind", KINDS)
def test_renderers_handle_both_kinds_and_regimes(kind, regime, layout):
    for k in range(8):
        for noise in (0, 3):
            s = sample(random.Random(f"{kind}{regime}{layout}{k}"), noise, layout, kind=kind, regime=regime)
            text = s.text
            assert s.sheet.title in text and f"({s.sheet.year}年度)" in text
            assert "一级指标" in text and "二级指标" in text and "三级指标" in text and "指标值" in text
            if kind == "department":
                assert "核心职能" in text and "部门(单位)名称" in text and s.sheet.unit in text
            else:
                assert "项目名称" in text and s.sheet.project in text and "实施单位" in text
            if layout == "tab":
                assert "\t" in text
            else:
                assert "\t" not in text
            cats = {(i.level1, i.level2) for i in _all_indicators(s.sheet)}
            if noise == 0:  # every label printed, every function label printed
                for l1, l2 in cats:
                    assert l1 in text and l2 in text
                for f in s.sheet.functions:
                    assert f.label in text
            if regime == "2021" and any(l1 == COST for l1, _ in cats) and noise == 0:
                assert re.search(r"成本指标\s+(经济|社会|生态环境)成本指标", text), "成本 as a 一级 printed"


def _name_column(text: str, x0: int, x1: int) -> str:
    """Concatenated display columns [x0, x1) of every line, whitespace removed."""
    out = []
    for line in text.split("\n"):
        pos, buf = 0, []
        for ch in line:
            w = display_width(ch)
            if x0 <= pos < x1:
                buf.append(ch)
            pos += w
        out.append("".join(buf))
    return re.sub(r"\s+", "", "".join(out))


@pytest.mark.parametrize("noise", [0, 1, 2, 3])
def test_every_name_and_value_is_in_the_text(noise):
    for s in _samples(60, noise):
        inds = _all_indicators(s.sheet)
        if s.layout == "tab":
            cells = {c.strip() for line in s.text.split("\n") for c in line.split("\t")}
            for ind in inds:
                assert ind.name in cells and ind.target.text in cells
        else:
            x0, x1 = s.facts["columns"]["name"]
            column = _name_column(s.text, x0, x1)
            pos = 0
            for ind in inds:  # in order, possibly wrapped over lines
                at = column.find(re.sub(r"\s+", "", ind.name), pos)
                assert at >= 0, (ind.name, s.facts["columns"])
                pos = at + 1
                assert ind.target.text in s.text
            assert s.facts["wrapped_names"] <= len(inds)


def test_layout_wraps_paginates_and_repeats_headers():
    lay = [s for s in _samples(120, 3) if s.layout == "layout"]
    agg = aggregate([s.facts for s in lay])
    assert agg["wrapped_names"] / agg["rows"] >= 0.05, "long names wrap"
    assert agg["pages"] > len(lay), "page breaks happen"
    assert agg["reprinted_labels"] > 0, "split merged cells are printed again on the next page"
    multi = [s for s in lay if s.facts["pages"] > 1]
    for s in lay:
        assert s.text.endswith("\f"), "pdftotext ends every page with a form feed"
    for s in multi:
        pages = s.text.split("\f")[:-1]
        assert len(pages) == s.facts["pages"]
        for p in pages[1:]:
            assert "一级指标" in p.split("\n")[1] or "一级指标" in p.split("\n")[0]
        assert re.search(r"第 ?1 ?页|— 1 —|- 1 -", pages[0])
    # CJK counts double: the value column starts at one display column on every indicator line
    s = lay[0]
    vx = s.facts["columns"]["value"][0]
    for ind in _all_indicators(s.sheet)[:10]:
        line = next(ln for ln in s.text.split("\n") if ln.rstrip().endswith(ind.target.text))
        assert display_width(line[:line.rindex(ind.target.text)]) == vx


def test_tab_drops_leading_cells_like_the_seed():
    tab = [s for s in _samples(120, 0) if s.layout == "tab"]
    assert sum(s.facts["shifted_rows"] for s in tab) > 0
    leading = {len(ln) - len(ln.lstrip("\t")) for s in tab for ln in s.text.split("\n") if "指标" in ln}
    assert {0, 1, 2, 3} <= leading


# -- noise rates ------------------------------------------------------------

def test_noise3_run_on_mix_adds_run_on_numbering():
    sm = samples(40, 3, seed=7, numbering_mix=LEVEL3_RUN_ON)
    styles = [s.facts["numbering"] for s in sm]
    assert styles.count("absent") == 10 and styles.count("run") == 10


def test_noise3_realised_rates_meet_the_minimums():
    sm = _samples(200, 3)
    agg = aggregate([s.facts for s in sm])
    r = agg["rates"]
    msg = str(r)
    assert agg["sheets"] == 200
    assert r["displaced"] >= 0.30, msg
    assert r["displaced_l1_l2"] >= 0.30 and r["displaced_func"] >= 0.30, msg
    assert r["missing_l1_l2"] >= 0.10, msg
    assert r["function_missing"] >= 0.20, msg
    assert r["func_after_block"] >= 0.10, msg  # some function labels printed after their block
    assert r["numbering_absent"] >= 0.25, msg
    for variant in ("服务对象满意度指标", "社会公众或服务对象满意度指标", "满意度指标", "环境效益指标"):
        assert agg["level2_variants"].get(variant, 0) > 0, variant
    for layout in LAYOUTS:  # both renderers are garbled, not one on behalf of the other
        part = aggregate([s.facts for s in sm if s.layout == layout])["rates"]
        assert part["displaced"] >= 0.28 and part["missing_l1_l2"] >= 0.08, (layout, part)
    # displaced means 1-4 rows away (a layout description can be pushed a little further by the
    # description above it, which it may not overlap)
    for layout in LAYOUTS:
        lab = aggregate([s.facts for s in sm if s.layout == layout])["labels"]
        assert lab["l1"]["max_offset"] <= 4 and lab["l2"]["max_offset"] <= 4, (layout, lab)
        assert lab["func"]["max_offset"] <= (4 if layout == "tab" else 6), (layout, lab)
    # regimes: 成本指标 as a 一级 (2021) and as a 二级 under 产出 (classic) both occur
    cats = {(i.level1, i.level2) for s in sm for i in _all_indicators(s.sheet)}
    assert (COST, "经济成本指标") in cats and (OUTPUT, COST2) in cats


def test_rates_grow_with_the_noise_level():
    rates = {n: aggregate([s.facts for s in _samples(100, n)])["rates"] for n in (0, 1, 2, 3)}
    for n in (0, 1):
        assert rates[n]["displaced"] == 0 and rates[n]["missing_l1_l2"] == 0 and rates[n]["function_missing"] == 0
        assert rates[n]["numbering_absent"] == 0 and rates[n]["numbering_run"] == 0
    assert 0.08 <= rates[2]["displaced"] <= 0.25 and 0.02 <= rates[2]["missing_l1_l2"] <= 0.09
    tab2 = aggregate([s.facts for s in _samples(100, 2) if s.layout == "tab"])["labels"]
    assert max(v["max_offset"] for v in tab2.values()) <= 3
    assert 0.04 <= rates[2]["function_missing"] <= 0.18
    assert rates[2]["displaced"] < rates[3]["displaced"]
    assert rates[2]["ambiguous_rows"] < rates[3]["ambiguous_rows"]


def test_noise0_labels_on_the_top_row_noise1_anywhere_in_the_span():
    a0 = aggregate([s.facts for s in _samples(100, 0)])["labels"]
    for kind in ("l1", "l2", "func"):
        assert a0[kind]["top"] == a0[kind]["total"] > 0
    assert all(s.facts["numbering"] == "group" for s in _samples(100, 0))
    a1 = aggregate([s.facts for s in _samples(100, 1)])["labels"]
    for kind in ("l1", "l2"):
        assert a1[kind]["in_span"] == a1[kind]["total"]
        assert a1[kind]["middle"] > 0 and a1[kind]["bottom"] > 0
    assert a1["func"]["in_span"] == a1["func"]["total"]


def test_stats_are_opt_in_and_numbering_can_be_forced():
    sheet = make_sheet(random.Random(1), kind="project", regime="classic")
    assert isinstance(render_tab(sheet, random.Random(2), 3), str)
    for mode in ("group", "run", "absent"):
        st: dict = {}
        text = render_layout(sheet, random.Random(2), 3, st, numbering=mode)
        assert st["numbering"] == mode
        assert (re.search(r"指标\d+", text) is None) == (mode == "absent")
    with pytest.raises(ValueError):
        render_tab(sheet, random.Random(2), 3, numbering="roman")


# -- gold -------------------------------------------------------------------

@pytest.mark.parametrize("noise", [0, 3])
def test_gold_has_the_interchange_shape(noise):
    for s in _samples(100, noise):
        g = s.gold
        assert g["schema"] == "jixiao/sheet@1" and g["kind"] == s.sheet.kind
        assert g["year"] == s.sheet.year and g["unit"] == s.sheet.unit and g["goals"] == s.sheet.goals
        if g["kind"] == "department":
            assert g["functions"] and g["indicators"] == []
            assert [f["label"] for f in g["functions"]] == [f"职能{i + 1}" for i in range(len(g["functions"]))]
            lost = set(s.facts["lost_functions"])
            for i, f in enumerate(g["functions"]):
                assert (f["description"] is None) == (i in lost)
                if i in lost:  # the 职能N cell is gone from the text
                    assert not re.search(rf"职能{i + 1}(?!\d)", s.text)
                else:
                    assert re.search(rf"职能{i + 1}(?!\d)", s.text)
        else:
            assert g["functions"] == [] and g["indicators"]
        inds = [i for f in g["functions"] for i in f["indicators"]] + g["indicators"]
        for ind in inds:
            assert ind["level2"] in LEVEL2_OF[ind["level1"]]
            assert set(ind["target"]) >= {"text", "op", "value", "upper", "unit"}
            assert "cue" not in ind
        back = sheet_from_dict(g)
        assert len(back.all_indicators()) == len(inds)
        r = score(g, g)
        assert r["f1"] == 1.0
        if g["functions"]:
            assert r["descriptions_ok"] == len(g["functions"])
    if noise == 3:
        assert any(s.facts["lost_functions"] for s in _samples(100, noise))


def test_gold_of_marks_only_the_lost_descriptions():
    sheet = make_sheet(random.Random(3), kind="department", regime="classic", functions=4)
    g = gold_of(sheet, {"lost_functions": [2]})
    assert [f["description"] is None for f in g["functions"]] == [False, False, True, False]
    assert gold_of(sheet)["functions"][2]["description"] == sheet.functions[2].description


def test_generation_is_fast_enough_to_use_freely():
    # not a timing assertion: a smoke run of both renderers on 50 seed-sized sheets
    for k in range(50):
        s = sample(random.Random(k), 3, LAYOUTS[k % 2], kind="department", functions=4)
        assert len(s.gold["functions"]) == 4
