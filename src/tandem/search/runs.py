"""Variable-length runs of values per label (skill codes, encoded mentions) as CSR arrays.

The saved runs are ``.npy`` files mapped read-only (:mod:`tandem.search.columns`); runs set
since the load are held in memory until the next save folds them in: the runs of new labels,
set in label order, as one growing CSR pair (:class:`Appended`), and the others (a saved
label set again) by label in a small dict.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from tandem.search.columns import Array, Part, Positioned, open_mapped, write_rows


class Appended:
    """Runs appended label after label, as one growing CSR pair (values + ends) in memory.

    What a sync sets between two saves: a run per new label, in label order. Held as a numpy
    array per label in a dict, each cost ~200 B besides its values (the array object, its
    block, the entry, the key): ~0.4 KB a profile for skills and mentions until the save.
    """

    def __init__(self, first: int, dtype: Any) -> None:
        self.first = first
        self._values: Array = np.zeros(0, dtype=dtype)
        self._used = 0
        self._ends = array("q")  # 8 bytes a label

    def __len__(self) -> int:
        return len(self._ends)

    @property
    def end(self) -> int:
        """The label after the last one appended."""
        return self.first + len(self._ends)

    def append(self, label: int, run: Array) -> None:
        """Append the run of ``label`` (at or past :attr:`end`; labels skipped hold none)."""
        while self.end < label:
            self._ends.append(self._used)
        need = self._used + len(run)
        if need > len(self._values):
            grown = np.zeros(max(need, 2 * len(self._values), 1024), dtype=self._values.dtype)
            grown[: self._used] = self._values[: self._used]
            self._values = grown
        self._values[self._used : need] = run
        self._used = need
        self._ends.append(need)

    def run(self, label: int) -> Array:
        """The run of ``label`` (``first <= label < end``)."""
        i = label - self.first
        return self._values[self._ends[i - 1] if i else 0 : self._ends[i]]

    def lengths(self, count: int) -> npt.NDArray[np.int64]:
        """The lengths of the first ``count`` runs."""
        ends = np.frombuffer(self._ends, dtype=np.int64, count=count) if count else np.zeros(0)
        return np.diff(ends, prepend=0).astype(np.int64)

    def values(self, begin: int, end: int) -> Array:
        """The values of the runs of labels ``begin:end`` (all appended), end to end."""
        i, j = begin - self.first, end - self.first
        return self._values[self._ends[i - 1] if i else 0 : self._ends[j - 1] if j else 0]


class Ragged:
    """A run of values per label as CSR arrays; labels set since the load held aside."""

    def __init__(
        self, values: Array, offsets: npt.NDArray[np.int64], reader: Positioned | None = None
    ) -> None:
        """``reader``: positioned reads of the file ``values`` maps (without it, the map)."""
        self.values = values
        self.offsets = offsets
        #: Runs set since the load (or the last save) by label, but those :attr:`appended`.
        self.changed: dict[int, Array] = {}
        #: Runs of new labels set in order since the load (or the last save).
        self.appended = Appended(self.saved, values.dtype)
        self._set_before = 0  # labels below :attr:`appended` in :attr:`changed`
        self._reader = reader

    @classmethod
    def empty(cls, dtype: Any) -> Ragged:
        """No labels yet."""
        return cls(np.zeros(0, dtype=dtype), np.zeros(1, dtype=np.int64))

    @classmethod
    def open(cls, values: Path, offsets: Path) -> Ragged:
        """The runs saved at ``values`` and ``offsets``, mapped read-only."""
        mapped, reader = open_mapped(values, writable_copy=False)
        return cls(mapped, open_mapped(offsets, writable_copy=False)[0], reader)

    @property
    def saved(self) -> int:
        """Labels in the mapped part."""
        return int(self.offsets.shape[0]) - 1

    def get(self, label: int) -> Array:
        """The run of ``label`` (empty for a label never set)."""
        run = self.changed.get(label)
        if run is not None:
            return run
        if label < self.saved:
            begin, end = int(self.offsets[label]), int(self.offsets[label + 1])
            if self._reader is not None:
                return self._reader.span(begin, end)
            return self.values[begin:end]
        if label < self.appended.end:
            return self.appended.run(label)
        return self.values[:0]

    def get_many(self, labels: Sequence[int]) -> list[Array]:
        """:meth:`get` of each of ``labels``, the saved runs' bounds read in one pass.

        A match reads its ~300 candidates' runs: two reads of the mapped offsets a label
        took 5.7 ms at a million labels (in-process, quiet), one gather of them takes one call.
        """
        at = np.asarray(labels, dtype=np.int64)
        saved = np.flatnonzero(at < self.saved)
        if self.changed:  # runs set since the load are not where the offsets say
            saved = saved[[int(at[i]) not in self.changed for i in saved.tolist()]]
        out: list[Array | None] = [None] * len(at)
        if saved.size:
            begins = np.asarray(self.offsets[at[saved]], dtype=np.int64).tolist()
            ends = np.asarray(self.offsets[at[saved] + 1], dtype=np.int64).tolist()
            for i, begin, end in zip(saved.tolist(), begins, ends, strict=True):
                if self._reader is not None:
                    out[i] = self._reader.span(begin, end)
                else:
                    out[i] = self.values[begin:end]
        return [self.get(int(at[i])) if run is None else run for i, run in enumerate(out)]

    def set(self, label: int, run: Array) -> None:
        """Replace the run of ``label``."""
        run = np.asarray(run, dtype=self.values.dtype)
        if label >= self.appended.end:
            self.appended.append(label, run)
            return
        if label < self.saved and label not in self.changed:
            self._set_before += 1
        self.changed[label] = run

    def is_set(self, label: int) -> bool:
        """Whether ``label``'s run was set since the load (or the last save)."""
        return label in self.changed or self.saved <= label < self.appended.end

    def set_count(self) -> int:
        """How many labels were set since the load (it only grows until the next save)."""
        return self._set_before + len(self.appended)

    def set_labels(self) -> npt.NDArray[np.int64]:
        """The labels set since the load, each once."""
        before = np.fromiter(
            (label for label in self.changed if label < self.saved), dtype=np.int64
        )
        return np.concatenate([before, np.arange(self.saved, self.appended.end)])

    def set_runs(self) -> list[tuple[int, Array]]:
        """``(label, run)`` of each label set since the load."""
        return [(int(label), self.get(int(label))) for label in self.set_labels()]

    def write(self, values: Path, offsets: Path, labels: int) -> None:
        """Save the runs of labels below ``labels`` (saved runs and changed ones, merged).

        Unchanged runs are copied a stretch at a time between changed labels: a save costs
        one pass over the values, and Python work only per changed label.
        """
        lengths = np.zeros(labels, dtype=np.int64)
        kept = min(labels, self.saved)
        lengths[:kept] = np.diff(self.offsets[: kept + 1])
        appended = max(0, min(labels, self.appended.end) - self.saved)
        lengths[kept : kept + appended] = self.appended.lengths(appended)
        changed = sorted(label for label in self.changed if label < labels)
        for label in changed:
            lengths[label] = len(self.changed[label])
        ends = np.cumsum(lengths)
        write_rows(offsets, [np.zeros(1, dtype=np.int64), ends], (labels + 1,), np.dtype(np.int64))
        total = int(ends[-1]) if labels else 0
        write_rows(values, self._parts(changed, labels), (total,), self.values.dtype)

    def _parts(self, changed: list[int], labels: int) -> Iterable[Part]:
        start = 0  # the first label whose saved or appended run is not yet written
        for label in changed:
            yield from self._unchanged(start, label)
            yield self.changed[label]
            start = label + 1
        yield from self._unchanged(start, labels)

    def _unchanged(self, first: int, last: int) -> Iterable[Part]:
        """The saved and appended runs of labels ``first:last`` (none of them changed)."""
        if first < min(last, self.saved):
            yield from self._saved_values(first, min(last, self.saved))
        begin, end = max(first, self.saved), min(last, self.appended.end)
        if begin < end:
            yield self.appended.values(begin, end)

    def _saved_values(self, first: int, last: int) -> Iterable[Part]:
        """The saved runs of labels ``first:last``, copied from the file by the kernel."""
        begin, end = int(self.offsets[first]), int(self.offsets[last])
        if self._reader is None:
            yield self.values[begin:end]
        elif begin < end:
            yield self._reader.file_span(begin, end)
