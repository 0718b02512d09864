"""The HTML pages over a real database: inbox, upload with preview, the editor with
live checking and structural edits, a refused save that keeps what was typed,
review with comments on cells, history and comparison."""
from __future__ import annotations

import json
import re

import pytest

from jixiao.model.codec import loads
from jixiao.services import render_document


@pytest.fixture(scope="module")
def seed(repo_root) -> dict:
    return json.loads((repo_root / "tests" / "data" / "seed.gold.json").read_text(encoding="utf-8"))


def form_of(html: str, form_id: str = "editor") -> dict[str, str]:
    """The named inputs and textareas of the form with ``form_id``, as a browser would post them."""
    start = html.index(f'id="{form_id}"')
    end = html.index("</form>", start)
    part = html[start:end]
    fields = {}
    for m in re.finditer(r'<input ([^>]*)>', part):
        attrs = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', m[1]))
        if "name" in attrs and attrs.get("type") not in ("file", "submit"):
            fields[attrs["name"]] = _unescape(attrs.get("value", ""))
    for m in re.finditer(r'<textarea [^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', part, re.S):
        fields[m[1]] = _unescape(m[2])
    return fields


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def stored(sign_in, seed) -> tuple:
    prep = sign_in("prep_A1")
    r = prep.send("POST", "/api/v1/sheets", json=seed)
    return prep, r.json()["id"]


def test_anonymous_pages_redirect_to_the_login(web):
    r = web.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/"


def test_inbox_shows_what_waits_for_each_role(sign_in, seed):
    prep, sid = stored(sign_in, seed)
    page = prep.get("/").text
    assert "等待我处理 (1)" in page and f'/sheets/{sid}"' in page
    rev = sign_in("rev_A")
    assert "等待我处理 (0)" in rev.get("/").text


def test_upload_shows_a_preview_with_diagnostics_and_stores_only_on_confirm(sign_in, seed):
    prep = sign_in("prep_A1")
    xlsx = render_document(sheet=loads(json.dumps(seed)), format="xlsx")
    page = prep.send("POST", "/sheets/new/upload", files={"file": ("大华镇.xlsx", xlsx)})
    assert page.status_code == 200 and "导入预览: 大华镇.xlsx" in page.text and "享受人大补助" in page.text
    assert prep.get("/api/v1/sheets").json()["total"] == 0          # nothing stored yet
    document = re.search(r'name="document" value="([^"]*)"', page.text)[1]
    r = prep.send("POST", "/sheets/new/confirm", data={"document": _unescape(document), "format": "xlsx",
                                                       "csrf_token": prep.csrf}, follow_redirects=False)
    assert r.status_code == 303
    assert prep.get("/api/v1/sheets").json()["total"] == 1
    bad = prep.send("POST", "/sheets/new/upload", files={"file": ("通知.txt", "开会".encode())})
    assert bad.status_code == 422 and "通知.txt" in bad.text


def test_editor_checks_as_typed_and_edits_structure_without_saving(sign_in, seed):
    prep, sid = stored(sign_in, seed)
    page = prep.get(f"/sheets/{sid}/edit")
    assert page.status_code == 200 and f'hx-post="/sheets/{sid}/check"' in page.text
    fields = form_of(page.text)
    assert fields["f0.i0.name"] == "享受人大补助" and fields["version"] == "1"
    fields["f0.i0.target"] = "≥60元"
    checked = prep.send("POST", f"/sheets/{sid}/check", data=fields)
    assert checked.status_code == 200 and 'id="findings"' in checked.text
    assert 'id="parsed-f0-0"' in checked.text and "读作: ≥ 60 元" in checked.text
    added = prep.send("POST", f"/sheets/{sid}/edit", data={**fields, "op": "add:f0"})
    rows = form_of(added.text)
    n = len(seed["functions"][0]["indicators"])
    assert f"f0.i{n}.name" in rows and rows[f"f0.i{n}.name"] == ""
    moved = prep.send("POST", f"/sheets/{sid}/edit", data={**fields, "move-f0.i0": "f1"})
    after = form_of(moved.text)
    assert after["f0.i0.name"] != "享受人大补助"
    assert "享受人大补助" in [v for k, v in after.items() if k.startswith("f1.") and k.endswith(".name")]
    deleted = form_of(prep.send("POST", f"/sheets/{sid}/edit", data={**fields, "op": "del:f0.i0"}).text)
    assert deleted["f0.i0.name"] != "享受人大补助"
    assert prep.get(f"/api/v1/sheets/{sid}").json()["version"] == 1     # none of it saved


def test_save_makes_a_version_and_a_stale_save_keeps_what_was_typed(sign_in, seed):
    prep, sid = stored(sign_in, seed)
    other = sign_in("prep_A1")
    mine = form_of(prep.get(f"/sheets/{sid}/edit").text)
    theirs = form_of(other.get(f"/sheets/{sid}/edit").text)
    theirs["goals"] = "对方写的目标"
    r = other.send("POST", f"/sheets/{sid}/save", data=theirs, follow_redirects=False)
    assert r.status_code == 303
    mine["f0.i0.target"] = "=61元"
    conflict = prep.send("POST", f"/sheets/{sid}/save", data=mine)
    assert conflict.status_code == 412 and "保存冲突" in conflict.text
    assert "对方写的目标" in conflict.text                       # what the other person changed
    merged = form_of(conflict.text)
    assert merged["f0.i0.target"] == "=61元"                     # what I typed is still there
    assert merged["goals"] == "对方写的目标" and merged["version"] == "2"   # theirs merged, based on theirs
    assert prep.get(f"/api/v1/sheets/{sid}").json()["version"] == 2
    assert prep.send("POST", f"/sheets/{sid}/save", data=merged, follow_redirects=False).status_code == 303
    saved = prep.get(f"/api/v1/sheets/{sid}").json()
    assert saved["version"] == 3 and saved["sheet"]["goals"] == ["对方写的目标"]
    assert saved["sheet"]["functions"][0]["indicators"][0]["target"]["text"] == "=61元"


def test_submit_blocked_then_fixed_then_returned_with_a_comment_on_the_cell(sign_in, seed):
    prep, sid = stored(sign_in, seed)
    blocked = prep.send("POST", f"/sheets/{sid}/action", data={"action": "submit"})
    assert blocked.status_code == 422 and "需要先修改的错误" in blocked.text
    fields = form_of(prep.get(f"/sheets/{sid}/edit").text)
    fields["f0.i0.level1"], fields["f0.i0.level2"] = "成本指标", "经济成本指标"
    assert prep.send("POST", f"/sheets/{sid}/save", data=fields, follow_redirects=False).status_code == 303
    done = prep.send("POST", f"/sheets/{sid}/action", data={"action": "submit"}, follow_redirects=False)
    assert done.status_code == 303
    rev = sign_in("rev_A")
    page = rev.get(f"/sheets/{sid}").text
    assert "退回" in page and 'name="where" value="functions[1].indicators[0]"' in page
    review = {"action": "return", "comment": "请修改", "where": ["functions[1].indicators[0]"],
              "text": ["依据不足, 请说明测算过程"]}
    r = rev.send("POST", f"/sheets/{sid}/action", data=review, follow_redirects=False)
    assert r.status_code == 303
    view = prep.get(f"/sheets/{sid}").text
    row = view[view.index('id="row-functions-1-indicators-0"'):]
    row = row[:row.index("</tr>")]
    assert "has-comment" in row and "依据不足, 请说明测算过程" in row
    history = prep.get(f"/sheets/{sid}/history").text
    assert "退回" in history and "rev_A" in history
    compare = prep.get(f"/sheets/{sid}/compare?from=1&to=2").text
    assert "成本指标" in compare and "<del>" in compare


def test_a_page_form_without_the_csrf_token_is_refused(sign_in, seed):
    prep, sid = stored(sign_in, seed)
    r = prep.client.post(f"/sheets/{sid}/action", data={"action": "submit"})
    assert r.status_code == 403 and "CSRF" in r.text


def test_pages_escape_what_users_typed(sign_in, seed):
    doc = json.loads(json.dumps(seed))
    doc["functions"][0]["indicators"][0]["name"] = "<script>alert(1)</script>"
    prep = sign_in("prep_A1")
    sid = prep.send("POST", "/api/v1/sheets", json=doc).json()["id"]
    for url in (f"/sheets/{sid}", f"/sheets/{sid}/edit"):
        page = prep.get(url).text
        assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_three_way_merge_takes_each_sides_change_and_names_the_clashes():
    from jixiao.model.diff import merge3

    base = {"goals": ["a", "b"], "unit": "x", "rows": [1, 2]}
    theirs = {"goals": ["A", "b"], "unit": "x", "rows": [1, 2, 3]}
    mine = {"goals": ["a", "B"], "unit": "y", "rows": [1, 2]}
    merged, clashes = merge3(base, theirs, mine)
    assert merged == {"goals": ["A", "B"], "unit": "y", "rows": [1, 2, 3]} and clashes == []
    merged, clashes = merge3(base, {**base, "unit": "z"}, {**base, "unit": "y"})
    assert merged["unit"] == "y" and clashes == ["unit"]


def test_the_fill_in_template_downloads_and_imports_back(sign_in):
    import io

    import openpyxl

    prep = sign_in("prep_A1")
    r = prep.get("/templates/project.xlsx")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert "项目支出" in (wb.active["A1"].value or "")
    assert prep.get("/templates/unit.xlsx").status_code == 422
