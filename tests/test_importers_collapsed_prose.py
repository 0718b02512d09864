"""Self-evaluation forms whose whitespace was lost and whose 三级 cells hold prose.

Some 项目支出绩效自评表 print the weight before the target (三级 | 分值 | 指标值(A) |
全年实际值(B) | 得分计算方法 | 得分 | 未完成原因分析), so the numbers of a row fuse
into one digit run (``2010010020`` = 20 | 100 | 100 | 20); their 三级 cells hold
sentences with numbers inside, ending at a comma before that run (``…共计3875人
(涉及11个乡镇),…于2022年12月底前发放完毕,2010010020``), or a money amount
(``38.75万元``); the 二级 labels carry notes (``数量指标(必填硬性指标)``), the 一级
labels subtotals (``产出指标(40分)``), the 得分 is often 分值 × 实际值 / 指标值, a
未完成原因 cell follows with more numbers, and the page may stop mid-row.

``prose_form`` writes such forms at three levels (1: names with notes on the labels;
2: prose names ending at a comma; 3: prose, money names, reasons, a text cut short).
"""
from __future__ import annotations

import random

import pytest
from sheet_score import score

from jixiao.errors import NoIndicatorTable
from jixiao.importers.formats.text import import_text
from jixiao.model.codec import sheet_to_dict

_PLACES = ["原州区", "彭阳县", "西吉县", "隆德县", "泾源县", "海原县", "同心县", "盐池县"]
_TOWNS = ["北塬街道办", "三营镇", "开城镇", "张易镇", "官厅镇", "中河乡", "河川乡", "寨科乡"]
_GOODS = ["边销茶", "慰问米面油", "取暖煤", "助学金", "种羊", "化肥", "饲草料", "冬衣"]
_PEOPLE = ["监测帮扶对象", "脱贫户", "低保户", "特困供养人员", "残疾人", "留守儿童"]
_SHORT_NAMES = {
    "数量指标": ["发放对象人数", "补助户数", "培训人次"], "质量指标": ["资金发放准确率", "物资验收合格率"],
    "时效指标": ["资金拨付及时率", "按期完成率"], "社会效益指标": ["群众生活条件改善情况", "受益人口数"],
    "可持续影响指标": ["长效机制建立情况"], "服务对象满意度指标": ["受益群众满意度", "服务对象满意度"],
}
_NOTES = ["", "(必填)", "(必填硬性指标)", "(选填)", "(必填项)"]


def _prose(rng: random.Random, level2: str) -> str:
    """A 三级 cell written as a sentence with numbers inside (several clauses)."""
    n = rng.randint(300, 9000)
    done = rng.randint(n // 2, n - 1)
    place, town, goods, people = (rng.choice(x) for x in (_PLACES, _TOWNS, _GOODS, _PEOPLE))
    year, month = rng.choice([2021, 2022, 2023]), rng.randint(6, 12)
    clauses = {
        "数量指标": [f"针对{place}{people}共计{n}人(涉及{town}和{rng.randint(3, 15)}个乡镇)",
                 f"发放{goods}目标人群是{n}人", f"目前已发放{goods}目标人群{done}人",
                 f"剩余{n - done}人于{year}年{month}月底前发放完毕"],
        "质量指标": [f"按照{place}{goods}发放实施方案", f"严格审核{people}{n}户的申报资料",
                 f"抽查{rng.randint(2, 30)}个村的发放台账", "发放准确无误"],
        "时效指标": [f"确定于{year}年{month}月底前", f"完成{goods}的采购和发放",
                 f"截至{month}月已完成{rng.randint(60, 99)}%"],
        "社会效益指标": [f"通过发放{goods}", f"保障{people}{n}人的基本生活", "切实减轻困难群众负担"],
    }.get(level2, [f"围绕{goods}发放开展回访{rng.randint(2, 9)}次", f"走访{people}{n}人",
                   "群众普遍反映良好"])
    k = rng.randint(2, len(clauses))
    return ",".join(clauses[:k])


def _row(rng: random.Random, level: int, level2: str, weight: int) -> tuple[str, str, str, str]:
    """(name, target, actual, score) of one row as the form prints them."""
    if level2 == "成本指标":
        budget = round(rng.uniform(5, 90), rng.choice([0, 1, 2]))
        spent = round(budget * rng.uniform(0.75, 0.99), 1) if level >= 3 and rng.random() < 0.6 else budget
        score = round(weight * spent / budget, 2)
        name = f"{budget:g}万元" if level >= 3 else rng.choice(["项目总成本", "人均补助标准"])
        return name, f"{budget:g}", f"{spent:g}", f"{score:g}"
    if level >= 2 and level2 in ("数量指标", "质量指标", "时效指标", "社会效益指标") and rng.random() < 0.8:
        name = _prose(rng, level2)
    else:
        name = rng.choice(_SHORT_NAMES.get(level2, ["综合效益情况"]))
    target = rng.choice(["100", "100", "≥95%", "≥90%"] if "满意度" in level2 else ["100", "100", "100%", "≥98%"])
    actual = target if rng.random() < 0.8 else ("96" if target == "100" else target)
    if actual != target and target == "100":
        score = round(weight * 96 / 100, 2)
    else:
        score = weight if rng.random() < 0.8 else round(weight * rng.uniform(0.8, 0.99), 2)
    return name, target, actual, f"{score:g}"


_BLOCKS = [("产出指标", ["数量指标", "质量指标", "时效指标", "成本指标"]),
           ("效益指标", ["社会效益指标", "可持续影响指标"]), ("满意度指标", ["服务对象满意度指标"])]


def prose_form(seed: int, level: int, cut: bool = False) -> tuple[str, dict]:
    """(text, gold) of a whitespace-lost self-evaluation form with the weight first."""
    rng = random.Random(seed)
    project = f"{rng.randint(2021, 2024)}年{rng.choice(_PLACES)}{rng.choice(_GOODS)}发放项目"
    unit = f"{rng.choice(_PLACES)}民族宗教事务局"
    amount = round(rng.uniform(10, 99), 2)
    funding = f"{project}{amount:g}万元(少数民族发展资金{amount - 1:g}万元,中央衔接资金1万元)"
    head = (f"现将{project}绩效目标自评表公示如下:项目支出绩效自评表({project[:4]}年度)项目名称{project}"
            f"主管部门及代码{unit}{rng.randint(10**17, 10**18 - 1)}实施单位{unit}项目资金(万元)年初预算数全年执行数"
            f"年度资金总额:{amount:g}万元" + funding * rng.choice([1, 3]) + f"年度总体目标通过实施{project},"
            "绩效指标一级指标二级指标三级指标分值指标值(A)全年实际值(B)得分计算方法得分未完成原因分析")
    subtotals = dict(zip([b for b, _ in _BLOCKS], rng.choice([(40, 40, 20), (50, 30, 20), (60, 30, 10)])))
    body, gold = [], []
    for level1, level2s in _BLOCKS:
        chosen = [x for x in level2s if x == "成本指标" and level >= 3 or rng.random() < 0.7] or level2s[:1]
        cuts = sorted(rng.sample(range(1, subtotals[level1] // 5), len(chosen) - 1)) if len(chosen) > 1 else []
        weights = [5 * (b - a) for a, b in zip([0, *cuts], [*cuts, subtotals[level1] // 5])]
        body.append(f"{level1}({subtotals[level1]}分)")
        for level2, weight in zip(chosen, weights):
            name, target, actual, score_ = _row(rng, level, level2, weight)
            reason = ""
            if level >= 3 and score_ != f"{weight:g}":
                reason = f"{rng.randint(2020, 2023)}年底初步预算资金{rng.randint(20, 60)}.{rng.randint(1, 9)}万元,部分资金未拨付,"
            note = rng.choice(_NOTES)
            ending = "," if "," in name else ""
            body.append(f"{level2}{note}{name}{ending}{weight}{target}{actual}{score_}{reason}")
            gold.append({"level1": level1, "level2": level2, "name": name, "target": target,
                         "weight": weight, "actual": actual, "score": float(score_)})
    text = head + "".join(body)
    if cut:
        # the page stops inside the last row's name: that row is no indicator
        last = body[-1]
        text = text[: len(text) - len(last) + len(last) // 3]
        gold.pop()
    else:
        text += "总分100"
    return text, {"indicators": gold}


def _read(text: str) -> list[dict]:
    return sheet_to_dict(import_text(text))["indicators"]


def _f1(text: str, gold: dict) -> float:
    try:
        return score(gold, sheet_to_dict(import_text(text)))["f1"]
    except NoIndicatorTable:
        return 0.0


# -- one form as the real page prints it --------------------------------------------


def test_prose_names_money_names_and_fused_numbers_weight_first():
    text = ("项目支出绩效自评表(2023年度)项目名称某县慰问物资发放项目主管部门及代码某县民政局116422210101621779"
            "实施单位某县民政局项目资金(万元)年初预算数全年执行数年度资金总额:52.5万元"
            "绩效指标一级指标二级指标三级指标分值指标值(A)全年实际值(B)得分计算方法得分未完成原因分析"
            "产出指标(50分)数量指标(必填硬性指标)针对全县低保户共计1260户(涉及6个乡镇),发放慰问物资1260户,"
            "目前已发放1180户,剩余80户于2023年12月底前发放完毕,3010010030"
            "时效指标(必填)确定于2023年12月底前发放完毕1010010010"
            "成本指标(必填硬性指标)52.5万元1052.549.39.39部分物资2023年底前未采购到位,"
            "满意度指标(50分)服务对象满意度指标(必填)受益群众满意度50≥95%≥95%50总分99.39")
    got = [(i["level2"], i["name"], i["weight"], i["target"]["text"], i["actual"]["text"], i["score"])
           for i in _read(text)]
    assert got == [
        ("数量指标", "针对全县低保户共计1260户(涉及6个乡镇),发放慰问物资1260户,目前已发放1180户,"
                  "剩余80户于2023年12月底前发放完毕", 30, "100", "100", 30),
        ("时效指标", "确定于2023年12月底前发放完毕", 10, "100", "100", 10),
        ("成本指标", "52.5万元", 10, "52.5", "49.3", 9.39),
        ("服务对象满意度指标", "受益群众满意度", 50, "≥95%", "≥95%", 50),
    ]


@pytest.mark.xfail(strict=True, reason="known limitation: the beam (3 states per position and column) drops "
                   "the 10|24.6 cut after a money-amount name before the score (8.98 = 10 × 22.1 / 24.6) can confirm it")
def test_a_text_cut_after_a_dear_row_keeps_the_rows_its_subtotal_confirms():
    # the 成本 row reads dearly (a name that is an amount, a long 原因 cell) but 20 + 10 + 10 = 40;
    # the page stops inside the next block's first row
    text = ("项目支出绩效自评表一级指标二级指标三级指标分值指标值(A)全年实际值(B)得分未完成原因分析"
            "产出指标(40分)数量指标(必填)培训农村妇女共计850人次,分3期在6个乡镇开展,2010010020"
            "质量指标(必填)培训合格率10100%100%10成本指标(必填)24.6万元1024.622.18.98备注:2022年底结余资金2.5万元,"
            "效益指标(40分)社会效益指标(必填)带动妇女就业增收")
    sheet = import_text(text)
    got = [(i.level2, i.name, i.weight, i.target.text) for i in sheet.indicators]
    assert got == [("数量指标", "培训农村妇女共计850人次,分3期在6个乡镇开展", 20, "100"),
                   ("质量指标", "培训合格率", 10, "100%"), ("成本指标", "24.6万元", 10, "24.6")]
    assert any(d.code == "IMPORT_TABLE_INCOMPLETE" for d in sheet.diagnostics)


def test_an_empty_weight_first_template_is_still_refused():
    text = ("项目支出绩效自评表一级指标二级指标三级指标分值指标值(A)全年实际值(B)得分未完成原因分析"
            "产出指标(40分)数量指标(必填硬性指标)质量指标(必填)时效指标(必填)成本指标(必填硬性指标)"
            "效益指标(40分)社会效益指标(必填)满意度指标(20分)服务对象满意度指标(必填)")
    with pytest.raises(NoIndicatorTable):
        import_text(text)


# -- generated forms ------------------------------------------------------------------


@pytest.mark.parametrize("level,floor", [(1, 0.9), (2, 0.85), (3, 0.8)])
def test_generated_prose_forms_read_back(level, floor):
    f1s = [_f1(*prose_form(9100 + seed, level)) for seed in range(12)]
    assert sum(f1s) / len(f1s) >= floor, (level, f1s)


def test_generated_prose_forms_cut_short_read_back():
    f1s = [_f1(*prose_form(9300 + seed, 3, cut=True)) for seed in range(12)]
    assert sum(f1s) / len(f1s) >= 0.75, f1s
