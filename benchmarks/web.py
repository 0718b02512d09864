#!/usr/bin/env python3
"""The web application under load: uvicorn on 127.0.0.1, an asyncio client, figures per scenario.

The script prepares its own database — an SQLite file in a temporary folder, or with
``--database postgresql`` a throwaway PostgreSQL cluster (tests/db_fixtures.py
``_start_cluster``, stopped and removed at the end) — migrates it, creates an org tree
(one 财政局, departments, units; a preparer per unit, a reviewer per department, one
finance account) through ``jixiao.services.accounts``, sheets of 50 indicators
(tests/generator.py ``make_sheet``, trimmed to 50, none with an error-level finding)
through ``services.sheets.create_sheet``, and publishes ``--published`` of them
(submit, pass, approve, publish through ``services.workflow.perform_action``). Then it
starts ``python -m uvicorn --factory benchmarks.web:make_bench_app --workers N`` as a
subprocess (the app of ``jixiao.web.asgi:make_app`` plus, for scenario ``static``,
StaticFiles mounted at /bench-static — benchmark code stays out of the jixiao
package), waits for /healthz and runs each scenario for ``--seconds`` after a warm-up
of ``--warmup`` seconds, with ``--clients`` concurrent keep-alive connections (one
``httpx2.AsyncClient`` each):

  view     signed-in GET /sheets/{id}: the HTML view of a 50-indicator draft (the checker
           runs on every view), each client its own sheet
  static   GET /bench-static/sheet.html: the page ``view`` answered, byte for byte,
           written to a file and served by the same server (StaticFiles)
  save     PUT /api/v1/sheets/{id} with If-Match (one goal's text changed), then
           GET /api/v1/sheets/{id}/findings; each client its own sheet; 412s counted
           as conflicts
  public   anonymous GET /public/sheets/{id} of random published sheets
  search   anonymous GET /api/v1/public/sheets?q=<a word of an indicator name>
  export   anonymous GET /api/v1/public/export/{year}.csv: the whole year streamed;
           first one request alone (bytes, time to first and last byte), then under
           load with ``--export-clients`` clients; the server's resident memory before
           and after

The load generator runs on the same machine as the server and shares its cores; on a
2-core machine it takes a noticeable share of the CPU, so the figures are a lower
bound of what the server alone would do. Latency is measured from sending the request
to the last byte of the answer. Any status outside 2xx counts as an error, listed by
status (and exceptions by type). Prints tables; asserts nothing.

    .venv/bin/python benchmarks/web.py                                  # issue 11: SQLite, 1 worker
    .venv/bin/python benchmarks/web.py --database postgresql --workers 4 --clients 64   # issue 14
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STATIC_ENV = "JIXIAO_BENCH_STATIC_DIR"
STATIC_NAME = "sheet.html"
SESSION_COOKIE = "jixiao_session"
PASSWORD = "bench-password-2026"
YEAR = 2024
SCENARIOS = ("view", "static", "save", "public", "search", "export")


# ----------------------------------------------------------------- the app uvicorn serves

def make_bench_app():  # -> FastAPI
    """``jixiao.web.asgi.make_app()`` (settings from the environment) with the folder
    named by ``JIXIAO_BENCH_STATIC_DIR`` served at /bench-static (scenario ``static``)."""
    from starlette.staticfiles import StaticFiles

    from jixiao.web.asgi import make_app

    app = make_app()
    folder = os.environ.get(STATIC_ENV)
    if folder:
        app.mount("/bench-static", StaticFiles(directory=folder), name="bench-static")
    return app


# ------------------------------------------------------------------------ the database

@dataclass
class Prepared:
    url: str
    drafts: list[tuple[int, str]]           # (sheet id, preparer user name), one per client
    published: list[int]
    words: list[str]                        # search words taken from published indicator names
    indicators: int                         # indicators of the published sheets
    timings: dict[str, float] = field(default_factory=dict)


def _sheet_of_50(rng: random.Random, unit: str, supervisor: str):
    """A generated department sheet trimmed to exactly 50 indicators, as a declaration
    of ``unit`` for YEAR; None when the checker finds an error in it."""
    from generator import make_sheet

    from jixiao.services.documents import check_document

    while True:
        sheet = make_sheet(rng, kind="department", regime="classic", functions=4)
        if len(sheet.all_indicators()) >= 50:
            break
    while len(sheet.all_indicators()) > 50:
        biggest = max(sheet.functions, key=lambda f: len(f.indicators))
        biggest.indicators.pop()
    sheet.year, sheet.stage = YEAR, "declaration"
    sheet.title = f"{YEAR}年部门整体支出绩效目标申报表"
    sheet.unit, sheet.supervisor = unit, supervisor
    report = check_document(sheet=sheet)
    if any(d.severity == "error" for d in report.findings):
        return None
    return sheet


def _org_names(departments: int, units: int) -> list[tuple[str, list[str]]]:
    from generator import _BUREAUS

    bureaus = list(_BUREAUS)
    tree = []
    per = -(-units // departments)
    left = units
    for d in range(departments):
        bureau = bureaus[d % len(bureaus)] + ("" if d < len(bureaus) else f"{d // len(bureaus) + 1}")
        subs = [f"潢源县{s}" for s in _BUREAUS.get(bureaus[d % len(bureaus)], [])][:per]
        subs = [s + ("" if d < len(bureaus) else f"{d // len(bureaus) + 1}") for s in subs]
        while len(subs) < per:
            subs.append(f"潢源县{bureau}第{len(subs) + 1}服务中心")
        take = min(per, left)
        left -= take
        tree.append((f"潢源县{bureau}", subs[:take]))
    return [t for t in tree if t[1]]


def prepare(url: str, *, clients: int, published: int, units: int, sessions: int, seed: int) -> Prepared:
    from sqlalchemy import select

    from jixiao.services import accounts, sheets, workflow
    from jixiao.services.policy import SYSTEM
    from jixiao.storage import make_engine, session_factory, upgrade
    from jixiao.storage.models import User

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    upgrade(url)
    timings["migrate"] = time.perf_counter() - t0
    engine = make_engine(url)
    Session = session_factory(engine)
    try:
        t0 = time.perf_counter()
        tree = _org_names(max(1, -(-units // 5)), units)
        with Session() as s:
            accounts.create_org(s, actor=SYSTEM, name="潢源县财政局", kind="finance")
            accounts.create_user(s, actor=SYSTEM, username="caizheng", org="潢源县财政局", role="finance",
                                 password=PASSWORD)
            unit_list: list[tuple[str, str, str, str]] = []   # (unit, department, preparer, reviewer)
            for d, (dept, unit_names) in enumerate(tree):
                accounts.create_org(s, actor=SYSTEM, name=dept, kind="department")
                reviewer = f"zhuguan{d + 1}"
                accounts.create_user(s, actor=SYSTEM, username=reviewer, org=dept, role="dept_reviewer",
                                     password=PASSWORD)
                for unit in unit_names:
                    accounts.create_org(s, actor=SYSTEM, name=unit, kind="unit", parent=dept)
                    preparer = f"tianbao{len(unit_list) + 1}"
                    accounts.create_user(s, actor=SYSTEM, username=preparer, org=unit, role="preparer",
                                         password=PASSWORD)
                    unit_list.append((unit, dept, preparer, reviewer))
            ids = dict(s.execute(select(User.username, User.id)).all())
            actors = {name: accounts.actor_for_user(s, user_id=uid) for name, uid in ids.items()}
        timings["orgs and accounts"] = time.perf_counter() - t0

        rng = random.Random(seed)
        skipped = 0

        def next_sheet(k: int):
            nonlocal skipped
            unit, dept, _, _ = unit_list[k % len(unit_list)]
            while True:
                sheet = _sheet_of_50(rng, unit, dept)
                if sheet is not None:
                    return sheet
                skipped += 1

        t0 = time.perf_counter()
        public_ids: list[int] = []
        words: list[str] = []
        n_ind = 0
        with Session() as s:
            for k in range(published):
                unit, dept, preparer, reviewer = unit_list[k % len(unit_list)]
                sheet = next_sheet(k)
                sid = sheets.create_sheet(s, actor=actors[preparer], document=sheet).info.id
                workflow.perform_action(s, actor=actors[preparer], sheet_id=sid, action="submit")
                workflow.perform_action(s, actor=actors[reviewer], sheet_id=sid, action="pass")
                workflow.perform_action(s, actor=actors["caizheng"], sheet_id=sid, action="approve")
                workflow.perform_action(s, actor=actors["caizheng"], sheet_id=sid, action="publish")
                public_ids.append(sid)
                n_ind += len(sheet.all_indicators())
                if len(words) < 200:
                    words.append(_word(rng, rng.choice(sheet.all_indicators())[1].name))
        timings[f"{published} sheets created and published"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        drafts: list[tuple[int, str]] = []
        with Session() as s:
            for c in range(clients):
                # client c signs in as preparer c % sessions (a preparer with several tabs open)
                unit, dept, preparer, _ = unit_list[(c % sessions) % len(unit_list)]
                sid = sheets.create_sheet(s, actor=actors[preparer], document=next_sheet(c)).info.id
                drafts.append((sid, preparer))
        timings[f"{clients} drafts created"] = time.perf_counter() - t0
        if skipped:
            timings[f"(generated sheets skipped for error-level findings: {skipped})"] = 0.0
    finally:
        engine.dispose()
    return Prepared(url, drafts, public_ids, [w for w in words if w] or ["满意度"], n_ind, timings)


def _word(rng: random.Random, name: str) -> str:
    """A word of an indicator name: 2-4 consecutive Chinese characters of it."""
    runs, run = [], ""
    for ch in name:
        if "\u4e00" <= ch <= "\u9fff":
            run += ch
        else:
            if len(run) >= 2:
                runs.append(run)
            run = ""
    if len(run) >= 2:
        runs.append(run)
    if not runs:
        return ""
    run = rng.choice(runs)
    size = min(len(run), rng.randint(2, 4))
    start = rng.randint(0, len(run) - size)
    return run[start:start + size]


def start_postgres():  # -> (PgCluster, url)
    sys.path.insert(0, str(ROOT / "tests"))
    from db_fixtures import _start_cluster

    cluster = _start_cluster("bench")
    # The fixture's max_connections=60 is tight for 4 workers with SQLAlchemy's pool of 5+10
    # connections each: restart with Debian's usual headroom.
    options = (f"-p {cluster.port} -k {cluster.root} -c listen_addresses=127.0.0.1 -c fsync=off "
               "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
    restarted = cluster.pg_ctl("-o", options, "-l", str(cluster.root / "log"), "-w", "-t", "60",
                               "-m", "fast", "restart")
    if restarted.returncode != 0:
        raise RuntimeError(f"pg_ctl restart failed: {restarted.stderr}")
    return cluster, cluster.create_database("jixiao_bench")


# -------------------------------------------------------------------------- the server

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(url: str, workers: int, port: int, folder: Path) -> subprocess.Popen:
    env = dict(os.environ, JIXIAO_DATABASE_URL=url, JIXIAO_SECRET_KEY=secrets.token_urlsafe(48),
               JIXIAO_ENV="development", **{STATIC_ENV: str(folder / "static")})
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    log = open(folder / "server.log", "wb")
    # cwd: the temporary folder, so that no .env of the working tree is read.
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "benchmarks.web:make_bench_app", "--app-dir", str(ROOT),
         "--workers", str(workers), "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
         "--no-access-log"], env=env, cwd=folder, stdout=log, stderr=subprocess.STDOUT)


def wait_healthy(base: str, server: subprocess.Popen, folder: Path, timeout: float = 90) -> float:
    import httpx2

    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if server.poll() is not None:
            break
        try:
            if httpx2.get(f"{base}/healthz", timeout=2).status_code == 200:
                return time.perf_counter() - t0
        except httpx2.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the server did not become healthy:\n" +
                       (folder / "server.log").read_text(errors="replace")[-3000:])


def server_pids(pid: int) -> list[int]:
    """The uvicorn process and its workers (children), from /proc."""
    pids = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                pids += [int(p) for p in f.read().split()]
    except OSError:
        pass
    return pids


def memory_mb(pid: int) -> tuple[float, float]:
    """(resident MB now, peak resident MB) summed over the server's processes."""
    rss = hwm = 0
    for p in server_pids(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        rss += int(line.split()[1])
                    elif line.startswith("VmHWM:"):
                        hwm += int(line.split()[1])
        except OSError:
            pass
    return rss / 1024, hwm / 1024


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# --------------------------------------------------------------------------- the load

@dataclass
class Stats:
    label: str
    clients: int
    latencies: list[float] = field(default_factory=list)     # ms
    errors: Counter = field(default_factory=Counter)
    conflicts: int = 0
    elapsed: float = 0.0
    note: str = ""
    cpu: dict[str, float] = field(default_factory=dict)     # CPU seconds used in the window, by whom

    def add(self, ms: float, status: int | str) -> None:
        if isinstance(status, int) and 200 <= status < 300:
            self.latencies.append(ms)
        elif status == 412:
            self.conflicts += 1
            self.latencies.append(ms)
        else:
            self.errors[status] += 1

    def row(self) -> str:
        done = len(self.latencies) + sum(self.errors.values())
        rate = done / self.elapsed if self.elapsed else 0.0
        lat = sorted(self.latencies)

        def pct(p: float) -> str:
            return f"{lat[min(len(lat) - 1, int(p / 100 * len(lat)))]:.1f}" if lat else "–"
        errors = ", ".join(f"{k}: {v}" for k, v in sorted(self.errors.items(), key=str)) or "0"
        if self.conflicts:
            errors += f"; 412 conflicts: {self.conflicts}"
        def cpu(who: str) -> str:
            return f"{1000 * self.cpu[who] / done:.1f}" if who in self.cpu and done else "–"
        return (f"| {self.label} | {self.clients} | {done} | {rate:.1f} | {pct(50)} | {pct(95)} | {pct(99)} | "
                f"{cpu('server')} | {cpu('database')} | {cpu('client')} | {errors} |"
                + (f" {self.note}" if self.note else ""))


HEADER = ("| scenario | clients | requests | req/s | p50 ms | p95 ms | p99 ms | server CPU ms/req "
          "| database CPU ms/req | client CPU ms/req | errors (non-2xx) |\n"
          "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its children (from /proc)."""
    total = 0
    for p in server_pids(pid):
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])     # utime, stime
        except (OSError, IndexError, ValueError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


def cpu_probe(server_pid: int, postmaster_pid_file: Path | None):
    """A function giving {server, database, client: CPU seconds so far}."""
    def probe() -> dict[str, float]:
        out = {"server": cpu_seconds(server_pid), "client": time.process_time()}
        if postmaster_pid_file is not None:
            try:
                out["database"] = cpu_seconds(int(postmaster_pid_file.read_text().split()[0]))
            except (OSError, ValueError, IndexError):
                pass
        return out
    return probe


async def _timed(stats_list: list[Stats], client, method: str, url: str, **kw):
    import httpx2

    t0 = time.perf_counter()
    try:
        response = await client.request(method, url, **kw)
        status: int | str = response.status_code
    except httpx2.HTTPError as e:
        response, status = None, type(e).__name__
    ms = (time.perf_counter() - t0) * 1000
    for stats in stats_list:
        stats.add(ms, status)
    return response, ms


async def run_scenario(name: str, clients: list, op, *, warmup: float, seconds: float,
                       labels: list[str], probe) -> list[Stats]:
    """Every client runs ``op(i, client, sink)`` in a loop: ``warmup`` seconds unrecorded,
    then ``seconds`` recorded (a request started in the window is waited for). The CPU
    used from the end of the warm-up to the last answer goes to the first label."""
    recorded = [Stats(label, len(clients)) for label in labels]
    scratch = [Stats(label, len(clients)) for label in labels]
    phase = {"sink": scratch if warmup > 0 else recorded}
    cpu0 = probe() if warmup <= 0 else {}
    t_end = time.perf_counter() + warmup + seconds

    async def loop(i: int, client) -> None:
        while time.perf_counter() < t_end:
            await op(i, client, phase["sink"])

    tasks = [asyncio.create_task(loop(i, c)) for i, c in enumerate(clients)]
    t0 = time.perf_counter()
    if warmup > 0:
        await asyncio.sleep(warmup)
        phase["sink"] = recorded
        cpu0 = probe()
        t0 = time.perf_counter()
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - t0
    cpu1 = probe()
    recorded[0].cpu = {k: cpu1[k] - cpu0[k] for k in cpu1 if k in cpu0}
    for s in recorded:
        s.elapsed = elapsed
    return recorded


def _client(base: str):
    import httpx2

    return httpx2.AsyncClient(base_url=base, timeout=httpx2.Timeout(120.0),
                              limits=httpx2.Limits(max_connections=1, max_keepalive_connections=1))


async def sign_in(client, username: str) -> str:
    r = await client.post("/api/v1/session", json={"username": username, "password": PASSWORD})
    r.raise_for_status()
    return r.json()["csrf_token"]


async def load(args, base: str, prep: Prepared, folder: Path, server: subprocess.Popen) -> list[str]:
    out: list[str] = []
    wanted = [s for s in SCENARIOS if s in args.scenarios]
    n = args.clients
    rng = random.Random(args.seed + 1)
    tables: list[Stats] = []
    notes: list[str] = []
    page_bytes = 0
    probe = cpu_probe(server.pid, args.postmaster_pid)

    signed = []
    if {"view", "static", "save"} & set(wanted):
        signed = [_client(base) for _ in range(n)]
        t0 = time.perf_counter()
        users = sorted({u for _, u in prep.drafts})
        sessions: dict[str, tuple[str, object]] = {}
        for user in users:   # one at a time: each is an argon2 verification
            async with _client(base) as login:
                token = await sign_in(login, user)
                sessions[user] = (token, login.cookies[SESSION_COOKIE])
        csrf = []
        for i, (_, user) in enumerate(prep.drafts):
            token, cookie = sessions[user]
            signed[i].headers["Cookie"] = f"{SESSION_COOKIE}={cookie}"
            csrf.append(token)
        notes.append(f"{len(users)} sign-ins (POST /api/v1/session) took {time.perf_counter() - t0:.1f} s; "
                     f"the {n} signed-in clients share these {len(users)} sessions (a preparer with several "
                     "tabs), each client its own draft sheet")
        first = await signed[0].get(f"/sheets/{prep.drafts[0][0]}")
        first.raise_for_status()
        page_bytes = len(first.content)
        (folder / "static" / STATIC_NAME).write_bytes(first.content)
        notes.append(f"sheet view page: {page_bytes:,} bytes (HTML, 50 indicators); the static page is "
                     "that page byte for byte")

    if "view" in wanted:
        async def view(i, client, sink):
            await _timed(sink, client, "GET", f"/sheets/{prep.drafts[i][0]}")
        tables += await run_scenario("view", signed, view, warmup=args.warmup, seconds=args.seconds,
                                     probe=probe, labels=["view: GET /sheets/{id} (signed in, HTML)"])

    if "static" in wanted:
        async def static(i, client, sink):
            await _timed(sink, client, "GET", f"/bench-static/{STATIC_NAME}")
        tables += await run_scenario("static", signed, static, warmup=args.warmup, seconds=args.seconds,
                                     probe=probe, labels=[f"static: GET /bench-static/{STATIC_NAME} (StaticFiles)"])

    if "save" in wanted:
        state = []
        for i in range(n):
            r = await signed[i].get(f"/api/v1/sheets/{prep.drafts[i][0]}")
            r.raise_for_status()
            doc = r.json()["sheet"]
            state.append({"doc": doc, "version": int(r.headers["etag"].strip('"')),
                          "goal": (doc.get("goals") or [""])[0], "n": 0})

        async def save(i, client, sink):
            st = state[i]
            st["n"] += 1
            goals = st["doc"].setdefault("goals", [""])
            goals[0] = f"{st['goal']}（第{st['n']}次修改）"
            sid = prep.drafts[i][0]
            t0 = time.perf_counter()
            r, _ = await _timed([sink[1]], client, "PUT", f"/api/v1/sheets/{sid}", json=st["doc"],
                                headers={"If-Match": f'"{st["version"]}"', "X-CSRF-Token": csrf[i]})
            if r is not None and r.status_code == 200:
                st["version"] = int(r.headers["etag"].strip('"'))
            elif r is not None and r.status_code == 412:
                st["version"] = int(r.json().get("details", {}).get("current_version", st["version"]))
            r2, _ = await _timed([sink[2]], client, "GET", f"/api/v1/sheets/{sid}/findings")
            statuses = [x.status_code if x is not None else "error" for x in (r, r2)]
            worst = next((s for s in statuses if not (isinstance(s, int) and 200 <= s < 300)), 200)
            sink[0].add((time.perf_counter() - t0) * 1000, worst)
        tables += await run_scenario("save", signed, save, warmup=args.warmup, seconds=args.seconds,
                                     probe=probe, labels=["save + re-check (the pair)", "  PUT /api/v1/sheets/{id} (If-Match)",
                                             "  GET /api/v1/sheets/{id}/findings"])
        versions = [st["version"] for st in state]
        notes.append(f"save: each client saved its own sheet; versions reached {min(versions)}–{max(versions)}")

    for c in signed:
        await c.aclose()

    anon = [_client(base) for _ in range(n)] if {"public", "search", "export"} & set(wanted) else []
    if "public" in wanted:
        async def public(i, client, sink):
            await _timed(sink, client, "GET", f"/public/sheets/{rng.choice(prep.published)}")
        tables += await run_scenario("public", anon, public, warmup=args.warmup, seconds=args.seconds,
                                     probe=probe, labels=["public: GET /public/sheets/{id} (HTML, anonymous)"])

    if "search" in wanted:
        hits: list[int] = []

        async def search(i, client, sink):
            r, _ = await _timed(sink, client, "GET", "/api/v1/public/sheets",
                                params={"q": rng.choice(prep.words)})
            if r is not None and r.status_code == 200:
                hits.append(r.json()["total"])
        tables += await run_scenario("search", anon, search, warmup=args.warmup, seconds=args.seconds,
                                     probe=probe, labels=["search: GET /api/v1/public/sheets?q=<word>"])
        if hits:
            hits.sort()
            notes.append(f"search: {len(prep.words)} words of indicator names (e.g. "
                         f"{'、'.join(prep.words[:6])}); sheets found per query: median {hits[len(hits) // 2]}, "
                         f"max {hits[-1]} (the answer lists the first 50)")

    if "export" in wanted:
        url = f"/api/v1/public/export/{YEAR}.csv"
        rss0, _ = memory_mb(server.pid)
        solo = []
        for _ in range(3):
            t0 = time.perf_counter()
            size = lines = 0
            first_byte = None
            async with anon[0].stream("GET", url) as r:
                status = r.status_code
                async for chunk in r.aiter_bytes():
                    if first_byte is None:
                        first_byte = time.perf_counter() - t0
                    size += len(chunk)
                    lines += chunk.count(b"\n")
            solo.append((time.perf_counter() - t0, first_byte or 0.0, size, lines, status))
        rss1, _ = memory_mb(server.pid)
        best = min(solo)
        notes.append(f"export alone (3 requests, one at a time): status {solo[0][4]}, {best[2]:,} bytes, "
                     f"{best[3] - 1:,} data rows ({prep.indicators:,} indicators published), "
                     f"time to first byte {best[1] * 1000:.0f} ms, to last byte "
                     + " / ".join(f"{s[0]:.2f}" for s in solo) + " s")
        k = min(n, args.export_clients)

        async def export(i, client, sink):
            await _timed(sink, client, "GET", url)
        peak = {"rss": rss1}
        sampling = True

        async def sample():
            while sampling:
                peak["rss"] = max(peak["rss"], memory_mb(server.pid)[0])
                await asyncio.sleep(0.1)
        sampler = asyncio.create_task(sample())
        tables += await run_scenario("export", anon[:k], export, warmup=0, seconds=args.seconds,
                                     probe=probe, labels=[f"export: GET {url} (whole year, streamed)"])
        sampling = False
        await sampler
        rss2, _ = memory_mb(server.pid)
        notes.append(f"server resident memory (all processes, /proc VmRSS): {rss0:.0f} MB before the exports, "
                     f"{rss1:.0f} MB after the 3 alone, at most {peak['rss']:.0f} MB (sampled every 0.1 s) while "
                     f"{k} ran concurrently, {rss2:.0f} MB after")

    for c in anon:
        await c.aclose()
    out.append(HEADER)
    out += [s.row() for s in tables]
    by = {s.label.split(":")[0]: s for s in tables}
    if "view" in by and "static" in by and by["static"].elapsed:
        rv = len(by["view"].latencies) / by["view"].elapsed
        rs = len(by["static"].latencies) / by["static"].elapsed
        notes.append(f"view / static throughput: {rv / rs:.2f} (issue 11 target ≥ 0.5); view p95 "
                     f"{sorted(by['view'].latencies)[int(0.95 * len(by['view'].latencies))]:.1f} ms "
                     "(target < 100 ms)" if by["view"].latencies and rs else "view / static: no figures")
    out.append("")
    out += [f"- {x}" for x in notes]
    return out


# --------------------------------------------------------------------------------- main

def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load1, load5, _ = os.getloadavg()
    return (f"machine: {platform.machine()}, {os.cpu_count()} cores ({model}), Python "
            f"{platform.python_version()}; date {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; "
            f"load average {load1:.1f} / {load5:.1f} (1 / 5 min) at the start.\n"
            "The load generator (this script, one asyncio process) runs on the same cores as the server.")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    ap.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    ap.add_argument("--clients", type=int, default=32, help="concurrent connections")
    ap.add_argument("--seconds", type=float, default=10.0, help="measured seconds per scenario")
    ap.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds before each scenario")
    ap.add_argument("--published", type=int, default=500, help="published sheets of 50 indicators")
    ap.add_argument("--units", type=int, default=25,
                    help="units (five per department) sharing the sheets; one preparer account each")
    ap.add_argument("--sessions", type=int, default=8,
                    help="sign-ins the signed-in clients share (preparers 1..N)")
    ap.add_argument("--export-clients", type=int, default=8,
                    help="concurrent clients of the whole-year export (each answer is megabytes)")
    ap.add_argument("--scenarios", default=",".join(SCENARIOS), help="any of " + ",".join(SCENARIOS))
    ap.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args(argv)
    args.scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        ap.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

    print(machine(), flush=True)
    print(f"command: {' '.join(['benchmarks/web.py', *(argv if argv is not None else sys.argv[1:])])}")
    folder = Path(tempfile.mkdtemp(prefix="jixiao-bench-web-"))
    (folder / "static").mkdir()
    cluster = server = None
    args.postmaster_pid = None
    try:
        if args.database == "postgresql":
            t0 = time.perf_counter()
            cluster, url = start_postgres()
            args.postmaster_pid = cluster.root / "data" / "postmaster.pid"
            print(f"PostgreSQL: throwaway cluster {cluster.bin.parent.name} on port {cluster.port} "
                  f"(fsync off), started in {time.perf_counter() - t0:.1f} s", flush=True)
        else:
            url = f"sqlite:///{folder / 'jixiao.db'}"
        signed_in = bool({"view", "static", "save"} & set(args.scenarios))
        prep = prepare(url, clients=args.clients if signed_in else 0, published=args.published, units=args.units,
                       sessions=args.sessions, seed=args.seed)
        print(f"database: {args.database}; " + "; ".join(f"{k} {v:.1f} s" if v else k
                                                          for k, v in prep.timings.items()), flush=True)
        port = args.port or free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(url, args.workers, port, folder)
        up = wait_healthy(base, server, folder)
        print(f"server: uvicorn --workers {args.workers} on {base}, healthy after {up:.1f} s; "
              f"{args.clients} clients, {args.warmup:g} s warm-up + {args.seconds:g} s per scenario\n", flush=True)
        lines = asyncio.run(load(args, base, prep, folder, server))
        print("\n".join(lines), flush=True)
        print(f"- load average at the end: {' / '.join(f'{x:.1f}' for x in os.getloadavg()[:2])} (1 / 5 min)")
        if server.poll() is not None:
            print("the server exited during the run:\n" + (folder / "server.log").read_text(errors="replace")[-3000:])
    finally:
        if server is not None:
            stop_server(server)
        if cluster is not None:
            cluster.pg_ctl("-m", "fast", "-w", "stop")
            shutil.rmtree(cluster.root, ignore_errors=True)
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
