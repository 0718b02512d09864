"""PDF of the form: WeasyPrint prints the HTML of ``html.py`` (A4 landscape,
Noto Sans CJK SC, header row repeated on every page, footer 第 N 页 共 M 页).

Its hard dependencies are checked before anything is printed: pango (WeasyPrint
cannot load without it) and a font covering Chinese (without one WeasyPrint
writes a PDF of empty boxes and reports success). Either missing raises
``RendererUnavailable`` with the install hint."""
from __future__ import annotations

from ..errors import RendererUnavailable
from . import renderer
from .fonts import NO_CJK_FONT_HINT, cjk_font_families
from .html import render_html
from .view import FormView


def require_pdf_dependencies() -> None:
    """Raise ``RendererUnavailable`` unless WeasyPrint can print Chinese here."""
    # Fonts first: WeasyPrint warns on import when fontconfig has no fonts, and the
    # user should read one line, ours. ``None`` means fontconfig itself is missing,
    # which the import below reports as the missing pango it implies. Asked once: each
    # question loads fontconfig's whole configuration (~10 ms).
    families = cjk_font_families()
    if families == []:
        raise RendererUnavailable("pdf", NO_CJK_FONT_HINT)
    try:
        # Imported here: WeasyPrint needs system libraries (pango, harfbuzz-subset) and
        # takes ~1 s to import, which the other formats should not pay.
        import weasyprint  # noqa: F401
    except OSError as e:
        raise RendererUnavailable("pdf", f"缺少系统库 ({e}); 请安装 pango (apt-get install "
                                  "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0), "
                                  "或改用 --to html 后用浏览器打印") from None
    if not families:
        raise RendererUnavailable("pdf", NO_CJK_FONT_HINT)


@renderer("pdf", media_type="application/pdf")
def render_pdf(view: FormView) -> bytes:
    require_pdf_dependencies()
    import weasyprint

    return weasyprint.HTML(string=render_html(view, for_pdf=True)).write_pdf()
