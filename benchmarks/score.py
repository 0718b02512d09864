#!/usr/bin/env python3
"""Speed of the self-evaluation scoring engine: ms to recompute a whole sheet.

Sheets: generated self-evaluations of N indicators (default 5,000 and 10,000) in
department layout (20 indicators per 核心职能), mixing the kinds a real form holds:
≥ / ≤ / = quantities, ranges, qualitative targets with tier words, a few missing or
copied actuals, claimed scores, and either every weight on the sheet or none (the
profile's block points spread over the leaves). Targets are parsed beforehand, as
an import does; the figure is ``score_sheet`` alone, and ``to_dict`` (the JSON of
``jixiao score --format json``) separately. Prints the median and the slowest of
the runs; asserts nothing (issue 15's target: 10,000 indicators under 100 ms).

    .venv/bin/python benchmarks/score.py [--runs 15] [--sizes 5000 10000]
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from jixiao.model.sheet import Function, Indicator, Sheet  # noqa: E402
from jixiao.model.target import parse_target  # noqa: E402
from jixiao.scoring import DEFAULT, score_sheet  # noqa: E402

BLOCKS = (("产出指标", "数量指标"), ("产出指标", "质量指标"), ("产出指标", "时效指标"), ("成本指标", "经济成本指标"),
          ("效益指标", "社会效益指标"), ("满意度指标", "服务对象满意度指标"))
WORDS = ("达成年度指标", "部分达成年度指标并具有一定效果", "未达成年度指标且效果较差", "效果明显", "达成预期指标")


def leaf(rng: random.Random, i: int, weighted: bool) -> Indicator:
    l1, l2 = rng.choice(BLOCKS)
    kind = rng.random()
    w = float(rng.choice((2, 5, 10))) if weighted else None
    if kind < 0.45:
        t = rng.choice((50, 90, 95, 100, 500))
        target, actual = f"≥{t}{'%' if t <= 100 else '人次'}", f"{round(t * rng.uniform(0.5, 1.4), 1)}" \
            f"{'%' if t <= 100 else '人次'}"
    elif kind < 0.6:
        t = rng.choice((10, 30, 90))
        target, actual = f"≤{t}万元", f"{round(t * rng.uniform(0.6, 2.2), 2)}万元"
    elif kind < 0.7:
        target, actual = "=100%", f"{rng.choice((100, 98, 90))}%"
    elif kind < 0.75:
        target, actual = "90%-95%", f"{rng.choice((85, 92, 97))}%"
    elif kind < 0.9:
        target, actual = rng.choice(("效果明显", "有所提升", "12月31日前")), rng.choice(WORDS)
    elif kind < 0.95:
        target, actual = "≥95%", "≥95%"                       # copied
    else:
        target, actual = "≥500人次", None                      # missing
    score = w if (w is not None and rng.random() < 0.7) else (None if w is None else round(w * 0.9, 2))
    return Indicator(l1, l2, f"指标{i}", parse_target(target), w, None,
                     parse_target(actual) if actual else None, score)


def sheet_of(n: int, weighted: bool, seed: int = 0) -> Sheet:
    rng = random.Random(seed)
    leaves = [leaf(rng, i, weighted) for i in range(n)]
    functions = [Function(f"职能{k // 20 + 1}", None, leaves[k:k + 20]) for k in range(0, n, 20)]
    return Sheet(kind="department", stage="self_evaluation", functions=functions,
                 funds={"budget_initial": 1000.0, "budget": 1200.0, "executed": 1100.0})


def timed(fn, runs: int) -> tuple[float, float, float]:
    """Median wall ms, slowest wall ms, median CPU ms of this process. The CPU figure
    is the one to compare on a shared machine: it leaves out time spent descheduled."""
    fn()                                                       # warm: parse caches, imports
    wall, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall) * 1000, max(wall) * 1000, statistics.median(cpu) * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--sizes", type=int, nargs="+", default=[5000, 10000])
    args = ap.parse_args()
    print(f"# {date.today()}  python {platform.python_version()}  {platform.machine()}  "
          f"{platform.processor() or platform.system()}  runs={args.runs}")
    print(f"# load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    print("| indicators | weights | score_sheet median ms | slowest ms | CPU median ms | µs/indicator (CPU) "
          "| to_dict median ms |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for n in args.sizes:
        for weighted in (True, False):
            sheet = sheet_of(n, weighted)
            med, worst, cpu = timed(lambda s=sheet: score_sheet(s, DEFAULT), args.runs)
            result = score_sheet(sheet, DEFAULT)
            dmed, _, _ = timed(result.to_dict, args.runs)
            print(f"| {n:,} | {'sheet' if weighted else 'profile'} | {med:.1f} | {worst:.1f} | {cpu:.1f} | "
                  f"{cpu * 1000 / n:.1f} | {dmed:.1f} |")


if __name__ == "__main__":
    main()
