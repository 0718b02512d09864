"""Administration pages (admin only) and one's own account page (everyone)."""
from __future__ import annotations

import re

from db_fixtures import PASSWORD


def test_admin_adds_an_org_and_an_account_whose_generated_password_signs_in(sign_in, web):
    admin = sign_in("admin")
    page = admin.get("/admin")
    assert page.status_code == 200 and "单位A1" in page.text and "prep_A1" in page.text
    r = admin.send("POST", "/admin/orgs", data={"name": "单位A3", "kind": "unit", "parent": "部门A"})
    assert r.status_code == 200 and "已添加机构" in r.text
    r = admin.send("POST", "/admin/users", data={"username": "new_clerk", "role": "preparer", "org": "单位A3"})
    password = re.search(r"只显示这一次, 请交给本人\): <code>([^<]+)</code>", r.text)[1]
    import html

    signed = web.post("/api/v1/session", json={"username": "new_clerk", "password": html.unescape(password)})
    assert signed.status_code == 200 and signed.json()["user"]["org"]["name"] == "单位A3"
    bad = admin.send("POST", "/admin/users", data={"username": "x", "role": "preparer", "org": "财政局"})
    assert bad.status_code == 422 and "flash error" in bad.text


def test_admin_disables_an_account_and_its_sessions_end(sign_in):
    admin, clerk = sign_in("admin"), sign_in("prep_A2")
    assert clerk.get("/api/v1/me").status_code == 200
    assert admin.send("POST", "/admin/users/prep_A2/active", data={"active": "0"}).status_code == 200
    assert clerk.get("/api/v1/me").status_code == 401


def test_no_one_else_reaches_the_admin_pages(sign_in):
    for who in ("prep_A1", "rev_A", "fin"):
        browser = sign_in(who)
        assert browser.get("/admin").status_code == 403
        assert browser.send("POST", "/admin/orgs", data={"name": "x", "kind": "unit", "parent": "部门A"}).status_code \
            == 403


def test_own_password_change_needs_the_current_one_and_ends_the_sessions(sign_in, web):
    clerk = sign_in("prep_B1")
    wrong = clerk.send("POST", "/account/password", data={"current_password": "错", "new_password": "新的密码-horse-43",
                                                           "again": "新的密码-horse-43"})
    assert wrong.status_code == 401 and "当前密码不正确" in wrong.text
    done = clerk.send("POST", "/account/password", data={"current_password": PASSWORD,
                                                          "new_password": "新的密码-horse-43",
                                                          "again": "新的密码-horse-43"}, follow_redirects=False)
    assert done.status_code == 303
    assert clerk.get("/api/v1/me").status_code == 401
    assert web.post("/api/v1/session", json={"username": "prep_B1", "password": "新的密码-horse-43"}).status_code == 200


def test_tokens_are_shown_once_and_can_be_revoked(sign_in, web):
    clerk = sign_in("prep_A1")
    page = clerk.send("POST", "/account/tokens", data={"name": "脚本"})
    token = re.search(r"<code>(jx_[^<]+)</code>", page.text)[1]
    assert web.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert token not in clerk.get("/account").text               # never shown again
    token_id = re.search(r'/account/tokens/(\d+)/revoke', clerk.get("/account").text)[1]
    clerk.send("POST", f"/account/tokens/{token_id}/revoke")
    assert web.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
