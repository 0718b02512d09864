"""The structure solver on small hand-made row sets, one phenomenon each."""
from jixiao.importers.recover.cells import FunctionLabel, Label
from jixiao.importers.recover.structure import Mark, Row, assign_function_labels, numbering_style, solve
from jixiao.model.indicator import ECON_COST, QUALITY, QUANTITY, RECIPIENT, SOCIAL


def L2(name):
    return Label(2, name, name)


def rows_of(spec):
    """spec: list of (name, value, number)."""
    return [Row(n, v, num, i) for i, (n, v, num) in enumerate(spec)]


def categories(sol):
    out = []
    for g in sol.groups:
        out += [g.category.level2] * (g.end - g.start)
    return out


BLOCK = [
    ("开展培训次数", "=12次", 1), ("发放补贴人数", "=78人", 2),
    ("培训合格率", "=100%", 1), ("资金发放准确率", "≥95%", 2),
    ("政策知晓率", "≥90%", 1), ("保障正常运转", "=100%", 2),
    ("群众满意度", "≥95%", 1),
]


def test_labels_on_top_rows():
    marks = [Mark(0, L2(QUANTITY)), Mark(2, L2(QUALITY)), Mark(4, L2(SOCIAL)), Mark(6, L2(RECIPIENT))]
    sol = solve(rows_of(BLOCK), marks)
    assert categories(sol) == [QUANTITY] * 2 + [QUALITY] * 2 + [SOCIAL] * 2 + [RECIPIENT]
    assert all(g.labelled for g in sol.groups)


def test_label_displaced_into_neighbouring_group():
    # 社会效益 printed on the last row of the 质量 group, 质量 label lost (as in the seed)
    marks = [Mark(0, L2(QUANTITY)), Mark(3, L2(SOCIAL)), Mark(6, L2(RECIPIENT))]
    sol = solve(rows_of(BLOCK), marks)
    assert categories(sol) == [QUANTITY] * 2 + [QUALITY] * 2 + [SOCIAL] * 2 + [RECIPIENT]
    assert not sol.groups[1].labelled


def test_unlabelled_effect_block_defaults_to_social():
    marks = [Mark(0, L2(QUANTITY)), Mark(2, L2(QUALITY)), Mark(6, L2(RECIPIENT))]
    spec = BLOCK[:4] + [("征兵政策家喻户晓", "≥95%", 1), ("辖区安全指数", "10%", 2)] + BLOCK[6:]
    assert categories(solve(rows_of(spec), marks))[4:6] == [SOCIAL, SOCIAL]


def test_satisfaction_names_without_label():
    sol = solve(rows_of(BLOCK), [Mark(0, L2(QUANTITY)), Mark(2, L2(QUALITY)), Mark(4, L2(SOCIAL))])
    assert categories(sol)[-1] == RECIPIENT


def test_numbering_styles():
    assert numbering_style(rows_of(BLOCK)) == "per-group"
    run_on = [(n, v, i + 1) for i, (n, v, _) in enumerate(BLOCK)]
    assert numbering_style(rows_of(run_on)) == "run-on"
    assert numbering_style(rows_of([(n, v, None) for n, v, _ in BLOCK])) == "absent"


def test_unnumbered_rows_cut_by_labels():
    spec = [(n, v, None) for n, v, _ in BLOCK]
    marks = [Mark(0, L2(QUANTITY)), Mark(2.5, L2(QUALITY)), Mark(4, L2(SOCIAL)), Mark(6, L2(RECIPIENT))]
    assert categories(solve(rows_of(spec), marks)) == \
        [QUANTITY] * 2 + [QUALITY] * 2 + [SOCIAL] * 2 + [RECIPIENT]


def test_second_function_starts_where_categories_wrap():
    spec = BLOCK + BLOCK
    marks = [Mark(0, FunctionLabel(1, "甲", "职能1: 甲")), Mark(0, L2(QUANTITY)), Mark(6, L2(RECIPIENT)),
             Mark(7, L2(QUANTITY)), Mark(13, L2(RECIPIENT)), Mark(13.5, FunctionLabel(2, "乙", "职能2: 乙"))]
    sol = solve(rows_of(spec), marks)
    assert sol.functions == [(0, 7), (7, 14)]
    labels = assign_function_labels(sol.functions, marks)
    assert [lab.description for lab in labels] == ["甲", "乙"]


def test_lost_function_label_leaves_gap():
    spans = [(0, 5), (5, 9), (9, 12)]
    marks = [Mark(0, FunctionLabel(1, "甲", "")), Mark(11.5, FunctionLabel(3, "丙", ""))]
    labels = assign_function_labels(spans, marks)
    assert labels[0].description == "甲" and labels[1] is None and labels[2].description == "丙"


def test_2021_regime_when_cost_is_level1():
    spec = [("项目总成本", "≤90万元", None), ("开展培训次数", "=12次", None), ("群众满意度", "≥95%", None)]
    marks = [Mark(0, Label(1, "成本指标", "成本指标")), Mark(0, L2(ECON_COST)), Mark(1, L2(QUANTITY)),
             Mark(2, L2(RECIPIENT))]
    sol = solve(rows_of(spec), marks)
    assert sol.regime == "2021"
    assert categories(sol) == [ECON_COST, QUANTITY, RECIPIENT]
    assert sol.groups[0].category.level1 == "成本指标"


def test_costs_opening_a_function_switch_to_the_2021_order_without_any_cost_label():
    # two functions; the first opens with costs whose 成本 labels were all lost: read
    # in the classic order they would have to be a function of their own
    costs = [("绿化养护经费", "≤223.24万元", 1), ("办公设备购置支出", "≤20万元", 2)]
    spec = costs + BLOCK + BLOCK
    marks = [Mark(2, L2(QUANTITY)), Mark(4, L2(QUALITY)), Mark(6, L2(SOCIAL)), Mark(8, L2(RECIPIENT)),
             Mark(2 + len(BLOCK), FunctionLabel(2, "职能二", "职能2"))]
    sol = solve(rows_of(spec), marks)
    assert sol.regime == "2021"
    assert categories(sol)[:2] == [ECON_COST] * 2
    assert sol.functions == [(0, 2 + len(BLOCK)), (2 + len(BLOCK), len(spec))]


def test_a_cost_row_inside_a_quantity_group_keeps_the_classic_order():
    spec = [("开展培训次数", "=12次", 1), ("享受人大补助", "=60元", 2)] + BLOCK[2:]
    marks = [Mark(0, L2(QUANTITY)), Mark(2, L2(QUALITY)), Mark(4, L2(SOCIAL)), Mark(6, L2(RECIPIENT))]
    sol = solve(rows_of(spec), marks)
    assert sol.regime == "classic"
    assert categories(sol)[:2] == [QUANTITY] * 2


def _one_function(sheet):
    """Indicators of all functions run together: scores categories, names and
    targets without the function index (one extra function early in a document of
    hundreds would shift every later index)."""
    inds = [i for f in sheet.get("functions") or [] for i in (f or {}).get("indicators") or []]
    return {**sheet, "functions": [{"indicators": inds}]}


def test_large_unnumbered_sheet_imports_as_accurately_as_a_small_one():
    """A county compilation of some 2,000 unnumbered indicators, at the hardest
    noise: the banded solver keeps the per-indicator accuracy of small sheets."""
    from generator import large_sample
    from sheet_score import score

    from jixiao.importers.formats.text import import_text
    from jixiao.model.codec import sheet_to_dict

    for size in (200, 2000):
        s = large_sample(size, 3, "tab", numbering="absent")
        pred = sheet_to_dict(import_text(s.text))
        r = score(_one_function(s.gold), _one_function(pred))
        assert r["gold"] >= size * 0.8
        assert r["f1"] >= 0.9, (size, r["f1"])
        assert abs(len(pred["functions"]) - len(s.gold["functions"])) <= max(2, len(s.gold["functions"]) // 20)


def test_numbered_text_sheet_imports_without_numpy():
    """Per-group numbering fixes the groups: the solver's plain-loop path runs, and
    a CLI call on a text file need not pay for loading numpy."""
    import subprocess
    import sys
    from pathlib import Path

    seed = Path(__file__).parent / "data" / "seed.txt"
    code = ("import sys; from jixiao.importers.formats.text import import_text; "
            f"s = import_text(open({str(seed)!r}, encoding='utf-8').read()); "
            "print(len(s.functions), 'numpy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["4", "False"]


def _labelled_functions(count, function_labels):
    """Rows of ``count`` functions of BLOCK, every 二级 printed on its group's top row,
    and the given (position, N, description) 职能N labels."""
    marks = []
    for f in range(count):
        top = 7 * f
        marks += [Mark(top, L2(QUANTITY)), Mark(top + 2, L2(QUALITY)), Mark(top + 4, L2(SOCIAL)),
                  Mark(top + 6, L2(RECIPIENT))]
    marks += [Mark(pos, FunctionLabel(n, d, f"职能{n}: {d}")) for pos, n, d in function_labels]
    return rows_of(BLOCK * count), marks


def test_text_starting_at_the_second_function_invents_no_first_one():
    # an excerpt that starts at 职能2: its label on the top, middle or bottom row of
    # its function, or printed before the next block (issue 12, "headless")
    for labels in ([(0, 2, "乙"), (7, 3, "丙")], [(3, 2, "乙"), (10, 3, "丙")],
                   [(6.5, 2, "乙"), (13, 3, "丙")], [(3, 2, "乙")]):
        rows, marks = _labelled_functions(len(labels), labels)
        sol = solve(rows, marks)
        assert sol.first_function == 1
        assert sol.functions == [(7 * f, 7 * f + 7) for f in range(len(labels))]
        found = assign_function_labels(sol.functions, marks, sol.first_function)
        assert [lab.description for lab in found] == [d for _, _, d in labels]
    rows, marks = _labelled_functions(2, [(0, 4, "丁"), (7, 5, "戊")])
    assert solve(rows, marks).first_function == 3


def test_a_lost_first_function_label_still_leaves_the_first_function():
    # 职能1's label lost, its rows present: the first printed label is 职能2 again,
    # but rows before it form a function of their own
    for labels in ([(7, 2, "乙"), (14, 3, "丙")], [(10, 2, "乙"), (17, 3, "丙")],
                   [(6.5, 2, "乙"), (13.5, 3, "丙")], [(7, 2, "乙")]):
        rows, marks = _labelled_functions(len(labels) + 1, labels)
        sol = solve(rows, marks)
        assert sol.first_function == 0
        assert len(sol.functions) == len(labels) + 1
        found = assign_function_labels(sol.functions, marks, sol.first_function)
        assert found[0] is None and [lab.description for lab in found[1:]] == [d for _, _, d in labels]
