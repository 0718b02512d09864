#!/usr/bin/env python3
"""Accuracy of the text importer vs the naive baseline, per noise level and layout.

Scores ``jixiao.importers.formats.text.import_text`` and ``tests/baseline.naive_import`` with
the official scorer (tests/sheet_score.py) on generated corpora (tests/generator.py)
and on the seed, and prints markdown tables: mean indicator F1, description handling,
and the noise each corpus really carried. Prints numbers; asserts nothing.

    .venv/bin/python benchmarks/accuracy.py [--n 200] [--seed 2024]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from statistics import mean

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from baseline import naive_import  # noqa: E402
from generator import LEVEL3_RUN_ON, aggregate, samples  # noqa: E402
from sheet_score import score  # noqa: E402

from jixiao.model.codec import sheet_to_dict  # noqa: E402


def evaluate(fn, docs) -> list[dict]:
    """One record per document: F1, descriptions right, lost functions given back as None."""
    out = []
    for s in docs:
        try:
            pred = fn(s.text)
            if not isinstance(pred, dict):
                pred = sheet_to_dict(pred)
            crash = 0
        except Exception:  # noqa: BLE001 - a crash scores zero
            pred, crash = {}, 1
        r = score(s.gold, pred)
        rec = {"layout": s.layout, "f1": r["f1"], "crash": crash, "funcs": len(s.gold["functions"]),
               "desc_ok": r.get("descriptions_ok", 0), "lost": 0, "lost_ok": 0}
        pf = pred.get("functions") or []
        for i, f in enumerate(s.gold["functions"]):
            if f["description"] is None:
                rec["lost"] += 1
                rec["lost_ok"] += i < len(pf) and (pf[i] or {}).get("description") is None
        out.append(rec)
    return out


def summary(recs: list[dict]) -> dict:
    funcs, lost = sum(r["funcs"] for r in recs), sum(r["lost"] for r in recs)
    return {"f1": mean(r["f1"] for r in recs),
            "desc": sum(r["desc_ok"] for r in recs) / funcs if funcs else None,
            "lost": f"{sum(r['lost_ok'] for r in recs)}/{lost}" if lost else "–",
            "crashes": sum(r["crash"] for r in recs)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200, help="sheets per noise level (half per layout)")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--levels", default="0,1,2,3,3r",
                    help="noise levels; 3r is level 3 with run-on numbering in another 1 in 4 sheets")
    args = ap.parse_args(argv)
    try:
        from jixiao.importers.formats.text import import_text
    except ImportError as e:
        import_text = None
        print(f"import_text: not available ({e}); baseline only\n")
    levels = args.levels.split(",")
    corpora = {n: samples(args.n, int(n.rstrip("r")), seed=args.seed,
                          **({"numbering_mix": LEVEL3_RUN_ON} if n.endswith("r") else {}))
               for n in levels}

    print(f"## Mean indicator F1 ({args.n} sheets per level, seed {args.seed})\n")
    print("| noise | layout | sheets | import_text F1 | descriptions ok | lost → None | crashes | baseline F1 |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for n in levels:
        base_recs = evaluate(naive_import, corpora[n])
        imp_recs = evaluate(import_text, corpora[n]) if import_text is not None else None
        for layout in ("tab", "layout", "all"):
            pick = [i for i, s in enumerate(corpora[n]) if layout in ("all", s.layout)]
            base = summary([base_recs[i] for i in pick])
            if imp_recs is not None:
                imp = summary([imp_recs[i] for i in pick])
                desc = f"{imp['desc']:.1%}" if imp["desc"] is not None else "–"
                cells = f"{imp['f1']:.4f} | {desc} | {imp['lost']} | {imp['crashes']}"
            else:
                cells = "n/a | n/a | n/a | n/a"
            name = f"**{layout}**" if layout == "all" else layout
            label = f"{n[:-1]} + run-on" if n.endswith("r") else n
            print(f"| {label} | {name} | {len(pick)} | {cells} | {base['f1']:.4f} |")
    seed_text = (ROOT / "tests" / "data" / "seed.txt").read_text(encoding="utf-8")
    gold = json.loads((ROOT / "tests" / "data" / "seed.gold.json").read_text(encoding="utf-8"))
    base = score(gold, naive_import(seed_text))
    imp = score(gold, sheet_to_dict(import_text(seed_text))) if import_text is not None else None
    imp_cells = (f"{imp['f1']:.4f} | {imp.get('descriptions_ok')}/{imp.get('functions_gold')} | – | 0"
                 if imp else "n/a | n/a | n/a | n/a")
    print(f"| seed | tab | 1 | {imp_cells} | {base['f1']:.4f} |")

    print("\n## Noise the corpora carried (realised, from the renderers' stats)\n")
    print("| noise | labels displaced | 一级/二级 missing | function column missing | fn label after block "
          "| numbering absent / run-on | ambiguous rows* | layout: wrapped names, pages/sheet |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in levels:
        a = aggregate([s.facts for s in corpora[n]])
        r = a["rates"]
        lay = aggregate([s.facts for s in corpora[n] if s.layout == "layout"])
        label = f"{n[:-1]} + run-on" if n.endswith("r") else n
        print(f"| {label} | {r['displaced']:.1%} | {r['missing_l1_l2']:.1%} | {r['function_missing']:.1%} "
              f"| {r['func_after_block']:.1%} | {r['numbering_absent']:.0%} / {r['numbering_run']:.0%} "
              f"| {r['ambiguous_rows']:.1%} | {lay['wrapped_names'] / max(lay['rows'], 1):.1%}, "
              f"{lay['pages'] / max(lay['sheets'], 1):.1f} |")
    print("\n*rows next to a group boundary that neither the numbering nor a 二级 label on the group's first "
          "row marks, whose name gives no cue or a misleading one: there even an expert guesses.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
