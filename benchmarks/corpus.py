#!/usr/bin/env python3
"""F1 per file on the real excerpts with expert readings (../shared/corpus/dev/gold),
what the other excerpts give, and F1 on generated forms whose whitespace was lost
(the collapsed reader, per column layout).

Each raw file starts with the corpus's own metadata lines (source:, kind:), which
are not part of the document and are dropped. Prints markdown tables; asserts
nothing. Skips with a message when ../shared is not beside the repository.

    .venv/bin/python benchmarks/corpus.py
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from sheet_score import score  # noqa: E402

from jixiao.errors import JixiaoError  # noqa: E402
from jixiao.importers.text import import_text  # noqa: E402
from jixiao.model.codec import sheet_to_dict  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "dev"


def document(raw: str) -> str:
    lines = raw.split("\n")
    while lines and (lines[0].startswith(("source:", "kind:")) or not lines[0].strip()):
        lines.pop(0)
    return "\n".join(lines)


def main() -> int:
    if not CORPUS.exists():
        print(f"{CORPUS} not found; nothing to measure")
        return 0
    print("| file | kind | gold indicators | read | F1 | year | unit |")
    print("|---|---|---:|---:|---:|---|---|")
    f1s = []
    for gold_path in sorted((CORPUS / "gold").glob("*.json")):
        name = gold_path.stem
        raw = (CORPUS / "raw" / f"{name}.txt").read_text(encoding="utf-8")
        kind = next((ln.split(":", 1)[1].strip() for ln in raw.split("\n")[:3] if ln.startswith("kind:")), "")
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        try:
            result = score(gold, sheet_to_dict(import_text(document(raw))))
        except JixiaoError as e:
            result = {"gold": len(gold.get("indicators") or []), "pred": 0, "f1": 0.0, "meta": {}, "error": e.message}
        f1s.append(result["f1"])
        meta = result["meta"]
        print(f"| {name} | {kind} | {result['gold']} | {result['pred']} | {result['f1']:.3f} | "
              f"{meta.get('year', '–')} | {meta.get('unit', '–')} |" + (f" {result['error']}" if "error" in result else ""))
    print(f"\nmean F1 over {len(f1s)} files: {sum(f1s) / len(f1s):.3f}")
    others()
    collapsed()
    return 0


def others() -> None:
    """The excerpts without a reading: how many indicators, or why refused."""
    golds = {p.stem for p in (CORPUS / "gold").glob("*.json")}
    print("\n| file (no gold) | kind | read | time | refused because |\n|---|---|---:|---:|---|")
    for raw_path in sorted((CORPUS / "raw").glob("*.txt")):
        if raw_path.stem in golds:
            continue
        raw = raw_path.read_text(encoding="utf-8")
        kind = next((ln.split(":", 1)[1].strip() for ln in raw.split("\n")[:3] if ln.startswith("kind:")), "")
        t = time.perf_counter()
        try:
            n, why = len(import_text(document(raw)).all_indicators()), ""
        except JixiaoError as e:
            n, why = 0, e.message.split(": ", 1)[1] if ": " in e.message else "no indicator table"
        print(f"| {raw_path.stem} | {kind} | {n} | {time.perf_counter() - t:.2f} s | {why} |")


def collapsed(n: int = 20) -> None:
    """Generated forms printed with all whitespace lost (tests/test_importers_collapsed.py),
    seeds the costs were not tuned on; CPU time per form."""
    from test_importers_collapsed import LAYOUTS, _f1, _sample
    print(f"\n| collapsed layout ({n} generated forms each) | columns after the name | mean F1 | time per form |"
          "\n|---|---|---:|---:|")
    for layout, cols in LAYOUTS.items():
        f1s, t = [], time.process_time()
        for seed in range(n):
            try:
                f1s.append(_f1(*_sample(9000 + seed, layout)))
            except JixiaoError:
                f1s.append(0.0)
        print(f"| {layout} | {' '.join(cols)} | {sum(f1s) / n:.3f} | {(time.process_time() - t) / n:.2f} s |")


if __name__ == "__main__":
    sys.exit(main())
