"""The rule catalogue (docs/rules.md), generated from the registered rules.

    python -m jixiao.validation.catalog > docs/rules.md

Every rule's metadata, its two embedded examples and what the checker says about
the failing one are printed from the code, so the catalogue cannot drift from it
(tests/test_validation_docs.py compares the file with this output).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from ..model.codec import sheet_from_dict
from ..model.target import format_number
from .engine import Report, run
from .labels import FUNDS_LABEL, KIND_LABEL, STAGE_LABEL
from .profile import default_profile, merged
from .registry import SEVERITY_LABEL, Example, Rule, all_rules
from .score import ERROR_CAP, GRADE_MEANING, GRADES, REFERENCE_SIZE, WEIGHTS


def run_example(example: Example) -> Report:
    """Check an example the way the tests and the catalogue do."""
    profile = merged(default_profile(), example.profile)
    previous = sheet_from_dict(example.previous) if example.previous is not None else None
    return run(sheet_from_dict(example.sheet), profile=profile, previous=previous)


def _value(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return format_number(v)
    return str(v)


def _sheet_lines(d: dict[str, Any]) -> list[str]:
    kind, stage = str(d.get("kind")), str(d.get("stage"))
    head = [f"{KIND_LABEL.get(kind, kind)} · {STAGE_LABEL.get(stage, stage)}"
            + (f" · {d['year']}年" if d.get("year") else "")]
    if d.get("project"):
        head.append(f"项目名称: {d['project']}")
    elif d.get("kind") == "project":
        head.append("项目名称: (空)")
    goals = d.get("goals") or []
    head.append("年度目标: " + ("; ".join(f"目标{i}: {g}" for i, g in enumerate(goals, 1)) if goals else "(空)"))
    if d.get("funds"):
        head.append("资金(万元): " + ", ".join(f"{FUNDS_LABEL.get(k, k)} {_value(v)}" for k, v in d["funds"].items()))
    for k, v in (d.get("extra") or {}).items():
        head.append(f"{k}: {v}")
    rows = []
    for fn in d.get("functions") or []:
        rows.append(f"{fn['label']}: {fn.get('description') or '(职能描述为空)'}")
        rows += ["  " + _indicator(i) for i in fn.get("indicators") or []]
    rows += [_indicator(i) for i in d.get("indicators") or []]
    return head + rows


def _indicator(i: dict[str, Any]) -> str:
    parts = [f"{i.get('level1') or '—'}/{i.get('level2') or '—'}", i.get("name") or "(无名称)",
             _value(i.get("target"))]
    for key, label in (("actual", "实际"), ("weight", "权重"), ("score", "得分"), ("basis", "取值依据"),
                       ("explanation", "指标解释"), ("criteria", "评分标准")):
        if i.get(key) is not None:
            parts.append(f"{label} {_value(i[key])}")
    return " | ".join(parts)


def _example(title: str, ex: Example, rule: Rule, *, failing: bool) -> list[str]:
    out = [f"**{title}**" + (f" ({ex.note})" if ex.note else ""), "", "```text"]
    out += _sheet_lines(ex.sheet)
    if ex.previous is not None:
        out += ["", "--previous:"] + _sheet_lines(ex.previous)
    if ex.profile:
        out += ["", "配置: " + ", ".join(f"{k} = {v!r}" for k, v in ex.profile.items())]
    out.append("```")
    if failing:
        hits = [d for d in run_example(ex).findings if d.code == rule.id]
        out += [""] + [f"> [{SEVERITY_LABEL[d.severity]}] {d.code} `{d.extra.get('location') or d.where}`: "
                       f"{d.message}。建议: {d.hint}" for d in hits]
    return out + [""]


def _score_section() -> list[str]:
    w = WEIGHTS
    bands = " / ".join(f"{g} ≥ {format_number(f)}" if f else f"{g} < {format_number(GRADES[-2][0])}"
                       for f, g in GRADES)
    return [
        "## 得分与等级",
        "",
        "每次检查给出 0–100 的得分和审核等级:",
        "",
        "```text",
        f"得分 = 100 − Σ(每条规则) 权重[级别] × (1 + ln(max(1, n × {REFERENCE_SIZE} / max(N, {REFERENCE_SIZE}))))",
        "```",
        "",
        f"- 权重: 错误 {format_number(w['error'])}, 警告 {format_number(w['warning'])}, "
        f"提示 {format_number(w['info'])}。`n` 为该规则的发现条数, `N` 为三级指标总数。",
        "- 同一规则的第一条发现扣足权重, 其后逐条递减 (同一习惯反复出现, 算一个问题而不是几十个);"
        f" 指标多于 {REFERENCE_SIZE} 个的表, 条数按 {REFERENCE_SIZE} 个指标的表折算, 大表不因规模吃亏。",
        f"- 有任何错误时, 得分最高 {format_number(ERROR_CAP)} (错误须修改后才能报送)。得分不低于 0, 保留一位小数。",
        "- 新增一条发现, 得分只会不变或降低; 同样的发现, 级别越高扣分越多。",
        "",
        f"等级: {bands}。",
        "",
        "| 等级 | 含义 |",
        "|---|---|",
        *[f"| {g} | {GRADE_MEANING[g]} |" for _, g in GRADES],
        "",
    ]


FIGURES = Path(__file__).resolve().parents[2] / "tests" / "data" / "review" / "figures.json"


def _review_section() -> list[str]:
    """Recall and precision on the review set (tests/data/review), as last measured."""
    if not FIGURES.exists():
        return []
    f = json.loads(FIGURES.read_text("utf-8"))
    return [
        "## 审核集上的查全率与查准率",
        "",
        f"审核集 `tests/data/review/` 共 {f['sheets']} 张表 (种子表、开发语料中专家读出的表、为各类问题编写的表), "
        "每张表列出审核人员会提出的问题、会被视为噪声的发现和可提可不提的发现。查全率 = 找到的问题 / 应提出的问题"
        " (任何级别); 查准率 = 与应提出的问题相符的警告和错误 / 全部警告和错误 (未列出的发现算作误报, 提示不计)。"
        "由 `python -m jixiao.validation.review tests/data/review --write` 计算。",
        "",
        f"合计: 查全率 {f['recall']:.3f}, 查准率 {f['precision']:.3f}, 审核人员不会退回却报为错误的发现 "
        f"{f['blocking_noise']} 条。注意: 这些表与规则由同一人编写和调整, 数字偏乐观。其中标为“盲测”的表是先写好"
        "应提出的问题、再第一次运行检查的; 按第一次运行的结果 (见 docs/benchmarks.md 的 Checker findings 一节),"
        " 35 批共 136 张表合计查全率 0.82、查准率 0.91, 其中较晚的第 24–35 批 (48 张) 为 0.90 / 0.93,"
        " 更接近未见过的表上的效果; 整个过程合计尚未达到 0.85 的查全率。",
        "",
        *f["rows"],
        "",
    ]


def render() -> str:
    rules = all_rules()
    out = [
        "# 审核规则目录",
        "",
        "<!-- 本文件由代码生成, 请勿手工修改: python -m jixiao.validation.catalog > docs/rules.md -->",
        "",
        "`jixiao check` 按以下规则检查绩效目标表。编号 R1–R26 是预算绩效目标的审核规则,"
        " V- 开头的是其外的检查, “细化”一栏注明它细化的审核规则。每条发现包括编号、级别、位置"
        " (按表格的说法, 如 `表头·主管部门`、`年度目标3`、`职能2 › 产出指标 › 数量指标 › 指标名称`;"
        " JSON 输出另有路径 `where`)、引用原值的说明和修改建议。同一单元格上描述同一问题的几条规则只报一条"
        " (“合并”一栏列出被合并的规则)。",
        "",
        "**错误** 是审核时会退回重报的问题, 在网上流程中阻止报送, 所以只用于确定无疑的问题;"
        " 表式本身没有的栏目不算错误 (部门整体表的主管部门就是本单位)。自评表 (阶段为自评) 的指标“不增、不减”:"
        " 关于目标设定的发现降为提示, 写成对下年度目标的建议或请在偏差原因中说明; 另有专门检查自评的规则"
        " (V-SE-…)。导入程序标记表格不完整 (诊断 `IMPORT_TABLE_INCOMPLETE`) 时, 全表提示一次 (V-TABLE-INCOMPLETE),"
        " 缺项类规则降为提示。",
        "",
        "级别: **错误** 须修改后才能报送 (有错误时 `jixiao check` 退出码为 1); **警告** 应当修改或说明;"
        " **提示** 值得一看。规则的开关、级别和阈值可在审核配置 (TOML, `--profile`) 中调整,"
        " 默认配置见 `jixiao/validation/profiles/default.toml`。",
        "",
        "缺少某条规则所需的数据时 (资金、权重、上年的表、实际完成值), 该规则不检查, 不因表式没有这些栏目而报错。",
        "",
        "| 编号 | 级别 | 规则 | 细化 | 合并 | 需要的数据 |",
        "|---|---|---|---|---|---|",
    ]
    for r in rules:
        out.append(f"| [{r.id}](#{r.id.lower()}) | {SEVERITY_LABEL[r.severity]} | {r.title} | {r.refines or ''} "
                   f"| {'、'.join(r.supersedes)} | {r.needs or '—'} |")
    out += [""] + _score_section() + _review_section()
    for r in rules:
        out += [f"## {r.id}", "", f"**{r.title}** — {SEVERITY_LABEL[r.severity]}"
                + (f", 细化 {r.refines}" if r.refines else ""), "",
                f"- 检查什么: {r.checks}", f"- 为什么: {r.why}"]
        if r.needs:
            out.append(f"- 需要的数据: {r.needs}")
        if r.supersedes:
            out.append(f"- 同一单元格上合并: {'、'.join(r.supersedes)} (本规则报出时, 它们不再单独报)")
        if r.phase == "setting":
            out.append("- 自评表上: 降为提示, " + ("请在偏差原因中说明" if r.on_self_evaluation == "explain"
                                             else "作为编制下年度目标的建议"))
        if r.completeness:
            out.append("- 表格不完整时: 降为提示")
        out.append("")
        out += _example("不通过的例子", r.fails, r, failing=True)
        out += _example("通过的例子", r.passes, r, failing=False)
    return "\n".join(out).rstrip() + "\n"


def main() -> None:
    sys.stdout.write(render())


if __name__ == "__main__":
    main()
