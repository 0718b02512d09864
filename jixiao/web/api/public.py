"""The public API (no sign-in): published sheets, search, open data, the catalogue.

Only ``services.public`` is called here: it reads published versions and nothing
else, so no id, filter or export path can reach an unpublished sheet or version.
"""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session

from ...errors import InvalidRequest
from ...services import public
from ..auth import get_db

__all__ = ["router", "public_export"]

router = APIRouter(prefix="/public", tags=["公开"])
EXPORTS = ("xlsx", "docx", "pdf", "html", "json", "csv")


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


@router.get("/sheets", summary="已公开的表: 按年度、单位筛选, 或全文搜索")
def list_public(request: Request, year: int | None = Query(None, ge=2000, le=2100),
                unit: str | None = Query(None, max_length=100), q: str | None = Query(None, max_length=100),
                limit: int = Query(50, ge=1, le=200), offset: int = Query(0, ge=0),
                db: Session = Depends(get_db)) -> dict[str, Any]:
    items, total = public.list_published(db, year=year, unit=unit, q=q, limit=limit, offset=offset)
    return {"items": [i.to_dict(base=_base(request)) for i in items], "total": total}


@router.get("/sheets/{sheet_id}", summary="一份已公开的表 (jixiao/sheet@1)")
def get_public(sheet_id: int, request: Request, db: Session = Depends(get_db)) -> dict[str, Any]:
    from ...model.codec import sheet_to_dict

    p = public.get_published(db, sheet_id=sheet_id)
    assert p.sheet is not None
    return {**p.to_dict(base=_base(request)), "sheet": sheet_to_dict(p.sheet)}


@router.get("/sheets/{sheet_id}/export/{fmt}", summary="下载已公开的表: xlsx、docx、pdf、html、json、csv")
def export_public(sheet_id: int, fmt: str, db: Session = Depends(get_db)) -> Response:
    return public_export(db, sheet_id, fmt)


def public_export(db: Session, sheet_id: int, fmt: str) -> Response:
    from ...services.authoring import Export
    from ...services.documents import render_document, sheet_json
    from .sheets import download

    if fmt not in EXPORTS:
        raise InvalidRequest(f"不支持的下载格式“{fmt}”, 可选: {'、'.join(EXPORTS)}")
    p = public.get_published(db, sheet_id=sheet_id)
    assert p.sheet is not None
    name = f"{p.title or '绩效目标表'}-公开版"
    if fmt == "csv":
        return download(Export(public.sheet_csv(db, sheet_id=sheet_id), "text/csv; charset=utf-8", f"{name}.csv"))
    if fmt == "json":
        return download(Export(sheet_json(p.sheet).encode(), "application/json; charset=utf-8", f"{name}.json"))
    from ...render import renderers

    return download(Export(render_document(sheet=p.sheet, format=fmt), renderers()[fmt].media_type,
                           f"{name}.{fmt}"))


@router.get("/catalog", summary="开放数据目录")
def catalog(request: Request, db: Session = Depends(get_db)) -> dict[str, Any]:
    return public.catalog(db, base=_base(request))


@router.get("/export/{year}.{fmt}", summary="整年的开放数据: CSV 或 JSON Lines (流式)")
def export_year(request: Request, year: int = Path(ge=2000, le=2100), fmt: str = Path(pattern="^(csv|jsonl)$")) \
        -> StreamingResponse:
    def chunks():
        # The stream outlives the request's own session: it opens one of its own.
        with request.app.state.sessions() as session:
            produce = public.year_csv if fmt == "csv" else public.year_jsonl
            yield from produce(session, year=year)

    media = "text/csv; charset=utf-8" if fmt == "csv" else "application/x-ndjson; charset=utf-8"
    return StreamingResponse(chunks(), media_type=media,
                             headers={"Content-Disposition": f'attachment; filename="jixiao-{year}.{fmt}"'})
