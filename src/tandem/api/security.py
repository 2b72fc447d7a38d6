"""Security headers on every response, API and web alike.

The Content-Security-Policy allows scripts, styles, images and fetches from this origin
only: no inline script, no inline style attribute, no CDN, and no framing by another site
(``frame-ancestors 'none'``, and ``X-Frame-Options`` for older browsers). The web templates
keep to it (``tests/web/test_templates.py`` checks that none has an inline script).

The API docs pages are the one exception, and only for styles: ReDoc and Swagger UI inject
``<style>`` elements at run time, so ``/docs`` and ``/redoc`` allow inline styles (never
inline scripts), ``data:`` images (Swagger UI's icons) and ``blob:`` workers (ReDoc's search).
ReDoc's bundle also asks for the Redocly logo from its CDN: the policy refuses it, and
ReDoc hides the logo.

Responses also say ``nosniff``, send the path only to this site (``Referrer-Policy``), and
are not stored by caches unless the app said otherwise (API answers hold personal data).
Over https, ``Strict-Transport-Security`` pins the site to https.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_COMMON = (
    "default-src 'self'",
    "script-src 'self'",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
)
#: The policy of every page but the API docs.
APP_CSP = "; ".join((*_COMMON, "style-src 'self'", "img-src 'self'"))
#: The API docs pages' policy: inline styles and blob workers, still no inline script.
DOCS_CSP = "; ".join(
    (
        *_COMMON,
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "worker-src 'self' blob:",
    )
)
DOCS_PATHS = frozenset({"/docs", "/redoc"})
#: Static files may be cached; everything else is ``no-store`` unless the app said otherwise.
CACHEABLE_PREFIXES = ("/static/", "/static-docs/")

HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}
HSTS = "max-age=31536000"


def policy_for(path: str) -> str:
    """The Content-Security-Policy of a path."""
    return DOCS_CSP if path.rstrip("/") in DOCS_PATHS else APP_CSP


class SecurityHeadersMiddleware:
    """Pure ASGI: add the headers to each response as it starts."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; set the headers on the response's start message."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Content-Security-Policy"] = policy_for(path)
                for name, value in HEADERS.items():
                    headers[name] = value
                if scope.get("scheme") == "https":
                    headers["Strict-Transport-Security"] = HSTS
                if "cache-control" not in headers and not path.startswith(CACHEABLE_PREFIXES):
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)
