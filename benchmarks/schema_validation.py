#!/usr/bin/env python3
"""Cost of checking a sheet JSON whole at the edge (jixiao/model/schema.py).

A generated department sheet of about 5,000 indicators (tests/generator.py
``large_sample``, the gold written by the codec) is imported as sheet JSON, and
each step is timed (best of ``--repeat`` runs, in-process):

* the depth pre-scan on the raw text, ``json.loads`` with the number hooks
  (NaN/Infinity, overflow, integers beyond 2^53) against plain ``json.loads``;
* the schema check (the generated predicate) and, for reference, the same
  check by the ``jsonschema`` library, which only runs for invalid documents;
* building the Sheet, and the whole ``importers.import_path`` of the file;
* a broken copy (the last indicator's name a list): parse, check and message;
* the whole ``jixiao import FILE --to json -o OUT`` command (a subprocess, wall time).

Prints a table; asserts nothing.

    .venv/bin/python benchmarks/schema_validation.py [--indicators 5000] [--repeat 5]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from generator import large_sample  # noqa: E402

from jixiao.importers import import_path  # noqa: E402
from jixiao.model import schema as S  # noqa: E402
from jixiao.model.codec import dumps, sheet_from_dict  # noqa: E402


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--indicators", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)

    sheet = sheet_from_dict(large_sample(args.indicators, 0, "tab", numbering="group").gold)
    text = dumps(sheet)
    doc = json.loads(text)
    count = len(sheet.all_indicators())
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.json"
        path.write_text(text, encoding="utf-8")
        import_path(path)  # warm-up: schema compiled, importer modules loaded

        from jsonschema import Draft202012Validator
        reference = Draft202012Validator(S.schema())

        rows = [
            ("depth pre-scan", best(lambda: S._check_depth(text), args.repeat)),
            ("json.loads (plain)", best(lambda: json.loads(text), args.repeat)),
            ("schema.parse (pre-scan + hooked json.loads)", best(lambda: S.parse(text), args.repeat)),
            ("schema check (generated predicate)", best(lambda: S.validate(doc), args.repeat)),
            ("same check by jsonschema (reference only)", best(lambda: reference.is_valid(doc), 1)),
            ("Sheet built (sheet_from_dict, check included)", best(lambda: sheet_from_dict(doc), args.repeat)),
            ("import_path (read, decode, parse, check, build)", best(lambda: import_path(path), args.repeat)),
        ]
        broken = json.loads(text)
        last = broken["functions"][-1]["indicators"][-1] if broken["functions"] else broken["indicators"][-1]
        last["name"] = ["x"]
        broken_text = json.dumps(broken, ensure_ascii=False)

        def refuse():
            try:
                S.validate(S.parse(broken_text))
            except S.ContractError:
                return
            raise AssertionError("the broken document was accepted")

        rows.append(("invalid document (last name a list): to the message", best(refuse, args.repeat)))
        out = Path(tmp) / "out.json"
        cli = [sys.executable, "-m", "jixiao", "import", str(path), "--to", "json", "-o", str(out)]
        rows.append(("jixiao import --to json -o (process, wall)",
                     best(lambda: subprocess.run(cli, check=True, capture_output=True), args.repeat)))

    edge = rows[0][1] + (rows[2][1] - rows[0][1] - rows[1][1]) + rows[3][1]
    print(f"{count} indicators, {len(text.encode('utf-8')) / 1e6:.1f} MB of JSON; best of {args.repeat}")
    print(f"{'step':50} {'ms':>8}")
    for name, seconds in rows:
        print(f"{name:50} {seconds * 1000:8.1f}")
    print(f"{'edge checks (pre-scan + hooks + schema)':50} {edge * 1000:8.1f}"
          f"   = {edge / rows[6][1]:.0%} of import_path, {edge / rows[8][1]:.0%} of the command")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
