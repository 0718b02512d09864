"""Organisations, accounts, sign-in and API tokens (web.md: "Organisations and roles").

Every function takes a ``Session`` and keyword arguments, is one unit of work
(services/transaction.py), checks ``policy.can`` first and raises only
``JixiaoError`` subclasses. The command line acts as ``policy.SYSTEM``.

Sign-in (``authenticate``):

* passwords are argon2id hashes (argon2-cffi's defaults); a hash made with older
  parameters is replaced by a new one at the next successful sign-in;
* an unknown user name costs the same argon2 verification as a wrong password
  (against a dummy hash) and gets the same message, so neither timing nor text tells
  which names exist;
* ``MAX_FAILURES`` failed sign-ins for one user name within ``FAILURE_WINDOW`` lock
  that name for ``LOCK_TIME`` — even the right password is refused then. The counters
  are rows of ``login_throttles`` keyed by the typed name (existing or not), so every
  worker and every server sees them.

API tokens are ``jx_`` + 43 random URL-safe characters (256 bits); only their
SHA-256 is stored, with the first characters as ``prefix`` to recognise them.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
import secrets
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..errors import AlreadyExists, AuthenticationFailed, Forbidden, InvalidRequest, LoginThrottled, NotFound
from ..storage.models import ORG_KINDS, ROLES, ApiToken, AuditEvent, LoginThrottle, Organisation, User, utcnow
from . import transaction
from .policy import SYSTEM, Actor, OrgRef, UserRef, can

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from .web_sessions import SignedIn

__all__ = ["OrgInfo", "UserInfo", "CreatedUser", "CreatedToken", "create_org", "list_orgs",
           "create_user", "create_token", "authenticate", "verify_token", "actor_for_user",
           "generate_password", "MAX_FAILURES", "FAILURE_WINDOW", "LOCK_TIME",
           "MIN_PASSWORD_LENGTH", "TOKEN_DAYS"]

MAX_FAILURES = 5
FAILURE_WINDOW = dt.timedelta(minutes=15)
LOCK_TIME = dt.timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 8
#: Default lifetime of an API token; 0 days means it never expires.
TOKEN_DAYS = 365
TOKEN_PREFIX = "jx_"
#: last_used_at of a token is written at most this often, not on every request.
TOKEN_TOUCH = dt.timedelta(minutes=1)

ORG_KIND_NAMES = {"finance": "财政局", "department": "主管部门", "unit": "单位"}
ROLE_NAMES = {"preparer": "单位填报人", "dept_reviewer": "主管部门审核人", "finance": "财政审核人",
              "admin": "管理员"}
#: Which kinds of org each role can be bound to (web.md's "bound to" column).
ROLE_ORG_KINDS = {"preparer": ("unit", "department"), "dept_reviewer": ("department",),
                  "finance": ("finance",), "admin": ORG_KINDS}
#: The parent kind each org kind needs (None: the root).
PARENT_KIND = {"finance": None, "department": "finance", "unit": "department"}


@dataclass(frozen=True, slots=True)
class OrgInfo:
    id: int
    name: str
    kind: str
    parent_id: int | None
    parent_name: str | None


@dataclass(frozen=True, slots=True)
class UserInfo:
    id: int
    username: str
    role: str
    org_id: int
    org_name: str
    active: bool


@dataclass(frozen=True, slots=True)
class CreatedUser:
    user: UserInfo
    #: The password when it was generated (shown once), else None.
    generated_password: str | None


@dataclass(frozen=True, slots=True)
class CreatedToken:
    id: int
    #: The token itself: shown once, never stored.
    token: str
    prefix: str
    username: str
    expires_at: dt.datetime | None


# ------------------------------------------------------------------------- helpers

@lru_cache(maxsize=1)
def _hasher() -> Any:
    from argon2 import PasswordHasher

    return PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return str(_hasher().hash(secrets.token_urlsafe(16)))


def _verify(encoded: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return bool(_hasher().verify(encoded, password))
    except (VerificationError, InvalidHashError):
        return False


def hash_password(password: str) -> str:
    return str(_hasher().hash(password))


def generate_password() -> str:
    """A random password of 16 URL-safe characters (96 bits)."""
    return secrets.token_urlsafe(12)


def _clean_name(text: str, what: str, limit: int) -> str:
    name = unicodedata.normalize("NFKC", text or "").strip()
    if not name:
        raise InvalidRequest(f"{what}不能为空")
    if len(name) > limit:
        raise InvalidRequest(f"{what}过长 (最多 {limit} 个字符)")
    if any(unicodedata.category(c)[0] == "C" for c in name):
        raise InvalidRequest(f"{what}中不能有控制字符")
    return name


def _throttle_key(username: str) -> str:
    return unicodedata.normalize("NFKC", username or "").strip().casefold()[:100]


def _org_ref(org: Organisation) -> OrgRef:
    return OrgRef(org.id, org.parent_id, org.kind)


def _org_info(org: Organisation) -> OrgInfo:
    return OrgInfo(org.id, org.name, org.kind, org.parent_id,
                   org.parent.name if org.parent is not None else None)


def _user_info(user: User) -> UserInfo:
    return UserInfo(user.id, user.username, user.role, user.org_id, user.org.name, user.active)


def actor_of(user: User | SignedIn) -> Actor:
    return Actor(user_id=user.id, username=user.username, role=user.role, org_id=user.org_id,
                 org_kind=user.org.kind, org_parent_id=user.org.parent_id)


def find_org(session: Session, org: str | int) -> Organisation:
    """The organisation with this id (int) or name (str); ``NotFound`` otherwise."""
    if isinstance(org, int):
        found = session.get(Organisation, org)
    else:
        name = unicodedata.normalize("NFKC", org).strip()
        found = session.scalar(select(Organisation).where(Organisation.name == name))
    if found is None:
        raise NotFound("机构", org)
    return found


def _find_user(session: Session, username: str) -> User | None:
    name = unicodedata.normalize("NFKC", username or "").strip()
    return session.scalar(select(User).where(User.username == name))


def _audit(session: Session, actor: Actor, action: str, detail: dict[str, Any]) -> None:
    session.add(AuditEvent(actor_id=actor.user_id, actor_name=actor.username, action=action,
                           detail=detail))


# ------------------------------------------------------------------- organisations

def create_org(session: Session, *, actor: Actor, name: str, kind: str,
               parent: str | int | None = None) -> OrgInfo:
    """Add one node of the org tree. A department without ``parent`` goes under the
    财政局 (there is only one)."""
    if kind not in ORG_KINDS:
        raise InvalidRequest(f"机构类型“{kind}”无效, 可选: finance (财政局)、department (主管部门)、"
                             "unit (单位)")
    with transaction.write(session):
        name = _clean_name(name, "机构名称", 200)
        parent_org = find_org(session, parent) if parent is not None else None
        if parent_org is None and kind == "department":
            parent_org = session.scalar(select(Organisation).where(Organisation.kind == "finance"))
        target = _org_ref(parent_org) if parent_org else OrgRef(0, None, "finance")
        if not can(actor, "create_org", target):
            raise Forbidden("create_org", "管理机构和账号")
        needed = PARENT_KIND[kind]
        if needed is None:
            if parent_org is not None:
                raise InvalidRequest("财政局是机构树的根, 不能有上级")
            existing = session.scalar(select(Organisation).where(Organisation.kind == "finance"))
            if existing is not None:
                raise InvalidRequest(f"已有财政局“{existing.name}”, 机构树只能有一个财政局")
        elif parent_org is None:
            raise InvalidRequest(f"{ORG_KIND_NAMES[kind]}需要上级{ORG_KIND_NAMES[needed]}, "
                                 "请用 --parent 指定" if kind == "unit" else
                                 "还没有财政局, 请先添加财政局 (--kind finance)")
        elif parent_org.kind != needed:
            raise InvalidRequest(f"{ORG_KIND_NAMES[kind]}的上级必须是{ORG_KIND_NAMES[needed]}, "
                                 f"“{parent_org.name}”是{ORG_KIND_NAMES[parent_org.kind]}")
        if session.scalar(select(Organisation.id).where(Organisation.name == name)) is not None:
            raise AlreadyExists("机构", name)
        seq = session.scalar(select(func.coalesce(func.max(Organisation.seq), 0)).where(
            Organisation.parent_id == (parent_org.id if parent_org else None))) or 0
        org = Organisation(name=name, kind=kind, parent_id=parent_org.id if parent_org else None,
                           seq=seq + 1)
        org.parent = parent_org
        session.add(org)
        _flush_unique(session, "机构", name)
        _audit(session, actor, "org.create", {"org_id": org.id, "name": name, "kind": kind,
                                             "parent": parent_org.name if parent_org else None})
        return _org_info(org)


def list_orgs(session: Session) -> list[OrgInfo]:
    """The whole tree, parents before children, siblings in the order they were added.

    Needs no actor: the org tree is public (published sheets name their unit, and the
    public portal filters by it)."""
    with transaction.read(session):
        orgs = session.scalars(select(Organisation)).unique().all()
        children: dict[int | None, list[Organisation]] = {}
        for o in orgs:
            children.setdefault(o.parent_id, []).append(o)
        out: list[OrgInfo] = []

        def walk(parent_id: int | None) -> None:
            for o in sorted(children.get(parent_id, []), key=lambda o: (o.seq, o.id)):
                out.append(_org_info(o))
                walk(o.id)

        walk(None)
        return out


def _flush_unique(session: Session, what: str, key: str) -> None:
    """Flush; a unique-constraint race with another writer becomes ``AlreadyExists``."""
    try:
        session.flush()
    except IntegrityError:
        raise AlreadyExists(what, key) from None


# ------------------------------------------------------------------------ accounts

def create_user(session: Session, *, actor: Actor, username: str, org: str | int, role: str,
                password: str | None = None, display_name: str = "") -> CreatedUser:
    """Add an account bound to ``org`` with one ``role``. Without ``password`` a random
    one is generated and returned once in ``generated_password``."""
    if role not in ROLES:
        raise InvalidRequest(f"角色“{role}”无效, 可选: " + "、".join(
            f"{r} ({n})" for r, n in ROLE_NAMES.items()))
    generated = None
    if password is None:
        password = generated = generate_password()
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidRequest(f"密码至少需要 {MIN_PASSWORD_LENGTH} 个字符")
    if password != password.strip() or "\n" in password:
        raise InvalidRequest("密码首尾不能有空格或换行")
    username = _clean_name(username, "用户名", 100)
    if any(c.isspace() for c in username):
        raise InvalidRequest("用户名中不能有空格")
    encoded = hash_password(password)   # slow (argon2): before the write lock is taken
    with transaction.write(session):
        bound = find_org(session, org)
        if not can(actor, "create_user", _org_ref(bound)):
            raise Forbidden("create_user", "管理机构和账号")
        if bound.kind not in ROLE_ORG_KINDS[role]:
            kinds = "或".join(ORG_KIND_NAMES[k] for k in ROLE_ORG_KINDS[role])
            raise InvalidRequest(f"{ROLE_NAMES[role]}只能属于{kinds}, “{bound.name}”是"
                                 f"{ORG_KIND_NAMES[bound.kind]}")
        taken = session.scalar(select(User.username).where(
            func.lower(User.username) == username.lower()))
        if taken is not None:
            raise AlreadyExists("用户", taken)
        user = User(username=username, display_name=display_name.strip(), password_hash=encoded,
                    role=role, org_id=bound.id)
        user.org = bound
        session.add(user)
        _flush_unique(session, "用户", username)
        _audit(session, actor, "user.create", {"user_id": user.id, "username": username,
                                              "role": role, "org": bound.name})
        return CreatedUser(_user_info(user), generated)


def actor_for_user(session: Session, *, user_id: int) -> Actor:
    """The actor of an active account (for a web session); ``AuthenticationFailed``
    when the account is gone or disabled."""
    with transaction.read(session):
        user = session.get(User, user_id)
        if user is None or not user.active:
            raise AuthenticationFailed("账号不存在或已停用, 请重新登录")
        return actor_of(user)


# ------------------------------------------------------------------------- sign-in

def authenticate(session: Session, *, username: str, password: str,
                 now: dt.datetime | None = None) -> Actor:
    """The actor for a user name and password. Raises ``AuthenticationFailed`` (one
    message for an unknown name and a wrong password) or ``LoginThrottled``."""
    now = now or utcnow()
    key = _throttle_key(username)
    with transaction.read(session):
        throttle = session.get(LoginThrottle, key) if key else None
        if throttle is not None and throttle.locked_until is not None \
                and throttle.locked_until > now:
            wait = (throttle.locked_until - now).total_seconds()
            raise LoginThrottled(max(1, math.ceil(wait)))
        user = _find_user(session, username)
        # The argon2 verification runs outside any write lock (it takes ~50 ms).
        if user is None:
            _verify(_dummy_hash(), password or "")
            ok = False
        else:
            ok = _verify(user.password_hash, password or "")
        user_id = user.id if user is not None else None
    with transaction.write(session):
        if not ok:
            _record_failure(session, key, now)
        else:
            user = session.get(User, user_id)
            assert user is not None
            row = session.get(LoginThrottle, key)
            if row is not None:
                session.delete(row)
            if user.active:
                user.last_login_at = now
                if _hasher().check_needs_rehash(user.password_hash):
                    user.password_hash = hash_password(password)
            actor = actor_of(user)
    if not ok:
        raise AuthenticationFailed()
    assert user is not None
    if not user.active:
        raise AuthenticationFailed("账号已停用, 请联系管理员")
    return actor


def _record_failure(session: Session, key: str, now: dt.datetime) -> None:
    if not key:
        return
    row = session.get(LoginThrottle, key, with_for_update=True)
    if row is None:
        row = LoginThrottle(username_key=key, failures=0, window_started_at=now)
        session.add(row)
    elif now - row.window_started_at > FAILURE_WINDOW or (
            row.locked_until is not None and row.locked_until <= now):
        row.failures, row.window_started_at, row.locked_until = 0, now, None
    row.failures += 1
    row.last_failure_at = now
    if row.failures >= MAX_FAILURES:
        row.locked_until = now + LOCK_TIME
    try:
        session.flush()
    except IntegrityError:
        # Another worker inserted the first failure of this name at the same moment
        # (PostgreSQL): count ours on its row.
        session.rollback()
        transaction.begin_write(session)
        row = session.get(LoginThrottle, key, with_for_update=True)
        assert row is not None
        row.failures += 1
        row.last_failure_at = now
        if row.failures >= MAX_FAILURES:
            row.locked_until = now + LOCK_TIME


# ------------------------------------------------------------------------ API tokens

def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(session: Session, *, actor: Actor, username: str, name: str = "",
                 days: int = TOKEN_DAYS, now: dt.datetime | None = None) -> CreatedToken:
    """A new API token for ``username``, valid ``days`` (0: no expiry). The token is in
    the result only; the database keeps its hash."""
    if days < 0:
        raise InvalidRequest("有效天数不能为负数")
    now = now or utcnow()
    with transaction.write(session):
        user = _find_user(session, username)
        if user is None:
            raise NotFound("用户", username)
        if not can(actor, "create_token", UserRef(user.id, user.org_id)):
            raise Forbidden("create_token", "为其他账号创建令牌")
        if not user.active:
            raise InvalidRequest(f"账号“{user.username}”已停用, 不能创建令牌")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        expires = now + dt.timedelta(days=days) if days else None
        row = ApiToken(user_id=user.id, name=name.strip()[:200], prefix=token[:10],
                       token_hash=_token_hash(token), created_at=now, expires_at=expires)
        session.add(row)
        session.flush()
        _audit(session, actor, "token.create", {"token_id": row.id, "username": user.username,
                                               "prefix": row.prefix, "name": row.name})
        return CreatedToken(row.id, token, row.prefix, user.username, expires)


def verify_token(session: Session, *, token: str, now: dt.datetime | None = None) -> Actor:
    """The actor behind a bearer token; ``AuthenticationFailed`` when it is unknown,
    expired or revoked, or its account is disabled."""
    now = now or utcnow()
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        raise AuthenticationFailed("API 令牌无效")
    digest = _token_hash(token)
    with transaction.read(session):
        row = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
        # The lookup is by hash already; compare again in constant time anyway.
        if row is None or not hmac.compare_digest(row.token_hash, digest):
            raise AuthenticationFailed("API 令牌无效")
        if row.revoked_at is not None:
            raise AuthenticationFailed("API 令牌已被吊销")
        if row.expires_at is not None and row.expires_at <= now:
            raise AuthenticationFailed("API 令牌已过期, 请重新创建")
        if not row.user.active:
            raise AuthenticationFailed("账号已停用, 请联系管理员")
        actor = actor_of(row.user)
        stale = row.last_used_at is None or now - row.last_used_at >= TOKEN_TOUCH
        token_id = row.id
    if stale:
        with transaction.write(session):
            fresh = session.get(ApiToken, token_id)
            if fresh is not None:
                fresh.last_used_at = now
    return actor


__all__ += ["SYSTEM", "find_org", "actor_of", "hash_password", "ORG_KIND_NAMES", "ROLE_NAMES"]


# ---------------------------------------------------------------- account upkeep

@dataclass(frozen=True, slots=True)
class TokenInfo:
    id: int
    prefix: str
    name: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


def _user_or_404(session: Session, username: str) -> User:
    user = _find_user(session, username)
    if user is None:
        raise NotFound("用户", username)
    return user


def list_users(session: Session, *, actor: Actor) -> list[UserInfo]:
    """Every account, by organisation and name (admin only)."""
    if not can(actor, "manage_user", UserRef(0, 0)):
        raise Forbidden("manage_user", "查看账号列表")
    with transaction.read(session):
        users = session.scalars(select(User)).unique().all()
        return [_user_info(u) for u in sorted(users, key=lambda u: (u.org.seq, u.org_id, u.id))]


def set_user_active(session: Session, *, actor: Actor, username: str, active: bool) -> UserInfo:
    """Disable or re-enable an account (admin only). Disabling ends its web sessions at
    once; its API tokens stop working while it is disabled. Accounts are never deleted:
    versions and events keep pointing at them."""
    from sqlalchemy import delete

    from ..storage.models import WebSession

    with transaction.write(session):
        user = _user_or_404(session, username)
        if not can(actor, "manage_user", UserRef(user.id, user.org_id)):
            raise Forbidden("manage_user", "停用或启用账号")
        if actor.user_id == user.id and not active:
            raise InvalidRequest("不能停用自己的账号")
        user.active = active
        if not active:
            session.execute(delete(WebSession).where(WebSession.user_id == user.id))
        _audit(session, actor, "user.enable" if active else "user.disable",
               {"user_id": user.id, "username": user.username})
        return _user_info(user)


def change_password(session: Session, *, actor: Actor, username: str, new_password: str,
                    current_password: str | None = None) -> None:
    """Set a new password. For one's own account the current password is required;
    an admin resets anyone's without it. Every web session of the account ends (a
    password change is how one throws out whoever else was signed in)."""
    from sqlalchemy import delete

    from ..storage.models import WebSession

    if len(new_password) < MIN_PASSWORD_LENGTH:
        raise InvalidRequest(f"密码至少需要 {MIN_PASSWORD_LENGTH} 个字符")
    if new_password != new_password.strip() or "\n" in new_password:
        raise InvalidRequest("密码首尾不能有空格或换行")
    with transaction.read(session):
        user = _user_or_404(session, username)
        if not can(actor, "change_password", UserRef(user.id, user.org_id)):
            raise Forbidden("change_password", "修改其他账号的密码")
        own = actor.user_id == user.id
        wrong = own and not _verify(user.password_hash, current_password or "")
        user_id = user.id
    if wrong:
        # Guessing the current password through this door counts like a failed sign-in.
        with transaction.write(session):
            _record_failure(session, _throttle_key(username), utcnow())
        raise AuthenticationFailed("当前密码不正确")
    encoded = hash_password(new_password)
    with transaction.write(session):
        fresh = session.get(User, user_id)
        assert fresh is not None
        fresh.password_hash = encoded
        fresh.password_changed_at = utcnow()
        session.execute(delete(WebSession).where(WebSession.user_id == user_id))
        _audit(session, actor, "user.password", {"user_id": user_id, "username": fresh.username,
                                                 "reset_by_admin": not own})


def list_tokens(session: Session, *, actor: Actor, username: str) -> list[TokenInfo]:
    """The tokens of an account (its owner or an admin), newest first; never the
    tokens themselves, which are not stored."""
    with transaction.read(session):
        user = _user_or_404(session, username)
        if not can(actor, "create_token", UserRef(user.id, user.org_id)):
            raise Forbidden("create_token", "查看其他账号的令牌")
        rows = session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                               .order_by(ApiToken.id.desc())).unique().all()
        return [TokenInfo(r.id, r.prefix, r.name, r.created_at, r.expires_at, r.last_used_at,
                          r.revoked_at) for r in rows]


def revoke_token(session: Session, *, actor: Actor, token_id: int,
                 now: dt.datetime | None = None) -> TokenInfo:
    """Revoke a token at once (its owner or an admin). Revoking twice is harmless."""
    now = now or utcnow()
    with transaction.write(session):
        row = session.get(ApiToken, token_id)
        if row is None or not can(actor, "create_token", UserRef(row.user_id, row.user.org_id)):
            raise NotFound("令牌", token_id)    # someone else's token: as if there were none
        if row.revoked_at is None:
            row.revoked_at = now
            _audit(session, actor, "token.revoke", {"token_id": row.id, "prefix": row.prefix,
                                                   "username": row.user.username})
        return TokenInfo(row.id, row.prefix, row.name, row.created_at, row.expires_at,
                         row.last_used_at, row.revoked_at)


__all__ += ["TokenInfo", "list_users", "set_user_active", "change_password", "list_tokens",
            "revoke_token"]
