"""The sheets API of web.md on SQLite and PostgreSQL: create from JSON and from any
uploaded file, read with ETag, save with If-Match (412/428), findings, actions,
history, versions, diff, export."""
from __future__ import annotations

import copy
import io
import json
import zipfile

import openpyxl
import pytest

from jixiao.model.codec import loads
from jixiao.services import render_document


@pytest.fixture(scope="module")
def seed(repo_root) -> dict:
    return json.loads((repo_root / "tests" / "data" / "seed.gold.json").read_text(encoding="utf-8"))


def fixed(document: dict) -> dict:
    doc = copy.deepcopy(document)
    doc["functions"][0]["indicators"][0]["level1"] = "成本指标"
    doc["functions"][0]["indicators"][0]["level2"] = "经济成本指标"
    return doc


def create(browser, document: dict) -> dict:
    r = browser.send("POST", "/api/v1/sheets", json=document)
    assert r.status_code == 201, r.text
    return r.json()


def test_create_from_json_read_back_with_etag(sign_in, seed):
    prep = sign_in("prep_A1")
    made = create(prep, seed)
    assert made["version"] == 1 and made["status"] == "draft"
    r = prep.get(f"/api/v1/sheets/{made['id']}")
    assert r.status_code == 200 and r.headers["etag"] == '"1"'
    body = r.json()
    assert body["sheet"]["unit"] == seed["unit"] and body["status"] == "draft"
    assert len(body["sheet"]["functions"]) == len(seed["functions"])


def test_create_from_an_uploaded_xlsx_shows_the_import_diagnostics(sign_in, seed):
    prep = sign_in("prep_A1")
    xlsx = render_document(sheet=loads(json.dumps(seed)), format="xlsx")
    r = prep.send("POST", "/api/v1/sheets", files={"file": ("大华镇.xlsx", xlsx,
                  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")})
    assert r.status_code == 201, r.text
    assert r.json()["imported_as"] == "xlsx" and isinstance(r.json()["diagnostics"], list)
    assert r.headers["location"] == f"/api/v1/sheets/{r.json()['id']}"
    sheet = prep.get(r.headers["location"]).json()["sheet"]
    assert sum(len(f["indicators"]) for f in sheet["functions"]) == \
        sum(len(f["indicators"]) for f in seed["functions"])


def test_unreadable_upload_is_422_with_the_importers_message_and_nothing_stored(sign_in):
    prep = sign_in("prep_A1")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w") as member:   # 300 MB inflated, streamed
            chunk = b" " * (1024 * 1024)
            for _ in range(300):
                member.write(chunk)
    r = prep.send("POST", "/api/v1/sheets", files={"file": ("炸弹.xlsx", bomb.getvalue())})
    assert r.status_code == 422 and "炸弹.xlsx" in r.json()["error"]["message"]
    r = prep.send("POST", "/api/v1/sheets", files={"file": ("通知.txt", "开会通知\n请准时参加".encode())})
    assert r.status_code == 422 and r.json()["error"]["code"] == "unreadable_document"
    assert prep.get("/api/v1/sheets").json()["total"] == 0


def test_an_upload_over_the_limit_is_413_and_nothing_is_stored(sign_in):
    prep = sign_in("prep_A1")
    r = prep.send("POST", "/api/v1/sheets", files={"file": ("大.txt", b"x" * (3 * 1024 * 1024))})
    assert r.status_code == 413
    assert prep.get("/api/v1/sheets").json()["total"] == 0


def test_save_needs_if_match_and_a_stale_one_gets_412_with_the_other_change(sign_in, seed):
    a, b = sign_in("prep_A1"), sign_in("prep_A1")
    sid = create(a, seed)["id"]
    url = f"/api/v1/sheets/{sid}"
    doc = a.get(url).json()["sheet"]
    assert a.send("PUT", url, json=doc).status_code == 428
    doc_a = copy.deepcopy(doc)
    doc_a["goals"][0] = "甲改的目标"
    r = a.send("PUT", url, json=doc_a, headers={"If-Match": '"1"'})
    assert r.status_code == 200 and r.json()["version"] == 2 and r.headers["etag"] == '"2"'
    doc_b = copy.deepcopy(doc)
    doc_b["goals"][0] = "乙改的目标"
    r = b.send("PUT", url, json=doc_b, headers={"If-Match": '"1"'})
    assert r.status_code == 412
    err = r.json()["error"]
    assert err["code"] == "version_conflict" and err["details"]["current_version"] == 2
    assert err["details"]["sheet"]["goals"][0] == "甲改的目标"
    assert a.get(url).json()["sheet"]["goals"][0] == "甲改的目标"      # nothing overwritten


def test_findings_actions_history_versions_diff(sign_in, seed):
    prep, rev, fin = sign_in("prep_A1"), sign_in("rev_A"), sign_in("fin")
    sid = create(prep, seed)["id"]
    base = f"/api/v1/sheets/{sid}"
    report = prep.get(f"{base}/findings").json()
    assert report["counts"]["error"] == 1
    blocked = prep.send("POST", f"{base}/actions/submit", json={})
    assert blocked.status_code == 422 and blocked.json()["error"]["code"] == "blocked_by_findings"
    assert blocked.json()["error"]["details"]["findings"][0]["where"].startswith("functions[0]")
    assert prep.send("PUT", base, json=fixed(seed), headers={"If-Match": '"1"'}).status_code == 200
    assert prep.send("POST", f"{base}/actions/submit").json()["status"] == "submitted"
    assert rev.send("POST", f"{base}/actions/approve").status_code == 403
    r = rev.send("POST", f"{base}/actions/return", json={"comment": "请修改", "comments": [
        {"where": "functions[1].indicators[0]", "text": "指标值依据不足"}]})
    assert r.status_code == 200 and r.json()["status"] == "returned"
    assert prep.send("POST", f"{base}/actions/submit").json()["status"] == "submitted"
    assert rev.send("POST", f"{base}/actions/pass").json()["status"] == "dept_passed"
    approved = fin.send("POST", f"{base}/actions/approve", json={})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["approval_number"].endswith("号")
    assert fin.send("POST", f"{base}/actions/approve").status_code == 409
    events = prep.get(f"{base}/history").json()["events"]
    returned = [e for e in events if e["action"] == "return"][0]
    assert returned["user"] == "rev_A" and returned["comments"][0]["text"] == "指标值依据不足"
    assert prep.get(f"{base}/versions/1").json()["sheet"]["functions"][0]["indicators"][0]["level1"] == "产出指标"
    changes = prep.get(f"{base}/diff", params={"from": 1, "to": 2}).json()
    changed = [c for c in changes["indicators"] if c["kind"] != "changed" or c["changes"]]
    assert any(c["name"] == seed["functions"][0]["indicators"][0]["name"] for c in changed)


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "html", "json", "pdf"])
def test_every_version_downloads_in_every_format(sign_in, seed, fmt):
    prep = sign_in("prep_A1")
    sid = create(prep, seed)["id"]
    r = prep.get(f"/api/v1/sheets/{sid}/export/{fmt}")
    assert r.status_code == 200, r.text
    assert "attachment" in r.headers["content-disposition"] and "filename*=UTF-8''" in r.headers["content-disposition"]
    if fmt == "xlsx":
        assert openpyxl.load_workbook(io.BytesIO(r.content)).active["A1"].value
    elif fmt == "json":
        assert r.json()["schema"] == "jixiao/sheet@1"
    elif fmt == "pdf":
        assert r.content.startswith(b"%PDF-")
    assert prep.get(f"/api/v1/sheets/{sid}/export/odt").status_code == 422


def test_sheets_of_others_are_404_and_lists_show_only_what_the_caller_may_see(sign_in, seed):
    a1, a2, rev_a, rev_b, fin = (sign_in(u) for u in ("prep_A1", "prep_A2", "rev_A", "rev_B", "fin"))
    sid = create(a1, seed)["id"]
    for other in (a2, rev_b):
        assert other.get(f"/api/v1/sheets/{sid}").status_code == 404
        assert other.get(f"/api/v1/sheets/{sid}/export/json").status_code == 404
        assert other.get("/api/v1/sheets").json()["total"] == 0
    for seer in (a1, rev_a, fin):
        assert seer.get(f"/api/v1/sheets/{sid}").status_code == 200
        assert [i["id"] for i in seer.get("/api/v1/sheets").json()["items"]] == [sid]
    assert rev_a.send("POST", "/api/v1/sheets", json=seed).status_code == 403


def test_copy_forward_makes_next_years_draft(sign_in, seed):
    prep = sign_in("prep_A1")
    sid = create(prep, seed)["id"]
    r = prep.send("POST", f"/api/v1/sheets/{sid}/copy", json={"year": 2025})
    assert r.status_code == 201
    sheet = r.json()["sheet"]
    assert sheet["year"] == 2025 and "2025年" in sheet["title"] and sheet["stage"] == "declaration"
    assert r.json()["id"] != sid and r.json()["status"] == "draft"
