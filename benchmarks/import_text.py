#!/usr/bin/env python3
"""Throughput of the text importer: seed-sized documents per second on one core.

Documents: the seed itself (tests/data/seed.txt, 4 functions, 49 indicators) and
generated seed-sized department sheets (4 functions) at noise 3, as seed-like tab
text and as ``pdftotext -layout`` text (tests/generator.py). The naive baseline and
the generator are timed too, for scale. Prints numbers; asserts nothing.

    .venv/bin/python benchmarks/import_text.py [--seconds 5] [--docs 40]
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from baseline import naive_import  # noqa: E402
from generator import sample  # noqa: E402


def rate(fn, docs: list[str], seconds: float, windows: int = 5) -> tuple[float, float]:
    """Documents per second, cycling through ``docs``: the best and the median of
    ``windows`` windows of ``seconds / windows`` each. On a shared machine the best
    window is the one least disturbed by other processes (as ``timeit`` advises)."""
    fn(docs[0])  # warm caches and lazy imports
    rates = []
    for _ in range(windows):
        done, t0 = 0, time.perf_counter()
        while True:
            for d in docs:
                fn(d)
            done += len(docs)
            dt = time.perf_counter() - t0
            if dt >= seconds / windows:
                rates.append(done / dt)
                break
    return max(rates), statistics.median(rates)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=5.0, help="time per figure (five windows)")
    ap.add_argument("--docs", type=int, default=40, help="generated documents per layout")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        try:
            os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
        except OSError:
            pass
    seed = (ROOT / "tests" / "data" / "seed.txt").read_text(encoding="utf-8")
    t0 = time.perf_counter()
    gen = {layout: [sample(random.Random(f"bench:{args.seed}:{layout}:{k}"), 3, layout, kind="department",
                           functions=4) for k in range(args.docs)] for layout in ("tab", "layout")}
    gen_rate = 2 * args.docs / (time.perf_counter() - t0)
    sets = {"seed (tests/data/seed.txt)": [seed],
            "generated, noise 3, tab": [s.text for s in gen["tab"]],
            "generated, noise 3, layout": [s.text for s in gen["layout"]]}
    sizes = {name: sum(len(d) for d in docs) / len(docs) for name, docs in sets.items()}
    inds = {layout: sum(len(s.sheet.all_indicators()) for s in v) / len(v) for layout, v in gen.items()}
    print(f"python {sys.version.split()[0]}, one core, >= {args.seconds:g} s per figure")
    print(f"generated documents: 4 functions, {inds['tab']:.0f} / {inds['layout']:.0f} indicators on average "
          f"(tab / layout); the seed has 49")
    print(f"generator: {gen_rate:.0f} sheets/s (make_sheet + render + gold)\n")
    try:
        from jixiao.importers.formats.text import import_text
    except ImportError as e:
        import_text = None
        print(f"import_text: not available ({e})\n")
    print("| documents | chars | import_text docs/s (best window) | median window | ms/doc (best) "
          "| naive baseline docs/s (best) |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, docs in sets.items():
        base, _ = rate(naive_import, docs, args.seconds / 3)
        if import_text is not None:
            r, med = rate(import_text, docs, args.seconds)
            cells = f"{r:.1f} | {med:.1f} | {1000 / r:.2f}"
        else:
            cells = "n/a | n/a | n/a"
        print(f"| {name} | {sizes[name]:.0f} | {cells} | {base:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
