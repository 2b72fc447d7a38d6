"""Signing in and out of the web UI: server-side sessions, a cookie, CSRF tokens.

A browser signs in with an API token pasted in (or, in demo mode only, with one click as
a demo user). The session lives in the store; the cookie holds only its random id
(HttpOnly, SameSite=Lax, Secure over https). Every state-changing request of a signed-in
browser must carry the session's CSRF token; the sign-in form itself, made before there
is a session, carries a double-submit token (a cookie and a field that must agree).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from tandem.access import Identity, new_token
from tandem.api.deps import SESSION_COOKIE, EngineDep, csrf_ok
from tandem.engine.access import SESSION_TTL

router = APIRouter(include_in_schema=False)
SIGNIN_COOKIE = "tandem_signin"


def _next(target: str) -> str:
    """Only a path on this site (never ``//host`` or a full URL) is followed after sign-in."""
    return target if target.startswith("/") and not target.startswith(("//", "/\\")) else "/"


def _page(
    request: Request, engine: EngineDep, message: str, target: str, status: int
) -> HTMLResponse:
    from tandem.api.pages import templates

    token = new_token()
    demo = engine.demo_sign_ins() if engine.settings.demo else []
    response = templates.TemplateResponse(
        request,
        "signin.html",
        {"message": message, "next": _next(target), "signin_csrf": token, "demo_users": demo},
        status_code=status,
    )
    response.set_cookie(
        SIGNIN_COOKIE, token, max_age=3600, httponly=True, samesite="lax",
        secure=request.url.scheme == "https", path="/signin",
    )  # fmt: skip
    return response


@router.get("/signin", response_class=HTMLResponse)
def signin_page(request: Request, engine: EngineDep, next: str = "/") -> HTMLResponse:
    """The sign-in form (with the demo users' buttons in demo mode only)."""
    return _page(request, engine, "", next, 200)


@router.post("/signin", response_model=None)
def signin(
    request: Request,
    engine: EngineDep,
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    token: Annotated[str, Form(max_length=200)] = "",
    demo_user: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> HTMLResponse | RedirectResponse:
    """Check the form's token and the credentials; set the session cookie."""
    if not csrf_ok(request.cookies.get(SIGNIN_COOKIE, ""), csrf_token):
        return _page(request, engine, "The form expired; please try again.", next, 403)
    who: Identity | None = None
    if demo_user:
        who = engine.demo_identity(demo_user) if engine.settings.demo else None
    elif token:
        who = engine.identify_token(token.strip())
    if who is None:
        return _page(request, engine, "That token is not valid (or was revoked).", next, 401)
    session_id, _ = engine.open_web_session(who)
    response = RedirectResponse(_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE, session_id, max_age=int(SESSION_TTL.total_seconds()), httponly=True,
        samesite="lax", secure=request.url.scheme == "https", path="/",
    )  # fmt: skip
    response.delete_cookie(SIGNIN_COOKIE, path="/signin")
    return response


@router.post("/signout", response_model=None)
def signout(
    request: Request,
    engine: EngineDep,
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> HTMLResponse | RedirectResponse:
    """End this browser's session (its CSRF token must come with the form)."""
    session_id = request.cookies.get(SESSION_COOKIE, "")
    session = engine.web_session(session_id)
    if session is not None:
        if not csrf_ok(session.csrf, csrf_token):
            return _page(request, engine, "Sign-out needs the page's form; try again.", "/", 403)
        engine.close_web_session(session_id)
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
