"""Charts as images for the PDF and docx reports (issue 15, deliverable 5): matplotlib
on the Agg backend (no display), drawn in a font that covers Chinese, found through
fontconfig (``fonts.cjk_font_files``) as the PDF's own font is.

A chart is data on the view (``view.BarChart``); ``chart_png`` draws it as PNG bytes.
PNG, not SVG: the labels are pixels, so a re-import of the PDF reads the form's text
and nothing from the chart. Without a CJK font there is no image (``None``): the
docx goes out without it, the PDF is refused earlier anyway (``pdf.py``).
"""
from __future__ import annotations

import functools
import io
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .view import BarChart

__all__ = ["chart_png", "chart_font", "PREFERRED_FAMILIES"]

#: Families tried first, in order; then any other family fontconfig lists for zh-cn.
PREFERRED_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Micro Hei",
                      "WenQuanYi Zen Hei", "Noto Serif CJK SC", "AR PL UMing CN")
COLOURS = ("#9aa5b1", "#d97706", "#1d4ed8", "#15803d")
# pyplot keeps global state; one chart at a time per process (the web app renders in threads).
_LOCK = threading.Lock()


@functools.lru_cache(maxsize=1)
def chart_font() -> str | None:
    """The family matplotlib draws the charts in (registered with it when its cache
    does not know the file yet), or None when no installed font covers Chinese."""
    from .fonts import cjk_font_files

    files = cjk_font_files()
    if not files:
        return None
    rank = {f: i for i, f in enumerate(PREFERRED_FAMILIES)}
    family, path, _ = min(files, key=lambda f: (rank.get(f[0], len(rank)), "Bold" in f[1], f[0], f[1]))
    _matplotlib()
    from matplotlib import font_manager

    if family not in {f.name for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(path)
    return family


@functools.lru_cache(maxsize=1)
def _matplotlib() -> None:
    import matplotlib

    matplotlib.use("Agg", force=True)


def chart_png(chart: BarChart, *, width_mm: float = 240, height_mm: float = 80, dpi: int = 150) -> bytes | None:
    """``chart`` as a PNG of ``width_mm`` × ``height_mm``; None without a CJK font."""
    family = chart_font()
    if family is None or not chart.categories:
        return None
    _matplotlib()
    from matplotlib.figure import Figure

    with _LOCK:
        fig = Figure(figsize=(width_mm / 25.4, height_mm / 25.4), dpi=dpi)
        ax = fig.add_subplot()
        n, k = len(chart.categories), max(len(chart.series), 1)
        bar = 0.8 / k
        for s, (name, values) in enumerate(chart.series):
            xs = [i - 0.4 + bar * (s + 0.5) for i in range(n)]
            heights = [v if v is not None else 0.0 for v in values]
            bars = ax.bar(xs, heights, bar * 0.92, label=name, color=COLOURS[s % len(COLOURS)])
            ax.bar_label(bars, labels=[_label(v) for v in values], fontsize=7, family=family, padding=1)
        ax.set_xticks(range(n), list(chart.categories), family=family, fontsize=8)
        ax.set_ylabel(chart.unit, family=family, fontsize=8)
        ax.tick_params(axis="y", labelsize=7)
        ax.set_title(chart.title, family=family, fontsize=10)
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(prop={"family": family, "size": 8}, frameon=False, ncols=k, loc="upper right")
        ax.margins(y=0.18)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def _label(v: float | None) -> str:
    return "" if v is None else f"{v:g}"
