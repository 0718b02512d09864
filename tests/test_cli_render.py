"""``jixiao render`` and ``jixiao template``, run for real in a subprocess."""
from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile

import docx
import openpyxl
import pytest


def jixiao(*args: str, cwd=None) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1"}
    env.pop("JIXIAO_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "jixiao", *args], capture_output=True,
                          text=True, encoding="utf-8", cwd=cwd, env=env, timeout=120,
                          check=False)


def failed_cleanly(result: subprocess.CompletedProcess, needle: str) -> bool:
    return (result.returncode == 2 and "Traceback" not in result.stderr
            and needle in result.stderr and result.stdout == "")


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "html", "pdf"])
def test_render_the_seed_text_to_every_format(tmp_path, seed_path, fmt):
    out = tmp_path / "sub" / f"表.{fmt}"
    result = jixiao("render", str(seed_path), "--to", fmt, "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert f"已将 {fmt} 写入" in result.stderr and result.stdout == ""
    data = out.read_bytes()
    if fmt == "xlsx":
        ws = openpyxl.load_workbook(io.BytesIO(data)).active
        assert ws["A1"].value == "2024年部门整体支出绩效目标批复表"
    elif fmt == "docx":
        assert len(docx.Document(io.BytesIO(data)).tables[1].rows) == 50
    elif fmt == "html":
        assert "潢源县大华镇人民政府" in data.decode("utf-8")
    else:
        assert data.startswith(b"%PDF-")
    assert [p.name for p in out.parent.iterdir()] == [out.name]   # no temporary file left


def test_render_takes_the_format_from_the_extension_and_reads_sheet_json(tmp_path, seed_gold_path):
    out = tmp_path / "seed.XLSX"
    result = jixiao("render", str(seed_gold_path), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert zipfile.is_zipfile(out)


def test_render_without_a_known_extension_or_to_fails_cleanly(tmp_path, seed_path):
    result = jixiao("render", str(seed_path), "-o", str(tmp_path / "seed.out"))
    assert failed_cleanly(result, "请用 --to 指定"), result
    assert not (tmp_path / "seed.out").exists()


def test_render_a_missing_file_fails_cleanly(tmp_path):
    result = jixiao("render", str(tmp_path / "无.txt"), "-o", str(tmp_path / "x.pdf"))
    assert failed_cleanly(result, "不存在"), result


def test_render_needs_an_output_and_a_valid_format(tmp_path, seed_path):
    assert failed_cleanly(jixiao("render", str(seed_path)), "缺少选项")
    result = jixiao("render", str(seed_path), "--to", "odt", "-o", str(tmp_path / "x"))
    assert failed_cleanly(result, "无效"), result


def test_render_into_a_folder_fails_cleanly(tmp_path, seed_path):
    result = jixiao("render", str(seed_path), "--to", "xlsx", "-o", str(tmp_path))
    assert failed_cleanly(result, "文件夹"), result


@pytest.mark.parametrize("kind, first_label", [("department", "部门(单位)名称"), ("project", "项目名称")])
def test_template_writes_a_blank_workbook(tmp_path, kind, first_label):
    out = tmp_path / f"{kind}.xlsx"
    result = jixiao("template", "--kind", kind, "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "已将模板写入" in result.stderr
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["绩效目标表", "填表说明"]
    assert wb["绩效目标表"]["A2"].value == first_label


def test_template_defaults_to_department_and_rejects_unknown_kinds(tmp_path):
    out = tmp_path / "t.xlsx"
    assert jixiao("template", "-o", str(out)).returncode == 0
    assert openpyxl.load_workbook(out)["绩效目标表"]["A2"].value == "部门(单位)名称"
    assert failed_cleanly(jixiao("template", "-k", "school", "-o", str(out)), "无效")


def test_help_of_the_new_commands_is_chinese():
    for command in ("render", "template"):
        result = jixiao(command, "--help")
        assert result.returncode == 0 and "用法: jixiao " + command in result.stdout
