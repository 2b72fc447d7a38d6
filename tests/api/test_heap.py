"""The serving collector policy: full collections freeze their survivors, some unfreeze first."""

import gc
import weakref
from collections.abc import Iterator

import pytest

from tandem.api import heap
from tandem.api.app import create_app
from tandem.engine import Engine


class Cycle:
    """An object in a reference cycle with itself: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def policy() -> Iterator[heap.HeapPolicy]:
    """The only policy on the collector (every 3rd full collection unfrozen), then removed.

    The process's own policy (installed by any app a test built) steps aside meanwhile.
    """
    others = [c for c in gc.callbacks if isinstance(c, heap.HeapPolicy)]
    for other in others:
        gc.callbacks.remove(other)
    gc.collect()
    made = heap.HeapPolicy(refresh=3)
    gc.callbacks.append(made)
    yield made
    gc.callbacks.remove(made)
    gc.callbacks.extend(others)
    gc.unfreeze()
    gc.collect()


def test_full_collections_freeze_survivors_and_refreshes_reclaim_dead_cycles(
    policy: heap.HeapPolicy,
) -> None:
    gc.unfreeze()
    policy.full = 0
    kept = Cycle()
    alive = weakref.ref(kept)
    gc.collect()  # 1st full collection: its survivors, ``kept`` among them, are frozen
    assert gc.get_freeze_count() > 0
    del kept  # now garbage, but frozen: the next full collection does not see it
    gc.collect()  # 2nd
    assert alive() is not None
    gc.collect()  # 3rd: unfreezes first, walks everything, and reclaims it
    assert alive() is None
    assert policy.full == 3


def test_young_collections_leave_the_heap_unfrozen(policy: heap.HeapPolicy) -> None:
    gc.unfreeze()
    gc.collect(0)
    gc.collect(1)
    assert gc.get_freeze_count() == 0 and policy.full == 0


def test_refresh_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        heap.HeapPolicy(refresh=0)


def test_the_app_installs_the_policy_once(bare_engine: Engine) -> None:
    create_app(engine=bare_engine)
    create_app(engine=bare_engine)
    installed = [c for c in gc.callbacks if isinstance(c, heap.HeapPolicy)]
    assert installed == [heap.install()]
