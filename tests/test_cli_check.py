"""``jixiao check`` and ``jixiao import --check``, run for real in a subprocess."""
from __future__ import annotations

import json
import random

import pytest
from generator import make_sheet
from test_cli import assert_clean_failure, jixiao

from jixiao.model.codec import dumps
from jixiao.validation import check


@pytest.fixture(scope="module")
def clean_json(tmp_path_factory):
    """A generated sheet without error-level findings, as sheet JSON."""
    for i in range(50):
        sheet = make_sheet(random.Random(f"cli-clean:{i}"), kind="department")
        if not check(sheet).has_errors:
            path = tmp_path_factory.mktemp("clean") / "clean.json"
            path.write_text(dumps(sheet), encoding="utf-8")
            return path
    pytest.fail("no clean generated sheet")


def test_seed_exits_1_and_prints_findings_grouped_by_function(seed_path):
    result = jixiao("check", str(seed_path))
    assert result.returncode == 1, result.stderr
    out = result.stdout
    assert "Traceback" not in out + result.stderr
    for needle in ("职能1", "职能3", "[错误] R18", "享受人大补助", "建议:", "得分", "等级"):
        assert needle in out, needle
    assert out.index("职能1") < out.index("职能2") < out.index("职能3") < out.index("职能4")
    summary = out.strip().splitlines()[-1]
    assert "1 错误" in summary and "警告" in summary and "提示" in summary


def test_clean_sheet_exits_0(clean_json):
    result = jixiao("check", str(clean_json))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 错误" in result.stdout


def test_json_format(seed_path):
    result = jixiao("check", str(seed_path), "--format", "json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["grade"] in ("优", "良", "中", "差") and 0 <= data["score"] <= 100
    codes = {f["code"] for f in data["findings"]}
    assert {"R18", "R1", "V-OP-MISSING"} <= codes
    assert data["counts"]["error"] == sum(f["severity"] == "error" for f in data["findings"])


def test_profile_can_turn_errors_off(seed_path, tmp_path):
    profile = tmp_path / "宽松.toml"
    profile.write_text('[severity]\nR18 = "warning"\nR1 = "warning"\n', encoding="utf-8")
    result = jixiao("check", str(seed_path), "--profile", str(profile), "-f", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["counts"]["error"] == 0


def test_bad_profile_is_a_clean_failure(seed_path, tmp_path):
    profile = tmp_path / "bad.toml"
    profile.write_text("[thresholds]\nsatisfaction_flor = 80\n", encoding="utf-8")
    assert_clean_failure(jixiao("check", str(seed_path), "-p", str(profile)), "bad.toml",
                         "thresholds.satisfaction_flor")


def test_missing_previous_is_a_clean_failure(seed_path, tmp_path):
    assert_clean_failure(jixiao("check", str(seed_path), "--previous", str(tmp_path / "去年.txt")), "去年.txt")


def test_previous_year_flags_a_copied_sheet(seed_path, tmp_path):
    from jixiao import files

    last = files.import_sheet(seed_path)
    last.year = 2023
    path = tmp_path / "2023.json"
    path.write_text(dumps(last), encoding="utf-8")
    result = jixiao("check", str(seed_path), "--previous", str(path), "-f", "json")
    assert "V-COPIED-SHEET" in {f["code"] for f in json.loads(result.stdout)["findings"]}


def test_import_check_adds_findings_to_diagnostics(seed_path):
    result = jixiao("import", str(seed_path), "--check", "--to", "json")
    assert result.returncode == 0, result.stderr
    diagnostics = json.loads(result.stdout)["diagnostics"]
    codes = {d["code"] for d in diagnostics}
    assert "STRUCT_FUNCTION_LABEL_LOST" in codes and "R18" in codes
    r18 = next(d for d in diagnostics if d["code"] == "R18")
    assert r18["where"] == "functions[0].indicators[0].target" and r18["indicator"] == "享受人大补助"


def test_import_without_check_has_no_findings(seed_path):
    result = jixiao("import", str(seed_path), "--to", "json")
    assert "R18" not in {d["code"] for d in json.loads(result.stdout)["diagnostics"]}


def test_check_help_is_chinese():
    result = jixiao("check", "--help")
    assert result.returncode == 0
    for word in ("--profile", "--previous", "--format", "退出码"):
        assert word in result.stdout
