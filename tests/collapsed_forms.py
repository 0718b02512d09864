"""Forms whose whitespace was lost: the whole table one run of text (a generator).

``collapse`` prints a generated sheet as such a page would: the header fields and
the column titles run together, then every row's cells joined without a
separator, 一级/二级 labels only on the first row of their block (with a subtotal
such as 产出指标(50分) now and then), in one of several column orders
(``LAYOUTS``, their titles ``HEADINGS``), with weights, actual values and scores
filled in as a self-evaluation has them (``fill_self_evaluation``). Used by
tests/test_importers_collapsed.py, the ``collapsed`` phenomenon of
tests/generator.py and benchmarks/corpus.py.
"""
from __future__ import annotations

import random
import re

from jixiao.model.sheet import Sheet
from jixiao.model.target import parse_target

__all__ = ["LAYOUTS", "HEADINGS", "ROW_START", "fill_self_evaluation", "collapse"]

# columns after 三级指标, as real forms order them (domain.md §6)
LAYOUTS = {
    "declaration": ["target"],
    "self_eval": ["target", "actual", "weight", "score", "reason"],
    "weight_first": ["weight", "target", "actual", "score", "reason"],
    "split_target": ["op", "value", "unit", "weight"],
    "weighted": ["target", "weight"],
    "explained": ["explanation", "target"],
    "monitoring": ["target", "actual", "reason"],
    # one value column per town (a provincial fund split between townships), the operator in 指标方向
    "by_place": ["explanation", "direction", "place", "place"],
}
HEADINGS = {
    "target": ["指标值", "年度指标值", "目标值", "指标值(A)"], "actual": ["实际完成值", "全年实际值", "完成值", "全年实际值(B)"],
    "weight": ["分值", "权重", "权重(%)"], "score": ["得分"],
    "reason": ["未完成原因及拟采取的改进措施", "偏差原因分析及改进措施", "未完成原因分析", "备注"],
    "op": ["指标性质"], "value": ["指标值"], "unit": ["度量单位", "计量单位"], "explanation": ["指标解释"],
    "direction": ["指标方向"],
    "place": ["笏石街道办", "埭头镇", "城关镇", "东坪乡", "西山村", "南湖街道", "北塬社区", "平海镇"],
}
_SPLIT_TARGET = re.compile(r"^(\D*?)\s*(\d[\d.,]*)\s*(.*)$")


def fill_self_evaluation(sheet: Sheet, rng: random.Random) -> dict[str, int]:
    """Weights summing to a subtotal per 一级 block (and to 100 in all), actual
    values and scores as a self-evaluation fills them; the subtotals."""
    inds = [i for _, i in sheet.all_indicators()]
    blocks: dict[str, list] = {}
    for ind in inds:
        blocks.setdefault(ind.level1, []).append(ind)
    share = {"产出指标": 50, "效益指标": 30, "满意度指标": 10, "成本指标": 10}
    subtotals = {l1: max(share.get(l1, 10), len(b)) for l1, b in blocks.items()}
    extra = 100 - sum(subtotals.values())
    if extra > 0:
        subtotals["产出指标" if "产出指标" in subtotals else next(iter(subtotals))] += extra
    for l1, block in blocks.items():
        cuts = sorted(rng.sample(range(1, subtotals[l1]), len(block) - 1)) if len(block) > 1 else []
        for ind, w in zip(block, [b - a for a, b in zip([0, *cuts], [*cuts, subtotals[l1]])]):
            ind.weight = float(w)
            r = rng.random()
            ind.score = float(w) if r < 0.7 else float(rng.randint(0, int(w))) if r < 0.85 else round(
                w * rng.uniform(0.5, 0.99), 2)
            text = ind.target.text
            r = rng.random()
            if r < 0.7 or ind.target.kind != "quantity":
                actual = text if r < 0.85 else rng.choice(["完成", "已完成", "达成预期指标"])
            else:
                m = _SPLIT_TARGET.match(text)
                actual = f"{m.group(1)}{rng.choice([1, 2, 5, 10, 12, 30, 85, 96, 100, 1200])}{m.group(3)}" if m else text
            ind.actual = parse_target(actual)
    return subtotals


def collapse(sheet: Sheet, rng: random.Random, layout: str, per_line: bool = False) -> str:
    """The sheet as one run of text, ``layout`` its columns after the name; with
    ``per_line`` each row keeps a line of its own (an XLSX shown on a web page)."""
    cols = LAYOUTS[layout]
    subtotals = fill_self_evaluation(sheet, rng) if {"weight", "actual"} & set(cols) else {}
    with_subtotals = bool(subtotals) and rng.random() < 0.7
    title = sheet.title or "项目支出绩效目标表"
    if subtotals and "自评" not in title:
        title = title.replace("批复表", "自评表").replace("申报表", "自评表")
    out = [rng.choice(["", "附件2", "现将绩效目标表公示如下:"]), title,
           rng.choice(["", f"({sheet.year}年度)"]) if str(sheet.year) not in title else ""]
    if sheet.kind == "department":
        out += ["部门(单位)名称", sheet.unit or "", "主管部门", sheet.supervisor or ""]
    else:
        out += ["项目名称", sheet.project or "", rng.choice(["项目负责人及电话张**1**********", ""]),
                "主管部门", sheet.supervisor or "", "实施单位", sheet.unit or ""]
    if sheet.funds:
        out += ["资金情况(万元)年度资金总额", f"{sheet.funds['total']:g}"]
    out += ["年度总体目标", "".join(sheet.goals), rng.choice(["绩效指标", ""])]
    grouped = bool(sheet.functions)
    heads = (["核心职能"] if grouped else []) + ["一级指标", "二级指标", "三级指标"]
    places = iter(rng.sample(HEADINGS["place"], cols.count("place")))
    out += heads + [next(places) if c == "place" else rng.choice(HEADINGS[c]) for c in cols]
    entries = [(fi + 1, fn.description, ind) for fi, fn in enumerate(sheet.functions) for ind in fn.indicators]
    entries += [(0, None, ind) for ind in sheet.indicators]
    last: tuple = (None, None, None)
    for fn, desc, ind in entries:
        out.append(ROW_START)
        if fn != last[0] and grouped:
            out.append(f"职能{fn}:{desc}" if desc else f"职能{fn}")
        if (fn, ind.level1) != last[:2]:
            out.append(ind.level1 + (f"({subtotals[ind.level1]}分)" if with_subtotals else ""))
        if (fn, ind.level1, ind.level2) != last:
            out.append(ind.level2)
        last = (fn, ind.level1, ind.level2)
        out.append(ind.name)
        out += [_cell(ind, c, rng) for c in cols]
    out.append(rng.choice(["", "总分100", "合计100", "注:1.一级指标分值统一设置。", "填报人:李**"]))
    text = re.sub(r"\s+", "", "".join(out))  # every space lost, inside cells too
    return text.replace(ROW_START, "\n" if per_line else "")


ROW_START = "\x00"


def _cell(ind, col: str, rng: random.Random) -> str:
    t = ind.target.text
    if col == "target":
        return t
    if col == "actual":
        return ind.actual.text
    if col in ("weight", "score"):
        v = getattr(ind, col)
        return f"{v:g}"
    if col == "explanation":
        return f"反映{ind.name}情况"
    if col == "reason":
        return "受天气影响进度滞后。" if ind.score < ind.weight and rng.random() < 0.15 else ""
    m = _SPLIT_TARGET.match(t) if ind.target.kind == "quantity" else None
    if col == "direction":  # the operator, when the target has one
        return m.group(1) if m and m.group(1) in ("≥", "≤", "=", ">", "<") else ""
    if col == "place":  # the value without its operator
        return f"{m.group(2)}{m.group(3)}" if m and m.group(1) in ("≥", "≤", "=", ">", "<") else t
    if col == "op":
        return m.group(1) if m else "定性"
    if col == "value":
        return m.group(2) if m else t
    return m.group(3) if m else ""  # unit
