"""Importers: a document on disk -> ``Sheet``, dispatched by content, not by name.

Three layers (docs/importers.md, "Module map"):

* ``registry`` (the table of formats), ``budget`` (resource limits) and ``decode``
  (bytes -> text): shared infrastructure;
* ``formats/``: the readers, one per input format; each registers itself under a
  name, with a *sniffer* that looks at the first bytes of the file (magic numbers, a
  JSON brace, …) and a *loader* that turns the whole file into a ``Sheet``::

      from ..registry import register

      @register("xlsx", sniff=lambda head: head.startswith(b"PK\\x03\\x04"), priority=10)
      def load_xlsx(data: bytes, path: str | None) -> Sheet: ...

* ``recover/``: the format-neutral recovery every reader ends in (rows and marks ->
  the 一级/二级/职能 tree -> ``Sheet``); it never imports a reader.

``detect`` asks the sniffers in priority order (lowest first); ``text`` is the
catch-all with the highest number, so anything nobody claims is read as text and
fails there with a precise reason (``BinaryDocument``, ``UndecodableDocument``,
``NoIndicatorTable`` …). The extension of the file name is never consulted:
users rename files.

Built in here: ``json`` (a ``jixiao/sheet@1`` document). The readers are imported
below and register themselves: ``text`` (``formats.text``), ``xlsx``, ``docx`` and
``ooxml`` (a ZIP whose first members do not tell, dispatched on its member list;
``formats.ooxml``), ``xls`` (any OLE2 file: legacy workbooks, and clear refusals
for encrypted xlsx/docx and Word 97), ``html``, ``pdf``; the five table formats
share ``recover.table``.
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING

from ..errors import EmptyDocument, InvalidSheetJson
from . import budget
from .decode import decode_bytes, read_bytes, text_head

# Importing ``formats`` imports every reader (formats/__init__.py), and each registers
# itself with the registry as it is imported. That import also sets this package's
# attribute ``formats`` to the sub-package; the public ``formats()`` below is the
# registry's, bound after it (isort keeps ``.registry`` after ``.formats``).
from .formats.text import check_text
from .registry import HEAD_SIZE, Format, Loader, Sniffer, format_named, formats, register, unregister

if TYPE_CHECKING:
    from ..model.sheet import Sheet
    from .budget import Limits

__all__ = ["Format", "register", "unregister", "formats", "detect", "import_bytes", "import_path"]
__all__ += ["HEAD_SIZE", "Loader", "Sniffer", "check_text"]


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
    fmt = format_named(name)
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
