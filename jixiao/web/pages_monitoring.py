"""Monitoring (运行监控) pages and API: rounds, every unit's traffic lights, one
sheet's report with its warnings, corrections and answers."""
from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from ..errors import InvalidRequest, JixiaoError
from ..scoring.monitoring import CAUSES, LIKELIHOODS
from ..services import monitoring
from ..services.policy import Actor
from .auth import current_actor, get_db, require_csrf
from .pages_sheets import _form, _signed_in, form_number
from .templating import render_page

__all__ = ["router"]

router = APIRouter(dependencies=[Depends(require_csrf)], include_in_schema=False)
LIGHTS = {"green": "绿灯", "yellow": "黄灯", "red": "红灯"}


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidRequest(f"日期“{text[:20]}”应写作 2024-07-31") from None


@router.get("/monitoring")
def rounds_page(request: Request, actor: Actor | None = Depends(current_actor), db: Session = Depends(get_db)) -> Response:
    actor = _signed_in(request, actor)
    return render_page(request, "monitoring_rounds.html", {"rounds": monitoring.list_rounds(db), "error": ""})


@router.post("/monitoring")
async def open_round_page(request: Request, actor: Actor | None = Depends(current_actor),
                          db: Session = Depends(get_db)) -> Response:
    actor = _signed_in(request, actor)
    form = await _form(request)
    year = str(form.get("year", ""))
    try:
        if not year.isdigit():
            raise InvalidRequest("请填写年度")
        r = monitoring.open_round(db, actor=actor, year=int(year), label=str(form.get("label", "")),
                                  period_end=_date(str(form.get("period_end", ""))))
    except JixiaoError as e:
        if getattr(e, "status", 422) == 403:
            raise
        return render_page(request, "monitoring_rounds.html", {"rounds": monitoring.list_rounds(db),
                                                               "error": e.message}, status_code=e.status
                           if hasattr(e, "status") else 422)
    return RedirectResponse(f"/monitoring/{r.id}", status_code=303)


@router.get("/monitoring/{round_id}")
def overview_page(round_id: int, request: Request, actor: Actor | None = Depends(current_actor),
                  db: Session = Depends(get_db)) -> Response:
    actor = _signed_in(request, actor)
    info, views, board = monitoring.round_dashboard(db, actor=actor, round_id=round_id)
    return render_page(request, "monitoring_overview.html", {"round": info, "views": views, "LIGHTS": LIGHTS,
                                                             "board": board, "charts": board.charts(),
                                                             "prefix": "monitoring"})


@router.get("/monitoring/{round_id}/sheets/{sheet_id}")
def report_page(round_id: int, sheet_id: int, request: Request, actor: Actor | None = Depends(current_actor),
                db: Session = Depends(get_db)) -> Response:
    actor = _signed_in(request, actor)
    view = monitoring.get_report(db, actor=actor, round_id=round_id, sheet_id=sheet_id)
    return render_page(request, "monitoring_report.html", _report_context(view, actor))


def _report_context(view: monitoring.ReportView, actor: Actor, **extra: Any) -> dict[str, Any]:
    editable = actor.role == "preparer" and not view.round.closed and view.state in ("none", "draft", "correction")
    reviewer = actor.role in ("dept_reviewer", "finance") and view.state in ("submitted", "answered")
    return {"view": view, "editable": editable, "reviewer": reviewer, "CAUSES": CAUSES, "LIKELIHOODS": LIKELIHOODS,
            "LIGHTS": LIGHTS, "error": "", **extra}



@router.post("/monitoring/{round_id}/sheets/{sheet_id}")
async def report_submit(round_id: int, sheet_id: int, request: Request, actor: Actor | None = Depends(current_actor),
                        db: Session = Depends(get_db)) -> Response:
    actor = _signed_in(request, actor)
    form = await request.form(max_fields=20000)
    wheres = form.getlist("where")
    entries = [{"where": str(w), "so_far": str(form.get(f"so_far:{w}", "")),
                "expected": str(form.get(f"expected:{w}", "")), "likelihood": str(form.get(f"likelihood:{w}", "")),
                "causes": [str(c) for c in form.getlist(f"causes:{w}")], "note": str(form.get(f"note:{w}", ""))}
               for w in wheres]
    try:
        if str(form.get("action", "")) == "correction":
            view = monitoring.require_correction(db, actor=actor, round_id=round_id, sheet_id=sheet_id,
                                                 text=str(form.get("correction", "")))
        else:
            view = monitoring.save_report(db, actor=actor, round_id=round_id, sheet_id=sheet_id, entries=entries,
                                          budget=form_number(form.get("budget"), "预算数"),
                                          executed=form_number(form.get("executed"), "执行数"),
                                          submit=str(form.get("action", "")) == "submit",
                                          answer=str(form.get("answer", "")))
    except JixiaoError as e:
        if getattr(e, "status", 422) in (403, 404):
            raise
        view = monitoring.get_report(db, actor=actor, round_id=round_id, sheet_id=sheet_id)
        return render_page(request, "monitoring_report.html", _report_context(view, actor, error=e.message),
                           status_code=getattr(e, "status", 422))
    return render_page(request, "monitoring_report.html", _report_context(view, actor, done=True))


@router.get("/monitoring/{round_id}/sheets/{sheet_id}/export/{fmt}")
def report_export(round_id: int, sheet_id: int, fmt: str, request: Request,
                  actor: Actor | None = Depends(current_actor), db: Session = Depends(get_db)) -> Response:
    """The 执行监控表 of the report in any format (xlsx, docx, pdf, html, json)."""
    from ..render import renderers
    from ..services.authoring import EXPORT_FORMATS, Export
    from ..services.documents import render_document, sheet_json
    from .api.sheets import download

    actor = _signed_in(request, actor)
    if fmt not in EXPORT_FORMATS:
        raise InvalidRequest(f"不支持的下载格式“{fmt[:10]}”, 可选: {'、'.join(EXPORT_FORMATS)}")
    sheet = monitoring.report_sheet(db, actor=actor, round_id=round_id, sheet_id=sheet_id)
    name = sheet.title or "执行监控表"
    if fmt == "json":
        return download(Export(sheet_json(sheet).encode(), "application/json; charset=utf-8", f"{name}.json"))
    return download(Export(render_document(sheet=sheet, format=fmt), renderers()[fmt].media_type, f"{name}.{fmt}"))
