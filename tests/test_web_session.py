"""Signing in and out over the API and the pages, the session cookie, CSRF, errors."""
from __future__ import annotations

from db_fixtures import PASSWORD
from fastapi.testclient import TestClient

from jixiao.settings import Settings
from jixiao.web.app import create_app


def test_sign_in_returns_the_user_and_a_csrf_token_and_sets_an_httponly_lax_cookie(web):
    r = web.post("/api/v1/session", json={"username": "prep_A1", "password": PASSWORD})
    assert r.status_code == 200
    body = r.json()
    assert body["user"]["username"] == "prep_A1" and body["user"]["role"] == "preparer"
    assert body["user"]["org"]["name"] == "单位A1" and len(body["csrf_token"]) >= 32
    cookie = r.headers["set-cookie"]
    assert "jixiao_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
    me = web.get("/api/v1/me")
    assert me.status_code == 200 and me.json()["username"] == "prep_A1"


def test_wrong_password_and_unknown_user_get_the_same_401(web):
    a = web.post("/api/v1/session", json={"username": "prep_A1", "password": "错的"})
    b = web.post("/api/v1/session", json={"username": "没有这个人", "password": "错的"})
    assert a.status_code == b.status_code == 401
    assert a.json()["error"]["message"] == b.json()["error"]["message"]
    assert a.json()["error"]["code"] == "unauthenticated"


def test_repeated_failures_answer_429_with_retry_after(web):
    for _ in range(5):
        web.post("/api/v1/session", json={"username": "rev_A", "password": "x"})
    r = web.post("/api/v1/session", json={"username": "rev_A", "password": PASSWORD})
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
    assert "锁定" in r.json()["error"]["message"]


def test_state_changing_request_with_the_cookie_needs_the_csrf_token(sign_in):
    browser = sign_in("prep_A1")
    r = browser.client.delete("/api/v1/session")           # no token
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    assert "CSRF" in r.json()["error"]["message"]
    r = browser.client.delete("/api/v1/session", headers={"X-CSRF-Token": "x" * 43})
    assert r.status_code == 403
    assert browser.client.get("/api/v1/me").status_code == 200   # still signed in
    assert browser.send("DELETE", "/api/v1/session").status_code == 204
    assert browser.client.get("/api/v1/me").status_code == 401


def test_a_cross_site_post_is_refused_even_without_a_session(web):
    r = web.post("/api/v1/session", json={"username": "prep_A1", "password": PASSWORD},
                 headers={"Origin": "https://evil.example"})
    assert r.status_code == 403


def test_sign_out_ends_the_session_in_the_database(sign_in, web):
    browser = sign_in("fin")
    cookie = browser.client.cookies.get("jixiao_session")
    assert browser.send("DELETE", "/api/v1/session").status_code == 204
    # The old cookie, replayed by someone who copied it, no longer works.
    web.cookies.set("jixiao_session", cookie)
    assert web.get("/api/v1/me").status_code == 401


def test_bearer_token_needs_no_csrf_and_a_bad_one_is_401(org_tree, web):
    from jixiao.services import accounts
    from jixiao.services.policy import SYSTEM

    with org_tree.session() as s:
        token = accounts.create_token(s, actor=SYSTEM, username="prep_A1").token
    r = web.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200 and r.json()["username"] == "prep_A1"
    assert web.get("/api/v1/me", headers={"Authorization": "Bearer jx_nope"}).status_code == 401


def test_login_page_signs_in_and_redirects_only_within_the_site(web):
    page = web.get("/login")
    assert page.status_code == 200 and "登录" in page.text and 'lang="zh-CN"' in page.text
    bad = web.post("/login", data={"username": "prep_A1", "password": "错", "next": "/"})
    assert bad.status_code == 401 and "用户名或密码错误" in bad.text
    r = web.post("/login", data={"username": "prep_A1", "password": PASSWORD, "next": "//evil.example/x"},
                 follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"


def test_errors_are_chinese_json_under_api_and_chinese_pages_elsewhere(web):
    api = web.get("/api/v1/no-such-route")
    assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"
    assert "不存在" in api.json()["error"]["message"]
    page = web.get("/no-such-page")
    assert page.status_code == 404 and "找不到页面" in page.text
    bad = web.post("/api/v1/session", json={"username": 3})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid"
    assert bad.json()["error"]["details"]["fields"]


def test_healthz_and_security_headers(web):
    r = web.get("/healthz")
    assert r.status_code == 200 and r.json()["status"] == "ok"
    assert r.json()["database"] in ("sqlite", "postgresql")
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"


def test_healthz_is_503_in_chinese_when_the_database_is_unreachable(tmp_path):
    # A database file in a folder that does not exist: SQLite cannot open it.
    settings = Settings(database_url=f"sqlite:///{tmp_path}/gone/jixiao.db")
    with TestClient(create_app(settings), base_url="http://testserver") as client:
        r = client.get("/healthz")
    assert r.status_code == 503 and r.json()["error"]["code"] == "database_unavailable"
    assert "数据库" in r.json()["error"]["message"]


def test_api_docs_work_offline(web):
    page = web.get("/api/docs")
    assert page.status_code == 200 and "/static/vendor/swagger-ui" in page.text and "http" not in \
        page.text.split("<body>")[0].replace('http-equiv', '')
    assert web.get("/static/vendor/swagger-ui-5.35.0-bundle.js").status_code == 200
    spec = web.get("/openapi.json").json()
    assert "/api/v1/session" in spec["paths"]


def test_a_body_over_the_upload_limit_is_refused_before_it_is_read(web):
    r = web.post("/api/v1/session", content=b"x" * (3 * 1024 * 1024), headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"


def test_production_refuses_the_default_key_and_an_sqlite_file_it_cannot_lock(tmp_path):
    import os

    import pytest

    from jixiao.errors import SettingsInvalid
    from jixiao.settings import Settings, load_settings
    from jixiao.storage import upgrade
    from jixiao.web import create_app

    with pytest.raises(SettingsInvalid, match="默认密钥"):
        load_settings({"JIXIAO_ENV": "production"}, dotenv=None)
    with pytest.raises(SettingsInvalid, match="太短"):
        load_settings({"JIXIAO_ENV": "production", "JIXIAO_SECRET_KEY": "short"}, dotenv=None)
    with pytest.raises(SettingsInvalid, match="JIXIAO_MAX_UPLOAD_MB"):
        load_settings({"JIXIAO_MAX_UPLOAD_MB": "many"}, dotenv=None)
    folder = tmp_path / "ro"
    folder.mkdir()
    url = f"sqlite:///{folder / 'j.db'}"
    upgrade(url)
    key = "k" * 40
    create_app(Settings(database_url=url, env="production", secret_key=key))   # writable: fine
    os.chmod(folder / "j.db", 0o444)
    os.chmod(folder, 0o555)
    try:
        if os.geteuid() == 0:   # root writes anyway; make the file unlockable another way
            import sqlite3

            holder = sqlite3.connect(folder / "j.db", timeout=0, isolation_level=None)
            holder.execute("BEGIN EXCLUSIVE")
        settings = Settings(database_url=url, env="production", secret_key=key)
        from jixiao.storage import engine as storage_engine

        old = storage_engine.SQLITE_BUSY_TIMEOUT_MS
        storage_engine.SQLITE_BUSY_TIMEOUT_MS = 100
        try:
            with pytest.raises(SettingsInvalid, match="无法加锁"):
                create_app(settings)
        finally:
            storage_engine.SQLITE_BUSY_TIMEOUT_MS = old
    finally:
        os.chmod(folder, 0o755)


def test_settings_come_from_the_environment_over_a_dotenv_file(tmp_path):
    from jixiao.settings import SETTINGS, Settings, load_settings

    env_file = tmp_path / ".env"
    env_file.write_text("# 注释\nJIXIAO_MAX_UPLOAD_MB=5\nexport JIXIAO_SESSION_HOURS='3'\n", encoding="utf-8")
    s = load_settings({"JIXIAO_SESSION_HOURS": "4"}, dotenv=env_file)
    assert s.max_upload_mb == 5 and s.session_hours == 4 and s.database_url == "sqlite:///jixiao.db"
    assert {x.field: x.default for x in SETTINGS} == {f: getattr(Settings(), f) for f in Settings.__slots__}
