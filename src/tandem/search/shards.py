"""A vector index in shards of bounded size: a build holds one small shard in memory, not the index.

An ANN graph (hnswlib, faiss HNSW) lives in memory while vectors are added to it, so one
graph over a whole collection made an import's peak memory grow with the bundle (~1.7 KB a
profile at 384 dimensions with ``hnsw``; issue 15). Here vectors go to an *open* shard; a
save that finds it full *seals* it: writes it to a directory of its own, never to be written
again, and lets it go. A search asks every shard (loading a sealed one the first time it is
needed) and merges their hits by score.

How full is full: a quarter of the index (:data:`SEAL_SHARE`), at least :data:`FIRST_SEAL`
vectors and at most ``shard_size``. A build of a small market so holds a graph of ~8-10k
vectors, not one of the whole market (the import's peak memory stops growing with the bundle
below ``shard_size`` too), and a large index seals rarely (each seal is a save of the
collection's columns). Once :data:`MERGE_FROM` shards are sealed, the smallest are merged
into one no larger than an open shard may grow (:meth:`ShardedVectorIndex._merge_small`),
reading their vectors from the collection's own column (``source``): a merge never holds
more than a build does, and a million profiles stay about ten shards, not a hundred.

A sealed shard is immutable. A vector replaced or deleted after sealing is unmarked in
``sealed_of`` (which sealed shard holds each label's current vector, -1 for none), and a
sealed shard read for searching first deletes, in memory, the labels it no longer holds.
Its files are so safe to hard-link between snapshot versions (:mod:`tandem.search.snapshots`).

Layout of the index's directory: the open shard's own files where an index without shards
kept them (a collection saved before shards existed is one open shard, sealed at its next
save if it is large), ``sealed-<n>/`` each sealed shard with the labels it held when sealed
(``labels.npy``), ``shards.json`` the sealed shards' numbers, ``sealed_of.npy``.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from tandem.errors import SearchIndexError
from tandem.search.base import Hit, VectorIndex, library_errors

#: Live vectors an open shard holds before a save seals it. At 384 dimensions an ``hnsw``
#: shard of this size is ~220 MB in memory; a million profiles are eight shards, and a
#: search asks each (bench/README.md, "Vector shards").
SHARD_SIZE = 131_072
#: The fewest vectors a save seals in a shard (~14 MB of ``hnsw`` graph at 384 dimensions),
#: unless ``shard_size`` is smaller.
FIRST_SEAL = 8192
#: An open shard seals once it holds this share of the index (up to ``shard_size``).
SEAL_SHARE = 4
#: Sealed shards merge only when there are this many: each merge adds the vectors again
#: (a planned build of 1M in batches of 1,000 merges once, ~86k vectors; merging from two,
#: 640k).
MERGE_FROM = 12
#: Vectors a merge reads from its source and adds to the merged graph at a time.
_MERGE_BATCH = 4096
#: What a search asks each shard for at least before asking the shards that may hold more.
FIRST_ASK = 16
Factory = Callable[[int, Path | None], VectorIndex]
#: The current vectors of labels (a collection's vector column): what a merge re-adds.
Source = Callable[[npt.NDArray[np.int64]], npt.NDArray[np.float32]]
_META = "shards.json"
_SEALED_OF = "sealed_of.npy"
_LABELS = "labels.npy"
_FAILURES = (OSError, ValueError, KeyError)


def _sealed_dir(directory: Path, number: int) -> Path:
    return directory / f"sealed-{number}"


class ShardedVectorIndex:
    """A :class:`~tandem.search.base.VectorIndex` over an open shard and sealed ones."""

    def __init__(
        self,
        factory: Factory,
        name: str,
        dim: int,
        directory: Path | None,
        *,
        shard_size: int = SHARD_SIZE,
        source: Source | None = None,
    ) -> None:
        if shard_size < 1:
            raise ValueError(f"a vector shard holds at least one vector, not {shard_size}")
        self.name = name
        self.dim = dim
        self.shard_size = shard_size
        self._factory = factory
        self._source = source  # None: small sealed shards are never merged
        self._directory = directory
        self._lock = threading.Lock()  # loading a sealed shard, from concurrent searches
        self._sealed: list[int] = []
        self._loaded: dict[int, VectorIndex] = {}
        self._sealed_of = np.full(0, -1, dtype=np.int32)
        if directory is not None and (directory / _META).exists():
            with library_errors(name, "load", *_FAILURES):
                meta = json.loads((directory / _META).read_text(encoding="utf-8"))
                self._sealed = [int(n) for n in meta["sealed"]]
                self._sealed_of = np.load(directory / _SEALED_OF).astype(np.int32)
            # A seal killed between its two metadata files left ``sealed_of`` naming a shard
            # ``shards.json`` does not: those vectors are where the last whole save had them.
            self._sealed_of[~np.isin(self._sealed_of, self._sealed)] = -1
        self._open = factory(dim, directory)
        # A save killed between sealing a shard and emptying the open one left the sealed
        # vectors in both: the sealed shard is the one its metadata names.
        twice = self._held_sealed(self._open.labels())
        if twice.size:
            self._open.delete(twice.tolist())

    # reads -------------------------------------------------------------------------------
    def search(self, vector: npt.NDArray[np.float32], k: int) -> list[Hit]:
        """See :class:`tandem.search.base.VectorIndex`: each shard's best, merged by score.

        Each shard is first asked for twice its share of ``k`` (at least :data:`FIRST_ASK`);
        only a shard whose last answer still scores at or above the merged ``k``-th best can
        hold more of the top ``k``, and only such a shard is asked for all ``k``. Asking all
        eight shards of a million profiles for a served query's ~260 took 12.6-16.8 ms a
        query, asking for shares 6.9-7.6 ms, with recall@260 against exact search 0.9988 and
        0.9960 (bench/README.md, "Vector shards").
        """
        if not self._sealed:
            return self._open.search(vector, k)
        shards = [self._open, *(self._shard(number) for number in self._sealed)]
        first = max(FIRST_ASK, math.ceil(2 * k / len(shards)))
        if first >= k:
            found = [shard.search(vector, k) for shard in shards]
        else:
            found = [shard.search(vector, first) for shard in shards]
            merged = sorted((hit for hits in found for hit in hits), key=lambda h: -h.score)
            bar = merged[k - 1].score if len(merged) >= k else -math.inf
            for i, hits in enumerate(found):
                if len(hits) == first and hits[-1].score >= bar:  # it may hold more of the k
                    found[i] = shards[i].search(vector, k)
        return sorted((hit for hits in found for hit in hits), key=lambda h: -h.score)[:k]

    def count(self) -> int:
        """See :class:`tandem.search.base.VectorIndex`."""
        return self._open.count() + int(np.count_nonzero(self._sealed_of >= 0))

    def labels(self) -> npt.NDArray[np.int64]:
        """See :class:`tandem.search.base.VectorIndex`."""
        sealed = np.flatnonzero(self._sealed_of >= 0).astype(np.int64)
        return np.concatenate([self._open.labels(), sealed])

    @property
    def shards(self) -> int:
        """How many shards hold the vectors (the open one included)."""
        return len(self._sealed) + 1

    @property
    def shards_in_memory(self) -> int:
        """How many shards are held in memory now (the open one and the sealed ones read)."""
        return len(self._loaded) + 1

    def read_all(self) -> None:
        """Read every sealed shard now, so that no search waits for one (a background load)."""
        for number in self._sealed:
            self._shard(number)

    def seal_at(self) -> int:
        """How many vectors the open shard holds when a save seals it (see the module's doc)."""
        return min(self.shard_size, max(FIRST_SEAL, self.count() // SEAL_SHARE))

    def full(self) -> bool:
        """Whether the open shard is due to be sealed (a save seals it)."""
        return self._open.count() >= self.seal_at()

    def room(self) -> int:
        """New vectors the open shard takes before it is full (what a bounded build adds)."""
        return max(self.seal_at() - self._open.count(), 0)

    def _shard(self, number: int) -> VectorIndex:
        with self._lock:
            shard = self._loaded.get(number)
            if shard is None:
                if self._directory is None:  # pragma: no cover - sealing always has one
                    raise RuntimeError("a sealed vector shard without a directory")
                where = _sealed_dir(self._directory, number)
                if not where.exists():  # a snapshot pruned under a process that never read it
                    raise SearchIndexError(
                        f"the {self.name} vector index's snapshot {self._directory.parent.name} "
                        "was removed before this process read it: a newer one is published, and "
                        "this process serves it once it has loaded it"
                    )
                shard = self._factory(self.dim, where)
                with library_errors(self.name, "load", *_FAILURES):
                    held = np.load(where / _LABELS)
                stale = held[self._sealed_of[held] != number]
                if stale.size:
                    shard.delete(stale.tolist())
                self._loaded[number] = shard
            return shard

    def _held_sealed(self, labels: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Those of ``labels`` whose current vector is in a sealed shard."""
        inside = labels[labels < len(self._sealed_of)]
        return inside[self._sealed_of[inside] >= 0]

    # writes ------------------------------------------------------------------------------
    def upsert(self, labels: npt.NDArray[np.int64], vectors: npt.NDArray[np.float32]) -> None:
        """See :class:`tandem.search.base.VectorIndex`: new vectors always go to the open shard."""
        if len(labels) == 0:
            return
        self._unseal(np.asarray(labels, dtype=np.int64))
        self._open.upsert(labels, vectors)

    def delete(self, labels: Sequence[int]) -> None:
        """See :class:`tandem.search.base.VectorIndex`."""
        self._unseal(np.asarray(list(labels), dtype=np.int64))
        self._open.delete(labels)

    def _unseal(self, labels: npt.NDArray[np.int64]) -> None:
        """Unmark ``labels`` in the sealed shards (deleting them from those in memory)."""
        held = self._held_sealed(labels)
        if held.size == 0:
            return
        numbers = self._sealed_of[held]
        for number in np.unique(numbers).tolist():
            shard = self._loaded.get(int(number))
            if shard is not None:
                shard.delete(held[numbers == number].tolist())
        self._sealed_of[held] = -1

    def save(self, directory: Path) -> None:
        """See :class:`tandem.search.base.VectorIndex`; seals the open shard when it is full.

        Order, for a kill at any step: a shard is sealed (its files, then its labels), then
        the metadata names it, then the open shard is emptied. Killed before the metadata,
        the sealed files are unnamed and the open shard still holds the vectors; killed
        after, both hold them and loading keeps the sealed copy (see ``__init__``). A seal
        may then merge small sealed shards (:meth:`_merge_small`).
        """
        with library_errors(self.name, "save", *_FAILURES):
            directory.mkdir(parents=True, exist_ok=True)
            self._carry_sealed(directory)
            self._directory = directory
            self._sweep(directory)
            if not self.full():
                self._open.save(directory)
                # also over another index's metadata (a vector-backend change saved in place):
                # left there, it would name that backend's sealed shards as this one's
                if self._sealed or (directory / _META).exists():
                    self._write_meta(directory)
                return
            number = max(self._sealed, default=-1) + 1
            where = _sealed_dir(directory, number)
            if where.exists():  # unnamed files of a seal killed before its metadata
                shutil.rmtree(where)
            self._open.save(where)
            held = self._open.labels()
            _save_array(where / _LABELS, held)
            if len(held) and int(held.max()) >= len(self._sealed_of):
                grown = np.full(int(held.max()) + 1, -1, dtype=np.int32)
                grown[: len(self._sealed_of)] = self._sealed_of
                self._sealed_of = grown
            self._sealed_of[held] = number
            self._sealed.append(number)
            self._write_meta(directory)
            # let the full shard go (a build holds one at a time); a search reads it again
            self._open = self._factory(self.dim, None)
            self._open.save(directory)
            self._merge_small(directory)

    def _merge_small(self, directory: Path) -> None:
        """Merge the smallest sealed shards into one while they fit in what a seal holds.

        Only once :data:`MERGE_FROM` shards are sealed: searching a dozen small shards costs
        little, adding their vectors again costs a build's time.

        The shards chosen hold together at most :meth:`seal_at` live vectors, so the merged
        graph is never larger than the open shard may grow (it was just emptied): a merge
        adds nothing to a build's peak memory. Their vectors are read from ``source`` (the
        shards' own may be int8 codes), in batches.

        Order, for a kill at any step: the merged shard's files and labels; the metadata
        naming it beside the shards it replaces (it holds no current vector yet: loading it
        deletes them all); ``sealed_of`` pointing the labels at it (the old shards hold none
        now); the metadata without the old shards; their files, last. Every prefix loads
        each vector once, and a later save sweeps unnamed shard files (:meth:`_sweep`).
        """
        if self._source is None or len(self._sealed) < max(MERGE_FROM, 2):
            return
        held = self._sealed_of[self._sealed_of >= 0]
        sizes = np.bincount(held, minlength=max(self._sealed) + 1)
        cap, chosen, total = self.seal_at(), [], 0
        for number in sorted(self._sealed, key=lambda n: (int(sizes[n]), n)):
            if total + int(sizes[number]) > cap:
                break
            chosen.append(number)
            total += int(sizes[number])
        if len(chosen) < 2:
            return
        labels = np.flatnonzero(np.isin(self._sealed_of, chosen)).astype(np.int64)
        merged = self._factory(self.dim, None)
        for start in range(0, len(labels), _MERGE_BATCH):
            batch = labels[start : start + _MERGE_BATCH]
            merged.upsert(batch, np.asarray(self._source(batch), dtype=np.float32))
        number = max(self._sealed) + 1
        where = _sealed_dir(directory, number)
        if where.exists():
            shutil.rmtree(where)
        merged.save(where)
        _save_array(where / _LABELS, labels)
        del merged  # written: a search reads it again
        self._write_shards(directory, [*self._sealed, number])
        self._sealed_of[labels] = number
        self._sealed = [n for n in self._sealed if n not in chosen] + [number]
        for old in chosen:
            self._loaded.pop(old, None)
        self._write_meta(directory)
        for old in chosen:
            shutil.rmtree(_sealed_dir(directory, old), ignore_errors=True)

    def _sweep(self, directory: Path) -> None:
        """Remove the shard files no metadata names (a seal or merge killed part way).

        Only this directory's names go: a snapshot linking the same files keeps its own.
        """
        named = {_sealed_dir(directory, n).name for n in self._sealed}
        for path in directory.glob("sealed-*"):
            if path.is_dir() and path.name not in named:
                shutil.rmtree(path, ignore_errors=True)

    def _carry_sealed(self, directory: Path) -> None:
        """Give ``directory`` the sealed shards it lacks (hard links: they never change)."""
        if self._directory is None or self._directory == directory:
            return
        for number in self._sealed:
            target = _sealed_dir(directory, number)
            if target.exists():  # a snapshot forked from this one linked them already
                continue
            shutil.copytree(_sealed_dir(self._directory, number), target, copy_function=_link)

    def _write_meta(self, directory: Path) -> None:
        _save_array(directory / _SEALED_OF, self._sealed_of)
        self._write_shards(directory, self._sealed)

    def _write_shards(self, directory: Path, sealed: list[int]) -> None:
        tmp = directory / (_META + ".tmp")
        tmp.unlink(missing_ok=True)  # never write through a link another snapshot holds
        tmp.write_text(json.dumps({"sealed": sealed, "size": self.shard_size}))
        tmp.replace(directory / _META)


def _save_array(path: Path, array: npt.NDArray[np.generic]) -> None:
    """Write ``array`` to ``path`` atomically, never through a hard link to ``path``."""
    tmp = path.with_name(path.name + ".tmp.npy")
    tmp.unlink(missing_ok=True)
    np.save(tmp, array)
    tmp.replace(path)


def _link(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system: a copy is as good
        shutil.copy2(source, target)
