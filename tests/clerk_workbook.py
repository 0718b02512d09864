"""Workbooks laid out the way a clerk builds the form by hand in Excel/WPS, for
printing to PDF with LibreOffice (``soffice --headless --convert-to pdf``).

Not our renderer's layout: each workbook draws its own variant of what clerks do —
a title merged across the columns, header fields (label | value merged over
several columns), column orders and widths of their own, 核心职能/一级/二级 merged
down their rows (top-aligned or centred), wrapped long text, font sizes, rows
whose manual height is too small for their text (clipped when printed), tables
running over several pages with or without the heading repeated (print titles),
portrait or landscape, borders drawn per cell (sometimes missing in the header
area, or on a row inserted after the borders were drawn).

``clerk_workbook(sheet, rng)`` returns the xlsx bytes and the traits it drew;
``to_pdf(paths, outdir)`` converts many workbooks in one soffice run;
``corpus(names, outdir)`` does both for generated sheets (``tests/generator.py``).
"""
from __future__ import annotations

import io
import os
import random
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator import make_sheet
from test_importers_grid import form_of


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(paths: list[Path], outdir: Path, timeout: float = 600) -> list[Path]:
    """Convert workbooks to PDF in one soffice process (starting it costs seconds),
    with a private profile so parallel runs do not share one."""
    exe = soffice()
    if exe is None:
        raise RuntimeError("soffice not installed")
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as prof:
        subprocess.run([exe, f"-env:UserInstallation=file://{prof}", "--headless", "--norestore",
                        "--convert-to", "pdf", "--outdir", str(outdir), *map(str, paths)],
                       check=True, capture_output=True, timeout=timeout,
                       env={**os.environ, "HOME": prof})
    out = [outdir / (p.stem + ".pdf") for p in paths]
    missing = [p.name for p in out if not p.exists()]
    if missing:
        raise RuntimeError(f"soffice wrote no PDF for {missing}")
    return out


@dataclass
class Case:
    name: str
    kind: str
    regime: str
    gold: dict        # the sheet as the scorer wants it
    traits: dict      # what the clerk did (``_traits``)
    pdf: Path


_KINDS = [("department", "classic"), ("project", "classic"), ("department", "2021"), ("department", "classic"),
          ("project", "2021"), ("department", "2021")]


def corpus(names: list[str], outdir: Path) -> list[Case]:
    """One generated sheet per name (the name seeds it; kinds and regimes in turn,
    two department sheets of 3–7 functions for each project sheet, so tables of
    1–6 pages), written as a clerk's workbook and printed to PDF by LibreOffice."""
    from jixiao.model.codec import sheet_to_dict

    outdir.mkdir(parents=True, exist_ok=True)
    made = []
    for i, name in enumerate(names):
        rng = random.Random(name)
        kind, regime = _KINDS[i % len(_KINDS)]
        sheet = make_sheet(rng, kind=kind, regime=regime,
                           functions=rng.randint(3, 7) if kind == "department" else None)
        data, traits = clerk_workbook(sheet, rng)
        path = outdir / f"{i:03d}.xlsx"
        path.write_bytes(data)
        made.append((name, kind, regime, sheet_to_dict(sheet), traits, path))
    pdfs = to_pdf([m[-1] for m in made], outdir)
    return [Case(n, k, r, g, t, p) for (n, k, r, g, t, _), p in zip(made, pdfs)]


# ------------------------------------------------------------------ the layout
_ORDERS = {  # column orders seen on real forms (the columns a form lacks are dropped)
    "plain": ["一级指标", "二级指标", "三级指标", "指标值"],
    "split": ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位"],
    "weight": ["一级指标", "二级指标", "三级指标", "指标值", "权重(%)"],
    "weight_first": ["权重(%)", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位"],
}
#: width (characters) ranges per column head
_WIDTH = {"核心职能": (12, 26), "一级指标": (7, 12), "二级指标": (8, 14), "三级指标": (12, 30),
          "指标性质": (5, 8), "指标值": (8, 18), "度量单位": (5, 9), "权重(%)": (5, 8), "备注": (6, 12)}


def _traits(rng: random.Random, kind: str) -> dict:
    return {
        "order": rng.choice(list(_ORDERS)),
        "note_column": rng.random() < 0.3,        # an empty 备注 column at the end
        "landscape": rng.random() < 0.5,
        "print_titles": rng.random() < 0.5,       # heading repeated on every page
        "label_valign": rng.choice(["top", "center"]),
        # 核心职能/一级/二级: merged down their rows, typed on the first row only, or on every row
        "labels": rng.choice(["merged"] * 6 + ["first", "repeated"] * 2),
        "font": rng.choice([9, 10, 10.5, 11, 12]),
        "title_font": rng.choice([14, 16, 18, 20]),
        "font_name": rng.choice(["宋体", "仿宋_GB2312", "微软雅黑", "黑体"]),
        "header_borders": rng.random() < 0.6,     # the header-field area ruled or not
        "heights": rng.choice(["auto", "manual"]),  # autofit, or set by hand with some rows too small
        "clip_share": rng.uniform(0.05, 0.2),
        "inserted_rows": rng.random() < 0.3,      # rows inserted after the borders were drawn
        "appended_rows": rng.random() < 0.15,     # rows added at the end after the borders were drawn
        "grouped_heading": rng.random() < 0.7 if kind == "department" else False,
        "fit_width": rng.random() < 0.5,
        "heading_fill": rng.random() < 0.4,       # the heading shaded grey
        "outer_medium": rng.random() < 0.4,       # a heavier frame round the table
        "numeric_weights": rng.random() < 0.5,    # 权重 typed as numbers, not text
        "margin": rng.choice([0.3, 0.5, 0.7]),   # inches, left and right
    }


def _weights(sheet, rng: random.Random) -> None:
    for _, ind in sheet.all_indicators():
        if ind.weight is None:
            ind.weight = float(rng.choice((2, 3, 5, 5, 10)))


def clerk_workbook(sheet, rng: random.Random) -> tuple[bytes, dict]:
    """The xlsx bytes of ``sheet`` as a clerk typed it, and the traits drawn."""
    import openpyxl
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    t = _traits(rng, sheet.kind)
    order = (["核心职能"] if sheet.kind == "department" else []) + _ORDERS[t["order"]]
    if "权重(%)" in order:
        _weights(sheet, rng)
    split = "指标性质" in order
    form = form_of(sheet, split=split, weight="权重(%)" in order, order=order)
    columns = list(form.columns)
    if t["note_column"]:
        columns.append("备注")
    width = len(columns)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = rng.choice(["绩效目标表", "Sheet1", "附件2"])
    thin = Side(style="thin")
    ruled = Border(left=thin, right=thin, top=thin, bottom=thin)
    body_font = Font(name=t["font_name"], size=t["font"])
    head_font = Font(name=t["font_name"], size=t["font"], bold=rng.random() < 0.7)
    wrap_left = Alignment(wrap_text=True, vertical="center", horizontal="left")
    centre = Alignment(wrap_text=True, vertical="center", horizontal="center")
    label_align = Alignment(wrap_text=True, vertical=t["label_valign"], horizontal="center")
    unruled_rows: set[int] = set()

    def put(r, c, v, font=body_font, align=wrap_left):
        if t["numeric_weights"] and columns[c - 1] == "权重(%)" and v and v.replace(".", "", 1).isdigit():
            v = float(v)
        cell = ws.cell(r, c, v)
        if isinstance(v, str):
            cell.data_type = "s"  # "=100%" stays text
        cell.font = font
        cell.alignment = align
        return cell

    def rule(r0, r1, c0=1, c1=width):
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                ws.cell(r, c).border = ruled

    # widths in points: a column of n characters at the body font, fitted to the
    # page unless the clerk lets LibreOffice scale the page (fit to width)
    pts = [rng.randint(*_WIDTH[c]) * t["font"] + 8 for c in columns]
    printable = 0.95 * ((842 if t["landscape"] else 595) - 144 * t["margin"])  # a little slack
    room = printable * (1.25 if t["fit_width"] else 1.0)  # fit to width: printed at 80 % or more
    if sum(pts) > room:
        pts = [p * room / sum(pts) for p in pts]
    for c, p in enumerate(pts, 1):
        # LibreOffice prints a width unit as 7 pt (its default font is wider than Excel's)
        ws.column_dimensions[get_column_letter(c)].width = round(p / 7.0, 2)

    def lines(text: str, width_pt: float) -> int:
        usable = max(width_pt - 6, t["font"])
        return sum(max(1, -int(-sum(t["font"] if ord(ch) > 0x2000 else 0.55 * t["font"] for ch in para)
                              // usable)) for para in (text or "").split("\n"))

    def height(n: int) -> float:  # Excel's autofit with 宋体: about 1.3 lines per point of font
        return round((n * t["font"] * 1.3 + 2) / 0.75) * 0.75

    # title, merged across
    r = 1
    put(r, 1, form.title, Font(name=t["font_name"], size=t["title_font"], bold=True), centre)
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    ws.row_dimensions[r].height = t["title_font"] * 2
    r += 1
    if rng.random() < 0.5:
        put(r, 1, rng.choice(["填报单位(盖章):", "单位: 万元", "填报日期:    年  月  日"]), body_font,
            Alignment(horizontal="left"))
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        r += 1
    # header fields: label | value merged over the columns up to the next label
    head_top = r
    for line in form.header:
        pairs = [(line[i], line[i + 1] if i + 1 < len(line) else "") for i in range(0, len(line), 2)]
        c = 1
        for k, (label, value) in enumerate(pairs):
            put(r, c, label, head_font, centre)
            last = width if k == len(pairs) - 1 else max(c + 1, width // 2)
            put(r, c + 1, value, body_font, wrap_left)
            if last > c + 1:
                ws.merge_cells(start_row=r, start_column=c + 1, end_row=r, end_column=last)
            c = last + 1
        value_pt = sum(pts[1:]) if len(pairs) == 1 else sum(pts[1:max(2, width // 2)])
        ws.row_dimensions[r].height = height(max(lines(v, value_pt) for _, v in pairs))
        r += 1
    if t["header_borders"]:
        rule(head_top, r - 1)

    # the column heading, one or two rows
    heading_top = r
    if form.grouped and t["grouped_heading"]:
        fn = columns.index("核心职能") + 1
        put(r, fn, "核心职能", head_font, centre)
        ws.merge_cells(start_row=r, start_column=fn, end_row=r + 1, end_column=fn)
        others = [c for c in range(1, width + 1) if c != fn]
        put(r, others[0], "年度绩效指标", head_font, centre)
        ws.merge_cells(start_row=r, start_column=others[0], end_row=r, end_column=others[-1])
        r += 1
        for c in others:
            put(r, c, columns[c - 1], head_font, centre)
    else:
        for c, v in enumerate(columns, 1):
            put(r, c, v, head_font, centre)
    # the clerk sees the heading and makes its row tall enough for it
    ws.row_dimensions[r].height = height(max(lines(v, pts[c]) for c, v in enumerate(columns)))
    r += 1
    rule(heading_top, r - 1)
    if t["heading_fill"]:
        for rr in range(heading_top, r):
            for c in range(1, width + 1):
                ws.cell(rr, c).fill = PatternFill("solid", fgColor=rng.choice(["D9D9D9", "F2F2F2", "DDEBF7"]))
    if t["print_titles"]:
        ws.print_title_rows = f"{heading_top}:{r - 1}"

    # the body
    top = r
    label_cols = {ci for ci in form.runs}
    starts = {ci: {a for a, _ in spans} for ci, spans in form.runs.items()}
    merged = t["labels"] == "merged"
    row_of: list[int] = []
    for k, values in enumerate(form.rows):
        row_of.append(r)
        for c, v in enumerate(values, 1):
            if c - 1 in label_cols:
                shown = v and (k in starts[c - 1] or t["labels"] == "repeated")
                put(r, c, v if shown else None, body_font, label_align)
            elif columns[c - 1] in ("三级指标",):
                put(r, c, v, body_font, wrap_left)
            else:
                put(r, c, v, body_font, centre)
        need = max(lines(v, pts[c]) for c, v in enumerate(values) if merged and c not in label_cols
                   or not merged and (c not in label_cols or k in starts[c]))
        if t["heights"] == "manual" and rng.random() < t["clip_share"]:
            need = max(1, need - 1) if need > 1 else 0.8  # too small: the text is clipped
        ws.row_dimensions[r].height = height(need)
        r += 1
    bottom = r - 1
    rule(top, bottom)
    for ci, spans in form.runs.items() if merged else ():
        for a, b in spans:
            if b - a > 1:
                ws.merge_cells(start_row=row_of[a], start_column=ci + 1, end_row=row_of[b - 1],
                               end_column=ci + 1)
    if t["inserted_rows"]:
        # a row inserted later has no borders of its own: its top and bottom lines
        # come from the neighbours, its inner vertical lines are missing
        firsts = set().union(*starts.values()) if merged else set()
        cand = [k for k in range(1, len(form.rows) - 1) if k not in firsts]
        for k in rng.sample(cand, min(len(cand), rng.randint(1, 2))):
            rr = row_of[k]
            unruled_rows.add(rr)
            for c in range(1, width + 1):
                if not merged or (c - 1) not in label_cols:
                    ws.cell(rr, c).border = Border()

    if t["appended_rows"]:
        for rr in range(bottom - rng.randint(0, 1), bottom + 1):
            unruled_rows.add(rr)
            for c in range(1, width + 1):
                if not merged or (c - 1) not in label_cols:
                    ws.cell(rr, c).border = Border()
    if t["outer_medium"]:
        medium = Side(style="medium")
        for rr in range(heading_top, bottom + 1):
            for c in range(1, width + 1):
                cell = ws.cell(rr, c)
                b = cell.border
                if rr in unruled_rows and not (b.left and b.left.style):
                    continue
                cell.border = Border(left=medium if c == 1 else b.left, right=medium if c == width else b.right,
                                     top=medium if rr == heading_top else b.top,
                                     bottom=medium if rr == bottom else b.bottom)

    # signatures below the table, as many forms have
    if rng.random() < 0.5:
        r = bottom + 2
        put(r, 1, rng.choice(["单位负责人:", "填报人:        联系电话:", "注: 指标值须可衡量。"]), body_font,
            Alignment(horizontal="left"))
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)

    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if t["landscape"] else "portrait"
    if t["fit_width"]:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = rng.random() < 0.5
    ws.page_margins.left = ws.page_margins.right = t["margin"]
    ws.page_margins.top = ws.page_margins.bottom = rng.choice([0.4, 0.6, 0.75])
    if rng.random() < 0.5:
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    buf = io.BytesIO()
    wb.save(buf)
    t["unruled_rows"] = len(unruled_rows)
    return buf.getvalue(), t
