"""A page's content stream run through pdfminer's operators, tokenised with one
regular expression instead of pdfminer's character-by-character parser.

pdfminer's ``PDFContentParser`` is where most of a PDF import's time went; the
operators themselves (fonts, text and graphics state, paths) stay pdfminer's
``PDFPageInterpreter.do_*``. Operands are what pdfminer's parser yields: ints and
floats, names as ``PSLiteral``, strings as bytes, arrays as lists, dictionaries
keyed by name; ``true``/``false``/``null``. Inline images (BI … ID … EI) are
skipped: the importer reads no images.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from pdfminer.psparser import LIT, literal_name

_TOKEN = re.compile(rb"""(?:[\x00\t\n\x0c\r ]|%[^\r\n]*)*(?:
    (?P<num>[+-]?(?:\d+\.?\d*|\.\d+))(?=[\x00\t\n\x0c\r /\[\]<>(){}%]|\Z)
  | /(?P<name>[^\x00\t\n\x0c\r /\[\]<>(){}%]*)
  | (?P<str>\()
  | (?P<dict><<) | (?P<enddict>>>)
  | <(?P<hex>[^>]*)>
  | (?P<arr>\[) | (?P<endarr>\])
  | (?P<kw>[^\x00\t\n\x0c\r /\[\]<>(){}%]+)
  | (?P<junk>[{})>])
)""", re.VERBOSE)
_STRING_STOP = re.compile(rb"[()\\]")
_ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f",
            ord("("): b"(", ord(")"): b")", ord("\\"): b"\\"}
_NAME_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
_INLINE_END = re.compile(rb"[\x00\t\n\x0c\r ]EI(?=[\x00\t\n\x0c\r /\[<(%]|\Z)")
_CONSTANTS = {b"true": True, b"false": False, b"null": None}

#: an operator: the interpreter's bound ``do_*`` method and its operand count
Operator = tuple[Callable[..., object], int]


def operators(interp) -> dict[bytes, Operator]:
    """The interpreter's operators: keyword -> (bound method, operand count)."""
    table: dict[bytes, Operator] = {}
    for attr in dir(interp):
        if attr.startswith("do_"):
            func = getattr(interp, attr)
            op = attr[3:].replace("_a", "*").replace("_w", '"').replace("_q", "'")
            table[op.encode("latin-1")] = (func, func.__code__.co_argcount - 1)
    return table


def _string(data: bytes, i: int) -> tuple[bytes, int]:
    """A literal string starting after its '(': the bytes and the end position."""
    out = bytearray()
    depth = 1
    n = len(data)
    while i < n:
        m = _STRING_STOP.search(data, i)
        if m is None:
            out += data[i:]
            return bytes(out), n
        j = m.start()
        out += data[i:j]
        c = data[j]
        i = j + 1
        if c == 0x5C:  # backslash
            if i >= n:
                break
            e = data[i]
            if e in _ESCAPES:
                out += _ESCAPES[e]
                i += 1
            elif 0x30 <= e <= 0x37:
                k = i
                while k < i + 3 and k < n and 0x30 <= data[k] <= 0x37:
                    k += 1
                out.append(int(data[i:k], 8) & 0xFF)
                i = k
            elif e == 0x0D:  # a line continued
                i += 2 if data[i + 1:i + 2] == b"\n" else 1
            elif e == 0x0A:
                i += 1
            else:
                out.append(e)
                i += 1
        elif c == 0x28:
            depth += 1
            out.append(c)
        else:
            depth -= 1
            if depth == 0:
                return bytes(out), i
            out.append(c)
    return bytes(out), n


def _name(raw: bytes):
    if b"#" in raw:
        raw = _NAME_HEX.sub(lambda m: bytes([int(m.group(1), 16)]), raw)
    try:
        return LIT(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return LIT(raw)


def _bounded(interp, budget) -> None:
    """What a content stream piles up without drawing anything: operands never
    consumed, one path of millions of segments (5 million ``l`` took 1.5 GB), a
    graphics state saved millions of times (3 million ``q``: 2.4 GB). Checked every
    4,096 tokens, with the deadline."""
    budget.tick()
    limit = budget.limits.pdf_objects
    if len(interp.argstack) > limit or len(interp.curpath) > limit:
        budget.refuse(f"内容流中的操作数或一条路径的线段超过上限 {limit} 个")
    if len(interp.gstack) > budget.limits.depth:
        budget.refuse(f"内容流中图形状态 (q) 嵌套超过上限 {budget.limits.depth} 层")


def execute(interp, data: bytes, ops: dict[bytes, Operator]) -> None:
    """Run ``data`` (a page's content) through ``interp``'s operators."""
    marks: list[int] = []  # where open arrays and dictionaries start on the stack
    pos, n = 0, len(data)
    match = _TOKEN.match
    budget = getattr(interp.device, "budget", None)
    tokens = 0
    while pos < n:
        m = match(data, pos)
        if m is None or m.end() == pos:
            break
        pos = m.end()
        tokens += 1
        if tokens & 0xFFF == 0 and budget is not None:
            _bounded(interp, budget)
        kind = m.lastgroup
        stack = interp.argstack
        if kind == "num":
            t = m.group("num")
            stack.append(float(t) if b"." in t else int(t))
        elif kind == "kw":
            kw = m.group("kw")
            if kw in _CONSTANTS:
                stack.append(_CONSTANTS[kw])
            elif kw == b"BI":  # an inline image: skipped to its end
                end = _INLINE_END.search(data, pos)
                pos = end.end() if end else n
                del stack[:]
            elif (op := ops.get(kw)) is not None:
                func, nargs = op
                if nargs:
                    args = interp.pop(nargs)
                    if len(args) == nargs:
                        func(*args)
                else:
                    func()
        elif kind == "name":
            stack.append(_name(m.group("name")))
        elif kind == "str":
            s, pos = _string(data, pos)
            stack.append(s)
        elif kind == "hex":
            h = re.sub(rb"[^0-9A-Fa-f]", b"", m.group("hex"))
            stack.append(bytes.fromhex((h + b"0").decode() if len(h) % 2 else h.decode()))
        elif kind in ("arr", "dict"):
            marks.append(len(stack))
        elif kind == "endarr" and marks:
            k = marks.pop()
            stack[k:] = [stack[k:]]
        elif kind == "enddict" and marks:
            k = marks.pop()
            items = stack[k:]
            stack[k:] = [{literal_name(a): b for a, b in zip(items[::2], items[1::2])}]
