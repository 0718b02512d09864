#!/usr/bin/env python3
"""Time of the official-form renderers (jixiao/render), warm: imports and the
first call are excluded; the median of ``--repeat`` runs is printed in ms.

Sheets: a generated project sheet cut to exactly 50 indicators (tests/generator.py)
and the seed gold (4 functions, 49 indicators, 4 PDF pages). Targets: xlsx of the
50-indicator sheet < 100 ms, PDF of the seed < 1 s. Prints numbers; asserts nothing.

    .venv/bin/python benchmarks/render.py [--repeat 5]
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from generator import make_sheet  # noqa: E402

from jixiao.model.codec import loads  # noqa: E402
from jixiao.render import FORMATS, render  # noqa: E402
from jixiao.render.view import build_view  # noqa: E402

TARGETS_MS = {("50 indicators", "xlsx"): 100, ("seed", "pdf"): 1000}


def fifty_indicator_sheet():
    rng = random.Random(0)
    sheet = make_sheet(rng, kind="project")
    while len(sheet.indicators) < 50:
        sheet.indicators += make_sheet(rng, kind="project").indicators
    sheet.indicators = sheet.indicators[:50]
    return sheet


def median_ms(fn, repeat: int) -> float:
    fn()  # lazy imports, template compilation, font loading
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sheets = {"50 indicators": fifty_indicator_sheet(),
              "seed": loads((ROOT / "tests/data/seed.gold.json").read_text(encoding="utf-8"))}
    print(f"{'sheet':<14} {'format':<6} {'ms':>8}  target")
    for name, sheet in sheets.items():
        print(f"{name:<14} {'view':<6} {median_ms(lambda s=sheet: build_view(s), args.repeat):8.1f}")
        for fmt in FORMATS:
            ms = median_ms(lambda s=sheet, f=fmt: render(s, f), args.repeat)
            target = TARGETS_MS.get((name, fmt))
            verdict = "" if target is None else f"< {target} ms {'ok' if ms < target else 'MISSED'}"
            print(f"{name:<14} {fmt:<6} {ms:8.1f}  {verdict}")


if __name__ == "__main__":
    main()
