"""The web pages' tests share one way to set up: a loaded store, its cast, the app, a browser.

Each test module that asks for ``engine`` gets its own (module-scoped, under its own home),
so what one module writes (users, imports, edits) never shows in another's counts; a module
that needs something else defines its own ``engine`` and it takes precedence.
"""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tandem.api import create_app
from tandem.engine import Engine
from tests.conftest import sign_in


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
