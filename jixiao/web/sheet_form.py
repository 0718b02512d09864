"""The sheet editor's form: a ``Sheet`` as named form fields and back.

The editor is one HTML form; its fields are the draft. Every edit (a typed
target, an added or moved indicator) posts the whole form, the server rebuilds
the sheet from it, applies the structural operation, checks it and renders the
form again — so nothing typed is lost on any round trip, including a refused
save. Field names::

    title year unit supervisor project overview goals   (goals: one per line)
    f<i>.label  f<i>.description                         a 核心职能 (department sheets)
    <g>.i<j>.level1 .level2 .name .target .weight .criteria .explanation
                                                         <g> is f<i> or "p" (the flat list)

Operations (``op`` field): ``add:<g>`` (an indicator at the end of group g),
``del:<g>.i<j>``, ``up:<g>.i<j>``, ``down:<g>.i<j>``, ``move:<g>.i<j>:<g2>``,
``addfn``, ``delfn:f<i>``.
"""
from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping
from typing import Any

from ..errors import InvalidRequest
from ..model.sheet import Function, Indicator, Sheet
from ..model.target import format_number, format_target, parse_target

__all__ = ["sheet_from_form", "apply_operation", "group_key", "indicator_path", "kept_json", "target_text",
           "anchor_of", "row_path", "parsed_label",
           "MAX_INDICATORS"]

MAX_INDICATORS = 2000
MAX_FIELD = 4000
_INDICATOR_FIELD = re.compile(r"^(f\d+|p)\.i(\d+)\.(level1|level2|name|target|weight|criteria|explanation|keep)$")
_FUNCTION_FIELD = re.compile(r"^f(\d+)\.(label|description)$")


def group_key(fi: int | None) -> str:
    return "p" if fi is None else f"f{fi}"


def indicator_path(group: str, j: int) -> str:
    """The sheet-JSON path (``where``) of an editor row."""
    return f"indicators[{j}]" if group == "p" else f"functions[{group[1:]}].indicators[{j}]"


def _text(form: Mapping[str, Any], key: str) -> str:
    value = form.get(key, "")
    value = value if isinstance(value, str) else ""
    if len(value) > MAX_FIELD:
        raise InvalidRequest(f"字段 {key} 超过 {MAX_FIELD} 字")
    return value.strip()


def _weight(text: str, key: str) -> float | None:
    if not text:
        return None
    try:
        value = float(text.rstrip("%分 "))
    except ValueError:
        raise InvalidRequest(f"权重“{text}”不是数字 ({key})") from None
    if not 0 <= value <= 100:
        raise InvalidRequest(f"权重应在 0 到 100 之间, 实为 {text}")
    return value


def sheet_from_form(form: Mapping[str, Any], base: Sheet) -> Sheet:
    """The sheet the form describes; what the form does not carry (kind, stage,
    funds, extra, diagnostics, fields of indicators it does not show) comes from
    ``base``, the version the editor started from."""
    year_text = _text(form, "year")
    if year_text and not (year_text.isdigit() and 2000 <= int(year_text) <= 2100):
        raise InvalidRequest(f"年度“{year_text}”应为 2000 到 2100 之间的年份")
    rows: dict[str, dict[int, dict[str, str]]] = {}
    labels: dict[int, dict[str, str]] = {}
    for key in form:
        if m := _INDICATOR_FIELD.match(key):
            rows.setdefault(m[1], {}).setdefault(int(m[2]), {})[m[3]] = _text(form, key)
        elif m := _FUNCTION_FIELD.match(key):
            labels.setdefault(int(m[1]), {})[m[2]] = _text(form, key)
    if sum(len(r) for r in rows.values()) > MAX_INDICATORS:
        raise InvalidRequest(f"指标超过 {MAX_INDICATORS} 个")

    def indicators(group: str) -> list[Indicator]:
        out = []
        for j in sorted(rows.get(group, {})):
            r = rows[group][j]
            if not any(r.get(k) for k in ("level1", "level2", "name", "target")):
                continue      # an empty new row is not an indicator
            target = parse_target(r["target"]) if r.get("target") else None
            out.append(Indicator(level1=r.get("level1") or None, level2=r.get("level2") or None,
                                 name=r.get("name", ""), target=target,
                                 weight=_weight(r.get("weight", ""), f"{group}.i{j}.weight"),
                                 criteria=r.get("criteria") or None, explanation=r.get("explanation") or None,
                                 **_kept(r.get("keep", ""))))
        return out

    functions = []
    for i in sorted(labels):
        desc = labels[i].get("description") or None
        old_fn = base.functions[i] if i < len(base.functions) else None
        fn = Function(label=labels[i].get("label") or f"职能{i + 1}", description=desc,
                      indicators=indicators(f"f{i}"))
        functions.append(dataclasses.replace(old_fn, label=fn.label, description=desc, indicators=fn.indicators)
                         if old_fn is not None else fn)
    goals = [g.strip() for g in _text(form, "goals").splitlines() if g.strip()]
    return dataclasses.replace(
        base, title=_text(form, "title") or None, year=int(year_text) if year_text else None,
        unit=_text(form, "unit") or None, supervisor=_text(form, "supervisor") or None,
        project=_text(form, "project") or None, overview=_text(form, "overview") or None, goals=goals,
        functions=functions, indicators=indicators("p"))


#: Indicator fields the editor does not show, carried through it in a hidden field so
#: that editing a sheet never drops what an import or a self-evaluation put there.
KEPT_FIELDS = ("direction", "basis", "actual", "score", "extra")


def kept_json(ind: Indicator) -> str:
    """The hidden ``keep`` field of an editor row."""
    data: dict[str, Any] = {}
    for name in KEPT_FIELDS:
        value = getattr(ind, name)
        if name == "actual" and value is not None:
            value = value.text
        if value not in (None, {}, ""):
            data[name] = value
    return json.dumps(data, ensure_ascii=False) if data else ""


def _kept(text: str) -> dict[str, Any]:
    if not text:
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        raise InvalidRequest("表单中的隐藏字段已损坏, 请刷新页面后重试") from None
    if not isinstance(data, dict):
        raise InvalidRequest("表单中的隐藏字段已损坏, 请刷新页面后重试")
    out: dict[str, Any] = {}
    for name in ("direction", "basis"):
        if isinstance(data.get(name), str):
            out[name] = data[name]
    if isinstance(data.get("actual"), str):
        out["actual"] = parse_target(data["actual"])
    if isinstance(data.get("score"), (int, float)) and not isinstance(data.get("score"), bool):
        out["score"] = float(data["score"])
    if isinstance(data.get("extra"), dict):
        out["extra"] = data["extra"]
    return out


def _groups(sheet: Sheet) -> dict[str, list[Indicator]]:
    out = {f"f{i}": list(fn.indicators) for i, fn in enumerate(sheet.functions)}
    out["p"] = list(sheet.indicators)
    return out


def _rebuild(sheet: Sheet, groups: dict[str, list[Indicator]], functions: list[Function] | None = None) -> Sheet:
    fns = functions if functions is not None else sheet.functions
    return dataclasses.replace(sheet, functions=[dataclasses.replace(fn, indicators=groups.get(f"f{i}", []))
                                                 for i, fn in enumerate(fns)], indicators=groups["p"])


_ROW = re.compile(r"^(f\d+|p)\.i(\d+)$")


def apply_operation(sheet: Sheet, op: str) -> Sheet:
    """``sheet`` after one structural edit of the editor (see the module docstring)."""
    groups = _groups(sheet)
    verb, _, arg = op.partition(":")
    if verb == "addfn":
        fns = list(sheet.functions) + [Function(label=f"职能{len(sheet.functions) + 1}", description=None)]
        groups[f"f{len(sheet.functions)}"] = []
        return _rebuild(sheet, groups, fns)
    if verb == "delfn":
        i = _function_index(arg, sheet)
        fns = [fn for k, fn in enumerate(sheet.functions) if k != i]
        kept = {f"f{n}": groups[f"f{k}"] for n, k in enumerate(k for k in range(len(sheet.functions)) if k != i)}
        return _rebuild(sheet, {**kept, "p": groups["p"]}, fns)
    if verb == "add":
        if arg not in groups:
            raise InvalidRequest(f"没有指标组“{arg}”")
        groups[arg].append(Indicator(level1=None, level2=None, name="", target=None))
        return _rebuild(sheet, groups)
    target, _, dest = arg.partition(":")
    m = _ROW.match(target)
    if m is None or m[1] not in groups or int(m[2]) >= len(groups[m[1]]):
        raise InvalidRequest(f"没有这一行指标“{target}”")
    group, j = m[1], int(m[2])
    rows = groups[group]
    if verb == "del":
        rows.pop(j)
    elif verb == "up" and j > 0:
        rows[j - 1], rows[j] = rows[j], rows[j - 1]
    elif verb == "down" and j + 1 < len(rows):
        rows[j + 1], rows[j] = rows[j], rows[j + 1]
    elif verb == "move":
        if dest not in groups:
            raise InvalidRequest(f"没有指标组“{dest}”")
        groups[dest].append(rows.pop(j))
    elif verb not in ("up", "down"):
        raise InvalidRequest(f"未知的编辑操作“{op}”")
    return _rebuild(sheet, groups)


def _function_index(arg: str, sheet: Sheet) -> int:
    if not re.fullmatch(r"f\d+", arg) or int(arg[1:]) >= len(sheet.functions):
        raise InvalidRequest(f"没有这个职能“{arg}”")
    return int(arg[1:])


_ROW_PATH = re.compile(r"^(functions\[\d+\](?:\.indicators\[\d+\])?|indicators\[\d+\]|goals\[\d+\])")


def row_path(where: str) -> str | None:
    """The row (indicator, function or goal) a sheet-JSON path points into:
    ``functions[0].indicators[2].target`` -> ``functions[0].indicators[2]``."""
    m = _ROW_PATH.match(where or "")
    return m[1] if m else None


def anchor_of(where: str) -> str:
    """The HTML id of that row: ``row-functions-0-indicators-2`` (``findings`` when the
    path points at no row, e.g. a header field)."""
    row = row_path(where)
    if row is None:
        return "findings"
    return "row-" + re.sub(r"\]\.?|\[", "-", row).strip("-").replace("--", "-")


def parsed_label(ind: Indicator) -> str:
    """How jixiao reads the target, shown beside the cell as the user types."""
    t = ind.target
    if t is None or not t.text.strip():
        return ""
    op = t.op or (f"{t.op_inferred} (推断)" if t.op_inferred else "")
    if t.kind == "quantity" and t.value is not None:
        return f"读作: {op} {format_number(t.value)} {t.unit or ''}".rstrip()
    if t.kind == "range" and t.value is not None and t.upper is not None:
        return f"读作: 区间 {format_number(t.value)}–{format_number(t.upper)} {t.unit or ''}".rstrip()
    return {"qualitative": "读作: 定性", "deadline": "读作: 时限", "period": "读作: 时段",
            "placeholder": "读作: 待填", "empty": ""}.get(t.kind, "")


def target_text(ind: Indicator) -> str:
    return format_target(ind.target) if ind.target is not None else ""
