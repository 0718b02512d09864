"""The ASGI entry point for uvicorn and other servers: ``jixiao.web.asgi:make_app``
(a factory: ``uvicorn --factory``). Settings are read when it is called, in each
worker, not when this module is imported."""
from __future__ import annotations

from fastapi import FastAPI

from ..settings import load_settings
from .app import create_app

__all__ = ["make_app"]


def make_app() -> FastAPI:
    configure_logging()
    return create_app(load_settings())


def configure_logging() -> None:
    """One JSON line per request on stderr (``jixiao.access``), and jixiao's own
    warnings and errors; each worker configures itself once."""
    import logging
    import sys

    access = logging.getLogger("jixiao.access")
    if not access.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        access.addHandler(handler)
        access.setLevel(logging.INFO)
        access.propagate = False
    app_log = logging.getLogger("jixiao.web")
    if not app_log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        app_log.addHandler(handler)
        app_log.setLevel(logging.WARNING)
