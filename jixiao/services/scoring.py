"""Use-case: recompute a self-evaluation (自评复算).

Keyword-only, objects in and out, no paths (the CLI reads the files): the sheet,
its approved sheet and the profile text come in, a ``SheetScore`` goes out.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import JixiaoError

if TYPE_CHECKING:
    from ..model.sheet import Sheet
    from ..scoring import ScoringConfig, SheetScore

__all__ = ["score_document", "scoring_config", "has_results"]


def scoring_config(*, text: str | None = None, source: str = "配置") -> ScoringConfig:
    """The scoring settings of a review profile's TOML ``text`` (its ``[scoring]``
    table); the shipped defaults without one. Raises ``ProfileInvalid``."""
    from ..scoring import DEFAULT, config_from_profile_text

    return DEFAULT if text is None else config_from_profile_text(text, source=source)


def has_results(sheet: Sheet) -> bool:
    """Whether ``sheet`` carries anything to recompute: an actual, a claimed score
    or the executed budget."""
    if (sheet.funds or {}).get("executed") is not None:
        return True
    return any(ind.actual is not None or ind.score is not None for _, ind in sheet.all_indicators())


def score_document(*, sheet: Sheet, config: ScoringConfig | None = None,
                   approved: Sheet | None = None, name: str | None = None) -> SheetScore:
    """Recompute ``sheet`` (a self-evaluation) under ``config`` (None: the defaults),
    against ``approved`` when given. ``name`` is what the message calls the document.
    Raises ``JixiaoError`` when the sheet holds no actual, score or executed budget:
    it is no self-evaluation, and scoring it would only print zeros."""
    from ..scoring import DEFAULT, score_sheet

    if not has_results(sheet):
        where = f"文件“{name}”" if name else "这份表"
        raise JixiaoError(f"{where}没有实际完成值、自评得分或全年执行数, 不是自评表 (或监控表), 无法复算; "
                          "请给出自评表, 批复表可用 --approved 给出")
    return score_sheet(sheet, config or DEFAULT, approved=approved)
