"""The production shape, run for real: ``jixiao serve --workers 2`` on PostgreSQL with
production settings. Sessions and sign-in throttling live in the database, so they
hold whichever worker answers; each request is one JSON log line; a default secret
stops the start."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from db_fixtures import PASSWORD

SECRET = "production-secret-" + "x" * 40


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _call(base: str, path: str, *, body: dict | None = None, cookie: str = "", method: str | None = None):
    req = urllib.request.Request(base + path, data=json.dumps(body).encode() if body is not None else None,
                                 method=method, headers={"Content-Type": "application/json", "Cookie": cookie})
    try:
        with urllib.request.urlopen(req, timeout=20) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def _serve(url: str, folder, name: str, workers: int = 1):
    """``jixiao serve`` in production mode on ``url``; returns (process, base URL, log file)."""
    port = _port()
    env = {**os.environ, "JIXIAO_DATABASE_URL": url, "JIXIAO_ENV": "production", "JIXIAO_SECRET_KEY": SECRET}
    log = folder / f"{name}.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "jixiao", "serve", "--workers", str(workers), "--port",
                                 str(port)], env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                cwd=folder)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        assert proc.poll() is None, log.read_text()
        try:
            if _call(base, "/healthz")[0] == 200:
                return proc, base, log
        except OSError:
            pass
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.3)


def _stop(proc) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=30)


@pytest.fixture
def served(org_tree, tmp_path):
    if org_tree.db.backend != "postgresql":
        pytest.skip("the several-worker shape runs on PostgreSQL")
    proc, base, log = _serve(org_tree.db.url, tmp_path, "serve", workers=2)
    yield base, log
    _stop(proc)


def test_two_app_processes_share_sessions_and_throttling(org_tree, tmp_path):
    if org_tree.db.backend != "postgresql":
        pytest.skip("two servers share one PostgreSQL")
    (one, a, _), (two, b, _) = _serve(org_tree.db.url, tmp_path, "one"), _serve(org_tree.db.url, tmp_path, "two")
    try:
        status, headers, _ = _call(a, "/api/v1/session", body={"username": "prep_A1", "password": PASSWORD})
        assert status == 200
        cookie = headers["set-cookie"].split(";")[0]
        assert _call(b, "/api/v1/me", cookie=cookie)[0] == 200          # a session made on one, valid on two
        for base in (a, b, a, b, a):                                    # 5 failures, spread over both
            assert _call(base, "/api/v1/session", body={"username": "rev_A", "password": "错"})[0] == 401
        for base in (a, b):                                              # locked on both
            assert _call(base, "/api/v1/session", body={"username": "rev_A", "password": PASSWORD})[0] == 429
        assert _call(a, "/api/v1/session", method="DELETE", cookie=cookie)[0] == 403   # CSRF still needed
    finally:
        _stop(one)
        _stop(two)


def test_sessions_and_throttling_hold_across_workers(served):
    base, log = served
    status, headers, body = _call(base, "/api/v1/session", body={"username": "prep_A1", "password": PASSWORD})
    assert status == 200 and "Secure" in headers["set-cookie"]
    cookie = headers["set-cookie"].split(";")[0]
    assert all(_call(base, "/api/v1/me", cookie=cookie)[0] == 200 for _ in range(20))
    for _ in range(5):
        assert _call(base, "/api/v1/session", body={"username": "rev_A", "password": "错"})[0] == 401
    assert all(_call(base, "/api/v1/session", body={"username": "rev_A", "password": PASSWORD})[0] == 429
               for _ in range(4))
    assert _call(base, "/api/v1/session", method="DELETE", cookie=cookie)[0] == 403   # no CSRF token
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    me = [line for line in lines if line["path"] == "/api/v1/me"]
    assert len(me) == 20 and all(line["status"] == 200 and line["ms"] >= 0 for line in me)


def test_production_refuses_to_start_with_the_default_secret(tmp_path):
    env = {**os.environ, "JIXIAO_ENV": "production", "JIXIAO_DATABASE_URL": f"sqlite:///{tmp_path / 'j.db'}"}
    env.pop("JIXIAO_SECRET_KEY", None)
    result = subprocess.run([sys.executable, "-m", "jixiao", "serve", "--port", str(_port())], env=env,
                            capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert result.returncode == 2 and "JIXIAO_SECRET_KEY" in result.stderr and "Traceback" not in result.stderr
