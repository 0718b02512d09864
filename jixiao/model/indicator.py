"""The indicator taxonomy (指标体系): 一级/二级 names, aliases and both regimes.

Two regimes exist (domain.md §1.1):

* ``classic`` (财预〔2015〕88号 era): 产出 → 数量, 质量, 时效, 成本; 效益 → 经济, 社会,
  生态, 可持续影响; 满意度 → 服务对象满意度.
* ``2021`` (财预〔2021〕101号): 成本 becomes a 一级 of its own (经济/社会/生态环境成本)
  and comes first; 产出 keeps 数量, 质量, 时效.

A *category* is one (一级, 二级) pair. Categories carry a canonical order: groups of
a function or project follow it, and no 二级 repeats inside one function.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

OUTPUT, EFFECT, SATISFACTION, COST = "产出指标", "效益指标", "满意度指标", "成本指标"
LEVEL1 = (COST, OUTPUT, EFFECT, SATISFACTION)

QUANTITY, QUALITY, TIMELINESS, COST2 = "数量指标", "质量指标", "时效指标", "成本指标"
ECONOMIC, SOCIAL, ECOLOGICAL, SUSTAINABLE = "经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"
RECIPIENT = "服务对象满意度指标"
ECON_COST, SOCIAL_COST, ECO_COST = "经济成本指标", "社会成本指标", "生态环境成本指标"


@dataclass(frozen=True, slots=True)
class Category:
    """One 二级 under its 一级, e.g. 产出指标/数量指标."""

    level1: str
    level2: str

    @property
    def short(self) -> str:
        return self.level2.removesuffix("指标")


CLASSIC = (
    Category(OUTPUT, QUANTITY), Category(OUTPUT, QUALITY), Category(OUTPUT, TIMELINESS),
    Category(OUTPUT, COST2),
    Category(EFFECT, ECONOMIC), Category(EFFECT, SOCIAL), Category(EFFECT, ECOLOGICAL),
    Category(EFFECT, SUSTAINABLE),
    Category(SATISFACTION, RECIPIENT),
)
REGIME_2021 = (
    Category(COST, ECON_COST), Category(COST, SOCIAL_COST), Category(COST, ECO_COST),
    Category(OUTPUT, QUANTITY), Category(OUTPUT, QUALITY), Category(OUTPUT, TIMELINESS),
    Category(EFFECT, ECONOMIC), Category(EFFECT, SOCIAL), Category(EFFECT, ECOLOGICAL),
    Category(EFFECT, SUSTAINABLE),
    Category(SATISFACTION, RECIPIENT),
)
REGIMES = {"classic": CLASSIC, "2021": REGIME_2021}

LEVEL2_OF = {
    OUTPUT: (QUANTITY, QUALITY, TIMELINESS, COST2),
    EFFECT: (ECONOMIC, SOCIAL, ECOLOGICAL, SUSTAINABLE),
    SATISFACTION: (RECIPIENT,),
    COST: (ECON_COST, SOCIAL_COST, ECO_COST),
}
LEVEL2 = tuple(dict.fromkeys(l2 for names in LEVEL2_OF.values() for l2 in names))

# Spellings seen in real forms -> standard name (domain.md §1.1). Keys are compared
# after normalisation (NFKC, no whitespace, no trailing 指标).
_LEVEL2_ALIASES = {
    "数量": QUANTITY, "质量": QUALITY, "时效": TIMELINESS, "进度": TIMELINESS,
    "产出进度": TIMELINESS, "成本": COST2,
    "经济效益": ECONOMIC, "社会效益": SOCIAL, "生态效益": ECOLOGICAL, "环境效益": ECOLOGICAL,
    "生态环境效益": ECOLOGICAL, "可持续影响": SUSTAINABLE, "可持续发展": SUSTAINABLE,
    "服务对象满意度": RECIPIENT, "社会公众或服务对象满意度": RECIPIENT,
    "满意度": RECIPIENT,
    "经济成本": ECON_COST, "社会成本": SOCIAL_COST, "生态环境成本": ECO_COST,
    "生态成本": ECO_COST, "环境成本": ECO_COST,
}
_LEVEL1_ALIASES = {
    "产出": OUTPUT, "效益": EFFECT, "满意度": SATISFACTION, "服务对象满意度": SATISFACTION,
    "社会公众或服务对象满意度": SATISFACTION, "成本": COST,
}
_SPACE = re.compile(r"\s+")


def _key(text: str) -> str:
    s = _SPACE.sub("", unicodedata.normalize("NFKC", text)).strip(":：")
    return s.removesuffix("指标")


@lru_cache(maxsize=4096)
def normalize_level1(text: str | None) -> str | None:
    """Standard 一级 name for a spelling, or None when it is not one."""
    if not text:
        return None
    return _LEVEL1_ALIASES.get(_key(text))


@lru_cache(maxsize=4096)
def normalize_level2(text: str | None) -> str | None:
    """Standard 二级 name for a spelling, or None when it is not one."""
    if not text:
        return None
    return _LEVEL2_ALIASES.get(_key(text))


def level1_of(level2: str) -> str:
    """The classic 一级 a standard 二级 belongs to (成本指标 → 产出指标)."""
    for l1, names in LEVEL2_OF.items():
        if level2 in names:
            return l1
    raise KeyError(level2)


def is_valid_pair(level1: str, level2: str, *, hybrid: bool = True) -> bool:
    """Whether a 二级 may stand under a 一级; ``hybrid`` accepts the mixed forms
    real approved sheets use (产出指标/经济成本指标)."""
    if level2 in LEVEL2_OF.get(level1, ()):
        return True
    return hybrid and level1 in (OUTPUT, COST) and level2 in (COST2, ECON_COST, SOCIAL_COST, ECO_COST)


def regime_of(categories) -> str:
    """``2021`` when any category uses 成本指标 as a 一级, else ``classic``."""
    return "2021" if any(c.level1 == COST for c in categories) else "classic"
