#!/usr/bin/env python3
"""Importer vs naive baseline on generated sheets with real-world phenomena (issue 12).

Each phenomenon of ``tests/generator.PHENOMENA`` at each level of ``PHENOMENON_LEVELS``
(``phenomenon_samples``: noise-0 sheets, tab, layout and pipe text alternating, prose and
collapsed their own text), scored with tests/sheet_score.py: mean indicator F1 of
``jixiao.importers.formats.text.import_text`` and of ``tests/baseline.naive_import``, then the
mean over the phenomena at the hardest level. Prints markdown; asserts nothing.

    .venv/bin/python benchmarks/phenomena.py [--n 40] [--seed 2024] [--worst 3]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from statistics import mean

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from baseline import naive_import  # noqa: E402
from generator import (  # noqa: E402
    PHENOMENA,
    PHENOMENON_LEVELS,
    Sample,
    gold_of,
    make_sheet,
    phenomenon_samples,
    render_layout,
    render_pipe,
    render_tab,
)
from sheet_score import score  # noqa: E402

from jixiao.importers.formats.text import import_text  # noqa: E402
from jixiao.model.codec import sheet_to_dict  # noqa: E402


def f1s(fn, docs) -> list[float]:
    out = []
    for s in docs:
        try:
            pred = fn(s.text)
            pred = pred if isinstance(pred, dict) else sheet_to_dict(pred)
        except Exception:  # noqa: BLE001 - a refusal or a crash scores zero
            pred = {}
        out.append(score(s.gold, pred)["f1"])
    return out


def control(n: int, seed: int) -> list[Sample]:
    """The same kinds of sheet and text without any phenomenon (noise 0), for comparison."""
    import random
    out = []
    for i in range(n):
        rng = random.Random(f"jixiao-phen-control:{seed}:{i}")
        layout = ("tab", "layout", "pipe")[i % 3]
        sheet = make_sheet(rng, kind="department" if rng.random() < 0.65 else "project",
                           regime="classic" if rng.random() < 0.6 else "2021")
        facts: dict = {}
        text = {"tab": render_tab, "layout": render_layout, "pipe": render_pipe}[layout](sheet, rng, 0, facts)
        out.append(Sample(text, gold_of(sheet, facts), facts, sheet, layout, 0))
    return out


def by_layout(f1: list[float], docs) -> str:
    by = {lay: [f for f, d in zip(f1, docs) if d.layout == lay] for lay in ("tab", "layout", "pipe", "prose", "collapsed")}
    return " / ".join(f"{mean(v):.4f}" for v in by.values() if v)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=40, help="sheets per phenomenon and level (half per layout)")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--phenomena", default=",".join(PHENOMENA))
    ap.add_argument("--worst", type=int, default=0, help="also print the N worst sheets of the hardest level")
    args = ap.parse_args(argv)
    names = args.phenomena.split(",")
    hard = PHENOMENON_LEVELS[-1]
    res: dict = {}
    worst = []
    for ph in names:
        for lv in PHENOMENON_LEVELS:
            docs = phenomenon_samples(args.n, ph, lv, seed=args.seed)
            imp, base = f1s(import_text, docs), f1s(naive_import, docs)
            res[ph, lv] = (imp, base, docs)
            if lv == hard:
                worst += [(f, ph, i, d.layout) for i, (f, d) in enumerate(zip(imp, docs)) if f < 1]
    print(f"## Real-world phenomena: mean indicator F1, import_text / naive ({args.n} sheets per cell, "
          f"seed {args.seed})\n")
    print("| phenomenon | " + " | ".join(f"level {lv}" for lv in PHENOMENON_LEVELS)
          + f" | level {hard}, import_text: tab / layout / pipe | level {hard}: sheets < 1 |")
    print("|---|" + "---:|" * (len(PHENOMENON_LEVELS) + 2))
    for ph in names:
        cells = [f"{mean(res[ph, lv][0]):.4f} / {mean(res[ph, lv][1]):.4f}" for lv in PHENOMENON_LEVELS]
        imp, _, docs = res[ph, hard]
        print(f"| {ph} | " + " | ".join(cells) + f" | {by_layout(imp, docs)} | {sum(f < 1 for f in imp)}/{len(imp)} |")
    m_imp = mean(mean(res[ph, hard][0]) for ph in names)
    m_base = mean(mean(res[ph, hard][1]) for ph in names)
    print(f"| **mean, level {hard}** | | | **{m_imp:.4f} / {m_base:.4f}** | | |")
    docs = control(args.n, args.seed)
    imp, base = f1s(import_text, docs), f1s(naive_import, docs)
    print(f"| *control: no phenomenon* | {mean(imp):.4f} / {mean(base):.4f} | | | {by_layout(imp, docs)} "
          f"| {sum(f < 1 for f in imp)}/{len(imp)} |")
    if args.worst:
        print(f"\nWorst sheets at level {hard}:")
        for f, ph, i, lay in sorted(worst)[:args.worst]:
            print(f"- {ph} #{i} ({lay}): F1 {f:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
