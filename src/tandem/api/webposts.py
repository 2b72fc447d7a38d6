"""A client's own jobs ("Your jobs"): every job it posted, open and closed, newest first.

At ``/me/posts``: under ``/me`` because it is the signed-in user's own list, and not
``/me/jobs``, which is a freelancer's "Jobs for me" (jobs recommended to them), nor
``/jobs?mine=1``, which would make the public job search (open jobs, ranked by words) also
a private list with other rules for its counts and its status filter. Operators, who own
no job, read every job on ``/jobs``. Who has such a list is the engine's
(:meth:`tandem.engine.UserView.lists_own_jobs`); reading it writes nothing.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from tandem.api.deps import EngineDep
from tandem.api.pages import PageNumber, refusal, render, signed_in, stored_page, to_signin
from tandem.errors import TandemError

router = APIRouter(include_in_schema=False)


@router.get("/me/posts", response_class=HTMLResponse)
def own_jobs_page(request: Request, engine: EngineDep, page: PageNumber = "1") -> Response:
    """``?page=N`` of the client's own jobs, with true counts and each job's applicants."""
    user = signed_in(request, engine)
    if user is None:
        return to_signin(request)
    try:
        jobs, pager = stored_page(page, user.own_jobs_page)
    except TandemError as exc:
        return refusal(request, exc)
    applicants = {job.id: user.applicant_count(job.id) for job in jobs}
    return render(request, "me_posts.html", jobs=jobs, pager=pager, applicants=applicants)
