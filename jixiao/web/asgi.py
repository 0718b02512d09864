"""The ASGI entry point for uvicorn and other servers: ``jixiao.web.asgi:make_app``
(a factory: ``uvicorn --factory``). Settings are read when it is called, in each
worker, not when this module is imported."""
from __future__ import annotations

from fastapi import FastAPI

from ..settings import load_settings
from .app import create_app

__all__ = ["make_app"]


def make_app() -> FastAPI:
    return create_app(load_settings())
