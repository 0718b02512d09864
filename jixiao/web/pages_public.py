"""The public portal (no sign-in): published sheets by year, unit and 主管部门, full-text
search, each sheet as a readable page with downloads in every format."""
from __future__ import annotations

import time

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from ..render.view import build_view
from ..services import public
from ..services.cache import BoundedCache
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


#: Rendered pages for anonymous visitors, by published version: the page is the same
#: for all of them and changes only when a new version is published (then the key
#: changes), so it is never stale. Bounded; the oldest entry goes first.
_PAGES: BoundedCache[tuple[int, int, str], bytes] = BoundedCache(512)


def _published_key(request: Request, db: Session, sheet_id: int, *, anonymous: bool) -> tuple[int, int, str]:
    """``public.published_key``, trusted for ``JIXIAO_PUBLIC_CACHE_SECONDS`` per process
    for anonymous visitors, so that a cached page costs no database query. Safe for
    what may be shown: a key only ever names a version that was published (nothing is
    un-published; an adjustment keeps the published version public), so a visitor sees
    at worst the previous publication for those seconds — browsers are told to keep
    the page for 60 anyway. The cache belongs to the app: per process and per database."""
    ttl = request.app.state.settings.public_cache_seconds
    if not anonymous or ttl <= 0:
        return public.published_key(db, sheet_id=sheet_id)
    keys: BoundedCache[int, tuple[float, tuple[int, int, str]]] = request.app.state.public_keys
    now = time.monotonic()
    found = keys.get(sheet_id)
    if found is not None and found[0] > now:
        return found[1]
    return keys.put(sheet_id, (now + ttl, public.published_key(db, sheet_id=sheet_id)))[1]


@router.get("/public/sheets/{sheet_id}")
def public_sheet(sheet_id: int, request: Request, actor=Depends(current_actor),
                 db: Session = Depends(get_db)) -> Response:
    key = _published_key(request, db, sheet_id, anonymous=actor is None)
    etag = f'"p{key[0]}-{key[1]}"'
    headers = {"ETag": etag, "Cache-Control": "public, max-age=60" if actor is None else "private, no-cache"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    cached = _PAGES.get(key) if actor is None else None
    if cached is not None:
        return HTMLResponse(cached, headers=headers)
    p = public.get_published(db, sheet_id=sheet_id)
    assert p.sheet is not None
    page = render_page(request, "public_sheet.html", {"p": p, "view": build_view(p.sheet)}, headers=headers)
    if actor is None:
        _PAGES.put(key, bytes(page.body))
    return page
