#!/usr/bin/env python3
"""Scaling of the text importer (and the xlsx renderer) with the document's size.

Generated department sheets of about 50, 500, 5,000 and 20,000 indicators (about
twelve per function: a county's compilation, a budget book's text), numbered
(per group) and unnumbered, as tab text and as ``pdftotext -layout`` text, at noise 0
and the hardest level 3 (tests/generator.py ``large_sample``). For each: import time,
time per indicator (an import of a small sheet loads numpy and the rest first), peak
traced memory (tracemalloc, measured in a second run so that tracing does not slow
the timed one), F1 against the gold (tests/sheet_score.py),
rowF1 (F1 without the function index, see ``_one_function``) and Δfunc (functions
found minus functions in the gold).
Then the xlsx renderer on the imported sheets. Prints a table; asserts nothing.

    .venv/bin/python benchmarks/scaling.py [--sizes 50,500,5000] [--xlsx] [--seeds 0,1,2]
    .venv/bin/python benchmarks/scaling.py --sizes 50,500,5000 --seeds "0-19;5000=0-5"

``--seeds``: other sheets of the same sizes (``large_sample``'s seed; 0 is the table in
docs/benchmarks.md), to see how far one sheet's F1 is from another's: a list of seeds
and ranges (``0,3,5-9``), the same for every size, then optionally ``;SIZE=SEEDS``
for sizes that take other seeds (fewer sheets of the large sizes). With more than one
seed at some size (or ``--summary``), a second table follows the per-sheet rows: per
text, numbering, noise and size, the sheets' mean F1, its standard deviation,
standard error and range, mean rowF1, mean and median ms/indicator, the largest peak
and how many sheets had Δfunc ≠ 0. Then, per row, issue 10's acceptance on the
means, ``--compare`` (5000 against 500): |mean F1 difference| <= 0.01 (with the
standard error of the difference), mean ms/indicator ratio <= 2 (and the ratio of
the medians, less moved by a busy machine), peak under 300 MB.
"""
from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from generator import large_sample  # noqa: E402
from sheet_score import score  # noqa: E402

from jixiao.importers.formats.text import import_text  # noqa: E402
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
    ap.add_argument("--seeds", default="0",
                    help="large_sample seeds, one row per seed: 0,1,5-9, then ;SIZE=SEEDS for other sizes")
    ap.add_argument("--summary", action="store_true",
                    help="the per-size means table and the acceptance checks (the default with several seeds)")
    ap.add_argument("--compare", default="500,5000", help="the two sizes the acceptance checks compare")
    args = ap.parse_args(argv)
    sizes = [int(z) for z in args.sizes.split(",")]
    seeds_of = _seeds(args.seeds, sizes)
    multi = any(len(v) > 1 for v in seeds_of.values()) or args.seeds != "0"
    records: dict[tuple, list[tuple]] = {}
    # load every module an import can use (numpy on the unnumbered path and the indexed
    # pass) before anything is timed: the first sheet to need one would carry its load
    import_text(large_sample(50, 3, "layout", numbering="absent").text)
    if args.xlsx:  # load openpyxl and its style tables before anything is timed
        from jixiao.render import render
        render(import_text(large_sample(50, 0, "tab", numbering="group").text), "xlsx")
    print(f"{'layout':7} {'numbering':9} {'noise':>5} {'indicators':>10} {'s':>8} {'ms/ind':>7} "
          f"{'peak MB':>8} {'F1':>7} {'rowF1':>7} {'Δfunc':>6}" + (" seed" if multi else ""))
    for layout in args.layouts.split(","):
        for numbering in args.numbering.split(","):
            for noise in map(int, args.noise.split(",")):
                for size, seed in ((z, d) for z in sizes for d in seeds_of[z]):
                    s = large_sample(size, noise, layout, numbering=numbering, seed=seed)
                    sheet, dt, peak = measure(import_text, s.text)
                    n = len(s.gold_rows) if hasattr(s, "gold_rows") else _count(s.gold)
                    pred = sheet_to_dict(sheet)
                    f1 = score(s.gold, pred)["f1"]
                    rows_f1 = score(_one_function(s.gold), _one_function(pred))["f1"]
                    extra = len(pred.get("functions") or []) - len(s.gold.get("functions") or [])
                    print(f"{layout:7} {numbering:9} {noise:5d} {n:10d} {dt:8.3f} {1000 * dt / n:7.3f} "
                          f"{peak / 2**20:8.1f} {f1:7.4f} {rows_f1:7.4f} {extra:+6d}"
                          + (f" {seed:4d}" if multi else ""), flush=True)
                    records.setdefault((layout, numbering, noise, size), []).append(
                        (n, dt, 1000 * dt / n, peak / 2**20, f1, rows_f1, extra))
                    if args.xlsx and noise == 0 and layout == "tab" and numbering == "group":
                        from jixiao.render import render
                        _, rt, rpeak = measure(render, sheet, "xlsx")
                        print(f"  xlsx render {n} indicators: {rt:.3f} s, {1000 * rt / n:.3f} ms/ind, "
                              f"peak {rpeak / 2**20:.1f} MB", flush=True)
    if args.summary or any(len(v) > 1 for v in seeds_of.values()):
        small, large = map(int, args.compare.split(","))
        _summary(records, small, large)
    return 0


def _seeds(spec: str, sizes: list[int]) -> dict[int, list[int]]:
    """``0-9;5000=0-2`` -> {size: seeds}: the first part for every size, then per size."""
    def one(part: str) -> list[int]:
        out = []
        for item in part.split(","):
            a, _, b = item.strip().partition("-")
            out += list(range(int(a), int(b) + 1)) if b else [int(a)]
        return out

    parts = [p for p in spec.split(";") if p.strip()]
    default = one(parts[0]) if parts and "=" not in parts[0] else [0]
    out = {z: default for z in sizes}
    for p in parts:
        if "=" in p:
            z, _, v = p.partition("=")
            out[int(z)] = one(v)
    return out


def _stats(xs: list[float]) -> tuple[float, float, float]:
    """Mean, sample standard deviation, standard error of the mean."""
    m = sum(xs) / len(xs)
    sd = math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1)) if len(xs) > 1 else 0.0
    return m, sd, sd / math.sqrt(len(xs))


def _summary(records: dict, small: int, large: int) -> None:
    print()
    print(f"{'layout':7} {'numbering':9} {'noise':>5} {'size':>6} {'seeds':>5} {'ind':>6} "
          f"{'ms/ind':>7} {'median':>7} {'peakMB':>7} {'F1 mean':>7} {'sd':>6} {'se':>6} {'min':>7} {'max':>7} "
          f"{'rowF1':>7} {'Δf≠0':>4}")
    for (layout, numbering, noise, size), rs in records.items():
        m, sd, se = _stats([r[4] for r in rs])
        print(f"{layout:7} {numbering:9} {noise:5d} {size:6d} {len(rs):5d} "
              f"{round(sum(r[0] for r in rs) / len(rs)):6d} {sum(r[2] for r in rs) / len(rs):7.3f} "
              f"{statistics.median(r[2] for r in rs):7.3f} "
              f"{max(r[3] for r in rs):7.1f} {m:7.4f} {sd:6.4f} {se:6.4f} {min(r[4] for r in rs):7.4f} "
              f"{max(r[4] for r in rs):7.4f} {sum(r[5] for r in rs) / len(rs):7.4f} "
              f"{sum(1 for r in rs if r[6]):4d}")
    rows = list(dict.fromkeys(k[:3] for k in records))
    pairs = [(k, records.get((*k, small)), records.get((*k, large))) for k in rows]
    pairs = [p for p in pairs if p[1] and p[2]]
    if not pairs:
        return
    print()
    print(f"acceptance on the means, {large} against {small}: |ΔF1| <= 0.01, ms/ind ratio <= 2, peak < 300 MB")
    print(f"{'layout':7} {'numbering':9} {'noise':>5} {'F1 ' + str(small):>8} {'F1 ' + str(large):>8} "
          f"{'ΔF1':>7} {'se(Δ)':>6} {'F1 ok':>5} {'ratio':>6} {'t ok':>4} {'median':>6} {'peakMB':>7} {'mem ok':>6}")
    for k, a, b in pairs:
        ma, _, sea = _stats([r[4] for r in a])
        mb, _, seb = _stats([r[4] for r in b])
        ta = sum(r[2] for r in a) / len(a)
        tb = sum(r[2] for r in b) / len(b)
        peak = max(r[3] for r in b)
        med = statistics.median(r[2] for r in b) / statistics.median(r[2] for r in a)
        d = mb - ma
        print(f"{k[0]:7} {k[1]:9} {k[2]:5d} {ma:8.4f} {mb:8.4f} {d:+7.4f} {math.hypot(sea, seb):6.4f} "
              f"{'yes' if abs(d) <= 0.01 else 'NO':>5} {tb / ta:6.2f} {'yes' if tb / ta <= 2 else 'NO':>4} {med:6.2f} "
              f"{peak:7.1f} {'yes' if peak < 300 else 'NO':>6}", flush=True)


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
