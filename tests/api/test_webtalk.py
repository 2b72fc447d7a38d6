"""The assistant on a job's pages without JavaScript: plain forms that POST, answered as a page.

A client asks about its job's ranking and an invite waits for Confirm; a freelancer has a
proposal drafted from the fit page and it is sent only by the Confirm button's form.
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
from tests.conftest import Cast, make_settings, sign_in


def _confirm(page: str, action: str) -> tuple[str, str] | None:
    found = re.search(
        rf'<form class="nojs-confirm" method="post" action="{re.escape(action)}/confirm">.*?'
        r'name="session_id" value="([^"]+)">.*?name="confirm" value="([^"]+)">',
        page,
        re.S,
    )
    return None if found is None else (found.group(1), found.group(2))


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, small_bundle: Path) -> Iterator[Engine]:
    """An engine of its own (these tests record invites and send proposals)."""
    engine = Engine(make_settings(tmp_path_factory.mktemp("talk-home")), encoder=HashingEncoder())
    engine.import_bundle(small_bundle)
    yield engine
    engine.store.close()


def _events(engine: Engine, kind: str) -> int:
    return sum(1 for e in engine.store.events.iter_all() if e.type == kind)


def test_the_clients_assistant_answers_a_plain_form_and_only_confirm_invites(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    browser = TestClient(app, raise_server_exceptions=False)
    csrf = sign_in(browser, cast.tokens["client-own"])
    action = f"/jobs/{cast.job_id}/assistant"
    page = browser.get(f"/jobs/{cast.job_id}").text
    assert f'<form class="companion-form" method="post" action="{action}">' in page
    rid = re.search(r'name="request_id" value="([0-9a-f]+)"', page)
    shown = re.findall(r'href="/freelancers/([^"?]+)\?rid=', page)
    assert rid is not None and len(shown) >= 2
    before = _events(engine, "invite")
    form = {"text": "invite the second one", "request_id": rid.group(1), "csrf_token": csrf}
    asked = browser.post(action, data=form)
    assert asked.status_code == 200 and "Waiting for your confirmation" in asked.text
    waiting = _confirm(asked.text, action)
    assert waiting is not None and _events(engine, "invite") == before
    session_id, action_id = waiting
    typed = {"text": "yes", "session_id": session_id, "csrf_token": csrf}
    said = browser.post(action, data=typed)
    assert "press Confirm" in html.unescape(said.text) and _events(engine, "invite") == before
    forged = browser.post(
        f"{action}/confirm", data={"session_id": session_id, "confirm": action_id}
    )
    assert forged.status_code == 403 and _events(engine, "invite") == before  # no CSRF token
    done = browser.post(
        f"{action}/confirm",
        data={"session_id": session_id, "confirm": action_id, "csrf_token": csrf},
    )
    assert done.status_code == 200 and _events(engine, "invite") == before + 1
    assert _confirm(done.text, action) is None and "invite the second one" in done.text
    invited = [e for e in engine.store.events.iter_all() if e.type == "invite"][-1]
    assert invited.freelancer_id == shown[1] and invited.request_id == rid.group(1)


def test_anothers_job_gets_a_refusal_not_an_assistant(app: FastAPI, cast: Cast) -> None:
    browser = TestClient(app, raise_server_exceptions=False)
    csrf = sign_in(browser, cast.tokens["client-other"])
    refused = browser.post(
        f"/jobs/{cast.job_id}/assistant", data={"text": "who fits?", "csrf_token": csrf}
    )
    assert refused.status_code == 403 and "permission" in refused.text


def test_a_freelancer_drafts_a_proposal_without_javascript_and_only_confirm_sends_it(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    browser = TestClient(app, raise_server_exceptions=False)
    csrf = sign_in(browser, cast.tokens["freelancer-own"])
    engaged = engine.engaged_jobs(cast.freelancer_id)  # one proposal a job: one not applied to
    job_id = next(
        j.id for j in engine.store.jobs.iter_all() if j.status == "open" and j.id not in engaged
    )
    action = f"/me/jobs/{job_id}/assistant"
    page = browser.get(f"/me/jobs/{job_id}").text
    assert f'<form class="companion-form" method="post" action="{action}">' in page
    mine = {
        p.id for p in engine.store.proposals.iter_all() if p.freelancer_id == cast.freelancer_id
    }
    drafted = browser.post(
        action, data={"text": "Draft a proposal for this job", "csrf_token": csrf}
    )
    assert drafted.status_code == 200, drafted.text
    waiting = _confirm(drafted.text, action)
    assert waiting is not None, drafted.text
    unsent = {
        p.id for p in engine.store.proposals.iter_all() if p.freelancer_id == cast.freelancer_id
    }
    assert unsent == mine  # a draft is not a proposal
    session_id, action_id = waiting
    sent = browser.post(
        f"{action}/confirm",
        data={"session_id": session_id, "confirm": action_id, "csrf_token": csrf},
    )
    assert sent.status_code == 200 and "Sent: proposal" in sent.text
    now = [p for p in engine.store.proposals.iter_all() if p.freelancer_id == cast.freelancer_id]
    assert {p.job_id for p in now if p.id not in mine} == {job_id}


def test_a_reload_of_my_fit_page_shows_my_earlier_turns_there(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    # After a reload of /me/jobs/<id> the assistant panel started blank: the stored
    # conversation was not shown (only a tab's sessionStorage remembered it).
    browser = TestClient(app, raise_server_exceptions=False)
    csrf = sign_in(browser, cast.tokens["freelancer-own"])
    action = f"/me/jobs/{cast.job_id}/assistant"
    asked = browser.post(
        action, data={"text": "tips please, what should I improve?", "csrf_token": csrf}
    )
    assert asked.status_code == 200, asked.text
    session_id = re.search(r'data-session-id="([^"]+)"', asked.text).group(1)  # type: ignore[union-attr]
    page = browser.get(f"/me/jobs/{cast.job_id}").text
    assert f'data-session-id="{session_id}"' in page
    assert (
        '<li class="msg user"><div class="msg-text">tips please, what should I improve?</div>'
        in page
    )
    other = TestClient(app, raise_server_exceptions=False)
    sign_in(other, cast.tokens["freelancer-other"])
    theirs = other.get(f"/me/jobs/{cast.job_id}").text
    assert "tips please, what should I improve?" not in theirs and session_id not in theirs


def test_a_reload_of_the_clients_job_page_shows_the_earlier_turns_there(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    # The fit page showed the stored conversation after a reload; the client's job page
    # started blank (only a tab's sessionStorage remembered the turns).
    browser = TestClient(app, raise_server_exceptions=False)
    csrf = sign_in(browser, cast.tokens["client-own"])
    asked = browser.post(
        f"/jobs/{cast.job_id}/assistant",
        data={"text": "who fits this job best, and why?", "csrf_token": csrf},
    )
    assert asked.status_code == 200, asked.text
    session_id = re.search(r'data-session-id="([^"]+)"', asked.text).group(1)  # type: ignore[union-attr]
    page = browser.get(f"/jobs/{cast.job_id}").text
    assert f'data-session-id="{session_id}"' in page
    assert f'name="session_id" value="{session_id}"' in page  # the form goes on in it
    assert (
        '<li class="msg user"><div class="msg-text">who fits this job best, and why?</div>' in page
    )
    for someone in ("operator", "freelancer-own"):  # own sessions only, whoever else may look
        other = TestClient(app, raise_server_exceptions=False)
        sign_in(other, cast.tokens[someone])
        theirs = other.get(f"/jobs/{cast.job_id}").text
        assert "who fits this job best, and why?" not in theirs and session_id not in theirs
