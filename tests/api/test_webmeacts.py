"""A freelancer's forms, posted as a browser without JavaScript posts them.

A profile saves with its skills under the taxonomy's names; a proposal is sent only when the
person ticks that they read it, only as themself, and every refusal keeps what was typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tests.conftest import Cast, make_settings, sign_in


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, small_bundle: Path) -> Iterator[Engine]:
    """An engine of its own (these tests write profiles and proposals), with the bundle."""
    engine = Engine(make_settings(tmp_path_factory.mktemp("meacts-home")), encoder=HashingEncoder())
    engine.import_bundle(small_bundle)
    yield engine
    engine.store.close()


def _browser(app: FastAPI, token: str) -> tuple[TestClient, str]:
    client = TestClient(app, raise_server_exceptions=False)
    sign_in(client, token)
    page = client.get("/jobs").text
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', page)
    assert csrf is not None
    return client, csrf.group(1)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _unapplied(engine: Engine, freelancer_id: str) -> str:
    applied = {p.job_id for p in engine.store.proposals.where(freelancer_id=freelancer_id)}
    return next(j.id for j in engine.store.jobs.where(status="open") if j.id not in applied)


PROFILE = {"title": "Frontend developer", "overview": "I build web apps.",
           "skills": "js, pyhton,  Basket weaving", "hourly_rate": "48",
           "availability_hours_per_week": "30", "experience_years": "6"}  # fmt: skip


def test_a_saved_profile_shows_its_skills_normalised(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    client, csrf = _browser(app, cast.tokens["freelancer-own"])
    done = client.post("/me/profile", data=PROFILE | {"csrf_token": csrf}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/me/profile"
    stored = engine.store.freelancers.get(cast.freelancer_id)
    assert stored.skills == ["JavaScript", "Python", "Basket weaving"]
    assert (stored.title, stored.hourly_rate, stored.availability_hours_per_week) == (
        "Frontend developer",
        48,
        30,
    )
    page = _text(client.get("/me/profile").text)
    assert "“js” as JavaScript, “pyhton” as Python." in page
    assert "Skills as saved JavaScript Python Basket weaving" in page
    assert "Saved your profile" not in _text(client.get("/me/profile").text)  # shown once


def test_a_bad_number_comes_back_with_what_was_typed(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    client, csrf = _browser(app, cast.tokens["freelancer-own"])
    before = engine.store.freelancers.get(cast.freelancer_id)
    typed = PROFILE | {"hourly_rate": "forty", "title": "Changed title", "csrf_token": csrf}
    answer = client.post("/me/profile", data=typed)
    assert answer.status_code == 422
    assert "Hourly rate must be a number" in answer.text and 'value="Changed title"' in answer.text
    assert engine.store.freelancers.get(cast.freelancer_id) == before
    answer = client.post("/me/profile", data=PROFILE | {"hourly_rate": "-3", "csrf_token": csrf})
    assert answer.status_code == 422 and "hourly_rate" in answer.text


@pytest.mark.parametrize("who", ["client-own", "operator"])
def test_only_a_freelancer_posts_the_profile_form(
    app: FastAPI, engine: Engine, cast: Cast, who: str
) -> None:
    client, csrf = _browser(app, cast.tokens[who])
    before = engine.store.freelancers.get(cast.freelancer_id)
    answer = client.post("/me/profile", data=PROFILE | {"csrf_token": csrf})
    assert answer.status_code == 403
    assert engine.store.freelancers.get(cast.freelancer_id) == before


def test_a_form_without_the_csrf_token_changes_nothing(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    client, _ = _browser(app, cast.tokens["freelancer-own"])
    before = engine.store.freelancers.get(cast.freelancer_id)
    assert client.post("/me/profile", data=PROFILE | {"title": "X"}).status_code == 403
    job_id = _unapplied(engine, cast.freelancer_id)
    sent = client.post(f"/me/jobs/{job_id}/apply", data={"cover_letter": "Hi", "confirm": "yes"})
    assert sent.status_code == 403
    assert engine.store.freelancers.get(cast.freelancer_id) == before
    assert not engine.store.proposals.where(job_id=job_id, freelancer_id=cast.freelancer_id)


def test_a_proposal_is_sent_only_when_confirmed_and_shows_in_my_proposals(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    client, csrf = _browser(app, cast.tokens["freelancer-own"])
    job_id = _unapplied(engine, cast.freelancer_id)
    letter = {
        "cover_letter": "I have built three shops like yours.",
        "bid": "35",
        "csrf_token": csrf,
    }
    answer = client.post(f"/me/jobs/{job_id}/apply", data=letter)
    assert answer.status_code == 422 and "Nothing was sent" in answer.text
    assert "I have built three shops like yours." in answer.text  # kept for the person
    assert not engine.store.proposals.where(job_id=job_id, freelancer_id=cast.freelancer_id)
    done = client.post(
        f"/me/jobs/{job_id}/apply", data=letter | {"confirm": "yes"}, follow_redirects=False
    )
    assert done.status_code == 303 and done.headers["location"] == "/me/proposals"
    (proposal,) = engine.store.proposals.where(job_id=job_id, freelancer_id=cast.freelancer_id)
    assert proposal.cover_letter == letter["cover_letter"] and proposal.bid is not None
    assert proposal.bid.amount == 35
    page = _text(client.get("/me/proposals").text)
    title = engine.store.jobs.get(job_id).title
    assert f"Sent your proposal for “{title}”" in page
    assert "Sent: waiting for the client" in page
    again = client.post(f"/me/jobs/{job_id}/apply", data=letter | {"confirm": "yes"})
    assert again.status_code == 409 and "already applied" in again.text
    assert client.get(f"/me/jobs/{job_id}/apply").status_code == 409


def test_a_client_cannot_send_a_proposal(app: FastAPI, engine: Engine, cast: Cast) -> None:
    client, csrf = _browser(app, cast.tokens["client-own"])
    job_id = _unapplied(engine, cast.freelancer_id)
    before = engine.store.proposals.count()
    form = {"cover_letter": "Hi", "confirm": "yes", "csrf_token": csrf}
    answer = client.post(f"/me/jobs/{job_id}/apply", data=form)
    assert answer.status_code == 403 and "Only a signed-in freelancer" in answer.text
    assert engine.store.proposals.count() == before


@pytest.mark.parametrize(
    ("field", "typed", "said"),
    [
        ("hourly_rate", "forty five", "Hourly rate must be a number, 0 or more, like 45 or 37.5"),
        ("hourly_rate", "-5", "Hourly rate must be a number, 0 or more, like 45 or 37.5"),
        ("hourly_rate", "1e999", "Hourly rate must be a number, 0 or more, like 45 or 37.5"),
        ("hourly_rate", "nan", "Hourly rate must be a number, 0 or more, like 45 or 37.5"),
        (
            "availability_hours_per_week",
            "500",
            "Hours a week must be a whole number from 0 to 168, like 20",
        ),
        ("availability_hours_per_week", "20.5", "Hours a week must be a whole number from 0"),
        ("experience_years", "-1", "Years of experience must be a number from 0 to 80, like 5"),
    ],
)
def test_every_bad_number_reads_the_same_friendly_way(
    app: FastAPI, engine: Engine, cast: Cast, field: str, typed: str, said: str
) -> None:
    """No raw "hourly_rate: Input should be ..." whatever is wrong with the number."""
    import html

    client, csrf = _browser(app, cast.tokens["freelancer-own"])
    before = engine.store.freelancers.get(cast.freelancer_id)
    answer = client.post("/me/profile", data=PROFILE | {field: typed, "csrf_token": csrf})
    assert answer.status_code == 422
    page = html.unescape(_text(answer.text))
    assert f"{said}" in page and f"(you wrote {typed!r})" in page, page
    assert "Input should be" not in page and f"{field}:" not in page
    assert engine.store.freelancers.get(cast.freelancer_id) == before


@pytest.mark.parametrize("typed", ["-5", "1e999", "lots"])
def test_a_bad_bid_reads_as_the_profiles_numbers_do(
    app: FastAPI, engine: Engine, cast: Cast, typed: str
) -> None:
    import html

    client, csrf = _browser(app, cast.tokens["freelancer-own"])
    job_id = _unapplied(engine, cast.freelancer_id)
    letter = {"cover_letter": "Hello.", "bid": typed, "confirm": "yes", "csrf_token": csrf}
    answer = client.post(f"/me/jobs/{job_id}/apply", data=letter)
    assert answer.status_code == 422
    page = html.unescape(_text(answer.text))
    assert f"Your bid must be a number, 0 or more, like 45 or 37.5 (you wrote {typed!r})" in page
    assert not engine.store.proposals.where(job_id=job_id, freelancer_id=cast.freelancer_id)
