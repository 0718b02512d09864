"""Column roles: what a table's headings and cells say a column holds, shared by
every reader (text streams, collapsed runs, ruled tables of any format).

``HEADING_ROLES`` maps a column heading to the role of its cells (level1, level2,
name, op, target, unit, actual, weight, score); ``specific_role`` reads the headings
a monitoring or review form adds (复核得分, 全年预计完成, 完成可能性, 偏差原因);
``CAUSE_CELL`` and ``LIKELIHOOD_CELL`` are what their cells hold. ``TABLE_END`` is
the first cell of what follows a table (合计, 评价结论, signatures …), ``cell_label``
a cell read as a 一级/二级/职能 label (a block subtotal such as 产出指标(50分) too),
``header_cells`` the cells of the lines above a table, split at ``CELL_SPLIT``.
"""
from __future__ import annotations

import re

from .cells import FunctionLabel, Label, as_label, clean

# column header -> role of its cell
HEADING_ROLES = {
    "一级指标": "level1", "二级指标": "level2", "三级指标": "name", "指标名称": "name",
    "指标性质": "op", "指标值": "target", "年度指标值": "target", "指标值及单位": "target",
    "目标值": "target", "年初目标值": "target", "年度目标值": "target", "预期指标值": "target",
    "度量单位": "unit", "计量单位": "unit",
    "完成值": "actual", "实际完成值": "actual", "全年实际值": "actual", "实际值": "actual",
    "全年实际完成值": "actual", "1-7月执行情况": "actual",
    "权重": "weight", "分值": "weight", "得分": "score",
}


TEXT_COLUMN_WORDS = ("原因", "备注", "标准", "解释", "指标值类型", "改进措施", "方向")


#: Headings whose words hold a more general heading's word (得分, 完成, 原因), checked
#: before it, the most specific first: a 复核得分 is no second 得分 column, a
#: 全年预计完成情况 and a 完成目标可能性 are no 实际完成值, a 偏差原因备注 no 偏差原因.
_SPECIFIC_ROLES = (
    (("复核得分", "复评得分", "审核得分", "核定得分", "复核分", "复评分", "抽查复核得分", "财政复核得分"), "reviewed"),
    (("全年预计完成", "预计全年完成", "全年预计", "预计全年", "预计完成", "预计年底"), "expected"),
    (("可能性", "能否完成", "完成可能"), "likelihood"),
    (("偏差原因备注", "原因备注", "偏差说明备注"), "note"),
)


#: A 偏差原因 heading names the monitoring form's causes (经费/制度/人员/硬件/其他);
#: one that asks for analysis or measures (偏差原因分析及改进措施) is prose.
_PROSE_WORDS = ("分析", "措施", "说明", "及")


#: What a monitoring form's causes and likelihood cells hold (domain.md §6.3).
CAUSE_CELL = re.compile(r"^(?:(?:经费(?:保障)?|制度(?:保障)?|人员(?:保障)?|硬件(?:条件)?(?:保障)?|其他|无)[、,，;；/\s]*)+$")


LIKELIHOOD_CELL = re.compile(r"^(?:确定能|有可能|完全不可能|不可能|可能|能|不能|能完成|不能完成|基本能)$")


def specific_role(bare: str) -> str | None:
    """The role of a heading by its most specific words (``_SPECIFIC_ROLES``)."""
    if len(bare) > 16:
        return None
    for words, role in _SPECIFIC_ROLES:
        if any(w in bare for w in words):
            return role
    if "偏差原因" in bare and not any(w in bare for w in _PROSE_WORDS):
        return "causes"
    return None


TABLE_END = re.compile(r"^(?:合计|总分|评价结论|存在问题|改进措施|项目负责人|财务负责人|注[:：]|说明[:：]|"
                   r"财政部门|主管部门审核|审核意见|其他需(?:要)?说明的(?:问题|事项))")


_SUBTOTAL = re.compile(r"^(.{2,14}?指标)\s*[(（]\s*\d+(?:\.\d+)?\s*分\s*[)）]$")


CELL_SPLIT = re.compile(r"\s*\|\s*|\t+|\s{2,}")


#: A column heading that names a place (one value column per town or village).
#: (The longer suffixes first: a run of titles is cut at the first match, 笏石街道办 | 埭头镇.)
PLACE_HEADING = re.compile(r"[\u4e00-\u9fff]{1,14}?(?:街道办事处|街道办|办事处|街道|社区|居委会|村|镇|乡|县|区|市|场)")
_LEAD_WORDS = ("单位名称", "部门名称", "单位", "项目名称", "项目", "预算数", "预算金额", "金额", "资金", "年度目标",
               "项目年度目标", "绩效目标", "项目概况", "实施单位")


def lead_columns(line: str) -> int:
    """Columns before 一级指标 on its heading line that describe a project (a table
    holding several projects: 单位名称 | 项目名称 | 预算数 | 年度目标 | 一级指标 …)."""
    if "一级指标" not in line:
        return 0
    n = 0
    for text in reversed([c for c in CELL_SPLIT.split(line.split("一级指标")[0]) if c.strip()]):
        if text.replace(" ", "") not in _LEAD_WORDS:
            break
        n += 1
    return n if n >= 2 else 0


def header_cells(lines: list[str], start: int) -> list[list[str]]:
    """Cells of the lines above the table, and of the start of its first line when
    the whole form runs on one line."""
    lead = start < len(lines) and lead_columns(lines[start]) > 0  # 单位名称 | 项目名称 | …: headings, no fields
    above = lines[:start] + ([] if lead else [lines[start].split("一级指标")[0]]) if start < len(lines) else lines
    out = []
    for line in above:
        cells = [clean(c) for c in CELL_SPLIT.split(line) if c.strip()]
        if len(cells) == 1 and len(cells[0]) > 40 and not is_prose(cells[0]):
            cells = cells[0].split()
        out.append(cells)
    return out


def cell_label(text: str) -> Label | FunctionLabel | None:
    m = _SUBTOTAL.match(text)
    return as_label(m.group(1) if m else text)


def is_prose(text: str) -> bool:
    """A sentence with commas: its spaces belong to it."""
    return bool(re.search(r"[,，。;；]\s", text))
