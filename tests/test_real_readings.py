"""The hand readings of real excerpts in tests/data/real (issue 12) are well-formed
jixiao/sheet@1 documents in the shape of the shared gold files. No importer F1 is
asserted here: the figures are in docs/benchmarks.md ("Import: real excerpts"),
produced by benchmarks/corpus.py. The raw texts live in ../shared (not in this
repository); the test that needs them is skipped when that folder is absent."""
import json
import re
from pathlib import Path

import pytest
from sheet_score import score

from jixiao.model.codec import sheet_from_dict

REAL = Path(__file__).resolve().parent / "data" / "real"
RAW = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "dev" / "raw"
GOLDS = sorted(REAL.glob("*.gold.json"))
OPS = {"=", "≥", "≤", ">", "<", None}

pytestmark = pytest.mark.skipif(not GOLDS, reason="no readings in tests/data/real")


def _name(path: Path) -> str:
    return path.name.split(".")[0]


@pytest.mark.parametrize("path", GOLDS, ids=_name)
def test_reading_validates_against_the_sheet_schema(path):
    doc = json.loads(path.read_text(encoding="utf-8"))
    sheet = sheet_from_dict(doc)  # raises ContractError with the JSON path when it breaks the schema
    assert doc["schema"] == "jixiao/sheet@1"
    assert doc["functions"] == [] and sheet.indicators, "readings hold a flat, non-empty indicator list"
    assert len(sheet.indicators) == len(doc["indicators"])
    assert isinstance(doc.get("notes"), str) and doc["notes"]
    for ind in doc["indicators"]:
        assert ind["name"].strip() == ind["name"] and ind["name"]
        for key in ("target", "actual"):
            t = ind.get(key)
            if t is not None:  # objects, as the six shared readings write them
                assert isinstance(t, dict) and isinstance(t["text"], str)
                assert t["op"] in OPS and t["op_inferred"] is None
    # the reading scores 1 against itself with the contract's scorer (its shape is what score.py expects)
    assert score(doc, doc)["f1"] == 1.0


def test_readme_lists_every_reading():
    readme = (REAL / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| (\d{3}) \|", readme, re.M))
    assert listed == {_name(p) for p in GOLDS}


@pytest.mark.skipif(not RAW.exists(), reason="../shared/corpus/dev/raw is not beside the repository")
@pytest.mark.parametrize("path", GOLDS, ids=_name)
def test_reading_has_its_raw_excerpt(path):
    assert (RAW / f"{_name(path)}.txt").exists()
