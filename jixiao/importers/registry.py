"""The table of input formats: a name, a *sniffer* that looks at the first bytes of
a file (magic numbers, a JSON brace, …) and a *loader* that turns the whole file
into a ``Sheet``. Every reader under ``formats/`` registers itself here when
imported (``jixiao.importers`` imports them all)::

    from ..registry import register

    @register("xlsx", sniff=lambda head: head.startswith(b"PK\\x03\\x04"), priority=10)
    def load_xlsx(data: bytes, path: str | None) -> Sheet: ...

``formats`` lists them in the order ``detect`` asks their sniffers (lowest priority
first); ``text`` is the catch-all with the highest number.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model.sheet import Sheet

Sniffer = Callable[[bytes], bool]
Loader = Callable[[bytes, "str | None"], "Sheet"]

#: How many leading bytes a sniffer is shown.
HEAD_SIZE = 4096


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    sniff: Sniffer
    load: Loader
    priority: int = 50


_REGISTRY: dict[str, Format] = {}


def register(name: str, *, sniff: Sniffer, priority: int = 50) -> Callable[[Loader], Loader]:
    """Decorator: register ``load(data, path) -> Sheet`` as format ``name``."""

    def deco(load: Loader) -> Loader:
        _REGISTRY[name] = Format(name, sniff, load, priority)
        return load

    return deco


def unregister(name: str) -> None:
    _REGISTRY.pop(name, None)


def formats() -> list[Format]:
    """The registered formats in the order ``detect`` tries them."""
    return sorted(_REGISTRY.values(), key=lambda f: (f.priority, f.name))


def format_named(name: str) -> Format:
    """The format registered as ``name``; ``ValueError`` naming the known ones."""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown import format {name!r}; known: {sorted(_REGISTRY)}") from None
