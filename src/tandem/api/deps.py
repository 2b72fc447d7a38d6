"""Dependency-injection aliases of the API, and who is asking.

A request is someone through an API token (``Authorization: Bearer TOKEN``) or through a
signed-in browser (the session cookie). A browser's state-changing request must also
carry its session's CSRF token (the ``X-CSRF-Token`` header, or a ``csrf_token`` form
field on the web's own forms): a cookie alone is what another site can make a browser send.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Query, Request, Security
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer

from tandem.access import Identity
from tandem.engine import Engine, UserView
from tandem.engine.types import MAX_TOP
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


# The two ways in, declared so that the OpenAPI document names them (either one will do).
_bearer = HTTPBearer(
    scheme_name="bearerToken",
    auto_error=False,
    description="An API token: `tandem users add NAME --role ROLE`.",
)
_session = APIKeyCookie(
    name=SESSION_COOKIE,
    scheme_name="browserSession",
    auto_error=False,
    description=f"A signed-in browser (/signin); writes also need the {CSRF_HEADER} header.",
)
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)]
SessionCookieDep = Annotated[str | None, Security(_session)]


def get_identity(
    request: Request, engine: EngineDep, bearer: BearerDep, cookie: SessionCookieDep
) -> Identity:
    """Who is asking: a bearer token, else a browser session (401 without either).

    Any ``Authorization`` header is taken as the way in: one that is not a valid bearer
    token is refused, never passed over for the cookie.
    """
    header = request.headers.get("authorization")
    if header:
        if bearer is None:  # Basic, Digest, a bare token, or "Bearer" with nothing after it
            # (never echoed: a header without a scheme is the secret itself)
            raise AuthenticationError(
                "the Authorization header holds no Bearer token: a Bearer token is expected, "
                "as Authorization: Bearer TOKEN (tandem users add), not Basic or another scheme"
            )
        who = engine.identify_token(bearer.credentials.strip())
        if who is None:
            raise AuthenticationError("the bearer token is not valid (revoked, or never issued)")
        return who
    session = engine.web_session(cookie or "")
    if session is None:
        raise AuthenticationError("sign in: send Authorization: Bearer TOKEN (tandem users add)")
    if request.method not in SAFE_METHODS and not csrf_ok(
        session.csrf, request.headers.get(CSRF_HEADER)
    ):
        raise PermissionDeniedError(
            f"A change from a signed-in browser was refused: it came without the page's "
            f"security token ({CSRF_HEADER}). Reload the page and try again."
        )
    return session.identity


IdentityDep = Annotated[Identity, Depends(get_identity)]


def maybe_identity(request: Request, engine: EngineDep) -> Identity | None:
    """Who is asking, on a route open to everyone: ``None`` for no one (never a 401).

    Read from the request itself, not declared as a security scheme: the route stays open
    in the OpenAPI document, and a load balancer without a token is simply no one.
    """
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        return engine.identify_token(token.strip()) if scheme.lower() == "bearer" else None
    session = engine.web_session(request.cookies.get(SESSION_COOKIE, ""))
    return session.identity if session is not None else None


MaybeIdentityDep = Annotated[Identity | None, Depends(maybe_identity)]


def get_user(engine: EngineDep, who: IdentityDep) -> UserView:
    """The engine acting for whoever is asking."""
    return engine.as_user(who, "api")


UserDep = Annotated[UserView, Depends(get_user)]
Offset = Annotated[int, Query(ge=0, le=100_000, description="Results to skip.")]
Limit = Annotated[int, Query(ge=1, le=200, description="Results per page.")]
RankOffset = Annotated[
    int,
    Query(
        ge=0,
        le=MAX_TOP - 1,
        description=f"Results to skip. A ranking is served {MAX_TOP} results deep: "
        f"a page reaching past result {MAX_TOP} is cut short there.",
    ),
]


def ranking_depth(offset: int, limit: int) -> int:
    """How deep to rank for one page: to its end, but never past ``MAX_TOP``."""
    return min(offset + limit, MAX_TOP)
