"""Access log lines without query strings: people type names and skills into search URLs.

Uvicorn's access log writes each request line as it arrived, ``GET /api/search/talent?q=...``,
so a server log would keep every name anyone searched for, out of reach of an erasure (and
of retention). This filter cuts the query string from the logged path before any handler
formats it; the path, method, status and client address stay, which is what operating the
server needs. Path segments can hold record ids (``/api/freelancers/f000123``): those are
ids, not what a person typed, and rotating logs is the operator's (see docs/decision-log.md).
"""

from __future__ import annotations

import logging

#: The logger uvicorn writes request lines to.
ACCESS_LOGGER = "uvicorn.access"


def without_query(path: str) -> str:
    """``path`` without its query string (marked ``?[redacted]`` when there was one)."""
    head, mark, _ = path.partition("?")
    return head + ("?[redacted]" if mark else "")


class DropQueryString(logging.Filter):
    """Rewrites an access-log record's path (its third argument) without the query string."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep every record; cut the path of an access-log line."""
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], without_query(args[2]), *args[3:])
        return True


def install() -> None:
    """Attach the filter to uvicorn's access logger, once (it survives uvicorn's dictConfig)."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, DropQueryString) for f in logger.filters):
        logger.addFilter(DropQueryString())
