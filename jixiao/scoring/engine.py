"""Recompute a self-evaluation (自评): every indicator, budget execution, totals, grades.

``score_sheet(sheet, config, approved=None)`` is pure: it reads the sheet's
targets, actuals, weights and claimed scores and returns a ``SheetScore``; it
never changes the sheet. The formulas are in ``formulas`` and docs/scoring.md,
with the domain.md section each comes from.

The order of work:

1. Each leaf is matched to its approved indicator when ``approved`` is given
   (the self-evaluation is scored against the approved target, R26).
2. Weights: the 分值 the sheet prints, else the profile's block points spread
   evenly over the block's leaves that print none; a block the sheet lacks gives
   its points away (满意度 → 效益 by default, §4.1; others in proportion).
3. Each leaf is scored by its kind (quantity, range, qualitative tier) and
   direction, and flagged where a reviewer must look.
4. Execution, per-function sums, the total and the grade.
"""
from __future__ import annotations

import math
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from ..model.indicator import COST, EFFECT, OUTPUT, SATISFACTION, level1_of, normalize_level1, normalize_level2
from ..model.sheet import Indicator, Sheet
from ..model.target import Target, infer_op, unit_family
from . import formulas as F
from .config import BLOCK_NAMES, BLOCKS, DEFAULT, TIER_NAMES, ScoringConfig
from .result import ExecutionScore, Flag, FunctionScore, IndicatorScore, SheetScore

_LEVEL1_BLOCK = {OUTPUT: "output", EFFECT: "effect", SATISFACTION: "satisfaction", COST: "cost"}
_DIRECTION_OF_OP = {"≥": "positive", ">": "positive", "=": "equal", "≤": "reverse", "<": "reverse"}
_STATED = {"positive": "positive", "negative": "reverse", "equal": "equal", "range": "range"}
_OP_TEXT = {"positive": "≥", "equal": "=", "reverse": "≤"}
# Keys under which a sheet JSON may carry the 偏差原因分析及改进措施 of a leaf: jixiao/sheet@1
# has no field of its own for it yet, so unknown keys (kept in ``extra``) are looked at.
_REASON_KEYS = ("deviation", "reason", "偏差原因分析及改进措施", "偏差原因", "未完成原因分析", "原因")
_TOTAL_KEYS = ("total_score", "自评总分", "总分")
_EXECUTION_KEYS = ("execution_score",)
_MONEY = {"元": 1, "万元": 10_000, "亿元": 100_000_000}
_PERCENT = frozenset(("%", "百分比"))


@dataclass(slots=True)
class _Row:
    where: str
    function: str | None
    ind: Indicator
    target: Target | None
    weight: float | None = None
    weight_source: str = "none"
    weight_note: str = ""
    block: str | None = None
    approved_flags: tuple[Flag, ...] = ()


def score_sheet(sheet: Sheet, config: ScoringConfig = DEFAULT, *, approved: Sheet | None = None
                ) -> SheetScore:
    """The recomputed self-evaluation of ``sheet`` under ``config``; ``approved`` is
    the approved (批复) sheet whose targets and indicator set the scores follow."""
    cfg = config
    rows = _rows(sheet)
    sheet_flags: list[Flag] = []
    notes: list[str] = []
    if approved is not None:
        sheet_flags += _match_approved(rows, approved)
    for r in rows:
        r.block = _block_of(r.ind, cfg)
    notes += _allocate(rows, cfg)
    scores = [_score_row(r, cfg) for r in rows]

    execution = _execution(sheet, cfg)
    # fsum: the exact sum of the parts, rounded once (a Decimal per part costs a third of the run)
    total = F.rounded(math.fsum([s.counted for s in scores] + [execution.recomputed or 0.0]),
                      cfg.decimals, cfg.rounding)
    if execution.recomputed is None:
        sheet_flags.append(Flag("SC-NO-EXECUTION", "缺少预算执行数据 (全年预算数、全年执行数), "
                                f"预算执行 {F.pts(execution.weight)} 未计入复算总分"))

    claimed_parts = [s.claimed for s in scores if s.claimed is not None]
    parts_total = None
    if claimed_parts or execution.claimed is not None:
        parts_total = F.rounded(math.fsum(claimed_parts + [execution.claimed or 0.0]), cfg.decimals,
                                cfg.rounding)
    stated = _number_in(sheet.extra, _TOTAL_KEYS)
    claimed_total = stated if stated is not None else parts_total
    if stated is not None and parts_total is not None and abs(stated - parts_total) > cfg.tolerance:
        sheet_flags.append(Flag("SC-TOTAL-SUM", f"表上总分 {F.pts(stated)} 不等于各项自评得分之和 "
                                                f"{F.pts(parts_total)}", inflation=stated > parts_total))
    if claimed_total is not None and claimed_total > total + cfg.tolerance:
        sheet_flags.append(Flag("SC-TOTAL-ABOVE", f"自评总分 {F.pts(claimed_total)} 高于复算总分 "
                                                  f"{F.pts(total)}, 高出 {F.pts(round(claimed_total - total, 6))}",
                                inflation=True))
    sheet_flags += _weight_total_flag(rows, execution, cfg)
    return SheetScore(
        indicators=tuple(scores), execution=execution, functions=_functions(scores, cfg),
        claimed_total=claimed_total, recomputed_total=total,
        claimed_grade=cfg.grades.of(claimed_total) if claimed_total is not None else None,
        recomputed_grade=cfg.grades.of(total), flags=tuple(sheet_flags), notes=tuple(notes),
        profile=cfg.source)


# --- rows, approval ---------------------------------------------------------------------

def _rows(sheet: Sheet) -> list[_Row]:
    rows = [_Row(f"functions[{fi}].indicators[{ii}]", fn.label or f"职能{fi + 1}", ind, ind.target)
            for fi, fn in enumerate(sheet.functions) for ii, ind in enumerate(fn.indicators)]
    rows += [_Row(f"indicators[{ii}]", None, ind, ind.target) for ii, ind in enumerate(sheet.indicators)]
    return rows


def _key(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name or "").split())


def _match_approved(rows: list[_Row], approved: Sheet) -> list[Flag]:
    """Score each leaf against its approved target; flag leaves added, changed, dropped."""
    by_key: dict[tuple[str | None, str], list[_Row]] = defaultdict(list)
    by_name: dict[str, list[_Row]] = defaultdict(list)
    for a in _rows(approved):
        by_key[(a.function, _key(a.ind.name))].append(a)
        by_name[_key(a.ind.name)].append(a)
    used: set[int] = set()
    for r in rows:
        k = _key(r.ind.name)
        cands = [a for a in by_key.get((r.function, k), []) if id(a) not in used] or \
                [a for a in by_name.get(k, []) if id(a) not in used]
        if not cands:
            r.approved_flags = (Flag("SC-NOT-APPROVED", f"“{r.ind.name}”不在批复的指标中 "
                                                        "(自评须使用批复的指标, 增加指标须经批准的调整)"),)
            continue
        a = cands[0]
        used.add(id(a))
        old = a.ind.target
        if old is not None:
            if r.target is not None and _key(r.target.text) != _key(old.text):
                easier = _easier(r.target, old, r.ind)
                r.approved_flags = (Flag("SC-TARGET-CHANGED", f"指标值由批复的“{old.text}”改为“{r.target.text}”"
                                                              f"{'(降低了目标)' if easier else ''}, 按批复的指标值复算",
                                         inflation=easier is not False),)
            r.target = old
        if r.ind.weight is None and a.ind.weight is not None:
            r.weight, r.weight_source = a.ind.weight, "approved"
    return _missing(by_name, used)


def _easier(new: Target, old: Target, ind: Indicator) -> bool | None:
    """Whether the changed target is easier to meet than the approved one; None when
    the two cannot be compared (words, ranges, different units)."""
    if new.value is None or old.value is None or new.kind != "quantity" or old.kind != "quantity" \
            or (new.unit or "") != (old.unit or ""):
        return None
    direction, _ = _direction(ind, old)
    if direction == "reverse":
        return new.value > old.value
    return new.value < old.value


def _missing(by_name: dict[str, list[_Row]], used: set[int]) -> list[Flag]:
    out = []
    for group in by_name.values():
        for a in group:
            if id(a) not in used:
                where = f"“{a.function}”中" if a.function else ""
                out.append(Flag("SC-APPROVED-MISSING",
                                f"批复{where}的指标“{a.ind.name} {a.ind.target.text if a.ind.target else ''}”"
                                "在自评表中缺失", inflation=True))
    return out


# --- weights ----------------------------------------------------------------------------

def _block_of(ind: Indicator, cfg: ScoringConfig) -> str | None:
    l1 = normalize_level1(ind.level1)
    if l1 is None:
        l2 = normalize_level2(ind.level2)
        l1 = level1_of(l2) if l2 else None
    block = _LEVEL1_BLOCK.get(l1) if l1 else None
    if block == "cost" and cfg.weights.cost <= 0:
        return "output"                 # 成本 inside the 产出 points, as real forms do (§2.5)
    return block


def _allocate(rows: list[_Row], cfg: ScoringConfig) -> list[str]:
    """Fill ``weight`` of every row; return notes on where profile points went."""
    W = cfg.weights
    notes: list[str] = []
    use_sheet = W.source == "sheet"
    for r in rows:
        if use_sheet and r.ind.weight is not None:
            r.weight, r.weight_source = r.ind.weight, "sheet"
        elif not use_sheet:
            r.weight, r.weight_source = None, "none"
    need = [r for r in rows if r.weight is None]
    if not need:
        if rows and use_sheet:
            notes.append("分值取自表内")
        return notes
    present = {r.block for r in rows if r.block is not None}
    points = {b: W.of(b) for b in BLOCKS if b != "cost" or W.cost > 0}
    missing = {b: p for b, p in points.items() if b not in present and p > 0}
    points = {b: p for b, p in points.items() if b in present}
    sat = missing.pop("satisfaction", None)
    if sat is not None:
        to = W.satisfaction_to
        if to and to in points:
            points[to] += sat
            notes.append(f"没有满意度指标, 其 {F.pts(sat)} 并入{BLOCK_NAMES[to]} (财预〔2020〕10号)")
        elif to:
            missing["satisfaction"] = sat
        else:
            notes.append(f"没有满意度指标, 其 {F.pts(sat)} 按配置不再分配")
    spread = sum(missing.values())
    base = sum(points.values())
    if spread and base:
        for b in points:
            points[b] += spread * points[b] / base
        gone = "、".join(BLOCK_NAMES[b] for b in missing)
        notes.append(f"没有{gone}, 其 {F.pts(spread)} 按比例分给其余一级指标")
    by_block: dict[str, list[_Row]] = defaultdict(list)
    for r in rows:
        if r.block is not None:
            by_block[r.block].append(r)
    for b, members in by_block.items():
        rest = [r for r in members if r.weight is None]
        if not rest:
            continue
        given = sum(r.weight for r in members if r.weight is not None)
        left = max(0.0, points.get(b, 0.0) - given)
        each = left / len(rest)
        how = (f"按配置: {BLOCK_NAMES[b]} {F.pts(points.get(b, 0.0))}"
               + (f" − 表内分值 {F.pts(given)}" if given else "")
               + f" ÷ {len(rest)} 个指标 = {F.pts(each)}")
        for r in rest:
            r.weight, r.weight_source, r.weight_note = each, "profile", how
    return notes


def _weight_total_flag(rows: list[_Row], execution: ExecutionScore, cfg: ScoringConfig) -> list[Flag]:
    if not any(r.weight_source == "sheet" for r in rows):
        return []
    leaves = sum(r.weight or 0.0 for r in rows)
    total = leaves + execution.weight
    if abs(total - 100.0) > cfg.tolerance:
        return [Flag("SC-WEIGHTS-TOTAL", f"指标分值合计 {F.pts(leaves)}, 加预算执行 {F.pts(execution.weight)} "
                                         f"为 {F.pts(total)}, 不是 100 分")]
    return []


# --- one indicator ----------------------------------------------------------------------

def _score_row(r: _Row, cfg: ScoringConfig) -> IndicatorScore:
    flags: list[Flag] = list(r.approved_flags) if r.approved_flags else []
    method, recomputed, derivation, text_actual = _compute(r, cfg, flags)
    ind, w, claimed = r.ind, r.weight, r.ind.score
    if w is not None and r.weight_source == "profile":
        derivation = f"分值 {r.weight_note}; " + derivation
    if claimed is not None:
        _claim_flags(flags, claimed, recomputed, w, cfg, text_actual, ind.actual)
    if w is not None:
        floor = w - cfg.tolerance
        if ((claimed is not None and claimed < floor) or (recomputed is not None and recomputed < floor)) \
                and not _reason(ind):
            flags.append(Flag("SC-REASON-MISSING", "得分低于分值, 须填写偏差原因分析及改进措施"))
    if recomputed is not None:
        counted = recomputed
    elif cfg.unscorable == "claimed" and claimed is not None:
        counted = min(claimed, w) if w is not None else claimed
        derivation += f"; 按配置计入自评得分 {F.pts(counted)}"
    else:
        counted = 0.0
        if w:
            derivation += "; 复算总分按 0 分计入"
    return IndicatorScore(r.where, ind.name, r.function, BLOCK_NAMES.get(r.block) if r.block else None,
                          w, r.weight_source, method, claimed, recomputed, counted, derivation, tuple(flags))


def _compute(r: _Row, cfg: ScoringConfig, flags: list[Flag]) -> tuple[str, float | None, str, bool]:
    """(method, recomputed score or None, derivation, whether the actual is words)."""
    ind, t, w = r.ind, r.target, r.weight
    if w is None:
        return "unscorable", None, "无法确定所属一级指标, 表内也没有分值, 无法复算", False
    if w < 0:
        return "unscorable", None, f"分值 {F.num(w)} 为负数, 无法复算", False
    if t is None or t.kind == "empty":
        return "unscorable", None, "没有指标值, 无法复算", False
    if t.kind == "placeholder":
        return "unscorable", None, f"指标值“{t.text}”是未填的占位符, 无法复算", False
    if t.value is None or t.kind in ("qualitative", "deadline", "period"):
        return _qualitative(r, cfg, flags)

    a = ind.actual
    if a is None or a.kind in ("empty", "placeholder"):
        return "unscorable", None, "未填实际完成值, 无法复算", False
    if a.value is None or a.kind not in ("quantity", "range"):
        return "unscorable", None, f"目标“{t.text}”是定量的, 实际完成值却写成文字“{a.text}”, 无法复算", True
    if a.kind == "range":
        return "unscorable", None, f"实际完成值“{a.text}”是一个区间, 不是实际完成的数, 无法复算", False
    av, prefix = _in_target_unit(a, t)
    if av is None:
        return "unscorable", None, f"实际完成值“{a.text}”与目标“{t.text}”的单位不一致, 无法复算", False
    if a.op is not None:
        flags.append(Flag("SC-COPIED-ACTUAL", f"实际完成值“{a.text}”带有比较符, 照抄了目标值, "
                                              "不是实际完成的数", inflation=True))
    direction, how = _direction(ind, t)
    if how:
        prefix += how
    tv, unit = t.value, t.unit
    upper = t.upper if t.upper is not None else tv
    lower = tv if direction != "range" else min(tv, upper)
    if av < 0 and lower >= 0:
        prefix += f"实际 {F.num(av)} 为负数, 按 0 计; "
        av = 0.0
    if direction == "positive":
        s, text = F.positive(av, tv, w, unit, cfg)
    elif direction == "reverse":
        s, text = F.reverse(av, tv, w, unit, cfg)
    elif direction == "equal":
        s, text = F.equal(av, tv, w, unit, cfg)
    else:
        s, text = F.in_range(av, tv, upper, w, unit, cfg)
    _direction_flags(flags, direction, av, t, cfg, ind)
    return direction, s, prefix + text if prefix else text, False


def _qualitative(r: _Row, cfg: ScoringConfig, flags: list[Flag]) -> tuple[str, float | None, str, bool]:
    """A 定性 (or date-like) target: the actual's tier decides the band; the claimed
    score is kept when inside it, else moved to its nearer edge (§4.1, [K 10号][C1])."""
    t, a, w, claimed = r.target, r.ind.actual, r.weight, r.ind.score
    assert t is not None and w is not None
    if a is None or a.kind in ("empty", "placeholder"):
        return "unscorable", None, "未填实际完成值, 无法复算", False
    tier = tier_of(a.text, t.text, cfg)
    if tier is None:
        return "unscorable", None, f"实际完成情况“{a.text}”看不出属于哪一档 (达成/部分达成/未达成), 无法复算", True
    lo, hi = cfg.qualitative.band(tier)
    step = 10.0 ** -cfg.decimals
    low = F.rounded(F.dec(lo) * F.dec(w), cfg.decimals, cfg.rounding)
    high = F.rounded(F.dec(hi) * F.dec(w), cfg.decimals, cfg.rounding)
    closed = tier == "achieved" or hi >= 1.0
    top = high if closed else max(low, F.rounded(F.dec(high) - F.dec(step), cfg.decimals, "half_up"))
    band = f"[{F.num(low)}, {F.num(high)}{']' if closed else ')'} 分"
    text = (f"定性指标: 实际“{a.text}”属“{TIER_NAMES[tier]}”档, 该档得分 {band} "
            f"({F.num(lo * 100)}%–{F.num(hi * 100)}% × {F.pts(w)}); ")
    if claimed is None:
        s = top if cfg.qualitative.pick == "top" else low
        text += f"未填自评得分, 取档内{'最高' if cfg.qualitative.pick == 'top' else '最低'} {F.pts(s)}"
    elif low <= claimed <= top:
        s = claimed
        text += f"自评 {F.pts(claimed)} 在档内, 采用 {F.pts(s)}"
    else:
        s = low if claimed < low else top
        text += f"自评 {F.pts(claimed)} 不在档内, 按档{'下限' if claimed < low else '上限'} {F.pts(s)} 计"
    if claimed is not None and w and claimed >= w - cfg.tolerance:
        flags.append(Flag("SC-FULL-ON-QUALITATIVE", f"定性指标“{r.ind.name}”自评满分 ({a.text}), "
                                                    "须有佐证材料", inflation=True))
    return "qualitative", s, text, False


def tier_of(actual: str, target: str, cfg: ScoringConfig = DEFAULT) -> str | None:
    """The tier (achieved / partial / failed) an actual's words put it in; an actual
    that repeats the target's words is achieved. None when the words say nothing."""
    s, t = _key(actual), _key(target)
    if not s:
        return None
    q = cfg.qualitative
    for words, tier in ((q.failed_words, "failed"), (q.partial_words, "partial")):
        if any(w in s for w in words):
            return tier
    if s == t:
        return "achieved"
    if any(w in s for w in q.achieved_words):
        return "achieved"
    return None


def _direction(ind: Indicator, t: Target) -> tuple[str, str]:
    """The scoring direction and, when it was not written, how it was decided."""
    if t.kind == "range":
        return "range", ""
    if t.op:
        return _DIRECTION_OF_OP[t.op], ""
    stated = _STATED.get(ind.direction or "")
    if stated and stated != "range":
        return stated, ""
    op = t.op_inferred or infer_op(t, ind.name)
    if op:
        d = _DIRECTION_OF_OP[op]
        return d, f"原文未写比较符, 按“{_OP_TEXT[d]}”计; "
    return "positive", "原文未写比较符, 按“≥”计; "


def _in_target_unit(a: Target, t: Target) -> tuple[float | None, str]:
    """The actual's value in the target's unit, or None when the units disagree."""
    av, au, tu = a.value, (a.unit or "").strip(), (t.unit or "").strip()
    assert av is not None
    if not au or not tu or au == tu or (au in _PERCENT and tu in _PERCENT):
        return av, ""
    if au in _MONEY and tu in _MONEY:
        conv = float(F.dec(av) * _MONEY[au] / _MONEY[tu])
        return conv, f"实际 {F.num(av)}{au} 折合 {F.num(conv)}{tu}; "
    if unit_family(au) == unit_family(tu) == "count":
        return av, ""
    return None, ""


def _direction_flags(flags: list[Flag], direction: str, a: float, t: Target, cfg: ScoringConfig,
                     ind: Indicator) -> None:
    tv = t.value
    assert tv is not None
    if direction in ("positive", "equal") and tv > 0 and a >= cfg.over_achievement * tv:
        need = "" if _reason(ind) else ", 且未填写偏差原因"
        flags.append(Flag("SC-OVER-ACHIEVED", f"实际是目标的 {F.num(round(a / tv, 2))} 倍 (达到 "
                                              f"{F.num(cfg.over_achievement)} 倍), 目标可能定得过低, "
                                              f"须说明偏差原因{need}"))
    if cfg.flag_reverse_exceeded and direction == "reverse" and a > tv:
        flags.append(Flag("SC-REVERSE-EXCEEDED", "反向指标的实际值超过目标值"))
    if cfg.flag_equal_mismatch and direction == "equal" and a != tv:
        flags.append(Flag("SC-EQUAL-MISMATCH", "“=”指标的实际值与目标值不相等"))


def _claim_flags(flags: list[Flag], claimed: float, recomputed: float | None, w: float | None,
                 cfg: ScoringConfig, text_actual: bool, actual: Target | None) -> None:
    tol = cfg.tolerance
    if w is not None and claimed > w + tol:
        flags.append(Flag("SC-ABOVE-WEIGHT", f"自评 {F.pts(claimed)} 超过分值 {F.pts(w)}", inflation=True))
    if recomputed is None:
        no_actual = actual is None or actual.kind in ("empty", "placeholder")
        if no_actual and claimed > tol:
            flags.append(Flag("SC-SCORE-WITHOUT-ACTUAL", f"没有实际完成值, 却自评 {F.pts(claimed)}",
                              inflation=True))
        elif text_actual and w is not None and claimed >= w - tol:
            flags.append(Flag("SC-FULL-ON-TEXT", f"实际完成值只写了文字“{actual.text if actual else ''}”, "
                                                 f"却自评满分 {F.pts(claimed)}", inflation=True))
        return
    if claimed > recomputed + tol:
        flags.append(Flag("SC-CLAIMED-ABOVE", f"自评 {F.pts(claimed)} 高于复算 {F.pts(recomputed)}, "
                                              f"高出 {F.pts(round(claimed - recomputed, 6))}", inflation=True))
    elif claimed < recomputed - tol:
        if w is not None and recomputed >= w - tol:
            flags.append(Flag("SC-DEDUCTED-WHEN-MET", f"目标已达成 (复算满分 {F.pts(recomputed)}), "
                                                      f"自评却只给 {F.pts(claimed)}"))
        else:
            flags.append(Flag("SC-CLAIMED-BELOW", f"自评 {F.pts(claimed)} 低于复算 {F.pts(recomputed)}"))


def _reason(ind: Indicator) -> str | None:
    if not ind.extra:
        return ind.explanation if ind.explanation and ind.explanation.strip() else None
    for k in _REASON_KEYS:
        v = ind.extra.get(k)
        if isinstance(v, str) and v.strip():
            return v
    return ind.explanation if ind.explanation and ind.explanation.strip() else None


# --- execution, functions ---------------------------------------------------------------

def _number_in(d: dict | None, keys: tuple[str, ...]) -> float | None:
    for k in keys:
        v = (d or {}).get(k)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return float(v)
    return None


def _execution(sheet: Sheet, cfg: ScoringConfig) -> ExecutionScore:
    w = cfg.weights.execution
    funds = sheet.funds or {}
    claimed = _number_in(funds, _EXECUTION_KEYS)
    if claimed is None:
        claimed = _number_in(sheet.extra, _EXECUTION_KEYS)
    labels = {"budget": "全年预算数", "budget_initial": "年初预算数"}
    first = cfg.execution.denominator
    other = "budget_initial" if first == "budget" else "budget"
    executed = _number_in(funds, ("executed",))
    note = ""
    key = first
    if _number_in(funds, (first,)) is None and _number_in(funds, (other,)) is not None:
        key, note = other, f"表上没有{labels[first]}, 改用{labels[other]}; "
    budget = _number_in(funds, (key,))
    flags: list[Flag] = []
    if executed is None or budget is None or budget <= 0:
        why = "表上没有全年执行数" if executed is None else f"表上没有可用的{labels[first]}"
        return ExecutionScore(w, claimed, None, None, f"{why}, 无法复算预算执行率", ())
    executed_v = max(executed, 0.0)
    s, rate, text = F.execution(executed_v, budget, w, labels[key], cfg)
    if rate < cfg.execution.reason_below:
        flags.append(Flag("SC-EXECUTION-LOW", f"预算执行率 {rate:.2f}% 低于 {F.num(cfg.execution.reason_below)}%, "
                                              "须说明原因"))
    if claimed is not None and claimed > s + cfg.tolerance:
        flags.append(Flag("SC-CLAIMED-ABOVE", f"预算执行自评 {F.pts(claimed)} 高于复算 {F.pts(s)}", inflation=True))
    return ExecutionScore(w, claimed, s, rate, note + text, tuple(flags))


def _functions(scores: list[IndicatorScore], cfg: ScoringConfig) -> tuple[FunctionScore, ...]:
    groups: dict[str, list[IndicatorScore]] = {}
    for s in scores:
        if s.function is not None:
            groups.setdefault(s.function, []).append(s)
    out = []
    for label, members in groups.items():
        weight = F.rounded(math.fsum(m.weight or 0.0 for m in members), cfg.decimals, cfg.rounding)
        got = F.rounded(math.fsum(m.counted for m in members), cfg.decimals, cfg.rounding)
        claims = [m.claimed for m in members if m.claimed is not None]
        claimed = F.rounded(math.fsum(claims), cfg.decimals, cfg.rounding) if claims else None
        rate = F.rounded(F.dec(got) / F.dec(weight) * 100, 2, "half_up") if weight > 0 else None
        out.append(FunctionScore(label, weight, claimed, got, rate,
                                 cfg.grades.of(rate) if rate is not None else None))
    return tuple(out)
