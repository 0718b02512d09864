"""The installed ``jixiao`` command, run for real in a subprocess."""
from __future__ import annotations

import importlib.metadata
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from jixiao.model.codec import dumps, loads

CJK = re.compile(r"[\u4e00-\u9fff]")
SCRIPT = Path(sys.executable).with_name("jixiao")


def jixiao(*args: str, cwd: Path | None = None, env: dict | None = None,
           via: str = "module") -> subprocess.CompletedProcess:
    """Run the CLI; ``via="script"`` uses the installed console script."""
    command = [str(SCRIPT)] if via == "script" else [sys.executable, "-m", "jixiao"]
    full_env = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1", **(env or {})}
    full_env.pop("JIXIAO_DEBUG", None) if not env or "JIXIAO_DEBUG" not in env else None
    return subprocess.run([*command, *args], capture_output=True, text=True, encoding="utf-8",
                          cwd=cwd, env=full_env, timeout=120)


def assert_clean_failure(result: subprocess.CompletedProcess, *needles: str) -> None:
    assert result.returncode != 0, result
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    assert CJK.search(result.stderr), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stdout == ""
    for needle in needles:
        assert needle in result.stderr, (needle, result.stderr)

# ------------------------------------------------------------------ help and version


@pytest.mark.skipif(not SCRIPT.exists(), reason="console script not installed next to python")
def test_installed_script_prints_chinese_help():
    result = jixiao("--help", via="script")
    assert result.returncode == 0
    assert "用法" in result.stdout and "import" in result.stdout and "选项" in result.stdout


def test_import_help_lists_its_options():
    result = jixiao("import", "--help")
    assert result.returncode == 0
    for word in ("--to", "-o", "--output", "table", "json", "原子"):
        assert word in result.stdout


def test_no_arguments_shows_help():
    result = jixiao()
    assert "import" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_version_matches_the_installed_distribution():
    result = jixiao("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"jixiao {importlib.metadata.version('jixiao')}"

# ------------------------------------------------------------------ the seed


def test_import_seed_to_json(seed_path):
    result = jixiao("import", str(seed_path), "--to", "json")
    assert result.returncode == 0, result.stderr
    sheet = loads(result.stdout)
    assert sheet.year == 2024
    assert sum(len(f.indicators) for f in sheet.functions) + len(sheet.indicators) > 0
    assert json.loads(result.stdout)["schema"] == "jixiao/sheet@1"


def test_import_seed_to_table(seed_path):
    result = jixiao("import", str(seed_path))
    assert result.returncode == 0, result.stderr
    for word in ("标题", "一级指标", "二级指标", "三级指标", "指标值", "产出指标"):
        assert word in result.stdout
    assert "Traceback" not in result.stderr


def test_output_file_is_written_and_announced(seed_path, tmp_path):
    out = tmp_path / "out" / "seed.json"
    result = jixiao("import", str(seed_path), "--to", "json", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert str(out) in result.stderr
    assert loads(out.read_text(encoding="utf-8")).year == 2024
    assert [p.name for p in out.parent.iterdir()] == ["seed.json"]


def test_table_to_file_is_plain_text(seed_path, tmp_path):
    out = tmp_path / "seed.txt"
    result = jixiao("import", str(seed_path), "--to", "table", "--output", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "三级指标" in text and "\x1b[" not in text


def test_gbk_copy_of_the_seed_gives_the_same_sheet(seed_path, seed_text, tmp_path):
    gbk = tmp_path / "seed-gbk.txt"
    gbk.write_bytes(seed_text.encode("gbk"))
    utf8 = jixiao("import", str(seed_path), "--to", "json")
    result = jixiao("import", str(gbk), "--to", "json")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert loads(result.stdout) == loads(utf8.stdout) or \
        _without_paths(result.stdout) == _without_paths(utf8.stdout)


def _without_paths(text: str) -> str:
    return re.sub(r"seed(-gbk)?\.txt", "FILE", text)


def test_sheet_json_imports_and_round_trips(tmp_path, seed_gold):
    expected = loads(json.dumps(seed_gold))
    path = tmp_path / "gold.json"
    path.write_text(dumps(expected), encoding="utf-8")
    result = jixiao("import", str(path), "--to", "json")
    assert result.returncode == 0, result.stderr
    assert loads(result.stdout) == expected
    table = jixiao("import", str(path))
    assert table.returncode == 0 and "职能1" in table.stdout

# ------------------------------------------------------------------ failures


def test_missing_file(tmp_path):
    path = tmp_path / "没有这个文件.txt"
    assert_clean_failure(jixiao("import", str(path)), str(path), "不存在")


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert_clean_failure(jixiao("import", str(path), "--to", "json"), str(path), "空")


def test_binary_file(tmp_path):
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    assert_clean_failure(jixiao("import", str(path)), str(path), "二进制", "PNG")


def test_undecodable_file(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Überweisung für Gemeinde".encode("latin-1") + b"\xff")
    assert_clean_failure(jixiao("import", str(path)), str(path), "编码")


def test_directory(tmp_path):
    assert_clean_failure(jixiao("import", str(tmp_path)), "文件夹")


def test_text_without_indicator_table(tmp_path):
    path = tmp_path / "notice.txt"
    path.write_text("关于报送2024年预算的通知\n各单位: 请于12月31日前报送。\n", encoding="utf-8")
    assert_clean_failure(jixiao("import", str(path)), str(path), "绩效指标表")


def test_invalid_sheet_json(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"schema": "jixiao/sheet@1", "year": "明年"}', encoding="utf-8")
    assert_clean_failure(jixiao("import", str(path)), str(path), "JSON", "year")


def test_output_to_a_directory(seed_path, tmp_path):
    assert_clean_failure(jixiao("import", str(seed_path), "--to", "json", "-o", str(tmp_path)),
                         "文件夹")


def test_usage_error_is_chinese_without_traceback(seed_path):
    result = jixiao("import", str(seed_path), "--to", "xml")
    assert result.returncode == 2
    assert "xml" in result.stderr and CJK.search(result.stderr)
    assert "Traceback" not in result.stderr
    result = jixiao("import")
    assert result.returncode == 2 and "缺少" in result.stderr

# ------------------------------------------------------------------ bugs


BOOM = """
import sys
from jixiao import cli, files
def boom(path, **kw):
    raise RuntimeError("boom")
files.import_sheet = boom
cli.main(sys.argv[1:])
"""


def test_internal_error_is_exit_70_without_traceback(seed_path):
    result = subprocess.run([sys.executable, "-c", BOOM, "import", str(seed_path)],
                            capture_output=True, text=True, encoding="utf-8",
                            env={k: v for k, v in os.environ.items() if k != "JIXIAO_DEBUG"})
    assert result.returncode == 70
    assert "内部错误" in result.stderr and "boom" in result.stderr
    assert "报告" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("how", ["env", "flag"])
def test_internal_error_traceback_on_request(seed_path, how):
    args = ["--debug"] if how == "flag" else []
    env = {**os.environ, "JIXIAO_DEBUG": "1"} if how == "env" else \
        {k: v for k, v in os.environ.items() if k != "JIXIAO_DEBUG"}
    result = subprocess.run([sys.executable, "-c", BOOM, *args, "import", str(seed_path)],
                            capture_output=True, text=True, encoding="utf-8", env=env)
    assert result.returncode == 70
    assert "Traceback" in result.stderr and "RuntimeError: boom" in result.stderr

# ------------------------------------------------------------------ the table view

FLAT = {
    "schema": "jixiao/sheet@1", "kind": "project", "stage": "self_evaluation",
    "title": "2023年度项目支出绩效自评表", "year": 2023, "project": "农村道路养护 [重点]",
    "indicators": [
        {"level1": "产出指标", "level2": "数量指标", "name": "养护里程[bold]", "target": "≥120公里",
         "weight": 20, "actual": "125公里", "score": 20},
        {"level1": "产出指标", "level2": "质量指标", "name": "验收合格率", "target": "=100%",
         "weight": 20, "actual": "98%", "score": 18.5},
    ],
    "diagnostics": [{"code": "X_TEST", "severity": "error", "where": "indicators[1]",
                     "message": "得分低于权重", "hint": "核对自评"}],
}


def test_flat_sheet_table_shows_weights_scores_and_literal_brackets(tmp_path):
    path = tmp_path / "flat.json"
    path.write_text(json.dumps(FLAT, ensure_ascii=False), encoding="utf-8")
    result = jixiao("import", str(path))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for word in ("权重", "实际", "得分", "18.5", "125公里", "项目支出 · 自评", "农村道路养护 [重点]",
                 "养护里程[bold]", "X_TEST", "[错误]", "得分低于权重", "核对自评"):
        assert word in out, word
    assert out.count("产出指标") == 1  # 一级 printed once, like a merged cell


def test_columns_without_data_are_left_out(tmp_path, seed_gold):
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(seed_gold, ensure_ascii=False), encoding="utf-8")
    result = jixiao("import", str(path))
    assert result.returncode == 0, result.stderr
    assert "权重" not in result.stdout and "得分" not in result.stdout


def test_import_jixiao_is_light_and_exposes_its_api():
    code = ("import sys, jixiao; assert 'jixiao.services' not in sys.modules; "
            "assert 'typer' not in sys.modules and 'rich' not in sys.modules; "
            "[getattr(jixiao, n) for n in jixiao.__all__]; print(jixiao.import_sheet.__module__)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "jixiao.files"
