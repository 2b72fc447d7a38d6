"""The decision log in the web UI: every served ranking, newest first, and its replay.

Operators read the whole log with the people in it; auditors read it without people (each
result known by its position, no search words, no evidence quoted from profiles: the
engine's :func:`tandem.access.projections.decision_for`); clients and freelancers read the
rankings they were served. Replay answers "would today's model rank this the same?" for one
result (``tandem why``). Every page is a read: nothing here writes anything.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from tandem.access import Action
from tandem.api.deps import EngineDep
from tandem.api.pager import Pager
from tandem.api.pages import PageNumber, page_number, refusal, render, signed_in, to_signin
from tandem.engine import UserView
from tandem.errors import TandemError

router = APIRouter(include_in_schema=False)
#: The kinds of ranking the log holds, as the filter offers them.
KINDS = {
    "match": "Job matches",
    "recommend": "Job recommendations",
    "search_talent": "Talent searches",
    "search_jobs": "Job searches",
}


@router.get("/log", response_class=HTMLResponse)
def log_page(
    request: Request,
    engine: EngineDep,
    kind: Annotated[str, Query(max_length=20)] = "",
    page: PageNumber = "1",
) -> Response:
    """The decision log, newest first, ``?page=N``, optionally one kind of ranking."""
    user = signed_in(request, engine)
    if user is None:
        return to_signin(request)
    number = page_number(page)
    chosen = kind if kind in KINDS else ""
    probe = Pager(number, 0, 0)
    try:
        entries, total = user.decisions_page(probe.offset, probe.per_page, kind=chosen or None)
    except TandemError as exc:
        return refusal(request, exc)
    pager = Pager(number, total, len(entries))
    return render(
        request,
        "log.html",
        entries=entries,
        pager=pager,
        kind=chosen,
        kinds=KINDS,
        link_jobs=_links_jobs(user),
    )


def _links_jobs(user: UserView) -> bool:
    """Whether the log links a job-match entry to its job page.

    Only for a role that may see some job's ranked people there (``job.matches``, on its
    own jobs at least): an auditor, who reads the log without people, gets the job's id and
    no link, so no position in the log can be matched to a name on a job page.
    """
    return user.allowed(Action.JOB_MATCHES, owns=True)


@router.get("/log/{request_id}", response_class=HTMLResponse)
def log_entry_page(request: Request, engine: EngineDep, request_id: str) -> Response:
    """One logged ranking: who was ranked where, with what score and reasons."""
    user = signed_in(request, engine)
    if user is None:
        return to_signin(request)
    try:
        entry = user.decision(request_id)
    except TandemError as exc:
        return refusal(request, exc, back="/log", back_label="Back to the log")
    names: dict[str, str] = {}
    if user.who.role != "auditor":
        for item in entry.results:
            try:
                names[item.id] = str(user.profile(item.id).get("name") or "")
            except TandemError:
                names[item.id] = ""  # erased since: the log keeps the sealed entry
    return render(
        request,
        "log_entry.html",
        entry=entry,
        names=names,
        kinds=KINDS,
        link_jobs=_links_jobs(user),
    )


@router.get("/log/{request_id}/why/{result_id}", response_class=HTMLResponse)
def replay_page(request: Request, engine: EngineDep, request_id: str, result_id: str) -> Response:
    """One result replayed: as logged, and as today's model would rank it."""
    user = signed_in(request, engine)
    if user is None:
        return to_signin(request)
    back = f"/log/{request_id}"
    try:
        replay = user.why(request_id, result_id)
    except TandemError as exc:
        return refusal(request, exc, back=back, back_label="Back to the ranking")
    return render(request, "log_why.html", replay=replay, result_id=result_id, back=back)
