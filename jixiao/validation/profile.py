"""Review profiles: a region/year's regime, thresholds and rule switches, from TOML.

``load_profile(path)`` reads a TOML file over the shipped default
(``profiles/default.toml``): keys left out keep their default, unknown keys and
wrong types are refused with a Chinese message naming the file and the key, so a
typo never silently turns a check off.
"""
from __future__ import annotations

import copy
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import ProfileInvalid

REGIMES = ("auto", "classic", "2021")
SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True, slots=True)
class Thresholds:
    satisfaction_floor: float = 80.0
    completion_floor: float = 95.0
    min_indicators: int = 3
    max_indicators: int = 20
    generic_share: float = 0.6
    over_achievement: float = 1.2
    copied_share: float = 0.8
    relevance_min_shared: int = 1
    weight_totals: tuple[float, ...] = (90.0, 100.0)
    weight_tolerance: float = 0.01
    funds_tolerance: float = 0.01
    # Self-evaluation (财预〔2020〕10号, a [K] fact in domain.md: configurable): points of
    # 产出, 效益, 满意度 and of budget execution; without satisfaction its points join 效益.
    block_weights: tuple[float, ...] = (50.0, 30.0, 10.0)
    execution_weight: float = 10.0
    score_tolerance: float = 0.5
    # Qualitative tiers (10号, [K]): 部分达成 scores below this share of the weight,
    # 未达成 below the next.
    tier_partial: float = 0.8
    tier_failed: float = 0.6


@dataclass(frozen=True, slots=True)
class Profile:
    name: str = "默认配置"
    region: str = ""
    year: int = 0
    regime: str = "auto"
    thresholds: Thresholds = field(default_factory=Thresholds)
    per_function: bool = True
    require_satisfaction: bool = True
    enabled: dict[str, bool] = field(default_factory=dict)      # rule id -> on/off (absent: on)
    severity: dict[str, str] = field(default_factory=dict)      # rule id -> overriding severity
    source: str = "默认配置"                                     # file it came from, for messages

    def is_enabled(self, rule_id: str) -> bool:
        return self.enabled.get(rule_id, True)

    def severity_of(self, rule_id: str, default: str) -> str:
        return self.severity.get(rule_id, default)


_DEFAULT: Profile | None = None
_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")


def default_profile() -> Profile:
    """The shipped default (parsed once)."""
    global _DEFAULT
    if _DEFAULT is None:
        text = resources.files(__package__).joinpath("profiles/default.toml").read_text("utf-8")
        _DEFAULT = profile_from_dict(_parse(text, "默认配置"), source="默认配置", base=Profile())
    return _DEFAULT


def load_profile(path: str | Path) -> Profile:
    """The profile in the TOML file at ``path``, over the default."""
    shown = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ProfileInvalid(shown, "文件不存在") from None
    except IsADirectoryError:
        raise ProfileInvalid(shown, "这是一个文件夹, 不是文件") from None
    except UnicodeDecodeError:
        raise ProfileInvalid(shown, "不是 UTF-8 编码的文本") from None
    except OSError as e:
        raise ProfileInvalid(shown, e.strerror or type(e).__name__) from None
    return profile_from_dict(_parse(text, shown), source=shown)


def _parse(text: str, shown: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = _LINE.search(str(e))
        where = f"第{m[1]}行第{m[2]}列" if m else "某处"
        raise ProfileInvalid(shown, f"TOML 语法错误 ({where})") from None


def profile_from_dict(data: dict[str, Any], *, source: str = "配置",
                      base: Profile | None = None) -> Profile:
    """A profile from TOML-shaped data over ``base`` (default: the shipped default)."""
    from .registry import all_rules

    base = base or default_profile()
    known_rules = {r.id for r in all_rules()}

    def bad(key: str, detail: str) -> ProfileInvalid:
        return ProfileInvalid(source, f"键 {key}: {detail}")

    top = {"name": str, "region": str, "year": int, "regime": str}
    sections = {"thresholds", "department", "rules", "severity", "scoring"}  # [scoring]: jixiao.scoring.config
    values: dict[str, Any] = {}
    for key, v in data.items():
        if key in top:
            values[key] = _typed(v, top[key], key, bad)
        elif key not in sections:
            raise bad(key, "未知的配置项")
    if values.get("regime", base.regime) not in REGIMES:
        raise bad("regime", f"应为 {' / '.join(REGIMES)} 之一, 实为“{values['regime']}”")

    th = base.thresholds
    th_types = {f.name: f.type for f in fields(Thresholds)}
    changes: dict[str, Any] = {}
    for key, v in _table(data, "thresholds", bad).items():
        if key not in th_types:
            raise bad(f"thresholds.{key}", "未知的阈值")
        want = th_types[key]
        if want.startswith("tuple"):
            if not isinstance(v, list) or not v:
                raise bad(f"thresholds.{key}", "应为非空的数字列表")
            changes[key] = tuple(_typed(x, float, f"thresholds.{key}", bad) for x in v)
        else:
            changes[key] = _typed(v, float if want == "float" else int, f"thresholds.{key}", bad)
        if isinstance(changes[key], (int, float)) and changes[key] < 0:
            raise bad(f"thresholds.{key}", "不能为负数")
    th = replace(th, **changes)

    dept: dict[str, Any] = {"per_function": base.per_function, "require_satisfaction": base.require_satisfaction}
    for key, v in _table(data, "department", bad).items():
        if key not in dept:
            raise bad(f"department.{key}", "未知的配置项")
        dept[key] = _typed(v, bool, f"department.{key}", bad)

    enabled = dict(base.enabled)
    for key, v in _table(data, "rules", bad).items():
        if key not in known_rules:
            raise bad(f"rules.{key}", "没有这个规则编号 (规则目录见 docs/rules.md)")
        enabled[key] = _typed(v, bool, f"rules.{key}", bad)
    severity = dict(base.severity)
    for key, v in _table(data, "severity", bad).items():
        if key not in known_rules:
            raise bad(f"severity.{key}", "没有这个规则编号 (规则目录见 docs/rules.md)")
        if v not in SEVERITIES:
            raise bad(f"severity.{key}", f"应为 \"error\"、\"warning\" 或 \"info\", 实为“{v}”")
        severity[key] = v
    return replace(base, **values, thresholds=th, **dept, enabled=enabled, severity=severity,
                   source=source)


def merged(base: Profile, overrides: dict[str, Any] | None) -> Profile:
    """``base`` with TOML-shaped ``overrides`` applied (used by rule examples and tests)."""
    return profile_from_dict(copy.deepcopy(overrides), source=base.source, base=base) \
        if overrides else base


def _table(data: dict[str, Any], key: str, bad) -> dict[str, Any]:
    v = data.get(key, {})
    if not isinstance(v, dict):
        raise bad(key, "应为一个表 ([" + key + "])")
    return v


def _typed(v: Any, kind: type, key: str, bad) -> Any:
    if kind is bool:
        if isinstance(v, bool):
            return v
        raise bad(key, f"应为 true 或 false, 实为“{v}”")
    if kind is int:
        if isinstance(v, int) and not isinstance(v, bool):
            return v
        raise bad(key, f"应为整数, 实为“{v}”")
    if kind is float:
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return float(v)
        raise bad(key, f"应为数字, 实为“{v}”")
    if isinstance(v, str):
        return v
    raise bad(key, f"应为文字, 实为“{v}”")
