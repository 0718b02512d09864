"""Shared fixtures, named for what they give."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest_plugins = ["db_fixtures", "web_fixtures"]  # SQLite and PostgreSQL databases; the web app on them

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def seed_path() -> Path:
    """tests/data/seed.txt: the 2024 township approval sheet, as text (UTF-8)."""
    return DATA / "seed.txt"


@pytest.fixture(scope="session")
def seed_text(seed_path: Path) -> str:
    return seed_path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_gold_path() -> Path:
    return DATA / "seed.gold.json"


@pytest.fixture(scope="session")
def seed_gold(seed_gold_path: Path) -> dict:
    """The expert reading of the seed (jixiao/sheet@1 JSON, gold style) as a dict."""
    return json.loads(seed_gold_path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared next to the repository (seeds, corpus, tools); skips when absent."""
    path = (ROOT / ".." / "shared").resolve()
    if not path.is_dir():
        pytest.skip("../shared is not available on this machine")
    return path
