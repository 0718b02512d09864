"""Each storage use-case is one unit of work: it commits what it did before it
returns, or rolls everything back and raises. Callers pass a ``Session`` with no
uncommitted writes of their own (a read-only transaction in progress is ended).

``write(session)`` opens the transaction as a write transaction — on SQLite
``BEGIN IMMEDIATE``, so concurrent writers queue on the lock (``busy_timeout``)
instead of failing half-way — and turns lock time-outs and lost connections into
``DatabaseUnavailable``.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from ..errors import DatabaseUnavailable
from ..storage.engine import begin_write


@contextlib.contextmanager
def write(session: Session) -> Iterator[Session]:
    try:
        begin_write(session)
        # Objects loaded by earlier transactions of this session stay in the identity
        # map (expire_on_commit is off so results stay readable); a write must see the
        # database as it is now.
        session.expire_all()
        yield session
        session.commit()
    except BaseException as e:
        session.rollback()
        if isinstance(e, OperationalError):
            raise _unavailable(session, e) from None
        raise


@contextlib.contextmanager
def read(session: Session) -> Iterator[Session]:
    """A read. The transaction ends with it — by a commit, which (unlike a rollback)
    leaves the loaded objects readable — so no snapshot stays open (SQLite WAL keeps
    old pages for an open reader)."""
    try:
        yield session
        session.commit()
    except BaseException as e:
        session.rollback()
        if isinstance(e, OperationalError):
            raise _unavailable(session, e) from None
        raise


def _unavailable(session: Session, e: OperationalError) -> DatabaseUnavailable:
    from ..storage.migrate import _reason

    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    url = engine.url.render_as_string(hide_password=True)
    return DatabaseUnavailable(url, _reason(e))
