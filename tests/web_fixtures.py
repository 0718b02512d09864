"""The web app on each test database, and signed-in clients for the accounts of ``org_tree``."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from db_fixtures import PASSWORD
from fastapi.testclient import TestClient

from jixiao.settings import Settings
from jixiao.web import create_app


class Browser:
    """A TestClient with its session's CSRF token, like a signed-in browser."""

    def __init__(self, client: TestClient, csrf: str = ""):
        self.client = client
        self.csrf = csrf

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        return {**({"X-CSRF-Token": self.csrf} if self.csrf else {}), **(extra or {})}

    def get(self, url: str, **kw):
        return self.client.get(url, **kw)

    def send(self, method: str, url: str, *, headers: dict[str, str] | None = None, **kw):
        return self.client.request(method, url, headers=self.headers(headers), **kw)


@pytest.fixture
def web(org_tree) -> Iterator[TestClient]:
    """The app on ``org_tree``'s database (both backends), not signed in."""
    settings = Settings(database_url=org_tree.db.url, max_upload_mb=2)
    with TestClient(create_app(settings, engine=org_tree.db.engine), base_url="http://testserver") as client:
        yield client


@pytest.fixture
def sign_in(web):
    """``sign_in("prep_A1")`` -> a Browser signed in as that account (a fresh cookie jar each)."""
    clients: list[TestClient] = []

    def make(username: str) -> Browser:
        client = TestClient(web.app, base_url="http://testserver")
        clients.append(client)
        r = client.post("/api/v1/session", json={"username": username, "password": PASSWORD})
        assert r.status_code == 200, r.text
        return Browser(client, r.json()["csrf_token"])

    yield make
    for c in clients:
        c.close()
