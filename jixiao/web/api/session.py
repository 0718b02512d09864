"""Signing in and out, who am I, and the health check."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.orm import Session

from ...errors import AuthenticationFailed
from ...services.policy import Actor
from ...storage.models import User
from ..auth import SESSION_COOKIE, get_db, require_actor

__all__ = ["router", "health", "set_session_cookie", "user_json"]

router = APIRouter()     # under /api/v1
health = APIRouter()     # at the root


class Credentials(BaseModel):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=1000)


def user_json(user: Any) -> dict[str, Any]:
    return {"username": user.username, "display_name": user.display_name, "role": user.role,
            "org": {"id": user.org_id, "name": user.org.name, "kind": user.org.kind}}


def set_session_cookie(request: Request, response: Response, cookie_value: str, max_age: int) -> None:
    settings = request.app.state.settings
    # Secure in production (served over TLS behind nginx); plain http on a laptop.
    response.set_cookie(SESSION_COOKIE, cookie_value, max_age=max_age, httponly=True, samesite="lax",
                        secure=settings.production, path="/")


@health.get("/healthz", tags=["运维"], summary="健康检查")
def healthz(request: Request, db: Session = Depends(get_db)) -> dict[str, str]:
    """200 with the database reachable; 503 (``database_unavailable``) otherwise."""
    from ...errors import DatabaseUnavailable

    try:
        db.execute(text("SELECT 1"))
    except Exception as e:  # any driver error means: not healthy
        url = request.app.state.engine.url.render_as_string(hide_password=True)
        raise DatabaseUnavailable(url, type(e).__name__) from None
    return {"status": "ok", "database": db.get_bind().dialect.name}


@router.post("/session", tags=["登录"], summary="登录")
def sign_in(body: Credentials, request: Request, response: Response,
            db: Session = Depends(get_db)) -> dict[str, Any]:
    from ...services.accounts import authenticate
    from ...services.web_sessions import open_session

    settings = request.app.state.settings
    actor = authenticate(db, username=body.username, password=body.password)
    assert actor.user_id is not None   # a signed-in account, never the command line
    opened = open_session(db, user_id=actor.user_id, hours=settings.session_hours)
    set_session_cookie(request, response, opened.cookie_value, settings.session_hours * 3600)
    return {"user": user_json(db.get(User, actor.user_id)), "csrf_token": opened.csrf_token}


@router.delete("/session", status_code=204, tags=["登录"], summary="退出")
def sign_out(request: Request, actor: Actor = Depends(require_actor), db: Session = Depends(get_db)) -> Response:
    from ...services.web_sessions import close_session

    close_session(db, cookie_value=request.cookies.get(SESSION_COOKIE))
    db.commit()
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/me", tags=["登录"], summary="当前用户")
def me(request: Request, actor: Actor = Depends(require_actor)) -> dict[str, Any]:
    user = request.state.user
    if user is None:  # pragma: no cover - require_actor guarantees one
        raise AuthenticationFailed("请先登录")
    return user_json(user)
