"""指标方向: the operator agrees with what the name measures (domain.md §2.4, R13)."""
from __future__ import annotations

import re

from .. import names
from ..registry import BASIC, Example, cost, project, rule

_POSITIVE_OPS = ("≥", ">", "=")
_NEGATIVE_OPS = ("≤", "<")
# Counts of what people bring to the unit: more letters, complaints or calls is no success.
_DEMAND = re.compile(r"(?:来信来访|来访|信访|投诉|举报|报警|求助|警情|接警|诉求|来电)(?:件次|件数|件|次数|人次|批次|量|数量)?$")
_DIRECTION_LABEL = {"positive": "正向", "negative": "反向", "equal": "等于", "range": "区间"}


@rule("R13", "warning", title="指标方向与名称矛盾", on_self_evaluation="explain",
      checks="名称含成本、费用、事故、投诉、差错、超支、结余、时限等的反向指标用 ≤ 或 <; 名称含完成、合格、"
             "覆盖、满意等的正向指标用 ≥、> 或 =; 表中写明的指标方向与符号一致。以名称中最后出现的关键词为准 "
             "(“成本下降率”是正向)。来信来访、投诉、举报等由群众决定多少的件数不设下限 (“受理来信来访 ≥3000件次”)。",
      why="方向决定评分公式 (正向按实际/目标, 反向按目标/实际); 方向写反, 自评时越差得分越高。",
      fails=Example(project(*BASIC, cost("人均培训成本", "≥300元/人"))),
      passes=Example(project(*BASIC, cost("人均培训成本", "≤300元/人"))))
def direction_consistent(ctx):
    for it in ctx.items:
        t = it.t
        if t is None or t.op is None or t.kind not in ("quantity", "range"):
            continue
        declared = it.ind.direction
        if declared in ("positive", "negative") and \
                (t.op in _NEGATIVE_OPS if declared == "positive" else t.op in (">", "≥")):
            yield ctx.at(it, "target", f"“{it.name}”注明为{_DIRECTION_LABEL[declared]}指标, 指标值“{t.text}”的符号却相反",
                         "核对指标方向: 越高越好用 ≥, 越低越好用 ≤")
            continue
        if t.op in (">", "≥") and it.family in ("count", None) and t.unit and _DEMAND.search(it.core):
            yield ctx.at(it, "target", f"“{it.name}”的多少取决于群众来信来访、投诉的数量, 不由工作决定, 指标值“{t.text}”"
                                       "定了下限, 多了反而不是好事",
                         "改为对这些事项的处理结果, 如按期办结率、一次性化解率、群众满意度; 如需反映工作量, 写“受理…件”"
                         "作为预计数, 不作考核下限")
            continue
        expected = names.expected_direction(it.core)
        if expected == "negative" and (t.op in (">", "≥") or (t.op == "=" and t.value not in (0, None))):
            yield ctx.at(it, "target", f"“{it.name}”越低越好, 指标值“{t.text}”却不是上限",
                         f"反向指标用“≤”或“<”, 如“≤{t.text.lstrip('=≥>＝≧ ')}”")
        elif expected == "positive" and t.op in _NEGATIVE_OPS:
            yield ctx.at(it, "target", f"“{it.name}”越高越好, 指标值“{t.text}”却是上限",
                         f"正向指标用“≥”或“=”, 如“≥{t.text.lstrip('≤<＜≦ ')}”")
