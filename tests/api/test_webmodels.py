"""The models page: operators promote and roll back with a reason kept in the record; auditors
read it (and the ranking cards) without the buttons; clients are refused."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tests.api.conftest import browser_for
from tests.conftest import Cast, make_settings


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, small_bundle: Path) -> Iterator[Engine]:
    engine = Engine(make_settings(tmp_path_factory.mktemp("models-home")), encoder=HashingEncoder())
    engine.import_bundle(small_bundle)
    engine.train(auto_promote=False)
    yield engine
    engine.store.close()


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf-token" content="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def test_an_operator_promotes_and_rolls_back_with_a_reason(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    browser = browser_for(app, cast.tokens["operator"])
    page = browser.get("/models").text
    version = next(m.version for m in engine.models.list() if m.task == "applicants")
    assert f'href="/models/{version}"' in page and 'action="/models/promote"' in page
    csrf = _csrf(page)
    bare = browser.post("/models/promote", data={"version": version, "csrf_token": csrf})
    assert bare.status_code == 422 and "say why" in bare.text
    assert engine.models.serving_version("applicants") is None  # nothing changed
    form = {"version": version, "reason": "holdout beats the heuristic", "csrf_token": csrf}
    done = browser.post("/models/promote", data=form, follow_redirects=False)
    assert done.status_code == 303 and engine.models.serving_version("applicants") == version
    after = browser.get("/models").text
    assert "holdout beats the heuristic" in after and "promote → " + version in after
    form = {"task": "applicants", "reason": "clients report odd orders", "csrf_token": csrf}
    assert browser.post("/models/rollback", data=form).status_code == 200
    assert engine.models.serving_version("applicants") is None
    assert engine.models.changes()[0]["reason"] == "clients report odd orders"
    forged = browser.post("/models/promote", data={"version": version, "reason": "no token"})
    assert forged.status_code == 403 and engine.models.serving_version("applicants") is None


def test_an_auditor_reads_models_and_cards_without_buttons(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    browser = browser_for(app, cast.tokens["auditor"])
    page = browser.get("/models")
    assert page.status_code == 200 and 'action="/models/promote"' not in page.text
    version = engine.models.list()[0].version
    card = browser.get(f"/models/{version}")
    assert card.status_code == 200 and "Protected attributes used as features: no" in card.text
    form = {"version": version, "reason": "auditors may not", "csrf_token": _csrf(page.text)}
    assert browser.post("/models/promote", data=form).status_code == 403
    assert browser.get("/models/not-a-version").status_code == 404


def test_a_client_is_refused_in_plain_words(app: FastAPI, cast: Cast) -> None:
    browser = browser_for(app, cast.tokens["client-own"])
    for url, doing in (("/models", "read the models"), ("/audit", "read the fairness audit")):
        page = browser.get(url)
        assert page.status_code == 403
        title = re.search(r"<h1>(.*?)</h1>", page.text)
        assert title is not None and "permission" in title.group(1)  # not "Not found"
        text = html.unescape(page.text)
        assert f"As a client you can't {doing}" in text
        assert "Who can: operators and auditors" in text
        assert "models.card" not in text and "audit.report" not in text


def test_a_version_that_failed_its_gate_takes_the_tick(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    """As the CLI's --force: refused with the gate's result, served once ticked."""
    from tests.cli.test_models_promote import FAILED, _candidate

    version = _candidate(engine, passed=False)
    browser = browser_for(app, cast.tokens["operator"])
    page = browser.get("/models").text
    assert "serve it although it did not pass its gate" in page
    form = {"version": version, "reason": "an operator's call", "csrf_token": _csrf(page)}
    refused = browser.post("/models/promote", data=form)
    assert refused.status_code == 409 and FAILED in html.unescape(refused.text)
    assert engine.models.serving_version("discovery") != version
    done = browser.post(
        "/models/promote", data={**form, "despite_gate": "yes"}, follow_redirects=False
    )
    assert done.status_code == 303 and engine.models.serving_version("discovery") == version
    engine.models.rollback("discovery")


def test_a_card_says_its_model_predates_an_erasure_on_the_page_and_the_api(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    """Last in this module: the erasure changes every model trained on that person."""
    rows = engine.store.db.fetchall("SELECT person FROM model_data", ())
    trained_on = [str(r[0]).removeprefix("freelancer:") for r in rows if "freelancer:" in r[0]]
    cast_people = (cast.freelancer_id, cast.other_freelancer_id)  # their users stay whole
    engine.erase("freelancer", next(p for p in trained_on if p not in cast_people))
    erased = engine.erased_models()
    assert erased, "the erased person was in some model's training data"
    version, when = next(iter(erased.items()))
    said = f"Predates an erasure ({when:%Y-%m-%d})"
    page = browser_for(app, cast.tokens["auditor"]).get(f"/models/{version}")
    assert page.status_code == 200 and said in html.unescape(page.text)
    api = browser_for(app, cast.tokens["operator"]).get(f"/api/models/{version}/card")
    assert api.status_code == 200 and api.json()["limits"][0].startswith(said)
