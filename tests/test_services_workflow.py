"""The workflow of stored sheets (services.workflow) on SQLite and PostgreSQL:
every transition of web.md, who may do it, what it refuses, what it records."""
from __future__ import annotations

import json

import pytest
from sheet_fixtures import submittable as fixed

from jixiao.errors import Forbidden, InvalidRequest, NotFound, StateConflict, SubmissionBlocked
from jixiao.model.workflow import ACTIONS, STATES, allowed_actions, transition
from jixiao.services import sheets, workflow


@pytest.fixture(scope="module")
def seed_document(repo_root) -> dict:
    return json.loads((repo_root / "tests" / "data" / "seed.gold.json").read_text(encoding="utf-8"))


def draft(tree, who: str, document: dict) -> int:
    with tree.session() as s:
        return sheets.create_sheet(s, actor=tree.actors[who], document=document).info.id


def act(tree, who: str, sheet_id: int, action: str, **kw):
    with tree.session() as s:
        return workflow.perform_action(s, actor=tree.actors[who], sheet_id=sheet_id, action=action, **kw)


def test_the_state_machine_is_web_md():
    assert set(STATES) == {"draft", "submitted", "dept_passed", "approved", "published", "returned", "adjusting"}
    assert allowed_actions("draft") == ("submit",)
    assert allowed_actions("submitted") == ("withdraw", "pass", "return")
    assert allowed_actions("dept_passed") == ("return", "approve")
    assert allowed_actions("published") == ("adjust",)
    assert transition("draft", "submit", own_department_sheet=True).target == "dept_passed"
    assert all(transition(s, a) is None or transition(s, a).source == s for s in STATES for a in ACTIONS)


def test_a_unit_sheet_goes_the_whole_way_and_every_step_is_an_event(org_tree, seed_document):
    sid = draft(org_tree, "prep_A1", fixed(seed_document))
    assert act(org_tree, "prep_A1", sid, "submit").info.state == "submitted"
    assert act(org_tree, "rev_A", sid, "pass").info.state == "dept_passed"
    result = act(org_tree, "fin", sid, "approve")
    assert result.info.state == "approved" and result.info.version == 2
    number = result.event.detail["approval_number"]
    assert "〔2024〕" in number and number.endswith("号")
    with org_tree.session() as s:
        approved = sheets.get_sheet(s, actor=org_tree.actors["prep_A1"], sheet_id=sid)
    assert approved.document["extra"]["approval_number"] == number
    assert approved.document["stage"] == "approval" and "批复表" in approved.document["title"]
    assert act(org_tree, "fin", sid, "publish").info.state == "published"
    adjusting = act(org_tree, "prep_A1", sid, "adjust")
    assert adjusting.info.state == "adjusting" and adjusting.info.version == 3
    with org_tree.session() as s:
        history = workflow.sheet_history(s, actor=org_tree.actors["rev_A"], sheet_id=sid)
    steps = [(e.action, e.from_state, e.to_state) for e in history if "." not in e.action]
    assert steps == [("create", "draft", "draft"), ("submit", "draft", "submitted"),
                     ("pass", "submitted", "dept_passed"), ("approve", "dept_passed", "approved"),
                     ("publish", "approved", "published"), ("adjust", "published", "adjusting")]
    assert [e.user for e in history if e.action == "pass"] == ["rev_A"]


def test_submit_is_refused_with_the_findings_while_the_checker_reports_an_error(org_tree, seed_document):
    sid = draft(org_tree, "prep_A1", seed_document)
    with pytest.raises(SubmissionBlocked) as e:
        act(org_tree, "prep_A1", sid, "submit")
    assert e.value.status == 422 and e.value.findings[0]["code"] == "R18"
    assert e.value.findings[0]["where"].startswith("functions[0].indicators[0]")
    with org_tree.session() as s:
        assert sheets.get_sheet(s, actor=org_tree.actors["prep_A1"], sheet_id=sid).info.state == "draft"


def test_return_needs_a_comment_and_carries_comments_on_single_indicators(org_tree, seed_document):
    sid = draft(org_tree, "prep_A1", fixed(seed_document))
    act(org_tree, "prep_A1", sid, "submit")
    with pytest.raises(InvalidRequest):
        act(org_tree, "rev_A", sid, "return")
    with pytest.raises(InvalidRequest):
        act(org_tree, "rev_A", sid, "return", comment="请修改",
            comments=[{"where": "../../etc/passwd", "text": "x"}])
    done = act(org_tree, "rev_A", sid, "return", comment="请细化指标",
               comments=[{"where": "functions[1].indicators[2]", "text": "目标值没有依据"}])
    assert done.info.state == "returned"
    with org_tree.session() as s:
        open_ = workflow.open_comments(s, actor=org_tree.actors["prep_A1"], sheet_id=sid)
    assert [(c.where, c.text) for e in open_ for c in e.comments] == [("functions[1].indicators[2]", "目标值没有依据")]
    assert act(org_tree, "prep_A1", sid, "submit").info.state == "submitted"   # fixed and resubmitted
    with org_tree.session() as s:
        assert workflow.open_comments(s, actor=org_tree.actors["prep_A1"], sheet_id=sid) == []


def test_a_departments_own_sheet_skips_the_department_review(org_tree, seed_document):
    sid = draft(org_tree, "prep_A", fixed(seed_document))
    assert act(org_tree, "prep_A", sid, "submit").info.state == "dept_passed"
    with pytest.raises(Forbidden):
        act(org_tree, "rev_A", sid, "return", comment="x")
    assert act(org_tree, "fin", sid, "return", comment="请补充").info.state == "returned"


@pytest.mark.parametrize("who,action,error", [
    ("prep_A2", "submit", NotFound),        # a sibling unit does not see the sheet at all
    ("rev_B", "submit", NotFound),          # another department neither
    ("rev_A", "submit", Forbidden),         # the reviewer sees it but does not submit
    ("fin", "submit", Forbidden),
    ("admin", "submit", Forbidden),         # separation of duties
    ("prep_A1", "approve", Forbidden),
    ("prep_A1", "pass", Forbidden),
])
def test_who_may_act_is_decided_in_the_service(org_tree, seed_document, who, action, error):
    sid = draft(org_tree, "prep_A1", fixed(seed_document))
    with pytest.raises(error):
        act(org_tree, who, sid, action)


def test_an_action_the_state_does_not_allow_is_a_conflict(org_tree, seed_document):
    sid = draft(org_tree, "prep_A1", fixed(seed_document))
    with pytest.raises(StateConflict) as e:
        act(org_tree, "fin", sid, "approve")
    assert e.value.status == 409 and "草稿" in e.value.message
    act(org_tree, "prep_A1", sid, "submit")
    with pytest.raises(StateConflict):
        act(org_tree, "prep_A1", sid, "submit")
    with pytest.raises(StateConflict):          # a submitted sheet cannot be edited
        with org_tree.session() as s:
            sheets.save_version(s, actor=org_tree.actors["prep_A1"], sheet_id=sid,
                                document=fixed(seed_document), expected_version=1)
    assert act(org_tree, "prep_A1", sid, "withdraw").info.state == "draft"


def test_reviewers_comment_without_changing_the_state(org_tree, seed_document):
    sid = draft(org_tree, "prep_A1", fixed(seed_document))
    act(org_tree, "prep_A1", sid, "submit")
    done = act(org_tree, "rev_A", sid, "comment", comments=[{"where": "goals[0]", "text": "目标过于笼统"}])
    assert done.info.state == "submitted" and done.event.comments[0].where == "goals[0]"
    with pytest.raises(Forbidden):
        act(org_tree, "prep_A1", sid, "comment", comment="我自己评论")
