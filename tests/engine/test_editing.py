"""A client edits its own job through the engine: the API's rule and validation, re-ranked."""

from __future__ import annotations

import pydantic
import pytest

from tandem.domain import Job
from tandem.domain.fields import STORED
from tandem.engine import Engine
from tandem.engine.editing import BudgetEdit, JobEdit
from tandem.errors import PermissionDeniedError, ValidationError
from tests.conftest import Cast


def test_the_owner_edits_and_the_next_view_ranks_against_the_new_text(
    engine: Engine, cast: Cast
) -> None:
    client = cast.view(engine, "client-own", "web")
    before = [r.freelancer_id for r in client.serve_match(cast.job_id, top=10).results]
    stored = engine.store.jobs.get(cast.job_id)
    wanted = "Pastry chef" if "Python" in stored.skills else "Python"
    edit = JobEdit(
        title="  Backend   developer for a payments API ",
        description="We need someone to build our payments service.",
        skills=[wanted, " ", wanted.lower(), "SQL"],
        budget=BudgetEdit("hourly", 40, 60, "eur"),
    )
    saved = client.edit_job(cast.job_id, edit)
    assert saved.title == "Backend developer for a payments API"
    assert saved.skills == [wanted, "SQL"]  # blanks dropped, each once
    assert saved.budget is not None and (saved.budget.type, saved.budget.max) == ("hourly", 60)
    assert saved.budget.currency == "EUR"
    assert saved.client_id == stored.client_id and saved.created_at == stored.created_at
    after = [r.freelancer_id for r in client.serve_match(cast.job_id, top=10).results]
    assert after != before
    cleared = client.edit_job(cast.job_id, JobEdit(clear_budget=True))
    assert cleared.budget is None and cleared.title == saved.title  # the rest kept


@pytest.mark.parametrize("who", ["client-other", "freelancer-own", "auditor"])
def test_only_the_jobs_client_or_an_operator_edits_it(engine: Engine, cast: Cast, who: str) -> None:
    user = cast.view(engine, who, "web")
    with pytest.raises(PermissionDeniedError):
        user.edit_job(cast.job_id, JobEdit(title="Mine now"))
    assert engine.store.jobs.get(cast.job_id).title != "Mine now"
    operator = cast.view(engine, "operator", "web")
    assert operator.edit_job(cast.job_id, JobEdit(title="Edited by an operator")).title


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (JobEdit(title="   "), "title"),
        (JobEdit(budget=BudgetEdit("fixed", 500, 100)), "budget"),
        (JobEdit(budget=BudgetEdit("weekly", 1, 2)), "budget.type"),
        (JobEdit(budget=BudgetEdit("fixed", -5)), "budget.min"),
    ],
)
def test_a_refused_value_names_its_field_and_nothing_is_saved(
    engine: Engine, cast: Cast, edit: JobEdit, field: str
) -> None:
    before = engine.store.jobs.get(cast.job_id)
    with pytest.raises(ValidationError, match=f"^{field}"):
        cast.view(engine, "client-own", "web").edit_job(cast.job_id, edit)
    assert engine.store.jobs.get(cast.job_id) == before


def test_typed_skills_are_saved_under_the_taxonomy_names_as_on_a_profile(
    engine: Engine, cast: Cast
) -> None:
    client = cast.view(engine, "client-own", "web")
    typed = ["js", "pyhton", " Javascript ", "Underwater basket weaving"]
    saved = client.edit_job(cast.job_id, JobEdit(skills=typed))
    # The profile form's rule, not a second one: the same names, in the same order.
    assert saved.skills == engine.normaliser.normalise(typed)
    assert saved.skills == ["JavaScript", "Python", "Underwater basket weaving"]


def test_own_jobs_are_the_clients_newest_first_and_only_for_a_client(
    engine: Engine, cast: Cast
) -> None:
    client = cast.view(engine, "client-own", "web")
    jobs, total = client.own_jobs_page(0, 500)
    stored = engine.store.jobs.where(client_id=cast.client_id)
    assert total == len(stored) == len(jobs) and {j.client_id for j in jobs} == {cast.client_id}
    assert [j.created_at for j in jobs] == sorted((j.created_at for j in jobs), reverse=True)
    assert client.lists_own_jobs()
    for who in ("operator", "auditor", "freelancer-own"):
        user = cast.view(engine, who, "web")
        assert not user.lists_own_jobs()
        with pytest.raises(PermissionDeniedError):
            user.own_jobs_page(0, 20)
    with pytest.raises(ValueError, match="no created_at"):
        engine.store.freelancers.page(0, 1, newest_first=True)


def test_a_job_stored_before_the_id_rule_stays_editable_by_its_client(
    engine: Engine, cast: Cast
) -> None:
    # An id with a control character is refused as new input, but this row was stored first.
    row = engine.store.jobs.get(cast.job_id).to_json_dict() | {"id": "job-\x07legacy"}
    with pytest.raises(pydantic.ValidationError, match="control or invisible character"):
        Job.model_validate(row)
    engine.store.jobs.save(Job.model_validate(row, context=STORED))
    client = cast.view(engine, "client-own", "web")
    saved = client.edit_job("job-\x07legacy", JobEdit(title="Legacy post, edited"))
    assert (saved.id, saved.title) == ("job-\x07legacy", "Legacy post, edited")
    assert engine.store.jobs.get("job-\x07legacy").title == "Legacy post, edited"
    with pytest.raises(ValidationError, match="^title"):  # the change is still new input
        client.edit_job("job-\x07legacy", JobEdit(title="x" * 400))
