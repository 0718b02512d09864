"""Whitespace-lost tables whose value cells are empty: rows are names without values.

A host that strips every digit (a document-sharing preview), or a template
published partly filled, leaves a collapsed table whose 三级 names stand back to
back: ``国家奖学金人数国家励志奖学金人数国家助学金人数``. ``split.Splitter`` then
needs leave to close a row without any value (``Bare``) and some evidence of where
one name ends and the next begins, which the run itself gives: a suffix it repeats
with different text after it (…人数 ×4, …人均资助 ×3), a prefix the names of a block
open with (国家…). The mode is entered only when the text shows that values were
there and are gone (``values_missing``: no digit in the table, and empty brackets
``()``, a bare ``(分)``, an operator with no number ``≥%``), or when a table whose
filled rows read well has names with nothing after them (``partly_filled``).

Also here: the labels such tables print short or non-standard — ``数量`` for
数量指标 right after a 一级 label, a 一级-like ``过程指标`` kept as written.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from ...model.indicator import normalize_level1, normalize_level2
from ...model.sheet import Diagnostic, Sheet
from ..recover.cells import Label, as_label

#: traces of stripped digits: empty brackets 预算数(), a bare (分) or (分*执行率), 总分:分, ≥% / ≥亩
_TRACE = re.compile(r"[(（]\s*[)）]|[(（]分[)）*×]|[:：]分|[≥≤=＝≧≦＞＜](?=%|[\u4e00-\u9fff]{1,3}(?:[≥≤=＝≧≦＞＜]|$))")
_DIGIT = re.compile(r"\d")
_KNOWN_END = re.compile(r"(?:率|人数|次数|户数|个数|满意度|情况|时间|面积|长度|数量|标准|金额|影响|年限|水平|程度|人次|增收|机制|建设)"
                        r"(?![率数度况间积量准额响限平次])")
_SHORT_LEVEL2 = ("服务对象满意度", "可持续影响", "经济效益", "社会效益", "生态效益", "经济成本", "社会成本",
                 "数量", "质量", "时效", "成本")
_ODD_LABEL = re.compile(r"[\u4e00-\u9fff]{2,4}指标")
_ODD_SHORT = re.compile(r"(?<!达成)(?<!达到)(?<!完成)(?<!年度)[\u4e00-\u9fff]{2}指标")  # (达成预期指标: a value)
_HEADINGS = frozenset(("一级指标", "二级指标", "三级指标", "绩效指标", "年度指标", "核心指标", "指标"))
_OPEN, _CLOSE = "(（[【“", ")）]】”"

SUFFIX_BONUS = 2.5   # a name ending where the run repeats a suffix with different text after it
PREFIX_BONUS = 0.5   # a name ending where a block's opening prefix comes again
KNOWN_BONUS = 1.5    # a name ending as 三级 names mostly do (…率, …人数, …满意度, …情况)
BARE_ROW = 0.5       # a row closed without any value, its empty cells included


@dataclass(frozen=True, slots=True)
class Bare:
    """Leave for ``split.Splitter`` to close rows without a value: such a row costs
    ``row_cost`` besides its name; a name ending at a position of ``ends`` costs its
    value less (a bonus); ``leftovers``: a score or weight cell whose number is gone
    (``分``, with its note in brackets) is passed over as no value."""

    ends: dict[int, float] = field(default_factory=dict)
    row_cost: float = BARE_ROW
    leftovers: bool = True


def values_missing(text: str, body: str) -> str | None:
    """The first trace (quoted) that the table's digits were stripped: the body holds
    no digit, and the text at least two traces; None otherwise."""
    if _DIGIT.search(body):
        return None
    traces = list(_TRACE.finditer(text))
    return traces[0].group() if len(traces) >= 2 else None


def name_ends(body: str, cuts: list[int]) -> dict[int, float]:
    """{position: bonus} for a name ending there. ``cuts``: the label positions (the
    body's segments run between them). A suffix of 2-4 characters the body repeats
    ends a name when different text follows it, one of its occurrences at a boundary
    at least (a segment's end, a score cell whose number is gone, the prefix a
    segment opens with), and it never opens a segment itself; so does the position before a prefix
    a segment opens with and the body repeats."""
    bounds = sorted({0, len(body), *cuts})
    segs = [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]
    seg_end = {b for _, b in segs}
    starts = {a for a, _ in segs}
    inside = _inside_brackets(body)
    openers = {body[a:a + size] for a, b in segs for size in (2, 3) if b - a > size}
    where: dict[str, list[int]] = defaultdict(list)
    for a, b in segs:
        for size in (2, 3, 4):
            for j in range(a + size, b + 1):
                if not inside[j - 1]:
                    where[body[j - size:j]].append(j)

    def boundary(j: int) -> bool:
        return j in seg_end or body.startswith(("分(", "分（"), j) or body[j:j + 2] in openers

    out: dict[int, float] = {}
    for m in _KNOWN_END.finditer(body):
        if m.end() not in seg_end and not inside[m.end() - 1]:
            out[m.end()] = KNOWN_BONUS
    for g, ends in where.items():
        if len(ends) >= 2 and g not in openers and not any(ch in _OPEN + _CLOSE for ch in g) and \
                any(map(boundary, ends)) and len({body[j:j + 1] if j not in seg_end else "" for j in ends}) >= 2:
            for j in ends:
                if j not in seg_end:
                    out[j] = max(out.get(j, 0.0), SUFFIX_BONUS)
    for g in openers:
        for j in where.get(g, ()) if len(where.get(g, ())) >= 2 else ():
            q = j - len(g)
            if q not in starts and not inside[q]:
                out[q] = max(out.get(q, 0.0), PREFIX_BONUS)
    return out


def _inside_brackets(s: str) -> list[bool]:
    out, depth = [], 0
    for ch in s:
        if ch in "(（":
            depth += 1
        out.append(depth > 0)
        if ch in ")）" and depth:
            depth -= 1
    return out


def leftover_end(s: str, p: int, limit: int) -> int | None:
    """The end of a score cell whose number is gone at ``p``: ``分``, with the note in
    brackets after it (``分(因全校总人数减少…)``), or the point of a decimal; None when
    none is there."""
    if s.startswith(".", p) and p + 1 <= limit:
        return p + 1  # 7.49 without its digits
    if not s.startswith("分", p) or p + 1 > limit:
        return None
    e = p + 1
    if e < limit and s[e] in "(（":
        close = min((k for k in (s.find(")", e, limit), s.find("）", e, limit)) if k >= 0), default=-1)
        if close > e:
            e = close + 1
    return e


def short_level2(flat: str, e: int, end: int) -> tuple[int, Label] | None:
    """A 二级 label printed short right after a 一级 label ending at ``e``
    (``产出指标数量国家奖学金人数``: 数量 for 数量指标), as (its end, label)."""
    for w in _SHORT_LEVEL2:
        if flat.startswith(w, e) and e + len(w) < end and not flat.startswith("指标", e + len(w)):
            lab = as_label(w + "指标")
            if lab is not None and lab.level == 2:
                return e + len(w), Label(2, lab.name, w)
    return None


def odd_level1(flat: str, e: int, end: int, short: bool = False) -> tuple[int, Label] | None:
    """A 一级-like label that is no standard one (``过程指标``) at ``e`` (right after
    another label; ``short``: anywhere, two characters before 指标), kept as written:
    (its end, label)."""
    m = (_ODD_SHORT if short else _ODD_LABEL).match(flat, e, end)
    if m is None or m.group() in _HEADINGS or as_label(m.group()) is not None or flat.startswith("指标", m.end()):
        return None
    return m.end(), Label(1, m.group(), m.group())


def is_standard(lab: Label) -> bool:
    return bool(normalize_level1(lab.name) or normalize_level2(lab.name))


def diagnostic(where: str, trace: str | None, rows: int, bare: int) -> Diagnostic:
    """The warning for a table read in this mode: the values were missing, the cuts are guesses."""
    why = (f"原文表格中的数字已全部缺失 (如“{trace}”), 指标值、分值、得分等单元格为空" if trace else
           "原文表格的部分指标行没有填写指标值")
    return Diagnostic(
        "IMPORT_COLLAPSED_VALUES_MISSING", "warning", where,
        f"{why}, 三级指标名称前后相连; 已按名称中重复出现的词尾、词首推测切分出 {rows} 个指标, "
        f"其中 {bare} 个没有指标值 (留空), 名称的切分是推测",
        "请对照原表逐项核对三级指标名称的切分, 并补填缺失的指标值")


def keep_odd_labels(sheet: Sheet, marks: list[tuple[float, object]]) -> None:
    """The rows under a non-standard 一级 label (``过程指标``) keep it as written, with
    no 二级, up to the next 一级 label; ``marks``: (row position, label) in order."""
    inds = [ind for _, ind in sheet.all_indicators()]
    for k, (pos, lab) in enumerate(marks):
        if not isinstance(lab, Label) or is_standard(lab):
            continue
        stop = next((p for p, nxt in marks[k + 1:] if isinstance(nxt, Label) and nxt.level == 1), float(len(inds)))
        for i in range(len(inds)):
            if pos <= i < stop:
                inds[i].level1, inds[i].level2 = lab.text, None
