"""Vector index on faiss: HNSW over float32 (``faiss``) or over int8 codes (``faiss-sq8``).

faiss's HNSW cannot remove vectors, so an update adds a new internal vector
and masks the old one at search time with an ID selector.

``faiss-sq8`` (``IndexHNSWSQ``, ``QT_8bit``) stores each dimension in one byte instead of
four: at 384 dimensions ~0.5 KB a vector with its graph instead of ~1.7 KB, the difference
between ~0.5 GB and ~1.7 GB at a million profiles (bench/bench_vectors.py measures it and
its recall against exact search). Its quantiser learns a range per dimension from the
first vectors it is given (see :func:`_training_sample`); later vectors outside a range
are clamped, which costs precision on that dimension, not correctness.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from tandem.errors import BackendUnavailable
from tandem.search.base import Hit, check_dim, library_errors, search_breadth

_FILE = "faiss.index"
_MAP = "faiss_labels.npz"
#: What faiss raises (RuntimeError from C++), and what reading its files can.
_FAILURES = (RuntimeError, OSError, ValueError, KeyError)


class FaissIndex:
    """faiss HNSW with a label map and a deleted mask."""

    name = "faiss"
    #: ``None``: float32 vectors (``IndexHNSWFlat``); else the faiss scalar quantiser type.
    quantiser: str | None = None

    def __init__(self, dim: int, directory: Path | None = None, *, m: int = 32) -> None:
        try:
            import faiss
        except ImportError as exc:
            raise BackendUnavailable(
                "the 'faiss' vector backend needs faiss-cpu: pip install 'tandem[faiss]'"
            ) from exc
        self._faiss: Any = faiss
        self.dim = dim
        if directory is not None and (directory / _FILE).exists():
            with library_errors(self.name, "load", *_FAILURES):
                self._index: Any = faiss.read_index(str(directory / _FILE))
                saved = np.load(directory / _MAP)
                labels, deleted = _fit(saved["labels"], saved["deleted"], int(self._index.ntotal))
                self._labels = list(labels.tolist())
                self._deleted = set(deleted.tolist())
            check_dim(self.name, dim, int(self._index.d))
        else:
            if self.quantiser is None:
                self._index = faiss.IndexHNSWFlat(dim, m, faiss.METRIC_INNER_PRODUCT)
            else:
                qtype = getattr(faiss.ScalarQuantizer, self.quantiser)
                self._index = faiss.IndexHNSWSQ(dim, qtype, m, faiss.METRIC_INNER_PRODUCT)
                # Widen each learnt range by a tenth on both sides for later vectors.
                storage: Any = faiss.downcast_index(self._index.storage)
                quantiser = storage.sq
                quantiser.rangestat = faiss.ScalarQuantizer.RS_minmax
                quantiser.rangestat_arg = 0.1
            self._index.hnsw.efConstruction = 200
            self._labels = []
            self._deleted = set()
        self._internal = {lab: i for i, lab in enumerate(self._labels) if i not in self._deleted}

    def upsert(self, labels: npt.NDArray[np.int64], vectors: npt.NDArray[np.float32]) -> None:
        """See :class:`tandem.search.base.VectorIndex`."""
        if len(labels) == 0:
            return
        check_dim(self.name, self.dim, vectors.shape[-1])
        self.delete([int(x) for x in labels])
        start = len(self._labels)
        batch = np.ascontiguousarray(vectors, dtype=np.float32)
        with library_errors(self.name, "add vectors", *_FAILURES):
            if not self._index.is_trained:
                self._index.train(_training_sample(batch))
            self._index.add(batch)
        for offset, label in enumerate(labels):
            self._labels.append(int(label))
            # a label twice in one batch (a record journalled twice, replayed together): its
            # earlier vector is masked like any replaced one, or searches still find it
            self.delete([int(label)])
            self._internal[int(label)] = start + offset

    def delete(self, labels: Sequence[int]) -> None:
        """See :class:`tandem.search.base.VectorIndex`."""
        for label in labels:
            internal = self._internal.pop(int(label), None)
            if internal is not None:
                self._deleted.add(internal)

    def labels(self) -> npt.NDArray[np.int64]:
        """See :class:`tandem.search.base.VectorIndex`."""
        return np.fromiter(self._internal, dtype=np.int64, count=len(self._internal))

    def search(self, vector: npt.NDArray[np.float32], k: int) -> list[Hit]:
        """See :class:`tandem.search.base.VectorIndex`."""
        k = min(k, len(self._internal))
        if k <= 0:
            return []
        check_dim(self.name, self.dim, vector.shape[-1])
        faiss = self._faiss
        with library_errors(self.name, "search", *_FAILURES):
            params = faiss.SearchParametersHNSW()
            params.efSearch = search_breadth(len(self._internal), k)
            if self._deleted:
                banned = np.fromiter(self._deleted, dtype=np.int64)
                params.sel = faiss.IDSelectorNot(faiss.IDSelectorBatch(banned))
            query = vector.reshape(1, -1).astype(np.float32)
            scores, ids = self._index.search(query, k, params=params)
        return [
            Hit(self._labels[int(i)], float(s))
            for i, s in zip(ids[0], scores[0], strict=True)
            if i >= 0
        ]

    def save(self, directory: Path) -> None:
        """See :class:`tandem.search.base.VectorIndex`."""
        with library_errors(self.name, "save", *_FAILURES):
            directory.mkdir(parents=True, exist_ok=True)
            self._faiss.write_index(self._index, str(directory / (_FILE + ".tmp")))
            (directory / (_FILE + ".tmp")).replace(directory / _FILE)
            np.savez(
                directory / "faiss_labels.tmp.npz",
                labels=np.asarray(self._labels, dtype=np.int64),
                deleted=np.asarray(sorted(self._deleted), dtype=np.int64),
            )
            (directory / "faiss_labels.tmp.npz").replace(directory / _MAP)

    def count(self) -> int:
        """See :class:`tandem.search.base.VectorIndex`."""
        return len(self._internal)


class FaissSQ8Index(FaissIndex):
    """faiss HNSW over 8-bit scalar-quantised vectors (``IndexHNSWSQ``, ``QT_8bit``)."""

    name = "faiss-sq8"
    quantiser = "QT_8bit"


def _fit(
    labels: npt.NDArray[np.int64], deleted: npt.NDArray[np.int64], total: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The label map saved with an index of ``total`` vectors, fitted to it.

    A save killed between the index file and the label map left them from two saves (a
    sealing save's emptied open shard: an empty index under the last save's labels). The
    map is positional, so a longer one is cut (its tail named vectors the index lacks) and
    a shorter one padded with deleted entries; left as it was, every later vector would be
    found under another vector's label.
    """
    if len(labels) > total:
        return labels[:total], deleted[deleted < total]
    missing = np.arange(len(labels), total, dtype=np.int64)
    return np.concatenate([labels, np.full(len(missing), -1, np.int64)]), np.concatenate(
        [deleted, missing]
    )


def _training_sample(batch: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """What the scalar quantiser learns its ranges from: ``batch``, mirrored, with a floor.

    Mirroring makes each range symmetric about zero (embeddings are roughly centred, and a
    later vector is as likely to be negative on a dimension as the first batch was
    positive). The floor keeps every half-range at least four times the spread of a random
    unit vector's component (``4 / sqrt(dim)``, 0.20 at 384 dimensions; MiniLM's largest
    components are about that): without it a first batch of one vector, or a dimension the
    first batch never uses, leaves a range of zero width and every later vector clamped.
    """
    dim = batch.shape[1]
    floor = np.full((1, dim), 4.0 / np.sqrt(dim), dtype=np.float32)
    return np.ascontiguousarray(np.vstack([batch, -batch, floor, -floor]), dtype=np.float32)
