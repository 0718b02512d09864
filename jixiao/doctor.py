"""``jixiao doctor``: what this machine has of what jixiao needs, in Chinese.

Each check looks at the real thing the feature will use — fontconfig's list of
fonts covering Chinese, an import of WeasyPrint (which loads pango), the
programs on ``PATH``, a connection to the configured database — so a green
report means the feature works here, not that a package name is installed.

A check is *required* when a feature of ``make run`` fails without it (PDF
forms need pango and a Chinese font); the others are needed only by the test
suite or by production (LibreOffice, poppler, PostgreSQL). ``jixiao doctor``
exits 1 when a required check fails.
"""
from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Check", "run_checks", "CHECKS"]

#: The Debian packages ``scripts/system-packages.sh`` installs, named in the hints.
_APT = "apt-get install -y --no-install-recommends"
#: Where Debian puts the PostgreSQL server programs (not on PATH).
_PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"
_DEFAULT_DATABASE_URL = "sqlite:///jixiao.db"


@dataclass(frozen=True, slots=True)
class Check:
    name: str            # what is checked, in Chinese
    ok: bool
    detail: str          # what was found, or what is wrong
    required: bool       # a make-run feature fails without it
    hint: str = ""       # how to fix it, when not ok


def _python() -> Check:
    ok = sys.version_info >= (3, 11)
    return Check("Python 3.11 或更新", ok, f"Python {sys.version.split()[0]}", True,
                 "" if ok else "请安装 Python 3.11")


def _cjk_fonts() -> Check:
    from .render.fonts import cjk_font_families

    families = cjk_font_families()
    if families is None:
        return Check("中文字体 (PDF 输出)", False, "无法加载 fontconfig 库", True,
                     f"{_APT} fontconfig fonts-noto-cjk")
    if not families:
        return Check("中文字体 (PDF 输出)", False, "没有覆盖简体中文的字体", True,
                     f"{_APT} fonts-noto-cjk")
    shown = "、".join(families[:3]) + (f" 等 {len(families)} 种" if len(families) > 3 else "")
    return Check("中文字体 (PDF 输出)", True, shown, True)


def _pango() -> Check:
    try:
        import weasyprint
    except OSError as e:  # pango or harfbuzz-subset missing: WeasyPrint cannot load
        return Check("pango / WeasyPrint (PDF 输出)", False, f"无法加载: {e}", True,
                     f"{_APT} libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0")
    return Check("pango / WeasyPrint (PDF 输出)", True, f"WeasyPrint {weasyprint.__version__}", True)


def _program(name: str, program: str, package: str, purpose: str) -> Callable[[], Check]:
    def check() -> Check:
        found = shutil.which(program)
        return Check(f"{name} ({purpose})", found is not None, found or f"找不到 {program}", False,
                     "" if found else f"{_APT} {package}")
    return check


def _postgresql() -> Check:
    bins = sorted(Path("/").glob(_PG_BIN_GLOB.lstrip("/")))
    found = next((b for b in reversed(bins) if (b / "initdb").exists()), None)
    if found is None and shutil.which("initdb"):
        found = Path(shutil.which("initdb") or "").parent
    return Check("PostgreSQL 服务器 (测试与生产部署)", found is not None,
                 str(found) if found else "找不到 initdb / pg_ctl", False,
                 "" if found else f"{_APT} postgresql")


def _database() -> Check:
    url = os.environ.get("JIXIAO_DATABASE_URL", _DEFAULT_DATABASE_URL)
    shown = _redact(url)
    try:
        import sqlalchemy as sa

        if url.startswith("sqlite:///"):
            # Never create the file just to look at it: only check its folder is writable.
            file = Path(url.removeprefix("sqlite:///") or ".")
            folder = file.parent if str(file.parent) else Path(".")
            if not file.exists():
                ok = os.access(folder, os.W_OK)
                return Check("数据库", ok, f"{shown} (尚未创建)" if ok else f"{shown}: 文件夹不可写",
                             False, "" if ok else "请设置 JIXIAO_DATABASE_URL 指向可写的位置")
        engine = sa.create_engine(url)
        try:
            with engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
        finally:
            engine.dispose()
    except Exception as e:  # any driver error is the finding itself
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        return Check("数据库", False, f"{shown}: 无法连接 ({first})", False,
                     "请检查 JIXIAO_DATABASE_URL 与数据库服务器")
    return Check("数据库", True, f"{shown} 可以连接", False)


def _redact(url: str) -> str:
    """The URL without its password, for printing."""
    head, sep, rest = url.partition("://")
    if "@" in rest and ":" in rest.split("@", 1)[0]:
        user = rest.split("@", 1)[0].split(":", 1)[0]
        rest = f"{user}:***@{rest.split('@', 1)[1]}"
    return head + sep + rest


def _settings() -> Check:
    from .errors import SettingsInvalid
    from .settings import load_settings

    try:
        s = load_settings()
    except SettingsInvalid as e:
        return Check("网页应用设置", False, e.message, False, "请修改环境变量或 .env 文件")
    mode = "生产环境" if s.production else "开发环境 (默认密钥, 仅供本机试用)" if s.secret_key.startswith("jixiao-dev") \
        else "开发环境"
    return Check("网页应用设置", True, f"{mode}, 上传上限 {s.max_upload_mb} MB, 会话 {s.session_hours} 小时", False)


CHECKS: tuple[Callable[[], Check], ...] = (
    _python,
    _pango,
    _cjk_fonts,
    _program("poppler (pdftotext)", "pdftotext", "poppler-utils", "测试: PDF 转文字"),
    _program("poppler (pdftoppm)", "pdftoppm", "poppler-utils", "测试: PDF 转图片"),
    _program("LibreOffice (soffice)", "soffice", "libreoffice-calc-nogui libreoffice-writer-nogui",
             "测试: 表格和 Word 打印为 PDF"),
    _postgresql,
    _program("Chromium", "chromium", "chromium", "测试: 浏览器测试"),
    _settings,
    _database,
)


def run_checks() -> list[Check]:
    return [check() for check in CHECKS]
