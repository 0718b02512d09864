"""Where each character of a page belongs: the point that places it in a table.

Usually a character's own centre. Two exceptions, both from text that does not
fit its cell (a row set too low by hand, a merged cell cut by a page break):

* drawn under a clip smaller than the page: LibreOffice clips a cell's text to
  the cell (a merged cell cut by a page break to its part on the page) and
  draws all of it, so a line standing outside the clip still belongs to the cell
  inside it: the point is clamped into the clip (and into the table, when the
  clip of a cell cut open by the page end runs past its last rule);
* drawn unclipped but running over the rules (text centred in a row too low
  overflows up and down): the lines of one cell follow each other in the content
  stream, so a run of consecutive lines in one column is split into the cells'
  blocks so that each block lies inside one cell or is centred on one (``_split``),
  and each character is placed at its block's centre.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from typing import TYPE_CHECKING

from .grid import Grid

if TYPE_CHECKING:  # page loads pdfminer
    from .page import Char, Page

_SAME_LINE = 0.3   # × font size: characters whose tops differ less are one line
_CENTRED = 1.5     # points: a block this close to a cell's centre is centred on it
_PAGE_NO = re.compile(r"^\s*(?:第\s*\d+\s*页[，,\s]*(?:共\s*\d+\s*页)?|\d+\s*/\s*\d+|-\s*\d+\s*-)\s*$")


def placed(page: Page, grids: list[Grid]) -> list[tuple[float, float, Char]]:
    """``(x, y, char)`` for every character of ``page``."""
    area = page.width * page.height
    out: list[tuple[float, float, Char]] = []
    lines: list[tuple[tuple[int, int] | None, list[Char]]] = []  # (grid, column) and characters
    hidden = _hidden_page_numbers(page.chars)
    for ch in page.chars:
        if hidden and id(ch) in hidden:
            continue
        x, y = (ch.x0 + ch.x1) / 2, (ch.top + ch.bottom) / 2
        clip = ch.clip
        if clip is not None and (clip[2] - clip[0]) * (clip[3] - clip[1]) < area / 2:
            for g in grids:  # a cell's clip running past the table (cut open by the page end)
                if clip[1] < g.ys[-1] - 2 and clip[3] > g.ys[0] + 2 and clip[0] < g.xs[-1] and clip[2] > g.xs[0]:
                    clip = (max(clip[0], g.xs[0]), max(clip[1], g.ys[0]), min(clip[2], g.xs[-1]),
                            min(clip[3], g.ys[-1]))
                    break
            mx, my = min(2.0, (clip[2] - clip[0]) / 3), min(2.0, (clip[3] - clip[1]) / 3)  # well inside
            out.append((min(max(x, clip[0] + mx), clip[2] - mx), min(max(y, clip[1] + my), clip[3] - my), ch))
            lines.append((None, []))  # a clipped character ends the run of lines
            continue
        where = _locate(grids, x, y, ch.size)
        if lines and lines[-1][0] == where and lines[-1][1]:
            last = lines[-1][1][-1]
            if abs(ch.top - last.top) <= _SAME_LINE * max(ch.size, last.size) and ch.x0 >= last.x0 - 1:
                lines[-1][1].append(ch)
                continue
        lines.append((where, [ch]))
    chain: list[list[Char]] = []
    key: tuple[int, int] | None = None
    for where, line in lines:
        if chain and where is not None and where == key and _below(chain[-1], line):
            chain.append(line)
            continue
        out.extend(_place_chain(chain, grids, key))
        chain, key = ([line] if line else []), where
    out.extend(_place_chain(chain, grids, key))
    return out


def _hidden_page_numbers(chars: list[Char]) -> set[int]:
    """Ids of the characters of a page number (第 2 页，共 3 页) drawn outside the clip
    in force: LibreOffice may draw the page footer under the last row's clip, where
    it is invisible and would otherwise count as that row's text."""
    out: set[int] = set()
    run: list[Char] = []
    for ch in [*chars, None]:
        if ch is not None and run and abs(ch.top - run[-1].top) < 1 and ch.clip == run[-1].clip:
            run.append(ch)
            continue
        clip = run[0].clip if run else None  # the run's characters share it
        if clip is not None and _PAGE_NO.match("".join(c.text for c in run)) and all(
                c.top >= clip[3] or c.bottom <= clip[1] for c in run):
            out.update(id(c) for c in run)
        run = [ch] if ch is not None else []
    return out


def _locate(grids: list[Grid], x: float, y: float, margin: float) -> tuple[int, int] | None:
    """The table and column a character stands in, or just above or below (a
    heading cell's first line may run over the table's top rule)."""
    for i, g in enumerate(grids):
        if g.xs[0] - 1 <= x <= g.xs[-1] + 1 and g.ys[0] - margin <= y <= g.ys[-1] + margin:
            return i, min(max(bisect_right(g.xs, x) - 1, 0), len(g.xs) - 2)
    return None


def _below(prev: list[Char], line: list[Char]) -> bool:
    size = max(c.size for c in prev)
    return 0.5 * size < line[0].top - prev[0].top < 2.5 * size


def _place_chain(chain: list[list[Char]], grids: list[Grid], where: tuple[int, int] | None,
                 ) -> list[tuple[float, float, Char]]:
    if not chain:
        return []
    if len(chain) == 1 or where is None:
        return [((c.x0 + c.x1) / 2, (c.top + c.bottom) / 2, c) for line in chain for c in line]
    out: list[tuple[float, float, Char]] = []
    for group, y in _split(chain, _bands(grids[where[0]], where[1])):
        for line in group:
            for c in line:
                out.append(((c.x0 + c.x1) / 2, y if y is not None else (c.top + c.bottom) / 2, c))
    return out


def _bands(g: Grid, c: int) -> list[tuple[float, float]]:
    """The cells of column ``c`` from top to bottom, as (top, bottom)."""
    out: list[tuple[float, float]] = []
    prev = None
    for r, row in enumerate(g.owner):
        if row[c] != prev:
            out.append((g.ys[r], g.ys[r + 1]))
            prev = row[c]
        else:
            out[-1] = (out[-1][0], g.ys[r + 1])
    return out


def _fit(tops: list[float], bottoms: list[float], i: int, j: int, bands: list[tuple[float, float]],
         mids: list[float]) -> tuple[float, float | None]:
    """Cost of lines ``i:j`` as one cell's text, and the y that places them (None:
    each character at its own centre). Inside one cell: free; centred on one:
    nearly; else one per line (placed where it stands)."""
    top, bottom = tops[i], max(bottoms[i:j])
    mid = (top + bottom) / 2
    pitches = [b - a for a, b in zip(tops[i:j], tops[i + 1:j])]
    if not pitches or max(pitches) - min(pitches) <= 1.0:
        k = bisect_right(mids, mid) - 1  # the cell whose top is the last above mid
        if 0 <= k < len(bands):
            a, b = bands[k]
            if a - 1 <= top and bottom <= b + 1:
                return 0.0, mid
            if abs(mid - (a + b) / 2) <= _CENTRED:
                return 0.1, mid
    return float(j - i), None


def _split(chain: list[list[Char]], bands: list[tuple[float, float]]) -> list[tuple[list[list[Char]], float | None]]:
    """The chain of lines cut into cells' blocks at least cost (fewest blocks on ties)."""
    n = len(chain)
    tops = [min(c.top for c in line) for line in chain]
    bottoms = [max(c.bottom for c in line) for line in chain]
    mids = [a for a, _ in bands]
    best: list[tuple[float, int, int, float | None]] = [(0.0, 0, 0, None)]  # cost, blocks, start, y
    for j in range(1, n + 1):
        options = []
        for i in range(j):
            cost, y = _fit(tops, bottoms, i, j, bands, mids)
            options.append((round(best[i][0] + cost, 6), best[i][1] + 1, i, y))
        best.append(min(options, key=lambda o: (o[0], o[1])))
    out: list[tuple[list[list[Char]], float | None]] = []
    j = n
    while j > 0:
        _, _, i, y = best[j]
        out.append((chain[i:j], y))
        j = i
    return out[::-1]
