"""Who is calling, per request: a database session, the actor, and the CSRF check.

Two ways in: the session cookie (browsers; state-changing requests must carry
the session's CSRF token, as header ``X-CSRF-Token`` or form field
``csrf_token``) or ``Authorization: Bearer <token>`` (API clients; no CSRF
token, since a browser never adds that header by itself). The decision *whether*
the actor may do something is the services' (``services.policy``); this module
only establishes who the actor is.
"""
from __future__ import annotations

from collections.abc import AsyncIterator

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from ..errors import AuthenticationFailed, Forbidden
from ..services.policy import Actor
from ..services.web_sessions import csrf_matches, resolve_session
from ..storage.models import User

__all__ = ["SESSION_COOKIE", "get_db", "current_actor", "resolve_actor", "require_actor", "require_csrf",
           "CSRF_HEADER", "SAFE_METHODS"]

SESSION_COOKIE = "jixiao_session"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def get_db(request: Request) -> AsyncIterator[Session]:
    """One database session per request, closed (and rolled back if uncommitted) after it.

    Run on the event loop, not in the thread pool: making a session does no I/O (it
    connects at its first query), and closing one only returns its connection to the
    pool, since the services end every transaction they begin. Two thread-pool hops
    per request fewer."""
    db = request.app.state.sessions()
    try:
        yield db
    finally:
        db.close()


async def current_actor(request: Request, db: Session = Depends(get_db)) -> Actor | None:
    """The signed-in actor, or None (anonymous). A bearer token that is wrong is an
    error (401) rather than anonymity: the client meant to sign in. A request with no
    credentials is answered on the event loop; one with credentials is looked up in
    the thread pool (``resolve_actor``), once per request."""
    if hasattr(request.state, "actor"):
        return request.state.actor
    if not request.headers.get("authorization") and not request.cookies.get(SESSION_COOKIE):
        return resolve_actor(request, db)   # no database work: anonymous at once
    return await run_in_threadpool(resolve_actor, request, db)


def resolve_actor(request: Request, db: Session) -> Actor | None:
    """``current_actor`` for code already off the event loop (a route that reads its
    page in one thread-pool call); remembered on the request."""
    if hasattr(request.state, "actor"):
        return request.state.actor
    actor: Actor | None = None
    request.state.user = None
    request.state.web_session = None
    request.state.via = None
    authorization = request.headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        from ..services.accounts import verify_token

        actor = verify_token(db, token=authorization[7:].strip())
        request.state.user, request.state.via = db.get(User, actor.user_id), "token"
        db.commit()
        _keep(db, request.state.user)
    else:
        found = resolve_session(db, cookie_value=request.cookies.get(SESSION_COOKIE))
        if found is not None:
            from ..services.accounts import actor_of

            user, web_session = found   # plain values, not ORM objects: nothing to keep readable
            actor = actor_of(user)
            request.state.user, request.state.web_session, request.state.via = user, web_session, "cookie"
    request.state.actor = actor
    return actor


def _keep(db: Session, *objects: object) -> None:
    """Keep the caller's account (with its org) and session readable for the whole
    request. A service's write expires every object of the database session and a
    refused one rolls it back; the session is closed before an error page is rendered,
    so the page (which shows who is signed in and carries the CSRF token) would
    otherwise reload them from a closed session and fail with a 500."""
    for obj in objects:
        if isinstance(obj, User) and obj.org is not None and obj.org in db:
            db.expunge(obj.org)
        if obj is not None and obj in db:
            db.expunge(obj)


async def require_actor(actor: Actor | None = Depends(current_actor)) -> Actor:
    if actor is None:
        raise AuthenticationFailed("请先登录")
    return actor


async def require_csrf(request: Request, db: Session = Depends(get_db)) -> None:
    """Refuse a state-changing request that rides on the session cookie without the
    session's CSRF token. Also refuses any cross-origin state-changing request
    (an ``Origin`` header naming another host), signed in or not. A safe request
    is not looked at (and does not make the caller be looked up here)."""
    if request.method in SAFE_METHODS:
        return
    await current_actor(request, db)
    origin = request.headers.get("origin")
    if origin and origin != "null" and _host_of(origin) != request.headers.get("host", ""):
        raise Forbidden("csrf", "从其他网站提交请求")
    if getattr(request.state, "via", None) != "cookie":
        return
    token = request.headers.get(CSRF_HEADER)
    if token is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get("csrf_token")
        token = value if isinstance(value, str) else None
    if not csrf_matches(request.state.web_session, token):
        raise Forbidden("csrf", "提交: 缺少或错误的 CSRF 令牌, 请刷新页面后重试")


def _host_of(origin: str) -> str:
    return origin.split("://", 1)[-1].rstrip("/")
