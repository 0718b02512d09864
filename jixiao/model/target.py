"""Target values (指标值): PLACEHOLDER, to be replaced by the full grammar."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

OPS = ("=", "≥", "≤", ">", "<")


@dataclass(frozen=True, slots=True)
class Target:
    text: str
    op: str | None = None
    op_inferred: str | None = None
    value: float | None = None
    upper: float | None = None
    unit: str | None = None


_SYM = [(">=", "≥"), ("＞＝", "≥"), ("<=", "≤"), ("＜＝", "≤"), ("≥", "≥"), ("≧", "≥"), ("⩾", "≥"),
        ("≤", "≤"), ("≦", "≤"), ("⩽", "≤"), ("＝", "="), ("﹦", "="), ("=", "="), (">", ">"),
        ("＞", ">"), ("<", "<"), ("＜", "<")]
_NUM = re.compile(r"(-?\d+(?:\.\d+)?)\s*(.*)")


def parse_target(text: str) -> Target:
    t = text.strip()
    op = None
    for s, o in _SYM:
        if t.startswith(s):
            op, t = o, t[len(s):].strip()
            break
    m = _NUM.fullmatch(t)
    if m:
        return Target(text, op, None, float(m.group(1)), None, m.group(2).strip() or None)
    return Target(text, op)


def format_target(t: Target) -> str:
    return t.text
