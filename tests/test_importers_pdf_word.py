"""PDFs printed from Word documents: the forms ``jixiao render --to docx`` writes,
printed by LibreOffice Writer, read back whole. Writer prints as Word does: rows
broken across pages (the rest of a name opens the next page), a tall merged
核心职能's text flowing onto the next page, a header row broken likewise, Latin
and CJK text a fifth of an em apart. Needs ``soffice`` with Writer (Debian:
libreoffice-writer-nogui); ``benchmarks/word_pdf.py`` measures 200 such files."""
from __future__ import annotations

import random

import pytest
from clerk_workbook import soffice, to_pdf
from generator import make_form_sheet
from sheet_score import score
from test_importers_grid import load_seed

from jixiao.importers import import_bytes
from jixiao.model.codec import sheet_to_dict
from jixiao.render import render

pytestmark = pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) 未安装")

#: long texts and optional columns: the variants whose rows break across pages
SHEETS = [(k, kind, regime, variant) for k, (kind, regime, variant) in enumerate(
    [("department", "classic", "long"), ("department", "2021", "long"), ("project", "classic", "long"),
     ("department", "classic", "columns"), ("project", "2021", "columns"), ("department", "classic", "plain")])]


@pytest.fixture(scope="module")
def printed(tmp_path_factory, seed_gold_path):
    sheets = [("seed", load_seed(seed_gold_path))] + [
        (f"word-{k}-{kind}-{regime}-{variant}",
         make_form_sheet(random.Random(f"word-pdf-{k}"), kind=kind, regime=regime, variant=variant))
        for k, kind, regime, variant in SHEETS]
    d = tmp_path_factory.mktemp("word")
    paths = []
    for name, sheet in sheets:
        paths.append(d / f"{name}.docx")
        paths[-1].write_bytes(render(sheet, "docx"))
    try:
        pdfs = to_pdf(paths, d / "pdf")
    except RuntimeError as e:  # soffice without Writer cannot open a .docx
        pytest.skip(f"LibreOffice Writer 未安装: {e}")
    return [(name, sheet, import_bytes(pdf.read_bytes())) for (name, sheet), pdf in zip(sheets, pdfs)]


def test_word_pdfs_read_back_whole(printed):
    for name, sheet, got in printed:
        assert score(sheet_to_dict(sheet), sheet_to_dict(got))["f1"] == 1.0, name
        assert got.goals == sheet.goals, name
        assert [(f.label, f.description) for f in got.functions] == [
            (f.label, f.description) for f in sheet.functions], name
        assert (got.unit, got.supervisor, got.project) == (sheet.unit, sheet.supervisor, sheet.project), name


def test_files_carry_rows_broken_across_pages(printed):
    """The files really hold the phenomenon, and the reader says what it joined."""
    continued = [name for name, _, got in printed if any(d.code == "IMPORT_ROW_CONTINUED" for d in got.diagnostics)]
    assert len(continued) >= 2, continued
