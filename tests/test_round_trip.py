"""Round trip through the official forms (issue 4): every sheet rendered by
``jixiao.render`` and imported back from the file's bytes (format detected from
the content) is the same sheet: indicator F1 = 1.000 (tests/sheet_score.py), the
same header fields, and the same form (``build_view`` of both are equal, every
cell and merge).

The seed and 200 generated sheets for xlsx, docx and HTML (department and project,
both regimes, every ``make_form_sheet`` variant: long texts, 8-10 functions,
qualitative targets, weights, all optional columns, names with symbols); for PDF,
which costs about a second a sheet, the seed and 7 of them (every kind, regime
and variant). ``benchmarks/round_trip.py``
runs the same comparison on any number of sheets and prints the figures."""
from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from round_trip import form_sheet, round_trip, seed_sheet  # noqa: E402

N_FAST = 200
#: PDF sample: sheet i is kind i mod 2, regime i // 2 mod 2, variant i // 4 mod 7, so
#: these seven hold both kinds, both regimes and every variant once (18: weights).
PDF_SAMPLE = (0, 5, 10, 15, 18, 20, 25)


@cache
def sheet_of(sheet_id: str):
    return seed_sheet() if sheet_id == "seed" else form_sheet(int(sheet_id))[1]


def _check(sheet_id: str, fmt: str) -> None:
    res = round_trip(sheet_id, sheet_of(sheet_id), fmt)
    assert res.error is None, res.error
    assert res.f1 == 1.0, res.indicators
    assert res.header is None, res.header
    assert res.view is None, res.view


@pytest.mark.parametrize("sheet_id", ["seed"] + [str(i) for i in range(N_FAST)])
@pytest.mark.parametrize("fmt", ["xlsx", "docx", "html"])
def test_rendered_form_imports_back_to_the_same_sheet(fmt, sheet_id):
    _check(sheet_id, fmt)


@pytest.mark.parametrize("sheet_id", ["seed"] + [str(i) for i in PDF_SAMPLE])
def test_rendered_pdf_imports_back_to_the_same_sheet(sheet_id):
    try:
        import weasyprint  # noqa: F401
    except (OSError, ImportError) as e:  # pango / harfbuzz missing on this machine
        pytest.skip(f"WeasyPrint cannot load: {e}")
    _check(sheet_id, "pdf")


def test_the_samples_cover_kinds_regimes_and_variants():
    from generator import FORM_VARIANTS

    def combos(ids):   # "0:17:project-classic-weights" -> ("project", "classic", "weights")
        return {tuple(form_sheet(i)[0].split(":")[2].split("-")) for i in ids}

    kinds_regimes = {(k, r) for k in ("department", "project") for r in ("classic", "2021")}
    for sample in (combos(range(N_FAST)), combos(PDF_SAMPLE)):
        assert {(k, r) for k, r, _ in sample} == kinds_regimes
        assert {v for _, _, v in sample} == set(FORM_VARIANTS)
    many = [sheet_of(str(i)) for i in PDF_SAMPLE]
    assert any(len(s.functions) >= 8 for s in many)
    assert any(s.indicators and s.indicators[0].level1 == "成本指标" for s in many)   # 2021: 成本 first
