"""投入不是结果: money, staff and budget execution are inputs (R18), and cost targets fit the
money available (R17)."""
from __future__ import annotations

import unicodedata

from ...model.indicator import COST2, ECO_COST, ECON_COST, ECONOMIC, EFFECT, OUTPUT, QUANTITY, SATISFACTION, SOCIAL_COST
from ..registry import BASIC, Example, cost, project, qty, rule

_COST_L2 = frozenset((COST2, ECON_COST, SOCIAL_COST, ECO_COST))
_RESULT_L1 = frozenset((OUTPUT, EFFECT, SATISFACTION))


@rule("R18", "error", title="把投入当作产出或效果",
      checks="资金金额 (以元、万元计) 不能作为数量、质量、时效、社会效益、生态效益、可持续影响或满意度指标; "
             "资金到位率、预算执行率、资金拨付率等不能作为产出或效益指标。经济效益中的增收、产值、节约资金等, "
             "以及成本指标中的金额不受此限。",
      why="绩效目标考核花钱办成了什么, 而不是花了多少钱; 预算执行率在自评中单独计 10 分, 再作为指标就重复计分"
          " (财预〔2020〕10号)。",
      fails=Example(project(*BASIC, qty("享受人大补助", "=60元"))),
      passes=Example(project(*BASIC, cost("人大代表补助标准", "=60元/人"), qty("享受人大补助人数", "=41人"))))
def input_as_result(ctx):
    for it in ctx.items:
        if it.l1 not in _RESULT_L1 or it.l2 in _COST_L2:
            continue
        t = it.t
        if it.family == "money" and not (it.l2 == ECONOMIC or (it.l1 == EFFECT and "econ_result" in it.kinds)):
            yield ctx.at(it, "target",
                         f"“{it.name}”的指标值“{t.text}”是资金金额, 放在“{it.ind.level1}/{it.ind.level2}”下: 投入的资金不是产出或效果",
                         "资金金额属于投入: 移到成本指标下 (如“补助标准 =60元/人”), 或改为这笔钱带来的产出 (如“享受补助人数 =41人”)")
        elif "fund_rate" in it.kinds and it.l1 in (OUTPUT, EFFECT):
            yield ctx.at(it, "name",
                         f"“{it.name}”衡量的是预算执行, 放在“{it.ind.level1}/{it.ind.level2}”下: 资金执行不是产出或效果",
                         "删除该指标 (预算执行率在自评中单独计分), 改用资金带来的产出或效果")


@rule("V-INPUT-STAFF", "warning", title="把在职人员数当作产出", refines="R18",
      checks="在职人数、编制人数、临聘人数、干部职工人数等是投入的人力, 不宜作为产出或效益指标。",
      why="养了多少人不是履职的结果; 应考核这些人完成了什么 (办件量、服务人次、覆盖率)。",
      fails=Example(project(*BASIC, qty("临聘人数", "=5人"))),
      passes=Example(project(*BASIC, qty("便民服务中心办件量", "≥3000件"))))
def staff_as_output(ctx):
    for it in ctx.items:
        if "staff" in it.kinds and it.l1 in (OUTPUT, EFFECT) and it.l2 not in _COST_L2 \
                and it.family in ("count", None):
            shown = f"(指标值“{it.t.text}”)" if it.t is not None else ""
            yield ctx.at(it, "name", f"“{it.name}”{shown}是在职人员数量, 属于投入而不是产出",
                         "改为这些人员的工作成果, 如服务人次、办结件数、覆盖村(社区)数")


def _wan_yuan(value: float, unit: str) -> float | None:
    """An amount in 万元, for units that are plain money (not per-unit)."""
    u = unicodedata.normalize("NFKC", unit).strip()
    return {"万元": value, "元": value / 10000, "亿元": value * 10000, "千元": value / 10}.get(u)


@rule("R17", "warning", title="成本指标与资金不匹配",
      checks="成本指标、经济成本指标以金额或成本控制率计; 单项金额不超过年度资金总额; 单位成本 × 对应数量不超过"
             "年度资金总额。",
      why="成本目标要与预算相匹配 (适当性); 单项成本超过全年资金, 不是单位写错, 就是把多年总投资当成了年度成本"
          "——多年期项目可能确有此情况, 故只作警告。",
      needs="金额比较只在表头有年度资金总额时进行。",
      fails=Example(project(*BASIC, cost("培训成本", "≤120万元"), funds={"total": 50.0})),
      passes=Example(project(*BASIC, cost("培训成本", "≤45万元"), funds={"total": 50.0})))
def cost_fits_budget(ctx):
    funds = ctx.sheet.funds if isinstance(ctx.sheet.funds, dict) else {}
    total = funds.get("total")
    total = total if isinstance(total, (int, float)) and not isinstance(total, bool) and total > 0 else None
    counts: dict[str, float] = {}
    for it in ctx.items:
        t = it.t
        if it.l2 == QUANTITY and it.family == "count" and t is not None and t.value is not None:
            u = unicodedata.normalize("NFKC", t.unit or "")
            counts[u] = max(counts.get(u, 0.0), t.value)
    for it in ctx.items:
        t = it.t
        if it.l2 not in (COST2, ECON_COST) or t is None or t.value is None:
            continue
        # In the 2021 regime R4 already asks 经济成本 to be money; do not say it twice.
        if it.family not in ("money", "percent", None) and not (ctx.regime == "2021" and it.l2 == ECON_COST):
            yield ctx.at(it, "target", f"成本指标“{it.name}”的指标值“{t.text}”不是金额",
                         "成本以元或万元计, 如“≤30万元”“≤300元/人”; 控制类指标用“成本控制率 ≤100%”")
            continue
        if total is None or it.family != "money":
            continue
        amount = _wan_yuan(t.value, t.unit or "")
        if amount is not None and amount > total * 1.0001:
            yield ctx.at(it, "target", f"成本“{it.name}”的指标值“{t.text}”超过年度资金总额“{total:g}”万元",
                         "核对金额单位 (元/万元) 与口径: 年度目标只计本年度资金")
            continue
        money_part, _, per = unicodedata.normalize("NFKC", t.unit or "").partition("/")
        scale = {"元": 1 / 10000, "万元": 1.0}.get(money_part)
        n = counts.get(per) or (counts.get("人次") if per == "人" else None)
        if scale and per and n and t.value * scale * n > total * 1.0001:
            yield ctx.at(it, "target",
                         f"单位成本“{it.name} {t.text}”乘以数量 {n:g}{per}, 约 {t.value * scale * n:g} 万元, "
                         f"超过年度资金总额“{total:g}”万元",
                         "核对单位成本、数量和资金总额, 使三者相互匹配")
