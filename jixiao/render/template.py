"""Blank fill-in workbook (填报模板) per form kind, for a clerk to fill in Excel or WPS.

Same layout as the rendered form (``xlsx.write_form``) with empty values, ~30
empty indicator rows whose 一级/二级 cells offer the standard names as drop-down
lists, and an instructions sheet (填表说明).
"""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from ..model.indicator import LEVEL1, LEVEL2
from .view import Cell, Field, FormView, base_columns, optional_column
from .xlsx import FONT_NAME, SHEET_NAME, write_form

KINDS = ("department", "project")
BLANK_ROWS = 30
TITLES = {"department": "____年部门整体支出绩效目标申报表", "project": "____年项目支出绩效目标申报表"}
FIELDS = {
    "department": ("部门(单位)名称", "主管部门", "部门职能概述", "年度整体绩效目标"),
    "project": ("项目名称", "主管部门", "实施单位", "资金情况(万元)", "年度目标"),
}
# Header rows a clerk writes paragraphs into get room for them (lines of text).
TALL_FIELDS = {"部门职能概述": 6, "年度整体绩效目标": 4, "年度目标": 3, "资金情况(万元)": 2}

INSTRUCTIONS = (
    "填表说明",
    "1. 请在“{sheet}”工作表中填写, 不要改动标题行、表头字段名称和指标表的列标题。",
    ("2. 表头: 在每个字段右侧的空白单元格中填写内容; 多个目标请分行填写, 例如“目标1: …”"
     "(单元格内换行: Excel 和 WPS 都按 Alt+Enter)。"),
    ("3. 指标表每行填写一个三级指标及其指标值。一级指标、二级指标可从下拉列表选择标准名称;"
     "如本地区使用其他写法, 可直接输入, Excel 会给出提醒, 确认即可。"),
    "4. 同一组的{group}可以合并单元格, 也可以只在该组第一行填写、其余行留空。",
    ("5. 指标值请写明运算符、数值和单位, 例如“≥95%”“=100%”“≤30万元”“2024年12月底前”;"
     "定性指标写“有效提升”“明显改善”等。填写区已设为文本格式, 以“=”开头的内容不会被当作公式。"),
    "6. 行数不够时, 选中最后一行后插入行即可; 多余的空行可以保留。",
    "7. 一级指标的标准名称: {level1}。",
    "8. 二级指标的标准名称: {level2}。",
)


def blank_view(kind: str) -> FormView:
    """The empty form of ``kind`` (department|project)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    columns = base_columns(kind == "department")
    if kind == "project":
        columns += [optional_column(k) for k in ("weight", "explanation", "criteria")]
    fields = tuple(Field(label, "") for label in FIELDS[kind])
    rows = tuple(tuple(Cell("") for _ in columns) for _ in range(BLANK_ROWS))
    return FormView(kind=kind, title=TITLES[kind], fields=fields, columns=tuple(columns), rows=rows)


def _dropdown(names: tuple[str, ...], prompt: str) -> DataValidation:
    dv = DataValidation(type="list", formula1='"' + ",".join(names) + '"', allow_blank=True,
                        showErrorMessage=True, errorStyle="warning")
    dv.errorTitle, dv.error = "不是标准名称", "这不是标准名称。确定要使用这个写法吗?"
    dv.promptTitle, dv.prompt, dv.showInputMessage = "请选择", prompt, True
    return dv


def render_template(kind: str) -> bytes:
    """The blank template workbook of ``kind`` as xlsx bytes."""
    view = blank_view(kind)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_NAME
    first = write_form(ws, view) + 1          # below the column headings
    last = first + BLANK_ROWS - 1
    for r, f in enumerate(view.fields, 2):
        ws.row_dimensions[r].height = 15 * TALL_FIELDS.get(f.label, 1) + 4
    # Text format: what the clerk types ("=100%") stays text, not a formula.
    for row in ws.iter_rows(min_row=2, max_row=last, min_col=1, max_col=len(view.columns)):
        for cell in row:
            cell.number_format = "@"
    for key, names, prompt in (("level1", LEVEL1, "一级指标"), ("level2", LEVEL2, "二级指标")):
        col = ws.cell(row=first, column=view.column_index(key) + 1).column_letter
        dv = _dropdown(names, f"从列表选择{prompt}")
        ws.add_data_validation(dv)
        dv.add(f"{col}{first}:{col}{last}")
    group = "核心职能、一级指标、二级指标" if kind == "department" else "一级指标、二级指标"
    notes = wb.create_sheet("填表说明")
    notes.column_dimensions["A"].width = 120
    for i, line in enumerate(INSTRUCTIONS, 1):
        text = line.format(sheet=SHEET_NAME, group=group, level1="、".join(LEVEL1),
                           level2="、".join(LEVEL2))
        cell = notes.cell(row=i, column=1, value=text)
        cell.data_type = "s"
    notes["A1"].font = Font(name=FONT_NAME, bold=True, size=14)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
