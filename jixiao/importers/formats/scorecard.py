"""Scorecard instruments of the collapsed reader, and OCR damage to their words.

Two instruments beside the 一级/二级/三级 table:

- the **graded standard** table: 绩效指标分类 | 绩效指标 | 绩效指标描述 | 绩效指标评价标准
  (sub-columns 优 良 中 差) | 评价标准确定依据. The 优 value is the target; the four
  grades go into ``criteria`` (``优100%、良90%、中85%、差85%``), the 描述 into
  ``explanation``, the 依据 into ``basis``;
- the flat departmental **scorecard**: 指标名称 | 计量单位 | 指标性质 | 年初指标值 |
  调整指标值 | 全年完成值 | 得分系数(%) | 指标权重(分) | 指标得分(分) | 是否核心指标,
  each row closed by its 是/否 flag.

OCR of such tables scrambles the characters of a word (``年成值全完值`` for
全年完成值, ``性标定指`` for 定性指标); a heading or a cell word the reader expects is
recognised by its characters when the exact word is absent (``scrambled``), and
reported. Document previews also print page numbers (``2、``) at line starts inside
the table (``page_marker_lines``).
"""
from __future__ import annotations

import re
from collections import Counter

from ...model.sheet import Diagnostic, Sheet
from ..recover.cells import Label

#: heading word -> role (``grades``: the 优/良/中/差 sub-columns, expanded by ``expand``)
TITLES = {"绩效指标分类": "level1", "绩效指标描述": "explanation", "绩效指标评价标准": "grades",
          "评价标准确定依据": "basis", "标准确定依据": "basis", "指标值确定依据": "basis",
          "优良中差": "subheads", "年初指标值": "target", "调整指标值": "adjusted", "全年调整指标值": "adjusted",
          "得分系数": "coef", "指标权重": "weight", "指标得分": "score", "是否核心指标": "flag"}
# 绩效指标 names the 三级 column only beside the columns of the graded instrument
_NAME_BEFORE = re.compile(r"绩效指标(?=绩效指标描述|绩效指标评价标准)")
GRADES = ("优", "良", "中", "差")
#: what the four grade columns become after the name: the first grade is the target
GRADE_ROLES = ("target", "grade", "grade", "grade")
#: words of an 指标性质 cell, recognised scrambled too
NATURE_WORDS = ("定量指标", "定性指标", "正向指标", "反向指标")
FLAGS = ("是", "否")
#: closing words of a 评价标准确定依据 cell (按临时救助标准评价, 依据年度工作方案)
BASIS_ENDINGS = ("评价", "标准", "规定", "要求", "办法", "文件", "方案", "计划", "数据", "统计", "结果", "记录", "测算")
_MARKER = re.compile(r"^\s*(\d{1,3})\s*、")


def title_at(flat: str, p: int) -> tuple[str, int] | None:
    """(role, end) of a heading of these instruments that only its context tells."""
    if (m := _NAME_BEFORE.match(flat, p)) is not None:
        return "name", m.end()
    if flat.startswith("绩效指标", p) and flat.endswith("绩效指标分类", 0, p):
        return "name", p + 4
    return None


def expand(roles: list[str]) -> list[str]:
    """The heading roles with the graded standards as four value columns and their
    sub-heading run dropped."""
    out: list[str] = []
    for r in roles:
        if r == "grades":
            out += GRADE_ROLES
        elif r != "subheads":
            out.append(r)
    return out


def scrambled(segment: str, words, extra: int = 1) -> str | None:
    """The longest of ``words`` (of four characters or more) whose characters the
    segment holds, in any order, with at most ``extra`` characters more; None when
    the segment is a word as written or none fits."""
    if segment in words:
        return None
    have = Counter(segment)
    best = None
    for w in words:
        if len(w) < 4 or len(segment) - len(w) > extra or len(segment) < len(w):
            continue
        if not Counter(w) - have and (best is None or len(w) > len(best)):
            best = w
    return best


def scrambled_at(s: str, p: int, limit: int, words) -> list[tuple[int, str]]:
    """(end, word) of the words that the text at ``p`` spells with its characters
    permuted (exactly the word's characters, not as written)."""
    out = []
    for w in words:
        e = p + len(w)
        if e <= limit and s[p:e] != w and Counter(s[p:e]) == Counter(w):
            out.append((e, w))
    return out


def page_marker_lines(lines: list[str]) -> set[int]:
    """Lines opening with a page number of a document preview (``1、`` … ``N、``):
    numbers 1, 2, 3 … in order at line starts, at least two of them; the first (the
    document's opening) is not returned. The caller strips only those inside a table."""
    found: list[int] = []
    want = 1
    for i, line in enumerate(lines):
        m = _MARKER.match(line)
        if m and int(m.group(1)) == want:
            found.append(i)
            want += 1
    if len(found) < 2:
        return set()
    return set(found[1:])


def strip_marker(line: str) -> str:
    return _MARKER.sub("", line, count=1)


def basis_end(text: str) -> int | None:
    """Where a 依据 cell that ran on to the end of a cut text closes: after its last
    closing word, when text follows it; None when it ends with one (or has none)."""
    ends = [m.end() for m in re.finditer("|".join(BASIS_ENDINGS), text)]
    return ends[-1] if ends and ends[-1] < len(text) else None


def criteria(grades: list[str | None]) -> str | None:
    """``优100%、良90%、中85%、差85%`` from the four grade cells (empty ones left out)."""
    parts = [f"{g}{v}" for g, v in zip(GRADES, grades) if v]
    return "、".join(parts) or None


def absent_levels(sheet: Sheet, roles: list[str], marks: list, where: str) -> None:
    """A form without a 二级 (or 一级) column and without such labels has no such level:
    the levels the structure solver inferred are taken back, and one note says so. Without
    二级, a row's 一级 is the last 一级 label printed on or before it (a merged column)."""
    levels = {m.label.level for m in marks if isinstance(m.label, Label)}
    gone = [lv for lv in (1, 2) if f"level{lv}" not in roles and lv not in levels]
    if not gone:
        return
    firsts = sorted((m.pos, m.label.name) for m in marks if isinstance(m.label, Label) and m.label.level == 1)
    for i, (_, ind) in enumerate(sheet.all_indicators()):
        if 1 in gone:
            ind.level1 = None
        if 2 in gone:
            ind.level2 = None
            ind.level1 = next((name for pos, name in reversed(firsts) if pos <= i), ind.level1)
    sheet.diagnostics[:] = [d for d in sheet.diagnostics if d.code != "STRUCT_LEVEL2_INFERRED"]
    names = "、".join(("一级指标", "二级指标")[lv - 1] for lv in gone)
    sheet.diagnostics.append(Diagnostic(
        "IMPORT_LEVELS_ABSENT", "info", where, f"原表没有{names}列, 也没有这一级的标签, 各指标的{names}留空",
        "如需分级, 请在原表中补充"))


def scramble_diagnostics(sheet: Sheet, headings: list[tuple[str, str]], rows: list[list[tuple[str, str]]],
                         where: str) -> None:
    """A warning for each heading and 指标性质 cell read by its characters."""
    for written, word in headings:
        sheet.diagnostics.append(Diagnostic(
            "IMPORT_WORD_SCRAMBLED", "warning", where,
            f"列标题“{written}”的字序错乱 (识别错误), 按其所含的字读作“{word}”", "请对照原表核对该列"))
    paths = [p for p, _ in sheet.all_indicators()]
    for i, cells in enumerate(rows):
        for role, text in cells:
            if role == "op" and text and (fixed := scrambled(text, NATURE_WORDS, 0)) is not None and i < len(paths):
                sheet.diagnostics.append(Diagnostic(
                    "IMPORT_WORD_SCRAMBLED", "warning", paths[i],
                    f"指标性质“{text}”的字序错乱 (识别错误), 按其所含的字读作“{fixed}”", "请对照原表核对该指标的指标性质"))
