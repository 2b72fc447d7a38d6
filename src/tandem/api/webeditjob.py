"""A client edits its own job (title, description, skills, budget) from the job page.

The form is applied through the engine (:mod:`tandem.engine.editing`): the same rule as the
API's ``PUT /api/jobs/{id}`` (``job.write``: the job's client, or an operator) and the same
validation (the job's model). A refused value comes back on the form with what was typed and
the reason; a saved edit goes back to the job page, whose matches are then ranked against
the job as it now reads, with a message saying so.
"""

from __future__ import annotations

from typing import Annotated, Literal, NamedTuple
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tandem.access import Action
from tandem.api.deps import EngineDep
from tandem.api.pages import forbidden, refusal
from tandem.api.web import _render, _signin, _user
from tandem.api.webforms import form_user
from tandem.domain import Job
from tandem.engine import UserView
from tandem.engine.editing import BudgetEdit, JobEdit
from tandem.errors import NotFoundError, TandemError, ValidationError

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form(max_length=200)]


def _form_of(job: Job) -> dict[str, str]:
    budget = job.budget
    return {
        "title": job.title,
        "description": job.description,
        "skills": ", ".join(job.skills),
        "budget_type": budget.type if budget else "",
        "budget_min": "" if budget is None or budget.min is None else f"{budget.min:g}",
        "budget_max": "" if budget is None or budget.max is None else f"{budget.max:g}",
        "currency": budget.currency if budget else "USD",
    }


def _amount(value: str, label: str) -> float | None:
    text = value.strip().replace(",", "")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise ValidationError(f"{label}: write a number, like 500") from None


#: The budget's fields as the domain names them, and as the form labels them.
BUDGET_LABELS = {"budget.min": "From", "budget.max": "To", "budget.currency": "Currency"}


class FormProblem(NamedTuple):
    """Why a save was refused, and which part of the form it is about ("" for the form)."""

    field: Literal["budget", ""]
    message: str


def _problem(exc: TandemError) -> FormProblem:
    """A refusal in the form's words: a budget's problem names From / To, beside them."""
    text = str(exc)
    if not text.startswith("budget"):
        return FormProblem("", text)
    for name, label in BUDGET_LABELS.items():
        if text.startswith(f"{name}:"):
            return FormProblem("budget", label + text.removeprefix(name))
    return FormProblem("budget", text.removeprefix("budget:").strip())


def _edit_of(form: dict[str, str]) -> JobEdit:
    """The form as an edit (a budget type of "" removes the budget).

    From above To is said with the form's labels and the numbers typed ("From (50) is above
    To (20)"), before the job's own rule would say it as ``budget min 50.0 is above max``.
    """
    kind = form["budget_type"]
    budget = None
    if kind:
        low = _amount(form["budget_min"], "budget: From")
        high = _amount(form["budget_max"], "budget: To")
        if low is not None and high is not None and low > high:
            raise ValidationError(
                f"budget: From ({low:g}) is above To ({high:g}); From is the least you would pay"
            )
        budget = BudgetEdit(kind, low, high, form["currency"].strip().upper() or "USD")
    return JobEdit(
        title=form["title"],
        description=form["description"],
        skills=form["skills"].split(","),
        budget=budget,
        clear_budget=not kind,
    )


@router.get("/jobs/{job_id}/edit", response_class=HTMLResponse)
def edit_page(request: Request, engine: EngineDep, job_id: str) -> Response:
    """The job's fields in a form (for its client, or an operator)."""
    user = _user(request, engine)
    if user is None:
        return _signin(request)
    back = f"/jobs/{quote(job_id, safe='')}"
    try:
        job = user.job(job_id)
    except NotFoundError as exc:
        return _render(request, "error.html", 404, message=str(exc))
    if not user.allowed(Action.JOB_WRITE, owns=user.who.owns_client(job.client_id)):
        return forbidden(request, user, Action.JOB_WRITE, back=back, back_label="Back to the job")
    return _render(request, "edit_job.html", job=job, form=_form_of(job), error="")


@router.post("/jobs/{job_id}/edit", response_model=None)
def save(
    request: Request,
    engine: EngineDep,
    job_id: str,
    title: Text = "",
    description: Annotated[str, Form(max_length=20000)] = "",
    skills: Annotated[str, Form(max_length=5000)] = "",
    budget_type: Annotated[str, Form(max_length=10)] = "",
    budget_min: Annotated[str, Form(max_length=30)] = "",
    budget_max: Annotated[str, Form(max_length=30)] = "",
    currency: Annotated[str, Form(max_length=10)] = "USD",
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Save the edit through the engine; back to the job page, or the form with the reason."""
    back = f"/jobs/{quote(job_id, safe='')}"
    user = form_user(request, engine, csrf_token, f"{back}/edit")
    if not isinstance(user, UserView):
        return user
    form = {
        "title": title,
        "description": description,
        "skills": skills,
        "budget_type": budget_type,
        "budget_min": budget_min,
        "budget_max": budget_max,
        "currency": currency,
    }
    try:
        user.edit_job(job_id, _edit_of(form))
    except TandemError as exc:
        if exc.status_code in (403, 404):
            return refusal(request, exc, title="Not changed", back=back)
        job = user.job(job_id)
        problem = _problem(exc)
        return _render(
            request,
            "edit_job.html",
            exc.status_code,
            job=job,
            form=form,
            error=problem.message,
            error_field=problem.field,
        )
    return RedirectResponse(f"{back}?edited=1", status_code=303)
