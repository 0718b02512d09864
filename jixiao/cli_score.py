"""``jixiao score``: recompute a self-evaluation and show where the claims differ.

Registered by one line in ``jixiao/cli.py`` (this module decorates the shared
``app``; importing it in either order works because ``cli`` imports it after
``app`` and ``ChineseCommand`` exist). Like every command it parses arguments,
calls one service and presents; errors become messages in ``cli.run()``.
"""
from __future__ import annotations

import json
import sys
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from .cli import ChineseCommand, app

if TYPE_CHECKING:
    from rich.text import Text

    from .scoring import ScoringConfig, SheetScore


class ScoreFormat(str, Enum):
    text = "text"
    json = "json"


@app.command("score", cls=ChineseCommand, options_metavar="[选项]")
def score_command(
    file: Annotated[str, typer.Argument(
        metavar="文件", show_default=False,
        help="要复算的自评表: jixiao 表格 JSON, 或 jixiao import 能读取的文本、Excel 等自评表 "
             "(需有实际完成值、分值、得分列)。")],
    approved: Annotated[Optional[str], typer.Option(
        "--approved", "-a", metavar="批复文件", show_default=False,
        help="同年的批复表 (任何可导入的文件): 按批复的指标值复算, 并标出增加、缺少或改动的指标。")] = None,
    profile: Annotated[Optional[str], typer.Option(
        "--profile", "-p", metavar="配置文件", show_default=False,
        help="审核配置 (TOML), 读取其中的 \\[scoring] 表: 分值、反向指标公式、取整、执行率分母、"
             "超额倍数、定性档次、等级线。不给出时用默认配置。")] = None,
    fmt: Annotated[ScoreFormat, typer.Option(
        "--format", "-f", case_sensitive=False,
        help="输出形式: text 为逐项清单 (自评分、复算分、推导过程、问题), "
             "json 为 {indicators, execution, functions, total, grade, flags}。")] = ScoreFormat.text,
) -> None:
    """复算一份自评表: 逐项列出自评得分与按公式复算的得分及推导过程, 标出虚报迹象。

    虚报迹象: 定性或未填实际值却给满分、实际值照抄目标值、自评得分或总分高于复算。
    退出码为 0; 文件或配置无法使用时为 2。公式见 docs/scoring.md。
    示例: jixiao score 自评表.json --approved 批复表.json
    """
    from . import files
    from .services.scoring import score_document

    sheet = files.import_sheet(file)
    reference = files.import_sheet(approved) if approved is not None else None
    config = _config(profile)
    result = score_document(sheet=sheet, config=config, approved=reference, name=file)
    if fmt is ScoreFormat.json:
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=1) + "\n")
        sys.stdout.flush()
        return
    from rich.console import Console

    Console(highlight=False, soft_wrap=True).print(score_view(result, title=sheet.title or file))


def _config(path: str | None) -> ScoringConfig | None:
    """The ``[scoring]`` settings of the profile file at ``path``; None without one."""
    if path is None:
        return None
    from pathlib import Path

    from .errors import ProfileInvalid
    from .services.scoring import scoring_config

    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ProfileInvalid(path, "文件不存在") from None
    except IsADirectoryError:
        raise ProfileInvalid(path, "这是一个文件夹, 不是文件") from None
    except UnicodeDecodeError:
        raise ProfileInvalid(path, "不是 UTF-8 编码的文本") from None
    except OSError as e:
        raise ProfileInvalid(path, e.strerror or type(e).__name__) from None
    return scoring_config(text=text, source=path)


# ------------------------------------------------------------------------ the view

def _n(v: float | None) -> str:
    from .scoring.formulas import num

    return "—" if v is None else num(v)


def _diff(claimed: float | None, recomputed: float | None) -> str:
    if claimed is None or recomputed is None:
        return ""
    d = round(claimed - recomputed, 2)
    return "" if d == 0 else f"  差 {'+' if d > 0 else ''}{_n(d)}"


def _flag_lines(out: Text, flags: Any, indent: str) -> None:
    for f in flags:
        if f.inflation:
            out.append(f"{indent}虚报迹象 ", style="bold red")
            out.append(f"[{f.code}] {f.message}\n", style="red")
        else:
            out.append(f"{indent}提示 ", style="yellow")
            out.append(f"[{f.code}] {f.message}\n")


def score_view(result: SheetScore, *, title: str) -> Text:
    """The text view of a recomputation: execution, each indicator (grouped by
    职能), per-function sums, totals and grades, sheet-level findings."""
    from rich.text import Text

    out = Text()
    out.append(f"自评复算: {title}\n", style="bold")
    out.append(f"配置: {result.profile}\n\n", style="dim")
    ex = result.execution
    out.append(f"预算执行  分值 {_n(ex.weight)}  自评 {_n(ex.claimed)}  复算 {_n(ex.recomputed)}"
               f"{_diff(ex.claimed, ex.recomputed)}\n", style="bold")
    out.append(f"    {ex.derivation}\n")
    _flag_lines(out, ex.flags, "    ")
    current: object = object()
    for n, s in enumerate(result.indicators, 1):
        if s.function != current:
            current = s.function
            out.append(f"\n{s.function or '指标'}\n", style="bold cyan")
        out.append(f"{n:>3}. {s.block or '一级不明'} / {s.name}", style="bold")
        out.append(f"  分值 {_n(s.weight)}  自评 {_n(s.claimed)}  复算 {_n(s.recomputed)}")
        out.append(_diff(s.claimed, s.recomputed) + "\n", style="red" if (s.difference or 0) > 0 else "")
        out.append(f"     {s.derivation}\n")
        _flag_lines(out, s.flags, "     ")
    if result.functions:
        out.append("\n各职能小计\n", style="bold cyan")
        for f in result.functions:
            out.append(f"  {f.label}: 分值 {_n(f.weight)}  自评 {_n(f.claimed)}  复算 {_n(f.recomputed)}"
                       f"  得分率 {_n(f.rate)}%  等级 {f.grade or '—'}\n")
    out.append("\n")
    for note in result.notes:
        out.append(f"说明: {note}\n", style="dim")
    _flag_lines(out, result.flags, "")
    out.append(f"总分: 自评 {_n(result.claimed_total)}  复算 {_n(result.recomputed_total)}"
               f"{_diff(result.claimed_total, result.recomputed_total)}   "
               f"等级: 自评 {result.claimed_grade or '—'}  复算 {result.recomputed_grade}\n", style="bold")
    k = len(result.inflation)
    out.append(f"虚报迹象 {k} 处\n" if k else "未发现虚报迹象\n", style="bold red" if k else "green")
    return out
