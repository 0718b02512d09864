"""Jinja2 pages: autoescaped, with the signed-in user and the CSRF token in every context."""
from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from .. import __version__
from ..model.workflow import STATE_LABELS
from ..services.cache import BoundedCache

__all__ = ["render_page", "cached_fragment", "environment", "ROLE_LABELS", "STATE_LABELS", "ORG_KIND_LABELS"]

TEMPLATE_DIR = Path(__file__).parent / "templates"

ROLE_LABELS = {"preparer": "单位填报人", "dept_reviewer": "主管部门审核人", "finance": "财政审核人",
               "admin": "管理员"}
ORG_KIND_LABELS = {"finance": "财政局", "department": "主管部门", "unit": "单位"}
KIND_LABELS = {"department": "部门整体支出", "project": "项目支出"}


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
                             autoescape=jinja2.select_autoescape(("html", "xml"), default=True),
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    from .sheet_form import anchor_of, parsed_label

    env.globals.update(anchor_of=anchor_of, parsed_label=parsed_label, ROLE_LABELS=ROLE_LABELS,
                       STATE_LABELS=STATE_LABELS, ORG_KIND_LABELS=ORG_KIND_LABELS,
                       KIND_LABELS=KIND_LABELS, version=__version__)
    return env


def render_page(request: Request, name: str, context: dict[str, Any], *, status_code: int = 200,
                headers: dict[str, str] | None = None) -> HTMLResponse:
    user = getattr(request.state, "user", None)
    web_session = getattr(request.state, "web_session", None)
    full = {"request": request, "user": user,
            "csrf_token": web_session.csrf_token if web_session is not None else "", **context}
    html = environment().get_template(name).render(full)
    return HTMLResponse(html, status_code=status_code, headers=headers)


#: Rendered parts of pages by what they are derived from (see ``cached_fragment``).
_FRAGMENTS: BoundedCache[tuple[str, Hashable], Markup] = BoundedCache(512)


def cached_fragment(name: str, key: Hashable, context: Callable[[], dict[str, Any]]) -> Markup:
    """Template ``name`` rendered once per ``key`` and shared between requests: for the
    large parts of a page that follow from an immutable stored version (the indicator
    table, the findings), which would otherwise be most of the page's time. ``key``
    must name everything the fragment shows, and the fragment must not show the
    caller (no user, no CSRF token). ``context`` is called only when the fragment is
    rendered."""
    return _FRAGMENTS.get_or_make((name, key), lambda: Markup(environment().get_template(name).render(context())))
