"""Authoring stored sheets: from an upload, blank, copied forward; their findings,
exports and the comparison of two versions.

Each function is a thin composition of the document use-cases (``documents``)
and the stored sheets (``sheets``): what the web routes and pages call.
Uploads arrive as bytes with the name the user gave; nothing here touches the
file system.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import InvalidRequest
from ..model.diff import SheetDiff, diff_sheets
from ..model.sheet import Function, Indicator, Sheet
from . import sheets
from .cache import BoundedCache
from .documents import Imported, check_document, import_document, render_document, sheet_json
from .policy import Actor

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ..validation import Profile, Report

__all__ = ["Created", "Export", "create_from_upload", "create_from_document", "create_blank", "copy_forward",
           "stored_findings", "findings_of", "report_of", "export_version", "compare_versions", "EXPORT_FORMATS", "BLANK_TITLES"]

#: What a version downloads as: the renderers' formats plus the sheet JSON itself.
EXPORT_FORMATS = ("xlsx", "docx", "pdf", "html", "json")
BLANK_TITLES = {"department": "{year}年部门整体支出绩效目标申报表", "project": "{year}年项目支出绩效目标申报表"}
_JSON_MEDIA = "application/json; charset=utf-8"


@dataclass(frozen=True, slots=True)
class Created:
    stored: sheets.StoredVersion
    imported_as: str     # the format the upload was read as (``json`` for a JSON body)


@dataclass(frozen=True, slots=True)
class Export:
    data: bytes
    media_type: str
    filename: str


def create_from_upload(session: Session, *, actor: Actor, data: bytes, name: str) -> Created:
    """Import an uploaded file (any format the importers read) and store it as a new
    draft of the actor's org. ``ImportFailed`` (422) with the importer's message
    when it cannot be read; nothing is stored then."""
    imported: Imported = import_document(data=data, name=name)
    return create_from_document(session, actor=actor, sheet=imported.sheet, imported_as=imported.format)


def create_from_document(session: Session, *, actor: Actor, sheet: Sheet, imported_as: str = "json") -> Created:
    stored = sheets.create_sheet(session, actor=actor, document=sheet,
                                 note=f"导入 ({imported_as})" if imported_as != "blank" else "新建")
    return Created(stored, imported_as)


def create_blank(session: Session, *, actor: Actor, kind: str, year: int, unit: str | None = None) -> Created:
    """A new empty draft of the ``kind`` form for ``year``, with one empty function on
    a department sheet so the form has a place to start."""
    if kind not in BLANK_TITLES:
        raise InvalidRequest(f"表的种类应为 department 或 project, 实为“{kind}”")
    _check_year(year)
    sheet = Sheet(kind=kind, stage="declaration", title=BLANK_TITLES[kind].format(year=year), year=year, unit=unit,
                  functions=[Function(label="职能1", description=None)] if kind == "department" else [])
    return create_from_document(session, actor=actor, sheet=sheet, imported_as="blank")


def copy_forward(session: Session, *, actor: Actor, sheet_id: int, year: int) -> Created:
    """Last year's sheet as a new draft for ``year``: the same functions, goals and
    indicators, the year moved on in the title, actuals, scores, diagnostics and the
    approval number dropped (they belong to last year)."""
    _check_year(year)
    old = sheets.get_sheet(session, actor=actor, sheet_id=sheet_id).sheet
    title = old.title
    if title and old.year is not None:
        title = re.sub(rf"{old.year}(?=年)", str(year), title)
    title = title.replace("批复表", "申报表") if title else title
    def cleared(ind: Indicator) -> Indicator:
        return dataclasses.replace(ind, actual=None, score=None, explanation=None)

    functions = [dataclasses.replace(f, indicators=[cleared(i) for i in f.indicators]) for f in old.functions]
    extra = {k: v for k, v in old.extra.items() if k not in ("approval_number", "approval_date")}
    new = dataclasses.replace(old, year=year, title=title, stage="declaration", functions=functions,
                              indicators=[cleared(i) for i in old.indicators],
                              diagnostics=[], extra={**extra, "copied_from": {"sheet": sheet_id, "year": old.year}})
    return create_from_document(session, actor=actor, sheet=new, imported_as="copy")


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise InvalidRequest(f"年度应在 2000 到 2100 之间, 实为 {year}")


def stored_findings(session: Session, *, actor: Actor | None, sheet_id: int, version: int | None = None,
                    profile: Profile | None = None) -> Report:
    """The checker's report on one stored version (default: the newest)."""
    stored = _version(session, actor, sheet_id, version)
    return findings_of(stored) if profile is None else check_document(sheet=stored.sheet, profile=profile)


#: Reports under the default profile by version (``sheets.version_key``). A stored
#: version never changes and the checker is pure.
_REPORTS: BoundedCache[tuple[int, int, str], Report] = BoundedCache(256)


def findings_of(stored: sheets.StoredVersion) -> Report:
    """The checker's report (default profile) on a version already read; computed
    once per version. The report is shared: callers only read it."""
    return _REPORTS.get_or_make(sheets.version_key(stored.version), lambda: check_document(sheet=stored.sheet))


def report_of(version: sheets.VersionInfo, sheet: Sheet) -> Report:
    """``findings_of`` for a version whose decoded sheet the caller holds."""
    return _REPORTS.get_or_make(sheets.version_key(version), lambda: check_document(sheet=sheet))


def export_version(session: Session, *, actor: Actor | None, sheet_id: int, fmt: str,
                   version: int | None = None) -> Export:
    """One version as a download: the official form (xlsx, docx, pdf, html) or the sheet JSON."""
    if fmt not in EXPORT_FORMATS:
        raise InvalidRequest(f"不支持的下载格式“{fmt}”, 可选: {'、'.join(EXPORT_FORMATS)}")
    stored = _version(session, actor, sheet_id, version)
    base = _filename(stored)
    if fmt == "json":
        return Export(sheet_json(stored.sheet).encode("utf-8"), _JSON_MEDIA, f"{base}.json")
    from ..render import renderers

    data = render_document(sheet=stored.sheet, format=fmt)
    return Export(data, renderers()[fmt].media_type, f"{base}.{fmt}")


def _filename(stored: sheets.StoredVersion) -> str:
    """``<title>-第N版``, without characters a file system or a header cannot hold."""
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "", stored.info.title or "绩效目标表").strip() or "绩效目标表"
    return f"{name[:80]}-第{stored.version.version}版"


def compare_versions(session: Session, *, actor: Actor | None, sheet_id: int, older: int, newer: int) -> SheetDiff:
    a = _version(session, actor, sheet_id, older)
    b = _version(session, actor, sheet_id, newer)
    return diff_sheets(a.sheet, b.sheet)


def _version(session: Session, actor: Actor | None, sheet_id: int, version: int | None) -> sheets.StoredVersion:
    if version is None:
        return sheets.get_sheet(session, actor=actor, sheet_id=sheet_id)
    return sheets.get_version(session, actor=actor, sheet_id=sheet_id, version=version)
