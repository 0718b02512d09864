"""取值依据、指标解释、评(扣)分标准: stated where the template has the columns (R23, R24)."""
from __future__ import annotations

from ..registry import Example, project, qty, rule, sat, social

_BASES = ("计划标准", "行业标准", "历史标准", "其他", "计划", "行业", "历史", "认可")


@rule("R23", "info", title="指标值缺少取值依据",
      checks="表中有取值依据栏时, 每个指标注明依据: 计划标准、行业标准、历史标准或其他认可标准。",
      why="取值依据说明目标值从何而来 (财预〔2015〕88号 评价标准), 审核据此判断目标是否适当。",
      needs="只在表中有取值依据栏 (任一指标填了依据) 时检查。",
      fails=Example(project(qty("培训人次", "≥500人次", basis="计划标准"), social("政策知晓率", "≥90%"),
                            sat("参训人员满意度", "≥90%", basis="历史标准"))),
      passes=Example(project(qty("培训人次", "≥500人次", basis="计划标准"), social("政策知晓率", "≥90%", basis="行业标准"),
                             sat("参训人员满意度", "≥90%", basis="历史标准"))))
def basis_stated(ctx):
    if not any((it.ind.basis or "").strip() for it in ctx.items):
        return
    for it in ctx.items:
        basis = (it.ind.basis or "").strip()
        if not basis:
            yield ctx.at(it, "basis", f"“{it.name}”没有填写取值依据", "注明计划标准、行业标准、历史标准或其他认可标准")
        elif not any(b in basis for b in _BASES):
            yield ctx.at(it, "basis", f"“{it.name}”的取值依据“{basis}”不是计划、行业、历史或其他认可标准",
                         "按计划标准、行业标准、历史标准、其他认可标准之一填写")


@rule("R24", "info", title="定量指标缺少指标解释或评分标准",
      checks="表中有指标解释栏或评(扣)分标准栏时, 每个定量指标都写明计算方法和扣分规则。",
      why="没有计算口径和扣分规则, 自评时各说各话; 有此栏的表式要求逐项填写。",
      needs="只在表中有相应栏 (任一指标填了指标解释或评分标准) 时检查。",
      fails=Example(project(qty("培训人次", "≥500人次", explanation="全年参加培训的累计人次"),
                            social("政策知晓率", "≥90%"), sat("参训人员满意度", "≥90%", explanation="问卷调查"))),
      passes=Example(project(qty("培训人次", "≥500人次", explanation="全年参加培训的累计人次"),
                             social("政策知晓率", "≥90%", explanation="抽样调查知晓人数/调查人数"),
                             sat("参训人员满意度", "≥90%", explanation="问卷调查满意人数/调查人数"))))
def method_stated(ctx):
    has_explanation = any((it.ind.explanation or "").strip() for it in ctx.items)
    has_criteria = any((it.ind.criteria or "").strip() for it in ctx.items)
    if not (has_explanation or has_criteria):
        return
    for it in ctx.items:
        if it.t is None or it.t.kind not in ("quantity", "range"):
            continue
        missing = [label for label, present, text in (("指标解释", has_explanation, it.ind.explanation),
                                                      ("评(扣)分标准", has_criteria, it.ind.criteria))
                   if present and not (text or "").strip()]
        if missing:
            yield ctx.at(it, "explanation" if missing[0] == "指标解释" else "criteria",
                         f"定量指标“{it.name} {it.t.text}”没有填写{'和'.join(missing)}",
                         "写明计算公式 (分子/分母或统计口径) 和未达标时的扣分规则")


