"""A small bounded in-process cache for values that never go stale under their key.

Used for what is derived from an immutable stored version (the checker's report,
a published page): the key names the version, so an entry is either right or
never asked for again; the bound only limits memory. The oldest entry goes first.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

__all__ = ["BoundedCache"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BoundedCache(Generic[K, V]):
    def __init__(self, size: int):
        self.size = size
        self._items: dict[K, V] = {}
        # The web app calls from a thread pool: evicting while another thread inserts
        # would otherwise break the iteration that finds the oldest entry.
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        return self._items.get(key)

    def put(self, key: K, value: V) -> V:
        with self._lock:
            if key not in self._items and len(self._items) >= self.size:
                self._items.pop(next(iter(self._items)))
            self._items[key] = value
        return value

    def get_or_make(self, key: K, make: Callable[[], V]) -> V:
        found = self._items.get(key)
        return found if found is not None else self.put(key, make())
