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
from tandem.api.deps import EngineDep
from tandem.api.pages import posted_by, refusal, render, signed_in, to_signin
from tandem.errors import TandemError

router = APIRouter(include_in_schema=False)
ReasonField = Annotated[str, Form(max_length=500)]
CsrfField = Annotated[str, Form(max_length=100)]


@router.get("/models", response_class=HTMLResponse)
def models_page(request: Request, engine: EngineDep) -> Response:
    """Every model version, what serves each task, and the record of changes."""
    user = signed_in(request, engine)
    if user is None:
        return to_signin(request)
    try:
        overview = user.models_overview()
    except TandemError as exc:
        return refusal(request, exc)
    can_manage = user.allowed(Action.MODELS_MANAGE)
    return render(request, "models.html", o=overview, can_manage=can_manage)


@router.get("/models/{version}", response_class=HTMLResponse)
def card_page(request: Request, engine: EngineDep, version: str) -> Response:
    """One version's ranking card: training, features, metrics, gate, per-group numbers, limits."""
    user = signed_in(request, engine)
    if user is None:
        return to_signin(request)
    try:
        card = user.model_card(version)
    except TandemError as exc:
        return refusal(request, exc, back="/models", back_label="Back to the models")
    return render(request, "model_card.html", card=card)


def _change(
    request: Request, engine: EngineDep, csrf_token: str, act: str, *args: object, **yes: bool
) -> Response:
    user = posted_by(request, engine, csrf_token, back="/models", title="Not changed")
    if isinstance(user, Response):
        return user
    try:
        getattr(user, act)(*args, **yes)
    except TandemError as exc:
        return refusal(
            request, exc, title="Not changed", back="/models", back_label="Back to the models"
        )
    return RedirectResponse("/models", status_code=303)


@router.post("/models/promote", response_model=None)
def promote(
    request: Request,
    engine: EngineDep,
    version: Annotated[str, Form(max_length=200)],
    reason: ReasonField = "",
    despite_erasure: Annotated[str, Form(max_length=10)] = "",
    despite_gate: Annotated[str, Form(max_length=10)] = "",
    csrf_token: CsrfField = "",
) -> Response:
    """Serve ``version`` for its task, with the reason the form gives.

    A version that failed its gate takes the form's tick (``despite_gate``), as the CLI's
    ``--force``.
    """
    return _change(
        request, engine, csrf_token, "promote_model", version, reason,
        despite_erasure=bool(despite_erasure), despite_gate=bool(despite_gate),
    )  # fmt: skip


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
    return _change(
        request, engine, csrf_token, "rollback_model", task, reason,
        despite_erasure=bool(despite_erasure),
    )  # fmt: skip
