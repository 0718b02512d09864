"""The sheet JSON contract (``jixiao/sheet@1``): Sheet <-> plain dicts <-> JSON text.

Lossless both ways for everything the contract names; unknown keys survive in
``extra`` (sheet, indicator and diagnostic level) so a round trip never drops data.
Readers accept documents with optional fields missing, and gold-style targets
written as plain strings.
"""
from __future__ import annotations

import json
from dataclasses import fields
from typing import Any

from .sheet import SCHEMA, Diagnostic, Function, Indicator, Sheet
from .target import Target, parse_target

_TARGET_FIELDS = tuple(f.name for f in fields(Target))
_IND_FIELDS = ("level1", "level2", "name", "target", "weight", "direction", "actual", "score",
               "explanation", "criteria", "basis")
_SHEET_FIELDS = ("kind", "stage", "title", "year", "unit", "supervisor", "project", "funds",
                 "overview", "goals", "functions", "indicators", "diagnostics", "extra")
_DIAG_FIELDS = ("code", "severity", "where", "message", "hint")


class ContractError(ValueError):
    """A document that breaks the contract; the message says where."""


def target_to_dict(t: Target | None) -> dict[str, Any] | None:
    if t is None:
        return None
    return {name: getattr(t, name) for name in _TARGET_FIELDS}


def target_from_dict(d: Any, where: str) -> Target | None:
    if d is None:
        return None
    if isinstance(d, (str, int, float)) and not isinstance(d, bool):
        return parse_target(str(d))
    if not isinstance(d, dict) or not isinstance(d.get("text", ""), str):
        raise ContractError(f"{where}: 指标值应为对象或字符串")
    known = {k: d[k] for k in _TARGET_FIELDS if k in d}
    known.setdefault("text", "")
    if "kind" not in known:  # older documents: the kind follows from the text
        known["kind"] = parse_target(known["text"]).kind
    for k in ("value", "upper"):
        if known.get(k) is not None:
            known[k] = _number(known[k], f"{where}.{k}")
    return Target(**known)


def _number(v: Any, where: str) -> float | None:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float, str)):
        raise ContractError(f"{where}: 应为数字")
    try:
        return float(v)
    except ValueError:
        raise ContractError(f"{where}: 应为数字, 实为“{v}”") from None


def indicator_to_dict(ind: Indicator) -> dict[str, Any]:
    d: dict[str, Any] = {}
    for name in _IND_FIELDS:
        v = getattr(ind, name)
        d[name] = target_to_dict(v) if name in ("target", "actual") else v
    d.update(ind.extra)
    return d


def indicator_from_dict(d: Any, where: str) -> Indicator:
    if not isinstance(d, dict):
        raise ContractError(f"{where}: 指标应为对象")
    name = d.get("name")
    if not isinstance(name, str):
        raise ContractError(f"{where}.name: 三级指标名称缺失")
    extra = {k: v for k, v in d.items() if k not in _IND_FIELDS}
    return Indicator(
        level1=d.get("level1"), level2=d.get("level2"), name=name,
        target=target_from_dict(d.get("target"), f"{where}.target"),
        weight=_number(d.get("weight"), f"{where}.weight"),
        direction=d.get("direction"),
        actual=target_from_dict(d.get("actual"), f"{where}.actual"),
        score=_number(d.get("score"), f"{where}.score"),
        explanation=d.get("explanation"), criteria=d.get("criteria"), basis=d.get("basis"),
        extra=extra,
    )


def diagnostic_to_dict(dg: Diagnostic) -> dict[str, Any]:
    return {"code": dg.code, "severity": dg.severity, "where": dg.where, "message": dg.message,
            "hint": dg.hint, **dg.extra}


def sheet_to_dict(sheet: Sheet) -> dict[str, Any]:
    d: dict[str, Any] = {"schema": SCHEMA}
    for name in _SHEET_FIELDS:
        v = getattr(sheet, name)
        if name == "functions":
            v = [{"label": f.label, "description": f.description,
                  "indicators": [indicator_to_dict(i) for i in f.indicators]} for f in v]
        elif name == "indicators":
            v = [indicator_to_dict(i) for i in v]
        elif name == "diagnostics":
            v = [diagnostic_to_dict(x) for x in v]
        elif name in ("goals", "extra", "funds") and v is not None:
            v = type(v)(v)
        d[name] = v
    return d


def sheet_from_dict(d: Any) -> Sheet:
    if not isinstance(d, dict):
        raise ContractError("顶层应为 JSON 对象")
    schema = d.get("schema", SCHEMA)
    if schema != SCHEMA:
        raise ContractError(f"schema 应为 {SCHEMA}, 实为“{schema}”")
    functions = []
    for fi, f in enumerate(d.get("functions") or []):
        if not isinstance(f, dict):
            raise ContractError(f"functions[{fi}]: 职能应为对象")
        functions.append(Function(
            label=str(f.get("label") or f"职能{fi + 1}"), description=f.get("description"),
            indicators=[indicator_from_dict(x, f"functions[{fi}].indicators[{ii}]")
                        for ii, x in enumerate(f.get("indicators") or [])]))
    diagnostics = []
    for di, x in enumerate(d.get("diagnostics") or []):
        if not isinstance(x, dict):
            raise ContractError(f"diagnostics[{di}]: 应为对象")
        diagnostics.append(Diagnostic(
            code=str(x.get("code", "")), severity=str(x.get("severity", "info")),
            where=str(x.get("where", "")), message=str(x.get("message", "")),
            hint=str(x.get("hint", "")),
            extra={k: v for k, v in x.items() if k not in _DIAG_FIELDS}))
    year = d.get("year")
    if year is not None and not isinstance(year, int):
        try:
            year = int(str(year).strip())
        except ValueError:
            raise ContractError(f"year: 应为整数年份, 实为“{year}”") from None
    goals = d.get("goals") or []
    if not isinstance(goals, list):
        raise ContractError("goals: 应为字符串数组")
    extra = dict(d.get("extra") or {})
    # Keys outside the contract (a gold file's notes, say) are kept, not dropped.
    extra.update({k: v for k, v in d.items() if k not in _SHEET_FIELDS and k != "schema"})
    return Sheet(
        kind=d.get("kind") or "department", stage=d.get("stage") or "approval",
        title=d.get("title"), year=year, unit=d.get("unit"), supervisor=d.get("supervisor"),
        project=d.get("project"), funds=d.get("funds"), overview=d.get("overview"),
        goals=[str(g) for g in goals], functions=functions,
        indicators=[indicator_from_dict(x, f"indicators[{ii}]")
                    for ii, x in enumerate(d.get("indicators") or [])],
        diagnostics=diagnostics, extra=extra,
    )


def dumps(sheet: Sheet, *, indent: int | None = 1) -> str:
    return json.dumps(sheet_to_dict(sheet), ensure_ascii=False, indent=indent)


def loads(text: str) -> Sheet:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise ContractError(f"JSON 语法错误 (第{e.lineno}行第{e.colno}列): {e.msg}") from None
    return sheet_from_dict(data)
