"""The authorisation policy as one table: every role (and anonymous) × every action ×
a sheet or org of the caller's own org, a sibling unit, the parent department, another
department and its unit. An action added to the policy without a row here fails."""
from __future__ import annotations

import pytest

from jixiao.services.policy import (
    ACTIONS,
    ORG_ACTIONS,
    SHEET_ACTIONS,
    USER_ACTIONS,
    Actor,
    OrgRef,
    SheetRef,
    UserRef,
    can,
)

# The org tree:   F 财政局
#                 ├── A 部门A ── A1 单位A1, A2 单位A2
#                 └── B 部门B ── B1 单位B1
ORGS = {"F": (1, None, "finance"), "A": (2, 1, "department"), "A1": (3, 2, "unit"),
        "A2": (4, 2, "unit"), "B": (5, 1, "department"), "B1": (6, 5, "unit")}
SHEET_ORGS = ("A1", "A2", "A", "B1", "B")
ACTORS = {
    "prep_A1": Actor(11, "prep_a1", "preparer", 3, "unit", 2),     # a unit's preparer
    "prep_A": Actor(12, "prep_a", "preparer", 2, "department", 1),  # a department's own preparer
    "rev_A": Actor(13, "rev_a", "dept_reviewer", 2, "department", 1),
    "fin": Actor(14, "fin", "finance", 1, "finance", None),
    "admin": Actor(15, "admin", "admin", 1, "finance", None),
    "anon": None,
}
ALL = "A1 A2 A B1 B"
ALL_ORGS = "F A A1 A2 B B1"

# What each actor may do, and to which sheets (by the sheet's org) or orgs; for the
# account actions the target is the actor's own account ("self") or another one ("other").
# Sheets here are drafts: the published case is below.
ALLOWED: dict[str, dict[str, str]] = {
    "prep_A1": {"view": "A1", "edit": "A1", "submit": "A1", "withdraw": "A1", "adjust": "A1",
                "pass": "", "return": "", "comment": "", "approve": "", "publish": "",
                "create_sheet": "A1", "create_org": "", "create_user": "", "create_token": "self",
                "change_password": "self", "manage_user": ""},
    "prep_A": {"view": "A", "edit": "A", "submit": "A", "withdraw": "A", "adjust": "A",
               "pass": "", "return": "", "comment": "", "approve": "", "publish": "",
               "create_sheet": "A", "create_org": "", "create_user": "", "create_token": "self",
               "change_password": "self", "manage_user": ""},
    # The department reviewer passes and returns its units' sheets; its own department's
    # sheet skips that step (web.md), so there it may only read and comment.
    "rev_A": {"view": "A1 A2 A", "edit": "", "submit": "", "withdraw": "", "adjust": "",
              "pass": "A1 A2", "return": "A1 A2", "comment": "A1 A2 A", "approve": "",
              "publish": "", "create_sheet": "", "create_org": "", "create_user": "",
              "create_token": "self", "change_password": "self", "manage_user": ""},
    "fin": {"view": ALL, "edit": "", "submit": "", "withdraw": "", "adjust": "", "pass": "",
            "return": ALL, "comment": ALL, "approve": ALL, "publish": ALL, "create_sheet": "",
            "create_org": "", "create_user": "", "create_token": "self", "change_password": "self",
            "manage_user": ""},
    # Separation of duties: the admin sees everything and manages orgs and accounts, but
    # takes no workflow action.
    "admin": {"view": ALL, "edit": "", "submit": "", "withdraw": "", "adjust": "", "pass": "",
              "return": "", "comment": "", "approve": "", "publish": "", "create_sheet": "",
              "create_org": ALL_ORGS, "create_user": ALL_ORGS, "create_token": "self other",
              "change_password": "self other", "manage_user": "self other"},
    "anon": {action: "" for action in ACTIONS},
}


def _sheet(org: str, state: str = "draft") -> SheetRef:
    org_id, parent_id, _ = ORGS[org]
    return SheetRef(org_id, parent_id, state)


def _targets(action: str):
    if action in SHEET_ACTIONS:
        return [(name, _sheet(name)) for name in SHEET_ORGS]
    if action in ORG_ACTIONS:
        return [(name, OrgRef(*ORGS[name])) for name in ORGS]
    assert action in USER_ACTIONS
    return [("self", None), ("other", UserRef(99, 3))]


def _cases():
    for actor_name, actor in ACTORS.items():
        for action in ACTIONS:
            for target_name, target in _targets(action):
                if target is None:   # "self": the actor's own account
                    target = UserRef(actor.user_id, actor.org_id) if actor else UserRef(98, 3)
                yield pytest.param(actor, action, target,
                                   target_name in ALLOWED[actor_name][action].split(),
                                   id=f"{actor_name}-{action}-{target_name}")


def test_the_table_has_a_row_for_every_actor_and_action():
    for actor_name in ACTORS:
        assert set(ALLOWED[actor_name]) == set(ACTIONS), actor_name


@pytest.mark.parametrize("actor, action, target, allowed", list(_cases()))
def test_policy_matrix(actor, action, target, allowed):
    assert can(actor, action, target) is allowed


@pytest.mark.parametrize("actor_name", list(ACTORS))
@pytest.mark.parametrize("org", ["A1", "B"])
def test_everyone_may_read_a_published_sheet_and_anonymous_nothing_more(actor_name, org):
    actor = ACTORS[actor_name]
    assert can(actor, "view", _sheet(org, "published"))
    if actor is None:
        assert not any(can(None, a, _sheet(org, "published")) for a in SHEET_ACTIONS if a != "view")


def test_unknown_action_or_wrong_target_is_a_programming_error():
    with pytest.raises(ValueError):
        can(ACTORS["fin"], "delete", _sheet("A1"))
    with pytest.raises(ValueError):
        can(ACTORS["admin"], "create_org", _sheet("A1"))
    with pytest.raises(ValueError):
        can(ACTORS["admin"], "approve", OrgRef(*ORGS["A"]))
