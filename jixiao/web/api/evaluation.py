"""The self-evaluation (自评) over the API: read with recomputed scores and every score
given, start, fill in or submit, check, rescore, download the 自评表."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from ...errors import InvalidRequest
from ...services import self_evaluation as se
from ...services.policy import Actor
from ..auth import get_db, require_actor

__all__ = ["router", "view_json"]

router = APIRouter(prefix="/sheets", tags=["自评"])


def view_json(v: se.EvaluationView) -> dict[str, Any]:
    from ...model.codec import sheet_to_dict

    s = v.score
    return {"id": v.id, "sheet_id": v.sheet_id, "version": v.version, "state": v.state, "sheet": sheet_to_dict(v.sheet),
            "indicators": [{"where": i.where, "name": i.name, "weight": i.weight, "claimed": i.claimed,
                            "recomputed": i.recomputed, "derivation": i.derivation,
                            "reviewed": (r.score if (r := v.reviewed(i.where)) else None),
                            "flags": [f.message for f in i.flags]} for i in s.indicators],
            "total": {"claimed": s.claimed_total, "recomputed": s.recomputed_total},
            "grade": {"claimed": s.claimed_grade, "recomputed": s.recomputed_grade},
            "history": [{"where": h.where, "kind": h.kind, "score": h.score, "reason": h.reason, "by": h.actor,
                         "at": h.at.isoformat()} for h in v.history]}


class EntryBody(BaseModel):
    where: str = Field(max_length=100)
    actual: str = Field("", max_length=2000)
    explanation: str = Field("", max_length=2000)
    claimed: float | None = None
    reason: str = Field("", max_length=2000)


class SaveBody(BaseModel):
    entries: list[EntryBody] = Field(default_factory=list, max_length=2000)
    budget: float | None = None
    executed: float | None = None
    submit: bool = False


class RescoreBody(BaseModel):
    where: str = Field(max_length=100)
    score: float
    reason: str = Field(min_length=1, max_length=2000)


@router.get("/{sheet_id}/self-evaluation", summary="自评 (含复算得分与全部评分记录)")
def api_get(sheet_id: int, actor: Actor = Depends(require_actor), db: Session = Depends(get_db)) -> dict[str, Any]:
    return view_json(se.get_evaluation(db, actor=actor, sheet_id=sheet_id))


@router.post("/{sheet_id}/self-evaluation", status_code=201, summary="开始自评 (单位, 已批复的表)")
def api_start(sheet_id: int, actor: Actor = Depends(require_actor), db: Session = Depends(get_db)) -> dict[str, Any]:
    return view_json(se.start(db, actor=actor, sheet_id=sheet_id))


@router.put("/{sheet_id}/self-evaluation", summary="填写或报送自评 (单位)")
def api_save(sheet_id: int, body: SaveBody, actor: Actor = Depends(require_actor),
             db: Session = Depends(get_db)) -> dict[str, Any]:
    return view_json(se.save(db, actor=actor, sheet_id=sheet_id, entries=[e.model_dump() for e in body.entries],
                             budget=body.budget, executed=body.executed, submit=body.submit))


@router.post("/{sheet_id}/self-evaluation/check", summary="主管部门审核自评")
def api_check(sheet_id: int, actor: Actor = Depends(require_actor), db: Session = Depends(get_db)) -> dict[str, Any]:
    return view_json(se.check(db, actor=actor, sheet_id=sheet_id))


@router.post("/{sheet_id}/self-evaluation/rescore", summary="复核改分 (主管部门、财政抽查)")
def api_rescore(sheet_id: int, body: RescoreBody, actor: Actor = Depends(require_actor),
                db: Session = Depends(get_db)) -> dict[str, Any]:
    return view_json(se.rescore(db, actor=actor, sheet_id=sheet_id, where=body.where, score=body.score,
                                reason=body.reason))


@router.get("/{sheet_id}/self-evaluation/export/{fmt}", summary="下载自评表: xlsx、docx、pdf、html、json")
def api_export(sheet_id: int, fmt: str, actor: Actor = Depends(require_actor), db: Session = Depends(get_db)) -> Response:
    from ...render import renderers
    from ...services.authoring import EXPORT_FORMATS, Export
    from ...services.documents import render_document, sheet_json
    from .sheets import download

    if fmt not in EXPORT_FORMATS:
        raise InvalidRequest(f"不支持的下载格式“{fmt}”, 可选: {'、'.join(EXPORT_FORMATS)}")
    v = se.get_evaluation(db, actor=actor, sheet_id=sheet_id)
    sheet = v.sheet
    name = f"{sheet.title or '自评表'}"
    if fmt == "json":
        return download(Export(sheet_json(sheet).encode(), "application/json; charset=utf-8", f"{name}.json"))
    return download(Export(render_document(sheet=sheet, format=fmt), renderers()[fmt].media_type, f"{name}.{fmt}"))
