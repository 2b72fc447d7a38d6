"""Results kept per state of the data: computed once, shown again until what they read changes.

Why: a ranking card counts over every ranking its version served and every event (seconds on
the demo market, growing with the log), while issue 14 asks pages to answer in under 300 ms.
The counting is deterministic given its inputs, so the engine keeps the last results under a
key made of the request (version, k) and a fingerprint of everything they read
(:mod:`tandem.store.fingerprint`), read *before* counting: a write that lands during the count
changes the next view's key, so a kept result is never shown for data newer than the result
saw. A result keeps the time it was computed, which is when its numbers were true; they are
still true while its key is. The audit report, read while the log grows, is counted on
instead (:mod:`tandem.engine.counting`); its running counts are lent out by :class:`Lent`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")

#: Kept results per cache (windows an auditor moves between, model cards): the oldest go.
KEEP = 16


class Kept(Generic[T]):
    """The last ``size`` results by key, least recently used dropped; safe across threads.

    Two threads asking for the same missing key both compute it (the count is read-only);
    holding a lock over seconds of counting would queue every other page behind it.
    """

    def __init__(self, size: int = KEEP) -> None:
        self._size = size
        self._items: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The result kept under ``key``, or ``compute()``'s, kept from now on."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = compute()
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every kept result."""
        with self._lock:
            self._items.clear()


class Lent(Generic[T]):
    """The last ``size`` running counts by key, each lent to one thread at a time.

    Why: a running count (the audit report's, :mod:`tandem.engine.counting`) is changed by the
    view that counts on from it, so two views must never change the same one at once.
    :meth:`take` removes it (a second view meanwhile finds none and counts from the start, as
    :class:`Kept` computes twice), :meth:`give` puts it back, least recently used dropped.
    """

    def __init__(self, size: int = KEEP) -> None:
        self._size = size
        self._items: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: Hashable) -> T | None:
        """The count kept under ``key``, now the caller's alone (``None``: there is none)."""
        with self._lock:
            return self._items.pop(key, None)

    def give(self, key: Hashable, value: T) -> None:
        """Keep ``value`` under ``key`` again."""
        with self._lock:
            self._items[key] = value
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        """Forget every count."""
        with self._lock:
            self._items.clear()
