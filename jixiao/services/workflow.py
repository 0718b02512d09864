"""The review-and-approval workflow of stored sheets (web.md "States and actions").

``perform_action`` is the one use-case: it locks the sheet, asks ``policy.can``
whether the actor may ever do this to this sheet (``Forbidden`` when not),
asks ``model.workflow.transition`` whether the state allows it
(``StateConflict``), runs the checks the action needs (a ``return`` must say
why; ``submit`` is refused with the findings while the checker reports an
error), and writes the new state and an audit event in one transaction.

Two actions write a version as well, so that what was decided is frozen as a
document of its own:

* ``approve`` writes the approved version: the current document as a 批复表
  (``stage: approval``) carrying the approval number (批复文号) and date in
  ``extra``; that version is what the public sees once published.
* ``adjust`` writes a new working version (a copy of the approved one) and opens
  ``adjusting``; the approved/published version stays what the public sees until
  the adjustment is approved again.

Comments on single indicators travel with ``return`` and ``comment`` events
(``detail.comments``: ``[{where, text}]``, ``where`` a path of the sheet JSON);
``open_comments`` gives those of the last return for the cells they concern.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, func, select

from ..errors import Forbidden, InvalidRequest, StateConflict, SubmissionBlocked
from ..model.workflow import ACTION_LABELS, STATE_LABELS, acting_role, transition
from ..storage.models import AuditEvent, Organisation, SheetRecord, SheetVersion, utcnow
from . import transaction
from .policy import Actor, can
from .sheets import sheet_info, sheet_ref, visible_record, write_version

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ..model.sheet import Sheet
    from ..validation import Profile
    from .sheets import SheetInfo

__all__ = ["Comment", "Event", "ActionResult", "perform_action", "sheet_history", "open_comments",
           "open_comment_events",
           "WORKFLOW_ACTIONS", "MAX_COMMENT"]

#: The verbs of ``POST /api/v1/sheets/{id}/actions/{action}``: the transitions plus
#: ``comment`` (a reviewer's remark that changes no state).
WORKFLOW_ACTIONS = ("submit", "withdraw", "pass", "return", "approve", "publish", "adjust", "comment")
MAX_COMMENT = 4000
MAX_COMMENTS = 500
_WHERE = re.compile(r"^(functions\[\d+\](\.indicators\[\d+\])?|indicators\[\d+\]|goals\[\d+\]|"
                    r"title|unit|supervisor|project|year|funds|overview)(\.[a-z_0-9]+)?$")


@dataclass(frozen=True, slots=True)
class Comment:
    where: str
    text: str


@dataclass(frozen=True, slots=True)
class Event:
    at: dt.datetime
    user: str
    action: str
    from_state: str | None
    to_state: str | None
    comment: str
    version: int | None
    comments: tuple[Comment, ...] = ()
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ActionResult:
    info: SheetInfo
    event: Event


def _comments(raw: Iterable[Mapping[str, Any] | Comment]) -> tuple[Comment, ...]:
    out = []
    for i, c in enumerate(raw):
        where = c.where if isinstance(c, Comment) else str(c.get("where", ""))
        text = c.text if isinstance(c, Comment) else str(c.get("text", ""))
        where, text = where.strip(), text.strip()
        if not _WHERE.match(where):
            raise InvalidRequest(f"第 {i + 1} 条意见的位置“{where[:80]}”不是表中的位置 "
                                 "(例如 functions[0].indicators[2])")
        if not text:
            raise InvalidRequest(f"第 {i + 1} 条意见 ({where}) 没有内容")
        if len(text) > MAX_COMMENT:
            raise InvalidRequest(f"第 {i + 1} 条意见超过 {MAX_COMMENT} 字")
        out.append(Comment(where, text))
    if len(out) > MAX_COMMENTS:
        raise InvalidRequest(f"意见超过 {MAX_COMMENTS} 条")
    return tuple(out)


def _event(row: AuditEvent) -> Event:
    comments = tuple(Comment(str(c.get("where", "")), str(c.get("text", "")))
                     for c in (row.detail or {}).get("comments", []) if isinstance(c, dict))
    return Event(row.at, row.actor_name, row.action, row.from_state, row.to_state, row.comment or "",
                 row.version, comments, dict(row.detail or {}))


def perform_action(session: Session, *, actor: Actor, sheet_id: int, action: str, comment: str = "",
                   comments: Iterable[Mapping[str, Any] | Comment] = (), approval_number: str | None = None,
                   profile: Profile | None = None, now: dt.datetime | None = None) -> ActionResult:
    """Do ``action`` to sheet ``sheet_id`` as ``actor``; see the module docstring."""
    if action not in WORKFLOW_ACTIONS:
        raise InvalidRequest(f"没有“{action}”这个操作; 可用: {'、'.join(WORKFLOW_ACTIONS)}")
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise InvalidRequest(f"意见超过 {MAX_COMMENT} 字")
    remarks = _comments(comments)
    now = now or utcnow()
    with transaction.write(session):
        record = visible_record(session, actor, sheet_id, lock=True)
        ref = sheet_ref(record)
        if not can(actor, action, ref):
            raise Forbidden(action, f"{ACTION_LABELS.get(action, '评论')}这份表")
        if action == "comment":
            if not comment and not remarks:
                raise InvalidRequest("请填写意见")
            row = _log(session, record, actor, "comment", record.state, record.state, comment, remarks, now)
            return ActionResult(sheet_info(record), _event(row))
        own = _is_departments_own(session, record)
        step = transition(record.state, action, own_department_sheet=own)
        if step is None or (action == "return" and own and record.state == "submitted"):
            raise StateConflict(record.state, action, f"表处于“{STATE_LABELS[record.state]}”状态, "
                                f"不能{ACTION_LABELS[action]}")
        role = acting_role(record.state, action)
        if role is not None and actor.role != role:
            raise Forbidden(action, f"在“{STATE_LABELS[record.state]}”状态下{ACTION_LABELS[action]}这份表")
        if step.needs_comment and not comment:
            raise InvalidRequest("退回时必须填写退回意见")
        detail: dict[str, Any] = {}
        if step.checks_findings:
            _refuse_with_errors(session, record, profile)
        if action == "approve":
            detail["approval_number"], detail["approval_date"] = _approve(session, record, actor,
                                                                          approval_number, now)
        elif action == "adjust":
            _copy_forward(session, record, actor, now)
        if action == "publish":
            detail["published_version"] = record.current_version
            record.published_version, record.published_at = record.current_version, now
            from ..model.codec import sheet_from_dict
            from .search import index_sheet

            index_sheet(session, sheet_id=record.id, version=record.current_version,
                        sheet=sheet_from_dict(_current(session, record).document))
        before = record.state
        record.state = step.target
        record.updated_at = now
        row = _log(session, record, actor, action, before, step.target, comment, remarks, now, detail)
        return ActionResult(sheet_info(record), _event(row))


def _log(session: Session, record: SheetRecord, actor: Actor, action: str, before: str, after: str,
         comment: str, remarks: tuple[Comment, ...], now: dt.datetime,
         detail: dict[str, Any] | None = None) -> AuditEvent:
    full = dict(detail or {})
    if remarks:
        full["comments"] = [{"where": c.where, "text": c.text} for c in remarks]
    row = AuditEvent(at=now, actor_id=actor.user_id, actor_name=actor.username, action=action,
                     sheet_id=record.id, version=record.current_version, from_state=before, to_state=after,
                     comment=comment, detail=full)
    session.add(row)
    session.flush()
    return row


def _is_departments_own(session: Session, record: SheetRecord) -> bool:
    """A sheet of a department itself (not of one of its units) skips the department review."""
    org = session.get(Organisation, record.unit_org_id)
    return org is not None and org.kind == "department"


def _current(session: Session, record: SheetRecord) -> SheetVersion:
    v = session.scalar(select(SheetVersion).where(SheetVersion.sheet_id == record.id,
                                                  SheetVersion.version == record.current_version))
    assert v is not None, "a sheet always has its current version"
    return v


def _refuse_with_errors(session: Session, record: SheetRecord, profile: Profile | None) -> None:
    from ..model.codec import sheet_from_dict
    from .documents import check_document

    report = check_document(sheet=sheet_from_dict(_current(session, record).document), profile=profile)
    errors = [d for d in report.findings if d.severity == "error"]
    if errors:
        raise SubmissionBlocked([{"code": d.code, "severity": d.severity, "where": d.where,
                                  "message": d.message, "hint": d.hint} for d in errors])


def _approve(session: Session, record: SheetRecord, actor: Actor, number: str | None,
             now: dt.datetime) -> tuple[str, str]:
    """Write the approved version (the 批复表) and return its number and date."""
    from ..model.codec import sheet_from_dict, sheet_to_dict

    number = (number or "").strip() or _next_approval_number(session, record, actor, now)
    if len(number) > 100:
        raise InvalidRequest("批复文号超过 100 字")
    date = now.date().isoformat()
    sheet: Sheet = sheet_from_dict(_current(session, record).document)
    title = sheet.title.replace("申报表", "批复表") if sheet.title else sheet.title
    approved = dataclasses.replace(sheet, stage="approval", title=title,
                        extra={**sheet.extra, "approval_number": number, "approval_date": date})
    write_version(session, record, actor, approved, sheet_to_dict(approved), record.current_version + 1,
                   f"批复 {number}", "approve.version", now)
    return number, date


def _next_approval_number(session: Session, record: SheetRecord, actor: Actor, now: dt.datetime) -> str:
    """``<财政局>绩批〔<年>〕<n>号``, n counting this year's approvals of all sheets."""
    year = record.year or now.year
    count = session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "approve", AuditEvent.at >= dt.datetime(now.year, 1, 1, tzinfo=dt.UTC)))
    org = session.get(Organisation, actor.org_id) if actor.org_id is not None else None
    short = (org.name if org is not None else "财政").removesuffix("局").removesuffix("财政") or "财"
    return f"{short}财绩批〔{year}〕{(count or 0) + 1}号"


def _copy_forward(session: Session, record: SheetRecord, actor: Actor, now: dt.datetime) -> None:
    """``adjust``: a new working version, a copy of the approved one, as a declaration again."""
    from ..model.codec import sheet_from_dict, sheet_to_dict

    sheet = sheet_from_dict(_current(session, record).document)
    draft = dataclasses.replace(sheet, stage="declaration")
    write_version(session, record, actor, draft, sheet_to_dict(draft), record.current_version + 1,
                   "调整: 从已批复版本复制", "adjust.version", now)


def sheet_history(session: Session, *, actor: Actor | None, sheet_id: int) -> list[Event]:
    """Every event of the sheet, oldest first (web.md's history)."""
    with transaction.read(session):
        visible_record(session, actor, sheet_id)
        rows = session.scalars(select(AuditEvent).where(AuditEvent.sheet_id == sheet_id)
                               .order_by(AuditEvent.id)).all()
        return [_event(r) for r in rows]


def open_comments(session: Session, *, actor: Actor | None, sheet_id: int) -> list[Event]:
    """The reviewers' events since the sheet was last submitted (its ``return`` and
    ``comment`` events): what the preparer still has to answer, cell by cell."""
    with transaction.read(session):
        visible_record(session, actor, sheet_id)
        return open_comment_events(session, sheet_id)


def open_comment_events(session: Session, sheet_id: int) -> list[Event]:
    """``open_comments`` of a sheet whose visibility the caller has checked."""
    # A return ends the review round it answers; its comments stay open until the next
    # submit. Only the events after that submit are read, not the sheet's whole history.
    return [_event(r) for r in session.scalars(_OPEN_COMMENTS, {"sheet_id": sheet_id})]


_LAST_SUBMIT = (select(func.coalesce(func.max(AuditEvent.id), 0))
                .where(AuditEvent.sheet_id == bindparam("sheet_id"), AuditEvent.action == "submit")
                .scalar_subquery())
_OPEN_COMMENTS = (select(AuditEvent)
                  .where(AuditEvent.sheet_id == bindparam("sheet_id"), AuditEvent.id > _LAST_SUBMIT,
                         AuditEvent.action.in_(("return", "comment")))
                  .order_by(AuditEvent.id))
