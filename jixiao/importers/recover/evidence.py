"""How well a run of rows fits one 二级 category: the scoring model of the solver.

For every candidate group (rows ``[S, E)``, a run of consecutive atoms) and every
category ``k`` of the regime, ``SegmentTable`` holds a log-likelihood-like score:

* the printed 二级 label of a group is inside its span (mostly on the top, middle or
  bottom row), displaced up to ``NEAR_ROWS`` rows outside it, or lost, with the
  probabilities of the reader's ``LabelModel``; a printed label no group explains
  is very unlikely, so explaining one is worth ``EXPLAINED``;
* 一级 labels span several groups and count weakly;
* names and values add cues (``cues.py``), a group nobody labelled gets the
  category's prior (an unlabelled 效益 block is 社会效益), and every group costs
  ``GROUP_COST`` so that rows are not split without evidence.

Built with numpy over chunks of candidate groups: a few array operations for
the printed labels within reach of a chunk instead of one Python loop per
(group, category) pair; banded, so the cost grows with the document, not its square.
"""
from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy is imported where the array path runs: a numbered sheet needs none
    import numpy as np

from ...model.indicator import COST, COST2, Category
from ..budget import tick
from .cells import FunctionLabel, Label
from .cues import PRIOR, cue_index, cue_scores

NEAR_ROWS = 4.5
EXPLAINED = 6.0
CLAIM_L1, DECAY_L1 = 1.0, 0.3  # 一级 labels: weak evidence, fading with distance
GROUP_COST = 0.6
LONG_GROUP, LONG_ROW = 4, 0.5  # groups of more than four rows are rare


@dataclass(frozen=True, slots=True)
class LabelModel:
    """How a reader's text places merged-cell labels, as probabilities."""

    inside: float       # printed somewhere on the group's own rows ...
    displaced: float    # ... or up to NEAR_ROWS rows away (each of those rows alike) ...
    missing: float      # ... or lost
    top: float          # where inside: the top row,
    middle: float       # the middle (a PDF centres merged cells),
    bottom: float       # the bottom row (a copy from a viewer),
    cue_weight: float   # how far names and values are trusted against the labels ...
    # ... and where nothing else cuts the rows into groups (no per-group numbering),
    # when the names must show the boundaries too
    cut_cue_weight: float | None = None

    def cues(self, numbered_groups: bool) -> float:
        """The weight of name and value cues: ``numbered_groups`` when numbering has
        already cut the rows into groups."""
        return self.cue_weight if numbered_groups or self.cut_cue_weight is None else self.cut_cue_weight

    @property
    def log_displaced(self) -> float:
        return math.log(self.displaced / (2 * 4))

    @property
    def log_missing(self) -> float:
        return math.log(self.missing)

    @property
    def any_row(self) -> float:
        return 1.0 - self.top - self.middle - self.bottom


# PDF text (tab-separated copies, pdftotext -layout): labels wander, even into the
# neighbouring group, as in the seed sheet.
WANDERING = LabelModel(inside=0.55, displaced=0.33, missing=0.12, top=0.8 / 3, middle=0.8 / 3,
                       bottom=0.8 / 3, cue_weight=2.4, cut_cue_weight=3.2)
# Cells read one by one from HTML or office files: a merged cell's text comes with
# its first row.
AT_TOP = LabelModel(inside=0.93, displaced=0.02, missing=0.05, top=0.9, middle=0.0, bottom=0.0,
                    cue_weight=1.0)


def categories_of(label: Label, cats: tuple[Category, ...]) -> list[int]:
    if label.level == 2:
        hits = [k for k, c in enumerate(cats) if c.level2 == label.name]
        if not hits and label.name == COST2:  # 2021 regime: a bare 成本指标 names the block
            hits = [k for k, c in enumerate(cats) if c.level1 == COST]
        return hits
    hits = [k for k, c in enumerate(cats) if c.level1 == label.name]
    if not hits and label.name == COST:  # classic regime: 成本指标 is a 二级 of 产出
        hits = [k for k, c in enumerate(cats) if c.level2 == COST2]
    return hits


class SegmentTable:
    """``score[a, w, k]``: atoms ``a .. a+w`` (rows ``cuts[a]`` to ``cuts[a+w+1]``) as one
    group of category ``k``; ``near[a, w, k]``: a printed 二级 label explains it."""

    def __init__(self, rows, marks, cats: tuple[Category, ...], cuts: list[int], max_span: int,
                 model: LabelModel = WANDERING, cue_weight: float | None = None):
        self.cats = cats
        k_n, m = len(cats), len(cuts) - 1
        width = min(max_span, m)
        cue_weight = model.cue_weight if cue_weight is None else cue_weight
        if width == 1:
            self._atoms(rows, marks, cuts, model, cue_weight)
            return
        import numpy as np  # only here: the per-group path above runs without it
        cut = np.asarray(cuts, dtype=float)
        a_idx = np.arange(m)[:, None]
        end_idx = a_idx + np.arange(1, width + 1)[None, :]
        valid = end_idx <= m
        end_idx = np.minimum(end_idx, m)
        first = np.repeat(cut[:m, None], width, axis=1)
        last = cut[end_idx] - 1.0
        prefix = _cue_prefix(rows, cats) * cue_weight
        cut_rows = np.asarray(cuts)
        score = prefix[cut_rows[end_idx]] - prefix[cut_rows[:m]][:, None, :] - GROUP_COST
        # groups of more than LONG_GROUP rows are rare: each further row costs a little
        size = cut_rows[end_idx] - cut_rows[:m][:, None]
        score -= (LONG_ROW * np.maximum(0, size - LONG_GROUP))[:, :, None]
        pos2, member2, pos1, member1 = _label_arrays(marks, cats)
        near = np.zeros((m, width, k_n), dtype=bool)
        # Banded: a label reaches only the groups within NEAR_ROWS (一级: within
        # _REACH1) of it, so the atoms are scored in chunks, each against the labels
        # in its reach. The work is (labels near a chunk) x chunk x width instead of
        # (every label) x (every atom) x width: linear in the document, not its square.
        order2, order1 = np.argsort(pos2, kind="stable"), np.argsort(pos1, kind="stable")
        pos2, member2, pos1, member1 = pos2[order2], member2[order2], pos1[order1], member1[order1]
        for a0 in range(0, m, _CHUNK):
            tick()  # the import's deadline, also where no SIGALRM backs it (a worker thread)
            a1 = min(m, a0 + _CHUNK)
            lo_row, hi_row = cut[a0], last[a0:a1].max()
            s2 = slice(*np.searchsorted(pos2, [lo_row - NEAR_ROWS - 1.0, hi_row + NEAR_ROWS + 1.0]))
            s1 = slice(*np.searchsorted(pos1, [lo_row - _REACH1 - 1.0, hi_row + _REACH1 + 1.0]))
            self._labels(score[a0:a1], near[a0:a1], first[a0:a1], last[a0:a1], model,
                         pos2[s2], member2[s2], pos1[s1], member1[s1])
        prior = np.asarray([PRIOR.get(c.level2, 0.0) for c in cats]) + model.log_missing
        score += np.where(near, 0.0, prior[None, None, :])
        score[~valid] = -np.inf
        self.score, self.near, self.width = score, near, width

    @staticmethod
    def _labels(score, near, first, last, model: LabelModel, pos2, member2, pos1, member1) -> None:
        """Add the printed labels' evidence to a chunk of the table (views, in place)."""
        import numpy as np
        first3, last3 = first[None], last[None]
        if len(pos2):
            p = pos2[:, None, None]
            d = _distance(p, first3, last3)
            # where inside: mostly the top, middle or bottom row (a PDF centres a merged
            # cell, a viewer's copy puts it first or last); a label on a line of its own
            # between two rows marks the middle of an even span
            mid = (first3 + last3) / 2.0
            edge = model.top * (p == first3) + model.bottom * (p == last3)
            centre = np.where(p == mid, model.middle, np.where(np.abs(p - mid) == 0.5, model.middle / 2, 0.0))
            n_rows = last3 - first3 + 1.0
            inside = np.log(model.inside * (model.any_row / n_rows + edge + centre) + 1e-12)
            within = d <= NEAR_ROWS
            gain = np.where(d == 0.0, EXPLAINED + inside,
                            np.where(within, EXPLAINED + model.log_displaced, 0.0))
            score += _spread(gain, member2)
            near |= _spread(within.astype(float), member2) > 0
        if len(pos1):
            gain = np.maximum(0.0, CLAIM_L1 - DECAY_L1 * _distance(pos1[:, None, None], first3, last3))
            score += _spread(gain, member1)


    def _atoms(self, rows, marks, cuts: list[int], model: LabelModel, weight: float) -> None:
        """The same table when every group is one atom (numbering restarts per group):
        a few dozen scores, cheaper in plain loops than in array calls. Kept equal to
        the array version by tests/test_importers_evidence.py."""
        cats, k_n, m = self.cats, len(self.cats), len(cuts) - 1
        row_cues = _row_cues(rows, cats)
        cue = []
        for a in range(m):
            # costs of the group itself: one more group, and one this long
            vec = [-(GROUP_COST + LONG_ROW * max(0, cuts[a + 1] - cuts[a] - LONG_GROUP))] * k_n
            for pairs in row_cues[cuts[a]:cuts[a + 1]]:
                for k, bonus in pairs:
                    vec[k] += bonus * weight
            cue.append(vec)
        labels2: list[tuple[float, tuple[int, ...]]] = []  # (position, categories named)
        labels1: list[tuple[float, tuple[int, ...]]] = []
        for mark in marks:
            if isinstance(mark.label, FunctionLabel):
                continue
            member, second, ks = _member(mark.label, cats)
            if member is not None:
                (labels2 if second else labels1).append((mark.pos, ks))
        labels2.sort(key=lambda pk: pk[0])
        labels1.sort(key=lambda pk: pk[0])
        at2, at1 = [p for p, _ in labels2], [p for p, _ in labels1]
        prior = _prior(cats, model)
        displaced = EXPLAINED + model.log_displaced
        score, near = [], []
        for a in range(m):
            if a & 0xFF == 0:
                tick()
            first, last = cuts[a], cuts[a + 1] - 1
            row = cue[a]
            hit = [False] * k_n
            for p, ks in labels2[bisect_left(at2, first - NEAR_ROWS):bisect_right(at2, last + NEAR_ROWS)]:
                inside = _gap(p, first, last) == 0.0
                gain = EXPLAINED + inside_log_likelihood(p, first, last, model) if inside else displaced
                for k in ks:
                    row[k] += gain
                    hit[k] = True
            for p, ks in labels1[bisect_left(at1, first - _REACH1):bisect_right(at1, last + _REACH1)]:
                gain = CLAIM_L1 - DECAY_L1 * _gap(p, first, last)
                if gain > 0:
                    for k in ks:
                        row[k] += gain
            score.append([v if hit[k] else v + prior[k] for k, v in enumerate(row)])
            near.append(hit)
        # plain lists: the DP's loops read them, no array is needed on this path
        self.width = 1
        self.atom_score, self.atom_near = score, near


_REACH1 = CLAIM_L1 / DECAY_L1
_CHUNK = 64  # atoms scored together: small enough that a chunk's labels are few


def _gap(p: float, first: int, last: int) -> float:
    """Scalar twin of ``_distance``."""
    d = first - p if p < first else (p - last if p > last else 0.0)
    return 0.0 if d <= 0.5 else d


def inside_log_likelihood(p: float, first: int, last: int, model: LabelModel) -> float:
    """Scalar twin of the 'inside' term of the array version."""
    mid = (first + last) / 2.0
    edge = model.top * (p == first) + model.bottom * (p == last)
    centre = model.middle if p == mid else (model.middle / 2 if abs(p - mid) == 0.5 else 0.0)
    return math.log(model.inside * (model.any_row / (last - first + 1) + edge + centre) + 1e-12)


def _spread(per_label: np.ndarray, member: np.ndarray) -> np.ndarray:
    """Sum (labels, atoms, widths) values into (atoms, widths, categories)."""
    n, m, w = per_label.shape
    return (per_label.reshape(n, m * w).T @ member).reshape(m, w, member.shape[1])


def _distance(p: np.ndarray, first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """Rows between labels and spans; a label on a line of its own next to a span
    (half a row away) counts as inside."""
    import numpy as np
    d = np.where(p < first, first - p, np.where(p > last, p - last, 0.0))
    return np.where(d <= 0.5, 0.0, d)


def _label_arrays(marks, cats: tuple[Category, ...]):
    """Positions of the printed 二级 and 一级 labels, each with the categories it names."""
    import numpy as np
    rows2: list[tuple[float, tuple[float, ...]]] = []  # (position, 0/1 membership per category)
    rows1: list[tuple[float, tuple[float, ...]]] = []
    for mark in marks:
        lab = mark.label
        if isinstance(lab, FunctionLabel):
            continue
        member, second, _ = _member(lab, cats)
        if member is not None:
            (rows2 if second else rows1).append((mark.pos, member))
    out = []
    for rows in (rows2, rows1):
        out.append(np.asarray([p for p, _ in rows], dtype=float))
        out.append(np.asarray([mm for _, mm in rows], dtype=float).reshape(len(rows), len(cats)))
    return out


_MEMBERSHIP: dict = {}
_INDEX: dict = {}


def _cue_index(cats: tuple[Category, ...]) -> dict[str, int]:
    hit = _INDEX.get(id(cats))
    if hit is None:
        hit = _INDEX[id(cats)] = cue_index(cats)
    return hit


def _member(label: Label, cats: tuple[Category, ...]) -> tuple[tuple[float, ...] | None, bool, tuple[int, ...]]:
    key = (label.level, label.name, id(cats))  # the regimes are module constants
    hit = _MEMBERSHIP.get(key)
    if hit is None:
        hit = _MEMBERSHIP[key] = _membership(label, cats)
    return hit


def _membership(label: Label, cats: tuple[Category, ...]) -> tuple[tuple[float, ...] | None, bool, tuple[int, ...]]:
    """Which categories a printed label names (as 0/1 weights and as indices), and
    whether it counts as a 二级 label: a classic sheet's 成本指标 names one 二级,
    whatever column it is in."""
    ks = categories_of(label, cats)
    if not ks:
        return None, False, ()
    member = tuple(1.0 if k in ks else 0.0 for k in range(len(cats)))
    return member, label.level == 2 or (len(ks) == 1 and cats[ks[0]].level2 == COST2), tuple(ks)


def _cue_prefix(rows, cats: tuple[Category, ...]) -> np.ndarray:
    """Cumulative cue bonus per category: row ``i`` of the result sums rows ``< i``."""
    import numpy as np
    k_n = len(cats)
    cues = [[0.0] * k_n]
    for pairs in _row_cues(rows, cats):
        vec = [0.0] * k_n
        for k, bonus in pairs:
            vec[k] += bonus
        cues.append(vec)
    return np.cumsum(np.asarray(cues), axis=0)


_ROW_CUES: dict[int, dict] = {}
_PRIORS: dict = {}


def _row_cues(rows, cats: tuple[Category, ...]) -> list[tuple[tuple[int, float], ...]]:
    """Each row's cues as (category index, bonus) pairs of the regime, memoised by
    name and value: names and values recur across the sheets of a corpus."""
    memo = _ROW_CUES.setdefault(id(cats), {})  # the regimes are module constants
    index = _cue_index(cats)
    out = []
    for r in rows:
        key = (r.name, r.value)
        pairs = memo.get(key)
        if pairs is None:
            if len(memo) >= 16384:
                memo.clear()
            pairs = memo[key] = tuple((index[l2], bonus) for l2, bonus in cue_scores(r.name, r.value)
                                      if l2 in index)
        out.append(pairs)
    return out


def _prior(cats: tuple[Category, ...], model: LabelModel) -> list[float]:
    """Per category, the score of a group no printed label explains."""
    key = (id(cats), model.missing)
    hit = _PRIORS.get(key)
    if hit is None:
        hit = _PRIORS[key] = [PRIOR.get(c.level2, 0.0) + model.log_missing for c in cats]
    return hit
