"""Monitoring rounds (运行监控): finance opens a round for a year; each unit reports
on its approved sheets; the department and finance see every unit's traffic
lights and can require corrections (整改要求), which the unit answers.

A report is bound to the approved version of the sheet (its indicators are the
ones reported on; the report cannot add or drop any). Warnings and lights are
``scoring.monitoring.assess``. Who may do what: ``policy.can`` — opening a round
is finance's; reporting is the preparer's of the sheet's org (``edit``); requiring
a correction is a reviewer's of the sheet (``comment``: the unit's department, or
finance).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select

from ..errors import AlreadyExists, Forbidden, InvalidRequest, NotFound, StateConflict
from ..model.codec import sheet_from_dict
from ..model.sheet import Sheet
from ..model.target import parse_target
from ..scoring.dashboard import Dashboard, MonitoredSheet, monitoring_dashboard
from ..scoring.monitoring import CAUSES, LIKELIHOODS, Assessment, Entry, assess
from ..storage.models import (
    AuditEvent,
    MonitoringReport,
    MonitoringRound,
    Organisation,
    SheetRecord,
    SheetVersion,
    utcnow,
)
from . import transaction
from .policy import Actor, can, visible_org_filter
from .sheets import sheet_ref

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = ["RoundInfo", "ReportView", "open_round", "list_rounds", "round_overview", "round_dashboard", "get_report",
           "report_sheet", "save_report", "require_correction", "MAX_ENTRY_TEXT"]

MAX_ENTRY_TEXT = 500


@dataclass(frozen=True, slots=True)
class RoundInfo:
    id: int
    year: int
    label: str
    period_end: dt.date
    opened_at: dt.datetime
    closed: bool


@dataclass(frozen=True, slots=True)
class ReportView:
    """A sheet's report in a round (a fresh, unsaved one when the unit has not started)."""

    round: RoundInfo
    sheet_id: int
    unit: str
    title: str
    version: int
    entries: tuple[Entry, ...]
    budget: float | None
    executed: float | None
    state: str                 # none (not started) | draft | submitted | correction | answered
    correction: str
    answer: str
    assessment: Assessment
    updated_at: dt.datetime | None


def _round_info(r: MonitoringRound) -> RoundInfo:
    return RoundInfo(r.id, r.year, r.label, r.period_end, r.opened_at, r.closed_at is not None)


def open_round(session: Session, *, actor: Actor, year: int, label: str, period_end: dt.date) -> RoundInfo:
    """A new round (finance only), e.g. year 2024, label 1–7月, period ending 2024-07-31."""
    if actor.role != "finance":
        raise Forbidden("open_round", "发起监控 (只有财政审核人可以)")
    label = (label or "").strip()
    if not label or len(label) > 50:
        raise InvalidRequest("请填写本轮监控的名称 (例如 1–7月), 不超过 50 字")
    if period_end.year != year:
        raise InvalidRequest(f"监控截止日期 {period_end.isoformat()} 不在 {year} 年内")
    with transaction.write(session):
        if session.scalar(select(MonitoringRound).where(MonitoringRound.year == year,
                                                        MonitoringRound.label == label)) is not None:
            raise AlreadyExists("监控轮次", f"{year}年 {label}")
        r = MonitoringRound(year=year, label=label, period_end=period_end, opened_by_id=actor.user_id)
        session.add(r)
        session.flush()
        session.add(AuditEvent(actor_id=actor.user_id, actor_name=actor.username, action="monitoring.open",
                               detail={"round": r.id, "year": year, "label": label}))
        return _round_info(r)


def list_rounds(session: Session) -> list[RoundInfo]:
    with transaction.read(session):
        rows = session.scalars(select(MonitoringRound).order_by(MonitoringRound.year.desc(),
                                                                MonitoringRound.period_end.desc())).all()
        return [_round_info(r) for r in rows]


def _round(session: Session, round_id: int) -> MonitoringRound:
    r = session.get(MonitoringRound, round_id)
    if r is None:
        raise NotFound("监控轮次", round_id)
    return r


def _approved_version(record: SheetRecord) -> int | None:
    """The version a report is bound to: the published one, or the current one of an
    approved sheet."""
    if record.published_version is not None:
        return record.published_version
    return record.current_version if record.state == "approved" else None


def _sheets_in(session: Session, actor: Actor, year: int) -> list[SheetRecord]:
    """The approved sheets of ``year`` the actor may see."""
    scope, org_id = visible_org_filter(actor)
    query = select(SheetRecord).join(SheetRecord.unit_org).where(SheetRecord.year == year).where(
        or_(SheetRecord.published_version.is_not(None), SheetRecord.state == "approved"))
    if scope == "org":
        query = query.where(SheetRecord.unit_org_id == org_id)
    elif scope == "org_or_children":
        query = query.where(or_(SheetRecord.unit_org_id == org_id, Organisation.parent_id == org_id))
    elif scope == "published":
        return []
    return list(session.scalars(query.order_by(SheetRecord.id)).unique().all())


def _entries_of(sheet: Sheet, saved: Sequence[Mapping[str, Any]]) -> tuple[Entry, ...]:
    """One entry per indicator of the approved sheet, with what the report saved for it."""
    by_where = {str(e.get("where")): e for e in saved if isinstance(e, Mapping)}
    out = []
    for where, ind in sheet.all_indicators():
        e = by_where.get(where, {})
        out.append(Entry(where, ind.name, ind.target, str(e.get("so_far", "")), str(e.get("expected", "")),
                         tuple(c for c in e.get("causes", []) if c in CAUSES), str(e.get("likelihood", "")),
                         str(e.get("note", ""))))
    return tuple(out)


def _view(session: Session, r: MonitoringRound, record: SheetRecord, report: MonitoringReport | None) -> ReportView:
    return _view_and_sheet(session, r, record, report)[0]


def _view_and_sheet(session: Session, r: MonitoringRound, record: SheetRecord,
                    report: MonitoringReport | None) -> tuple[ReportView, Sheet]:
    version = report.version if report is not None else _approved_version(record)
    if version is None:
        raise NotFound("已批复的绩效目标表", record.id)
    doc = session.scalar(select(SheetVersion.document).where(SheetVersion.sheet_id == record.id,
                                                             SheetVersion.version == version))
    sheet = sheet_from_dict(doc or {})
    entries = _entries_of(sheet, report.entries if report is not None else [])
    budget = report.budget if report is not None else None
    executed = report.executed if report is not None else None
    assessment = assess(entries, budget=budget, executed=executed, month=r.period_end.month)
    return ReportView(_round_info(r), record.id, record.unit_org.name, (doc or {}).get("title") or record.title,
                      version, entries, budget, executed, report.state if report is not None else "none",
                      report.correction if report is not None else "", report.answer if report is not None else "",
                      assessment, report.updated_at if report is not None else None), sheet


def round_overview(session: Session, *, actor: Actor, round_id: int) -> tuple[RoundInfo, list[ReportView]]:
    """Every approved sheet of the round's year the actor may see, with its report
    (or a fresh one) and its traffic light."""
    with transaction.read(session):
        r = _round(session, round_id)
        records = _sheets_in(session, actor, r.year)
        reports = {rep.sheet_id: rep for rep in session.scalars(
            select(MonitoringReport).where(MonitoringReport.round_id == r.id)).all()}
        return _round_info(r), [_view(session, r, rec, reports.get(rec.id)) for rec in records]


def round_dashboard(session: Session, *, actor: Actor, round_id: int
                    ) -> tuple[RoundInfo, list[ReportView], Dashboard]:
    """``round_overview`` and the round's dashboard across the same sheets: those the
    actor sees as their own (a department reviewer: the department's and its units';
    finance: every unit's; a preparer: the unit's)."""
    with transaction.read(session):
        r = _round(session, round_id)
        records = _sheets_in(session, actor, r.year)
        reports = {rep.sheet_id: rep for rep in session.scalars(
            select(MonitoringReport).where(MonitoringReport.round_id == r.id)).all()}
        pairs = [_view_and_sheet(session, r, rec, reports.get(rec.id)) for rec in records]
        views = [v for v, _ in pairs]
        board = monitoring_dashboard([MonitoredSheet(v.sheet_id, v.unit, v.title, sheet, v.entries, v.assessment)
                                      for v, sheet in pairs], month=r.period_end.month)
        return _round_info(r), views, board


def _visible_record(session: Session, actor: Actor, r: MonitoringRound, sheet_id: int) -> SheetRecord:
    """One sheet of the round, by the rule of ``_sheets_in`` (its year, approved, in the
    actor's own scope: a published sheet is not another unit's to monitor)."""
    record = session.get(SheetRecord, sheet_id)
    if record is None or record.year != r.year or _approved_version(record) is None \
            or not _in_scope(actor, record):
        raise NotFound("本轮监控中的绩效目标表", sheet_id)
    return record


def _in_scope(actor: Actor, record: SheetRecord) -> bool:
    scope, org_id = visible_org_filter(actor)
    if scope == "all":
        return True
    if scope == "org":
        return record.unit_org_id == org_id
    if scope == "org_or_children":
        return org_id in (record.unit_org_id, record.unit_org.parent_id)
    return False


def get_report(session: Session, *, actor: Actor, round_id: int, sheet_id: int) -> ReportView:
    with transaction.read(session):
        r = _round(session, round_id)
        record = _visible_record(session, actor, r, sheet_id)
        report = session.scalar(select(MonitoringReport).where(MonitoringReport.round_id == r.id,
                                                               MonitoringReport.sheet_id == sheet_id))
        return _view(session, r, record, report)


def report_sheet(session: Session, *, actor: Actor, round_id: int, sheet_id: int) -> Sheet:
    """The 执行监控表 of a sheet's report in a round, as a sheet to render in any format
    (domain.md §6.3): the approved indicators, the value so far as the actual (当前完成值),
    the expected full-year value, causes, likelihood and note as the indicators'
    ``expected`` / ``causes`` / ``likelihood`` / ``note``, the budget and its
    execution so far as ``funds``. Whoever may see the report may download it."""
    with transaction.read(session):
        r = _round(session, round_id)
        record = _visible_record(session, actor, r, sheet_id)
        report = session.scalar(select(MonitoringReport).where(MonitoringReport.round_id == r.id,
                                                               MonitoringReport.sheet_id == sheet_id))
        view, sheet = _view_and_sheet(session, r, record, report)
    by_where = {e.where: e for e in view.entries}

    def reported(where: str, ind: Any) -> Any:
        e = by_where.get(where)
        if e is None:
            return ind
        extra = {k: v for k, v in ind.extra.items() if k not in ("expected", "causes", "likelihood", "note")}
        extra.update({k: v for k, v in (("expected", e.expected), ("causes", "、".join(e.causes)),
                                        ("likelihood", e.likelihood), ("note", e.note)) if v})
        return dataclasses.replace(ind, actual=parse_target(e.so_far) if e.so_far else None, score=None,
                                   extra=extra)

    functions = [dataclasses.replace(f, indicators=[reported(f"functions[{fi}].indicators[{ii}]", ind)
                                                    for ii, ind in enumerate(f.indicators)])
                 for fi, f in enumerate(sheet.functions)]
    flat = [reported(f"indicators[{ii}]", ind) for ii, ind in enumerate(sheet.indicators)]
    funds = {**(sheet.funds or {})}
    for key, value in (("budget", view.budget), ("executed", view.executed)):
        if value is not None:
            funds[key] = value
    base = (sheet.title or "").replace("批复表", "").replace("申报表", "").strip() or \
        (f"{sheet.year}年" if sheet.year else "") + ("部门整体支出绩效目标" if sheet.kind == "department" else "项目支出绩效目标")
    title = f"{base}执行监控表 ({r.label})"
    return dataclasses.replace(sheet, stage="monitoring", title=title, functions=functions, indicators=flat,
                               funds=funds or None, diagnostics=[])


def _clean_entry(raw: Mapping[str, Any], known: set[str]) -> dict[str, Any]:
    where = str(raw.get("where", ""))
    if where not in known:
        raise InvalidRequest(f"“{where[:80]}”不是所批复表中的指标 (监控不能增减指标)")
    out: dict[str, Any] = {"where": where}
    for key in ("so_far", "expected", "note"):
        value = str(raw.get(key, "") or "").strip()
        if len(value) > MAX_ENTRY_TEXT:
            raise InvalidRequest(f"{where} 的填写内容超过 {MAX_ENTRY_TEXT} 字")
        out[key] = value
    causes = [str(c) for c in raw.get("causes", []) or []]
    if any(c not in CAUSES for c in causes):
        raise InvalidRequest(f"偏差原因应为: {'、'.join(CAUSES)}")
    out["causes"] = causes
    likelihood = str(raw.get("likelihood", "") or "")
    if likelihood and likelihood not in LIKELIHOODS:
        raise InvalidRequest(f"完成可能性应为: {'、'.join(LIKELIHOODS)}")
    out["likelihood"] = likelihood
    return out


def save_report(session: Session, *, actor: Actor, round_id: int, sheet_id: int,
                entries: Sequence[Mapping[str, Any]], budget: float | None, executed: float | None,
                submit: bool = False, answer: str = "") -> ReportView:
    """Save the unit's report (the preparer of the sheet's org); ``submit`` hands it in.
    After a correction was required, saving with ``answer`` answers it."""
    for name, value in (("预算数", budget), ("执行数", executed)):
        if value is not None and (value < 0 or value > 1e9):
            raise InvalidRequest(f"{name}应为 0 到 10 亿之间的金额 (万元)")
    with transaction.write(session):
        r = _round(session, round_id)
        if r.closed_at is not None:
            raise StateConflict("closed", "report", "本轮监控已结束, 不能再填报")
        record = _visible_record(session, actor, r, sheet_id)
        if not can(actor, "edit", sheet_ref(record)):
            raise Forbidden("report", "填报这份表的监控 (只有本单位的填报人可以)")
        report = session.scalar(select(MonitoringReport).where(MonitoringReport.round_id == r.id,
                                                               MonitoringReport.sheet_id == sheet_id))
        version = report.version if report is not None else _approved_version(record)
        assert version is not None
        doc = session.scalar(select(SheetVersion.document).where(SheetVersion.sheet_id == sheet_id,
                                                                 SheetVersion.version == version))
        known = {where for where, _ in sheet_from_dict(doc).all_indicators()}
        cleaned = [_clean_entry(e, known) for e in entries]
        if report is None:
            report = MonitoringReport(round_id=r.id, sheet_id=sheet_id, version=version, state="draft",
                                      correction="", answer="")
            session.add(report)
        elif report.state == "submitted" and not submit:
            raise StateConflict("submitted", "report", "监控表已报送; 需要修改时请等待主管部门或财政提出整改要求")
        report.entries = cleaned
        report.budget, report.executed = budget, executed
        if report.state == "correction":
            if not answer.strip():
                raise InvalidRequest("请填写对整改要求的答复")
            report.answer = answer.strip()[:4000]
            report.state = "answered"
        elif submit:
            report.state = "submitted"
        report.updated_by_id, report.updated_at = actor.user_id, utcnow()
        session.add(AuditEvent(actor_id=actor.user_id, actor_name=actor.username, sheet_id=sheet_id,
                               version=version, action="monitoring.report", from_state=None, to_state=None,
                               comment=answer.strip()[:4000], detail={"round": r.id, "state": report.state}))
        session.flush()
        return _view(session, r, record, report)


def require_correction(session: Session, *, actor: Actor, round_id: int, sheet_id: int, text: str) -> ReportView:
    """A reviewer of the sheet (its department, or finance) requires a correction (整改要求)."""
    text = (text or "").strip()
    if not text:
        raise InvalidRequest("请填写整改要求")
    with transaction.write(session):
        r = _round(session, round_id)
        record = _visible_record(session, actor, r, sheet_id)
        if not can(actor, "comment", sheet_ref(record)):
            raise Forbidden("correction", "提出整改要求")
        report = session.scalar(select(MonitoringReport).where(MonitoringReport.round_id == r.id,
                                                               MonitoringReport.sheet_id == sheet_id))
        if report is None or report.state not in ("submitted", "answered"):
            raise StateConflict(report.state if report else "none", "correction", "监控表尚未报送, 不能提出整改要求")
        report.state, report.correction, report.answer = "correction", text[:4000], ""
        report.updated_at = utcnow()
        session.add(AuditEvent(actor_id=actor.user_id, actor_name=actor.username, sheet_id=sheet_id,
                               version=report.version, action="monitoring.correction", comment=text[:4000],
                               detail={"round": r.id}))
        session.flush()
        return _view(session, r, record, report)
