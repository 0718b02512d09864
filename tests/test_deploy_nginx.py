"""docs/deploy.md's nginx block, systemd unit and PostgreSQL commands, run for real.

The ```nginx block is taken verbatim; only what a test cannot use is rewritten,
each rewrite checked to hit exactly once (a changed document fails here rather
than being tested half): the listen port (a free one on 127.0.0.1), the
certificate (self-signed for localhost, made with openssl) and the upstream port.
A minimal nginx.conf around it keeps nginx's pid, logs and temporary files in
tmp_path. Behind it runs the unit's ExecStart (``jixiao serve --host 127.0.0.1
--port … --workers …``, the port free, 2 workers) in its WorkingDirectory, the
production settings only in that folder's ``.env`` (the unit's EnvironmentFile),
the secret key made by the command the settings table gives, on an SQLite file
with no tables yet (serve migrates it first). Through https://localhost:PORT,
verified against the generated certificate: /healthz, HTTP/2, the security
headers, a JSON sign-in whose cookie is Secure, the upload cap (exactly
``client_max_body_size`` reaches the app, one byte more is nginx's 413), and the
app's access log naming the real client (it connects from 127.0.0.2, nginx talks
to the app from 127.0.0.1, and a spoofed X-Forwarded-For is ignored) and a
redirect saying https. Skips only when nginx is not installed
(scripts/system-packages.sh test installs it).
"""
from __future__ import annotations

import configparser
import http.client
import json
import os
import re
import shlex
import shutil
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import pytest
from db_fixtures import PASSWORD
from test_web_deploy import _call, _port, _stop

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "docs" / "deploy.md"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
JIXIAO = Path(sys.executable).parent / "jixiao"     # this checkout's .venv/bin/jixiao, as in the unit
CLIENT = "127.0.0.2"          # the browser's address, distinct from nginx's own 127.0.0.1 towards the app
SPOOFED = "203.0.113.7"       # what a client claims in its own X-Forwarded-For
USER = "caizheng"

pytestmark = pytest.mark.skipif(not Path(NGINX).exists(),
                                reason="nginx is not installed (scripts/system-packages.sh test installs it)")


def _fenced(lang: str) -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```$", DEPLOY.read_text(encoding="utf-8"), re.S | re.M)


def _once(pattern: str, repl: str, text: str) -> str:
    new, n = re.subn(pattern, repl, text)
    assert n == 1, f"docs/deploy.md's nginx block: expected one match of {pattern!r}, found {n}"
    return new


def _server_block(*, port: int, upstream: int, cert: Path, key: Path) -> str:
    (block,) = _fenced("nginx")
    assert block.lstrip().startswith("server {")
    block = _once(r"\blisten 443\b", f"listen 127.0.0.1:{port}", block)
    block = _once(r"/etc/ssl/jixiao\.crt", str(cert), block)
    block = _once(r"/etc/ssl/jixiao\.key", str(key), block)
    return _once(r"proxy_pass http://127\.0\.0\.1:8000;", f"proxy_pass http://127.0.0.1:{upstream};", block)


def _unit() -> configparser.ConfigParser:
    (text,) = _fenced("ini")
    unit = configparser.ConfigParser(interpolation=None)
    unit.optionxform = str
    unit.read_string(text)
    return unit


def _exec_start(port: int, workers: int) -> list[str]:
    """The unit's ExecStart, with this checkout's jixiao and a free port."""
    argv = shlex.split(_unit()["Service"]["ExecStart"])
    assert argv[0] == "/srv/jixiao/.venv/bin/jixiao", argv
    for flag, value in (("--port", port), ("--workers", workers)):
        assert flag in argv, argv
        argv[argv.index(flag) + 1] = str(value)
    return [str(JIXIAO), *argv[1:]]


def _secret_key() -> str:
    """A key made by the command the settings table gives."""
    (command,) = re.findall(r'`(python3 -c "[^"`]+")`', DEPLOY.read_text(encoding="utf-8"))
    argv = shlex.split(command)
    made = subprocess.run([sys.executable, *argv[1:]], capture_output=True, text=True, check=True, timeout=60)
    key = made.stdout.strip()
    assert len(key) >= 32 and "\n" not in key
    return key


def _certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "jixiao.crt", folder / "jixiao.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True, timeout=60)
    return cert, key


def _nginx_conf(folder: Path, server: str) -> Path:
    (folder / "jixiao.conf").write_text(server, encoding="utf-8")
    # As root nginx's workers would run as nobody, who cannot enter pytest's 0700 tmp_path.
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = folder / "nginx.conf"
    conf.write_text(f"""daemon off;
{user}worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log notice;
events {{ worker_connections 64; }}
http {{
    access_log {folder}/access.log;
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/jixiao.conf;
}}
""", encoding="utf-8")
    return conf


def _start_app(srv: Path, db_url: str, port: int) -> tuple[subprocess.Popen, Path]:
    """The unit's ExecStart in its WorkingDirectory, the settings only in ``.env``."""
    srv.mkdir()
    (srv / ".env").write_text(f"JIXIAO_ENV=production\nJIXIAO_SECRET_KEY={_secret_key()}\n"
                              f"JIXIAO_DATABASE_URL={db_url}\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIXIAO_")}
    log = srv / "journal.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(_exec_start(port, workers=2), cwd=srv, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    return proc, log


def _wait(what: str, proc: subprocess.Popen, ready, log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        assert proc.poll() is None, f"{what} exited:\n{log.read_text()}"
        try:
            if ready():
                return
        except OSError:
            pass
        assert time.monotonic() < deadline, f"{what} did not answer within 60 s:\n{log.read_text()}"
        time.sleep(0.2)


BOUNDARY = "jixiao-test-boundary"


def _multipart(size: int) -> bytes:
    """A multipart upload of one file, ``size`` bytes in all."""
    head = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.xlsx\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    return head + b"\0" * (size - len(head) - len(tail)) + tail


class Proxied:
    def __init__(self, port: int, ca: Path, app_log: Path):
        self.port, self.ca, self.app_log = port, ca, app_log
        self.tls = ssl.create_default_context(cafile=str(ca))

    def request(self, method: str, path: str, *, body: bytes | None = None, headers: dict | None = None):
        """(status, headers with lower-case names, body) from https://localhost:PORT, sent from CLIENT."""
        conn = http.client.HTTPSConnection("localhost", self.port, context=self.tls, timeout=30,
                                           source_address=(CLIENT, 0))
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            conn.close()

    def access_log(self) -> list[dict]:
        return [json.loads(line) for line in self.app_log.read_text().splitlines() if line.startswith("{")]


def _first_account(url: str, password_hash: str) -> None:
    """An account on the database ``jixiao serve`` has just migrated."""
    from db_fixtures import Db

    from jixiao.services import accounts
    from jixiao.services.policy import SYSTEM
    from jixiao.storage.models import User

    db = Db(url)
    try:
        with db.session() as s:
            org = accounts.create_org(s, actor=SYSTEM, name="财政局", kind="finance")
            s.add(User(username=USER, password_hash=password_hash, role="finance", org_id=org.id))
            s.commit()
    finally:
        db.engine.dispose()


@pytest.fixture
def proxied(empty_db_url, _password_hash, tmp_path, request):
    cert, key = _certificate(tmp_path)
    app_port, port = _port(), _port()
    # A database with no tables: the unit's command migrates it before it serves (an upgrade is a restart).
    app, app_log = _start_app(tmp_path / "srv", empty_db_url, app_port)
    request.addfinalizer(lambda: _stop(app))
    conf = _nginx_conf(tmp_path, _server_block(port=port, upstream=app_port, cert=cert, key=key))
    nginx_cmd = [NGINX, "-p", str(tmp_path), "-e", str(tmp_path / "error.log"), "-c", str(conf)]
    checked = subprocess.run([*nginx_cmd, "-t"], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0 and "[emerg]" not in checked.stderr, checked.stderr
    assert "[warn]" not in checked.stderr, checked.stderr
    nginx_log = tmp_path / "nginx.out"
    with open(nginx_log, "w") as out:
        nginx = subprocess.Popen(nginx_cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    request.addfinalizer(lambda: _stop(nginx))
    _wait("jixiao serve", app, lambda: _call(f"http://127.0.0.1:{app_port}", "/healthz")[0] == 200, app_log)
    _first_account(empty_db_url, _password_hash)
    client = Proxied(port, cert, app_log)
    _wait("nginx", nginx, lambda: client.request("GET", "/healthz")[0] == 200, tmp_path / "error.log")
    return client


@pytest.mark.parametrize("empty_db_url", ["sqlite"], indirect=True)   # nginx's part does not depend on the database
def test_documented_nginx_config_in_front_of_the_documented_service(proxied):
    # /healthz through TLS, certificate verified; HTTP/2 offered as the listen line says.
    status, headers, body = proxied.request("GET", "/healthz")
    assert status == 200 and json.loads(body) == {"status": "ok", "database": "sqlite"}
    status, headers, _ = proxied.request("GET", "/login")
    assert status == 200 and headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self'" in headers["content-security-policy"]
    alpn = ssl.create_default_context(cafile=str(proxied.ca))
    alpn.set_alpn_protocols(["h2", "http/1.1"])
    with socket.create_connection(("localhost", proxied.port), timeout=10) as raw, \
            alpn.wrap_socket(raw, server_hostname="localhost") as tls:
        assert tls.selected_alpn_protocol() == "h2"

    # Sign-in through the JSON API: the cookie is Secure behind TLS, and it works on the next request.
    status, headers, body = proxied.request(
        "POST", "/api/v1/session", body=json.dumps({"username": USER, "password": PASSWORD}).encode(),
        headers={"Content-Type": "application/json", "X-Forwarded-For": SPOOFED})
    assert status == 200, body
    attributes = [a.strip().lower() for a in headers["set-cookie"].split(";")]
    assert {"secure", "httponly", "samesite=lax"} <= set(attributes), headers["set-cookie"]
    cookie = headers["set-cookie"].split(";")[0]
    assert proxied.request("GET", "/api/v1/me", headers={"Cookie": cookie})[0] == 200

    # The app sees the scheme nginx was reached by: a redirect it builds from the request URL is https.
    status, headers, _ = proxied.request("GET", "/api/v1/me/", headers={"Cookie": cookie})
    assert status == 307 and headers["location"].startswith("https://localhost"), (status, headers)

    # client_max_body_size = JIXIAO_MAX_UPLOAD_MB: a request of exactly that size passes nginx and reaches
    # the app (which answers it, here 403 for want of a CSRF token), one byte more is refused by nginx
    # and never reaches the app.
    from jixiao.settings import Settings

    (cap,) = re.findall(r"client_max_body_size (\d+)m;", _fenced("nginx")[0])
    assert int(cap) == Settings().max_upload_mb
    for size, expected in ((int(cap) * 1024 * 1024, 403), (int(cap) * 1024 * 1024 + 1, 413)):
        status, headers, body = proxied.request("POST", "/api/v1/sheets", body=_multipart(size),
                                                headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
                                                         "Cookie": cookie})
        assert status == expected, (size, status, body[:300])
    assert headers["server"].startswith("nginx") and b"413 Request Entity Too Large" in body

    # The app's access log: the real client (not nginx's 127.0.0.1, not what the client claimed), and
    # no line at all for the refused upload.
    lines = proxied.access_log()
    (signed_in,) = [line for line in lines if line["path"] == "/api/v1/session"]
    assert signed_in["client"] == CLIENT and signed_in["status"] == 200
    assert {line["client"] for line in lines if line["path"].startswith("/api/")} == {CLIENT}
    (upload,) = [line for line in lines if line["path"] == "/api/v1/sheets"]
    assert upload["status"] == 403


def test_documented_systemd_unit_is_valid(tmp_path):
    """The unit as written, checked by systemd itself; only ExecStart's program is this checkout's
    (systemd refuses a unit whose program does not exist)."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (Debian's systemd package)")
    (text,) = _fenced("ini")
    unit = tmp_path / "jixiao.service"
    unit.write_text(_once(r"/srv/jixiao/\.venv/bin/jixiao", str(JIXIAO), text), encoding="utf-8")
    done = subprocess.run([analyze, "verify", str(unit)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and not done.stdout.strip() and not done.stderr.strip(), done.stdout + done.stderr


def test_documented_postgresql_setup_gives_an_owner_that_migrates(pg_cluster, tmp_path, request):
    """The PostgreSQL block's commands against the test cluster: ``sudo -u postgres`` is the cluster's
    own user (runuser as root), each program gets the cluster's address; the password is typed at
    createuser's prompt. The database's owner, not a superuser, then migrates it."""
    import psycopg

    from jixiao.storage.migrate import current_revision, head_revision

    (block,) = [b for b in _fenced("sh") if "createuser" in b]
    install, createuser, createdb, upgrade = block.strip().splitlines()
    assert install == "apt-get install -y postgresql"   # scripts/system-packages.sh test installs it

    def admin(sql: str) -> None:
        with psycopg.connect(host="127.0.0.1", port=pg_cluster.port, user="postgres", dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(sql)

    request.addfinalizer(lambda: (admin("DROP DATABASE IF EXISTS jixiao WITH (FORCE)"),
                                  admin("DROP ROLE IF EXISTS jixiao")))
    connection = ["-h", "127.0.0.1", "-p", str(pg_cluster.port), "-U", "postgres"]
    for line in (createuser, createdb):
        argv = shlex.split(line)
        assert argv[:3] == ["sudo", "-u", "postgres"], argv
        # A new session has no terminal, so the password prompt reads standard input.
        done = subprocess.run([*pg_cluster.prefix, str(pg_cluster.bin / argv[3]), *connection, *argv[4:]],
                              input="密码\n密码\n", capture_output=True, text=True, timeout=60,
                              start_new_session=True, cwd=tmp_path)
        assert done.returncode == 0, done.stderr

    assignment, *argv = shlex.split(upgrade)
    name, _, url = assignment.partition("=")
    assert name == "JIXIAO_DATABASE_URL" and argv == ["jixiao", "db", "upgrade"], upgrade
    url = _once(r"@127\.0\.0\.1/", f"@127.0.0.1:{pg_cluster.port}/", url)
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("JIXIAO_")}, name: url}
    done = subprocess.run([str(JIXIAO), *argv[1:]], env=env, capture_output=True, text=True, timeout=120,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert current_revision(url) == head_revision()
    with psycopg.connect(host="127.0.0.1", port=pg_cluster.port, user="jixiao", password="密码",
                         dbname="jixiao") as conn:
        owners = {row[0] for row in conn.execute("SELECT tableowner FROM pg_tables WHERE schemaname = 'public'")}
        superuser = conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()[0]
        triggers = conn.execute("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgrelid IN "
                                "('audit_events'::regclass, 'sheet_versions'::regclass)").fetchone()[0]
    assert owners == {"jixiao"} and superuser is False and triggers >= 2
    with psycopg.connect(host="127.0.0.1", port=pg_cluster.port, user="postgres", dbname="postgres") as conn:
        assert conn.execute("SELECT rolpassword LIKE 'SCRAM-SHA-256$%' FROM pg_authid "
                            "WHERE rolname = 'jixiao'").fetchone()[0], "createuser --pwprompt set no password"
