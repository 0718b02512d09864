"""What every rule reads: the sheet flattened once into ``Item``s and ``Scope``s.

Building this once per check (normalised categories, cleaned names, unit family,
name classes) keeps each rule a few lines and the whole check fast: no rule
re-normalises a 一级/二级 or re-parses a name.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from ..model.indicator import COST, normalize_level1, normalize_level2
from ..model.sheet import Indicator, Sheet
from ..model.target import Target, unit_family
from . import names
from .profile import Profile

# Diagnostic codes an importer writes when the table it read is cut off (a text
# extraction that ends mid-row, a page missing). No importer emits it yet; the
# checker already honours it: completeness rules then speak conditionally.
TABLE_INCOMPLETE = "IMPORT_TABLE_INCOMPLETE"
INCOMPLETE_CODES = frozenset((TABLE_INCOMPLETE, "IMPORT_TABLE_TRUNCATED"))


@dataclass(slots=True)
class Item:
    """One indicator with everything rules ask about it."""

    path: str               # JSON path: functions[0].indicators[4] / indicators[3]
    fn: int | None          # index of its 核心职能, None for a flat list
    ind: Indicator
    name: str               # the name as written, stripped
    core: str               # the name without trailing notes "(含临聘人员)" and punctuation
    key: str                # normalised for comparisons (duplicates, last year's sheet)
    l1: str | None          # standard 一级 (None: missing or unknown)
    l2: str | None          # standard 二级
    t: Target | None
    family: str | None      # unit family of the target: percent/count/money/time/…
    kinds: frozenset[str]   # name classes from ``names.classify``


@dataclass(slots=True)
class Scope:
    """Where indicators are counted together: one 核心职能, or the flat list."""

    path: str               # functions[2] / indicators
    fn: int | None
    label: str              # 职能3 / 本项目 / 本表
    items: list[Item]

    @property
    def shown(self) -> str:
        """For a message: “职能3” quoted, 本项目 / 本表 as plain words."""
        return f"“{self.label}”" if self.fn is not None else self.label


@dataclass(slots=True)
class Hit:
    """A finding before the engine stamps the rule's id and severity on it."""

    where: str
    message: str
    hint: str
    item: Item | None = None
    fn: int | None = None
    severity: str | None = None     # overrides the rule's default for this finding only


_PUNCT = dict.fromkeys(map(ord, " \t\n\r,，.。、;；:：!！?？\"'“”‘’()（）[]【】《》<>〈〉-—_·…/\\|"), None)


def name_key(name: str) -> str:
    """Normalised name: NFKC, no whitespace or punctuation (“两委” == 两委)."""
    return unicodedata.normalize("NFKC", name).translate(_PUNCT)


class Context:
    """The sheet as rules see it, plus the profile and the optional previous sheet."""

    def __init__(self, sheet: Sheet, profile: Profile, previous: Sheet | None = None):
        self.sheet = sheet
        self.profile = profile
        self.th = profile.thresholds
        self.previous = previous
        self.cache: dict[str, object] = {}     # for rules sharing derived data (history)
        self.items: list[Item] = []
        self.scopes: list[Scope] = []
        for fi, fn in enumerate(sheet.functions):
            items = [make_item(f"functions[{fi}].indicators[{ii}]", fi, ind)
                     for ii, ind in enumerate(fn.indicators)]
            self.scopes.append(Scope(f"functions[{fi}]", fi, fn.label or f"职能{fi + 1}", items))
            self.items += items
        if sheet.indicators or not sheet.functions:
            items = [make_item(f"indicators[{ii}]", None, ind)
                     for ii, ind in enumerate(sheet.indicators)]
            label = "本项目" if sheet.kind == "project" else "本表"
            self.scopes.append(Scope("indicators", None, label, items))
            self.items += items
        self.incomplete = any(d.code in INCOMPLETE_CODES for d in sheet.diagnostics)
        # "auto": the sheet's own regime — 2021 as soon as 成本指标 stands as a 一级.
        self.regime = profile.regime if profile.regime != "auto" else \
            ("2021" if any(it.l1 == COST for it in self.items) else "classic")

    def label_of(self, fn: int | None) -> str:
        if fn is None:
            return "项目" if self.sheet.kind == "project" else "整表"
        label = self.sheet.functions[fn].label
        return label or f"职能{fn + 1}"

    # --- hit builders ------------------------------------------------------------------
    def at(self, item: Item, field: str | None, message: str, hint: str) -> Hit:
        where = f"{item.path}.{field}" if field else item.path
        return Hit(where, message, hint, item, item.fn)

    def at_scope(self, scope: Scope, message: str, hint: str, field: str | None = None) -> Hit:
        where = f"{scope.path}.{field}" if field else scope.path
        return Hit(where, message, hint, None, scope.fn)

    def at_sheet(self, where: str, message: str, hint: str) -> Hit:
        return Hit(where, message, hint)


def make_item(path: str, fn: int | None, ind: Indicator) -> Item:
    name = (ind.name or "").strip()
    core = names.core_name(name)
    t = ind.target
    return Item(path, fn, ind, name, core, name_key(name),
                normalize_level1(ind.level1), normalize_level2(ind.level2), t,
                unit_family(t.unit) if t is not None else None, names.classify(core))
