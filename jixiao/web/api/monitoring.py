"""Monitoring (运行监控) over the API: rounds, the units' reports and warnings, corrections."""
from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from ...services import monitoring
from ...services.policy import Actor
from ..auth import get_db, require_actor

__all__ = ["router"]

router = APIRouter(prefix="/monitoring", tags=["运行监控"])


def _view_json(v: monitoring.ReportView) -> dict[str, Any]:
    a = v.assessment
    return {"round": v.round.id, "sheet_id": v.sheet_id, "unit": v.unit, "title": v.title, "version": v.version,
            "state": v.state, "budget": v.budget, "executed": v.executed, "correction": v.correction,
            "answer": v.answer, "execution": a.execution, "progress": a.progress, "light": a.light,
            "warnings": list(a.warnings),
            "entries": [{"where": e.where, "name": e.name, "target": e.target.text if e.target else None,
                         "so_far": e.so_far, "expected": e.expected, "causes": list(e.causes),
                         "likelihood": e.likelihood, "note": e.note} for e in v.entries]}


class RoundRequest(BaseModel):
    year: int = Field(ge=2000, le=2100)
    label: str = Field(min_length=1, max_length=50)
    period_end: dt.date


class ReportEntry(BaseModel):
    where: str = Field(max_length=100)
    so_far: str = Field("", max_length=500)
    expected: str = Field("", max_length=500)
    causes: list[str] = Field(default_factory=list, max_length=5)
    likelihood: str = Field("", max_length=10)
    note: str = Field("", max_length=500)


class ReportRequest(BaseModel):
    entries: list[ReportEntry] = Field(default_factory=list, max_length=2000)
    budget: float | None = None
    executed: float | None = None
    submit: bool = False
    answer: str = Field("", max_length=4000)


class CorrectionRequest(BaseModel):
    text: str = Field(min_length=1, max_length=4000)


@router.get("/rounds", summary="监控轮次")
def api_rounds(actor: Actor = Depends(require_actor), db: Session = Depends(get_db)) -> dict[str, Any]:
    return {"rounds": [{"id": r.id, "year": r.year, "label": r.label, "period_end": r.period_end.isoformat(),
                        "closed": r.closed} for r in monitoring.list_rounds(db)]}


@router.post("/rounds", status_code=201, summary="发起监控 (财政)")
def api_open_round(body: RoundRequest, actor: Actor = Depends(require_actor), db: Session = Depends(get_db)) \
        -> dict[str, Any]:
    r = monitoring.open_round(db, actor=actor, year=body.year, label=body.label, period_end=body.period_end)
    return {"id": r.id, "year": r.year, "label": r.label, "period_end": r.period_end.isoformat()}


@router.get("/rounds/{round_id}", summary="本轮各单位的监控情况与预警")
def api_overview(round_id: int, actor: Actor = Depends(require_actor), db: Session = Depends(get_db)) -> dict[str, Any]:
    info, views = monitoring.round_overview(db, actor=actor, round_id=round_id)
    return {"round": {"id": info.id, "year": info.year, "label": info.label}, "sheets": [_view_json(v) for v in views]}


@router.get("/rounds/{round_id}/sheets/{sheet_id}", summary="一份表的监控填报")
def api_report(round_id: int, sheet_id: int, actor: Actor = Depends(require_actor),
               db: Session = Depends(get_db)) -> dict[str, Any]:
    return _view_json(monitoring.get_report(db, actor=actor, round_id=round_id, sheet_id=sheet_id))


@router.put("/rounds/{round_id}/sheets/{sheet_id}", summary="保存或报送监控填报 (单位)")
def api_save_report(round_id: int, sheet_id: int, body: ReportRequest, actor: Actor = Depends(require_actor),
                    db: Session = Depends(get_db)) -> dict[str, Any]:
    return _view_json(monitoring.save_report(db, actor=actor, round_id=round_id, sheet_id=sheet_id,
                                             entries=[e.model_dump() for e in body.entries], budget=body.budget,
                                             executed=body.executed, submit=body.submit, answer=body.answer))


@router.post("/rounds/{round_id}/sheets/{sheet_id}/correction", summary="提出整改要求 (主管部门、财政)")
def api_correction(round_id: int, sheet_id: int, body: CorrectionRequest, actor: Actor = Depends(require_actor),
                   db: Session = Depends(get_db)) -> dict[str, Any]:
    return _view_json(monitoring.require_correction(db, actor=actor, round_id=round_id, sheet_id=sheet_id,
                                                    text=body.text))
