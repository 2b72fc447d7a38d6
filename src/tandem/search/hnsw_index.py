"""Vector index on hnswlib (HNSW graphs, inner product on unit vectors).

Two files: the graph (``hnsw.bin``) and its live labels (``hnsw.json``), written in that order,
so a save killed between them leaves a graph beside the label file of the save before. The
label file names the graph it was written with (element count, size, modification time): a
load that finds its graph checks the labels against the graph's ids only when the graph is
another (a 131k-element Python list per shard on every load otherwise, eight shards at 1M).
"""

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


def _graph_stamp(path: Path, elements: int) -> list[int]:
    """What names one saved graph file: its element count, size and modification time.

    Hard links (a snapshot's fork) and copies that keep the time (``shutil.copy2``) keep it.
    """
    stat = path.stat()
    return [elements, stat.st_size, stat.st_mtime_ns]


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
        #: Whether each label holds a live vector (labels are a collection's dense integers):
        #: a byte a label where a set of Python ints took ~140 (issue 15, import memory).
        self._live = np.zeros(0, dtype=bool)
        self._count = 0
        if directory is not None and (directory / _FILE).exists():
            with library_errors(self.name, "load", *_FAILURES):
                meta = json.loads((directory / _META).read_text())
                graph = directory / _FILE
                self._index.load_index(str(graph), max_elements=int(meta["capacity"]))
                live = np.asarray(meta["live"], dtype=np.int64)
                if meta.get("graph") != _graph_stamp(graph, self._index.get_current_count()):
                    # A save killed between its two files left the live labels of the one
                    # before (a sealing save's emptied open shard: all of them absent); only
                    # those the graph holds are live, or deleting one fails ("Label not found").
                    held = np.asarray(self._index.get_ids_list(), dtype=np.int64)
                    live = live[np.isin(live, held)]
                self._mark(live)
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
        self._mark(np.asarray(labels, dtype=np.int64))

    def _mark(self, labels: npt.NDArray[np.int64]) -> None:
        """Count ``labels`` live (growing the flags by half again when one is past them)."""
        labels = np.unique(labels)
        if labels.size == 0:
            return
        top = int(labels[-1]) + 1
        if top > len(self._live):
            grown = np.zeros(max(top, len(self._live) * 3 // 2), dtype=bool)
            grown[: len(self._live)] = self._live
            self._live = grown
        self._count += len(labels) - int(np.count_nonzero(self._live[labels]))
        self._live[labels] = True

    def delete(self, labels: Sequence[int]) -> None:
        """See :class:`tandem.search.base.VectorIndex`."""
        for label in labels:
            if 0 <= label < len(self._live) and self._live[label]:
                self._index.mark_deleted(int(label))
                self._live[label] = False
                self._count -= 1

    def labels(self) -> npt.NDArray[np.int64]:
        """See :class:`tandem.search.base.VectorIndex`."""
        return np.flatnonzero(self._live).astype(np.int64)

    def search(self, vector: npt.NDArray[np.float32], k: int) -> list[Hit]:
        """See :class:`tandem.search.base.VectorIndex`."""
        k = min(k, self._count)
        if k <= 0:
            return []
        check_dim(self.name, self.dim, vector.shape[-1])
        with library_errors(self.name, "search", *_FAILURES):
            self._index.set_ef(search_breadth(self._count, k))
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
            meta = {
                "capacity": self._index.get_max_elements(),
                "live": np.flatnonzero(self._live).tolist(),
                "graph": _graph_stamp(directory / _FILE, self._index.get_current_count()),
            }
            (directory / (_META + ".tmp")).write_text(json.dumps(meta))
            (directory / (_META + ".tmp")).replace(directory / _META)

    def count(self) -> int:
        """See :class:`tandem.search.base.VectorIndex`."""
        return self._count
