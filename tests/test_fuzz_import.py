"""Whatever a user feeds ``import_sheet``, the result is a Sheet or a JixiaoError.

Anything else (IndexError, KeyError, RecursionError, UnicodeError …) would reach
the CLI as "内部错误", i.e. a bug; these properties look for such inputs.
"""
from __future__ import annotations

import codecs
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao import files, services
from jixiao.errors import JixiaoError
from jixiao.model.codec import loads
from jixiao.model.sheet import Sheet

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz") / "input"


@pytest.fixture(scope="module")
def seed_lines(request):
    from conftest import DATA
    return (DATA / "seed.txt").read_text(encoding="utf-8").splitlines()


def import_bytes_at(path, data: bytes) -> None:
    path.write_bytes(data)
    try:
        sheet = files.import_sheet(path)
    except JixiaoError as e:
        assert e.message, "a JixiaoError needs a message"
        return
    assert isinstance(sheet, Sheet)
    # Whatever was imported must also survive the JSON contract.
    assert loads(services.sheet_json(sheet)) == sheet


@FUZZ
@given(text=st.text())
def test_arbitrary_text(scratch, text):
    import_bytes_at(scratch, text.encode("utf-8", errors="surrogatepass"))


@FUZZ
@given(data=st.binary())
def test_arbitrary_bytes(scratch, data):
    import_bytes_at(scratch, data)


# Inputs near the real thing find more: lines of the seed, shuffled, dropped,
# duplicated and mixed with noise, in the encodings users have.
noise = st.text(alphabet=st.sampled_from("\t 一级二级三级指标值产出效益满意度职能1:=≥%元{}\"\n"), max_size=30)


@FUZZ
@given(data=st.data())
def test_mangled_seed(scratch, seed_lines, data):
    lines = data.draw(st.lists(st.sampled_from(seed_lines) | noise, max_size=40))
    encoding = data.draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
    newline = data.draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = newline.join(lines)
    import_bytes_at(scratch, text.encode(encoding, errors="replace"))


@FUZZ
@given(data=st.data())
def test_truncated_and_corrupted_seed(scratch, seed_lines, data):
    raw = "\n".join(seed_lines).encode(data.draw(st.sampled_from(["utf-8", "gbk"])))
    cut = data.draw(st.integers(0, len(raw)))
    raw = bytearray(raw[:cut])
    for _ in range(data.draw(st.integers(0, 3))):
        if raw:
            raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    import_bytes_at(scratch, bytes(raw))


@FUZZ
@given(text=st.text(max_size=200))
def test_json_looking_input(scratch, text):
    import_bytes_at(scratch, codecs.BOM_UTF8 + ('{"' + text).encode("utf-8", errors="replace"))


# Span bombs, generated: tables whose spans and merged ranges take any value (up to
# absurd), read with a small budget. Whatever the spans, the result is a Sheet or a
# JixiaoError, and no grid larger than the budget is ever allocated (the budget
# refuses first: DocumentTooLarge, never MemoryError).
SPANS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
span = st.one_of(st.integers(-3, 5), st.integers(0, 10**7), st.just(10**12)).map(str) | st.sampled_from(["", "x", "1e9"])


@SPANS
@given(cells=st.lists(st.tuples(span, span, st.sampled_from(["三级指标", "指标值", "培训人数", "≥300人", ""])),
                      min_size=1, max_size=30),
       width=st.integers(1, 6))
def test_html_spans_of_any_size(cells, width):
    from jixiao.importers import budget

    rows = [cells[i:i + width] for i in range(0, len(cells), width)]
    body = "".join("<tr>" + "".join(f'<td colspan="{c}" rowspan="{r}">{t}</td>' for c, r, t in row) + "</tr>"
                   for row in rows)
    page = f"<html><body><table><tr><td>三级指标</td><td>指标值</td></tr>{body}</table></body></html>"
    try:
        sheet = _import(page.encode("utf-8"), budget.Limits(cells=2000))
    except JixiaoError as e:
        assert e.message
        return
    assert isinstance(sheet, Sheet)


@SPANS
@given(merges=st.lists(st.tuples(st.integers(1, 1048576), st.integers(1, 16384), st.integers(1, 1048576),
                                 st.integers(1, 16384)), max_size=8),
       far=st.tuples(st.integers(1, 2000), st.integers(1, 50)))
def test_xlsx_merged_ranges_of_any_size(merges, far):
    import io
    import zipfile

    from openpyxl.utils import get_column_letter

    from jixiao.importers import budget

    def ref(r, c):
        return f"{get_column_letter(c)}{r}"

    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             'spreadsheetml/2006/main"><sheetData>'
             '<row r="1"><c r="A1" t="inlineStr"><is><t>三级指标</t></is></c>'
             '<c r="B1" t="inlineStr"><is><t>指标值</t></is></c></row>'
             f'<row r="{far[0] + 1}"><c r="{ref(far[0] + 1, far[1])}" t="inlineStr"><is><t>培训人数</t></is></c></row>'
             '</sheetData>'
             + (f'<mergeCells count="{len(merges)}">' + "".join(
                 f'<mergeCell ref="{ref(r0, c0)}:{ref(r1, c1)}"/>' for r0, c0, r1, c1 in merges) + "</mergeCells>"
                if merges else "")
             + "</worksheet>")
    import hostile  # benchmarks/hostile.py: the same minimal package as the bombs

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in (("[Content_Types].xml", hostile._CT), ("_rels/.rels", hostile._RELS),
                           ("xl/workbook.xml", hostile._WB), ("xl/_rels/workbook.xml.rels", hostile._WB_RELS),
                           ("xl/worksheets/sheet1.xml", sheet.encode("utf-8"))):
            z.writestr(name, body)
    try:
        result = _import(buf.getvalue(), budget.Limits(cells=20_000))
    except JixiaoError as e:
        assert e.message
        return
    assert isinstance(result, Sheet)


def _import(data: bytes, limits):
    from jixiao.importers import import_bytes

    return import_bytes(data, path="fuzz", limits=limits)
