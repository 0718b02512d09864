"""Importers: a document on disk -> ``Sheet``, dispatched by content, not by name.

Every input format registers itself here under a name, with a *sniffer* that
looks at the first bytes of the file (magic numbers, a JSON brace, …) and a
*loader* that turns the whole file into a ``Sheet``::

    from jixiao.importers import register

    @register("xlsx", sniff=lambda head: head.startswith(b"PK\\x03\\x04"), priority=10)
    def load_xlsx(data: bytes, path: str | None) -> Sheet: ...

``detect`` asks the sniffers in priority order (lowest first); ``text`` is the
catch-all with the highest number, so anything nobody claims is read as text and
fails there with a precise reason (``BinaryDocument``, ``UndecodableDocument``,
``NoIndicatorTable`` …). The extension of the file name is never consulted:
users rename files.

Built in here: ``json`` (a ``jixiao/sheet@1`` document) and ``text`` (the
structure-recovery importer in ``jixiao.importers.text``). Format modules
listed in ``_FORMAT_MODULES`` are imported on first use and register themselves
the same way: ``xlsx``, ``docx`` and ``ooxml`` (a ZIP whose first members do not
tell, dispatched on its member list), ``xls`` (any OLE2 file: legacy workbooks,
and clear refusals for encrypted xlsx/docx and Word 97), ``html``, ``pdf``; all
five table formats share ``jixiao.importers.grid`` (docs/importers.md).
"""
from __future__ import annotations

import importlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import EmptyDocument, InvalidSheetJson
from . import budget
from .decode import decode_bytes, read_bytes, text_head

if TYPE_CHECKING:
    from ..model.sheet import Sheet
    from .budget import Limits

__all__ = ["Format", "register", "unregister", "formats", "detect", "import_bytes", "import_path"]

Sniffer = Callable[[bytes], bool]
Loader = Callable[[bytes, "str | None"], "Sheet"]

#: How many leading bytes a sniffer is shown.
HEAD_SIZE = 4096

# Modules that register further formats when imported (xlsx, docx, pdf … later).
_FORMAT_MODULES: tuple[str, ...] = (
    "jixiao.importers.xlsx", "jixiao.importers.docx", "jixiao.importers.xls", "jixiao.importers.html",
    "jixiao.importers.pdf")


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    sniff: Sniffer
    load: Loader
    priority: int = 50


_REGISTRY: dict[str, Format] = {}
_modules_loaded = False


def register(name: str, *, sniff: Sniffer, priority: int = 50) -> Callable[[Loader], Loader]:
    """Decorator: register ``load(data, path) -> Sheet`` as format ``name``."""

    def deco(load: Loader) -> Loader:
        _REGISTRY[name] = Format(name, sniff, load, priority)
        return load

    return deco


def unregister(name: str) -> None:
    _REGISTRY.pop(name, None)


def _ensure_modules() -> None:
    global _modules_loaded
    if not _modules_loaded:
        _modules_loaded = True
        for module in _FORMAT_MODULES:
            importlib.import_module(module)


def formats() -> list[Format]:
    """The registered formats in the order ``detect`` tries them."""
    _ensure_modules()
    return sorted(_REGISTRY.values(), key=lambda f: (f.priority, f.name))


def detect(data: bytes) -> str:
    """Name of the first format whose sniffer claims ``data``."""
    head = data[:HEAD_SIZE]
    for fmt in formats():
        if fmt.sniff(head):
            return fmt.name
    return "text"


def import_bytes(data: bytes, *, path: str | None = None, format: str | None = None,
                 limits: Limits | None = None) -> Sheet:
    """Turn a document's bytes into a ``Sheet``; ``format`` skips detection.
    The import runs within one resource budget (``budget.Limits``: the defaults
    with ``JIXIAO_IMPORT_LIMITS`` applied, or ``limits``)."""
    if not data:
        raise EmptyDocument(path)
    name = format or detect(data)
    _ensure_modules()
    try:
        fmt = _REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown import format {name!r}; known: {sorted(_REGISTRY)}") from None
    with budget.session(path, limits) as b:
        sheet = fmt.load(data, path)
        b.sheet(sheet)  # what check and render will work on
        return sheet


def import_path(path: str | os.PathLike[str], *, format: str | None = None,
                limits: Limits | None = None) -> Sheet:
    """Read the file at ``path`` and import it (see ``import_bytes``); reading the
    file counts against the same budget (regular files only, ``file_bytes``)."""
    name = os.fspath(path)
    with budget.session(name, limits):
        return import_bytes(read_bytes(name), path=name, format=format)


# ---------------------------------------------------------------- built-in formats

def _sniff_json(head: bytes) -> bool:
    # A sheet document is a JSON object: "{" then a key or "}". Plain-text sheets
    # never start like that.
    s = text_head(head, 64)
    return s.startswith("{") and s[1:].lstrip()[:1] in ('"', "}")


@register("json", sniff=_sniff_json, priority=20)
def _load_json(data: bytes, path: str | None) -> Sheet:
    from ..model.codec import ContractError, loads

    b = budget.current(path)
    text = decode_bytes(data, path, max_chars=b.limits.json_chars)
    # "{" and "[" bound the containers the parser and the schema check will build
    # (inside strings they count too: an upper bound, at C speed)
    b.json_containers(text.count("{") + text.count("["))
    try:
        return loads(text)
    except ContractError as e:
        # The codec checks the whole document before building anything: nesting
        # depth and number literals while parsing, then every value against
        # sheet.schema.json (jixiao/model/schema.py), and names the JSON path of
        # the first problem. Nothing else is caught here on purpose: an exception
        # from a schema-valid document is a bug, and must show as one.
        raise InvalidSheetJson(path, str(e)) from None


@register("text", sniff=lambda head: True, priority=1000)
def _load_text(data: bytes, path: str | None) -> Sheet:
    from .text import import_text

    text = decode_bytes(data, path)
    check_text(text, path)
    return import_text(text, path=path)


_FIELD_BREAK = re.compile(r"[\t\n]| +|\u3000+")


def check_text(text: str, path: str | None, what: str = "文本") -> None:
    """The text importer's cost is per line and per field, whatever their length:
    lines against ``rows``, fields (tabs, line breaks, runs of spaces) against
    ``text_fields``, before it starts."""
    b = budget.current(path)
    b.rows(text.count("\n") + (not text.endswith("\n")), what)
    b.text_fields(_FIELD_BREAK.subn("", text)[1])
