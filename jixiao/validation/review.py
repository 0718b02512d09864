"""The review set: sheets read by a reviewer, with the findings a reviewer raises
(``expected``), the ones a reviewer would call noise (``noise``) and the ones that are
fair but not asked for (``tolerated``). ``measure`` runs the checker over them and
counts, per rule and overall:

* recall — expected problems the checker found (at any severity);
* precision — warning and error findings that match an expected problem, out of all
  warning and error findings except tolerated ones (an unlisted finding counts
  against precision: the reviewer did not raise it);
* blocking noise — error findings not matched to a problem the reviewer marked
  ``"block": true``.

A review file is JSON: ``{"title", "sheet": {...}}`` or ``{"title", "source":
"dev:005"}`` (a reading in ../shared/corpus/dev/gold, skipped when absent), with
``"incomplete": true`` to add the importer's truncation diagnostic, ``"previous"``
for a sheet to compare against, and the three lists of ``{"code": [...], "where":
"indicators[3]"}`` (``where`` matches a finding's path or its prefix).

    python -m jixiao.validation.review tests/data/review            # print the figures
    python -m jixiao.validation.review tests/data/review --write    # and store them in figures.json

``figures.json`` is what docs/rules.md prints (the catalogue must not depend on
../shared being present); tests/test_validation_review.py checks it is current.
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model.codec import sheet_from_dict
from ..model.sheet import Diagnostic
from .context import TABLE_INCOMPLETE
from .engine import run

SHARED_GOLD = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "dev" / "gold"


@dataclass
class Figures:
    sheets: int = 0
    expected: int = 0
    found: int = 0
    flagged: int = 0            # warning and error findings, tolerated ones left out
    right: int = 0              # of those, matching an expected problem
    blocking_noise: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    per_rule: dict[str, Counter] = field(default_factory=dict)   # rule -> expected/found/flagged/right

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.right / self.flagged if self.flagged else 1.0


def _codes(entry: dict[str, Any]) -> list[str]:
    c = entry["code"]
    return [c] if isinstance(c, str) else list(c)


def _matches(d: Diagnostic, entry: dict[str, Any]) -> bool:
    where = entry.get("where", "")
    return d.code in _codes(entry) and (d.where == where or d.where.startswith(where + ".")
                                        or d.where.startswith(where + "[") or not where)


def load(path: Path) -> dict[str, Any] | None:
    """A review entry with its sheet dict resolved; None when its source is absent."""
    entry = json.loads(path.read_text("utf-8"))
    sheet = entry.get("sheet")
    source = entry.get("source", "")
    if sheet is None and source.startswith("dev:"):
        gold = SHARED_GOLD / f"{source[4:]}.json"
        if not gold.exists():
            return None
        sheet = json.loads(gold.read_text("utf-8"))
    elif sheet is None and source:
        sheet = json.loads((path.parent / source).read_text("utf-8"))
    sheet = {k: v for k, v in sheet.items() if k not in ("notes", "unit_alternatives")}
    sheet.update(entry.get("overlay", {}))
    if entry.get("incomplete"):
        sheet["diagnostics"] = [*sheet.get("diagnostics", []),
                                {"code": TABLE_INCOMPLETE, "severity": "warning", "where": "indicators",
                                 "message": "原文在表格中途截断"}]
    entry["sheet"] = sheet
    return entry


def measure(directory: Path) -> Figures:
    fig = Figures()
    for path in sorted(directory.glob("*.json")):
        if path.name == "figures.json":
            continue
        entry = load(path)
        if entry is None:
            continue
        fig.sheets += 1
        prev = entry.get("previous")
        report = run(sheet_from_dict(entry["sheet"]), previous=sheet_from_dict(prev) if prev else None)
        expected = entry.get("expected", [])
        tolerated = entry.get("tolerated", [])
        for e in expected:
            hit = any(_matches(d, e) for d in report.findings)
            fig.expected += 1
            fig.found += hit
            key = _codes(e)[0]
            c = fig.per_rule.setdefault(key, Counter())
            c["expected"] += 1
            c["found"] += hit
            if not hit:
                fig.missed.append(f"{path.stem}: {'/'.join(_codes(e))} {e.get('where', '')}")
        for d in report.findings:
            e = next((e for e in expected if _matches(d, e)), None)
            if d.severity == "error" and not (e and e.get("block")):
                fig.blocking_noise.append(f"{path.stem}: {d.code} {d.where} {d.message}")
            if d.severity == "info" or (e is None and any(_matches(d, t) for t in tolerated)):
                continue
            c = fig.per_rule.setdefault(d.code, Counter())
            c["flagged"] += 1
            fig.flagged += 1
            if e is not None:
                c["right"] += 1
                fig.right += 1
            else:
                fig.wrong.append(f"{path.stem}: {d.code} {d.where} {d.message}")
    return fig


def table(fig: Figures) -> list[str]:
    """Per-rule figures as Markdown rows (rule, expected, found, recall, flagged, right, precision)."""
    rows = ["| 规则 | 应发现 | 已发现 | 查全率 | 报出 (警告/错误) | 其中正确 | 查准率 |", "|---|---|---|---|---|---|---|"]
    for rule_id in sorted(fig.per_rule, key=_rule_order):
        c = fig.per_rule[rule_id]
        rec = f"{c['found'] / c['expected']:.2f}" if c["expected"] else "—"
        pre = f"{c['right'] / c['flagged']:.2f}" if c["flagged"] else "—"
        rows.append(f"| {rule_id} | {c['expected']} | {c['found']} | {rec} | {c['flagged']} | {c['right']} | {pre} |")
    rows.append(f"| 合计 | {fig.expected} | {fig.found} | {fig.recall:.2f} | {fig.flagged} | {fig.right} | "
                f"{fig.precision:.2f} |")
    return rows


def _rule_order(rule_id: str) -> tuple:
    from .registry import all_rules
    order = {r.id: n for n, r in enumerate(all_rules())}
    return (order.get(rule_id, 999), rule_id)


def summary(fig: Figures) -> dict[str, Any]:
    return {"sheets": fig.sheets, "expected": fig.expected, "found": fig.found, "flagged": fig.flagged,
            "right": fig.right, "recall": round(fig.recall, 3), "precision": round(fig.precision, 3),
            "blocking_noise": len(fig.blocking_noise), "rows": table(fig)}


def main(argv: list[str]) -> None:
    args = [a for a in argv if not a.startswith("--")]
    directory = Path(args[0]) if args else Path("tests/data/review")
    fig = measure(directory)
    if "--write" in argv:
        (directory / "figures.json").write_text(json.dumps(summary(fig), ensure_ascii=False, indent=1) + "\n",
                                                encoding="utf-8")
    print("\n".join(table(fig)))
    print(f"\n{fig.sheets} 张表; 查全率 {fig.recall:.3f}, 查准率 {fig.precision:.3f}, 不应有的错误 {len(fig.blocking_noise)}")
    for label, items in (("漏报", fig.missed), ("误报", fig.wrong), ("不应有的错误", fig.blocking_noise)):
        for x in items:
            print(f"{label}: {x}")


if __name__ == "__main__":
    main(sys.argv[1:])
