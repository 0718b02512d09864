"""The scoring table: its plain-loop path (one atom per group) equals the array path."""
import random

import numpy as np
import pytest

from jixiao.importers.recover.cells import Label
from jixiao.importers.recover.evidence import AT_TOP, WANDERING, SegmentTable
from jixiao.importers.recover.structure import Mark, Row
from jixiao.model.indicator import CLASSIC, LEVEL2_OF, REGIME_2021

NAMES = ["培训人次", "验收合格率", "资金拨付及时率", "项目总成本", "带动增收", "政策知晓率",
         "森林覆盖率", "长效机制", "群众满意度", "日常办公正常运转"]
VALUES = ["≥500人次", "=100%", "12月31日前", "≤90万元", "≥6万元", "效果明显", None]


def _case(rng):
    n = rng.randint(3, 25)
    rows = [Row(rng.choice(NAMES), rng.choice(VALUES), None, i) for i in range(n)]
    names = [(1, l1) for l1 in LEVEL2_OF] + [(2, l2) for l2s in LEVEL2_OF.values() for l2 in l2s]
    marks = []
    for _ in range(rng.randint(0, 12)):
        level, name = rng.choice(names)
        marks.append(Mark(rng.randrange(2 * n) / 2 - 0.5, Label(level, name, name)))
    cuts = sorted(set([0, n] + rng.sample(range(1, n), rng.randint(0, n - 1))))
    return rows, marks, cuts


@pytest.mark.parametrize("model", [WANDERING, AT_TOP])
@pytest.mark.parametrize("cats", [CLASSIC, REGIME_2021])
def test_atom_path_equals_array_path(model, cats):
    rng = random.Random(7)
    for _ in range(60):
        rows, marks, cuts = _case(rng)
        loops = SegmentTable(rows, marks, cats, cuts, 1, model)
        arrays = SegmentTable(rows, marks, cats, cuts, 2, model)  # width 2 takes the array path
        if arrays.width == 1:
            continue  # a single atom: both calls took the loop path
        assert np.allclose(np.asarray(loops.atom_score), arrays.score[:, 0, :])
        assert (np.asarray(loops.atom_near) == arrays.near[:, 0, :]).all()


@pytest.mark.parametrize("model", [WANDERING, AT_TOP])
def test_banded_table_equals_unbanded(model, monkeypatch):
    """Scoring chunks of atoms against the labels within their reach gives the table
    that scoring every atom against every label gives (the banding drops no evidence)."""
    import jixiao.importers.recover.evidence as evidence

    rng = random.Random(11)
    for _ in range(30):
        n = rng.randint(20, 160)
        rows = [Row(rng.choice(NAMES), rng.choice(VALUES), None, i) for i in range(n)]
        names = [(1, l1) for l1 in LEVEL2_OF] + [(2, l2) for l2s in LEVEL2_OF.values() for l2 in l2s]
        marks = [Mark(rng.randrange(2 * n) / 2 - 0.5, Label(level, name, name))
                 for level, name in (rng.choice(names) for _ in range(rng.randint(0, n // 2)))]
        cuts = list(range(n + 1))
        monkeypatch.setattr(evidence, "_CHUNK", rng.choice([1, 3, 8, 16]))
        banded = SegmentTable(rows, marks, CLASSIC, cuts, 10, model)
        monkeypatch.setattr(evidence, "_CHUNK", 10**9)
        whole = SegmentTable(rows, marks, CLASSIC, cuts, 10, model)
        finite = np.isfinite(whole.score)
        assert (finite == np.isfinite(banded.score)).all()
        assert np.allclose(whole.score[finite], banded.score[finite])
        assert (whole.near == banded.near).all()
