"""Collapsed scorecards (issue 12, real excerpts 029 and 033): generated forms of the two
instruments printed with all whitespace lost, at several noise levels, and the pieces
of the reading (scrambled words, page markers, the ≥ look-alike before a count).

- the graded-standard table: 绩效指标分类 | 绩效指标 | 绩效指标描述 | 绩效指标评价标准
  (优 良 中 差) | 评价标准确定依据 — the 优 value is the target, the grades the criteria;
- the flat departmental scorecard: 指标名称 | 计量单位 | 指标性质 | 年初指标值 | 调整指标值 |
  全年完成值 | 得分系数(%) | 指标权重(分) | 指标得分(分) | 是否核心指标.
"""
from __future__ import annotations

import random

import pytest

from jixiao.importers.formats import scorecard
from jixiao.importers.formats.text import import_text
from jixiao.importers.recover.operators import repair

# -- the graded-standard table ------------------------------------------------------

GRADED_ROWS = {
    "产出指标": [
        ("救助覆盖率", "困难群众基本生活救助是否应救尽救"),
        ("资金发放及时率", "救助资金按月足额发放到户的比例"),
        ("农村低保救助资金按标准发放的比率", "救助标准与经济社会发展水平相适应,救助资金按标准发放的比率"),
        ("特困人员集中供养率", "有集中供养意愿的特困人员全部集中供养"),
        ("临时救助对象审核准确率", "临时救助对象经入户调查核实无误的比率"),
    ],
    "效果指标": [
        ("救助对象对救助工作满意度(%)", "问卷调查中,满意和较满意的救助对象数量占调研对象总数的比率"),
        ("群众基本生活保障水平", "困难群众的基本生活得到有效保障的程度"),
        ("社会救助政策知晓率", "抽查对象中知晓救助政策的人数占抽查总人数的比率"),
    ],
}
BASES = ("按临时救助标准评价", "按服务对象满意度评价", "按省级考核办法评价", "依据年度工作方案")
GRADED_HEAD = "绩效指标分类绩效指标绩效指标描述绩效指标评价标准评价标准确定依据优良中差"
LEVEL1 = {"产出指标": "产出指标", "效果指标": "效益指标"}


def _grades(rng: random.Random) -> list[str]:
    top = rng.choice((100, 98, 95, 90, 85))
    out = [top]
    for _ in range(3):
        out.append(max(out[-1] - rng.choice((0, 5, 10, 15)), 50))
    return [f"{v}%" for v in out]


def graded_form(seed: int, *, scramble: bool = False, pages: bool = False, truncate: bool = False
                ) -> tuple[str, list[dict]]:
    """(text, expected indicators) of a graded-standard table without whitespace."""
    rng = random.Random(seed)
    cells, expected = [], []
    for label, pool in GRADED_ROWS.items():
        picked = rng.sample(pool, rng.randint(1, min(3, len(pool))))
        for i, (name, desc) in enumerate(picked):
            grades, basis = _grades(rng), rng.choice(BASES)
            cells.append((label if i == 0 else "") + name + desc + "".join(grades) + basis)
            expected.append({"level1": LEVEL1[label], "name": name, "target": grades[0], "explanation": desc,
                             "criteria": "、".join(g + v for g, v in zip("优良中差", grades)), "basis": basis})
    head = GRADED_HEAD
    if scramble:
        head = head.replace("绩效指标描述", "指效绩标描述")  # an OCR'd heading whose characters moved
    title = (f"{rng.choice(('邯财社', '冀财社', '石财社'))}{rng.randint(2018001, 2018999)}号"
             "提前下达2019年困难群众救助补助预算指标绩效目标表")
    goal = "绩效目标保障农村低保金的发放,保障农村低保户的基本生活"
    body = "".join(cells)
    if truncate:
        body += "社会救助工作知晓"[: rng.randint(3, 8)]  # the next row cut inside its name
    text = title + goal + head + body
    if pages:  # a document preview: page list and site text before, page numbers inside the table
        cut = len(title) + len(goal) + len(head) + len(body) // 2
        text = ("2019年预算项目绩效目标_第1页\n2019年预算项目绩效目标_第2页\n付费下载\n\n文档简介\n\n1、"
                + text[:cut] + "\n\n2、" + text[cut:])
    return text, expected


# -- the flat scorecard -------------------------------------------------------------

SCORE_ROWS = [  # name, unit, nature, target, actual
    ("财政供养人员控制率", "%", "定量指标", "100%", "92%"),
    ("基础信息完善", "%", "", "100%", "100%"),
    ("预算完成率", "%", "", "70%", "76%"),
    ("预算调整率", "%", "", "3%", "0"),
    ("政府采购执行率", "%", "", "100%", "72.74%"),
    ("管理制度健全性", "", "定性指标", "高", "高"),
    ("资金使用合规性", "", "", "好", "好"),
    ("预决算信息公开性", "", "", "高", "高"),
    ("固定资产利用率", "%", "定量指标", "90%", "100%"),
    ("党性教育培训次数", "次", "", "6次", "12次"),
    ("组织宣传活动次数", "次", "", "40次", "43次"),
    ("播发稿件数量", "篇", "", "2200篇", "2859篇"),
    ("业务保障能力提升", "%", "", "90%", "95%"),
    ("“三公经费变动率", "%", "", "", ""),
]
SCORE_HEAD = ["指标名称", "计量单位", "指标性质", "年初指标值", "调整指标值", "全年完成值", "得分系数(%)",
              "指标权重(分)", "指标得分(分)", "是否核心指标"]


def scorecard_form(seed: int, *, scramble: bool = False, pages: bool = False, truncate: bool = False,
                   varied: bool = False) -> tuple[str, list[dict]]:
    """(text, expected indicators) of a flat departmental scorecard without whitespace;
    ``varied``: coefficients below 100% (得分 = 权重 × 系数) and 调整指标值 cells repeating
    the target."""
    rng = random.Random(seed)
    rows = rng.sample(SCORE_ROWS, rng.randint(6, 10))
    cells, expected = [], []
    for name, unit, nature, target, actual in rows:
        weight = rng.choice((1, 2, 2, 3, 5, 10))
        coef = rng.choice((100, 100, 80, 50)) if varied else 100
        adjusted = target if varied and target and rng.random() < 0.3 else ""
        score = weight * coef / 100
        if scramble and nature == "定性指标":
            nature = "性标定指"
        cells.append(f"{name}{unit}{nature}{target}{adjusted}{actual}{coef}%{weight}{score:g}{rng.choice('是否')}")
        expected.append({"level1": None, "name": name, "target": target or None, "actual": actual or None,
                         "weight": weight, "score": score})
    head = list(SCORE_HEAD)
    if scramble:
        head[5] = "年成值全完值"  # 全年完成值 with its characters scrambled (and one doubled)
        head[1] = "位计单量"      # 计量单位
    lead = ("部门整体绩效自评表主管部门财政处室自评总分(分)97.6当年绩效目标年初绩效目标通过整合各级各类媒体营造良好氛围。")
    body = "".join(cells)
    if truncate:
        body += "公共服务"  # the next row cut after its first characters
    text = lead + "".join(head) + body
    if pages:
        parts = [text[i: i + 120] for i in range(0, len(text), 120)]
        text = "《部门整体绩效自评表.docx》由会员分享,可在线阅读\n" + "\n".join(f"{i + 1}、{p}" for i, p in enumerate(parts))
    return text, expected


def _check(text: str, expected: list[dict], truncated: bool) -> None:
    sheet = import_text(text)
    got = [ind for _, ind in sheet.all_indicators()]
    assert [i.name for i in got] == [e["name"] for e in expected]
    for ind, e in zip(got, expected):
        assert (ind.target.text if ind.target else None) == e["target"], ind.name
        assert ind.level1 == e["level1"] and ind.level2 is None, ind.name
        for key in ("explanation", "criteria", "basis", "weight", "score"):
            if key in e:
                assert getattr(ind, key) == e[key], (ind.name, key)
        if "actual" in e:
            assert (ind.actual.text if ind.actual else None) == e["actual"], ind.name
    codes = {d.code for d in sheet.diagnostics}
    assert ("IMPORT_TABLE_INCOMPLETE" in codes) == truncated


NOISE = {"clean": {}, "scrambled": {"scramble": True}, "pages": {"pages": True}, "truncated": {"truncate": True},
         "all": {"scramble": True, "pages": True, "truncate": True}}
SCORECARD_NOISE = {**NOISE, "varied": {"varied": True},
                   "varied_all": {"varied": True, "scramble": True, "pages": True, "truncate": True}}


@pytest.mark.parametrize("noise", NOISE)
@pytest.mark.parametrize("seed", range(6))
def test_graded_standard_table_collapsed(noise: str, seed: int) -> None:
    text, expected = graded_form(100 + seed, **NOISE[noise])
    _check(text, expected, NOISE[noise].get("truncate", False))


@pytest.mark.parametrize("noise", SCORECARD_NOISE)
@pytest.mark.parametrize("seed", range(6))
def test_flat_scorecard_collapsed(noise: str, seed: int) -> None:
    text, expected = scorecard_form(200 + seed, **SCORECARD_NOISE[noise])
    _check(text, expected, SCORECARD_NOISE[noise].get("truncate", False))


def test_scrambled_words_are_reported() -> None:
    text, _ = scorecard_form(7, scramble=True)
    sheet = import_text(text)
    messages = [d.message for d in sheet.diagnostics if d.code == "IMPORT_WORD_SCRAMBLED"]
    assert any("年成值全完值" in m and "全年完成值" in m for m in messages)
    if "性标定指" in text:
        assert any("性标定指" in m and "定性指标" in m for m in messages)


def test_flat_scorecard_has_no_levels_and_says_so() -> None:
    sheet = import_text(scorecard_form(3)[0])
    assert all(ind.level1 is None and ind.level2 is None for _, ind in sheet.all_indicators())
    assert "IMPORT_LEVELS_ABSENT" in {d.code for d in sheet.diagnostics}
    assert "STRUCT_LEVEL2_INFERRED" not in {d.code for d in sheet.diagnostics}


# -- the pieces -----------------------------------------------------------------------

def test_scrambled_matches_by_characters() -> None:
    words = ("全年完成值", "计量单位", "指标性质")
    assert scorecard.scrambled("年成值全完值", words) == "全年完成值"   # one character more
    assert scorecard.scrambled("性标定指", ("定性指标", "定量指标"), 0) == "定性指标"
    assert scorecard.scrambled("全年完成值", words) is None              # as written: nothing to repair
    assert scorecard.scrambled("年成值全完值", words, 0) is None
    assert scorecard.scrambled("完成值", ("完成值",)) is None             # short words are never guessed
    assert scorecard.scrambled("年初预算数", words) is None


def test_scrambled_at_needs_a_permutation() -> None:
    assert scorecard.scrambled_at("高高性标定指高", 2, 7, scorecard.NATURE_WORDS) == [(6, "定性指标")]
    assert scorecard.scrambled_at("定性指标", 0, 4, scorecard.NATURE_WORDS) == []


def test_page_markers_are_a_numbered_sequence() -> None:
    lines = ["1、部门整体绩效自评表", "中间", "2、双城经济圈", "3、预决算信息"]
    assert scorecard.page_marker_lines(lines) == {2, 3}
    assert scorecard.page_marker_lines(["1、只有一个", "正文"]) == set()
    assert scorecard.page_marker_lines(["2、不从一开始", "3、也不算"]) == set()
    assert scorecard.strip_marker("2、意度评价") == "意度评价"


def test_criteria_text() -> None:
    assert scorecard.criteria(["100%", "90%", "85%", "85%"]) == "优100%、良90%、中85%、差85%"
    assert scorecard.criteria(["100%", None, "", "60%"]) == "优100%、差60%"
    assert scorecard.criteria([None, None, None, None]) is None
    assert scorecard.expand(["level1", "name", "explanation", "grades", "basis", "subheads"]) == \
        ["level1", "name", "explanation", "target", "grade", "grade", "grade", "basis"]


@pytest.mark.parametrize(("value", "name", "actual", "full", "read"), [
    ("26次", "党性教育培训次数", "12次", True, "≥6次"),     # 26 is refuted by 12 at full marks; ≥6 is met
    ("26次", "党性教育培训次数", "12次", False, "26次"),    # no full marks: nothing says 26 is wrong
    ("26次", "党性教育培训次数", "30次", True, "26次"),     # 30 meets 26 as written
    ("26次", "党性教育培训次数", "4次", True, "26次"),      # 4 meets neither reading
    ("26次", "党性教育培训次数", "12篇", True, "26次"),     # another unit
    ("25次", "安全事故次数", "3次", True, "25次"),          # a count kept low: ≤ more likely than ≥
    ("220篇", "播发稿件数量", "100篇", True, "≥20篇"),
    ("2200篇", "播发稿件数量", "2859篇", True, "2200篇"),
])
def test_two_before_a_count(value: str, name: str, actual: str, full: bool, read: str) -> None:
    got, how, _ = repair(value, name, actual, full)
    assert got == read
    assert (how == "guess") == (read != value)


def test_two_before_a_percentage_unchanged() -> None:
    assert repair("292%", "验收合格率")[0] == "≥92%"
    assert repair("25%", "结转结余率", "3%", True)[0] == "25%"
