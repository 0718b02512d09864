"""ASGI middleware: upload limit, security headers, one JSON log line per request.

Plain ASGI classes rather than Starlette's ``BaseHTTPMiddleware``: they do not
buffer streamed responses (the open-data exports stream) and cost less per call.
"""
from __future__ import annotations

import json
import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["UploadLimit", "UploadTooLarge", "SecurityHeaders", "RequestLog"]

access_log = logging.getLogger("jixiao.access")

# Everything the pages need is served by the app itself (no CDN); inline styles are
# allowed for htmx's request indicator and the form layouts, scripts never inline.
CONTENT_SECURITY_POLICY = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                           "script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; "
                           "form-action 'self'")
_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
]


class UploadTooLarge(Exception):
    """A request body over ``JIXIAO_MAX_UPLOAD_MB``; the error handler answers 413."""

    def __init__(self, limit: int):
        self.limit = limit
        super().__init__(limit)


class UploadLimit:
    """Refuse bodies over ``max_bytes`` before they are read whole: at once when
    ``Content-Length`` says so, otherwise as soon as the streamed bytes pass it."""

    def __init__(self, app: ASGIApp, *, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _send_too_large(send, self.max_bytes, scope)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise UploadTooLarge(self.max_bytes)
            return message

        await self.app(scope, limited, send)


async def _send_too_large(send: Send, limit: int, scope: Scope) -> None:
    from .errors import too_large_body

    status, headers, body = too_large_body(limit, api=str(scope.get("path", "")).startswith("/api/"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + \
                    [(k, v) for k, v in _HEADERS if k not in names]
            await send(message)

        await self.app(scope, receive, with_headers)


class RequestLog:
    """One JSON line per request on the ``jixiao.access`` logger: method, path,
    status, duration in milliseconds, bytes sent."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        state: dict[str, Any] = {"status": 500, "bytes": 0}

        async def watched(message: Message) -> None:
            if message["type"] == "http.response.start":
                state["status"] = message["status"]
            elif message["type"] == "http.response.body":
                state["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, watched)
        finally:
            if access_log.isEnabledFor(logging.INFO):
                access_log.info(json.dumps({
                    "at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "method": scope.get("method"),
                    "path": scope.get("path"), "client": (scope.get("client") or ("",))[0],
                    "status": state["status"], "ms": round((time.perf_counter() - start) * 1000, 1),
                    "bytes": state["bytes"]}, ensure_ascii=False))
