"""Many readers or one writer over a served collection, within one process.

A serving process answers requests on several threads while one of them may change the
collection they read: catching up with another process's journalled writes, or recording its
own. A change touches several columns and both indexes in turn; a reader that ran between two
of those steps saw a record half-written (a live label without its vector, or filter columns
of different lengths), and two threads catching up at once applied the same journal lines
twice. So a change holds the write side for the whole batch and a query holds the read side
for the whole query: it sees the batch entirely or not at all.

A waiting writer holds new readers back, so a steady stream of queries never starves a
catch-up. Both sides are re-entrant within a thread (a query's helpers read again; a change
may read what it wrote), but a reader never becomes a writer: that would wait for itself, so
it is refused at once.
"""

from __future__ import annotations

import threading
from types import TracebackType


class Guard:
    """A readers-writer lock, writer-preferring, re-entrant per thread.

    ``with guard.reading():`` / ``with guard.writing():``. The sides are plain objects with
    ``__enter__`` and ``__exit__`` rather than generator context managers: a served match
    reads a few hundred records, and each read costs a third as much this way.
    """

    def __init__(self) -> None:
        self._state = threading.Condition(threading.Lock())
        self._readers = 0
        self._waiting = 0
        self._writer: int | None = None
        self._local = threading.local()
        self._reading = _Reading(self)
        self._writing = _Writing(self)

    def reading(self) -> _Reading:
        """The read side: no change is under way while the block runs."""
        return self._reading

    def writing(self) -> _Writing:
        """The write side: no query and no other change runs while the block does."""
        return self._writing


class _Reading:
    __slots__ = ("_guard",)

    def __init__(self, guard: Guard) -> None:
        self._guard = guard

    def __enter__(self) -> None:
        guard, local = self._guard, self._guard._local
        depth: int = getattr(local, "depth", 0)
        if depth or guard._writer == threading.get_ident():  # a query's helpers read again
            local.depth = depth + 1
            return
        with guard._state:
            while guard._writer is not None or guard._waiting:
                guard._state.wait()
            guard._readers += 1
        local.depth = 1
        local.counted = True

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        guard, local = self._guard, self._guard._local
        local.depth -= 1
        if local.depth or not getattr(local, "counted", False):
            return
        local.counted = False
        with guard._state:
            guard._readers -= 1
            if not guard._readers:
                guard._state.notify_all()


class _Writing:
    __slots__ = ("_guard",)

    def __init__(self, guard: Guard) -> None:
        self._guard = guard

    def __enter__(self) -> None:
        guard, local = self._guard, self._guard._local
        me = threading.get_ident()
        if guard._writer == me:
            local.writes = getattr(local, "writes", 0) + 1
            return
        if getattr(local, "depth", 0):
            raise RuntimeError("a thread reading a collection cannot change it (deadlock)")
        with guard._state:
            guard._waiting += 1
            try:
                while guard._writer is not None or guard._readers:
                    guard._state.wait()
            finally:
                guard._waiting -= 1
                guard._state.notify_all()  # readers held back for this writer may go on
            guard._writer = me
        local.writes = 1

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        guard, local = self._guard, self._guard._local
        local.writes -= 1
        if local.writes:
            return
        with guard._state:
            guard._writer = None
            guard._state.notify_all()
