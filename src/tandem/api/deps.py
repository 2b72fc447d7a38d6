"""Dependency-injection aliases of the API."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from tandem.engine import Engine


def get_engine(request: Request) -> Engine:
    """The engine the app was created with."""
    engine: Engine = request.app.state.engine
    return engine


EngineDep = Annotated[Engine, Depends(get_engine)]
Offset = Annotated[int, Query(ge=0, le=100_000, description="Results to skip.")]
Limit = Annotated[int, Query(ge=1, le=200, description="Results per page.")]
