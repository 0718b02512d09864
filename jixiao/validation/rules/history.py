"""适当性 over time: last year's sheet (R22, copied targets), the approved set at
self-evaluation (R26), over-achievement (domain.md §4.1).

``--previous`` is last year's sheet — except when the sheet under review is a
self-evaluation and the previous one is an approval of the same (or an unknown)
year: then it is the approved indicator set of R26, and the year-on-year checks
stay silent.
"""
from __future__ import annotations

import unicodedata

from ...model.target import Target, direction_of, unit_family
from .. import names
from ..context import Item, make_item
from ..registry import BASIC, Example, project, qty, rule, sat, social

_NUMERIC = ("quantity", "range")


def approved_reference(ctx) -> bool:
    p, s = ctx.previous, ctx.sheet
    return (p is not None and s.stage == "self_evaluation" and p.stage == "approval"
            and not (s.year and p.year and s.year != p.year))


def last_year(ctx) -> bool:
    p, s = ctx.previous, ctx.sheet
    return p is not None and not approved_reference(ctx) and not (s.year and p.year and p.year >= s.year)


def _previous_items(ctx) -> list[tuple[str, Item]]:
    cached = ctx.cache.get("previous_items")
    if cached is None:
        p = ctx.previous
        cached = []
        for fi, fn in enumerate(p.functions):
            cached += [(fn.label, make_item(f"functions[{fi}].indicators[{ii}]", fi, ind))
                       for ii, ind in enumerate(fn.indicators)]
        cached += [("", make_item(f"indicators[{ii}]", None, ind)) for ii, ind in enumerate(p.indicators)]
        ctx.cache["previous_items"] = cached
    return cached


def _matches(ctx):
    """(current item, previous item or None): same name, and the same 职能 when ambiguous."""
    index: dict[str, list[tuple[str, Item]]] = {}
    for label, it in _previous_items(ctx):
        index.setdefault(it.key, []).append((label, it))
    for it in ctx.items:
        found = index.get(it.key, ())
        if len(found) > 1:
            label = ctx.label_of(it.fn) if it.fn is not None else ""
            found = [f for f in found if f[0] == label] or found[:1]
        yield it, (found[0][1] if found else None)


def _comparable(a: Target | None, b: Target | None) -> bool:
    return (a is not None and b is not None and a.kind in _NUMERIC and b.kind in _NUMERIC
            and a.value is not None and b.value is not None and unit_family(a.unit) == unit_family(b.unit))


def _text(t: Target) -> str:
    return unicodedata.normalize("NFKC", t.text).replace(" ", "")


def _positive(t: Target, it: Item) -> bool | None:
    """Higher is better (True), lower is better (False), unknown (None): the operator
    decides, the name when there is none."""
    d = direction_of(t) or names.expected_direction(it.core)
    if d in ("positive", "equal", "range"):
        return True
    return False if d == "negative" else None


@rule("R22", "warning", title="目标低于上年实际完成值",
      checks="与上年表 (--previous) 中同名指标的实际完成值比较: 正向指标的目标低于上年实际, 或反向指标的目标"
             "高于上年实际时提示。满意度, 以及相差不到 5 个百分点且不到两成的百分比, 不提示 (≥90% 对上年 93% 是守住标准)。",
      why="适当性 (历史标准): 目标应不低于已经达到的水平, 否则资金没有带来新的产出或效果。",
      needs="需要上年的表 (--previous), 且上年表中有实际完成值。",
      fails=Example(project(*BASIC, qty("检查企业数", "≥100家")),
                    previous=project(qty("检查企业数", "≥90家", actual="120家"), year=2023)),
      passes=Example(project(*BASIC, qty("检查企业数", "≥130家")),
                     previous=project(qty("检查企业数", "≥90家", actual="120家"), year=2023)))
def below_last_actual(ctx):
    if not last_year(ctx):
        return
    for it, old in _matches(ctx):
        if old is None or not _comparable(it.t, old.ind.actual):
            continue
        up = _positive(it.t, it)
        was = old.ind.actual
        gap = abs(was.value - it.t.value)
        if it.family == "percent" and ("satisfaction" in it.kinds
                                       or (gap < 5 and gap < 0.2 * max(abs(was.value), abs(it.t.value)))):
            continue        # a floor of ≥90% after 93% is a standard kept; ≤5% after 2% is loosened
        if up is True and it.t.value < was.value:
            yield ctx.at(it, "target", f"“{it.name}”的目标值“{it.t.text}”低于上年实际完成值“{was.text}”",
                         "目标一般不低于上年实际水平; 确需降低的, 在指标解释中说明原因")
        elif up is False and it.t.value > was.value:
            yield ctx.at(it, "target", f"“{it.name}”的目标值“{it.t.text}”高于上年实际值“{was.text}”, 要求放松了",
                         "反向指标的目标一般不高于上年实际水平; 确需放宽的, 说明原因")


@rule("V-TARGET-LOWERED", "info", title="目标比上年降低", refines="R22",
      checks="上年表没有实际完成值时, 与上年同名指标的目标值比较: 正向指标目标降低、反向指标目标放宽时提示。",
      why="目标逐年降低是“把目标定低以便完成”的常见做法, 审核时需问清原因。",
      needs="需要上年的表 (--previous)。",
      fails=Example(project(*BASIC, qty("检查企业数", "≥80家")),
                    previous=project(qty("检查企业数", "≥100家"), year=2023)),
      passes=Example(project(*BASIC, qty("检查企业数", "≥110家")),
                     previous=project(qty("检查企业数", "≥100家"), year=2023)))
def lower_than_last_target(ctx):
    if not last_year(ctx):
        return
    for it, old in _matches(ctx):
        if old is None or old.ind.actual is not None or not _comparable(it.t, old.t):
            continue
        up = _positive(it.t, it)
        if (up is True and it.t.value < old.t.value) or (up is False and it.t.value > old.t.value):
            yield ctx.at(it, "target", f"“{it.name}”的目标值由上年的“{old.t.text}”{'降低' if up else '放宽'}为“{it.t.text}”",
                         "说明目标调整的原因 (资金减少、任务调整等)")


@rule("V-COPIED", "info", title="指标与上年完全相同", refines="R22",
      checks="与上年表 (--previous) 比较: 名称和指标值都未改动的指标。",
      why="逐年照抄的目标说明没有根据当年任务和资金重新测算; 单条相同属正常, 故只作提示。",
      needs="需要上年的表 (--previous)。",
      fails=Example(project(*BASIC, qty("检查企业数", "≥100家")),
                    previous=project(qty("检查企业数", "≥100家"), year=2023)),
      passes=Example(project(*BASIC, qty("检查企业数", "≥120家")),
                     previous=project(qty("检查企业数", "≥100家"), year=2023)))
def copied_indicator(ctx):
    if not last_year(ctx):
        return
    for it, old in _matches(ctx):
        if old is not None and it.t is not None and old.t is not None and _text(it.t) == _text(old.t):
            yield ctx.at(it, "target", f"“{it.name} {it.t.text}”与上年完全相同", "按本年度任务和资金重新测算目标值")


@rule("V-COPIED-SHEET", "warning", title="整表照搬上年", refines="R22",
      checks="与上年完全相同的指标 (名称和指标值都相同) 占比达到配置值 (默认 80%)。",
      why="整表照搬说明目标没有随任务和资金变化而调整, 审核时应退回重新测算。",
      needs="需要上年的表 (--previous); 占比由配置 thresholds.copied_share 设定。",
      fails=Example(project(*BASIC), previous=project(*BASIC, year=2023)),
      passes=Example(project(qty("培训人次", "≥600人次"), social("政策知晓率", "≥92%"), sat("参训人员满意度", "≥90%")),
                     previous=project(*BASIC, year=2023)))
def copied_sheet(ctx):
    if not last_year(ctx) or not ctx.items:
        return
    same = sum(1 for it, old in _matches(ctx)
               if old is not None and it.t is not None and old.t is not None and _text(it.t) == _text(old.t))
    share = same / len(ctx.items)
    if share >= ctx.th.copied_share:
        where = "functions" if ctx.sheet.functions else "indicators"
        yield ctx.at_sheet(where, f"{len(ctx.items)} 个指标中有 {same} 个与上年完全相同 ({share:.0%})",
                           "按本年度任务和资金重新测算各项目标")


@rule("R26", "error", title="自评指标与批复不一致", phase="evaluation",
      checks="自评表 (--previous 为同年批复表时) 使用批复的指标: 不增、不减, 指标值不改。",
      why="自评对照批复的目标打分 (财预〔2020〕10号); 自行增删或改低目标需经批准的调整。",
      needs="需要本表为自评表, 且 --previous 为同年的批复表。",
      fails=Example(project(qty("培训人次", "≥400人次", actual="450人次"), social("政策知晓率", "≥90%", actual="92%"),
                            sat("参训人员满意度", "≥90%", actual="95%"), stage="self_evaluation"),
                    previous=project(*BASIC)),
      passes=Example(project(qty("培训人次", "≥500人次", actual="520人次"), social("政策知晓率", "≥90%", actual="92%"),
                             sat("参训人员满意度", "≥90%", actual="95%"), stage="self_evaluation"),
                     previous=project(*BASIC)))
def self_evaluation_matches_approval(ctx):
    if not approved_reference(ctx):
        return
    matched = set()
    for it, old in _matches(ctx):
        if old is None:
            yield ctx.at(it, "name", f"自评表中的“{it.name}”不在批复的指标中", "删除新增的指标, 或附上经批准的目标调整")
            continue
        matched.add(old.path)
        if it.t is not None and old.t is not None and _text(it.t) != _text(old.t):
            yield ctx.at(it, "target", f"“{it.name}”的指标值由批复的“{old.t.text}”改为“{it.t.text}”",
                         "按批复的指标值自评; 调整须随预算调整报批")
    for label, old in _previous_items(ctx):
        if old.path not in matched:
            where = f"“{label}”中" if label else ""
            yield ctx.at_sheet("indicators" if not ctx.sheet.functions else "functions",
                               f"批复{where}的指标“{old.name} {old.t.text if old.t else ''}”在自评表中缺失",
                               "补上该指标并如实填写完成情况")


@rule("V-OVER-ACHIEVED", "warning", title="实际值大幅超过目标", phase="evaluation",
      checks="有实际完成值时: 正向指标的实际值超过目标值的配置倍数 (默认 1.2 倍); 百分比还须高出目标 20 个百分点"
             "以上 (85% 对 ≥70% 是达到了标准, 不是目标定低了)。",
      why="大幅超额多半说明目标定得过低; 自评时须说明偏差原因, 评分可酌情扣减 (domain.md §4.1)。",
      needs="需要指标有实际完成值 (监控表、自评表); 倍数由配置 thresholds.over_achievement 设定。",
      fails=Example(project(*BASIC, qty("检查企业数", "≥100家", actual="150家"), stage="self_evaluation")),
      passes=Example(project(*BASIC, qty("检查企业数", "≥100家", actual="110家"), stage="self_evaluation")))
def over_achieved(ctx):
    ratio = ctx.th.over_achievement
    for it in ctx.items:
        a = it.ind.actual
        if not _comparable(it.t, a) or it.t.value <= 0 or _positive(it.t, it) is not True:
            continue
        if it.family == "percent" and (it.t.value >= 100 or "growth" in it.kinds):
            continue                       # a growth rate of 12% against 10% is no windfall
        # Beyond 1.2× (not at it: 12 against 10 is ordinary); a rate also by 20 points or more,
        # since 85% against a 70% floor is a standard met, not a target set too low.
        if a.value > ratio * it.t.value + 1e-9 and (it.family != "percent" or a.value - it.t.value >= 20):
            yield ctx.at(it, "actual", f"“{it.name}”实际完成“{a.text}”, 是目标“{it.t.text}”的 {a.value / it.t.value:.1f} 倍",
                         "说明超额原因; 若目标定得过低, 下年度据实提高目标")


