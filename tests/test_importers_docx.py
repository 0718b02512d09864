"""Word documents (.docx) read back into sheets: merged cells from the XML, several
tables, a table continued in the next one."""
from __future__ import annotations

import io
import random
import zipfile

import docx
import pytest
from generator import make_sheet
from test_importers_grid import check, form_of, load_seed
from test_importers_grid import write_file as _write

from jixiao.errors import CorruptDocument, NoIndicatorTable
from jixiao.files import import_sheet
from jixiao.importers import detect
from jixiao.model.codec import sheet_to_dict


@pytest.fixture(scope="module")
def seed_sheet(seed_gold_path):
    return load_seed(seed_gold_path)


def _head_rows(form) -> list[list[str | None]]:
    """Column header rows; None where a cell is merged into the one before it."""
    if form.grouped:
        return [["核心职能", "年度绩效指标"] + [None] * (len(form.columns) - 2), [None] + form.columns[1:]]
    return [list(form.columns)]


def docx_bytes(form, *, split_at: int | None = None, repeat_header: bool = True) -> bytes:
    """``form`` as a Word document: title paragraph, then one table holding the
    header lines and the indicator table (two tables when ``split_at`` is given)."""
    doc = docx.Document()
    doc.add_paragraph(form.title)
    doc.add_paragraph("(填报说明: 金额单位为万元)")
    width = len(form.columns)
    parts = [(0, len(form.rows))] if split_at is None else [(0, split_at), (split_at, len(form.rows))]
    for n, (a, b) in enumerate(parts):
        lines = ([[*ln] for ln in form.header] if n == 0 else [])
        heads = _head_rows(form) if n == 0 or repeat_header else []
        table = doc.add_table(rows=len(lines) + len(heads) + b - a, cols=width)
        cell = [row.cells for row in table.rows]  # before any merge: one object per cell
        for r, line in enumerate(lines):
            for c, v in enumerate(line):
                cell[r][c].text = v
            if len(line) < width:
                cell[r][len(line) - 1].merge(cell[r][width - 1])
        top = len(lines)
        for r, head in enumerate(heads):
            for c, v in enumerate(head):
                if v is not None:
                    cell[top + r][c].text = v
        if len(heads) == 2:
            cell[top][0].merge(cell[top + 1][0])
            cell[top][1].merge(cell[top][width - 1])
        body = top + len(heads)
        for k in range(a, b):
            for c, v in enumerate(form.rows[k]):
                first = any(s == k or (s < k < e and k == a) for s, e in form.runs.get(c, []))
                if c not in form.runs or first:
                    cell[body + k - a][c].text = v
        for c, spans in form.runs.items():
            for s, e in spans:
                s, e = max(s, a), min(e, b)
                if e - s > 1:
                    cell[body + s - a][c].merge(cell[body + e - 1 - a][c])
        if n == 0 and split_at is not None:
            doc.add_paragraph("")
    doc.add_paragraph("填报人: 张三    联系电话: 12345678")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_seed_as_word_form(tmp_path, seed_sheet, seed_gold):
    p = _write(tmp_path, docx_bytes(form_of(seed_sheet)), "绩效目标.xlsx")  # misnamed on purpose
    assert detect(p.read_bytes()) in ("docx", "ooxml")
    sheet = import_sheet(p)
    result = check(seed_gold, sheet)
    assert result["descriptions_ok"] == 4 and result["meta"] == {"year": True, "unit": True, "goals": True}
    assert (sheet.title, sheet.overview, sheet.supervisor) == (
        seed_gold["title"], seed_gold["overview"], seed_gold["supervisor"])


@pytest.mark.parametrize("repeat_header", [True, False])
def test_table_continued_in_a_second_table(tmp_path, seed_sheet, seed_gold, repeat_header):
    # cut inside a function and inside a merged 二级 block
    p = _write(tmp_path, docx_bytes(form_of(seed_sheet), split_at=17, repeat_header=repeat_header))
    check(seed_gold, import_sheet(p))


def test_project_split_columns(tmp_path):
    sheet = make_sheet(random.Random(5), kind="project", regime="2021")
    got = import_sheet(_write(tmp_path, docx_bytes(form_of(sheet, split=True))))
    check(sheet_to_dict(sheet), got)
    assert got.kind == "project" and got.project == sheet.project


@pytest.mark.parametrize("seed", range(1, 50, 2))
def test_generated_sheets_round_trip(tmp_path, seed):
    rng = random.Random(2000 + seed)
    for kind, regime in (("department", "2021"), ("project", "classic")) if seed % 4 == 1 else (
            ("department", "classic"), ("project", "2021")):
        sheet = make_sheet(rng, kind=kind, regime=regime)
        form = form_of(sheet, split=kind == "project", order=["核心职能", "三级指标", "一级指标"] if seed % 3 == 0 else None)
        check(sheet_to_dict(sheet), import_sheet(_write(tmp_path, docx_bytes(form))))


def test_corrupt_docx(tmp_path, seed_sheet):
    data = docx_bytes(form_of(seed_sheet))
    with pytest.raises(CorruptDocument) as e:
        import_sheet(_write(tmp_path, data[:3000], "断.docx"))
    assert "断.docx" in e.value.message
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document")
    with pytest.raises(CorruptDocument) as e:
        import_sheet(_write(tmp_path, buf.getvalue(), "坏.docx"))
    assert "Word" in e.value.message


def test_document_without_indicator_table(tmp_path):
    doc = docx.Document()
    doc.add_paragraph("关于报送2024年预算的通知")
    t = doc.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "项目", "金额"
    buf = io.BytesIO()
    doc.save(buf)
    with pytest.raises(NoIndicatorTable) as e:
        import_sheet(_write(tmp_path, buf.getvalue(), "通知.docx"))
    assert "通知.docx" in e.value.message


def test_table_inside_a_content_control(tmp_path):
    from docx.oxml.ns import qn
    from lxml import etree

    sheet = make_sheet(random.Random(9), kind="project", regime="classic")
    doc = docx.Document(io.BytesIO(docx_bytes(form_of(sheet))))
    body = doc.element.body
    tbl = body.find(qn("w:tbl"))
    sdt = etree.SubElement(body, qn("w:sdt"))
    content = etree.SubElement(sdt, qn("w:sdtContent"))
    tbl.addprevious(sdt)
    content.append(tbl)
    buf = io.BytesIO()
    doc.save(buf)
    check(sheet_to_dict(sheet), import_sheet(_write(tmp_path, buf.getvalue())))
