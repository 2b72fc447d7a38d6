"""A freelancer's own pages: safe GETs with true counts, for the freelancer and nobody else."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tandem.api.webme import PROFILE_FLASH, write_changes
from tandem.domain.money import amount_text
from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tandem.engine.applying import SkillChange
from tandem.learn.runner import load_training_data, training_labels
from tests.api.conftest import browser_for
from tests.conftest import Cast, make_settings

#: Open jobs in the test market: more than two pages of 20.
OPEN = 45


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, small_bundle: Path) -> Iterator[Engine]:
    """An engine of its own with ``OPEN`` open jobs (the bundle has few: some are reopened)."""
    engine = Engine(make_settings(tmp_path_factory.mktemp("webme-home")), encoder=HashingEncoder())
    engine.import_bundle(small_bundle)
    closed = engine.store.jobs.where(status="closed")
    opened = engine.store.jobs.page(0, 1, status="open")[1]
    for job in closed[: OPEN - opened]:
        engine.save_job(job.model_copy(update={"status": "open"}))
    yield engine
    engine.store.close()


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _writes(engine: Engine, freelancer_id: str) -> tuple[int, int, str, object]:
    """Everything a page view must leave alone: events, proposals, the profile, the labels."""
    labels = training_labels(engine.store, load_training_data(engine.store), None)
    profile = engine.store.freelancers.get(freelancer_id)
    return engine.store.events.count(), engine.store.proposals.count(), str(profile), labels


def test_viewing_every_page_writes_nothing(app: FastAPI, engine: Engine, cast: Cast) -> None:
    client = browser_for(app, cast.tokens["freelancer-own"])
    jobs = re.findall(r'href="/me/jobs/([^"/]+)/apply"', client.get("/me/jobs").text)
    before = _writes(engine, cast.freelancer_id)
    fit = f"/me/jobs/{jobs[0]}"
    paths = ["/me/profile", "/me/jobs", "/me/jobs?page=2", "/me/proposals", fit,
             f"{fit}/apply", "/me/skills/suggest?q=js"]  # fmt: skip
    for path in paths * 2:
        assert client.get(path).status_code == 200, path
    assert _writes(engine, cast.freelancer_id) == before


def test_jobs_for_me_are_paged_with_true_counts(app: FastAPI, engine: Engine, cast: Cast) -> None:
    client = browser_for(app, cast.tokens["freelancer-own"])
    first, second, third = (_text(client.get(f"/me/jobs?page={n}").text) for n in (1, 2, 3))
    opened = {j.id for j in engine.store.jobs.iter_all() if j.status == "open"}
    # jobs this freelancer applied to or has an outcome on are no recommendation
    ranked = OPEN - len(opened & engine.engaged_jobs(cast.freelancer_id))
    assert ranked > 40
    assert f"Showing 1-20 of {ranked} open jobs ranked for you" in first
    assert f"Showing 21-40 of {ranked} open jobs ranked for you" in second
    assert f"Showing 41-{ranked} of {ranked}" in third and "Next" not in third
    page = client.get("/me/jobs").text
    assert page.count('class="card match-card"') == 20
    cards = page.split('class="card match-card"')[1:]
    for card in cards:  # three reasons up front, the rest one click away
        front = card.split('<details class="more-reasons">')[0]
        assert front.count('<li class="reason') <= 3
    assert "How to raise my match" in page and "Draft a proposal" in page


def test_the_fit_page_tips_come_from_the_jobs_skills(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    client = browser_for(app, cast.tokens["freelancer-own"])
    ids = re.findall(r'href="/me/jobs/([^"/]+)"', client.get("/me/jobs").text)
    job_id = next(j for j in ids if engine.pair_features(j, cast.freelancer_id).skills.missing)
    feats = engine.pair_features(job_id, cast.freelancer_id)
    page = _text(client.get(f"/me/jobs/{job_id}").text)
    tips = page.split(" Tips ")[1]
    for skill in feats.skills.missing:
        assert f"{skill}: not on your profile" in page and skill in tips


def test_the_draft_is_grounded_in_my_profile(app: FastAPI, engine: Engine, cast: Cast) -> None:
    client = browser_for(app, cast.tokens["freelancer-own"])
    job_id = re.findall(r'href="/me/jobs/([^"/]+)/apply"', client.get("/me/jobs").text)[0]
    page = client.get(f"/me/jobs/{job_id}/apply").text
    letter = re.search(r'<textarea name="cover_letter"[^>]*>([^<]*)</textarea>', page)
    assert letter is not None
    person = engine.store.freelancers.get(cast.freelancer_id)
    assert f"{person.hourly_rate:g} {person.currency}" in letter.group(1)
    job = engine.store.jobs.get(job_id)
    claims = letter.group(1).replace(f"“{job.title}”", "")  # quoting its title claims nothing
    for skill in engine.pair_features(job_id, cast.freelancer_id).skills.missing:
        assert skill not in claims.split("ask for")[-1]  # never claims a gap
    assert "What the draft rests on" in page and 'name="confirm"' in page


def test_a_fixed_price_jobs_draft_and_bid_field_state_one_price(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    """The letter said "My rate is X per hour." for a job that pays one price for the whole job."""
    client = browser_for(app, cast.tokens["freelancer-own"])
    person = engine.store.freelancers.get(cast.freelancer_id)
    applied = {p.job_id for p in engine.store.proposals.where(freelancer_id=person.id)}
    for kind in ("fixed", "hourly"):
        job = next(
            j
            for j in engine.store.jobs.where(status="open")
            if j.budget and j.budget.type == kind and j.duration_weeks and j.hours_per_week
            if j.id not in applied
        )
        page = client.get(f"/me/jobs/{job.id}/apply").text
        letter = re.search(r'<textarea name="cover_letter"[^>]*>([^<]*)</textarea>', page)
        bid = re.search(r'<input name="bid" value="([^"]*)"', page)
        assert letter is not None and bid is not None
        if kind == "hourly":
            assert f"My rate is {person.hourly_rate:g} {person.currency} per hour." in letter[1]
            assert bid[1] == ""  # the profile's rate stands
            continue
        hours = (job.duration_weeks or 0) * (job.hours_per_week or 0)
        total = round(person.hourly_rate * hours)
        assert f"My price for the whole job is {amount_text(total)} {person.currency}." in letter[1]
        assert "per hour" not in letter[1] and bid[1] == str(total)


@pytest.mark.parametrize("who", ["client-own", "operator", "auditor"])
def test_these_pages_are_a_freelancers_own(app: FastAPI, cast: Cast, who: str) -> None:
    client = browser_for(app, cast.tokens[who])
    for path in ("/me/profile", "/me/jobs", "/me/proposals"):
        answer = client.get(path)
        assert answer.status_code == 403 and "bound to a freelancer" in answer.text


def test_signed_out_pages_ask_to_sign_in(app: FastAPI) -> None:
    client = TestClient(app)
    answer = client.get("/me/jobs?page=2", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/signin?next=")
    assert client.get("/me/skills/suggest?q=js").status_code == 401


def test_skill_suggestions_answer_as_json(app: FastAPI, cast: Cast) -> None:
    client = browser_for(app, cast.tokens["freelancer-own"])
    found = client.get("/me/skills/suggest", params={"q": "pyhton"}).json()
    assert found["saved_as"] == "Python" and found["suggestions"][0] == "Python"
    assert client.get("/me/skills/suggest", params={"q": "x" * 201}).status_code == 422


def test_an_empty_proposals_list_says_what_to_do(app: FastAPI, cast: Cast) -> None:
    client = browser_for(app, cast.tokens["freelancer-other"])
    page = _text(client.get("/me/proposals").text)
    if "Sent " not in page:  # the generated market may have given this person proposals
        assert "You have not applied to any job yet" in page


def test_a_forged_saved_message_shows_only_true_renamings(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    client = browser_for(app, cast.tokens["freelancer-other"])
    skills = engine.store.freelancers.get(cast.other_freelancer_id).skills
    lie = SkillChange("cobol", skills[0]) if skills else SkillChange("cobol", "Python")
    client.cookies.set(PROFILE_FLASH, write_changes([lie]))
    page = _text(client.get("/me/profile").text)
    assert "Saved your profile." in page and "cobol" not in page


def test_a_job_and_my_public_profile_lead_to_my_pages(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    client = browser_for(app, cast.tokens["freelancer-own"])
    job = engine.store.jobs.where(status="open")[0]
    page = client.get(f"/jobs/{job.id}").text
    assert f'href="/me/jobs/{job.id}"' in page and f'href="/me/jobs/{job.id}/apply"' in page
    assert "Edit my profile" in client.get(f"/freelancers/{cast.freelancer_id}").text
    other = client.get(f"/freelancers/{cast.other_freelancer_id}").text
    assert "Edit my profile" not in other
    client = browser_for(app, cast.tokens["client-own"])
    assert f'href="/me/jobs/{job.id}/apply"' not in client.get(f"/jobs/{job.id}").text
