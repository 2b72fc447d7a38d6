"""Decoded records kept in memory between requests, from their second read on.

Why: a match reads its ~300 candidates' records; at 10k profiles the same ones come back
request after request, and keeping them decoded saves the store read and the model
validation. At a million, a served match's candidates were seen before 3% of the time
(bench/README.md, "Which records a served process keeps"): keeping every record read
only made the heap grow by ~6,000 objects a match, which the collector walked in a full
collection of 13-20 ms about every seventh match. So a record is kept the second time it is
read: what comes back is kept, what is read once is not, whatever the collection's size.
A record is served from memory only while its content hash is the one the index holds, and
never after an erasure in any process of the home (:class:`ErasureStamp`).
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")

#: The file erasures rewrite, in the index directory (:class:`ErasureStamp`): replicas on
#: several hosts share that directory (docs/SCALING.md, "Replicas"), not the whole home.
ERASURE_STAMP = "erasure.stamp"
#: Records kept decoded in memory per kind (a profile is a few kB), and ids remembered.
CACHE_LIMIT = 100_000


class RecordCache(Generic[T]):
    """Records by id, each with the content hash it had when read; admitted on a second read.

    Both the records and the ids read once are bounded by ``limit``: past it, the memory
    starts afresh (cheaper than an LRU's bookkeeping on every read, and a marketplace's
    working set either fits or does not).
    """

    def __init__(self, limit: int = CACHE_LIMIT) -> None:
        self.limit = limit
        self._kept: dict[str, tuple[str, T]] = {}
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._kept)

    def known(self, ids: Sequence[str]) -> list[str]:
        """Those of ``ids`` kept or read before: only their content hashes are needed.

        A record never read before is read from the store (fresh by definition) and only
        remembered, so a caller looks up the index's hashes of the known ids alone: at a
        million profiles a match's ~300 candidates cost ~10 hash reads instead of 300.
        """
        return [i for i in ids if i in self._kept or i in self._seen]

    def lookup(
        self, ids: Sequence[str], hashes: Mapping[str, str | None]
    ) -> tuple[dict[str, T], list[str]]:
        """The records of ``ids`` kept with the hash ``hashes`` gives, and the ids to read."""
        found: dict[str, T] = {}
        missing: list[str] = []
        for record_id in ids:
            hit = self._kept.get(record_id)
            if hit is not None and hit[0] == hashes.get(record_id):
                found[record_id] = hit[1]
            else:
                missing.append(record_id)
        return found, missing

    def offer(self, record_id: str, content_hash: str | None, record: T) -> None:
        """A record just read from the store, with the index's hash of it if it was known.

        Read before: kept under that hash (never without one: a record the index does not
        hold, or one another thread saw meanwhile, is not kept this time). Never read
        before: remembered.
        """
        with self._lock:
            if record_id in self._kept or record_id in self._seen:
                if content_hash is None:
                    return
                if len(self._kept) >= self.limit:
                    self._kept.clear()
                self._kept[record_id] = (content_hash, record)
                self._seen.discard(record_id)
            else:
                if len(self._seen) >= self.limit:
                    self._seen.clear()
                self._seen.add(record_id)


class ErasureStamp:
    """A file each erasure rewrites, so every process of the home drops the records it keeps.

    Why: an erasure run by one process (``tandem erase`` beside a running server) deleted the
    person's rows, but a server that had kept their record in memory served it again, and
    logged it, while its index snapshot still named them. Every process reads the stamp
    (one ``stat``) before it serves a kept record; a changed stamp empties its caches.
    The erasing process rewrites it before it deletes anything and again once the rebuilt
    index is published, so a record kept in between is dropped too.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._seen = self._read()

    def _read(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def bump(self) -> None:
        """Mark an erasure (a new file renamed over the name: every reader sees a change)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + f".{secrets.token_hex(4)}.tmp")
        tmp.write_text(secrets.token_hex(16), encoding="utf-8")
        tmp.replace(self.path)

    def changed(self) -> bool:
        """Whether an erasure was marked since this process last asked (or started)."""
        now = self._read()
        if now == self._seen:
            return False
        self._seen = now
        return True
