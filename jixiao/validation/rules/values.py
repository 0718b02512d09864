"""指标值: plausible values for satisfaction, completion and timeliness (R14–R16, R8)."""
from __future__ import annotations

import re
import unicodedata

from ...model.indicator import TIMELINESS
from ...model.target import QUALITATIVE_WORDS
from .. import names
from ..registry import BASIC, Example, project, qual, rule, sat, social, timely

_GRADED = frozenset(QUALITATIVE_WORDS)
_TIME_NAME = re.compile(r"(?:时间|时限|期限|日期|工期)$")
# "按时完成", "如期完工": a deadline word with no date at all.
_DURATION = re.compile(r"\d+\s*(?:个)?(?:工作日|天|日|小时|周|个月|月|年)")
_NO_DATE = re.compile(r"(?:按时|按期|如期|及时|准时)(?:完成|完工|办结|发放|到位|实施|拨付)?")


def _percentish(it) -> bool:
    """A percent value, or a bare number that can only be one (≤ 100)."""
    t = it.t
    return it.family == "percent" or (not t.unit and t.value is not None and 0 <= t.value <= 100)


@rule("R14", "warning", title="满意度目标值不合理", on_self_evaluation="explain",
      checks="满意度目标一般为 ≥85%–≥95%: 恰为 100% 或低于配置下限 (默认 80%) 时提示。",
      why="100% 满意要求每个服务对象都满意, 既难实现也无区分度; 过低的满意度目标起不到约束作用。",
      needs="下限由配置 thresholds.satisfaction_floor 设定。",
      fails=Example(project(*BASIC, sat("社会公众满意度", "=100%"))),
      passes=Example(project(*BASIC, sat("社会公众满意度", "≥95%"))))
def satisfaction_value(ctx):
    floor = ctx.th.satisfaction_floor
    for it in ctx.items:
        t = it.t
        if "satisfaction" not in it.kinds or t is None or t.value is None or not _percentish(it):
            continue
        if t.value == 100 and t.upper is None and t.op in (None, "=", "≥"):
            yield ctx.at(it, "target", f"满意度指标“{it.name}”的目标值“{t.text}”恰为 100%",
                         "满意度目标一般设为“≥90%”或“≥95%”, 留出合理的区分空间")
        elif t.value < floor:
            yield ctx.at(it, "target", f"满意度指标“{it.name}”的目标值“{t.text}”低于 {floor:g}%",
                         f"满意度目标一般不低于 {floor:g}%, 请核实或说明理由")


@rule("R15", "info", title="完成率、验收合格率目标偏低", on_self_evaluation="explain",
      checks="完成率、验收合格率、办结率等通常为 =100% 或 ≥95%; 低于配置值 (默认 95%) 时需说明理由。",
      why="计划内的任务按理应全部完成; 偏低的完成率目标等于预先降低了要求。",
      needs="下限由配置 thresholds.completion_floor 设定。",
      fails=Example(project(*BASIC, qual("全年各项重点工作任务完成率", "≥90%"))),
      passes=Example(project(*BASIC, qual("全年各项重点工作任务完成率", "=100%"))))
def completion_low(ctx):
    floor = ctx.th.completion_floor
    for it in ctx.items:
        t = it.t
        if "completion" in it.kinds and t is not None and t.value is not None and it.family == "percent" \
                and t.value < floor and t.op not in ("≤", "<"):
            yield ctx.at(it, "target", f"“{it.name}”的目标值“{t.text}”低于 {floor:g}%",
                         "完成类指标一般设为“=100%”或“≥95%”; 确需偏低的, 在指标解释中说明原因")


@rule("R16", "warning", title="时效指标没有时间要求",
      checks="时效指标的值是日期、期限、周期或时长 (“12月31日前”“≤15个工作日”“按月”)或及时率, 而不是形容词; "
             "名称是时间 (…完成时间、…时限) 的, 指标值不能是百分比 (“完成时间 =100%”)。",
      why="“及时”“较快”无法判断是否按时完成, 时效指标必须能对照日历检查。",
      fails=Example(project(*BASIC, timely("补贴发放时间", "及时"), timely("项目完成时间", "按时完成"))),
      passes=Example(project(*BASIC, timely("补贴发放时间", "12月31日前"))))
def timeliness_adjective(ctx):
    for it in ctx.items:
        t = it.t
        vague_deadline = t is not None and t.kind == "deadline" and _NO_DATE.fullmatch(
            unicodedata.normalize("NFKC", t.text).strip()) is not None
        if t is not None and t.kind == "qualitative" and _DURATION.search(unicodedata.normalize("NFKC", t.text)):
            continue                       # "申请后30个工作日内": a duration in words
        if it.l2 == TIMELINESS and t is not None and (t.kind == "qualitative" or vague_deadline):
            yield ctx.at(it, "target", f"时效指标“{it.name}”的指标值“{t.text}”不是日期、期限或时长",
                         "写明完成时限, 如“12月31日前”“≤15个工作日”, 或改为“…及时率 =100%”")
        elif it.l2 == TIMELINESS and it.family == "percent" and "rate" not in it.kinds and _TIME_NAME.search(it.core):
            yield ctx.at(it, "target", f"“{it.name}”是时间, 指标值“{t.text.strip()}”却是百分比",
                         f"写明“{it.core}”的具体日期或时限 (如“…月…日前”), 或改名为“{it.core.removesuffix('时间')}及时率”")


_YEAR_MONTH = re.compile(r"(\d{4})\s*年(?:\s*(\d{1,2})\s*月)?")


@rule("V-DEADLINE-YEAR", "warning", title="完成时限不在预算年度内", refines="R16",
      checks="年度目标的完成时限 (“2025年3月底前”) 落在预算年度之内: 早于本年度的多半照抄了上年的表; 晚于本年度"
             "一个月以上的, 本年度无从考核 (次年 1 月报送的年报、决算等不提示)。",
      why="年度绩效目标考核的是预算年度内完成的事: 时限在年度之外, 年底自评时对照不上, 资金也可能跨年结转。",
      needs="需要表头有年度。",
      fails=Example(project(*BASIC, timely("动态调整完成时间", "2025年3月底前"), year=2024)),
      passes=Example(project(*BASIC, timely("动态调整完成时间", "2024年12月底前"), year=2024)))
def deadline_outside_year(ctx):
    year = ctx.sheet.year
    if not year:
        return
    for it in ctx.items:
        t = it.t
        if t is None or t.kind != "deadline" or not t.text:
            continue
        dates = [(int(m[1]), int(m[2]) if m[2] else 12) for m in _YEAR_MONTH.finditer(unicodedata.normalize("NFKC", t.text))]
        dates = [(y, mo) for y, mo in dates if 2000 <= y <= 2100 and 1 <= mo <= 12]
        if not dates:
            continue
        y, mo = max(dates)
        if y < year:
            yield ctx.at(it, "target", f"“{it.name}”的完成时限“{t.text.strip()}”早于预算年度 {year} 年, 像是照抄了上年的表",
                         f"改为 {year} 年内的完成时限, 如“{year}年12月31日前”")
        elif (y - year) * 12 + mo > 13:
            yield ctx.at(it, "target", f"“{it.name}”的完成时限“{t.text.strip()}”在预算年度 {year} 年之后, 本年度无从考核",
                         f"年度目标写 {year} 年内能完成的进度 (如“{year}年12月31日前完成…”), 跨年的部分列入下年度目标")


@rule("V-QUAL-UNGRADED", "info", title="定性指标值未分级", refines="R8",
      checks="定性指标值宜取分级分档的表述 (高/中/低, 优/良/中/差, 达到预期, 应保尽保, 符合相关规定 …)。",
      why="定性指标只在无法量化时使用, 且应分级分档才能评分 (财预〔2015〕88号); 各地允许的表述不一, 故只作提示。",
      fails=Example(project(*BASIC, social("保障单位正常运转", "正常运转"))),
      passes=Example(project(*BASIC, social("保障单位正常运转", "应保尽保"))))
def qualitative_ungraded(ctx):
    for it in ctx.items:
        t = it.t
        if t is None or t.kind != "qualitative":
            continue
        text = unicodedata.normalize("NFKC", t.text).strip()
        if text in _GRADED or names.vague_phrase(text) or _DURATION.search(text):
            continue   # graded, or reported as vague wording (V-VAGUE)
        yield ctx.at(it, "target", f"“{it.name}”的定性指标值“{t.text}”不是分级分档的表述",
                     "能量化的改为数值; 确需定性的, 用“高/中/低”“优/良/中/差”“达到预期”等分级表述")
