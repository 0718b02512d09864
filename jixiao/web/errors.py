"""Errors become responses in this one place.

Under ``/api/`` every error is ``{"error": {"code", "message", "details"}}``
(web.md); elsewhere a readable Chinese page with the same message. The status
comes from the error itself (``JixiaoError.status`` of the storage and account
layer), from the kind of import failure, or from the HTTP layer.
"""
from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import DocumentTooLarge, ImportFailed, InvalidSheetJson, JixiaoError, RendererUnavailable
from .middleware import UploadTooLarge

__all__ = ["install_error_handlers", "error_response", "too_large_body", "HTTP_MESSAGES"]

log = logging.getLogger("jixiao.web")

HTTP_MESSAGES = {
    400: "请求无效",
    401: "请先登录",
    403: "没有权限执行此操作",
    404: "页面或资源不存在",
    405: "不支持此请求方法",
    406: "无法提供所要求的格式",
    409: "当前状态不允许此操作",
    412: "版本冲突",
    413: "上传的文件太大",
    415: "不支持的内容类型",
    422: "请求的内容无效",
    428: "缺少 If-Match 头: 保存时必须给出所基于的版本",
    429: "请求过于频繁, 请稍后再试",
    500: "服务器内部错误, 已记录。请稍后再试或联系管理员",
    503: "服务暂时不可用",
}
_HTTP_CODES = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 406: "not_acceptable", 409: "state_conflict",
               412: "version_conflict", 413: "too_large", 415: "unsupported_media_type",
               422: "invalid", 428: "precondition_required", 429: "too_many_requests",
               500: "internal_error", 503: "unavailable"}


def wants_json(request: Request) -> bool:
    if request.url.path.startswith("/api/") or request.url.path == "/healthz":
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def error_response(request: Request, status: int, code: str, message: str,
                   details: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> Response:
    if wants_json(request):
        return JSONResponse({"error": {"code": code, "message": message, "details": details or {}}},
                            status_code=status, headers=headers)
    from .templating import render_page

    return render_page(request, "error.html", {"status": status, "message": message, "details": details or {}},
                       status_code=status, headers=headers)


def too_large_body(limit: int, *, api: bool) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """The 413 answer sent before the app has seen the request (``UploadLimit``)."""
    message = f"上传的文件超过上限 {limit // (1024 * 1024)} MB, 未读取也未保存"
    if api:
        body = json.dumps({"error": {"code": "too_large", "message": message, "details": {"limit": limit}}},
                          ensure_ascii=False).encode()
        return 413, [(b"content-type", b"application/json"), (b"connection", b"close")], body
    page = (f"<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>413 文件太大</title>"
            f"<p>{message}</p></html>").encode()
    return 413, [(b"content-type", b"text/html; charset=utf-8"), (b"connection", b"close")], page


def status_of(e: JixiaoError) -> tuple[int, str]:
    """HTTP status and error code of a jixiao error."""
    status = getattr(e, "status", None)
    code = getattr(e, "code", None)
    if status and code:
        return status, code
    if isinstance(e, DocumentTooLarge):
        return 422, "document_too_large"
    if isinstance(e, InvalidSheetJson):
        return 422, "invalid_sheet"
    if isinstance(e, ImportFailed):
        return 422, "unreadable_document"
    if isinstance(e, RendererUnavailable):
        return 503, "renderer_unavailable"
    return 422, "invalid"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(JixiaoError)
    async def jixiao_error(request: Request, e: JixiaoError) -> Response:
        status, code = status_of(e)
        headers = {}
        retry = getattr(e, "retry_after", None)
        if retry is not None:
            headers["Retry-After"] = str(int(retry))
        return error_response(request, status, code, e.message, getattr(e, "details", None), headers or None)

    @app.exception_handler(UploadTooLarge)
    async def upload_too_large(request: Request, e: UploadTooLarge) -> Response:
        return error_response(request, 413, "too_large",
                              f"上传的文件超过上限 {e.limit // (1024 * 1024)} MB, 未保存", {"limit": e.limit},
                              headers={"Connection": "close"})

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, e: StarletteHTTPException) -> Response:
        message = e.detail if isinstance(e.detail, str) and _is_chinese(e.detail) else \
            HTTP_MESSAGES.get(e.status_code, "请求无法完成")
        return error_response(request, e.status_code, _HTTP_CODES.get(e.status_code, "error"), message,
                              headers=getattr(e, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, e: RequestValidationError) -> Response:
        fields = [{"where": ".".join(str(p) for p in err.get("loc", ())), "problem": _problem(err)}
                  for err in e.errors()]
        first = fields[0] if fields else {"where": "", "problem": "格式不正确"}
        return error_response(request, 422, "invalid", f"请求参数无效: {first['where']} {first['problem']}".strip(),
                              {"fields": fields})

    async def out_of_range(request: Request, e: Exception) -> Response:
        # A value the database cannot even compare with: an id, version or offset beyond
        # the integer columns (SQLite binds 64 bits, PostgreSQL's INTEGER is 32), a NUL
        # character in a text (PostgreSQL). It names nothing that can exist: the request
        # is invalid, the server is not broken.
        return error_response(request, 422, "invalid", "请求中的数值超出范围或含有不允许的字符")

    app.add_exception_handler(OverflowError, out_of_range)
    app.add_exception_handler(DataError, out_of_range)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, e: Exception) -> Response:
        log.exception("internal error on %s %s", request.method, request.url.path)
        return error_response(request, 500, "internal_error", HTTP_MESSAGES[500])


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


_PROBLEMS = {"missing": "缺失", "string_type": "应为字符串", "int_type": "应为整数", "int_parsing": "应为整数",
             "json_invalid": "不是有效的 JSON", "dict_type": "应为对象", "list_type": "应为列表",
             "bool_type": "应为布尔值", "string_too_long": "太长", "greater_than_equal": "太小",
             "less_than_equal": "太大", "model_attributes_type": "应为对象", "enum": "不是允许的值"}


def _problem(err: dict[str, Any]) -> str:
    return _PROBLEMS.get(str(err.get("type")), "格式不正确")
