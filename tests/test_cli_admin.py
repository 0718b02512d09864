"""``jixiao db|org|user|token``, run in-process through ``jixiao.cli.run`` against real
SQLite and PostgreSQL databases."""
from __future__ import annotations

import glob
import io
import re
import shutil
import sys

import pytest

from jixiao.cli import run
from jixiao.services import accounts

CJK = re.compile(r"[\u4e00-\u9fff]")


def jx(capsys, *args: str, stdin: str | None = None, monkeypatch=None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def one_error(err: str, *needles: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误: "), err
    for needle in needles:
        assert needle in err, (needle, err)


def test_db_upgrade_from_empty_then_again(capsys, empty_db_url):
    code, out, err = jx(capsys, "db", "--database-url", empty_db_url, "upgrade")
    from jixiao.storage import head_revision

    assert (code, out) == (0, "") and f"数据库已升级: 空库 → {head_revision()}" in err
    code, _, err = jx(capsys, "db", "--database-url", empty_db_url, "upgrade")
    assert code == 0 and "已是最新版本" in err


def test_the_url_comes_from_jixiao_database_url(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("JIXIAO_DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    assert jx(capsys, "db", "upgrade")[0] == 0
    assert (tmp_path / "env.db").exists()


def test_commands_on_a_database_not_yet_upgraded_say_what_to_run(capsys, empty_db_url):
    code, out, err = jx(capsys, "org", "--database-url", empty_db_url, "add", "财政局",
                        "--kind", "finance")
    assert (code, out) == (2, "")
    one_error(err, "jixiao db upgrade")


def test_an_unreachable_server_is_one_line_without_the_password(capsys):
    code, _, err = jx(capsys, "db", "--database-url",
                      "postgresql+psycopg://app:s3cret@127.0.0.1:1/app", "upgrade")
    assert code == 2
    one_error(err, "无法使用", "app:***@")
    assert "s3cret" not in err and "Traceback" not in err


def test_the_org_tree_accounts_and_tokens_from_the_command_line(capsys, monkeypatch, db_url):
    u = ("--database-url", db_url)
    assert jx(capsys, "org", *u, "add", "潢源县财政局", "--kind", "finance")[0] == 0
    assert jx(capsys, "org", *u, "add", "大华镇", "-k", "department")[0] == 0
    code, _, err = jx(capsys, "org", *u, "add", "大华镇中心学校", "--kind", "unit", "--parent", "大华镇")
    assert code == 0 and "已添加单位“大华镇中心学校”" in err and "上级: 大华镇" in err
    code, out, _ = jx(capsys, "org", *u, "list")
    assert out.splitlines() == ["潢源县财政局  [财政局]", "  大华镇  [主管部门]",
                                "    大华镇中心学校  [单位]"]

    # A random password: printed once, alone on stdout, and it signs in.
    code, out, err = jx(capsys, "user", *u, "add", "zhang", "--org", "大华镇中心学校",
                        "--role", "preparer")
    assert code == 0 and "只显示这一次" in err
    generated = out.strip()
    assert len(out.splitlines()) == 1 and len(generated) >= 16 and generated not in err
    # --password-stdin: the password never appears in the output.
    code, out, err = jx(capsys, "user", *u, "add", "li", "--org", "大华镇", "--role", "dept_reviewer",
                        "--password-stdin", stdin="李的密码-2024\n", monkeypatch=monkeypatch)
    assert code == 0 and out == "" and "李的密码" not in err and "主管部门审核人" in err

    from jixiao.storage import make_engine, session_factory

    engine = make_engine(db_url)
    try:
        with session_factory(engine)() as s:
            assert accounts.authenticate(s, username="zhang", password=generated).role == "preparer"
            assert accounts.authenticate(s, username="li", password="李的密码-2024").role == \
                "dept_reviewer"
            code, out, err = jx(capsys, "token", *u, "create", "zhang", "--days", "30",
                                "--name", "报表脚本")
            assert code == 0 and "只显示这一次" in err and "前有效" in err
            token = out.strip()
            assert token.startswith("jx_") and token[:10] in err and token not in err
            assert accounts.verify_token(s, token=token).username == "zhang"
    finally:
        engine.dispose()


def test_mistakes_are_one_chinese_line(capsys, monkeypatch, db_url):
    u = ("--database-url", db_url)
    jx(capsys, "org", *u, "add", "财政局", "--kind", "finance")
    jx(capsys, "org", *u, "add", "大华镇", "--kind", "department")
    cases = [
        (("org", *u, "add", "学校", "--kind", "unit"), "请用 --parent 指定"),
        (("org", *u, "add", "学校", "--kind", "unit", "--parent", "财政局"), "单位的上级必须是主管部门"),
        (("org", *u, "add", "大华镇", "--kind", "department"), "已存在"),
        (("user", *u, "add", "wang", "--org", "没有的机构", "--role", "preparer"), "不存在"),
        (("user", *u, "add", "wang", "--org", "大华镇", "--role", "finance"), "只能属于财政局"),
        (("token", *u, "create", "nobody"), "不存在"),
    ]
    for args, needle in cases:
        code, out, err = jx(capsys, *args)
        assert (code, out) == (2, ""), (args, err)
        one_error(err, needle)
    code, _, err = jx(capsys, "user", *u, "add", "wang", "--org", "大华镇", "--role", "preparer",
                      "--password-stdin", stdin="short\n", monkeypatch=monkeypatch)
    assert code == 2
    one_error(err, "至少需要 8 个字符")
    code, _, err = jx(capsys, "user", *u, "add", "wang", "--org", "大华镇", "--role", "preparer",
                      "--prompt", stdin="", monkeypatch=monkeypatch)
    assert code == 2
    one_error(err, "--password-stdin")
    code, _, err = jx(capsys, "org", *u, "add", "x", "--kind", "bureau")
    assert code == 2 and err.startswith("用法错误") and CJK.search(err)


def test_db_backup_from_the_command_line(capsys, db_url, tmp_path):
    target = tmp_path / "backup.db"
    code, out, err = jx(capsys, "db", "--database-url", db_url, "backup", str(target))
    assert (code, out) == (0, "") and "已备份到" in err and target.stat().st_size > 0
    if db_url.startswith("postgresql"):
        assert "已运行: " in err and "pg_dump --format=custom" in err


@pytest.mark.parametrize("group", ["db", "org", "user", "token"])
def test_help_is_chinese(capsys, group):
    code, out, _ = jx(capsys, group, "--help")
    assert code == 0 and "用法: jixiao " + group in out and "--database-url" in out \
        and "JIXIAO_DATABASE_URL" in out


def _on_a_terminal(args: list[str], typed: list[str], timeout: float = 30) -> tuple[int, str]:
    """Run ``python -m jixiao *args`` with a pseudo-terminal as its controlling
    terminal, type each of ``typed`` when it asks, and return (exit code, everything
    the terminal showed)."""
    import os
    import pty
    import select
    import time

    pid, fd = pty.fork()
    if pid == 0:   # the child: the pty is its terminal
        os.environ.update({"NO_COLOR": "1", "COLUMNS": "120"})
        os.execv(sys.executable, [sys.executable, "-m", "jixiao", *args])
    shown = b""
    answered = 0
    pending = list(typed)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
            # Answer each prompt once: only text after the last answer counts.
            if pending and shown[answered:].rstrip().endswith(b":"):
                os.write(fd, (pending.pop(0) + "\n").encode())
                answered = len(shown)
    done, status = os.waitpid(pid, os.WNOHANG)
    if done == 0:   # still waiting for input that never came: do not hang the suite
        os.kill(pid, 9)
        _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), shown.decode("utf-8", "replace")


@pytest.mark.parametrize("how", ["--prompt", "--password-stdin"])
def test_a_password_typed_at_a_terminal_is_not_echoed(db_url, how):
    from jixiao.storage import make_engine, session_factory

    u = ["--database-url", db_url]
    assert run(["org", *u, "add", "财政局", "--kind", "finance"]) == 0
    secret = "终端里输入的密码-2024"
    typed = [secret, secret] if how == "--prompt" else [secret]
    code, shown = _on_a_terminal(["user", *u, "add", "typist", "--org", "财政局", "--role",
                                  "finance", how], typed)
    assert code == 0, shown
    assert "密码:" in shown and "已添加账号“typist”" in shown
    assert secret not in shown
    engine = make_engine(db_url)
    try:
        with session_factory(engine)() as s:
            assert accounts.authenticate(s, username="typist", password=secret).role == "finance"
    finally:
        engine.dispose()


def test_account_upkeep_from_the_command_line(capsys, monkeypatch, db_url):
    from jixiao.errors import AuthenticationFailed
    from jixiao.storage import make_engine, session_factory

    u = ("--database-url", db_url)
    jx(capsys, "org", *u, "add", "财政局", "--kind", "finance")
    jx(capsys, "user", *u, "add", "boss", "--org", "财政局", "--role", "admin",
       "--password-stdin", stdin="老板的旧密码-1\n", monkeypatch=monkeypatch)
    code, out, err = jx(capsys, "user", *u, "password", "boss", "--password-stdin",
                        stdin="老板的新密码-2\n", monkeypatch=monkeypatch)
    assert (code, out) == (0, "") and "已重设“boss”的密码" in err and "新密码-2" not in err
    code, out, err = jx(capsys, "user", *u, "disable", "boss")
    assert code == 0 and "已停用账号“boss”" in err
    code, out, _ = jx(capsys, "user", *u, "list")
    assert out.strip() == "boss  管理员  财政局  (已停用)"
    engine = make_engine(db_url)
    try:
        with session_factory(engine)() as s:
            with pytest.raises(AuthenticationFailed, match="已停用"):
                accounts.authenticate(s, username="boss", password="老板的新密码-2")
            assert jx(capsys, "user", *u, "enable", "boss")[0] == 0
            assert accounts.authenticate(s, username="boss", password="老板的新密码-2")
            code, out, err = jx(capsys, "user", *u, "password", "boss")   # generated, shown once
            generated = out.strip()
            assert code == 0 and len(generated) >= 16
            assert accounts.authenticate(s, username="boss", password=generated)
            token = jx(capsys, "token", *u, "create", "boss")[1].strip()
            code, _, err = jx(capsys, "token", *u, "revoke", token[:10])
            assert code == 0 and f"已吊销令牌 {token[:10]}" in err
            with pytest.raises(AuthenticationFailed, match="吊销"):
                accounts.verify_token(s, token=token)
            other = jx(capsys, "token", *u, "create", "boss")[1].strip()
            assert jx(capsys, "token", *u, "revoke", other)[0] == 0      # the whole token works too
            with pytest.raises(AuthenticationFailed, match="吊销"):
                accounts.verify_token(s, token=other)
    finally:
        engine.dispose()
    code, _, err = jx(capsys, "token", *u, "revoke", "jx_nothing")
    assert code == 2
    one_error(err, "不存在")
    code, _, err = jx(capsys, "user", *u, "disable", "ghost")
    assert code == 2
    one_error(err, "用户“ghost”不存在")


def test_common_database_problems_are_explained_in_chinese(capsys, tmp_path, request):
    cases = [(f"sqlite:///{tmp_path / 'no' / 'such' / 'folder.db'}", "所在文件夹不存在")]
    if shutil.which("initdb") or glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        cluster = request.getfixturevalue("pg_cluster")
        cases.append((cluster.url_for("no_such_database"), "数据库不存在"))
    for url, needle in cases:
        code, out, err = jx(capsys, "db", "--database-url", url, "upgrade")
        assert (code, out) == (2, "")
        one_error(err, needle)
