"""The public portal and open data on SQLite and PostgreSQL: only published versions
are ever visible, by any id, search, export or catalogue path; search finds a word of
an indicator name; an adjustment does not change what the public sees until it is
approved and published."""
from __future__ import annotations

import copy
import csv
import io
import json

import pytest
from fastapi.testclient import TestClient
from sheet_fixtures import submittable

from jixiao.services import sheets, workflow
from jixiao.settings import Settings
from jixiao.web.app import create_app


@pytest.fixture(scope="module")
def seed(seed_gold) -> dict:
    return submittable(seed_gold)


def publish(tree, who: str, doc: dict, *, until: str = "published") -> int:
    actors = tree.actors
    with tree.session() as s:
        sid = sheets.create_sheet(s, actor=actors[who], document=doc).info.id
    steps = [(who, "submit"), ("rev_A" if who != "prep_A" else None, "pass"), ("fin", "approve"), ("fin", "publish")]
    for actor, action in steps:
        if actor is None:
            continue
        with tree.session() as s:
            state = workflow.perform_action(s, actor=actors[actor], sheet_id=sid, action=action).info.state
        if state == until:
            break
    return sid


def test_only_published_sheets_are_visible_anonymously_by_every_path(org_tree, web, seed):
    draft_doc = copy.deepcopy(seed)
    draft_doc["functions"][1]["indicators"][0]["name"] = "草稿里独有的指标名称"
    with org_tree.session() as s:
        draft = sheets.create_sheet(s, actor=org_tree.actors["prep_A1"], document=draft_doc).info.id
    approved = publish(org_tree, "prep_A1", draft_doc, until="approved")
    shown = publish(org_tree, "prep_A1", seed)
    for sid in (draft, approved):
        for url in (f"/api/v1/public/sheets/{sid}", f"/api/v1/public/sheets/{sid}/export/csv",
                    f"/api/v1/public/sheets/{sid}/export/json", f"/public/sheets/{sid}"):
            assert web.get(url).status_code == 404, url
    listed = web.get("/api/v1/public/sheets").json()
    assert [i["id"] for i in listed["items"]] == [shown] and listed["total"] == 1
    assert web.get("/api/v1/public/sheets", params={"q": "草稿里独有"}).json()["total"] == 0
    assert "草稿里独有" not in web.get("/api/v1/public/export/2024.csv").text
    assert "草稿里独有" not in web.get("/api/v1/public/export/2024.jsonl").text
    cat = web.get("/api/v1/public/catalog").json()
    assert cat["sheets"] == 1 and cat["years"][0]["year"] == 2024 and cat["licence"]
    assert web.get(f"/api/v1/public/sheets/{shown}").json()["sheet"]["unit"] == seed["unit"]
    # The signed-in API still hides them from those who may not see them.
    assert web.get(f"/api/v1/sheets/{draft}").status_code == 401


def test_search_finds_a_word_of_an_indicator_name_and_nothing_scattered(org_tree, web, seed):
    sid = publish(org_tree, "prep_A1", seed)
    name = seed["functions"][2]["indicators"][0]["name"]
    word = name[1:3]
    found = web.get("/api/v1/public/sheets", params={"q": word}).json()
    assert [i["id"] for i in found["items"]] == [sid], (word, found)
    assert web.get("/api/v1/public/sheets", params={"q": "绩效目标火星"}).json()["total"] == 0
    page = web.get("/public", params={"q": word})
    assert page.status_code == 200 and f"/public/sheets/{sid}" in page.text
    assert web.get("/api/v1/public/sheets", params={"q": "\"' OR 1=1 --"}).status_code == 200


def test_an_adjustment_stays_invisible_until_it_is_published_again(org_tree, web, seed):
    sid = publish(org_tree, "prep_A1", seed)
    before = web.get(f"/api/v1/public/sheets/{sid}").json()
    with org_tree.session() as s:
        workflow.perform_action(s, actor=org_tree.actors["prep_A1"], sheet_id=sid, action="adjust")
    with org_tree.session() as s:
        current = sheets.get_sheet(s, actor=org_tree.actors["prep_A1"], sheet_id=sid)
        changed = copy.deepcopy(current.document)
        changed["functions"][1]["indicators"][0]["name"] = "调整中的新指标"
        sheets.save_version(s, actor=org_tree.actors["prep_A1"], sheet_id=sid, document=changed,
                            expected_version=current.version.version)
    after = web.get(f"/api/v1/public/sheets/{sid}").json()
    assert after["version"] == before["version"] and "调整中的新指标" not in json.dumps(after, ensure_ascii=False)
    assert web.get("/api/v1/public/sheets", params={"q": "调整中的新指标"}).json()["total"] == 0
    assert "调整中的新指标" not in web.get(f"/public/sheets/{sid}").text
    for actor, action in (("prep_A1", "submit"), ("rev_A", "pass"), ("fin", "approve"), ("fin", "publish")):
        with org_tree.session() as s:
            workflow.perform_action(s, actor=org_tree.actors[actor], sheet_id=sid, action=action)
    assert "调整中的新指标" in web.get(f"/api/v1/public/sheets/{sid}").text
    assert web.get("/api/v1/public/sheets", params={"q": "调整中的新指标"}).json()["total"] == 1


def test_open_data_csv_has_one_row_per_indicator_with_the_documented_columns(org_tree, web, seed, repo_root):
    sid = publish(org_tree, "prep_A1", seed)
    r = web.get(f"/api/v1/public/sheets/{sid}/export/csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(rows) == sum(len(f["indicators"]) for f in seed["functions"])
    first = rows[0]
    assert first["year"] == "2024" and first["unit"] == "单位A1" and first["function"] == "职能1"   # the owning org
    assert first["name"] == seed["functions"][0]["indicators"][0]["name"] and first["target"] == "=60元"
    assert first["op"] == "=" and first["value"] == "60" and first["unit_of_value"] == "元"
    doc = (repo_root / "docs" / "open-data.md").read_text(encoding="utf-8")
    assert all(f"`{c}`" in doc for c in rows[0])
    bulk = web.get("/api/v1/public/export/2024.csv")
    assert bulk.status_code == 200 and len(list(csv.DictReader(io.StringIO(bulk.content.decode("utf-8-sig"))))) \
        == len(rows)
    lines = web.get("/api/v1/public/export/2024.jsonl").text.strip().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["sheet"]["schema"] == "jixiao/sheet@1"
    for fmt in ("pdf", "xlsx", "docx", "html"):
        assert web.get(f"/api/v1/public/sheets/{sid}/export/{fmt}").status_code == 200
    page = web.get(f"/public/sheets/{sid}")
    assert page.status_code == 200 and seed["functions"][0]["indicators"][0]["name"] in page.text
    assert 'name="viewport"' in page.text


def test_the_public_page_is_cached_by_published_version_and_revalidates(org_tree, web, sign_in, seed,
                                                                        monkeypatch):
    sid = publish(org_tree, "prep_A1", seed)
    first = web.get(f"/public/sheets/{sid}")
    etag = first.headers["etag"]
    assert first.headers["cache-control"].startswith("public")
    again = web.get(f"/public/sheets/{sid}")
    assert again.text == first.text and again.headers["etag"] == etag
    assert web.get(f"/public/sheets/{sid}", headers={"If-None-Match": etag}).status_code == 304
    # A new publication changes the key: the new version is served, not the cached one.
    for actor, action in (("prep_A1", "adjust"),):
        with org_tree.session() as s:
            workflow.perform_action(s, actor=org_tree.actors[actor], sheet_id=sid, action=action)
    with org_tree.session() as s:
        current = sheets.get_sheet(s, actor=org_tree.actors["prep_A1"], sheet_id=sid)
        doc = copy.deepcopy(current.document)
        doc["functions"][1]["indicators"][0]["name"] = "再次公开的新名称"
        sheets.save_version(s, actor=org_tree.actors["prep_A1"], sheet_id=sid, document=doc,
                            expected_version=current.version.version)
    assert "再次公开的新名称" not in web.get(f"/public/sheets/{sid}").text
    for actor, action in (("prep_A1", "submit"), ("rev_A", "pass"), ("fin", "approve"), ("fin", "publish")):
        with org_tree.session() as s:
            workflow.perform_action(s, actor=org_tree.actors[actor], sheet_id=sid, action=action)
    signed_in = sign_in("prep_A2").get(f"/public/sheets/{sid}")   # never from the key cache
    assert "再次公开的新名称" in signed_in.text
    # This process trusts what it read of the published version for anonymous
    # visitors for JIXIAO_PUBLIC_CACHE_SECONDS (5 by default); once they have passed:
    import jixiao.web.pages_public as pages_public

    later = pages_public.time.monotonic() + 6
    monkeypatch.setattr(pages_public.time, "monotonic", lambda: later)
    fresh = web.get(f"/public/sheets/{sid}")
    assert "再次公开的新名称" in fresh.text and fresh.headers["etag"] != etag


def test_with_no_public_cache_a_new_publication_shows_at_once(org_tree, seed):
    sid = publish(org_tree, "prep_A1", seed)
    settings = Settings(database_url=org_tree.db.url, public_cache_seconds=0)
    with TestClient(create_app(settings, engine=org_tree.db.engine), base_url="http://testserver") as client:
        first = client.get(f"/public/sheets/{sid}")
        for actor, action in (("prep_A1", "adjust"), ("prep_A1", "submit"), ("rev_A", "pass"), ("fin", "approve"),
                              ("fin", "publish")):
            with org_tree.session() as s:
                workflow.perform_action(s, actor=org_tree.actors[actor], sheet_id=sid, action=action)
        again = client.get(f"/public/sheets/{sid}")
    assert first.status_code == again.status_code == 200 and again.headers["etag"] != first.headers["etag"]
