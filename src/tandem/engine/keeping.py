"""Results kept per state of the data: computed once, shown again until what they read changes.

Why: the audit report (and a ranking card) counts over the whole decision log, every proposal
and event (2.1 s of CPU per view on the demo market, growing with the log), while issue 14 asks
pages to answer in under 300 ms. The counting is deterministic given its inputs, so the engine
keeps the last results under a key made of the request (window, k, ...) and a fingerprint of
everything they read (:mod:`tandem.store.fingerprint`), read *before* counting: a write that
lands during the count changes the next view's key, so a kept result is never shown for data
newer than the result saw. A result keeps the time it was computed (the report's
``generated_at``), which is when its numbers were true; they are still true while its key is.
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
