#!/usr/bin/env python3
"""Round trip through the official forms: render -> import gives back the same sheet.

For the seed gold and ``--n`` generated sheets (tests/generator.py
``make_form_sheet``: department and project kinds x classic and 2021 regimes x the
variants plain, long texts, many functions, qualitative targets, weights, all
optional columns, names with symbols), every format of ``--formats`` is rendered
with ``jixiao.render.render``, read back with ``jixiao.importers.import_bytes``
(format detected from the content) and compared with the original:

* ``f1``: tests/sheet_score.py ``score`` of the original (as gold) against the import;
* ``header``: the header fields, exactly (``header_fields``: title, year, kind,
  stage when the title names it, unit, supervisor, project, funds, overview, goals,
  function labels and descriptions);
* ``view``: the whole form, exactly: ``build_view`` of the import equals
  ``build_view`` of the original (every cell, merge and optional column).

Prints per format: sheets, f1 = 1.000, header equal, view equal, mean f1, render
and import time; then every failure with its first difference. Exit status 1 when
any sheet fails.

    .venv/bin/python benchmarks/round_trip.py [--n 200] [--formats xlsx,docx,html,pdf] [--seed 0]
"""
from __future__ import annotations

import argparse
import random
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from generator import FORM_VARIANTS, make_form_sheet  # noqa: E402
from sheet_score import score  # noqa: E402

from jixiao.importers import import_bytes  # noqa: E402
from jixiao.model.codec import loads, sheet_to_dict  # noqa: E402
from jixiao.model.sheet import Sheet  # noqa: E402
from jixiao.render import FORMATS, render  # noqa: E402
from jixiao.render.view import build_view  # noqa: E402

KINDS = ("department", "project")
REGIMES = ("classic", "2021")
_STAGE_WORDS = (("自评", "self_evaluation"), ("评价", "self_evaluation"), ("监控", "monitoring"),
                ("批复", "approval"), ("申报", "declaration"))


# ----------------------------------------------------------------------------- sheets

def seed_sheet() -> Sheet:
    return loads((ROOT / "tests/data/seed.gold.json").read_text(encoding="utf-8"))


def form_sheet(i: int, seed: int = 0) -> tuple[str, Sheet]:
    """The ``i``-th generated sheet of a run: kinds alternate, then regimes, then
    variants, so any 28 consecutive sheets hold every combination."""
    kind, regime = KINDS[i % 2], REGIMES[i // 2 % 2]
    variant = FORM_VARIANTS[i // 4 % len(FORM_VARIANTS)]
    rng = random.Random(f"jixiao-round-trip:{seed}:{i}")
    return f"{seed}:{i}:{kind}-{regime}-{variant}", make_form_sheet(rng, kind=kind, regime=regime,
                                                                     variant=variant)


def form_sheets(n: int, seed: int = 0, *, with_seed: bool = True) -> list[tuple[str, Sheet]]:
    return ([("seed", seed_sheet())] if with_seed else []) + [form_sheet(i, seed) for i in range(n)]


# --------------------------------------------------------------------------- compare

def _stage_named(title: str) -> str | None:
    return next((stage for word, stage in _STAGE_WORDS if word in title), None)


def header_fields(sheet: Sheet, title: str) -> dict:
    """What the form's header shows of ``sheet``; ``title`` is the form's title."""
    fields = {"title": title, "year": sheet.year, "kind": sheet.kind}
    if _stage_named(title):
        fields["stage"] = sheet.stage
    fields.update(unit=sheet.unit, supervisor=sheet.supervisor, goals=list(sheet.goals))
    if sheet.kind == "project":
        fields.update(project=sheet.project, funds=sheet.funds or None)
    else:
        fields.update(overview=sheet.overview,
                      functions=[(f.label, f.description) for f in sheet.functions])
    return fields


def first_difference(want, got, where: str = "") -> str | None:
    """A short description of the first place ``got`` differs from ``want``."""
    if want == got:
        return None
    if isinstance(want, dict) and isinstance(got, dict):
        for key in list(want) + [k for k in got if k not in want]:
            d = first_difference(want.get(key), got.get(key), f"{where}.{key}" if where else str(key))
            if d:
                return d
    if isinstance(want, (list, tuple)) and isinstance(got, (list, tuple)):
        for k, (a, b) in enumerate(zip(want, got)):
            d = first_difference(a, b, f"{where}[{k}]")
            if d:
                return d
        if len(want) != len(got):
            return f"{where}: {len(want)} items expected, {len(got)} read"
    if hasattr(want, "__dataclass_fields__") and type(want) is type(got):
        return first_difference({k: getattr(want, k) for k in want.__dataclass_fields__},
                                {k: getattr(got, k) for k in got.__dataclass_fields__}, where)
    if isinstance(want, str) and isinstance(got, str):
        k = next((k for k, (a, b) in enumerate(zip(want, got)) if a != b), min(len(want), len(got)))
        cut = max(0, k - 12)
        more = "…" if cut else ""
        return (f"{where}: from character {k}, expected {more}{_short(want[cut:])}, "
                f"read {more}{_short(got[cut:])}")
    return f"{where}: expected {_short(want)}, read {_short(got)}"


def _short(v, limit: int = 70) -> str:
    s = repr(v)
    return s if len(s) <= limit else s[:limit] + "…"


@dataclass(slots=True)
class Result:
    sheet_id: str
    fmt: str
    f1: float = 0.0
    header: str | None = "not read"   # first difference of the header fields, None when equal
    view: str | None = "not read"     # first difference of the whole form, None when equal
    indicators: str | None = None     # first indicator difference when f1 < 1
    error: str | None = None
    render_s: float = 0.0
    import_s: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None and self.f1 == 1.0 and self.header is None and self.view is None


def _indicator_difference(gold: dict, pred: dict) -> str | None:
    def rows(d):
        return [(fi, i["level1"], i["level2"], i["name"], (i["target"] or {}).get("text"))
                for fi, f in enumerate(d["functions"]) for i in f["indicators"]] + \
               [(None, i["level1"], i["level2"], i["name"], (i["target"] or {}).get("text"))
                for i in d["indicators"]]
    return first_difference(rows(gold), rows(pred), "indicators")


def round_trip(sheet_id: str, sheet: Sheet, fmt: str) -> Result:
    res = Result(sheet_id, fmt)
    t0 = time.perf_counter()
    data = render(sheet, fmt)
    t1 = time.perf_counter()
    try:
        back = import_bytes(data, path=f"{sheet_id}.{fmt}")
    except Exception as e:  # noqa: BLE001 - reported as a failure, not raised
        res.error = f"{type(e).__name__}: {e}"
        res.render_s = t1 - t0
        return res
    t2 = time.perf_counter()
    res.render_s, res.import_s = t1 - t0, t2 - t1
    gold, pred = sheet_to_dict(sheet), sheet_to_dict(back)
    res.f1 = score(gold, pred)["f1"]
    if res.f1 < 1.0:
        res.indicators = _indicator_difference(gold, pred)
    want_view, got_view = build_view(sheet), build_view(back)
    res.header = first_difference(header_fields(sheet, want_view.title), header_fields(back, back.title or ""))
    res.view = first_difference(want_view, got_view, "view")
    return res


# ------------------------------------------------------------------------------- run

@dataclass(slots=True)
class Totals:
    results: list[Result] = field(default_factory=list)

    def line(self, fmt: str) -> str:
        rs = self.results
        n = len(rs)
        f1_ok = sum(r.f1 == 1.0 for r in rs)
        header_ok = sum(r.header is None for r in rs)
        view_ok = sum(r.view is None for r in rs)
        mean = sum(r.f1 for r in rs) / n if n else 0.0
        render_s, import_s = sum(r.render_s for r in rs), sum(r.import_s for r in rs)
        return (f"| {fmt} | {n} | {f1_ok} | {header_ok} | {view_ok} | {mean:.4f} | "
                f"{render_s:.1f} s | {import_s:.1f} s | {1000 * import_s / max(n, 1):.0f} ms |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="generated sheets per format (plus the seed)")
    parser.add_argument("--formats", default=",".join(FORMATS),
                        help=f"comma-separated, from {', '.join(FORMATS)}")
    parser.add_argument("--seed", type=int, default=0, help="generator seed of the run")
    parser.add_argument("--only", default=None, help="regular expression on the sheet ids to run")
    parser.add_argument("--quiet", action="store_true", help="do not list the failures")
    args = parser.parse_args()
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        parser.error(f"unknown formats {unknown}; choose from {', '.join(FORMATS)}")
    sheets = form_sheets(args.n, args.seed)
    if args.only:
        sheets = [(sid, s) for sid, s in sheets if re.search(args.only, sid)]
    kinds = {k: sum(s.kind == k for _, s in sheets) for k in KINDS}
    print(f"{len(sheets)} sheets (seed gold + {args.n} generated, generator seed {args.seed}): "
          f"{kinds['department']} department, {kinds['project']} project; "
          f"{sum(len(s.all_indicators()) for _, s in sheets)} indicators")
    print()
    print("| format | sheets | f1 = 1.000 | header equal | view equal | mean f1 | render | import | import/sheet |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    failures: list[Result] = []
    for fmt in formats:
        totals = Totals()
        for sheet_id, sheet in sheets:
            res = round_trip(sheet_id, sheet, fmt)
            totals.results.append(res)
            if not res.ok:
                failures.append(res)
        print(totals.line(fmt), flush=True)
    if failures and not args.quiet:
        print(f"\n{len(failures)} failures:")
        for r in failures:
            first = r.error or r.indicators or r.header or r.view
            print(f"  {r.fmt:<5} {r.sheet_id:<40} f1={r.f1:.3f}  {first}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
