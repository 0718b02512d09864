"""The approval workflow of a sheet (web.md "States and actions"), as pure data.

    draft ──submit──▶ submitted ──pass──▶ dept_passed ──approve──▶ approved ──publish──▶ published
      ▲  ◀─withdraw─┘     │                    │                     │                     │
      └──── returned ◀────┴──return────────────┘                   adjust                adjust
                                                                     ▼                     ▼
                                                               adjusting (a new version, same path again)

A department's own sheet skips the department review: ``submit`` takes it
straight to ``dept_passed``. ``adjusting`` behaves like a draft (edit, submit);
while it lasts, the approved or published version stays what the public sees.
Who may do what is ``services.policy``; this module only says what each action
does to the state.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["STATES", "ACTIONS", "Transition", "transition", "allowed_actions", "EDITABLE_STATES",
           "STATE_LABELS", "ACTION_LABELS", "ACTION_ROLES"]

STATES = ("draft", "submitted", "dept_passed", "approved", "published", "returned", "adjusting")
STATE_LABELS = {"draft": "草稿", "submitted": "待主管部门审核", "dept_passed": "待财政审核",
                "approved": "已批复", "published": "已公开", "returned": "已退回", "adjusting": "调整中"}
ACTIONS = ("submit", "withdraw", "pass", "return", "approve", "publish", "adjust")
ACTION_LABELS = {"submit": "提交", "withdraw": "撤回", "pass": "审核通过", "return": "退回",
                 "approve": "批复", "publish": "公开", "adjust": "调整"}
#: The role that performs each action (web.md's role table); the org scope is policy's.
ACTION_ROLES = {"submit": "preparer", "withdraw": "preparer", "adjust": "preparer",
                "pass": "dept_reviewer", "approve": "finance", "publish": "finance"}
#: ``return`` is done by the reviewer of the step the sheet waits in.
RETURN_ROLE = {"submitted": "dept_reviewer", "dept_passed": "finance"}
#: States in which the preparer may save new versions.
EDITABLE_STATES = ("draft", "returned", "adjusting")


@dataclass(frozen=True, slots=True)
class Transition:
    action: str
    source: str
    target: str
    needs_comment: bool = False   # ``return`` must say why
    checks_findings: bool = False  # refused while the checker reports an error
    new_version: bool = False      # ``adjust`` opens a new version from the approved one


_TABLE: dict[tuple[str, str], Transition] = {}


def _add(action: str, sources: tuple[str, ...], target: str, **flags: bool) -> None:
    for source in sources:
        _TABLE[(action, source)] = Transition(action, source, target, **flags)


_add("submit", ("draft", "returned", "adjusting"), "submitted", checks_findings=True)
_add("withdraw", ("submitted",), "draft")
_add("pass", ("submitted",), "dept_passed")
_add("return", ("submitted", "dept_passed"), "returned", needs_comment=True)
_add("approve", ("dept_passed",), "approved")
_add("publish", ("approved",), "published")
_add("adjust", ("approved", "published"), "adjusting", new_version=True)


def transition(state: str, action: str, *, own_department_sheet: bool = False) -> Transition | None:
    """What ``action`` does in ``state``; None when the state does not allow it.

    A department's own sheet has no department review: it is submitted straight
    to finance, and cannot be withdrawn from or passed at a review it skips."""
    found = _TABLE.get((action, state))
    if found is None:
        return None
    if own_department_sheet and action == "submit":
        return Transition(action, state, "dept_passed", checks_findings=True)
    return found


def allowed_actions(state: str) -> tuple[str, ...]:
    """The actions the state allows, whoever asks, in the order of ``ACTIONS``."""
    return tuple(a for a in ACTIONS if (a, state) in _TABLE)


def acting_role(state: str, action: str) -> str | None:
    """The role that performs ``action`` on a sheet in ``state``."""
    if action == "return":
        return RETURN_ROLE.get(state)
    return ACTION_ROLES.get(action)
