"""Who may do what: the role table of web.md as one function, ``can``.

Pure: it looks only at the actor and at the target's place in the org tree (and,
for reading, whether the sheet is published); it never touches the database, so the
web layer, the CLI and the tests ask the same question the same way. Whether the
sheet's *state* allows an action (submit a draft, approve what the department
passed) is the workflow's question, not this one: ``can`` answers "may this person
ever do this to this sheet".

    role           bound to              sees                         does
    preparer       a unit or department  its org's sheets             create, edit, submit, withdraw, adjust
    dept_reviewer  a department          its own and its units'       pass, return, comment (pass/return
                                         sheets                       only on its units' sheets: a
                                                                      department's own sheet skips the step)
    finance        the finance org       every sheet                  approve, return, publish, comment
    admin          any                   every sheet                  orgs, accounts, tokens; no workflow action
    anonymous      –                     published sheets only        read

Everyone may read a published sheet. Anyone signed in may create and revoke API
tokens and change the password of their own account; an admin may do so for any
account, and alone lists, disables and re-enables accounts.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Actor", "SheetRef", "OrgRef", "UserRef", "SYSTEM", "SHEET_ACTIONS", "ORG_ACTIONS",
           "ACTIONS", "can", "visible_org_filter"]

#: Actions on a sheet (web.md's workflow verbs, plus view/edit/comment).
SHEET_ACTIONS = ("view", "edit", "submit", "withdraw", "adjust", "pass", "return", "comment",
                 "approve", "publish")
#: Actions on an organisation: ``create_sheet`` there, add a child org, add an account.
ORG_ACTIONS = ("create_sheet", "create_org", "create_user")
#: Actions on an account: tokens and the password are the account's own business (or
#: an admin's); disabling an account or listing accounts is an admin's only.
USER_ACTIONS = ("create_token", "change_password", "manage_user")
ACTIONS = SHEET_ACTIONS + ORG_ACTIONS + USER_ACTIONS

_PREPARER = frozenset({"view", "edit", "submit", "withdraw", "adjust"})
_REVIEWER_UNITS = frozenset({"view", "pass", "return", "comment"})
_REVIEWER_OWN = frozenset({"view", "comment"})
_FINANCE = frozenset({"view", "approve", "return", "publish", "comment"})


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting: a signed-in account, or the command line (``SYSTEM``).
    ``org_parent_id`` is the parent of the actor's org (a unit's department)."""

    user_id: int | None
    username: str
    role: str
    org_id: int | None
    org_kind: str | None = None
    org_parent_id: int | None = None


#: The command line: whoever can run ``jixiao`` on the server holds the database
#: anyway; it may manage orgs and accounts (as an admin) but has no workflow role.
SYSTEM = Actor(user_id=None, username="命令行", role="admin", org_id=None)


@dataclass(frozen=True, slots=True)
class SheetRef:
    """A sheet's place: the org it belongs to and that org's parent, and its state."""

    org_id: int
    org_parent_id: int | None
    state: str = "draft"


@dataclass(frozen=True, slots=True)
class OrgRef:
    org_id: int
    parent_id: int | None
    kind: str = "unit"


@dataclass(frozen=True, slots=True)
class UserRef:
    user_id: int
    org_id: int


def can(actor: Actor | None, action: str, target: SheetRef | OrgRef | UserRef) -> bool:
    """May ``actor`` (None: anonymous) do ``action`` to ``target``?"""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if isinstance(target, SheetRef):
        if action not in SHEET_ACTIONS:
            raise ValueError(f"{action!r} is not an action on a sheet")
        return _on_sheet(actor, action, target)
    if isinstance(target, OrgRef):
        if action not in ORG_ACTIONS:
            raise ValueError(f"{action!r} is not an action on an organisation")
        if actor is None:
            return False
        if action == "create_sheet":
            return actor.role == "preparer" and actor.org_id == target.org_id \
                and target.kind in ("unit", "department")
        return actor.role == "admin"
    if action not in USER_ACTIONS:
        raise ValueError(f"{action!r} is not an action on an account")
    if actor is None:
        return False
    if action == "manage_user":
        return actor.role == "admin"
    return actor.role == "admin" or (actor.user_id is not None and actor.user_id == target.user_id)


def _on_sheet(actor: Actor | None, action: str, sheet: SheetRef) -> bool:
    if action == "view" and sheet.state == "published":
        return True
    if actor is None:
        return False
    if actor.role == "preparer":
        return action in _PREPARER and sheet.org_id == actor.org_id
    if actor.role == "dept_reviewer":
        if actor.org_kind not in (None, "department"):
            return False
        if sheet.org_parent_id is not None and sheet.org_parent_id == actor.org_id:
            return action in _REVIEWER_UNITS
        if sheet.org_id == actor.org_id:
            return action in _REVIEWER_OWN
        return False
    if actor.role == "finance":
        return action in _FINANCE
    if actor.role == "admin":
        return action == "view"
    return False


def visible_org_filter(actor: Actor | None) -> tuple[str, int | None]:
    """How ``view`` narrows a list of sheets, for a query: ``("all", None)``,
    ``("org", id)`` (that org's sheets), ``("org_or_children", id)`` (a department
    and its units), or ``("published", None)``. Published sheets are visible to
    everyone in addition. Agrees with ``can(actor, "view", …)``; tested against it."""
    if actor is None:
        return ("published", None)
    if actor.role in ("finance", "admin"):
        return ("all", None)
    if actor.role == "dept_reviewer" and actor.org_kind in (None, "department"):
        return ("org_or_children", actor.org_id)
    if actor.role == "preparer":
        return ("org", actor.org_id)
    return ("published", None)
