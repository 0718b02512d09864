"""Crafted hostile inputs (issue 10): each kind of bomb is refused with a Chinese
message naming the file and the limit, exits 2 (never 70, never a traceback),
finishes in time, and stays within a memory budget *measured* here: the import
runs in a fresh subprocess (``benchmarks/hostile.py``'s launcher) and its peak
RSS is read from ``wait4``.

The bombs are the builders of ``benchmarks/hostile.py`` scaled down, with the
limits scaled down to match through ``JIXIAO_IMPORT_LIMITS`` — the same code
paths at a fraction of the cost. The full-size corpus runs in the benchmark
(figures in docs/benchmarks.md#hostile-inputs).
"""
from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import hostile  # noqa: E402

from jixiao.errors import DocumentTooLarge, FileMissing, ImportFailed, JixiaoError  # noqa: E402
from jixiao.importers import budget, import_bytes, import_path  # noqa: E402
from jixiao.importers.decode import read_bytes  # noqa: E402

#: Peak RSS allowed for one scaled-down import (a bare ``jixiao import`` of the
#: seed peaks at 25-70 MB depending on the libraries the format loads).
MEMORY_MB = 200


def jixiao(path: Path, limits: str = "", command: str = "import", timeout: float = 60.0):
    args = {"import": ["import", str(path), "--to", "json"], "check": ["check", str(path)],
            "render": ["render", str(path), "-o", str(path.parent / "out.xlsx")]}[command]
    env = {budget.ENV: limits} if limits else {budget.ENV: ""}
    return hostile.run([*hostile.JIXIAO, *args], timeout, env)


def refused(path: Path, limits: str, *needles: str, memory: float = MEMORY_MB, seconds: float = 30.0,
            command: str = "import") -> str:
    code, first, dt, peak = jixiao(path, limits, command)
    assert code == 2, (code, first)
    assert first.startswith("错误: ") and "Traceback" not in first, first
    assert path.name in first, first
    for needle in needles:
        assert needle in first, (needle, first)
    assert peak < memory, f"peak RSS {peak:.0f} MB over {memory} MB: {first}"
    assert dt < seconds, f"{dt:.1f} s: {first}"
    return first


# ------------------------------------------------------------------ ZIP

def test_xlsx_zip_bomb(tmp_path):
    path = hostile.xlsx_zip_bomb(tmp_path, 1 / 50)  # 20 MB of blanks in a few KB
    assert path.stat().st_size < 100_000
    refused(path, "decompressed=4M", "超出导入上限", "解压后的数据超过上限 4 MB", "压缩炸弹")


def test_docx_zip_bomb(tmp_path):
    path = hostile.docx_zip_bomb(tmp_path, 1 / 50)
    refused(path, "decompressed=4M", "超出导入上限", "解压后的数据超过上限 4 MB")


def test_zip_directory_that_lies_about_sizes(tmp_path):
    # every declared size says 100 bytes: what comes out is counted, not what is declared
    refused(hostile.xlsx_lying_sizes(tmp_path, 1 / 50), "decompressed=4M", "已损坏")


def test_zip_overlapping_entries(tmp_path):
    first = refused(hostile.zip_overlapping(tmp_path, 1 / 20), "decompressed=20M")
    assert "超出导入上限" in first or "已损坏" in first


def test_zip_with_too_many_members(tmp_path):
    refused(hostile.zip_many_members(tmp_path, 1 / 40), "zip_members=1000", "超过上限 1000 个")


@pytest.mark.parametrize("build", [hostile.xlsx_billion_laughs, hostile.docx_billion_laughs])
def test_xml_entity_bomb_in_office_files(tmp_path, build):
    refused(build(tmp_path), "", "超出导入上限", "DTD", "XML 炸弹")


def test_xml_entity_bomb_in_html_is_not_expanded(tmp_path):
    # libxml2's HTML parser does not expand entities a DTD declares: the page reads
    # as a heading without rows (a billion "lol"s would be ~3 GB)
    refused(hostile.html_billion_laughs(tmp_path), "", "没有找到绩效指标表", memory=120)


# ------------------------------------------------------------------ spans

def test_docx_gridspan_bomb(tmp_path):
    # a cell spanning 10,000 columns counts 10,000 cells, refused before the row is made
    refused(hostile.docx_gridspan_bomb(tmp_path, 1 / 100), "cells=5000",
            "合并单元格共 10000 格, 超过上限 5000 格")


def test_html_colspan_rowspan_bomb(tmp_path):
    # colspan=1000 × rowspan clamped to the 101 rows left (its own and 100 below):
    # 101,000 cells for the first <td>, refused before a row is extended
    refused(hostile.html_span_bomb(tmp_path, 1 / 10), "cells=50000", "合并单元格共 101000 格, 超过上限 50000 格")


def test_xlsx_merged_range_bomb(tmp_path):
    # two ranges over the whole grid, counted from the raw XML before openpyxl reads it
    refused(hostile.xlsx_merge_bomb(tmp_path, 1 / 1000), "", "合并单元格共 17179869184 格, 超过上限 500000 格")


def test_xlsx_style_bomb(tmp_path):
    # counted in xl/styles.xml before openpyxl makes an object of each <xf>
    refused(hostile.xlsx_style_bomb(tmp_path, 1 / 100), "xlsx_objects=5000", "样式", "超过上限 5000 个")


def test_xlsx_cell_far_away(tmp_path):
    refused(hostile.xlsx_far_cell(tmp_path), "", "单元格", "共 17179869184 格, 超过上限 500000 格")


def test_xlsx_too_many_rows(tmp_path):
    refused(hostile.xlsx_million_rows(tmp_path, 1 / 100), "cells=10000", "工作表中共有超过 10000 个单元格")


def test_xls_mulblank_bomb(tmp_path):
    # 1,998 rows of 256 blank cells in one record each (and 4 labels): counted in the BIFF records
    # before xlrd builds a cell
    refused(hostile.xls_mulblank_bomb(tmp_path, 2000 / 65000), "cells=100000",
            "工作簿中共有 511492 个单元格, 超过上限 100000 格")


def test_xls_merged_cells_bomb(tmp_path):
    refused(hostile.xls_merge_bomb(tmp_path, 1 / 100), "", "合并单元格共 167772160 格, 超过上限 500000 格")


def test_xls_built_here_imports():
    # the builder's minimal workbook is read as a workbook: the bombs above reach xlrd
    sheet = import_bytes(hostile._cfb(hostile._biff(hostile._XLS_HEAD) + b"\0" * 4096), path="小.xls")
    assert [x.name for _, x in sheet.all_indicators()] == ["培训人数"]


# ------------------------------------------------------------------ nesting

def test_docx_nested_beyond_the_parser_depth(tmp_path):
    refused(hostile.docx_deep_nesting(tmp_path, 1 / 100), "", "嵌套超过上限 256 层")


def test_html_nested_beyond_the_depth_limit(tmp_path):
    refused(hostile.html_deep_nesting(tmp_path, 1 / 100), "depth=64", "网页的元素嵌套超过上限 64 层")


def test_json_with_too_many_objects(tmp_path):
    path = tmp_path / "多.json"
    path.write_text('{"schema": "jixiao/sheet@1", "functions": [' + ",".join(["{}"] * 3000) + "]}")
    refused(path, "json_containers=2000", "JSON 中的对象和数组共 3002 个, 超过上限 2000 个")


def test_sheet_with_too_many_functions_or_indicators(tmp_path):
    path = tmp_path / "职能.json"
    path.write_text('{"schema": "jixiao/sheet@1", "functions": [' + ",".join(["{}"] * 300) + "]}")
    refused(path, "functions=200", "共 300 项职能, 超过上限 200 项", command="check")
    from generator import large_sample

    text = tmp_path / "指标.txt"
    text.write_text(large_sample(300, 0, "tab", numbering="group").text, encoding="utf-8")
    refused(text, "indicators=100", "个指标, 超过上限 100 个")


def test_json_nested_deeply(tmp_path):
    refused(hostile.json_deep(tmp_path, 1 / 100), "", "不是有效的绩效目标表 JSON")


# ------------------------------------------------------------------ text

def test_text_with_too_many_rows(tmp_path):
    refused(hostile.text_million_rows(tmp_path, 1 / 100), "text_chars=50000", "超过上限 50000 字")


def test_text_with_too_many_lines(tmp_path):
    # short rows: few characters, but the solver's cost is per row
    refused(hostile.text_million_rows(tmp_path, 1 / 100), "rows=5000", "文本共 10001 行, 超过上限 5000 行")


def test_tables_with_too_many_rows(tmp_path):
    refused(hostile.xlsx_million_rows(tmp_path, 1 / 200), "rows=3000", "工作表中共有超过 3000 行, 超过上限 3000 行")


def test_text_with_too_many_fields(tmp_path):
    # one line of tab-separated cells: few lines, but the cost is per field
    path = tmp_path / "一行.txt"
    path.write_text("三级指标\t指标值\t" + "培训人数\t≥300人\t" * 3000, encoding="utf-8")
    refused(path, "text_fields=5000", "字段", "共 6002 个, 超过上限 5000 个")


def test_empty_rows_and_paragraphs(tmp_path):
    # empty rows still become objects: a RowDimension per <row>, a block per paragraph
    rows = hostile._SHEET_HEAD + b"".join(
        b'<row r="%d" hidden="1"/>' % r for r in range(1, 3001)) + b"</sheetData></worksheet>"
    refused(hostile._xlsx(tmp_path / "空行.xlsx", rows), "rows=2000", "工作表中共有超过 2000 行")
    doc = hostile._docx(tmp_path / "空段.docx", hostile._W_HEAD + b"<w:p/>" * 3000 + hostile._W_TAIL)
    refused(doc, "rows=2000", "正文的段落与表格共", "超过上限 2000 个")


def test_text_file_over_the_size_limit(tmp_path):
    path = hostile.text_200mb(tmp_path, 1 / 100)  # 2 MB
    refused(path, "file_bytes=1M", "文件大小 2.0 MB, 超过上限 1 MB", memory=80)


def test_text_import_deadline_in_the_structure_solver(tmp_path):
    # an unnumbered sheet of 3,000 indicators takes over a second in the text
    # importer's own loops (no cooperative check there): the SIGALRM backstop stops it
    from generator import large_sample

    path = tmp_path / "慢.txt"
    path.write_text(large_sample(3000, 0, "tab", numbering="absent").text, encoding="utf-8")
    refused(path, "seconds=0.3", "导入用时超过上限 0.3 秒", seconds=15)


# ------------------------------------------------------------------ PDF

def test_pdf_stream_bomb(tmp_path):
    refused(hostile.pdf_stream_bomb(tmp_path, 1 / 50), "decompressed=4M", "解压后的数据超过上限 4 MB")


def test_pdf_declaring_a_billion_pages(tmp_path):
    refused(hostile.pdf_billion_pages(tmp_path), "", "声明共 1000000000 页, 超过上限 300 页")


def test_pdf_with_more_pages_than_declared(tmp_path):
    # 1,000 page objects under a tree that claims one: walked lazily, stopped at 51
    refused(hostile.pdf_many_pages(tmp_path, 1 / 200), "pages=50", "共 51 页, 超过上限 50 页")


def test_pdf_with_too_many_characters(tmp_path):
    # refused from inside pdfminer's interpreter, through its ``except Exception``:
    # the refusal is no "damaged page"
    refused(hostile.pdf_many_chars(tmp_path, 1 / 100), "pdf_objects=10000", "字符与线条超过上限 10000 个")


def test_pdf_cross_reference_bomb(tmp_path):
    refused(hostile.pdf_xref_bomb(tmp_path, 1 / 100), "pdf_objects=10000",
            "PDF 交叉引用表声明 40000 个对象, 超过上限 10000 个")


def test_pdf_path_of_many_segments(tmp_path):
    refused(hostile.pdf_long_path(tmp_path, 1 / 100), "pdf_objects=10000", "一条路径的线段超过上限 10000 个")


def test_pdf_graphics_state_saved_without_end(tmp_path):
    refused(hostile.pdf_saved_states(tmp_path, 1 / 100), "", "图形状态 (q) 嵌套超过上限 256 层")


def test_pdf_forms_drawing_forms(tmp_path):
    refused(hostile.pdf_form_fanout(tmp_path), "seconds=2", "导入用时超过上限 2 秒", seconds=15)


# ------------------------------------------------------------------ not files

def test_fifo_is_refused_without_blocking(tmp_path):
    first = refused(hostile.fifo(tmp_path), "", "命名管道", seconds=10)
    assert "不是普通文件" in first


def test_character_device_is_refused(tmp_path):
    code, first, dt, peak = jixiao(Path("/dev/zero"))
    assert code == 2 and "字符设备" in first and dt < 10, (code, first, dt)


def test_stalled_pipe_is_refused(tmp_path):
    # the child's stdin is a pipe nobody writes to
    code, first, dt, peak = jixiao(Path("/dev/stdin"))
    assert code == 2 and "命名管道" in first and dt < 10, (code, first, dt)


def test_fifo_in_process(tmp_path):
    path = tmp_path / "管道"
    os.mkfifo(path)
    with pytest.raises(FileMissing) as e:
        read_bytes(path)
    assert "管道" in e.value.message and "命名管道 (FIFO)" in e.value.message


# ------------------------------------------------------------------ every command

@pytest.mark.parametrize("command", ["check", "render"])
def test_check_and_render_refuse_like_import(tmp_path, command):
    refused(hostile.docx_gridspan_bomb(tmp_path, 1 / 100), "cells=5000", "合并单元格共 10000 格", command=command)


# ------------------------------------------------------------------ the budget itself

def test_limits_from_the_environment(monkeypatch):
    monkeypatch.setenv(budget.ENV, "cells=1k, decompressed=2M ,seconds=1.5")
    limits = budget.limits_from_env()
    assert (limits.cells, limits.decompressed, limits.seconds) == (1024, 2 << 20, 1.5)
    assert limits.pages == budget.DEFAULT.pages
    monkeypatch.setenv(budget.ENV, "cels=1")
    with pytest.raises(JixiaoError) as e:
        budget.limits_from_env()
    assert "cels" in e.value.message and budget.ENV in e.value.message


def test_limits_argument_and_shared_session(tmp_path):
    # an explicit Limits applies to reading the file and to the import, as one budget
    path = tmp_path / "表.txt"
    path.write_bytes(b"x" * 5000)
    with pytest.raises(DocumentTooLarge) as e:
        import_path(path, limits=budget.Limits(file_bytes=4096))
    assert "表.txt" in e.value.message and "超过上限 4 KB" in e.value.message
    with pytest.raises(DocumentTooLarge) as e:
        import_bytes("三级指标\t指标值\n".encode() * 100, path="长.txt", limits=budget.Limits(text_chars=500))
    assert "长.txt" in e.value.message and "超过上限 500 字" in e.value.message


def test_refusal_inside_library_code_is_not_a_damaged_file():
    # Refused is a BaseException: an ``except Exception`` between the limit and the
    # session cannot turn it into CorruptDocument
    def library():
        try:
            budget.current().cells(10**9)
        except Exception:  # noqa: BLE001 - what openpyxl and pdfminer do
            raise AssertionError("swallowed") from None

    with pytest.raises(DocumentTooLarge) as e, budget.session("库.xlsx", budget.Limits(cells=10)):
        library()
    assert "库.xlsx" in e.value.message and "超过上限 10 格" in e.value.message


def test_alarm_is_disarmed_after_an_import(tmp_path):
    import signal

    with contextlib.suppress(ImportFailed):
        import_bytes("三级指标\t指标值\n培训人数\t≥300人\n".encode(), path="小.txt")
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is signal.SIG_DFL


def test_deadline_without_the_alarm_in_a_worker_thread():
    # a web worker thread gets no SIGALRM: the cooperative checks in the readers'
    # and the evidence table's loops keep the deadline there too
    import threading
    import time

    from generator import large_sample

    data = large_sample(3000, 0, "tab", numbering="absent").text.encode("utf-8")
    result: dict = {}

    def work():
        t0 = time.monotonic()
        try:
            import_bytes(data, path="线程.txt", limits=budget.Limits(seconds=0.3))
        except DocumentTooLarge as e:
            result["error"] = e.message
        result["seconds"] = time.monotonic() - t0

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(60)
    assert "导入用时超过上限 0.3 秒" in result.get("error", ""), result
    assert result["seconds"] < 5, result
