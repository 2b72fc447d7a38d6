"""The Ray executor: batch work on Ray Data, one encoder per actor, on a local Ray or a cluster.

Texts become a Ray dataset; ``map_batches`` sends batches to a pool of actors (one per CPU),
each of which builds the work from its recipe once (:class:`tandem.batch.base.Recipe`: the
encoder and the skill reader) and then serves every batch it is given. Results come back with
their row numbers and are put back in the texts' order, so the index sync cannot tell this
executor from the local one (``tests/batch/test_raydata.py`` checks exactly that).

Work beyond texts (:class:`tandem.batch.base.Mapped`: batch ranking, training features) goes
the same way, its items and results pickled into the rows: each actor opens what its recipe
names (the engine on the same home) once, and the results come back in the items' order.

Ray is imported on first use, never by ``import tandem``: a command that does not ask for
``--executor ray`` pays nothing for it. Without an address, a local Ray is started with this
machine's CPUs and no dashboard, and stopped by :meth:`RayExecutor.close`; with one, the
executor joins that cluster (whose nodes must have Tandem installed) and leaves it running.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import socket
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from typing import Any

import numpy as np
import numpy.typing as npt

from tandem.batch.base import Batch, BatchFn, ItemsRecipe, Mapped, Recipe, Work
from tandem.errors import BackendUnavailable, ConfigurationError
from tandem.skills.reader import FoundSkill

#: Texts per ``map_batches`` call: one encoder pass per batch inside an actor.
BATCH_SIZE = 256
#: Items per ``map_batches`` call of per-item work (a job's ranking costs far more than a text).
MAP_BATCH_SIZE = 16
#: Records the index sync hands over per Ray job: enough to amortise a job's start-up.
CHUNK = 8192


#: Seconds to wait for a cluster's head to answer before saying it cannot be reached.
CONNECT_SECONDS = 5.0


def _check_reachable(address: str) -> None:
    """Fail fast on an address nothing listens at (``ray.init`` would retry for minutes)."""
    if address == "auto":
        return  # Ray finds the cluster this machine belongs to
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        raise ConfigurationError(
            f"--ray-address must be HOST:PORT or ray://HOST:PORT, not {address!r}"
        )
    try:
        socket.create_connection((host, int(port)), timeout=CONNECT_SECONDS).close()
    except OSError as exc:
        raise ConfigurationError(f"cannot reach the Ray cluster at {address!r}: {exc}") from exc


class _Worker:
    """A Ray Data actor: builds the work once, then maps batches of ``{"i", "text"}`` rows."""

    def __init__(self, recipe: Recipe) -> None:
        self.fn: BatchFn = recipe.load()

    def __call__(self, batch: dict[str, npt.NDArray[Any]]) -> dict[str, npt.NDArray[Any]]:
        result = self.fn([str(t) for t in batch["text"]])
        out = {"i": batch["i"], "vector": np.asarray(result.vectors, dtype=np.float32)}
        if result.found is not None:
            found = [json.dumps([asdict(f) for f in skills]) for skills in result.found]
            out["found"] = np.array(found, dtype=object)
        return out


class _MapWorker:
    """A Ray Data actor for per-item work: builds it once, maps batches of pickled items."""

    def __init__(self, recipe: ItemsRecipe[Any, Any]) -> None:
        self.fn = recipe.load()

    def __call__(self, batch: dict[str, npt.NDArray[Any]]) -> dict[str, npt.NDArray[Any]]:
        items = [pickle.loads(b) for b in batch["item"]]
        results = self.fn(items)
        done = np.empty(len(results), dtype=object)
        done[:] = [pickle.dumps(r, protocol=pickle.HIGHEST_PROTOCOL) for r in results]
        return {"i": batch["i"], "result": done}


class RayExecutor:
    """Runs batch work on Ray Data (see the module docstring)."""

    name = "ray"
    chunk = CHUNK

    def __init__(self, address: str | None = None, *, batch_size: int = BATCH_SIZE) -> None:
        if address is not None:
            _check_reachable(address)  # before the command does any work
        self.address = address
        self.batch_size = batch_size
        self._started = False  # whether this executor started (and so must stop) a local Ray

    def _ray(self) -> Any:
        """The ``ray`` module, connected (started locally or joined) on first use."""
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # nothing leaves the machine
        try:
            import ray
            import ray.data
        except ImportError as exc:
            raise BackendUnavailable(
                "--executor ray needs Ray Data: pip install 'tandem[ray]'"
            ) from exc
        if not ray.is_initialized():
            quiet: dict[str, Any] = {"logging_level": logging.ERROR, "log_to_driver": False}
            if self.address is None:
                ray.init(num_cpus=os.cpu_count() or 1, include_dashboard=False, **quiet)
                self._started = True
            else:
                _check_reachable(self.address)
                try:
                    ray.init(address=self.address, **quiet)
                except (ConnectionError, TimeoutError, RuntimeError, ValueError) as exc:
                    raise ConfigurationError(
                        f"cannot reach the Ray cluster at {self.address!r}: {exc}"
                    ) from exc
            logging.getLogger("ray.data").setLevel(logging.ERROR)
            context = ray.data.DataContext.get_current()
            context.enable_progress_bars = False
            context.print_on_execution_start = False
            context.execution_options.preserve_order = True  # results stream in order
        return ray

    def workers(self, rows: int, batch_size: int | None = None) -> int:
        """Actors for ``rows`` rows: one per CPU of the cluster, never more than batches."""
        cpus = int(self._ray().cluster_resources().get("CPU", 1))
        return max(1, min(cpus, -(-rows // (batch_size or self.batch_size))))

    def run(self, work: Work, texts: Sequence[str]) -> Batch:
        """Map the work's recipe over ``texts`` on Ray; results in the texts' order."""
        if not texts:
            return work.here([])
        ray = self._ray()
        rows = ray.data.from_items([{"i": i, "text": t} for i, t in enumerate(texts)])
        mapped = rows.map_batches(
            _Worker,
            fn_constructor_args=(work.recipe,),
            batch_size=self.batch_size,
            batch_format="numpy",
            compute=ray.data.ActorPoolStrategy(size=self.workers(len(texts))),
        )
        done = sorted(mapped.take_all(), key=lambda row: int(row["i"]))
        vectors = np.stack([row["vector"] for row in done]).astype(np.float32)
        if "found" not in done[0]:
            return Batch(vectors)
        found = [[FoundSkill(**f) for f in json.loads(row["found"])] for row in done]
        return Batch(vectors, found)

    def map(self, work: Mapped[Any, Any], items: Sequence[Any]) -> Iterator[Any]:
        """Map the work's recipe over ``items`` on Ray actors; results stream in their order.

        One pool of actors serves the whole sequence (each opens what its recipe names once),
        and results are yielded as they come: a batch ranking of many jobs never holds every
        job's scored list at once. Ray Data is asked to keep the order; a result that still
        arrives early waits in a buffer until those before it are yielded.
        """
        if not items:
            return
        ray = self._ray()
        dump = pickle.HIGHEST_PROTOCOL
        rows = ray.data.from_items(
            [{"i": i, "item": pickle.dumps(item, protocol=dump)} for i, item in enumerate(items)]
        )
        size = min(MAP_BATCH_SIZE, self.batch_size)
        mapped = rows.map_batches(
            _MapWorker,
            fn_constructor_args=(work.recipe,),
            batch_size=size,
            batch_format="numpy",
            compute=ray.data.ActorPoolStrategy(size=self.workers(len(items), size)),
        )
        early: dict[int, Any] = {}
        at = 0
        for row in mapped.iter_rows():
            early[int(row["i"])] = row["result"]
            while at in early:
                yield pickle.loads(early.pop(at))
                at += 1
        if at != len(items):
            raise RuntimeError(f"Ray returned {at} results in order for {len(items)} items")

    def close(self) -> None:
        """Stop the local Ray this executor started (a cluster is left running)."""
        if self._started:
            import ray

            ray.shutdown()
            self._started = False
