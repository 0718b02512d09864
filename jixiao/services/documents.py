"""Use-cases on one document: import, check, render, blank form.

Bytes and objects in, objects and bytes out: no paths, no printing, and the
sheet handed in is never changed (``with_findings`` returns a new one). The CLI
reads files through ``jixiao.files``; the web passes uploads and streams the
bytes back.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model.sheet import Sheet
    from ..validation import Profile, Report

__all__ = ["Imported", "import_document", "check_document", "with_findings", "render_document",
           "blank_form", "sheet_json", "FORM_KINDS"]

FORM_KINDS = ("department", "project")


@dataclass(frozen=True, slots=True)
class Imported:
    """An imported sheet and the format it was read as (``xlsx``, ``text`` …)."""

    sheet: Sheet
    format: str


def import_document(*, data: bytes, name: str | None = None, format: str | None = None) -> Imported:
    """Rebuild the sheet in ``data`` (any format the importers read, detected from
    the content unless ``format`` says). ``name`` is what error messages call the
    document (a file name or an upload's name). Raises ``ImportFailed``."""
    from ..importers import detect, import_bytes

    chosen = format or (detect(data) if data else "text")
    return Imported(import_bytes(data, path=name, format=chosen), chosen)


def check_document(*, sheet: Sheet, profile: Profile | None = None,
                   previous: Sheet | None = None) -> Report:
    """Check ``sheet`` against the reviewer rules (docs/rules.md) under ``profile``
    (None: the shipped default); ``previous`` is last year's sheet, or the approved
    sheet when ``sheet`` is its self-evaluation."""
    from ..validation import check

    return check(sheet, profile=profile, previous=previous)


def with_findings(*, sheet: Sheet, report: Report) -> Sheet:
    """A copy of ``sheet`` whose diagnostics end with the report's findings, those
    of an earlier check (a sheet JSON written by ``import --check``) replaced
    rather than piled up."""
    from ..validation import all_rules

    ids = {r.id for r in all_rules()}
    kept = [d for d in sheet.diagnostics if d.code not in ids]
    return dataclasses.replace(sheet, diagnostics=kept + list(report.findings))


def render_document(*, sheet: Sheet, format: str) -> bytes:
    """The official form of ``sheet`` as a file of ``format`` (``render.FORMATS``).
    Raises ``RendererUnavailable`` when this machine cannot write the format."""
    from ..render import render

    return render(sheet, format)


def blank_form(*, kind: str) -> bytes:
    """A blank fill-in workbook (xlsx) of the ``kind`` form."""
    from ..render.template import render_template

    if kind not in FORM_KINDS:
        raise ValueError(f"unknown form kind {kind!r}; known: {FORM_KINDS}")
    return render_template(kind)


def sheet_json(sheet: Sheet) -> str:
    """The sheet as ``jixiao/sheet@1`` JSON text, ending in a newline."""
    from ..model.codec import dumps

    return dumps(sheet) + "\n"
