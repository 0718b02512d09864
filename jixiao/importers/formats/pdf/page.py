"""The objects of a PDF page the table reader needs, read with pdfminer directly.

Per page: the characters in drawing order, each with the clip rectangle in force
when it was drawn, and the ruling segments (stroked lines, rectangle edges, thin
filled rectangles as their centre line). pdfplumber parses the same content
streams but builds a dict per object and drops the clip path. The clip matters:
LibreOffice clips a cell's text to the cell, and a merged cell cut by a page break
to its part on that page, drawing the whole text each time; the clip says which
cell a line standing outside it belongs to. Coordinates are in points from the
page's top left, as pdfplumber's ``top``/``x0``.
"""
from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, NamedTuple

from pdfminer.pdfdevice import PDFTextDevice
from pdfminer.pdffont import PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdftypes import stream_value
from pdfminer.utils import apply_matrix_pt

from .ops import execute, operators

if TYPE_CHECKING:
    from ...budget import Budget

_THIN = 3.0      # points: a filled rectangle thinner than this is a rule
_STRAIGHT = 0.5  # points: a line leaning less than this is horizontal/vertical

Box = tuple[float, float, float, float]


class Char(NamedTuple):
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    text: str
    clip: Box | None  # (x0, top, x1, bottom) or None


class Page(NamedTuple):
    number: int
    width: float
    height: float
    chars: list[Char]
    hsegs: list[tuple[float, float, float]]  # (y, x0, x1)
    vsegs: list[tuple[float, float, float]]  # (x, y0, y1)


def _white(color) -> bool:
    if isinstance(color, (int, float)):
        return color >= 0.99
    if isinstance(color, (tuple, list)):
        if len(color) == 3:
            return min(color) >= 0.99
        if len(color) == 4:
            return max(color) <= 0.01
        if len(color) == 1:
            return color[0] >= 0.99
    return False


class _Device(PDFTextDevice):
    """Collects a page's characters and ruling segments, with the clip in force
    (which ``_Interpreter`` keeps up to date) and the import's budget."""

    def __init__(self, rsrcmgr: PDFResourceManager, budget: Budget | None = None) -> None:
        super().__init__(rsrcmgr)
        self.budget = budget
        # characters and segments of all pages so far: a content stream (or a form
        # drawn many times over) can place millions of them on one page
        self.placed = 0
        self.limit: float = budget.limits.pdf_objects if budget is not None else float("inf")
        self.clip: Box | None = None  # (x0, y0, x1, y1) in device space, or None
        self.height = 0.0
        self.chars: list[Char] = []
        self.hsegs: list[tuple[float, float, float]] = []
        self.vsegs: list[tuple[float, float, float]] = []

    def begin_page(self, page, ctm) -> None:
        x0, y0, x1, y1 = page.mediabox
        self.height = abs(x1 - x0) if page.rotate in (90, 270) else abs(y1 - y0)
        self.clip = None
        self.chars, self.hsegs, self.vsegs = [], [], []

    def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate) -> float:
        try:
            text = font.to_unichr(cid)
        except PDFUnicodeNotDefined:
            text = ""
        adv = font.char_width(cid) * fontsize * scaling
        if text:
            lo = font.get_descent() * fontsize + rise
            a, b, c, d, e, f = matrix
            if b == 0 and c == 0:
                xa, xb, ya, yb = e, e + a * adv, f + d * lo, f + d * (lo + fontsize)
            else:
                pts = [apply_matrix_pt(matrix, p) for p in ((0, lo), (adv, lo), (0, lo + fontsize), (adv, lo + fontsize))]
                xa, xb = min(p[0] for p in pts), max(p[0] for p in pts)
                ya, yb = min(p[1] for p in pts), max(p[1] for p in pts)
            x0, x1 = (xa, xb) if xa <= xb else (xb, xa)
            y0, y1 = (ya, yb) if ya <= yb else (yb, ya)
            h = self.height
            clip = self.clip
            if clip is not None:
                clip = (clip[0], h - clip[3], clip[2], h - clip[1])
            self.chars.append(Char(x0, x1, h - y1, h - y0, y1 - y0, text, clip))
            self._placed()
        return adv

    def _placed(self) -> None:
        self.placed += 1
        if self.placed > self.limit and self.budget is not None:  # (no budget: no limit)
            self.budget.pdf_objects(self.placed)
        if self.placed & 0x3FFF == 0 and self.budget is not None:
            self.budget.tick()

    def paint_path(self, graphicstate, stroke, fill, evenodd, path) -> None:
        if not stroke and (not fill or _white(graphicstate.ncolor)):
            return
        ctm, h = self.ctm, self.height
        assert ctm is not None  # set by the interpreter before anything is drawn (as pdfminer's own devices assume)
        subpaths: list[list[tuple[float, float]]] = []
        for op in path:
            if op[0] == "m":
                subpaths.append([apply_matrix_pt(ctm, op[-2:])])
            elif op[0] in "lcvy" and subpaths:
                subpaths[-1].append(apply_matrix_pt(ctm, op[-2:]))
            elif op[0] == "h" and subpaths and subpaths[-1]:
                subpaths[-1].append(subpaths[-1][0])
        for pts in subpaths:
            self._placed()
            xs = [p[0] for p in pts]
            ys = [p[1] for p in pts]
            w, t = max(xs) - min(xs), max(ys) - min(ys)
            if len(pts) >= 4 and min(w, t) < _THIN:  # a rule drawn as a thin box: its centre line
                if w >= t:
                    self.hsegs.append((h - (max(ys) + min(ys)) / 2, min(xs), max(xs)))
                else:
                    self.vsegs.append(((max(xs) + min(xs)) / 2, h - max(ys), h - min(ys)))
                continue
            for (xa, ya), (xb, yb) in itertools.pairwise(pts):
                if abs(ya - yb) < _STRAIGHT and abs(xa - xb) >= _STRAIGHT:
                    self.hsegs.append((h - (ya + yb) / 2, min(xa, xb), max(xa, xb)))
                elif abs(xa - xb) < _STRAIGHT and abs(ya - yb) >= _STRAIGHT:
                    self.vsegs.append(((xa + xb) / 2, h - max(ya, yb), h - min(ya, yb)))


class _Interpreter(PDFPageInterpreter):
    """Tracks the clip rectangle (the bounding box of the clip paths, intersected)
    through q/Q and form XObjects, which pdfminer itself ignores; the content
    streams are tokenised by ``pdf.ops`` (a regular expression) rather than by
    pdfminer's parser."""

    device: _Device  # the device that keeps the clip and the budget

    def __init__(self, rsrcmgr: PDFResourceManager, device: _Device) -> None:
        super().__init__(rsrcmgr, device)
        self._ops = operators(self)

    def execute(self, streams) -> None:
        budget = self.device.budget
        if budget is not None:
            budget.tick()  # forms drawing forms can multiply the work without bound
        parts = []
        self.stream_ids.clear()
        for obj in streams:
            stream = stream_value(obj)
            # content seen further up (a form drawing itself) is not run again
            if stream.objid is not None and stream.objid not in self.parent_stream_ids:
                parts.append(stream.get_data())
                self.stream_ids.add(stream.objid)
        execute(self, b"\n".join(parts), self._ops)

    def pop(self, n: int) -> list:
        x = self.argstack[-n:]
        del self.argstack[-n:]  # in place: the tokeniser holds the list
        return x

    def init_state(self, ctm) -> None:
        super().init_state(ctm)
        self._clips: list[Box | None] = []

    def do_q(self) -> None:
        super().do_q()
        self._clips.append(self.device.clip)

    def do_Q(self) -> None:
        super().do_Q()
        if self._clips:
            self.device.clip = self._clips.pop()

    def do_W(self) -> None:
        pts = [apply_matrix_pt(self.ctm, op[-2:]) for op in self.curpath if len(op) >= 3]
        if not pts:
            return
        box = (min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts), max(p[1] for p in pts))
        old = self.device.clip
        if old is not None:
            box = (max(box[0], old[0]), max(box[1], old[1]), min(box[2], old[2]), min(box[3], old[3]))
        self.device.clip = box

    do_W_a = do_W

    def do_Do(self, xobjid) -> None:
        saved = self.device.clip
        try:
            super().do_Do(xobjid)
        finally:
            self.device.clip = saved


class Reader:
    """Reads pages one after the other with one resource manager (fonts cached)."""

    def __init__(self, budget: Budget | None = None) -> None:
        rsrc = PDFResourceManager(caching=True)
        self.device = _Device(rsrc, budget)
        self.interpreter = _Interpreter(rsrc, self.device)

    def read(self, page, number: int) -> Page:
        self.interpreter.process_page(page)
        d = self.device
        x0, y0, x1, y1 = page.mediabox
        width = abs(y1 - y0) if page.rotate in (90, 270) else abs(x1 - x0)
        return Page(number, width, d.height, d.chars, d.hsegs, d.vsegs)
