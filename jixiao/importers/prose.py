"""Targets written as prose: a notice (公示, 公告) or a report that lists its
indicators in sentences instead of a table::

    (一)、产出指标
    1、数量指标:全年资助家庭经济困难学生1606人次,资助金额160.77万元。
    2、质量指标:资助标准100%达标。
    4、成本指标:资助标准为每生每年3000元、2000元、1000元3个档次。

A line that opens with a 二级 label and a colon holds that block's indicators, one
per clause (cut at , 。); a line that opens with a 一级 label and a colon may hold
its 二级 blocks one after another (``(二)产出指标:数量指标:…，…；时效指标:…``, cut
at ；): the name is what comes before the value, the value
starts at ``为``/``是`` or at the first number (with its operator) and runs to the
end of the clause; a trailing 达标 after a number is dropped. A clause without a
number or a ``为``, or one that opens with a number (a date: 2024年11月底前完成), is no
indicator. A line that is only a 一级 label
(``(一)、产出指标``) marks its block. Read only when no table heading is found.
"""
from __future__ import annotations

import re

from .cells import Label, as_label
from .structure import Mark, Row

_ORDINAL = r"(?:[(（]?\s*(?:[一二三四五六七八九十]{1,3}|\d{1,2})\s*[)）]?\s*[、.．]*\s*)?"
_BLOCK = re.compile(rf"^\s*{_ORDINAL}([^:：\s,，。]{{2,14}}?指标)\s*[:：]\s*(\S.*)$")
_LEVEL1 = re.compile(rf"^\s*{_ORDINAL}([^:：\s,，。]{{2,10}}?指标)\s*[:：]?\s*$")
_CLAUSE = re.compile(r"[,，;；。]")
_BY_WORD = re.compile(r"^(\D{2,40}?)(?:为|是)(.+)$")
_BY_NUMBER = re.compile(r"^(\D{2,40}?)((?:[≥≤>=<＞＜≧≦]|不低于|不少于|不超过|不高于|达到|达|超过|控制在)?\s*\d.*)$")
_TRAILING = re.compile(r"(?<=[\d%‰元人次个户所项])\s*(?:达标|完成|到位)$")


def _clause_indicator(clause: str) -> tuple[str, str] | None:
    clause = clause.strip()
    if not clause:
        return None
    head = re.split(r"\d", clause, maxsplit=1)[0]
    m = _BY_WORD.match(clause) if ("为" in head or "是" in head) else None
    if m is None:
        m = _BY_NUMBER.match(clause)
    if m is None:
        return None
    name, value = m[1].strip(), _TRAILING.sub("", m[2].strip())
    if not name or not value:
        return None
    for word in ("达到", "达", "不低于", "不少于", "不超过", "不高于", "超过", "控制在"):
        if name.endswith(word) and len(name) > len(word) + 1:
            name, value = name[: -len(word)], word + value  # the operator word is the value's
            break
    return name, value


_SEGMENT = re.compile(r"[；;]")
_HEAD = re.compile(r"^\s*([^:：\s,，。]{2,14}?指标)\s*[:：]\s*")


def prose_rows(lines: list[str]) -> tuple[list[Row], list[Mark], int] | None:
    """Rows and marks of prose targets, and the line they start at; None when fewer
    than two 二级 labels open a sentence with a colon."""
    blocks = []
    for no, line in enumerate(lines):
        m = _BLOCK.match(line)
        if m and (lab := as_label(m[1])) is not None and (
                lab.level == 2 or any(_l2_head(seg) for seg in _SEGMENT.split(m[2]))):
            blocks.append(no)
    if not blocks or sum(_count_l2(lines[no]) for no in blocks) < 2:
        return None
    rows: list[Row] = []
    marks: list[Mark] = []
    first = blocks[0]
    while first > 0 and _LEVEL1.match(lines[first - 1]):
        first -= 1
    for no in range(first, len(lines)):
        line = lines[no]
        m1 = _LEVEL1.match(line)
        if m1 and isinstance(lab := as_label(m1[1]), Label):
            marks.append(Mark(float(len(rows)), lab, no))
            continue
        m = _BLOCK.match(line)
        if not m or (lab := as_label(m[1])) is None:
            continue
        marks.append(Mark(float(len(rows)), lab, no))
        # (二)产出指标:数量指标:…，…；时效指标:… — a 一级 whose 二级 follow in one sentence
        for seg in _SEGMENT.split(m[2]):
            h = _HEAD.match(seg)
            if h and (sub := as_label(h[1])) is not None:
                marks.append(Mark(float(len(rows)), sub, no))
                seg = seg[h.end():]
            for clause in _CLAUSE.split(seg):
                got = _clause_indicator(clause)
                if got is not None:
                    rows.append(Row(got[0], got[1], None, no))
    n = len(rows)
    marks = [m for m in marks if m.pos < n] + [Mark(n - 0.5, m.label, m.line) for m in marks if m.pos >= n]
    return (rows, marks, first) if rows else None


def _l2_head(segment: str) -> bool:
    h = _HEAD.match(segment)
    return h is not None and (lab := as_label(h[1])) is not None and lab.level == 2


def _count_l2(line: str) -> int:
    m = _BLOCK.match(line)
    if not m:
        return 0
    lab = as_label(m[1])
    return (lab is not None and lab.level == 2) + sum(_l2_head(seg) for seg in _SEGMENT.split(m[2]))
