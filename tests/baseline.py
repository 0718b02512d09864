"""The naive baseline importer: what the obvious approach gets on garbled text.

``naive_import(text) -> dict`` (interchange shape, ``jixiao/sheet@1``):

* split each line into cells — on tabs, or on runs of 2+ spaces (``pdftotext -layout``);
* a row's last cell is the 指标值, the text cell before it the 三级 name (``指标N:`` skipped);
* 一级 / 二级 / ``职能N:`` labels are filled forward from the row where they are printed;
  a new function starts where a ``职能N`` label is printed.

For layout text it also uses the column positions of the table header (to tell the
function column from the name column) and joins wrapped lines: a name fragment on a
line without a value goes to the indicator above when that one's last fragment filled
the column, otherwise to the next one. Nothing else — no numbering, no canonical
order, no name cues. It exists to measure how much of the garbling a real importer
must undo (``tests/test_accuracy.py``, ``benchmarks/accuracy.py``).
"""
from __future__ import annotations

import re
import unicodedata

from jixiao.model.codec import target_to_dict
from jixiao.model.indicator import normalize_level1, normalize_level2
from jixiao.model.target import parse_target

_NUM = re.compile(r"指标\s*\d+\s*[:：]?")
_FUNC = re.compile(r"^(职能\s*\d+)\s*[:：]?\s*(.*)$")
_FOOTER = re.compile(r"^(第\s*\d+\s*页.*|[—\-]\s*\d+\s*[—\-]|\d+\s*/\s*\d+)$")
_TAGS = re.compile(r"</?p>")
_L1_NAMES = {"产出指标", "效益指标", "满意度指标", "成本指标"}


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _cells(line: str) -> list[tuple[int, str]]:
    """(display column, text) of each cell."""
    if "\t" in line:
        return [(i, c.strip()) for i, c in enumerate(line.split("\t")) if c.strip()]
    out = []
    for m in re.finditer(r"\S+(?: \S+)*", line):
        out.append((_width(line[:m.start()]), m.group()))
    return out


def _level(text: str) -> tuple[str | None, str | None]:
    """(一级, 二级) a label cell names; a bare 满意度指标 / 成本指标 reads as 一级."""
    t = re.sub(r"\s+", "", text)
    if t in _L1_NAMES:
        return normalize_level1(t), None
    l2 = normalize_level2(t) if t.endswith("指标") else None
    if l2:
        return None, l2
    l1 = normalize_level1(t) if t.endswith("指标") else None
    return l1, None


def _header(lines: list[str]) -> dict:
    text = "\n".join(lines)
    out: dict = {"title": None, "year": None, "unit": None, "supervisor": None, "project": None, "goals": []}
    for ln in lines:
        if ln.strip():
            out["title"] = ln.strip().strip("*").strip()
            break
    m = re.search(r"(20\d\d)\s*年", text)
    out["year"] = int(m.group(1)) if m else None
    for ln in lines:
        cells = [c for _, c in _cells(ln)]
        for i, c in enumerate(cells[:-1]):
            key = c.replace(" ", "")
            if key in ("部门(单位)名称", "实施单位") or (key == "主管部门" and out["unit"] is None):
                out["unit"] = cells[i + 1]
            if key == "主管部门":
                out["supervisor"] = cells[i + 1]
            if key == "项目名称":
                out["project"] = cells[i + 1]
    m = re.search(r"(年度(?:整体|总体)?(?:绩效)?目标)(.*)", text, re.S)
    if m:
        body = re.sub(r"\s*\n\s*", "", _TAGS.sub(" ", m.group(2).split("核心职能")[0]))
        parts = re.split(r"目标\s*\d+\s*[:：]\s*", body)
        out["goals"] = [p.strip() for p in parts[1:] if p.strip()]
    return out


def naive_import(text: str) -> dict:
    lines = text.replace("\f", "\n").split("\n")
    head_at = next((i for i, ln in enumerate(lines) if "一级指标" in ln and "三级指标" in ln), None)
    if head_at is None:
        return {"schema": "jixiao/sheet@1", "kind": "project", "functions": [], "indicators": []}
    meta = _header(lines[:head_at])
    dept = any("核心职能" in ln for ln in lines[:head_at + 1])
    layout = "\t" not in lines[head_at]
    hx = dict((c, x) for x, c in _cells(lines[head_at]))
    l1_x = hx.get("一级指标", 0)
    l2_x = hx.get("二级指标", 0)
    name_x = hx.get("三级指标", 0)
    value_x = hx.get("指标值", 10 ** 6)

    functions: list[dict] = []
    flat: list[dict] = []
    cur_l1 = cur_l2 = None
    inds: list[dict] = []           # every indicator in order, with its fragments
    pending: list[str] = []         # name fragments waiting for their row (layout)
    frag_w = [0]

    def cur_func() -> dict:
        if not functions:
            functions.append({"label": "职能1", "description": None, "indicators": []})
        return functions[-1]

    rows = []
    for ln in lines[head_at + 1:]:
        s = ln.strip()
        if not s or _FOOTER.match(s) or ("一级指标" in s and "三级指标" in s) or s.startswith("核心职能"):
            continue
        rows.append(_cells(ln))
    if layout:  # width of the name column, to tell a continued name from a new one
        frag_w[0] = max([_width(c) for r in rows for x, c in r if name_x <= x < value_x - 1
                         and not _NUM.fullmatch(c)] or [0])
    for cells in rows:
        labels: list[tuple[int, str, tuple]] = []
        rest: list[tuple[int, str]] = []
        for x, c in cells:
            m = _FUNC.match(c)
            if m and (not layout or x < l1_x):
                functions.append({"label": m.group(1).replace(" ", ""), "description": m.group(2) or None,
                                  "indicators": []})
                continue
            if _NUM.fullmatch(c):
                continue
            lv = _level(c)
            if lv != (None, None):
                labels.append((x, c, lv))
                continue
            if layout and x < l1_x - 1:
                if functions:  # a description line
                    fn = functions[-1]
                    fn["description"] = (fn["description"] or "") + c
                continue
            rest.append((x, c))
        if len(labels) >= 2:  # 一级 then 二级
            cur_l1 = normalize_level1(labels[0][1]) or cur_l1
            cur_l2 = normalize_level2(labels[1][1]) or cur_l2
        elif labels:
            x, c, (l1, l2) = labels[0]
            if layout:  # the column says which
                l1, l2 = (normalize_level1(c), None) if x < l2_x - 1 else (None, normalize_level2(c))
            cur_l1, cur_l2 = l1 or cur_l1, l2 or cur_l2
        if layout:
            value = rest[-1][1] if rest and rest[-1][0] >= value_x - 1 else None
            names = [c for x, c in rest if x < value_x - 1]
            if value is None:
                if names:
                    prev = inds[-1] if inds else None
                    if prev is not None and not pending and _width(prev["_last"]) >= frag_w[0] - 2:
                        prev["name"] += names[-1]
                        prev["_last"] = names[-1]
                    else:
                        pending.append(names[-1])
                continue
            name = "".join(pending) + (names[-1] if names else "")
            pending = []
            last = names[-1] if names else ""
        else:
            if len(rest) < 2:
                continue
            name, value, last = rest[-2][1], rest[-1][1], rest[-2][1]
        ind = {"level1": cur_l1, "level2": cur_l2, "name": name, "target": value, "_last": last}
        inds.append(ind)
        (cur_func()["indicators"] if dept else flat).append(ind)
    for ind in inds:
        ind.pop("_last")
        ind["target"] = target_to_dict(parse_target(ind["target"]))
    return {"schema": "jixiao/sheet@1", "kind": "department" if dept else "project", "stage": "approval",
            **meta, "functions": functions if dept else [], "indicators": flat, "diagnostics": [], "extra": {}}
