from collections.abc import Iterator

import pytest

from tandem.access import Identity
from tandem.embed import HashingEncoder
from tandem.engine import Engine, UserView
from tests.conftest import make_settings


@pytest.fixture(scope="module")
def writable_engine(tmp_path_factory: pytest.TempPathFactory, small_bundle) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    """An engine with the small bundle that companion actions may write to (jobs, events)."""
    engine = Engine(
        make_settings(tmp_path_factory.mktemp("companion-home")), encoder=HashingEncoder()
    )
    engine.import_bundle(small_bundle)
    yield engine
    engine.store.close()


def acting(
    engine: Engine, user_id: str = "alice", role: str = "operator", **bound: str
) -> UserView:
    """The engine acting for a made-up identity (no stored user needed), as the companion takes."""
    return engine.as_user(Identity(user_id, role, **bound), "api")  # type: ignore[arg-type]
