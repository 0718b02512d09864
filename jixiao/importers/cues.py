"""What an indicator's name and value say about its 二级 category.

Strong cues where the wording is explicit (…满意度 → 满意度), weak ones otherwise
(及时 → 时效, 元/万元 → 成本, …率 → 质量). Scores are log-odds-like bonuses that
the structure solver adds to printed-label evidence; they never decide alone.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..model.indicator import (
    COST2, ECO_COST, ECOLOGICAL, ECON_COST, ECONOMIC, QUALITY, QUANTITY,
    RECIPIENT, SOCIAL, SOCIAL_COST, SUSTAINABLE, TIMELINESS, Category,
)
from ..model.target import parse_target

# (pattern on the name, 二级 it points to, strength)
_NAME_CUES = [
    (re.compile(r"满意|满意度|满意率"), RECIPIENT, 2.5),
    (re.compile(r"成本|费用|单价|补助标准|补贴标准|造价|投资额|总投资|资金额"), COST2, 1.0),
    (re.compile(r"及时|按时|按期|时限|时效|进度|周期|期限|完成时间|准时|工作日"), TIMELINESS, 1.0),
    (re.compile(r"合格|达标|准确|验收|优良|规范|完好|正确|通过率|成功率|完成率|执行率|到位率"), QUALITY, 0.7),
    (re.compile(r"次数|人数|个数|户数|场次|数量|人次|家数|座数|面积|长度|里程|规模|条数|件数|册数|(?:开展|举办|组织|召开|发放|培训|建设|新建|修缮|购置|采购|检查|维修)[^率度性]{0,8}$"), QUANTITY, 0.7),
    (re.compile(r"增收|收入|产值|经济|效益增加|利润|节约资金|税收|带动.{0,6}(?:增|产)"), ECONOMIC, 0.8),
    (re.compile(r"知晓|覆盖|普及|受益|社会|群众|安全|稳定|保障|运转|秩序|就业|服务水平|改善|提升|提高"), SOCIAL, 0.4),
    (re.compile(r"生态|环境|绿化|空气|水质|污染|排放|植被|森林|节能|减排|垃圾|扬尘|环保"), ECOLOGICAL, 0.8),
    (re.compile(r"长效|可持续|持续|机制|长期|制度建设|常态化"), SUSTAINABLE, 0.8),
]
_COUNT_UNITS = set("个项人次场户家所座台套件册本篇份期批条辆棵株名间处")
_MONEY = re.compile(r"^(?:万?元|亿元|万)(?:/|$)")


@lru_cache(maxsize=16384)
def cue_scores(name: str, value: str | None) -> tuple[tuple[str, float], ...]:
    """Sparse (二级, bonus) pairs for one indicator; cost cues name the classic 成本指标
    and are mapped onto 经济成本 in the 2021 regime by ``cue_index``."""
    out: dict[str, float] = {}
    for pattern, level2, strength in _NAME_CUES:
        if pattern.search(name):
            out[level2] = max(out.get(level2, 0.0), strength)
    if value:
        t = parse_target(value)
        unit = t.unit or ""
        if getattr(t, "kind", None) in ("deadline", "period"):
            out[TIMELINESS] = out.get(TIMELINESS, 0.0) + 0.8
        elif unit and _MONEY.match(unit):
            out[COST2] = out.get(COST2, 0.0) + (0.8 if t.op in ("≤", "<") else 0.4)
        elif unit and (unit in _COUNT_UNITS or unit[-1] in _COUNT_UNITS) and "率" not in name:
            out[QUANTITY] = out.get(QUANTITY, 0.0) + 0.4
        elif unit in ("%", "百分比") and RECIPIENT not in out:
            out[QUALITY] = out.get(QUALITY, 0.0) + 0.15
        elif getattr(t, "kind", None) == "qualitative":
            for l2 in (SOCIAL, SUSTAINABLE, ECOLOGICAL):
                out[l2] = out.get(l2, 0.0) + 0.2
    return tuple(out.items())


_COST_IN_2021 = {COST2: ECON_COST}


def cue_index(categories: tuple[Category, ...]) -> dict[str, int]:
    """二级 name -> position in the regime, with classic cost cues landing on 经济成本."""
    index = {c.level2: k for k, c in enumerate(categories)}
    for classic, modern in _COST_IN_2021.items():
        if classic not in index and modern in index:
            index[classic] = index[modern]
    return index


# Prior preference among categories when nothing else speaks: an unlabelled 效益
# block defaults to 社会效益指标; rare categories cost a little.
PRIOR = {
    QUANTITY: 0.0, QUALITY: -0.2, TIMELINESS: -1.0, COST2: -1.0, ECONOMIC: -2.0, SOCIAL: 0.0,
    ECOLOGICAL: -2.0, SUSTAINABLE: -2.0, RECIPIENT: 0.0, ECON_COST: -0.5, SOCIAL_COST: -2.0,
    ECO_COST: -2.0,
}
