"""The decision log in the web UI: operators read it whole, auditors without people, others
their own rankings; replay answers from today's model; reading it writes nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from tandem.embed import HashingEncoder
from tandem.engine import Engine, TalentQuery
from tests.api.conftest import browser_for
from tests.conftest import Cast, cast_users, make_settings


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, small_bundle: Path) -> Iterator[Engine]:
    engine = Engine(make_settings(tmp_path_factory.mktemp("log-home")), encoder=HashingEncoder())
    engine.import_bundle(small_bundle)
    yield engine
    engine.store.close()


@pytest.fixture(scope="module")
def cast(engine: Engine) -> Cast:
    cast = cast_users(engine, "-log")
    client = engine.as_user(engine.identify_token(cast.tokens["client-own"]), "web")  # type: ignore[arg-type]
    client.serve_match(cast.job_id, top=10)
    operator = engine.as_user(engine.identify_token(cast.tokens["operator"]), "api")  # type: ignore[arg-type]
    operator.search_talent(TalentQuery(text="python developer", top=5))
    return cast


def _people(engine: Engine) -> list[str]:
    return [x for f in engine.store.freelancers.iter_all() for x in (f.id, f.name)]


def _match_id(engine: Engine, job_id: str) -> str:
    return next(d.request_id for d in engine.store.decisions.recent(50) if d.subject == job_id)


def test_an_operator_reads_the_whole_log_with_people_and_replays(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    browser = browser_for(app, cast.tokens["operator"])
    logged = engine.store.decisions.page(0, 1)[1]
    page = browser.get("/log").text
    assert f"of {logged} logged rankings" in page
    assert "Talent searches" in page and f"/jobs/{cast.job_id}" in page
    only = browser.get("/log", params={"kind": "search_talent"}).text
    assert f"/jobs/{cast.job_id}" not in only and "python developer" in only
    rid = _match_id(engine, cast.job_id)
    entry = browser.get(f"/log/{rid}").text
    first = engine.store.decisions.get(rid).results[0].id
    assert engine.store.freelancers.get(first).name in entry
    replay = browser.get(f"/log/{rid}/why/{first}")
    assert replay.status_code == 200 and "Today's model ranks it the same." in replay.text
    assert engine.store.decisions.page(0, 1)[1] == logged  # reading the log logged nothing


def test_an_auditor_reads_the_log_without_people(app: FastAPI, engine: Engine, cast: Cast) -> None:
    browser = browser_for(app, cast.tokens["auditor"])
    rid = _match_id(engine, cast.job_id)
    pages = [
        browser.get("/log").text,
        browser.get(f"/log/{rid}").text,
        browser.get(f"/log/{rid}/why/%231").text,
        browser.get(f"/api/decisions/{rid}").text,
        browser.get(f"/api/decisions/{rid}/compare", params={"a": "#1", "b": "#2"}).text,
    ]
    assert "Today's model" in pages[2] and '"higher"' in pages[4]
    logged = engine.store.decisions.page(0, 1)[1]
    job_page = browser.get(f"/jobs/{cast.job_id}").text  # the post, without its ranked people
    assert 'id="cmp-a"' not in job_page
    pages.append(job_page)
    assert engine.store.decisions.page(0, 1)[1] == logged  # nothing ranked for the auditor
    # the log names the job but does not link to its page (positions would map to names)
    assert f'href="/jobs/{cast.job_id}"' not in pages[0] + pages[1]
    assert cast.job_id in pages[1]
    shown = browser.get(f"/jobs/{cast.job_id}/compare", params={"rid": rid, "a": "#1", "b": "#2"})
    assert shown.status_code == 200 and "Why #1 is above #2" in shown.text
    # a person's id is not how an auditor names a result: told to use positions, not "not found"
    first = engine.store.decisions.get(rid).results[0].id
    named = browser.get(f"/api/decisions/{rid}/compare", params={"a": first, "b": "#2"})
    assert named.status_code == 404 and "by position" in named.text
    pages.append(shown.text)
    assert "python developer" not in pages[0]  # a search's words
    for text in pages:
        leaked = [p for p in _people(engine) if re.search(rf"\b{re.escape(p)}\b", text)]
        assert leaked == []
    api = browser.get(f"/api/decisions/{rid}").json()
    assert api["actor"] == "" and api["candidates"] == []
    assert [r["id"] for r in api["results"]][:2] == ["#1", "#2"]
    assert all(not reason["evidence"] for r in api["results"] for reason in r["reasons"])


def test_a_client_reads_only_its_own_rankings(app: FastAPI, engine: Engine, cast: Cast) -> None:
    browser = browser_for(app, cast.tokens["client-own"])
    page = browser.get("/log").text
    me = engine.identify_token(cast.tokens["client-own"])
    assert me is not None
    mine = engine.store.decisions.page(0, 1, actor=me.user_id)[1]
    assert 0 < mine < engine.store.decisions.page(0, 1)[1]
    assert f"of {mine} logged rankings" in page
    assert "Talent searches" not in page.split("<tbody>")[-1]
    theirs = next(
        d.request_id for d in engine.store.decisions.recent(50) if d.kind == "search_talent"
    )
    assert browser.get(f"/log/{theirs}").status_code == 404
    operator = browser_for(app, cast.tokens["operator"])
    empty = operator.get("/log", params={"kind": "recommend"}).text
    assert "Nothing logged of this kind yet" in empty  # an empty list says so
