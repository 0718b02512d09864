"""Database fixtures: every storage test runs on SQLite and on a real PostgreSQL.

PostgreSQL is a throwaway cluster this module starts itself, once per test process
(so with ``pytest -n 2`` each xdist worker has its own): Debian's ``initdb`` and
``pg_ctl`` from /usr/lib/postgresql/*/bin, in a temporary folder, listening on a free
port on 127.0.0.1, with fsync off (a test cluster need not survive a power cut).
initdb refuses to run as root, so as root the cluster runs as the ``postgres`` user
(``nobody`` when there is none) through ``runuser``; otherwise as the invoking user.
It is stopped and removed when the session ends. Without the binaries the
postgresql cases skip with the reason. No mock database anywhere.

Fixtures, named for what they give:

* ``db_url``      a migrated, empty database (``sqlite`` and ``postgresql`` cases)
* ``db``          a ``Db`` for ``db_url``: engine + ``session()``
* ``empty_db_url`` a database with no tables at all (migration tests)
* ``pg_cluster``  the running cluster (``admin_url``, ``url_for(dbname)``)
"""
from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

#: Where Debian puts the server programs; JIXIAO_TEST_PG_BIN_GLOB overrides it (a test
#: points it at nothing to check that the postgresql cases then skip with a reason).
PG_BIN_GLOB = os.environ.get("JIXIAO_TEST_PG_BIN_GLOB", "/usr/lib/postgresql/*/bin")
BACKENDS = ["sqlite", "postgresql"]


def _pg_bin() -> Path | None:
    candidates = [Path(p) for p in glob.glob(PG_BIN_GLOB)
                  if (Path(p) / "initdb").exists() and (Path(p) / "pg_ctl").exists()]
    # Newest major version first (the folder names are version numbers).
    candidates.sort(key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0, reverse=True)
    return candidates[0] if candidates else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run_as() -> list[str]:
    """The command prefix that runs a program as an unprivileged user."""
    if os.geteuid() != 0:
        return []
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return ["runuser", "-u", name, "--"]
    raise RuntimeError("running as root with neither a postgres nor a nobody user")


@dataclass
class PgCluster:
    bin: Path
    root: Path
    port: int
    prefix: list[str]

    @property
    def admin_url(self) -> str:
        return self.url_for("postgres")

    def url_for(self, dbname: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{dbname}"

    def pg_ctl(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*self.prefix, str(self.bin / "pg_ctl"), "-D", str(self.root / "data"),
                               *args], capture_output=True, text=True, cwd=self.root, timeout=120)

    def create_database(self, name: str) -> str:
        self._admin(f'CREATE DATABASE "{name}"')
        return self.url_for(name)

    def drop_database(self, name: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(sql)


def _start_cluster(worker: str) -> PgCluster:
    pg_bin = _pg_bin()
    assert pg_bin is not None
    prefix = _run_as()
    root = Path(tempfile.mkdtemp(prefix=f"jixiao-pg-{worker}-"))
    if prefix:
        user = prefix[2]
        pw = pwd.getpwnam(user)
        os.chown(root, pw.pw_uid, pw.pw_gid)
    initdb = subprocess.run(
        [*prefix, str(pg_bin / "initdb"), "-D", str(root / "data"), "-U", "postgres",
         "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
        capture_output=True, text=True, cwd=root, timeout=120)
    if initdb.returncode != 0:
        shutil.rmtree(root, ignore_errors=True)
        raise RuntimeError(f"initdb failed: {initdb.stderr or initdb.stdout}")
    # The free port is only free when asked: another worker may take it before the
    # server binds it. Then the start fails and is tried again on another port.
    for _attempt in range(3):
        cluster = PgCluster(pg_bin, root, _free_port(), prefix)
        options = (f"-p {cluster.port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60")
        started = cluster.pg_ctl("-o", options, "-l", str(root / "log"), "-w", "-t", "60", "start")
        if started.returncode == 0:
            return cluster
    log = (root / "log").read_text(errors="replace") if (root / "log").exists() else ""
    shutil.rmtree(root, ignore_errors=True)
    raise RuntimeError(f"pg_ctl start failed: {started.stderr}{log}")


@pytest.fixture(scope="session")
def pg_cluster(request: pytest.FixtureRequest) -> Iterator[PgCluster]:
    """A PostgreSQL cluster of this test process (one per xdist worker); skips without
    Debian's binaries."""
    workerinput = getattr(request.config, "workerinput", None)
    worker_id = workerinput["workerid"] if workerinput else "main"
    if _pg_bin() is None:
        pytest.skip(f"PostgreSQL server binaries not found ({PG_BIN_GLOB}/initdb); "
                    "`make test` installs them (apt-get install postgresql)")
    cluster = _start_cluster(worker_id)
    try:
        yield cluster
    finally:
        cluster.pg_ctl("-m", "fast", "-w", "stop")
        shutil.rmtree(cluster.root, ignore_errors=True)


# ------------------------------------------------------------------ migrated databases

@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file migrated once; each test gets a copy (much faster than migrating)."""
    from jixiao.storage import upgrade

    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def _pg_migrated(pg_cluster: PgCluster) -> str:
    """A database migrated once per test process; tests empty it after use."""
    from jixiao.storage import upgrade

    url = pg_cluster.create_database("jixiao_test")
    upgrade(url)
    return url


def _truncate_all(url: str) -> None:
    from sqlalchemy import text

    from jixiao.storage import make_engine
    from jixiao.storage.models import Base

    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            names = ", ".join(t.name for t in Base.metadata.sorted_tables)
            # TRUNCATE fires no row triggers, so the append-only history tables empty too.
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a migrated database with no rows, on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "jixiao.db"
        shutil.copyfile(request.getfixturevalue("_sqlite_template"), path)
        yield f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("_pg_migrated")
        _truncate_all(url)
        yield url
        _truncate_all(url)


@pytest.fixture(params=BACKENDS)
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a database with no tables at all, on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
    else:
        cluster: PgCluster = request.getfixturevalue("pg_cluster")
        name = f"empty_{uuid.uuid4().hex[:12]}"
        url = cluster.create_database(name)
        yield url
        cluster.drop_database(name)


class Db:
    """An engine on a test database and sessions from it."""

    def __init__(self, url: str):
        from jixiao.storage import make_engine, session_factory

        self.url = url
        self.engine = make_engine(url)
        self.Session = session_factory(self.engine)
        self.backend = self.engine.dialect.name

    def session(self):  # -> sqlalchemy.orm.Session
        return self.Session()


@pytest.fixture
def db(db_url: str) -> Iterator[Db]:
    database = Db(db_url)
    try:
        yield database
    finally:
        database.engine.dispose()


# ------------------------------------------------------------------ a populated tree

#: The password of every account ``org_tree`` creates.
PASSWORD = "正确的密码-horse-42"


@pytest.fixture(scope="session")
def _password_hash() -> str:
    # argon2 takes ~0.15 s per hash here: hash once, store it for every account.
    from jixiao.services.accounts import hash_password

    return hash_password(PASSWORD)


@dataclass
class OrgTree:
    """F 财政局 ─ A 部门A ─ A1 单位A1, A2 单位A2; F ─ B 部门B ─ B1 单位B1; one account
    per role: prep_A1, prep_A2, prep_A, prep_B1, rev_A, rev_B, fin, admin."""

    db: Db
    orgs: dict[str, int]
    users: dict[str, int]
    actors: dict[str, object]

    def session(self):
        return self.db.session()


@pytest.fixture
def org_tree(db: Db, _password_hash: str) -> OrgTree:
    from jixiao.services import accounts
    from jixiao.services.policy import SYSTEM
    from jixiao.storage.models import User

    names = {"F": ("财政局", "finance", None), "A": ("部门A", "department", "F"),
             "A1": ("单位A1", "unit", "A"), "A2": ("单位A2", "unit", "A"),
             "B": ("部门B", "department", "F"), "B1": ("单位B1", "unit", "B")}
    orgs: dict[str, int] = {}
    with db.session() as s:
        for key, (name, kind, parent) in names.items():
            orgs[key] = accounts.create_org(s, actor=SYSTEM, name=name, kind=kind,
                                            parent=orgs[parent] if parent else None).id
    people = {"prep_A1": ("preparer", "A1"), "prep_A2": ("preparer", "A2"),
              "prep_A": ("preparer", "A"), "prep_B1": ("preparer", "B1"),
              "rev_A": ("dept_reviewer", "A"), "rev_B": ("dept_reviewer", "B"),
              "fin": ("finance", "F"), "admin": ("admin", "F")}
    users: dict[str, int] = {}
    actors: dict[str, object] = {}
    with db.session() as s:
        for key, (role, org) in people.items():
            user = User(username=key, password_hash=_password_hash, role=role, org_id=orgs[org])
            s.add(user)
            s.flush()
            users[key] = user.id
        s.commit()
        for key, uid in users.items():
            actors[key] = accounts.actor_for_user(s, user_id=uid)
    return OrgTree(db, orgs, users, actors)
