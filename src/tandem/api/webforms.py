"""What the operator pages and the job edit page share: a form's signed-in user.

A form that changes something is a POST carrying the session's CSRF token; :func:`form_user`
checks both before any handler acts, and answers a missing sign-in or a forged form itself.
Their lists page with :func:`tandem.api.pages.stored_page`.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from tandem.api.pages import posted_by
from tandem.engine import Engine, UserView


def form_user(request: Request, engine: Engine, csrf_token: str, back: str) -> UserView | Response:
    """The signed-in user acting through the web, or the page that says why not.

    Signed out: to the sign-in page, coming back to ``back``. A form without the session's
    CSRF token (expired, or sent from another site): 403, and nothing is done. The steps are
    :func:`tandem.api.pages.posted_by`'s, titled for a page that changes settings.
    """
    return posted_by(request, engine, csrf_token, back=back, title="Not changed")
