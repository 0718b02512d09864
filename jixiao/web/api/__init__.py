"""The JSON API under ``/api/v1`` (web.md): each route parses, calls one service, answers.

Errors are never built here: services raise ``JixiaoError`` subclasses that carry
their status and code, and ``web/errors.py`` turns them into web.md's error shape.
Every state-changing route of the API passes the CSRF check (``auth.require_csrf``).
"""
from __future__ import annotations

from fastapi import APIRouter, Depends

from ..auth import require_csrf
from . import evaluation, monitoring, public, session, sheets

__all__ = ["router"]

router = APIRouter()
_v1 = APIRouter(prefix="/api/v1", dependencies=[Depends(require_csrf)])
_v1.include_router(session.router)
_v1.include_router(sheets.router)
_v1.include_router(public.router)
_v1.include_router(monitoring.router)
_v1.include_router(evaluation.router)
router.include_router(_v1)
router.include_router(session.health)
