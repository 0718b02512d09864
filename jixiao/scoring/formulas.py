"""The formulas of domain.md §4.1 as pure functions, each returning the score and
the Chinese derivation a reviewer can follow.

Arithmetic is done in ``Decimal`` on the shortest decimal form of each float, so
that a hand computation on paper (92 / 95 × 20 = 19.368… → 19.37, 86% × 10 = 8.6 → 9
at 0 decimals) is reproduced exactly, with no binary-float half-way surprises.
"""
from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from functools import lru_cache

from ..model.target import format_number
from .config import ScoringConfig

_MODES = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "down": ROUND_DOWN,
          "up": ROUND_CEILING}
_QUANTUM = [Decimal(1).scaleb(-d) for d in range(7)]
ZERO = Decimal(0)
ONE = Decimal(1)
TWO = Decimal(2)


def dec(x: float | int | Decimal) -> Decimal:
    """``x`` as the decimal number it was written as (repr gives the shortest digits)."""
    if isinstance(x, float):
        return _dec(x)
    return x if isinstance(x, Decimal) else Decimal(x)


@lru_cache(maxsize=8192)     # targets and weights recur; Decimal is immutable
def _dec(x: float) -> Decimal:
    return Decimal(repr(x))


def rounded(x: Decimal | float, decimals: int, mode: str) -> float:
    # quantize never fails here: scores are bounded by weights, far from the 28 digits.
    return float(dec(x).quantize(_QUANTUM[decimals], rounding=_MODES[mode]))


def num(v: float | Decimal | None) -> str:
    """A number as a reviewer writes it: 19.37, 20, 0.5 (at most 6 decimals)."""
    if v is None:
        return "—"
    return _num(float(v))


@lru_cache(maxsize=8192)     # weights, targets and scores recur: ~6 figures per derivation
def _num(f: float) -> str:
    if f.is_integer() and abs(f) < 1e15:
        return str(int(f))
    r = round(f, 6) if abs(f) < 1e15 else f
    text = repr(r)
    return format_number(r) if "e" in text or text.endswith(".0") else text


def qty(v: float | Decimal, unit: str | None) -> str:
    return num(v) + (unit or "")


def pts(v: float | Decimal) -> str:
    return f"{_num(float(v))} 分"


# --- quantitative leaves ---------------------------------------------------------------
# Each takes the actual a (already clamped at 0 where §4.1 says so), the target t, the
# weight w and the unit for display, and returns (score, derivation).

def positive(a: float, t: float, w: float, unit: str | None, cfg: ScoringConfig) -> tuple[float, str]:
    """≥ / > (and = with a non-zero target): a ≥ t → w, else a / t × w [C1]."""
    # Floats parsed from decimal text compare exactly as the decimals do; Decimal
    # arithmetic is needed only where a quotient is rounded.
    if t == 0:
        return w, f"目标为 {qty(0, unit)}, 实际 {qty(a, unit)} 不低于目标, 得满分 {pts(w)}"
    if a >= t and cfg.cap_at_weight:
        return w, f"实际 {qty(a, unit)} ≥ 目标 {qty(t, unit)}, 已达成, 得满分 {pts(w)}"
    if t < 0:                   # "增长率 ≥-5%": a / t would reward a deeper fall; by the distance
        share = max(ZERO, ONE - (dec(t) - dec(a)) / abs(dec(t)))
        s = rounded(share * dec(w), cfg.decimals, cfg.rounding)
        return s, (f"实际 {qty(a, unit)} 低于目标 {qty(t, unit)}: "
                   f"(1 − ({num(t)} − {num(a)}) / {num(abs(t))}) × {pts(w)} = {pts(s)}")
    # max 0: the engine clamps a negative actual first (§4.1); the formula stays total anyway
    s = rounded(max(ZERO, dec(a) / dec(t)) * dec(w), cfg.decimals, cfg.rounding)
    note = " (配置为不封顶)" if a > t else ""
    return s, f"实际 {qty(a, unit)} / 目标 {qty(t, unit)} × {pts(w)} = {pts(s)}{note}"


def equal(a: float, t: float, w: float, unit: str | None, cfg: ScoringConfig) -> tuple[float, str]:
    """=: a zero target is met only by a zero actual; otherwise as positive [C1]."""
    if t == 0:
        if a <= 0:
            return w, f"目标为 {qty(0, unit)}, 实际 {qty(a, unit)} 也为 0, 得满分 {pts(w)}"
        return 0.0, f"目标为 {qty(0, unit)}, 实际 {qty(a, unit)} 不为 0, 得 0 分"
    if a >= t and cfg.cap_at_weight:
        return w, f"实际 {qty(a, unit)} 达到目标 {qty(t, unit)}, 已达成, 得满分 {pts(w)}"
    return positive(a, t, w, unit, cfg)


def reverse(a: float, t: float, w: float, unit: str | None, cfg: ScoringConfig) -> tuple[float, str]:
    """≤ / <: a ≤ t → w; above it the configured strategy (§4.1):
    linear  (1 − (a − t) / t) × w, 0 from 2t on [C1];   ratio  t / a × w [S14]."""
    if a <= t:
        return w, f"实际 {qty(a, unit)} ≤ 目标 {qty(t, unit)}, 已达成, 得满分 {pts(w)}"
    A, T, W = dec(a), dec(t), dec(w)
    if T == 0:
        return 0.0, f"目标为 {qty(t, unit)}, 实际 {qty(a, unit)} 超过目标, 得 0 分"
    if T < 0:                   # "≤-5%" (a fall of at least 5): by the distance, as a negative floor
        s = rounded(max(ZERO, ONE - (A - T) / abs(T)) * W, cfg.decimals, cfg.rounding)
        return s, (f"实际 {qty(a, unit)} 超过目标 {qty(t, unit)}: "
                   f"(1 − ({num(a)} − {num(t)}) / {num(abs(t))}) × {pts(w)} = {pts(s)}")
    if cfg.reverse == "ratio":
        s = rounded(T / A * W, cfg.decimals, cfg.rounding)
        return s, f"实际 {qty(a, unit)} 超过目标 {qty(t, unit)}: 目标 {num(t)} / 实际 {num(a)} × {pts(w)} = {pts(s)}"
    if A >= TWO * T:
        return 0.0, f"实际 {qty(a, unit)} 达到目标 {qty(t, unit)} 的 2 倍及以上, 得 0 分"
    s = rounded((ONE - (A - T) / T) * W, cfg.decimals, cfg.rounding)
    return s, (f"实际 {qty(a, unit)} 超过目标 {qty(t, unit)}: "
               f"(1 − ({num(a)} − {num(t)}) / {num(t)}) × {pts(w)} = {pts(s)}")


def in_range(a: float, lo: float, hi: float, w: float, unit: str | None,
             cfg: ScoringConfig) -> tuple[float, str]:
    """A range: inside → w; outside, scored by the distance to the nearer bound [P]:
    below lo as a positive target of lo (linear in the distance, relative to |lo|),
    above hi as a reverse target of hi with the configured strategy."""
    if lo > hi:
        lo, hi = hi, lo
    A, L, W = dec(a), dec(lo), dec(w)
    span = f"{qty(lo, unit)}–{qty(hi, unit)}"
    if lo <= a <= hi:
        return w, f"实际 {qty(a, unit)} 在区间 {span} 内, 得满分 {pts(w)}"
    if a > hi:
        s, how = reverse(a, hi, w, unit, cfg)
        return s, f"实际高于区间 {span} 的上限; " + how
    if L > 0:
        s = rounded(A / L * W, cfg.decimals, cfg.rounding)
        return s, f"实际 {qty(a, unit)} 低于区间 {span} 的下限: {num(a)} / {num(lo)} × {pts(w)} = {pts(s)}"
    if L == 0:                               # unreachable after the clamp at 0, kept total
        return 0.0, f"实际 {qty(a, unit)} 低于区间 {span} 的下限 0, 得 0 分"
    share = ONE - (L - A) / abs(L)           # a ± range: lo < 0, deviation relative to |lo|
    s = rounded(max(ZERO, share) * W, cfg.decimals, cfg.rounding)
    return s, (f"实际 {qty(a, unit)} 低于区间 {span} 的下限: "
               f"(1 − ({num(lo)} − {num(a)}) / {num(abs(lo))}) × {pts(w)} = {pts(s)}")


# --- budget execution ------------------------------------------------------------------

def execution(executed: float, budget: float, w: float, label: str, cfg: ScoringConfig
              ) -> tuple[float, float, str]:
    """min(executed / budget, 1) × w (§4.1); returns (score, rate in %, derivation)."""
    E, B, W = dec(executed), dec(budget), dec(w)
    rate = E / B
    ex = cfg.execution
    s = rounded(min(rate, ONE) * W, ex.decimals, ex.rounding)
    pct = rounded(rate * 100, 2, "half_up")
    capped = "" if rate <= ONE else ", 超过 100% 按 100% 计"
    return s, pct, (f"全年执行数 {num(executed)} 万元 / {label} {num(budget)} 万元 = 执行率 {pct:.2f}%"
                    f"{capped}; {min(pct, 100.0):.2f}% × {pts(w)} = {pts(s)}")
