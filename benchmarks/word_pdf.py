#!/usr/bin/env python3
"""PDFs printed from Word documents: the forms ``jixiao render --to docx`` writes,
printed by LibreOffice Writer (``soffice --headless --convert-to pdf``, Debian's
``libreoffice-writer-nogui``), read back with ``jixiao.importers.import_bytes``.

Writer prints as Word does where the WeasyPrint forms do not: rows break across
pages (the rest of a name opens the next page), a tall merged 核心职能 cell's text
flows onto the next page, Latin and CJK text stand a fifth of an em apart. The
sheets are those of ``round_trip.py`` (seed gold + ``--n`` generated).

Writer itself loses rows of some tables whose merged cells are taller than a page
(the rows are missing from the PDF); such files are counted apart ("lost by
Writer": an indicator name is not in the PDF's text) and left out of the means.

Prints per sheet that is not read back whole: the first difference; then sheets,
f1 = 1.000, header equal, form equal and mean F1.

    .venv/bin/python benchmarks/word_pdf.py [--n 200] [--seed 0]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "benchmarks")]

from clerk_workbook import soffice, to_pdf  # noqa: E402
from round_trip import first_difference, form_sheets, header_fields  # noqa: E402
from sheet_score import score  # noqa: E402

from jixiao.importers import import_bytes  # noqa: E402
from jixiao.model.codec import sheet_to_dict  # noqa: E402
from jixiao.render import render  # noqa: E402
from jixiao.render.view import build_view  # noqa: E402


def printed_whole(pdf: bytes, sheet) -> bool:
    """Whether the PDF holds every character of the indicator names as often as the
    names do (rows Writer dropped take theirs with them; the text's own order is
    no test: a wrapped name interleaves with its row's other cells)."""
    import pdfplumber

    with pdfplumber.open(BytesIO(pdf)) as doc:
        printed = Counter(ch["text"] for p in doc.pages for ch in p.chars)
    wanted = Counter(ch for _, ind in sheet.all_indicators() for ch in ind.name if not ch.isspace())
    return all(printed[ch] >= n for ch, n in wanted.items())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200, help="generated sheets besides the seed")
    ap.add_argument("--seed", type=int, default=0, help="generator seed")
    args = ap.parse_args(argv)
    if soffice() is None:
        print("跳过: LibreOffice (soffice) 未安装 (apt-get install libreoffice-writer-nogui)")
        return 0
    sheets = form_sheets(args.n, args.seed)
    with tempfile.TemporaryDirectory(prefix="jixiao-word-") as tmp:
        d = Path(tmp)
        paths = []
        for k, (_, sheet) in enumerate(sheets):
            paths.append(d / f"{k:04d}.docx")
            paths[-1].write_bytes(render(sheet, "docx"))
        t0 = time.perf_counter()
        try:
            pdfs = [p.read_bytes() for p in to_pdf(paths, d / "pdf", timeout=3600)]
        except RuntimeError as e:  # soffice without Writer cannot open a .docx
            print(f"跳过: LibreOffice Writer 未安装 (apt-get install libreoffice-writer-nogui): {e}"[:300])
            return 0
        print(f"{len(paths)} documents printed by Writer in {time.perf_counter() - t0:.0f} s")
    f1s, whole_f1, whole_header, whole_view, lost, seconds = [], 0, 0, 0, [], 0.0
    for (name, sheet), pdf in zip(sheets, pdfs):
        if not printed_whole(pdf, sheet):
            lost.append(name)
            continue
        t0 = time.perf_counter()
        got = import_bytes(pdf)
        seconds += time.perf_counter() - t0
        f1 = score(sheet_to_dict(sheet), sheet_to_dict(got))["f1"]
        title = build_view(sheet).title
        header_diff = first_difference(header_fields(sheet, title), header_fields(got, title))
        diff = header_diff or first_difference(build_view(sheet), build_view(got))
        f1s.append(f1)
        whole_f1 += f1 == 1.0
        whole_header += header_diff is None
        whole_view += diff is None
        if diff:
            print(f"  {name:40s} f1={f1:.3f}  {diff}"[:300])
    n = len(f1s)
    print(f"\nsheets {len(sheets)}, lost by Writer {len(lost)} ({', '.join(lost) or '-'}); of the {n} printed whole:")
    print(f"f1 = 1.000: {whole_f1}, header equal: {whole_header}, form equal: {whole_view}, "
          f"mean f1 {sum(f1s) / max(n, 1):.4f}, import {1000 * seconds / max(n, 1):.0f} ms per file")
    return 0


if __name__ == "__main__":
    sys.exit(main())
