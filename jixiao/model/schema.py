"""The edge of the sheet JSON contract: text -> a document checked whole, or one Chinese error.

``sheet.schema.json`` (shipped in this package; ``docs/sheet.schema.json`` is a
byte-identical copy for readers, ``tests/test_schema.py`` keeps them equal) is
the single statement of what a ``jixiao/sheet@1`` document may hold. The codec
validates every document against it before it builds objects, so a wrong type
anywhere is refused with the JSON path of the offending value instead of
surfacing later as an exception deep inside a checker or renderer.

Two checks JSON Schema cannot express run at parse time (``parse``):

* nesting depth, counted on the raw text *before* ``json.loads`` (``MAX_DEPTH``),
  so neither the parser nor any later recursive code meets a deep document;
* numbers JSON does not have or cannot carry faithfully: ``NaN``/``Infinity``
  (Python's json accepts them), literals that overflow to infinity (``1e999``)
  and integers beyond ±(2**53 - 1) (RFC 8259 §6), which also keeps digit strings
  thousands long away from Python's int-parsing limit (a ValueError).
  Lone UTF-16 surrogates (``"\\ud800"``) are refused too: such a string cannot
  be written back as UTF-8.

Validation has two tiers (``validate``). ``_compile`` turns the schema into one
generated Python predicate; it understands exactly the keywords the schema uses
and refuses any other, so the schema cannot grow a rule the fast tier silently
ignores. A valid document — the normal case — costs only that predicate
(jsonschema itself takes about 2 s on a 5,000-indicator sheet). When the
predicate says no, the ``jsonschema`` library (Draft 2020-12, imported only then)
lists the errors, and the first one in document order becomes the message.
``tests/test_schema.py`` checks that both tiers agree.
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = ["ContractError", "MAX_DEPTH", "MAX_INT", "SCHEMA_FILE", "schema", "schema_text",
           "parse", "validate", "is_valid", "format_path"]

#: Arrays/objects nested deeper than this are refused before parsing. A sheet
#: itself is 5 deep (sheet > functions > function > indicators > indicator >
#: target); the rest is room for what ``extra`` carries.
MAX_DEPTH = 64
#: Largest integer magnitude accepted anywhere (RFC 8259 §6: exact in every reader).
MAX_INT = 2**53 - 1
SCHEMA_FILE = "sheet.schema.json"


class ContractError(ValueError):
    """A document that breaks the contract; the message starts with the JSON path."""


# ------------------------------------------------------------------ the schema

@lru_cache(maxsize=1)
def schema_text() -> str:
    """The schema file exactly as shipped."""
    return resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The schema as a dict (shared: do not mutate)."""
    return json.loads(schema_text())


@lru_cache(maxsize=1)
def _validator():
    # jsonschema (with referencing, rpds, attrs) costs ~0.1 s to import: only
    # failing documents pay it.
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema())


# ------------------------------------------------------------------ paths

_IDENT = re.compile(r"[^\W\d]\w*")


def format_path(parts: Iterable[str | int]) -> str:
    """``("functions", 0, "name")`` -> ``functions[0].name`` (the diagnostics' ``where``
    notation); keys that are not identifiers are quoted: ``extra["a.b"]``. The
    document itself is ``顶层``."""
    out = []
    for p in parts:
        if isinstance(p, int):
            out.append(f"[{p}]")
        elif _IDENT.fullmatch(p):
            out.append(f".{p}" if out else p)
        else:
            out.append(f"[{json.dumps(p, ensure_ascii=False)}]")
    return "".join(out) or "顶层"


# ------------------------------------------------------------------ parsing

_DELETE = bytes(c for c in range(256) if c not in b'[]{}"')
_PAIR = re.compile(rb"\[\]|\{\}")
_QUOTING_ESCAPE = re.compile(rb'\\[\\"]')
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{},:]', re.S)
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")


class _Rejected:
    """Stands in for a number literal refused during parsing, so that its path
    can be found afterwards (the parser's hooks do not know where they are)."""

    __slots__ = ("literal", "why")

    def __init__(self, literal: str, why: str):
        self.literal = literal
        self.why = why


def parse(text: str) -> Any:
    """JSON text -> Python data, refusing what JSON Schema cannot see (module
    docstring). Raises ``ContractError`` naming the path."""
    _check_depth(text)
    rejected: list[_Rejected] = []

    def reject(literal: str, why: str) -> _Rejected:
        r = _Rejected(literal, why)
        rejected.append(r)
        return r

    def parse_int(s: str) -> Any:
        # At most 16 digits before int(): a 5,000-digit literal would otherwise hit
        # Python's int-parsing limit (ValueError) or cost quadratic time.
        if len(s) - (s[0] == "-") <= 16:
            n = int(s)
            if -MAX_INT <= n <= MAX_INT:
                return n
        return reject(s, f"整数超出范围 (绝对值不超过 2^53-1, 即 {MAX_INT})")

    def parse_float(s: str) -> Any:
        f = float(s)
        return f if math.isfinite(f) else reject(s, "数字超出范围 (溢出为无穷大)")

    def parse_constant(s: str) -> Any:
        return reject(s, f"{s} 不是有效的 JSON 数字")

    try:
        data = json.loads(text, parse_int=parse_int, parse_float=parse_float,
                          parse_constant=parse_constant)
    except json.JSONDecodeError as e:
        raise ContractError(f"JSON 语法错误 (第{e.lineno}行第{e.colno}列): {_syntax(e.msg)}") from None
    if rejected:
        first = rejected[0]
        path = _find(data, lambda v: v is first)
        literal = first.literal if len(first.literal) <= 24 else f"{first.literal[:20]}…({len(first.literal)} 位)"
        raise ContractError(f"{format_path(path or ())}: {first.why}, 实为 {literal}")
    if _SURROGATE_ESCAPE.search(text):
        path = _find(data, lambda v: isinstance(v, str) and _SURROGATE.search(v) is not None, keys=True)
        if path is not None:
            raise ContractError(f"{format_path(path)}: 含有不成对的 UTF-16 代理项 (\\uD800–\\uDFFF), "
                                "不是有效的文字")
    return data


def _check_depth(text: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH without recursion and without parsing.

    Strings are removed at C speed (escaped backslashes and quotes first, then
    everything but brackets and quotes, then the quotes and what they enclose),
    leaving only the brackets outside strings; each pass of ``_PAIR`` then peels
    one level of innermost ``[]``/``{}``. Unbalanced text stops changing early and
    is left to ``json.loads`` to report."""
    if len(text) <= MAX_DEPTH:  # too short to open more than that
        return
    raw = text.encode("utf-8", "surrogatepass")
    # Escaped backslashes first, then escaped quotes; both passes only when there
    # are any (most sheets have neither, only \n; the regex finds out 6x faster
    # than two ``in`` tests).
    if _QUOTING_ESCAPE.search(raw):
        raw = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    shape = raw.translate(None, _DELETE)
    # A bracket is inside a string exactly when an odd number of quotes precedes
    # it. Dropping two adjacent quotes keeps every such parity, and collapses the
    # ``""`` of every bracket-free string (nearly all of them) in one C-speed pass;
    # the few quotes left delimit strings holding brackets.
    shape = shape.replace(b'""', b"")
    if b'"' in shape:
        shape = b"".join(shape.split(b'"')[::2])
    peeled = shape
    for _ in range(MAX_DEPTH):
        if not peeled:
            return
        inner = _PAIR.sub(b"", peeled)
        if inner == peeled:
            # Unbalanced: not JSON, and json.loads will say where. But it recurses
            # into the opening brackets before it finds out, so those must be
            # bounded too: the running count of unclosed brackets.
            depth = top = 0
            for c in shape:
                depth = depth + 1 if c in b"[{" else max(depth - 1, 0)
                top = max(top, depth)
            if top <= MAX_DEPTH:
                return
            break
        peeled = inner
    if peeled:
        path = _deep_path(text)
        # Only the outer part of the path: sixty-odd segments say nothing more.
        shown = format_path(path[:8]) + ("…" if len(path) > 8 else "")
        raise ContractError(f"{shown}: 嵌套超过 {MAX_DEPTH} 层 (数组或对象套得过深)")


def _deep_path(text: str) -> list[str | int]:
    """Path of the first array/object nested deeper than MAX_DEPTH (error path only:
    a token scan, stopping there)."""
    # One frame per open container: [index or key, expecting a key?]
    frames: list[list[Any]] = []
    for m in _TOKEN.finditer(text):
        tok = m.group()
        if tok in "[{":
            if len(frames) == MAX_DEPTH:
                return [f[0] for f in frames]
            frames.append([0, False] if tok == "[" else [None, True])
        elif tok in "]}":
            if frames:
                frames.pop()
        elif tok == ",":
            if frames:
                f = frames[-1]
                if isinstance(f[0], int):
                    f[0] += 1
                else:
                    f[1] = True
        elif tok == ":":
            pass
        elif frames and frames[-1][1] and not isinstance(frames[-1][0], int):
            try:
                frames[-1][0] = json.loads(tok)
            except ValueError:
                frames[-1][0] = tok[1:-1]
            frames[-1][1] = False
    return [f[0] for f in frames if f[0] is not None]


def _find(data: Any, hit: Callable[[Any], bool], *, keys: bool = False) -> list[str | int] | None:
    """Path of the first value (in document order) for which ``hit`` is true;
    with ``keys`` object keys are tested too. Iterative: depth is already bounded,
    but this must not depend on it."""
    stack: list[tuple[list[str | int], Any]] = [([], data)]
    while stack:
        path, v = stack.pop()
        if hit(v):
            return path
        if isinstance(v, dict):
            items = list(v.items())
            for k, x in reversed(items):
                stack.append(([*path, k], x))
            if keys:
                for k, _ in items:
                    if hit(k):
                        return [*path, k]
        elif isinstance(v, list):
            for i in range(len(v) - 1, -1, -1):
                stack.append(([*path, i], v[i]))
    return None


_SYNTAX = (
    ("Expecting property name enclosed in double quotes", "此处应为带双引号的键名"),
    ("Expecting value", "此处应为一个值"),
    ("Expecting ',' delimiter", "此处缺少逗号"),
    ("Expecting ':' delimiter", "此处缺少冒号"),
    ("Unterminated string starting at", "字符串没有结束的引号"),
    ("Invalid control character at", "字符串中有未转义的控制字符"),
    ("Invalid \\uXXXX escape", "无效的 \\u 转义"),
    ("Invalid \\escape", "无效的转义序列"),
    ("Extra data", "JSON 结束后还有多余内容"),
    ("Illegal trailing comma before end of object", "对象末尾多了逗号"),
    ("Illegal trailing comma before end of array", "数组末尾多了逗号"),
)


def _syntax(msg: str) -> str:
    for english, chinese in _SYNTAX:
        if msg.startswith(english):
            return chinese
    return msg


# ------------------------------------------------------------------ validation

def is_valid(doc: Any) -> bool:
    """Whether ``doc`` (parsed JSON) satisfies the schema: the fast tier alone."""
    return _compiled()(doc)


def validate(doc: Any) -> None:
    """Raise ``ContractError`` for the first schema violation of ``doc`` in document
    order, as ``path: Chinese message``; return None for a valid document."""
    valid = _compiled()
    if valid(doc):
        return
    errors = _errors(doc, valid)
    if not errors:
        # The tiers disagree (a bug in _compile; test_schema looks for it). The
        # library is the reference, and by it the document is valid.
        return
    best = min(errors, key=lambda pe: (_order(doc, pe[0]), _RANK.get(pe[1].validator, 9)))
    raise ContractError(f"{format_path(best[0])}: {_message(best[1])}")


# The sheet's long arrays. jsonschema needs ~0.3 ms per indicator, so a broken
# 5,000-indicator file would cost seconds (and a web upload as much CPU) before
# its message; instead the fast tier picks the first failing element of each and
# the library sees only those.
_LONG_ARRAYS = ("functions", "indicators", "diagnostics")


def _errors(doc: Any, valid: Callable[[Any], bool]) -> list[tuple[list[str | int], Any]]:
    """(path, jsonschema error) for the errors to choose from."""
    library = _validator()
    if isinstance(doc, dict):
        reduced = dict(doc)
        kept: dict[str, int] = {}   # array -> index of the element kept
        for key in _LONG_ARRAYS:
            items = doc.get(key)
            if isinstance(items, list) and len(items) > 1:
                # The schema has no rule across fields, so an element is valid or
                # not on its own.
                bad = next((i for i, x in enumerate(items) if not valid({key: [x]})), None)
                reduced[key] = [] if bad is None else [items[bad]]
                if bad is not None:
                    kept[key] = bad
        found = []
        for e in library.iter_errors(reduced):
            path = _error_path(e)
            if len(path) > 1 and path[0] in kept:
                path[1] = kept[path[0]]
            found.append((path, e))
        if found:
            return found
    return [(_error_path(e), e) for e in library.iter_errors(doc)]


_RANK = {"required": 0, "type": 1, "const": 2, "enum": 2}


def _error_path(e) -> list[str | int]:
    path = list(e.absolute_path)
    if e.validator == "required":
        missing = [p for p in e.validator_value if p not in e.instance]
        path.append(missing[0])
    elif e.validator == "additionalProperties" and e.validator_value is False:
        allowed = e.schema.get("properties", {})
        path.append(next(k for k in e.instance if k not in allowed))
    return path


def _order(doc: Any, path: list[str | int]) -> list[int]:
    """Sort key placing ``path`` in document order (a missing key after its siblings)."""
    key, node = [], doc
    for p in path:
        if isinstance(node, dict):
            names = list(node)
            key.append(names.index(p) if p in node else len(names))
            node = node.get(p)
        elif isinstance(node, list) and isinstance(p, int):
            key.append(p)
            node = node[p] if p < len(node) else None
        else:
            key.append(0)
            node = None
    return key


_TYPE_ZH = {"string": "字符串", "integer": "整数", "number": "数字", "boolean": "布尔值 (true/false)",
            "array": "列表", "object": "对象", "null": "null"}


def _either(words: list[str]) -> str:
    """``a、b 或 c``, with a space only where 或 meets a Latin word (``字符串或 null``)."""
    if len(words) == 1:
        return words[0]
    head, last = "、".join(words[:-1]), words[-1]
    return head + (" " if head[-1].isascii() else "") + "或" + (" " if last[0].isascii() else "") + last


def _literal(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False)


def _short(s: str, n: int = 30) -> str:
    """A quoted value for the message: cut to ``n`` characters, and escaped as in
    JSON so that a newline or control character cannot break the one line."""
    s = s if len(s) <= n else s[:n] + "…"
    return json.dumps(s, ensure_ascii=False)[1:-1]


def _actual(v: Any, *, typed: bool = True) -> str:
    """How a wrong value is shown: ``列表``, ``数字 5``, ``字符串“abc”``."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return f"布尔值 {_literal(v)}"
    if isinstance(v, (int, float)):
        return f"数字 {_literal(v)}"
    if isinstance(v, str):
        return f"字符串“{_short(v)}”" if typed else f"“{_short(v)}”"
    if isinstance(v, list):
        return "列表"
    if isinstance(v, dict):
        return "对象"
    return type(v).__name__


def _message(e) -> str:
    kind, want, v = e.validator, e.validator_value, e.instance
    zh = e.schema.get("x-zh") if isinstance(e.schema, dict) else None
    if kind == "type":
        types = [want] if isinstance(want, str) else list(want)
        return f"应为{_either([_TYPE_ZH.get(t, t) for t in types])}, 实为{_actual(v)}"
    if kind == "required":
        missing = next(p for p in want if p not in v)
        what = e.schema.get("properties", {}).get(missing, {}).get("x-zh")
        return f"缺少必填字段{f' ({what})' if what else ''}"
    if kind in ("enum", "const"):
        options = _either([_literal(x) for x in (want if kind == "enum" else [want])])
        return f"{zh or ''}应为 {options}, 实为{_actual(v, typed=False)}"
    if kind == "pattern":
        return f"应为{zh or f'符合 {want} 的字符串'}, 实为“{_short(v)}”"
    if kind in ("minimum", "maximum"):
        bound = "不小于" if kind == "minimum" else "不大于"
        return f"应{bound} {_literal(want)}{f' ({zh})' if zh else ''}, 实为 {_literal(v)}"
    if kind == "maxLength":
        return f"过长: 应不超过 {want} 个字符, 实为 {len(v)} 个字符"
    if kind == "minLength":
        return "不能为空" if want == 1 else f"过短: 应至少 {want} 个字符, 实为 {len(v)} 个字符"
    if kind == "additionalProperties":
        return "不允许此字段"
    return f"不符合约定 (JSON Schema 关键字 {kind})"


# ------------------------------------------------------------------ the fast tier

# Keywords without effect on validity, and the ones _compile implements. Any other
# keyword in the schema makes _compile fail loudly (test_schema loads it).
_ANNOTATIONS = frozenset({"$schema", "$id", "$defs", "$comment", "title", "description", "x-zh",
                          "default", "examples"})
_KEYWORDS = frozenset({"$ref", "type", "enum", "const", "properties", "required", "items",
                       "additionalProperties", "minimum", "maximum", "maxLength", "minLength",
                       "pattern"})
def _is_type(v: Any, t: str) -> bool:
    """jsonschema's default type checker, restated (Draft 2020-12)."""
    if t == "null":
        return v is None
    if t == "boolean":
        return isinstance(v, bool)
    if t == "integer":
        return not isinstance(v, bool) and (isinstance(v, int) or isinstance(v, float) and v.is_integer())
    if t == "number":
        return not isinstance(v, bool) and isinstance(v, (int, float))
    if t == "string":
        return isinstance(v, str)
    if t == "array":
        return isinstance(v, list)
    if t == "object":
        return isinstance(v, dict)
    raise ValueError(f"unknown JSON type {t!r}")


def _json_equal(a: Any, b: Any) -> bool:
    """JSON equality as jsonschema's enum/const use it: true/false are not 1/0."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_json_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_json_equal(a[k], b[k]) for k in a)
    if a is None or b is None:
        return a is b
    return isinstance(a, str) and isinstance(b, str) and a == b


class _Compiler:
    """Schema -> the Python source of one predicate, exec'd once.

    The whole schema is inlined into a single ``def _valid(v)``: every keyword
    becomes an ``if … : return False`` guarded by the JSON type it applies to, as
    JSON Schema says; objects read their declared properties with ``dict.get``,
    arrays loop. Only a node met again inside itself (recursion, which the sheet
    schema does not use) becomes a function of its own. Inlining matters: a call
    per value cost twice as much on a 5,000-indicator sheet."""

    def __init__(self, root: dict[str, Any]):
        self.root = root
        self.consts: dict[str, Any] = {"_is_type": _is_type, "_json_equal": _json_equal,
                                       "_MISSING": _MISSING}
        self.functions: list[str] = []
        self.named: dict[int, str] = {}      # id(node) -> function, for recursive nodes
        self.active: set[int] = set()        # nodes being inlined right now
        self.count = 0

    def const(self, value: Any) -> str:
        name = f"_c{len(self.consts)}"
        self.consts[name] = value
        return name

    def var(self) -> str:
        self.count += 1
        return f"x{self.count}"

    def ref(self, ref: str) -> Any:
        if not ref.startswith("#/"):
            raise ValueError(f"sheet schema: only local $ref is supported, not {ref!r}")
        node: Any = self.root
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    def function(self, s: Any) -> str:
        """A node compiled as a function of its own (recursive references only)."""
        if id(s) not in self.named:
            name = self.named[id(s)] = f"_v{len(self.named)}"
            self.functions.append("\n".join([f"def {name}(v):", *self.checks(s, "v", 1),
                                             "    return True", ""]))
        return self.named[id(s)]

    def checks(self, s: Any, v: str, depth: int) -> list[str]:
        """Lines, indented ``depth`` levels, that ``return False`` unless the value in
        variable ``v`` satisfies node ``s``."""
        pad = "    " * depth
        if s is True or s == {}:
            return []
        if s is False:
            return [pad + "return False"]
        unknown = set(s) - _KEYWORDS - _ANNOTATIONS
        if unknown:
            raise ValueError(f"sheet schema: keyword(s) {sorted(unknown)} not supported by the fast check")
        if id(s) in self.active:  # recursion: call the node's own function
            return [f"{pad}if not {self.function(s)}({v}):", f"{pad}    return False"]
        self.active.add(id(s))
        out: list[str] = []

        def fail_unless(condition: str) -> None:
            out.extend([f"{pad}if not ({condition}):", f"{pad}    return False"])

        if "$ref" in s:
            out += self.checks(self.ref(s["$ref"]), v, depth)
        if "type" in s:
            types = [s["type"]] if isinstance(s["type"], str) else list(s["type"])
            fast = {"null": f"{v} is None", "boolean": f"type({v}) is bool", "integer": f"type({v}) is int",
                    "number": f"type({v}) is float or type({v}) is int", "string": f"type({v}) is str",
                    "array": f"type({v}) is list", "object": f"type({v}) is dict"}
            # Exact types first (what json.loads makes); the rest — a subclass, an
            # integral float for "integer" — takes the jsonschema-equivalent test.
            fail_unless(" or ".join([fast[t] for t in types] + [f"_is_type({v}, {t!r})" for t in types]))
        for key in ("enum", "const"):
            if key in s:
                options = s["enum"] if key == "enum" else [s["const"]]
                generic = f"any(_json_equal({v}, o) for o in {self.const(tuple(options))})"
                if all(o is None or isinstance(o, str) for o in options):
                    exact = f"(type({v}) is str or {v} is None) and {v} in {self.const(frozenset(options))}"
                    fail_unless(f"{exact} or {generic}")
                else:
                    fail_unless(generic)
        strings = []
        if "maxLength" in s:
            strings.append(f"len({v}) <= {int(s['maxLength'])}")
        if "minLength" in s:
            strings.append(f"len({v}) >= {int(s['minLength'])}")
        if "pattern" in s:
            strings.append(f"{self.const(re.compile(s['pattern']))}.search({v}) is not None")
        if strings:
            fail_unless(f"not isinstance({v}, str) or (" + " and ".join(strings) + ")")
        numbers = []
        if "minimum" in s:
            numbers.append(f"{v} >= {self.const(s['minimum'])}")
        if "maximum" in s:
            numbers.append(f"{v} <= {self.const(s['maximum'])}")
        if numbers:
            fail_unless(f"isinstance({v}, bool) or not isinstance({v}, (int, float)) or ("
                        + " and ".join(numbers) + ")")
        if "items" in s:
            item = self.var()
            body = self.checks(s["items"], item, depth + 2)
            if body:
                out += [f"{pad}if isinstance({v}, list):", f"{pad}    for {item} in {v}:", *body]
        if {"properties", "required", "additionalProperties"} & set(s):
            obj: list[str] = []
            for name in s.get("required", ()):
                obj += [f"{pad}    if {name!r} not in {v}:", f"{pad}        return False"]
            properties = s.get("properties", {})
            for name, sub in properties.items():
                x = self.var()
                body = self.checks(sub, x, depth + 2)
                if body:
                    obj += [f"{pad}    {x} = {v}.get({name!r}, _MISSING)", f"{pad}    if {x} is not _MISSING:", *body]
            extra = s.get("additionalProperties", True)
            if extra is not True:
                k, x = self.var(), self.var()
                body = self.checks(extra, x, depth + 3)
                if body:
                    obj += [f"{pad}    for {k}, {x} in {v}.items():",
                            f"{pad}        if {k} not in {self.const(frozenset(properties))}:", *body]
            if obj:
                out += [f"{pad}if isinstance({v}, dict):", *obj]
        self.active.discard(id(s))
        return out

    def build(self) -> Callable[[Any], bool]:
        top = "\n".join(["def _valid(v):", *self.checks(self.root, "v", 1), "    return True", ""])
        source = "\n".join([*self.functions, top])
        namespace = dict(self.consts)
        exec(compile(source, "<sheet.schema.json>", "exec"), namespace)  # noqa: S102
        return namespace["_valid"]


_MISSING = object()


@lru_cache(maxsize=1)
def _compiled() -> Callable[[Any], bool]:
    return _Compiler(schema()).build()
