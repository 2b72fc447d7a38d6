"""The users page: operators add users, change roles, issue and revoke tokens (shown once),
disable users after a confirmation; CSRF on every change; other roles are refused."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tandem.api import create_app
from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tests.conftest import Cast, cast_users, make_settings, sign_in


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, small_bundle: Path) -> Iterator[Engine]:
    home = tmp_path_factory.mktemp("webusers-home")
    engine = Engine(make_settings(home), encoder=HashingEncoder())
    engine.import_bundle(small_bundle)
    yield engine
    engine.store.close()


@pytest.fixture(scope="module")
def cast(engine: Engine) -> Cast:
    return cast_users(engine, "-webusers")


@pytest.fixture(scope="module")
def app(engine: Engine) -> FastAPI:
    return create_app(engine=engine)


def _browser(app: FastAPI, token: str) -> tuple[TestClient, str]:
    client = TestClient(app, raise_server_exceptions=False)
    return client, sign_in(client, token)


def _secret(page: str) -> str:
    found = re.search(r'id="new-token" class="token" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def test_an_operator_adds_a_user_whose_token_is_shown_once(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    browser, csrf = _browser(app, cast.tokens["operator"])
    listing = browser.get("/users").text
    assert 'href="/users"' in listing and "Showing 1-6 of 6 users" in listing
    form = {"name": "new-client", "role": "client", "csrf_token": csrf}
    refused = browser.post("/users", data=form)
    assert refused.status_code == 422 and "a client user needs a client id" in refused.text
    assert "--client-id" not in refused.text  # the engine's words fit every face
    assert 'value="new-client"' in refused.text  # what was typed stays on the form
    made = browser.post("/users", data=form | {"client_id": cast.client_id})
    assert made.status_code == 201 and "User added." in made.text
    secret = _secret(made.text)
    user = next(u for u in engine.users() if u.name == "new-client")
    assert engine.identify_token(secret) is not None
    again = browser.get(f"/users/{user.id}").text
    assert secret not in again and 'id="new-token"' not in again  # never shown again
    forged = browser.post("/users", data={"name": "forged", "role": "auditor"})
    assert forged.status_code == 403 and all(u.name != "forged" for u in engine.users())


def test_role_tokens_and_disable_each_say_what_changed(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    browser, csrf = _browser(app, cast.tokens["operator"])
    user, first = engine.add_user("to-change", "auditor")
    base = f"/users/{user.id}"
    changed = browser.post(f"{base}/role", data={"role": "operator", "csrf_token": csrf})
    assert changed.status_code == 200 and "Role changed." in changed.text
    assert engine.identify_token(first) is not None
    assert engine.identify_token(first).role == "operator"  # type: ignore[union-attr]
    bad = browser.post(f"{base}/role", data={"role": "freelancer", "csrf_token": csrf})
    assert bad.status_code == 422 and "freelancer id" in bad.text

    issued = browser.post(f"{base}/tokens", data={"csrf_token": csrf})
    assert issued.status_code == 201
    second = _secret(issued.text)
    first_id = engine.store.users.tokens(user.id)[0].id
    assert f"Revoke token {first_id}" in issued.text
    revoked = browser.post(f"{base}/tokens/{first_id}/revoke", data={"csrf_token": csrf})
    assert revoked.status_code == 200 and "Token revoked" in revoked.text
    assert engine.identify_token(first) is None and engine.identify_token(second) is not None

    confirm = browser.get(f"{base}/disable").text
    assert "stop working at once" in confirm and engine.identify_token(second) is not None
    assert browser.post(f"{base}/disable", data={}).status_code == 403  # no CSRF, no change
    done = browser.post(f"{base}/disable", data={"csrf_token": csrf})
    assert done.status_code == 200 and "User disabled" in done.text
    assert engine.identify_token(second) is None


def test_an_operator_cannot_disable_or_demote_themself(app: FastAPI, cast: Cast) -> None:
    browser, csrf = _browser(app, cast.tokens["operator"])
    me = re.search(r'class="who-id"> · ([^<]+)<', browser.get("/users").text)
    assert me is not None
    mine = f"/users/{me.group(1).strip()}"
    demoted = browser.post(f"{mine}/role", data={"role": "auditor", "csrf_token": csrf})
    assert demoted.status_code == 409 and "yourself" in demoted.text
    gone = browser.post(f"{mine}/disable", data={"csrf_token": csrf})
    assert gone.status_code == 409 and "yourself" in gone.text
    assert browser.get("/users").status_code == 200  # still an operator


@pytest.mark.parametrize("who", ["auditor", "client-own", "freelancer-own"])
def test_other_roles_neither_see_nor_use_it(app: FastAPI, cast: Cast, who: str) -> None:
    browser, csrf = _browser(app, cast.tokens[who])
    assert 'href="/users"' not in browser.get("/jobs").text
    assert browser.get("/users").status_code == 403
    sent = browser.post("/users", data={"name": "x", "role": "operator", "csrf_token": csrf})
    assert sent.status_code == 403


def test_the_list_pages_through_every_user_with_a_true_count(tmp_path: Path) -> None:
    engine = Engine(make_settings(tmp_path / "home"), encoder=HashingEncoder())
    try:
        _, token = engine.add_user("op-0", "operator")
        for n in range(1, 23):
            engine.add_user(f"auditor-{n:02d}", "auditor")
        browser, _ = _browser(create_app(engine=engine), token)
        first = browser.get("/users").text
        assert "Showing 1-20 of 23 users" in first and 'rel="next" href="?page=2"' in first
        second = browser.get("/users?page=2").text
        assert "Showing 21-23 of 23 users" in second and "auditor-22" in second
        assert "auditor-01" not in second and 'rel="next"' not in second
    finally:
        engine.store.close()
