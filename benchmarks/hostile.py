#!/usr/bin/env python3
"""Crafted hostile inputs through every command: no internal error, no hang, no
memory blow-up.

Builds a corpus in a temporary folder — zip bombs (xlsx, docx; one with a
directory that lies about the sizes, one with many entries), XML entity bombs
(billion laughs in xlsx, docx, HTML), span bombs (docx gridSpan, HTML
colspan × rowspan, xlsx merged ranges), deep nesting (docx XML, HTML, sheet
JSON), a PDF stream bomb, a PDF declaring a billion pages, a PDF of a million
characters, PDF forms drawing forms (exponential work), a million-row sheet as
text and as xlsx, 200 MB of text, a FIFO, a stalled pipe, a character device —
and runs each through ``jixiao import``, ``jixiao check`` and ``jixiao render``
as fresh subprocesses with a timeout. Prints per input and command: exit code,
the first line of stderr, wall time, peak RSS (``os.wait4`` of that child).

Verdict: an internal error (exit 70, or a traceback on stderr), a hang (the
timeout) or a peak of 1 GB or more fails. Exit code 1 when any did.

    .venv/bin/python benchmarks/hostile.py [--only NAME,…] [--timeout 120] [--rows 1000,10000,100000]

``--rows`` also measures the import of generated text and xlsx sheets of that
many indicators (memory linear in the document), with the limits raised as far as
needed (``JIXIAO_IMPORT_LIMITS``).
"""
from __future__ import annotations

import argparse
import io
import os
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
JIXIAO = [str(ROOT / ".venv" / "bin" / "python"), "-m", "jixiao"]
GB = 1 << 30
MB = 1 << 20

# ---------------------------------------------------------------- builders
# Each takes the folder and a scale (1.0: the full-size bomb; the tests use less
# together with lowered limits) and returns the path to feed jixiao.

_CT = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
       b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
       b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
       b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
       b'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType='
       b'"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
_RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
         b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
         b'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WB = (b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
       b'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
       b'<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WB_RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
_SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
               b'spreadsheetml/2006/main"><sheetData>')
_DOCX_CT = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
            b'"/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
            b'document.main+xml"/></Types>')
_DOCX_RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
              b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
              b'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
_W_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
           b'wordprocessingml/2006/main"><w:body>')
_W_TAIL = b"</w:body></w:document>"


def _zip(path: Path, members: dict[str, bytes | Callable[[], object]]) -> Path:
    """Members given as bytes, or as a callable yielding chunks (streamed: a 1 GB
    member is never held in memory)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, body in members.items():
            if callable(body):
                with z.open(name, "w") as f:  # under 2 GB: no zip64, sizes in the 32-bit fields
                    for chunk in body():
                        f.write(chunk)
            else:
                z.writestr(name, body)
    return path


def _xlsx(path: Path, sheet: bytes | Callable[[], object], extra: dict | None = None) -> Path:
    return _zip(path, {"[Content_Types].xml": _CT, "_rels/.rels": _RELS, "xl/workbook.xml": _WB,
                       "xl/_rels/workbook.xml.rels": _WB_RELS, "xl/worksheets/sheet1.xml": sheet, **(extra or {})})


def _docx(path: Path, document: bytes | Callable[[], object]) -> Path:
    return _zip(path, {"[Content_Types].xml": _DOCX_CT, "_rels/.rels": _DOCX_RELS, "word/document.xml": document})


def _spaces(total: int, head: bytes = b"", tail: bytes = b""):
    def gen():
        yield head
        block = b" " * MB
        for _ in range(total // MB):
            yield block
        yield tail
    return gen


def xlsx_zip_bomb(d: Path, scale: float = 1.0) -> Path:
    """A worksheet that inflates to 1 GB of blanks (a 1 MB file)."""
    return _xlsx(d / "zipbomb.xlsx", _spaces(int(GB * scale), _SHEET_HEAD, b"</sheetData></worksheet>"))


def docx_zip_bomb(d: Path, scale: float = 1.0) -> Path:
    return _docx(d / "zipbomb.docx", _spaces(int(GB * scale), _W_HEAD, _W_TAIL))


def xlsx_lying_sizes(d: Path, scale: float = 1.0) -> Path:
    """The zip bomb with every size in its directory and local headers rewritten
    to 100 bytes: a reader that trusts them sees a tiny file."""
    path = xlsx_zip_bomb(d, scale)
    data = bytearray(path.read_bytes())
    i = 0
    while (i := data.find(b"PK\x01\x02", i)) >= 0:  # central directory entries
        if struct.unpack_from("<I", data, i + 24)[0] != 0xFFFFFFFF:
            struct.pack_into("<I", data, i + 24, 100)
        i += 4
    out = d / "lying.xlsx"
    out.write_bytes(bytes(data))
    return out


def zip_many_members(d: Path, scale: float = 1.0) -> Path:
    """A workbook padded with 200,000 empty members (each one a directory object)."""
    n = int(200_000 * scale)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for name, body in (("[Content_Types].xml", _CT), ("_rels/.rels", _RELS), ("xl/workbook.xml", _WB),
                           ("xl/_rels/workbook.xml.rels", _WB_RELS),
                           ("xl/worksheets/sheet1.xml", _SHEET_HEAD + b"</sheetData></worksheet>")):
            z.writestr(name, body)
        for k in range(n):
            z.writestr(f"x/{k}", b"")
    out = d / "members.xlsx"
    out.write_bytes(buf.getvalue())
    return out


def _laughs(levels: int = 10) -> bytes:
    ents = b'<!ENTITY l0 "lol">' + b"".join(
        b'<!ENTITY l%d "%s">' % (k, b"".join(b"&l%d;" % (k - 1) for _ in range(10))) for k in range(1, levels))
    return b"<!DOCTYPE lolz [" + ents + b"]>"


def xlsx_billion_laughs(d: Path, scale: float = 1.0) -> Path:
    sheet = (b'<?xml version="1.0" encoding="UTF-8"?>' + _laughs() + _SHEET_HEAD[38:]
             + b'<row r="1"><c r="A1" t="inlineStr"><is><t>&l9;</t></is></c></row></sheetData></worksheet>')
    return _xlsx(d / "laughs.xlsx", sheet)


def docx_billion_laughs(d: Path, scale: float = 1.0) -> Path:
    doc = (b'<?xml version="1.0" encoding="UTF-8"?>' + _laughs() + _W_HEAD[38:]
           + b"<w:p><w:r><w:t>&l9;</w:t></w:r></w:p>" + _W_TAIL)
    return _docx(d / "laughs.docx", doc)


def html_billion_laughs(d: Path, scale: float = 1.0) -> Path:
    page = (_laughs().replace(b"lolz", b"html") + b"<html><body><table><tr><td>\xe4\xb8\x89\xe7\xba\xa7\xe6\x8c\x87"
            b"\xe6\xa0\x87</td><td>&l9;</td></tr></table></body></html>")
    out = d / "laughs.html"
    out.write_bytes(page)
    return out


def docx_gridspan_bomb(d: Path, scale: float = 1.0) -> Path:
    """One cell spanning a million columns, then 2,000 rows of 1,000-column spans."""
    rows = int(2000 * scale)
    cell = b'<w:tc><w:tcPr><w:gridSpan w:val="%d"/></w:tcPr><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc>'
    body = (b"<w:tbl><w:tr>" + cell % int(1_000_000 * scale) + b"</w:tr>"
            + (b"<w:tr>" + cell % 1000 + b"</w:tr>") * rows + b"</w:tbl>")
    return _docx(d / "gridspan.docx", _W_HEAD + body + _W_TAIL)


def docx_deep_nesting(d: Path, scale: float = 1.0) -> Path:
    n = int(100_000 * scale)
    body = b"<w:sdt><w:sdtContent>" * n + b"<w:p/>" + b"</w:sdtContent></w:sdt>" * n
    return _docx(d / "deep.docx", _W_HEAD + body + _W_TAIL)


def html_span_bomb(d: Path, scale: float = 1.0) -> Path:
    """A 1,000-row table whose first row holds 1,000 cells of colspan=1000 rowspan=1000:
    a billion cells if expanded."""
    n = int(1000 * scale)
    first = "<tr>" + "<td colspan=1000 rowspan=1000>x</td>" * n + "</tr>"
    page = ("<html><body><table><tr><td>三级指标</td><td>指标值</td></tr>" + first
            + "<tr><td>y</td></tr>" * n + "</table></body></html>")
    out = d / "spans.html"
    out.write_text(page, encoding="utf-8")
    return out


def html_deep_nesting(d: Path, scale: float = 1.0) -> Path:
    n = int(50_000 * scale)
    out = d / "deep.html"
    out.write_text("<html><body>" + "<li><table><tr><td>" * n + "三级指标" + "</td></tr></table></li>" * n
                   + "</body></html>", encoding="utf-8")
    return out


def xlsx_merge_bomb(d: Path, scale: float = 1.0) -> Path:
    """One value and 2,000 merged ranges each over the whole grid (A1:XFD1048576)."""
    n = max(1, int(2000 * scale))
    merges = b'<mergeCells count="%d">' % n + b'<mergeCell ref="A1:XFD1048576"/>' * n + b"</mergeCells>"
    sheet = (_SHEET_HEAD + b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
             + merges + b"</worksheet>")
    return _xlsx(d / "merged.xlsx", sheet)


def xlsx_style_bomb(d: Path, scale: float = 1.0) -> Path:
    """1.9 million cell formats (<xf>) in xl/styles.xml: each an openpyxl object."""
    n = int(1_900_000 * scale)
    styles = (b'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/'
              b'spreadsheetml/2006/main"><fonts count="1"><font/></fonts><fills count="1"><fill/></fills>'
              b'<borders count="1"><border/></borders><cellXfs count="%d">' % n
              + b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>' * n + b"</cellXfs></styleSheet>")
    rels = _WB_RELS.replace(b"</Relationships>", b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/'
                            b'officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>')
    ct = _CT.replace(b"</Types>", b'<Override PartName="/xl/styles.xml" ContentType="application/vnd.'
                     b'openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>')
    sheet = _SHEET_HEAD + b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>'
    return _zip(d / "styles.xlsx", {"[Content_Types].xml": ct, "_rels/.rels": _RELS, "xl/workbook.xml": _WB,
                                    "xl/_rels/workbook.xml.rels": rels, "xl/worksheets/sheet1.xml": sheet,
                                    "xl/styles.xml": styles})


def xlsx_far_cell(d: Path, scale: float = 1.0) -> Path:
    """Two values, A1 and XFD1048576: a grid of 17 billion cells if sized by them,
    with a dimension that declares as much."""
    sheet = (_SHEET_HEAD.replace(b"<sheetData>", b'<dimension ref="A1:XFD1048576"/><sheetData>')
             + b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
             b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>y</t></is></c></row>'
             b"</sheetData></worksheet>")
    return _xlsx(d / "far.xlsx", sheet)


def _sheet_rows(n: int):
    def gen():
        yield _SHEET_HEAD
        row = (b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>\xe6\x8c\x87\xe6\xa0\x87%d</t></is></c>'
               b'<c r="B%d"><v>%d</v></c><c r="C%d"><v>1</v></c><c r="D%d"><v>2</v></c></row>')
        for start in range(1, n + 1, 10_000):
            yield b"".join(row % (r, r, r, r, r, r, r) for r in range(start, min(start + 10_000, n + 1)))
        yield b"</sheetData></worksheet>"
    return gen


def xlsx_empty_rows(d: Path, scale: float = 1.0) -> Path:
    """1.9 million empty hidden rows (each one an openpyxl RowDimension)."""
    n = int(1_900_000 * scale)
    def gen():
        yield _SHEET_HEAD
        for start in range(1, n + 1, 50_000):
            yield b"".join(b'<row r="%d" hidden="1"/>' % r for r in range(start, min(start + 50_000, n + 1)))
        yield b"</sheetData></worksheet>"
    return _xlsx(d / "emptyrows.xlsx", gen)


def docx_empty_tables(d: Path, scale: float = 1.0) -> Path:
    """1.9 million empty tables (under the XML element limit)."""
    return _docx(d / "tables.docx", _W_HEAD + b"<w:tbl/>" * int(1_900_000 * scale) + _W_TAIL)


def xlsx_million_rows(d: Path, scale: float = 1.0) -> Path:
    return _xlsx(d / "rows.xlsx", _sheet_rows(int(1_000_000 * scale)))


def text_million_rows(d: Path, scale: float = 1.0) -> Path:
    n = int(1_000_000 * scale)
    out = d / "rows.txt"
    with open(out, "w", encoding="utf-8") as f:
        f.write("一级指标\t二级指标\t三级指标\t指标值\n")
        for start in range(0, n, 10_000):
            f.write("".join(f"产出指标\t数量指标\t培训人数{k}\t≥{k}人\n" for k in range(start, min(start + 10_000, n))))
    return out


def text_200mb(d: Path, scale: float = 1.0) -> Path:
    out = d / "big.txt"
    line = ("产出指标\t数量指标\t培训人数\t≥300人\n" * 1000).encode("utf-8")
    with open(out, "wb") as f:
        for _ in range(int(200 * MB * scale) // len(line) + 1):
            f.write(line)
    return out


def text_one_line(d: Path, scale: float = 1.0) -> Path:
    """50 MB without a line break."""
    out = d / "oneline.txt"
    out.write_bytes(("三级指标指标值" * int(50 * MB * scale / 21 + 1)).encode("utf-8"))
    return out


def text_one_line_of_cells(d: Path, scale: float = 1.0) -> Path:
    """600,000 tab-separated cells on one line (7 MB, under the size limits)."""
    out = d / "cells.txt"
    out.write_text("三级指标\t指标值\t" + "培训人数\t≥300人\t" * int(300_000 * scale), encoding="utf-8")
    return out


def json_many_objects(d: Path, scale: float = 1.0) -> Path:
    """Eight million empty functions (24 MB)."""
    out = d / "objects.json"
    out.write_text('{"schema": "jixiao/sheet@1", "functions": [' + ",".join(["{}"] * int(8_000_000 * scale)) + "]}")
    return out


def json_many_functions(d: Path, scale: float = 1.0) -> Path:
    """140,000 empty functions: under the JSON limits, over the sheet's."""
    out = d / "functions.json"
    out.write_text('{"schema": "jixiao/sheet@1", "functions": [' + ",".join(["{}"] * int(140_000 * scale)) + "]}")
    return out


def json_deep(d: Path, scale: float = 1.0) -> Path:
    n = int(1_000_000 * scale)
    out = d / "deep.json"
    out.write_bytes(b'{"schema": "jixiao/sheet@1", "functions": ' + b"[" * n + b"]" * n + b"}")
    return out


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of ``objects`` (numbered from 1; object 1 the catalog) with a correct xref."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for k, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % k + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"", compress: bool = True) -> bytes:
    if compress:
        data = zlib.compress(data, 9)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _one_page_pdf(content: bytes, compress: bool = True, resources: bytes = b"", extra: list[bytes] = ()) -> bytes:
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                 b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                 b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                 b"/Resources << /Font << /F1 5 0 R >> " + resources + b">> >>",
                 _stream(content, compress=compress), _FONT, *extra])


def pdf_stream_bomb(d: Path, scale: float = 1.0) -> Path:
    """A content stream that inflates to 1 GB (a 1 MB file)."""
    comp = zlib.compressobj(9)
    parts = [comp.compress(b"BT /F1 12 Tf 72 720 Td (x) Tj ET\n")]
    block = b" " * MB
    parts += [comp.compress(block) for _ in range(int(GB * scale) // MB)]
    parts.append(comp.flush())
    data = b"".join(parts)
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"
    out = d / "streambomb.pdf"
    out.write_bytes(_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                          b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                          b"/Resources << /Font << /F1 5 0 R >> >> >>", stream, _FONT]))
    return out


def pdf_billion_pages(d: Path, scale: float = 1.0) -> Path:
    """A page tree that declares a billion pages."""
    out = d / "pages.pdf"
    out.write_bytes(_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                          b"<< /Type /Pages /Kids [3 0 R] /Count 1000000000 >>",
                          b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]))
    return out


def pdf_many_pages(d: Path, scale: float = 1.0) -> Path:
    """200,000 real (empty) pages, the tree declaring only one."""
    n = int(200_000 * scale)
    kids = b" ".join(b"%d 0 R" % (3 + k) for k in range(n))
    pages = [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * n
    out = d / "manypages.pdf"
    out.write_bytes(_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [" + kids + b"] /Count 1 >>",
                          *pages]))
    return out


def pdf_xref_bomb(d: Path, scale: float = 1.0) -> Path:
    """One page and a cross-reference table of 4 million entries (80 MB)."""
    import re

    n = int(4_000_000 * scale)
    base = _one_page_pdf(b"BT /F1 12 Tf 72 720 Td (x) Tj ET")
    i = base.index(b"xref\n")
    real = re.findall(rb"(\d{10}) 00000 n", base[i:])
    entries = (b"0000000000 65535 f \n" + b"".join(o + b" 00000 n \n" for o in real)
               + b"0000000009 00000 n \n" * (n - len(real) - 1))
    out = d / "xref.pdf"
    out.write_bytes(base[:i] + b"xref\n0 %d\n" % n + entries
                    + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (n, i))
    return out


def pdf_many_chars(d: Path, scale: float = 1.0) -> Path:
    """Three million characters on one page (a 100 KB file)."""
    n = int(3_000_000 * scale)
    content = b"BT /F1 1 Tf 10 10 Td " + (b"(" + b"A" * 1000 + b") Tj ") * (n // 1000) + b"ET"
    out = d / "chars.pdf"
    out.write_bytes(_one_page_pdf(content))
    return out


def pdf_long_path(d: Path, scale: float = 1.0) -> Path:
    """One path of 5 million line segments (a 44 KB file)."""
    return _write(d / "path.pdf", _one_page_pdf(b"0 0 m " + b"1 1 l " * int(5_000_000 * scale) + b"S"))


def pdf_saved_states(d: Path, scale: float = 1.0) -> Path:
    """The graphics state saved 3 million times (q without Q)."""
    content = b"BT /F1 12 Tf 72 720 Td (x) Tj ET " + b"1 0 0 1 0 0 cm q " * int(3_000_000 * scale)
    return _write(d / "states.pdf", _one_page_pdf(content))


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def pdf_form_fanout(d: Path, scale: float = 1.0) -> Path:
    """Form XObjects each drawing the next one twice, 40 deep: 2^40 runs of the
    innermost form if nothing stops it."""
    depth = max(2, int(40 * scale))
    first = 6  # object number of form 0
    forms = []
    for k in range(depth):
        if k + 1 < depth:
            body = b"q /X Do Q q /X Do Q 0 0 m 10 0 l S"
            res = b" /Resources << /XObject << /X %d 0 R >> >>" % (first + k + 1)
        else:
            body = b"BT /F1 12 Tf 72 720 Td (x) Tj ET 0 0 m 10 0 l S"
            res = b" /Resources << /Font << /F1 5 0 R >> >>"
        forms.append(_stream(body, b" /Type /XObject /Subtype /Form /BBox [0 0 595 842]" + res, compress=False))
    out = d / "fanout.pdf"
    out.write_bytes(_one_page_pdf(b"/X Do", compress=False,
                                  resources=b"/XObject << /X %d 0 R >> " % first, extra=forms))
    return out


def zip_overlapping(d: Path, scale: float = 1.0) -> Path:
    """David Fifield's overlapping-entry bomb, small: 300 directory entries sharing
    one 50 MB kernel (all named as worksheets)."""
    kernel = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = int(50 * MB * scale)
    comp = kernel.compress(b" " * raw) + kernel.flush()
    crc = zlib.crc32(b" " * raw)
    out = bytearray()
    members = [("[Content_Types].xml", _CT), ("_rels/.rels", _RELS), ("xl/workbook.xml", _WB),
               ("xl/_rels/workbook.xml.rels", _WB_RELS)]
    central = bytearray()
    for name, body in members:
        off = len(out)
        nm = name.encode()
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0, 0, zlib.crc32(body), len(body), len(body),
                           len(nm), 0) + nm + body
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 0, 0, 0, zlib.crc32(body), len(body),
                               len(body), len(nm), 0, 0, 0, 0, 0, off) + nm
    off = len(out)
    nm = b"xl/worksheets/sheet1.xml"
    out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(comp), raw, len(nm), 0) + nm + comp
    n = 300
    for k in range(n):
        name = nm if k == 0 else b"xl/worksheets/sheet%d.xml" % (k + 1)
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(comp), raw,
                               len(name), 0, 0, 0, 0, 0, off) + name
    cd = len(out)
    out += central
    total = len(members) + n
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, total, total, len(central), cd, 0)
    path = d / "overlap.xlsx"
    path.write_bytes(bytes(out))
    return path


# A compound file (OLE2) and a BIFF8 workbook, written here: nothing installed
# writes .xls, and a bomb needs records no writer would produce.
_END, _FREE, _FATSECT, _DIFSECT, _NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFC, 0xFFFFFFFF


def _cfb_entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
    """A 128-byte directory entry without siblings (kind 5: root, 2: stream)."""
    raw = name.encode("utf-16-le") + b"\0\0" if name else b""
    return (raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1)
            + struct.pack("<III", _NOSTREAM, _NOSTREAM, child) + b"\0" * 36 + struct.pack("<IIi", start, size, 0))


def _cfb(stream: bytes, name: str = "Workbook") -> bytes:
    """A compound file (OLE2, version 3) holding one stream of 4096 bytes or more."""
    data = stream + b"\0" * (-len(stream) % 512)
    s = len(data) // 512
    f = d = 0
    while True:  # FAT sectors (f) and DIFAT sectors (d) for s data sectors and the directory
        need = s + 1 + f + d
        f2 = -(-need // 128)
        d2 = max(0, -(-(f2 - 109) // 127))
        if (f2, d2) == (f, d):
            break
        f, d = f2, d2
    dir_sector = s
    fat_start = s + 1
    difat_start = fat_start + f
    fat = list(range(1, s)) + [_END] + [_END] + [_FATSECT] * f + [_DIFSECT] * d
    fat += [_FREE] * (f * 128 - len(fat))
    fat_sectors = list(range(fat_start, fat_start + f))
    header_difat = fat_sectors[:109] + [_FREE] * (109 - min(109, f))
    difat = bytearray()
    rest = fat_sectors[109:]
    for k in range(d):
        part = rest[k * 127:(k + 1) * 127]
        part += [_FREE] * (127 - len(part))
        nxt = difat_start + k + 1 if k + 1 < d else _END
        difat += struct.pack("<128I", *part, nxt)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\0" * 6 + struct.pack("<IIIIIIIII", 0, f, dir_sector, 0, 4096, _END, 0,
                                        difat_start if d else _END, d) + struct.pack("<109I", *header_difat))
    directory = (_cfb_entry("Root Entry", 5, 1, _END, 0) + _cfb_entry(name, 2, _NOSTREAM, 0, len(stream))
                 + _cfb_entry("", 0, _NOSTREAM, 0, 0) * 2)
    return header + data + directory + struct.pack(f"<{len(fat)}I", *fat) + bytes(difat)


def _biff(sheet_records: bytes) -> bytes:
    """A minimal BIFF8 workbook stream: globals with one BOUNDSHEET, one worksheet
    (BOF, the given records, EOF)."""
    rec = _rec
    bof_g = rec(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x06))
    name = b"Sheet1"
    bound_len = 4 + 8 + len(name)
    globals_len = len(bof_g) + bound_len + 4
    bound = rec(0x0085, struct.pack("<IBB", globals_len, 0, 0) + struct.pack("<BB", len(name), 0) + name)
    g = bof_g + bound + rec(0x000A)
    assert len(g) == globals_len, (len(g), globals_len)
    sheet = rec(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 0x06)) + sheet_records + rec(0x000A)
    return g + sheet


def _rec(kind: int, body: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def _label(r: int, c: int, text: str) -> bytes:
    return _rec(0x0204, struct.pack("<HHHHB", r, c, 0, len(text), 1) + text.encode("utf-16-le"))


_XLS_HEAD = _label(0, 0, "三级指标") + _label(0, 1, "指标值") + _label(1, 0, "培训人数") + _label(1, 1, "≥300人")


def xls_mulblank_bomb(d: Path, scale: float = 1.0) -> Path:
    """MULBLANK records: 256 blank cells in 518 bytes, on every row of the sheet
    (16.6 million cells in 34 MB)."""
    rows = max(2, int(65_000 * scale))
    blanks = b"".join(_rec(0x00BE, struct.pack("<HH", r, 0) + struct.pack("<H", 0) * 256 + struct.pack("<H", 255))
                      for r in range(2, rows))
    out = d / "mulblank.xls"
    out.write_bytes(_cfb(_biff(_XLS_HEAD + blanks) + b"\0" * 4096))
    return out


def xls_merge_bomb(d: Path, scale: float = 1.0) -> Path:
    """A MERGEDCELLS record of 1,000 ranges each over the whole sheet."""
    n = max(1, int(1000 * scale))
    merged = _rec(0x00E5, struct.pack("<H", n) + struct.pack("<HHHH", 0, 65535, 0, 255) * n)
    out = d / "merged.xls"
    out.write_bytes(_cfb(_biff(_XLS_HEAD + merged) + b"\0" * 4096))
    return out


def fifo(d: Path, scale: float = 1.0) -> Path:
    path = d / "fifo.txt"
    os.mkfifo(path)
    return path


def char_device(d: Path, scale: float = 1.0) -> Path:
    return Path("/dev/zero")


def stalled_pipe(d: Path, scale: float = 1.0) -> Path:
    """/dev/stdin of a child whose stdin is a pipe nobody writes to (see ``run``)."""
    return Path("/dev/stdin")


CORPUS: dict[str, Callable[[Path, float], Path]] = {
    "xlsx zip bomb (1 GB)": xlsx_zip_bomb,
    "docx zip bomb (1 GB)": docx_zip_bomb,
    "xlsx zip, sizes lie": xlsx_lying_sizes,
    "xlsx zip, overlapping entries": zip_overlapping,
    "xlsx zip, 200k members": zip_many_members,
    "xlsx billion laughs": xlsx_billion_laughs,
    "docx billion laughs": docx_billion_laughs,
    "html billion laughs": html_billion_laughs,
    "docx gridSpan bomb": docx_gridspan_bomb,
    "docx nested 100k deep": docx_deep_nesting,
    "html colspan×rowspan bomb": html_span_bomb,
    "html nested 50k deep": html_deep_nesting,
    "xlsx merged-range bomb": xlsx_merge_bomb,
    "xlsx far cell (XFD1048576)": xlsx_far_cell,
    "xlsx 1.9M cell formats": xlsx_style_bomb,
    "xlsx 1M rows": xlsx_million_rows,
    "xlsx 1.9M empty hidden rows": xlsx_empty_rows,
    "docx 1.9M empty tables": docx_empty_tables,
    "text 1M rows": text_million_rows,
    "text 250k rows (under the size limits)": lambda d, scale=1.0: text_million_rows(d, scale / 4),
    "text 200 MB": text_200mb,
    "text 50 MB, one line": text_one_line,
    "text one line of 600k cells": text_one_line_of_cells,
    "json nested 1M deep": json_deep,
    "json 8M empty objects": json_many_objects,
    "json 140k empty functions": json_many_functions,
    "pdf stream bomb (1 GB)": pdf_stream_bomb,
    "pdf declares 1e9 pages": pdf_billion_pages,
    "pdf 200k real pages": pdf_many_pages,
    "pdf 3M characters": pdf_many_chars,
    "pdf xref of 4M entries": pdf_xref_bomb,
    "pdf one path of 5M segments": pdf_long_path,
    "pdf 3M nested q": pdf_saved_states,
    "pdf forms 2^40 fan-out": pdf_form_fanout,
    "xls MULBLANK bomb (16.6M cells)": xls_mulblank_bomb,
    "xls merged-cells bomb": xls_merge_bomb,
    "fifo": fifo,
    "char device /dev/zero": char_device,
    "stalled pipe /dev/stdin": stalled_pipe,
}

# ---------------------------------------------------------------- running


# The child is started by a small launcher that reports its rusage: Linux carries
# the parent's RSS high-water mark into a forked child (and through exec), so a
# child forked from a large process (pytest, or this script after building a
# corpus) would report at least its parent's peak. The launcher is a fresh small
# process; the grandchild it starts begins at the launcher's few MB.
_LAUNCHER = r"""
import json, os, subprocess, sys, time
timeout, errpath, cmd = float(sys.argv[1]), sys.argv[2], sys.argv[3:]
t0 = time.monotonic()
with open(errpath, "wb") as err:
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=err)
    while True:
        pid, status, usage = os.wait4(p.pid, os.WNOHANG)
        if pid:
            code = os.waitstatus_to_exitcode(status)
            break
        if time.monotonic() - t0 > timeout:
            p.kill()
            _, status, usage = os.wait4(p.pid, 0)
            code = None
            break
        time.sleep(0.01)
    p.returncode = 0  # reaped by wait4, not by Popen
print(json.dumps({"code": code, "seconds": time.monotonic() - t0, "maxrss_kb": usage.ru_maxrss}))
"""


def run(args: list[str], timeout: float, env: dict | None = None) -> tuple[int | None, str, float, float]:
    """(exit code or None on timeout, first stderr line, seconds, peak RSS in MB) of
    one fresh child (through ``_LAUNCHER``); its stdin a pipe nobody writes to (a
    stalled pipe)."""
    import json

    with tempfile.NamedTemporaryFile(suffix=".err") as err:
        out = subprocess.run([sys.executable, "-I", "-S", "-c", _LAUNCHER, str(timeout), err.name, *args],
                             capture_output=True, text=True, env={**os.environ, **(env or {})},
                             timeout=timeout + 30, check=True)
        result = json.loads(out.stdout)
        text = Path(err.name).read_bytes().decode("utf-8", errors="replace")
    lines = [ln for ln in text.splitlines() if ln.strip()]
    first = lines[0] if lines else ""
    if "Traceback" in text:
        first = "TRACEBACK: " + (lines[-1] if lines else "")
    return result["code"], first, result["seconds"], result["maxrss_kb"] / 1024  # ru_maxrss: KB on Linux


def commands(path: Path, out: Path) -> dict[str, list[str]]:
    return {"import": [*JIXIAO, "import", str(path), "--to", "json"],
            "check": [*JIXIAO, "check", str(path)],
            "render": [*JIXIAO, "render", str(path), "-o", str(out / "out.xlsx")]}


def verdict(code: int | None, first: str, peak: float) -> str:
    if code is None:
        return "HANG"
    if code == 70 or first.startswith("TRACEBACK"):
        return "INTERNAL"
    if peak >= 1024:
        return "MEMORY"
    return "ok"


def rows_scaling(sizes: list[int], d: Path, timeout: float) -> list[tuple]:
    """Import of generated text and xlsx sheets of ``sizes`` indicators (written by a
    child process, see ``--build``), with the limits raised to admit them."""
    env = {"JIXIAO_IMPORT_LIMITS": "cells=100M,text_chars=100M,seconds=3600,xml_nodes=1G,rows=100M,text_fields=100M,"
                                   "indicators=100M,functions=100M"}
    out = []
    for n in sizes:
        subprocess.run([sys.executable, __file__, "--build-rows", str(n), str(d)], check=True)
        text, book = d / f"rows_{n}.txt", d / f"rows_{n}.xlsx"
        for kind, path in (("text", text), ("xlsx", book)):
            code, first, dt, peak = run([*JIXIAO, "import", str(path), "--to", "json"], timeout, env)
            out.append((kind, n, path.stat().st_size, code, dt, peak, first))
            print(f"| {kind} | {n} | {path.stat().st_size / MB:.1f} | {code} | {dt:.1f} | {peak:.0f} |", flush=True)
    return out


def build_rows(n: int, d: Path) -> None:
    """A generated department sheet of about ``n`` indicators (tests/generator.py
    ``large_sample``, numbered per group) as tab text and as the xlsx form."""
    sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
    from generator import large_sample

    from jixiao.render import render

    s = large_sample(n, 0, "tab", numbering="group")
    (d / f"rows_{n}.txt").write_text(s.text, encoding="utf-8")
    (d / f"rows_{n}.xlsx").write_bytes(render(s.sheet, "xlsx"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default="", help="comma-separated names (substrings) of inputs to run")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per command before it counts as a hang")
    ap.add_argument("--commands", default="import,check,render")
    ap.add_argument("--rows", default="", help="also measure generated sheets of these sizes, e.g. 1000,10000,100000")
    ap.add_argument("--build", nargs=2, metavar=("NAME", "DIR"), help=argparse.SUPPRESS)
    ap.add_argument("--build-rows", nargs=2, metavar=("N", "DIR"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.build_rows:
        build_rows(int(args.build_rows[0]), Path(args.build_rows[1]))
        return 0
    if args.build:  # in a child of its own: the runner stays small (a forked child starts at its parent's RSS)
        print(CORPUS[args.build[0]](Path(args.build[1]), 1.0))
        return 0
    wanted = [w.strip() for w in args.only.split(",") if w.strip()]
    failures = 0
    with tempfile.TemporaryDirectory(prefix="jixiao-hostile-") as tmp:
        d = Path(tmp)
        print("| input | file | command | exit | s | peak MB | verdict | stderr (first line) |")
        print("|---|---:|---|---:|---:|---:|---|---|")
        for name in CORPUS:
            if wanted and not any(w in name for w in wanted):
                continue
            sub = d / str(abs(hash(name)))
            sub.mkdir()
            path = Path(subprocess.run([sys.executable, __file__, "--build", name, str(sub)], check=True,
                                       capture_output=True, text=True).stdout.strip())
            size = path.stat().st_size if path.is_file() and not str(path).startswith("/dev/") else 0
            for cmd, argv_ in commands(path, sub).items():
                if cmd not in args.commands.split(","):
                    continue
                code, first, dt, peak = run(argv_, args.timeout)
                v = verdict(code, first, peak)
                failures += v != "ok"
                shown = first.replace(str(sub) + "/", "").replace("|", "\\|")
                if len(shown) > 110:
                    shown = shown[:110] + "…"
                print(f"| {name} | {size / MB:.1f} MB | {cmd} | {code if code is not None else '—'} | {dt:.1f} "
                      f"| {peak:.0f} | {v} | {shown} |", flush=True)
            for p in sub.iterdir():
                p.unlink()
        if args.rows:
            print()
            print("| sheet | indicators | MB | exit | s | peak MB |")
            print("|---|---:|---:|---:|---:|---:|")
            rows_scaling([int(x) for x in args.rows.split(",")], d, max(args.timeout, 600))
    print(f"\n{failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
