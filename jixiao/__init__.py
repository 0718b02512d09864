"""jixiao (绩效): the whole life of Chinese public-budget performance targets (预算绩效目标).

The public API. Names are imported lazily on first use, so ``import jixiao``
(and CLI start-up) stays cheap::

    import jixiao
    sheet = jixiao.import_sheet("examples/seed_2024_town_approval.txt")
    print(jixiao.sheet_json(sheet))
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# name -> module that defines it
_LAZY = {
    # use-cases
    "import_document": "jixiao.services",
    "check_document": "jixiao.services",
    "render_document": "jixiao.services",
    "sheet_json": "jixiao.services",
    # files, for library users with paths
    "import_sheet": "jixiao.files",
    "write_output": "jixiao.files",
    "check": "jixiao.validation",
    "Report": "jixiao.validation",
    # the domain model and its JSON contract
    "Sheet": "jixiao.model.sheet",
    "Function": "jixiao.model.sheet",
    "Indicator": "jixiao.model.sheet",
    "Diagnostic": "jixiao.model.sheet",
    "Target": "jixiao.model.target",
    "parse_target": "jixiao.model.target",
    "dumps": "jixiao.model.codec",
    "loads": "jixiao.model.codec",
    "ContractError": "jixiao.model.codec",
    # the exception tree
    "JixiaoError": "jixiao.errors",
    "ImportFailed": "jixiao.errors",
    "FileMissing": "jixiao.errors",
    "EmptyDocument": "jixiao.errors",
    "BinaryDocument": "jixiao.errors",
    "UndecodableDocument": "jixiao.errors",
    "NoIndicatorTable": "jixiao.errors",
    "InvalidSheetJson": "jixiao.errors",
    "ProfileInvalid": "jixiao.errors",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    try:
        module = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'jixiao' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from .errors import (
        BinaryDocument,
        EmptyDocument,
        FileMissing,
        ImportFailed,
        InvalidSheetJson,
        JixiaoError,
        NoIndicatorTable,
        ProfileInvalid,
        UndecodableDocument,
    )
    from .files import import_sheet, write_output
    from .model.codec import ContractError, dumps, loads
    from .model.sheet import Diagnostic, Function, Indicator, Sheet
    from .model.target import Target, parse_target
    from .services import check_document, import_document, render_document, sheet_json
    from .validation import Report, check
