"""The local executor: the work runs in this process, in the caller's batches (the default)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from tandem.batch.base import Batch, Mapped, Work


class LocalExecutor:
    """In-process batches: the function the engine already holds, called directly."""

    name = "local"
    chunk = 0  # the caller's own batch size

    def run(self, work: Work, texts: Sequence[str]) -> Batch:
        """Call ``work.here`` on all of ``texts`` (the caller already batches them)."""
        return work.here(list(texts))

    def map(self, work: Mapped[Any, Any], items: Sequence[Any]) -> Iterator[Any]:
        """Call ``work.here`` on one item at a time (nothing is held beyond the one asked for)."""
        for item in items:
            yield from work.here([item])

    def close(self) -> None:
        """Nothing to release."""
