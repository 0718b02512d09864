"""PDF documents read back into sheets: the forms ``jixiao render`` prints (merged
cells, header row repeated on every page, cells split by page breaks), the text
fallback for unruled pages, and the refusals (scan, damaged, too many pages)."""
from __future__ import annotations

import random

import pytest
from generator import make_sheet
from test_importers_grid import check, load_seed
from test_importers_grid import write_file as _write

from jixiao.errors import CorruptDocument, DocumentTooLarge, NoIndicatorTable
from jixiao.files import import_sheet
from jixiao.importers import detect
from jixiao.importers.formats import pdf
from jixiao.importers.recover.table import Table
from jixiao.model.codec import sheet_to_dict
from jixiao.render import render

pytest.importorskip("pdfplumber")
pytest.importorskip("weasyprint")


@pytest.fixture(scope="module")
def seed_sheet(seed_gold_path):
    return load_seed(seed_gold_path)


@pytest.fixture(scope="module")
def seed_pdf(seed_sheet) -> bytes:
    return render(seed_sheet, "pdf")


def _weasy(html: str) -> bytes:
    import weasyprint

    return weasyprint.HTML(string="<html><head><meta charset='utf-8'><style>body{font-family:"
                           f"'Noto Sans CJK SC'}}</style></head><body>{html}</body></html>").write_pdf()


def test_detected_by_content(seed_pdf):
    assert detect(seed_pdf) == "pdf"
    assert detect(b"%PDF is a format") != "pdf"


def test_seed_reads_back_exactly(tmp_path, seed_pdf, seed_gold):
    sheet = import_sheet(_write(tmp_path, seed_pdf, "批复表.dat"))
    result = check(seed_gold, sheet)
    assert result["meta"] == {"year": True, "unit": True, "goals": True}
    assert result["descriptions_ok"] == result["functions_gold"] == 4
    assert (sheet.title, sheet.year, sheet.unit, sheet.supervisor) == (
        seed_gold["title"], seed_gold["year"], seed_gold["unit"], seed_gold["supervisor"])
    assert sheet.goals == seed_gold["goals"]
    assert [f.description for f in sheet.functions] == [f.get("description") for f in seed_gold["functions"]]


def test_merged_cell_split_by_page_break_continues(seed_pdf, seed_gold):
    """The seed's 职能1/产出指标/质量指标 cells run from page 1 onto page 2, where
    they are printed empty: the rows there stay under the labels of page 1."""
    blocks, _, _ = pdf.read_pdf(seed_pdf, None)
    tables = [b for b in blocks if isinstance(b, Table)]
    page2 = next(t for t in tables if t.where.startswith("第2页"))
    assert page2.cells[0][:3] == ["核心职能", "一级指标", "二级指标"]  # header repeated
    assert page2.cells[1][:3] == ["", "", ""] and page2.cells[1][3] == "全年各项重点工作任务完成率"
    sheet = pdf.load_pdf(seed_pdf, None)
    hit = [(fi, i) for fi, i in sheet.all_indicators() if i.name == "全年各项重点工作任务完成率"]
    gold = [(fi, i) for fi, f in enumerate(seed_gold["functions"]) for i in f["indicators"]
            if i["name"] == "全年各项重点工作任务完成率"]
    assert len(hit) == len(gold) == 1
    assert (hit[0][1].level1, hit[0][1].level2) == (gold[0][1]["level1"], gold[0][1]["level2"])
    assert any(i is hit[0][1] for i in sheet.functions[gold[0][0]].indicators)


_CASES = [(k, r, n) for n in range(5) for k in ("department", "project") for r in ("classic", "2021")]


@pytest.mark.parametrize("kind,regime,n", _CASES)
def test_generated_sheets_read_back_exactly(tmp_path, kind, regime, n):
    rng = random.Random(f"pdf-{kind}-{regime}-{n}")
    sheet = make_sheet(rng, kind=kind, regime=regime, functions=rng.randint(1, 6) if kind == "department" else None)
    gold = sheet_to_dict(sheet)
    data = render(sheet, "pdf")
    got = import_sheet(_write(tmp_path, data))
    result = check(gold, got)
    assert result["meta"]["unit"]
    # the rendered form prints the year only in its title (a generated title may lack it)
    assert result["meta"]["year"] or str(sheet.year) not in (sheet.title or "")
    assert got.goals == sheet.goals


def test_long_sheet_spans_many_pages(tmp_path):
    rng = random.Random("pdf-long")
    sheet = make_sheet(rng, kind="department", regime="classic", functions=10)
    data = render(sheet, "pdf")
    blocks, _, _ = pdf.read_pdf(data, None)
    assert len({b.where.split("页")[0] for b in blocks if isinstance(b, Table)}) >= 4
    check(sheet_to_dict(sheet), import_sheet(_write(tmp_path, data)))


def test_unruled_table_falls_back_to_layout_text(tmp_path):
    rows = [("一级指标", "二级指标", "三级指标", "指标值"), ("产出指标", "数量指标", "养护里程", "≥120公里"),
            ("", "", "养护次数", "≥4次"), ("", "质量指标", "验收合格率", "=100%"),
            ("效益指标", "社会效益指标", "群众出行条件", "有所改善"),
            ("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%")]
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    data = _weasy("<style>table,td{border:none} td{padding:2px 18px}</style><h2>2024年项目支出绩效目标表</h2>"
                  f"<p>项目名称: 乡村道路养护</p><p>主管部门: 交通运输局</p><table>{body}</table>")
    sheet = import_sheet(_write(tmp_path, data))
    got = [(i.level1, i.level2, i.name, i.target.text) for _, i in sheet.all_indicators()]
    assert got == [("产出指标", "数量指标", "养护里程", "≥120公里"), ("产出指标", "数量指标", "养护次数", "≥4次"),
                   ("产出指标", "质量指标", "验收合格率", "=100%"), ("效益指标", "社会效益指标", "群众出行条件", "有所改善"),
                   ("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%")]
    assert (sheet.project, sheet.supervisor, sheet.year) == ("乡村道路养护", "交通运输局", 2024)


def test_pdf_without_indicator_table(tmp_path):
    data = _weasy("<p>关于印发预算的通知</p><table border='1'><tr><td>名称</td><td>金额</td></tr></table>")
    with pytest.raises(NoIndicatorTable) as e:
        import_sheet(_write(tmp_path, data, "通知.pdf"))
    assert "通知.pdf" in e.value.message and "扫描" not in e.value.message


def test_scan_without_text_layer_asks_for_ocr(tmp_path):
    import base64
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 0, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(b"".join(b"\x00" + bytes([40 * (y % 2)] * 8) for y in range(8))))
           + chunk(b"IEND", b""))
    for html in (f"<img src='data:image/png;base64,{base64.b64encode(png).decode()}' width='400'>", ""):
        with pytest.raises(NoIndicatorTable) as e:
            import_sheet(_write(tmp_path, _weasy(html), "扫描件.pdf"))
        assert "扫描件.pdf" in e.value.message and "OCR" in e.value.message and "文字层" in e.value.message


@pytest.mark.parametrize("cut", [0.2, 0.5, 0.9])
def test_truncated_pdf_is_corrupt(tmp_path, seed_pdf, cut):
    data = seed_pdf[: int(len(seed_pdf) * cut)]
    with pytest.raises((CorruptDocument, NoIndicatorTable)) as e:
        import_sheet(_write(tmp_path, data, "坏.pdf"))
    assert "坏.pdf" in e.value.message


def test_damaged_header_is_corrupt(tmp_path):
    with pytest.raises(CorruptDocument) as e:
        import_sheet(_write(tmp_path, b"%PDF-1.7\n" + bytes(range(256)) * 4, "坏.pdf"))
    assert "已损坏" in e.value.message


def test_page_limit(tmp_path, seed_pdf, monkeypatch):
    from jixiao.importers import budget

    assert budget.DEFAULT.pages == 300
    monkeypatch.setenv(budget.ENV, "pages=3")
    with pytest.raises(DocumentTooLarge) as e:
        import_sheet(_write(tmp_path, seed_pdf, "长.pdf"))
    assert "4 页" in e.value.message and "3 页" in e.value.message


def _line(text: str, x0: float, top: float, width: float = 10.0):
    from jixiao.importers.formats.pdf.page import Char

    return [Char(x0 + k * width, x0 + (k + 1) * width, top, top + width, width, ch, None)
            for k, ch in enumerate(text)]


@pytest.mark.parametrize("first,second,want", [
    ("=500元/人", "·月", "=500元/人·月"),          # a unit's middle dot wrapped to the next line
    ("≥90%-", "95%", "≥90%-95%"),
    ("一是完成任务；", "· 二是提升", "一是完成任务；\n· 二是提升"),  # a list item
    ("· 完成全年任务", "· 提升质量", "· 完成全年任务\n· 提升质量"),
    ("完成全年工作任", "• 提升", "完成全年工作任\n• 提升"),
])
def test_wrapped_lines_join_unless_a_list_item_begins(first, second, want):
    right = 10.0 + 10 * len(first) + 1  # the first line fills its cell
    chars = _line(first, 10.0, 100.0) + _line(second, 10.0, 114.0)
    assert pdf._cell_text(chars, 8.0, right) == want


def test_first_line_indent_starts_a_paragraph():
    # 首行缩进: a paragraph whose last line fills the cell, then an indented one
    chars = (_line("负责全镇经济", 30.0, 100.0) + _line("发展规划工作任务", 10.0, 114.0)
             + _line("负责社会事务", 30.0, 128.0))  # a one-line paragraph
    assert pdf._cell_text(chars, 8.0, 92.0) == "负责全镇经济发展规划工作任务\n负责社会事务"


def test_cell_indented_as_a_whole_has_no_paragraphs():
    chars = _line("负责全镇经济发", 30.0, 100.0) + _line("展规划", 30.0, 114.0)
    assert pdf._cell_text(chars, 8.0, 102.0) == "负责全镇经济发展规划"


def test_centred_wrapped_line_is_no_paragraph():
    chars = _line("完成全年工作任务", 10.0, 100.0) + _line("比例", 40.0, 114.0)
    assert pdf._cell_text(chars, 8.0, 92.0) == "完成全年工作任务比例"


def test_rendered_overview_keeps_paragraph_whose_last_line_fills_the_cell(tmp_path, seed_sheet):
    import dataclasses
    import io

    import pdfplumber

    probe = render(dataclasses.replace(seed_sheet, overview="甲" * 300), "pdf")
    with pdfplumber.open(io.BytesIO(probe)) as doc:
        tops = [round(c["top"]) for c in doc.pages[0].chars if c["text"] == "甲"]
    per_line = tops.count(tops[0])  # characters on one full line of the overview cell
    sheet = dataclasses.replace(seed_sheet, overview=f"{'甲' * per_line}\n{'乙' * (per_line + 9)}")
    got = import_sheet(_write(tmp_path, render(sheet, "pdf")))
    assert got.overview == sheet.overview


def test_wrap_before_a_closing_quote_and_what_it_holds():
    # “两委”干 cannot break after 委 nor after ”: the first line was wrapped
    chars = _line("考察行政村“两", 10.0, 100.0) + _line("委”干部人数", 10.0, 114.0)
    assert pdf._cell_text(chars, 8.0, 10.0 + 70 + 25 + 6) == "考察行政村“两委”干部人数"
