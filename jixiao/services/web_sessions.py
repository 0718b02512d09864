"""Server-side web sessions: the cookie holds a random id, the database its hash.

Kept in the database (``web_sessions``) rather than in a signed cookie or in
process memory so that every worker and machine sees the same sessions, a
sign-out really ends the session everywhere, and an administrator can end an
account's sessions by deactivating it. The CSRF token is the session's own
(synchronizer token): a page gets it from the session, a state-changing request
must send it back.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from ..storage.models import Organisation, User, WebSession, utcnow
from . import transaction

__all__ = ["OpenedSession", "SignedIn", "SignedInOrg", "SessionInfo", "open_session", "resolve_session",
           "close_session", "csrf_matches",
           "SESSION_REFRESH"]

#: A session's ``last_seen_at`` is written at most this often (not on every request).
SESSION_REFRESH = dt.timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class OpenedSession:
    cookie_value: str      # give to the browser; never stored
    csrf_token: str
    expires_at: dt.datetime
    user_id: int


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def open_session(db: Session, *, user_id: int, hours: int, now: dt.datetime | None = None) -> OpenedSession:
    """A new session for account ``user_id`` lasting ``hours``, committed. Expired
    sessions of any account are swept on the way."""
    now = now or utcnow()
    cookie_value = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    expires = now + dt.timedelta(hours=hours)
    with transaction.write(db):
        db.execute(delete(WebSession).where(WebSession.expires_at < now))
        db.add(WebSession(id_hash=_hash(cookie_value), user_id=user_id, csrf_token=csrf,
                          created_at=now, expires_at=expires, last_seen_at=now))
    return OpenedSession(cookie_value, csrf, expires, user_id)


@dataclass(frozen=True, slots=True)
class SignedInOrg:
    id: int
    name: str
    kind: str
    parent_id: int | None


@dataclass(frozen=True, slots=True)
class SignedIn:
    """The account behind a session, as the pages and ``accounts.actor_of`` read it
    (the attribute names of ``User``), read as columns rather than ORM objects: every
    signed-in request asks for it."""

    id: int
    username: str
    display_name: str
    role: str
    org_id: int
    active: bool
    org: SignedInOrg


@dataclass(frozen=True, slots=True)
class SessionInfo:
    id_hash: str
    csrf_token: str
    expires_at: dt.datetime
    last_seen_at: dt.datetime


#: Built once (building a ``select()`` cost about as much as running it).
_BY_HASH = (select(WebSession.id_hash, WebSession.csrf_token, WebSession.expires_at, WebSession.last_seen_at,
                   User.id, User.username, User.display_name, User.role, User.org_id, User.active,
                   Organisation.name, Organisation.kind, Organisation.parent_id)
            .join(User, User.id == WebSession.user_id).join(Organisation, Organisation.id == User.org_id)
            .where(WebSession.id_hash == bindparam("id_hash")))


def resolve_session(db: Session, *, cookie_value: str | None,
                    now: dt.datetime | None = None) -> tuple[SignedIn, SessionInfo] | None:
    """The active account and session behind a cookie; None when there is none, it
    expired, or the account was deactivated."""
    if not cookie_value or len(cookie_value) > 200:
        return None
    now = now or utcnow()
    with transaction.read(db):
        row = db.execute(_BY_HASH, {"id_hash": _hash(cookie_value)}).first()
    if row is None:
        return None
    id_hash, csrf, expires_at, last_seen_at, uid, username, display_name, role, org_id, active, \
        org_name, org_kind, org_parent = row
    if expires_at <= now or not active:
        return None
    if now - last_seen_at > SESSION_REFRESH:
        with transaction.write(db):
            fresh = db.get(WebSession, id_hash)
            if fresh is not None:
                fresh.last_seen_at = now
    user = SignedIn(uid, username, display_name or "", role, org_id, bool(active),
                    SignedInOrg(org_id, org_name, org_kind, org_parent))
    return user, SessionInfo(id_hash, csrf, expires_at, last_seen_at)


def close_session(db: Session, *, cookie_value: str | None) -> None:
    """End the session behind a cookie (sign-out); nothing when there is none."""
    if cookie_value:
        with transaction.write(db):
            db.execute(delete(WebSession).where(WebSession.id_hash == _hash(cookie_value)))


def csrf_matches(session: SessionInfo, token: str | None) -> bool:
    """Constant-time comparison of a sent CSRF token with the session's."""
    return bool(token) and hmac.compare_digest(session.csrf_token.encode(), (token or "").encode())
