"""Decisions from the job page's match cards, posted as plain forms (no JavaScript).

Each decision is stored as an event with the ranking's request id and the candidate's
position, and lands in the labels ``tandem train`` builds; only the job's own client (or an
operator) may decide, and only about a candidate the ranking showed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tandem.learn.runner import load_training_data, training_labels
from tests.api.conftest import browser_for
from tests.conftest import Cast, make_settings

CARD = re.compile(
    r'<form class="decide" method="post" action="/jobs/([^"]+)/decisions">\s*'
    r'<input type="hidden" name="csrf_token" value="([^"]+)">\s*'
    r'<input type="hidden" name="rid" value="([^"]+)">\s*'
    r'<input type="hidden" name="freelancer_id" value="([^"]+)">'
)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, small_bundle: Path) -> Iterator[Engine]:
    """An engine of its own (these tests write events), with the bundle loaded."""
    engine = Engine(make_settings(tmp_path_factory.mktemp("acts-home")), encoder=HashingEncoder())
    engine.import_bundle(small_bundle)
    yield engine
    engine.store.close()


def _decisions(engine: Engine, job_id: str) -> list[str]:
    """Event ids of every decision on a job (imported ones too), impressions and clicks aside."""
    return sorted(
        e.id
        for e in engine.store.events.where(job_id=job_id)
        if e.type not in ("impression", "click")
    )


def _cards(client: TestClient, job_id: str) -> list[tuple[str, str, str, str]]:
    page = client.get(f"/jobs/{job_id}")
    assert page.status_code == 200
    return CARD.findall(page.text)


def _post(  # type: ignore[no-untyped-def]
    client: TestClient, job_id: str, csrf: str, rid: str, fid: str, action: str, confirmed: str = ""
):
    form = {"csrf_token": csrf, "rid": rid, "freelancer_id": fid, "action": action}
    if confirmed:
        form["confirmed"] = confirmed
    return client.post(f"/jobs/{job_id}/decisions", data=form, follow_redirects=False)


def test_decisions_are_events_with_the_request_id_and_become_training_labels(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    client = browser_for(app, cast.tokens["client-own"])
    cards = _cards(client, cast.job_id)
    _, csrf, rid, _ = cards[0]
    # people the market's history has not already graded on this job: their labels are ours
    earlier = training_labels(engine.store, load_training_data(engine.store), None)
    fresh = [c[3] for c in cards if not getattr(earlier.get((cast.job_id, c[3])), "grade", 0)]
    assert len(fresh) >= 3
    picked = {"shortlist": fresh[0], "hire": fresh[1], "decline": fresh[2]}
    position = {c[3]: i for i, c in enumerate(cards, start=1)}
    for action, fid in picked.items():
        answer = _post(client, cast.job_id, csrf, rid, fid, action, "1" if action == "hire" else "")
        assert answer.status_code == 303, answer.text
        assert answer.headers["location"] == f"/jobs/{cast.job_id}#m-{fid}"
    again = _post(client, cast.job_id, csrf, rid, picked["shortlist"], "shortlist")
    assert again.status_code == 303  # the same decision twice is one event

    back = client.get(f"/jobs/{cast.job_id}").text  # the flash names the last decision once
    name = engine.store.freelancers.get(picked["shortlist"]).name
    assert f"Shortlisted {name}." in back
    assert "Shortlisted" not in client.get(f"/jobs/{cast.job_id}").text
    hired_card = re.search(rf'id="m-{picked["hire"]}".*?<form class="decide"', back, re.DOTALL)
    assert hired_card is not None and '<span class="pill hire">hire</span>' in hired_card.group()

    for action, fid in picked.items():
        found = engine.store.events.where(job_id=cast.job_id, type=action, freelancer_id=fid)
        stored = [e for e in found if e.request_id == rid]  # the market may hold older ones
        assert len(stored) == 1
        event = stored[0]
        assert (event.request_id, event.position) == (rid, position[fid])
        assert (event.actor, event.surface) == ("client", "match")
    decision = engine.store.decisions.get(rid)
    assert decision.kind == "match" and decision.subject == cast.job_id

    labels = training_labels(engine.store, load_training_data(engine.store), None)
    grades = {fid: labels[(cast.job_id, fid)].grade for fid in picked.values()}
    assert grades == {picked["shortlist"]: 1, picked["hire"]: 3, picked["decline"]: 0}


def test_viewing_the_job_page_writes_no_outcome_and_no_label(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    client = browser_for(app, cast.tokens["operator"])
    job = next(
        j for j in engine.store.jobs.iter_all() if j.id != cast.job_id and j.status == "open"
    )
    before = _decisions(engine, job.id)
    labels_before = training_labels(engine.store, load_training_data(engine.store), None)
    assert _cards(client, job.id)  # an operator may decide on any job: the buttons are there
    assert _cards(client, job.id)
    assert _decisions(engine, job.id) == before
    assert engine.store.events.where(job_id=job.id, type="impression")  # views were recorded
    labels_after = training_labels(engine.store, load_training_data(engine.store), None)
    assert labels_after == labels_before  # ... and wrote no training label


@pytest.mark.parametrize(
    ("who", "status"), [("client-other", 403), ("freelancer-own", 403), ("auditor", 403)]
)
def test_only_the_jobs_client_may_decide(
    app: FastAPI, engine: Engine, cast: Cast, who: str, status: int
) -> None:
    owner = browser_for(app, cast.tokens["client-own"])
    _, _, rid, fid = _cards(owner, cast.job_id)[4]
    before = _decisions(engine, cast.job_id)
    other = browser_for(app, cast.tokens[who])
    page = other.get(f"/jobs/{cast.job_id}").text
    assert 'class="decide"' not in page  # no buttons for someone who may not decide
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', page)
    assert csrf is not None
    answer = _post(other, cast.job_id, csrf.group(1), rid, fid, "hire")
    assert answer.status_code == status
    assert "<h1>You don&#39;t have permission</h1>" in answer.text  # the one permission page
    assert "Who can: operators and clients, for their own jobs." in answer.text
    assert _decisions(engine, cast.job_id) == before


def test_a_closed_jobs_page_has_no_buttons_and_refuses_a_decision(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    client = browser_for(app, cast.tokens["client-own"])
    _, csrf, rid, fid = _cards(client, cast.job_id)[6]
    owner = engine.as_user(engine.identify_token(cast.tokens["client-own"]), "api")  # type: ignore[arg-type]
    before = _decisions(engine, cast.job_id)
    owner.set_job_status(cast.job_id, "closed")
    try:
        for tab in ("all", "proposals"):
            page = client.get(f"/jobs/{cast.job_id}?candidates={tab}").text
            assert 'class="decide"' not in page and "no decisions can be recorded" in page
        answer = _post(client, cast.job_id, csrf, rid, fid, "hire")
        assert answer.status_code == 409 and "Not recorded" in answer.text
        assert "takes no decisions" in answer.text
        assert _decisions(engine, cast.job_id) == before
    finally:
        owner.set_job_status(cast.job_id, "open")
    assert _cards(client, cast.job_id)  # reopened: the buttons are back


def test_a_decision_needs_the_csrf_token_a_shown_candidate_and_this_jobs_ranking(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    client = browser_for(app, cast.tokens["client-own"])
    cards = _cards(client, cast.job_id)
    _, csrf, rid, fid = cards[5]
    before = _decisions(engine, cast.job_id)
    assert _post(client, cast.job_id, "", rid, fid, "interview").status_code == 403
    assert _post(client, cast.job_id, csrf, rid, fid, "fire").status_code == 422
    shown = {c[3] for c in cards}
    stranger = next(f.id for f in engine.store.freelancers.iter_all() if f.id not in shown)
    missing = _post(client, cast.job_id, csrf, rid, stranger, "interview")
    assert missing.status_code == 422 and "was not shown" in missing.text
    elsewhere = _post(client, "another-job", csrf, rid, fid, "interview")  # the URL's job rules
    assert elsewhere.status_code == 422 and "is not of job" in elsewhere.text
    assert _post(client, cast.job_id, csrf, "no-such-ranking", fid, "interview").status_code == 404
    assert _decisions(engine, cast.job_id) == before
    signed_out = TestClient(app, raise_server_exceptions=False)
    answer = _post(signed_out, cast.job_id, csrf, rid, fid, "interview")
    assert answer.status_code == 303 and answer.headers["location"].startswith("/signin")


def test_two_candidates_compared_from_the_logged_ranking_on_the_web_and_the_api(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    client = browser_for(app, cast.tokens["client-own"])
    page = client.get(f"/jobs/{cast.job_id}").text
    assert 'action="/jobs/' in page and 'id="cmp-a"' in page and 'for="cmp-b"' in page
    cards = CARD.findall(page)
    rid, first, third = cards[0][2], cards[0][3], cards[2][3]
    shown = client.get(f"/jobs/{cast.job_id}/compare", params={"rid": rid, "a": third, "b": first})
    assert shown.status_code == 200, shown.text
    names = {f: engine.store.freelancers.get(f).name for f in (first, third)}
    assert f"Why {names[first]} is above {names[third]}" in shown.text  # the higher one first
    assert "compare-table" in shown.text

    logged = engine.store.decisions.get(rid)
    api = client.get(f"/api/decisions/{rid}/compare", params={"a": first, "b": third})
    assert api.status_code == 200, api.text
    body = api.json()
    by_id = {r.id: r for r in logged.results}
    assert body["score_gap"] == by_id[first].score - by_id[third].score
    assert abs(sum(g["gap"] for g in body["gaps"]) - body["score_gap"]) < 1e-4
    assert body["summary"].startswith(names[first])

    other = browser_for(app, cast.tokens["client-other"])
    refused = other.get(f"/jobs/{cast.job_id}/compare", params={"rid": rid, "a": first, "b": third})
    assert refused.status_code == 404  # a private record: not even its existence is told
    bad = client.get(f"/jobs/{cast.job_id}/compare", params={"rid": rid, "a": first, "b": first})
    assert bad.status_code == 422 and "two different" in bad.text
    elsewhere = client.get("/jobs/another/compare", params={"rid": rid, "a": first, "b": third})
    assert elsewhere.status_code == 422


def test_hire_asks_for_confirmation_and_records_only_once_confirmed(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    client = browser_for(app, cast.tokens["client-own"])
    cards = _cards(client, cast.job_id)
    _, csrf, rid, fid = cards[7]
    before = _decisions(engine, cast.job_id)
    asked = _post(client, cast.job_id, csrf, rid, fid, "hire")  # the card's button
    assert asked.status_code == 200 and _decisions(engine, cast.job_id) == before
    name = engine.store.freelancers.get(fid).name
    assert f"<h1>Hire {name} for" in asked.text.replace("&#39;", "'")
    assert "The job stays open" in asked.text and "position 8" in asked.text
    form = re.search(r'action="/jobs/[^"]+/decisions".*?</form>', asked.text, re.DOTALL)
    assert form is not None
    fields = dict(re.findall(r'name="([a-z_]+)" value="([^"]*)"', form.group()))
    assert fields == {"csrf_token": csrf, "rid": rid, "freelancer_id": fid, "candidates": "all",
                      "action": "hire", "confirmed": "1"}  # fmt: skip
    assert f'<button type="submit">Hire {name}</button>' in form.group().replace("&#39;", "'")
    assert f'href="/jobs/{cast.job_id}#m-{fid}">Not now' in asked.text
    assert _post(client, cast.job_id, csrf, rid, fid, "hire", "0").status_code == 200
    assert _decisions(engine, cast.job_id) == before  # still nothing
    done = client.post(f"/jobs/{cast.job_id}/decisions", data=fields, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/jobs/{cast.job_id}#m-{fid}"
    hired = engine.store.events.where(job_id=cast.job_id, type="hire", freelancer_id=fid)
    assert [e.request_id for e in hired if e.request_id == rid] == [rid]
    assert engine.store.jobs.get(cast.job_id).status == "open"  # hiring does not close the job


def test_a_profile_opened_from_the_applicants_tab_is_a_click_on_proposals(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    """The web wrote every click as surface "match", the Applicants tab's too."""
    operator = cast.view(engine, "operator")
    job = next(j for j in engine.store.jobs.iter_all() if engine.store.proposals.where(job_id=j.id))
    ranking = operator.serve_match(job.id, top=3, candidates="proposals")
    person = ranking.results[1].freelancer_id
    browser = browser_for(app, cast.tokens["operator"])
    query = {"rid": ranking.request_id, "pos": 2, "job": job.id}
    assert browser.get(f"/freelancers/{person}", params=query).status_code == 200
    clicks = engine.store.events.where(job_id=job.id, type="click")
    mine = [c for c in clicks if c.request_id == ranking.request_id]
    assert [(c.freelancer_id, c.position, c.surface) for c in mine] == [(person, 2, "proposals")]
    made_up = {**query, "pos": 9}  # a position the ranking did not show is no click
    browser.get(f"/freelancers/{ranking.results[0].freelancer_id}", params=made_up)
    assert len(engine.store.events.where(job_id=job.id, type="click")) == len(clicks)


def test_message_and_invite_say_they_are_recorded_not_sent(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    """A trial read "Invited Freelancer 304." as an invitation sent; Tandem sends nothing."""
    client = browser_for(app, cast.tokens["client-own"])
    cards = _cards(client, cast.job_id)
    _, csrf, rid, _ = cards[0]
    for action, card in (("invite", cards[-1]), ("message", cards[-2])):
        assert _post(client, cast.job_id, csrf, rid, card[3], action).status_code == 303
        back = client.get(f"/jobs/{cast.job_id}").text
        name = engine.store.freelancers.get(card[3]).name
        assert f"Invited {name}." not in back and f"Messaged {name}." not in back
        assert f"{name}, for your marketplace to deliver: Tandem itself sends nothing." in back


def test_a_card_does_not_offer_nor_record_a_second_hire(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    client = browser_for(app, cast.tokens["client-own"])
    cards = _cards(client, cast.job_id)
    _, csrf, rid, _ = cards[0]
    hired = {e.freelancer_id for e in engine.store.events.where(job_id=cast.job_id, type="hire")}
    fid = next(c[3] for c in reversed(cards) if c[3] not in hired)
    assert _post(client, cast.job_id, csrf, rid, fid, "hire", "1").status_code == 303
    _, csrf, later, _ = _cards(client, cast.job_id)[0]  # a reload: another ranking
    assert later != rid
    for confirmed in ("", "1"):  # the "Hire NAME?" page, and its button
        again = _post(client, cast.job_id, csrf, later, fid, "hire", confirmed)
        assert again.status_code == 409, again.text
        assert f"{fid!r} is already hired on job {cast.job_id!r}" in html.unescape(again.text)
    hires = engine.store.events.where(job_id=cast.job_id, type="hire", freelancer_id=fid)
    assert len(hires) == 1
