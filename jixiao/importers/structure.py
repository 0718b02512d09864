"""Rebuild the indicator tree from table rows whose merged-cell labels are unreliable.

Input is format-neutral: indicator rows in reading order (name, value, optional
``指标N`` number) plus *marks*, the labels extraction printed somewhere near their
span (一级, 二级, 职能N). A mark's position is in row coordinates: ``i`` when printed
on indicator row ``i``, ``i - 0.5`` when printed on a line of its own before it.

The solver cuts the rows into groups, each one 二级, and chooses all categories at
once with dynamic programming over segments:

* groups of a function follow the regime's canonical order and no 二级 repeats in
  a function, so a category that does not increase starts a new function;
* each printed 二级 (一级) label is *claimed* by the group of its category, scored
  by its displacement from the group's span (printed inside it: full bonus);
* names and values add weak or strong cues (``cues.py``), a small prior makes an
  unlabelled 效益 block 社会效益指标;
* ``指标N`` numbering, when it restarts per group, fixes the cuts; when it runs on
  through a function, its restarts mark functions.

Everything inferred is reported as a diagnostic with a stable code.
"""
from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Any

from ..model.indicator import (
    CLASSIC, COST, COST2, ECO_COST, ECON_COST, EFFECT, REGIME_2021, SATISFACTION, SOCIAL_COST, Category,
)
from .cells import FunctionLabel, Label
from .cues import PRIOR, cue_index, cue_scores

NEG = float("-inf")

# Weights of the evidence, as log-probabilities (checked on generated sheets, see
# tests/test_accuracy.py and benchmarks/accuracy.py). A group's 二级 label is printed
# somewhere inside its span (P_INSIDE, each row alike), or displaced up to
# NEAR_ROWS rows outside it (P_DISPLACED, each of those rows alike), or lost
# (P_MISSING). A printed label no group explains is very unlikely: EXPLAINED is
# what explaining one is worth.
P_INSIDE, P_DISPLACED, P_MISSING = 0.55, 0.33, 0.12
NEAR_ROWS = 4.5
EXPLAINED = 6.0
LOG_DISPLACED = math.log(P_DISPLACED / (2 * 4))
LOG_MISSING = math.log(P_MISSING)
ANY_ROW = 0.2                          # share of inside labels not on the top/middle/bottom row
CLAIM_L1, DECAY_L1 = 1.0, 0.3          # 一级 labels span several groups: weak evidence
GROUP_COST = 0.6                       # every extra group must be paid for by evidence
CUE_WEIGHT = 1.5                       # how far names and values are trusted (cues.py)
WRAP_COST = 8.0                        # starting a new function
FUNCTION_MARK = 3.0                    # a 职能 label printed at a plausible function boundary
NOT_A_START = {EFFECT: 3.0, SATISFACTION: 5.0}  # a function opening with 效益 / 满意度
CONTINUED = 1.8                        # cutting a group where ``指标N`` numbering continues
RUN_ON_RESET = 8.0                     # run-on numbering restarts only at a new function
RUN_ON_WRAP = 1.0                      # ... so a new function there costs little
MAX_GROUP = 14                         # rows in one group, for the unnumbered search


@dataclass(slots=True)
class Row:
    name: str
    value: str | None
    number: int | None = None
    line: int = 0
    extras: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Mark:
    pos: float
    label: Label | FunctionLabel
    line: int = 0


@dataclass(slots=True)
class Group:
    start: int
    end: int  # exclusive
    category: Category
    labelled: bool
    new_function: bool


@dataclass(slots=True)
class Solution:
    groups: list[Group]
    regime: str
    numbering: str  # 'per-group' | 'run-on' | 'absent'
    functions: list[tuple[int, int]]  # row spans


def numbering_style(rows: list[Row]) -> str:
    nums = [r.number for r in rows]
    known = sum(n is not None for n in nums)
    if known < max(2, 0.6 * len(rows)):
        return "absent"
    runs = _runs(rows)
    lengths = [b - a for a, b in runs]
    mean = sum(lengths) / len(lengths)
    return "per-group" if mean <= 4.6 and max(lengths) <= 10 else "run-on"


def _runs(rows: list[Row]) -> list[tuple[int, int]]:
    """Maximal spans in which ``指标N`` counts up by one (unnumbered rows continue)."""
    runs, start, prev = [], 0, None
    for i, r in enumerate(rows):
        n = r.number
        if i and n is not None and prev is not None and n != prev + 1:
            runs.append((start, i))
            start = i
        if n is not None:
            prev = n
        elif prev is not None:
            prev += 1
    runs.append((start, len(rows)))
    return runs


class _Evidence:
    """Precomputed per-category evidence so a segment scores in O(labels of k)."""

    def __init__(self, rows: list[Row], marks: list[Mark], cats: tuple[Category, ...]):
        self.cats = cats
        k_n = len(cats)
        index = cue_index(cats)
        sums = [0.0] * k_n
        self.prefix = prefix = [[0.0] for _ in range(k_n)]
        for r in rows:
            for level2, bonus in cue_scores(r.name, r.value):
                k = index.get(level2)
                if k is not None:
                    sums[k] += bonus * CUE_WEIGHT
            for k in range(k_n):
                prefix[k].append(sums[k])
        self.l2: list[list[float]] = [[] for _ in range(k_n)]
        self.l1: list[list[float]] = [[] for _ in range(k_n)]
        self.function_pos: list[float] = []
        for m in marks:
            lab = m.label
            if isinstance(lab, FunctionLabel):
                self.function_pos.append(m.pos)
                continue
            ks = _categories_of(lab, cats)
            # a classic sheet's 成本指标 names one 二级, whatever column it sits in
            level = 2 if lab.level == 2 or len(ks) == 1 and cats[ks[0]].level2 == COST2 else 1
            for k in ks:
                (self.l2 if level == 2 else self.l1)[k].append(m.pos)
        for lists in (self.l1, self.l2):
            for positions in lists:
                positions.sort()
        self._cache: dict[tuple[int, int, int], tuple[float, bool]] = {}
        self.prior = [PRIOR.get(c.level2, 0.0) for c in cats]
        self.starts = [-NOT_A_START.get(c.level1, 0.0) for c in cats]

    def segment(self, s: int, e: int, k: int) -> tuple[float, bool]:
        """Score of rows [s, e) as one group of category k, and whether a printed
        label (inside it or displaced at most NEAR_ROWS) explains it."""
        key = (s, e, k)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        pre = self.prefix[k]
        score = pre[e] - pre[s] - GROUP_COST
        claim2, near = _claim2(self.l2[k], s, e - 1)
        if not near:
            # Nothing printed names this group: the category is a guess, and a guess
            # should be a common one (an unlabelled 效益 block is 社会效益).
            score += self.prior[k] + LOG_MISSING
        out = (score + claim2 + _claim1(self.l1[k], s, e - 1), near)
        self._cache[key] = out
        return out

    def function_mark_near(self, s: int) -> bool:
        """A 职能 label on the group's first row or just before it (printed after the
        previous block) supports starting a function at row s."""
        return any(s - 1.0 <= p <= s for p in self.function_pos)


def _distance(p: float, first: int, last: int) -> float:
    """Rows between a label and a span; a label on a line of its own next to the
    span (half a row away) counts as inside."""
    d = first - p if p < first else (p - last if p > last else 0.0)
    return 0.0 if d <= 0.5 else d


_REACH1 = CLAIM_L1 / DECAY_L1


def _claim2(positions: list[float], first: int, last: int) -> tuple[float, bool]:
    """Log-likelihood of the printed 二级 labels this span explains, and whether it
    explains any."""
    total, near = 0.0, False
    lo = bisect_left(positions, first - NEAR_ROWS)
    for p in positions[lo:]:
        if p > last + NEAR_ROWS:
            break
        d = _distance(p, first, last)
        total += EXPLAINED + (_log_inside(p, first, last) if d == 0.0 else LOG_DISPLACED)
        near = True
    return total, near


def _log_inside(p: float, first: int, last: int) -> float:
    """Where inside its span a merged cell's label is printed: mostly on the top,
    middle or bottom row (a PDF centres it, a viewer's copy puts it first or last),
    sometimes on any row."""
    n = last - first + 1
    mid = (first + last) / 2
    # A label on a line of its own between two rows was centred across both: it
    # marks the middle of an even span, never an edge row.
    edge = ((p == first) + (p == last)) / 3
    centre = 1 / 3 if p == mid else (1 / 6 if abs(p - mid) == 0.5 else 0.0)
    return math.log(P_INSIDE * (ANY_ROW / n + (1 - ANY_ROW) * (edge + centre)))


def _claim1(positions: list[float], first: int, last: int) -> float:
    total = 0.0
    lo = bisect_left(positions, first - _REACH1)
    for p in positions[lo:]:
        if p > last + _REACH1:
            break
        total += max(0.0, CLAIM_L1 - DECAY_L1 * _distance(p, first, last))
    return total


def _categories_of(label: Label, cats: tuple[Category, ...]) -> list[int]:
    if label.level == 2:
        hits = [k for k, c in enumerate(cats) if c.level2 == label.name]
        if not hits and label.name == "成本指标":  # 2021 regime: a bare 成本指标 names the block
            hits = [k for k, c in enumerate(cats) if c.level1 == COST]
        return hits
    hits = [k for k, c in enumerate(cats) if c.level1 == label.name]
    if not hits and label.name == COST:  # classic regime: 成本指标 is a 二级 of 产出
        hits = [k for k, c in enumerate(cats) if c.level2 == COST2]
    return hits


def solve(rows: list[Row], marks: list[Mark]) -> Solution:
    style = numbering_style(rows)
    best: tuple[float, list[Group], tuple[Category, ...]] | None = None
    for cats in _regimes_for(marks):
        score, groups = _solve_regime(rows, marks, cats, style)
        if best is None or score > best[0]:
            best = (score, groups, cats)
    _, groups, cats = best
    spans, start = [], 0
    for gi, g in enumerate(groups):
        if g.new_function and gi:
            spans.append((start, g.start))
            start = g.start
    spans.append((start, len(rows)))
    return Solution(groups, "2021" if cats is REGIME_2021 else "classic", style, spans)


def _regimes_for(marks: list[Mark]) -> list[tuple[Category, ...]]:
    """The regimes worth trying: a bare 成本指标 label may be a 2021 一级 or a classic 二级."""
    names = {m.label.name for m in marks if isinstance(m.label, Label)}
    if names & {ECON_COST, SOCIAL_COST, ECO_COST}:
        return [REGIME_2021]
    if COST in names:
        return [CLASSIC, REGIME_2021]
    return [CLASSIC]


def _solve_regime(rows: list[Row], marks: list[Mark], cats: tuple[Category, ...],
                  style: str) -> tuple[float, list[Group]]:
    ev = _Evidence(rows, marks, cats)
    n = len(rows)
    if style == "per-group":
        cuts = [a for a, _ in _runs(rows)] + [n]
        max_span = 1
    else:
        cuts = list(range(n + 1))
        max_span = MAX_GROUP
    resets = {a for a, _ in _runs(rows)} if style != "absent" else set()
    expected = _expected_functions(marks)
    if style == "run-on":
        expected = None  # its restarts already mark every function
    wrap = WRAP_COST
    score, groups = _dp(ev, cuts, max_span, style, resets, len(cats), wrap)
    # Printed 职能N labels tell how many functions there are: steer the price of a
    # new function towards that count. One more is tolerated when it comes after
    # the last printed label: the last function's label may be the one lost.
    last_label = max((m.pos for m in marks if isinstance(m.label, FunctionLabel)), default=0.0)
    for _ in range(4):
        starts = [g.start for g in groups if g.new_function]
        count = len(starts)
        too_many = expected is not None and (
            count > expected + 1 or (count == expected + 1 and starts[-1] <= last_label + 0.5))
        if expected is None or (count >= expected and not too_many):
            break
        wrap += 2.0 if too_many else -1.5
        if not 0.5 <= wrap <= WRAP_COST + 6:
            break
        score, groups = _dp(ev, cuts, max_span, style, resets, len(cats), wrap)
    return score, groups


def _expected_functions(marks: list[Mark]) -> int | None:
    labels = [m.label for m in marks if isinstance(m.label, FunctionLabel)]
    if not labels:
        return None
    return max([len(labels)] + [lab.number for lab in labels if lab.number])


def _dp(ev: _Evidence, cuts: list[int], max_span: int, style: str, resets: set[int],
        k_n: int, wrap_price: float) -> tuple[float, list[Group]]:
    m = len(cuts) - 1
    best = [[NEG] * k_n for _ in range(m + 1)]
    back: list[list[tuple[int, int, bool, bool] | None]] = [[None] * k_n for _ in range(m + 1)]
    for b in range(1, m + 1):
        e = cuts[b]
        row_b = best[b]
        for a in range(max(0, b - max_span), b):
            s = cuts[a]
            prev = best[a]
            # transition costs at row s, independent of k
            if a == 0:
                same_cost, wrap_cost = NEG, 0.0
            else:
                same_cost = 0.0
                wrap_cost = -wrap_price + (FUNCTION_MARK if ev.function_mark_near(s) else 0.0)
                if style == "run-on":
                    # numbering that runs on through a function restarts exactly
                    # where a function starts, and says nothing of groups
                    if s in resets:
                        same_cost -= RUN_ON_RESET
                        wrap_cost = -RUN_ON_WRAP
                    else:
                        wrap_cost -= RUN_ON_RESET
                elif style == "absent":
                    pass
            wrap_from, wrap_k = NEG, -1
            for kp in range(k_n):
                if prev[kp] > wrap_from:
                    wrap_from, wrap_k = prev[kp], kp
            if a == 0:
                wrap_from, wrap_k = 0.0, -1
            run_max, run_k = NEG, -1  # max over k' < k, built incrementally
            for k in range(k_n):
                seg, labelled = ev.segment(s, e, k)
                cand, choice = NEG, None
                if run_max > NEG:
                    cand, choice = run_max + same_cost + seg, (a, run_k, False, labelled)
                w = wrap_from + wrap_cost + ev.starts[k] + seg
                if w > cand:
                    cand, choice = w, (a, wrap_k, True, labelled)
                if cand > row_b[k]:
                    row_b[k], back[b][k] = cand, choice
                if prev[k] > run_max:
                    run_max, run_k = prev[k], k
    k = k_last = max(range(k_n), key=lambda j: best[m][j])
    out: list[Group] = []
    b = m
    while b > 0:
        a, kp, wrap, labelled = back[b][k]
        out.append(Group(cuts[a], cuts[b], ev.cats[k], labelled, wrap))
        b, k = a, kp
    out.reverse()
    return best[m][k_last], out


def assign_function_labels(spans: list[tuple[int, int]], marks: list[Mark]) -> list[FunctionLabel | None]:
    """Give each function span the 职能 label printed for it, if any.

    Numbered labels (职能N) go to span N when the count of spans agrees; otherwise a
    label goes to the span that contains it, or that it follows (printed after its
    block) when the span it would open already has one.
    """
    fmarks = [m for m in marks if isinstance(m.label, FunctionLabel)]
    out: list[FunctionLabel | None] = [None] * len(spans)
    if not fmarks:
        return out
    numbers = [m.label.number for m in fmarks]
    if all(numbers) and max(numbers) == len(spans) and len(set(numbers)) == len(numbers):
        for m in fmarks:
            out[m.label.number - 1] = m.label
        return out
    starts = [a for a, _ in spans]
    for m in fmarks:
        idx = max(0, bisect_right(starts, m.pos) - 1)
        if out[idx] is None:
            out[idx] = m.label
        elif idx + 1 < len(spans) and out[idx + 1] is None:
            out[idx + 1] = m.label
    return out
