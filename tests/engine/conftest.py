"""Fixtures of the engine's facade tests: a loaded engine of each module's own, its users."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tests.conftest import Cast, cast_users, make_settings


@pytest.fixture(scope="module")
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, small_bundle: Path
) -> Iterator[Engine]:
    """An engine of the module's own (its tests write profiles, jobs, proposals, decisions,
    users), with the bundle loaded.
    """
    home = tmp_path_factory.mktemp(f"{_name(request)}-home")
    engine = Engine(make_settings(home), encoder=HashingEncoder())
    engine.import_bundle(small_bundle)
    yield engine
    engine.store.close()


@pytest.fixture(scope="module")
def cast(request: pytest.FixtureRequest, engine: Engine) -> Cast:
    """One user per role on the module's engine (see :func:`tests.conftest.cast_users`)."""
    return cast_users(engine, f"-{_name(request)}")


def _name(request: pytest.FixtureRequest) -> str:
    """The module's name without ``test_``: "owned" for ``test_owned.py``."""
    return request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
