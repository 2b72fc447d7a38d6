"""A client edits its own job: title, description, skills, budget.

This is the part of :class:`UserView` the job's edit page acts through. The edit is applied
to the stored job and validated by the same model the API's ``PUT /api/jobs/{id}`` validates
(:class:`tandem.domain.Job`), then saved through :meth:`UserView.save_job`, so the rule is
the API's too: ``job.write``, the job's own client (or an operator). Saving re-indexes the
job, so the next view of its matches ranks against what it now says. Typed skills are saved
under the taxonomy's names by the profile form's rule (:mod:`tandem.skills.typed`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tandem.access import Action, Identity, decide
from tandem.access.rules import allowed
from tandem.domain import Job
from tandem.errors import PermissionDeniedError, in_words
from tandem.skills.typed import normalise_typed

if TYPE_CHECKING:
    from tandem.engine.facade import Engine


@dataclass(frozen=True)
class BudgetEdit:
    """A budget as a form gives it: type (``fixed``/``hourly``), bounds and currency."""

    type: str
    min: float | None = None
    max: float | None = None
    currency: str = "USD"


@dataclass(frozen=True)
class JobEdit:
    """The fields a client edits on its job (``None``: leave as stored).

    ``budget`` set to a :class:`BudgetEdit` replaces the budget; ``clear_budget`` removes it.
    """

    title: str | None = None
    description: str | None = None
    skills: list[str] | None = None
    budget: BudgetEdit | None = None
    clear_budget: bool = False


class JobEditActs:
    """A job's edits (mixed into :class:`UserView`; see the module docstring)."""

    engine: Engine
    who: Identity
    #: :meth:`UserView.save_job`: the rules every face that writes a job shares.
    save_job: Callable[..., Job]

    def lists_own_jobs(self) -> bool:
        """Whether this user has jobs of its own to list: a user bound to a client.

        An operator writes any job but owns none (every job is on ``/jobs``); auditors and
        freelancers post none.
        """
        return bool(self.who.client_id) and allowed(self.who, Action.JOB_WRITE, owns=True)

    def own_jobs_page(self, offset: int, limit: int) -> tuple[list[Job], int]:
        """The jobs of the client this user acts for, open and closed, newest first.

        Its own posts, so seen whole (contact details in a description included); the
        total counts every one of them. Refused (403) for a user bound to no client.
        """
        if not self.lists_own_jobs():
            raise PermissionDeniedError(
                "Only a client's users have jobs of their own to list. "
                "Every open job is on the Jobs page."
            )
        client = self.who.client_id
        return self.engine.store.jobs.page(offset, limit, newest_first=True, client_id=client)

    def edit_job(self, job_id: str, edit: JobEdit) -> Job:
        """Change some fields of a job the identity may write, and save it (re-indexed).

        Refused (403) unless it is the client's own job (or an operator's edit); a value the
        job's rules refuse is a validation error that names the field.
        """
        stored = self.engine.store.jobs.get(job_id)
        owns = self.who.owns_client(stored.client_id)
        decide(self.who, Action.JOB_WRITE, owns=owns, what=f"job {job_id!r}")
        update: dict[str, object] = {}
        if edit.title is not None:
            update["title"] = " ".join(edit.title.split())
        if edit.description is not None:
            update["description"] = edit.description.strip()
        if edit.skills is not None:
            update["skills"] = normalise_typed(self.engine.normaliser, edit.skills).skills
        if edit.clear_budget:
            update["budget"] = None
        elif edit.budget is not None:
            update["budget"] = vars(edit.budget)
        with in_words("job"):
            edited = stored.with_edits(update)
        return self.save_job(edited)
