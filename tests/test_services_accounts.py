"""Organisations, accounts, sign-in with throttling, API tokens — on SQLite and
PostgreSQL (``db`` / ``org_tree`` run each test on both)."""
from __future__ import annotations

import datetime as dt
import hashlib
import statistics
import time

import pytest
from db_fixtures import PASSWORD
from sqlalchemy import func, select

from jixiao.errors import AlreadyExists, AuthenticationFailed, Forbidden, InvalidRequest, LoginThrottled, NotFound
from jixiao.services import accounts
from jixiao.services.policy import SYSTEM
from jixiao.storage.models import ApiToken, AuditEvent, LoginThrottle, User

T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)

# --------------------------------------------------------------------- the org tree


def test_the_tree_has_one_finance_root_departments_under_it_and_units_under_those(db):
    with db.session() as s:
        f = accounts.create_org(s, actor=SYSTEM, name="潢源县财政局", kind="finance")
        d = accounts.create_org(s, actor=SYSTEM, name="大华镇", kind="department")  # parent: the root
        u = accounts.create_org(s, actor=SYSTEM, name="大华镇中心学校", kind="unit", parent="大华镇")
        assert (d.parent_id, d.parent_name) == (f.id, "潢源县财政局")
        assert u.parent_id == d.id
        with pytest.raises(InvalidRequest, match="只能有一个财政局"):
            accounts.create_org(s, actor=SYSTEM, name="另一个财政局", kind="finance")
        with pytest.raises(InvalidRequest, match="单位的上级必须是主管部门"):
            accounts.create_org(s, actor=SYSTEM, name="直属单位", kind="unit", parent="潢源县财政局")
        with pytest.raises(InvalidRequest, match="上级主管部门"):
            accounts.create_org(s, actor=SYSTEM, name="孤儿单位", kind="unit")
        with pytest.raises(InvalidRequest, match="主管部门的上级必须是财政局"):
            accounts.create_org(s, actor=SYSTEM, name="下级部门", kind="department", parent="大华镇")
        with pytest.raises(AlreadyExists, match="大华镇"):
            accounts.create_org(s, actor=SYSTEM, name=" 大华镇 ", kind="department")
        with pytest.raises(NotFound, match="不存在的部门"):
            accounts.create_org(s, actor=SYSTEM, name="x", kind="unit", parent="不存在的部门")
        with pytest.raises(InvalidRequest, match="机构类型"):
            accounts.create_org(s, actor=SYSTEM, name="x", kind="bureau")
        assert [o.name for o in accounts.list_orgs(s)] == ["潢源县财政局", "大华镇", "大华镇中心学校"]
        events = s.scalars(select(AuditEvent.action)).all()
        assert events == ["org.create"] * 3


def test_a_department_before_the_finance_root_is_refused(db):
    with db.session() as s, pytest.raises(InvalidRequest, match="还没有财政局"):
        accounts.create_org(s, actor=SYSTEM, name="大华镇", kind="department")


def test_only_an_admin_manages_orgs_and_accounts(org_tree):
    with org_tree.session() as s:
        for who in ("prep_A1", "rev_A", "fin"):
            with pytest.raises(Forbidden):
                accounts.create_org(s, actor=org_tree.actors[who], name="新单位", kind="unit",
                                    parent="部门A")
            with pytest.raises(Forbidden):
                accounts.create_user(s, actor=org_tree.actors[who], username="new", org="单位A1",
                                     role="preparer", password="long enough")
        created = accounts.create_org(s, actor=org_tree.actors["admin"], name="新单位", kind="unit",
                                      parent="部门A")
        assert created.parent_name == "部门A"
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "org.create")
                          .order_by(AuditEvent.id.desc())).first()
        assert event.actor_name == "admin" and event.actor_id == org_tree.users["admin"]

# ------------------------------------------------------------------------- accounts


def test_create_user_binds_a_role_to_a_fitting_org(org_tree):
    with org_tree.session() as s:
        made = accounts.create_user(s, actor=SYSTEM, username="zhang", org="单位A1", role="preparer",
                                    password="zhang-password")
        assert made.generated_password is None
        assert (made.user.role, made.user.org_name, made.user.active) == ("preparer", "单位A1", True)
        stored = s.get(User, made.user.id)
        assert stored.password_hash.startswith("$argon2id$") and "zhang-password" not in \
            stored.password_hash
        for role, org in (("dept_reviewer", "单位A1"), ("finance", "部门A"), ("preparer", "财政局")):
            with pytest.raises(InvalidRequest, match="只能属于"):
                accounts.create_user(s, actor=SYSTEM, username=f"x_{role}", org=org, role=role,
                                     password="long enough")
        with pytest.raises(InvalidRequest, match="角色"):
            accounts.create_user(s, actor=SYSTEM, username="y", org="单位A1", role="boss",
                                 password="long enough")
        with pytest.raises(AlreadyExists, match="zhang"):
            accounts.create_user(s, actor=SYSTEM, username="ZHANG", org="单位A2", role="preparer",
                                 password="long enough")
        with pytest.raises(InvalidRequest, match="至少需要 8 个字符"):
            accounts.create_user(s, actor=SYSTEM, username="li", org="单位A1", role="preparer",
                                 password="short")
        with pytest.raises(InvalidRequest, match="空格"):
            accounts.create_user(s, actor=SYSTEM, username="li si", org="单位A1", role="preparer",
                                 password="long enough")
        with pytest.raises(NotFound, match="没有这个单位"):
            accounts.create_user(s, actor=SYSTEM, username="li", org="没有这个单位", role="preparer",
                                 password="long enough")
        assert s.scalar(select(User.id).where(User.username == "li")) is None


def test_a_generated_password_is_returned_once_and_signs_in(db):
    with db.session() as s:
        accounts.create_org(s, actor=SYSTEM, name="财政局", kind="finance")
        made = accounts.create_user(s, actor=SYSTEM, username="管理员", org="财政局", role="admin")
        assert len(made.generated_password) >= 16
        actor = accounts.authenticate(s, username="管理员", password=made.generated_password)
        assert (actor.username, actor.role) == ("管理员", "admin")

# -------------------------------------------------------------------------- sign-in


def test_wrong_password_and_unknown_user_get_the_same_answer(org_tree):
    with org_tree.session() as s:
        actor = accounts.authenticate(s, username="prep_A1", password=PASSWORD, now=T0)
        assert actor.user_id == org_tree.users["prep_A1"] and actor.org_kind == "unit"
        assert s.get(User, actor.user_id).last_login_at == T0
        messages = []
        for name, password in (("prep_A1", "wrong"), ("nobody", PASSWORD), ("", "")):
            with pytest.raises(AuthenticationFailed) as e:
                accounts.authenticate(s, username=name, password=password, now=T0)
            messages.append(e.value.message)
        assert set(messages) == {"用户名或密码错误"}


def test_an_unknown_user_costs_an_argon2_verification_too(org_tree):
    # Timing-safe: without the dummy verification an unknown name would answer in
    # microseconds instead of ~0.1 s. A generous bound keeps this stable under load.
    def timed(name):
        with org_tree.session() as s:
            start = time.perf_counter()
            with pytest.raises(AuthenticationFailed):
                accounts.authenticate(s, username=name, password="wrong password", now=T0)
            return time.perf_counter() - start

    known = statistics.median(timed("prep_A2") for _ in range(3))
    unknown = statistics.median(timed(f"ghost{i}") for i in range(3))
    assert unknown > 0.4 * known, (unknown, known)


def test_five_failures_lock_the_name_even_for_the_right_password(org_tree):
    with org_tree.session() as s:
        for i in range(accounts.MAX_FAILURES):
            with pytest.raises(AuthenticationFailed):
                accounts.authenticate(s, username="prep_A1", password=f"guess {i}",
                                      now=T0 + dt.timedelta(minutes=i))
        locked_at = T0 + dt.timedelta(minutes=accounts.MAX_FAILURES - 1)
        with pytest.raises(LoginThrottled) as e:
            accounts.authenticate(s, username="prep_A1", password=PASSWORD,
                                  now=locked_at + dt.timedelta(minutes=1))
        assert 13 * 60 < e.value.retry_after <= 15 * 60 and "14 分钟" in e.value.message
        # Another account is not affected, and the lock is in the database: a second
        # session (another worker) sees it.
        accounts.authenticate(s, username="prep_A2", password=PASSWORD, now=locked_at)
    with org_tree.session() as other:
        with pytest.raises(LoginThrottled):
            accounts.authenticate(other, username="PREP_A1", password=PASSWORD,
                                  now=locked_at + dt.timedelta(minutes=14))
        actor = accounts.authenticate(other, username="prep_A1", password=PASSWORD,
                                      now=locked_at + accounts.LOCK_TIME + dt.timedelta(seconds=1))
        assert actor.username == "prep_A1"
        assert other.get(LoginThrottle, "prep_a1") is None   # a success clears the count


def test_failures_spread_beyond_the_window_do_not_lock(org_tree):
    with org_tree.session() as s:
        for i in range(2 * accounts.MAX_FAILURES):
            with pytest.raises(AuthenticationFailed):
                accounts.authenticate(s, username="prep_A1", password="guess",
                                      now=T0 + i * dt.timedelta(minutes=4))
        assert accounts.authenticate(s, username="prep_A1", password=PASSWORD,
                                     now=T0 + dt.timedelta(hours=1)).username == "prep_A1"


def test_unknown_names_are_throttled_alike_so_a_lock_reveals_nothing(org_tree):
    with org_tree.session() as s:
        for _ in range(accounts.MAX_FAILURES):
            with pytest.raises(AuthenticationFailed):
                accounts.authenticate(s, username="ghost", password="x", now=T0)
        with pytest.raises(LoginThrottled):
            accounts.authenticate(s, username="ghost", password="x", now=T0)


def test_an_old_hash_is_replaced_at_the_next_sign_in(org_tree):
    from argon2 import PasswordHasher

    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PASSWORD)
    uid = org_tree.users["rev_A"]
    with org_tree.session() as s:
        s.get(User, uid).password_hash = weak
        s.commit()
        accounts.authenticate(s, username="rev_A", password=PASSWORD)
    with org_tree.session() as s:
        new_hash = s.get(User, uid).password_hash
        assert new_hash != weak and "m=65536" in new_hash
        assert accounts.authenticate(s, username="rev_A", password=PASSWORD).user_id == uid


def test_a_disabled_account_cannot_sign_in(org_tree):
    with org_tree.session() as s:
        s.get(User, org_tree.users["fin"]).active = False
        s.commit()
        with pytest.raises(AuthenticationFailed, match="已停用"):
            accounts.authenticate(s, username="fin", password=PASSWORD)
        with pytest.raises(AuthenticationFailed, match="用户名或密码错误"):
            accounts.authenticate(s, username="fin", password="wrong")

# ----------------------------------------------------------------------- API tokens


def test_a_token_is_shown_once_and_only_its_hash_is_stored(org_tree):
    with org_tree.session() as s:
        made = accounts.create_token(s, actor=SYSTEM, username="prep_A1", name="报表脚本", now=T0)
        assert made.token.startswith("jx_") and len(made.token) >= 40
        assert made.prefix == made.token[:10]
        assert made.expires_at == T0 + dt.timedelta(days=accounts.TOKEN_DAYS)
        row = s.get(ApiToken, made.id)
        assert row.token_hash == hashlib.sha256(made.token.encode()).hexdigest()
        stored = " ".join(str(getattr(row, c.key)) for c in ApiToken.__table__.columns)
        assert made.token not in stored
        actor = accounts.verify_token(s, token=made.token, now=T0 + dt.timedelta(days=1))
        assert (actor.username, actor.role) == ("prep_A1", "preparer")
        assert s.get(ApiToken, made.id).last_used_at == T0 + dt.timedelta(days=1)
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "token.create")).one()
        assert made.token not in str(event.detail) and event.detail["prefix"] == made.prefix


def test_unknown_expired_revoked_and_disabled_tokens_are_refused(org_tree):
    with org_tree.session() as s:
        short = accounts.create_token(s, actor=SYSTEM, username="prep_A1", days=1, now=T0)
        forever = accounts.create_token(s, actor=SYSTEM, username="rev_A", days=0, now=T0)
        assert forever.expires_at is None
        assert accounts.verify_token(s, token=forever.token, now=T0 + dt.timedelta(days=3650))
        with pytest.raises(AuthenticationFailed, match="已过期"):
            accounts.verify_token(s, token=short.token, now=T0 + dt.timedelta(days=1))
        for bad in ("", "jx_" + "A" * 43, short.token[:-1], "Bearer " + short.token):
            with pytest.raises(AuthenticationFailed, match="无效"):
                accounts.verify_token(s, token=bad, now=T0)
        s.get(ApiToken, forever.id).revoked_at = T0
        s.commit()
        with pytest.raises(AuthenticationFailed, match="吊销"):
            accounts.verify_token(s, token=forever.token, now=T0)
        other = accounts.create_token(s, actor=SYSTEM, username="fin", now=T0)
        s.get(User, org_tree.users["fin"]).active = False
        s.commit()
        with pytest.raises(AuthenticationFailed, match="已停用"):
            accounts.verify_token(s, token=other.token, now=T0)


def test_a_user_makes_tokens_for_themself_only_an_admin_for_anyone(org_tree):
    with org_tree.session() as s:
        own = accounts.create_token(s, actor=org_tree.actors["prep_A1"], username="prep_A1")
        assert own.username == "prep_A1"
        with pytest.raises(Forbidden):
            accounts.create_token(s, actor=org_tree.actors["prep_A1"], username="prep_A2")
        assert accounts.create_token(s, actor=org_tree.actors["admin"], username="prep_A2")
        with pytest.raises(NotFound):
            accounts.create_token(s, actor=SYSTEM, username="ghost")

# ------------------------------------------------------------------- account upkeep


def test_an_admin_lists_disables_and_re_enables_accounts(org_tree):
    from jixiao.storage.models import WebSession

    with org_tree.session() as s:
        names = [u.username for u in accounts.list_users(s, actor=org_tree.actors["admin"])]
        assert sorted(names) == sorted(org_tree.users) and names[0] in ("fin", "admin")
        with pytest.raises(Forbidden):
            accounts.list_users(s, actor=org_tree.actors["fin"])
        with pytest.raises(Forbidden):
            accounts.set_user_active(s, actor=org_tree.actors["rev_A"], username="prep_A1",
                                     active=False)
        s.add(WebSession(id_hash="a" * 64, user_id=org_tree.users["prep_A1"], csrf_token="c",
                         expires_at=T0 + dt.timedelta(days=3650)))
        s.commit()
        token = accounts.create_token(s, actor=SYSTEM, username="prep_A1").token
        info = accounts.set_user_active(s, actor=org_tree.actors["admin"], username="prep_A1",
                                        active=False)
        assert info.active is False
        assert s.scalar(select(WebSession.id_hash)) is None           # signed out at once
        with pytest.raises(AuthenticationFailed, match="已停用"):
            accounts.verify_token(s, token=token)
        with pytest.raises(AuthenticationFailed, match="已停用"):
            accounts.authenticate(s, username="prep_A1", password=PASSWORD)
        with pytest.raises(InvalidRequest, match="自己"):
            accounts.set_user_active(s, actor=org_tree.actors["admin"], username="admin",
                                     active=False)
        accounts.set_user_active(s, actor=org_tree.actors["admin"], username="prep_A1", active=True)
        assert accounts.verify_token(s, token=token).username == "prep_A1"
        actions = s.scalars(select(AuditEvent.action).where(AuditEvent.action.like("user.%"))).all()
        assert actions == ["user.disable", "user.enable"]


def test_changing_a_password_needs_the_current_one_unless_an_admin_resets_it(org_tree):
    from jixiao.storage.models import WebSession

    me = org_tree.actors["prep_A1"]
    with org_tree.session() as s:
        s.add(WebSession(id_hash="b" * 64, user_id=me.user_id, csrf_token="c",
                         expires_at=T0 + dt.timedelta(days=3650)))
        s.commit()
        with pytest.raises(AuthenticationFailed, match="当前密码不正确"):
            accounts.change_password(s, actor=me, username="prep_A1", new_password="新的密码-12345",
                                     current_password="wrong")
        assert s.get(LoginThrottle, "prep_a1").failures == 1          # counted like a sign-in
        with pytest.raises(InvalidRequest, match="至少"):
            accounts.change_password(s, actor=me, username="prep_A1", new_password="short",
                                     current_password=PASSWORD)
        with pytest.raises(Forbidden):
            accounts.change_password(s, actor=me, username="prep_A2", new_password="新的密码-12345")
        accounts.change_password(s, actor=me, username="prep_A1", new_password="新的密码-12345",
                                 current_password=PASSWORD)
        assert s.scalar(select(WebSession.id_hash)) is None
        with pytest.raises(AuthenticationFailed):
            accounts.authenticate(s, username="prep_A1", password=PASSWORD)
        assert accounts.authenticate(s, username="prep_A1", password="新的密码-12345")
        accounts.change_password(s, actor=org_tree.actors["admin"], username="prep_A1",
                                 new_password="管理员重置-123")
        assert accounts.authenticate(s, username="prep_A1", password="管理员重置-123")
        details = s.scalars(select(AuditEvent.detail).where(AuditEvent.action == "user.password")
                            .order_by(AuditEvent.id)).all()
        assert [d["reset_by_admin"] for d in details] == [False, True]
        assert "新的密码" not in str(details)


def test_tokens_are_listed_without_secrets_and_revoked_by_owner_or_admin(org_tree):
    me, other = org_tree.actors["prep_A1"], org_tree.actors["prep_A2"]
    with org_tree.session() as s:
        first = accounts.create_token(s, actor=me, username="prep_A1", name="一")
        second = accounts.create_token(s, actor=me, username="prep_A1", name="二")
        listed = accounts.list_tokens(s, actor=me, username="prep_A1")
        assert [t.name for t in listed] == ["二", "一"] and all(t.revoked_at is None for t in listed)
        assert first.token not in repr(listed)
        with pytest.raises(Forbidden):
            accounts.list_tokens(s, actor=other, username="prep_A1")
        with pytest.raises(NotFound):                      # someone else's: as if none
            accounts.revoke_token(s, actor=other, token_id=first.id)
        revoked = accounts.revoke_token(s, actor=me, token_id=first.id, now=T0)
        assert revoked.revoked_at == T0
        assert accounts.revoke_token(s, actor=me, token_id=first.id).revoked_at == T0   # again: same
        accounts.revoke_token(s, actor=org_tree.actors["admin"], token_id=second.id)
        for made in (first, second):
            with pytest.raises(AuthenticationFailed, match="吊销"):
                accounts.verify_token(s, token=made.token)
        assert s.scalar(select(func.count()).select_from(AuditEvent)
                        .where(AuditEvent.action == "token.revoke")) == 2


def test_concurrent_failures_on_a_new_name_are_all_counted(org_tree):
    # Several workers failing at once for a name nobody failed before: on PostgreSQL
    # their first inserts race on the primary key; every failure must still count, and
    # nothing but the two sign-in errors may come out.
    import threading

    threads, barrier, outcomes = 8, threading.Barrier(8), []

    def attempt() -> None:
        with org_tree.session() as s:
            barrier.wait()
            try:
                accounts.authenticate(s, username="新名字", password="wrong", now=T0)
            except (AuthenticationFailed, LoginThrottled) as e:
                outcomes.append(type(e).__name__)
            except Exception as e:   # pragma: no cover - the failure this test looks for
                outcomes.append(repr(e))

    pool = [threading.Thread(target=attempt) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(timeout=120)
    assert len(outcomes) == threads and set(outcomes) <= {"AuthenticationFailed", "LoginThrottled"}, \
        outcomes
    with org_tree.session() as s:
        row = s.get(LoginThrottle, "新名字")
        assert row.failures == outcomes.count("AuthenticationFailed") >= accounts.MAX_FAILURES
        assert row.locked_until == T0 + accounts.LOCK_TIME
        with pytest.raises(LoginThrottled):
            accounts.authenticate(s, username="新名字", password="wrong", now=T0)
