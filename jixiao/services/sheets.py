"""Stored sheets: create, save a new version, read, list (web.md: sheets and versions).

A sheet is a row of ``sheets`` (whose it is, its state, its newest version number)
plus immutable ``sheet_versions``, each holding the whole ``jixiao/sheet@1``
document, plus one ``indicator_rows`` row per indicator of each version.

Saving is optimistic locking: the caller names the version its edit is based on
(web: ``If-Match``). ``save_version`` then, in one transaction, locks the sheet
(SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: ``SELECT … FOR UPDATE``), compares,
writes version n+1 with its indicator rows and an audit event, and moves
``current_version``. A stale base raises ``VersionConflict`` carrying the current
version and writes nothing. The unique ``(sheet_id, version)`` constraint is the
last line of defence: should two writers ever get past the comparison, the second
insert fails and also becomes ``VersionConflict`` — a version is never lost or
written twice.

Authorisation: ``policy.can``. A sheet the actor may not see is ``NotFound`` (the
web answers 404, not 403, so its existence is not revealed); one it may see but
not change is ``Forbidden``.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.exc import IntegrityError

from ..errors import Forbidden, InvalidSheetJson, NotFound, StateConflict, VersionConflict
from ..model.sheet import Sheet
from ..model.workflow import EDITABLE_STATES as WORKFLOW_EDITABLE
from ..model.workflow import STATE_LABELS
from ..storage.models import AuditEvent, IndicatorRow, Organisation, SheetRecord, SheetVersion, utcnow
from . import transaction
from .cache import BoundedCache
from .policy import Actor, OrgRef, SheetRef, can, visible_org_filter

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = ["SheetInfo", "StoredVersion", "VersionInfo", "EDITABLE_STATES", "STATE_NAMES", "edit_refusal",
           "visible_record", "visible_info", "sheet_ref", "sheet_info", "write_version",
           "create_sheet", "save_version", "get_sheet", "get_version", "list_sheets",
           "list_versions", "version_list", "version_key", "shared_sheet", "indicator_rows"]

#: States in which the preparer may save a new version.
#: States in which the preparer may save a new version, and the states' Chinese names:
#: the workflow's own (model/workflow.py).
EDITABLE_STATES = WORKFLOW_EDITABLE
STATE_NAMES = STATE_LABELS


@dataclass(frozen=True, slots=True)
class SheetInfo:
    id: int
    kind: str
    year: int | None
    title: str
    state: str
    version: int
    unit_org_id: int
    unit: str
    updated_at: dt.datetime
    #: The parent of the sheet's org (a unit's department): what ``policy.can`` needs.
    unit_parent_id: int | None = None

    @property
    def ref(self) -> SheetRef:
        """The sheet's place for ``policy.can``."""
        return SheetRef(self.unit_org_id, self.unit_parent_id, self.state)


@dataclass(frozen=True, slots=True)
class VersionInfo:
    sheet_id: int
    version: int
    author: str
    note: str
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class StoredVersion:
    """A sheet with one of its versions: ``document`` is the ``jixiao/sheet@1`` dict,
    ``sheet`` the decoded domain object."""

    info: SheetInfo
    version: VersionInfo
    document: dict[str, Any]

    @property
    def sheet(self) -> Sheet:
        from ..model.codec import sheet_from_dict

        return sheet_from_dict(self.document)


# ------------------------------------------------------------------------- helpers

def _document(document: Sheet | Mapping[str, Any]) -> tuple[Sheet, dict[str, Any]]:
    """The domain sheet and its canonical dict; a dict that breaks the contract is
    ``InvalidSheetJson``."""
    from ..model.codec import ContractError, sheet_from_dict, sheet_to_dict

    if isinstance(document, Sheet):
        sheet = document
    else:
        try:
            sheet = sheet_from_dict(dict(document))
        except ContractError as e:
            raise InvalidSheetJson(None, str(e)) from None
    return sheet, sheet_to_dict(sheet)


def sheet_ref(record: SheetRecord) -> SheetRef:
    return SheetRef(record.unit_org_id, record.unit_org.parent_id, record.state)


def sheet_info(record: SheetRecord) -> SheetInfo:
    return SheetInfo(record.id, record.kind, record.year, record.title, record.state,
                     record.current_version, record.unit_org_id, record.unit_org.name,
                     record.updated_at, record.unit_org.parent_id)


def _version_info(v: SheetVersion) -> VersionInfo:
    return VersionInfo(v.sheet_id, v.version, v.author_name, v.note, v.created_at)


def edit_refusal(state: str) -> StateConflict | None:
    """Why a sheet in ``state`` takes no new version (None when it does), with what to
    do instead."""
    if state in EDITABLE_STATES:
        return None
    hint = "; 需要修改时请先发起调整" if state in ("approved", "published") else \
        "; 需要修改时请先撤回" if state == "submitted" else ""
    return StateConflict(state, "edit", f"表处于“{STATE_NAMES[state]}”状态, 不能修改{hint}")


def visible_record(session: Session, actor: Actor | None, sheet_id: int, *,
             lock: bool = False) -> SheetRecord:
    """The sheet if ``actor`` may see it, else ``NotFound`` (same as no such sheet)."""
    # populate_existing: the locked read must overwrite whatever an earlier read in this
    # session left in the identity map (expire_on_commit is off).
    record = session.get(SheetRecord, sheet_id, with_for_update={"of": SheetRecord},
                         populate_existing=True) if lock else session.get(SheetRecord, sheet_id)
    if record is None or not can(actor, "view", sheet_ref(record)):
        raise NotFound("绩效目标表", sheet_id)
    return record


def visible_info(session: Session, actor: Actor | None, sheet_id: int) -> SheetInfo:
    """``sheet_info(visible_record(...))`` for the pages that only read: its columns,
    without loading the ORM objects."""
    row = session.execute(_INFO, {"sheet_id": sheet_id}).first()
    info = None
    if row is not None:
        id_, kind, year, title, state, version, org_id, unit, updated_at, parent_id = row
        info = SheetInfo(id_, kind, year, title, state, version, org_id, unit, updated_at, parent_id)
    if info is None or not can(actor, "view", info.ref):
        raise NotFound("绩效目标表", sheet_id)
    return info


_INFO = (select(SheetRecord.id, SheetRecord.kind, SheetRecord.year, SheetRecord.title, SheetRecord.state,
                SheetRecord.current_version, SheetRecord.unit_org_id, Organisation.name, SheetRecord.updated_at,
                Organisation.parent_id)
         .join(Organisation, Organisation.id == SheetRecord.unit_org_id)
         .where(SheetRecord.id == bindparam("sheet_id")))


def _title(sheet: Sheet) -> str:
    return (sheet.title or sheet.project or sheet.unit or "")[:500]


def _rows(sheet: Sheet, version: SheetVersion) -> list[IndicatorRow]:
    out = []
    labels = {f"functions[{fi}]": fn.label for fi, fn in enumerate(sheet.functions)}
    for seq, (path, ind) in enumerate(sheet.all_indicators(), start=1):
        t = ind.target
        out.append(IndicatorRow(
            version_id=version.id, sheet_id=version.sheet_id, version=version.version, seq=seq,
            path=path, function_label=labels.get(path.split(".")[0]),
            level1=ind.level1, level2=ind.level2, name=ind.name,
            target_text=t.text if t else None, op=t.op if t else None,
            op_inferred=t.op_inferred if t else None, value=t.value if t else None,
            upper=t.upper if t else None, unit=t.unit if t else None,
            target_kind=t.kind if t else None, weight=ind.weight, direction=ind.direction))
    return out


def write_version(session: Session, record: SheetRecord, actor: Actor, sheet: Sheet,
                   document: dict[str, Any], number: int, note: str, action: str,
                   now: dt.datetime) -> SheetVersion:
    version = SheetVersion(sheet_id=record.id, version=number, document=document,
                           author_id=actor.user_id, author_name=actor.username, note=note,
                           created_at=now)
    session.add(version)
    session.flush()   # the unique (sheet_id, version) is checked here
    session.add_all(_rows(sheet, version))
    record.current_version = number
    record.kind = sheet.kind if sheet.kind in ("department", "project") else record.kind
    record.year = sheet.year
    record.title = _title(sheet)
    record.updated_at = now
    session.add(AuditEvent(at=now, actor_id=actor.user_id, actor_name=actor.username,
                           action=action, sheet_id=record.id, version=number,
                           from_state=record.state, to_state=record.state, comment=note,
                           detail={"indicators": len(sheet.all_indicators())}))
    session.flush()
    return version


# ------------------------------------------------------------------------ use-cases

def create_sheet(session: Session, *, actor: Actor, document: Sheet | Mapping[str, Any],
                 note: str = "", now: dt.datetime | None = None) -> StoredVersion:
    """A new draft in the actor's own org, its version 1 being ``document``."""
    sheet, doc = _document(document)
    now = now or utcnow()
    with transaction.write(session):
        org = session.get(Organisation, actor.org_id) if actor.org_id is not None else None
        if org is None or not can(actor, "create_sheet", OrgRef(org.id, org.parent_id, org.kind)):
            raise Forbidden("create_sheet", "新建绩效目标表 (只有单位填报人可以新建本单位的表)")
        record = SheetRecord(kind=sheet.kind if sheet.kind in ("department", "project")
                             else "department", year=sheet.year, unit_org_id=org.id,
                             title=_title(sheet), state="draft", current_version=0,
                             created_by_id=actor.user_id, created_at=now, updated_at=now)
        record.unit_org = org
        session.add(record)
        session.flush()
        version = write_version(session, record, actor, sheet, doc, 1, note, "create", now)
        return StoredVersion(sheet_info(record), _version_info(version), doc)


def save_version(session: Session, *, actor: Actor, sheet_id: int,
                 document: Sheet | Mapping[str, Any], expected_version: int | None,
                 note: str = "", now: dt.datetime | None = None) -> StoredVersion:
    """Save ``document`` as the next version of sheet ``sheet_id``, if the sheet is
    still at ``expected_version``; ``VersionConflict`` (current version inside)
    otherwise, with nothing written."""
    sheet, doc = _document(document)
    now = now or utcnow()
    try:
        with transaction.write(session):
            record = visible_record(session, actor, sheet_id, lock=True)
            if not can(actor, "edit", sheet_ref(record)):
                raise Forbidden("edit", "修改这份表")
            refusal = edit_refusal(record.state)
            if refusal is not None:
                raise refusal
            if expected_version != record.current_version:
                raise VersionConflict(sheet_id, expected_version, record.current_version)
            version = write_version(session, record, actor, sheet, doc,
                                     record.current_version + 1, note, "save", now)
            return StoredVersion(sheet_info(record), _version_info(version), doc)
    except IntegrityError:
        # Only the unique (sheet_id, version) can fail here: another writer took the
        # number. Report the version that is there now.
        current = session.scalar(select(func.max(SheetVersion.version))
                                 .where(SheetVersion.sheet_id == sheet_id)) or 0
        session.rollback()
        raise VersionConflict(sheet_id, expected_version, current) from None


def get_sheet(session: Session, *, actor: Actor | None, sheet_id: int) -> StoredVersion:
    """The sheet with its newest version."""
    with transaction.read(session):
        record = visible_record(session, actor, sheet_id)
        return _load(session, record, record.current_version)


def get_version(session: Session, *, actor: Actor | None, sheet_id: int,
                version: int) -> StoredVersion:
    with transaction.read(session):
        record = visible_record(session, actor, sheet_id)
        return _load(session, record, version)


def _load(session: Session, record: SheetRecord, number: int) -> StoredVersion:
    v = session.scalar(select(SheetVersion).where(SheetVersion.sheet_id == record.id,
                                                  SheetVersion.version == number))
    if v is None:
        raise NotFound("版本", f"{record.id}/{number}")
    return StoredVersion(sheet_info(record), _version_info(v), v.document)


def list_versions(session: Session, *, actor: Actor | None, sheet_id: int) -> list[VersionInfo]:
    with transaction.read(session):
        visible_record(session, actor, sheet_id)
        return version_list(session, sheet_id)


def version_list(session: Session, sheet_id: int) -> list[VersionInfo]:
    """The versions of a sheet whose visibility the caller has checked, oldest first."""
    # The columns only: loading each version's whole document to list them made a
    # sheet's page slower with every save (25 ms at 100 versions).
    return [VersionInfo(*row) for row in session.execute(_VERSIONS, {"sheet_id": sheet_id})]


_VERSIONS = (select(SheetVersion.sheet_id, SheetVersion.version, SheetVersion.author_name, SheetVersion.note,
                    SheetVersion.created_at)
             .where(SheetVersion.sheet_id == bindparam("sheet_id")).order_by(SheetVersion.version))


#: Decoded versions for the pages that only read them. A stored version never changes,
#: and (sheet id, number, creation time) name it even across databases in one process.
_DECODED: BoundedCache[tuple[int, int, str], Sheet] = BoundedCache(256)


def version_key(version: VersionInfo) -> tuple[int, int, str]:
    """The name of a stored version in the caches derived from it."""
    return (version.sheet_id, version.version, version.created_at.isoformat())


def shared_sheet(session: Session, version: VersionInfo) -> Sheet:
    """The decoded sheet of a version whose visibility the caller has checked, decoded
    once per version and shared between requests: callers only read it. The document
    is read from the database only the first time."""
    def decode() -> Sheet:
        from ..model.codec import sheet_from_dict

        document = session.scalar(select(SheetVersion.document).where(
            SheetVersion.sheet_id == version.sheet_id, SheetVersion.version == version.version))
        if document is None:
            raise NotFound("版本", f"{version.sheet_id}/{version.version}")
        return sheet_from_dict(document)

    return _DECODED.get_or_make(version_key(version), decode)


def list_sheets(session: Session, *, actor: Actor | None, year: int | None = None,
                unit_org_id: int | None = None, state: str | None = None, limit: int = 50,
                offset: int = 0) -> tuple[list[SheetInfo], int]:
    """The sheets ``actor`` may see (the same rule as ``can(actor, "view", …)``),
    newest first, and how many there are in all."""
    limit = max(1, min(limit, 500))
    offset = max(0, offset)
    scope, org_id = visible_org_filter(actor)
    query = select(SheetRecord).join(SheetRecord.unit_org)
    published = SheetRecord.state == "published"
    if scope == "org":
        query = query.where(or_(SheetRecord.unit_org_id == org_id, published))
    elif scope == "org_or_children":
        query = query.where(or_(SheetRecord.unit_org_id == org_id,
                                Organisation.parent_id == org_id, published))
    elif scope == "published":
        query = query.where(published)
    if year is not None:
        query = query.where(SheetRecord.year == year)
    if unit_org_id is not None:
        query = query.where(SheetRecord.unit_org_id == unit_org_id)
    if state is not None:
        query = query.where(SheetRecord.state == state)
    with transaction.read(session):
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = session.scalars(query.order_by(SheetRecord.updated_at.desc(), SheetRecord.id.desc())
                               .limit(limit).offset(offset)).unique().all()
        return [sheet_info(r) for r in rows], total


def indicator_rows(session: Session, *, actor: Actor | None, sheet_id: int,
                   version: int | None = None) -> list[IndicatorRow]:
    """The indicator rows of one version (default: the newest), in sheet order."""
    with transaction.read(session):
        record = visible_record(session, actor, sheet_id)
        number = record.current_version if version is None else version
        return list(session.scalars(select(IndicatorRow).where(
            IndicatorRow.sheet_id == sheet_id, IndicatorRow.version == number)
            .order_by(IndicatorRow.seq)).all())
