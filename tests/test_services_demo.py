"""``jixiao demo``: idempotent demo data whose printed accounts really sign in."""
from __future__ import annotations

import pytest

from jixiao.errors import InvalidRequest
from jixiao.services import accounts, sheets
from jixiao.services.demo import DEMO_ACCOUNTS, load_demo


def test_demo_loads_once_and_its_accounts_sign_in(db):
    with db.session() as s:
        first = load_demo(s, production=False)
    with db.session() as s:
        assert load_demo(s, production=False) == []
    assert any("草稿" in line for line in first)
    for a in DEMO_ACCOUNTS:
        with db.session() as s:
            actor = accounts.authenticate(s, username=a.username, password=a.password)
        assert actor.role == a.role
    with db.session() as s:
        clerk = accounts.authenticate(s, username="danwei", password="danwei-demo-2024")
        items, total = sheets.list_sheets(s, actor=clerk)
    assert total == 1 and items[0].unit == "潢源县大华镇人民政府" and items[0].state == "draft"


def test_demo_is_refused_in_production(db):
    with db.session() as s, pytest.raises(InvalidRequest):
        load_demo(s, production=True)


def test_the_guide_and_the_readme_print_the_demo_accounts(repo_root):
    guide = (repo_root / "docs" / "guide.md").read_text(encoding="utf-8")
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    for a in DEMO_ACCOUNTS:
        assert f"`{a.username}` | `{a.password}`" in guide
    first = DEMO_ACCOUNTS[0]
    assert first.username in readme and first.password in readme


def test_the_demo_seed_is_the_example_seed(repo_root):
    packaged = repo_root / "jixiao" / "services" / "demo_data" / "seed_2024_town_approval.txt"
    assert packaged.read_bytes() == (repo_root / "examples" / "seed_2024_town_approval.txt").read_bytes()
