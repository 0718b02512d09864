"""Targets written as prose: a notice (公示, 公告) or a report that lists its
indicators in sentences instead of a table::

    (一)、产出指标
    1、数量指标:全年资助家庭经济困难学生1606人次,资助金额160.77万元。
    2、质量指标:资助标准100%达标。
    4、成本指标:资助标准为每生每年3000元、2000元、1000元3个档次。

A line that opens with a 二级 label and a colon holds that block's indicators, one
per clause (cut at , 。); a line that opens with a 一级 label and a colon may hold
its 二级 blocks one after another (``(二)产出指标:数量指标:…，…；时效指标:…``, cut
at ；): the name is what comes before the value, the value runs to the end of the
clause and starts at ``为``/``是``; else at a symbol operator wherever it stands
(``覆盖6个村的网格数≥50个``); else at an operator word before a number; else at the
first number that leaves one target after it; else, with no number, at an operator word
(``…情况达到预期``). A trailing 达标 after a number is dropped. A clause with no value
found so, or one that opens with a date (2024年11月底前完成), is no indicator. A line
that is only a 一级 label (``(一)、产出指标``) marks its block. When every clause's
一级 and 二级 are stated, each row carries both (as a table row printing both labels).
Read only when no table heading is found.
"""
from __future__ import annotations

import re

from ...model.indicator import CLASSIC, REGIME_2021, Category
from ...model.target import parse_target
from ..recover.cells import Label, as_label
from ..recover.structure import Mark, Row

_ORDINAL = r"(?:[(（]?\s*(?:[一二三四五六七八九十]{1,3}|\d{1,2})\s*[)）]?\s*[、.．]*\s*)?"
_BLOCK = re.compile(rf"^\s*{_ORDINAL}([^:：\s,，。]{{2,14}}?指标)\s*[:：]\s*(\S.*)$")
_LEVEL1 = re.compile(rf"^\s*{_ORDINAL}([^:：\s,，。]{{2,10}}?指标)\s*[:：]?\s*$")
_CLAUSE = re.compile(r"[,，;；。]")
_BY_WORD = re.compile(r"^(\D{2,40}?)(?:为|是)(.+)$")
# The operators a target may open with (the contract's table, longest first): a symbol
# is a cut wherever it stands; a word only before a number, or before the value's
# words when no number follows (项目区工作情况达到预期).
_SYMBOL_OP = re.compile(r">=|<=|＞＝|＜＝|[≥≤≧≦⩾⩽=＝﹦><＞＜]")
_WORDS = ("大于或等于", "高于或等于", "小于或等于", "低于或等于", "大于等于", "小于等于", "不低于", "不少于",
          "不高于", "不超过", "不多于", "不小于", "不大于", "控制在", "至少", "达到", "高于", "超过", "大于",
          "低于", "少于", "小于", "等于")
_WORD_OP = re.compile("|".join(_WORDS))
_WORD_NUMBER = re.compile("(?:" + "|".join(_WORDS) + r"|达)\s*(?=\d)")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# a clause that opens with a date (2024年11月底前完成…, 10月15日前…) states a deadline of work, no indicator
_DATE_FIRST = re.compile(r"^\d{4}\s*年|^\d{1,2}\s*月")
_TRAILING = re.compile(r"(?<=[\d%‰元人次个户所项])\s*(?:达标|完成|到位)$")


def _named(name: str) -> bool:
    """A name says what is counted: two characters at least besides its numbers."""
    return len(re.sub(r"[\d.\s]", "", name)) >= 2


def _single(value: str) -> bool:
    """The value is one target: a number (or range, or date) and its unit, no second
    quantity after words (6个村(社区)的网格数50个 is a name and a value)."""
    unit = parse_target(value).unit
    return unit is None or not any(c.isdigit() for c in unit)


def _split(clause: str) -> tuple[str, str] | None:
    head = re.split(r"\d", clause, maxsplit=1)[0]
    if "为" in head or "是" in head:
        m = _BY_WORD.match(clause)
        if m is not None:
            return m[1], m[2]
    m = _SYMBOL_OP.search(clause)  # 覆盖6个村(社区)的网格数≥50个, 知晓率＝85%
    if m is not None:
        return (clause[:m.start()], clause[m.start():]) if _named(clause[:m.start()]) else None
    for m in _WORD_NUMBER.finditer(clause):  # 开展整治频次达到23次, 及时率不低于98%
        if _named(clause[:m.start()]):
            return clause[:m.start()], clause[m.start():]
    cuts = [m.start() for m in _NUMBER.finditer(clause) if _named(clause[:m.start()])]
    for at in cuts:  # the value starts at the first number that leaves one target after it
        if _single(clause[at:]):
            return clause[:at], clause[at:]
    if cuts:
        return clause[:cuts[0]], clause[cuts[0]:]
    m = _WORD_OP.search(clause)  # no number: 工作情况达到预期
    if m is not None and _named(clause[:m.start()]) and m.end() < len(clause):
        return clause[:m.start()], clause[m.start():]
    return None


def _clause_indicator(clause: str) -> tuple[str, str] | None:
    clause = clause.strip()
    if not clause or _DATE_FIRST.match(clause):
        return None
    got = _split(clause)
    if got is None:
        return None
    name, value = got[0].strip(), _TRAILING.sub("", got[1].strip())
    if not name or not value:
        return None
    return name, value


_SEGMENT = re.compile(r"[；;]")
_PAIRS = frozenset(CLASSIC + REGIME_2021)  # the 一级/二级 pairs of either regime
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
    own: list[Mark] = []  # each clause's 一级 and 二级, when its text states both
    level1: Label | None = None
    for no in range(first, len(lines)):
        line = lines[no]
        m1 = _LEVEL1.match(line)
        if m1 and isinstance(lab := as_label(m1[1]), Label):
            marks.append(Mark(float(len(rows)), lab, no))
            level1 = lab if lab.level == 1 else level1
            continue
        m = _BLOCK.match(line)
        if not m or (lab := as_label(m[1])) is None:
            continue
        marks.append(Mark(float(len(rows)), lab, no))
        segments = _SEGMENT.split(m[2])
        if lab.level == 1 and any(_l2_head(seg) for seg in segments):
            level1 = lab
        level2 = _level2(level1, lab)
        # (二)产出指标:数量指标:…，…；时效指标:… — a 一级 whose 二级 follow in one sentence
        for seg in segments:
            h = _HEAD.match(seg)
            if h and (sub := as_label(h[1])) is not None:
                marks.append(Mark(float(len(rows)), sub, no))
                seg = seg[h.end():]
                level2 = _level2(level1, sub)
            for clause in _CLAUSE.split(seg):
                got = _clause_indicator(clause)
                if got is not None:
                    if level1 is not None and level2 is not None:
                        own += [Mark(float(len(rows)), level1, no), Mark(float(len(rows)), level2, no)]
                    rows.append(Row(got[0], got[1], None, no))
    if len(own) == 2 * len(rows):  # every clause sits in the block its sentence names: no guessing from names
        marks += own
    n = len(rows)
    marks = [m for m in marks if m.pos < n] + [Mark(n - 0.5, m.label, m.line) for m in marks if m.pos >= n]
    return (rows, marks, first) if rows else None


def _level2(level1: Label | None, lab: Label) -> Label | None:
    """The 二级 a block label states under the 一级 in force: itself when the pair is one
    of either regime's (a bare 成本指标 under 产出指标 is the classic 二级), else None."""
    if level1 is None or Category(level1.name, lab.name) not in _PAIRS:
        return None
    return lab if lab.level == 2 else Label(2, lab.name, lab.text)


def _l2_head(segment: str) -> bool:
    h = _HEAD.match(segment)
    return h is not None and (lab := as_label(h[1])) is not None and lab.level == 2


def _count_l2(line: str) -> int:
    m = _BLOCK.match(line)
    if not m:
        return 0
    lab = as_label(m[1])
    return (lab is not None and lab.level == 2) + sum(_l2_head(seg) for seg in _SEGMENT.split(m[2]))
