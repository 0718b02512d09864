"""The ``jixiao`` command: parse arguments, call one service, present the result.

Every failure becomes output in exactly one place, ``run()``:

* a ``JixiaoError`` (the user's document or path is the problem): one red
  Chinese line on stderr, exit code ``error.exit_code`` (2), no traceback;
* a usage error (unknown option, missing file argument …): one Chinese line
  plus a pointer to ``--help``, exit code 2;
* anything else is a bug: a "内部错误" line and a request to report it, exit
  code 70; the traceback only with ``--debug`` or ``JIXIAO_DEBUG=1``.

All text a user reads is Simplified Chinese.
"""
from __future__ import annotations

import io
import json
import os
import re
import sys
import traceback
from enum import Enum
from typing import Annotated, Any, Optional

import typer
from rich.console import Console, RenderableType
from rich.text import Text
from typer.core import TyperCommand, TyperGroup

from . import __version__
from .errors import JixiaoError

EXIT_USAGE = 2
EXIT_INTERNAL = 70  # EX_SOFTWARE
EXIT_INTERRUPTED = 130
#: Width of a table written to a file with ``--to table -o``.
FILE_TABLE_WIDTH = 120

_state = {"debug": False}


# --------------------------------------------------------------------- Chinese help

def _localise_typer() -> None:
    """Chinese titles for typer's rich help panels (module constants it reads at
    render time)."""
    from typer import rich_utils as ru

    ru.ARGUMENTS_PANEL_TITLE = "参数"
    ru.OPTIONS_PANEL_TITLE = "选项"
    ru.COMMANDS_PANEL_TITLE = "命令"
    ru.ERRORS_PANEL_TITLE = "错误"
    ru.ABORTED_TEXT = "已中止。"
    ru.DEFAULT_STRING = "[默认: {}]"
    ru.ENVVAR_STRING = "[环境变量: {}]"
    ru.REQUIRED_LONG_STRING = "[必填]"
    ru.DEPRECATED_STRING = "(已弃用) "


class _Chinese:
    """Mixin: Chinese usage line and help-option text."""

    def get_help_option(self, ctx: Any) -> Any:
        opt = super().get_help_option(ctx)  # type: ignore[misc]
        if opt is not None:
            opt.help = "显示本帮助并退出。"
        return opt

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix="用法: ")

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _localise_typer()
        super().format_help(ctx, formatter)  # type: ignore[misc]

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        _plain_coercion(self.get_params(ctx))  # type: ignore[attr-defined]
        return super().parse_args(ctx, args)  # type: ignore[misc]


class ChineseGroup(_Chinese, TyperGroup):
    pass


class ChineseCommand(_Chinese, TyperCommand):
    pass


# ------------------------------------------------------------------------- commands

app = typer.Typer(
    name="jixiao",
    cls=ChineseGroup,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    options_metavar="[选项]",
    subcommand_metavar="命令 [参数]...",
    context_settings={"help_option_names": ["-h", "--help"]},
)


class OutputFormat(str, Enum):
    table = "table"
    json = "json"


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"jixiao {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option(
        "--version", "-V", is_eager=True, callback=_show_version,
        help="显示版本号并退出。")] = False,
    debug: Annotated[bool, typer.Option(
        "--debug", envvar="JIXIAO_DEBUG", show_envvar=True,
        help="出现内部错误时显示完整的错误堆栈, 便于报告问题。")] = False,
) -> None:
    """jixiao (绩效): 预算绩效目标表的导入与查看。

    读取绩效目标表 (文本或 jixiao 表格 JSON), 还原 一级/二级/三级指标 和 指标值,
    以终端表格或 JSON (jixiao/sheet@1) 输出。
    """
    _state["debug"] = _state["debug"] or debug


@app.command("import", cls=ChineseCommand, options_metavar="[选项]")
def import_command(
    file: Annotated[str, typer.Argument(
        metavar="文件", show_default=False,
        help="要导入的绩效目标表: 文本文件 (UTF-8、GBK/GB18030 或带 BOM 的 UTF-16), "
             "或 jixiao 表格 JSON。格式按内容识别, 与扩展名无关。")],
    to: Annotated[OutputFormat, typer.Option(
        "--to", "-t", case_sensitive=False,
        help="输出形式: table 为终端表格, json 为 jixiao/sheet@1 JSON。")] = OutputFormat.table,
    output: Annotated[Optional[str], typer.Option(
        "--output", "-o", metavar="输出文件", show_default=False,
        help="写入此文件而不是屏幕。写入是原子的: 要么得到完整的新文件, 要么原文件保持不变; "
             "缺少的上级文件夹会自动创建。")] = None,
    check: Annotated[bool, typer.Option(
        "--check", help="同时按审核规则检查, 把发现加入诊断 (JSON 的 diagnostics)。"
                        "退出码不受发现影响; 需要按错误返回退出码时用 jixiao check。")] = False,
    profile: Annotated[Optional[str], typer.Option(
        "--profile", "-p", metavar="配置文件", show_default=False,
        help="审核配置 (TOML) 的路径, 与 --check 一起使用; 给出时即表示 --check。")] = None,
) -> None:
    """导入一份绩效目标表, 以表格或 JSON 显示或保存。

    示例: jixiao import examples/seed_2024_town_approval.txt --to json -o out/seed.json
    """
    from . import files, services

    sheet = files.import_sheet(file)
    if check or profile is not None:
        report = services.check_document(sheet=sheet, profile=_profile(profile))
        sheet = services.with_findings(sheet=sheet, report=report)
    if to is OutputFormat.json:
        text = services.sheet_json(sheet)
        if output is None:
            sys.stdout.write(text)
            sys.stdout.flush()
            return
    else:
        from .present import sheet_table

        renderable = sheet_table(sheet)
        if output is None:
            Console(highlight=False).print(renderable)
            return
        text = _plain_text(renderable)
    path = files.write_output(text, output)
    done = f"已将 JSON 写入 {path}" if to is OutputFormat.json else f"已将表格写入 {path}"
    _stderr().print(Text(done), soft_wrap=True)


class CheckFormat(str, Enum):
    text = "text"
    json = "json"


@app.command("check", cls=ChineseCommand, options_metavar="[选项]")
def check_command(
    file: Annotated[str, typer.Argument(
        metavar="文件", show_default=False,
        help="要检查的绩效目标表, 与 jixiao import 读取的格式相同 (文本或 jixiao 表格 JSON)。")],
    profile: Annotated[Optional[str], typer.Option(
        "--profile", "-p", metavar="配置文件", show_default=False,
        help="审核配置 (TOML): 指标体系、阈值、规则开关和级别。不给出时用默认配置。")] = None,
    previous: Annotated[Optional[str], typer.Option(
        "--previous", metavar="上年文件", show_default=False,
        help="上年的绩效目标表 (任何可导入的文件), 用于检查照搬上年和目标低于上年实际; "
             "检查自评表时给出同年的批复表, 则核对自评指标与批复是否一致。")] = None,
    fmt: Annotated[CheckFormat, typer.Option(
        "--format", "-f", case_sensitive=False,
        help="输出形式: text 为按职能分组的彩色清单, json 为 {score, grade, counts, findings}。")]
        = CheckFormat.text,
) -> None:
    """按审核规则检查一份绩效目标表, 列出问题、得分和等级。

    有“错误”级别的发现时退出码为 1, 否则为 0; 文件或配置无法使用时为 2。
    规则目录见 docs/rules.md。示例: jixiao check examples/seed_2024_town_approval.txt
    """
    from . import files, services

    sheet = files.import_sheet(file)
    last = files.import_sheet(previous) if previous is not None else None
    report = services.check_document(sheet=sheet, profile=_profile(profile), previous=last)
    if fmt is CheckFormat.json:
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=1) + "\n")
        sys.stdout.flush()
    else:
        from .present import check_view

        Console(highlight=False).print(check_view(sheet, report))
    if report.has_errors:
        raise typer.Exit(code=1)


def _profile(path: str | None) -> Any:
    """The review profile at ``path``; None (the shipped default) without one."""
    from . import files

    return files.load_profile(path) if path is not None else None


def _plain_text(renderable: RenderableType) -> str:
    """``renderable`` as plain text (no colours) for a file."""
    buf = io.StringIO()
    Console(file=buf, width=FILE_TABLE_WIDTH, color_system=None, highlight=False,
            force_terminal=False, legacy_windows=False).print(renderable)
    return buf.getvalue()


# ------------------------------------------------------------ official forms out

class RenderFormat(str, Enum):
    xlsx = "xlsx"
    docx = "docx"
    pdf = "pdf"
    html = "html"


class FormKind(str, Enum):
    department = "department"
    project = "project"


def _format_of(output: str, to: RenderFormat | None) -> RenderFormat:
    """``--to`` when given, else the output file's extension."""
    if to is not None:
        return to
    suffix = os.path.splitext(output)[1].lower().lstrip(".")
    if suffix == "htm":
        suffix = "html"
    try:
        return RenderFormat(suffix)
    except ValueError:
        raise JixiaoError(f"无法从输出文件名“{output}”判断格式, 请用 --to 指定 xlsx、docx、pdf 或 html") \
            from None


@app.command("render", cls=ChineseCommand, options_metavar="[选项]")
def render_command(
    file: Annotated[str, typer.Argument(
        metavar="文件", show_default=False,
        help="要输出的绩效目标表, 与 jixiao import 读取的格式相同 (文本或 jixiao 表格 JSON)。")],
    output: Annotated[str, typer.Option(
        "--output", "-o", metavar="输出文件", show_default=False,
        help="写入的文件。写入是原子的; 缺少的上级文件夹会自动创建。")],
    to: Annotated[Optional[RenderFormat], typer.Option(
        "--to", "-t", case_sensitive=False, show_default=False,
        help="输出格式: xlsx (Excel)、docx (Word)、pdf 或 html (可打印网页)。"
             "不给出时按输出文件的扩展名判断。")] = None,
) -> None:
    """把绩效目标表输出为标准格式的表 (Excel、Word、PDF 或网页), A4 横向, 可直接打印。

    示例: jixiao render examples/seed_2024_town_approval.txt --to pdf -o out/seed.pdf
    """
    from . import files, services

    fmt = _format_of(output, to)
    sheet = files.import_sheet(file)
    # RendererUnavailable when this machine cannot write the format (PDF without a Chinese font)
    data = services.render_document(sheet=sheet, format=fmt.value)
    path = files.write_bytes(data, output)
    _stderr().print(Text(f"已将 {fmt.value} 写入 {path}"), soft_wrap=True)


@app.command("template", cls=ChineseCommand, options_metavar="[选项]")
def template_command(
    output: Annotated[str, typer.Option(
        "--output", "-o", metavar="输出文件", show_default=False,
        help="写入的 Excel 文件 (.xlsx)。写入是原子的; 缺少的上级文件夹会自动创建。")],
    kind: Annotated[FormKind, typer.Option(
        "--kind", "-k", case_sensitive=False,
        help="表的种类: department 为部门整体支出绩效目标表, project 为项目支出绩效目标表。")]
        = FormKind.department,
) -> None:
    """生成空白的绩效目标填报模板 (Excel), 含表头、指标表、一级/二级指标下拉列表和填表说明。

    示例: jixiao template --kind project -o out/项目模板.xlsx
    """
    from . import files, services

    path = files.write_bytes(services.blank_form(kind=kind.value), output)
    _stderr().print(Text(f"已将模板写入 {path}"), soft_wrap=True)


@app.command("doctor", cls=ChineseCommand, options_metavar="[选项]")
def doctor_command() -> int:
    """检查本机是否具备 jixiao 所需的软件: 中文字体、pango、poppler、LibreOffice、PostgreSQL、数据库连接。

    缺少必需项 (PDF 输出所需的中文字体和 pango) 时退出码为 1。
    """
    from .doctor import run_checks

    checks = run_checks()
    out = Console(file=sys.stdout, highlight=False, soft_wrap=True)
    for c in checks:
        mark = Text("✓ ", style="green") if c.ok else Text("✗ " if c.required else "- ",
                                                           style="red" if c.required else "yellow")
        line = mark + Text(f"{c.name}: {c.detail}")
        if not c.ok:
            line += Text(f"  (安装: {c.hint})" if c.hint.startswith("apt-get") else f"  ({c.hint})",
                         style="dim")
        out.print(line)
    missing = [c for c in checks if c.required and not c.ok]
    optional = [c for c in checks if not c.required and not c.ok]
    if missing:
        out.print(Text(f"缺少必需项 {len(missing)} 个: " + "、".join(c.name for c in missing)
                       + "。以管理员身份运行 scripts/system-packages.sh run 可全部安装。", style="red"))
        return 1
    out.print(Text("必需项齐全。" + (f"可选项缺少 {len(optional)} 个 (只影响测试或生产部署)。"
                                  if optional else "可选项也齐全。")))
    return 0


# Administration (jixiao/cli_admin.py): the database, the org tree, accounts, API tokens.
from .cli_admin import db_app, org_app, token_app, user_app  # noqa: E402

app.add_typer(db_app, name="db")
app.add_typer(org_app, name="org")
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")


from . import cli_score  # noqa: E402, F401, I001  (jixiao score: registers itself on app)
from . import cli_web  # noqa: E402, F401, I001  (jixiao serve, jixiao demo)


# ----------------------------------------------------------------- fast start-up

_TRUE = ("1", "true", "yes", "on", "y", "t")
_FALSE = ("0", "false", "no", "off", "n", "f", "")


def _plain_coercion(params: list[Any]) -> None:
    """Give our parameters a trivial value coercer.

    typer 0.29 coerces every non-bool value through a pydantic ``TypeAdapter``,
    and importing pydantic for that costs ~0.4 s on every run — more than the
    rest of jixiao's start-up. Our parameters are only ``str``, ``bool`` and one
    ``Enum``, so we fill typer's lazily built per-parameter coercer with one
    that needs nothing. Best effort: if typer's internals change, this does
    nothing and typer's own (slower) path is used.
    """
    try:
        from typer._click.exceptions import BadParameter
        from typer._coercion import RuntimeParam
    except ImportError:  # pragma: no cover - a different typer
        return

    class Plain(RuntimeParam):
        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            kind = self.annotation
            if kind is str:
                return value if isinstance(value, str) else str(value)
            if kind is bool:
                if isinstance(value, bool):
                    return value
                word = str(value).strip().lower()
                if word in _TRUE or word in _FALSE:
                    return word in _TRUE
                raise BadParameter(f"'{value}' is not one of 'true', 'false'.", ctx=ctx, param=param)
            if isinstance(value, kind):
                return value
            try:
                return kind(str(value).lower())
            except ValueError:
                choices = ", ".join(f"'{m.value}'" for m in kind)
                raise BadParameter(f"'{value}' is not one of {choices}.", ctx=ctx,
                                   param=param) from None

    for param in params:
        desc = getattr(param, "type_descriptor", None)
        kind = getattr(desc, "annotation", None)
        plain = kind in (str, bool) or (isinstance(kind, type) and issubclass(kind, Enum))
        if plain and desc is not None and getattr(param, "_runtime_param", False) is None \
                and getattr(desc, "file_annotation", None) is None:
            param._runtime_param = Plain(parameter_info=desc.parameter_info, annotation=kind)


# ------------------------------------------------------------- the one error mapping

def _stderr() -> Console:
    return Console(stderr=True, highlight=False)


def _line(message: str, style: str = "bold red") -> None:
    one_line = " ".join(message.split())
    _stderr().print(Text(one_line, style=style), soft_wrap=True)


_USAGE_ZH = (
    (re.compile(r"No such option: (\S+?)(?: Did you mean (.+?)\?)?$"),
     lambda m: f"没有选项 {m[1]}" + (f", 你是不是想用 {m[2]}?" if m[2] else "")),
    (re.compile(r"No such command '(.+?)'\.?(?: Did you mean '(.+?)'\?)?$"),
     lambda m: f"没有命令 “{m[1]}”" + (f", 你是不是想用 “{m[2]}”?" if m[2] else "")),
    (re.compile(r"Missing command\.?$"), lambda m: "缺少命令"),
    (re.compile(r"Missing argument '(.+?)'\.?.*$"), lambda m: f"缺少参数 {m[1]}"),
    (re.compile(r"Missing option '(.+?)'\.?.*$"), lambda m: f"缺少选项 {m[1]}"),
    (re.compile(r"Option '(.+?)' requires an argument\.?$"), lambda m: f"选项 {m[1]} 后面需要一个值"),
    (re.compile(r"Invalid value for (.+?): (?:Value error, )?'(.*)' is not one of (.+?)\.?$"),
     lambda m: f"选项 {m[1]} 的值 “{m[2]}” 无效, 可选: {m[3]}"),
    (re.compile(r"Invalid value for (.+?): (?:Value error, )?(.+)$"), lambda m: f"{m[1]} 的值无效: {m[2]}"),
    (re.compile(r"Got unexpected extra argument(?:\(s\)|s)? \((.+)\)$"), lambda m: f"多余的参数: {m[1]}"),
)


def _usage_message(error: typer.TyperException) -> str:
    text = " ".join(error.format_message().split())
    text = re.sub(r" \(env var: '([^']+)'\)", r" (环境变量 \1)", text)
    for pattern, render in _USAGE_ZH:
        m = pattern.match(text)
        if m:
            return render(m)
    return text


def _debug_enabled() -> bool:
    return _state["debug"] or os.environ.get("JIXIAO_DEBUG", "").strip().lower() in _TRUE


def run(argv: list[str] | None = None) -> int:
    """Run the command line with ``argv`` and return the exit code; never raises
    except ``SystemExit`` from inside typer (which does not happen in practice)."""
    _state["debug"] = False
    try:
        command = typer.main.get_command(app)
        result = command.main(args=argv, prog_name="jixiao", standalone_mode=False)
        return result if isinstance(result, int) else 0
    except JixiaoError as e:
        _line(f"错误: {e.message}")
        return e.exit_code
    except typer.TyperException as e:  # usage errors (vendored click)
        if type(e).__name__ == "NoArgsIsHelpError":  # help was already printed
            return 0
        ctx = getattr(e, "ctx", None)
        _line(f"用法错误: {_usage_message(e)}")
        if ctx is not None:
            _line(f"运行 “{ctx.command_path} --help” 查看用法。", style="dim")
        return getattr(e, "exit_code", EXIT_USAGE)
    except typer.Abort:
        _line("已中止。")
        return 1
    except KeyboardInterrupt:
        _line("已中断。")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (``jixiao import x --to json | head``): stop quietly.
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keep interpreter exit quiet
        except OSError:
            pass
        return 1
    except Exception as e:  # a bug in jixiao
        if _debug_enabled():
            traceback.print_exc(file=sys.stderr)
        _line(f"内部错误: {type(e).__name__}: {e}")
        _line("这是 jixiao 的缺陷, 不是您的操作问题。请把这条信息和所用文件一起报告给维护者"
              " (加 --debug 或设置 JIXIAO_DEBUG=1 可显示完整堆栈)。", style="red")
        return EXIT_INTERNAL


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``jixiao`` script and ``python -m jixiao``."""
    for stream in (sys.stdout, sys.stderr):
        # Never die of a UnicodeEncodeError on a non-UTF-8 terminal.
        if stream is not None and hasattr(stream, "reconfigure") and \
                (stream.encoding or "").lower().replace("-", "") != "utf8":
            try:
                stream.reconfigure(errors="replace")
            except (OSError, ValueError):
                pass
    sys.exit(run(argv))
