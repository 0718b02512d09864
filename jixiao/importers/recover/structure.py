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
  through a function, its restarts mark functions;
* printed ``职能N`` labels tell how many functions there are and where; when a
  label lies far from its function after the price of a new function has been
  steered by their count, the function index is carried in the programme's state
  (``_Dp.run_indexed``).

Everything inferred is reported as a diagnostic with a stable code.
"""
from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # numpy is imported where the array path runs: a numbered sheet needs none
    import numpy as np

from ...model.indicator import (
    CLASSIC,
    COST,
    COST2,
    ECO_COST,
    ECON_COST,
    EFFECT,
    REGIME_2021,
    SATISFACTION,
    SOCIAL_COST,
    Category,
)
from ..budget import tick
from .cells import FunctionLabel, Label
from .cues import cue_scores
from .evidence import NEAR_ROWS, WANDERING, LabelModel, SegmentTable, inside_log_likelihood

# Prices of function boundaries (checked on generated sheets, see
# tests/test_accuracy.py and benchmarks/accuracy.py); group evidence is in evidence.py.
WRAP_COST = 12.0                       # starting a new function
FUNCTION_MARK = 3.0                    # a 职能 label printed at a plausible function boundary
NOT_A_START = {EFFECT: 3.0, SATISFACTION: 5.0}  # a function opening with 效益 / 满意度
RUN_ON_RESET = 8.0                     # run-on numbering restarts only at a new function
RUN_ON_WRAP = 1.0                      # ... so a new function there costs little
MID_TABLE = 3.0                        # log-odds against a text that starts at a later function
NO_WRAP = 1e6                          # a price that forbids a new function
MAX_GROUP = 10                         # rows in one group, for the unnumbered search


@dataclass(slots=True)
class Row:
    name: str
    value: str | None
    number: int | None = None
    line: int = 0
    extras: dict[str, Any] | None = None  # weight, actual, score … where the form has them


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
    first_function: int = 0  # functions before this one (0-based) are absent: the text starts mid-table


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


def solve(rows: list[Row], marks: list[Mark], model: LabelModel = WANDERING) -> Solution:
    """``model``: how the reader's text places labels (``evidence.WANDERING`` for PDF
    text, ``evidence.AT_TOP`` for cells read one by one)."""
    style = numbering_style(rows)
    best: tuple[float, list[Group], tuple[Category, ...], int] | None = None
    regimes = _regimes_for(marks)
    for cats in regimes:
        score, groups, first = _solve_regime(rows, marks, cats, style, model)
        if best is None or score > best[0]:
            best = (score, groups, cats, first)
    assert best is not None  # _regimes_for gives one regime at least
    if regimes == [CLASSIC] and _opens_with_cost(rows, best[1]):
        # every 成本 label lost, yet a function opens with costs: the 2021 order
        score, groups, first = _solve_regime(rows, marks, REGIME_2021, style, model)
        if score > best[0]:
            best = (score, groups, REGIME_2021, first)
    _, groups, cats, first = best
    spans = _function_spans(groups, len(rows))
    if len(spans) > 1 and style != "per-group":
        # (per-group numbering fixes every group's rows; a shared label can then
        # only sway a category, which the first pass already weighs)
        groups = _refine(rows, marks, cats, style, groups, spans, model)
    return Solution(groups, "2021" if cats is REGIME_2021 else "classic", style, spans, first)


def _function_spans(groups: list[Group], n: int) -> list[tuple[int, int]]:
    spans, start = [], 0
    for gi, g in enumerate(groups):
        if g.new_function and gi:
            spans.append((start, g.start))
            start = g.start
    spans.append((start, n))
    return spans


def _refine(rows: list[Row], marks: list[Mark], cats: tuple[Category, ...], style: str,
            groups: list[Group], spans: list[tuple[int, int]], model: LabelModel) -> list[Group]:
    """Solve each function again with only its own labels.

    Across the whole table, a label displaced towards the next function could be
    claimed twice, by the groups of its category on both sides. Now that the
    functions are known, every label goes to the function of the nearest group
    of its category, and each function is solved alone."""
    own: list[list[Mark]] = [[] for _ in spans]
    starts = [a for a, _ in spans]
    shared = False
    # the groups a label may belong to, per label name, in row order: the nearest
    # ones are found by bisection (a scan of every group per label is quadratic)
    of_name: dict[str, tuple[list[int], list[Group]]] = {}
    for mark in marks:
        if isinstance(mark.label, FunctionLabel):
            continue
        hit = of_name.get(mark.label.name)
        if hit is None:
            names = {c for c in cats if c.level2 == mark.label.name or c.level1 == mark.label.name}
            mine = [g for g in groups if g.category in names]
            hit = of_name[mark.label.name] = ([g.start for g in mine], mine)
        g_starts, mine = hit
        # groups do not overlap: the two nearest lie next to the label's place
        i = bisect_right(g_starts, mark.pos)
        gaps = sorted((max(g.start - mark.pos, mark.pos - (g.end - 1), 0.0), g.start)
                      for g in mine[max(0, i - 3):i + 3])
        if gaps:
            fi = bisect_right(starts, gaps[0][1]) - 1
            shared = shared or (len(gaps) > 1 and gaps[1][0] <= NEAR_ROWS)
        else:
            fi = max(0, bisect_right(starts, mark.pos) - 1)
        own[fi].append(mark)
    if not shared:
        return groups  # no label was within reach of two groups: nothing to undo
    out: list[Group] = []
    for (a, b), fmarks in zip(spans, own):
        local = [Mark(m.pos - a, m.label, m.line) for m in fmarks]
        _, part, _ = _solve_regime(rows[a:b], local, cats, style, model, one_function=True)
        for gi, g in enumerate(part):
            out.append(Group(g.start + a, g.end + a, g.category, g.labelled, gi == 0))
    return out


def _opens_with_cost(rows: list[Row], groups: list[Group]) -> bool:
    """Whether a function opens with a group of mostly costs (the classic order puts
    成本 last in 产出)."""
    for g in groups:
        if g.new_function:
            costly = sum(any(l2 == COST2 and bonus >= 1.0 for l2, bonus in cue_scores(r.name, r.value))
                         for r in rows[g.start:g.end])
            if 2 * costly >= g.end - g.start:
                return True
    return False


def _regimes_for(marks: list[Mark]) -> list[tuple[Category, ...]]:
    """The regimes worth trying: a bare 成本指标 label may be a 2021 一级 or a classic 二级."""
    names = {m.label.name for m in marks if isinstance(m.label, Label)}
    if names & {ECON_COST, SOCIAL_COST, ECO_COST}:
        return [REGIME_2021]
    if COST in names:
        return [CLASSIC, REGIME_2021]
    return [CLASSIC]


def _solve_regime(rows: list[Row], marks: list[Mark], cats: tuple[Category, ...], style: str,
                  model: LabelModel, one_function: bool = False) -> tuple[float, list[Group], int]:
    """The score and groups of one regime, and the index of the first function the
    text holds (0 unless the 职能N labels say the text starts at a later one)."""
    n = len(rows)
    runs = _runs(rows)
    if style == "per-group":
        cuts = [a for a, _ in runs] + [n]
        max_span = 1
    else:
        cuts = list(range(n + 1))
        max_span = MAX_GROUP
    table = SegmentTable(rows, marks, cats, cuts, max_span, model, model.cues(style == "per-group"))
    resets = {a for a, _ in runs} if style != "absent" else set()
    function_pos = [m.pos for m in marks if isinstance(m.label, FunctionLabel)]
    starts = [-NOT_A_START.get(c.level1, 0.0) for c in cats]
    expected = _expected_functions(marks)
    if style == "run-on":
        expected = None  # its restarts already mark every function
    if one_function:
        expected, resets = None, set()
    wrap = WRAP_COST if not one_function else NO_WRAP
    dp = _Dp(table, cuts, style, resets, function_pos, starts)
    score, groups = dp.run(wrap)
    numbered = [(m.pos, m.label.number) for m in marks
                if isinstance(m.label, FunctionLabel) and m.label.number]
    last_label = max(function_pos, default=0.0)
    if expected is None or not numbered:
        return (*_place_functions(dp, wrap, expected, numbered, last_label, n, score, groups), 0)
    # The first printed 职能N may have N > 1: either the labels of the functions
    # before it were lost (their rows are here), or the text starts mid-table and
    # those functions are absent. Both are solved; the table's evidence at the
    # unsteered price of a new function, the labels' fit to the functions their
    # numbers name and the odds of the labels each one says were lost decide; a
    # text that starts mid-table is rarer than a lost label (MID_TABLE), so a tie
    # keeps the functions.
    seq = _consistent_labels(numbered)
    skip = seq[0][1] - 1 if seq else 0
    found = _place_functions(dp, wrap, expected, numbered, last_label, n, score, groups)
    if skip <= 0:
        return (*found, 0)
    shifted = [(pos, number - skip) for pos, number in numbered if number > skip]
    absent = _place_functions(dp, wrap, max(1, expected - skip), shifted, last_label, n, score, groups)
    kept = _hypothesis_fit(dp, found[1], numbered, n, 0)
    cut = _hypothesis_fit(dp, absent[1], shifted, n, skip) - MID_TABLE
    return (*absent, skip) if cut > kept else (*found, 0)


def _place_functions(dp: _Dp, wrap: float, expected: int | None, numbered: list[tuple[float, int]],
                     last_label: float, n: int, score: float,
                     groups: list[Group]) -> tuple[float, list[Group]]:
    """Steer the functions of ``dp.run(wrap)`` (``score``, ``groups``) by the printed
    职能N labels (``numbered``: position and N, counted from the text's first function)."""
    # Printed 职能N labels tell how many functions there are, and where: steer the
    # price of a new function until the count agrees and every numbered label lies
    # in (or just after) its own function. One function more is tolerated when no
    # label is printed near the last one: its label may be the one that was lost.
    for _ in range(4):
        firsts = [g.start for g in groups if g.new_function]
        count = len(firsts)
        if expected is None:
            break
        behind = ahead = False
        bounds = firsts + [n]
        for pos, number in numbered:
            if number > count:
                continue  # too few functions altogether: the count says so
            start, end = bounds[number - 1], bounds[number] - 1
            # function labels wander like the others: only a label far from its
            # function tells that functions are missing before it, or too many
            ahead |= pos < start - NEAR_ROWS
            behind |= pos > end + NEAR_ROWS
        too_many = behind or count > expected + 1 or (
            count == expected + 1 and last_label >= firsts[-1] - 2.0)
        too_few = ahead or count < expected
        if too_many == too_few:  # agreed, or contradictory evidence: keep the solution
            break
        wrap += 2.0 if too_many else -1.5
        if not 0.5 <= wrap <= WRAP_COST + 6:
            break
        score, groups = dp.run(wrap)
    if expected is not None and numbered:
        if _unexplained(numbered, groups, n):
            # a label far from its function: the count agreed (or could not be
            # made to) while the index is wrong somewhere: the function index is
            # solved with the groups
            return dp.run_indexed(wrap, numbered, n, groups)
        score, groups = _steer_locally(dp, wrap, numbered, score, groups, n)
    return score, groups


def _hypothesis_fit(dp: _Dp, groups: list[Group], numbered: list[tuple[float, int]], n: int,
                    skip: int) -> float:
    """How well ``groups`` explain the table and its 职能N labels (numbered from the
    text's first function, ``skip`` functions before it absent): the groups' evidence
    at the price ``WRAP_COST`` of a new function, each label's fit to the function its
    number names (``_FAR`` if there is none), and each function bearing no label
    counted as a lost label, at the rate the labels' numbers imply."""
    fit = dp.score_of(groups, WRAP_COST)
    firsts = [g.start for g in groups if g.new_function]
    bounds = firsts + [n]
    seq = _consistent_labels(numbered)
    for pos, number in seq:
        j = number - 1
        fit += _function_label_fit(pos, bounds[j], bounds[j + 1] - 1) if j < len(firsts) else _FAR
    top = seq[-1][1] + skip if seq else 1
    lost = min(0.5, max(0.02, (top - len(seq) + 0.5) / (top + 1)))
    bare = len(firsts) - len({number for _, number in seq if number <= len(firsts)})
    return fit + bare * math.log(lost) + (len(firsts) - bare) * math.log(1 - lost)


def _unexplained(numbered: list[tuple[float, int]], groups: list[Group], n: int) -> bool:
    """Whether a 职能N label (of the increasing run) lies farther than NEAR_ROWS from
    the N-th function of the solution, or that function does not exist."""
    firsts = [g.start for g in groups if g.new_function]
    bounds = firsts + [n]
    for pos, number in _consistent_labels(numbered):
        if number > len(firsts):
            return True
        first, last = bounds[number - 1], bounds[number] - 1
        if pos < first - NEAR_ROWS or pos > last + NEAR_ROWS:
            return True
    return False


# Local steering by the numbers of the printed 职能N labels (see _steer_locally).
LOCAL_STEP = 3.0        # change of a new function's price between two labels, per round
LOCAL_ROUNDS = 8
INDEX_CHANGE = 4.0      # log-odds against the solution erring between two labels
_FAR = math.log(1e-4)   # a function label farther than NEAR_ROWS from its function


def _steer_locally(dp: _Dp, wrap: float, numbered: list[tuple[float, int]], score: float,
                   groups: list[Group], n: int) -> tuple[float, list[Group]]:
    """Put the functions where the 职能N labels say, not only their count.

    One price for a new function over the whole table can get the count right while
    one boundary too many early and one too few far later shift the index of every
    function between them: a document of hundreds of functions holds a few such pairs
    where one of forty holds none. The labels' numbers tell where: a label 职能N lies
    in (or a few rows from) the N-th function. Along the labels in row order, a
    hidden offset (the solution's index of a label's function minus N - 1) is
    found by Viterbi, each label weighed by where it sits in the candidate functions
    (its top, middle, bottom, displaced, far), each change of offset costing
    ``INDEX_CHANGE``. Where the offset rises between two labels the solution has a
    function too many there, where it falls one too few: the price of a new
    function between those labels is raised or lowered, and the table solved again,
    until the offsets agree (or ``LOCAL_ROUNDS``)."""
    seq: list[tuple[float, int]] = []
    for pos, number in sorted(numbered):
        if not seq or number > seq[-1][1]:
            seq.append((pos, number))  # a number out of order says nothing of the index
    if len(seq) < 2:
        return score, groups
    cut_at = dp.cuts
    local = [0.0] * (len(cut_at) - 1)
    best = None
    steps: dict[int, float] = {}  # per label where the offset changes: the last change of price
    for _ in range(LOCAL_ROUNDS + 1):
        firsts = [g.start for g in groups if g.new_function]
        fit, offsets = _label_offsets(seq, firsts, n)
        # the table's own score (without the local prices) and the labels' fit:
        # rounds may overshoot, the best solution seen is kept
        own = score + sum(local[bisect_right(cut_at, g.start) - 1] for g in groups[1:] if g.new_function)
        if best is None or own + fit > best[0]:
            best = (own + fit, score, groups)
        changed = False
        prev_pos, prev_off = -1.0, 0
        for i, ((pos, _), off) in enumerate(zip(seq, offsets)):
            if off != prev_off:
                # the atoms from the earlier label to this one (labels wander: and
                # up to NEAR_ROWS beyond): a function too many there (offset
                # rising) is taken out, one too few added; half the change when
                # the last one here went the other way
                delta = LOCAL_STEP if off > prev_off else -LOCAL_STEP
                last = steps.get(i)
                if last is not None and (last > 0) != (delta > 0):
                    delta = -last / 2
                steps[i] = delta
                lo, hi = prev_pos - NEAR_ROWS, pos + NEAR_ROWS
                for a in range(bisect_right(cut_at, lo), min(len(local), bisect_right(cut_at, hi))):
                    local[a] += delta
                changed = True
            prev_pos, prev_off = pos, off
        if not changed:
            break
        score, groups = dp.run(wrap, local)
    assert best is not None  # set in the first round
    return best[1], best[2]


def _label_offsets(seq: list[tuple[float, int]], firsts: list[int], n: int) -> tuple[float, list[int]]:
    """Per numbered function label (in row order), the solution's index of its
    function minus the label's N - 1, by Viterbi over the offsets -2..2; with the
    log-likelihood of the best path."""
    bounds = firsts + [n]
    count = len(firsts)
    offs = (-2, -1, 0, 1, 2)
    k = len(offs)
    prev: list[float] = []
    back: list[list[int]] = []
    for pos, number in seq:
        emit = []
        for d in offs:
            j = number - 1 + d
            emit.append(_function_label_fit(pos, bounds[j], bounds[j + 1] - 1) if 0 <= j < count
                        else float("-inf"))
        if not prev:
            prev = [e - INDEX_CHANGE * (d != 0) for e, d in zip(emit, offs)]
            back.append(list(range(k)))
            continue
        row, ptr = [], []
        for i in range(k):
            h = max(range(k), key=lambda h: prev[h] - (INDEX_CHANGE if h != i else 0.0))
            row.append(prev[h] - (INDEX_CHANGE if h != i else 0.0) + emit[i])
            ptr.append(h)
        prev = row
        back.append(ptr)
    i = max(range(k), key=prev.__getitem__)
    fit = prev[i]
    out = []
    for ptr in reversed(back):
        out.append(offs[i])
        i = ptr[i]
    out.reverse()
    return fit, out


def _function_label_fit(pos: float, first: int, last: int, model: LabelModel = WANDERING) -> float:
    """Log-likelihood of a function label printed at ``pos`` for the function of rows
    ``first..last``: the label model of the 二级 labels; farther than NEAR_ROWS, unlikely."""
    d = first - pos if pos < first else (pos - last if pos > last else 0.0)
    if d <= 0.5:
        return inside_log_likelihood(min(max(pos, first), last), first, last, model)
    return model.log_displaced if d <= NEAR_ROWS else _FAR


def _expected_functions(marks: list[Mark]) -> int | None:
    labels = [m.label for m in marks if isinstance(m.label, FunctionLabel)]
    if not labels:
        return None
    return max([len(labels)] + [lab.number for lab in labels if lab.number])


# The function index in the solver's state (_Dp.run_indexed, docs/structure.md step 4).
INDEX_BAND = 8          # function indices kept per boundary
# A function label's terms, against one printed inside its function (anywhere: a
# function spans a dozen rows, its label is on its top, middle or bottom row, or a
# few rows off, about as often per row, see evidence.WANDERING):
LABEL_DISPLACED = math.log(0.33 / 8) - math.log(0.55 / 12)  # a few rows off its function
LABEL_FAR = math.log(1e-4) - math.log(0.55 / 12)            # far from it, or no such function
FAR_SLOPE = 1.5         # beyond NEAR_ROWS, each further row (a joined line moves a label too)


def _label_off(d: float) -> float:
    """A function label ``d`` rows outside its function's span (``d > 0.5``)."""
    if d <= NEAR_ROWS:
        return LABEL_DISPLACED
    return max(LABEL_FAR, LABEL_DISPLACED - FAR_SLOPE * (d - NEAR_ROWS))


def _consistent_labels(numbered: list[tuple[float, int]]) -> list[tuple[float, int]]:
    """The longest run of labels, in row order, whose numbers increase: a repeated or
    misread number says nothing of where the functions are."""
    seq = sorted(numbered)
    tails: list[int] = []    # per length, the smallest number ending such a run
    at: list[int] = []       # ... and the label holding it
    prev = [-1] * len(seq)
    for i, (_, number) in enumerate(seq):
        j = bisect_left(tails, number)
        prev[i] = at[j - 1] if j else -1
        if j == len(tails):
            tails.append(number)
            at.append(i)
        else:
            tails[j], at[j] = number, i
    out, i = [], at[-1] if at else -1
    while i >= 0:
        out.append(seq[i])
        i = prev[i]
    out.reverse()
    return out


def _index_band(seq: list[tuple[float, int]], rows: list[int], width: int,
                index_of: list[int]) -> list[int]:
    """Per boundary after the first (given by the last row before it), the lowest
    function index (0-based) the band holds: the labels far enough above the row
    bound the index from below, those far enough below it from above; where more
    indices than ``width`` remain, the band is centred on the index the labels
    interpolate, or beyond the last label (or before the first) on the functions
    ``index_of`` (the index of each row in a solution without the band) counts
    from it."""
    pos = [p for p, _ in seq]
    num = [nb for _, nb in seq]
    n = len(index_of)
    last_at = index_of[min(n - 1, max(0, int(pos[-1])))]
    out, prev = [], -1  # the first group is in function 0
    for r in rows:
        i = bisect_left(pos, r - NEAR_ROWS - 0.5)      # labels at or above r - NEAR - 0.5: [0, i)
        j = bisect_right(pos, r + NEAR_ROWS + 0.5)     # labels beyond: [j, ...)
        lo = max(0, num[i - 1] - 2) if i else 0
        hi = num[j] if j < len(num) else None          # past the last label: unbounded
        base = lo
        if hi is None or hi - lo + 1 > width:
            k = bisect_right(pos, r)
            if 0 < k < len(pos):
                (p1, n1), (p2, n2) = seq[k - 1], seq[k]
                est = n1 - 1 + (r - p1) / (p2 - p1) * (n2 - n1)
            elif k == 0:
                est = min(index_of[r], num[0] - 1)
            else:
                est = num[-1] - 1 + index_of[r] - last_at
            base = max(lo, round(est) - width // 2)
            if hi is not None:
                base = min(base, hi - width + 1)
        # monotone, and up by at most one per boundary: an index rises by one per
        # new function, so every band stays reachable from the one before
        prev = min(max(prev, base), prev + 1)
        out.append(prev)
    return out


class _Dp:
    """Best labelling of the atoms, by dynamic programming over (atom boundary,
    category of the group ending there). A group's category exceeds the previous
    one's (canonical order, no 二级 twice in a function) unless a new function starts."""

    def __init__(self, table: SegmentTable, cuts: list[int], style: str, resets: set[int],
                 function_pos: list[float], starts: list[float]):
        self.table, self.cuts, self.starts = table, cuts, starts
        self._ending_cache: np.ndarray | None = None
        m = len(cuts) - 1
        # The per-boundary prices are short lists: plain Python beats array calls.
        # Support for a new function at an atom: a 职能 label on its first row or just
        # before it (printed after the previous block).
        at = sorted(function_pos)
        self.mark_bonus = [FUNCTION_MARK if bisect_right(at, c) > bisect_left(at, c - 1.0) else 0.0
                           for c in cuts[:m]]
        self.same = [0.0] * m
        self.wrap_fixed: list[float | None] = [None] * m
        self.wrap_penalty = [0.0] * m
        if style == "run-on":
            # numbering that runs on through a function restarts exactly where a
            # function starts, and says nothing of groups
            for a, c in enumerate(cuts[:m]):
                if c in resets:
                    self.same[a], self.wrap_fixed[a] = -RUN_ON_RESET, -RUN_ON_WRAP
                else:
                    self.wrap_penalty[a] = -RUN_ON_RESET
        self.near = [[row] for row in table.atom_near] if table.width == 1 else table.near.tolist()

    def run(self, wrap_price: float, local: list[float] | None = None) -> tuple[float, list[Group]]:
        """``local``: per atom, a change of the price of a new function there."""
        wrap_cost = [fixed if fixed is not None else -wrap_price + bonus + penalty
                     for fixed, bonus, penalty in zip(self.wrap_fixed, self.mark_bonus, self.wrap_penalty)]
        if local is not None:
            wrap_cost = [c if fixed is not None else c - extra
                         for c, fixed, extra in zip(wrap_cost, self.wrap_fixed, local)]
        fill = self._fill_atoms if self.table.width == 1 else self._fill_spans
        best, back_a, back_wrap = fill(wrap_cost)
        m = len(best) - 1
        k = max(range(len(best[m])), key=best[m].__getitem__)
        total = best[m][k]
        out: list[Group] = []
        b = m
        while b > 0:
            a, wrapped = back_a[b][k], back_wrap[b][k]
            near = self.near[a][b - 1 - a][k]
            out.append(Group(self.cuts[a], self.cuts[b], self.table.cats[k], near, wrapped or a == 0))
            if a:
                row = best[a] if wrapped else best[a][:k]
                k = max(range(len(row)), key=row.__getitem__)
            b = a
        out.reverse()
        return total, out

    def score_of(self, groups: list[Group], wrap_price: float) -> float:
        """The programme's score of ``groups`` at the price ``wrap_price`` of a new
        function (without local changes), as ``run`` adds it up."""
        cuts, table = self.cuts, self.table
        k_of = {c: k for k, c in enumerate(table.cats)}
        total = 0.0
        for gi, g in enumerate(groups):
            a, b, k = bisect_left(cuts, g.start), bisect_left(cuts, g.end), k_of[g.category]
            if table.width == 1:
                total += float(table.atom_score[a][k])
            else:
                total += float(table.score[a, b - 1 - a, k])
            if gi == 0:
                total += self.starts[k]
            elif g.new_function:
                fixed = self.wrap_fixed[a]
                total += self.starts[k] + (fixed if fixed is not None else
                                           -wrap_price + self.mark_bonus[a] + self.wrap_penalty[a])
            else:
                total += self.same[a]
        return total

    def run_indexed(self, wrap_price: float, numbered: list[tuple[float, int]], n: int,
                    groups: list[Group]) -> tuple[float, list[Group]]:
        """The best labelling when the state also carries the function index.

        A printed 职能N label belongs to the N-th function: it is inside its span or
        up to NEAR_ROWS rows from it (``LABEL_DISPLACED``), else it is unexplained
        (``LABEL_FAR``). Each label's term splits over the two boundaries of its
        function (a label can only be on one side of its span), so the programme
        adds it where a function starts: one function too many early and one too
        few later now cost every label between them, wherever they are. The index
        is kept in a band of ``INDEX_BAND`` per boundary, placed by the labels (and
        where they are too few, by ``groups``, a solution without the index)."""
        import numpy as np
        seq = _consistent_labels(numbered)
        if not seq:
            return self.run(wrap_price)
        table, cuts = self.table, self.cuts
        width = table.width
        if width == 1:  # numbering cut the groups: each is one atom
            atoms = np.asarray(table.atom_score, dtype=float)
            m, k_n = atoms.shape
            ending = np.full((m + 1, 1, k_n), -np.inf)
            ending[1:, 0] = atoms
        else:
            m, k_n = table.score.shape[0], table.score.shape[2]
            ending = self._ending()
        # the band rises by at most one per boundary, so within one group (up to
        # ``width`` atoms) by at most ``width``: FW columns hold every shift
        F = INDEX_BAND
        FW = F + width + 1
        index_of, f = [], -1
        for g in groups:
            f += g.new_function
            index_of += [f] * (g.end - g.start)
        base = [0] + _index_band(seq, [c - 1 for c in cuts[1:]], F, index_of)
        at_number = {nb: p for p, nb in seq}
        wrap_cost = [fixed if fixed is not None else -wrap_price + bonus + penalty
                     for fixed, bonus, penalty in zip(self.wrap_fixed, self.mark_bonus, self.wrap_penalty)]
        # Each function's label is printed or lost: a function whose number no label
        # bears costs the odds of a lost label, as often as this document lost them
        # (so a function beyond the last label is not free).
        top = seq[-1][1]
        lost = min(0.5, max(0.02, (top - len(seq) + 0.5) / (top + 1)))
        printed, unprinted = math.log(1 - lost), math.log(lost)
        # The labels' terms of a new function f starting at boundary a (row c): its
        # own label must not lie far above c, the previous function's not far below
        # c - 1. Column i of boundary a is function base[a] + i.
        w_ext = np.zeros((m + 1, FW))
        for a in range(1, m):
            c, row = cuts[a], w_ext[a]
            for i in range(FW):
                f = base[a] + i
                p = at_number.get(f + 1)
                row[i] += printed if p is not None else unprinted
                if p is not None and c - p > 0.5:
                    row[i] += _label_off(c - p)
                p = at_number.get(f)
                if p is not None and p - (c - 1) > 0.5:
                    row[i] += _label_off(p - (c - 1))
        starts, same_cost = np.asarray(self.starts), self.same
        neg = -np.inf
        best = np.full((m + 1, k_n, F), neg)
        # what a group starting at boundary a continues from: only the last
        # ``width`` boundaries are read, so they are kept in rings
        ring = width + 1
        stay = np.full((ring, k_n, FW), neg)
        leave = np.full((ring, FW), neg)
        first = printed if 1 in at_number else unprinted
        leave[0, 0] = first  # the first function, index 0
        back_a = np.zeros((m + 1, k_n, F), dtype=np.int32)
        back_wrap = np.zeros((m + 1, k_n, F), dtype=bool)
        band = np.arange(F)
        kk = np.arange(k_n)[None, :, None]
        for b in range(1, m + 1):
            if b & 0xFF == 0:
                tick()
            lo = max(0, b - width)
            w = b - lo
            shift = base[b] - np.asarray(base[lo:b])
            cols = shift[:, None] + band[None, :]
            bad = cols >= FW
            cols = np.minimum(cols, FW - 1)
            rel = (np.arange(lo, b) % ring)[:, None]
            same = stay[rel[:, :, None], kk, cols[:, None, :]]
            new = leave[rel, cols]
            if bad.any():
                same[np.broadcast_to(bad[:, None, :], same.shape)] = neg
                new[bad] = neg
            wrap = new[:, None, :] + starts[None, :, None]
            step = np.maximum(same, wrap) + ending[b, :w][:, :, None]
            pick = step.argmax(axis=0)
            row = np.take_along_axis(step, pick[None], axis=0)[0]
            best[b] = row
            back_a[b] = pick + lo
            back_wrap[b] = (np.take_along_axis(wrap, pick[None], axis=0)[0]
                            >= np.take_along_axis(same, pick[None], axis=0)[0])
            if b < m:
                acc = np.maximum.accumulate(row, axis=0)
                at = b % ring
                stay[at] = neg
                stay[at, 1:, :F] = acc[:-1] + same_cost[b]
                leave[at] = neg
                leave[at, 1:F + 1] = row.max(axis=0) + wrap_cost[b] + w_ext[b, 1:F + 1]
        # the end: the last function's label must not lie below the table, and a
        # label numbered beyond the last function is unexplained
        end = np.zeros(F)
        numbers = [nb for _, nb in seq]
        for j in range(F):
            f = base[m] + j
            p = at_number.get(f + 1)
            if p is not None and p - (n - 1) > 0.5:
                end[j] += _label_off(p - (n - 1))
            end[j] += LABEL_FAR * (len(numbers) - bisect_right(numbers, f + 1))
        final = best[m] + end[None, :]
        at_k, at_j = np.unravel_index(int(final.argmax()), final.shape)
        k, j = int(at_k), int(at_j)
        total = float(final[k, j])
        if total == neg:  # no path through the bands (cannot happen: each is reachable)
            return self.run(wrap_price)
        # the score returned is the table's alone (as run's), so that a regime
        # solved this way and one solved without the index compare: the labels'
        # terms along the path are taken out again
        labels = float(end[j]) + first
        out: list[Group] = []
        b, f = m, base[m] + j
        while b > 0:
            j = f - base[b]
            a, wrapped = int(back_a[b, k, j]), bool(back_wrap[b, k, j])
            near = self.near[a][b - 1 - a][k]
            out.append(Group(cuts[a], cuts[b], table.cats[k], near, wrapped or a == 0))
            if a:
                if wrapped:
                    labels += float(w_ext[a, f - base[a]])
                    f -= 1
                col = best[a, :, f - base[a]].tolist()
                if not wrapped:
                    col = col[:k]
                k = max(range(len(col)), key=col.__getitem__)
            b = a
        out.reverse()
        return total - labels, out

    def _fill_atoms(self, wrap_cost: list[float]):
        """Each group is exactly one atom (numbering restarts per group): plain loops
        over the categories beat array calls on vectors this short."""
        score = self.table.atom_score
        starts, same_cost = self.starts, self.same
        k_n, m = len(starts), len(score)
        best = [[0.0] * k_n]
        back_a, back_wrap = [[0] * k_n], [[True] * k_n]
        for a in range(m):
            prev, sc = best[a], score[a]
            if a == 0:
                row = [starts[k] + sc[k] for k in range(k_n)]
                flags = [True] * k_n
            else:
                wrap_base = max(prev) + wrap_cost[a]
                same_add = same_cost[a]
                run = float("-inf")
                row, flags = [0.0] * k_n, [False] * k_n
                for k in range(k_n):
                    same, wrap = run + same_add, wrap_base + starts[k]
                    flags[k] = wrap >= same
                    row[k] = (wrap if flags[k] else same) + sc[k]
                    if prev[k] > run:
                        run = prev[k]
            best.append(row)
            back_a.append([a] * k_n)
            back_wrap.append(flags)
        return best, back_a, back_wrap

    def _fill_spans(self, wrap_cost: list[float]):
        import numpy as np
        score, width = self.table.score, self.table.width
        m, k_n = score.shape[0], score.shape[2]
        ending = self._ending()
        starts, same_cost = np.asarray(self.starts), self.same
        best = np.full((m + 1, k_n), -np.inf)
        # per finished boundary a: best over k' < k (staying in the function) and
        # best over all k' plus the price of a new function, ready to gather
        stay = np.full((m + 1, k_n), -np.inf)
        leave = np.full(m + 1, -np.inf)
        leave[0] = 0.0
        back_a = np.zeros((m + 1, k_n), dtype=int)
        back_wrap = np.zeros((m + 1, k_n), dtype=bool)
        cols = np.arange(k_n)
        for b in range(1, m + 1):
            lo = max(0, b - width)
            same = stay[lo:b]
            wrap = leave[lo:b, None] + starts
            step = np.maximum(same, wrap)
            step += ending[b, :b - lo]
            pick = step.argmax(axis=0)
            row = step[pick, cols]
            best[b] = row
            back_a[b] = pick + lo
            back_wrap[b] = wrap[pick, cols] >= same[pick, cols]
            if b < m:
                stay[b, 1:] = np.maximum.accumulate(row)[:-1] + same_cost[b]
                leave[b] = row.max() + wrap_cost[b]
        return best.tolist(), back_a.tolist(), back_wrap.tolist()

    def _ending(self) -> np.ndarray:
        """``ending[b, j]``: scores of the groups that end at boundary b and start at
        ``b - width + j`` (aligned with the slice ``lo:b`` of the loop), gathered once."""
        import numpy as np
        if self._ending_cache is None:
            score, width = self.table.score, self.table.width
            m, k_n = score.shape[0], score.shape[2]
            out = np.full((m + 1, width, k_n), -np.inf)
            for b in range(1, m + 1):
                lo = max(0, b - width)
                a = np.arange(lo, b)
                out[b, :b - lo] = score[a, b - 1 - a]
            self._ending_cache = out
        return self._ending_cache


def assign_function_labels(spans: list[tuple[int, int]], marks: list[Mark],
                           first: int = 0) -> list[FunctionLabel | None]:
    """Give each function span the 职能 label printed for it, if any.

    Numbered labels (职能N) go to span N - ``first`` (the functions before the text's
    first one absent, ``Solution.first_function``) when the numbers fit the spans;
    otherwise a label goes to the span that contains it, or that it follows (printed
    after its block) when the span it would open already has one.
    """
    fmarks = [(m.pos, m.label) for m in marks if isinstance(m.label, FunctionLabel)]
    out: list[FunctionLabel | None] = [None] * len(spans)
    if not fmarks:
        return out
    numbers = [label.number for _, label in fmarks if label.number]  # 职能N: N ≥ 1
    if (len(numbers) == len(fmarks) and first < min(numbers) and max(numbers) - first <= len(spans)
            and len(set(numbers)) == len(numbers)):
        for number, (_, label) in zip(numbers, fmarks):
            out[number - 1 - first] = label
        return out
    starts = [a for a, _ in spans]
    for pos, label in fmarks:
        idx = max(0, bisect_right(starts, pos) - 1)
        if out[idx] is None:
            out[idx] = label
        elif idx + 1 < len(spans) and out[idx + 1] is None:
            out[idx + 1] = label
    return out
