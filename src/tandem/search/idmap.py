"""Which record id each label holds, and the label of each id, as mapped columns (issue 15).

A collection held a ``list[str]`` (label -> id) and a ``dict[str, int]`` (id -> label) and wrote
the list into its JSON manifest at every save: at a million profiles ~170 MB of Python objects
in every build and every serving process, and an O(N) JSON rewrite per save. Here both ways
are ``.npy`` columns saved under the collection's stamp and mapped at load, like its other
columns (:mod:`tandem.search.columns`), plus a small in-memory tail for what changed since:

- label -> id: the ids' UTF-8 bytes as a :class:`~tandem.search.runs.Ragged` (``ids`` +
  ``id_offsets``); a new label's id is appended in memory until the save.
- id -> label: a table of ``(key, label)`` sorted by key, for the labels live at the save
  (``id_keys`` + ``id_labels``). ``key`` is 64 bits of BLAKE2b of the id: the same in every
  process and run (Python's ``hash`` of a string is salted per process). A lookup is a binary
  search (:func:`numpy.searchsorted`, a batch at once), and every entry with an equal key is
  checked against the stored bytes (two ids may share a key) and against the live column (a
  saved entry counts only while its label is live: a delete does not rewrite the table).
- The tail: ids given a label since the save, by id. It is authoritative (no live check),
  as the dict was: the same id twice in one batch gets one label before its row is set, and
  a deleted id is removed from it, so an id that comes back gets a new label.

A save merges the saved entries still live with the tail's (only the tail's ids are hashed)
in one numpy sort: O(N) numpy work, no Python loop over the saved ids.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from hashlib import blake2b
from pathlib import Path
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from tandem.search.columns import open_mapped, write_rows
from tandem.search.runs import Ragged

#: The collection's live column, read at each lookup (the collection grows and replaces it).
Live = Callable[[], npt.NDArray[np.bool_]]
Labels = npt.NDArray[np.int64]
#: Labels whose ids :meth:`IdMap.same_as` compares at a time: gathering a label's bytes costs
#: an 8-byte index per byte, ~120 MB for a million 15-byte ids at once, ~8 MB for this many.
_COMPARED = 1 << 16


def id_keys(names: Sequence[bytes]) -> npt.NDArray[np.uint64]:
    """The lookup keys of UTF-8 ids: 64 bits of BLAKE2b, equal in every process and run."""
    return np.fromiter(
        (int.from_bytes(blake2b(name, digest_size=8).digest(), "little") for name in names),
        dtype=np.uint64,
        count=len(names),
    )


class IdFiles(NamedTuple):
    """Where one stamp's id columns are saved."""

    names: Path
    offsets: Path
    keys: Path
    labels: Path


class IdMap:
    """Label -> id and id -> label for one collection: saved columns mapped, a tail in memory."""

    def __init__(
        self,
        names: Ragged,
        keys: npt.NDArray[np.uint64],
        labels: Labels,
        live: Live,
    ) -> None:
        """``keys``/``labels``: the saved lookup table, sorted by key (its labels < ``names``')."""
        self._names = names
        # plain views of the maps: an item of a np.memmap is read through its slower __getitem__
        self._keys = np.asarray(keys)
        self._labels = np.asarray(labels)
        self._live = live
        #: Ids given a label since the load (or the last save); authoritative, see the module.
        self._tail: dict[str, int] = {}
        self._count = names.saved

    @classmethod
    def empty(cls, live: Live) -> IdMap:
        """No labels yet."""
        keys, labels = np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
        return cls(Ragged.empty(np.uint8), keys, labels, live)

    @classmethod
    def open(cls, files: IdFiles, live: Live) -> IdMap:
        """The columns saved at ``files``, mapped read-only."""
        keys = open_mapped(files.keys, writable_copy=False)[0]
        labels = open_mapped(files.labels, writable_copy=False)[0]
        return cls(Ragged.open(files.names, files.offsets), keys, labels, live)

    @classmethod
    def from_list(cls, ids: Sequence[str], alive: npt.NDArray[np.bool_], live: Live) -> IdMap:
        """The labels of an older format's ``ids`` list (``alive``: its live labels).

        Held in memory (the live ids in the tail) until the owner saves it in this format.
        """
        mapping = cls.empty(live)
        for label, doc_id in enumerate(ids):
            mapping._names.set(label, np.frombuffer(doc_id.encode("utf-8"), dtype=np.uint8))
        mapping._count = len(ids)
        mapping._tail = {doc_id: i for i, doc_id in enumerate(ids) if alive[i]}
        return mapping

    @property
    def saved(self) -> int:
        """Labels in the mapped columns."""
        return self._names.saved

    def __len__(self) -> int:
        """Labels given so far (dead ones included: labels are never reused)."""
        return self._count

    def __getitem__(self, label: int) -> str:
        """The id ``label`` holds (or held, for a dead label)."""
        if not 0 <= label < self._count:
            raise IndexError(f"label {label} of {self._count}")
        return bytes(self._names.get(label)).decode("utf-8")

    def strings(self, labels: Sequence[int] | Labels) -> list[str]:
        """The ids of ``labels``, the saved ones read from the columns together."""
        labels = np.asarray(labels, dtype=np.int64)
        if labels.size and (labels.min() < 0 or labels.max() >= self._count):
            raise IndexError(f"a label outside 0..{self._count - 1}")
        out = [""] * len(labels)
        inside = labels < self.saved
        blob, ends = self._saved_bytes(labels[inside])
        start = 0
        for i, end in zip(np.flatnonzero(inside).tolist(), ends.tolist(), strict=True):
            out[i] = blob[start:end].decode("utf-8")
            start = end
        for i in np.flatnonzero(~inside).tolist():
            out[i] = self[int(labels[i])]
        return out

    def _saved_bytes(self, labels: Labels) -> tuple[bytes, Labels]:
        """The saved ids of ``labels`` end to end, and where each ends in them."""
        if not labels.size:
            return b"", np.zeros(0, dtype=np.int64)
        offsets = self._names.offsets
        begin = np.asarray(offsets[labels], dtype=np.int64)
        lengths = np.asarray(offsets[labels + 1], dtype=np.int64) - begin
        ends = np.cumsum(lengths)
        at = np.repeat(begin - (ends - lengths), lengths) + np.arange(int(ends[-1]))
        return np.asarray(self._names.values[at]).tobytes(), ends

    def get(self, doc_id: str) -> int | None:
        """The label of live id ``doc_id`` (None when it has none)."""
        label = self._tail.get(doc_id)
        if label is not None or not len(self._keys):
            return label
        name = doc_id.encode("utf-8")
        key = id_keys([name])[0]
        live, keys = self._live(), self._keys
        at = int(keys.searchsorted(key, side="left"))
        while at < len(keys) and keys[at] == key:  # every id sharing the key
            label = int(self._labels[at])
            if live[label] and bytes(self._names.get(label)) == name:
                return label
            at += 1
        return None

    def labels_of(self, doc_ids: Sequence[str]) -> list[int | None]:
        """:meth:`get` of each of ``doc_ids``, the saved table searched for all at once."""
        out: list[int | None] = [self._tail.get(doc_id) for doc_id in doc_ids]
        if not len(self._keys):
            return out
        missing = [i for i, label in enumerate(out) if label is None]
        names = [doc_ids[i].encode("utf-8") for i in missing]
        for i, label in zip(missing, self._saved_labels(names), strict=True):
            out[i] = label
        return out

    def _saved_labels(self, names: list[bytes]) -> list[int | None]:
        """The live saved label of each of ``names`` (UTF-8 ids), or None."""
        found: list[int | None] = [None] * len(names)
        if not names:
            return found
        low, counts = self._equal_keys(id_keys(names))
        total = int(counts.sum())
        if not total:
            return found
        # one candidate per saved entry with the name's key (almost always one or none)
        owner = np.repeat(np.arange(len(names)), counts)
        firsts = np.repeat(np.cumsum(counts) - counts, counts)
        labels = np.asarray(self._labels[np.repeat(low, counts) + np.arange(total) - firsts])
        lengths = np.fromiter((len(n) for n in names), dtype=np.int64, count=len(names))[owner]
        offsets = self._names.offsets
        stored = np.asarray(offsets[labels + 1]) - np.asarray(offsets[labels])
        fits = np.flatnonzero(self._live()[labels] & (stored == lengths))
        blob, ends = self._saved_bytes(labels[fits])
        wanted = np.frombuffer(b"".join(names[int(o)] for o in owner[fits]), dtype=np.uint8)
        differs = np.frombuffer(blob, dtype=np.uint8) != wanted
        which = np.repeat(np.arange(len(fits)), np.diff(ends, prepend=0))
        bad = np.bincount(which, weights=differs, minlength=len(fits)) > 0
        for i in fits[~bad].tolist():
            found[int(owner[i])] = int(labels[i])
        return found

    def _equal_keys(self, keys: npt.NDArray[np.uint64]) -> tuple[Labels, Labels]:
        """Where each of ``keys`` first is in the saved table, and how many entries hold it.

        The keys are searched in sorted order (each search starts near the last one: a third
        of the time of searching them as they come, at a million entries), and the entries
        holding a key are counted by stepping past them, all keys at once: a second search
        for each key's end cost more than the steps (almost always one, a collision two).
        """
        table = self._keys
        order = np.argsort(keys)
        low = np.empty(len(keys), dtype=np.int64)
        low[order] = np.searchsorted(table, keys[order], side="left")
        counts = np.zeros(len(keys), dtype=np.int64)
        at, active = low.copy(), np.arange(len(keys))
        while active.size:
            active = active[at[active] < len(table)]
            active = active[np.asarray(table[at[active]]) == keys[active]]
            counts[active] += 1
            at[active] += 1
        return low, counts

    def add(self, doc_id: str) -> int:
        """Give ``doc_id`` the next label (the caller found it has none)."""
        label = self._count
        self._names.set(label, np.frombuffer(doc_id.encode("utf-8"), dtype=np.uint8))
        self._count += 1
        self._tail[doc_id] = label
        return label

    def assign(self, doc_ids: Sequence[str]) -> list[int]:
        """The label of each of ``doc_ids``, given in order to those without one.

        An id twice in ``doc_ids`` gets one label: the first gives it, the second finds it.
        """
        labels = self.labels_of(doc_ids)
        out: list[int] = []
        for doc_id, label in zip(doc_ids, labels, strict=True):
            if label is None:
                label = self._tail.get(doc_id)
            out.append(self.add(doc_id) if label is None else label)
        return out

    def forget(self, doc_ids: Sequence[str]) -> list[int]:
        """Drop the live ids among ``doc_ids``; their labels, for the caller to mark dead.

        A saved entry is not removed: once the caller marks its label dead it no longer counts.
        """
        labels = self.labels_of(doc_ids)
        for doc_id in doc_ids:
            self._tail.pop(doc_id, None)
        return sorted({label for label in labels if label is not None})

    def live_labels(self) -> Labels:
        """The live labels, in order (a snapshot: a copy of the live column's positions)."""
        return np.flatnonzero(self._live()[: self._count]).astype(np.int64)

    def same_as(self, other: IdMap) -> bool:
        """Whether both give the same live ids the same labels (compared column-wise)."""
        mine, theirs = self.live_labels(), other.live_labels()
        if not np.array_equal(mine, theirs):
            return False
        for start in range(0, len(mine), _COMPARED):  # a gather costs 8 bytes an id byte
            chunk = mine[start : start + _COMPARED]
            if self._bytes_of(chunk) != other._bytes_of(chunk):
                return False
        return True

    def _bytes_of(self, labels: Labels) -> tuple[bytes, bytes]:
        """The ids of ``labels`` end to end and their lengths, as bytes to compare."""
        inside = labels < self.saved
        blob, ends = self._saved_bytes(labels[inside])
        rest = [bytes(self._names.get(int(label))) for label in labels[~inside].tolist()]
        lengths = np.diff(ends, prepend=0).tolist() + [len(r) for r in rest]
        return blob + b"".join(rest), np.asarray(lengths, dtype=np.int64).tobytes()

    def write(self, files: IdFiles, labels: int) -> None:
        """Save the ids of labels below ``labels`` and the lookup table of the live ones.

        The table is the saved entries still live (a dead label's entry is dropped here) and
        the tail's live entries, hashed now, sorted together. Each file is new (see
        :func:`tandem.search.columns.write_rows`): never written through another snapshot's link.
        """
        self._names.write(files.names, files.offsets, labels)
        live = self._live()
        saved_labels = np.asarray(self._labels)
        kept = live[saved_labels]
        tail = [(i, label) for i, label in self._tail.items() if label < len(live) and live[label]]
        tail_keys = id_keys([doc_id.encode("utf-8") for doc_id, _ in tail])
        keys = np.concatenate([np.asarray(self._keys)[kept], tail_keys])
        table = np.concatenate(
            [saved_labels[kept], np.fromiter((lab for _, lab in tail), np.int64, len(tail))]
        )
        order = np.argsort(keys, kind="stable")
        write_rows(files.keys, [keys[order]], (len(keys),), np.dtype(np.uint64))
        write_rows(files.labels, [table[order]], (len(table),), np.dtype(np.int64))
