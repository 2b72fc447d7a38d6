"""HEAD answers like GET, without the body (RFC 9110 section 9.3.2).

FastAPI's routes answer only the methods they declare, so ``curl -I`` and uptime checks got
405 from every page. Rather than declare HEAD on each route, a HEAD request is run as the
GET it asks about and its body is dropped; status and headers (``Content-Length``
included) are the GET's. A path that has no GET still answers 405.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGetMiddleware:
    """Serve ``HEAD`` by running ``GET`` and sending its status and headers only."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Rewrite a HEAD request to GET; swallow the body of its answer."""
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return  # the rest of a streamed body: nothing to send
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)
