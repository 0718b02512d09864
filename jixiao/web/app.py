"""The app factory: ``create_app(settings)`` wires storage, security and routes.

Nothing is read from the environment here: the caller (``jixiao serve``, a test,
a deployment's ASGI module) builds ``Settings`` and passes them in, optionally
with an engine it already has (tests share one per database).
"""
from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine

from .. import __version__
from ..services.cache import BoundedCache
from ..settings import Settings
from ..storage import make_engine, session_factory
from .errors import install_error_handlers
from .middleware import RequestLog, SecurityHeaders, UploadLimit

__all__ = ["create_app", "STATIC_DIR"]

STATIC_DIR = Path(__file__).parent / "static"
log = logging.getLogger("jixiao.web")


def _require_sqlite_lock(engine: Engine) -> None:
    """Refuse to serve production from an SQLite file that cannot take the write lock
    (a read-only folder, a network file system without locks): every save would fail."""
    from ..errors import SettingsInvalid
    from ..storage import begin_write

    try:
        with session_factory(engine)() as session:
            begin_write(session)
            session.rollback()
    except Exception as e:  # the driver's error is the reason
        raise SettingsInvalid("JIXIAO_DATABASE_URL", f"SQLite 数据库无法加锁写入 ({type(e).__name__}: {e}); "
                              "生产环境请使用可写的本地磁盘或 PostgreSQL") from None


#: Database connections kept per process. The synchronous routes run in a pool of 40
#: threads, each holding at most one connection at a time; a smaller pool made every
#: burst of requests open (and on SQLite configure) connections only to close them
#: again. On PostgreSQL each worker process may hold up to ``pool_size + max_overflow``
#: connections: workers × 40 must stay below the server's ``max_connections``
#: (docs/deploy.md).
_POOL = {"pool_size": 20, "max_overflow": 20}


def create_app(settings: Settings, *, engine: Engine | None = None) -> FastAPI:
    """The web application for ``settings`` (validated here as well)."""
    settings.validate()
    engine = engine or make_engine(settings.database_url, **_POOL)
    if settings.production and engine.dialect.name == "sqlite":
        _require_sqlite_lock(engine)
    app = FastAPI(title="jixiao 绩效目标管理", version=__version__, docs_url=None, redoc_url=None,
                  openapi_url="/openapi.json",
                  description="预算绩效目标的填报、审核、批复与公开。接口约定见 docs/web.md。")
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = session_factory(engine)
    app.state.public_keys = BoundedCache(4096)   # pages_public._published_key

    # Order matters: the outermost middleware is added last. The upload limit runs
    # before anything reads the body; the log sees the final status of every request.
    app.add_middleware(SecurityHeaders)
    app.add_middleware(UploadLimit, max_bytes=settings.max_upload_bytes)
    app.add_middleware(RequestLog)
    install_error_handlers(app)

    from . import api, pages, pages_admin, pages_evaluation, pages_monitoring, pages_public, pages_sheets

    # Most visited first: a request is matched against the routes in this order, at a
    # few microseconds per route (no two routers share a path, so order decides nothing
    # else). A sheet's page used to wait behind the 36 API and sign-in routes.
    app.include_router(pages_sheets.router)
    app.include_router(pages_public.router)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(pages_monitoring.router)
    app.include_router(pages_evaluation.router)
    app.include_router(pages_admin.router)
    pages_sheets.install(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
