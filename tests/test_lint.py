"""The linters are clean (issue 11): ruff on the package, the tests and the
benchmark scripts, mypy on the package, with pyproject.toml's [tool.ruff] and
[tool.mypy] settings. Both run as subprocesses from the repository root; mypy
keeps its default cache (.mypy_cache), so only a cold run takes its 40-60 s.
Skipped only when a tool is not installed."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RUFF_PATHS = ("jixiao", "tests", "benchmarks")


def _tool(name: str) -> str:
    """The tool's executable beside this interpreter (the project's .venv), else on PATH."""
    here = Path(sys.executable).with_name(name)
    found = str(here) if here.exists() else shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed")
    return found


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, encoding="utf-8",
                          timeout=600, check=False)


def test_ruff_is_clean():
    result = _run(_tool("ruff"), "check", "--no-fix", *RUFF_PATHS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean():
    result = _run(_tool("mypy"), "jixiao")
    assert result.returncode == 0, result.stdout + result.stderr
