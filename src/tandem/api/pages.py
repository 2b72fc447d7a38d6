"""What every server-rendered page shares: templates, who is signed in, forms, error pages.

One place for the steps each page and each form would otherwise repeat: reading the session
cookie (and the CSRF token a form must carry), acting as that user through the engine, the
navigation the user's role is offered (asked of the engine, never decided in a template),
and error pages that speak plainly: what went wrong in a person's words, titled by what it
is (a permission problem is not "Not found"), with a way back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib import resources
from typing import Annotated, TypeVar
from urllib.parse import quote

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from tandem.access import Action
from tandem.access.rules import refusal_in_words
from tandem.api.deps import SESSION_COOKIE, csrf_ok
from tandem.api.formats import budget_text
from tandem.api.pager import LAST_PAGE, STORED_LAST_PAGE, StoredPager, page_asked, page_link
from tandem.engine import Engine, UserView
from tandem.errors import PermissionDeniedError, TandemError
from tandem.explain import most_telling, points_text

templates = Jinja2Templates(directory=str(resources.files("tandem.web") / "templates"))
templates.env.globals["page_link"] = page_link
templates.env.globals["page_asked"] = page_asked
templates.env.filters["most_telling"] = most_telling
templates.env.filters["budget_text"] = budget_text
templates.env.filters["points"] = points_text  # a contribution, signed (0.000 unsigned)
#: A decision recorded from a match card, read back once by the next job page (a flash).
FLASH_COOKIE = "tandem_flash"
#: An error page's title when the caller gives none, by status.
TITLES = {
    400: "Check what you entered",
    403: "You don't have permission",
    404: "Not found",
    409: "Not possible right now",
    422: "Check what you entered",
}
#: ``?page=N`` as the lists read it (a string: a bad value is page 1, not a 422).
PageNumber = Annotated[str, Query(max_length=10)]
EXPIRED = "This form expired (or came from another page); reload the page and try again."


def page_number(value: str, last: int = LAST_PAGE) -> int:
    """``?page=N`` as a page a list may ask for (a bad or out-of-range value: the nearest).

    ``last`` is the furthest page: a ranking's :data:`LAST_PAGE` by default, a stored list's
    :data:`STORED_LAST_PAGE`. A page past the last one that holds results stays as asked:
    the list says it is past the end, with a link to page 1.
    """
    try:
        return min(max(int(value), 1), last)
    except ValueError:
        return 1


def render(request: Request, name: str, status_code: int = 200, **context: object) -> HTMLResponse:
    """Template ``name`` with ``context`` (the request is always there for the layout)."""
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def nav(user: UserView) -> dict[str, bool]:
    """Which parts of the site this user's role is offered, as the engine's table says."""
    return {
        "post": user.allowed(Action.JOB_WRITE, owns=bool(user.who.client_id)),
        "posts": user.lists_own_jobs(),
        "talent": user.allowed(Action.SEARCH_TALENT),
        "audit": user.allowed(Action.AUDIT_REPORT),
        "log": user.allowed(Action.DECISION_READ),
        "models": user.allowed(Action.MODEL_CARD),
        "imports": user.allowed(Action.IMPORT),
        "users": user.allowed(Action.USERS),
        "me": user.who.role == "freelancer" and bool(user.who.freelancer_id),
    }


def _as_user(request: Request, engine: Engine) -> tuple[UserView, str] | None:
    session = engine.web_session(request.cookies.get(SESSION_COOKIE, ""))
    if session is None:
        return None
    request.state.csrf = session.csrf
    request.state.identity = session.identity
    request.state.user_name = session.name or session.identity.user_id
    user = engine.as_user(session.identity, "web")
    request.state.nav = nav(user)
    return user, session.csrf


def signed_in(request: Request, engine: Engine) -> UserView | None:
    """The signed-in user of this browser, acting through the web (``None``: signed out)."""
    found = _as_user(request, engine)
    return None if found is None else found[0]


def to_signin(request: Request, target: str | None = None) -> RedirectResponse:
    """Sign in first, then come back to ``target`` (default: this page)."""
    if target is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/signin?next={quote(target, safe='')}", status_code=303)


def error_page(
    request: Request,
    status: int,
    message: str,
    *,
    title: str | None = None,
    back: str | None = None,
    back_label: str | None = None,
) -> HTMLResponse:
    """An error page in plain words: the title says what kind of problem it is."""
    return render(
        request,
        "error.html",
        status,
        title=title or TITLES.get(status, "Something went wrong"),
        message=message,
        back=back,
        back_label=back_label,
    )


def refusal(
    request: Request,
    exc: TandemError,
    *,
    title: str | None = None,
    back: str | None = None,
    back_label: str | None = None,
) -> HTMLResponse:
    """The engine's refusal as a page: a permission problem says who can, in words.

    A permission problem is always the one permission page (:func:`forbidden`'s title),
    whatever ``title`` the caller gives for its other failures.
    """
    message = str(exc)
    if isinstance(exc, PermissionDeniedError):  # whatever the action, the problem is permission
        title = TITLES[403]
    return error_page(
        request, exc.status_code, message, title=title, back=back, back_label=back_label
    )


def forbidden(
    request: Request,
    user: UserView,
    action: Action,
    *,
    back: str | None = None,
    back_label: str | None = None,
) -> HTMLResponse:
    """The one permission page: what this person can't do, and who can (``who_may``).

    Every web refusal is this page (or :func:`refusal` of the engine's own refusal, which
    says the same), so a person reads one title and one kind of sentence everywhere.
    """
    return error_page(
        request,
        403,
        refusal_in_words(user.who, action),
        title=TITLES[403],
        back=back,
        back_label=back_label,
    )


def allowed_page(request: Request, engine: Engine, action: Action) -> UserView | Response:
    """The signed-in user who may ``action``, or the page instead (sign in first, or 403).

    For pages only some roles are offered (users, imports). The rule is the engine's table;
    this only asks it, and a refusal is the one permission page (:func:`forbidden`).
    """
    user = signed_in(request, engine)
    if user is None:
        return to_signin(request)
    if not user.allowed(action):
        return forbidden(request, user, action)
    return user


Row = TypeVar("Row")


def stored_page(
    page: str | int, fetch: Callable[[int, int], tuple[Sequence[Row], int]]
) -> tuple[Sequence[Row], StoredPager]:
    """Page ``page`` (``?page=N`` as sent, or a number) of a stored list, and its pager.

    ``fetch(offset, limit)`` is the engine's page method (``users_page``, ``imports_page``),
    which answers the rows and how many there are in all.
    """
    number = page if isinstance(page, int) else page_number(page, STORED_LAST_PAGE)
    probe = StoredPager(number, 0, 0)
    rows, total = fetch(probe.offset, probe.per_page)
    return rows, StoredPager(number, total, len(rows))


def posted_by(
    request: Request, engine: Engine, csrf_token: str, *, back: str, title: str
) -> UserView | Response:
    """The user who sent a form, or the answer instead (sign in first; an expired form).

    Every form's POST starts here: the session cookie says who, and the form's hidden CSRF
    token must be that session's. ``back`` is where the person returns (after signing in,
    or from the error page); ``title`` heads the error page ("Not recorded", "Not saved").
    """
    found = _as_user(request, engine)
    if found is None:
        return to_signin(request, back)
    user, csrf = found
    if not csrf_ok(csrf, csrf_token):
        return error_page(request, 403, EXPIRED, title=title, back=back)
    return user
