"""度量单位: units that match the value and the name (domain.md §2.3, R11, R12)."""
from __future__ import annotations

import unicodedata

from .. import names
from ..registry import BASIC, Example, project, qty, qual, rule


@rule("V-UNIT-MISSING", "warning", title="指标值缺少计量单位", refines="R8", supersedes=("V-OP-MISSING",),
      checks="定量指标值带计量单位; 名称已表明单位时 (…次数、…人数、…率) 尤其不能省略。同一指标值也没有比较符号时"
             "合为一条, 一并给出改法。",
      why="“≥1”“≥10000”没有单位, 是 1 次还是 1 场、1 万人还是 1 万人次无从判断。",
      fails=Example(project(*BASIC, qty("人代会召开次数", "≥1"))),
      passes=Example(project(*BASIC, qty("人代会召开次数", "≥1次"))))
def unit_missing(ctx):
    for it in ctx.items:
        t = it.t
        if t is None or t.kind not in ("quantity", "range") or t.value is None or t.unit:
            continue
        if t.value == 0:
            continue                       # "0": zero of anything is zero
        unit = names.implied_unit(it.core, it.kinds)
        implied = f", 名称表明单位应为“{unit}”" if unit else ""
        no_op = t.op is None
        also = "也没有比较符号" if no_op else ""
        op = "" if not no_op else ("≤" if names.expected_direction(it.core) == "negative" or "money" in it.kinds
                                   else "≥")
        what = f"补上计量单位{'和比较符号' if no_op else ''}"
        hint = f"{what}, 如“{op}{t.text.strip()}{unit}”" if unit and len(unit) <= 2 \
            else f"{what} (个、次、人、%、元、万元等, 按实际口径)"
        sep = ", " if implied and also else ""
        yield ctx.at(it, "target", f"“{it.name}”的指标值“{t.text}”没有计量单位{implied}{sep}{also}", hint)


@rule("V-UNIT-SLASH", "warning", title="“人/次”应写作“人次”", refines="R11", supersedes=("V-OP-MISSING",),
      checks="表示人数乘次数的累计量用“人次”; “人/次”字面意思是“每次多少人”, 是比率。",
      why="单位写错会把累计量读成比率, 汇总和评分都会出错。",
      fails=Example(project(*BASIC, qty("文体活动参加人数", "5000人/次"))),
      passes=Example(project(*BASIC, qty("文体活动参加人次", "≥5000人次"))))
def unit_slash(ctx):
    for it in ctx.items:
        t = it.t
        if t is not None and t.unit and unicodedata.normalize("NFKC", t.unit).replace(" ", "") == "人/次":
            fixed = t.text.strip().replace("人/次", "人次").replace("人／次", "人次")
            if t.op is None:
                fixed = "≥" + fixed
            also = ", 也没有写比较符号" if t.op is None else ""
            yield ctx.at(it, "target", f"“{it.name}”的指标值“{t.text}”把单位写作“人/次”, 应为“人次”{also}",
                         f"改为“{fixed}”")


@rule("R11", "error", title="单位与数值或名称矛盾", supersedes=("V-OP-MISSING", "V-UNIT-MISSING"),
      checks="金额单位不能与百分号同用 (“28.8万元%”); 名称为比率 (…率、…满意度) 的指标值应为百分比或定性, "
             "不能以金额、个数、天数等计量。",
      why="单位与数值、名称不符, 指标无法评价, 公开的目标表中常见此类错误 (domain.md §2.3)。",
      fails=Example(project(*BASIC, qual("验收合格率", "=26个"))),
      passes=Example(project(*BASIC, qual("验收合格率", "=100%"))))
def unit_contradiction(ctx):
    for it in ctx.items:
        t = it.t
        if t is None or not t.unit:
            continue
        u = unicodedata.normalize("NFKC", t.unit)
        if "元" in u and ("%" in u or "百分" in u):
            yield ctx.at(it, "target", f"“{it.name}”的指标值“{t.text}”同时带金额单位和百分号",
                         "金额用“万元”或“元”, 比率用“%”, 二者选一并核对数值")
        elif "rate" in it.kinds and it.family in ("money", "count", "time", "physical"):
            yield ctx.at(it, "target", f"“{it.name}”是比率指标, 指标值“{t.text}”却以“{t.unit}”计",
                         "比率指标的指标值写成百分比 (如“≥95%”), 或把名称改为对应的数量指标")
        elif "count" in it.kinds and "rate" not in it.kinds and it.family == "percent" and "growth" not in it.kinds:
            # "受益人数 =100%": a count written as a share. Usually a slip, fixed on the spot.
            unit = names.implied_unit(it.core, it.kinds) or "个、人等"
            hit = ctx.at(it, "target", f"“{it.name}”是计数, 指标值“{t.text.strip()}”却是百分比",
                         f"写明具体数量 (单位“{unit}”), 或把名称改为比率 (如“…覆盖率”) 并写明分母")
            hit.severity = "warning"
            yield hit


@rule("R12", "error", title="百分比超出 0–100%", on_self_evaluation="explain",
      checks="合格率、覆盖率、完成率、及时率、满意度等有上限的比率, 目标值在 0%–100% 之间 (“≥100%”可以); "
             "增长率、同比等可超过 100%。",
      why="超过 100% 的合格率或满意度不可能实现, 说明数值或单位填错。",
      fails=Example(project(*BASIC, qual("培训合格率", "≥120%"))),
      passes=Example(project(*BASIC, qual("培训合格率", "≥95%"))))
def percent_range(ctx):
    for it in ctx.items:
        t = it.t
        if t is None or t.value is None or it.family != "percent" or "bounded" not in it.kinds:
            continue
        hi = t.upper if t.upper is not None else t.value
        if t.value < 0 or hi > 100 or (t.op == ">" and t.value >= 100):
            yield ctx.at(it, "target", f"“{it.name}”的指标值“{t.text}”超出 0%–100%",
                         "比率目标应在 0%–100% 之间, 全部完成写“=100%”或“≥100%”")
