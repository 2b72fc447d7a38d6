"""Per-token rate limits: a token bucket per caller, in this process's memory.

Who a caller is, for counting: a valid bearer token (its SHA-256, never the token itself),
else a live browser session, else the client address. Credentials are checked before they
name a bucket (one indexed lookup): a made-up token counts against its sender's address, so
rotating invented tokens does not buy a fresh allowance each time.

Each bucket holds ``burst`` requests and refills at ``per_minute / 60`` a second; a request
that finds it empty answers 429 with ``Retry-After`` (whole seconds) and a problem+json body.
The buckets live in the process: with N server processes a caller may make N times the rate,
and a restart forgets them. Only the most recently seen :data:`MAX_CALLERS` callers are
remembered, so a flood of made-up tokens cannot grow memory without bound.

Static files and ``/api/health`` (load balancers poll it) are not counted.

The credential check runs here, outside the app's error handlers: a store that cannot answer
it (a 503, :class:`~tandem.errors.StoreBusyError`) is answered as the app would answer it,
a problem response with the error's status, never the catch-all 500.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from tandem.api.deps import SESSION_COOKIE
from tandem.api.errors import problem
from tandem.errors import TandemError

#: How many callers' buckets are kept (least recently seen forgotten first).
MAX_CALLERS = 10_000
#: Paths never counted: cheap, and polled by machines.
EXEMPT_PREFIXES = ("/static/", "/static-docs/", "/api/health")


@dataclass
class _Bucket:
    tokens: float
    at: float


class RateLimiter:
    """Token buckets keyed by caller; ``take`` answers how long to wait (0: go ahead)."""

    def __init__(
        self, per_minute: int, burst: int, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if per_minute <= 0 or burst <= 0:
            raise ValueError("a rate limit needs per_minute > 0 and burst > 0 (0 means: none)")
        self.rate = per_minute / 60.0
        self.burst = burst
        self._clock = clock
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def take(self, key: str) -> float:
        """Spend one request of ``key``'s bucket; 0.0 if allowed, else seconds to wait."""
        now = self._clock()
        bucket = self._buckets.pop(key, None) or _Bucket(float(self.burst), now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) * self.rate)
        bucket.at = now
        self._buckets[key] = bucket  # most recently seen last
        if len(self._buckets) > MAX_CALLERS:
            self._buckets.popitem(last=False)
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / self.rate


#: Whether a credential is live: ``known("token", secret)`` / ``known("session", cookie)``.
Known = Callable[[str, str], bool]


def caller_key(scope: Scope, known: Known | None = None) -> str:
    """Whom a request counts against: its valid token, else its live session, else its address."""
    headers = Headers(scope=scope)
    scheme, _, token = headers.get("authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() == "bearer" and token and (known is None or known("token", token)):
        return "token:" + hashlib.sha256(token.encode()).hexdigest()
    for part in headers.get("cookie", "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == SESSION_COOKIE and value and (known is None or known("session", value)):
            return "session:" + hashlib.sha256(value.encode()).hexdigest()
    client = scope.get("client")
    return "address:" + (client[0] if client else "unknown")


class RateLimitMiddleware:
    """Pure ASGI: 429 with ``Retry-After`` once a caller's bucket is empty."""

    def __init__(
        self, app: ASGIApp, limiter: RateLimiter, per_minute: int, known: Known | None = None
    ) -> None:
        self.app = app
        self.limiter = limiter
        self.per_minute = per_minute
        self.known = known

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Count the request against its caller, or refuse it before the app sees it."""
        if scope["type"] != "http" or scope["path"].startswith(EXEMPT_PREFIXES):
            await self.app(scope, receive, send)
            return
        try:
            key = await run_in_threadpool(caller_key, scope, self.known)  # a store lookup
        except TandemError as exc:
            await problem(exc.status_code, exc.title, str(exc))(scope, receive, send)
            return
        wait = self.limiter.take(key)
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        seconds = max(1, math.ceil(wait))
        detail = (
            f"more than {self.per_minute} requests a minute (bursts of {self.limiter.burst}) "
            f"from this caller; retry in {seconds} s"
        )
        response = problem(429, "Too many requests", detail, retry_after=seconds)
        response.headers["Retry-After"] = str(seconds)
        await response(scope, receive, send)
