"""Bytes -> text for every text-like input, with the reasons it can fail.

``read_text(path)`` reads a file and ``decode_bytes(data, path)`` turns its bytes
into ``str`` with newlines normalised to ``\\n``. The order of the checks:

1. no bytes at all                              -> ``EmptyDocument``
2. a byte-order mark (UTF-8, UTF-16, UTF-32)   -> that codec, strictly
3. NUL bytes (without a UTF-16/32 BOM)          -> ``BinaryDocument``
4. strict UTF-8, then strict GB18030 (a superset of GBK and GB2312)
                                               -> ``UndecodableDocument`` when both fail
5. nothing but whitespace and BOMs              -> ``EmptyDocument``
6. more than 10 % control characters (other than \\t \\r \\n \\f)
                                               -> ``BinaryDocument``

No charset guessing library: real inputs are UTF-8 (with or without BOM), GBK /
GB18030 from older Windows tools, or UTF-16 with a BOM (Excel "Unicode text").
Big5 is not supported; it may decode as GB18030 mojibake without an error.
"""
from __future__ import annotations

import codecs
import os
import re

from ..errors import BinaryDocument, EmptyDocument, FileMissing, UndecodableDocument

__all__ = ["read_bytes", "read_text", "decode_bytes", "text_head", "CONTROL_RATIO"]

#: More control characters than this share of the text means "binary".
CONTROL_RATIO = 0.10

# Longest BOM first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_NEWLINES = re.compile("\r\n?|[\u2028\u2029\x85]")
# C0 and C1 controls except \t \n \f \r (\x85 is a newline, handled above).
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x84\x86-\x9f]")
_CONTROL_BYTES = re.compile(b"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_INVISIBLE_CHARS = "\ufeff\u200b\u200c\u200d\u2060"
_INVISIBLE = str.maketrans("", "", _INVISIBLE_CHARS)

# Magic numbers of formats people hand us by mistake (or that jixiao will read
# later): named in the BinaryDocument message so the user knows what happened.
_MAGIC = (
    (b"%PDF-", "PDF"),
    (b"PK\x03\x04", "ZIP 压缩包 (xlsx/docx 等)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "旧版 Office 文档 (xls/doc)"),
    (b"\x89PNG", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF8", "GIF 图片"),
    (b"\x1f\x8b", "gzip 压缩文件"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf", "7z 压缩包"),
    (b"\x7fELF", "可执行程序"),
)


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The file's bytes, or ``FileMissing`` naming why it could not be read.

    Only regular files are read (``budget.read_file``): a FIFO, a terminal, a device
    or a socket (``/dev/stdin`` of a pipe, ``/dev/zero``) could block forever or
    never end, and is refused with a message; a file over ``Limits.file_bytes`` is
    refused before it is read (``DocumentTooLarge``). There is no stdin shortcut:
    ``-`` is a file named ``-``."""
    from .budget import read_file

    name = os.fspath(path)
    try:
        return read_file(name)
    except FileNotFoundError:
        raise FileMissing(name) from None
    except IsADirectoryError:
        raise FileMissing(name, "这是一个文件夹, 不是文件") from None
    except PermissionError:
        raise FileMissing(name, "没有读取权限") from None
    except OSError as e:
        if os.path.isdir(name):  # Windows reports a directory as PermissionError/EACCES
            raise FileMissing(name, "这是一个文件夹, 不是文件") from None
        raise FileMissing(name, e.strerror or type(e).__name__) from None


def read_text(path: str | os.PathLike[str]) -> str:
    """Read a text document; see the module docstring for what is accepted."""
    return decode_bytes(read_bytes(path), path)


def decode_bytes(data: bytes, path: str | os.PathLike[str] | None = None, *,
                 max_chars: int | None = None) -> str:
    """Decode a document's bytes to text with ``\\n`` newlines, or raise an ``ImportFailed``.
    At most ``max_chars`` characters (default: the budget's ``text_chars``)."""
    name = os.fspath(path) if path is not None else None
    if not data:
        raise EmptyDocument(name)
    from .budget import current

    budget = current(name)
    limit = budget.limits.text_chars if max_chars is None else max_chars
    # no encoding here takes more than 4 bytes per character: refuse before decoding
    if len(data) > 4 * limit:
        budget.text(len(data) // 4, at_least=True, limit=limit)
    text = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(encoding)
            except UnicodeDecodeError as e:
                raise UndecodableDocument(name, f"带有 {encoding.upper()} 标记, 但第 {e.start} 字节起内容不符") from None
            break
    if text is None:
        if b"\x00" in data:
            raise BinaryDocument(name, _binary_detail(data))
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError as e:
                if len(_CONTROL_BYTES.findall(data)) > CONTROL_RATIO * len(data):
                    raise BinaryDocument(name, _binary_detail(data)) from None
                raise UndecodableDocument(name, f"第 {e.start} 字节起既不是 UTF-8 也不是 GB18030") from None
    budget.text(len(text), limit=limit)
    if _blank(text):
        raise EmptyDocument(name)
    if "\x00" in text or _control_share(text) > CONTROL_RATIO:
        raise BinaryDocument(name, _binary_detail(data))
    text = text.lstrip("\ufeff")
    # a scan per separator is much cheaper than the substitution when there is none
    if any(sep in text for sep in "\r\u2028\u2029\x85"):
        text = _NEWLINES.sub("\n", text)
    return text


def text_head(data: bytes, size: int = 512) -> str:
    """The first characters of ``data`` for content sniffing: never raises, any BOM
    honoured and dropped, leading whitespace removed."""
    head = data[: size * 4]
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return head[len(bom):].decode(encoding, errors="ignore").lstrip("\ufeff \t\r\n")[:size]
    return head.decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n")[:size]


def _blank(text: str) -> bool:
    """Nothing but whitespace and invisible marks. A document's first printed
    character settles it almost always: ``str.translate`` over the whole text is
    slow (it cost as much as half the import of a seed-sized sheet)."""
    stripped = text.strip()
    if not stripped:
        return True
    if stripped[0] not in _INVISIBLE_CHARS:
        return False
    return not stripped.translate(_INVISIBLE).strip()


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    return len(_CONTROL.findall(text)) / len(text)


def _binary_detail(data: bytes) -> str | None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return f"看起来是 {what}, 可导入的是文本、xlsx/xls、docx、HTML、PDF 和绩效目标表 JSON"
    return None
