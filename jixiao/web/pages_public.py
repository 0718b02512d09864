"""The public portal (no sign-in): published sheets by year, unit and 主管部门, full-text
search, each sheet as a readable page with downloads in every format."""
from __future__ import annotations

import time

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

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


def _trusted_key(request: Request, sheet_id: int) -> tuple[int, int, str] | None:
    """The published version's key as this process last read it, while it is trusted
    (``JIXIAO_PUBLIC_CACHE_SECONDS``, for anonymous visitors only). Safe for what may
    be shown: a key only ever names a version that was published (nothing is
    un-published; an adjustment keeps the published version public), so a visitor
    sees at worst the previous publication for those seconds — browsers are told to
    keep the page for 60 anyway. The cache belongs to the app: per process and per
    database."""
    found = request.app.state.public_keys.get(sheet_id)
    return found[1] if found is not None and found[0] > time.monotonic() else None


def _read_key(request: Request, db: Session, sheet_id: int, *, anonymous: bool) -> tuple[int, int, str]:
    key = public.published_key(db, sheet_id=sheet_id)
    ttl = request.app.state.settings.public_cache_seconds
    if anonymous and ttl > 0:
        request.app.state.public_keys.put(sheet_id, (time.monotonic() + ttl, key))
    return key


def _headers(key: tuple[int, int, str], *, anonymous: bool) -> dict[str, str]:
    return {"ETag": f'"p{key[0]}-{key[1]}"', "Cache-Control": "public, max-age=60" if anonymous else "private, no-cache"}


def _answer(request: Request, key: tuple[int, int, str], *, anonymous: bool) -> Response | None:
    """A 304 or the cached page for ``key``, from memory; None when the page must be built."""
    headers = _headers(key, anonymous=anonymous)
    if request.headers.get("if-none-match") == headers["ETag"]:
        return Response(status_code=304, headers=headers)
    cached = _PAGES.get(key) if anonymous else None
    return HTMLResponse(cached, headers=headers) if cached is not None else None


@router.get("/public/sheets/{sheet_id}")
async def public_sheet(sheet_id: int, request: Request, actor=Depends(current_actor),
                       db: Session = Depends(get_db)) -> Response:
    # The public's most visited page: answered on the event loop when the version is
    # trusted and its page cached (no I/O at all), in the thread pool otherwise.
    if actor is None:
        key = _trusted_key(request, sheet_id)
        answer = _answer(request, key, anonymous=True) if key is not None else None
        if answer is not None:
            return answer
    return await run_in_threadpool(_public_sheet, sheet_id, request, actor is None, db)


def _public_sheet(sheet_id: int, request: Request, anonymous: bool, db: Session) -> Response:
    key = _read_key(request, db, sheet_id, anonymous=anonymous)
    answer = _answer(request, key, anonymous=anonymous)
    if answer is not None:
        return answer
    p = public.get_published(db, sheet_id=sheet_id)
    assert p.sheet is not None
    page = render_page(request, "public_sheet.html", {"p": p, "view": build_view(p.sheet)},
                       headers=_headers(key, anonymous=anonymous))
    if anonymous:
        _PAGES.put(key, bytes(page.body))
    return page
