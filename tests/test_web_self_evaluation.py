"""The self-evaluation pages and API: start, fill in with a claim and its reason,
submit, department check, finance rescore, the 自评表 PDF with both scores."""
from __future__ import annotations

import io

import pdfplumber
from test_services_self_evaluation import approved, project  # noqa: F401  (fixture)


def test_self_evaluation_through_the_pages_and_the_api(org_tree, sign_in, project):  # noqa: F811
    sid = approved(org_tree, project)
    prep, rev, fin = sign_in("prep_A1"), sign_in("rev_A"), sign_in("fin")
    page = prep.get(f"/sheets/{sid}/self-evaluation")
    assert page.status_code == 200 and "开始自评" in page.text
    assert prep.send("POST", f"/sheets/{sid}/self-evaluation", data={"action": "start"},
                     follow_redirects=False).status_code == 303
    form = {"where": ["indicators[0]", "indicators[1]"], "actual:indicators[0]": "110公里", "claimed:indicators[0]": "30",
            "actual:indicators[1]": "96%", "budget": "100", "executed": "96", "action": "submit"}
    refused = prep.send("POST", f"/sheets/{sid}/self-evaluation", data=form)
    assert refused.status_code == 422 and "请填写理由" in refused.text
    form["reason:indicators[0]"] = "另有应急抢修"
    assert prep.send("POST", f"/sheets/{sid}/self-evaluation", data=form, follow_redirects=False).status_code == 303
    shown = prep.get(f"/sheets/{sid}/self-evaluation").text
    assert "27.50" in shown and "已报送" in shown
    assert rev.send("POST", f"/sheets/{sid}/self-evaluation", data={"action": "check"},
                    follow_redirects=False).status_code == 303
    r = fin.send("POST", f"/api/v1/sheets/{sid}/self-evaluation/rescore",
                 json={"where": "indicators[0]", "score": 27.5, "reason": "应急抢修不属本项目"})
    assert r.status_code == 200 and r.json()["state"] == "spot_checked"
    first = r.json()["indicators"][0]
    assert first["claimed"] == 30 and first["recomputed"] == 27.5 and first["reviewed"] == 27.5
    assert [h["kind"] for h in r.json()["history"] if h["where"] == "indicators[0]"] == ["claimed", "recomputed", "finance"]
    pdf = prep.get(f"/api/v1/sheets/{sid}/self-evaluation/export/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    with pdfplumber.open(io.BytesIO(pdf.content)) as doc:
        text = "".join(p.extract_text() or "" for p in doc.pages).replace(" ", "")
    assert "自评表" in text and "复核得分" in text and "27.5" in text
    assert sign_in("prep_A2").get(f"/sheets/{sid}/self-evaluation").status_code == 404
