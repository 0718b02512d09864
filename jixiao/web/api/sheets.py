"""Stored sheets over the API: list, create (JSON or any uploaded file), read, save
with ``If-Match``, findings, workflow actions, history, versions, diff, export."""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from ...errors import InvalidRequest, InvalidSheetJson, VersionConflict
from ...model.codec import diagnostic_to_dict
from ...services import authoring, sheets, workflow
from ...services.policy import Actor
from ..auth import get_db, require_actor

__all__ = ["router", "sheet_item", "stored_json", "event_json", "read_upload"]

router = APIRouter(prefix="/sheets", tags=["绩效目标表"])


def sheet_item(info: sheets.SheetInfo) -> dict[str, Any]:
    return {"id": info.id, "year": info.year, "unit": info.unit, "title": info.title, "kind": info.kind,
            "status": info.state, "version": info.version, "updated_at": info.updated_at.isoformat()}


def stored_json(stored: sheets.StoredVersion) -> dict[str, Any]:
    return {"id": stored.info.id, "status": stored.info.state, "version": stored.version.version,
            "sheet": stored.document}


def event_json(e: workflow.Event) -> dict[str, Any]:
    return {"at": e.at.isoformat(), "user": e.user, "action": e.action, "from": e.from_state, "to": e.to_state,
            "comment": e.comment, "version": e.version,
            "comments": [{"where": c.where, "text": c.text} for c in e.comments]}


def etag(version: int) -> str:
    return f'"{version}"'


def _expected_version(if_match: str | None) -> int:
    """The version an ``If-Match`` names: ``"3"``, ``W/"3"`` or ``3``."""
    if if_match is None:
        from fastapi import HTTPException

        raise HTTPException(428)
    value = if_match.strip().removeprefix("W/").strip('"')
    if not value.isdigit():
        raise InvalidRequest(f"If-Match 应为版本号 (例如 \"3\"), 实为 {if_match[:40]}")
    return int(value)


def _json_body(body: bytes) -> dict[str, Any]:
    """A request body of sheet JSON, parsed once with the codec's guards (depth,
    NaN and Infinity, huge integers: ``model.schema.parse``)."""
    from ...model.schema import ContractError, parse

    try:
        document = parse(body.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InvalidSheetJson("请求正文", "不是 UTF-8 编码的 JSON") from None
    except ContractError as e:
        raise InvalidSheetJson("请求正文", str(e)) from None
    if not isinstance(document, dict):
        raise InvalidSheetJson("请求正文", "应为 jixiao/sheet@1 对象")
    return document


def _sheet_body(document: dict[str, Any]) -> Any:
    from ...model.codec import ContractError, sheet_from_dict

    try:
        return sheet_from_dict(document)
    except ContractError as e:
        raise InvalidSheetJson("请求正文", str(e)) from None


async def read_upload(request: Request) -> tuple[bytes, str]:
    """The file of a multipart upload (field ``file``): its bytes and name."""
    form = await request.form(max_files=1, max_fields=20)
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise InvalidRequest("请在表单字段 file 中上传文件")
    data = await upload.read()
    return data, upload.filename or "上传的文件"


@router.get("", summary="列出可见的表")
def list_sheets(year: int | None = None, unit: int | None = None, status: str | None = None,
                q: str | None = Query(None, max_length=100), limit: int = Query(50, ge=1, le=500),
                offset: int = Query(0, ge=0), actor: Actor = Depends(require_actor),
                db: Session = Depends(get_db)) -> dict[str, Any]:
    items, total = sheets.list_sheets(db, actor=actor, year=year, unit_org_id=unit, state=status,
                                      limit=limit, offset=offset)
    return {"items": [sheet_item(i) for i in items], "total": total}


#: The bodies the handlers read themselves (raw JSON or a multipart upload), described
#: for /openapi.json: clients (and schemathesis) see what to send.
_SHEET_JSON = {"schema": {"type": "object", "description": "jixiao/sheet@1 (docs/sheet.schema.json)"}}
_CREATE_BODY = {"required": True, "content": {
    "application/json": _SHEET_JSON,
    "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary", "description": "任意可导入的文件"}}}}}}
_SAVE_BODY = {"required": True, "content": {"application/json": _SHEET_JSON}}


@router.post("", status_code=201, summary="新建: 表 JSON 或上传任意可导入的文件",
             openapi_extra={"requestBody": _CREATE_BODY})
async def create_sheet(request: Request, actor: Actor = Depends(require_actor),
                       db: Session = Depends(get_db)) -> Response:
    from starlette.concurrency import run_in_threadpool

    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        data, name = await read_upload(request)
        # Importing is CPU work of up to seconds: off the event loop.
        created = await run_in_threadpool(authoring.create_from_upload, db, actor=actor, data=data, name=name)
    else:
        sheet = _sheet_body(_json_body(await request.body()))
        created = await run_in_threadpool(authoring.create_from_document, db, actor=actor, sheet=sheet)
    stored = created.stored
    body_out = {"id": stored.info.id, "version": stored.version.version, "status": stored.info.state,
                "imported_as": created.imported_as,
                "diagnostics": [diagnostic_to_dict(d) for d in stored.sheet.diagnostics]}
    return JSONResponse(body_out, status_code=201, headers={"Location": f"/api/v1/sheets/{stored.info.id}",
                                                            "ETag": etag(stored.version.version)})


class CopyRequest(BaseModel):
    year: int = Field(ge=2000, le=2100)


@router.post("/{sheet_id}/copy", status_code=201, summary="上年的表复制为新一年的草稿")
def copy_sheet(sheet_id: int, body: CopyRequest, actor: Actor = Depends(require_actor),
               db: Session = Depends(get_db)) -> Response:
    created = authoring.copy_forward(db, actor=actor, sheet_id=sheet_id, year=body.year)
    stored = created.stored
    return JSONResponse(stored_json(stored), status_code=201,
                        headers={"Location": f"/api/v1/sheets/{stored.info.id}", "ETag": etag(stored.version.version)})


@router.get("/{sheet_id}", summary="读取表 (最新版本)")
def get_sheet(sheet_id: int, response: Response, actor: Actor = Depends(require_actor),
              db: Session = Depends(get_db)) -> dict[str, Any]:
    stored = sheets.get_sheet(db, actor=actor, sheet_id=sheet_id)
    response.headers["ETag"] = etag(stored.version.version)
    return stored_json(stored)


@router.put("/{sheet_id}", summary="保存新版本 (需要 If-Match)", openapi_extra={"requestBody": _SAVE_BODY})
async def save_sheet(sheet_id: int, request: Request, if_match: str | None = Header(None),
                     actor: Actor = Depends(require_actor), db: Session = Depends(get_db)) -> Response:
    expected = _expected_version(if_match)
    document = _json_body(await request.body())
    if "sheet" in document and "schema" not in document and isinstance(document["sheet"], dict):
        document = document["sheet"]          # the GET answer sent back as is
    try:
        stored = sheets.save_version(db, actor=actor, sheet_id=sheet_id, document=document,
                                     expected_version=expected)
    except VersionConflict as e:
        current = sheets.get_sheet(db, actor=actor, sheet_id=sheet_id)
        e.details = {"current_version": current.version.version, "your_version": expected,
                     "sheet": current.document, "author": current.version.author,
                     "saved_at": current.version.created_at.isoformat()}
        raise
    return JSONResponse(stored_json(stored), headers={"ETag": etag(stored.version.version)})


@router.get("/{sheet_id}/findings", summary="审核发现")
def findings(sheet_id: int, version: int | None = None, actor: Actor = Depends(require_actor),
             db: Session = Depends(get_db)) -> dict[str, Any]:
    return authoring.stored_findings(db, actor=actor, sheet_id=sheet_id, version=version).to_dict()


class Remark(BaseModel):
    where: str = Field(max_length=200)
    text: str = Field(max_length=workflow.MAX_COMMENT)


class ActionRequest(BaseModel):
    comment: str = Field("", max_length=workflow.MAX_COMMENT)
    comments: list[Remark] = Field(default_factory=list, max_length=500)
    approval_number: str | None = Field(None, max_length=100)


@router.post("/{sheet_id}/actions/{action}", summary="流程操作: submit、withdraw、pass、return、approve、publish、adjust、comment")
def perform(sheet_id: int, action: str, body: ActionRequest | None = None, actor: Actor = Depends(require_actor),
            db: Session = Depends(get_db)) -> dict[str, Any]:
    body = body or ActionRequest(comment="", approval_number=None)
    result = workflow.perform_action(db, actor=actor, sheet_id=sheet_id, action=action, comment=body.comment,
                                     comments=[c.model_dump() for c in body.comments],
                                     approval_number=body.approval_number)
    out = {"status": result.info.state, "version": result.info.version, "event": event_json(result.event)}
    if "approval_number" in result.event.detail:
        out["approval_number"] = result.event.detail["approval_number"]
    return out


@router.get("/{sheet_id}/history", summary="流程记录")
def history(sheet_id: int, actor: Actor = Depends(require_actor), db: Session = Depends(get_db)) -> dict[str, Any]:
    return {"events": [event_json(e) for e in workflow.sheet_history(db, actor=actor, sheet_id=sheet_id)]}


@router.get("/{sheet_id}/versions/{number}", summary="某一版本")
def version(sheet_id: int, number: int, response: Response, actor: Actor = Depends(require_actor),
            db: Session = Depends(get_db)) -> dict[str, Any]:
    stored = sheets.get_version(db, actor=actor, sheet_id=sheet_id, version=number)
    response.headers["ETag"] = etag(stored.version.version)
    return stored_json(stored)


@router.get("/{sheet_id}/diff", summary="两个版本的差异")
def diff(sheet_id: int, from_: int = Query(..., alias="from", ge=1), to: int = Query(..., ge=1),
         actor: Actor = Depends(require_actor), db: Session = Depends(get_db)) -> dict[str, Any]:
    changes = authoring.compare_versions(db, actor=actor, sheet_id=sheet_id, older=from_, newer=to)
    return {"from": from_, "to": to, **changes.to_dict()}


@router.get("/{sheet_id}/export/{fmt}", summary="下载: xlsx、docx、pdf、html、json")
def export(sheet_id: int, fmt: str, version: int | None = None, actor: Actor = Depends(require_actor),
           db: Session = Depends(get_db)) -> Response:
    return download(authoring.export_version(db, actor=actor, sheet_id=sheet_id, fmt=fmt, version=version))


def download(result: authoring.Export) -> Response:
    # RFC 6266/5987: an ASCII fallback and the UTF-8 name for browsers that read it.
    disposition = f"attachment; filename=\"sheet.{result.filename.rsplit('.', 1)[-1]}\"; " \
                  f"filename*=UTF-8''{quote(result.filename)}"
    return Response(result.data, media_type=result.media_type, headers={"Content-Disposition": disposition})
