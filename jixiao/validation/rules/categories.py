"""指标分类: 一级/二级 are valid, and the name fits the category it is filed under (R7, R9)."""
from __future__ import annotations

from ...model.indicator import COST2, ECON_COST, OUTPUT, QUALITY, QUANTITY, RECIPIENT, SATISFACTION, is_valid_pair
from ..registry import BASIC, Example, ind, project, qty, qual, rule, sat, social

_QUANTIFY_FIRST = frozenset((QUANTITY, COST2, ECON_COST))


def _where(it) -> str:
    return f"{it.ind.level1 or '—'}/{it.ind.level2 or '—'}"


@rule("R7", "error", title="二级指标与一级指标不对应",
      checks="一级、二级指标都已填写且是标准名称 (含别名), 二级指标属于它的一级指标; "
             "接受实际批复表中的混合写法 (如“产出指标/经济成本指标”)。",
      why="指标体系是评分和汇总的骨架 (财预〔2015〕88号、〔2021〕101号); 错挂的二级指标使权重和得分归错类。",
      fails=Example(project(*BASIC, ind("产出指标", "社会效益指标", "政策宣传覆盖率", "≥90%"))),
      passes=Example(project(*BASIC, ind("效益指标", "社会效益指标", "政策宣传覆盖率", "≥90%"))))
def category_valid(ctx):
    for it in ctx.items:
        i = it.ind
        if it.l1 is None:
            what = f"“{i.level1}”不是标准的一级指标" if i.level1 else "缺少一级指标"
            yield ctx.at(it, "level1", f"“{it.name}”{what}", "一级指标应为产出指标、效益指标、满意度指标或成本指标")
        elif it.l2 is None:
            what = f"“{i.level2}”不是标准的二级指标" if i.level2 else "缺少二级指标"
            yield ctx.at(it, "level2", f"“{it.name}”{what}", "按指标体系选择二级指标, 如数量指标、社会效益指标")
        elif not is_valid_pair(it.l1, it.l2):
            yield ctx.at(it, "level2", f"“{it.name}”的二级指标“{i.level2}”不属于一级指标“{i.level1}”",
                         "把指标移到正确的一级指标下, 或改选该一级指标下的二级指标")


@rule("R9", "warning", title="数量或成本指标使用定性值",
      checks="数量指标、成本指标、经济成本指标应先量化, 不宜用“达到预期”“效果明显”等定性表述。",
      why="优先定量 (细化量化): 数量和成本天然可以计数或计价, 定性值无法考核。",
      fails=Example(project(*BASIC, qty("培训覆盖面", "达到预期"))),
      passes=Example(project(*BASIC, qty("培训覆盖村数", "≥20个"))))
def quantify_first(ctx):
    for it in ctx.items:
        t = it.t
        if it.l2 in _QUANTIFY_FIRST and t is not None and t.kind == "qualitative":
            yield ctx.at(it, "target", f"{_where(it)}下的“{it.name}”使用定性值“{t.text}”",
                         "改为数量或金额, 如“≥20个”“≤30万元”")


@rule("V-SAT-MISPLACED", "warning", title="满意度指标放错分类",
      checks="名称为…满意度的指标放在满意度指标下; 满意度指标下只放满意度。",
      why="满意度单独占自评的 10 分; 放在效益下会重复计分, 效益指标放在满意度下则使满意度失真。",
      fails=Example(project(*BASIC, social("文体活动演出居民满意度", "≥95%"))),
      passes=Example(project(*BASIC, sat("文体活动演出居民满意度", "≥95%"))))
def satisfaction_misplaced(ctx):
    for it in ctx.items:
        in_sat = it.l1 == SATISFACTION or it.l2 == RECIPIENT
        if "satisfaction" in it.kinds and not in_sat and it.l1 is not None:
            yield ctx.at(it, "level2", f"满意度指标“{it.name}”放在了“{_where(it)}”下",
                         "移到满意度指标/服务对象满意度指标下")
        elif in_sat and "satisfaction" not in it.kinds and it.core and it.t is not None:
            yield ctx.at(it, "level2", f"“{it.name}”不是满意度, 却放在了“{_where(it)}”下",
                         "移到对应的产出或效益指标下; 满意度指标下只放“…满意度”")


@rule("V-COUNT-IN-QUALITY", "warning", title="计数指标放在质量指标下",
      checks="质量指标衡量合格率、达标率等比率; 次数、人数、个数等计数 (以次、人、个计的值) 属于数量指标。",
      why="数量与质量分开考核: 计数放在质量下, 质量实际上没有被考核。",
      fails=Example(project(*BASIC, qual("征兵宣传次数", "=2次"))),
      passes=Example(project(*BASIC, qty("征兵宣传次数", "=2次"))))
def count_in_quality(ctx):
    for it in ctx.items:
        if it.l2 != QUALITY or "rate" in it.kinds:
            continue
        if "count" in it.kinds or it.family == "count":
            yield ctx.at(it, "level2", f"计数指标“{it.name}”({it.t.text if it.t else '无指标值'})放在了质量指标下",
                         "移到数量指标下; 质量指标改用合格率、达标率等 (如“…合格率 ≥95%”)")


@rule("V-RATE-IN-QUANTITY", "warning", title="比率指标放在数量指标下",
      checks="数量指标是计数或实物量; 合格率、覆盖率等比率或以 % 计的值一般属于质量、时效或效益指标。",
      why="数量指标考核“做了多少”, 比率放在数量下, 数量本身就没有了目标。",
      fails=Example(project(*BASIC, qty("培训合格率", "≥95%"))),
      passes=Example(project(*BASIC, qual("培训合格率", "≥95%"))))
def rate_in_quantity(ctx):
    for it in ctx.items:
        if it.l2 == QUANTITY and ("rate" in it.kinds or it.family == "percent"):
            yield ctx.at(it, "level2", f"“{it.name}”({it.t.text if it.t else '无指标值'})是比率, 却放在了数量指标下",
                         "移到质量、时效或效益指标下, 或改为具体数量 (如“≥20个”)")


@rule("V-TIMELINESS-MISPLACED", "info", title="及时率、时限放在数量或质量指标下",
      checks="…及时率、按期完成率、…时限等衡量时间的指标属于时效指标。",
      why="时效指标单列, 以便监控进度; 放在数量或质量下, 进度就无人考核。",
      fails=Example(project(*BASIC, qual("经费拨付及时率", "=100%"))),
      passes=Example(project(*BASIC, ind("产出指标", "时效指标", "经费拨付及时率", "=100%"))))
def timeliness_misplaced(ctx):
    for it in ctx.items:
        if it.l1 == OUTPUT and it.l2 in (QUANTITY, QUALITY) and "timely" in it.kinds:
            yield ctx.at(it, "level2", f"时效类指标“{it.name}”放在了“{_where(it)}”下", "移到时效指标下")
