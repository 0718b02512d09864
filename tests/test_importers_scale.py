"""Large documents keep the accuracy of small ones (issue 10, item 6).

F1 compares each indicator's function *index*: one function too many early in a
document of hundreds and one too few far later shift every function between them.
The 职能N labels' numbers tell where the functions are, not only how many
(structure._steer_locally; without numbering, where a label lies far from its
function, the function index is carried in the solver's state: _Dp.run_indexed);
these sheets lost their function index at 5,000 indicators before it (tab,
per-group numbering, noise 3: 0.56; tab, unnumbered, noise 0: 0.87; unnumbered,
noise 3, layout text: 0.67).
"""
from __future__ import annotations

import pytest

from jixiao.importers.recover import structure
from jixiao.importers.recover.cells import FunctionLabel
from jixiao.importers.recover.structure import Mark, Row, _label_offsets


def _f1(size: int, noise: int, layout: str, numbering: str) -> tuple[float, int]:
    from generator import large_sample
    from sheet_score import score

    from jixiao.importers.formats.text import import_text
    from jixiao.model.codec import sheet_to_dict

    s = large_sample(size, noise, layout, numbering=numbering)
    pred = sheet_to_dict(import_text(s.text))
    return score(s.gold, pred)["f1"], len(pred["functions"]) - len(s.gold["functions"])


@pytest.mark.slow
@pytest.mark.parametrize("noise,numbering,layout", [(3, "group", "tab"), (0, "absent", "tab"),
                                                    (3, "absent", "layout")])
def test_function_index_holds_at_5000_indicators(noise, numbering, layout):
    small, _ = _f1(500, noise, layout, numbering)
    large, extra = _f1(5000, noise, layout, numbering)
    assert large >= small - 0.01, (small, large, extra)
    assert extra == 0


def test_label_offsets_find_where_a_function_is_too_many():
    """Labels 职能1..5 on the top rows of functions of four rows; the solution has an
    extra function between labels 2 and 3: from label 3 on, each label lies in the
    function after its own."""
    firsts = [0, 4, 6, 8, 12, 16]  # the extra one starts at 6
    seq = [(0.0, 1), (4.0, 2), (8.0, 3), (12.0, 4), (16.0, 5)]
    _, offsets = _label_offsets(seq, firsts, 20)
    assert offsets == [0, 0, 1, 1, 1]
    _, offsets = _label_offsets(seq, [0, 4, 8, 12, 16], 20)
    assert offsets == [0, 0, 0, 0, 0]


def test_a_displaced_label_alone_is_not_an_error():
    """One label printed two rows below its function (as PDF text does) changes no offset."""
    seq = [(0.0, 1), (4.0, 2), (10.0, 3), (12.0, 4), (16.0, 5)]
    _, offsets = _label_offsets(seq, [0, 4, 8, 12, 16], 20)
    assert offsets == [0, 0, 0, 0, 0]


def test_local_steering_moves_a_boundary_to_its_label(monkeypatch):
    """Unnumbered rows, thirty functions of the same four groups, each label on its
    function's top row: the steered solution keeps every function where its label is."""
    names = ["开展培训期数", "发放补贴人数", "资金拨付及时率", "群众满意度"]
    values = ["≥10期", "≥100人", "100%", "≥90%"]
    rows, marks = [], []
    for f in range(30):
        marks.append(Mark(float(len(rows)), FunctionLabel(f + 1, f"职能描述{f + 1}", f"职能{f + 1}")))
        for name, value in zip(names, values):
            rows.append(Row(name, value))
    sol = structure.solve(rows, marks)
    assert [a for a, _ in sol.functions] == list(range(0, 120, 4))


def test_consistent_labels_drop_a_number_out_of_order():
    """A misread or repeated 职能N says nothing of the index: the longest run of
    increasing numbers in row order is kept."""
    seq = [(0.0, 1), (5.0, 2), (9.0, 40), (12.0, 3), (16.0, 3), (20.0, 4)]
    kept = structure._consistent_labels(seq)
    assert [n for _, n in kept] == [1, 2, 3, 4]
    assert kept[0] == (0.0, 1) and kept[-1] == (20.0, 4)


def test_index_band_covers_the_labels_index():
    """Each boundary's band of function indices holds the index the labels imply."""
    seq = [(float(4 * f + 1), f + 1) for f in range(50)]  # 职能N on the second row of function N
    base = structure._index_band(seq, list(range(200)), structure.INDEX_BAND, [r // 4 for r in range(200)])
    assert base == sorted(base)
    for r in range(200):
        assert base[r] <= r // 4 < base[r] + structure.INDEX_BAND


def test_indexed_solution_puts_each_function_at_its_label(monkeypatch):
    """Unnumbered rows, thirty functions of the same four groups, each label printed
    on the row after its function (as a PDF prints a description below its block):
    with the function index in the solver's state, every function is where its
    label's number says."""
    monkeypatch.setattr(structure, "_unexplained", lambda *a: True)  # always the indexed pass
    names = ["开展培训期数", "发放补贴人数", "资金拨付及时率", "群众满意度"]
    values = ["≥10期", "≥100人", "100%", "≥90%"]
    rows, marks = [], []
    for f in range(30):
        for name, value in zip(names, values):
            rows.append(Row(name, value))
        marks.append(Mark(float(len(rows)), FunctionLabel(f + 1, f"职能描述{f + 1}", f"职能{f + 1}")))
    sol = structure.solve(rows, marks)
    assert [a for a, _ in sol.functions] == list(range(0, 120, 4))
