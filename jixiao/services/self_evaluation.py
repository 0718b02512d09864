"""Year-end self-evaluation (单位自评) of approved sheets, recomputed by the engine.

The unit starts it from the approved version (its indicators are fixed: 不增、不减),
enters actuals, explanations and — only with a reason — a score other than the
recomputed one, and submits; the department checks it; finance spot-checks and
rescores single indicators (抽查复核). Every score given is a row of
``evaluation_scores`` with who, when and why: claimed and recomputed at submission,
department and finance rescores later. The 自评表 renders in every format with the
claimed score (得分) and the latest review score (复核得分).
"""
from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select

from ..errors import Forbidden, InvalidRequest, NotFound, StateConflict
from ..model.codec import sheet_from_dict, sheet_to_dict
from ..model.sheet import Sheet
from ..model.target import parse_target
from ..scoring.dashboard import Dashboard, EvaluatedSheet, evaluation_dashboard
from ..storage.models import (
    AuditEvent,
    EvaluationScore,
    Organisation,
    SelfEvaluation,
    SheetRecord,
    SheetVersion,
    utcnow,
)
from . import transaction
from .policy import Actor, can, visible_org_filter
from .sheets import sheet_ref, visible_record

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ..scoring import SheetScore

__all__ = ["EvaluationView", "ScoreRecord", "EvaluationOverview", "start", "get_evaluation", "save", "check",
           "rescore", "overview", "MAX_TEXT"]

MAX_TEXT = 2000
#: Claimed and recomputed scores closer than this are the same score.
TOLERANCE = 0.005


@dataclass(frozen=True, slots=True)
class ScoreRecord:
    where: str
    kind: str
    score: float
    reason: str
    actor: str
    at: Any


@dataclass(frozen=True, slots=True)
class EvaluationView:
    id: int
    sheet_id: int
    version: int
    state: str
    sheet: Sheet
    score: SheetScore
    history: tuple[ScoreRecord, ...]

    def reviewed(self, where: str) -> ScoreRecord | None:
        """The latest department or finance score of an indicator."""
        found = [h for h in self.history if h.where == where and h.kind in ("department", "finance")]
        return found[-1] if found else None


def _score(sheet: Sheet, approved: Sheet | None) -> SheetScore:
    from ..scoring import DEFAULT, score_sheet

    return score_sheet(sheet, DEFAULT, approved=approved)


def _view(session: Session, ev: SelfEvaluation) -> EvaluationView:
    sheet = sheet_from_dict(ev.document)
    approved_doc = session.scalar(select(SheetVersion.document).where(SheetVersion.sheet_id == ev.sheet_id,
                                                                      SheetVersion.version == ev.version))
    rows = session.scalars(select(EvaluationScore).where(EvaluationScore.evaluation_id == ev.id)
                           .order_by(EvaluationScore.id)).all()
    history = tuple(ScoreRecord(r.where, r.kind, r.score, r.reason, r.actor_name, r.at) for r in rows)
    return EvaluationView(ev.id, ev.sheet_id, ev.version, ev.state, sheet,
                          _score(sheet, sheet_from_dict(approved_doc) if approved_doc else None), history)


def start(session: Session, *, actor: Actor, sheet_id: int) -> EvaluationView:
    """The self-evaluation of sheet ``sheet_id`` (its preparer), started from the
    approved version when there is none yet."""
    with transaction.write(session):
        record = visible_record(session, actor, sheet_id)
        if not can(actor, "edit", sheet_ref(record)):
            raise Forbidden("self_evaluate", "为这份表自评 (只有本单位的填报人可以)")
        existing = session.scalar(select(SelfEvaluation).where(SelfEvaluation.sheet_id == sheet_id))
        if existing is not None:
            return _view(session, existing)
        version = record.published_version or (record.current_version if record.state == "approved" else None)
        if version is None:
            raise StateConflict(record.state, "self_evaluate", "只有已批复的表才能自评")
        doc = session.scalar(select(SheetVersion.document).where(SheetVersion.sheet_id == sheet_id,
                                                                 SheetVersion.version == version))
        sheet = sheet_from_dict(doc)
        title = (sheet.title or "").replace("批复表", "自评表").replace("申报表", "自评表") or None
        evaluation = dataclasses.replace(sheet, stage="self_evaluation", title=title, diagnostics=[])
        ev = SelfEvaluation(sheet_id=sheet_id, version=version, document=sheet_to_dict(evaluation), state="draft",
                            updated_by_id=actor.user_id)
        session.add(ev)
        session.flush()
        session.add(AuditEvent(actor_id=actor.user_id, actor_name=actor.username, sheet_id=sheet_id, version=version,
                               action="self_evaluation.start", detail={"evaluation": ev.id}))
        return _view(session, ev)


def get_evaluation(session: Session, *, actor: Actor | None, sheet_id: int) -> EvaluationView:
    with transaction.read(session):
        visible_record(session, actor, sheet_id)
        ev = session.scalar(select(SelfEvaluation).where(SelfEvaluation.sheet_id == sheet_id))
        if ev is None:
            raise NotFound("自评", sheet_id)
        return _view(session, ev)


def _text(value: Any, what: str) -> str:
    text = str(value or "").strip()
    if len(text) > MAX_TEXT:
        raise InvalidRequest(f"{what}超过 {MAX_TEXT} 字")
    return text


def _number(value: Any, what: str) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(str(value).strip().rstrip("分万元 "))
    except ValueError:
        raise InvalidRequest(f"{what}“{str(value)[:20]}”不是数字") from None
    if not 0 <= number <= 1e9:
        raise InvalidRequest(f"{what}不能为负数或过大")
    return number


def save(session: Session, *, actor: Actor, sheet_id: int, entries: Sequence[Mapping[str, Any]],
         budget: float | None = None, executed: float | None = None, submit: bool = False) -> EvaluationView:
    """The unit's actuals, explanations and claims (``entries``: where, actual,
    explanation, claimed, reason). A claim that differs from the recomputed score
    needs a reason. ``submit`` hands it in and records the claimed and recomputed
    scores."""
    with transaction.write(session):
        record = visible_record(session, actor, sheet_id)
        ev = session.scalar(select(SelfEvaluation).where(SelfEvaluation.sheet_id == sheet_id))
        if ev is None:
            raise NotFound("自评", sheet_id)
        if not can(actor, "edit", sheet_ref(record)):
            raise Forbidden("self_evaluate", "修改这份表的自评")
        if ev.state != "draft":
            raise StateConflict(ev.state, "self_evaluate", "自评已报送, 不能再修改")
        sheet = sheet_from_dict(ev.document)
        by_where = {str(e.get("where")): e for e in entries}
        paths = {where for where, _ in sheet.all_indicators()}
        unknown = set(by_where) - paths
        if unknown:
            raise InvalidRequest(f"“{sorted(unknown)[0][:80]}”不是所批复表中的指标 (自评不能增减指标)")
        reasons: dict[str, str] = {}

        def updated(where: str, ind: Any) -> Any:
            e = by_where.get(where)
            if e is None:
                return ind
            actual = _text(e.get("actual"), f"{where} 的实际完成值")
            reasons[where] = _text(e.get("reason"), f"{where} 的自评理由")
            extra = {**ind.extra}
            if reasons[where]:
                extra["claim_reason"] = reasons[where]
            else:
                extra.pop("claim_reason", None)
            return dataclasses.replace(ind, actual=parse_target(actual) if actual else None,
                                       explanation=_text(e.get("explanation"), f"{where} 的偏差说明") or None,
                                       score=_number(e.get("claimed"), f"{where} 的自评得分"), extra=extra)

        functions = [dataclasses.replace(f, indicators=[updated(f"functions[{fi}].indicators[{ii}]", ind)
                                                        for ii, ind in enumerate(f.indicators)])
                     for fi, f in enumerate(sheet.functions)]
        flat = [updated(f"indicators[{ii}]", ind) for ii, ind in enumerate(sheet.indicators)]
        funds = {**(sheet.funds or {})}
        for key, value in (("budget", budget), ("executed", executed)):
            if value is not None:
                funds[key] = value
        sheet = dataclasses.replace(sheet, functions=functions, indicators=flat, funds=funds or None)
        approved = sheet_from_dict(session.scalar(select(SheetVersion.document).where(
            SheetVersion.sheet_id == sheet_id, SheetVersion.version == ev.version)))
        result = _score(sheet, approved)
        for s in result.indicators:
            if s.claimed is not None and s.recomputed is not None and abs(s.claimed - s.recomputed) > TOLERANCE \
                    and not reasons.get(s.where):
                raise InvalidRequest(f"“{s.name}”自评 {s.claimed:g} 分与按规则复算的 {s.recomputed:g} 分不同, "
                                     "请填写理由")
        ev.document = sheet_to_dict(sheet)
        ev.updated_by_id, ev.updated_at = actor.user_id, utcnow()
        if submit:
            ev.state = "submitted"
            for s in result.indicators:
                if s.claimed is not None:
                    session.add(EvaluationScore(evaluation_id=ev.id, where=s.where, kind="claimed", score=s.claimed,
                                                reason=reasons.get(s.where, ""), actor_name=actor.username))
                if s.recomputed is not None:
                    session.add(EvaluationScore(evaluation_id=ev.id, where=s.where, kind="recomputed",
                                                score=s.recomputed, reason=s.derivation[:2000], actor_name="复算"))
            session.add(EvaluationScore(evaluation_id=ev.id, where="", kind="recomputed",
                                        score=result.recomputed_total, reason="总分", actor_name="复算"))
            session.add(AuditEvent(actor_id=actor.user_id, actor_name=actor.username, sheet_id=sheet_id,
                                   version=ev.version, action="self_evaluation.submit", detail={"evaluation": ev.id}))
        session.flush()
        return _view(session, ev)


def check(session: Session, *, actor: Actor, sheet_id: int, comment: str = "") -> EvaluationView:
    """The department checks the unit's submitted self-evaluation."""
    return _review(session, actor=actor, sheet_id=sheet_id, role="dept_reviewer", state="checked",
                   where="", score=None, reason=comment)


def rescore(session: Session, *, actor: Actor, sheet_id: int, where: str, score: float, reason: str) -> EvaluationView:
    """A reviewer (department or finance) gives one indicator another score, with a reason."""
    if not reason.strip():
        raise InvalidRequest("复核改分必须说明理由")
    role = actor.role
    return _review(session, actor=actor, sheet_id=sheet_id, role=role, state="spot_checked" if role == "finance"
                   else "checked", where=where, score=score, reason=reason)


def _review(session: Session, *, actor: Actor, sheet_id: int, role: str, state: str, where: str,
            score: float | None, reason: str) -> EvaluationView:
    with transaction.write(session):
        record = visible_record(session, actor, sheet_id)
        if actor.role not in ("dept_reviewer", "finance") or actor.role != role \
                or not can(actor, "comment", sheet_ref(record)):
            raise Forbidden("review_evaluation", "复核这份自评")
        ev = session.scalar(select(SelfEvaluation).where(SelfEvaluation.sheet_id == sheet_id))
        if ev is None:
            raise NotFound("自评", sheet_id)
        if ev.state == "draft":
            raise StateConflict(ev.state, "review_evaluation", "自评尚未报送")
        if score is not None:
            paths = {w for w, _ in sheet_from_dict(ev.document).all_indicators()}
            if where not in paths:
                raise InvalidRequest(f"“{where[:80]}”不是这份自评中的指标")
            if not 0 <= score <= 100:
                raise InvalidRequest("得分应在 0 到 100 之间")
            session.add(EvaluationScore(evaluation_id=ev.id, where=where,
                                        kind="finance" if actor.role == "finance" else "department", score=score,
                                        reason=_text(reason, "复核理由"), actor_name=actor.username))
            doc = copy.deepcopy(ev.document)
            sheet = sheet_from_dict(doc)
            for path, ind in sheet.all_indicators():
                if path == where:
                    ind.extra["reviewed_score"] = score
            ev.document = sheet_to_dict(sheet)
        if not (ev.state == "spot_checked" and state == "checked"):
            ev.state = state
        ev.updated_by_id, ev.updated_at = actor.user_id, utcnow()
        session.add(AuditEvent(actor_id=actor.user_id, actor_name=actor.username, sheet_id=sheet_id,
                               version=ev.version, action=f"self_evaluation.{state}", comment=_text(reason, "意见"),
                               detail={"evaluation": ev.id, "where": where, "score": score}))
        session.flush()
        return _view(session, ev)


@dataclass(frozen=True, slots=True)
class OverviewRow:
    sheet_id: int
    unit: str
    title: str
    state: str
    sheet: Sheet
    score: SheetScore


@dataclass(frozen=True, slots=True)
class EvaluationOverview:
    """The self-evaluations of one year across the units the viewer sees, and their dashboard."""

    year: int | None
    years: tuple[int, ...]
    rows: tuple[OverviewRow, ...]
    dashboard: Dashboard


def overview(session: Session, *, actor: Actor, year: int | None = None) -> EvaluationOverview:
    """Every self-evaluation of ``year`` (default: the latest year there is one) of
    the sheets the actor sees as their own: a department reviewer its department's and
    its units', finance and admin every unit's, a preparer its unit's. Published
    sheets of other units are not included (their self-evaluations stay readable one
    by one, as published sheets are)."""
    scope, org_id = visible_org_filter(actor)
    with transaction.read(session):
        query = select(SelfEvaluation, SheetRecord).join(SheetRecord, SheetRecord.id == SelfEvaluation.sheet_id) \
            .join(Organisation, Organisation.id == SheetRecord.unit_org_id)
        if scope == "org":
            query = query.where(SheetRecord.unit_org_id == org_id)
        elif scope == "org_or_children":
            query = query.where(or_(SheetRecord.unit_org_id == org_id, Organisation.parent_id == org_id))
        elif scope != "all":
            query = query.where(SheetRecord.id.is_(None))
        years = tuple(sorted({y for y in session.scalars(query.with_only_columns(SheetRecord.year).distinct())
                              if y is not None}, reverse=True))
        if year is None:
            year = years[0] if years else None
        rows: list[OverviewRow] = []
        if year is not None:
            for ev, record in session.execute(query.where(SheetRecord.year == year).order_by(SheetRecord.id)).all():
                view = _view(session, ev)
                rows.append(OverviewRow(record.id, record.unit_org.name, view.sheet.title or record.title,
                                        ev.state, view.sheet, view.score))
        board = evaluation_dashboard([EvaluatedSheet(r.sheet_id, r.unit, r.title, r.sheet, r.score) for r in rows])
        return EvaluationOverview(year, years, tuple(rows), board)
