"""The README's two commands, run for real in a clean clone of this repository.

A clone holds only what is committed, so a file that works here only because it
lies untracked in the working tree fails this test. The clone builds its own
``.venv`` (uv's download cache makes that a few seconds); system packages are
already present on a machine that runs the suite, so scripts/system-packages.sh
is exercised in its no-op path here and in its refusal path below."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Set inside the clone's own test run, so the clone does not clone itself again.
NESTED = "JIXIAO_SETUP_TEST_NESTED"

pytestmark = pytest.mark.skipif(os.environ.get(NESTED) == "1", reason="already inside the setup test")


def sh(*args: str, cwd: Path, env: dict[str, str] | None = None, timeout: int = 600):
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, encoding="utf-8",
                          env=env, timeout=timeout, check=False)


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    dest = tmp_path_factory.mktemp("clone") / "jixiao"
    result = sh("git", "clone", "-q", "--no-hardlinks", str(ROOT), str(dest), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return dest


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("VIRTUAL_ENV", "PYTEST", "JIXIAO_")) and k != "PYTHONPATH"}
    # The PATH of the suite starts with this checkout's .venv/bin: a fresh shell's does not.
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                  if not p.startswith(str(ROOT)))
    env[NESTED] = "1"
    return env


@pytest.mark.slow
def test_make_run_in_a_clean_clone_serves_the_demo_and_the_readme_login_works(clone):
    import signal
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(["make", "run", f"PORT={port}"], cwd=clone, env=clean_env(), start_new_session=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8")
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300      # a fresh .venv and migrations first
        while True:
            assert server.poll() is None, server.stdout.read()[-3000:]
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as r:
                    assert json.loads(r.read())["status"] == "ok"
                    break
            except OSError:
                assert time.monotonic() < deadline, "make run did not serve within 300 s"
                time.sleep(1)
        readme = (clone / "README.md").read_text(encoding="utf-8")
        login = json.dumps({"username": "danwei", "password": "danwei-demo-2024"}).encode()
        assert "danwei" in readme and "danwei-demo-2024" in readme
        req = urllib.request.Request(f"{base}/api/v1/session", data=login,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as r:
            cookie = r.headers["Set-Cookie"].split(";")[0]
        req = urllib.request.Request(f"{base}/api/v1/sheets", headers={"Cookie": cookie})
        with urllib.request.urlopen(req, timeout=10) as r:
            listed = json.loads(r.read())
        assert listed["total"] == 1 and listed["items"][0]["unit"] == "潢源县大华镇人民政府"
        with urllib.request.urlopen(f"{base}/login", timeout=10) as r:
            assert "登录" in r.read().decode("utf-8")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    assert (clone / ".venv" / ".jixiao-installed").exists() and (clone / "jixiao.db").exists()


@pytest.mark.slow
def test_make_seed_in_a_clean_clone_writes_the_seed_json(clone):
    result = sh("make", "seed", cwd=clone, env=clean_env())
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    sheet = json.loads((clone / "out" / "seed.json").read_text(encoding="utf-8"))
    assert sheet["schema"] == "jixiao/sheet@1"
    assert sum(len(f["indicators"]) for f in sheet["functions"]) > 20


@pytest.mark.slow
def test_make_test_in_a_clean_clone_runs_the_suite(clone):
    # A part of the suite that touches every installed layer: CLI, importers, renderers.
    env = {**clean_env(), "PYTEST_ARGS": "tests/test_cli_render.py tests/test_doctor.py"}
    result = sh("make", "test", cwd=clone, env=env, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and " failed" not in result.stdout


def test_the_package_script_names_the_missing_packages_and_the_command_when_not_root():
    if os.geteuid() != 0 or shutil.which("runuser") is None:
        pytest.skip("needs root to run the script as another user")
    env = {**os.environ, "JIXIAO_SYSTEM_PACKAGES": "bash jixiao-no-such-package"}
    env.pop("JIXIAO_SKIP_SYSTEM_PACKAGES", None)
    result = sh("runuser", "-u", "nobody", "--", str(ROOT / "scripts" / "system-packages.sh"), "test",
                cwd=Path("/"), env=env)
    assert result.returncode == 1
    assert "缺少系统软件包: jixiao-no-such-package" in result.stderr
    assert "apt-get install -y --no-install-recommends jixiao-no-such-package" in result.stderr
    assert " bash" not in result.stderr.split("\n")[0]   # installed packages are not named


def test_the_package_script_is_a_quick_no_op_when_everything_is_installed():
    env = {**os.environ, "JIXIAO_SYSTEM_PACKAGES": "bash coreutils"}
    env.pop("JIXIAO_SKIP_SYSTEM_PACKAGES", None)
    result = sh(str(ROOT / "scripts" / "system-packages.sh"), "run", cwd=ROOT, env=env)
    assert result.returncode == 0 and result.stdout == "" and result.stderr == ""


def test_ci_calls_make_test():
    lines = [ln.strip() for ln in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
             if ln.strip() and not ln.lstrip().startswith("#")]
    assert lines[-1] == "make test"
    assert not any("apt-get" in ln for ln in lines)
