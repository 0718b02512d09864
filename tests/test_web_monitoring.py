"""Monitoring over the pages and the API: finance opens a round, the unit reports,
a lagging execution is warned, the department requires a correction, the unit answers."""
from __future__ import annotations

import pytest
from sheet_fixtures import approved, submittable


@pytest.fixture(scope="module")
def seed(seed_gold) -> dict:
    return submittable(seed_gold)


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


def test_the_report_downloads_as_a_monitoring_form(org_tree, sign_in, seed):
    import io

    import openpyxl

    sid = approved(org_tree, seed)
    fin, prep = sign_in("fin"), sign_in("prep_A1")
    rid = fin.send("POST", "/api/v1/monitoring/rounds", json={"year": 2024, "label": "1–6月",
                                                            "period_end": "2024-06-30"}).json()["id"]
    first = "functions[0].indicators[0]"
    assert prep.send("PUT", f"/api/v1/monitoring/rounds/{rid}/sheets/{sid}", json={
        "entries": [{"where": first, "so_far": "=60元", "expected": "=60元", "likelihood": "有可能",
                     "causes": ["经费保障", "其他"], "note": "补助资金 7 月到位"}],
        "budget": 200, "executed": 30}).status_code == 200
    url = f"/monitoring/{rid}/sheets/{sid}/export"
    assert f'href="{url}/pdf"' in prep.get(f"/monitoring/{rid}/sheets/{sid}").text
    data = fin.get(f"{url}/json").json()
    assert data["stage"] == "monitoring" and data["title"].endswith("执行监控表 (1–6月)")
    assert data["funds"] == {"budget": 200, "executed": 30}
    got = data["functions"][0]["indicators"][0]
    assert (got["actual"]["text"], got["expected"], got["causes"], got["likelihood"], got["note"]) == \
        ("=60元", "=60元", "经费保障、其他", "有可能", "补助资金 7 月到位")
    xlsx = prep.get(f"{url}/xlsx")
    assert xlsx.status_code == 200 and "spreadsheetml" in xlsx.headers["content-type"]
    cells = {str(c.value) for row in openpyxl.load_workbook(io.BytesIO(xlsx.content)).active.iter_rows()
             for c in row if c.value is not None}
    assert {"全年预计完成情况", "偏差原因", "完成目标可能性", "偏差原因备注", "经费保障、其他", "补助资金 7 月到位"} <= cells
    assert prep.get(f"{url}/exe").status_code == 422
    assert sign_in("rev_B").get(f"{url}/xlsx").status_code == 404
