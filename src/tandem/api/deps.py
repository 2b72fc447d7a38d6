"""Dependency-injection aliases of the API."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Query, Request

from tandem.engine import Engine, Requester


def get_engine(request: Request) -> Engine:
    """The engine the app was created with."""
    engine: Engine = request.app.state.engine
    return engine


EngineDep = Annotated[Engine, Depends(get_engine)]


def get_requester(
    x_tandem_actor: Annotated[str | None, Header(max_length=200)] = None,
) -> Requester:
    """Who is asking (the ``X-Tandem-Actor`` header; anonymous without it)."""
    return Requester(actor=x_tandem_actor or "anonymous", surface="api")


RequesterDep = Annotated[Requester, Depends(get_requester)]
Offset = Annotated[int, Query(ge=0, le=100_000, description="Results to skip.")]
Limit = Annotated[int, Query(ge=1, le=200, description="Results per page.")]
