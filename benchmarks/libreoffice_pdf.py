#!/usr/bin/env python3
"""Accuracy of the PDF importer on PDFs LibreOffice prints from workbooks laid out
by hand (``tests/clerk_workbook.py``), next to the anchor: pdfplumber's own
``extract_tables`` with merged cells filled forward, through the same grid core
(``tests/pdf_anchor.py``). The sheets come from ``tests/generator.py`` under
names (seeds) the test does not use. Prints the mean F1 per variant (each trait
the clerk's workbook may have) and overall; asserts nothing.

    .venv/bin/python benchmarks/libreoffice_pdf.py [--n 60] [--first 0] [--keep DIR]

``--first`` starts the names further on: a set never looked at while the
importer was tuned (the first 200 names were).
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from statistics import mean

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from clerk_workbook import corpus, soffice  # noqa: E402
from pdf_anchor import anchor_f1  # noqa: E402
from sheet_score import score  # noqa: E402

from jixiao.files import import_sheet  # noqa: E402
from jixiao.model.codec import sheet_to_dict  # noqa: E402

#: generator seeds: the names are "lo-bench-<seed>-<i>", spread over these
SEEDS = (11, 22, 33, 44, 55)


def variants(case, pages: int) -> list[str]:
    t = case.traits
    return [f"kind={case.kind}", f"regime={case.regime}", f"labels={t['labels']} ({t['label_valign']})",
            "print titles" if t["print_titles"] else "no print titles",
            "landscape" if t["landscape"] else "portrait", f"row heights={t['heights']}",
            "some rows without borders" if t["unruled_rows"] else "every row ruled",
            f"header fields {'ruled' if t['header_borders'] else 'unruled'}",
            f"pages={'1' if pages == 1 else '2-3' if pages <= 3 else '4+'}", f"columns={t['order']}"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=60)
    ap.add_argument("--first", type=int, default=0, help="index of the first name")
    ap.add_argument("--keep", help="write the xlsx/PDF files here instead of a temporary directory")
    args = ap.parse_args(argv)
    if soffice() is None:
        print("跳过: LibreOffice (soffice) 未安装 (apt-get install libreoffice-calc-nogui)")
        return 0
    import pdfplumber

    names = [f"lo-bench-{SEEDS[i % len(SEEDS)]}-{i}" for i in range(args.first, args.first + args.n)]
    tmp = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="lo-bench-"))
    try:
        t0 = time.perf_counter()
        cases = corpus(names, tmp)
        print(f"{len(cases)} workbooks printed by LibreOffice in {time.perf_counter() - t0:.1f} s")
        by: dict[str, list[tuple[float, float]]] = defaultdict(list)
        rows = []
        spent = [0.0, 0.0]  # seconds: jixiao, anchor
        for c in cases:
            with pdfplumber.open(c.pdf) as pdf:
                pages = len(pdf.pages)
            t0 = time.perf_counter()
            sheet = import_sheet(c.pdf)
            t1 = time.perf_counter()
            anchor = anchor_f1(c.pdf, c.gold)
            spent[0] += t1 - t0
            spent[1] += time.perf_counter() - t1
            ours = score(c.gold, sheet_to_dict(sheet))["f1"]
            rows.append((c, pages, ours, anchor))
            for v in variants(c, pages):
                by[v].append((ours, anchor))
        print("\n| variant | files | jixiao F1 | pdfplumber + fill-forward F1 |\n|---|---:|---:|---:|")
        for v in sorted(by):
            got = by[v]
            print(f"| {v} | {len(got)} | {mean(g for g, _ in got):.4f} | {mean(a for _, a in got):.4f} |")
        print(f"| **all** | {len(rows)} | **{mean(r[2] for r in rows):.4f}** | {mean(r[3] for r in rows):.4f} |")
        pages = [r[1] for r in rows]
        print(f"\npages per file: {min(pages)}–{max(pages)}, mean {mean(pages):.1f}; "
              f"files below F1 1: {sum(r[2] < 1 for r in rows)}")
        print(f"speed (one pass, cold files): jixiao {sum(pages) / spent[0]:.1f} pages/s, "
              f"anchor {sum(pages) / spent[1]:.1f} pages/s")
        for c, p, ours, anchor in rows:
            if ours < 1:
                print(f"  {c.name} ({c.pdf.name}, {p} pages): F1 {ours:.3f}, anchor {anchor:.3f}")
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
