"""Cutting a run of table text whose cell separators were lost into rows and cells.

A form copied from some web pages loses every space and line break, so a row
reads ``项目(工程)验收合格率20100%100%20`` (name, 分值 20, 指标值 100%, 实际值
100%, 得分 20). Where one cell ends is ambiguous (``20100`` could be 2|0100 or
201|00), so every plausible cut is scored and the best one over the whole table
is chosen by a beam search over (position, column) — lattice states keep what the
later columns are checked against: the row's weight (得分 ≤ 分值), its target
(the actual value usually has the target's unit), and the weights summed so far
(a block's weights add up to its printed subtotal, all of them to 100).

Costs are negative log-likelihoods in spirit, set by hand (on the real excerpt
009 and on generated forms, tests/test_importers_collapsed.py); the ones that
decide most cuts are rules real forms obey (no leading zeros, no unbalanced
brackets in a name, units and graded values from the lists in domain.md).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

from ...model.target import QUALITATIVE_WORDS, parse_target
from . import fused, scorecard
from .empty_cells import Bare, leftover_end

INF = float("inf")
BEAM = 3           # states kept per (position, column)
BEAM_ROWS = 8      # and between rows, where they differ in the weights summed
MARGIN = 5.0       # and only those this close to the best at their position
CELL_MAX = 6.0     # a cell dearer than this is never the right reading
NAME_MAX = 48      # characters in a 三级 name
TEXT_MAX = 80      # characters in a 指标解释 / 原因 cell
VALUE_MAX = 24

OP_CHARS = frozenset("≥≤=<>＞＜≧≦＝﹦⩾⩽")
_OP_WORDS = ("大于或等于", "小于或等于", "大于等于", "小于等于", "不低于", "不少于", "不高于", "不超过", "不多于",
             "不大于", "不小于", "至少", "达到", "高于", "低于", "大于", "小于", "超过", "控制在", "等于",
             ">=", "<=", "＞＝", "＜＝")
# Units of measure (domain.md §2.3) and the common ones beside them; a longer
# unknown unit costs more, so a name running on after a value is not eaten.
UNITS = frozenset("""% ‰ 个 项 人 人次 人/次 次 场 场次 户 家 所 座 台 套 件 册 本 篇 份 期 批 条 张 部 间 名 位 只 头
    株 棵 辆 艘 架 处 宗 起 类 村 所次 户次 次/年 天 日 工作日 个工作日 小时 分钟 月 个月 年 周 季度 学期 课时 学时
    元 万元 亿元 千元 元/人 元/人·月 元/人/月 元/月 元/年 元/亩 元/平方米 元/米 元/吨 元/次 万元/公里
    亩 万亩 公顷 公里 千米 米 厘米 毫米 平方米 万平方米 平方公里 立方米 万立方米 吨 公斤 千克 万吨 吨/日
    百分比 百分点 个百分点 分 倍 床 盏 口 眼 座次 班 万人 万人次 万册 万份 人/年 km m""".split())
_UNIT_SUFFIX = ("及以上", "以上", "以内", "以下", "左右", "内")
# Graded and stock qualitative values (domain.md §2.2) and completion words.
QUALITATIVE = frozenset(QUALITATIVE_WORDS) | frozenset("""达到预期 达成预期 达成预期指标 达成年度指标
    部分达成年度指标并具有一定效果 未达成年度指标且效果较差 完成 已完成 全部完成 全面完成 基本完成 按要求完成
    合格 达标 是 否 有 无 优秀 良好 明显改善 有效改善 持续改善 逐步提高 持续提升
    效果显著 效果良好 符合要求 符合标准 规范 按时 及时 按期 按月 按季 按季度 按年 按时完成
    按期完成 年底前 年底前完成 在项目计划完成时间内完成 长期 正常运转 有所增加 稳步提升
    不超预算 不超过预算 控制在预算内 控制在预算范围内 预算范围内""".split())
# A 指标方向 / 指标性质 cell that names the answers instead of an operator.
ANSWER_SETS = ("是/否", "是或否", "有/无", "有或无")
_REPEAT = re.compile(r"(.{2,})\1")
_LONG_WORD = re.compile("|".join(sorted((re.escape(w) for w in QUALITATIVE if len(w) >= 4), key=len, reverse=True)))
_NUMBER = re.compile(r"(?:0|[1-9]\d{0,7})(?:\.\d{1,4})?")
_WEIGHT = re.compile(r"(?:0|[1-9]\d{0,3})(?:\.\d{1,2})?")
_DEADLINE = re.compile(r"(?:\d{4}年)?(?:\d{1,2}月)?(?:\d{1,2}[日号])?(?:底|末|中旬|上旬|下旬)?"
                       r"(?:前|之前|以前)?(?:完成|完工|办结|发放完毕|到位|实施)?")
_OPEN, _CLOSE = "(（[【“", ")）]】”"
_COLUMN_WORDS = ("定性", "定量", "正向", "反向")  # 指标性质 cells, never inside a name
_SHORT = {2: 1.0, 3: 0.4}  # names of two or three characters are rare
_NO_FIRST = OP_CHARS | frozenset(_CLOSE) | frozenset("%.,，、。;；/")
# Last characters of real 三级 names (…率, …人数, …满意度, …成本 …): a cut after
# one of them is a little more likely than after any other character.
_STRONG_ENDS = frozenset("率")
_END_AFTER = {"标": "指目达", "本": "成资样"}  # 按标|准, 基本|生活: no word ends there
_NAME_ENDS = frozenset("率数度量性额费本准限间况制平识响益积价值期模次效果标")


@dataclass(frozen=True, slots=True)
class Cell:
    role: str
    start: int
    end: int
    text: str


# A search state is a plain tuple (speed: hundreds of thousands are made per form):
# (cost, column k, row weight, row target signature, block sum, block subtotal,
#  total, filled value cells of the row, back pointer (previous state, cell)).
# Column 0 means "before a name"; m + 1 "row complete". Weight and target are
# kept only while a later column checks them (fewer distinct states).
_INIT = (0.0, 0, None, None, 0.0, None, 0.0, 0, None)
#: a candidate cell: (end, cost, text, (role, start, end, text)) — the last kept in the trace
Cand = tuple[int, float, str, tuple[str, int, int, str]]


@dataclass(frozen=True, slots=True)
class Barrier:
    """A label between rows at ``pos``: a 一级 label (``level1``) starts a weight
    block, with its printed subtotal when it has one."""

    pos: int
    level1: bool
    subtotal: float | None


@dataclass(slots=True)
class Parse:
    rows: list[list[Cell]]
    skipped: list[tuple[int, int]]     # spans read as no row
    row_costs: list[float]
    blocks: list[tuple[int, float, float]]   # (barrier pos, weights summed, printed subtotal) that disagree


class Splitter:
    """One table body: ``text`` without whitespace, ``roles`` the columns after the
    name (``weight``, ``target``, ``actual``, ``score``, ``op``, ``unit``, ``text``,
    ``explanation``), ``barriers`` the label positions, ``gaps`` the positions
    where the source still had a space (a likely cell boundary)."""

    def __init__(self, text: str, roles: list[str], barriers: list[Barrier], gaps: frozenset[int] = frozenset(),
                 line_ends: frozenset[int] = frozenset(), bare: Bare | None = None):
        """``line_ends``: positions where the source broke the line, given when each row
        of the table has a line of its own (its cells run together inside the line);
        ``bare``: rows may be names without any value (empty_cells)."""
        self.s = text
        self.bare = bare
        self._ends = bare.ends if bare is not None else {}
        # a row closed without a value costs bare.row_cost in all, its empty cells included
        self._bare_cost = INF if bare is None else bare.row_cost - sum(EMPTY_COST.get(r, 1.0) for r in roles)
        self.line_ends = line_ends
        self.roles = roles
        self.m = len(roles)
        self.barriers = sorted(barriers, key=lambda b: b.pos)
        self.gaps = gaps
        self.has_weight = "weight" in roles
        self._ratio = "score" in roles and "actual" in roles and roles.index("actual") < roles.index("score")
        self._unit_first = "unit" in roles and "target" in roles and roles.index("unit") < roles.index("target")
        self._stops = frozenset(b.pos for b in self.barriers)
        self._blocks = [b for b in self.barriers if b.level1]
        self._limit = self._limits()
        self._cache: dict[tuple[str, int], list[Cand]] = {}
        self._name_cache: dict[int, list[tuple[int, float, tuple]]] = {}
        self._values: dict[int, list[tuple[int, float, str]]] = {}
        self._precompute()
        self._no_target = 2.0 if "target" in roles else 0.0  # an actual value without a target
        # (the target is kept in the state while a later column checks it: an actual value, another town's)
        self._target_needed = [k > 0 and any(r in ("actual", "column") for r in roles[k - 1:])
                               for k in range(self.m + 2)]
        self._gaps_upto = [0] * (len(text) + 1)  # gaps at positions ≤ i
        self._lines_upto = [0] * (len(text) + 1)  # line ends at positions ≤ i
        for i in range(1, len(text) + 1):
            self._gaps_upto[i] = self._gaps_upto[i - 1] + (i in gaps)
            self._lines_upto[i] = self._lines_upto[i - 1] + (i in line_ends)

    def _limits(self) -> list[int]:
        """For each position, the next label after it: no cell runs across a label."""
        n = len(self.s)
        out = [n] * (n + 1)
        nxt = n
        for p in range(n, -1, -1):
            out[p] = nxt
            if p in self._stops:
                nxt = p
        return out

    # -- the search ---------------------------------------------------------------

    def run(self) -> Parse:
        n = len(self.s)
        buckets: list[dict | None] = [None] * (n + 1)
        buckets[0] = {_INIT[1:8]: _INIT}
        marks_at: dict[int, list[Barrier]] = {}
        for b in self.barriers:
            marks_at.setdefault(b.pos, []).append(b)
        m, roles, stops = self.m, self.roles, self._stops
        final: list[tuple] = []
        for p in range(n + 1):
            d = buckets[p]
            if not d:
                continue
            buckets[p] = None
            # states at one position consumed the same text: their costs compare
            bound = min(st[0] for st in d.values()) + MARGIN
            at: list[dict] = [{} for _ in range(m + 2)]
            for key, st in d.items():
                if st[0] <= bound or st[1] == 0:
                    at[st[1]][key] = st
            for k in range(1, m + 1):
                if not at[k]:
                    continue
                role = roles[k - 1]
                cands = self._cands(role, p) if p not in stops else self._empty(role, p)
                keep_target = self._target_needed[k + 1]
                for st in _top(at[k], bound):
                    self._expand_cell(st, role, cands, keep_target, p, buckets, at)
            row_end = LINE_COST if self.line_ends and p < n and p not in self.line_ends else 0.0
            for st in _top(at[m + 1], bound):
                if st[7] or self.bare is not None:  # a name without any value is no indicator (unless bare)
                    w = st[2] or 0.0
                    done = (st[0] + row_end + (0.0 if st[7] else self._bare_cost), 0, None, None,
                            round(st[4] + w, 2), st[5], round(st[6] + w, 2), 0, (st, None))
                    _put(at[0], done)
            # a row boundary is always kept (a way on), with several weight sums
            starts = _top(at[0], INF, BEAM_ROWS)
            for b in marks_at.get(p, ()):
                starts = [self._cross(st, b) for st in starts]
            if p == n:
                final = starts
                break
            names = self._names(p)
            skips = self._skips(p)
            for st in starts:
                c0, blk, exp, tot = st[0], st[4], st[5], st[6]
                for j, c, cell in names:
                    _put_at(buckets, j, (c0 + c, 1, None, None, blk, exp, tot, 0, (st, cell)))
                for j, c, cell in skips:
                    _put_at(buckets, j, (c0 + c, 0, None, None, blk, exp, tot, 0, (st, cell)))
        if not final:
            return Parse([], [(0, n)] if n else [], [], [])
        best = min(final, key=lambda st: st[0] + self._end_cost(st))
        return self._trace(best)

    def _expand_cell(self, st: tuple, role: str, cands: list[Cand], keep_target: bool, p: int, buckets, at) -> None:
        c0, k, weight0, target0, blk, exp, tot, filled0 = st[:8]
        k += 1
        for end, c, text, cell in cands:
            weight, target, filled = weight0, target0, filled0
            if text:
                if role == "weight":
                    weight = round(float(text), 2)
                elif role == "score":
                    c += score_cost(float(text), weight)
                    if target is not None and target[0] == "coef" and weight is not None:
                        # 得分 = 权重 × 得分系数
                        c += -0.3 if abs(float(text) - weight * target[1] / 100) < 0.01 else 1.5
                    elif target is not None and target[0] == "ratio" and weight:
                        c += fused.ratio_cost(float(text), weight, target[1], target[2])
                elif role == "target" or role == "column" and target is None:
                    # (one value column per town or village: the first one checks the later ones)
                    if target is not None and target[0] == "unit":  # a 计量单位 column before the values
                        sig = signature(text)
                        c += -0.3 if sig[2] == target[1] else (1.0 if target[1] and sig[0] == "quantity"
                                                               and sig[2] is None else 0.0)
                    target = signature(text)
                    filled = 1
                elif role == "column":
                    # the towns' values mostly agree: a repeat is a strong sign of the cut
                    if target is not None and target[0] not in ("unit", "coef") and text == target[4]:
                        c -= 1.0 if len(text) > 1 else 0.3
                    filled = 1
                elif role == "explanation" and self._splits_recurring(p):
                    c += 1.0  # 已建工程是否存在质量|问题…发现质量问题: the cut splits a phrase the row repeats
                elif role == "unit" and target is None and self._unit_first:
                    target = ("unit", text)  # checked against the value after it
                elif role == "coef":  # 得分系数(%): a percentage, rarely zero
                    sig = signature(text)
                    target = ("coef", sig[3]) if sig[2] == "%" and sig[3] is not None else None
                    c += 1.5 if target is None else (1.0 if not sig[3] else 0.0)
                elif role == "adjusted":  # 调整指标值: mostly left empty, else mostly the target again
                    c = -0.5 if target is not None and target[0] not in ("unit", "coef") and text == target[4] \
                        else c + 1.0
                elif role == "actual":
                    if target is not None and target[0] in ("unit", "coef"):
                        target = None  # (no target: the stash of a unit column)
                    # an actual value repeating its target is no coincidence, however odd the words
                    c = -0.5 if target is not None and text == target[4] else (
                        c + (actual_cost(text, target) if target is not None else self._no_target))
                    if self._ratio and target is not None and target[3] and (a := signature(text))[3] is not None:
                        target = ("ratio", target[3], a[3])  # 得分 = 分值 × 实际值 / 指标值, checked by the score
                    filled = 1
                elif role == "flag":
                    filled = 1  # a scorecard row closed by its 是/否 is a row, its values empty or not
            elif role == "target" and target is not None and target[0] == "unit" and target[1]:
                c += 0.5  # the unit column says what the value is in: the value is there
            elif role == "score" and target is not None and target[0] == "coef" and weight:
                c += 1.0  # a coefficient and a weight, and no score
            keep = keep_target or (target is not None and target[0] in ("coef", "unit", "ratio"))
            new = (c0 + c, k, weight, target if keep else None, blk, exp, tot, filled, (st, cell))
            d = at[k] if end == p else buckets[end]
            if d is None:
                d = buckets[end] = {}
            key = new[1:8]
            old = d.get(key)
            if old is None or new[0] < old[0]:
                d[key] = new

    def _empty(self, role: str, p: int) -> list[Cand]:
        """Inside a label's position only empty cells: a row does not run across it."""
        return [(p, EMPTY_COST.get(role, 1.0), "", (role, p, p, ""))]

    def _names(self, p: int) -> list[tuple[int, float, tuple]]:
        """Names starting at ``p``, costed as ``name_cost`` does, but incrementally
        (this is the inner loop of the search)."""
        got = self._name_cache.get(p)
        if got is not None:
            return got
        s, got = self.s, []
        self._name_cache[p] = got
        first = s[p]
        if first in _NO_FIRST:
            return got
        rep_end, word_end = self._repeat_end[p], self._word_end[p + 1]
        k = s.find("反映", p + 1, p + NAME_MAX)  # a 指标解释 ran into the name
        explain_end = k + 2 if k >= 0 else INF
        k = min((x for x in (s.find(w, p + 1, p + NAME_MAX) for w in _COLUMN_WORDS) if x >= 0), default=-1)
        column_word_end = k + 2 if k >= 0 else INF  # 定性, 正向: a 指标性质 cell inside
        base = 1.0 + (1.5 if first.isdigit() else 0.0) + fused.word_extra(s, p, p)  # (年… cut from its number)
        all_digits = first.isdigit()
        depth, broken, numbers = 0, False, 0
        pct = op = stop = latin = False
        for j in range(p + 1, min(p + NAME_MAX, self._limit[p]) + 1):
            ch = s[j - 1]
            if j - 1 > p:
                prev = s[j - 2]
                if prev.isdigit() and not ch.isdigit() and ch != "." and self._run_start[j - 2] > p:
                    numbers += 1  # a number inside the name with more after it
                if prev == "。":
                    stop = True
            all_digits = all_digits and ch.isdigit()
            if ch in "(（":
                depth += 1
            elif ch in ")）":
                depth -= 1
                broken = broken or depth < 0
            pct = pct or (ch == "%" and not (s[j - 2] in "(（" and s[j:j + 1] in (")", "）")))  # 满意度(%)
            latin = latin or (ch.isascii() and ch.isalpha() and j - 1 > p and not s[j - 2].isascii())
            if ch in OP_CHARS:
                op = True
                continue  # (never the last character)
            if j < p + 2 or all_digits or ch in _OPEN:
                continue
            n = j - p
            c = base + 0.04 * n + (0.15 * (n - 20) if n > 20 else 0.0) + numbers + _SHORT.get(n, 0.0)
            if ch.isdigit() or ch == "." and s[j - 2].isdigit():  # (a decimal point ends no name)
                c += 2.0
            elif ch in _STRONG_ENDS:
                c -= 0.5
            elif (ch in _NAME_ENDS and s[j - 2] in _END_AFTER.get(ch, s[j - 2])) or (
                    s[j - 3:j] in ("(%)", "（%）") and s[j - 4:j - 3] in _NAME_ENDS):  # 满意度(%)
                c -= 0.3
            c += (2.0 if pct else 0.0) + (3.0 if op else 0.0) + (2.5 if stop else 0.0)
            c += (3.0 if j >= rep_end else 0.0) + (2.0 if word_end < j else 0.0)
            c += 4.0 if broken or depth else 0.0
            c += 3.0 if j >= explain_end else 0.0
            c += 4.0 if latin else 0.0  # Latin letters after Chinese ones: OCR debris (tot扁, 第O份)
            c += 2.0 if j >= column_word_end else 0.0
            c += 1.0 if j in self._word_ends else 0.0  # ends in a stock value word: 有所提升
            if self.bare is not None:  # names back to back: where the run's repeats end one; 是是 is two cells
                c += -self._ends.get(j, 0.0) + (2.0 if s[j - 2] == ch and not ch.isdigit() else 0.0) + \
                    (2.0 if first in "(（" else 0.0)  # (累计) closes the name before
            got.append((j, c + self._gap_cost(p, j, inner=0.2) + self._line_cost(p, j), ("name", p, j, s[p:j])))
        if "weight" in self.roles:  # a sentence in the 三级 cell, its weight and values fused after it
            got += [(j, c + base - 1.0 + (2.0 if word_end < j else 0.0) + self._line_cost(p, j),
                     ("name", p, j, fused.prose_text(s[p:j])))
                    for j, c in fused.prose_names(s, p, self._limit[p]) if j < rep_end]  # (no doubled value)
        return got

    def _precompute(self) -> None:
        """Per position: where the first doubled text (``达到预期达到预期``) and the
        first stock value word starting there end, and where each digit run starts."""
        s, n = self.s, len(self.s)
        self._repeat_end = [INF] * (n + 2)
        self._word_end = [INF] * (n + 2)
        self._run_start = [0] * (n + 1)
        self._word_at = [False] * (n + 1)  # a stock value word starts here
        self._word_ends: set[int] = set()   # and ends there
        for i in range(n - 1, -1, -1):
            end = self._repeat_end[i + 1]
            for size in range(2, 13):
                if i + 2 * size <= min(end, n) and s[i:i + size] == s[i + size:i + 2 * size]:
                    end = i + 2 * size
                    break
            self._repeat_end[i] = end
            m = _LONG_WORD.match(s, i)
            self._word_end[i] = min(self._word_end[i + 1], m.end() if m else INF)
            self._word_at[i] = m is not None
            if m is not None:
                self._word_ends.add(m.end())
        for i in range(n):
            self._run_start[i] = self._run_start[i - 1] if i and s[i - 1].isdigit() and s[i].isdigit() else i

    def _skips(self, p: int) -> list[tuple[int, float, tuple]]:
        """Text that is no row (a stray note, a garbled cell) is passed over, dearly:
        up to the next label or kept space."""
        limit = self._limit[p]
        ends = {limit, *(j for j in range(p + 1, min(p + NAME_MAX, limit)) if j in self.gaps)}
        n = len(self.s)  # (a fragment that runs to the text's end: the first characters of a row cut off)
        return [(j, (4.0 if j == n and j - p <= 12 else 6.0) + 0.25 * (j - p), ("skip", p, j, self.s[p:j]))
                for j in sorted(ends) if j > p]

    def _cross(self, st: tuple, b: Barrier) -> tuple:
        if not b.level1:
            return st
        return (st[0] + self._block_cost(st), 0, None, None, 0.0, b.subtotal, st[6], 0, st[8])

    def _block_cost(self, st: tuple) -> float:
        if st[5] is None or not self.has_weight:
            return 0.0
        return 0.0 if abs(st[4] - st[5]) < 0.01 else 4.0

    def _end_cost(self, st: tuple) -> float:
        c = self._block_cost(st)
        if self.has_weight and st[6] and not any(abs(st[6] - t) < 0.01 for t in (100, 90, 80)):
            c += 2.0
        return c

    def _splits_recurring(self, p: int) -> bool:
        """A cut at ``p`` splits a four-character phrase found whole within the next
        60 characters (a 指标解释 restates its name's words)."""
        s = self.s
        return any(p - k >= 0 and p - k + 4 <= len(s) and s.find(s[p - k:p - k + 4], p + 1, p + 60) >= 0
                   for k in (1, 2, 3))

    def _line_cost(self, a: int, b: int) -> float:
        """A cell never runs across the end of a row's line."""
        return LINE_COST if b - 1 > a and self._lines_upto[b - 1] > self._lines_upto[a] else 0.0

    def _gap_cost(self, a: int, b: int, inner: float) -> float:
        """Where the source kept some spaces, they fall between cells."""
        if not self.gaps:
            return 0.0
        c = -0.3 if b in self.gaps else 0.0
        if b - 1 > a and self._gaps_upto[b - 1] > self._gaps_upto[a]:
            c += inner
        return c

    def _trace(self, st: tuple) -> Parse:
        cells: list[tuple | None] = []
        costs: list[float] = []
        node = st
        while node[8] is not None:
            prev, cell = node[8]
            cells.append(cell)
            costs.append(node[0] - prev[0])
            node = prev
        cells.reverse()
        costs.reverse()
        rows: list[list[Cell]] = []
        row_costs: list[float] = []
        skipped: list[tuple[int, int]] = []
        cur: list[Cell] = []
        acc = 0.0
        for cell, c in zip(cells, costs):
            acc += c
            if cell is None:
                rows.append(cur)
                row_costs.append(acc)
                cur, acc = [], 0.0
            elif cell[0] == "skip":
                skipped.append((cell[1], cell[2]))
                acc = 0.0
            else:
                cur.append(Cell(*cell))
        return Parse(rows, skipped, row_costs, self._disagreeing_blocks(rows))

    def _disagreeing_blocks(self, rows: list[list[Cell]]) -> list[tuple[int, float, float]]:
        if not self.has_weight:
            return []
        out = []
        heads = self._blocks
        for i, b in enumerate(heads):
            if b.subtotal is None:
                continue
            end = heads[i + 1].pos if i + 1 < len(heads) else len(self.s) + 1
            inside = [r for r in rows if r and b.pos <= r[0].start < end]
            total = sum(float(c.text) for r in inside for c in r if c.role == "weight" and c.text)
            if inside and abs(total - b.subtotal) >= 0.01:  # (a block with no row: cut off, said elsewhere)
                out.append((b.pos, total, b.subtotal))
        return out

    # -- candidate cells ----------------------------------------------------------

    def _cands(self, role: str, p: int) -> list[Cand]:
        key = (role, p)
        got = self._cache.get(key)
        if got is None:
            made = self._make_cands(role, p)
            if self.gaps:
                inner = 0.3 if role in ("explanation", "text") else 2.0
                made = [(e, c + (self._gap_cost(p, e, inner) if e > p else 0.0), t) for e, c, t in made]
            if self.line_ends:
                made = [(e, c + self._line_cost(p, e), t) for e, c, t in made]
            got = [(e, c, t, (role, p, e, t)) for e, c, t in made if c <= CELL_MAX]
            if self.bare is not None and self.bare.leftovers and role in ("weight", "score") and \
                    (e := leftover_end(self.s, p, self._limit[p])) is not None:
                got.append((e, -1.0, "", ("stripped", p, e, self.s[p:e])))  # 分 whose number is gone: no value
            elif self.bare is not None and role in ("target", "actual", "column") and \
                    (r := _RESIDUE.match(self.s, p, self._limit[p])) is not None and r.group(1) + r.group(2):
                got.append((r.end(), -0.5, "", ("stripped", p, r.end(), r.group())))  # ≥%, =个: a value without its number
            self._cache[key] = got
        return got

    def _make_cands(self, role: str, p: int) -> list[tuple[int, float, str]]:
        s, limit = self.s, self._limit[p]
        out: list[tuple[int, float, str]] = [(p, EMPTY_COST.get(role, 1.0), "")]
        if p >= limit:
            return out
        if role in ("weight", "score"):
            for e, t in _prefixes(s, p, limit, _WEIGHT):
                out.append((e, weight_cost(t) if role == "weight" else 0.0, t))
        elif role == "flag":  # 是否核心指标: 是 / 否
            out += [(p + 1, 0.0, s[p])] if s[p] in scorecard.FLAGS else []
        elif role in ("target", "actual", "adjusted", "coef", "grade", "column"):
            if p not in self._values:  # (the same candidates serve both columns)
                self._values[p] = values(s, p, limit)
            if "flag" in self.roles:  # the 是/否 flag closes a row: no value runs over it
                out += [(e, c + (3.0 if ("是" in t[:-1] or "否" in t[:-1]) else 0.0), t) for e, c, t in self._values[p]]
            else:
                out += self._values[p]
        elif role == "op":
            out += [(p + len(w), 0.0, w) for w in _ops_at(s, p, limit)]
            for w in (*ANSWER_SETS, "定量指标", "定性指标", "定量", "定性", "正向指标", "反向指标", "正向", "反向"):
                if s.startswith(w, p) and p + len(w) <= limit:
                    out.append((p + len(w), 0.0, w))
            out += [(e, 0.5, s[p:e]) for e, _ in scorecard.scrambled_at(s, p, limit, scorecard.NATURE_WORDS)]
        elif role == "unit":
            for e in range(p + 1, min(p + 7, limit) + 1):
                t = s[p:e]
                if any(ch.isdigit() or ch in OP_CHARS for ch in t):
                    break
                out.append((e, unit_cost(t), t))
        elif role == "explanation":  # 指标解释 runs up to the value after it
            for e in self._text_ends(p, limit, ahead=True):
                t = s[p:e]
                # a doubled run (无负面影响无负面影响) is two value cells, not explanation text
                out.append((e, explanation_cost(t) + (3.0 if e >= self._repeat_end[p] else 0.0), t))
        elif role == "basis":  # 评价标准确定依据: 按…标准评价, ends at its last word
            for e in self._text_ends(p, limit, ahead=False) + self._basis_ends(p, limit):
                t = s[p:e]
                out.append((e, 1.0 + 0.04 * len(t) + 0.2 * max(0, len(t) - 16) + bracket_cost(t)
                            + (3.0 if _VALUE_IN.search(t) else 0.0) - (2.0 if t.startswith(_BASIS_OPENINGS) else 0.0), t))
        elif s[p] not in ".%":  # a trailing text column (原因, 备注): mostly left empty, never a number's tail
            for e in self._text_ends(p, limit, ahead=False):
                t = s[p:e]
                out.append((e, 2.0 + 0.05 * len(t) + bracket_cost(t) + fused.word_extra(s, p, p), t))
        return out

    def _basis_ends(self, p: int, limit: int) -> list[int]:
        """Ends of a 依据 cell after its closing word (评价, 标准 …), the longest run of them."""
        s = self.s
        return [e for e in range(p + 2, min(p + TEXT_MAX, limit) + 1)
                if s.endswith(_BASIS_ENDINGS, p, e) and not s.startswith(_BASIS_ENDINGS, e)]

    def _text_ends(self, p: int, limit: int, ahead: bool) -> list[int]:
        """Where a free-text cell may end: at a label, a kept space, after a full
        stop, or (``ahead``) before a number or an operator."""
        s = self.s
        ends = []
        for e in range(p + 1, min(p + TEXT_MAX, limit) + 1):
            if s[e - 1] in OP_CHARS:
                break  # free text holds no operator: that is a value
            if e < p + 2 or s[e - 1].isdigit() and e < limit and s[e].isdigit():
                continue
            if e == limit or e in self.gaps or s[e - 1] in "。;；" or (
                    ahead and (s[e].isdigit() or s[e] in OP_CHARS or s.startswith(_OP_WORDS + ANSWER_SETS, e)
                               or self._word_at[e] or s.endswith(_EXPLAIN_ENDINGS, p, e))):
                ends.append(e)
        return ends


_cost = itemgetter(0)


def _top(states: dict, bound: float, beam: int = BEAM) -> list[tuple]:
    if not states:
        return []
    vals = sorted(states.values(), key=_cost)[:beam] if len(states) > beam else states.values()
    return [st for st in vals if st[0] <= bound]


def _put(d: dict, st: tuple) -> None:
    key = st[1:8]  # (a row with a value and one without never merge)
    old = d.get(key)
    if old is None or st[0] < old[0]:
        d[key] = st


def _put_at(buckets: list, p: int, st: tuple) -> None:
    d = buckets[p]
    if d is None:
        d = buckets[p] = {}
    key = st[1:8]  # (a row with a value and one without never merge)
    old = d.get(key)
    if old is None or st[0] < old[0]:
        d[key] = st


LINE_COST = 4.0  # a row or cell that ignores the line breaks of a one-row-per-line table
EMPTY_COST = {"weight": 1.5, "score": 1.0, "target": 1.2, "actual": 1.2, "column": 1.2, "op": 0.5, "unit": 0.3,
              "explanation": 1.5, "text": 0.0, "adjusted": 0.0, "coef": 2.0, "flag": 3.0, "grade": 1.0, "basis": 1.0}
_VALUE_IN = re.compile(r"\d%")
# what a value leaves when its digits are stripped: ≥%, ＝元/人·月, 月日前, ≤.万元
_RESIDUE = re.compile("((?:" + "|".join(map(re.escape, sorted(OP_CHARS | set(_OP_WORDS), key=len, reverse=True)))
                      + r")?)\.?(%|‰|(?:年)?月日?(?:前|底前)?|)(?:" + "|".join(map(re.escape, sorted(UNITS, key=len, reverse=True)))
                      + ")?")
_BASIS_OPENINGS = ("按", "依据", "根据", "参照", "参考")
_BASIS_ENDINGS = scorecard.BASIS_ENDINGS


def _prefixes(s: str, p: int, limit: int, pattern: re.Pattern) -> list[tuple[int, str]]:
    """Every prefix of the digit run at ``p`` that ``pattern`` accepts whole."""
    e = p
    while e < limit and (s[e].isdigit() or s[e] == "."):
        e += 1
    return [(q, s[p:q]) for q in range(p + 1, e + 1) if pattern.fullmatch(s, p, q)]


def _ops_at(s: str, p: int, limit: int) -> list[str]:
    out = [w for w in _OP_WORDS if s.startswith(w, p) and p + len(w) <= limit]
    if not out and s[p] in OP_CHARS:
        out.append(s[p])
    return out


def values(s: str, p: int, limit: int) -> list[tuple[int, float, str]]:
    """Candidate 指标值 cells at ``p``: [operator] number [unit], a deadline, or a word."""
    out: list[tuple[int, float, str]] = []
    for op in ("", *_ops_at(s, p, limit)):
        r = p + len(op)
        if r >= limit:
            continue
        if s[r].isdigit():
            numeric: list[tuple[int, float, str]] = []
            for q, _ in _prefixes(s, r, limit, _NUMBER):
                numeric += _with_unit(s, p, q, limit, base=fused.number_extra(s, r, q))
                if q < limit and s[q] in "-~至" and q + 1 < limit and s[q + 1].isdigit():
                    for q2, _ in _prefixes(s, q + 1, limit, _NUMBER):
                        numeric += _with_unit(s, p, q2, limit, base=0.4)
            m = _DEADLINE.match(s, r, limit)
            if m and m.end() > r + 2 and parse_target(s[r:m.end()]).kind in ("deadline", "period"):
                # a date is read whole: 6月底前完成 is no 6月 followed by a name 底前完成…
                numeric = [x for x in numeric if not r < x[0] < m.end()]
                numeric.append((m.end(), 0.4, s[p:m.end()]))
            out += numeric
        else:
            for e in range(r + 1, min(r + VALUE_MAX, limit) + 1):
                t = s[r:e]
                ch = s[e - 1]
                if ch in OP_CHARS or ch == "%":
                    break
                out.append((e, word_cost(t) + (0.0 if not op else -0.3) + fused.word_extra(s, r, e), s[p:e]))
    return out


def _with_unit(s: str, p: int, q: int, limit: int, base: float = 0.0) -> list[tuple[int, float, str]]:
    out = [(q, base + 0.2, s[p:q])]
    for e in range(q + 1, min(q + 8, limit) + 1):
        ch = s[e - 1]
        if ch.isdigit() or ch in OP_CHARS or ch in _OPEN:
            break
        out.append((e, base + unit_cost(s[q:e]), s[p:e]))
    return out


@lru_cache(maxsize=4096)
def unit_cost(u: str) -> float:
    if u in UNITS:
        return 0.0
    for suf in _UNIT_SUFFIX:
        if u.endswith(suf) and (u[: -len(suf)] in UNITS or not u[: -len(suf)]):
            return 0.1
    if u.startswith("%"):
        return 4.0
    return 1.5 + 0.8 * len(u)


@lru_cache(maxsize=8192)
def word_cost(t: str) -> float:
    if t in QUALITATIVE:
        return 0.3 if len(t) > 1 else 1.5  # 高/有/是: real, but a cut after one character is cheap to make
    if t[0] in _CLOSE or t[0] in "%.,，、。":
        return INF
    c = 2.0 + 0.12 * len(t) + bracket_cost(t) + (3.0 if _REPEAT.search(t) else 0.0)
    c += -0.4 if t[0] in _VALUE_FIRST else 0.4  # 有…, 明…, 逐…, 达…: how graded values open
    if "。" in t[:-1]:
        c += 3.0  # a sentence ends inside: a 原因/备注 cell ran on
    if _LONG_WORD.search(t, 1) or len(t) > 4 and _LONG_WORD.match(t):
        c += 2.0  # a stock value with more text: a name runs on after it
    if len(t) == 1:
        return c + 2.0  # one-character values are the graded ones (高/中/低 …), listed
    if len(set(t)) == 1:
        return c + 3.0  # 高高, 好好: two cells of the same graded value, no one value
    if t[0] in _TIME_OPENINGS and parse_target(t).kind in ("deadline", "period"):
        return 0.5 + 0.05 * len(t)  # 按月, 在项目计划完成时间内完成, 于年底前完成
    return c


def weight_cost(t: str) -> float:
    v = float(t)
    c = 0.0 if float(v).is_integer() else 0.8
    if v <= 0:
        c += 3.0
    elif v > 100:
        c += 6.0
    return c


def score_cost(score: float, weight: float | None) -> float:
    if weight is None:
        return 0.0 if score <= 100 else 6.0
    if score > weight + 1e-9:
        return 6.0
    return -0.3 if abs(score - weight) < 1e-9 else (0.0 if float(score).is_integer() else 0.3)


@lru_cache(maxsize=8192)
def signature(text: str) -> tuple:
    t = parse_target(text)
    return (t.kind, t.op, t.unit, t.value, text)


def actual_cost(text: str, target: tuple) -> float:
    """The actual value of a row usually repeats the target, or has its unit."""
    a = signature(text)
    if a[4] == target[4]:
        return -2.0
    if a[0] == target[0] == "quantity":
        return -0.3 if a[2] == target[2] else 1.2
    if a[0] == "quantity" and target[0] != "quantity":
        return 0.8
    return 0.0 if a[0] != target[0] or text in QUALITATIVE else 0.5  # two different free words


def name_cost(t: str) -> float:
    """The cost of ``t`` read as a whole 三级 name (the search prices every name so)."""
    got = Splitter(t, ["target"], [])._names(0)
    return got[-1][1] if got and got[-1][0] == len(t) else INF


def explanation_cost(t: str) -> float:
    """A 指标解释 cell: mostly ``反映…情况``; a second 反映 or a stock value word
    inside means it ran on over the next cells."""
    c = 1.0 + 0.04 * len(t) + bracket_cost(t)
    if t.startswith(_EXPLAIN_OPENINGS):
        c -= 1.5
    elif len(t) <= 8:
        c += 0.8  # a short cell that reads as no explanation (生全面覆盖) is the end of the name
    if "反映" in t[1:]:
        c += 3.0
    if _VALUE_IN.search(t):
        c += 2.0  # a value (85%) inside: it ran on over the next cell
    if t.startswith(("(%)", "（%）")):
        c += 1.0  # the unit note of the name before it
    if _LONG_WORD.search(t, 1, len(t) - 1):
        c += 2.0
    return c


_TIME_OPENINGS = frozenset("按每在于年月截当")
_VALUE_FIRST = frozenset(w[0] for w in QUALITATIVE) | frozenset("增减下上保确加满长正稳建")
_EXPLAIN_OPENINGS = ("反映", "指", "衡量", "考核", "用于", "评价", "达到", "按照", "根据", "当年", "全年", "年度", "截至", "通过")
_EXPLAIN_ENDINGS = ("情况", "程度", "水平", "比例", "比率", "效果", "成效", "进度", "质量")


def bracket_cost(t: str) -> float:
    depth = 0
    for ch in t:
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth -= 1
            if depth < 0:
                return 4.0
    return 4.0 if depth else 0.0
