"""The self-evaluation (自评) of an approved sheet: pages and API. The unit fills in
actuals and claims, the engine recomputes beside every score, the department checks,
finance rescores; the 自评表 downloads in every format with both scores."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from ..errors import InvalidRequest, JixiaoError, NotFound
from ..services import self_evaluation as se
from ..services.policy import Actor
from .auth import current_actor, get_db, require_csrf
from .pages_sheets import _signed_in, form_number
from .templating import render_page

__all__ = ["router"]

router = APIRouter(dependencies=[Depends(require_csrf)], include_in_schema=False)
STATES = {"draft": "自评中", "submitted": "已报送, 待主管部门审核", "checked": "主管部门已审核",
          "spot_checked": "财政已抽查复核"}


def _page(request: Request, actor: Actor, view: se.EvaluationView | None, sheet_id: int, *, status: int = 200,
          error: str = "") -> Response:
    rows = []
    if view is not None:
        scores = {s.where: s for s in view.score.indicators}
        for where, ind in view.sheet.all_indicators():
            rows.append({"where": where, "ind": ind, "score": scores.get(where), "reviewed": view.reviewed(where),
                         "reason": ind.extra.get("claim_reason", "")})
    chart: dict[str, Any] = {"categories": [], "series": [], "unit": "分"}
    if view is not None:
        blocks: dict[str, list[float]] = {}
        for s in view.score.indicators:
            claimed, recomputed = blocks.setdefault(s.block or "其他", [0.0, 0.0])
            blocks[s.block or "其他"] = [claimed + (s.claimed or 0.0), recomputed + (s.counted or 0.0)]
        chart = {"categories": list(blocks), "unit": "分",
                 "series": [{"name": "自评得分", "data": [round(v[0], 2) for v in blocks.values()]},
                            {"name": "复算得分", "data": [round(v[1], 2) for v in blocks.values()]}]}
    return render_page(request, "evaluation.html", {
        "chart": chart, "view": view, "sheet_id": sheet_id, "rows": rows, "STATES": STATES, "error": error,
        "editable": view is not None and view.state == "draft" and actor.role == "preparer",
        "reviewer": view is not None and view.state != "draft" and actor.role in ("dept_reviewer", "finance")},
        status_code=status)


@router.get("/self-evaluations")
def overview_page(request: Request, year: str = "", actor: Actor | None = Depends(current_actor),
                  db: Session = Depends(get_db)) -> Response:
    """The year's self-evaluations across the units the caller sees, with the dashboard."""
    actor = _signed_in(request, actor)
    if year and not (year.isdigit() and len(year) == 4):
        raise InvalidRequest(f"年度“{year[:10]}”应为四位数字")
    info = se.overview(db, actor=actor, year=int(year) if year else None)
    return render_page(request, "evaluation_overview.html", {
        "info": info, "board": info.dashboard, "charts": info.dashboard.charts(), "prefix": "evaluation",
        "STATES": STATES, "LIGHTS": {}})


@router.get("/sheets/{sheet_id}/self-evaluation")
def evaluation_page(sheet_id: int, request: Request, actor: Actor | None = Depends(current_actor),
                    db: Session = Depends(get_db)) -> Response:
    actor = _signed_in(request, actor)
    try:
        view = se.get_evaluation(db, actor=actor, sheet_id=sheet_id)
    except NotFound:
        from ..services import sheets

        sheets.get_sheet(db, actor=actor, sheet_id=sheet_id)      # 404 when the sheet itself is hidden
        view = None
    return _page(request, actor, view, sheet_id)


@router.post("/sheets/{sheet_id}/self-evaluation")
async def evaluation_submit(sheet_id: int, request: Request, actor: Actor | None = Depends(current_actor),
                            db: Session = Depends(get_db)) -> Response:
    actor = _signed_in(request, actor)
    form = await request.form(max_fields=20000)
    action = str(form.get("action", ""))
    try:
        if action == "start":
            se.start(db, actor=actor, sheet_id=sheet_id)
        elif action in ("save", "submit"):
            entries = [{"where": str(w), "actual": str(form.get(f"actual:{w}", "")),
                        "explanation": str(form.get(f"explanation:{w}", "")),
                        "claimed": str(form.get(f"claimed:{w}", "")), "reason": str(form.get(f"reason:{w}", ""))}
                       for w in form.getlist("where")]
            se.save(db, actor=actor, sheet_id=sheet_id, entries=entries,
                    budget=form_number(form.get("budget"), "预算数"), executed=form_number(form.get("executed"), "执行数"),
                    submit=action == "submit")
        elif action == "check":
            se.check(db, actor=actor, sheet_id=sheet_id, comment=str(form.get("comment", "")))
        elif action == "rescore":
            score = form_number(form.get("score"), "复核得分")
            if score is None:
                raise InvalidRequest("请填写复核得分")
            se.rescore(db, actor=actor, sheet_id=sheet_id, where=str(form.get("where", "")), score=score,
                       reason=str(form.get("reason", "")))
        else:
            raise InvalidRequest(f"未知的操作“{action[:20]}”")
    except JixiaoError as e:
        if getattr(e, "status", 422) in (403, 404):
            raise
        try:
            view = se.get_evaluation(db, actor=actor, sheet_id=sheet_id)
        except NotFound:
            view = None
        return _page(request, actor, view, sheet_id, status=getattr(e, "status", 422), error=e.message)
    return RedirectResponse(f"/sheets/{sheet_id}/self-evaluation", status_code=303)

