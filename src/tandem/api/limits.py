"""Request size limits, enforced before a request body is read into memory.

A body is refused with 413 as soon as it is known to be too big: up front when its
``Content-Length`` says so (the app is never called and nothing is read), else while it
streams in, by counting the bytes of each chunk (a chunked upload has no length). A query
string longer than :data:`MAX_QUERY_BYTES` is refused with 414 before routing. Both answer
with the app's problem+json body, except that a body sent by a web page's form (any path
outside ``/api``, such as the imports page's upload) gets the HTML error page in plain
words, with the limit in MB: a person pressed that button, not a program.

Bundle uploads (``/api/imports``, and the web page's ``/imports``) get their own, larger
limit; every other path gets ``max_body_bytes``. The limits are settings (``TANDEM_MAX_BODY_BYTES``,
``TANDEM_MAX_UPLOAD_BYTES``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tandem.api.errors import PROBLEM, problem
from tandem.settings import Settings

#: Longest query string accepted (bytes); every query parameter has a smaller cap of its own.
MAX_QUERY_BYTES = 8192
#: Paths that take bundle uploads, and so the larger limit.
UPLOAD_PATHS = frozenset({"/api/imports", "/imports"})


class _BodyTooLarge(HTTPException):
    """Raised from ``receive`` once a streamed body passes its limit.

    An ``HTTPException`` so that FastAPI's body parsing re-raises it as it is (any other
    exception there becomes a 400); the middleware then answers 413 in place of whatever
    the app would have said.
    """

    def __init__(self) -> None:
        super().__init__(status_code=413, detail="Content Too Large")


@dataclass(frozen=True)
class BodyLimits:
    """Largest request body per kind of path, in bytes."""

    body: int
    upload: int

    def for_path(self, path: str) -> int:
        """The limit that applies to a request path."""
        return self.upload if path.rstrip("/") in UPLOAD_PATHS else self.body


def _mib(n: int) -> str:
    return f"{n / 1_048_576:g} MiB" if n >= 1_048_576 else f"{n} bytes"


def too_large_detail(limit: int) -> str:
    """What a 413 says: the limit that applied (operators set it in the settings)."""
    return f"the request body is larger than this endpoint's limit of {_mib(limit)}"


def in_mb(n: int) -> str:
    """A byte count as a person reads a file size: ``50 MB``, ``1.5 MB`` (MB of 2**20 bytes)."""
    mb = n / 1_048_576
    return f"{mb:.1f}".removesuffix(".0") + " MB" if mb >= 0.1 else "less than 0.1 MB"


def _from_a_page(path: str) -> bool:
    """Whether a request is a web page's form (every path outside the JSON API's ``/api``)."""
    return path != "/api" and not path.startswith("/api/")


def too_large_page(request: Request, limit: int) -> Response:
    """The 413 a web form gets: the error page, saying the limit in MB and what to do."""
    from tandem.api.pages import error_page  # the pages import the engine: only when needed

    path = request.url.path
    what = "files" if path.rstrip("/") in UPLOAD_PATHS else "form"
    message = (
        f"What you sent is larger than this server accepts: the limit for these {what} is "
        f"{in_mb(limit)}. Send fewer or smaller files at a time (an operator can raise the "
        "limit with TANDEM_MAX_UPLOAD_BYTES, or TANDEM_MAX_BODY_BYTES for other forms)."
    )
    return error_page(request, 413, message, title="Too large to upload", back=path)


def _content_length(scope: Scope) -> int | None:
    value = Headers(scope=scope).get("content-length")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


class RequestLimitsMiddleware:
    """Pure ASGI: a 413 for a body over its limit, a 414 for an over-long query string."""

    def __init__(self, app: ASGIApp, limits: BodyLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the query and the declared length, then count the body as it streams."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if len(scope.get("query_string", b"")) > MAX_QUERY_BYTES:
            detail = f"the query string is longer than {MAX_QUERY_BYTES} bytes"
            await problem(414, "URI too long", detail)(scope, receive, send)
            return
        limit = self.limits.for_path(scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await self._refuse(scope, receive, send, limit)
            return
        await _Counted(self.app, limit)(scope, receive, send)

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        response: Response
        if _from_a_page(scope["path"]):  # a web form: a page a person reads, not JSON
            response = too_large_page(Request(scope), limit)
        else:
            response = problem(413, "Content too large", too_large_detail(limit), limit_bytes=limit)
        response.headers["Connection"] = "close"  # the unread body is not worth draining
        await response(scope, receive, send)


class _Counted:
    """One request whose body bytes are counted as the app receives them."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit
        self.received = 0
        self.exceeded = False
        self.started = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def counted_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                self.received += len(message.get("body", b""))
                if self.received > self.limit:
                    self.exceeded = True
                    raise _BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            if self.exceeded and not self.started:
                return  # the app's own answer to the aborted read; the 413 goes out below
            if message["type"] == "http.response.start":
                self.started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except _BodyTooLarge:
            if self.started:
                raise
        if self.exceeded and not self.started:
            await RequestLimitsMiddleware._refuse(scope, receive, send, self.limit)


#: The shared problem+json schema that :func:`tandem.api.problems.document_problems` registers.
_PROBLEM_SCHEMA: dict[str, Any] = {"$ref": "#/components/schemas/Problem"}


def limit_responses(settings: Settings) -> dict[int | str, dict[str, Any]]:
    """Responses every operation may give because of the limits, for the OpenAPI schema."""
    limits = BodyLimits(settings.max_body_bytes, settings.max_upload_bytes)
    rate = f"{settings.rate_limit_per_minute} per minute, bursts of {settings.rate_limit_burst}"
    content = {PROBLEM: {"schema": _PROBLEM_SCHEMA}}
    responses: dict[int | str, dict[str, Any]] = {
        413: {
            "description": (
                f"Request body over {_mib(limits.body)} (bundle uploads: "
                f"{_mib(limits.upload)}); nothing of it is kept."
            ),
            "content": content,
        },
        414: {"description": f"Query string over {MAX_QUERY_BYTES} bytes.", "content": content},
    }
    if settings.rate_limit_per_minute > 0:
        responses[429] = {
            "description": f"Rate limit ({rate}) exceeded; retry after the given seconds.",
            "headers": {
                "Retry-After": {
                    "description": "Seconds until a request will be accepted again.",
                    "schema": {"type": "integer"},
                }
            },
            "content": content,
        }
    return responses
