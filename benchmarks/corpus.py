#!/usr/bin/env python3
"""F1 per file on the real excerpts with expert readings — the six in
../shared/corpus/dev/gold ("old") and the hand readings of issue 12 in
tests/data/real/NNN.gold.json ("new"; their raw text is read from ../shared) —
what the excerpts without a reading give, and F1 on generated forms whose
whitespace was lost (the collapsed reader, per column layout).

Scoring is ../shared/tools/score.py's ``score`` (tests/sheet_score.py is a copy;
the shared one is imported when present). Each raw file starts with the corpus's
own metadata lines (source:, kind:), which are not part of the document and are
dropped. Prints markdown tables and the mean F1 of each set; asserts nothing.
Skips with a message when ../shared is not beside the repository; a reading whose
raw file is missing is skipped with a line saying so.

    .venv/bin/python benchmarks/corpus.py           # everything
    .venv/bin/python benchmarks/corpus.py --real    # the real excerpts only
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

SHARED_SCORE = ROOT.parent / "shared" / "tools" / "score.py"
if SHARED_SCORE.exists():  # the contract's scorer itself
    import importlib.util
    _spec = importlib.util.spec_from_file_location("shared_score", SHARED_SCORE)
    _mod = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(_mod)
    score = _mod.score
else:  # pragma: no cover - the copy in tests/
    from sheet_score import score  # noqa: E402

from jixiao.errors import JixiaoError  # noqa: E402
from jixiao.importers.formats.text import import_text  # noqa: E402
from jixiao.model.codec import sheet_to_dict  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "dev"


def document(raw: str) -> str:
    lines = raw.split("\n")
    while lines and (lines[0].startswith(("source:", "kind:")) or not lines[0].strip()):
        lines.pop(0)
    return "\n".join(lines)


NEW_GOLD = ROOT / "tests" / "data" / "real"


def readings() -> list[tuple[str, str, Path]]:
    """(set, name, gold path): the shared readings, then the issue-12 ones."""
    old = [("old", p.stem, p) for p in sorted((CORPUS / "gold").glob("*.json"))]
    new = [("new", p.name.split(".")[0], p) for p in sorted(NEW_GOLD.glob("*.gold.json"))]
    return old + new


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not CORPUS.exists():
        print(f"{CORPUS} not found; nothing to measure")
        return 0
    print("| file | set | kind | gold indicators | read | exact | F1 | year | unit | note |")
    print("|---|---|---|---:|---:|---:|---:|---|---|---|")
    f1s: dict[str, list[float]] = {"old": [], "new": []}
    for which, name, gold_path in readings():
        raw_path = CORPUS / "raw" / f"{name}.txt"
        if not raw_path.exists():
            print(f"| {name} | {which} | – | – | – | – | – | – | – | raw text missing, skipped |")
            continue
        raw = raw_path.read_text(encoding="utf-8")
        kind = next((ln.split(":", 1)[1].strip() for ln in raw.split("\n")[:3] if ln.startswith("kind:")), "")
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        try:
            result = score(gold, sheet_to_dict(import_text(document(raw))))
        except JixiaoError as e:  # refused: the error's class name is the short reason
            result = {"gold": len(gold.get("indicators") or []), "pred": 0, "exact": 0, "f1": 0.0, "meta": {},
                      "error": f"refused ({type(e).__name__})"}
        f1s[which].append(result["f1"])
        meta = result["meta"]
        print(f"| {name} | {which} | {kind} | {result['gold']} | {result['pred']} | {result['exact']} | "
              f"{result['f1']:.3f} | {meta.get('year', '–')} | {meta.get('unit', '–')} | {result.get('error', '')} |")
    print()
    for which, label in (("old", "shared readings"), ("new", "issue-12 readings")):
        if f1s[which]:
            print(f"mean F1 over {len(f1s[which])} {label}: {sum(f1s[which]) / len(f1s[which]):.3f}")
    both = f1s["old"] + f1s["new"]
    if both:
        print(f"mean F1 over all {len(both)} files: {sum(both) / len(both):.3f}")
    others()
    if "--real" not in argv:
        collapsed()
    return 0


def others() -> None:
    """The excerpts without a reading: how many indicators, or why refused."""
    golds = {name for _, name, _ in readings()}
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
    """Generated forms printed with all whitespace lost (tests/collapsed_forms.py, sampled as
    tests/test_importers_collapsed.py does), seeds the costs were not tuned on; CPU time per form."""
    from collapsed_forms import LAYOUTS
    from test_importers_collapsed import _f1, _sample
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
