"""The sheet JSON contract (``jixiao/sheet@1``): Sheet <-> plain dicts <-> JSON text.

Lossless both ways for everything the contract names; unknown keys survive in
``extra`` (sheet, indicator and diagnostic level) so a round trip never drops data.
Readers accept documents with optional fields missing, and gold-style targets
written as plain strings.

Every document is validated whole against ``sheet.schema.json`` (``.schema``)
before any object is built, so the builders below may rely on its types; the
first violation in document order is a ``ContractError`` naming its JSON path.
"""
from __future__ import annotations

import json
import math
from dataclasses import fields
from typing import Any

from .schema import ContractError, parse, validate
from .sheet import SCHEMA, Diagnostic, Function, Indicator, Sheet
from .target import Target, parse_target

__all__ = ["ContractError", "dumps", "loads", "sheet_to_dict", "sheet_from_dict",
           "target_to_dict", "target_from_dict", "indicator_to_dict", "indicator_from_dict",
           "diagnostic_to_dict"]

_TARGET_FIELDS = tuple(f.name for f in fields(Target))
_IND_FIELDS = ("level1", "level2", "name", "target", "weight", "direction", "actual", "score",
               "explanation", "criteria", "basis")
_SHEET_FIELDS = ("kind", "stage", "title", "year", "unit", "supervisor", "project", "funds",
                 "overview", "goals", "functions", "indicators", "diagnostics", "extra")
_DIAG_FIELDS = ("code", "severity", "where", "message", "hint")


def _finite(v: Any) -> Any:
    """A number JSON can hold, else null: NaN and ±inf are not JSON (a 400-digit
    指标值 parses to inf), and the file must stay readable by every JSON reader."""
    return None if isinstance(v, float) and not math.isfinite(v) else v


def target_to_dict(t: Target | None) -> dict[str, Any] | None:
    if t is None:
        return None
    d = {name: getattr(t, name) for name in _TARGET_FIELDS}
    d["value"], d["upper"] = _finite(d["value"]), _finite(d["upper"])
    return d


def target_from_dict(d: Any, where: str = "target") -> Target | None:
    """A schema-valid target (object, gold-style string or bare number, or null)."""
    if d is None:
        return None
    if not isinstance(d, dict):  # gold style: the text as written
        return parse_target(str(d))
    known = {k: d[k] for k in _TARGET_FIELDS if k in d}
    known.setdefault("text", "")
    if "kind" not in known:  # older documents: the kind follows from the text
        known["kind"] = parse_target(known["text"]).kind
    for k in ("value", "upper"):
        if known.get(k) is not None:
            known[k] = float(known[k])
    return Target(**known)


def _number(v: Any) -> float | None:
    return None if v is None else float(v)


def indicator_to_dict(ind: Indicator) -> dict[str, Any]:
    d: dict[str, Any] = {}
    for name in _IND_FIELDS:
        v = getattr(ind, name)
        d[name] = target_to_dict(v) if name in ("target", "actual") else v
    d["weight"], d["score"] = _finite(d["weight"]), _finite(d["score"])
    d.update(ind.extra)
    return d


def indicator_from_dict(d: dict[str, Any], where: str = "indicator") -> Indicator:
    """A schema-valid indicator object."""
    extra = {k: v for k, v in d.items() if k not in _IND_FIELDS}
    return Indicator(
        level1=d.get("level1"), level2=d.get("level2"), name=d["name"],
        target=target_from_dict(d.get("target"), f"{where}.target"),
        weight=_number(d.get("weight")),
        direction=d.get("direction"),
        actual=target_from_dict(d.get("actual"), f"{where}.actual"),
        score=_number(d.get("score")),
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
        elif name == "funds" and v is not None:
            v = {k: _finite(x) for k, x in v.items()}
        elif name in ("goals", "extra") and v is not None:
            v = type(v)(v)
        d[name] = v
    return d


def sheet_from_dict(d: Any) -> Sheet:
    """Build a Sheet from parsed JSON; raises ``ContractError`` (path and Chinese
    message) when ``d`` breaks the schema anywhere."""
    validate(d)
    functions = [
        Function(label=f.get("label") or f"职能{fi + 1}", description=f.get("description"),
                 indicators=[indicator_from_dict(x, f"functions[{fi}].indicators[{ii}]")
                             for ii, x in enumerate(f.get("indicators", ()))])
        for fi, f in enumerate(d.get("functions", ()))]
    diagnostics = [
        Diagnostic(code=x.get("code", ""), severity=x.get("severity", "info"), where=x.get("where", ""),
                   message=x.get("message", ""), hint=x.get("hint", ""),
                   extra={k: v for k, v in x.items() if k not in _DIAG_FIELDS})
        for x in d.get("diagnostics", ())]
    year = d.get("year")
    if year is not None:
        # An integer, 2024.0 (JSON Schema counts it as an integer) or gold-style "2024".
        year = int(year.strip()) if isinstance(year, str) else int(year)
    extra = dict(d.get("extra") or {})
    # Keys outside the contract (a gold file's notes, say) are kept, not dropped.
    extra.update({k: v for k, v in d.items() if k not in _SHEET_FIELDS and k != "schema"})
    funds = d.get("funds")
    return Sheet(
        kind=d.get("kind", "department"), stage=d.get("stage", "approval"),
        title=d.get("title"), year=year, unit=d.get("unit"), supervisor=d.get("supervisor"),
        project=d.get("project"), funds=dict(funds) if funds is not None else None,
        overview=d.get("overview"), goals=list(d.get("goals", ())), functions=functions,
        indicators=[indicator_from_dict(x, f"indicators[{ii}]")
                    for ii, x in enumerate(d.get("indicators", ()))],
        diagnostics=diagnostics, extra=extra,
    )


def dumps(sheet: Sheet, *, indent: int | None = 1) -> str:
    # allow_nan=False: never write a file that strict JSON readers (and ``loads``)
    # refuse; the known number fields are made finite above, anything else
    # non-finite is a bug worth an exception.
    return json.dumps(sheet_to_dict(sheet), ensure_ascii=False, indent=indent, allow_nan=False)


def loads(text: str) -> Sheet:
    """Parse ``jixiao/sheet@1`` JSON text (``schema.parse``: depth, NaN, huge
    integers) and build the Sheet; ``ContractError`` names the path of the first
    problem."""
    return sheet_from_dict(parse(text))
