"""The web pages' tests share one way to set up: a loaded store, its cast, the app, a browser.

Each test module that asks for ``engine`` gets its own (module-scoped, under its own home),
so what one module writes (users, imports, edits) never shows in another's counts; a module
that needs something else defines its own ``engine`` and it takes precedence.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tandem.api import create_app
from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tests.conftest import Cast, cast_users, make_settings, sign_in


def _module_tag(request: pytest.FixtureRequest) -> str:
    """``test_webusers`` -> ``webusers``: names the module's home and its cast's users."""
    return request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")


@pytest.fixture(scope="module")
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, small_bundle: Path
) -> Iterator[Engine]:
    """The small marketplace, loaded into this module's own store."""
    home = tmp_path_factory.mktemp(f"{_module_tag(request)}-home")
    engine = Engine(make_settings(home), encoder=HashingEncoder())
    engine.import_bundle(small_bundle)
    yield engine
    engine.store.close()


@pytest.fixture(scope="module")
def cast(request: pytest.FixtureRequest, engine: Engine) -> Cast:
    """One user per role on this module's store."""
    return cast_users(engine, f"-{_module_tag(request)}")


@pytest.fixture(scope="module")
def app(engine: Engine) -> FastAPI:
    """The app over this module's store."""
    return create_app(engine=engine)


def signed_in_browser(app: FastAPI, token: str) -> tuple[TestClient, str]:
    """A browser signed in with ``token`` (server errors as pages), and its CSRF token."""
    client = TestClient(app, raise_server_exceptions=False)
    return client, sign_in(client, token)


def browser_for(app: FastAPI, token: str) -> TestClient:
    """A browser signed in with ``token`` (server errors as pages), when no form is posted."""
    return signed_in_browser(app, token)[0]
