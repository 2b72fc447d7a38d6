"""The app factory: ``create_app(settings)`` wires one engine into the API and the web UI."""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from tandem import __version__
from tandem.api.errors import install_error_handlers
from tandem.api.routers import companion, decisions, freelancers, jobs, ops, search
from tandem.api.web import router as web_router
from tandem.engine import Engine
from tandem.settings import Settings


def create_app(settings: Settings | None = None, *, engine: Engine | None = None) -> FastAPI:
    """A FastAPI app serving the HTTP API under ``/api`` and the web UI at ``/``."""
    app = FastAPI(
        title="Tandem",
        version=__version__,
        description="Search, match and explain for talent marketplaces. Every ranking has reasons.",
    )
    app.state.engine = engine or Engine(settings or Settings())
    install_error_handlers(app)
    for router in (
        search.router,
        jobs.router,
        freelancers.router,
        decisions.router,
        companion.router,
        ops.router,
        web_router,
    ):
        app.include_router(router)
    static = resources.files("tandem.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    return app
