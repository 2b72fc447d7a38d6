"""The users page: operators list users, add one, change a role, disable one, issue tokens.

Operators also revoke API tokens here.

A new token's secret is shown once, on the page that answers the form that made it (never in
a link, a cookie or a log), and only its hash is stored. Every change is a POST with the
session's CSRF token, followed by a message that says what changed; disabling a user asks
first, on a page that says what it does. The rules (``users.manage``; nobody takes away the
last operator, nor their own operator access) are the engine's: see
:mod:`tandem.engine.operating`.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tandem.access import ROLES, Action
from tandem.api.deps import EngineDep
from tandem.api.web import PageNumber, _render, _signin, _user
from tandem.api.webforms import StoredPager, form_user, page_number
from tandem.engine import UserView
from tandem.engine.operating import IssuedToken
from tandem.errors import TandemError

router = APIRouter(include_in_schema=False)
Csrf = Annotated[str, Form(max_length=100)]
Id = Annotated[str, Form(max_length=200)]
#: The message after a change, by the ``?done=`` a change redirects with.
DONE = {
    "role": "Role changed. It applies at once, to the user's tokens and signed-in browsers.",
    "revoked": "Token revoked: it no longer works. The user's other tokens still do.",
    "disabled": "User disabled: its tokens and signed-in browsers stopped working.",
}


def _refused(request: Request, exc: TandemError, back: str = "/users") -> Response:
    title = {403: "Not allowed", 404: "Not found"}.get(exc.status_code, "Not changed")
    return _render(
        request,
        "error.html",
        exc.status_code,
        title=title,
        message=str(exc),
        back=back,
        back_label="Back to users",
    )


def _list(
    request: Request,
    user: UserView,
    number: int,
    status: int = 200,
    error: str = "",
    form: dict[str, str] | None = None,
) -> Response:
    probe = StoredPager(number, 0, 0)
    users, total = user.users_page(probe.offset, probe.per_page)
    pager = StoredPager(number, total, len(users))
    form = form or {"name": "", "role": "client", "client_id": "", "freelancer_id": ""}
    return _render(
        request, "users.html", status, users=users, pager=pager, roles=ROLES, error=error, form=form
    )


def _detail(
    request: Request,
    user: UserView,
    user_id: str,
    status: int = 200,
    issued: IssuedToken | None = None,
    done: str = "",
    error: str = "",
    created: bool = False,
) -> Response:
    try:
        detail = user.user_detail(user_id)
    except TandemError as exc:
        return _refused(request, exc)
    return _render(
        request,
        "user.html",
        status,
        d=detail,
        roles=ROLES,
        issued=issued,
        done=DONE.get(done, ""),
        created=created,
        error=error,
        me=user.who.user_id,
    )


@router.get("/users", response_class=HTMLResponse)
def users_page(request: Request, engine: EngineDep, page: PageNumber = "1") -> Response:
    """Every user with its role, ``?page=N``, and the form that adds one."""
    user = _user(request, engine)
    if user is None:
        return _signin(request)
    if not user.allowed(Action.USERS):
        message = "Only operators manage users."
        return _render(request, "error.html", 403, title="Not allowed", message=message)
    return _list(request, user, page_number(page))


@router.post("/users", response_model=None)
def add_user(
    request: Request,
    engine: EngineDep,
    name: Id,
    role: Annotated[str, Form(max_length=20)],
    client_id: Id = "",
    freelancer_id: Id = "",
    csrf_token: Csrf = "",
) -> Response:
    """Add a user; its first API token's secret is shown on the answer, this once."""
    user = form_user(request, engine, csrf_token, "/users")
    if not isinstance(user, UserView):
        return user
    try:
        made, issued = user.create_user(
            name, role, client_id=client_id.strip(), freelancer_id=freelancer_id.strip()
        )
    except TandemError as exc:
        if exc.status_code == 403:
            return _refused(request, exc)
        form = {"name": name, "role": role, "client_id": client_id, "freelancer_id": freelancer_id}
        return _list(request, user, 1, exc.status_code, error=str(exc), form=form)
    return _detail(request, user, made.id, 201, issued=issued, created=True)


@router.get("/users/{user_id}", response_class=HTMLResponse)
def user_page(request: Request, engine: EngineDep, user_id: str) -> Response:
    """One user: its role, its tokens, and the forms that change them."""
    user = _user(request, engine)
    if user is None:
        return _signin(request)
    return _detail(request, user, user_id, done=request.query_params.get("done", ""))


def _back(user_id: str) -> str:
    return f"/users/{quote(user_id, safe='')}"


@router.post("/users/{user_id}/role", response_model=None)
def change_role(
    request: Request,
    engine: EngineDep,
    user_id: str,
    role: Annotated[str, Form(max_length=20)],
    client_id: Id = "",
    freelancer_id: Id = "",
    csrf_token: Csrf = "",
) -> Response:
    """Give the user another role (bound to a client or freelancer when the role needs it)."""
    user = form_user(request, engine, csrf_token, _back(user_id))
    if not isinstance(user, UserView):
        return user
    try:
        user.change_role(
            user_id, role, client_id=client_id.strip(), freelancer_id=freelancer_id.strip()
        )
    except TandemError as exc:
        if exc.status_code in (403, 404):
            return _refused(request, exc)
        return _detail(request, user, user_id, exc.status_code, error=str(exc))
    return RedirectResponse(f"{_back(user_id)}?done=role", status_code=303)


@router.post("/users/{user_id}/tokens", response_model=None)
def issue_token(
    request: Request, engine: EngineDep, user_id: str, csrf_token: Csrf = ""
) -> Response:
    """A new API token for the user; its secret is shown on the answer, this once."""
    user = form_user(request, engine, csrf_token, _back(user_id))
    if not isinstance(user, UserView):
        return user
    try:
        issued = user.issue_token(user_id)
    except TandemError as exc:
        return _refused(request, exc, _back(user_id))
    return _detail(request, user, user_id, 201, issued=issued)


@router.post("/users/{user_id}/tokens/{token_id}/revoke", response_model=None)
def revoke_token(
    request: Request, engine: EngineDep, user_id: str, token_id: str, csrf_token: Csrf = ""
) -> Response:
    """Revoke one of the user's tokens."""
    user = form_user(request, engine, csrf_token, _back(user_id))
    if not isinstance(user, UserView):
        return user
    try:
        user.revoke_token(user_id, token_id)
    except TandemError as exc:
        if exc.status_code in (403, 404):
            return _refused(request, exc, _back(user_id))
        return _detail(request, user, user_id, exc.status_code, error=str(exc))
    return RedirectResponse(f"{_back(user_id)}?done=revoked", status_code=303)


@router.get("/users/{user_id}/disable", response_class=HTMLResponse)
def disable_page(request: Request, engine: EngineDep, user_id: str) -> Response:
    """What disabling does, and the button that does it."""
    user = _user(request, engine)
    if user is None:
        return _signin(request)
    try:
        detail = user.user_detail(user_id)
    except TandemError as exc:
        return _refused(request, exc)
    return _render(request, "user_disable.html", u=detail.user)


@router.post("/users/{user_id}/disable", response_model=None)
def disable(request: Request, engine: EngineDep, user_id: str, csrf_token: Csrf = "") -> Response:
    """Disable the user: its tokens and sessions stop at once."""
    user = form_user(request, engine, csrf_token, _back(user_id))
    if not isinstance(user, UserView):
        return user
    try:
        user.disable_user(user_id)
    except TandemError as exc:
        if exc.status_code in (403, 404):
            return _refused(request, exc, _back(user_id))
        return _detail(request, user, user_id, exc.status_code, error=str(exc))
    return RedirectResponse(f"{_back(user_id)}?done=disabled", status_code=303)
