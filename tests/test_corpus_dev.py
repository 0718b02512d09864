"""The real excerpts with expert readings in ../shared/corpus/dev/gold (skipped when
the shared folder is absent). The figures per file are in docs/benchmarks.md; these
floors keep them from sliding back."""
import json
from pathlib import Path

import pytest
from sheet_score import score

from jixiao.importers.formats.text import import_text
from jixiao.model.codec import sheet_to_dict

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "dev"
FLOORS = {"001": 1.0, "005": 1.0, "009": 1.0, "013": 1.0, "016": 1.0, "034": 0.85}


def _document(raw: str) -> str:
    """Drop the corpus file's own metadata lines (source:, kind:), not part of the text."""
    lines = raw.split("\n")
    while lines and (lines[0].startswith(("source:", "kind:")) or not lines[0].strip()):
        lines.pop(0)
    return "\n".join(lines)


@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus/dev is not beside the repository")
@pytest.mark.parametrize("name", sorted(FLOORS))
def test_real_excerpt(name):
    gold = json.loads((CORPUS / "gold" / f"{name}.json").read_text(encoding="utf-8"))
    text = _document((CORPUS / "raw" / f"{name}.txt").read_text(encoding="utf-8"))
    result = score(gold, sheet_to_dict(import_text(text)))
    assert result["f1"] >= FLOORS[name]
    assert result["meta"].get("year", True)
