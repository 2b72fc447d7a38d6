"""The web's search pages refuse words no text may hold as a page in words (trial 18).

``/jobs?q=%00`` answered a browser with a JSON problem document, and ``/talent`` echoed the
raw NUL back into its search box. A browser gets the page it asked for, the refusal said in
words beside the form, and the box without the refused characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.api.conftest import browser_for
from tests.conftest import Cast, cast_users

#: Control characters a page must never carry (tab, newline and carriage return are layout).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@pytest.fixture(scope="module")
def browser(app: FastAPI, engine) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    cast: Cast = cast_users(engine, "-searchwords")
    with browser_for(app, cast.tokens["operator"]) as client:
        yield client


@pytest.mark.parametrize(
    ("page", "params", "field"),
    [
        ("/jobs", {"q": "logo\x00 design"}, "q"),
        ("/", {"q": "\x00"}, "q"),
        ("/talent", {"q": "django\x00"}, "q"),
        ("/talent", {"q": "django", "skill": "Py\x1bthon"}, "skill"),
    ],
)
def test_a_search_with_a_control_character_is_a_page_in_words(
    browser: TestClient, page: str, params: dict[str, str], field: str
) -> None:
    answer = browser.get(page, params=params)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("text/html"), answer.headers
    assert "<form" in answer.text  # the search page itself, to search again
    assert re.search(rf'role="alert">{field}: .*has a control character', answer.text)
    assert not CONTROL.search(answer.text), "a control character was echoed into the page"


def test_the_search_box_keeps_the_words_without_the_control_character(
    browser: TestClient,
) -> None:
    answer = browser.get("/talent", params={"q": "django\x00 developer"})
    assert 'value="django developer"' in answer.text
    jobs = browser.get("/jobs", params={"q": "logo\x07 design"})
    assert 'value="logo design"' in jobs.text
    listed = browser.get("/jobs", params={"category": "Design\x00"})  # a list: no search
    assert not CONTROL.search(listed.text), "a control character was echoed into the page"


def test_plain_words_still_search(browser: TestClient) -> None:
    for page in ("/jobs", "/talent"):
        answer = browser.get(page, params={"q": "design"})
        assert answer.status_code == 200 and 'role="alert"' not in answer.text
