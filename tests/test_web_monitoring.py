"""Monitoring over the pages and the API: finance opens a round, the unit reports,
a lagging execution is warned, the department requires a correction, the unit answers."""
from __future__ import annotations

import copy
import json

import pytest

from jixiao.services import sheets, workflow


@pytest.fixture(scope="module")
def seed(repo_root) -> dict:
    doc = json.loads((repo_root / "tests" / "data" / "seed.gold.json").read_text(encoding="utf-8"))
    doc["functions"][0]["indicators"][0]["level1"] = "成本指标"
    doc["functions"][0]["indicators"][0]["level2"] = "经济成本指标"
    return doc


def approved(tree, seed) -> int:
    with tree.session() as s:
        sid = sheets.create_sheet(s, actor=tree.actors["prep_A1"], document=copy.deepcopy(seed)).info.id
    for actor, action in (("prep_A1", "submit"), ("rev_A", "pass"), ("fin", "approve")):
        with tree.session() as s:
            workflow.perform_action(s, actor=tree.actors[actor], sheet_id=sid, action=action)
    return sid


def test_a_monitoring_round_through_the_pages(org_tree, sign_in, seed):
    sid = approved(org_tree, seed)
    fin, prep, rev = sign_in("fin"), sign_in("prep_A1"), sign_in("rev_A")
    assert prep.send("POST", "/monitoring", data={"year": "2024", "label": "1–7月",
                                                  "period_end": "2024-07-31"}).status_code == 403
    r = fin.send("POST", "/monitoring", data={"year": "2024", "label": "1–7月", "period_end": "2024-07-31"},
                 follow_redirects=False)
    assert r.status_code == 303
    round_url = r.headers["location"]
    overview = rev.get(round_url)
    assert overview.status_code == 200 and "未填报" in overview.text
    report_url = f"{round_url}/sheets/{sid}"
    page = prep.get(report_url)
    assert page.status_code == 200 and 'name="so_far:functions[0].indicators[0]"' in page.text
    form = {"where": ["functions[0].indicators[0]"], "so_far:functions[0].indicators[0]": "=60元",
            "likelihood:functions[0].indicators[0]": "确定能", "budget": "200", "executed": "40", "action": "submit"}
    done = prep.send("POST", report_url, data=form)
    assert done.status_code == 200 and "已保存" in done.text and "低于 1–7月的预警线 40%" in done.text
    assert "预算执行率 20.0%" in done.text
    assert "已报送" in fin.get(round_url).text
    corrected = rev.send("POST", report_url, data={"action": "correction", "correction": "请说明执行慢的原因"})
    assert corrected.status_code == 200 and "请说明执行慢的原因" in corrected.text
    answered = prep.send("POST", report_url, data={**form, "action": "save", "executed": "90",
                                                   "answer": "8月资金已到位"})
    assert answered.status_code == 200 and "8月资金已到位" in answered.text
    api = fin.get(f"/api/v1/monitoring/rounds/{round_url.rsplit('/', 1)[-1]}").json()
    assert api["sheets"][0]["state"] == "answered" and api["sheets"][0]["execution"] == 45.0


def test_other_units_and_departments_do_not_reach_the_report(org_tree, sign_in, seed):
    sid = approved(org_tree, seed)
    fin = sign_in("fin")
    rid = fin.send("POST", "/api/v1/monitoring/rounds", json={"year": 2024, "label": "1–8月",
                                                            "period_end": "2024-08-31"}).json()["id"]
    for who in ("prep_A2", "rev_B"):
        other = sign_in(who)
        assert other.get(f"/monitoring/{rid}/sheets/{sid}").status_code == 404
        assert other.get(f"/api/v1/monitoring/rounds/{rid}").json()["sheets"] == []
        assert other.send("PUT", f"/api/v1/monitoring/rounds/{rid}/sheets/{sid}", json={"entries": []}).status_code \
            == 404
