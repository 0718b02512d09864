"""指标性质: the comparison operator of a target (domain.md §2.1)."""
from __future__ import annotations

import re

from ...model.target import infer_op
from ..registry import BASIC, Example, project, qty, rule

# Symbols that parse (the importer normalises them) but are not the standard ≥ ≤ = > <.
_NONSTANDARD = {"＞＝": "≥", "＜＝": "≤", ">=": "≥", "<=": "≤", "≧": "≥", "⩾": "≥", "≦": "≤", "⩽": "≤",
                "﹦": "=", "＝": "=", "＞": ">", "＜": "<"}
_SYMBOL = re.compile("|".join(map(re.escape, sorted(_NONSTANDARD, key=len, reverse=True))))


@rule("V-OP-MISSING", "warning", title="指标值未写比较符号", refines="R8",
      checks="定量指标值应写明指标性质 (≥、≤、=、>、<), 如“24场”应写作“=24场”或“≥24场”。",
      why="没有符号时, 完成 23 场还是 30 场算达标说不清; 系统只能按名称推断 (计数按“=”, 完成率 100% 按“=”)。",
      fails=Example(project(*BASIC, qty("举办各类文体活动", "24场"))),
      passes=Example(project(*BASIC, qty("举办各类文体活动", "≥24场"))))
def operator_missing(ctx):
    for it in ctx.items:
        t = it.t
        if t is None or t.kind != "quantity" or t.op is not None or t.value is None:
            continue
        op = t.op_inferred or infer_op(t, it.name)
        guess = f", 系统按“{op}”理解" if op else ", 系统无法从名称推断"
        example = f"“{op}{t.text.strip()}”" if op else f"“≥{t.text.strip()}”或“={t.text.strip()}”"
        yield ctx.at(it, "target", f"“{it.name}”的指标值“{t.text}”没有写比较符号{guess}",
                     f"写明指标性质, 如{example}")


@rule("V-OP-SYMBOL", "info", title="使用了非标准比较符号", refines="R8",
      checks="比较符号使用标准的 ≥ ≤ = > <, 而不是 ≧ ≦ ＝ ﹦ >= <= 等变体。",
      why="变体符号在不同系统中识别不一, 导入一体化系统或汇总时可能被当作文字; 本系统已按标准符号理解。",
      fails=Example(project(*BASIC, qty("开展党日活动次数", "≧12次"))),
      passes=Example(project(*BASIC, qty("开展党日活动次数", "≥12次"))))
def operator_symbol(ctx):
    for it in ctx.items:
        t = it.t
        if t is None:
            continue
        m = _SYMBOL.search(t.text)
        if m:
            canon = _NONSTANDARD[m[0]]
            yield ctx.at(it, "target", f"“{it.name}”的指标值“{t.text}”使用了非标准符号“{m[0]}”, 已规范为“{canon}”",
                         f"填写时直接使用“{canon}”")



