"""The one exception tree of jixiao. Every error a user can cause is a ``JixiaoError``
whose ``message`` is Simplified Chinese and names the file when there is one::

    JixiaoError
     ├── ImportFailed(path, reason)         a document could not be read as a sheet
     │    ├── FileMissing                   no such file
     │    ├── EmptyDocument                 the file holds nothing
     │    ├── BinaryDocument                NUL bytes / mostly non-printable content
     │    ├── UndecodableDocument           not UTF-8, GB18030 or GBK text
     │    ├── NoIndicatorTable              readable text, but no indicator table in it
     │    ├── InvalidSheetJson              a sheet JSON that breaks the contract
     │    ├── CorruptDocument               an xlsx/docx/xls/html file that is damaged or truncated
     │    ├── EncryptedDocument             an office file protected by an opening password
     │    ├── DocumentTooLarge              over an import limit (uncompressed size, cells)
     │    └── UnsupportedDocument           a container we recognise but cannot read (a zip
     │                                      that is no xlsx/docx, a Word 97 .doc …)
     ├── ProfileInvalid(path, detail)       a review profile (TOML) that cannot be used
     ├── RendererUnavailable(format, detail) an output format whose system dependency is
     │                                      missing (no CJK font or pango for PDF)
     ├── DatabaseUnavailable(url, detail)   the database cannot be opened, reached or migrated
     ├── BackupFailed(path, detail)         ``jixiao db backup`` could not write a copy
     ├── InvalidRequest(detail)             a value that breaks a rule (org kind, role, parent) [422]
     ├── NotFound(what, key)                no such org, account or sheet — or one the caller
     │                                      may not see (web: 404, so existence is not revealed)
     ├── AlreadyExists(what, key)           a name that is taken [409]
     ├── Forbidden(action)                  the caller's role may not do this [403]
     ├── StateConflict(state, action)       the sheet's state allows no such action [409]
     ├── VersionConflict(sheet_id, expected, current)  a save based on an old version [412]
     ├── AuthenticationFailed               wrong user name, password or token [401]
     ├── LoginThrottled(retry_after)        too many failed sign-ins, locked for a while [429]
     ├── SubmissionBlocked(findings)        submit refused while the checker reports errors [422]
     └── SettingsInvalid(name, detail)      a setting (JIXIAO_…) with an unusable or unsafe value

Classes of the storage and account layer carry ``code`` (the ``error.code`` of web.md's
JSON errors) and ``status`` (the HTTP status the web layer answers with).

The CLI maps each to a one-line message and a non-zero exit code, in one place.
"""
from __future__ import annotations

from typing import Any


class JixiaoError(Exception):
    """Base of every error jixiao raises on purpose."""

    exit_code = 2
    #: Structured detail for the web's JSON errors (``error.details``); None for most.
    details: dict[str, Any] | None = None

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ImportFailed(JixiaoError):
    """A document could not be turned into a sheet."""

    reason = "无法导入"

    def __init__(self, path: str | None, detail: str | None = None):
        self.path = path
        self.detail = detail
        where = f"文件“{path}”" if path else "输入"
        text = f"{where}{self.reason}"
        if detail:
            text += f": {detail}"
        super().__init__(text)


class FileMissing(ImportFailed):
    reason = "不存在或无法打开"


class EmptyDocument(ImportFailed):
    reason = "是空的, 没有任何内容"


class BinaryDocument(ImportFailed):
    reason = "是二进制文件, 不是可识别的文本表格"


class UndecodableDocument(ImportFailed):
    reason = "的文字编码无法识别 (支持 UTF-8、GB18030/GBK)"


class NoIndicatorTable(ImportFailed):
    reason = "中没有找到绩效指标表 (需要一级/二级/三级指标和指标值)"


class InvalidSheetJson(ImportFailed):
    reason = "不是有效的绩效目标表 JSON (jixiao/sheet@1)"


class CorruptDocument(ImportFailed):
    reason = "已损坏或不完整, 无法打开"


class EncryptedDocument(ImportFailed):
    reason = "已加密 (设置了打开密码), 无法读取"

    def __init__(self, path: str | None, detail: str | None = None):
        super().__init__(path, detail or "请在 Excel/WPS/Word 中取消打开密码后另存, 再导入")


class DocumentTooLarge(ImportFailed):
    reason = "超出导入上限"


class UnsupportedDocument(ImportFailed):
    reason = "的格式不受支持"


class ProfileInvalid(JixiaoError):
    """A review profile (审核配置, TOML) that cannot be read or breaks its schema;
    ``detail`` names the key or the line."""

    def __init__(self, path: str | None, detail: str):
        self.path = path
        self.detail = detail
        where = f"配置文件“{path}”" if path and path != "默认配置" else "审核配置"
        super().__init__(f"{where}无效: {detail}")


class RendererUnavailable(JixiaoError):
    """An output format cannot be written on this machine: a hard dependency of
    its renderer (a CJK font, pango for PDF) is missing. Raised before anything
    is written, so no file of empty glyphs is ever produced."""

    def __init__(self, format: str, detail: str):
        self.format = format
        self.detail = detail
        super().__init__(f"无法生成 {format.upper()}: {detail}")


# ----------------------------------------------------------- storage and accounts

class DatabaseUnavailable(JixiaoError):
    """The database at ``url`` cannot be used: no such file or folder, server down,
    wrong password, not migrated. ``detail`` is one line from the driver; the URL is
    shown without its password."""

    code = "database_unavailable"
    status = 503

    def __init__(self, url: str, detail: str):
        self.url = url
        self.detail = detail
        super().__init__(f"数据库“{_safe_url(url)}”无法使用: {detail}")


class BackupFailed(JixiaoError):
    """``jixiao db backup`` could not produce a complete copy; nothing is left at ``path``."""

    code = "backup_failed"
    status = 500

    def __init__(self, path: str, detail: str):
        self.path = path
        self.detail = detail
        super().__init__(f"无法备份到“{path}”: {detail}")


class InvalidRequest(JixiaoError):
    """A value that breaks a rule of the org tree or the accounts (a unit without a
    department, an unknown role, an empty password …)."""

    code = "invalid"
    status = 422

    def __init__(self, detail: str):
        self.detail = detail
        super().__init__(detail)


class NotFound(JixiaoError):
    """No such organisation, account or sheet — or one the caller may not see: the web
    answers 404 for both, so that a sheet's existence is not revealed."""

    code = "not_found"
    status = 404

    def __init__(self, what: str, key: object):
        self.what = what
        self.key = key
        super().__init__(f"{what}“{key}”不存在")


class AlreadyExists(JixiaoError):
    code = "already_exists"
    status = 409

    def __init__(self, what: str, key: object):
        self.what = what
        self.key = key
        super().__init__(f"{what}“{key}”已存在")


class Forbidden(JixiaoError):
    """The caller's role may not do ``action`` (services/policy.py decides)."""

    code = "forbidden"
    status = 403

    def __init__(self, action: str, detail: str = ""):
        self.action = action
        self.detail = detail
        super().__init__(f"没有权限{detail or '执行此操作'}")


class StateConflict(JixiaoError):
    """The sheet's state allows no such action (editing an approved sheet …)."""

    code = "state_conflict"
    status = 409

    def __init__(self, state: str, action: str, detail: str):
        self.state = state
        self.action = action
        self.detail = detail
        super().__init__(detail)


class VersionConflict(JixiaoError):
    """A save based on version ``expected`` while the sheet is at ``current``: someone
    else saved in between. Nothing was written; the web answers 412 with the current
    version so the user can compare before saving again."""

    code = "version_conflict"
    status = 412

    def __init__(self, sheet_id: int, expected: int | None, current: int):
        self.sheet_id = sheet_id
        self.expected = expected
        self.current = current
        super().__init__(f"保存冲突: 这份表已被他人保存为第 {current} 版, 您的修改基于第 {expected} 版。"
                         "请先查看对方的修改, 再在最新版本上保存")


class AuthenticationFailed(JixiaoError):
    """Wrong user name or password (one message for both), or an unknown, expired or
    revoked API token, or a disabled account."""

    code = "unauthenticated"
    status = 401

    def __init__(self, detail: str = "用户名或密码错误"):
        self.detail = detail
        super().__init__(detail)


class LoginThrottled(JixiaoError):
    """Too many failed sign-ins for this user name: refused for ``retry_after`` seconds,
    even with the right password."""

    code = "too_many_attempts"
    status = 429

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        minutes = max(1, -(-retry_after // 60))
        super().__init__(f"登录失败次数过多, 账号已暂时锁定, 请 {minutes} 分钟后再试")


def _safe_url(url: str) -> str:
    """``url`` with any password replaced by ***."""
    import re

    # Greedy up to the last "@": a password may itself contain "@".
    return re.sub(r"(://[^:/@]*:).*@", r"\1***@", url)


class SettingsInvalid(JixiaoError):
    """A setting of the web app (``JIXIAO_…`` in the environment or ``.env``) whose
    value cannot be used, or is unsafe in production (the default secret key)."""

    code = "settings_invalid"
    status = 500

    def __init__(self, name: str, detail: str):
        self.name = name
        self.detail = detail
        super().__init__(f"设置 {name} 无效: {detail}")


class SubmissionBlocked(JixiaoError):
    """``submit`` refused: the checker reports error-level findings (web.md). The
    findings come back in ``details`` so the user sees what to fix."""

    code = "blocked_by_findings"
    status = 422

    def __init__(self, findings: list[dict[str, str]]):
        self.findings = findings
        self.details = {"findings": findings}
        first = findings[0]["message"] if findings else ""
        super().__init__(f"审核发现 {len(findings)} 个错误, 修改后才能提交" + (f": {first}" if first else ""))
