"""The error responses of the API, documented once for every operation.

Every error the API returns is an RFC 9457 problem (``application/problem+json``, built by
:func:`tandem.api.errors.problem`). Which statuses an operation can answer follows from
its shape, so :func:`document_problems` derives them from each operation of the OpenAPI
document once, instead of each route repeating a ``responses=`` list that drifts:

* every operation: 429 (the rate limit), 500 (the catch-all handler), 503 (the store busy,
  the search index or a backend not ready);
* one that needs a token or a session (it declares ``security``): 401, 403;
* one with any input: 422 (in place of FastAPI's ``HTTPValidationError``, which is not
  what :mod:`tandem.api.errors` sends);
* one with a path id or a body (which names records): 404;
* one with a body: 400 (an unparseable body), 413 (too large), and 409 when it writes.

A route may still declare its own ``responses=``; what it says wins. The contract is
checked by schemathesis (``tests/api/test_schemathesis.py``): a status or content type an
operation returns without documenting it fails there.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict

from tandem.api.errors import PROBLEM


class FieldError(BaseModel):
    """One input that failed validation: where (``loc``) and why (``msg``)."""

    loc: list[str]
    msg: str


class Problem(BaseModel):
    """An RFC 9457 problem: what went wrong, in one sentence (``detail``)."""

    model_config = ConfigDict(extra="allow", title="Problem")

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = None
    #: A 409 to a write already done (a companion Confirm sent again): what the first try
    #: made, e.g. ``{"job_id": "job-..."}``, for a client retrying after a timeout.
    created: dict[str, str] | None = None


#: What each documented status means, as the API docs say it.
MEANINGS: dict[int, str] = {
    400: "The body could not be parsed (malformed JSON or multipart form).",
    401: "No valid API token (Authorization: Bearer TOKEN) or signed-in session.",
    403: "Signed in, but this identity may not do this (or a browser sent no CSRF token).",
    404: "A record the request names (in its path or body) does not exist.",
    409: "The write contradicts the store (the id exists already, or the session moved on).",
    413: "The request body is larger than the server accepts.",
    422: "Input that breaks the schema or the domain rules; `errors` lists each field.",
    429: "Too many requests: wait the Retry-After header's seconds.",
    500: "An unexpected error; it has been logged.",
    503: "The store is busy, or the search index or a backend is not ready: retry later.",
}
_HEADERS: dict[int, dict[str, Any]] = {
    401: {"WWW-Authenticate": {"description": "Bearer", "schema": {"type": "string"}}},
    429: {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}},
}
_REF = "#/components/schemas/Problem"
_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def problem_response(status: int) -> dict[str, Any]:
    """The OpenAPI response object of one error status: a problem document."""
    response: dict[str, Any] = {
        "description": MEANINGS[status],
        "content": {PROBLEM: {"schema": {"$ref": _REF}}},
    }
    if status in _HEADERS:
        response["headers"] = _HEADERS[status]
    return response


_FASTAPI_422 = "#/components/schemas/HTTPValidationError"


def error_statuses(method: str, operation: dict[str, Any]) -> set[int]:
    """The error statuses an OpenAPI operation can answer, from its security and inputs."""
    found = {429, 500, 503}
    if operation.get("security"):
        found |= {401, 403}
    places = {p.get("in") for p in operation.get("parameters", [])}
    body = "requestBody" in operation
    if places or body:
        found.add(422)
    if "path" in places or body:
        found.add(404)
    if body:
        found |= {400, 413}
        if method.upper() in _WRITES:
            found.add(409)
    return found


def _fastapi_default(response: dict[str, Any]) -> bool:
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    return bool(schema.get("$ref") == _FASTAPI_422)


def add_problems(schema: dict[str, Any]) -> None:
    """Document each operation's error responses and the Problem schema they share."""
    for item in schema.get("paths", {}).values():
        for method, operation in item.items():
            responses = operation.setdefault("responses", {})
            for status in sorted(error_statuses(method, operation)):
                given = responses.get(str(status))
                if given is None or _fastapi_default(given):
                    responses[str(status)] = problem_response(status)
    schemas = schema.setdefault("components", {}).setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(problem.pop("$defs", {}))
    schemas["Problem"] = problem


def document_problems(app: FastAPI) -> None:
    """Make ``app``'s OpenAPI document say which problems each operation can answer."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        add_problems(schema)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
