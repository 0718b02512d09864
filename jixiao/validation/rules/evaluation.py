"""自评: checks of a self-evaluation itself (domain.md §4.1, 财预〔2020〕10号) — actuals
written, actuals that are measurements and not the target copied, scores that follow
the actuals, block weights as the profile sets them, scores that add up.

Only on sheets whose stage is ``self_evaluation``; each check is silent when the form
has no such column (no actuals, no weights, no scores).
"""
from __future__ import annotations

import re
import unicodedata

from ...model.indicator import COST, EFFECT, OUTPUT, SATISFACTION
from ...model.target import format_number
from ..registry import Example, project, qty, rule, sat, social, timely
from .history import _comparable, _positive

_SE = {"stage": "self_evaluation"}
_OPERATOR = re.compile(r"[≥≤≧≦><]|以上|以下|不低于|不少于|不超过|不高于")
# Tier words of 10号 (达成年度指标 …) and their local spellings: a qualitative actual.
_TIER = re.compile(r"达成|达到|完成|实现|部分达成|未达成")
_VAGUE_ACTUAL = re.compile(r"^(?:效果明显|明显|显著|较好|良好|好|有效|显著提升|明显提升|有所提升|逐步改善|持续发挥作用"
                           r"|有所提高|有所改善|有所增强|有所减少|一般|较高|较低)$")
# 10号 tiers below 达成: 部分达成 (60%–80% of the weight), 未达成 (below 60%).
_PARTIAL = re.compile(r"部分达成|部分完成|未达成|未完成|没有达成|未达到")
_FAILED = re.compile(r"未达成|未完成|没有达成|未达到")
_TOTAL_KEYS = ("总分", "自评总分", "自评得分", "合计得分", "得分合计", "综合得分")


# "零增长", "不发生", "无": a target of nothing happening is met by saying it did not happen.
_NOTHING = re.compile(r"零|无|未|不发生|没有|杜绝")


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").replace(" ", "").strip("。.")


# A dash or slash in the actual column is a cell left blank, not a result.
_PLACEHOLDER = frozenset(("—", "——", "-", "--", "－", "/", "／", "…", "……"))


def _blank(a) -> bool:
    return a is None or a.kind == "empty" or not (a.text or "").strip() or a.text.strip() in _PLACEHOLDER


def _self_eval(ctx) -> bool:
    return ctx.sheet.stage == "self_evaluation"


def _has_actuals(ctx) -> bool:
    return any(not _blank(it.ind.actual) for it in ctx.items)


def _se(*indicators, **header):
    return project(*indicators, **{**_SE, **header})


@rule("V-SE-ACTUAL-MISSING", "warning", title="自评缺少实际完成值", phase="evaluation", completeness=True,
      checks="自评表中每个指标都填写了实际完成值; 整表都没有实际完成值时合为一条。",
      why="自评按实际完成值对照目标打分; 没有实际值, 得分无从核实。",
      fails=Example(_se(qty("培训人次", "≥500人次", actual="520人次"), social("政策知晓率", "≥90%"),
                        sat("参训人员满意度", "≥90%", actual="95%"))),
      passes=Example(_se(qty("培训人次", "≥500人次", actual="520人次"), social("政策知晓率", "≥90%", actual="92%"),
                         sat("参训人员满意度", "≥90%", actual="95%"))))
def actual_missing(ctx):
    if not _self_eval(ctx) or not ctx.items:
        return
    missing = [it for it in ctx.items if _blank(it.ind.actual)]
    if not missing:
        return
    if len(missing) == len(ctx.items):
        where = "functions" if ctx.sheet.functions else "indicators"
        yield ctx.at_sheet(where, f"自评表的 {len(missing)} 个指标都没有实际完成值",
                           "逐项填写全年实际完成值 (数值和单位), 再据此打分")
        return
    for it in missing:
        yield ctx.at(it, "actual", f"“{it.name}”没有填写实际完成值 (目标“{it.t.text.strip() if it.t else ''}”)",
                     f"填写“{it.name}”的全年实际完成值" + (f", 单位与目标一致 ({it.t.unit})" if it.t and it.t.unit else ""))


@rule("V-SE-ACTUAL-COPIED", "warning", title="实际完成值照抄指标值", phase="evaluation",
      checks="实际完成值是实测的结果: 不能带比较符号 (“≥266米”是目标的写法); 与目标文字完全相同的指标占比达到"
             "配置值 (默认 80%) 时整表提示一次。",
      why="照抄目标的实际值说明没有如实统计完成情况, 抽查复核时得分会被调减。",
      needs="占比由配置 thresholds.copied_share 设定。",
      fails=Example(_se(qty("安装坡面水标尺", "≥266米", actual="≥266米"), social("政策知晓率", "≥90%", actual="92%"),
                        sat("受益群众满意度", "≥95%", actual="96%"))),
      passes=Example(_se(qty("安装坡面水标尺", "≥266米", actual="270米"), social("政策知晓率", "≥90%", actual="92%"),
                         sat("受益群众满意度", "≥95%", actual="96%"))))
def actual_copied(ctx):
    if not _self_eval(ctx):
        return
    same = 0
    flagged = []
    for it in ctx.items:
        a = it.ind.actual
        if _blank(a) or it.t is None:
            continue
        text = unicodedata.normalize("NFKC", a.text).replace(" ", "")
        if text == unicodedata.normalize("NFKC", it.t.text).replace(" ", ""):
            same += 1
        if _OPERATOR.search(text):
            flagged.append(it)
    rated = sum(1 for it in ctx.items if it.ind.actual is not None and it.t is not None)
    if rated >= 3 and same / rated >= ctx.th.copied_share:
        # One habit of the whole sheet: one finding, with the operator cases as examples.
        where = "functions" if ctx.sheet.functions else "indicators"
        eg = "、".join(f"“{it.name}”实际“{it.ind.actual.text.strip()}”" for it in flagged[:2])
        yield ctx.at_sheet(where, f"{rated} 个指标中有 {same} 个的实际完成值与指标值一字不差"
                                  + (f", 其中带比较符号的如{eg}" if eg else ""),
                           "按全年实际统计结果逐项填写完成值 (不带 ≥、≤), 未完成的如实填写并说明原因")
        return
    for it in flagged:
        a = it.ind.actual
        plain = a.text.strip().lstrip("≥≤><≧≦=")
        yield ctx.at(it, "actual", f"“{it.name}”的实际完成值“{a.text.strip()}”带比较符号, 是目标的写法, 不是实际完成的数值",
                     f"填写实际统计的数值 (如实际完成 {plain} 则写“{plain}”), 不带比较符号")


_DATE = re.compile(r"(\d{4})\s*[年.\-/]\s*(\d{1,2})\s*(?:月)?\s*(?:(\d{1,2})\s*[日号]?)?")


def _date(text: str) -> tuple[int, int, int] | None:
    """The (year, month, day) a deadline or an actual names; a month alone is its last day."""
    m = _DATE.search(unicodedata.normalize("NFKC", text or ""))
    if not m or not 1 <= int(m[2]) <= 12:
        return None
    return int(m[1]), int(m[2]), int(m[3]) if m[3] else 31


def _scored(it) -> bool:
    return it.ind.weight is not None and it.ind.score is not None and it.ind.weight > 0


@rule("V-SE-FULL-MARKS", "warning", title="满分与完成情况不符", phase="evaluation",
      checks="得满分的指标要有可核实的实际完成值, 并且达到了目标: 实际值缺失、只是“效果明显”“较好”等含糊表述、"
             "目标是数值而实际只写了“达到预期”, 或实际值没有达到目标 (正向指标低于目标、反向指标高于目标) 时提示。"
             "定性目标按 10号文分档的“达成年度指标”等表述可以得满分。",
      why="定性指标按达成程度分档打分 (达成 80%–100%、部分达成 60%–80% …); 没有依据的满分, 复核时一般调减。",
      needs="需要指标有权重和得分。",
      fails=Example(_se(qty("培训人次", "≥500人次", actual="520人次", weight=50, score=50),
                        social("农民种植技术水平", "明显提升", actual="效果明显", weight=30, score=30),
                        sat("参训人员满意度", "≥90%", actual="95%", weight=10, score=10))),
      passes=Example(_se(qty("培训人次", "≥500人次", actual="520人次", weight=50, score=50),
                         social("农民种植技术水平", "明显提升", actual="达成年度指标", weight=30, score=27),
                         sat("参训人员满意度", "≥90%", actual="95%", weight=10, score=10))))
def full_marks_without_evidence(ctx):
    if not _self_eval(ctx):
        return
    for it in ctx.items:
        if not _scored(it) or it.ind.score < it.ind.weight - 1e-9:
            continue
        a, t = it.ind.actual, it.t
        numeric_target = t is not None and t.kind in ("quantity", "range") and t.value is not None
        if _blank(a):
            why = "没有实际完成值"
        elif a.kind == "qualitative" and not _TIER.search(a.text) and _VAGUE_ACTUAL.match(a.text.strip()):
            why = f"实际完成情况只写了“{a.text.strip()}”"
        elif a.kind == "qualitative" and _PARTIAL.search(a.text):
            why = f"实际完成情况是“{a.text.strip()}”"
        elif a.kind == "qualitative" and t is not None and t.kind == "qualitative" and not _TIER.search(a.text) \
                and _plain(a.text) == _plain(t.text) and not _NOTHING.match(_plain(a.text)):
            # "深入人心" → "深入人心": the target's words again, no sign of what was done.
            why = f"实际完成情况只是照抄了目标“{t.text.strip()}”"
        elif t is not None and t.kind == "deadline" and (due := _date(t.text)) and (done := _date(a.text)) \
                and done > due and not (it.ind.explanation or "").strip():
            why = f"实际完成时间“{a.text.strip()}”晚于目标“{t.text.strip()}”"
        elif a.kind == "qualitative" and numeric_target:
            why = f"目标是数值“{t.text.strip()}”, 实际完成情况却只写了“{a.text.strip()}”"
        elif _comparable(t, a) and _positive(t, it) is not None and \
                (a.value < t.value if _positive(t, it) else a.value > t.value) and not (it.ind.explanation or "").strip():
            why = f"实际完成“{a.text.strip()}”没有达到目标“{t.text.strip()}”"
        else:
            continue
        yield ctx.at(it, "score", f"“{it.name}”得满分 {format_number(it.ind.score)} 分, 但{why}",
                     "写明可核实的完成情况 (数值或按达成、部分达成、未达成分档), 按完成程度打分; 未完成的说明原因")


@rule("V-SE-DEDUCTED", "warning", title="已达成目标却扣分", phase="evaluation",
      checks="实际完成值已达到目标 (正向指标不低于目标、反向指标不高于目标) 时应得满分; 扣了分又没有写偏差原因时提示。",
      why="按 10号文, 完成目标得全部分值; 无故扣分说明打分与完成情况不一致, 或目标与实际的口径不同。",
      needs="需要指标有权重、得分和可比较的实际完成值。",
      fails=Example(_se(qty("培训人次", "≥500人次", actual="520人次", weight=50, score=45),
                        social("政策知晓率", "≥90%", actual="92%", weight=30, score=30),
                        sat("参训人员满意度", "≥90%", actual="95%", weight=10, score=10))),
      passes=Example(_se(qty("培训人次", "≥500人次", actual="480人次", weight=50, score=48),
                         social("政策知晓率", "≥90%", actual="92%", weight=30, score=30),
                         sat("参训人员满意度", "≥90%", actual="95%", weight=10, score=10))))
def deducted_although_met(ctx):
    if not _self_eval(ctx):
        return
    for it in ctx.items:
        a, t = it.ind.actual, it.t
        if not _scored(it) or it.ind.score >= it.ind.weight - 1e-9 or not _comparable(t, a):
            continue
        if (it.ind.explanation or "").strip():
            continue
        up = _positive(t, it)
        met = (up is True and a.value >= t.value) or (up is False and a.value <= t.value)
        if met:
            yield ctx.at(it, "score", f"“{it.name}”实际完成“{a.text.strip()}”已达到目标“{t.text.strip()}”, "
                                      f"却只得 {format_number(it.ind.score)} 分 (分值 {format_number(it.ind.weight)})",
                         "达成目标的给满分; 确因质量或口径扣分的, 在偏差原因中写明")


@rule("V-SE-SCORE-HIGH", "warning", title="得分高于完成比例", phase="evaluation",
      checks="正向定量指标没有完成目标时, 得分一般按 实际 / 目标 × 分值 计算 (财预〔2020〕10号); 自评得分明显高于"
             "这个比例 (超过配置的容差) 时提示。",
      why="未完成目标却打高分是自评虚高最常见的形式, 抽查复核时会被调减。",
      needs="需要指标有分值、得分和可比较的实际完成值; 容差由配置 thresholds.score_tolerance 设定。",
      fails=Example(_se(qty("培训人次", "≥500人次", actual="400人次", weight=50, score=48),
                        social("政策知晓率", "≥90%", actual="92%", weight=30, score=30),
                        sat("参训人员满意度", "≥90%", actual="95%", weight=10, score=10))),
      passes=Example(_se(qty("培训人次", "≥500人次", actual="400人次", weight=50, score=40),
                         social("政策知晓率", "≥90%", actual="92%", weight=30, score=30),
                         sat("参训人员满意度", "≥90%", actual="95%", weight=10, score=10))))
def score_above_proportion(ctx):
    if not _self_eval(ctx):
        return
    for it in ctx.items:
        a, t = it.ind.actual, it.t
        if _scored(it) and a is not None and a.kind == "qualitative" and _PARTIAL.search(a.text) \
                and it.ind.score < it.ind.weight - 1e-9:
            share = ctx.th.tier_failed if _FAILED.search(a.text) else ctx.th.tier_partial
            cap = round(share * it.ind.weight, 2)
            if it.ind.score >= cap + 1e-9:
                yield ctx.at(it, "score", f"“{it.name}”实际为“{a.text.strip()}”, 得分应低于分值的 {share:.0%} "
                                          f"({format_number(cap)} 分), 自评得 {format_number(it.ind.score)} 分",
                             f"按档次打分: 低于 {format_number(cap)} 分, 或写明达成的依据")
            continue
        if not _scored(it) or not _comparable(t, a) or t.value <= 0 or _positive(t, it) is not True:
            continue
        w, s = it.ind.weight, it.ind.score
        if a.value >= t.value or s >= w - 1e-9:
            continue                        # met (V-SE-DEDUCTED) or full marks (V-SE-FULL-MARKS)
        due = round(max(a.value, 0.0) / t.value * w, 2)
        if s > due + ctx.th.score_tolerance:
            yield ctx.at(it, "score", f"“{it.name}”实际完成“{a.text.strip()}”, 为目标“{t.text.strip()}”的 "
                                      f"{a.value / t.value:.0%}, 按比例应得约 {format_number(due)} 分, 自评得 {format_number(s)} 分",
                         f"按 实际/目标 × 分值 计分 (约 {format_number(due)} 分), 或在偏差原因中说明加分的依据")


def _block(it) -> int | None:
    if it.l1 in (OUTPUT, COST):
        return 0                            # real forms keep 成本 inside the 产出 50 (domain.md §2.5)
    return {EFFECT: 1, SATISFACTION: 2}.get(it.l1)


@rule("V-SE-BLOCKS", "warning", title="自评各部分分值不符合规定", phase="evaluation",
      checks="自评表中产出、效益、满意度指标的分值合计分别符合配置 (默认 50、30、10, 另有预算执行率 10 分); "
             "没有满意度指标时满意度的分值并入效益。",
      why="自评的分值结构由财预〔2020〕10号规定 (各地可调整): 自行改变各部分分值, 总分就不可比。",
      needs="需要每个指标都有分值, 且分值合计符合 R25; 各部分分值由配置 thresholds.block_weights 设定。",
      fails=Example(_se(qty("培训人次", "≥500人次", actual="520人次", weight=70, score=70),
                        social("政策知晓率", "≥90%", actual="92%", weight=10, score=10),
                        sat("参训人员满意度", "≥90%", actual="95%", weight=10, score=10))),
      passes=Example(_se(qty("培训人次", "≥500人次", actual="520人次", weight=50, score=50),
                         social("政策知晓率", "≥90%", actual="92%", weight=30, score=30),
                         sat("参训人员满意度", "≥90%", actual="95%", weight=10, score=10))))
def block_weights(ctx):
    if not _self_eval(ctx) or not ctx.items or any(it.ind.weight is None for it in ctx.items):
        return
    want = list(ctx.th.block_weights[:3]) + [0.0] * (3 - len(ctx.th.block_weights[:3]))
    got = [0.0, 0.0, 0.0]
    total = sum(it.ind.weight for it in ctx.items)
    if not any(abs(total - a) <= ctx.th.weight_tolerance for a in ctx.th.weight_totals):
        return                              # R25 already says the total is wrong
    # 预算执行率 written among the indicators with its own points on top of the blocks
    # (a total of blocks + execution) is left out; inside a block it counts there.
    separate = abs(total - (sum(want) + ctx.th.execution_weight)) <= ctx.th.weight_tolerance
    for it in ctx.items:
        if "fund_rate" in it.kinds and separate:
            continue
        b = _block(it)
        if b is None:
            return
        got[b] += it.ind.weight
    if got[2] == 0:
        want = [want[0], want[1] + want[2], 0.0]
    names = ("产出指标", "效益指标", "满意度指标")
    off = [f"{n} {format_number(g)} 分 (应为 {format_number(w)} 分)" for n, g, w in zip(names, got, want)
           if abs(g - w) > ctx.th.weight_tolerance]
    if off:
        where = "functions" if ctx.sheet.functions else "indicators"
        yield ctx.at_sheet(where, "自评各部分分值与规定不符: " + "、".join(off),
                           "按规定分配分值 (" + "、".join(f"{n} {format_number(w)} 分" for n, w in zip(names, want) if w)
                           + f", 预算执行率 {format_number(ctx.th.execution_weight)} 分), 或在配置中写明本地规定")


def _number(v) -> float | None:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v)
    if isinstance(v, str):
        m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*分?\s*", v)
        return float(m[1]) if m else None
    return None


@rule("V-SE-TOTAL", "warning", title="得分合计与总分不符", phase="evaluation",
      checks="各指标得分之和 (加上预算执行率得分) 等于表中填写的总分; 有预算数和执行数时, 预算执行率得分等于 "
             "min(执行数/预算数, 1) × 分值 (默认 10 分)。",
      why="总分决定自评等级 (优 ≥90、良 80–90 …), 加错了, 等级就错了。",
      needs="需要表中有总分 (总分、自评得分等) 和各指标得分; 容差由配置 thresholds.score_tolerance 设定。",
      fails=Example(_se(qty("培训人次", "≥500人次", actual="520人次", weight=50, score=50),
                        social("政策知晓率", "≥90%", actual="92%", weight=30, score=30),
                        sat("参训人员满意度", "≥90%", actual="95%", weight=10, score=10),
                        extra={"预算执行率得分": 10, "总分": 95})),
      passes=Example(_se(qty("培训人次", "≥500人次", actual="520人次", weight=50, score=50),
                         social("政策知晓率", "≥90%", actual="92%", weight=30, score=30),
                         sat("参训人员满意度", "≥90%", actual="95%", weight=10, score=10),
                         extra={"预算执行率得分": 10, "总分": 100})))
def total_adds_up(ctx):
    if not _self_eval(ctx):
        return
    extra = ctx.sheet.extra or {}
    execution = next((_number(v) for k, v in extra.items() if "执行" in k and "得分" in k and _number(v) is not None), None)
    funds = ctx.sheet.funds if isinstance(ctx.sheet.funds, dict) else {}
    budget, spent = _number(funds.get("budget")), _number(funds.get("executed"))
    if execution is not None and budget and spent is not None:
        due = round(min(spent / budget, 1.0) * ctx.th.execution_weight, 2)
        if abs(due - execution) > ctx.th.score_tolerance:
            yield ctx.at_sheet("funds", f"预算执行率 {spent / budget:.1%} 按 {format_number(ctx.th.execution_weight)} 分计应得约 "
                                        f"{format_number(due)} 分, 表中为 {format_number(execution)} 分",
                               "按 执行数/预算数 × 分值 计算预算执行率得分 (执行率不超过 100%)")
    total = next((_number(extra[k]) for k in _TOTAL_KEYS if k in extra and _number(extra[k]) is not None), None)
    scores = [it.ind.score for it in ctx.items if it.ind.score is not None]
    if total is None or not scores or len(scores) < len(ctx.items):
        return
    added = sum(scores) + (execution or 0.0)
    if abs(added - total) > ctx.th.score_tolerance:
        parts = f"指标得分 {format_number(round(sum(scores), 2))}" + \
            (f" + 预算执行率得分 {format_number(execution)}" if execution is not None else "")
        where = "functions" if ctx.sheet.functions else "indicators"
        yield ctx.at_sheet(where, f"{parts} = {format_number(round(added, 2))} 分, 与表中总分 {format_number(total)} 分不符",
                           "重新核算各项得分与总分, 并据此确定自评等级")


# An actual on a monitoring sheet that says the target will be missed: "预计9月底完工", "进度滞后".
_BEHIND = re.compile(r"滞后|延期|推迟|延后|延误|无法完成|不能完成|难以完成|不能按期|无法按期|未能按期|完全不可能|停工|暂停")
_MONTH = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(?:(\d{1,2})\s*[日号]|(底|末|中旬|下旬|上旬|初))?")
_REASON_KEYS = ("deviation", "reason", "偏差原因分析及改进措施", "偏差原因", "偏差原因分析", "原因", "备注")


def _expected_date(text: str, year: int) -> tuple[int, int, int] | None:
    """The date a progress note names ("预计9月底完工" in the target's year), a month alone its last day."""
    m = _MONTH.search(unicodedata.normalize("NFKC", text or ""))
    if not m or not 1 <= int(m[2]) <= 12:
        return None
    day = int(m[3]) if m[3] else {"初": 10, "上旬": 10, "中旬": 20}.get(m[4] or "", 31)
    return int(m[1]) if m[1] else year, int(m[2]), day


def _explained(it) -> bool:
    extra = it.ind.extra or {}
    return bool((it.ind.explanation or "").strip()) or any(str(extra.get(k) or "").strip() for k in _REASON_KEYS)


@rule("V-MON-DEVIATION", "warning", title="监控中预计不能按期完成", phase="evaluation",
      checks="绩效监控表中, 当前完成情况或全年预计表明目标将不能按期完成 (预计完成时间晚于时效目标, 或写明"
             "滞后、延期、无法完成) 而没有写偏差原因时提示。",
      why="监控的目的就是及时发现偏差并纠偏 (财预〔2019〕136号): 预计完不成的目标要写明原因 (经费、制度、人员、"
          "硬件保障或其他) 和措施, 确实无法完成的按程序调整目标和预算。",
      needs="只在监控表 (阶段为监控) 有当前完成值时检查。",
      fails=Example(project(qty("维修改造学校", "≥15所", actual="6所"),
                            timely("工程完工时间", "2024年8月31日前", actual="预计9月底完工"),
                            social("校舍安全隐患消除率", "=100%"), sat("师生满意度", "≥90%"),
                            stage="monitoring", year=2024)),
      passes=Example(project(qty("维修改造学校", "≥15所", actual="6所"),
                             timely("工程完工时间", "2024年8月31日前", actual="预计8月底完工"),
                             social("校舍安全隐患消除率", "=100%"), sat("师生满意度", "≥90%"),
                             stage="monitoring", year=2024)))
def monitoring_deviation(ctx):
    if ctx.sheet.stage != "monitoring":
        return
    for it in ctx.items:
        a, t = it.ind.actual, it.t
        if _blank(a) or _explained(it):
            continue
        text = a.text.strip()
        why = None
        if _BEHIND.search(text):
            why = f"当前完成情况写明“{text}”"
        elif t is not None and t.kind == "deadline" and (due := _date(t.text)):
            done = _date(text) or _expected_date(text, due[0])
            if done and done > due:
                why = f"预计完成时间“{text}”晚于目标“{t.text.strip()}”"
        if why:
            yield ctx.at(it, "actual", f"“{it.name}”预计不能按期完成: {why}",
                         "在偏差原因分析中写明原因 (经费、制度、人员、硬件保障或其他) 和纠偏措施; 确实无法完成的, "
                         "随预算调整按程序调整目标")
