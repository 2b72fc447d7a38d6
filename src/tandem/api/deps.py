"""Dependency-injection aliases of the API, and who is asking.

A request is someone through an API token (``Authorization: Bearer TOKEN``) or through a
signed-in browser (the session cookie). A browser's state-changing request must also
carry its session's CSRF token (the ``X-CSRF-Token`` header, or a ``csrf_token`` form
field on the web's own forms): a cookie alone is what another site can make a browser send.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Query, Request

from tandem.access import Identity
from tandem.engine import Engine, UserView
from tandem.errors import AuthenticationError, PermissionDeniedError

SESSION_COOKIE = "tandem_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_engine(request: Request) -> Engine:
    """The engine the app was created with."""
    engine: Engine = request.app.state.engine
    return engine


EngineDep = Annotated[Engine, Depends(get_engine)]


def csrf_ok(expected: str, given: str | None) -> bool:
    """Whether a request's CSRF token is its session's (constant time)."""
    return bool(given) and hmac.compare_digest(expected.encode(), (given or "").encode())


def get_identity(request: Request, engine: EngineDep) -> Identity:
    """Who is asking: a bearer token, else a browser session (401 without either)."""
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        who = engine.identify_token(token.strip()) if scheme.lower() == "bearer" else None
        if who is None:
            raise AuthenticationError("the bearer token is not valid (revoked, or never issued)")
        return who
    session = engine.web_session(request.cookies.get(SESSION_COOKIE, ""))
    if session is None:
        raise AuthenticationError("sign in: send Authorization: Bearer TOKEN (tandem users add)")
    if request.method not in SAFE_METHODS and not csrf_ok(
        session.csrf, request.headers.get(CSRF_HEADER)
    ):
        raise PermissionDeniedError(f"a signed-in browser must send its {CSRF_HEADER}")
    return session.identity


IdentityDep = Annotated[Identity, Depends(get_identity)]


def get_user(engine: EngineDep, who: IdentityDep) -> UserView:
    """The engine acting for whoever is asking."""
    return engine.as_user(who, "api")


UserDep = Annotated[UserView, Depends(get_user)]
Offset = Annotated[int, Query(ge=0, le=100_000, description="Results to skip.")]
Limit = Annotated[int, Query(ge=1, le=200, description="Results per page.")]
