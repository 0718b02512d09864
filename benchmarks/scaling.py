#!/usr/bin/env python3
"""Scaling of the text importer (and the xlsx renderer) with the document's size.

Generated department sheets of about 50, 500, 5,000 and 20,000 indicators (about
twelve per function: a county's compilation, a budget book's text), numbered
(per group) and unnumbered, as tab text and as ``pdftotext -layout`` text, at noise 0
and the hardest level 3 (tests/generator.py ``large_sample``). For each: import time,
time per indicator, peak traced memory (tracemalloc, measured in a second run so
that tracing does not slow the timed one), F1 against the gold (tests/sheet_score.py),
rowF1 (F1 without the function index, see ``_one_function``) and Δfunc (functions
found minus functions in the gold).
Then the xlsx renderer on the imported sheets. Prints a table; asserts nothing.

    .venv/bin/python benchmarks/scaling.py [--sizes 50,500,5000] [--xlsx] [--seeds 0,1,2]

``--seeds``: other sheets of the same sizes (``large_sample``'s seed; 0 is the table in
docs/benchmarks.md), to see how far one sheet's F1 is from another's.
"""
from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from generator import large_sample  # noqa: E402
from sheet_score import score  # noqa: E402

from jixiao.importers.text import import_text  # noqa: E402
from jixiao.model.codec import sheet_to_dict  # noqa: E402


def measure(fn, *args):
    t0 = time.perf_counter()
    out = fn(*args)
    dt = time.perf_counter() - t0
    tracemalloc.start()
    fn(*args)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return out, dt, peak


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="50,500,5000,20000")
    ap.add_argument("--noise", default="0,3")
    ap.add_argument("--layouts", default="tab,layout")
    ap.add_argument("--numbering", default="group,absent", help="tests/generator.py styles: group, run, absent")
    ap.add_argument("--xlsx", action="store_true", help="also time the xlsx renderer")
    ap.add_argument("--seeds", default="0", help="large_sample seeds, one row per seed")
    args = ap.parse_args(argv)
    if args.xlsx:  # load openpyxl and its style tables before anything is timed
        from jixiao.render import render
        render(import_text(large_sample(50, 0, "tab", numbering="group").text), "xlsx")
    print(f"{'layout':7} {'numbering':9} {'noise':>5} {'indicators':>10} {'s':>8} {'ms/ind':>7} "
          f"{'peak MB':>8} {'F1':>7} {'rowF1':>7} {'Δfunc':>6}" + (" seed" if args.seeds != "0" else ""))
    for layout in args.layouts.split(","):
        for numbering in args.numbering.split(","):
            for noise in map(int, args.noise.split(",")):
                for size, seed in ((z, d) for z in map(int, args.sizes.split(","))
                                   for d in map(int, args.seeds.split(","))):
                    s = large_sample(size, noise, layout, numbering=numbering, seed=seed)
                    sheet, dt, peak = measure(import_text, s.text)
                    n = len(s.gold_rows) if hasattr(s, "gold_rows") else _count(s.gold)
                    pred = sheet_to_dict(sheet)
                    f1 = score(s.gold, pred)["f1"]
                    rows_f1 = score(_one_function(s.gold), _one_function(pred))["f1"]
                    extra = len(pred.get("functions") or []) - len(s.gold.get("functions") or [])
                    print(f"{layout:7} {numbering:9} {noise:5d} {n:10d} {dt:8.3f} {1000 * dt / n:7.3f} "
                          f"{peak / 2**20:8.1f} {f1:7.4f} {rows_f1:7.4f} {extra:+6d}"
                          + (f" {seed:4d}" if args.seeds != "0" else ""), flush=True)
                    if args.xlsx and noise == 0 and layout == "tab" and numbering == "group":
                        from jixiao.render import render
                        _, rt, rpeak = measure(render, sheet, "xlsx")
                        print(f"  xlsx render {n} indicators: {rt:.3f} s, {1000 * rt / n:.3f} ms/ind, "
                              f"peak {rpeak / 2**20:.1f} MB", flush=True)
    return 0


def _one_function(sheet: dict) -> dict:
    """The sheet with its functions' indicators run together: ``rowF1`` scores each
    indicator's category, name and target without its function's index. The index
    is what F1 compares too, so one function too many early in a document of
    hundreds shifts every later indicator; rowF1 shows the local accuracy."""
    out = dict(sheet)
    out["functions"] = [{"indicators": [i for f in sheet.get("functions") or [] for i in (f or {}).get("indicators") or []]}]
    return out


def _count(gold: dict) -> int:
    return sum(len(f.get("indicators") or []) for f in gold.get("functions") or []) + len(
        gold.get("indicators") or [])


if __name__ == "__main__":
    raise SystemExit(main())
