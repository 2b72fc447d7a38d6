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
from collections.abc import Iterator
from contextlib import contextmanager


class Guard:
    """A readers-writer lock, writer-preferring, re-entrant per thread."""

    def __init__(self) -> None:
        self._state = threading.Condition(threading.Lock())
        self._readers = 0
        self._waiting = 0
        self._writer: int | None = None
        self._local = threading.local()

    def _depth(self) -> int:
        depth: int = getattr(self._local, "depth", 0)
        return depth

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Hold the read side: no change is under way while the block runs."""
        depth = self._depth()
        if depth or self._writer == threading.get_ident():
            self._local.depth = depth + 1
            try:
                yield
            finally:
                self._local.depth = depth
            return
        with self._state:
            while self._writer is not None or self._waiting:
                self._state.wait()
            self._readers += 1
        self._local.depth = 1
        try:
            yield
        finally:
            self._local.depth = 0
            with self._state:
                self._readers -= 1
                if not self._readers:
                    self._state.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the write side: no query and no other change runs while the block does."""
        me = threading.get_ident()
        if self._writer == me:
            yield
            return
        if self._depth():
            raise RuntimeError("a thread reading a collection cannot change it (deadlock)")
        with self._state:
            self._waiting += 1
            try:
                while self._writer is not None or self._readers:
                    self._state.wait()
            finally:
                self._waiting -= 1
                self._state.notify_all()  # readers held back for this writer may go on
            self._writer = me
        try:
            yield
        finally:
            with self._state:
                self._writer = None
                self._state.notify_all()
