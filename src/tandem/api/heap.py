"""The serving process's garbage collector: long-lived objects out of the full collections.

A served process holds a large, long-lived heap (the taxonomy, the indexes' id maps, the
engine's record caches, the models) and makes many short-lived objects per request (a match
builds a dozen small results for each of its 300 candidates). CPython's full (generation 2)
collection walks the whole heap every time; on the 2k MiniLM home (load ~4) each took
200-420 ms and ran on about one match in twelve, which is what put match p95 at 3-5x its
median (bench/README.md, "Where a served match spent its time"). Freezing the survivors
of a full collection (``gc.freeze``) moves them to the permanent generation, which later
collections skip; measured there, full collections fell to 26-43 ms.

Frozen objects are still freed by reference counting, but a reference cycle that dies
while frozen would stay until unfrozen. So every ``refresh``-th full collection first
unfreezes everything: that one walks the whole heap again and reclaims such cycles, which
bounds what a frozen cycle can hold to the garbage of ``refresh`` full collections.
Answers do not depend on any of this: it only changes when memory is scanned.
"""

from __future__ import annotations

import gc
from typing import Any

#: Full collections between two that walk the whole heap (unfrozen) to reclaim dead cycles.
REFRESH_EVERY = 32


class HeapPolicy:
    """Freeze what survives each full collection; unfreeze every ``refresh``-th one first.

    Installed once per process (:func:`install`); the callbacks run inside the collector,
    where ``gc.freeze`` and ``gc.unfreeze`` only move the generations' object lists.
    """

    def __init__(self, refresh: int = REFRESH_EVERY) -> None:
        if refresh < 1:
            raise ValueError(f"refresh must be at least 1, not {refresh}")
        self.refresh = refresh
        self.full = 0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        """The ``gc.callbacks`` hook: act around generation-2 collections only."""
        if info.get("generation") != 2:
            return
        if phase == "start":
            self.full += 1
            if self.full % self.refresh == 0:
                gc.unfreeze()  # this one walks everything and reclaims cycles that died frozen
        elif phase == "stop":
            gc.freeze()


_installed: HeapPolicy | None = None


def install(refresh: int = REFRESH_EVERY) -> HeapPolicy:
    """Put the policy on this process's collector (once; later calls return the same one)."""
    global _installed
    if _installed is None:
        _installed = HeapPolicy(refresh)
        gc.callbacks.append(_installed)
    return _installed
