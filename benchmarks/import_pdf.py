#!/usr/bin/env python3
"""Speed and accuracy of the PDF importer on the forms ``jixiao render`` prints.

Documents: the seed (tests/data/seed.gold.json) and a 10-function generated
department sheet (7 dense pages), rendered with ``jixiao.render.render(sheet,
"pdf")``. For each: pages/s of ``import_sheet`` (best of ``--repeat`` runs); the
time of pdfplumber alone (``extract_tables()`` on every page) and the ratio; and
the F1 of the anchor (``tests/pdf_anchor.py``: pdfplumber's own tables with
merged cells filled forward, through the same grid core) next to ours. Prints
numbers; asserts nothing.

    .venv/bin/python benchmarks/import_pdf.py [--repeat 3]
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from generator import make_sheet  # noqa: E402
from pdf_anchor import anchor_f1, plumber_tables  # noqa: E402
from sheet_score import score  # noqa: E402

from jixiao.files import import_sheet  # noqa: E402
from jixiao.model.codec import loads, sheet_to_dict  # noqa: E402
from jixiao.render import render  # noqa: E402


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    import pdfplumber

    seed = loads((ROOT / "tests/data/seed.gold.json").read_text(encoding="utf-8"))
    big = make_sheet(random.Random("bench-pdf"), kind="department", regime="classic", functions=10)
    with tempfile.TemporaryDirectory() as tmp:
        for name, sheet in (("seed", seed), ("generated 10 functions", big)):
            path = str(Path(tmp) / f"{name.split()[0]}.pdf")
            Path(path).write_bytes(render(sheet, "pdf"))
            gold = sheet_to_dict(sheet)
            with pdfplumber.open(path) as pdf:
                pages = len(pdf.pages)
            import_sheet(path)  # warm lazy imports
            ours = best(lambda p=path: import_sheet(p), args.repeat)
            plumber = best(lambda p=path: plumber_tables(p), args.repeat)
            f1 = score(gold, sheet_to_dict(import_sheet(path)))["f1"]
            print(f"{name}: {pages} pages")
            print(f"  import_sheet        {ours:6.3f} s  {pages / ours:6.1f} pages/s  F1 {f1:.3f}")
            print(f"  pdfplumber tables   {plumber:6.3f} s  {pages / plumber:6.1f} pages/s  "
                  f"F1 {anchor_f1(path, gold):.3f} (extract_tables + fill-forward)")
            print(f"  ratio               {ours / plumber:6.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
