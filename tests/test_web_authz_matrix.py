"""The authorisation matrix of web.md: every route of the app (HTML and API), as every
role and anonymously, against sheets of the caller's own org, a sibling unit and
another department, in each workflow state, checked against ONE table (``TABLE``).

The routes are enumerated from ``app.routes``: a route added without a row in the
table fails ``test_every_route_has_exactly_one_row``, and each matrix test looks its
rows up by the routes it finds, so a route cannot be skipped silently.

Letters of the table (expected status classes):

    A  allowed: 2xx, or a 3xx that is not the sign-in redirect
    H  hidden: 404 (a sheet the caller may not see is not revealed, web.md)
    F  forbidden: 403 (the caller sees the sheet but may not do this)
    C  state conflict: 409
    L  not signed in: 401 under /api, a 303 to /login?next=… for a page

A sheet row has one string per state (``STATES``), one letter per relation of the
caller to the sheet (``RELATIONS``): the preparer of the sheet's unit, a preparer of
another unit (a sibling unit or another department's), the reviewer of the unit's
department, another department's reviewer, finance, admin. A row without a sheet has
one letter per role (``ROLES``).

Refused requests run against shared sheets (and must leave them as they were);
allowed requests that change a sheet's state run against a fresh sheet in the same
place and state, so the order of the cases does not matter.
"""
from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from db_fixtures import PASSWORD
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from starlette.routing import Mount

from jixiao.services import monitoring, self_evaluation, workflow
from jixiao.services import sheets as sheet_service
from jixiao.services.web_sessions import open_session
from jixiao.settings import Settings
from jixiao.web import create_app
from jixiao.web.auth import SESSION_COOKIE

STATES = ("draft", "submitted", "dept_passed", "approved", "published")
RELATIONS = ("anon", "owner", "other_prep", "reviewer", "other_rev", "finance", "admin")
ROLES = ("anon", "preparer", "dept_reviewer", "finance", "admin")

# ----------------------------------------------------------------------- the table
#                anon owner other_prep reviewer other_rev finance admin  (one string per state)
#                draft      submitted  dept_passed approved  published
_VIEW =         ("LAHAHAA", "LAHAHAA", "LAHAHAA", "LAHAHAA", "LAAAAAA")
_EDIT =         ("LAHFHFF", "LCHFHFF", "LCHFHFF", "LCHFHFF", "LCFFFFF")
_COPY =         ("LAHFHFF", "LAHFHFF", "LAHFHFF", "LAHFHFF", "LAAFFFF")
_PUBLIC =       ("HHHHHHH", "HHHHHHH", "HHHHHHH", "HHHHHHH", "AAAAAAA")
# self-evaluation (自评): the approved and published shared sheets have one (a draft),
# the others none (so it is 404 where the sheet is seen, and cannot be started: 409)
_SE_VIEW =      ("LHHHHHH", "LHHHHHH", "LHHHHHH", "LAHAHAA", "LAAAAAA")
# only the unit's preparer starts (or re-opens) one; whoever else sees the sheet is refused
_SE_START =     ("LCHFHFF", "LCHFHFF", "LCHFHFF", "LAHFHFF", "LAFFFFF")
_SE_SAVE =      ("LHHHHHH", "LHHHHHH", "LHHHHHH", "LAHFHFF", "LAFFFFF")
# check: the department's; rescore: the department's or finance's — a draft one is a state conflict
_SE_CHECK =     ("LFHHHFF", "LFHHHFF", "LFHHHFF", "LFHCHFF", "LFFCFFF")
_SE_RESCORE =   ("LFHHHHF", "LFHHHHF", "LFHHHHF", "LFHCHCF", "LFFCFCF")
# monitoring: approved sheets only, and only for those who see them as their own (not as public)
_MON_VIEW =     ("LHHHHHH", "LHHHHHH", "LHHHHHH", "LAHAHAA", "LAHAHAA")
_MON_REPORT =   ("LHHHHHH", "LHHHHHH", "LHHHHHH", "LAHFHFF", "LAHFHFF")
# a correction needs a handed-in report: none is, so the reviewers meet a state conflict
_MON_CORRECT =  ("LHHHHHH", "LHHHHHH", "LHHHHHH", "LFHCHCF", "LFHCHCF")
_ACTIONS = {
    "submit":   ("LAHFHFF", "LCHFHFF", "LCHFHFF", "LCHFHFF", "LCFFFFF"),
    "withdraw": ("LCHFHFF", "LAHFHFF", "LCHFHFF", "LCHFHFF", "LCFFFFF"),
    "adjust":   ("LCHFHFF", "LCHFHFF", "LCHFHFF", "LAHFHFF", "LAFFFFF"),
    "pass":     ("LFHCHFF", "LFHAHFF", "LFHCHFF", "LFHCHFF", "LFFCFFF"),
    # return: the department returns what waits for it, finance what waits for finance
    "return":   ("LFHCHCF", "LFHAHFF", "LFHFHAF", "LFHCHCF", "LFFCFCF"),
    "approve":  ("LFHFHCF", "LFHFHCF", "LFHFHAF", "LFHFHCF", "LFFFFCF"),
    "publish":  ("LFHFHCF", "LFHFHCF", "LFHFHCF", "LFHFHAF", "LFFFFCF"),
    "comment":  ("LFHAHAF", "LFHAHAF", "LFHAHAF", "LFHAHAF", "LFFAFAF"),
}

TABLE: dict[str, Any] = {
    # public: the API description, its page, static files, the health check
    "GET /openapi.json":                          "AAAAA",
    "GET /api/docs":                              "AAAAA",
    "MOUNT /static":                              "AAAAA",
    "GET /healthz":                               "AAAAA",
    # the public portal and open data: published sheets only, for everyone alike
    "GET /public":                                "AAAAA",
    "GET /public/sheets/{sheet_id}":              _PUBLIC,
    "GET /api/v1/public/sheets":                  "AAAAA",
    "GET /api/v1/public/sheets/{sheet_id}":       _PUBLIC,
    "GET /api/v1/public/sheets/{sheet_id}/export/{fmt}": _PUBLIC,
    "GET /api/v1/public/catalog":                 "AAAAA",
    "GET /api/v1/public/export/{year}.{fmt}":     "AAAAA",
    # signing in and out (each on a session of its own)
    "POST /api/v1/session":                       "AAAAA",
    "DELETE /api/v1/session":                     "LAAAA",
    "GET /login":                                 "AAAAA",
    "POST /login":                                "AAAAA",
    "POST /logout":                               "AAAAA",
    # administration (admin only) and one's own account (everyone signed in)
    "GET /admin":                                 "LFFFA",
    "POST /admin/orgs":                           "LFFFA",
    "POST /admin/users":                          "LFFFA",
    "POST /admin/users/{username}/active":        "LFFFA",
    "POST /admin/users/{username}/password":      "LFFFA",
    "GET /account":                               "LAAAA",
    "POST /account/password":                     "LAAAA",
    "POST /account/tokens":                       "LAAAA",
    "POST /account/tokens/{token_id}/revoke":     "LAAAA",
    # self-evaluation
    "GET /api/v1/sheets/{sheet_id}/self-evaluation": _SE_VIEW,
    "GET /api/v1/sheets/{sheet_id}/self-evaluation/export/{fmt}": _SE_VIEW,
    "POST /api/v1/sheets/{sheet_id}/self-evaluation": _SE_START,
    "PUT /api/v1/sheets/{sheet_id}/self-evaluation": _SE_SAVE,
    "POST /api/v1/sheets/{sheet_id}/self-evaluation/check": _SE_CHECK,
    "POST /api/v1/sheets/{sheet_id}/self-evaluation/rescore": _SE_RESCORE,
    "GET /sheets/{sheet_id}/self-evaluation":    _VIEW,
    # the year's self-evaluations across the units each caller sees (the service narrows the list)
    "GET /self-evaluations":                     "LAAAA",
    "POST /sheets/{sheet_id}/self-evaluation":   {"start": _SE_START, "save": _SE_SAVE, "check": _SE_CHECK,
                                                  "rescore": _SE_RESCORE},
    # monitoring (运行监控): finance opens a round, units report, reviewers require corrections
    "GET /api/v1/monitoring/rounds":              "LAAAA",
    "POST /api/v1/monitoring/rounds":             "LFFAF",
    "GET /api/v1/monitoring/rounds/{round_id}":   "LAAAA",
    "GET /api/v1/monitoring/rounds/{round_id}/sheets/{sheet_id}": _MON_VIEW,
    "PUT /api/v1/monitoring/rounds/{round_id}/sheets/{sheet_id}": _MON_REPORT,
    "POST /api/v1/monitoring/rounds/{round_id}/sheets/{sheet_id}/correction": _MON_CORRECT,
    "GET /monitoring":                            "LAAAA",
    "POST /monitoring":                           "LFFAF",
    "GET /monitoring/{round_id}":                 "LAAAA",
    "GET /monitoring/{round_id}/sheets/{sheet_id}": _MON_VIEW,
    "GET /monitoring/{round_id}/sheets/{sheet_id}/export/{fmt}": _MON_VIEW,
    "POST /monitoring/{round_id}/sheets/{sheet_id}": {"report": _MON_REPORT, "correction": _MON_CORRECT},
    # lists and creation
    "GET /api/v1/me":                             "LAAAA",
    "GET /api/v1/sheets":                         "LAAAA",
    "POST /api/v1/sheets":                        "LAFFF",
    "GET /":                                      "LAAAA",
    "GET /sheets":                                "LAAAA",
    "GET /sheets/new":                            "LAFFF",
    "GET /templates/{kind}.xlsx":                 "LAAAA",
    "POST /sheets/new/blank":                     "LAFFF",
    "POST /sheets/new/upload":                    "LAFFF",
    "POST /sheets/new/confirm":                   "LAFFF",
    # one sheet, API
    "POST /sheets/new/copy":                      _COPY,
    "POST /api/v1/sheets/{sheet_id}/copy":        _COPY,
    "GET /api/v1/sheets/{sheet_id}":              _VIEW,
    "PUT /api/v1/sheets/{sheet_id}":              _EDIT,
    "GET /api/v1/sheets/{sheet_id}/findings":     _VIEW,
    "POST /api/v1/sheets/{sheet_id}/actions/{action}": _ACTIONS,
    "GET /api/v1/sheets/{sheet_id}/history":      _VIEW,
    "GET /api/v1/sheets/{sheet_id}/versions/{number}": _VIEW,
    "GET /api/v1/sheets/{sheet_id}/diff":         _VIEW,
    "GET /api/v1/sheets/{sheet_id}/export/{fmt}": _VIEW,
    # one sheet, pages
    "GET /sheets/{sheet_id}":                     _VIEW,
    "POST /sheets/{sheet_id}/action":             _ACTIONS,
    "GET /sheets/{sheet_id}/edit":                _EDIT,
    "POST /sheets/{sheet_id}/edit":               _EDIT,
    "POST /sheets/{sheet_id}/check":              _EDIT,
    "POST /sheets/{sheet_id}/save":               _EDIT,
    "GET /sheets/{sheet_id}/history":             _VIEW,
    "GET /sheets/{sheet_id}/compare":             _VIEW,
}

#: Routes whose request signs in or out: each case runs on a session of its own.
SESSION_ROUTES = {"POST /api/v1/session", "DELETE /api/v1/session", "POST /login", "POST /logout",
                  "POST /account/password"}
#: Routes that end every session of the caller's account (the caller signs in again after).
ENDS_SESSIONS = {"POST /account/password"}
#: The account the admin routes act on: not one of the callers, whose sessions must live.
MANAGED = "prep_B1"
STATE_CHANGING = {"POST", "PUT", "DELETE", "PATCH"}

#: The callers (``org_tree`` accounts) and the shared sheets: A1 is prep_A1's own unit,
#: A2 its sibling under 部门A, B1 a unit of the other department.
ACTORS = ("anon", "prep_A1", "prep_A2", "rev_A", "rev_B", "fin", "admin")
SHEETS = (("A1", "draft"), ("A1", "submitted"), ("A1", "dept_passed"), ("A1", "approved"),
          ("A1", "published"), ("A2", "draft"), ("A2", "published"), ("B1", "submitted"),
          ("B1", "published"))
PARENT = {"A1": "A", "A2": "A", "B1": "B"}
#: How each state is reached from a draft: (who, action) — who by org-relative name.
PATH_TO = {"draft": (), "submitted": (("prep", "submit"),),
           "dept_passed": (("prep", "submit"), ("rev", "pass")),
           "approved": (("prep", "submit"), ("rev", "pass"), ("fin", "approve")),
           "published": (("prep", "submit"), ("rev", "pass"), ("fin", "approve"), ("fin", "publish"))}


def route_keys(app) -> Iterator[tuple[str, str]]:
    """``(key, path)`` of every route of the app: ``"METHOD path"`` (HEAD aside), ``"MOUNT path"``."""
    for route in app.routes:
        if isinstance(route, Mount):
            yield f"MOUNT {route.path}", route.path
    for context in iter_route_contexts(app.routes):
        if isinstance(context.original_route, Mount):
            continue
        for method in sorted((context.methods or set()) - {"HEAD"}):
            yield f"{method} {context.path}", context.path


def is_sheet_row(row: Any) -> bool:
    return not isinstance(row, str)


def is_api(key: str) -> bool:
    return key.split(" ", 1)[1].startswith("/api/") or key.endswith("/healthz")


# ---------------------------------------------------------------------- the world

def fixed(document: dict) -> dict:
    """The seed without its one error-level finding (see test_web_sheets.fixed)."""
    doc = copy.deepcopy(document)
    doc["functions"][0]["indicators"][0]["level1"] = "成本指标"
    doc["functions"][0]["indicators"][0]["level2"] = "经济成本指标"
    return doc


@pytest.fixture(scope="module")
def document(repo_root) -> dict:
    return fixed(json.loads((repo_root / "tests" / "data" / "seed.gold.json").read_text(encoding="utf-8")))


@dataclass
class World:
    """The org tree, a client per caller, the shared sheets, and fresh ones on demand."""

    tree: Any
    app: Any
    document: dict
    clients: dict[str, Any]          # actor -> Browser (anon: a Browser without token)
    shared: dict[tuple[str, str], int]
    opened: list[TestClient]
    round_id: int = 0               # a monitoring round of the sheets' year

    def make_sheet(self, org: str, state: str) -> int:
        """A new sheet of unit ``org`` in ``state``, made with the service layer (an
        approved or published one with its self-evaluation begun)."""
        a = self.tree.actors
        who = {"prep": a[f"prep_{org}"], "rev": a[f"rev_{PARENT[org]}"], "fin": a["fin"]}
        with self.tree.session() as s:
            sid = sheet_service.create_sheet(s, actor=who["prep"], document=self.document).info.id
            for name, action in PATH_TO[state]:
                workflow.perform_action(s, actor=who[name], sheet_id=sid, action=action)
            if state in ("approved", "published"):     # its self-evaluation, begun
                self_evaluation.start(s, actor=who["prep"], sheet_id=sid)
        return sid

    def state_of(self, sid: int) -> tuple[str, int]:
        with self.tree.session() as s:
            stored = sheet_service.get_sheet(s, actor=self.tree.actors["admin"], sheet_id=sid)
            return stored.info.state, stored.version.version

    def relation(self, actor: str, org: str) -> str:
        if actor == "anon":
            return "anon"
        who = self.tree.actors[actor]
        orgs = self.tree.orgs
        if who.role == "preparer":
            return "owner" if who.org_id == orgs[org] else "other_prep"
        if who.role == "dept_reviewer":
            return "reviewer" if who.org_id == orgs[PARENT[org]] else "other_rev"
        return who.role

    def role(self, actor: str) -> str:
        return "anon" if actor == "anon" else self.tree.actors[actor].role

    def token_of(self, actor: str) -> int:
        """The id of a new API token of ``actor`` (made with the service layer)."""
        from jixiao.services.accounts import create_token
        from jixiao.services.policy import SYSTEM

        with self.tree.session() as s:
            return create_token(s, actor=SYSTEM, username=actor, name="矩阵测试").id

    def sign_in_again(self, actor: str) -> None:
        """A new session for the main client of ``actor`` (after one that ended them all)."""
        browser = self.clients[actor]
        with self.tree.session() as s:
            opened = open_session(s, user_id=self.tree.users[actor], hours=1)
        browser.client.cookies.clear()
        browser.client.cookies.set(SESSION_COOKIE, opened.cookie_value)
        browser.csrf = opened.csrf_token

    def own_session(self, actor: str):
        """A Browser on a session of its own (for the routes that sign in or out)."""
        from web_fixtures import Browser

        client = TestClient(self.app, base_url="http://testserver")
        self.opened.append(client)
        if actor == "anon":
            return Browser(client)
        with self.tree.session() as s:
            opened = open_session(s, user_id=self.tree.users[actor], hours=1)
        client.cookies.set(SESSION_COOKIE, opened.cookie_value)
        return Browser(client, opened.csrf_token)


@pytest.fixture
def world(org_tree, web, sign_in, document) -> Iterator[World]:
    from web_fixtures import Browser

    clients: dict[str, Any] = {"anon": Browser(web)}
    for actor in ACTORS[1:]:
        clients[actor] = sign_in(actor)
    w = World(org_tree, web.app, document, clients, {}, [])
    for org, state in SHEETS:
        w.shared[(org, state)] = w.make_sheet(org, state)
    with org_tree.session() as s:
        w.round_id = monitoring.open_round(s, actor=org_tree.actors["fin"], year=document["year"],
                                           label="1–7月", period_end=dt.date(document["year"], 7, 31)).id
    yield w
    for c in w.opened:
        c.close()


# -------------------------------------------------------------------- the requests

@dataclass
class Case:
    key: str
    variant: str            # the workflow action of an action route, else ""
    actor: str
    place: tuple[str, str] | None   # (org, state) of the sheet, None for a row without one
    expected: str

    def __str__(self) -> str:
        where = f" on {self.place[0]}/{self.place[1]}" if self.place else ""
        variant = f" [{self.variant}]" if self.variant else ""
        return f"{self.key}{variant} as {self.actor}{where}"


def build(w: World, case: Case, sid: int | None) -> tuple[str, str, dict[str, Any]]:
    """The request the case sends: method, URL and keyword arguments, valid for a caller
    who is allowed (so that "allowed" answers 2xx/3xx, not 422)."""
    method, path = case.key.split(" ", 1)
    needs_version = case.key.startswith("PUT ") or case.key.endswith(("/edit", "/check", "/save"))
    version = w.state_of(sid)[1] if sid is not None and needs_version else 0
    user = case.actor if case.actor != "anon" else "prep_A1"
    editor_form = {"version": str(version), "title": "矩阵测试", "year": "2024"}
    url = path.replace("{sheet_id}", str(sid)).replace("{username}", MANAGED) \
        .replace("{round_id}", str(w.round_id)).replace("{action}", case.variant) \
        .replace("{number}", "1").replace("{fmt}", "json")
    kw: dict[str, Any] = {}
    match case.key:
        case "GET /api/v1/public/export/{year}.{fmt}":
            url = "/api/v1/public/export/2024.csv"
        case "PUT /api/v1/sheets/{sheet_id}/self-evaluation":
            kw["json"] = {"entries": [], "submit": False}
        case "POST /api/v1/sheets/{sheet_id}/self-evaluation/rescore":
            kw["json"] = {"where": "functions[0].indicators[0]", "score": 50, "reason": "矩阵测试"}
        case "POST /sheets/{sheet_id}/self-evaluation":
            kw["data"] = {"action": case.variant}
            if case.variant == "rescore":
                kw["data"].update({"where": "functions[0].indicators[0]", "score": "50", "reason": "矩阵测试"})
        case "POST /api/v1/monitoring/rounds":
            kw["json"] = {"year": 2025, "label": "矩阵测试 (接口)", "period_end": "2025-06-30"}
        case "POST /monitoring":
            kw["data"] = {"year": "2025", "label": "矩阵测试 (页面)", "period_end": "2025-06-30"}
        case "PUT /api/v1/monitoring/rounds/{round_id}/sheets/{sheet_id}":
            kw["json"] = {"entries": [], "submit": False}
        case "POST /api/v1/monitoring/rounds/{round_id}/sheets/{sheet_id}/correction":
            kw["json"] = {"text": "请说明偏差原因"}
        case "POST /monitoring/{round_id}/sheets/{sheet_id}":
            kw["data"] = {"action": "save"} if case.variant == "report" else \
                {"action": "correction", "correction": "请说明偏差原因"}
        case "POST /admin/orgs":
            kw["data"] = {"name": "矩阵测试单位", "kind": "unit", "parent": "部门A"}
        case "POST /admin/users":
            kw["data"] = {"username": "matrix_user", "org": "单位A1", "role": "preparer"}
        case "POST /admin/users/{username}/active":
            kw["data"] = {"active": "1"}
        case "POST /account/password":
            kw["data"] = {"current_password": PASSWORD, "new_password": PASSWORD, "again": PASSWORD}
        case "POST /account/tokens":
            kw["data"] = {"name": "矩阵测试"}
        case "POST /account/tokens/{token_id}/revoke":
            url = url.replace("{token_id}", str(w.token_of(user)))
        case "GET /templates/{kind}.xlsx":
            url = "/templates/department.xlsx"
        case "MOUNT /static":
            method, url = "GET", "/static/app.css"
        case "POST /api/v1/session":
            kw["json"] = {"username": user, "password": PASSWORD}
        case "POST /login":
            kw["data"] = {"username": user, "password": PASSWORD, "next": "/"}
        case "POST /api/v1/sheets":
            kw["json"] = w.document
        case "POST /sheets/new/blank":
            kw["data"] = {"kind": "department", "year": "2025"}
        case "POST /sheets/new/upload":
            kw["files"] = {"file": ("表.json", json.dumps(w.document, ensure_ascii=False).encode(),
                                    "application/json")}
        case "POST /sheets/new/confirm":
            kw["data"] = {"document": json.dumps(w.document, ensure_ascii=False), "format": "json"}
        case "POST /sheets/new/copy":
            kw["data"] = {"source": str(sid), "year": "2025"}
        case "POST /api/v1/sheets/{sheet_id}/copy":
            kw["json"] = {"year": 2025}
        case "PUT /api/v1/sheets/{sheet_id}":
            kw["json"], kw["headers"] = w.document, {"If-Match": f'"{version}"'}
        case "GET /api/v1/sheets/{sheet_id}/diff":
            kw["params"] = {"from": 1, "to": 1}
        case "POST /api/v1/sheets/{sheet_id}/actions/{action}":
            kw["json"] = {"comment": "矩阵测试的意见"}
        case "POST /sheets/{sheet_id}/action":
            kw["data"] = {"action": case.variant, "comment": "矩阵测试的意见"}
        case "POST /sheets/{sheet_id}/edit" | "POST /sheets/{sheet_id}/check" | "POST /sheets/{sheet_id}/save":
            kw["data"] = editor_form
    return method, url, kw


def changes_state(case: Case) -> bool:
    """An allowed request after which the sheet is in another state."""
    return case.variant in _ACTIONS and case.variant != "comment" and case.expected == "A"


def outcome(response, api: bool) -> str:
    status = response.status_code
    location = response.headers.get("location", "")
    if api and status == 401:
        return "L"
    # The sign-in redirect names the page asked for (a changed password also sends the
    # caller to sign in again, to another page).
    if not api and status == 303 and location == f"/login?next={quote(response.request.url.path)}":
        return "L"
    if 200 <= status < 400:
        return "A"
    return {403: "F", 404: "H", 409: "C"}.get(status, str(status))


def cases(w: World, keep: Callable[[str], bool]) -> Iterator[Case]:
    for key, _path in route_keys(w.app):
        if not keep(key):
            continue
        row = TABLE.get(key)
        assert row is not None, f"the route {key} has no row in TABLE: add one"
        if not is_sheet_row(row):
            for actor in ACTORS:
                yield Case(key, "", actor, None, row[ROLES.index(w.role(actor))])
            continue
        variants = row if isinstance(row, dict) else {"": row}
        for variant, per_state in variants.items():
            for place in SHEETS:
                for actor in ACTORS:
                    letters = per_state[STATES.index(place[1])]
                    yield Case(key, variant, actor, place, letters[RELATIONS.index(w.relation(actor, place[0]))])


def run(w: World, case: Case, sid: int | None = None, *, with_token: bool = True,
        token: str | None = None):
    """Send the case's request as its caller (on ``sid``, default: the shared sheet of its
    place, or a fresh one when an allowed request moves the sheet on)."""
    if case.place is not None and sid is None:
        sid = w.make_sheet(*case.place) if changes_state(case) else w.shared[case.place]
    browser = w.own_session(case.actor) if case.key in SESSION_ROUTES else w.clients[case.actor]
    method, url, kw = build(w, case, sid)
    headers = kw.pop("headers", {})
    if with_token:
        response = browser.send(method, url, headers=headers, follow_redirects=False, **kw)
    else:
        if token is not None:
            headers = {**headers, "X-CSRF-Token": token}
        response = browser.client.request(method, url, headers=headers, follow_redirects=False, **kw)
    if case.key in ENDS_SESSIONS and case.actor != "anon" and response.status_code < 400:
        w.sign_in_again(case.actor)
    return response


def check_matrix(w: World, keep: Callable[[str], bool]) -> int:
    before = {place: w.state_of(sid)[0] for place, sid in w.shared.items()}
    wrong, count = [], 0
    for case in cases(w, keep):
        response = run(w, case)
        got = outcome(response, is_api(case.key))
        count += 1
        if got != case.expected:
            wrong.append(f"{case}: expected {case.expected}, got {got} ({response.status_code}) "
                         f"{response.text[:160]!r}")
    after = {place: w.state_of(sid)[0] for place, sid in w.shared.items()}
    assert not wrong, f"{len(wrong)} of {count} cases differ from the table:\n" + "\n".join(wrong)
    assert after == before, "a refused request changed the state of a shared sheet"
    return count


# ----------------------------------------------------------------------- the tests

def _app_for_routes(tmp_path):
    return create_app(Settings(database_url=f"sqlite:///{tmp_path / 'routes.db'}"))


def test_every_route_has_exactly_one_row(tmp_path):
    keys = [key for key, _ in route_keys(_app_for_routes(tmp_path))]
    assert len(keys) == len(set(keys))
    missing = sorted(set(keys) - set(TABLE))
    assert not missing, f"routes without a row in TABLE (add one): {missing}"
    stale = sorted(set(TABLE) - set(keys))
    assert not stale, f"rows of TABLE for routes that do not exist: {stale}"
    for key, row in TABLE.items():
        if is_sheet_row(row):
            assert "{sheet_id}" in key or key == "POST /sheets/new/copy", key
            for per_state in (row.values() if isinstance(row, dict) else [row]):
                assert len(per_state) == len(STATES) and all(len(s) == len(RELATIONS) for s in per_state), key
        else:
            assert len(row) == len(ROLES), key
    assert set(_ACTIONS) == set(workflow.WORKFLOW_ACTIONS)


def test_the_callers_cover_every_relation_to_every_place(org_tree):
    w = World(org_tree, None, {}, {}, {}, [])
    seen = {(w.relation(a, org), state) for a in ACTORS for org, state in SHEETS}
    assert seen == {(r, s) for r in RELATIONS for s in STATES}
    assert {w.role(a) for a in ACTORS} == set(ROLES)


def _expected_count(keep: Callable[[str], bool]) -> int:
    n = 0
    for key, row in TABLE.items():
        if keep(key):
            n += len(ACTORS) * (len(row) * len(SHEETS) if isinstance(row, dict) else
                                len(SHEETS) if is_sheet_row(row) else 1)
    return n


def _api_sheet(key: str) -> bool:
    return is_api(key) and is_sheet_row(TABLE.get(key, ""))


def _page_sheet(key: str) -> bool:
    return not is_api(key) and is_sheet_row(TABLE.get(key, ""))


def _no_sheet(key: str) -> bool:
    # A route without a row lands here, and fails this group for want of a row.
    return not is_sheet_row(TABLE.get(key, ""))


@pytest.mark.parametrize("group", [_api_sheet, _page_sheet, _no_sheet], ids=["api-sheet", "page-sheet", "no-sheet"])
def test_the_matrix(world, group):
    assert check_matrix(world, group) == _expected_count(group)


def test_state_changing_requests_without_the_csrf_token_are_refused(world):
    """Every POST/PUT/DELETE/PATCH route, riding on the session cookie without the
    token (and with a wrong one), is 403 and changes nothing; the same request with
    the token then gets what the table says, allowed where anyone is (so the refusal
    was the token's)."""
    routes = [key for key, _ in route_keys(world.app) if key.split(" ", 1)[0] in STATE_CHANGING]
    assert len(routes) >= 15
    for key in routes:
        # The first signed-in caller the table allows (anonymous requests carry no session);
        # where no one is (a correction needs a handed-in report), one who gets past the
        # authorisation to the state check.
        signed_in = [c for c in cases(world, key.__eq__) if c.actor != "anon"]
        case = next((c for c in signed_in if c.expected == "A"), None) or \
            next(c for c in signed_in if c.expected == "C")
        sid = world.make_sheet(*case.place) if case.place is not None else None
        before = world.state_of(sid) if sid is not None else None
        counted = _count_sheets(world)
        for token in (None, "wrong-token"):
            r = run(world, case, sid, with_token=False, token=token)
            assert r.status_code == 403, f"{case} with CSRF token {token!r}: {r.status_code} {r.text[:200]}"
            assert "CSRF" in r.text, (str(case), r.text[:200])
        assert _count_sheets(world) == counted, f"{case}: a refused request stored a sheet"
        if sid is not None:
            assert world.state_of(sid) == before, f"{case}: a refused request changed the sheet"
        with_token = run(world, case, sid)
        assert outcome(with_token, is_api(key)) == case.expected, (str(case), with_token.status_code,
                                                                   with_token.text[:200])


def _count_sheets(w: World) -> int:
    with w.tree.session() as s:
        return sheet_service.list_sheets(s, actor=w.tree.actors["admin"])[1]


def test_numbers_beyond_the_integer_columns_are_refused_not_a_server_error(world):
    """SQLite binds integers of 64 bits at most, PostgreSQL's INTEGER has 32: such a
    number in a path or a query is 422 (or 404), never a 500, on both databases,
    signed in or not; a NUL character in a filter finds nothing."""
    draft = world.shared[("A1", "draft")]
    for actor, huge in (("prep_A1", "9" * 25), ("anon", "9" * 25), ("prep_A1", str(2**31 + 1))):
        browser = world.clients[actor]
        for url in (f"/api/v1/sheets/{huge}", f"/api/v1/sheets/{huge}/history", f"/api/v1/sheets?offset={huge}",
                    f"/api/v1/sheets?unit={huge}&year={huge}", f"/api/v1/sheets/{draft}/versions/{huge}",
                    f"/api/v1/sheets/{draft}/diff?from=1&to={huge}", f"/api/v1/public/sheets/{huge}",
                    f"/api/v1/public/sheets?offset={huge}", f"/sheets/{huge}", f"/sheets?page={huge}",
                    f"/public/sheets/{huge}"):
            r = browser.get(url, follow_redirects=False)
            # an id names no sheet or version; an offset past the end finds nothing
            expected = {401, 303} if actor == "anon" and "/public" not in url else \
                {200, 422} if "?" in url and "diff" not in url else {404, 422}
            assert r.status_code in expected, (actor, url, r.status_code, r.text[:200])
        for url in ("/api/v1/sheets?status=%00", "/api/v1/public/sheets?q=%00&unit=%00"):
            r = browser.get(url)
            assert r.status_code in ({401} if actor == "anon" and "/public" not in url else {200, 422}), \
                (actor, url, r.status_code)


def test_someone_elses_token_is_hidden_and_stays_valid(world):
    """Revoking a token of another account answers 404, as if there were none, and
    the token still works; its owner revokes it."""
    from jixiao.services.accounts import create_token
    from jixiao.services.policy import SYSTEM

    with world.tree.session() as s:
        created = create_token(s, actor=SYSTEM, username="prep_A2", name="别人的令牌")
    bearer = {"Authorization": f"Bearer {created.token}"}
    url = f"/account/tokens/{created.id}/revoke"
    for caller in ("prep_A1", "rev_A", "fin"):
        assert world.clients[caller].send("POST", url).status_code == 404, caller
    assert world.clients["anon"].get("/api/v1/me", headers=bearer).status_code == 200
    assert world.clients["prep_A2"].send("POST", url).status_code == 200
    assert world.clients["anon"].get("/api/v1/me", headers=bearer).status_code == 401


#: Odd form input to the pages, which /openapi.json (and so schemathesis) does not cover.
ODD_PAGE_INPUT = [
    ("POST", "/sheets/{d}/edit", {"version": "1", "op": "garbage"}),
    ("POST", "/sheets/{d}/edit", {"version": "1", "op": "del:f99.i99"}),
    ("POST", "/sheets/{d}/edit", {"version": "1", "op": "move:f0.i0:f99"}),
    ("POST", "/sheets/{d}/edit", {"version": "1", "op": "down:f0.i99999999999999999999"}),
    ("POST", "/sheets/{d}/edit", {"version": "99999999999999999999999"}),
    ("POST", "/sheets/{d}/edit", {"version": "1", "move-f0.i0": "f42"}),
    ("POST", "/sheets/{d}/check", {"version": "1", "f0.label": "a", "f0.i0.name": "x", "f0.i0.weight": "abc"}),
    ("POST", "/sheets/{d}/check", {"version": "1", "f0.label": "a", "f0.i0.name": "x", "f0.i0.keep": "[]"}),
    ("POST", "/sheets/{d}/check", {"version": "1", "f0.label": "a", "f0.i0.name": "x",
                                   "f0.i0.keep": '{"actual": "abc", "score": 1e999}'}),
    ("POST", "/sheets/{d}/check", {"version": "1", "f99999.label": "x", "p.i0.name": "x", "p.i0.target": "1e999"}),
    ("POST", "/sheets/{d}/save", {"version": "1", "p.i0.name": "x", "p.i0.weight": "nan"}),
    ("POST", "/sheets/{d}/action", {"action": "bogus"}),
    ("POST", "/sheets/{d}/action", {"action": "submit", "where": "bad", "text": "x"}),
    ("POST", "/sheets/new/confirm", {"document": "not json"}),
    ("POST", "/sheets/new/confirm", {"document": "[]"}),
    ("POST", "/sheets/new/confirm", {"document": '{"schema": "jixiao/sheet@1", "kind": "x"}'}),
    ("POST", "/sheets/new/copy", {"source": "99999999999999999999999", "year": "2025"}),
    ("POST", "/sheets/new/copy", {"source": "{d}", "year": "99999"}),
    ("POST", "/sheets/new/blank", {"kind": "department", "year": "99999999999999999999999"}),
    ("POST", "/sheets/new/upload", {}),
    ("GET", "/sheets/{d}/compare?from=99999999999999999999&to=1", None),
    ("GET", "/sheets?page=abc&year=99999999999999999999&status=%00", None),
    ("POST", "/login", {"username": "x" * 100000, "password": "y"}),
    ("POST", "/admin/users/%00/active", {"active": "1"}),
    ("POST", "/admin/orgs", {"name": "x\x00", "kind": "unit", "parent": "部门A"}),
    ("POST", "/admin/users", {"username": "u\x00", "org": "单位A1", "role": "preparer"}),
    ("POST", "/account/tokens/99999999999999999999/revoke", {}),
    ("GET", "/templates/zzz.xlsx", None),
]


@pytest.mark.parametrize("caller", ["prep_A1", "admin"])
def test_odd_form_input_to_the_pages_is_refused_not_a_server_error(world, caller):
    draft = str(world.shared[("A1", "draft")])
    browser = world.clients[caller]
    wrong = []
    for method, url, data in ODD_PAGE_INPUT:
        url = url.replace("{d}", draft)
        data = {k: v.replace("{d}", draft) for k, v in data.items()} if data is not None else None
        r = browser.send(method, url, data=data, follow_redirects=False)
        if not r.status_code < 500:
            wrong.append(f"{method} {url[:80]} {str(data)[:80]}: {r.status_code}")
    assert not wrong, "\n".join(wrong)
    # A tampered document in the confirm form is the contract's 422, with its message.
    r = browser.send("POST", "/sheets/new/confirm", data={"document": "[]"})
    assert r.status_code == 422 and "对象" in r.text
