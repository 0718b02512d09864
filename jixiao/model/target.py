"""Target values (指标值): parse and format the string a form writes in the value cell.

Grammar: docs/domain.md §2 and the ``target`` object of docs/interchange.md. Pure, no I/O.

The scorer (``shared/tools/score.py``, ``parse_target_text``) reads gold strings with a
simpler grammar, and predictions are compared to gold *after* that parse. So wherever
the scorer's reading is sensible we copy it on purpose, quirks included:
  * a leading operator word is split off even before words ("达到预期" -> op ≥);
  * anything after the number is the unit, as written ("3个工作日内" -> unit 个工作日内);
  * a date anywhere in the text makes the whole value a deadline/period (value None).
We depart from it only where its reading is plainly wrong (thousands separators,
"90%以上", "控制在…以内", "±5%", "大于等于", numbers such as "1000.5元" taken for dates);
tests/test_model_target.py lists those cases.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

OPS = ("=", "≥", "≤", ">", "<")
KINDS = ("quantity", "range", "qualitative", "deadline", "period", "placeholder", "empty")


@dataclass(frozen=True, slots=True)
class Target:
    text: str                        # exactly as written in the source
    op: str | None = None            # operator the SOURCE wrote (one of OPS), else None
    op_inferred: str | None = None   # operator the system inferred when the source wrote none
    value: float | None = None
    upper: float | None = None       # second bound of a range
    unit: str | None = None          # as written after the number ('%', '元/人·月', '百分比' ...)
    kind: str = "quantity"           # one of KINDS


# --- operators --------------------------------------------------------------------------
# Tier 1 is exactly the scorer's table (after NFKC, ＞＝ is ">=", ＝ and ﹦ are "="), tried
# in the scorer's order so that a leading word is split off the same way even when no
# number follows. Tier 2 adds forms the scorer lacks; they only count when a number
# follows, so qualitative text such as "控制在合理范围" still scores like the gold string.
_TIER1 = (("不低于", "≥"), ("不少于", "≥"), ("至少", "≥"), ("达到", "≥"), ("不高于", "≤"),
          ("不超过", "≤"), ("不多于", "≤"), ("高于", ">"), ("超过", ">"), ("大于", ">"),
          ("低于", "<"), ("少于", "<"), ("小于", "<"), ("等于", "="),
          (">=", "≥"), ("<=", "≤"), ("≥", "≥"), ("≧", "≥"), ("⩾", "≥"), ("≤", "≤"),
          ("≦", "≤"), ("⩽", "≤"), ("=", "="), (">", ">"), ("<", "<"))
_TIER2 = (("大于或等于", "≥"), ("高于或等于", "≥"), ("小于或等于", "≤"), ("低于或等于", "≤"),
          ("大于等于", "≥"), ("小于等于", "≤"), ("不小于", "≥"), ("不大于", "≤"), ("控制在", "≤"))
# "…以上" is inclusive in these forms (domain.md §2.1), as are 以内/以下.
_SUFFIX = (("及以上", "≥"), ("或以上", "≥"), ("以上", "≥"), ("及以下", "≤"), ("以内", "≤"), ("以下", "≤"))
_OP1 = re.compile("|".join(re.escape(w) for w, _ in _TIER1))   # alternation keeps list order
_OP2 = re.compile("|".join(re.escape(w) for w, _ in _TIER2))
_OP_OF = dict(_TIER1 + _TIER2)
_SYMBOL = {"≥": "≥", "≧": "≥", "⩾": "≥", "≤": "≤", "≦": "≤", "⩽": "≤", "=": "=", ">": ">", "<": "<"}
_WORD1_FIRST = frozenset(w[0] for w, _ in _TIER1 if w[0] not in _SYMBOL)
_WORD2_FIRST = frozenset(w[0] for w, _ in _TIER2)
_SUFFIX_OF = dict(_SUFFIX)
# A target written as a sentence: a subject, an operator word (达 alone too), one quantity
# at its end (辖区企业满意率达95%以上。, 群众满意度不低于90%); the subject has no digit.
_SENTENCE = re.compile(r"(?P<subject>[\u4e00-\u9fff“”\"()（）、]{2,30}?)"
                       r"(?P<op>不低于|不少于|达到|不高于|不超过|控制在|保持在|达)(?P<rest>\d[\d.%~\-]*"
                       r"(?:[\u4e00-\u9fff/·]{1,6})?[。.；;]?)")
_SUFFIX_WORDS = tuple(w for w, _ in _SUFFIX)


def _strip1(s: str) -> tuple[str | None, str]:
    """Tier-1 operator at the start of ``s`` (symbols by dict: this runs for every value)."""
    c = s[0]
    if c in _SYMBOL:
        if c in "<>" and s[1:2] == "=":
            return ("≥" if c == ">" else "≤"), s[2:].lstrip()
        return _SYMBOL[c], s[1:].lstrip()
    if c in _WORD1_FIRST:
        m = _OP1.match(s)
        if m:
            return _OP_OF[m[0]], s[m.end():].lstrip()
    return None, s


# --- numbers, ranges, units -------------------------------------------------------------
_N = r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"   # "1,000" only with exact 3-digit groups
_QTY = re.compile(rf"({_N})\s*(.*)", re.S)
_RANGE = re.compile(rf"({_N})\s*(%?)\s*(?:-|~|至|到|—|–|--)\s*({_N})\s*(.*)", re.S)
_BOUNDS = re.compile(rf"({_N})\s*(%?)\s*(?:且|并且|,|、)?\s*(?:≤|<=|≦|⩽|<)\s*({_N})\s*(.*)", re.S)
# The common case, checked first: a plain number and a unit free of digits and separators.
_SIMPLE = re.compile(r"(-?\d+(?:\.\d+)?)\s*([^\d.,\-~至到—–≤<]*)")
_PM = re.compile(r"±\s*(\d+(?:\.\d+)?)\s*(.*)", re.S)
_PLACEHOLDER = re.compile(r"(?:\*+|×{2,}|[Xx]{2,})\s*([^*\d]*)")


def _num(s: str) -> float:
    return float(s.replace(",", ""))


# --- dates ------------------------------------------------------------------------------
# The scorer's DATE regex, verbatim: a match anywhere makes the value date-like.
_SDATE = re.compile(r"\d{4}\s*[.年/-]\s*\d{1,2}|\d{1,2}\s*月\s*(\d{1,2}\s*日)?\s*(前|以前|之前|底)")
_YM = re.compile(r"(\d{4})\s*([.年/-])\s*(\d{1,2})")
_AFTER_DATE = frozenset(".-/~至到—–日号月前后底以之止起,、 ")
# A second date after a range mark makes a span: "2023.07-2024.01", "2023年1月至12月".
_SPAN = re.compile(r"[-~至到—–]\s*(?:\d{4}|\d{1,2}\s*月)")
# Dates the scorer misses: a calendar day "12月31日", a year end "2024年底前".
_MORE_DATES = re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*[日号]|(?:19|20)\d{2}\s*年\s*(?:底|末|内|全年|上半年|下半年)")


def _real_date(s: str, m: re.Match) -> bool:
    """Reject the scorer's false dates: '1000.5元', '2000-3000元', '12023.5' are numbers."""
    ym = _YM.match(m.group(0))
    if ym is None:                                # the "12月底前" alternative
        return True
    year, sep, month = int(ym.group(1)), ym.group(2), int(ym.group(3))
    a, b = m.start(), m.end()
    if not (1900 <= year < 2100 and 1 <= month <= 12):
        return False
    if (a and s[a - 1] in "0123456789.,") or (b < len(s) and s[b].isdigit()):
        return False
    return sep == "年" or b == len(s) or s[b] in _AFTER_DATE


def _date_kind(s: str) -> str | None:
    """'period' for a span ("2023.07-2024.01"), 'deadline' for one date, None otherwise."""
    if _SDATE.search(s) is None:          # cheap exit: nearly all values
        return "deadline" if ("月" in s or "年" in s) and _MORE_DATES.search(s) else None
    first = next((m for m in _SDATE.finditer(s) if _real_date(s, m)), None)
    if first is None:
        return "deadline" if _MORE_DATES.search(s) else None
    return "period" if _SPAN.search(s, first.end()) else "deadline"


# --- words ------------------------------------------------------------------------------
# Graded values seen on the target side (domain.md §2.2); used by validators (R8).
QUALITATIVE_WORDS = ("高", "中", "低", "优", "良", "差", "好", "较好", "一般", "较差", "优良",
                     "达到预期", "达成预期指标", "有所提升", "明显提升", "显著提升", "逐步提升",
                     "逐步改善", "效果明显", "持续发挥作用", "应保尽保", "严格执行相关制度规定",
                     "符合相关规定")
_PERIOD = re.compile(r"^(?:按|每|逐)\s*(?:一|个)?\s*(?:日|天|周|旬|月|季|半年|年|学期)")
_DEADLINE = re.compile(r"(?:时间内|期限内|时限内|年内|按期|按时|如期|截止"
                       r"|(?:前|之前|以前|底)(?:完成|完工|办结|结束|到位|发放|实施)?$)")


# --- parse ------------------------------------------------------------------------------
def parse_target(text: str) -> Target:
    """Read one 指标值 string. Never raises; ``text`` is kept exactly as given."""
    return _parse(text) if isinstance(text, str) else _parse(str(text))


@lru_cache(maxsize=8192)    # the same few hundred strings recur across a corpus; Target is frozen
def _parse(text: str) -> Target:
    s = unicodedata.normalize("NFKC", text).strip()
    if not s:
        return Target(text, kind="empty")
    op1, rest1 = _strip1(s)
    m = _SIMPLE.fullmatch(rest1)
    # Fast path, "≥95%" and its like: a plain number and a unit that holds no date
    # ('12月底前', '2024年底前') and cannot be one ('2023.07'), and no suffix operator.
    if m and m[1].find(".") < 4 and "月" not in m[2] and "年" not in m[2] \
            and not rest1.endswith(_SUFFIX_WORDS):
        return Target(text, op1, None, float(m[1]), None, m[2] or None)
    kind = _date_kind(rest1)
    if kind:
        return Target(text, op1, kind=kind)
    if s[0] in _WORD2_FIRST:              # a tier-2 word wins only if a number follows
        m = _OP2.match(s)
        t = _numeric(text, _OP_OF[m[0]], s[m.end():].lstrip()) if m else None
        if t is not None:
            return t
    t = _numeric(text, op1, rest1)
    if t is not None:
        return t
    if (m := _SENTENCE.fullmatch(s)) is not None:  # 辖区企业满意率达95%以上。: a sentence stating a quantity
        t = _numeric(text, _OP_OF.get(m["op"], "≥"), m["rest"].rstrip("。.；;"))
        if t is not None and t.kind == "quantity" and t.op is not None:
            return t
    if _is_bare_unit(rest1):              # a template row published unfilled: "公里", "≧ %"
        return Target(text, op1, unit=rest1, kind="placeholder")
    if _PERIOD.match(rest1):
        kind = "period"
    elif _DEADLINE.search(rest1):
        kind = "deadline"
    else:
        kind = "qualitative"
    return Target(text, op1, kind=kind)


def _is_bare_unit(s: str) -> bool:
    """A unit and nothing else: the pre-printed unit of a value cell left empty."""
    if not s or len(s) > 6:
        return False
    u = s[1:] if s[0] == "万" and len(s) > 1 else s
    return u == "%" or u in UNIT_FAMILY or (u.endswith("元") and len(u) <= 2) or u in ("万人", "万元")


def _numeric(text: str, op: str | None, s: str) -> Target | None:
    """Quantity, range or placeholder from what follows the operator, else None."""
    if not s:
        return None
    c = s[0]
    if c.isdigit() or c == "-":
        if s.endswith(_SUFFIX_WORDS):     # "90%以上": the operator written after the number
            w = next(w for w in _SUFFIX_WORDS if s.endswith(w))
            t = _numeric(text, op or _SUFFIX_OF[w], s[: -len(w)].rstrip())
            if t is not None and t.kind in ("quantity", "range"):
                return t
        m = _SIMPLE.fullmatch(s)          # no second number: neither range nor bounds
        if m:
            return Target(text, op, None, float(m[1]), None, m[2] or None)
        m = _RANGE.fullmatch(s)
        if m:
            return Target(text, op, None, _num(m[1]), _num(m[3]), (m[4] or m[2]).strip() or None,
                          "range")
        if op in ("≥", ">"):              # "≥90%且≤100%": two bounds make a range, no operator
            m = _BOUNDS.fullmatch(s)
            if m:
                return Target(text, None, None, _num(m[1]), _num(m[3]),
                              (m[4] or m[2]).strip() or None, "range")
        m = _QTY.fullmatch(s)
        if m:
            return Target(text, op, None, _num(m[1]), None, m[2].strip() or None)
        return None
    if c == "±":
        m = _PM.fullmatch(s)
        if m:
            v = _num(m[1])
            return Target(text, op, None, -v, v, m[2].strip() or None, "range")
        return None
    m = _PLACEHOLDER.fullmatch(s)
    if m:
        return Target(text, op, unit=m[1].strip() or None, kind="placeholder")
    return None


# --- format -----------------------------------------------------------------------------
def format_number(v: float) -> str:
    """60.0 -> '60', 2.61 -> '2.61', 1e20 -> '100000000000000000000': shortest exact digits."""
    if v == int(v) and abs(v) < 1e16:
        return str(int(v))
    s = repr(float(v))
    if "e" in s or "E" in s:
        s = format(Decimal(s), "f")
    return s[:-2] if s.endswith(".0") else s


def format_target(t: Target) -> str:
    """Canonical text: operator symbol + number + unit; '90%-95%' / '90-95个' / '±5%' for
    ranges; '≥**个' for placeholders; words stripped for the rest. Parses back to ``t``."""
    op = t.op or ""
    unit = t.unit or ""
    if not all(v is None or math.isfinite(v) for v in (t.value, t.upper)):
        return t.text.strip()             # "1" * 400 overflows to inf: keep the digits written
    if unit[:1] in _GLUE:
        unit = " " + unit                 # "0 0" must not become "00"
    # Decided by the numbers, not ``kind``: a Target read from JSON may lack ``kind``.
    if t.value is not None and t.upper is None:
        return op + _undated(format_number(t.value), unit)
    if t.value is not None and t.upper is not None:
        lo, hi = _undated(format_number(t.value), ""), _undated(format_number(t.upper), "")
        if t.value == -t.upper and t.upper > 0:
            return f"{op}±{hi}{unit}"
        body = f"{lo}%-{hi}%" if unit == "%" else f"{lo}-{hi}{unit}"
        if _date_kind(body):              # "2000-5" would read as a year-month
            body = f"{lo}%~{hi}%" if unit == "%" else f"{lo}~{hi}{unit}"
        return op + body
    if t.kind == "placeholder":
        return f"{op}**{unit}"
    return t.text.strip()


_GLUE = frozenset("0123456789.,")


def _undated(num: str, unit: str) -> str:
    """'2023.07' alone reads as a date (so does the scorer); a number that merely looks like
    one gets trailing zeros, which our date rule rejects: 2023.07 -> '2023.070', 2023.1 ->
    '2023.100' (a month followed by a digit is no month)."""
    for _ in range(2):
        if "." not in num or not _date_kind(num + unit):
            break
        num += "0"
    return num + unit


# --- meaning ----------------------------------------------------------------------------
def is_qualitative(t: Target) -> bool:
    return t.kind == "qualitative"


def direction_of(t: Target) -> str | None:
    """指标方向 from the operator (domain.md §2.4), the source's first, else the inferred one."""
    if t.kind == "range":
        return "range"
    op = t.op or t.op_inferred
    return {"≥": "positive", ">": "positive", "≤": "negative", "<": "negative",
            "=": "equal"}.get(op) if op else None


UNIT_FAMILY = {
    "%": "percent", "百分比": "percent", "‰": "percent", "百分点": "percent",
    "分": "score",
    **{u: "count" for u in ("个", "项", "人", "人次", "次", "场", "场次", "户", "家", "所", "座",
                            "台", "套", "件", "册", "本", "篇", "份", "期", "批", "条", "辆", "名",
                            "处", "间", "只", "头", "株", "棵", "盏", "块", "支", "部", "班", "村")},
    **{u: "time" for u in ("天", "日", "工作日", "个工作日", "小时", "分钟", "月", "个月", "年",
                           "周", "季度")},
    **{u: "physical" for u in ("亩", "公里", "千米", "米", "厘米", "平方米", "立方米", "吨",
                               "公斤", "千克", "万亩", "平方公里", "kg", "km", "m", "m2", "M",
                               "MB", "G", "GB", "千瓦", "度")},
}


def unit_family(unit: str | None) -> str | None:
    """Coarse family of a unit. Any unit with 元 is money; a per-unit form ('人/次',
    '个/年') takes its numerator's family. A bare '万' is ambiguous (万元? 万人?): None."""
    if not unit:
        return None
    u = unit.strip()
    if "元" in u:
        return "money"
    return UNIT_FAMILY.get(u) or UNIT_FAMILY.get(re.split(r"[/·]", u, maxsplit=1)[0])


# Name cues for infer_op (domain.md R13). Chinese names put the head noun last, so the
# LAST cue decides: "投诉处理满意度" is a satisfaction, "成本下降率" a falling rate (positive).
_NAME_CUE = re.compile(r"(?P<pos>满意|合格|覆盖|达标|知晓|优良|通过|利用|使用率|参与|入学|普及|"
                       r"下降率|减少率|降低率|压减率|增长|增加|提高|提升|收入|产值|效益|责停)"
                       r"|(?P<neg>成本|费用|投诉|事故|差错|超支|结余|违规|超标|损失|误差|返工|发生率)"
                       r"|(?P<done>完成|及时|执行率|办结|兑现|发放率|到位率|验收|落实)")


def infer_op(t: Target, name: str) -> str | None:
    """Operator to put in ``op_inferred`` for a number written without one; None when the
    source wrote one, the value is not a plain number, or the name gives no safe cue."""
    if t.op is not None or t.kind != "quantity" or t.value is None:
        return None
    cue = None
    for m in _NAME_CUE.finditer(name or ""):
        cue = m.lastgroup
    if cue == "pos":
        return "≥"
    if cue == "neg":
        return "≤"
    if cue == "done":                     # "完成率 100%" means all of it; below 100, at least
        return "=" if unit_family(t.unit) == "percent" and t.value == 100 else "≥"
    if unit_family(t.unit) == "count":    # counts are planned quantities: "24场" is 24
        return "="
    return None
