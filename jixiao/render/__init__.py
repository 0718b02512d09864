"""Official forms out: one view-model (``view.build_view``) and one renderer per format.

``render(sheet, fmt)`` returns the file's bytes for ``fmt`` in ``FORMATS``.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model.sheet import Sheet

FORMATS = ("xlsx", "docx", "pdf", "html")


def render(sheet: Sheet, fmt: str) -> bytes:
    """The official form of ``sheet`` as a file of format ``fmt`` (bytes)."""
    from .view import build_view

    view = build_view(sheet)
    if fmt == "xlsx":
        from .xlsx import render_xlsx as fn
    elif fmt == "docx":
        from .docx import render_docx as fn
    elif fmt == "pdf":
        from .pdf import render_pdf as fn
    elif fmt == "html":
        from .html import render_html

        return render_html(view).encode("utf-8")
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return fn(view)


def write_bytes(data: bytes, out_path: str | os.PathLike[str]) -> Path:
    """Write ``data`` to ``out_path`` through the project's atomic writer
    (``services.atomic_writer``: temporary file, fsync, rename)."""
    from ..services import atomic_writer

    with atomic_writer(out_path) as f:
        f.buffer.write(data)   # the text wrapper's binary layer; flushed by the writer
    return Path(out_path)
