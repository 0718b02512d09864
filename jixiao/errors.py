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
     └── RendererUnavailable(format, detail) an output format whose system dependency is
                                            missing (no CJK font or pango for PDF)

The CLI maps each to a one-line message and a non-zero exit code, in one place.
"""
from __future__ import annotations


class JixiaoError(Exception):
    """Base of every error jixiao raises on purpose."""

    exit_code = 2

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
