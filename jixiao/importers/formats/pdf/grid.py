"""Ruled tables rebuilt from a page's ruling segments.

Segments on one line (within ``SNAP``) are joined; segments that touch form one
table. Every distinct x of its vertical rules and y of its horizontal rules is a
grid line; two neighbouring slots of the grid are one cell unless a rule runs
between them, so a merged cell is the set of slots no rule separates. That also
covers what a closed-rectangle search misses: a merged cell cut open by a page
break (no rule at the page edge), or a row inserted without borders of its own.
"""
from __future__ import annotations

import itertools
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...recover.table import SPAN

if TYPE_CHECKING:  # page loads pdfminer
    from .page import Char, Page

SNAP = 1.5   # points: rules closer than this are one grid line
_JOIN = 2.0  # points: collinear segments with a smaller gap are one rule
_TOUCH = 2.0  # points: a rule ending this close to another touches it

#: a grid line: its position and the spans its segments cover along it
Rule = tuple[float, list[tuple[float, float]]]


def _cluster(segs: list[tuple[float, float, float]]) -> list[Rule]:
    """Segments ``(pos, a, b)`` grouped by position; each group's spans joined."""
    out: list[Rule] = []
    group: list[tuple[float, float, float]] = []
    for seg in sorted(segs):
        if group and seg[0] - group[-1][0] > SNAP:
            out.append(_joined(group))
            group = []
        group.append(seg)
    if group:
        out.append(_joined(group))
    return out


def _joined(group: list[tuple[float, float, float]]) -> Rule:
    spans: list[list[float]] = []
    for _, a, b in sorted(group, key=lambda s: s[1]):
        if spans and a <= spans[-1][1] + _JOIN:
            spans[-1][1] = max(spans[-1][1], b)
        else:
            spans.append([a, b])
    pos = sum(s[0] for s in group) / len(group)
    return pos, [(a, b) for a, b in spans]


def _covers(spans: list[tuple[float, float]], v: float) -> bool:
    return any(a - _TOUCH <= v <= b + _TOUCH for a, b in spans)


class _Sets:
    def __init__(self, n: int) -> None:
        self.up = list(range(n))

    def find(self, i: int) -> int:
        up = self.up
        while up[i] != i:
            up[i] = up[up[i]]
            i = up[i]
        return i

    def join(self, i: int, j: int) -> None:
        i, j = self.find(i), self.find(j)
        if i != j:
            self.up[max(i, j)] = min(i, j)


@dataclass(slots=True)
class Grid:
    xs: list[float]
    ys: list[float]
    owner: list[list[int]]                          # slot -> cell index
    boxes: list[tuple[int, int, int, int]]          # cell -> its slots: first row, first col, last row, last col

    def texts(self, chars: list[tuple[float, float, Char]], cell_text: Callable[[list[Char], float, float], str],
              ) -> tuple[list[list[str | None]], set[tuple[int, int]]]:
        """The resolved grid — each cell's text (``cell_text(chars, left, right)``) in its
        top-left slot, ``SPAN`` in the rest — and the slots whose text is cut off
        at the bottom of its clip. ``chars``: ``(x, y, char)`` with the point that
        places the character."""
        xs, ys = self.xs, self.ys
        nr, nc = len(ys) - 1, len(xs) - 1
        per: list[list[Char]] = [[] for _ in self.boxes]
        row_of: dict[int, int] = {}  # id(char) -> the grid row it stands in
        for x, y, ch in chars:
            r = min(max(bisect_right(ys, y) - 1, 0), nr - 1)
            c = min(max(bisect_right(xs, x) - 1, 0), nc - 1)
            per[self.owner[r][c]].append(ch)
            row_of[id(ch)] = r
        at: list[list[list[str | None]]] = [[[SPAN] * nc] for _ in range(nr)]  # each grid row's rows
        cut_at: set[tuple[int, int, int]] = set()
        for k, (r, c, r1, c1) in enumerate(self.boxes):
            chars_k = per[k]
            cut = any(ch.clip is not None and ch.bottom > ch.clip[3] + 0.5 for ch in chars_k)
            parts = by_column(chars_k, xs[c:c1 + 2]) if c1 > c else None
            if parts is None:
                at[r][0][c] = cell_text(chars_k, xs[c], xs[c1 + 1])
                if cut:
                    cut_at.add((r, 0, c))
                continue
            at[r][0][c] = ""
            stretch = (_by_grid_row(parts, row_of, r, r1, ys) if r1 > r else None) or [(None, parts)]
            subs = [(y2 if y2 is not None else y, sub) for y, row in stretch for y2, sub in by_line(row, xs[c:c1 + 2])]
            used: dict[int, int] = {}
            for at_y, sub in subs:  # an unruled stretch of rows: each row to the grid row it stands in
                g = r if at_y is None else min(max(bisect_right(ys, at_y) - 1, r), r1)
                i = used[g] = used.get(g, -1) + 1
                while len(at[g]) <= i:
                    at[g].append([SPAN] * nc)
                for j, part in enumerate(sub):
                    at[g][i][c + j] = cell_text(part, xs[c + j], xs[c + j + 1])
        out: list[list[str | None]] = []
        index: dict[tuple[int, int], int] = {}
        for r, rows in enumerate(at):
            for i, row in enumerate(rows):
                index[r, i] = len(out)
                out.append(row)
        return out, {(index[r, i], c) for r, i, c in cut_at}


def by_column(chars: list[Char], edges: list[float]) -> list[list[Char]] | None:
    """The characters of a cell over several columns, split by column when each lies
    within one column, two columns or more hold some and no line runs on from one
    column into the next (a merged cell's text does, cells' texts stand apart): a row
    inserted after the borders were drawn lacks the rules between its cells."""
    parts: list[list[Char]] = [[] for _ in edges[1:]]
    for ch in chars:
        i = bisect_right(edges, ch.x0 + 0.5) - 1
        if i < 0 or i >= len(parts) or ch.x1 - 0.5 > edges[i + 1] and not ch.text.isspace():
            return None  # (a space left at the end of a wrapped line may stick out)
        parts[i].append(ch)
    if sum(1 for p in parts if p) < 2:
        return None
    for left, right in itertools.pairwise(parts):  # one text running on over a column line:
        for ch in right:                             # a merged cell, not cells without rules
            # (Writer spaces Latin from CJK by about a fifth of an em: ≤20 万元)
            if any(abs(o.top - ch.top) < 1 and -1 < ch.x0 - o.x1 < max(1.5, 0.25 * ch.size) for o in left):
                return None
    return parts


def _by_grid_row(parts: list[list[Char]], row_of: dict[int, int], r0: int, r1: int,
                 ys: list[float]) -> list[tuple[float | None, list[list[Char]]]] | None:
    """Columns of an unruled stretch over grid rows ``r0..r1`` split at the grid's
    row lines (ruled in other columns: a merged label's border), when no line of
    text runs over one and two rows or more hold text. ``(y, columns)`` per row."""
    rows: list[list[list[Char]]] = [[[] for _ in parts] for _ in range(r0, r1 + 1)]
    for i, p in enumerate(parts):
        line_row: dict[int, int] = {}
        for ch in p:
            r = row_of[id(ch)]
            if line_row.setdefault(round(ch.top), r) != r:
                return None  # a line over a row line: not these rows
            rows[r - r0][i].append(ch)
    if sum(1 for row in rows if any(row)) < 2:
        return None
    return [((ys[r0 + j] + ys[r0 + j + 1]) / 2, row) for j, row in enumerate(rows) if any(row)]


def by_line(parts: list[list[Char]], edges: list[float]) -> list[tuple[float | None, list[list[Char]]]]:
    """Columns of an unruled row split into rows (two rows inserted together have no
    rule between them) at the lines of a column that cannot be one wrapped text:
    its short lines (none fills the width), or its texts each clipped to a cell of
    their own. The count most such columns share wins; the other characters go to
    the nearest row (or their clip's), and every row must hold text in two columns
    or more. Each row comes with the height it stands at (None: not split)."""
    units: list[list[tuple[float, bool, list[Char]]]] = []  # per column: (middle, clipped, characters)
    for p in parts:
        col: dict[tuple[float, float, float, float] | float, list[Char]] = {}  # by clip, else by top
        for ch in sorted(p, key=lambda c: c.top):
            key = ch.clip if ch.clip is not None else next(
                (k for k in col if isinstance(k, float) and abs(k - ch.top) <= 2), ch.top)
            col.setdefault(key, []).append(ch)
        units.append(sorted(((k[1] + k[3]) / 2 if isinstance(k, tuple) else
                             (k + max(c.bottom for c in cs)) / 2, isinstance(k, tuple), cs) for k, cs in col.items()))

    def sure(i: int) -> str | None:  # column i's units are rows, not one wrapped text
        room = edges[i + 1] - edges[i] - 6
        if not all(clipped or max(c.x1 for c in cs) - min(c.x0 for c in cs) < room - 2.2 * max(c.size for c in cs)
                   for _, clipped, cs in units[i]):
            return None
        return "clips" if any(clipped for _, clipped, _ in units[i]) else "short"

    kinds = {i: kind for i, u in enumerate(units) if len(u) >= 2 and (kind := sure(i))}
    if not kinds:
        return [(None, parts)]  # every column may be one wrapped text: one row
    counts = Counter(len(units[i]) for i in kinds)
    k = max(counts, key=lambda n: (counts[n], n))
    same = [i for i in kinds if len(units[i]) == k]
    ref = [m for m, _, _ in units[min(same, key=lambda i: kinds[i] != "short")]]  # short lines sit mid-row
    for i in same:  # each such column has one unit in each row
        if [min(range(k), key=lambda j: abs(m - ref[j])) for m, _, _ in units[i]] != list(range(k)):
            return [(None, parts)]
    gaps = [b - a for a, b in itertools.pairwise(ref)]
    rows: list[list[list[Char]]] = [[[] for _ in parts] for _ in ref]
    for i, unit in enumerate(units):
        for m, clipped, cs in unit:
            if not clipped and not ref[0] - max(gaps) < m < ref[-1] + max(gaps):
                return [(None, parts)]
            j = min(range(k), key=lambda j: abs(m - ref[j]))
            rows[j][i].extend(cs)
    if any(sum(1 for col in row if col) < 2 for row in rows):
        return [(None, parts)]  # a "row" of one column is no row
    return [(m, row) for m, row in zip(ref, rows)]


def find_grids(page: Page) -> list[Grid]:
    """The ruled tables of ``page`` (``hsegs``/``vsegs`` as in ``page.Page``), top to bottom."""
    hs = _cluster(page.hsegs)
    vs = _cluster(page.vsegs)
    sets = _Sets(len(hs) + len(vs))
    for i, (y, hspans) in enumerate(hs):
        for j, (x, vspans) in enumerate(vs):
            if _covers(hspans, x) and _covers(vspans, y):
                sets.join(i, len(hs) + j)
    groups: dict[int, tuple[list[Rule], list[Rule]]] = {}  # horizontal and vertical rules
    for i, rule in enumerate(hs):
        groups.setdefault(sets.find(i), ([], []))[0].append(rule)
    for j, rule in enumerate(vs):
        groups.setdefault(sets.find(len(hs) + j), ([], []))[1].append(rule)
    tables = [(h, v) for h, v in groups.values() if len(h) >= 2 and len(v) >= 2]
    for h, v in groups.values():
        if not h:
            for x, spans in v:
                _attach(tables, x, spans)
    grids = [g for h, v in tables if (g := _grid(h, sorted(v)))]
    return sorted(grids, key=lambda g: g.ys[0])


def _attach(tables: list[tuple[list[Rule], list[Rule]]], x: float, spans: list[tuple[float, float]]) -> None:
    """A vertical rule touching no horizontal one joins the table it stands in:
    the sides of a merged 核心职能 cell running over the whole page touch no rule
    there. Beside the table it must run at least half its height."""
    for h, v in tables:
        top = min(h[0][0], min(a for _, sp in v for a, _ in sp))
        bottom = max(h[-1][0], max(b for _, sp in v for _, b in sp))
        left, right = min(x for x, _ in v), max(x for x, _ in v)
        inner = [(a, b) for a, b in spans if a >= top - _TOUCH and b <= bottom + _TOUCH]
        if not inner:
            continue
        if left < x < right or (max(b - a for a, b in inner) >= (bottom - top) / 2
                                and -(right - left) / 2 < x - left and x - right < (right - left) / 2):
            v.append((x, inner))
            return


def _grid(hs: list[Rule], vs: list[Rule]) -> Grid | None:
    """Slots joined into cells wherever no rule separates them."""
    ys = [y for y, _ in hs]
    xs = [x for x, _ in vs]
    nr, nc = len(ys) - 1, len(xs) - 1
    sets = _Sets(nr * nc)
    for r in range(nr):
        mid = (ys[r] + ys[r + 1]) / 2
        for c in range(1, nc):
            if not _covers_inside(vs[c][1], mid, ys[r], ys[r + 1]):
                sets.join(r * nc + c - 1, r * nc + c)
    for c in range(nc):
        mid = (xs[c] + xs[c + 1]) / 2
        for r in range(1, nr):
            if not _covers_inside(hs[r][1], mid, xs[c], xs[c + 1]):
                sets.join((r - 1) * nc + c, r * nc + c)
    index: dict[int, int] = {}
    owner = [[0] * nc for _ in range(nr)]
    extent: list[list[int]] = []
    for r in range(nr):
        for c in range(nc):
            root = sets.find(r * nc + c)
            k = index.get(root)
            if k is None:
                k = index[root] = len(extent)
                extent.append([r, c, c, r])
            else:
                e = extent[k]
                e[2], e[3] = max(e[2], c), max(e[3], r)
            owner[r][c] = k
    return Grid(xs, ys, owner, [(r, c, r1, c1) for r, c, c1, r1 in extent])


def _covers_inside(spans: list[tuple[float, float]], mid: float, lo: float, hi: float) -> bool:
    """A rule runs across the middle of the slot side from ``lo`` to ``hi``."""
    return any(a <= mid <= b and min(b, hi) - max(a, lo) > (hi - lo) / 2 for a, b in spans)
