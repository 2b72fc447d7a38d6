"""The executor contract: run one kind of batch work over many texts (or items), in order.

Work comes in two forms because it runs in two places. ``here`` is the function this process
already holds (its encoder loaded, its label vectors cached): the local executor calls it, as
Tandem always did. ``recipe`` is a small picklable description that builds the same function
from scratch (:meth:`Recipe.load`): a distributed executor ships it to each of its workers,
which load the encoder once and then serve many batches. Both must give the same result: the
Ray test checks rows, index counts and vectors against the local run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from tandem.embed import Vectors
from tandem.skills.reader import FoundSkill


@dataclass(frozen=True)
class Batch:
    """What a batch of texts became: one vector per text, and the skills read in each (if read)."""

    vectors: Vectors
    found: list[list[FoundSkill]] | None = None


BatchFn = Callable[[list[str]], Batch]


class Recipe(Protocol):
    """A picklable description of batch work; ``load`` builds the heavy part (once per worker)."""

    def load(self) -> BatchFn:
        """The function that turns a batch of texts into a :class:`Batch`."""
        ...


@dataclass(frozen=True)
class Work:
    """One kind of batch work, as this process runs it (``here``) and as a worker would."""

    here: BatchFn
    recipe: Recipe


T = TypeVar("T")
U = TypeVar("U")


class ItemsRecipe(Protocol[T, U]):
    """A picklable description of per-item work; ``load`` builds the heavy part once."""

    def load(self) -> Callable[[list[T]], list[U]]:
        """The function that turns a batch of items into one result per item, in order."""
        ...


@dataclass(frozen=True)
class Mapped(Generic[T, U]):
    """Per-item work beyond texts (batch ranking, training features): here and on a worker.

    Items and results are picklable values (ids, records, features); the recipe rebuilds on
    a worker what ``here`` closes over (the engine opened on the same home).
    """

    here: Callable[[list[T]], list[U]]
    recipe: ItemsRecipe[T, U]


class Executor(Protocol):
    """Runs :class:`Work` over texts and returns their results in the texts' order."""

    name: str
    #: How many records the index sync hands over at a time (a distributed run amortises its
    #: start-up over more records; the local one keeps today's small batches: 0).
    chunk: int

    def run(self, work: Work, texts: Sequence[str]) -> Batch:
        """The results for ``texts``, in their order."""
        ...

    def map(self, work: Mapped[Any, Any], items: Sequence[Any]) -> Iterator[Any]:
        """One result per item of ``items``, in their order, as they are ready."""
        ...

    def close(self) -> None:
        """Release what the executor started (a local Ray); safe to call twice."""
        ...
