"""The app factory: ``create_app(settings)`` wires one engine into the API and the web UI."""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from tandem import __version__
from tandem.api.errors import install_error_handlers
from tandem.api.problems import document_problems
from tandem.api.routers import companion, decisions, freelancers, jobs, ops, search
from tandem.api.signin import router as signin_router
from tandem.api.web import router as web_router
from tandem.engine import Engine
from tandem.settings import Settings

#: Where the API docs' JavaScript, CSS and icon are served from.
DOCS_ASSETS = "/static-docs"


def create_app(settings: Settings | None = None, *, engine: Engine | None = None) -> FastAPI:
    """A FastAPI app serving the HTTP API under ``/api`` and the web UI at ``/``.

    ``/docs`` and ``/redoc`` load Swagger UI and ReDoc from files in the installed
    ``fastapi-offline`` package (FastAPI's documented self-hosting), never from a CDN:
    Tandem runs offline, and so do its API docs.
    """
    app = FastAPIOffline(
        static_url=DOCS_ASSETS,
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
        signin_router,
        web_router,
    ):
        app.include_router(router)
    document_problems(app)
    static = resources.files("tandem.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    return app
