"""Demo data for a first look (``jixiao demo``, ``make run``): an org tree, one
account per role with known passwords, and the seed sheet as a draft.

Idempotent: what exists already is left as it is, so running it twice (every
``make run``) changes nothing. Refused in production: known passwords must
never reach a real server.
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import InvalidRequest
from ..storage.models import Organisation, SheetRecord, User
from . import accounts, sheets
from .documents import import_document
from .policy import SYSTEM

__all__ = ["DemoAccount", "DEMO_ORGS", "DEMO_ACCOUNTS", "load_demo"]

#: (name, kind, parent). In the seed, 潢源县大华镇人民政府 is both unit and 主管部门;
#: the demo puts it under the county government so that its sheet goes through the
#: department review as well, which is the step a first visitor wants to see.
DEMO_ORGS = (
    ("潢源县财政局", "finance", None),
    ("潢源县人民政府", "department", "潢源县财政局"),
    ("潢源县大华镇人民政府", "unit", "潢源县人民政府"),
    ("潢源县小河镇人民政府", "unit", "潢源县人民政府"),
    ("潢源县教育局", "department", "潢源县财政局"),
    ("潢源县实验小学", "unit", "潢源县教育局"),
)


@dataclass(frozen=True, slots=True)
class DemoAccount:
    username: str
    password: str
    role: str
    org: str
    display_name: str


DEMO_ACCOUNTS = (
    DemoAccount("danwei", "danwei-demo-2024", "preparer", "潢源县大华镇人民政府", "大华镇填报员"),
    DemoAccount("zhuguan", "zhuguan-demo-2024", "dept_reviewer", "潢源县人民政府", "县政府审核员"),
    DemoAccount("caizheng", "caizheng-demo-2024", "finance", "潢源县财政局", "财政局审核员"),
    DemoAccount("admin", "admin-demo-2024", "admin", "潢源县财政局", "系统管理员"),
    DemoAccount("xiaoxue", "xiaoxue-demo-2024", "preparer", "潢源县实验小学", "实验小学填报员"),
)
SEED_RESOURCE = "seed_2024_town_approval.txt"


def load_demo(session: Session, *, production: bool) -> list[str]:
    """Create what is missing of the demo; returns what was created, in Chinese."""
    if production:
        raise InvalidRequest("生产环境 (JIXIAO_ENV=production) 不能加载演示数据: 演示账号的密码是公开的")
    done: list[str] = []
    for name, kind, parent in DEMO_ORGS:
        if session.scalar(select(Organisation).where(Organisation.name == name)) is None:
            accounts.create_org(session, actor=SYSTEM, name=name, kind=kind, parent=parent)
            done.append(f"机构 {name}")
    for a in DEMO_ACCOUNTS:
        if session.scalar(select(User).where(User.username == a.username)) is None:
            accounts.create_user(session, actor=SYSTEM, username=a.username, org=a.org, role=a.role,
                                 password=a.password, display_name=a.display_name)
            done.append(f"账号 {a.username}")
    town = session.scalar(select(Organisation).where(Organisation.name == "潢源县大华镇人民政府"))
    assert town is not None
    if session.scalar(select(SheetRecord).where(SheetRecord.unit_org_id == town.id)) is None:
        clerk = session.scalar(select(User).where(User.username == "danwei"))
        assert clerk is not None
        data = resources.files("jixiao.services").joinpath("demo_data", SEED_RESOURCE).read_bytes()
        sheet = import_document(data=data, name=SEED_RESOURCE).sheet
        sheets.create_sheet(session, actor=accounts.actor_for_user(session, user_id=clerk.id), document=sheet,
                            note="演示数据: 种子表")
        done.append("草稿 2024年部门整体支出绩效目标表 (大华镇)")
    return done
