"""Operators written with look-alike characters, repaired before a value is parsed.

Real forms and their extractions write the operator of a 指标值 in many ways; the
target parser (``jixiao.model.target``) reads the standard ones. ``repair(value)``
gives the value with its operator written the standard way and says what it did:

- **glyphs** the parser does not read: ``═`` (box drawing) and ``〓`` for ``=``,
  ``≥=`` / ``=>`` for ``≥``, ``≤=`` / ``=<`` for ``≤`` (``kind`` "glyph": certain,
  reported once per sheet);
- **OCR guesses**: ``二`` (the character for two) before a number is ``=`` (``二95%``),
  and a ``2`` in front of a percentage of something that cannot exceed 100% (a rate,
  a satisfaction, a coverage: ``验收合格率 292%`` -> ``≥92%``), where the value read
  as written would be over 200%; a rise (``增长率 250%``) stays as written (``kind``
  "guess": reported for each indicator, as a warning);
- a ``2`` before a count of a self-evaluation row that its own cells refute as written:
  ``26次`` with the actual value 12次 and full marks (得分 = 分值) cannot be 26, while
  ≥6 is met — read ``≥6次`` when the actual value has the count's unit, lies between
  the two readings, and the name is no count to keep low (投诉, 事故 …).

What the parser reads already is left as written, with no diagnostic: ``≧`` / ``⩾``,
``>=`` / ``<=``, ``﹦`` / ``＝`` (NFKC), and the suffixes (``95%以上``, ``5%以下``).
"""
from __future__ import annotations

import re

# leading glyph -> operator, for the glyphs the target parser does not read
_GLYPHS = (("≥=", "≥"), ("=>", "≥"), ("≤=", "≤"), ("=<", "≤"), ("═", "="), ("〓", "="))
_GLYPH_FIRST = frozenset(g[0] for g, _ in _GLYPHS)
_TWO_CHAR = frozenset(g for g, _ in _GLYPHS if len(g) == 2)
_TRIGGERS = _GLYPH_FIRST | {"二", "2", " ", "\t", "\u3000"}
_NUMBER_AFTER = re.compile(r"\s*\d")
_OCR_TWO = re.compile(r"2(\d{2}(?:\.\d+)?|100)\s*%")
_BOUNDED = re.compile(r"率|满意|覆盖|知晓|认可|合格|达标|到位|及时|完好")
_UNBOUNDED = re.compile(r"增长|增幅|增加|提高|提升|上升|涨|倍")
_OCR_TWO_COUNT = re.compile(r"2(\d+(?:\.\d+)?)([^\d%.]{1,3})")
_KEPT_LOW = re.compile(r"投诉|事故|差错|违规|违纪|逾期|超标|下降|降低|减少|控制|成本|费用|经费|变动|调整|结转|结余|发生")


def repair(value: str, name: str = "", actual: str | None = None,
           full_marks: bool = False) -> tuple[str, str | None, str | None]:
    """(value, kind, original operator text): kind None when nothing was done,
    "glyph" or "guess". ``actual`` and ``full_marks`` (得分 = 分值 > 0): what the row's
    other cells say, for the count reading."""
    if value[:1] not in _TRIGGERS:  # nearly every value: one set lookup
        return value, None, None
    s = value.lstrip()
    if not s:
        return value, None, None
    c = s[0]
    if c in "≥≤=" and s[:2] not in _TWO_CHAR:
        return value, None, None
    if c in _GLYPH_FIRST:
        for glyph, op in _GLYPHS:
            if s.startswith(glyph):
                return op + s[len(glyph):].lstrip(), "glyph", glyph
    elif c == "二" and _NUMBER_AFTER.match(s, 1):
        return "=" + s[1:].lstrip(), "guess", "二"
    elif c == "2":
        m = _OCR_TWO.fullmatch(s)
        if m and float(m[1]) <= 100 and _BOUNDED.search(name) and not _UNBOUNDED.search(name):
            return "≥" + m[1] + "%", "guess", "2"
        m = _OCR_TWO_COUNT.fullmatch(s)
        if m and full_marks and actual and not _KEPT_LOW.search(name):
            a = re.fullmatch(r"(\d+(?:\.\d+)?)" + re.escape(m[2]), actual.strip())
            if a and 1 <= float(m[1]) <= float(a[1]) < float(s[:-len(m[2])]):
                return "≥" + m[1] + m[2], "guess", "2"
    return value, None, None
