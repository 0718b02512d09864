"""Official forms out: one view-model (``view.build_view``) and one renderer per format.

Renderers register by name, as importers do (``importers.register``), with the
media type and file extension the web download and the CLI need::

    @renderer("xlsx", media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    def render_xlsx(view: FormView) -> bytes: ...

``render(sheet, fmt)`` builds the view once and calls the renderer of ``fmt``.
Callers go through ``services.render_document``; writing the bytes to a file is
``jixiao.files``' business, not this package's.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model.sheet import Sheet
    from .view import FormView

__all__ = ["Renderer", "renderer", "renderers", "render", "FORMATS"]

RenderFn = Callable[["FormView"], bytes]


@dataclass(frozen=True, slots=True)
class Renderer:
    name: str
    media_type: str
    render: RenderFn

    @property
    def extension(self) -> str:
        return "." + self.name


_REGISTRY: dict[str, Renderer] = {}
# Each renderer lives in its own module, imported on first use: WeasyPrint alone
# costs about a second to import, and a render to xlsx should not pay for it.
_MODULES = {"xlsx": "jixiao.render.xlsx", "docx": "jixiao.render.docx",
            "pdf": "jixiao.render.pdf", "html": "jixiao.render.html"}
#: The built-in formats, in the order the help and the web list them.
FORMATS = tuple(_MODULES)


def renderer(name: str, *, media_type: str) -> Callable[[RenderFn], RenderFn]:
    """Register ``fn`` as the renderer of format ``name``."""
    def deco(fn: RenderFn) -> RenderFn:
        _REGISTRY[name] = Renderer(name, media_type, fn)
        return fn
    return deco


def renderers() -> dict[str, Renderer]:
    """Every registered renderer by name (importing the built-in modules)."""
    for name in _MODULES:
        _load(name)
    return dict(_REGISTRY)


def _load(name: str) -> Renderer:
    if name not in _REGISTRY and name in _MODULES:
        importlib.import_module(_MODULES[name])
    try:
        return _REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown render format {name!r}; known: {sorted(set(_MODULES) | set(_REGISTRY))}") \
            from None


def render(sheet: Sheet, fmt: str) -> bytes:
    """The official form of ``sheet`` as a file of format ``fmt`` (bytes)."""
    from .view import build_view

    chosen = _load(fmt)          # an unknown format fails before any work
    return chosen.render(build_view(sheet))
