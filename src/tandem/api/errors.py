"""Errors mapped to RFC 9457 problem responses, once, for the whole app."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from tandem.errors import ConflictError, TandemError, ValidationError

log = logging.getLogger("tandem.api")
PROBLEM = "application/problem+json"


def problem(status: int, title: str, detail: str, **extra: object) -> JSONResponse:
    """A problem-details JSON response."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def _query_errors(request: Request, exc: TandemError) -> dict[str, object]:
    """``errors`` for a query parameter the engine refused, shaped as FastAPI's own 422s.

    Some rules about a query parameter live in the engine, for every face to share (a
    search's ``country``): its refusal names the parameter (``ValidationError.field``), and
    a client reads it where it reads any other refused parameter, ``errors[].loc``.
    """
    if not isinstance(exc, ValidationError) or exc.field not in request.query_params:
        return {}
    return {"errors": [{"loc": ["query", exc.field], "msg": str(exc)}]}


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that turn every error into a problem response."""

    @app.exception_handler(TandemError)
    async def _tandem(request: Request, exc: TandemError) -> JSONResponse:
        extra = _query_errors(request, exc)
        if isinstance(exc, ConflictError) and exc.created:
            extra["created"] = exc.created  # what the earlier try of this write made
        response = problem(exc.status_code, exc.title, str(exc), **extra)
        if exc.status_code == 401:
            response.headers["WWW-Authenticate"] = "Bearer"
        return response

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors: list[dict[str, Any]] = [
            {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))}
            for e in exc.errors()
        ]
        where = ".".join(errors[0]["loc"]) if errors else "request"
        detail = f"{where}: {errors[0]['msg'] if errors else 'invalid request'}"
        return problem(422, "Invalid input", detail, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return problem(exc.status_code, "HTTP error", str(exc.detail))

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc)
        return problem(500, "Internal error", "an unexpected error occurred; it has been logged")
