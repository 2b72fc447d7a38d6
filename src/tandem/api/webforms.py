"""What the operator pages and the job edit page share: a form's signed-in user, and lists.

A form that changes something is a POST carrying the session's CSRF token; :func:`form_user`
checks both before any handler acts, and answers a missing sign-in or a forged form itself.
:class:`StoredPager` pages a list read from the store (users, imports): unlike a ranking,
every row of it can be paged through, so its count is the whole count.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import Response

from tandem.api.pager import Pager
from tandem.api.pages import posted_by
from tandem.engine import Engine, UserView

#: The furthest page a stored list may be asked for (a bad number: the nearest page).
MAX_PAGE = 1_000_000


@dataclass(frozen=True)
class StoredPager(Pager):
    """A page of a stored list: all of it reachable."""

    @property
    def reachable(self) -> int:
        """Every row (a stored list is not a ranking cut at a depth)."""
        return self.total


def page_number(value: str) -> int:
    """``?page=N`` as a page number (a bad value: 1)."""
    try:
        return min(max(int(value), 1), MAX_PAGE)
    except ValueError:
        return 1


def form_user(request: Request, engine: Engine, csrf_token: str, back: str) -> UserView | Response:
    """The signed-in user acting through the web, or the page that says why not.

    Signed out: to the sign-in page, coming back to ``back``. A form without the session's
    CSRF token (expired, or sent from another site): 403, and nothing is done. The steps are
    :func:`tandem.api.pages.posted_by`'s, titled for a page that changes settings.
    """
    return posted_by(request, engine, csrf_token, back=back, title="Not changed")
