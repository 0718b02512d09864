"""完整性: the form's header and the indicator tree are complete (R1–R6, R8)."""
from __future__ import annotations

import re
import unicodedata

from ...model.indicator import COST, COST2, ECO_COST, ECON_COST, EFFECT, OUTPUT, SATISFACTION, SOCIAL_COST
from ...model.target import UNIT_FAMILY
from .. import names
from ..context import INCOMPLETE_CODES, TABLE_INCOMPLETE
from ..labels import FUNDS_LABEL
from ..registry import BASIC, Example, department, function, ind, project, qty, rule, sat, social

COST_L2 = frozenset((COST2, ECON_COST, SOCIAL_COST, ECO_COST))
_NO_RECIPIENT = "无直接服务对象"


# A value that is only a unit or an operator: "公里", "万亩", "≧" (the number was lost).
_UNITS = sorted({*UNIT_FAMILY, "万人", "万亩", "万元", "元", "万", "km", "人次"}, key=len, reverse=True)
_UNIT_ONLY = re.compile(r"[≥≤=<>≧≦]*\s*(?:" + "|".join(map(re.escape, _UNITS)) + r")?")


def _blank(s: str | None) -> bool:
    return s is None or not str(s).strip()


def _number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


@rule("R1", "warning", title="表头信息不完整", completeness=True, phase="evaluation",
      checks="年度绩效目标 (目标1…N) 不为空; 项目表有项目名称和主管部门, 部门表有部门(单位)名称 (部门表的主管部门"
             "就是本部门, 不要求另填); 表中有资金栏时其中有金额; 按核心职能分组的部门表中每个职能都有职能描述。",
      why="缺少目标、名称、主管部门或资金, 审核无从判断指标是否与职能和资金相匹配 (完整性)。表头缺项多半是"
          "填报或导入遗漏, 补上即可, 不必退回重报, 故为警告。",
      needs="资金一项只在表中有资金栏时检查: 没有资金栏的表式不因此提示。",
      fails=Example(project(*BASIC, goals=[]), note="没有年度目标"),
      passes=Example(project(*BASIC)))
def header_complete(ctx):
    s = ctx.sheet
    if not any(not _blank(g) for g in s.goals):
        yield ctx.at_sheet("goals", "未填写年度绩效目标 (目标1…N)", "逐条写出本年度要达成的产出和效果" + _goal_example(ctx))
    if s.kind == "project" and _blank(s.project):
        yield ctx.at_sheet("project", "项目支出绩效目标表缺少项目名称", "填写与预算项目库一致的项目名称")
    if s.kind == "department" and _blank(s.unit):
        yield ctx.at_sheet("unit", "部门整体支出绩效目标表缺少部门(单位)名称", "填写预算单位全称")
    if s.kind == "project" and _blank(s.supervisor):
        yield ctx.at_sheet("supervisor", "项目表缺少主管部门", "填写主管部门全称 (项目所属的一级预算部门)")
    if isinstance(s.funds, dict) and not any(_number(v) and v > 0 for v in s.funds.values()):
        shown = "、".join(f"{FUNDS_LABEL.get(k, k)}“{v}”" for k, v in s.funds.items()) or "空"
        yield ctx.at_sheet("funds", f"资金栏没有任何金额 ({shown})", "填写年度资金总额及其中财政拨款、其他资金 (万元)")
    lost = {d.where for d in s.diagnostics if d.code == "STRUCT_FUNCTION_LABEL_LOST"}
    for fi, fn in enumerate(s.functions):
        if _blank(fn.description):
            label = ctx.label_of(fi)
            why = "原表中该职能的标签和描述缺失" if f"functions[{fi}]" in lost else "职能描述为空"
            hit = ctx.at_sheet(f"functions[{fi}].description", f"“{label}”缺少职能描述 ({why})",
                               f"对照部门职能概述补填“{label}”的职能描述, 使指标能与职能对应")
            hit.fn = fi
            yield hit


@rule("V-FUNDS-SUM", "warning", title="资金构成与合计不符", refines="R1", phase="evaluation",
      checks="年度资金总额应等于财政拨款与其他资金之和; 部门表中基本支出与项目支出之和应等于总额。",
      why="资金数前后不一致, 说明填报有误, 也使“指标与资金相匹配”的审核失去依据。",
      needs="只在资金栏同时给出总额和各组成部分时检查。",
      fails=Example(project(*BASIC, funds={"total": 100.0, "fiscal": 80.0, "other": 10.0})),
      passes=Example(project(*BASIC, funds={"total": 100.0, "fiscal": 90.0, "other": 10.0})))
def funds_add_up(ctx):
    f = ctx.sheet.funds
    if not isinstance(f, dict) or not _number(f.get("total")):
        return
    tol = ctx.th.funds_tolerance
    for parts, label in ((("fiscal", "other"), "财政拨款 + 其他资金"), (("basic", "project"), "基本支出 + 项目支出")):
        if all(_number(f.get(p)) for p in parts):
            total = sum(f[p] for p in parts)
            if abs(total - f["total"]) > tol + 1e-9:
                yield ctx.at_sheet("funds", f"{label} = {total:g} 万元, 与年度资金总额“{f['total']:g}”万元不符",
                                   "核对资金来源各项金额, 使其合计等于年度资金总额")


def _goal_example(ctx) -> str:
    """An example goal made of the sheet's own first indicators."""
    shown = [f"{it.name}{(it.t.text.strip().lstrip('=') if it.t else '')}" for it in ctx.items
             if it.name and it.t is not None and it.t.kind in ("quantity", "range")][:2]
    return f", 如“目标1: {'、'.join(shown)}”" if shown else ""


def _has(items, level1: str) -> bool:
    return any(it.l1 == level1 for it in items)


@rule("R2", "error", title="项目缺少产出或效益指标", completeness=True,
      checks="项目支出绩效目标至少有一个产出指标和一个效益指标。",
      why="绩效目标是项目在一定期限内预期达到的产出和效果 (财预〔2015〕88号); 缺少任一类, 目标不完整。",
      fails=Example(project(qty("培训人次", "≥500人次"), qty("培训期数", "≥5期"), sat("参训人员满意度", "≥90%"))),
      passes=Example(project(*BASIC)))
def project_outputs_effects(ctx):
    if ctx.sheet.kind != "project":
        return
    missing = [(name, eg) for name, l1, eg in (("产出指标", OUTPUT, "完成的数量、质量和时效"),
                                                ("效益指标", EFFECT, "给服务对象和社会带来的效果"))
               if not _has(ctx.items, l1)]
    if missing:
        project = f"“{ctx.sheet.project}”" if ctx.sheet.project else "本项目"
        yield ctx.at_sheet("indicators", f"项目没有{'和'.join(n for n, _ in missing)}",
                           "补充" + "、".join(f"至少一个{n}, 反映{project}{eg}" for n, eg in missing))


def _mentions_no_recipient(sheet) -> bool:
    texts = [sheet.overview or "", *sheet.goals, *(str(v) for v in sheet.extra.values())]
    texts += [i.name + " " + (i.target.text if i.target else "") for _, i in sheet.all_indicators()]
    return any(_NO_RECIPIENT in t for t in texts)


@rule("R3", "warning", title="项目缺少满意度指标", completeness=True,
      checks="有服务对象的项目应设服务对象满意度指标; 表中注明“无直接服务对象”的除外。",
      why="满意度是自评的 10 分; 没有满意度指标时这 10 分并入效益, 审核需确认确实没有服务对象。",
      fails=Example(project(qty("培训人次", "≥500人次"), social("政策知晓率", "≥90%"))),
      passes=Example(project(qty("培训人次", "≥500人次"), social("政策知晓率", "≥90%"),
                             extra={"备注": "本项目无直接服务对象"})))
def project_satisfaction(ctx):
    if ctx.sheet.kind != "project" or _has(ctx.items, SATISFACTION):
        return
    if not _mentions_no_recipient(ctx.sheet):
        who = f"“{ctx.sheet.project}”的服务对象" if ctx.sheet.project else "服务对象"
        yield ctx.at_sheet("indicators", "项目没有满意度指标, 也未注明“无直接服务对象”",
                           f"补充{who}满意度指标 (问卷调查, 一般“≥90%”), 或注明“无直接服务对象”")


@rule("R4", "warning", title="2021 体系缺少成本指标",
      checks="按财预〔2021〕101号体系填报时应有成本指标, 且经济成本指标以元或万元计。",
      why="101号文把成本指标列为一级指标, 经济成本用货币量化, 以便评价“花多少钱办多少事”。",
      needs="只在配置的指标体系为 2021 (或自动判断为 2021) 时检查。",
      fails=Example(project(*BASIC), profile={"regime": "2021"}),
      passes=Example(project(*BASIC, ind("成本指标", "经济成本指标", "人均培训成本", "≤300元/人")),
                     profile={"regime": "2021"}))
def regime_2021_cost(ctx):
    if ctx.regime != "2021":
        return
    if ctx.items and not any(it.l1 == COST or it.l2 in COST_L2 for it in ctx.items):
        yield ctx.at_sheet("indicators", "按 2021 体系填报, 但没有成本指标",
                           "补充成本指标/经济成本指标, 以元或万元写明单位成本或总成本上限 (“≤…万元”)")
    for it in ctx.items:
        t = it.t
        if it.l2 == ECON_COST and t is not None and t.value is not None and it.family != "money":
            yield ctx.at(it, "target", f"经济成本指标“{it.name}”的指标值“{t.text}”不是以元或万元计的金额",
                         "经济成本以货币计量, 改为“≤…万元”或“≤…元/人”等")


@rule("R5", "warning", title="核心职能缺少产出、效益或满意度指标", completeness=True,
      checks="部门整体支出: 每个核心职能至少有一个产出指标和一个效益指标, 部门至少有一个满意度指标。",
      why="部门整体目标要细化到每项职能的产出和效果; 没有国家文件强制逐职能设置, 故可在配置中调整。",
      needs="可在配置 [department] 中关闭 per_function 或 require_satisfaction。",
      fails=Example(department(function("职能1", "负责农业技术推广", qty("培训人次", "≥500人次"),
                                         sat("参训人员满意度", "≥90%")))),
      passes=Example(department(function("职能1", "负责农业技术推广", *BASIC))))
def department_coverage(ctx):
    if ctx.sheet.kind != "department" or not ctx.items:
        return
    if ctx.profile.per_function:
        for scope in ctx.scopes:
            if not scope.items:
                continue
            missing = [n for n, l1 in (("产出指标", OUTPUT), ("效益指标", EFFECT)) if not _has(scope.items, l1)]
            if missing:
                yield ctx.at_scope(scope, f"{scope.shown}没有{'和'.join(missing)}",
                                   f"为{scope.shown}补充{'和'.join(missing)}, 反映其产出和效果")
    if ctx.profile.require_satisfaction and not _has(ctx.items, SATISFACTION):
        where = "functions" if ctx.sheet.functions else "indicators"
        who = f"“{ctx.sheet.unit}”服务对象" if ctx.sheet.unit else "服务对象"
        yield ctx.at_sheet(where, "部门没有任何满意度指标", f"补充{who}满意度指标 (问卷调查, 一般“≥90%”)")


@rule("R6", "error", title="三级指标过少", completeness=True,
      checks="三级指标总数不少于配置的下限 (默认 3 个)。",
      why="指标过少无法全面反映产出和效果, 地方指引要求至少 3 个三级指标。",
      needs="下限由配置 thresholds.min_indicators 设定。",
      fails=Example(project(qty("培训人次", "≥500人次"), social("政策知晓率", "≥90%"))),
      passes=Example(project(*BASIC)))
def enough_indicators(ctx):
    n, low = len(ctx.items), ctx.th.min_indicators
    if n < low:
        where = "functions" if ctx.sheet.functions else "indicators"
        yield ctx.at_sheet(where, f"全表只有 {n} 个三级指标, 少于 {low} 个", f"补充指标, 使三级指标不少于 {low} 个")


@rule("R8", "error", title="指标名称或指标值缺失", supersedes=("R9", "V-QUAL-UNGRADED", "V-VAGUE", "R16"),
      checks="每个三级指标都有名称和指标值; 指标值不能是未填写的模板占位符 (如“≥**人”); 只有单位或符号、"
             "没有数值的指标值 (“公里”“≧”) 为警告 (多半是数值漏填或未导入)。导入的表格不完整时, 空的指标值只作提示。",
      why="没有名称或数值的指标无法执行也无法评价; 占位符说明模板未填完。",
      fails=Example(project(*BASIC, qty("发放补贴人数", "≥**人"))),
      passes=Example(project(*BASIC, qty("发放补贴人数", "≥1200人"))))
def leaf_complete(ctx):
    for it in ctx.items:
        if not it.name:
            yield ctx.at(it, "name", "三级指标名称为空", "填写指标名称, 说明衡量的是什么")
        t = it.t
        if t is None or t.kind == "empty":
            unit = names.implied_unit(it.core, it.kinds)
            hint = f"填写指标值, 写明比较符号、数值和单位 ({unit})" if unit else "填写指标值, 写明比较符号、数值和单位"
            hit = ctx.at(it, "target", f"“{it.name or '(无名称)'}”没有填写指标值", hint)
            if ctx.incomplete:
                hit.severity = "info"
                hit.message += " (导入的表格不完整, 该值可能未读到, 请对照原表核实)"
            yield hit
        elif t.kind == "placeholder":
            yield ctx.at(it, "target", f"“{it.name}”的指标值“{t.text}”是未填写的模板占位符",
                         f"把 ** 换成具体数值, 如“{t.text.strip().replace('**', 'N')}”中的 N")
        elif t.kind == "qualitative" and _UNIT_ONLY.fullmatch(unicodedata.normalize("NFKC", t.text).strip()):
            hit = ctx.at(it, "target", f"“{it.name}”的指标值“{t.text.strip()}”只有单位或符号, 没有数值",
                         f"补上数值, 如“≥N{t.text.strip().lstrip('≥≤=<>≧≦')}”中的 N 按计划填写")
            hit.severity = "warning"
            yield hit


@rule("V-TABLE-INCOMPLETE", "warning", title="导入的表格不完整", phase="evaluation",
      checks="导入程序标记表格不完整 (文字提取在行中截断、缺页) 时, 全表提示一次; 此时缺项类规则 (R1、R2、R3、R5、"
             "R6、R8 的空值、R25) 只作提示, 并说明缺少的内容可能在未读到的部分。",
      why="对照不完整的表格下“缺少某某指标”的结论并不可靠; 审核应先取得完整的表格。",
      needs=f"需要导入程序写入诊断 {TABLE_INCOMPLETE}。",
      fails=Example(project(*BASIC, diagnostics=[{"code": TABLE_INCOMPLETE, "severity": "warning",
                                                  "where": "indicators", "message": "表格在第 12 行后截断"}])),
      passes=Example(project(*BASIC)))
def table_incomplete(ctx):
    if not ctx.incomplete:
        return
    said = next((d.message for d in ctx.sheet.diagnostics if d.code in INCOMPLETE_CODES and d.message), "")
    where = "functions" if ctx.sheet.functions else "indicators"
    yield ctx.at_sheet(where, f"导入的表格不完整{f' ({said})' if said else ''}: 以下缺项类结论只供参考",
                       "取得完整的原表 (未截断的文件或全部页面) 后重新导入和审核")


# Rows that are a column header, a block subtotal or a note, not an indicator: what a
# table's header row or a "产出指标(50分)" line becomes when a reading goes wrong.
_HEADER_WORD = re.compile(r"(?:三级指标(?:内容|名称)?|指标(?:名称|内容|值|值及单位|性质|解释)|绩效标准|计划标准|行业标准"
                          r"|历史标准|其他需说明的问题|备注|度量单位|计量单位|权重|分值|得分|评\(扣\)分标准)")
_SUBTOTAL = re.compile(r"[(（]?\d+(?:\.\d+)?(?:\s*[-~]\s*\d+(?:\.\d+)?)?\s*[)）]?\s*分[)）]?")


@rule("V-NOT-INDICATOR", "info", title="不像指标的行", supersedes=("*",),
      checks="三级指标名称或指标值只是表头文字 (“三级指标内容”“指标值及单位”“计划标准”) 或分值小计 (“(40-50)分”) 的行"
             "不是指标, 提示一次, 其他规则不再对这一行下结论。",
      why="这类行多半是导入时把表头或分值行读成了指标; 对它们逐条挑错只会制造噪声, 应先核对导入结果。",
      fails=Example(project(*BASIC, qty("三级指标内容", "指标值及单位"))),
      passes=Example(project(*BASIC, qty("农村实用技术培训期数", "≥5期"))))
def not_an_indicator(ctx):
    for it in ctx.items:
        text = unicodedata.normalize("NFKC", it.t.text).strip() if it.t is not None else ""
        name = unicodedata.normalize("NFKC", it.name)
        if _HEADER_WORD.fullmatch(name) or _SUBTOTAL.fullmatch(name) or (text and _HEADER_WORD.fullmatch(text)):
            shown = f"“{it.name}”" + (f"(指标值“{it.t.text.strip()}”)" if text else "")
            yield ctx.at(it, "name", f"{shown}像是表头或分值行, 不像绩效指标",
                         "对照原表核对这一行: 表头、分值小计不是指标, 删除后再审核; 确是指标的, 改写名称和指标值")
