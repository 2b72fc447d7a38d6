"""A client edits its own job from the job page: saved through the engine, confirmed, and the
matches re-ranked; a refused value stays on the form with its reason; others are refused."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from tandem.engine import Engine
from tests.api.conftest import signed_in_browser
from tests.conftest import Cast


def _form(csrf: str, **changes: str) -> dict[str, str]:
    return {
        "title": "Data engineer for a logistics warehouse",
        "description": "Build the pipelines that feed our dashboards.",
        "skills": "SQL, Python, , python",
        "budget_type": "fixed",
        "budget_min": "1,000",
        "budget_max": "2500",
        "currency": "usd",
        "csrf_token": csrf,
    } | changes


def test_the_client_edits_its_job_and_reads_a_confirmation(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    browser, csrf = signed_in_browser(app, cast.tokens["client-own"])
    page = browser.get(f"/jobs/{cast.job_id}").text
    assert f'href="/jobs/{cast.job_id}/edit"' in page and "Saved your changes" not in page
    ranked_before = engine.store.decisions.page(0, 1, kind="match")[0][0]
    form = browser.get(f"/jobs/{cast.job_id}/edit").text
    assert engine.store.jobs.get(cast.job_id).title in form
    saved = browser.post(f"/jobs/{cast.job_id}/edit", data=_form(csrf), follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"].endswith("?edited=1")
    shown = browser.get(saved.headers["location"]).text
    assert "Saved your changes to the job" in shown
    assert "Data engineer for a logistics warehouse" in shown
    job = engine.store.jobs.get(cast.job_id)
    assert job.skills == ["SQL", "Python"] and job.budget is not None
    assert (job.budget.min, job.budget.max, job.budget.currency) == (1000, 2500, "USD")
    ranked_after = engine.store.decisions.page(0, 1, kind="match")[0][0]
    assert ranked_after.subject == cast.job_id  # the view after the edit ranked it again
    assert ranked_after.request_id != ranked_before.request_id
    assert [r.id for r in ranked_after.results] != [r.id for r in ranked_before.results]


def test_typed_skills_are_saved_under_the_taxonomy_names(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    browser, csrf = signed_in_browser(app, cast.tokens["client-own"])
    typed = "js, pyhton, Javascript, Underwater basket weaving"
    sent = browser.post(f"/jobs/{cast.job_id}/edit", data=_form(csrf, skills=typed))
    assert sent.status_code == 200
    # The profile form's rule: "js" as JavaScript, a typo fixed, each once, unknown kept.
    skills = engine.store.jobs.get(cast.job_id).skills
    assert skills == ["JavaScript", "Python", "Underwater basket weaving"]
    assert (
        "JavaScript, Python, Underwater basket weaving"
        in browser.get(f"/jobs/{cast.job_id}/edit").text
    )


def test_a_refused_value_stays_on_the_form_with_its_reason(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    browser, csrf = signed_in_browser(app, cast.tokens["client-own"])
    before = engine.store.jobs.get(cast.job_id)
    bad = browser.post(
        f"/jobs/{cast.job_id}/edit", data=_form(csrf, budget_min="900", budget_max="100")
    )
    assert bad.status_code == 422 and 'role="alert"' in bad.text
    assert "Value error" not in bad.text and "above max" not in bad.text  # the form's words
    beside = bad.text.split("<legend>Budget</legend>")[1].split("</fieldset>")[0]
    assert '<p class="error" role="alert" id="budget-error">From (900) is above To (100)' in beside
    assert beside.count('aria-describedby="budget-error"') == 2  # on From and To
    assert 'value="900"' in bad.text
    word = browser.post(f"/jobs/{cast.job_id}/edit", data=_form(csrf, budget_max="lots"))
    assert word.status_code == 422 and "To: write a number" in word.text
    assert 'id="budget-error"' in word.text
    assert engine.store.jobs.get(cast.job_id) == before
    forged = browser.post(f"/jobs/{cast.job_id}/edit", data=_form("", title="Forged"))
    assert forged.status_code == 403 and engine.store.jobs.get(cast.job_id) == before


@pytest.mark.parametrize("who", ["client-other", "freelancer-own", "auditor"])
def test_others_get_no_edit_link_and_are_refused(
    app: FastAPI, engine: Engine, cast: Cast, who: str
) -> None:
    browser, csrf = signed_in_browser(app, cast.tokens[who])
    assert f'href="/jobs/{cast.job_id}/edit"' not in browser.get(f"/jobs/{cast.job_id}").text
    refused = browser.get(f"/jobs/{cast.job_id}/edit")
    who_can = "Who can: operators and clients, for their own jobs."
    assert refused.status_code == 403 and _one_permission_page(refused.text, who_can)
    before = engine.store.jobs.get(cast.job_id)
    sent = browser.post(f"/jobs/{cast.job_id}/edit", data=_form(csrf, title="Not mine"))
    assert sent.status_code == 403 and engine.store.jobs.get(cast.job_id) == before
    assert _one_permission_page(sent.text, who_can)


def _one_permission_page(text: str, who_can: str) -> bool:
    """The one permission page: its title, what this role can't do (or only its own), who can."""
    return (
        "<h1>You don&#39;t have permission</h1>" in text
        and ("you can&#39;t" in text or "only for your own jobs" in text)
        and (who_can in text)
    )
