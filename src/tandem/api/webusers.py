"""The users page: operators list users, add one, change a role, disable one, issue tokens.

Operators also revoke API tokens here.

Every change is a POST with the session's CSRF token, answered by a redirect (303) to the
page it came from: ``/users`` after adding a user, the user's own page after the rest (Post/
Redirect/Get: a reload asks nothing again). What changed, or why it did not, comes back once
in a signed flash bound to the session (:mod:`tandem.api.flash`), never in the URL. A new
token's secret is shown once that way, on the page the redirect lands on, and is gone on
reload; only its hash is stored. Disabling a user asks first, on a page that says what it
does. The rules (``users.manage``; nobody takes away the last operator, nor their own
operator access) are the engine's: see :mod:`tandem.engine.operating`; the pages do not
offer an operator the changes it refuses them (their own role, disabling themself).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tandem.access import ROLES, Action
from tandem.api.deps import EngineDep
from tandem.api.flash import clear_flash, read_flash, set_flash
from tandem.api.pages import (
    PageNumber,
    allowed_page,
    refusal,
    render,
    signed_in,
    stored_page,
    to_signin,
)
from tandem.api.webforms import form_user
from tandem.engine import UserView
from tandem.engine.operating import IssuedToken
from tandem.errors import TandemError

router = APIRouter(include_in_schema=False)
Csrf = Annotated[str, Form(max_length=100)]
Id = Annotated[str, Form(max_length=200)]
#: The flash cookie of the users pages (read only under ``/users``).
USERS_FLASH = "tandem_users_flash"
FLASH_PATH = "/users"
#: The anchor of the add-user form: a refused add lands there, its reason beside the form.
ADD_ANCHOR = "add-user"
#: The message after a change, by the flash's ``done``.
DONE = {
    "role": "Role changed. It applies at once, to the user's tokens and signed-in browsers.",
    "revoked": "Token revoked: it no longer works. The user's other tokens still do.",
    "disabled": "User disabled: its tokens and signed-in browsers stopped working.",
}


def _refused(request: Request, exc: TandemError, back: str = "/users") -> Response:
    """The engine's refusal as a page: a permission problem is the one permission page."""
    title = None if exc.status_code in (403, 404) else "Not changed"
    return refusal(request, exc, title=title, back=back, back_label="Back to users")


def _redirect(request: Request, target: str, flash: dict[str, Any]) -> RedirectResponse:
    """303 to ``target``, with ``flash`` for the page there to show once."""
    response = RedirectResponse(target, status_code=303)
    set_flash(request, response, USERS_FLASH, flash, key=request.state.csrf, path=FLASH_PATH)
    return response


def _issued(flash: dict[str, Any], user_id: str) -> dict[str, str] | None:
    """The new token a flash carries for ``user_id`` (``None``: none, or another user's)."""
    token = flash.get("issued")
    if not isinstance(token, dict) or token.get("user_id") != user_id:
        return None
    return {k: str(token.get(k, "")) for k in ("user_id", "name", "token_id", "secret")}


def _token_flash(made_for: str, name: str, issued: IssuedToken) -> dict[str, Any]:
    return {
        "issued": {
            "user_id": made_for, "name": name, "token_id": issued.info.id,
            "secret": issued.secret,
        }
    }  # fmt: skip


def _list(request: Request, user: UserView, page: str) -> Response:
    flash = read_flash(request, USERS_FLASH, key=request.state.csrf)
    users, pager = stored_page(page, user.users_page)
    blank = {"name": "", "role": "client", "client_id": "", "freelancer_id": ""}
    typed = flash.get("form")
    typed = typed if isinstance(typed, dict) else {}
    form = {k: str(typed.get(k, v))[:200] for k, v in blank.items()}
    made = flash.get("issued")
    # Only an added user's token (it carries the name) shows on the list; another is its page's.
    added = str(made.get("user_id", "")) if isinstance(made, dict) and made.get("name") else ""
    response = render(
        request, "users.html", users=users, pager=pager, roles=ROLES,
        error=str(flash.get("error", "")), form=form, issued=_issued(flash, added),
        me=user.who.user_id,
    )  # fmt: skip
    clear_flash(request, response, USERS_FLASH, path=FLASH_PATH)
    return response


def _detail(request: Request, user: UserView, user_id: str) -> Response:
    try:
        detail = user.user_detail(user_id)
    except TandemError as exc:
        return _refused(request, exc)
    flash = read_flash(request, USERS_FLASH, key=request.state.csrf)
    response = render(
        request, "user.html", d=detail, roles=ROLES, issued=_issued(flash, user_id),
        done=DONE.get(str(flash.get("done", "")), ""), error=str(flash.get("error", "")),
        me=user.who.user_id,
    )  # fmt: skip
    clear_flash(request, response, USERS_FLASH, path=FLASH_PATH)
    return response


@router.get("/users", response_class=HTMLResponse)
def users_page(request: Request, engine: EngineDep, page: PageNumber = "1") -> Response:
    """Every user with its role, ``?page=N``, and the form that adds one."""
    user = allowed_page(request, engine, Action.USERS)
    return _list(request, user, page) if isinstance(user, UserView) else user


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
    """Add a user; back to the list, which shows its first API token's secret this once.

    Refused (a name taken, a client user without a client): back to the list's add form,
    the reason beside it and what was typed kept.
    """
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
        return _redirect(request, f"/users#{ADD_ANCHOR}", {"error": str(exc), "form": form})
    return _redirect(request, "/users", _token_flash(made.id, made.name, issued))


@router.get("/users/{user_id}", response_class=HTMLResponse)
def user_page(request: Request, engine: EngineDep, user_id: str) -> Response:
    """One user: its role, its tokens, and the forms that change them."""
    user = signed_in(request, engine)
    if user is None:
        return to_signin(request)
    return _detail(request, user, user_id)


def _back(user_id: str) -> str:
    return f"/users/{quote(user_id, safe='')}"


def _changed(request: Request, user_id: str, change: str, exc: TandemError | None) -> Response:
    """Back to the user's page saying what changed, or why not (a refusal: its own page)."""
    if exc is None:
        return _redirect(request, _back(user_id), {"done": change})
    if exc.status_code in (403, 404):
        return _refused(request, exc, _back(user_id))
    return _redirect(request, _back(user_id), {"error": str(exc)})


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
        return _changed(request, user_id, "role", exc)
    return _changed(request, user_id, "role", None)


@router.post("/users/{user_id}/tokens", response_model=None)
def issue_token(
    request: Request, engine: EngineDep, user_id: str, csrf_token: Csrf = ""
) -> Response:
    """A new API token for the user; its page shows the secret this once."""
    user = form_user(request, engine, csrf_token, _back(user_id))
    if not isinstance(user, UserView):
        return user
    try:
        issued = user.issue_token(user_id)
    except TandemError as exc:
        return _refused(request, exc, _back(user_id))
    return _redirect(request, _back(user_id), _token_flash(user_id, "", issued))


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
        return _changed(request, user_id, "revoked", exc)
    return _changed(request, user_id, "revoked", None)


@router.get("/users/{user_id}/disable", response_class=HTMLResponse)
def disable_page(request: Request, engine: EngineDep, user_id: str) -> Response:
    """What disabling does, and the button that does it (not for the operator themself)."""
    user = signed_in(request, engine)
    if user is None:
        return to_signin(request)
    try:
        detail = user.user_detail(user_id)
    except TandemError as exc:
        return _refused(request, exc)
    return render(request, "user_disable.html", u=detail.user, me=user.who.user_id)


@router.post("/users/{user_id}/disable", response_model=None)
def disable(request: Request, engine: EngineDep, user_id: str, csrf_token: Csrf = "") -> Response:
    """Disable the user: its tokens and sessions stop at once."""
    user = form_user(request, engine, csrf_token, _back(user_id))
    if not isinstance(user, UserView):
        return user
    try:
        user.disable_user(user_id)
    except TandemError as exc:
        return _changed(request, user_id, "disabled", exc)
    return _changed(request, user_id, "disabled", None)
