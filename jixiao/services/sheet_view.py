"""What a sheet's page shows, read in one transaction.

A sheet's page is the most visited page of the application (every preparer and
reviewer opens it after each step), so it is read in one transaction of four small
queries — the sheet, its versions, the open comments and, only the first time a
version is shown, its document — and what follows from an immutable version (the
decoded sheet, the checker's report) is computed once per version and shared.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import sheets, transaction
from .authoring import report_of
from .workflow import Event, open_comment_events

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ..model.sheet import Sheet
    from ..validation import Report
    from .policy import Actor

__all__ = ["SheetView", "sheet_view"]


@dataclass(frozen=True, slots=True)
class SheetView:
    """The newest version of a sheet with what its page shows. ``sheet`` and
    ``report`` are shared between requests: callers only read them."""

    info: sheets.SheetInfo
    version: sheets.VersionInfo
    sheet: Sheet
    report: Report
    versions: list[sheets.VersionInfo]
    open_comments: list[Event]


def sheet_view(session: Session, *, actor: Actor | None, sheet_id: int) -> SheetView:
    """The page of sheet ``sheet_id`` as ``actor`` sees it (``NotFound`` when they may not)."""
    with transaction.read(session):
        info = sheets.visible_info(session, actor, sheet_id)
        versions = sheets.version_list(session, sheet_id)
        current = next(v for v in reversed(versions) if v.version == info.version)
        sheet = sheets.shared_sheet(session, current)
        comments = open_comment_events(session, sheet_id)
    return SheetView(info, current, sheet, report_of(current, sheet), versions, comments)
