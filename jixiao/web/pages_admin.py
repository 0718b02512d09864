"""Administration and one's own account, as pages: the org tree and accounts
(admin), the password and API tokens (everyone). Each form calls one service of
``services.accounts``, which decides who may do it."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from ..errors import JixiaoError
from ..services import accounts
from ..services.policy import Actor
from .auth import SESSION_COOKIE, current_actor, get_db, require_csrf
from .pages_sheets import _form, _signed_in
from .templating import render_page

__all__ = ["router"]

router = APIRouter(dependencies=[Depends(require_csrf)], include_in_schema=False)


def _admin_page(request: Request, db: Session, actor: Actor, **extra: Any) -> Response:
    status = extra.pop("status", 200)
    context = {"orgs": accounts.list_orgs(db), "users": accounts.list_users(db, actor=actor), "error": "",
               "done": "", "password": None, **extra}
    return render_page(request, "admin.html", context, status_code=status)


@router.get("/admin")
def admin(request: Request, actor: Actor | None = Depends(current_actor), db: Session = Depends(get_db)) -> Response:
    actor = _signed_in(request, actor)
    return _admin_page(request, db, actor)


@router.post("/admin/orgs")
async def admin_add_org(request: Request, actor: Actor | None = Depends(current_actor),
                        db: Session = Depends(get_db)) -> Response:
    actor = _signed_in(request, actor)
    form = await _form(request)
    try:
        org = accounts.create_org(db, actor=actor, name=str(form.get("name", "")), kind=str(form.get("kind", "")),
                                  parent=str(form.get("parent", "")) or None)
    except JixiaoError as e:
        return _failed(request, db, actor, e)
    return _admin_page(request, db, actor, done=f"已添加机构“{org.name}”")


@router.post("/admin/users")
async def admin_add_user(request: Request, actor: Actor | None = Depends(current_actor),
                         db: Session = Depends(get_db)) -> Response:
    actor = _signed_in(request, actor)
    form = await _form(request)
    try:
        created = accounts.create_user(db, actor=actor, username=str(form.get("username", "")),
                                       org=str(form.get("org", "")), role=str(form.get("role", "")),
                                       display_name=str(form.get("display_name", "")))
    except JixiaoError as e:
        return _failed(request, db, actor, e)
    return _admin_page(request, db, actor, done=f"已添加账号“{created.user.username}”",
                       password=(created.user.username, created.generated_password))


@router.post("/admin/users/{username}/active")
async def admin_set_active(username: str, request: Request, actor: Actor | None = Depends(current_actor),
                           db: Session = Depends(get_db)) -> Response:
    actor = _signed_in(request, actor)
    form = await _form(request)
    active = str(form.get("active", "")) == "1"
    try:
        accounts.set_user_active(db, actor=actor, username=username, active=active)
    except JixiaoError as e:
        return _failed(request, db, actor, e)
    return _admin_page(request, db, actor, done=f"已{'启用' if active else '停用'}账号“{username}”")


@router.post("/admin/users/{username}/password")
def admin_reset_password(username: str, request: Request, actor: Actor | None = Depends(current_actor),
                         db: Session = Depends(get_db)) -> Response:
    actor = _signed_in(request, actor)
    password = accounts.generate_password()
    try:
        accounts.change_password(db, actor=actor, username=username, new_password=password)
    except JixiaoError as e:
        return _failed(request, db, actor, e)
    return _admin_page(request, db, actor, done=f"已重置“{username}”的密码", password=(username, password))


def _failed(request: Request, db: Session, actor: Actor, e: JixiaoError) -> Response:
    status = getattr(e, "status", 422)
    if status in (403, 404):
        raise e
    return _admin_page(request, db, actor, error=e.message, status=status)


# ------------------------------------------------------------------ own account

def _account_page(request: Request, db: Session, actor: Actor, **extra: Any) -> Response:
    status = extra.pop("status", 200)
    context = {"tokens": accounts.list_tokens(db, actor=actor, username=actor.username), "error": "", "done": "",
               "token": None, **extra}
    return render_page(request, "account.html", context, status_code=status)


@router.get("/account")
def account(request: Request, actor: Actor | None = Depends(current_actor), db: Session = Depends(get_db)) -> Response:
    return _account_page(request, db, _signed_in(request, actor))


@router.post("/account/password")
async def account_password(request: Request, actor: Actor | None = Depends(current_actor),
                           db: Session = Depends(get_db)) -> Response:
    actor = _signed_in(request, actor)
    form = await _form(request)
    new, again = str(form.get("new_password", "")), str(form.get("again", ""))
    if new != again:
        return _account_page(request, db, actor, error="两次输入的新密码不一致", status=422)
    try:
        accounts.change_password(db, actor=actor, username=actor.username, new_password=new,
                                 current_password=str(form.get("current_password", "")))
    except JixiaoError as e:
        return _account_page(request, db, actor, error=e.message, status=getattr(e, "status", 422))
    # Every session of the account ended with the change, this one too: sign in again.
    response = RedirectResponse("/login?next=/account", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/account/tokens")
async def account_new_token(request: Request, actor: Actor | None = Depends(current_actor),
                            db: Session = Depends(get_db)) -> Response:
    actor = _signed_in(request, actor)
    form = await _form(request)
    try:
        created = accounts.create_token(db, actor=actor, username=actor.username, name=str(form.get("name", ""))[:200])
    except JixiaoError as e:
        return _account_page(request, db, actor, error=e.message, status=getattr(e, "status", 422))
    return _account_page(request, db, actor, done="已创建 API 令牌", token=created.token)


@router.post("/account/tokens/{token_id}/revoke")
def account_revoke_token(token_id: int, request: Request, actor: Actor | None = Depends(current_actor),
                         db: Session = Depends(get_db)) -> Response:
    actor = _signed_in(request, actor)
    accounts.revoke_token(db, actor=actor, token_id=token_id)
    return _account_page(request, db, actor, done="已吊销令牌")
