"""Vector index on hnswlib (HNSW graphs, inner product on unit vectors)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from tandem.errors import BackendUnavailable
from tandem.search.base import Hit, check_dim, library_errors, search_breadth

_FILE = "hnsw.bin"
_META = "hnsw.json"
#: What hnswlib raises (RuntimeError from C++), and what reading its files can.
_FAILURES = (RuntimeError, OSError, ValueError, KeyError)


class HnswIndex:
    """hnswlib with in-place updates (re-adding a label replaces its vector)."""

    name = "hnsw"

    def __init__(
        self, dim: int, directory: Path | None = None, *, m: int = 16, ef_construction: int = 200
    ) -> None:
        try:
            import hnswlib
        except ImportError as exc:  # pragma: no cover
            raise BackendUnavailable("the 'hnsw' vector backend needs 'hnswlib'") from exc
        self.dim = dim
        self._index: Any = hnswlib.Index(space="ip", dim=dim)
        self._live: set[int] = set()
        if directory is not None and (directory / _FILE).exists():
            with library_errors(self.name, "load", *_FAILURES):
                meta = json.loads((directory / _META).read_text())
                self._index.load_index(str(directory / _FILE), max_elements=int(meta["capacity"]))
                self._live = {int(x) for x in meta["live"]}
        else:
            self._index.init_index(max_elements=1024, ef_construction=ef_construction, M=m)
        self._index.set_num_threads(1)

    def upsert(self, labels: npt.NDArray[np.int64], vectors: npt.NDArray[np.float32]) -> None:
        """See :class:`tandem.search.base.VectorIndex`."""
        if len(labels) == 0:
            return
        check_dim(self.name, self.dim, vectors.shape[-1])
        with library_errors(self.name, "add vectors", *_FAILURES):
            needed = self._index.get_current_count() + len(labels)
            if needed > self._index.get_max_elements():
                self._index.resize_index(max(needed, 2 * self._index.get_max_elements()))
            self._index.add_items(vectors, labels)
        self._live.update(int(x) for x in labels)

    def delete(self, labels: Sequence[int]) -> None:
        """See :class:`tandem.search.base.VectorIndex`."""
        for label in labels:
            if label in self._live:
                self._index.mark_deleted(int(label))
                self._live.discard(int(label))

    def search(self, vector: npt.NDArray[np.float32], k: int) -> list[Hit]:
        """See :class:`tandem.search.base.VectorIndex`."""
        k = min(k, len(self._live))
        if k <= 0:
            return []
        check_dim(self.name, self.dim, vector.shape[-1])
        with library_errors(self.name, "search", *_FAILURES):
            self._index.set_ef(search_breadth(len(self._live), k))
            labels, distances = self._index.knn_query(vector.reshape(1, -1), k=k)
        # hnswlib's "ip" distance is 1 - inner product.
        return [
            Hit(int(lab), 1.0 - float(d)) for lab, d in zip(labels[0], distances[0], strict=True)
        ]

    def save(self, directory: Path) -> None:
        """See :class:`tandem.search.base.VectorIndex`."""
        with library_errors(self.name, "save", *_FAILURES):
            directory.mkdir(parents=True, exist_ok=True)
            tmp = directory / (_FILE + ".tmp")
            self._index.save_index(str(tmp))
            tmp.replace(directory / _FILE)
            meta = {"capacity": self._index.get_max_elements(), "live": sorted(self._live)}
            (directory / (_META + ".tmp")).write_text(json.dumps(meta))
            (directory / (_META + ".tmp")).replace(directory / _META)

    def count(self) -> int:
        """See :class:`tandem.search.base.VectorIndex`."""
        return len(self._live)
