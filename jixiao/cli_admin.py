"""Administration commands: ``jixiao db``, ``jixiao org``, ``jixiao user``, ``jixiao token``.

Each command parses its arguments, calls one storage function or service and prints
the result; errors are ``JixiaoError`` and become one red line in ``cli.run()``. The
database comes from ``--database-url`` or ``JIXIAO_DATABASE_URL`` (default
``sqlite:///jixiao.db``), read here, by the caller of the storage layer. The command
line acts as ``policy.SYSTEM``: whoever can run it on the server holds the database
anyway. Heavy imports (SQLAlchemy, argon2) happen inside the commands, so ``jixiao
--help`` stays fast.
"""
from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.text import Text

from .cli import ChineseCommand, ChineseGroup
from .errors import InvalidRequest

DEFAULT_URL = "sqlite:///jixiao.db"
_URL_HELP = ("数据库地址: SQLite 文件 (sqlite:///路径) 或 PostgreSQL "
             "(postgresql+psycopg://用户:密码@主机/库名)。")


def _group(name: str, help: str) -> typer.Typer:
    return typer.Typer(name=name, cls=ChineseGroup, help=help, no_args_is_help=True,
                       add_completion=False, rich_markup_mode="rich", options_metavar="[选项]",
                       subcommand_metavar="命令 [参数]...",
                       context_settings={"help_option_names": ["-h", "--help"]})


db_app = _group("db", "数据库: 升级表结构 (迁移)、在线备份。")
org_app = _group("org", "机构树: 财政局、主管部门、单位。")
user_app = _group("user", "账号: 添加账号并设定角色与所属机构。")
token_app = _group("token", "API 令牌: 供脚本以 Authorization: Bearer 调用接口。")


_URL_OPTION: Any = typer.Option("--database-url", envvar="JIXIAO_DATABASE_URL", show_envvar=True,
                                metavar="地址", help=_URL_HELP)


def _database_option(ctx: typer.Context,
                     database_url: Annotated[str, _URL_OPTION] = DEFAULT_URL) -> None:
    ctx.obj = {"url": database_url}


for _app in (db_app, org_app, user_app, token_app):
    _app.callback()(_database_option)


def _url(ctx: typer.Context) -> str:
    """The URL the group's ``--database-url`` (or its environment variable) gave."""
    current: Any = ctx
    while current is not None:
        if isinstance(current.obj, dict) and current.obj.get("url"):
            return str(current.obj["url"])
        current = current.parent
    return DEFAULT_URL


def _out() -> Console:
    return Console(file=sys.stdout, highlight=False, soft_wrap=True)


def _err(message: str) -> None:
    Console(stderr=True, highlight=False, soft_wrap=True).print(Text(message))


def _session(url: str) -> Any:
    """A session on an up-to-date database; ``DatabaseUnavailable`` when it is not
    (no tables yet: run ``jixiao db upgrade``)."""
    from .errors import DatabaseUnavailable
    from .storage import current_revision, head_revision, make_engine, session_factory

    current = current_revision(url)
    if current != head_revision():
        raise DatabaseUnavailable(url, "数据库尚未初始化或版本过旧, 请先运行 jixiao db upgrade"
                                  if current is None else
                                  f"数据库版本 {current} 不是最新, 请先运行 jixiao db upgrade")
    return session_factory(make_engine(url))()


# ----------------------------------------------------------------------------- db

@db_app.command("upgrade", cls=ChineseCommand, options_metavar="[选项]")
def db_upgrade(ctx: typer.Context) -> None:
    """把数据库升级到最新的表结构 (应用全部迁移); 数据库文件不存在时新建。已是最新时什么也不做。

    示例: jixiao db upgrade    (或 JIXIAO_DATABASE_URL=postgresql+psycopg://… jixiao db upgrade)
    """
    from .storage import current_revision, upgrade

    url = _url(ctx)
    before = current_revision(url)
    after = upgrade(url)
    if before == after:
        _err(f"数据库已是最新版本 ({after}), 无需升级")
    else:
        _err(f"数据库已升级: {before or '空库'} → {after}")


@db_app.command("backup", cls=ChineseCommand, options_metavar="[选项]")
def db_backup(
    ctx: typer.Context,
    path: Annotated[str, typer.Argument(metavar="备份文件", show_default=False,
                                        help="写入的备份文件; 已存在时被原子地替换。")],
) -> None:
    """在应用运行时做一份一致的数据库备份。

    SQLite 用在线备份接口复制到临时文件, 校验后原子地改名为备份文件;
    PostgreSQL 用 pg_dump (自定义格式, 用 pg_restore 恢复)。恢复步骤见 docs/storage.md。
    """
    from .storage.backup import backup

    result = backup(_url(ctx), path)
    if result.command:
        _err(f"已运行: {result.command}")
    _err(f"已备份到 {result.path} ({result.size:,} 字节)")


# ---------------------------------------------------------------------------- org

class OrgKind(str, Enum):
    finance = "finance"
    department = "department"
    unit = "unit"


@org_app.command("add", cls=ChineseCommand, options_metavar="[选项]")
def org_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="名称", show_default=False,
                                        help="机构名称, 全库唯一。")],
    kind: Annotated[OrgKind, typer.Option(
        "--kind", "-k", case_sensitive=False, show_default=False,
        help="finance 财政局 (树根, 只有一个)、department 主管部门 (属于财政局)、"
             "unit 单位 (属于一个主管部门)。")],
    parent: Annotated[Optional[str], typer.Option(
        "--parent", "-p", metavar="上级名称", show_default=False,
        help="上级机构的名称; 单位必填, 主管部门不填时归财政局。")] = None,
) -> None:
    """添加机构树的一个节点。

    示例: jixiao org add 潢源县财政局 --kind finance; jixiao org add 大华镇 --kind department;
    jixiao org add 大华镇中心学校 --kind unit --parent 大华镇
    """
    from .services.accounts import ORG_KIND_NAMES, create_org
    from .services.policy import SYSTEM

    with _session(_url(ctx)) as session:
        org = create_org(session, actor=SYSTEM, name=name, kind=kind.value, parent=parent)
    under = f", 上级: {org.parent_name}" if org.parent_name else ""
    _err(f"已添加{ORG_KIND_NAMES[org.kind]}“{org.name}” (编号 {org.id}{under})")


@org_app.command("list", cls=ChineseCommand, options_metavar="[选项]")
def org_list(ctx: typer.Context) -> None:
    """按层级列出全部机构。"""
    from .services.accounts import ORG_KIND_NAMES, list_orgs

    with _session(_url(ctx)) as session:
        orgs = list_orgs(session)
    depth = {"finance": 0, "department": 1, "unit": 2}
    out = _out()
    for org in orgs:
        out.print(Text("  " * depth[org.kind] + f"{org.name}  [{ORG_KIND_NAMES[org.kind]}]"))
    if not orgs:
        _err("还没有机构, 请用 jixiao org add 添加")


# --------------------------------------------------------------------------- user

class Role(str, Enum):
    preparer = "preparer"
    dept_reviewer = "dept_reviewer"
    finance = "finance"
    admin = "admin"


@user_app.command("add", cls=ChineseCommand, options_metavar="[选项]")
def user_add(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(metavar="用户名", show_default=False,
                                            help="登录用的用户名, 不含空格, 不区分大小写地唯一。")],
    org: Annotated[str, typer.Option("--org", "-o", metavar="机构名称", show_default=False,
                                     help="账号所属机构的名称。")],
    role: Annotated[Role, typer.Option(
        "--role", "-r", case_sensitive=False, show_default=False,
        help="preparer 单位填报人 (单位或主管部门)、dept_reviewer 主管部门审核人 (主管部门)、"
             "finance 财政审核人 (财政局)、admin 管理员 (任何机构)。")],
    password_stdin: Annotated[bool, typer.Option(
        "--password-stdin", help="从标准输入读取密码 (第一行), 例如 echo \"$PW\" | jixiao user add …; "
                                 "不会出现在命令行和进程列表中。")] = False,
    prompt: Annotated[bool, typer.Option(
        "--prompt", help="在终端输入密码 (不回显, 输入两次)。")] = False,
    display_name: Annotated[str, typer.Option(
        "--name", metavar="姓名", help="显示的姓名 (可选)。")] = "",
) -> None:
    """添加账号。

    不给 --password-stdin 或 --prompt 时生成一个随机密码, 只显示这一次 (标准输出)。
    密码至少 8 个字符, 以 argon2 散列保存。
    示例: jixiao user add zhang --org 大华镇 --role preparer
    """
    from .services.accounts import ROLE_NAMES, create_user
    from .services.policy import SYSTEM

    password = _read_password(password_stdin, prompt)
    with _session(_url(ctx)) as session:
        made = create_user(session, actor=SYSTEM, username=username, org=org, role=role.value,
                           password=password, display_name=display_name)
    user = made.user
    _err(f"已添加账号“{user.username}” ({ROLE_NAMES[user.role]}, {user.org_name})")
    if made.generated_password is not None:
        _err("初始密码 (只显示这一次, 请转交本人并提醒登录后修改):")
        sys.stdout.write(made.generated_password + "\n")
        sys.stdout.flush()


def _read_password(password_stdin: bool, prompt: bool) -> str | None:
    """The password from stdin or the terminal; None when neither was asked for."""
    if password_stdin and prompt:
        raise InvalidRequest("--password-stdin 与 --prompt 只能选一个")
    if password_stdin:
        # From a terminal (someone typing after --password-stdin) read without echo.
        line = _getpass("密码: ") if sys.stdin.isatty() else sys.stdin.readline()
        password = line[:-1] if line.endswith("\n") else line
        password = password[:-1] if password.endswith("\r") else password
        if not password:
            raise InvalidRequest("标准输入中没有密码")
        return password
    if prompt:
        return _ask_password()
    return None


def _getpass(prompt: str) -> str:
    import getpass

    return getpass.getpass(prompt)


def _ask_password() -> str:
    if not sys.stdin.isatty():
        raise InvalidRequest("--prompt 需要在终端中运行; 在脚本中请用 --password-stdin")
    first = _getpass("密码: ")
    second = _getpass("再输入一次: ")
    if first != second:
        raise InvalidRequest("两次输入的密码不一致")
    return first


_STDIN_OPTION: Any = typer.Option(
    "--password-stdin", help="从标准输入读取新密码 (第一行); 不会出现在命令行和进程列表中。")
_PROMPT_OPTION: Any = typer.Option("--prompt", help="在终端输入新密码 (不回显, 输入两次)。")


@user_app.command("password", cls=ChineseCommand, options_metavar="[选项]")
def user_password(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(metavar="用户名", show_default=False,
                                            help="要重设密码的账号。")],
    password_stdin: Annotated[bool, _STDIN_OPTION] = False,
    prompt: Annotated[bool, _PROMPT_OPTION] = False,
) -> None:
    """重设账号的密码 (例如忘记了密码的管理员); 该账号的全部登录会话随即失效。

    不给 --password-stdin 或 --prompt 时生成一个随机密码, 只显示这一次 (标准输出)。
    示例: jixiao user password zhang --prompt
    """
    from .services.accounts import change_password, generate_password
    from .services.policy import SYSTEM

    password = _read_password(password_stdin, prompt)
    generated = password is None
    new = password if password is not None else generate_password()
    with _session(_url(ctx)) as session:
        change_password(session, actor=SYSTEM, username=username, new_password=new)
    _err(f"已重设“{username}”的密码, 该账号的登录会话已全部失效")
    if generated:
        _err("新密码 (只显示这一次):")
        sys.stdout.write(new + "\n")
        sys.stdout.flush()


def _set_active(ctx: typer.Context, username: str, active: bool) -> None:
    from .services.accounts import set_user_active
    from .services.policy import SYSTEM

    with _session(_url(ctx)) as session:
        user = set_user_active(session, actor=SYSTEM, username=username, active=active)
    _err(f"已启用账号“{user.username}”" if active else
         f"已停用账号“{user.username}”: 登录会话已结束, API 令牌暂停使用")


@user_app.command("disable", cls=ChineseCommand, options_metavar="[选项]")
def user_disable(ctx: typer.Context, username: Annotated[str, typer.Argument(
        metavar="用户名", show_default=False, help="要停用的账号。")]) -> None:
    """停用账号: 立即结束其登录会话, 其 API 令牌停止生效。账号不会被删除 (历史记录仍指向它)。"""
    _set_active(ctx, username, False)


@user_app.command("enable", cls=ChineseCommand, options_metavar="[选项]")
def user_enable(ctx: typer.Context, username: Annotated[str, typer.Argument(
        metavar="用户名", show_default=False, help="要重新启用的账号。")]) -> None:
    """重新启用停用的账号。"""
    _set_active(ctx, username, True)


@user_app.command("list", cls=ChineseCommand, options_metavar="[选项]")
def user_list(ctx: typer.Context) -> None:
    """列出全部账号: 用户名、角色、所属机构、是否停用。"""
    from .services.accounts import ROLE_NAMES, list_users
    from .services.policy import SYSTEM

    with _session(_url(ctx)) as session:
        users = list_users(session, actor=SYSTEM)
    out = _out()
    for u in users:
        out.print(Text(f"{u.username}  {ROLE_NAMES[u.role]}  {u.org_name}"
                       + ("" if u.active else "  (已停用)")))
    if not users:
        _err("还没有账号, 请用 jixiao user add 添加")


# -------------------------------------------------------------------------- token

@token_app.command("create", cls=ChineseCommand, options_metavar="[选项]")
def token_create(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(metavar="用户名", show_default=False,
                                            help="令牌代表的账号; 令牌拥有该账号的全部权限。")],
    days: Annotated[int, typer.Option(
        "--days", metavar="天数", help="有效天数; 0 表示永不过期 (不建议)。")] = 365,
    name: Annotated[str, typer.Option(
        "--name", metavar="用途", help="备注令牌的用途, 便于日后辨认 (可选)。")] = "",
) -> None:
    """为账号创建一个 API 令牌, 打印到标准输出, 只显示这一次。

    数据库只保存令牌的 SHA-256 散列。调用接口时放在请求头: Authorization: Bearer 令牌。
    示例: jixiao token create zhang --name 报表脚本 --days 90
    """
    from .services.accounts import create_token
    from .services.policy import SYSTEM

    with _session(_url(ctx)) as session:
        made = create_token(session, actor=SYSTEM, username=username, name=name, days=days)
    until = f"{made.expires_at:%Y-%m-%d %H:%M} (UTC) 前有效" if made.expires_at else "永不过期"
    _err(f"已为“{made.username}”创建令牌 {made.prefix}…, {until}。令牌只显示这一次:")
    sys.stdout.write(made.token + "\n")
    sys.stdout.flush()


@token_app.command("revoke", cls=ChineseCommand, options_metavar="[选项]")
def token_revoke(
    ctx: typer.Context,
    prefix: Annotated[str, typer.Argument(metavar="令牌前缀", show_default=False,
                                          help="令牌的前 10 个字符 (jx_ 开头, 创建时显示), "
                                               "或整个令牌。")],
) -> None:
    """吊销一个 API 令牌, 立即生效。"""
    from sqlalchemy import select

    from .errors import NotFound
    from .services.accounts import revoke_token
    from .services.policy import SYSTEM
    from .storage.models import ApiToken

    text = prefix.strip()
    key = text[:10]
    with _session(_url(ctx)) as session:
        if len(text) > 10:   # the whole token: exact, by its hash
            import hashlib

            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
            ids = session.scalars(select(ApiToken.id).where(ApiToken.token_hash == digest)).all()
        else:
            ids = session.scalars(select(ApiToken.id).where(ApiToken.prefix == key)).all()
        session.rollback()
        if len(ids) != 1:
            raise NotFound("令牌", key) if not ids else InvalidRequest(
                f"有 {len(ids)} 个令牌以“{key}”开头, 请给出整个令牌")
        info = revoke_token(session, actor=SYSTEM, token_id=ids[0])
    _err(f"已吊销令牌 {info.prefix}…")
