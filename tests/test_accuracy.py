"""Accuracy of the text importer on generated garbled sheets, against the naive baseline.

Corpora come from tests/generator.py (known sheets rendered as seed-like tab text and as
``pdftotext -layout`` text, both kinds, both regimes) and are scored with the official
scorer (tests/sheet_score.py). Acceptance:

* ``jixiao.importers.formats.text.import_text``: mean indicator F1 >= 0.995 at noise 0 and at
  least the floor in IMPORTER_MIN_F1 at noise 3 (300 sheets, both renderers); functions
  whose ``职能N`` cell was lost come back with ``description: None``.
* the naive baseline (tests/baseline.py): mean F1 < 0.3 at noise 3 — the gap between the
  two is part of the acceptance — and high at noise 0 (the clean level is really clean).

The importer tests skip, saying why, until ``jixiao.importers.formats.text`` exists.
"""
from __future__ import annotations

import sys
from functools import cache
from pathlib import Path
from statistics import mean

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from baseline import naive_import  # noqa: E402
from generator import samples  # noqa: E402
from sheet_score import score  # noqa: E402

from jixiao.model.codec import sheet_to_dict  # noqa: E402

SEED = 2024
SHEETS = {0: 100, 1: 100, 2: 100, 3: 300}          # per level, half tab, half layout
# Floors: the target at noise 3 is 0.98 (this corpus measures 0.985; the
# mean over other generator seeds is in docs/benchmarks.md).
IMPORTER_MIN_F1 = {0: 0.995, 1: 0.99, 2: 0.98, 3: 0.98}
BASELINE_MAX_F1_AT_3 = 0.3
BASELINE_MIN_F1_AT_0 = 0.9
LOST_DESCRIPTION_MIN = 0.98   # share of lost functions given back with description None
DESCRIPTIONS_MIN = {0: 1.0, 1: 0.99, 2: 0.98, 3: 0.98}
DATA = Path(__file__).resolve().parent / "data"


@cache
def _corpus(noise: int):
    return samples(SHEETS[noise], noise, seed=SEED)


def _import_text():
    try:
        from jixiao.importers.formats.text import import_text
    except ImportError as e:
        missing = getattr(e, "name", None) in ("jixiao.importers.formats.text", "jixiao.importers")
        if missing or "import_text" in str(e):
            pytest.skip(f"jixiao.importers.formats.text.import_text is not there yet ({e})")
        raise
    return import_text


def _evaluate(fn, corpus) -> dict:
    """Mean F1 per layout and overall, description handling, worst sheets."""
    rows = []
    lost = lost_ok = funcs = desc_ok = 0
    for k, s in enumerate(corpus):
        try:
            pred = fn(s.text)
            if not isinstance(pred, dict):
                pred = sheet_to_dict(pred)
            err = None
        except Exception as e:  # a crash is a zero for that sheet, and is reported
            pred, err = {}, f"{type(e).__name__}: {e}"
        r = score(s.gold, pred)
        rows.append((r["f1"], k, s.layout, s.gold["kind"], s.facts.get("regime"), err))
        if s.gold["functions"]:
            funcs += len(s.gold["functions"])
            desc_ok += r.get("descriptions_ok", 0)
            pf = pred.get("functions") or []
            for i, f in enumerate(s.gold["functions"]):
                if f["description"] is None:
                    lost += 1
                    lost_ok += i < len(pf) and (pf[i] or {}).get("description") is None
    out = {"f1": mean(r[0] for r in rows), "n": len(rows),
           "lost": lost, "lost_ok": lost_ok, "funcs": funcs, "desc_ok": desc_ok,
           "worst": sorted(rows)[:5], "crashes": [r for r in rows if r[5]][:3]}
    for layout in ("tab", "layout"):
        part = [r[0] for r in rows if r[2] == layout]
        out[layout] = mean(part) if part else None
    return out


def _describe(res: dict) -> str:
    return (f"mean F1 {res['f1']:.4f} (tab {res['tab']:.4f}, layout {res['layout']:.4f}) over {res['n']} sheets; "
            f"descriptions {res['desc_ok']}/{res['funcs']}, lost->None {res['lost_ok']}/{res['lost']}; "
            f"worst (f1, index, layout, kind, regime, error): {res['worst']}; crashes: {res['crashes']}; "
            f"reproduce one: tests/generator.py samples({res['n']}, noise, seed={SEED})[index]")


# -- the naive baseline (runs today) ----------------------------------------------

def test_baseline_reads_the_seed():
    import json
    text = (DATA / "seed.txt").read_text(encoding="utf-8")
    gold = json.loads((DATA / "seed.gold.json").read_text(encoding="utf-8"))
    r = score(gold, naive_import(text))
    assert r["matched_names"] == r["gold"] == r["pred"] == 49  # it reads every row ...
    assert r["acc_target"] == 1.0
    assert r["f1"] < 0.6  # ... and gets the structure wrong, as the obvious approach does


def test_baseline_is_high_on_clean_text():
    res = _evaluate(naive_import, _corpus(0))
    assert res["f1"] >= BASELINE_MIN_F1_AT_0, _describe(res)


def test_baseline_fails_at_noise_3():
    res = _evaluate(naive_import, _corpus(3))
    assert res["f1"] < BASELINE_MAX_F1_AT_3, _describe(res)
    assert res["tab"] < BASELINE_MAX_F1_AT_3 and res["layout"] < BASELINE_MAX_F1_AT_3, _describe(res)


# -- the importer -------------------------------------------------------------------

@pytest.mark.parametrize("noise", [0, 1, 2, 3])
def test_import_text_accuracy(noise):
    """Mean F1 per level; descriptions: right where the text has them, None where it lost them."""
    import_text = _import_text()
    res = _evaluate(import_text, _corpus(noise))
    failures = []
    if res["f1"] < IMPORTER_MIN_F1[noise]:
        failures.append(f"F1 below {IMPORTER_MIN_F1[noise]}")
    if res["desc_ok"] < DESCRIPTIONS_MIN[noise] * res["funcs"]:
        failures.append(f"descriptions right below {DESCRIPTIONS_MIN[noise]:.0%}")
    if res["lost_ok"] < LOST_DESCRIPTION_MIN * res["lost"]:
        # a description the text lost is never invented nor borrowed from a neighbour
        failures.append(f"lost descriptions given back as None below {LOST_DESCRIPTION_MIN:.0%}")
    if noise == 3:  # the gap is part of the acceptance
        assert res["lost"] > 0, "the level-3 corpus must lose some 职能N cells"
        base = _evaluate(naive_import, _corpus(3))
        if not base["f1"] < BASELINE_MAX_F1_AT_3 <= res["f1"]:
            failures.append(f"no gap to the baseline (baseline F1 {base['f1']:.4f})")
    assert not failures, "; ".join(failures) + " -- " + _describe(res)
