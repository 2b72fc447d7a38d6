"""Vector index on faiss (``IndexHNSWFlat``, inner product), the alternative we measured.

faiss's HNSW cannot remove vectors, so an update adds a new internal vector
and masks the old one at search time with an ID selector.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from tandem.errors import BackendUnavailable
from tandem.search.base import Hit, check_dim, library_errors

_FILE = "faiss.index"
_MAP = "faiss_labels.npz"
#: What faiss raises (RuntimeError from C++), and what reading its files can.
_FAILURES = (RuntimeError, OSError, ValueError, KeyError)


class FaissIndex:
    """faiss HNSW with a label map and a deleted mask."""

    name = "faiss"

    def __init__(self, dim: int, directory: Path | None = None, *, m: int = 32) -> None:
        try:
            import faiss
        except ImportError as exc:
            raise BackendUnavailable(
                "the 'faiss' vector backend needs faiss-cpu: pip install 'tandem[faiss]'"
            ) from exc
        self._faiss: Any = faiss
        self.dim = dim
        self.ef_search = 128
        if directory is not None and (directory / _FILE).exists():
            with library_errors(self.name, "load", *_FAILURES):
                self._index: Any = faiss.read_index(str(directory / _FILE))
                saved = np.load(directory / _MAP)
                self._labels = list(saved["labels"].tolist())
                self._deleted = set(saved["deleted"].tolist())
            check_dim(self.name, dim, int(self._index.d))
        else:
            self._index = faiss.IndexHNSWFlat(dim, m, faiss.METRIC_INNER_PRODUCT)
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
        with library_errors(self.name, "add vectors", *_FAILURES):
            self._index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        for offset, label in enumerate(labels):
            self._labels.append(int(label))
            self._internal[int(label)] = start + offset

    def delete(self, labels: Sequence[int]) -> None:
        """See :class:`tandem.search.base.VectorIndex`."""
        for label in labels:
            internal = self._internal.pop(int(label), None)
            if internal is not None:
                self._deleted.add(internal)

    def search(self, vector: npt.NDArray[np.float32], k: int) -> list[Hit]:
        """See :class:`tandem.search.base.VectorIndex`."""
        k = min(k, len(self._internal))
        if k <= 0:
            return []
        check_dim(self.name, self.dim, vector.shape[-1])
        faiss = self._faiss
        with library_errors(self.name, "search", *_FAILURES):
            params = faiss.SearchParametersHNSW()
            params.efSearch = max(self.ef_search, k)
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
