"""The one error hierarchy of Tandem.

Deep code raises these; ``tandem.api`` maps them to HTTP problem responses once
and the CLI prints them as one clear line.

::

    TandemError
    ├── ValidationError      bad input from a person or a file      -> 422
    ├── AuthenticationError  no valid token or session              -> 401
    ├── PermissionDeniedError signed in, but not allowed            -> 403
    ├── NotFoundError        an id that is not in the store         -> 404
    ├── ConflictError        a write that contradicts the store     -> 409
    ├── ConfigurationError   settings that cannot work              -> 500 (said plainly)
    ├── IndexNotReadyError   search before anything was indexed     -> 503
    ├── SearchIndexError     a search library failed on its index   -> 503
    ├── BackendUnavailable   an optional library or model missing   -> 503
    ├── StoreError           the database refused a statement       -> 500
    └── StoreBusyError       the database is locked or unreachable  -> 503
        └── StoreUnavailableError  its connection was lost          -> 503
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pydantic


class TandemError(Exception):
    """Base of every error Tandem raises on purpose."""

    status_code = 500
    title = "Tandem error"


class ValidationError(TandemError):
    """Input that does not satisfy the domain rules."""

    status_code = 422
    title = "Invalid input"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        #: The field refused (``"hourly_rate"``, ``"budget.min"``), when one is: a form
        #: words its own fields' problems by it (``None``: the input as a whole).
        self.field = field

    @classmethod
    def first_of(cls, problems: list[Any], whole: str) -> ValidationError:
        """The first of a pydantic error list, in words any face can show.

        ``problems`` is ``pydantic.ValidationError.errors()``; ``whole`` names the record when
        the problem is about all of it. Pydantic's "Value error, " prefix (its name for a
        rule a validator raised) is dropped: "budget: budget min 100.0 is above max 50.0".
        """
        first = problems[0]
        field = ".".join(str(p) for p in first["loc"])
        said = str(first["msg"]).removeprefix("Value error, ")
        return cls(f"{field or whole}: {said}", field=field or None)


@contextmanager
def in_words(whole: str) -> Iterator[None]:
    """Turn a model the rules refuse into :meth:`ValidationError.first_of` (a 422 in words).

    For records built from a person's input (an edit, a posted job): pydantic's own error
    escaping there is a 500 (``PUT /api/jobs/%20``). Records read from the store are not
    wrapped: their failing would be a fault of ours, and must stay one.
    """
    try:
        yield
    except pydantic.ValidationError as exc:
        raise ValidationError.first_of(exc.errors(), whole) from None


class AuthenticationError(TandemError):
    """No valid API token or web session came with the request."""

    status_code = 401
    title = "Not signed in"


class PermissionDeniedError(TandemError):
    """The identity is known but may not do this (see ``tandem.access.rules``).

    The message is for a person, whichever face shows it (CLI line, API ``detail``, web
    page): what was refused, why, and who can. ``action`` keeps the rule's internal name
    (``models.card``) for code and logs, never for people to read.
    """

    status_code = 403
    title = "Forbidden"

    def __init__(self, message: str, *, action: str | None = None) -> None:
        super().__init__(message)
        self.action = action


class NotFoundError(TandemError):
    """A referenced record does not exist."""

    status_code = 404
    title = "Not found"


class ConflictError(TandemError):
    """A write that would contradict what the store already holds."""

    status_code = 409
    title = "Conflict"

    def __init__(self, message: str, *, created: dict[str, str] | None = None) -> None:
        super().__init__(message)
        #: What an earlier, successful try of the same write created (``{"job_id": ...}``),
        #: when that is why this one conflicts: a client retrying after a timeout finds its
        #: result here (the API's problem body carries it as ``created``).
        self.created = created


class ConfigurationError(TandemError):
    """Settings that cannot work (e.g. an unreachable database URL)."""

    status_code = 500
    title = "Configuration error"


class IndexNotReadyError(TandemError):
    """Search was asked for before any index was built."""

    status_code = 503
    title = "Index not ready"


class SearchIndexError(TandemError):
    """A search library (tantivy, hnswlib, faiss, SQLite FTS5) failed on its index.

    A damaged or locked index file, or a vector of the wrong size: raised where the
    library is called (``tandem.search``), with the library's own error as the cause.
    """

    status_code = 503
    title = "Search index unavailable"


class BackendUnavailable(TandemError):
    """An optional backend library or bundled model could not be loaded."""

    status_code = 503
    title = "Backend unavailable"


class StoreBusyError(TandemError):
    """The database is locked by another writer or unreachable for now; retrying may work."""

    status_code = 503
    title = "Store busy"


class StoreUnavailableError(StoreBusyError):
    """The database cannot be reached: its connection was lost, or a new one was refused.

    A restarted or unreachable PostgreSQL, seen by the driver's own connection state
    (psycopg's ``closed``), never by the wording of a message. The lost connection has been
    discarded by then, so the next statement opens a fresh one: retrying is what to do. The
    message names no internals; the driver's error is the cause, for the server log.
    """

    title = "Store unavailable"


class StoreError(TandemError):
    """The database refused a statement for a reason that is not the caller's input."""

    status_code = 500
    title = "Store error"
