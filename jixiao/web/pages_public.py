"""The public portal (no sign-in): published sheets by year, unit and 主管部门, full-text
search, each sheet as a readable page with downloads in every format."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from ..render.view import build_view
from ..services import public
from .auth import current_actor, get_db
from .templating import render_page

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
PAGE = 30


@router.get("/public")
def portal(request: Request, q: str = Query("", max_length=100), year: str = Query("", max_length=4),
           unit: str = Query("", max_length=100), page: int = Query(1, ge=1, le=10000),
           actor=Depends(current_actor), db: Session = Depends(get_db)) -> Response:
    items, total = public.list_published(db, year=int(year) if year.isdigit() else None, unit=unit or None,
                                         q=q or None, limit=PAGE, offset=(page - 1) * PAGE)
    return render_page(request, "public_list.html", {
        "items": items, "total": total, "q": q, "year": year, "unit": unit, "page": page,
        "pages": max(1, -(-total // PAGE)), "catalog": public.catalog(db)})


@router.get("/public/sheets/{sheet_id}")
def public_sheet(sheet_id: int, request: Request, actor=Depends(current_actor),
                 db: Session = Depends(get_db)) -> Response:
    p = public.get_published(db, sheet_id=sheet_id)
    assert p.sheet is not None
    return render_page(request, "public_sheet.html", {"p": p, "view": build_view(p.sheet)})
