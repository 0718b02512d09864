"""The document use-cases (jixiao.services.documents): bytes and objects in and out,
nothing handed in changed."""
from __future__ import annotations

import copy
import io

import openpyxl
import pytest

from jixiao import services
from jixiao.errors import EmptyDocument, NoIndicatorTable
from jixiao.model.codec import dumps, loads
from jixiao.render import FORMATS, renderers


def test_import_document_reads_bytes_and_says_which_format(seed_path):
    imported = services.import_document(data=seed_path.read_bytes(), name="上传.txt")
    assert imported.format == "text"
    assert sum(len(f.indicators) for f in imported.sheet.functions) > 20
    as_json = services.import_document(data=services.sheet_json(imported.sheet).encode(), name="x")
    assert as_json.format == "json" and as_json.sheet == imported.sheet


def test_import_document_errors_name_the_document():
    with pytest.raises(EmptyDocument) as e:
        services.import_document(data=b"", name="空的上传.txt")
    assert "空的上传.txt" in str(e.value)
    with pytest.raises(NoIndicatorTable) as e:
        services.import_document(data="会议通知\n请各单位按时参加。\n".encode(), name="通知.txt")
    assert "通知.txt" in str(e.value)


def test_check_document_does_not_change_the_sheet(seed_path):
    sheet = services.import_document(data=seed_path.read_bytes()).sheet
    before = copy.deepcopy(sheet)
    report = services.check_document(sheet=sheet)
    assert report.findings and sheet == before
    checked = services.with_findings(sheet=sheet, report=report)
    assert checked is not sheet and sheet == before
    assert checked.diagnostics[-len(report.findings):] == list(report.findings)


def test_render_document_writes_every_registered_format(seed_gold_path):
    sheet = loads(seed_gold_path.read_text(encoding="utf-8"))
    before = dumps(sheet)
    assert set(renderers()) == set(FORMATS)
    for fmt in ("xlsx", "docx", "html"):
        data = services.render_document(sheet=sheet, format=fmt)
        assert data[:2] == (b"PK" if fmt != "html" else b"<!")
    assert dumps(sheet) == before
    with pytest.raises(ValueError):
        services.render_document(sheet=sheet, format="odt")


def test_renderers_carry_their_media_types():
    types = {name: r.media_type for name, r in renderers().items()}
    assert types["pdf"] == "application/pdf" and types["html"].startswith("text/html")
    assert "spreadsheetml" in types["xlsx"] and "wordprocessingml" in types["docx"]


@pytest.mark.parametrize("kind", services.FORM_KINDS)
def test_blank_form_is_a_workbook(kind):
    wb = openpyxl.load_workbook(io.BytesIO(services.blank_form(kind=kind)))
    assert "绩效目标" in (wb.active["A1"].value or "")
    with pytest.raises(ValueError):
        services.blank_form(kind="unit")
