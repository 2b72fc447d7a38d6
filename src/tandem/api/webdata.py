"""Your data: a signed-in freelancer's or client's export and erasure, on the web.

Why a page: "people can see and erase their data" was a promise only the API kept
(``GET /api/me/export``, ``DELETE /api/freelancers/{id}`` with a token); a person using the
web had no way to it. Every rule stays the engine's: the export is :meth:`UserView.export_me`
(the API's document, byte for byte the same content), the erasure is
:meth:`UserView.erase_person` after :meth:`UserView.erasure_plan` (a freelancer erases
themself; a client is erased by an operator, as the engine's table says, and the page says
so). Erasing takes a second, explicit step: the person types ``erase`` in a POSTed form
carrying the session's CSRF token. Afterwards the session ends and a plain page says what was
erased and what remains, in the words ``tandem erase`` uses.
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, Response

from tandem.access import Action
from tandem.api.deps import SESSION_COOKIE, EngineDep
from tandem.api.pages import error_page, posted_by, render, signed_in, to_signin
from tandem.engine import Engine, UserView
from tandem.engine.privacy import ErasureReport
from tandem.errors import TandemError
from tandem.store.privacy import PersonKind

router = APIRouter(include_in_schema=False)
#: What a person types to confirm the erasure (a click alone never erases).
CONFIRM_WORD = "erase"
_UNBOUND = (
    "Your data is a client's or a freelancer's own. Sign in as a user bound to one "
    "(tandem users add NAME --role freelancer --freelancer-id ID)."
)


def _person(user: UserView) -> tuple[PersonKind, str] | None:
    """The kind and id of the person this user is bound to (``None``: nobody)."""
    if user.who.freelancer_id:
        return "freelancer", user.who.freelancer_id
    if user.who.client_id:
        return "client", user.who.client_id
    return None


def _data_page(
    request: Request,
    user: UserView,
    person: tuple[PersonKind, str],
    status: int = 200,
    error: str = "",
) -> Response:
    kind, person_id = person
    may_erase = user.allowed(Action.PERSON_ERASE, owns=True)
    plan = user.erasure_plan(kind, person_id) if may_erase else None
    return render(
        request,
        "me_data.html",
        status,
        kind=kind,
        person_id=person_id,
        plan=plan,
        error=error,
        confirm_word=CONFIRM_WORD,
    )


@router.get("/me/data", response_class=HTMLResponse)
def your_data(request: Request, engine: EngineDep) -> Response:
    """Your data: download everything stored about you, and erase your account."""
    user = signed_in(request, engine)
    if user is None:
        return to_signin(request)
    person = _person(user)
    if person is None:
        return error_page(request, 403, _UNBOUND)
    return _data_page(request, user, person)


@router.get("/me/data/export", response_model=None)
def download_export(request: Request, engine: EngineDep) -> Response:
    """Everything stored about you as a JSON download (what ``GET /api/me/export`` returns)."""
    user = signed_in(request, engine)
    if user is None:
        return to_signin(request, "/me/data")
    person = _person(user)
    if person is None:
        return error_page(request, 403, _UNBOUND)
    try:
        document = user.export_me()
    except TandemError as exc:
        return error_page(request, exc.status_code, str(exc))
    body = json.dumps(jsonable_encoder(document), ensure_ascii=False, indent=2)  # as the API
    name = f"tandem-{person[0]}-{person[1]}.json".replace('"', "")
    return Response(
        body,
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post("/me/data/erase", response_model=None)
def erase_account(
    request: Request,
    engine: EngineDep,
    confirm: Annotated[str, Form(max_length=100)] = "",
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Erase your account once ``erase`` is typed; the session ends and the page says what went."""
    user = posted_by(request, engine, csrf_token, back="/me/data", title="Not erased")
    if not isinstance(user, UserView):
        return user
    person = _person(user)
    if person is None:
        return error_page(request, 403, _UNBOUND, title="Not erased")
    if confirm.strip().lower() != CONFIRM_WORD:
        said = f"Nothing was erased: type {CONFIRM_WORD} in the box to confirm."
        return _data_page(request, user, person, 422, said)
    kind, person_id = person
    try:
        report = user.erase_person(kind, person_id)
    except TandemError as exc:
        return _data_page(request, user, person, exc.status_code, str(exc))
    return _erased(request, engine, report)


def _erased(request: Request, engine: Engine, report: ErasureReport) -> Response:
    """The plain page after an erasure, with the session ended (its user is gone too)."""
    session_id = request.cookies.get(SESSION_COOKIE, "")
    if session_id:
        engine.close_web_session(session_id)
    for signed in ("identity", "nav", "csrf", "user_name"):  # the layout shows nobody now
        if hasattr(request.state, signed):
            delattr(request.state, signed)
    removed = ", ".join(f"{n} {table}" for table, n in sorted(report.rows.items()) if n)
    response = render(request, "me_erased.html", r=report, removed=removed or "no rows")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
