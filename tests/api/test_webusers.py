"""The users page: operators add users, change roles, issue and revoke tokens (shown once),
disable users after a confirmation; CSRF on every change; other roles are refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tandem.api import create_app
from tandem.api.deps import SESSION_COOKIE
from tandem.api.webusers import USERS_FLASH
from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tests.api.conftest import signed_in_browser
from tests.conftest import Cast, make_settings


def _secret(page: str) -> str:
    found = re.search(r'id="new-token" class="token" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def _posted(browser: TestClient, url: str, data: dict[str, str]) -> tuple[str, str]:
    """POST a form as a browser does: it must answer 303 (Post/Redirect/Get); the page after."""
    sent = browser.post(url, data=data, follow_redirects=False)
    assert sent.status_code == 303, sent.text
    location = sent.headers["location"]
    assert "secret" not in location and "token=" not in location  # nothing in the URL
    landed = browser.get(location)
    assert landed.status_code == 200
    return location, landed.text


def test_an_operator_adds_a_user_whose_token_is_shown_once(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    browser, csrf = signed_in_browser(app, cast.tokens["operator"])
    listing = browser.get("/users").text
    assert '<span class="who">operator<span class="who-id"' in listing
    assert " · operator-webusers</span>" in listing  # the header names the person, not an id
    assert 'href="/users"' in listing and "Showing 1-6 of 6 users" in listing
    form = {"name": "new-client", "role": "client", "csrf_token": csrf}
    where, refused = _posted(browser, "/users", form)
    assert where == "/users#add-user"  # lands on the form, the reason beside it
    assert "a client user needs a client id" in refused
    assert "--client-id" not in refused  # the engine's words fit every face
    assert 'value="new-client"' in refused  # what was typed stays on the form
    form_part = refused[refused.index('id="add-user"') :]
    assert "a client user needs a client id" in form_part  # inside the add form's section
    again = browser.get("/users").text
    assert "a client user needs a client id" not in again and 'value="new-client"' not in again

    where, made = _posted(browser, "/users", form | {"client_id": cast.client_id})
    assert where == "/users" and "User added" in made
    secret = _secret(made)
    user = next(u for u in engine.users() if u.name == "new-client")
    assert engine.identify_token(secret) is not None and f'href="/users/{user.id}"' in made
    for reread in ("/users", f"/users/{user.id}"):  # a reload, or the user's page
        page = browser.get(reread).text
        assert secret not in page and 'id="new-token"' not in page  # never shown again
    forged = browser.post("/users", data={"name": "forged", "role": "auditor"})
    assert forged.status_code == 403 and all(u.name != "forged" for u in engine.users())


def _with_flash(browser: TestClient, flash: str) -> str:
    """GET /users with this session's cookie and ``flash`` as the flash cookie."""
    browser.cookies.delete(USERS_FLASH)
    session = browser.cookies.get(SESSION_COOKIE)
    cookie = f"{SESSION_COOKIE}={session}; {USERS_FLASH}={flash}"
    return browser.get("/users", headers={"cookie": cookie}).text


def test_a_flash_is_this_sessions_only(app: FastAPI, cast: Cast) -> None:
    browser, csrf = signed_in_browser(app, cast.tokens["operator"])
    sent = browser.post(
        "/users", data={"name": "flash-check", "role": "auditor", "csrf_token": csrf},
        follow_redirects=False,
    )  # fmt: skip
    cookie = sent.cookies.get(USERS_FLASH)
    assert cookie and "secret" not in sent.headers["location"]
    assert 'id="new-token"' in _with_flash(browser, cookie)  # its own session's: shown
    other, _ = signed_in_browser(app, cast.tokens["operator"])  # another session
    assert 'id="new-token"' not in _with_flash(other, cookie)  # not its flash: nothing
    assert 'id="new-token"' not in _with_flash(browser, cookie[:-4] + "0000")  # tampered


def test_role_tokens_and_disable_each_say_what_changed(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    browser, csrf = signed_in_browser(app, cast.tokens["operator"])
    user, first = engine.add_user("to-change", "auditor")
    base = f"/users/{user.id}"
    where, changed = _posted(browser, f"{base}/role", {"role": "operator", "csrf_token": csrf})
    assert where == base and "Role changed." in changed
    assert "Role changed." not in browser.get(base).text  # once
    assert engine.identify_token(first) is not None
    assert engine.identify_token(first).role == "operator"  # type: ignore[union-attr]
    where, bad = _posted(browser, f"{base}/role", {"role": "freelancer", "csrf_token": csrf})
    assert where == base and "freelancer id" in bad

    where, issued = _posted(browser, f"{base}/tokens", {"csrf_token": csrf})
    assert where == base
    second = _secret(issued)
    assert second not in browser.get(base).text  # a reload shows it no more
    first_id = engine.store.users.tokens(user.id)[0].id
    assert f"Revoke token {first_id}" in issued
    revoke = f"{base}/tokens/{first_id}/revoke"
    where, revoked = _posted(browser, revoke, {"csrf_token": csrf})
    assert where == base and "Token revoked" in revoked
    assert engine.identify_token(first) is None and engine.identify_token(second) is not None

    confirm = browser.get(f"{base}/disable").text
    assert "stop working at once" in confirm and engine.identify_token(second) is not None
    assert browser.post(f"{base}/disable", data={}).status_code == 403  # no CSRF, no change
    where, done = _posted(browser, f"{base}/disable", {"csrf_token": csrf})
    assert where == base and "User disabled" in done
    assert engine.identify_token(second) is None


def test_an_operator_is_not_offered_to_disable_or_demote_themself(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    browser, csrf = signed_in_browser(app, cast.tokens["operator"])
    me = re.search(r'class="who-id" data-user-id="([^"]+)"', browser.get("/users").text)
    assert me is not None
    mine = f"/users/{me.group(1)}"
    own = browser.get(mine).text
    assert "This is you" in own and 'action="' + mine + '/role"' not in own
    assert "Change role" not in own and f'href="{mine}/disable"' not in own
    assert "Disable the user" not in browser.get(f"{mine}/disable").text
    auditor = engine.identify_token(cast.tokens["auditor"])
    assert auditor is not None
    theirs = browser.get(f"/users/{auditor.user_id}").text  # someone else: offered
    assert "Change role" in theirs and f'href="/users/{auditor.user_id}/disable"' in theirs
    # The engine refuses anyway (a form sent by hand): the reason comes back on the page.
    _, demoted = _posted(browser, f"{mine}/role", {"role": "auditor", "csrf_token": csrf})
    assert "yourself" in demoted
    _, gone = _posted(browser, f"{mine}/disable", {"csrf_token": csrf})
    assert "yourself" in gone
    assert browser.get("/users").status_code == 200  # still an operator


@pytest.mark.parametrize("who", ["auditor", "client-own", "freelancer-own"])
def test_other_roles_neither_see_nor_use_it(app: FastAPI, cast: Cast, who: str) -> None:
    browser, csrf = signed_in_browser(app, cast.tokens[who])
    assert 'href="/users"' not in browser.get("/jobs").text
    refused = browser.get("/users")
    assert refused.status_code == 403
    assert "<h1>You don&#39;t have permission</h1>" in refused.text  # the one permission page
    assert "you can&#39;t manage users and tokens. Who can: operators." in refused.text
    sent = browser.post("/users", data={"name": "x", "role": "operator", "csrf_token": csrf})
    assert sent.status_code == 403 and "Who can: operators." in sent.text


def test_the_list_pages_through_every_user_with_a_true_count(tmp_path: Path) -> None:
    engine = Engine(make_settings(tmp_path / "home"), encoder=HashingEncoder())
    try:
        _, token = engine.add_user("op-0", "operator")
        for n in range(1, 23):
            engine.add_user(f"auditor-{n:02d}", "auditor")
        browser, _ = signed_in_browser(create_app(engine=engine), token)
        first = browser.get("/users").text
        assert "Showing 1-20 of 23 users" in first and 'rel="next" href="?page=2"' in first
        second = browser.get("/users?page=2").text
        assert "Showing 21-23 of 23 users" in second and "auditor-22" in second
        assert "auditor-01" not in second and 'rel="next"' not in second
    finally:
        engine.store.close()
