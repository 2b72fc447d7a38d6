from collections.abc import Iterator

import pytest

from tandem.embed import HashingEncoder
from tandem.engine import Engine
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
