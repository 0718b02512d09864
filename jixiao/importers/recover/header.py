"""Header fields above the indicator table: title, year, unit, overview, goals.

Works on cells (a line split at tabs or wide gaps): a known field name in one cell,
its value in the next non-empty cell; lines without a field name continue the
last multi-line field (a wrapped overview or goal paragraph).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

_TAGS = re.compile(r"<\s*/?\s*(?:p|br|div|span|strong|b)\b[^>]*>", re.I)
_PARAGRAPH = re.compile(r"<\s*/\s*p\s*>|<\s*br\s*/?>", re.I)
_GOAL = re.compile(r"目标\s*(\d{1,2})\s*[:：.、]\s*")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
# The form's own year line under the title, "(2024年度)": it wins over a year in the title.
_YEAR_LINE = re.compile(r"[(（]?\s*((?:19|20)\d{2})\s*年度?\s*[)）]?")
# One amount of the funds field: "年度资金总额 453 万元", "其中: 财政拨款 | 400".
_AMOUNT = re.compile(r"([^\d;；|]+?)\s*[:：]?\s*(-?\d[\d,]*(?:\.\d+)?)\s*(?:万元)?\s*[;；,，]?\s*")
_FUND_KEYS = {"年度资金总额": "total", "资金总额": "total", "年度资金": "total", "合计": "total",
              "财政拨款": "fiscal", "财政资金": "fiscal", "其中财政拨款": "fiscal",
              "其他资金": "other", "其他": "other",
              # a 自评表's or 执行监控表's budget execution (interchange.md ``funds``)
              "年初预算数": "budget_initial", "年初预算": "budget_initial", "年初预算金额": "budget_initial",
              "全年预算数": "budget", "全年预算": "budget", "调整后预算数": "budget", "调整后预算": "budget",
              "预算数": "budget", "全年预算金额": "budget",
              "全年执行数": "executed", "执行数": "executed", "实际执行数": "executed", "累计执行数": "executed",
              "全年执行": "executed", "实际支出数": "executed", "支出数": "executed"}
# A monitoring period before an execution label, 1-7月执行数, 截至6月执行数: the label is 执行数.
_PERIOD = re.compile(r"(?:截[至止]\s*)?(?:\d{1,2}\s*[-–—~～至]\s*)?\d{1,2}\s*月(?:份|末|底)?\s*(?=(?:累计)?(?:执行|支出))")
_SPACES = re.compile(r"[ \t\u3000]+")
_STAMP = re.compile(r"\((?:盖章|签章|公章)\)$")
# A page footer printed between the header and the table (a PDF whose header fills
# page 1): 第 1 页 共 3 页, 第1页/共3页, — 1 —, - 1 -. It continues no field.
_PAGE_NUMBER = re.compile(r"第\s*\d+\s*页\s*[,，/]?\s*(?:共\s*\d+\s*页)?|[-—–]\s*\d+\s*[-—–]")

# field name (spaces removed) -> attribute
FIELDS = {
    "部门(单位)名称": "unit_name", "部门名称": "unit_name", "单位名称": "unit_name",
    "预算部门": "unit_name", "预算单位": "unit_name", "填报单位": "unit_name",
    "部门(单位)": "unit_name",
    "主管部门": "supervisor", "主管单位": "supervisor", "主管部门及代码": "supervisor",
    "实施单位": "implementer", "项目单位": "implementer", "实施单位(盖章)": "implementer",
    "项目名称": "project", "项目支出名称": "project",
    "部门职能概述": "overview", "单位职能概述": "overview", "职能概述": "overview",
    "部门(单位)职责": "overview", "单位职责": "overview", "部门职责": "overview",
    "年度整体绩效目标": "goals", "年度绩效目标": "goals", "年度总体目标": "goals",
    "年度目标": "goals", "整体绩效目标": "goals", "本年度绩效目标": "goals",
    "年度总体绩效目标": "goals", "年度部门整体绩效目标": "goals", "总体目标": "goals",
    "资金情况(万元)": "funds", "资金情况": "funds", "项目资金(万元)": "funds", "项目资金": "funds",
    "资金来源(万元)": "funds",
    "项目实施单位": "implementer", "主管部门及其编码": "supervisor", "主管部门及编码": "supervisor",
    "业务主管部门": "supervisor", "主管预算部门": "supervisor", "主管部门(单位)名称": "supervisor",
    "主管部门(单位)": "supervisor",
    **{f"{level}主管部门": "supervisor" for level in ("中央", "省级", "省", "市级", "市", "州级", "县级", "县", "区级", "区",
                                                   "县(区)级", "县(市、区)级", "县(市区)")},
}
# A form for several levels names each level's 主管部门: the most local one that is
# filled in (not the template's 县(市、区)教育部门) is the sheet's.
_RANK = (("县", 4), ("区", 4), ("市", 3), ("州", 3), ("省", 2), ("中央", 1))
_TEMPLATE = re.compile(r"[(（][^()（）]*[、/][^()（）]*[)）]")
_MULTILINE = ("overview", "goals", "funds")
# Cells that open the indicator table: nothing after them continues a header field.
_TABLE_START = {"核心职能", "年度绩效指标", "绩效指标", "年度主要任务"}


@dataclass(slots=True)
class Header:
    title: str | None = None
    year: int | None = None
    unit_name: str | None = None
    supervisor: str | None = None
    implementer: str | None = None
    project: str | None = None
    overview_raw: list[str] = field(default_factory=list)
    goals_raw: list[str] = field(default_factory=list)
    funds_raw: list[str] = field(default_factory=list)

    @property
    def unit(self) -> str | None:
        return self.implementer or self.unit_name or self.supervisor

    def overview(self) -> str | None:
        return paragraphs(" ".join(self.overview_raw)) if self.overview_raw else None

    def goals(self) -> list[str]:
        return split_goals(" ".join(self.goals_raw)) if self.goals_raw else []

    def funds(self) -> dict[str, float] | None:
        return parse_funds(" ".join(self.funds_raw)) if self.funds_raw else None


def field_of(cell: str) -> str | None:
    if len(cell) > 20:  # field names are short; values are not looked up
        return None
    return _field_of(cell)


@lru_cache(maxsize=1024)
def _field_of(cell: str) -> str | None:
    key = _SPACES.sub("", cell).replace("（", "(").replace("）", ")").rstrip(":：*|")
    key = _STAMP.sub("", key.lstrip("*"))
    return FIELDS.get(key)


def parse_header(lines: list[list[str]]) -> Header:
    """``lines``: the cells of each line above the table."""
    h = Header()
    current: str | None = None
    pending: str | None = None  # a field name whose value is on the next line
    rank = 0
    pending_name = ""
    for cells in lines:
        if not cells or (len(cells) <= 6 and _PAGE_NUMBER.fullmatch(" ".join(cells))):
            continue
        cells = _split_fields(cells)
        if pending is not None and field_of(cells[0]) is None:
            if pending == "supervisor":
                rank = _put_supervisor(h, pending_name, cells[0], rank)
            else:
                _put(h, pending, cells[0])
            current, pending = pending, None
            cells = cells[1:]
            if not cells:
                continue
        pending = None
        stop = next((k for k, c in enumerate(cells) if len(c) <= 12 and _SPACES.sub("", c) in _TABLE_START), None)
        if stop is not None:  # the table opens here: only what precedes it is header
            current, cells = None, cells[:stop]
            if not cells:
                continue
        keyed = False
        i = 0
        while i < len(cells):
            attr = field_of(cells[i])
            if attr is None:
                if not keyed:  # what precedes the first field name: a title, a year
                    _title_or_year(h, cells[i])
                i += 1
                continue
            keyed = True
            value = cells[i + 1] if i + 1 < len(cells) and field_of(cells[i + 1]) is None else None
            if attr == "funds" and value is not None:
                # the amounts may fill the rest of the line: 年度资金总额 | 453 | 其中: 财政拨款 | 400 …
                end = next((k for k in range(i + 1, len(cells)) if field_of(cells[k])), len(cells))
                value = " ".join(cells[i + 1:end])
                _put(h, attr, value)
                current, i = attr, end
                continue
            current = attr
            if value is not None and attr == "supervisor":
                rank = _put_supervisor(h, cells[i], value, rank)
                i += 2
            elif value is not None:
                _put(h, attr, value)
                i += 2
            else:
                pending = attr if i == len(cells) - 1 else None
                pending_name = cells[i]
                i += 1
        if not keyed:
            text = " ".join(cells)
            if h.title is None and ("表" in text or "绩效" in text):
                h.title = _title(text)
            elif current in _MULTILINE:
                _put(h, current, text)
            if m := _YEAR_LINE.fullmatch(text.strip()):
                h.year = int(m.group(1))
            elif h.year is None and (m := _YEAR.search(text)):
                h.year = int(m.group(1))
    if h.year is None and h.title and (m := _YEAR.search(h.title)):
        h.year = int(m.group(1))
    return h


def _put_supervisor(h: Header, name: str, value: str, rank: int) -> int:
    """Keep the most local 主管部门 filled in; the rank of the one kept."""
    r = _rank(name)
    if h.supervisor is None or (r > rank and not _TEMPLATE.search(value)):
        h.supervisor = value.strip()
        return r
    return rank


def _rank(name: str) -> int:
    """How local a leveled 主管部门 field is: 县/区 4, 市/州 3, 省 2, 中央 1, unleveled 0."""
    head = name.replace(" ", "").split("主管")[0]
    return next((r for w, r in _RANK if w in head), 0)


_NOT_A_VALUE = re.compile(r"[:：]|^[(（]")  # 填报单位:(盖章) 单位:万元 — a stamp, another label
_LABELLED = re.compile(r"^\s*([^:：\s]{2,12})\s*[:：]\s*(\S.*)$")


def _split_fields(cells: list[str]) -> list[str]:
    """Cells that hold a field with its value: ``预算单位: 奉节县…`` (a colon), or a line
    of single-spaced fields and values (``主管部门 南岳镇人民政府 实施单位 [607001]…``)."""
    out: list[str] = []
    changed = False
    for cell in cells:
        m = _LABELLED.match(cell) if len(cell) <= 80 else None
        if m and field_of(m[1]) is not None and not _NOT_A_VALUE.search(m[2]):
            out += [m[1], m[2].strip()]
            changed = True
            continue
        parts = cell.split(" ")
        if 2 < len(parts) <= 8 and field_of(parts[0]) is not None and sum(field_of(p) is not None for p in parts) >= 2:
            out += [p for p in parts if p]
            changed = True
            continue
        out.append(cell)
    return out if changed else cells


def _title_or_year(h: Header, cell: str) -> None:
    if h.title is None and "表" in cell and len(cell) <= 60:
        h.title = _title(cell)
    if m := _YEAR_LINE.fullmatch(cell.strip()):
        h.year = int(m.group(1))
    elif h.year is None and (m := _YEAR.search(cell)):
        h.year = int(m.group(1))


def _title(text: str) -> str:
    return text.strip().strip("*# ").strip()


def _put(h: Header, attr: str, value: str) -> None:
    if attr in _MULTILINE:
        getattr(h, f"{attr}_raw").append(value)
    elif getattr(h, attr) is None:
        setattr(h, attr, value.strip())


def paragraphs(raw: str) -> str | None:
    """HTML-ish overview text -> plain paragraphs separated by newlines."""
    if "<" not in raw:
        parts = [raw]
    elif raw.count("<") == raw.count("<p>") + raw.count("</p>"):
        # the common case, plain <p> paragraphs: string replaces, no regex passes
        parts = raw.replace("<p>", "").split("</p>")
    else:
        parts = [_TAGS.sub("", p) for p in _PARAGRAPH.split(raw)]
    out = [(_SPACES.sub(" ", p) if "  " in p or "\t" in p or "\u3000" in p else p).strip() for p in parts]
    text = "\n".join(p for p in out if p)
    return text or None


def split_goals(raw: str) -> list[str]:
    text = paragraphs(raw) or ""
    pieces = _GOAL.split(text)
    if len(pieces) == 1:
        return [p.strip() for p in text.split("\n") if p.strip()]
    # pieces: [before, n1, text1, n2, text2, ...]
    goals = [_SPACES.sub(" ", pieces[j].replace("\n", " ")).strip() for j in range(2, len(pieces), 2)]
    return [g for g in goals if g]


def parse_funds(text: str) -> dict[str, float] | None:
    """The funds field as amounts in 万元: ``年度资金总额 453 万元; 其中: 财政拨款 400 万元;
    其他资金 53 万元`` -> ``{'total': 453.0, 'fiscal': 400.0, 'other': 53.0}``; 年初预算数,
    全年预算数 and 全年执行数 (1-7月执行数) are ``budget_initial``, ``budget`` and
    ``executed``. Other labels are kept as written; None when no amount is found."""
    funds: dict[str, float] = {}
    if "月" in text:
        text = _PERIOD.sub("", text)
    for m in _AMOUNT.finditer(text):
        label = _SPACES.sub("", m.group(1)).replace("其中", "").strip(":：,，;；()（）")
        if not label:
            continue
        key = _FUND_KEYS.get(label, label)
        if key not in funds:
            funds[key] = float(m.group(2).replace(",", ""))
    return funds or None
