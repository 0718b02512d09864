"""Prose in the 三级 cells of a collapsed form, and the numbers fused after it.

Some self-evaluation forms fill the 三级 cell with a sentence instead of a name
(``针对…共计3875人(涉及…11个乡镇),发放…于2022年12月底前发放完毕,2010010020``):
longer than any name, numbers inside, and followed by the row's value cells fused
into one digit run (分值 20 | 指标值 100 | 实际值 100 | 得分 20). Such a sentence
ends at a clause mark right before that run; ``prose_names`` offers those ends to
``split.Splitter`` as names, costed so that the run's split (得分 ≤ 分值, the
actual against the target) decides. ``settled_rows`` tells which rows of a parse
the printed block subtotals confirm (产出指标(40分) over 20 + 10 + 10): a row
that reads dearly but whose weights add up is a reading to warn about, not to refuse.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

PROSE_MAX = 240         # characters in a 三级 cell that holds a sentence
CLAUSE_ENDS = frozenset(",，;；。")
_OPEN, _CLOSE = "(（“", ")）”"


def prose_names(s: str, p: int, limit: int) -> list[tuple[int, float]]:
    """(end, cost) of names at ``p`` that end at a clause
    mark followed by a digit run (the row's fused value cells); the end is after the
    mark, which the name drops (``prose_text``). Brackets and quotes must balance."""
    out: list[tuple[int, float]] = []
    depth = 0
    clauses = 0
    for j in range(p + 1, min(p + PROSE_MAX, limit) + 1):
        ch = s[j - 1]
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
            if depth < 0:
                break
        if ch not in CLAUSE_ENDS:
            continue
        clauses += 1
        if clauses > 1 and depth == 0 and j < limit and s[j].isdigit():
            # a sentence of several clauses (one clause is a name, costed as names are)
            out.append((j, 2.0 + 0.01 * (j - p)))
    return out


def prose_text(name: str) -> str:
    """A 三级 sentence without the comma that closed it before its values."""
    return name[:-1] if len(name) > 1 and name[-1] in ",，;；" else name  # (a full stop is kept as written)


def settled_rows(rows: Sequence[Sequence[tuple[str, int, str]]], blocks: Sequence[tuple[int, float | None]],
                 end: int) -> set[int]:
    """Indices of rows (cells as (role, start, text)) in a block that opens at a
    printed subtotal (``blocks``: (position, subtotal) of each 一级 label, in order)
    whose weights add up to it, every row of it with a weight and a score no greater."""
    out: set[int] = set()
    for i, (pos, subtotal) in enumerate(blocks):
        if subtotal is None:
            continue
        stop = blocks[i + 1][0] if i + 1 < len(blocks) else end + 1
        inside = [k for k, r in enumerate(rows) if r and pos <= r[0][1] < stop]
        if not inside:
            continue
        total = 0.0
        sound = True
        for k in inside:
            cells = {role: text for role, _, text in rows[k] if text}
            try:
                weight, score = float(cells["weight"]), float(cells["score"])
            except (KeyError, ValueError):
                sound = False
                break
            sound = sound and score <= weight
            total += weight
        if sound and abs(total - subtotal) < 0.01:
            out.update(inside)
    return out


_BOUND_TO_NUMBER = re.compile(r"[年月](?:\d|底|末|初)|[日号]")  # (年增…, 年度… open names)
_DIGITS = re.compile(r"\d[\d.]{4,}")


def word_extra(s: str, r: int, e: int) -> float:
    """More cost for a word value ``s[r:e]`` that starts with the 年/月 of a date cut
    off its number (``20|22|年12月底前…``, ``20|21年底…``), or holds a fused run of five or more digits
    (the value cells after it read as words)."""
    c = 2.5 if r and s[r - 1].isdigit() and _BOUND_TO_NUMBER.match(s, r) else 0.0
    return c + (3.0 if _DIGITS.search(s, r, e) else 0.0)


def ratio_cost(score: float, weight: float, target: float, actual: float) -> float:
    """得分 below 分值 that is 分值 × 实际值 / 指标值 (``10 | 38.75 | 36.2 | 9.34``): a
    computed score, a strong sign of the cut."""
    if target <= 0 or not 0 < score < weight or not target / 2 <= actual < target:  # (a ratio near 0 proves nothing)
        return 0.0
    return -1.0 if abs(score - round(weight * actual / target, 2)) < 0.011 else 0.0


def number_extra(s: str, r: int, q: int) -> float:
    """More cost for a number ``s[r:q]`` whose decimals end in 0 (``42.8320``): no form
    prints one so, it is a number with the start of the next one fused on."""
    t = s[r:q]
    return 1.0 if "." in t and t.endswith("0") else 0.0
