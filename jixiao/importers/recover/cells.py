"""What one table cell of extracted text is: a label, a number, a name or a value.

Extraction loses cell positions (merged cells collapse, columns shift), so cells
are recognised by content rather than by column. Pure functions, precompiled
patterns: this runs for every cell of every imported sheet.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ...model.indicator import normalize_level1, normalize_level2

# `指标3:` numbering cells (also 指标3：, 指标 3, a bare 3.)
NUMBER = re.compile(r"^(?:指标\s*(\d{1,3})|(\d{1,3})\s*[.、])\s*[:：]?$")
NUMBER_PREFIX = re.compile(r"^指标\s*(\d{1,3})\s*[:：]\s*")
# `职能2: 承担…` — a core-function label with its description.
FUNCTION = re.compile(r"^(?:核心)?职能\s*(\d{1,5})\s*(?:[:：]\s*(.*))?$", re.S)
# Decorations around a 三级 name: core-indicator stars, template placeholders `(≥**个)`.
_PLACEHOLDER = re.compile(r"[(（]\s*[≥≤=<>＞＜≧≦]*\s*\*+\s*[^()（）]{0,6}[)）]|[≥≤=<>≧≦]+\s*\*\*+\S{0,4}$")
_MARKS = re.compile(r"^[★☆*＊\s]+|[★☆*＊\s]+$")


# a block's points after its label
_POINTS = re.compile(r"(?<=指标)[(（]\d+(?:\.\d+)?分?(?:[-~～至]\d+(?:\.\d+)?分?)?[)）]分?$")
_POINTS_END = frozenset(")）分")
# 一级 spellings of real forms the model's alias table lacks (tests/data/real/README.md)
_LEVEL1_SPELLINGS = {"项目完成指标": "产出指标", "项目完成": "产出指标", "效果指标": "效益指标"}


@dataclass(frozen=True, slots=True)
class Label:
    """A merged-cell label printed in the table: 一级 (``level`` 1) or 二级 (2)."""

    level: int
    name: str  # the standard name
    text: str  # as printed


@dataclass(frozen=True, slots=True)
class FunctionLabel:
    number: int | None
    description: str | None
    text: str


def wrap_space(before: str, after: str) -> str:
    """What joins a line to the one it wrapped onto: nothing between CJK characters,
    a space after , ; : ! ? (written with one) and between Latin words."""
    end, start = before[-1:], after[:1]
    return " " if end and (end in ",;:!?" or end.isascii() and end.isalpha() and start.isascii()
                           and start.isalpha()) else ""


def clean(text: str) -> str:
    """Runs of whitespace (the ideographic space included) as one space, none at the ends."""
    return " ".join(text.split())  # str.split() knows the same whitespace as re's \s, 4x faster


@lru_cache(maxsize=8192)
def as_label(cell: str) -> Label | None:
    """A 一级/二级 label, or None. 满意度指标 reads as 一级; both map to one category."""
    squeezed = "".join(cell.split())
    if squeezed[-1:] in _POINTS_END and "指标" in squeezed:
        squeezed = _POINTS.sub("", squeezed)  # 产出指标(50分), 数量指标（10分）, 成本指标(0-20)分
    if not squeezed or len(squeezed) > 16:
        return None
    squeezed = _LEVEL1_SPELLINGS.get(squeezed, squeezed)
    l1 = normalize_level1(squeezed)
    if l1 and squeezed.removesuffix("指标") in ("产出", "效益", "满意度", "成本"):
        return Label(1, l1, cell)
    l2 = normalize_level2(squeezed)
    if l2:
        return Label(2, l2, cell)
    if l1:
        return Label(1, l1, cell)
    return None


@lru_cache(maxsize=8192)
def as_number(cell: str) -> int | None:
    m = NUMBER.match(cell.strip())
    if not m:
        return None
    return int(m.group(1) or m.group(2))


def as_function(cell: str) -> FunctionLabel | None:
    m = FUNCTION.match(cell.strip())
    if not m:
        return None
    desc = clean(m.group(2) or "") or None
    return FunctionLabel(int(m.group(1)), desc, cell)


_NUMBER_HEADS = frozenset("指0123456789")


@lru_cache(maxsize=8192)
def as_short_cell(cell: str) -> Label | FunctionLabel | int | None:
    """A cell of at most 16 characters (stripped, spaces collapsed) as a label, an
    indicator number or a bare 职能N label, else None: the cells every sheet repeats,
    recognised once. Numbers and 职能 labels are never longer."""
    label = as_label(cell)
    if label is not None:
        return label
    if cell[0] in _NUMBER_HEADS and (n := as_number(cell)) is not None:
        return n
    return as_function(cell) if cell[0] in "职核" else None


_VALUE_START = re.compile(r"^(?:[≥≤=<>＞＜≧≦⩾⩽＝﹦±]|不低于|不少于|不高于|不超过|至少|达到|\d)")
_VALUE_WORDS = re.compile(r"^(?:达到预期|有所提升|逐步提升|明显提升|显著提升|效果明显|逐步改善|持续发挥作用|应保尽保|"
                          r"[高中低优良差好]|较好|一般|较差|合格|是|否|优良|按月|按季|按时|及时)$")


def looks_like_value(cell: str) -> bool:
    """A cell that reads as a 指标值 (a number with operator or unit, or a graded word)."""
    cell = cell.strip()
    return len(cell) <= 24 and (_VALUE_START.match(cell) is not None or _VALUE_WORDS.match(cell) is not None)


@lru_cache(maxsize=16384)
def clean_name(name: str) -> str:
    """The 三级 name without numbering, marks or template placeholders."""
    if "  " in name or "\u3000" in name or "\n" in name:
        name = clean(name)
    else:
        name = name.strip()
    if name.startswith("指标"):
        name = NUMBER_PREFIX.sub("", name)
    if "*" in name or "＊" in name:
        name = _PLACEHOLDER.sub("", name)
    if name and (name[0] in _MARK_CHARS or name[-1] in _MARK_CHARS):
        name = _MARKS.sub("", name)
    if "." in name:
        name = _OCR_DOT.sub("", name)  # 重.要设备: a speck read as a full stop between characters
    return unicodedata.normalize("NFC", name).strip()


_MARK_CHARS = frozenset("★☆*＊ ")
_OCR_DOT = re.compile(r"(?<=[\u4e00-\u9fff])\.(?=[\u4e00-\u9fff])")
