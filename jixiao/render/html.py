"""Standalone printable HTML of the form (one Jinja2 template, inline CSS).

The PDF renderer prints this same HTML, so screen, print and PDF look alike.
"""
from __future__ import annotations

import math
from functools import lru_cache

import jinja2

from . import renderer
from .view import FormView, display_width

FONT_STACK = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "SimSun", sans-serif'
#: Geometry of the printed table (the CSS of form.html.j2), in mm unless said: the
#: printable width (A4 landscape, 10 mm side margins), a cell's horizontal padding
#: (2 mm each side, with the rule) and vertical padding (1.5 mm top and bottom), font
#: sizes in pt, and the line height of Noto Sans CJK SC ("normal": 1.448 em).
TABLE_MM, PADDING_MM, PADDING_V_MM = 277.0, 4.5, 3.2
FONT_PT = {"function": 9.0}
BODY_PT = 10.0
LINE_EM = 1.45
#: The longest run of rows kept together (the page holds about 170 mm of rows).
MAX_KEEP_MM = 110.0


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("jixiao.render", "templates"),
        autoescape=True, trim_blocks=True, lstrip_blocks=True)


def render_html(view: FormView, *, for_pdf: bool = False) -> str:
    """The form as one HTML document; ``for_pdf`` adds the page footer (第 N 页 共 M 页)."""
    total = sum(c.width for c in view.columns)
    widths = [round(100 * c.width / total, 2) for c in view.columns]
    return _environment().get_template("form.html.j2").render(
        view=view, widths=widths, keep=keep_with_next(view, widths), for_pdf=for_pdf,
        font_stack=FONT_STACK, images=_chart_images(view) if for_pdf else [])


def _chart_images(view: FormView) -> list[tuple[str, str]]:
    """``(title, data: URI)`` of the view's charts as PNG, for the PDF (the HTML file
    itself stays text: its charts are the web page's)."""
    if not view.charts:
        return []
    import base64

    from .charts import chart_png

    out = []
    for chart in view.charts:
        png = chart_png(chart)
        if png is not None:
            out.append((chart.title, "data:image/png;base64," + base64.b64encode(png).decode("ascii")))
    return out


def lines_needed(text: str, width_mm: float, font_pt: float) -> int:
    """Printed lines of ``text`` in a cell ``width_mm`` wide (CJK glyphs are 1 em)."""
    em_mm = _mm(font_pt)
    per_line = max((width_mm - PADDING_MM) / em_mm, 1.0)
    return sum(max(1, math.ceil(display_width(p) / 2 / per_line)) for p in text.split("\n"))


def keep_with_next(view: FormView, widths_pct: list[float]) -> list[bool]:
    """Rows that must not end a printed page: a merged cell (核心职能, 一级, 二级) keeps
    as many of its rows together as its text is high, so that the text fits on the
    page where the cell starts. Without this, a long 职能 description over a page
    break ran out of its cell below the table.

    Heights are estimated from the text of each row's own cells (a row is as high as
    its tallest wrapped cell); a run is never longer than ``MAX_KEEP_MM``, so it
    always fits on a page with the column headings (WeasyPrint drops the repeated
    headings when it cannot honour the run)."""
    widths_mm = [TABLE_MM * w / 100 for w in widths_pct]
    fonts = [FONT_PT.get(col.key, BODY_PT) for col in view.columns]
    heights = [max([_height_mm(cell.text, widths_mm[c], fonts[c])
                    for c, cell in enumerate(cells) if cell.rowspan == 1] or [_height_mm("", 1, BODY_PT)])
               for cells in view.rows]
    keep = [False] * len(view.rows)
    for c, col in enumerate(view.columns):
        if not col.merge:
            continue
        for r, cells in enumerate(view.rows):
            cell = cells[c]
            if cell.rowspan < 2:
                continue
            need = min(_height_mm(cell.text, widths_mm[c], fonts[c]), MAX_KEEP_MM)
            end, have = r, heights[r]
            while have < need and end + 1 < r + cell.rowspan:
                end += 1
                have += heights[end]
            for k in range(r, end):
                keep[k] = True
    return keep


def _height_mm(text: str, width_mm: float, font_pt: float) -> float:
    return lines_needed(text, width_mm, font_pt) * _mm(font_pt) * LINE_EM + PADDING_V_MM


def _mm(pt: float) -> float:
    return pt * 25.4 / 72


@renderer("html", media_type="text/html; charset=utf-8")
def render_html_file(view: FormView) -> bytes:
    """The form as a standalone UTF-8 HTML file."""
    return render_html(view).encode("utf-8")
