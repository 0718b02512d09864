"""A sheet for human eyes in the terminal (rich renderables).

``sheet_table(sheet)`` returns one ``rich.console.Group``: the header fields,
one table per 核心职能 (or one table for a flat indicator list), then the
diagnostics. Every piece of text from the document goes in as ``rich.text.Text``,
so brackets in it are never read as rich markup.
"""
from __future__ import annotations

import re

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from .model.sheet import Indicator, Sheet

__all__ = ["sheet_table", "check_view", "shorten", "SEVERITY_STYLE", "SEVERITY_LABEL"]

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
SEVERITY_LABEL = {"error": "错误", "warning": "警告", "info": "提示"}
KIND_LABEL = {"department": "部门整体支出", "project": "项目支出"}
STAGE_LABEL = {"declaration": "申报", "approval": "批复", "monitoring": "监控",
               "self_evaluation": "自评"}
FUNDS_LABEL = {"total": "资金总额", "fiscal": "财政拨款", "other": "其他资金",
               "basic": "基本支出", "project": "项目支出"}
EMPTY = "—"
_WS = re.compile(r"\s+")


def shorten(text: str | None, width: int) -> str:
    """One line of at most ``width`` characters, ``…`` where it was cut."""
    if not text:
        return ""
    s = _WS.sub(" ", text).strip()
    return s if len(s) <= width else s[: width - 1].rstrip() + "…"


def _num(x: float | None) -> str:
    if x is None:
        return ""
    return f"{x:g}" if isinstance(x, float) else str(x)


def _header(sheet: Sheet) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()

    def row(label: str, value: str | None) -> None:
        if value:
            grid.add_row(label, Text(value))

    row("标题", sheet.title)
    kind = KIND_LABEL.get(sheet.kind, sheet.kind)
    stage = STAGE_LABEL.get(sheet.stage, sheet.stage)
    row("类型", f"{kind} · {stage}")
    row("年度", str(sheet.year) if sheet.year is not None else None)
    row("单位", sheet.unit)
    row("主管部门", sheet.supervisor)
    row("项目", sheet.project)
    if sheet.funds:
        row("资金 (万元)", ", ".join(f"{FUNDS_LABEL.get(k, k)} {_num(v) if isinstance(v, (int, float)) else v}"
                                   for k, v in sheet.funds.items()))
    row("职能概述", shorten(sheet.overview, 120))
    if sheet.goals:
        grid.add_row("年度目标", Text("\n".join(f"{i}. {shorten(g, 100)}"
                                            for i, g in enumerate(sheet.goals, 1))))
    return grid


def _indicator_table(title: str | None, indicators: list[Indicator]) -> Table:
    """一级 | 二级 | 三级 | 指标值 (+ 权重/实际/得分 when any indicator has them),
    with 一级/二级 printed only where they change, like merged cells."""
    extra_cols = [(label, attr) for label, attr in (("权重", "weight"), ("实际", "actual"),
                                                    ("得分", "score"))
                  if any(getattr(i, attr) is not None for i in indicators)]
    table = Table(title=Text(title, style="bold") if title else None, title_justify="left",
                  box=box.SIMPLE_HEAD, show_lines=False, expand=False)
    table.add_column("一级指标", no_wrap=True)
    table.add_column("二级指标", no_wrap=True)
    table.add_column("三级指标", overflow="fold")
    table.add_column("指标值", overflow="fold")
    for label, _ in extra_cols:
        table.add_column(label, justify="right" if label != "实际" else "left")
    prev_l1: object = object()
    prev_l2: object = object()
    for n, ind in enumerate(indicators):
        l1_changed = ind.level1 != prev_l1
        l2_changed = l1_changed or ind.level2 != prev_l2
        if l1_changed and n:
            table.rows[-1].end_section = True
        cells: list[RenderableType] = [
            Text(ind.level1 or EMPTY) if l1_changed else Text(""),
            Text(ind.level2 or EMPTY) if l2_changed else Text(""),
            Text(ind.name),
            Text(ind.target.text) if ind.target is not None else Text(EMPTY, style="dim"),
        ]
        for _, attr in extra_cols:
            v = getattr(ind, attr)
            if attr == "actual":
                cells.append(Text(v.text if v is not None else ""))
            else:
                cells.append(Text(_num(v)))
        table.add_row(*cells)
        prev_l1, prev_l2 = ind.level1, ind.level2
    return table


def _diagnostics(sheet: Sheet) -> RenderableType:
    """One entry per diagnostic: coloured severity, code and where on the first
    line, the message and the hint indented below (a list, not a table, so it
    stays readable in an 80-column terminal)."""
    if not sheet.diagnostics:
        return Text("诊断: 无", style="dim")
    lines: list[RenderableType] = [Text(f"诊断 ({len(sheet.diagnostics)} 条)", style="bold")]
    for d in sheet.diagnostics:
        style = SEVERITY_STYLE.get(d.severity, "")
        head = Text.assemble((f"[{SEVERITY_LABEL.get(d.severity, d.severity)}]", style), " ",
                             (d.code, style), "  ", (d.where, "dim"))
        lines.append(head)
        if d.message:
            lines.append(Padding(Text(d.message), (0, 0, 0, 4)))
        if d.hint:
            lines.append(Padding(Text.assemble(("建议: ", "dim"), d.hint), (0, 0, 0, 4)))
    return Group(*lines)


def sheet_table(sheet: Sheet) -> Group:
    """Everything worth seeing about ``sheet``, ready for ``Console.print``."""
    parts: list[RenderableType] = [_header(sheet), Text("")]
    count = 0
    for fn in sheet.functions:
        title = fn.label + (f": {shorten(fn.description, 60)}" if fn.description else "")
        if fn.indicators:
            parts.append(_indicator_table(title, fn.indicators))
        else:
            parts += [Text(title, style="bold"), Text("  (没有指标)", style="dim"), Text("")]
        count += len(fn.indicators)
    if sheet.indicators:
        parts.append(_indicator_table("绩效指标" if not sheet.functions else "其他指标",
                                      sheet.indicators))
        count += len(sheet.indicators)
    if not count:
        parts += [Text("未找到任何绩效指标", style="yellow"), Text("")]
    summary = f"共 {count} 条指标"
    if sheet.functions:
        summary = f"共 {len(sheet.functions)} 个职能, {count} 条指标"
    parts += [Text(summary, style="dim"), Text(""), _diagnostics(sheet)]
    return Group(*parts)


# ------------------------------------------------------------------ check findings

_FUNCTION_PATH = re.compile(r"^functions\[(\d+)\]")


def _finding(d) -> list[RenderableType]:
    """One finding: severity, rule and indicator (or the path) on the first line, the
    message and the hint indented below. The JSON path is in ``--format json``."""
    style = SEVERITY_STYLE.get(d.severity, "")
    head = Text.assemble("  ", (f"[{SEVERITY_LABEL.get(d.severity, d.severity)}]", style), " ",
                         (d.code, style), " ")
    name = d.extra.get("indicator")
    if name:
        head.append(name)
        category = "/".join(x for x in (d.extra.get("level1"), d.extra.get("level2")) if x)
        if category:
            head.append(f" · {category}", style="dim")
    else:
        head.append(d.extra.get("location") or d.where, style="dim")
    lines: list[RenderableType] = [head, Padding(Text(d.message), (0, 0, 0, 6), expand=False)]
    if d.hint:
        lines.append(Padding(Text.assemble(("建议: ", "dim"), d.hint), (0, 0, 0, 6), expand=False))
    return lines


def check_view(sheet: Sheet, report) -> Group:
    """Findings of ``jixiao check``: grouped by 核心职能 (then the flat indicator list,
    then the sheet as a whole), coloured by severity, with a summary line."""
    title = sheet.title or sheet.project or sheet.unit or "绩效目标表"
    parts: list[RenderableType] = [
        Text.assemble(("审核: ", "bold"), (title, "bold")),
        Text(f"{KIND_LABEL.get(sheet.kind, sheet.kind)} · {STAGE_LABEL.get(sheet.stage, sheet.stage)}"
             f" · {report.indicators} 个三级指标 · 指标体系 {report.regime} · 配置: {report.profile}",
             style="dim"),
        Text(""),
    ]
    groups: dict[tuple[int, int], list] = {}
    for d in report.findings:
        m = _FUNCTION_PATH.match(d.where)
        if m:
            key = (0, int(m[1]))
        elif d.where.startswith("indicators["):
            key = (1, 0)
        else:
            key = (2, 0)
        groups.setdefault(key, []).append(d)
    for key in sorted(groups):
        if key[0] == 0:
            fn = sheet.functions[key[1]] if key[1] < len(sheet.functions) else None
            label = fn.label if fn is not None else f"职能{key[1] + 1}"
            desc = shorten(fn.description, 24) if fn is not None and fn.description else ""
            heading = f"{label}: {desc}" if desc else label
        elif key[0] == 1:
            heading = f"项目: {sheet.project}" if sheet.kind == "project" and sheet.project else "绩效指标"
        else:
            heading = "整表"
        found = groups[key]
        tally = "、".join(f"{n} {SEVERITY_LABEL[s]}" for s in ("error", "warning", "info")
                         if (n := sum(d.severity == s for d in found)))
        parts.append(Text.assemble((heading, "bold"), ("  " + tally, "dim")))
        for d in found:
            parts += _finding(d)
        parts.append(Text(""))
    if not report.findings:
        parts += [Text("未发现问题", style="green"), Text("")]
    c = report.counts
    parts.append(Text.assemble(
        (f"{c.get('error', 0)} 错误", SEVERITY_STYLE["error"] if c.get("error") else ""), ", ",
        (f"{c.get('warning', 0)} 警告", SEVERITY_STYLE["warning"] if c.get("warning") else ""), ", ",
        (f"{c.get('info', 0)} 提示", SEVERITY_STYLE["info"] if c.get("info") else ""), ", ",
        (f"得分 {report.score:g}", "bold"), ", ", (f"等级 {report.grade}", "bold"),
        f" ({report.grade_meaning})" if getattr(report, "grade_meaning", "") else ""))
    return Group(*parts)
