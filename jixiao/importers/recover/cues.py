"""What an indicator's name and value say about its 二级 category.

Strong cues where the wording is explicit (…满意度 → 满意度), weak ones otherwise
(及时 → 时效, 元/万元 → 成本, …率 → 质量). Scores are log-odds-like bonuses that
the structure solver adds to printed-label evidence; they never decide alone.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ...model.indicator import (
    COST2,
    ECO_COST,
    ECOLOGICAL,
    ECON_COST,
    ECONOMIC,
    QUALITY,
    QUANTITY,
    RECIPIENT,
    SOCIAL,
    SOCIAL_COST,
    SUSTAINABLE,
    TIMELINESS,
    Category,
)
from ...model.target import parse_target

# (pattern on the name, 二级 it points to, strength). The suffix conventions of
# indicator names (…合格率 is 质量, …及时率 is 时效, …满意度 is 满意度, 受益…人数 is
# 社会效益) are strong; topic words (社会, 环境) are weak. A name may match several;
# each category keeps its strongest match.
_HARMS = r"超标|投诉|事故|违规|噪声|污染|信访|拥堵|破坏|流失"
_NAME_CUES = [(re.compile(p), level2, strength) for p, level2, strength in [
    (r"满意度|满意率|满意程度", RECIPIENT, 3.0),
    (r"及时|按时|按期|准时|(?:时限|时效|进度|周期|期限|完成时间|截止时间|发放时间|响应时间|工作日)$", TIMELINESS, 1.5),
    (r"合格率|达标率|准确率|规范率|完好率|合规率|优良率|合规性|规范性|完整性|验收|合格|质量达标|通过率", QUALITY, 1.2),
    (r"完成率$", QUALITY, 0.8),
    (rf"^(?!.*(?:受益|{_HARMS})).*(?:次数|人数|人次|场次|期数|份数|个数|户数|数量|频次|家数|座数|规模|面积|长度|里程|册数|件数)$",
     QUANTITY, 1.2),
    (r"^(?:开展|举办|组织|召开|发放|培训|建设|新建|修缮|购置|采购|检查|维修|安装|改造|硬化|印发|养护|设置|疏通|"
     r"铺设|种植|配备|更换|完成)[^率度性]{0,10}$", QUANTITY, 0.8),
    (r"(?:成本|经费|费用|单价|补助标准|补贴标准|报酬标准|生活补助|造价|总投资|资金补助|人大补助|支出)$", COST2, 1.5),
    (r"增收|产值|产量|收入|利润|税收|节约.*资金|经济效益|增长率", ECONOMIC, 1.5),
    (r"知晓率|普及率|入学率|化解率|调解成功率|便利度|正常运转|水平$|意识$|发生率$|受益|(?<!森林|绿化|林草)覆盖率",
     SOCIAL, 1.5),
    (r"社会|群众|安全|稳定|保障|秩序|就业|治理|公开", SOCIAL, 0.5),
    (r"森林覆盖率|绿化覆盖率|林草覆盖率|无害化|综合利用率|水质达标率|优良天数|(?:灌溉|排水|造林|水土保持).{0,4}面积|"
     r"人居环境$|村容村貌|生态环境质量|河湖生态", ECOLOGICAL, 1.8),
    (r"生态|环境|绿化|空气|污染|排放|植被|垃圾|环保|节能|减排", ECOLOGICAL, 0.6),
    (r"长效|可持续|持续发挥作用|持续影响|使用年限|长期|常态化", SUSTAINABLE, 1.5),
    (r"扬尘|投诉|事故发生次数|信访事件|交通拥堵|周边居民|社会成本", SOCIAL_COST, 1.5),
    (r"废弃物|植被破坏|噪声|水土流失|环境污染|对生态环境的影响|生态环境成本", ECO_COST, 1.5),
]]
# A name without 满意 is rarely a 满意度 indicator, one with no word of time and no
# deadline rarely a 时效 one.
NOT_SATISFACTION, NOT_TIMELY = 1.0, 0.3
# Qualifiers clerks append to names: (含结转项目), (按年度计), (全年).
_QUALIFIER = re.compile(r"[(（][^()（）]{1,10}[)）]$")
_COUNT_UNITS = set("个项人次场户家所座台套件册本篇份期批条辆棵株名间处")
_PHYSICAL_UNITS = {"米", "公里", "平方米", "亩", "吨", "公斤", "立方米", "延米", "盏"}
_MONEY = re.compile(r"^(?:万?元|亿元|万)(?:/|$)")


@lru_cache(maxsize=16384)
def cue_scores(name: str, value: str | None) -> tuple[tuple[str, float], ...]:
    """Sparse (二级, bonus) pairs for one indicator; cost cues name the classic 成本指标
    and are mapped onto the regime's categories by ``cue_index``."""
    out: dict[str, float] = {}
    name = _QUALIFIER.sub("", name)
    for pattern, level2, strength in _NAME_CUES:
        if pattern.search(name):
            out[level2] = max(out.get(level2, 0.0), strength)
    if RECIPIENT not in out:
        out[RECIPIENT] = -NOT_SATISFACTION
    t = parse_target(value) if value else None
    if TIMELINESS not in out and not (t and t.kind in ("deadline", "period")):
        out[TIMELINESS] = -NOT_TIMELY
    if t:
        unit = t.unit or ""
        harmful = t.op in ("≤", "<") or t.value == 0
        if t.kind in ("deadline", "period"):
            out[TIMELINESS] = out.get(TIMELINESS, 0.0) + 0.8
        elif unit and _MONEY.match(unit):
            out[COST2] = out.get(COST2, 0.0) + (0.8 if harmful else 0.4)
        elif unit and (unit in _COUNT_UNITS or unit[-1] in _COUNT_UNITS or unit in _PHYSICAL_UNITS) \
                and "率" not in name and not harmful:
            out[QUANTITY] = out.get(QUANTITY, 0.0) + 0.4
        elif unit in ("%", "百分比") and out[RECIPIENT] < 0:
            out[QUALITY] = out.get(QUALITY, 0.0) + 0.15
        elif t.kind == "qualitative":
            for l2 in (SOCIAL, SUSTAINABLE, ECOLOGICAL):
                out[l2] = out.get(l2, 0.0) + 0.2
    return tuple(out.items())


# A cue for a category the regime lacks counts for its nearest relative.
_STAND_INS = {COST2: ECON_COST, SOCIAL_COST: SOCIAL, ECO_COST: ECOLOGICAL}


def cue_index(categories: tuple[Category, ...]) -> dict[str, int]:
    """二级 name -> position in the regime, with stand-ins for the other regime's names."""
    index = {c.level2: k for k, c in enumerate(categories)}
    for missing, relative in _STAND_INS.items():
        if missing not in index and relative in index:
            index[missing] = index[relative]
    return index


# Prior preference among categories when nothing else speaks: an unlabelled 效益
# block defaults to 社会效益指标; rare categories cost a little.
PRIOR = {
    QUANTITY: 0.0, QUALITY: -0.2, TIMELINESS: -1.0, COST2: -1.0, ECONOMIC: -2.0, SOCIAL: 0.0,
    ECOLOGICAL: -2.0, SUSTAINABLE: -2.0, RECIPIENT: 0.0, ECON_COST: -0.5, SOCIAL_COST: -2.0,
    ECO_COST: -2.0,
}
