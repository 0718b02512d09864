"""投入不是结果: money, staff and budget execution are inputs (R18), and cost targets fit the
money available (R17)."""
from __future__ import annotations

import re
import unicodedata

from ...model.indicator import COST2, ECO_COST, ECON_COST, ECONOMIC, EFFECT, OUTPUT, QUANTITY, SATISFACTION, SOCIAL_COST
from ...model.target import unit_family
from ..context import Hit, Item
from ..registry import BASIC, Example, cost, project, qty, rule

_COST_L2 = frozenset((COST2, ECON_COST, SOCIAL_COST, ECO_COST))
_RESULT_L1 = frozenset((OUTPUT, EFFECT, SATISFACTION))


@rule("R18", "error", title="把投入当作产出或效果", supersedes=("V-OP-MISSING",),
      checks="资金金额 (以元、万元计) 不能作为数量、质量、时效、社会效益、生态效益、可持续影响或满意度指标 (错误); "
             "资金到位率、预算执行率、资金拨付率等不能作为产出或效益指标 (警告: 删去即可)。经济效益中的增收、产值、节约资金等, "
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
        # 增收, 产值 … are money and results: misfiled under 产出 at worst (V-CATEGORY-FIT).
        if it.family == "money" and not (it.l2 == ECONOMIC or "econ_result" in it.kinds):
            # An error only where the name says it is budget money (补助, 经费 …): certain
            # enough to return the sheet; other amounts are warnings.
            certain = _BUDGET_MONEY.search(it.core) is not None
            # A small amount is a rate per head (60元 → 60元/人), a large one a total (60万元).
            total_amount = "万" in (t.unit or "") or "亿" in (t.unit or "")
            per = "" if "/" in (t.unit or "") or total_amount else "/人"
            subject = (_VERB.sub("", it.core) or it.core) + ("总额" if total_amount else "标准")
            yield Hit(f"{it.path}.target",
                      f"“{it.name}”的指标值“{t.text}”是资金金额, 放在“{it.ind.level1}/{it.ind.level2}”下: 投入的资金不是产出或效果",
                         f"资金金额属于投入: 作为成本指标 (如“{subject} {t.text.strip()}{per}”), 另设这笔资金带来的"
                      f"产出 (如享受{subject.removesuffix('总额').removesuffix('标准')}的人数或户数)",
                      it, it.fn, severity=None if certain else "warning")
        elif "fund_rate" in it.kinds and it.l1 in (OUTPUT, EFFECT):
            # Common and harmless enough to fix on the spot: a warning, not a reason to return.
            yield Hit(f"{it.path}.name",
                         f"“{it.name}”衡量的是预算执行, 放在“{it.ind.level1}/{it.ind.level2}”下: 资金执行不是产出或效果",
                         "删除该指标 (预算执行率在自评中单独计分), 改用资金带来的产出或效果", it, it.fn, severity="warning")


@rule("V-INPUT-STAFF", "warning", title="把在职人员数当作产出", refines="R18",
      checks="在职人数、编制人数、临聘人数、干部职工人数等是投入的人力, 不宜作为产出或效益指标。",
      why="养了多少人不是履职的结果; 应考核这些人完成了什么 (办件量、服务人次、覆盖率)。",
      fails=Example(project(*BASIC, qty("临聘人数", "=5人"))),
      passes=Example(project(*BASIC, qty("便民服务中心办件量", "≥3000件"))))
def staff_as_output(ctx):
    for it in ctx.items:
        if "staff" in it.kinds and it.l1 in (OUTPUT, EFFECT) and it.l2 not in _COST_L2 \
                and it.family in ("count", None) and not _WORK_ON_PEOPLE.search(_ROLE_NOUN.sub("", it.core)) \
                and not _PAID_TO.match(it.core) \
                and not (it.t is not None and (it.t.unit or "").strip() == "人次"):
            shown = f"(指标值“{it.t.text}”)" if it.t is not None else ""
            yield ctx.at(it, "name", f"“{it.name}”{shown}是在职人员数量, 属于投入而不是产出",
                         "改为这些人员的工作成果, 如服务人次、办结件数、覆盖村(社区)数")


_BUDGET = re.compile(r"(?:预算|资金|投资|经费|拨款)[^。;；,，:：]{0,14}?(\d+(?:\.\d+)?)\s*万元")


# Work done for people is an output even when they are staff: "培训基层干部 ≥300人次".
_WORK_ON_PEOPLE = re.compile(r"培训|培育|培养|参训|受训|慰问|走访|表彰|帮扶|考核|体检|轮训|教育|资助|奖励")
# "补助在岗乡村医生": the programme pays them, so they are whom it serves.
_PAID_TO = re.compile(r"(?:为|向|对)?(?:补助|补贴|资助|奖补|奖励|扶持|慰问|表彰|发放)")
# "服务人员", "教育工作者": the verb names the role, not work done for them.
_ROLE_NOUN = re.compile(r"(?:服务|教育|体检|考核)(?:人员|员|工作者)"
                        # a verb that names a place or body, not work on the people: "帮扶车间管理人员"
                        r"|(?:帮扶|扶贫|服务|培训|教育|考核)(?:车间|基地|中心|站|点|企业|合作社|机构|学校)")
_TOTAL_COST = re.compile(r"总成本|总投资|总额|合计|总预算|预算成本|总费用")
_PERSONS = re.compile(r"人数|人员|岗位|人次|对象")
_BUDGET_MONEY = re.compile(r"补助|补贴|资金|经费|工资|报酬|费用|投入|支出|拨款|奖补|奖励|津贴|金额|预算")
_VERB = re.compile(r"^(?:享受|发放|拨付|支付|安排|落实|兑现)")


_HEAD_ALIAS = {"生": "人", "名": "人", "学生": "人", "位": "人"}
_PERIODS = (("月", 12, " × 12 个月"), ("学期", 2, " × 2 个学期"), ("季", 4, " × 4 个季度"))


def _paired(cost_item: Item, quantities: list[tuple[Item, float]] | None) -> float | None:
    """The quantity a unit cost is per: the only one in its unit, else the one whose name shares
    most with the cost's ("禁牧补助标准" → "落实禁牧面积"), else the smallest (no false alarm)."""
    if not quantities:
        return None
    if len(quantities) == 1:
        return quantities[0][1]
    from .relevance import bigrams
    words = bigrams(cost_item.core)
    shared = [(len(words & bigrams(q.core)), n) for q, n in quantities]
    best = max(k for k, _ in shared)
    return max(n for k, n in shared if k == best) if best else min(n for _, n in quantities)


def budget_total(ctx) -> tuple[float, str] | None:
    """The year's money in 万元 and where it was read: the header's 年度资金总额, else an
    amount a goal or the overview states ("本项目共申请预算资金90万元")."""
    funds = ctx.sheet.funds if isinstance(ctx.sheet.funds, dict) else {}
    total = funds.get("total")
    if isinstance(total, (int, float)) and not isinstance(total, bool) and total > 0:
        return float(total), "年度资金总额"
    for gi, text in enumerate([*ctx.sheet.goals, ctx.sheet.overview or ""]):
        m = _BUDGET.search(text or "")
        if m and float(m[1]) > 0:
            return float(m[1]), (f"目标{gi + 1}中写明的资金" if gi < len(ctx.sheet.goals) else "概述中写明的资金")
    return None


def _wan_yuan(value: float, unit: str) -> float | None:
    """An amount in 万元, for units that are plain money (not per-unit)."""
    u = unicodedata.normalize("NFKC", unit).strip()
    return {"万元": value, "元": value / 10000, "亿元": value * 10000, "千元": value / 10}.get(u)


@rule("R17", "warning", title="成本指标与资金不匹配", supersedes=("V-UNIT-MISSING", "V-OP-MISSING"),
      checks="成本指标、经济成本指标以金额计 (写明元或万元); 单项金额不超过年度资金; 单位成本 × 对应数量 (按月的"
             "标准再乘以 12 个月) 不超过年度资金; 成本指标不能只有成本控制率而没有一项金额。年度资金取表头的资金总额, "
             "没有时取年度目标中写明的预算金额。",
      why="成本目标要与预算相匹配 (适当性): 单价 × 数量超过全年资金, 不是单位写错, 就是数量或单价不实; "
          "只写“成本控制率 ≤100%”等于没有成本目标。多年期项目可能确有超出, 故为警告。",
      needs="金额比较只在表头有年度资金总额或年度目标写明预算金额时进行。",
      fails=Example(project(*BASIC, cost("培训补助标准", "≤300元/人"), funds={"total": 10.0}),
                    note="300元/人 × 500人次 = 15万元, 超过资金 10 万元"),
      passes=Example(project(*BASIC, cost("培训补助标准", "≤150元/人"), funds={"total": 10.0})))
def cost_fits_budget(ctx):
    found = budget_total(ctx)
    total, source = found if found else (None, "")
    counts: dict[str, float] = {}
    by_unit: dict[str, list[tuple[Item, float]]] = {}     # unit -> (quantity, amount) for pairing by name
    for it in ctx.items:
        t = it.t
        if it.l2 == QUANTITY and t is not None and t.value is not None and t.unit:
            u = unicodedata.normalize("NFKC", t.unit).strip()
            n = t.value
            if u.startswith("万") and len(u) > 1 and u != "万元":
                u, n = u[1:], n * 10000          # "5万亩" is 50,000 亩
            # Any unit of a quantity may be what a unit cost is per ("元/批次"), except
            # money, shares and durations.
            if unit_family(u) not in ("money", "percent", "time", "score"):
                counts[u] = max(counts.get(u, 0.0), n)
                by_unit.setdefault(u, []).append((it, n))
    # People are often counted as posts or households ("公益性岗位 =40个"): a count whose
    # name says it counts people stands in for a per-person cost's quantity.
    persons = max((it.t.value for it in ctx.items if it.l2 == QUANTITY and it.family == "count"
                   and it.t is not None and it.t.value is not None and _PERSONS.search(it.core)), default=None)
    for scope in ctx.scopes:
        costs = [it for it in scope.items if it.l2 in _COST_L2 and it.t is not None and it.t.value is not None]
        if costs and all(it.family == "percent" for it in costs):
            shown = "、".join(f"“{it.name} {it.t.text.strip()}”" for it in costs[:2])
            cap = f"≤{total:g}万元" if total else "≤…万元"
            yield ctx.at(costs[0], "target", f"{scope.shown}的成本指标只有比率 ({shown}), 没有一项金额",
                         f"补充以金额计的成本, 如“{ctx.sheet.project or '项目'}总成本 {cap}”或单位成本“≤…元/…”")
    parts: list[tuple[Item, float]] = []       # (cost indicator, its yearly amount in 万元)
    exceeded = False
    for it in ctx.items:
        t = it.t
        if it.l2 not in (COST2, ECON_COST) or t is None or t.value is None:
            continue
        if it.family is None and t.kind == "quantity":
            yield ctx.at(it, "target", f"成本指标“{it.name}”的指标值“{t.text.strip()}”没有货币单位",
                         f"写明元或万元和比较符号, 如“≤{t.text.strip().lstrip('=≥≤<>').rstrip('万')}元”或"
                         f"“≤{t.text.strip().lstrip('=≥≤<>').rstrip('万')}万元” (按实际口径)")
            continue
        # In the 2021 regime R4 already asks 经济成本 to be money; do not say it twice.
        if it.family not in ("money", "percent", None) and not (ctx.regime == "2021" and it.l2 == ECON_COST):
            yield ctx.at(it, "target", f"成本指标“{it.name}”的指标值“{t.text}”不是金额",
                         "成本以元或万元计 (“≤…万元”“≤…元/…”); 控制类指标写“…成本控制率 ≤100%”")
            continue
        if total is None or it.family != "money":
            continue
        amount = _wan_yuan(t.value, t.unit or "")
        if amount is not None:
            parts.append((it, amount))
        if amount is not None and amount > total * 1.0001:
            exceeded = True
            yield ctx.at(it, "target", f"成本“{it.name}”的指标值“{t.text}”超过{source}“{total:g}”万元",
                         "核对金额单位 (元/万元) 与口径: 年度目标只计本年度资金")
            continue
        money_part, _, per = unicodedata.normalize("NFKC", t.unit or "").partition("/")
        scale = {"元": 1 / 10000, "万元": 1.0}.get(money_part)
        if not scale or not per:
            continue
        head = re.split(r"[·.]", per, maxsplit=1)[0]     # "人·月" is per person and month
        head = _HEAD_ALIAS.get(head, head)               # "元/生·学期" is per pupil: counted in 人
        # A yearly sheet: 12 months, 2 terms, 4 quarters of a per-period standard.
        months, by = next(((k, shown) for word, k, shown in _PERIODS if word in per), (1, ""))
        n = _paired(it, by_unit.get(head)) or (counts.get("人次") or persons if head == "人" else None)
        if head in ("月", "个月"):
            n = 1                                        # "300元/月": twelve of them a year
        if n:
            product = t.value * scale * n * months
            parts.append((it, product))
            if product > total * 1.0001:
                exceeded = True
                yield ctx.at(it, "target",
                             f"单位成本“{it.name} {t.text.strip()}”× 数量 {n:g}{head if head != '月' else ''}{by}, "
                             f"约 {product:g} 万元, 超过{source}“{total:g}”万元",
                             f"核对单位成本、数量和资金: 按 {total:g} 万元, 单位成本不应超过约 "
                             f"{total / (scale * n * months):.0f}{money_part}/{per}")
    # Several costs of one project, each within the money but together above it. Skipped
    # when one of them is a total (总成本 …), which would count the others twice.
    if ctx.sheet.kind == "project" and total and len(parts) >= 2 and not exceeded \
            and not any(_TOTAL_COST.search(it.core) for it, _ in parts):
        added = sum(a for _, a in parts)
        if added > total * 1.0001:
            first = parts[0][0]
            shown = "、".join(f"“{it.name}”约 {a:g} 万元" for it, a in parts)
            yield ctx.at(first, "target", f"各项成本合计约 {added:g} 万元 ({shown}), 超过{source}“{total:g}”万元",
                         "核对单位成本、数量和各项费用, 使成本合计不超过年度资金")

