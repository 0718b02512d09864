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

    for name, level, form in (("jixiao.access", logging.INFO, "%(message)s"),
                              ("jixiao.web", logging.WARNING, "%(asctime)s %(levelname)s %(name)s: %(message)s")):
        logger = logging.getLogger(name)
        if not logger.handlers:
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter(form))
            logger.addHandler(handler)
            logger.setLevel(level)
            logger.propagate = False
