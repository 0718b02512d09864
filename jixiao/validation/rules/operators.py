"""指标性质: the comparison operator of a target (domain.md §2.1)."""
from __future__ import annotations

import re

from ...model.target import infer_op
from .. import names
from ..context import Hit
from ..registry import BASIC, Example, ind, project, qty, qual, rule, social

# Symbols that parse (the importer normalises them) but are not the standard ≥ ≤ = > <.
_NONSTANDARD = {"＞＝": "≥", "＜＝": "≤", ">=": "≥", "<=": "≤", "≧": "≥", "⩾": "≥", "≦": "≤", "⩽": "≤",
                "﹦": "=", "＝": "=", "＞": ">", "＜": "<"}
_SYMBOL = re.compile("|".join(map(re.escape, sorted(_NONSTANDARD, key=len, reverse=True))))


def _op_in_doubt(it) -> str | None:
    """How much an operator-less value leaves in doubt: "warning" when it changes how the
    target is scored (an amount, a cost, a duration or a count that could be a ceiling:
    ≤ or ≥?), "info" when only = or ≥ is open (a count of work done), None when the
    value speaks for itself (0, 0起, 100%, a rate whose name gives the direction)."""
    t = it.t
    if t.value == 0:
        return None                        # "0", "0起", "0次": nothing can be below zero
    if it.family == "percent":
        if t.value >= 100 or names.expected_direction(it.core) or "rate" in it.kinds:
            return None                    # "100%" is all of it; "合格率 95%" is a floor
        return "warning"
    if it.family in ("money", "time") or "money" in it.kinds or "time" in it.kinds:
        return "warning"
    if names.expected_direction(it.core) == "negative":
        return "warning"                   # "投诉 5件": a ceiling, written as if a floor
    return "info"


@rule("V-OP-MISSING", "warning", title="指标值未写比较符号", refines="R8",
      checks="定量指标值应写明指标性质 (≥、≤、=、>、<)。只在方向确有疑问时提示: 金额、成本、时长和可能是上限的"
             "计数为警告 (≤ 还是 ≥ 决定评分), 工作量计数为提示 (= 还是 ≥); “100%”“0”“0起”以及名称已表明方向的"
             "比率 (合格率 95%) 不提示。",
      why="没有符号时, 完成 23 场还是 30 场算达标、金额是上限还是下限都说不清; 一体化系统的指标性质栏也必须填写。",
      fails=Example(project(*BASIC, ind("产出指标", "成本指标", "培训补助", "300元/人"))),
      passes=Example(project(*BASIC, ind("产出指标", "成本指标", "培训补助", "≤300元/人"), qual("培训合格率", "95%"),
                             social("安全事故", "0起"))))
def operator_missing(ctx):
    for it in ctx.items:
        t = it.t
        if t is None or t.kind != "quantity" or t.op is not None or t.value is None:
            continue
        level = _op_in_doubt(it)
        if level is None:
            continue
        op = t.op_inferred or infer_op(t, it.name)
        written = t.text.strip()
        if level == "warning":
            doubt = "是上限还是下限说不清" if op is None else f"系统暂按“{op}”理解, 但上限还是下限会改变评分"
            example = f"“≤{written}”或“≥{written}”" if op is None else f"“{op}{written}”"
        else:
            doubt = f"系统按“{op or '='}”理解"
            example = f"“≥{written}”或“={written}”"
        yield Hit(f"{it.path}.target", f"“{it.name}”的指标值“{t.text}”没有写比较符号, {doubt}",
                  f"写明指标性质, 如{example}", it, it.fn, severity=level)


@rule("V-OP-SYMBOL", "info", title="使用了非标准比较符号", refines="R8",
      checks="比较符号使用标准的 ≥ ≤ = > <, 而不是 ≧ ≦ ＝ ﹦ >= <= 等变体。全表只提示一次, 列出各变体的次数。",
      why="变体符号在不同系统中识别不一, 导入一体化系统或汇总时可能被当作文字; 本系统已按标准符号理解。"
          "这是书写习惯, 不是目标本身的问题, 故全表合为一条提示。",
      fails=Example(project(*BASIC, qty("开展党日活动次数", "≧12次"), qty("开展专题会议次数", ">=4次"))),
      passes=Example(project(*BASIC, qty("开展党日活动次数", "≥12次"))))
def operator_symbol(ctx):
    seen: dict[str, int] = {}
    first: tuple | None = None
    for it in ctx.items:
        t = it.t
        if t is None:
            continue
        m = _SYMBOL.search(t.text)
        if m:
            seen[m[0]] = seen.get(m[0], 0) + 1
            first = first or (it, m[0])
    if not seen:
        return
    n = sum(seen.values())
    kinds = "、".join(f"“{sym}”{k} 处" for sym, k in seen.items())
    canon = "、".join(dict.fromkeys(f"“{sym}”→“{_NONSTANDARD[sym]}”" for sym in seen))
    assert first is not None
    it, sym = first
    where = "functions" if ctx.sheet.functions else "indicators"
    yield ctx.at_sheet(where, f"{n} 个指标值使用了非标准比较符号 ({kinds}; 如“{it.name}”的“{it.t.text}”), "
                              f"已按标准符号理解",
                       f"填报时统一使用标准符号: {canon}")
