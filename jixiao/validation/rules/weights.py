"""权重: leaf weights are positive and add up (R25; domain.md §2.5)."""
from __future__ import annotations

from ...model.target import format_number
from ..registry import Example, project, qty, rule, sat, social


def _weighted(w: float, s: float | None = None) -> dict:
    return {"weight": w, **({"score": s} if s is not None else {})}


@rule("R25", "error", title="权重缺失或合计不符", phase="evaluation", completeness=True,
      checks="表中有权重时: 每个三级指标都有大于 0 的权重; 得分不超过权重; 三级指标权重合计等于配置的允许值 "
             "(默认 90 或 100: 90 为另计预算执行率 10 分)。",
      why="权重决定自评得分; 缺权重或合计不对, 总分就不是百分制 (财预〔2020〕10号)。",
      needs="只在表中有权重栏 (任一指标有权重) 时检查; 允许的合计由配置 thresholds.weight_totals 设定。",
      fails=Example(project(qty("培训人次", "≥500人次", **_weighted(50)), social("政策知晓率", "≥90%", **_weighted(30)),
                            sat("参训人员满意度", "≥90%", **_weighted(0)))),
      passes=Example(project(qty("培训人次", "≥500人次", **_weighted(50)), social("政策知晓率", "≥90%", **_weighted(30)),
                             sat("参训人员满意度", "≥90%", **_weighted(10)))))
def weights_add_up(ctx):
    weighted = [it for it in ctx.items if it.ind.weight is not None]
    if not weighted:
        return
    for it in ctx.items:
        w, s = it.ind.weight, it.ind.score
        if w is None:
            yield ctx.at(it, "weight", f"“{it.name}”没有权重, 而表中其他指标有权重", "为每个三级指标填写权重")
        elif w <= 0:
            yield ctx.at(it, "weight", f"“{it.name}”的权重为“{format_number(w)}”, 应大于 0",
                         "为该指标分配大于 0 的权重, 或删除该指标")
        elif s is not None and s > w + 1e-9:
            yield ctx.at(it, "score", f"“{it.name}”的得分“{format_number(s)}”超过权重“{format_number(w)}”",
                         "得分不能超过权重, 核对评分")
    total = sum(it.ind.weight for it in weighted)
    allowed = ctx.th.weight_totals
    if not any(abs(total - a) <= ctx.th.weight_tolerance for a in allowed):
        shown = " 或 ".join(format_number(a) for a in allowed)
        where = "functions" if ctx.sheet.functions else "indicators"
        yield ctx.at_sheet(where, f"三级指标权重合计为 {format_number(round(total, 4))}, 应为 {shown}",
                           "调整各指标权重, 使合计符合要求 (另计预算执行率 10 分时为 90)")
