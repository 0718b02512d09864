"""Standalone printable HTML of the form (one Jinja2 template, inline CSS).

The PDF renderer prints this same HTML, so screen, print and PDF look alike.
"""
from __future__ import annotations

from functools import lru_cache

import jinja2

from .view import FormView

FONT_STACK = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "SimSun", sans-serif'


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
        view=view, widths=widths, for_pdf=for_pdf, font_stack=FONT_STACK)
