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
def test_make_run_in_a_clean_clone_installs_and_writes_the_seed(clone):
    result = sh("make", "run", cwd=clone, env=clean_env())
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    sheet = json.loads((clone / "out" / "seed.json").read_text(encoding="utf-8"))
    assert sheet["schema"] == "jixiao/sheet@1"
    assert sum(len(f["indicators"]) for f in sheet["functions"]) > 20
    assert (clone / ".venv" / ".jixiao-installed").exists()


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
    lines = [l.strip() for l in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
             if l.strip() and not l.lstrip().startswith("#")]
    assert lines[-1] == "make test"
    assert not any("apt-get" in l for l in lines)
