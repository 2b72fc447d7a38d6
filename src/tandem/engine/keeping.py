"""Running counts lent to one view at a time: the audit report's and the ranking cards'.

Why: the audit report and a ranking card count over every ranking served (seconds on the demo
market, growing with the log), while issue 14 asks pages to answer in under 300 ms. They are
counted on from the last view instead (:mod:`tandem.engine.counting`), valid while a
fingerprint of what else they read holds (:mod:`tandem.store.fingerprint`, read *before*
counting: a write that lands during the count makes the next view count it).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

T = TypeVar("T")

#: Running counts kept (windows an auditor moves between, model cards): the oldest go.
KEEP = 16


class Lent(Generic[T]):
    """The last ``size`` running counts by key, each lent to one thread at a time.

    Why: a running count (the audit report's, :mod:`tandem.engine.counting`) is changed by the
    view that counts on from it, so two views must never change the same one at once.
    :meth:`take` removes it (a second view meanwhile finds none and counts from the start),
    :meth:`give` puts it back, least recently used dropped.
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
