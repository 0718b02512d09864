"""``jixiao score`` in-process: text and JSON views, --approved, --profile, refusals."""
from __future__ import annotations

import json

import pytest

from jixiao.cli import run
from jixiao.model.codec import dumps
from jixiao.model.sheet import Indicator, Sheet
from jixiao.model.target import parse_target


def leaf(l1, name, target, actual=None, weight=None, score=None):
    return Indicator(l1, None, name, parse_target(target), weight, None,
                     parse_target(actual) if actual is not None else None, score)


SELF_EVAL = Sheet(
    kind="project", stage="self_evaluation", title="2023年农民培训项目支出绩效自评表", project="农民培训",
    funds={"budget_initial": 100.0, "budget": 100.0, "executed": 86.0, "execution_score": 10.0},
    indicators=[
        leaf("产出指标", "培训合格率", "≥95%", "92%", weight=20, score=20),
        leaf("产出指标", "培训人次", "≥500人次", "≥500人次", weight=30, score=30),
        leaf("效益指标", "政策知晓率", "≥90%", "达成预期指标", weight=30, score=30),
        leaf("满意度指标", "参训人员满意度", "≥90%", "95%", weight=10, score=10),
    ])
APPROVED = Sheet(kind="project", stage="approval", indicators=[
    leaf("产出指标", "培训合格率", "≥98%"), leaf("产出指标", "培训人次", "≥500人次"),
    leaf("效益指标", "政策知晓率", "≥90%"), leaf("满意度指标", "参训人员满意度", "≥90%"),
    leaf("效益指标", "带动就业", "≥50人")])


@pytest.fixture
def sheet_file(tmp_path):
    p = tmp_path / "自评.json"
    p.write_text(dumps(SELF_EVAL), encoding="utf-8")
    return str(p)


def test_text_view(sheet_file, capsys):
    assert run(["score", sheet_file]) == 0
    out = capsys.readouterr().out
    assert "自评复算: 2023年农民培训项目支出绩效自评表" in out
    assert "实际 92% / 目标 95% × 20 分 = 19.37 分" in out
    assert "分值 20  自评 20  复算 19.37  差 +0.63" in out
    assert "全年执行数 86 万元 / 全年预算数 100 万元 = 执行率 86.00%" in out
    assert "预算执行  分值 10  自评 10  复算 8.6  差 +1.4" in out
    assert "虚报迹象 [SC-COPIED-ACTUAL]" in out and "虚报迹象 [SC-FULL-ON-TEXT]" in out
    # 19.37 + 30 + 0 (text actual) + 10 + 8.6 = 67.97 against a claimed 100
    assert "总分: 自评 100  复算 67.97  差 +32.03   等级: 自评 优  复算 中" in out
    assert "虚报迹象 5 处" in out


def test_json_view(sheet_file, capsys):
    assert run(["score", sheet_file, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= {"indicators", "execution", "total", "grade", "functions", "flags"}
    first = data["indicators"][0]
    assert {"where", "name", "weight", "claimed", "recomputed", "derivation", "flags"} <= set(first)
    assert (first["where"], first["name"], first["weight"], first["claimed"], first["recomputed"]) == \
        ("indicators[0]", "培训合格率", 20, 20, 19.37)
    assert data["indicators"][2]["recomputed"] is None         # "达成预期指标" for a number
    assert data["execution"]["claimed"] == 10 and data["execution"]["recomputed"] == 8.6
    assert data["total"] == {"claimed": 100, "recomputed": 67.97}
    assert data["grade"] == {"claimed": "优", "recomputed": "中"}
    assert [f["code"] for f in data["flags"]] == ["SC-TOTAL-ABOVE"]


def test_approved_sheet(sheet_file, tmp_path, capsys):
    approved = tmp_path / "批复.json"
    approved.write_text(dumps(APPROVED), encoding="utf-8")
    assert run(["score", sheet_file, "--approved", str(approved), "-f", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    first = data["indicators"][0]
    assert first["recomputed"] == 18.78                         # 92 / 98 × 20
    assert "SC-TARGET-CHANGED" in [f["code"] for f in first["flags"]]
    assert any(f["code"] == "SC-APPROVED-MISSING" and "带动就业" in f["message"] for f in data["flags"])


def test_profile_scoring_table(sheet_file, tmp_path, capsys):
    profile = tmp_path / "p.toml"
    profile.write_text("[scoring.execution]\ndecimals = 0\n", encoding="utf-8")
    assert run(["score", sheet_file, "--profile", str(profile), "-f", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["execution"]["recomputed"] == 9   # 8.6 → 9


@pytest.mark.parametrize("text, message", [
    ("[scoring]\nreverse = \"cubic\"\n", "键 scoring.reverse"),
    ("[scoring\n", "TOML 语法错误"),
])
def test_bad_profile_exits_2(sheet_file, tmp_path, capsys, text, message):
    profile = tmp_path / "p.toml"
    profile.write_text(text, encoding="utf-8")
    assert run(["score", sheet_file, "-p", str(profile)]) == 2
    assert message in capsys.readouterr().err


def test_missing_profile_exits_2(sheet_file, tmp_path, capsys):
    assert run(["score", sheet_file, "-p", str(tmp_path / "none.toml")]) == 2
    assert "文件不存在" in capsys.readouterr().err


def test_a_sheet_without_results_exits_2(tmp_path, capsys):
    p = tmp_path / "批复.json"
    p.write_text(dumps(APPROVED), encoding="utf-8")
    assert run(["score", str(p)]) == 2
    assert "不是自评表" in capsys.readouterr().err


def test_missing_file_exits_2(tmp_path, capsys):
    assert run(["score", str(tmp_path / "nothing.json")]) == 2
    assert "错误" in capsys.readouterr().err


def test_department_functions_in_the_text_view(tmp_path, capsys):
    from jixiao.model.sheet import Function

    sheet = Sheet(kind="department", stage="self_evaluation", functions=[
        Function("职能1", "党务", [leaf("产出指标", "会议", "≥4次", "4次", score=50)]),
        Function("职能2", "民政", [leaf("效益指标", "知晓率", "≥90%", "45%")])])
    p = tmp_path / "d.json"
    p.write_text(dumps(sheet), encoding="utf-8")
    assert run(["score", str(p)]) == 0
    out = capsys.readouterr().out
    assert "各职能小计" in out
    assert "职能1: 分值 50  自评 50  复算 50  得分率 100%  等级 优" in out
    # no satisfaction: its 10 join 效益 → 40; 45/90 × 40 = 20
    assert "职能2: 分值 40  自评 —  复算 20  得分率 50%  等级 差" in out


def test_a_real_text_self_evaluation(shared_dir, capsys):
    # dev corpus 005: an Anhui 2022 自评表 as extracted text; the importer maps 实际完成值/分值/得分
    assert run(["score", str(shared_dir / "corpus" / "dev" / "raw" / "005.txt"), "-f", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["indicators"]) >= 5
    assert all(i["claimed"] is not None for i in data["indicators"])
    codes = {f["code"] for i in data["indicators"] for f in i["flags"]}
    assert "SC-FULL-ON-QUALITATIVE" in codes          # "达成预期指标" with full marks


def test_an_xlsx_self_evaluation(tmp_path, capsys):
    # the grid importer maps 实际完成值 / 分值 / 得分 onto actual / weight / score
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["项目支出绩效自评表(2023年度)"], ["项目名称", "农民培训项目"],
                ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
                ["产出指标", "数量指标", "培训人次", "≥500人次", "450人次", 30, 30],
                ["产出指标", "质量指标", "培训合格率", "≥95%", "92%", 20, 20],
                ["效益指标", "社会效益指标", "政策知晓率", "≥90%", "达成预期指标", 30, 30],
                ["满意度指标", "服务对象满意度指标", "参训人员满意度", "≥90%", "95%", 10, 10]):
        ws.append(row)
    path = tmp_path / "自评.xlsx"
    wb.save(path)
    assert run(["score", str(path), "-f", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [i["recomputed"] for i in data["indicators"]] == [27, 19.37, None, 10]   # 450/500×30, 92/95×20
    assert data["total"] == {"claimed": 90, "recomputed": 56.37}
    assert data["grade"] == {"claimed": "优", "recomputed": "差"}
