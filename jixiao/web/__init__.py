"""The web application (FastAPI, Jinja2, vendored htmx): ``create_app(settings)``."""
from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
