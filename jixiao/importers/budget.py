"""One resource budget for every importer: the limits, and the helpers that enforce
them where the bytes are read.

An import runs inside a ``session`` (``import_bytes`` opens one; each loader is
wrapped with ``within`` so that a direct call is bounded too). The session holds a
``Budget``: the ``Limits`` in force, what has been used so far, and a deadline. The
readers never compare sizes themselves; they go through

* ``read_file``                 (decode.read_bytes) regular files only, at most ``file_bytes``;
* ``open_zip`` / ``scan_zip``   every ZIP member decompressed once, in chunks, counting
                                the bytes that actually come out (the sizes the ZIP
                                directory declares are never trusted), DTDs refused,
                                XML elements and, through a ``ZipTally``, cells and
                                merged ranges counted before any library builds objects;
* ``cells`` / ``merged``        span accounting: a reader adds the cells it is about to
                                allocate (a ``gridSpan``/``colspan``/merged range of a
                                million cells is a million cells) *before* allocating;
* ``text``                      characters of a decoded text document;
* ``pages``, ``pdf_objects``    PDF pages, and the characters and rules drawn on them;
* ``guard_pdfminer``            pdfminer's stream filters (Flate, LZW, RunLength) capped
                                by the same decompressed-bytes budget;
* ``tick``                      the deadline, checked in the long loops; on the main
                                thread a SIGALRM timer backs it up for loops in library
                                code (openpyxl, pdfminer, the text structure solver).

A limit that is hit raises ``DocumentTooLarge`` naming the file and the limit. Inside
the session it travels as ``Refused`` (a ``BaseException``) so that the libraries'
``except Exception`` blocks (and our own "damaged file" handlers) cannot turn it into
a misleading ``CorruptDocument``; the session turns it back into the error.

Limits can be lowered (or raised) for a run with the environment variable
``JIXIAO_IMPORT_LIMITS``, e.g. ``cells=1000,decompressed=2M,seconds=5`` (the
tests and ``benchmarks/hostile.py`` use it), or by passing ``Limits`` to
``import_bytes``/``import_path``.
"""
from __future__ import annotations

import contextlib
import contextvars
import functools
import os
import re
import signal
import stat
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields, replace
from io import BytesIO

from ..errors import CorruptDocument, DocumentTooLarge, FileMissing, ImportFailed, JixiaoError

__all__ = ["Limits", "Budget", "Refused", "ZipTally", "DEFAULT", "limits_from_env", "session", "within",
           "current", "read_file", "open_zip", "scan_zip", "guard_pdfminer", "ENV"]

MB = 1 << 20
ENV = "JIXIAO_IMPORT_LIMITS"


@dataclass(frozen=True, slots=True)
class Limits:
    """Every import limit, in one place (docs/importers.md#limits says why each)."""

    #: bytes read from one input file (checked on the file's size before reading)
    file_bytes: int = 100 * MB
    #: bytes decompressed from the members of one xlsx/docx, or from one PDF's streams
    decompressed: int = 200 * MB
    #: members (entries in the ZIP directory) of one xlsx/docx
    zip_members: int = 10_000
    #: XML elements in the parts of one xlsx/docx, or tags of one HTML page
    xml_nodes: int = 2_000_000
    #: objects openpyxl builds besides cells (styles, defined names, data validations,
    #: hyperlinks, conditional formats, columns): 1-1.5 KB each
    xlsx_objects: int = 100_000
    #: cells of one document, all tables together, every cell a span covers counted
    cells: int = 500_000
    #: rows of all tables of one document with its paragraphs, lines of one text,
    #: ``<row>`` elements of an xlsx, paragraphs and tables of a docx or HTML page:
    #: the structure solver costs about 5 KB per row (120,000 rows: 650-720 MB)
    rows: int = 120_000
    #: pages of one PDF (declared in its page tree, and found)
    pages: int = 300
    #: characters and ruling segments placed on the pages of one PDF
    pdf_objects: int = 1_000_000
    #: characters of one text or HTML document after decoding
    text_chars: int = 4_000_000
    #: characters of one sheet JSON document (far cheaper per character than text)
    json_chars: int = 40_000_000
    #: objects and arrays of one sheet JSON document: each becomes Python objects
    #: and is validated against the schema (8 million empty objects took 9.7 GB)
    json_containers: int = 150_000
    #: indicators and functions of the imported sheet: what ``check`` and ``render``
    #: then work on (the checker takes ~7 KB per function: 500,000 empty functions
    #: took 3.6 GB and 287 s; 100,000 indicators in 8,300 functions 435 MB)
    indicators: int = 100_000
    functions: int = 20_000
    #: fields of one text: tabs, line breaks and runs of spaces (each can become a
    #: cell; one line of 600,000 tab-separated cells took 1.45 GB)
    text_fields: int = 300_000
    #: characters of a table whose whitespace was lost (collapsed.py: a beam search)
    collapsed_chars: int = 30_000
    #: nesting depth of XML/HTML elements
    depth: int = 256
    #: wall time of one import, in seconds
    seconds: float = 60.0


DEFAULT = Limits()
_SUFFIX = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}


def limits_from_env(base: Limits = DEFAULT) -> Limits:
    """``base`` with the overrides of ``JIXIAO_IMPORT_LIMITS`` (``name=value`` pairs,
    comma-separated; sizes may end in K, M or G)."""
    spec = os.environ.get(ENV, "").strip()
    if not spec:
        return base
    known = {f.name: f.type for f in fields(Limits)}
    changes: dict[str, float | int] = {}
    for item in filter(None, (s.strip() for s in spec.split(","))):
        name, _, value = item.partition("=")
        name, value = name.strip(), value.strip().lower()
        if name not in known:
            raise JixiaoError(f"环境变量 {ENV} 无效: 没有名为“{name}”的导入上限, 可用的有 {', '.join(known)}")
        scale = _SUFFIX.get(value[-1:], 1)
        try:
            number = float(value[:-1] if scale != 1 else value) * scale
        except ValueError:
            raise JixiaoError(f"环境变量 {ENV} 无效: “{item}”的值不是数字") from None
        changes[name] = number if name == "seconds" else int(number)
    return replace(base, **changes)  # type: ignore[arg-type]


class Refused(BaseException):
    """A limit was hit: carries the ``ImportFailed`` through library code that catches
    ``Exception`` (openpyxl, pdfminer, our "damaged file" handlers) up to the session."""

    def __init__(self, error: JixiaoError):
        super().__init__(error.message)
        self.error = error


def _count(n: int) -> str:
    return str(n)


def _size(n: float) -> str:
    if n < MB:
        return f"{n / 1024:.0f} KB"
    v = n / MB
    return f"{v:.0f} MB" if v == int(v) else f"{v:.1f} MB"


class Budget:
    """What one import may still use. Not thread-safe: one per import."""

    __slots__ = ("path", "limits", "decompressed", "cells_used", "merged_used", "nodes", "chars",
                 "deadline", "_in_session")

    def __init__(self, path: str | None, limits: Limits | None = None):
        self.path = path
        self.limits = limits if limits is not None else limits_from_env()
        self.decompressed = 0
        self.cells_used = 0
        self.merged_used = 0
        self.nodes = 0
        self.chars = 0
        self.deadline = time.monotonic() + self.limits.seconds
        self._in_session = False

    # -------------------------------------------------------------- refusing
    def refuse(self, detail: str, error: type[ImportFailed] = DocumentTooLarge):
        exc = error(self.path, detail)
        if self._in_session:
            raise Refused(exc)
        raise exc

    def timeout_detail(self) -> str:
        return f"导入用时超过上限 {self.limits.seconds:g} 秒 (文件过大或结构异常)"

    # -------------------------------------------------------------- the tallies
    def cells(self, n: int) -> None:
        """``n`` more cells about to be allocated (spans included)."""
        self.cells_used += n
        if self.cells_used > self.limits.cells:
            self.refuse(f"单元格 (含合并单元格所跨的格) 共 {_count(self.cells_used)} 格, "
                        f"超过上限 {_count(self.limits.cells)} 格")

    def merged(self, n: int) -> None:
        """A merged range (or span) of ``n`` cells about to be walked."""
        self.merged_used += n
        if self.merged_used > self.limits.cells:
            self.refuse(f"合并单元格共 {_count(self.merged_used)} 格, 超过上限 {_count(self.limits.cells)} 格")

    def xml_nodes(self, n: int, where: str = "") -> None:
        self.nodes += n
        if self.nodes > self.limits.xml_nodes:
            self.refuse(f"{where}XML 元素共 {_count(self.nodes)} 个, 超过上限 {_count(self.limits.xml_nodes)} 个")

    def inflated(self, n: int) -> None:
        """``n`` more bytes came out of a decompressor."""
        self.decompressed += n
        if self.decompressed > self.limits.decompressed:
            self.refuse(f"解压后的数据超过上限 {_size(self.limits.decompressed)} (可能是压缩炸弹)")

    def room(self) -> int:
        """Bytes a decompressor may still produce."""
        return max(0, self.limits.decompressed - self.decompressed)

    def text(self, n: int, at_least: bool = False, limit: int | None = None) -> None:
        limit = self.limits.text_chars if limit is None else limit
        if n > limit:
            self.refuse(f"文本{'至少' if at_least else '共'} {_count(n)} 字, 超过上限 {_count(limit)} 字")

    def json_containers(self, n: int) -> None:
        if n > self.limits.json_containers:
            self.refuse(f"JSON 中的对象和数组共 {_count(n)} 个, 超过上限 {_count(self.limits.json_containers)} 个")

    def text_fields(self, n: int) -> None:
        if n > self.limits.text_fields:
            self.refuse(f"文本中的字段 (以制表符、换行或空格分隔) 共 {_count(n)} 个, "
                        f"超过上限 {_count(self.limits.text_fields)} 个")

    def sheet(self, sheet) -> None:
        """The imported sheet's size, before a command works on it."""
        functions = len(sheet.functions)
        indicators = len(sheet.indicators) + sum(len(f.indicators) for f in sheet.functions)
        if indicators > self.limits.indicators:
            self.refuse(f"共 {_count(indicators)} 个指标, 超过上限 {_count(self.limits.indicators)} 个")
        if functions > self.limits.functions:
            self.refuse(f"共 {_count(functions)} 项职能, 超过上限 {_count(self.limits.functions)} 项")

    def rows(self, n: int, what: str = "表格", unit: str = "行") -> None:
        if n > self.limits.rows:
            self.refuse(f"{what}共 {_count(n)} {unit}, 超过上限 {_count(self.limits.rows)} {unit}")

    def pages(self, n: int, declared: bool = False) -> None:
        if n > self.limits.pages:
            said = "声明共" if declared else "共"
            self.refuse(f"{said} {_count(n)} 页, 超过上限 {self.limits.pages} 页")

    def pdf_objects(self, n: int) -> None:
        self.chars = n
        if n > self.limits.pdf_objects:
            self.refuse(f"页面上的字符与线条超过上限 {_count(self.limits.pdf_objects)} 个")

    def tick(self) -> None:
        """The deadline: called in the long loops."""
        if time.monotonic() > self.deadline:
            self.refuse(self.timeout_detail())


_CURRENT: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("jixiao_import_budget", default=None)


def current(path: str | None = None) -> Budget:
    """The budget of the import in progress; outside one, a fresh budget (so a helper
    called on its own is still bounded, if not across calls)."""
    b = _CURRENT.get()
    return b if b is not None else Budget(path)


def tick() -> None:
    b = _CURRENT.get()
    if b is not None:
        b.tick()


@contextlib.contextmanager
def session(path: str | None, limits: Limits | None = None) -> Iterator[Budget]:
    """The budget of one import. Nested sessions share the outer one (a loader that
    hands its document to another, xlsx -> grid -> text, stays one import)."""
    active = _CURRENT.get()
    if active is not None:
        yield active
        return
    b = Budget(path, limits)
    b._in_session = True
    token = _CURRENT.set(b)
    previous = _arm(b)
    try:
        try:
            yield b
        finally:
            _disarm(previous)  # first: the alarm must not fire in the clean-up
            _CURRENT.reset(token)
    except Refused as r:
        raise r.error from None
    except RecursionError:
        # a structure nested beyond what the parsers handle (a PDF page tree, …)
        raise DocumentTooLarge(path, f"结构嵌套层次过深, 超过上限 {b.limits.depth} 层") from None


def within(load: Callable) -> Callable:
    """Decorator for ``load(data, path, …)``: run inside a session for ``path``."""

    @functools.wraps(load)
    def wrapper(data, path, *args, **kwargs):
        with session(path):
            return load(data, path, *args, **kwargs)

    return wrapper


_NO_ALARM = object()


def _arm(b: Budget):
    """Back the deadline with SIGALRM on the main thread (where Python delivers it),
    unless someone else uses the timer. Returns what ``_disarm`` needs."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return _NO_ALARM
    try:
        if signal.getsignal(signal.SIGALRM) is not signal.SIG_DFL or signal.getitimer(signal.ITIMER_REAL)[0]:
            return _NO_ALARM

        def on_alarm(signum, frame):
            raise Refused(DocumentTooLarge(b.path, b.timeout_detail()))

        previous = signal.signal(signal.SIGALRM, on_alarm)
        # a little after the deadline: the cooperative checks fire first where they exist
        signal.setitimer(signal.ITIMER_REAL, b.limits.seconds + 0.5)
        return previous
    except (ValueError, OSError):
        return _NO_ALARM


def _disarm(previous) -> None:
    if previous is _NO_ALARM:
        return
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)


# ---------------------------------------------------------------------- files

_KINDS = ((stat.S_ISFIFO, "命名管道 (FIFO)"), (stat.S_ISCHR, "字符设备"), (stat.S_ISBLK, "块设备"),
          (stat.S_ISSOCK, "套接字"))


def _not_regular(mode: int) -> str:
    for test, what in _KINDS:
        if test(mode):
            return f"这是{what}, 不是普通文件; 请先把内容保存为文件再导入"
    return "这不是普通文件; 请先把内容保存为文件再导入"


def read_file(name: str, limits: Limits | None = None) -> bytes:
    """The bytes of the regular file ``name``: FIFOs, devices and sockets are refused
    before they are opened (reading one could block forever or never end), the file
    is opened non-blocking (should it be swapped for a FIFO in between) and checked
    again, and at most ``file_bytes`` are read. Raises OSError for the caller's
    FileMissing messages."""
    limit = (limits or current(name).limits).file_bytes
    st = os.stat(name)
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(name)
    if not stat.S_ISREG(st.st_mode):
        raise FileMissing(name, _not_regular(st.st_mode))
    if st.st_size > limit:
        raise DocumentTooLarge(name, f"文件大小 {_size(st.st_size)}, 超过上限 {_size(limit)}")
    fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise FileMissing(name, _not_regular(st.st_mode))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=True) as f:
            fd = -1
            data = f.read(limit + 1)  # the file may have grown since the stat
    finally:
        if fd >= 0:
            os.close(fd)
    if len(data) > limit:
        raise DocumentTooLarge(name, f"文件大小超过上限 {_size(limit)}")
    return data


# ---------------------------------------------------------------------- ZIP

_CHUNK = 1 << 20
_OVERLAP = 256           # longest token a tally looks for, across chunk boundaries
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


class ZipTally:
    """Counts, in the raw XML of chosen members, what a reader will build objects
    for: ``found(member, match, budget)`` is called for every match of ``pattern``
    in the members ``wants`` accepts (in order, each match once, also across chunk
    boundaries). Subclassed by the readers (xlsx: cells and merged ranges)."""

    pattern: re.Pattern[bytes] | None = None

    def wants(self, member: str) -> bool:  # pragma: no cover - overridden
        return False

    def feed(self, member: str, chunk: bytes, budget: Budget) -> None:
        """Every decompressed chunk of a wanted member (for plain counts)."""

    def found(self, member: str, match: re.Match[bytes], budget: Budget) -> None:  # pragma: no cover
        pass


def open_zip(data: bytes, path: str | None):
    """A ``zipfile.ZipFile`` over ``data`` after the directory's entry count and size
    are checked: ``ZipFile`` itself reads the whole central directory into objects."""
    import zipfile

    b = current(path)
    fp = BytesIO(data)
    try:
        end = zipfile._EndRecData(fp)  # type: ignore[attr-defined]  # noqa: SLF001 - what ZipFile reads next
    except (OSError, ValueError, EOFError, zipfile.BadZipFile):
        end = None
    if end is None:
        raise CorruptDocument(path, "ZIP 目录缺失或损坏 (文件可能被截断或下载不完整)")
    entries, size = end[zipfile._ECD_ENTRIES_TOTAL], end[zipfile._ECD_SIZE]  # type: ignore[attr-defined]  # noqa: SLF001
    limit = b.limits.zip_members
    # a directory entry is 46 bytes plus its name: 1 KB each is generous
    if entries > limit or size > limit * 1024:
        b.refuse(f"ZIP 目录声明 {_count(entries)} 个文件 ({_size(size)}), 超过上限 {_count(limit)} 个")
    try:
        z = zipfile.ZipFile(fp)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        raise CorruptDocument(path, "ZIP 目录缺失或损坏 (文件可能被截断或下载不完整)") from None
    if len(z.infolist()) > limit:
        b.refuse(f"ZIP 中共 {_count(len(z.infolist()))} 个文件, 超过上限 {_count(limit)} 个")
    return z


def scan_zip(z, path: str | None, tally: ZipTally | None = None) -> None:
    """Decompress every member once, in chunks, counting the bytes that come out
    against ``decompressed`` (a member whose directory entry lies about its size is
    caught by what it yields, not by what it declares); refuse DTDs in XML parts
    (Office never writes one; an entity declaration is an XML bomb's fuse); count XML
    elements against ``xml_nodes``; feed ``tally``. Memory: one chunk."""
    import zipfile

    b = current(path)
    for info in z.infolist():
        if info.is_dir():
            continue
        name = info.filename
        xml = name.endswith((".xml", ".rels", ".vml")) or name == "[Content_Types].xml"
        watch = tally if tally is not None and tally.wants(name) else None
        tail = b""
        try:
            with z.open(info) as f:
                while True:
                    chunk = f.read(min(_CHUNK, b.room() + 1))
                    if not chunk:
                        break
                    b.inflated(len(chunk))
                    b.tick()
                    if not xml:
                        continue
                    if b"<" not in chunk and b"<" not in tail:
                        tail = chunk[-_OVERLAP:]
                        continue  # text between tags (a bomb's padding): nothing to count
                    buf = tail + chunk
                    if _DTD.search(buf):
                        b.refuse(f"部件“{name}”含有 DTD/实体声明; 导入不展开 XML 实体 (可能是 XML 炸弹)")
                    # elements: every "<" that opens a tag (not </, <?, <!): C-speed counts
                    b.xml_nodes(chunk.count(b"<") - chunk.count(b"</") - chunk.count(b"<?")
                                - chunk.count(b"<!"))
                    if watch is not None:
                        watch.feed(name, chunk, b)
                    if watch is not None and watch.pattern is not None:
                        cut = len(buf) - _OVERLAP
                        end = 0
                        for m in watch.pattern.finditer(buf):
                            if m.start() >= cut:
                                break
                            watch.found(name, m, b)
                            end = m.end()
                        tail = buf[max(cut, end, 0):]
                    else:
                        tail = buf[-_OVERLAP:]
                if watch is not None and watch.pattern is not None:
                    for m in watch.pattern.finditer(tail):
                        watch.found(name, m, b)
        except Refused:
            raise
        except DocumentTooLarge:
            raise
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError, RuntimeError, ValueError):
            raise CorruptDocument(path, f"ZIP 中的部件“{name}”已损坏 (文件可能被截断或下载不完整)") from None


# ---------------------------------------------------------------------- PDF streams

_pdf_guarded = False


def guard_pdfminer() -> None:
    """Cap pdfminer's stream filters by the budget. pdfminer decodes a FlateDecode
    stream with one ``zlib.decompress`` (a 1 MB stream can give 1 GB), falls back
    to feeding a damaged stream byte by byte into a growing bytes object (quadratic),
    and decodes LZW and RunLength without bound. Those three functions are replaced
    in ``pdfminer.pdftypes`` (where the stream objects call them) by versions that
    stop at the budget's ``decompressed`` room. Idempotent."""
    global _pdf_guarded
    if _pdf_guarded:
        return
    import types

    from pdfminer import pdftypes

    shim = types.SimpleNamespace(decompress=_inflate, decompressobj=zlib.decompressobj, error=zlib.error)
    pdftypes.zlib = shim  # type: ignore[assignment]
    pdftypes.decompress_corrupted = _inflate_damaged
    pdftypes.lzwdecode = _lzw
    pdftypes.rldecode = _runlength
    _pdf_guarded = True


_PIECE = 16 * MB


def _inflate(data: bytes, *args) -> bytes:
    """``zlib.decompress`` in pieces, each counted before the next is made (a bomb
    is refused holding at most the room, never twice it)."""
    b = current()
    d = zlib.decompressobj()
    parts = [d.decompress(data, _PIECE)]
    b.inflated(len(parts[0]))
    while d.unconsumed_tail and not d.eof:
        b.tick()
        parts.append(d.decompress(d.unconsumed_tail, _PIECE))
        b.inflated(len(parts[-1]))
    if not d.eof:
        raise zlib.error("incomplete or truncated stream")  # as zlib.decompress would
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _inflate_damaged(data: bytes) -> bytes:
    """What a damaged Flate stream gives before the damage, as pdfminer's own
    fallback does, but in blocks and within the budget."""
    b = current()
    d = zlib.decompressobj()
    out = bytearray()
    for i in range(0, len(data), 4096):
        block = data[i:i + 4096]
        try:
            part = d.decompress(block, b.room() + 1)
        except zlib.error:
            # the damage is in this block: what its bytes before the damage give
            for j in range(len(block)):
                try:
                    part = d.decompress(block[j:j + 1], b.room() + 1)
                except zlib.error:
                    return bytes(out)
                b.inflated(len(part))
                out += part
            return bytes(out)
        b.inflated(len(part))
        if d.unconsumed_tail:
            b.inflated(b.room() + 1)
        out += part
        b.tick()
        if d.eof:
            break
    return bytes(out)


def _lzw(data: bytes) -> bytes:
    from pdfminer.lzw import LZWDecoder

    b = current()
    out = []
    for i, part in enumerate(LZWDecoder(BytesIO(data)).run()):
        b.inflated(len(part))
        out.append(part)
        if i % 4096 == 0:
            b.tick()
    return b"".join(out)


def _runlength(data: bytes) -> bytes:
    """RunLengthDecode (PDF 32000 7.4.5) within the budget."""
    b = current()
    out = bytearray()
    i, n, runs = 0, len(data), 0
    while i < n:
        runs += 1
        length = data[i]
        if length == 128:
            break
        if length < 128:
            part = data[i + 1:i + 2 + length]
            i += 2 + length
        else:
            part = data[i + 1:i + 2] * (257 - length)
            i += 2
        b.inflated(len(part))
        out += part
        if runs % 4096 == 0:
            b.tick()
    return bytes(out)
