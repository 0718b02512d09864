"""Scoring settings: the ``[scoring]`` table of a review profile (TOML).

Every number of domain.md §4 that is a ``[K]`` fact or differs between finance
bureaus is a setting here: block weights, the reverse formula, rounding, the
execution denominator, the over-achievement ratio, the qualitative tiers and
bands, the grade thresholds. ``scoring_config(table)`` builds a config from the
TOML-shaped table; unknown keys and wrong types are refused with a Chinese
``ProfileInvalid`` naming the key, as ``validation.profile`` does, so a typo never
silently changes a score.

The profile loader of ``jixiao check`` (``validation/profile.py``) belongs to the
validation rules; this module reads the same file's ``[scoring]`` table on its
own (``config_from_profile_text``), so neither needs the other. Where the
validation profile already has a setting with the same meaning
(``thresholds.over_achievement``, ``thresholds.execution_weight``,
``thresholds.block_weights``) it is used as the fallback, so one file never holds
two numbers that disagree silently: ``[scoring]`` wins when both are written.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from typing import Any

from ..errors import ProfileInvalid

REVERSE_STRATEGIES = ("linear", "ratio")
ROUNDINGS = ("half_up", "half_even", "down", "up")
DENOMINATORS = ("budget", "budget_initial")
UNSCORABLE = ("zero", "claimed")
WEIGHT_SOURCES = ("sheet", "profile")
PICKS = ("top", "bottom")
BLOCKS = ("output", "effect", "satisfaction", "cost")
BLOCK_NAMES = {"output": "产出指标", "effect": "效益指标", "satisfaction": "满意度指标",
               "cost": "成本指标"}
TIERS = ("achieved", "partial", "failed")
TIER_NAMES = {"achieved": "达成年度指标", "partial": "部分达成年度指标并具有一定效果",
              "failed": "未达成年度指标且效果较差"}


@dataclass(frozen=True, slots=True)
class Weights:
    """Points of each block (domain.md §2.5, §4.1; 财预〔2020〕10号, [K])."""

    execution: float = 10.0
    output: float = 50.0
    effect: float = 30.0
    satisfaction: float = 10.0
    # 0: a 成本指标 一级 (101号) shares the 产出 points, as real forms do (§2.5).
    cost: float = 0.0
    # Where a missing block's points go: satisfaction joins 效益 (§4.1); "" drops them.
    satisfaction_to: str = "effect"
    # "sheet": the 分值 printed on the sheet wins; "profile": always these points.
    source: str = "sheet"

    def of(self, block: str) -> float:
        return float(getattr(self, block))


@dataclass(frozen=True, slots=True)
class Execution:
    """Budget execution score: min(executed / denominator, 1) × weight (§4.1)."""

    denominator: str = "budget"        # 全年预算数 / 调整后预算数; or budget_initial (年初预算数)
    decimals: int = 2
    rounding: str = "half_up"          # 86% × 10 = 8.6 → 9 in a Hebei form: decimals = 0
    reason_below: float = 90.0         # % below which a reason is required (Sichuan, [S11])


@dataclass(frozen=True, slots=True)
class Qualitative:
    """Tiers of a qualitative actual and the share of the weight each allows (§4.1)."""

    achieved: tuple[float, float] = (0.8, 1.0)
    partial: tuple[float, float] = (0.6, 0.8)
    failed: tuple[float, float] = (0.0, 0.6)
    # Score taken when the sheet claims none: the top or the bottom of the band.
    pick: str = "top"
    # Words that place an actual in a tier, tried failed → partial → achieved (the
    # negative words contain the positive ones: 未达成 contains 达成).
    failed_words: tuple[str, ...] = ("未达成", "未完成", "未达到", "未实现", "效果较差", "较差", "差",
                                     "滞后", "延期", "逾期", "未按期", "未按时")
    partial_words: tuple[str, ...] = ("部分达成", "部分完成", "部分实现", "基本达成", "基本完成",
                                      "基本实现", "基本达到", "一定效果", "有所", "较好", "良", "中")
    achieved_words: tuple[str, ...] = ("达成", "完成", "达到", "实现", "符合", "按期", "按时", "如期",
                                       "及时", "明显", "显著", "提升", "提高", "改善", "好", "优",
                                       "高", "满意", "应保尽保", "严格执行", "持续发挥")

    def band(self, tier: str) -> tuple[float, float]:
        return getattr(self, tier)


@dataclass(frozen=True, slots=True)
class Grades:
    """Grade floors (§4.1: 优 ≥90, 良 80–<90, 中 60–<80, 差 <60; [K 10号][S8])."""

    excellent: float = 90.0
    good: float = 80.0
    fair: float = 60.0

    def of(self, total: float) -> str:
        if total >= self.excellent:
            return "优"
        if total >= self.good:
            return "良"
        if total >= self.fair:
            return "中"
        return "差"


@dataclass(frozen=True, slots=True)
class ScoringConfig:
    reverse: str = "linear"            # linear: down to 0 at 2 × target [C1]; ratio: t/a × w [S14]
    decimals: int = 2
    rounding: str = "half_up"
    cap_at_weight: bool = True         # a score never exceeds its weight
    over_achievement: float = 1.2      # a ≥ 1.2 t is flagged (Guangxi 1.3) [C2]
    flag_reverse_exceeded: bool = False  # Tianjin: flag a reverse indicator with a > t [C2]
    flag_equal_mismatch: bool = False    # Tianjin: flag "=" with a ≠ t [C2]
    unscorable: str = "zero"           # an indicator that cannot be recomputed counts 0, or its claim
    tolerance: float = 0.01            # claimed and recomputed differ when apart by more than this
    weights: Weights = field(default_factory=Weights)
    execution: Execution = field(default_factory=Execution)
    qualitative: Qualitative = field(default_factory=Qualitative)
    grades: Grades = field(default_factory=Grades)
    source: str = "默认配置"


DEFAULT = ScoringConfig()

# key -> (type, allowed values or None) for each table; "pair" is a 2-number list.
_TOP = {"reverse": (str, REVERSE_STRATEGIES), "decimals": (int, None), "rounding": (str, ROUNDINGS),
        "cap_at_weight": (bool, None), "over_achievement": (float, None),
        "flag_reverse_exceeded": (bool, None), "flag_equal_mismatch": (bool, None),
        "unscorable": (str, UNSCORABLE), "tolerance": (float, None)}
_WEIGHTS = {"execution": (float, None), "output": (float, None), "effect": (float, None),
            "satisfaction": (float, None), "cost": (float, None),
            "satisfaction_to": (str, ("effect", "output", "")), "source": (str, WEIGHT_SOURCES)}
_EXECUTION = {"denominator": (str, DENOMINATORS), "decimals": (int, None), "rounding": (str, ROUNDINGS),
              "reason_below": (float, None)}
_QUALITATIVE = {"achieved": ("pair", None), "partial": ("pair", None), "failed": ("pair", None),
                "pick": (str, PICKS), "failed_words": ("words", None), "partial_words": ("words", None),
                "achieved_words": ("words", None)}
_GRADES = {"excellent": (float, None), "good": (float, None), "fair": (float, None)}
_SUBTABLES: dict[str, dict[str, tuple[Any, Any]]] = {
    "weights": _WEIGHTS, "execution": _EXECUTION, "qualitative": _QUALITATIVE, "grades": _GRADES}
_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")


def scoring_config(table: dict[str, Any] | None, *, source: str = "配置",
                   base: ScoringConfig = DEFAULT) -> ScoringConfig:
    """The config of a TOML-shaped ``[scoring]`` table over ``base``."""
    table = table or {}

    def bad(key: str, detail: str) -> ProfileInvalid:
        return ProfileInvalid(source, f"键 scoring.{key}: {detail}")

    if not isinstance(table, dict):
        raise ProfileInvalid(source, "键 scoring: 应为一个表 ([scoring])")
    top: dict[str, Any] = {}
    subs: dict[str, Any] = {}
    for key, v in table.items():
        if key in _SUBTABLES:
            if not isinstance(v, dict):
                raise bad(key, f"应为一个表 ([scoring.{key}])")
            current = getattr(base, key)
            changes = {k: _value(x, _SUBTABLES[key], f"{key}.{k}", bad) for k, x in v.items()}
            subs[key] = replace(current, **changes)
        else:
            top[key] = _value(v, _TOP, key, bad)
    cfg = replace(base, **top, **subs, source=source)
    _check(cfg, bad)
    return cfg


def config_from_profile_text(text: str, *, source: str) -> ScoringConfig:
    """The scoring config of a review profile file's text: its ``[scoring]`` table,
    with ``[thresholds]`` keys of the same meaning as fallbacks (see the module doc)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = _LINE.search(str(e))
        where = f"第{m[1]}行第{m[2]}列" if m else "某处"
        raise ProfileInvalid(source, f"TOML 语法错误 ({where})") from None
    return config_from_profile_data(data, source=source)


def config_from_profile_data(data: dict[str, Any], *, source: str) -> ScoringConfig:
    """As ``config_from_profile_text`` for already parsed TOML data."""
    base = DEFAULT
    th = data.get("thresholds")
    if isinstance(th, dict):
        def bad(key: str, detail: str) -> ProfileInvalid:
            return ProfileInvalid(source, f"键 thresholds.{key}: {detail}")

        fallback: dict[str, Any] = {}
        if "over_achievement" in th:
            fallback["over_achievement"] = _value(th["over_achievement"], _TOP, "over_achievement", bad)
        w: dict[str, Any] = {}
        if "execution_weight" in th:
            w["execution"] = _value(th["execution_weight"], _WEIGHTS, "execution", bad)
        bw = th.get("block_weights")
        if isinstance(bw, list) and len(bw) == 3:
            for k, x in zip(("output", "effect", "satisfaction"), bw):
                w[k] = _value(x, _WEIGHTS, k, bad)
        base = replace(base, **fallback, weights=replace(base.weights, **w))
    return scoring_config(data.get("scoring"), source=source, base=base)


def _value(v: Any, schema: dict[str, tuple[Any, Any]], key: str, bad) -> Any:
    name = key.rsplit(".", 1)[-1]
    if name not in schema:
        raise bad(key, "未知的配置项")
    kind, allowed = schema[name]
    if kind is bool:
        if not isinstance(v, bool):
            raise bad(key, f"应为 true 或 false, 实为“{v}”")
        return v
    if kind is int:
        if not isinstance(v, int) or isinstance(v, bool):
            raise bad(key, f"应为整数, 实为“{v}”")
        if v < 0 or v > 6:
            raise bad(key, "应在 0 到 6 之间")
        return v
    if kind is float:
        if not isinstance(v, (int, float)) or isinstance(v, bool) or v != v or v in (float("inf"), float("-inf")):
            raise bad(key, f"应为数字, 实为“{v}”")
        if v < 0:
            raise bad(key, "不能为负数")
        return float(v)
    if kind == "pair":
        if not (isinstance(v, list) and len(v) == 2 and all(
                isinstance(x, (int, float)) and not isinstance(x, bool) for x in v)):
            raise bad(key, "应为两个数字的列表, 例如 [0.8, 1.0]")
        lo, hi = float(v[0]), float(v[1])
        if not 0 <= lo <= hi <= 1:
            raise bad(key, "应满足 0 ≤ 下限 ≤ 上限 ≤ 1 (分值的比例)")
        return (lo, hi)
    if kind == "words":
        if not (isinstance(v, list) and all(isinstance(x, str) and x for x in v)):
            raise bad(key, "应为文字列表")
        return tuple(v)
    if not isinstance(v, str):
        raise bad(key, f"应为文字, 实为“{v}”")
    if allowed is not None and v not in allowed:
        shown = " / ".join(f"“{a}”" for a in allowed)
        raise bad(key, f"应为 {shown} 之一, 实为“{v}”")
    return v


def _check(cfg: ScoringConfig, bad) -> None:
    g = cfg.grades
    if not g.excellent >= g.good >= g.fair:
        raise bad("grades", "应满足 excellent ≥ good ≥ fair")
    if cfg.over_achievement < 1:
        raise bad("over_achievement", "应不小于 1 (实际值为目标值的倍数)")
