#!/usr/bin/env python3
"""Speed of the target-quality checker: ms per check of a 500-indicator sheet.

Sheets: generated department sheets (tests/generator.py) stacked until they hold
500 indicators (25 核心职能, realistic names and values, both regimes), and the
seed's 49 indicators repeated to 500. The taxonomy caches are cleared before every
run, so each figure is a cold check. Prints the median and the slowest of the runs
and the rules that cost most; asserts nothing (the target is < 50 ms).

    .venv/bin/python benchmarks/check.py [--runs 30] [--indicators 500]
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

from jixiao.files import import_sheet  # noqa: E402
from jixiao.model import indicator  # noqa: E402
from jixiao.model.sheet import Function, Sheet  # noqa: E402
from jixiao.validation import all_rules, check  # noqa: E402
from jixiao.validation.context import Context  # noqa: E402
from jixiao.validation.profile import default_profile  # noqa: E402


def generated_sheet(n: int, seed: int = 0) -> Sheet:
    rng = random.Random(seed)
    functions: list[Function] = []
    goals: list[str] = []
    while sum(len(f.indicators) for f in functions) < n:
        s = make_sheet(rng, kind="department", regime=rng.choice(("classic", "2021")), functions=5)
        functions += s.functions
        goals += s.goals
    cut, out = n, []
    for f in functions:
        if cut <= 0:
            break
        out.append(Function(f"职能{len(out) + 1}", f.description, f.indicators[:cut]))
        cut -= len(out[-1].indicators)
    return Sheet(kind="department", title="基准", unit="示例县人民政府", supervisor="示例县人民政府",
                 goals=goals[:6], functions=out)


def seed_sheet(n: int) -> Sheet:
    seed = import_sheet(ROOT / "tests" / "data" / "seed.txt")
    functions: list[Function] = []
    count = 0
    while count < n:
        for f in seed.functions:
            take = f.indicators[: n - count]
            if take:
                functions.append(Function(f"职能{len(functions) + 1}", f.description, list(take)))
                count += len(take)
    return Sheet(kind="department", title=seed.title, unit=seed.unit, supervisor=seed.supervisor,
                 goals=seed.goals, functions=functions, diagnostics=seed.diagnostics)


def time_check(sheet: Sheet, runs: int) -> list[float]:
    check(sheet)  # warm imports
    times = []
    for _ in range(runs):
        indicator.normalize_level1.cache_clear()
        indicator.normalize_level2.cache_clear()
        t0 = time.perf_counter()
        check(sheet)
        times.append((time.perf_counter() - t0) * 1000)
    return times


def rule_costs(sheet: Sheet, runs: int = 5) -> list[tuple[float, str]]:
    ctx = Context(sheet, default_profile())
    costs = []
    for r in all_rules():
        t0 = time.perf_counter()
        for _ in range(runs):
            ctx.cache.clear()
            list(r.func(ctx))
        costs.append(((time.perf_counter() - t0) * 1000 / runs, r.id))
    return sorted(costs, reverse=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--indicators", type=int, default=500)
    args = ap.parse_args(argv)
    for label, sheet in (("generated", generated_sheet(args.indicators)), ("seed x10", seed_sheet(args.indicators))):
        n = sum(len(f.indicators) for f in sheet.functions)
        times = time_check(sheet, args.runs)
        report = check(sheet)
        print(f"{label:10s} {n} indicators, {len(report.findings)} findings: "
              f"median {statistics.median(times):.1f} ms, max {max(times):.1f} ms ({args.runs} runs)")
    sheet = generated_sheet(args.indicators)
    t0 = time.perf_counter()
    for _ in range(5):
        Context(sheet, default_profile())
    print(f"  flattening the sheet (Context): {(time.perf_counter() - t0) * 1000 / 5:.1f} ms")
    top = ", ".join(f"{rid} {ms:.1f}" for ms, rid in rule_costs(sheet)[:5])
    print(f"  costliest rules (ms): {top}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
