"""HTML pages: sign-in, the inbox, the sheets, the API documentation.

Every action a page offers exists in the JSON API too (web.md); pages call the
same services. Forms post with the session's CSRF token as a hidden field; htmx
requests send it as a header (static/app.js).
"""
from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from ..errors import AuthenticationFailed, LoginThrottled
from ..services.policy import Actor
from .auth import SESSION_COOKIE, current_actor, get_db, require_csrf
from .templating import render_page

__all__ = ["router"]

router = APIRouter(dependencies=[Depends(require_csrf)], include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect to another host."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def login_redirect(request: Request) -> RedirectResponse:
    return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/", actor: Actor | None = Depends(current_actor)) -> Response:
    if actor is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return render_page(request, "login.html", {"next": _safe_next(next), "error": "", "username": ""})


@router.post("/login", response_class=HTMLResponse)
def login_submit(request: Request, username: str = Form(""), password: str = Form(""), next: str = Form("/"),
                 db: Session = Depends(get_db)) -> Response:
    from ..services.accounts import authenticate
    from ..services.web_sessions import open_session
    from .api.session import set_session_cookie

    settings = request.app.state.settings
    try:
        actor = authenticate(db, username=username.strip(), password=password)
    except (AuthenticationFailed, LoginThrottled) as e:
        status = 429 if isinstance(e, LoginThrottled) else 401
        return render_page(request, "login.html", {"next": _safe_next(next), "error": e.message,
                                                   "username": username}, status_code=status)
    assert actor.user_id is not None   # a signed-in account, never the command line
    opened = open_session(db, user_id=actor.user_id, hours=settings.session_hours)
    response = RedirectResponse(_safe_next(next), status_code=303)
    set_session_cookie(request, response, opened.cookie_value, settings.session_hours * 3600)
    return response


@router.post("/logout")
def logout(request: Request, db: Session = Depends(get_db)) -> Response:
    from ..services.web_sessions import close_session

    close_session(db, cookie_value=request.cookies.get(SESSION_COOKIE))
    db.commit()
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> Response:
    return render_page(request, "api_docs.html", {})
