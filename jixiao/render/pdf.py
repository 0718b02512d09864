"""PDF of the form: WeasyPrint prints the HTML of ``html.py`` (A4 landscape,
Noto Sans CJK SC, header row repeated on every page, footer 第 N 页 共 M 页)."""
from __future__ import annotations

from .html import render_html
from .view import FormView


def render_pdf(view: FormView) -> bytes:
    # Imported here: WeasyPrint needs system libraries (pango, harfbuzz-subset) and
    # takes ~1 s to import, which the other formats should not pay.
    import weasyprint

    return weasyprint.HTML(string=render_html(view, for_pdf=True)).write_pdf()
