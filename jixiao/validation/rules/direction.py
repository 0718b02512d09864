"""指标方向: the operator agrees with what the name measures (domain.md §2.4, R13)."""
from __future__ import annotations

from .. import names
from ..registry import BASIC, Example, cost, project, rule

_POSITIVE_OPS = ("≥", ">", "=")
_NEGATIVE_OPS = ("≤", "<")
_DIRECTION_LABEL = {"positive": "正向", "negative": "反向", "equal": "等于", "range": "区间"}


@rule("R13", "warning", title="指标方向与名称矛盾", on_self_evaluation="explain",
      checks="名称含成本、费用、事故、投诉、差错、超支、结余、时限等的反向指标用 ≤ 或 <; 名称含完成、合格、"
             "覆盖、满意等的正向指标用 ≥、> 或 =; 表中写明的指标方向与符号一致。以名称中最后出现的关键词为准 "
             "(“成本下降率”是正向)。",
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
        expected = names.expected_direction(it.core)
        if expected == "negative" and (t.op in (">", "≥") or (t.op == "=" and t.value not in (0, None))):
            yield ctx.at(it, "target", f"“{it.name}”越低越好, 指标值“{t.text}”却不是上限",
                         f"反向指标用“≤”或“<”, 如“≤{t.text.lstrip('=≥>＝≧ ')}”")
        elif expected == "positive" and t.op in _NEGATIVE_OPS:
            yield ctx.at(it, "target", f"“{it.name}”越高越好, 指标值“{t.text}”却是上限",
                         f"正向指标用“≥”或“=”, 如“≥{t.text.lstrip('≤<＜≦ ')}”")
