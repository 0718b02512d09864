"""``jixiao serve`` and ``jixiao demo``: the web application and its demo data.

Settings come from the environment and ``.env`` (``jixiao.settings``); ``serve``
migrates the database first, then hands the app to uvicorn — with several
workers through the factory ``jixiao.web.asgi:make_app``, so that each worker
builds its own app (and database pool) after forking.
"""
from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from .cli import ChineseCommand, app

__all__ = ["serve_command", "demo_command"]


@app.command("serve", cls=ChineseCommand, options_metavar="[选项]")
def serve_command(
    host: Annotated[str, typer.Option("--host", metavar="地址", help="监听的地址。")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", metavar="端口", help="监听的端口。")] = 8000,
    workers: Annotated[int, typer.Option("--workers", metavar="N", min=1, max=64,
                                         help="工作进程数 (多个进程须使用 PostgreSQL)。")] = 1,
) -> None:
    """运行网页应用 (先升级数据库)。设置见 JIXIAO_DATABASE_URL、JIXIAO_SECRET_KEY 等环境变量或 .env 文件。

    示例: jixiao serve --port 8000
    """
    import uvicorn

    from .settings import load_settings
    from .storage import upgrade

    settings = load_settings()
    upgrade(settings.database_url)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    err.print(Text(f"jixiao 网页应用: http://{host}:{port}  (数据库 {_shown(settings.database_url)}, "
                   f"{'生产' if settings.production else '开发'}环境, {workers} 个进程; Ctrl+C 停止)"))
    uvicorn.run("jixiao.web.asgi:make_app", factory=True, host=host, port=port, workers=workers,
                log_level="warning", proxy_headers=True, forwarded_allow_ips="127.0.0.1")


def _shown(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@app.command("demo", cls=ChineseCommand, options_metavar="[选项]")
def demo_command() -> None:
    """加载演示数据: 财政局、主管部门和单位, 每种角色一个账号 (打印账号和密码), 以及种子表草稿。

    可重复运行: 已有的数据保持不变。生产环境下拒绝运行。
    """
    from .services.demo import DEMO_ACCOUNTS, load_demo
    from .settings import load_settings
    from .storage import make_engine, session_factory, upgrade
    from .web.templating import ROLE_LABELS

    settings = load_settings()
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        with session_factory(engine)() as session:
            created = load_demo(session, production=settings.production)
    finally:
        engine.dispose()
    out = Console(file=sys.stdout, highlight=False, soft_wrap=True)
    out.print(Text("已创建: " + "、".join(created) if created else "演示数据已存在, 未做改动"))
    out.print(Text("演示账号 (用户名 / 密码 / 角色 / 机构):"))
    for a in DEMO_ACCOUNTS:
        out.print(Text(f"  {a.username:<10} {a.password:<20} {ROLE_LABELS[a.role]:<8} {a.org}"))
