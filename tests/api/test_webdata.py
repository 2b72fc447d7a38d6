"""Your data on the web: a freelancer or client downloads their export; a freelancer erases.

A new-user trial found export and erasure only in the API. The page uses the engine's paths:
the download is the API's export, the erasure the API's, behind a typed confirmation and the
session's CSRF token; afterwards the session is over and the page says what went and what stays.
"""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tandem.engine import Engine
from tandem.errors import NotFoundError
from tests.api.conftest import browser_for, signed_in_browser
from tests.conftest import Cast


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _api_export(app: FastAPI, token: str) -> dict[str, object]:
    answer = TestClient(app).get("/api/me/export", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.text
    document: dict[str, object] = answer.json()
    return document


@pytest.mark.parametrize(("who", "linked_from"), [("freelancer-own", "/me/profile"),
                                                   ("client-own", "/me/posts")])  # fmt: skip
def test_the_page_is_linked_and_the_download_is_the_apis_export(
    app: FastAPI, cast: Cast, who: str, linked_from: str
) -> None:
    browser = browser_for(app, cast.tokens[who])
    assert 'href="/me/data"' in browser.get(linked_from).text
    page = browser.get("/me/data")
    assert page.status_code == 200 and "Your data" in page.text
    download = browser.get("/me/data/export")
    assert download.status_code == 200
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.headers["content-type"].startswith("application/json")
    mine, api = download.json(), _api_export(app, cast.tokens[who])
    assert mine.pop("generated_at") and api.pop("generated_at")
    assert mine == api  # the same document, counted a moment apart


def test_a_client_is_told_who_erases_a_client_and_is_offered_no_form(
    app: FastAPI, cast: Cast
) -> None:
    browser, csrf = signed_in_browser(app, cast.tokens["client-own"])
    said = _text(browser.get("/me/data").text)
    assert "erased by an operator" in said and f"tandem erase client {cast.client_id}" in said
    assert 'action="/me/data/erase"' not in browser.get("/me/data").text
    refused = browser.post("/me/data/erase", data={"csrf_token": csrf, "confirm": "erase"})
    assert refused.status_code == 403  # the engine's rule, not the page's
    assert "Nothing was erased" not in refused.text


def test_someone_bound_to_nobody_or_signed_out_has_no_data_page(app: FastAPI, cast: Cast) -> None:
    assert browser_for(app, cast.tokens["operator"]).get("/me/data").status_code == 403
    away = TestClient(app).get("/me/data", follow_redirects=False)
    assert away.status_code == 303 and away.headers["location"].startswith("/signin")


def test_erasing_takes_the_typed_word_and_the_form_then_ends_the_session(
    app: FastAPI, engine: Engine
) -> None:
    person = engine.store.freelancers.page(0, 5)[0][4].id
    token = engine.add_user("erase-me-webdata", "freelancer", freelancer_id=person)[1]
    browser, csrf = signed_in_browser(app, token)
    form = browser.get("/me/data").text
    assert 'action="/me/data/erase"' in form and "decision-log entr" in form
    wrong = browser.post("/me/data/erase", data={"csrf_token": csrf, "confirm": "yes"})
    assert wrong.status_code == 422 and "Nothing was erased" in wrong.text
    forged = browser.post("/me/data/erase", data={"csrf_token": "forged", "confirm": "erase"})
    assert forged.status_code == 403
    assert engine.store.freelancers.get(person).id == person  # still there after both

    done = browser.post("/me/data/erase", data={"csrf_token": csrf, "confirm": "Erase"})
    assert done.status_code == 200, done.text
    said = _text(done.text)
    assert f"Erased freelancer {person}:" in said and "Decision-log entries tombstoned:" in said
    assert "Models trained on your data:" in said and "Sign out" not in said
    with pytest.raises(NotFoundError):
        engine.store.freelancers.get(person)
    after = browser.get("/me/data", follow_redirects=False)
    assert after.status_code == 303 and after.headers["location"].startswith("/signin")
