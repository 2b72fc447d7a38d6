"""The models page: what serves each task, every version and its card; operators change it.

Every trained version is listed with its gate verdict and ranking card; operators promote and
roll back, with a reason.

Changing the serving model is a person's decision with consequences for everyone ranked, so
it takes a written reason, kept with the change in the registry (who, when, why), and a
version trained on someone since erased needs an explicit tick. Auditors read the same page
without the buttons (and without who changed what: a user id). The rules are the engine's
(``models.card`` to read, ``models.manage`` to change).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tandem.access import Action
from tandem.api.deps import SESSION_COOKIE, EngineDep, csrf_ok
from tandem.api.web import _render, _signin, _user
from tandem.errors import TandemError

router = APIRouter(include_in_schema=False)
ReasonField = Annotated[str, Form(max_length=500)]
CsrfField = Annotated[str, Form(max_length=100)]


@router.get("/models", response_class=HTMLResponse)
def models_page(request: Request, engine: EngineDep) -> Response:
    """Every model version, what serves each task, and the record of changes."""
    user = _user(request, engine)
    if user is None:
        return _signin(request)
    try:
        overview = user.models_overview()
    except TandemError as exc:
        return _render(
            request, "error.html", exc.status_code, title="Not allowed", message=str(exc)
        )
    can_manage = user.allowed(Action.MODELS_MANAGE)
    return _render(request, "models.html", o=overview, can_manage=can_manage)


@router.get("/models/{version}", response_class=HTMLResponse)
def card_page(request: Request, engine: EngineDep, version: str) -> Response:
    """One version's ranking card: training, features, metrics, gate, per-group numbers, limits."""
    user = _user(request, engine)
    if user is None:
        return _signin(request)
    try:
        card = user.model_card(version)
    except TandemError as exc:
        return _render(request, "error.html", exc.status_code, message=str(exc), back="/models")
    return _render(request, "model_card.html", card=card)


def _change(
    request: Request, engine: EngineDep, csrf_token: str, act: str, *args: object
) -> Response:
    session = engine.web_session(request.cookies.get(SESSION_COOKIE, ""))
    if session is None:
        return RedirectResponse("/signin?next=%2Fmodels", status_code=303)
    request.state.csrf, request.state.identity = session.csrf, session.identity
    if not csrf_ok(session.csrf, csrf_token):
        message = "This form expired (or came from another page); reload the models page."
        return _render(
            request, "error.html", 403, title="Not changed", message=message, back="/models"
        )
    user = engine.as_user(session.identity, "web")
    try:
        getattr(user, act)(*args[:-1], despite_erasure=bool(args[-1]))
    except TandemError as exc:
        return _render(
            request,
            "error.html",
            exc.status_code,
            title="Not changed",
            message=str(exc),
            back="/models",
        )
    return RedirectResponse("/models", status_code=303)


@router.post("/models/promote", response_model=None)
def promote(
    request: Request,
    engine: EngineDep,
    version: Annotated[str, Form(max_length=200)],
    reason: ReasonField = "",
    despite_erasure: Annotated[str, Form(max_length=10)] = "",
    csrf_token: CsrfField = "",
) -> Response:
    """Serve ``version`` for its task, with the reason the form gives."""
    return _change(request, engine, csrf_token, "promote_model", version, reason, despite_erasure)


@router.post("/models/rollback", response_model=None)
def rollback(
    request: Request,
    engine: EngineDep,
    task: Annotated[Literal["applicants", "discovery"], Form()],
    reason: ReasonField = "",
    despite_erasure: Annotated[str, Form(max_length=10)] = "",
    csrf_token: CsrfField = "",
) -> Response:
    """Serve ``task``'s previous model again, with the reason the form gives."""
    return _change(request, engine, csrf_token, "rollback_model", task, reason, despite_erasure)
