"""相关性与重点突出: goals map to indicators (R20); a focused set of indicators (R21).

Relevance is lexical: character bigrams (jieba is not a dependency) shared between a
goal sentence and the indicator names, ignoring bigrams of generic verbs and fillers.
"""
from __future__ import annotations

import re

from ..registry import BASIC, Example, department, function, project, qty, rule, sat, social

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
# Generic words in goals that say nothing about *what* is done.
_STOP_WORDS = ("工作 开展 加强 提高 提升 推进 全面 确保 落实 有序 深入 实现 进一 一步 营造 良好 氛围 保障 放松 "
               "力度 水平 发展 取得 实效 任务 各项 完成 相关 进行 组织 服务 年度 全年 本年 目标 积极 有效 持续 "
               "不断 做好 抓好 推动 促进 以上 常态 态化 高质 质量发展 主要 重点 建设 管理 情况 机制 体系 能力 "
               "不断 切实 稳步 得到 达到 按照 要求 进一步 规范 完善 健全")
# Removed from a goal before taking bigrams, longest first ("进一步" before "一步").
_STOP = re.compile("|".join(sorted(set(_STOP_WORDS.split()), key=len, reverse=True)))


def bigrams(text: str) -> set[str]:
    out: set[str] = set()
    for run in _CJK_RUN.findall(text):
        out.update(run[i:i + 2] for i in range(len(run) - 1))
    return out


@rule("R20", "warning", title="年度目标没有对应的指标",
      checks="每条年度目标至少与一个三级指标名称共有关键词 (去掉“开展”“提高”等泛用词后按双字词比较); "
             "只有泛用词的目标 (“全面完成各项工作任务”) 也提示。",
      why="指标是对目标的细化 (高度关联): 没有指标对应的目标, 到年底无从评价是否实现。",
      needs="共有关键词的最少个数由配置 thresholds.relevance_min_shared 设定。",
      fails=Example(project(*BASIC, goals=["开展农村实用技术培训", "完成高标准农田建设验收"])),
      passes=Example(project(*BASIC, qty("高标准农田验收面积", "≥2000亩"),
                             goals=["开展农村实用技术培训", "完成高标准农田建设验收"])))
def goals_have_indicators(ctx):
    vocabulary: set[str] = set()
    for it in ctx.items:
        vocabulary |= bigrams(it.name)
    if not vocabulary:
        return
    need = max(1, ctx.th.relevance_min_shared)
    for gi, goal in enumerate(ctx.sheet.goals):
        if not goal or not goal.strip():
            continue
        content = bigrams(_STOP.sub(" ", goal))
        shown = goal if len(goal) <= 40 else goal[:39] + "…"
        if not content:
            yield ctx.at_sheet(f"goals[{gi}]", f"目标{gi + 1}“{shown}”过于笼统, 无法与任何指标对应",
                               "写明要完成的具体事项和程度, 并为它设置相应的指标")
        elif len(content & vocabulary) < need:
            yield ctx.at_sheet(f"goals[{gi}]", f"目标{gi + 1}“{shown}”没有对应的绩效指标",
                               "为该目标设置至少一个产出或效益指标, 或删去不再开展的目标")


@rule("R21", "info", title="指标过多或通用指标过多",
      checks="每个核心职能或项目的三级指标不超过配置上限 (默认 20 个); 日常办公、正常运转、制度建设、资金合规等"
             "通用管理类指标不超过 60%。",
      why="重点突出 (财预〔2021〕101号): 指标过多或多为通用管理指标, 反而看不出资金办成的主要事项。",
      needs="上限与占比由配置 thresholds.max_indicators、thresholds.generic_share 设定。",
      fails=Example(department(function("职能1", "负责机关运行保障",
                                         qty("日常办公正常运转率", "=100%"), social("机关运行保障", "=100%"),
                                         social("资金使用合规性", "=100%"), sat("干部职工满意度", "≥90%"),
                                         social("档案管理规范率", "=100%")))),
      passes=Example(project(*BASIC)))
def focus(ctx):
    limit, share = ctx.th.max_indicators, ctx.th.generic_share
    for scope in ctx.scopes:
        n = len(scope.items)
        if n > limit:
            yield ctx.at_scope(scope, f"{scope.shown}有 {n} 个三级指标, 超过 {limit} 个",
                               "合并同类指标, 保留最能反映主要产出和效果的指标")
        if n >= 5:
            generic = sum("generic" in it.kinds for it in scope.items)
            if generic / n > share:
                yield ctx.at_scope(scope, f"{scope.shown}的 {n} 个指标中有 {generic} 个是通用管理类指标",
                                   "用反映本职能或项目特有产出和效果的指标替换日常办公、制度、合规类指标")
