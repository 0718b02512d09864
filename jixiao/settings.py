"""Every setting of the web app, declared once: environment name, default, help.

Nothing is read at import time. ``load_settings(environ)`` builds a
``Settings`` from a mapping (``os.environ`` and an optional ``.env`` file),
checks every value and refuses what would be unsafe in production; the app
factory takes the result (``web.create_app(settings)``), so tests build their
own without touching the process environment.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import SettingsInvalid

__all__ = ["Settings", "SETTINGS", "load_settings", "read_dotenv", "DEVELOPMENT_SECRET"]

#: The development key: fine on a laptop, refused in production.
DEVELOPMENT_SECRET = "jixiao-development-secret-do-not-use-in-production"
MIN_SECRET_LENGTH = 32
ENVIRONMENTS = ("development", "production")


@dataclass(frozen=True, slots=True)
class Setting:
    field: str
    env: str
    default: Any
    help: str
    parse: Callable[[str], Any]


def _positive_int(text: str) -> int:
    value = int(text.strip())
    if value <= 0:
        raise ValueError("应为正整数")
    return value


def _non_negative_int(text: str) -> int:
    if not text.strip().isdigit():
        raise ValueError("应为 0 或正整数")
    return int(text.strip())


def _choice(*allowed: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        value = text.strip().lower()
        if value not in allowed:
            raise ValueError("应为 " + " 或 ".join(allowed))
        return value
    return parse


def _text(text: str) -> str:
    return text.strip()


SETTINGS: tuple[Setting, ...] = (
    Setting("database_url", "JIXIAO_DATABASE_URL", "sqlite:///jixiao.db",
            "数据库: SQLite 文件 (sqlite:///路径) 或 PostgreSQL (postgresql+psycopg://用户:密码@主机/库)", _text),
    Setting("secret_key", "JIXIAO_SECRET_KEY", DEVELOPMENT_SECRET,
            f"签名会话与 CSRF 令牌的密钥; 生产环境必须设置, 至少 {MIN_SECRET_LENGTH} 个字符", _text),
    Setting("env", "JIXIAO_ENV", "development", "运行环境: development 或 production",
            _choice(*ENVIRONMENTS)),
    Setting("max_upload_mb", "JIXIAO_MAX_UPLOAD_MB", 20, "上传文件的大小上限 (MB)", _positive_int),
    Setting("session_hours", "JIXIAO_SESSION_HOURS", 8, "登录会话的有效时长 (小时)", _positive_int),
    Setting("public_cache_seconds", "JIXIAO_PUBLIC_CACHE_SECONDS", 5,
            "公开页面: 每个进程信任已读到的公开版本的秒数 (0 为每次都查数据库)", _non_negative_int),
)


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str = "sqlite:///jixiao.db"
    secret_key: str = DEVELOPMENT_SECRET
    env: str = "development"
    max_upload_mb: int = 20
    session_hours: int = 8
    public_cache_seconds: int = 5

    @property
    def production(self) -> bool:
        return self.env == "production"

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    def validate(self) -> Settings:
        """``self`` when safe to run with; ``SettingsInvalid`` naming the setting otherwise."""
        if self.env not in ENVIRONMENTS:
            raise SettingsInvalid("JIXIAO_ENV", "应为 development 或 production")
        if self.production:
            if self.secret_key == DEVELOPMENT_SECRET:
                raise SettingsInvalid("JIXIAO_SECRET_KEY", "生产环境不能使用默认密钥, 请设置随机密钥 "
                                      "(例如 python -c \"import secrets; print(secrets.token_urlsafe(48))\")")
            if len(self.secret_key) < MIN_SECRET_LENGTH:
                raise SettingsInvalid("JIXIAO_SECRET_KEY", f"密钥太短 ({len(self.secret_key)} 个字符), "
                                      f"至少 {MIN_SECRET_LENGTH} 个字符")
        if not self.database_url.startswith(("sqlite:///", "postgresql")):
            raise SettingsInvalid("JIXIAO_DATABASE_URL", "只支持 sqlite:///… 或 postgresql+psycopg://…")
        return self


def read_dotenv(path: str | os.PathLike[str]) -> dict[str, str]:
    """``KEY=value`` lines of a ``.env`` file (``#`` comments, optional quotes);
    an absent file is an empty mapping."""
    file = Path(path)
    if not file.is_file():
        return {}
    values: dict[str, str] = {}
    for number, line in enumerate(file.read_text(encoding="utf-8-sig").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.removeprefix("export ").partition("=")
        if not sep or not key.strip():
            raise SettingsInvalid(str(file), f"第 {number} 行不是 名称=值 的形式")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def load_settings(environ: Mapping[str, str] | None = None, *,
                  dotenv: str | os.PathLike[str] | None = ".env") -> Settings:
    """Settings from ``environ`` (default ``os.environ``) over the ``.env`` file's
    values over the defaults, validated."""
    source: dict[str, str] = dict(read_dotenv(dotenv)) if dotenv is not None else {}
    source.update(os.environ if environ is None else environ)
    values: dict[str, Any] = {}
    for s in SETTINGS:
        raw = source.get(s.env)
        if raw is None or raw.strip() == "":
            continue
        try:
            values[s.field] = s.parse(raw)
        except ValueError as e:
            reason = str(e) if str(e).startswith("应为") else "应为正整数"
            raise SettingsInvalid(s.env, f"{reason}, 实为“{raw}”") from None
    return Settings(**values).validate()

