"""The app factory: ``create_app(settings)`` wires one engine into the API and the web UI."""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp

from tandem import __version__
from tandem.api import accesslog, heap
from tandem.api.docs import install_docs
from tandem.api.errors import install_error_handlers
from tandem.api.head import HeadAsGetMiddleware
from tandem.api.limits import BodyLimits, RequestLimitsMiddleware, limit_responses
from tandem.api.problems import document_problems
from tandem.api.ratelimit import RateLimiter, RateLimitMiddleware
from tandem.api.routers import audit, companion, decisions, freelancers, jobs, me, ops, search
from tandem.api.security import SecurityHeadersMiddleware
from tandem.api.signin import router as signin_router
from tandem.api.web import router as web_router
from tandem.api.webacts import router as webacts_router
from tandem.api.webdata import router as webdata_router
from tandem.api.webeditjob import router as webeditjob_router
from tandem.api.webimports import router as webimports_router
from tandem.api.webjobs import router as webjobs_router
from tandem.api.weblog import router as weblog_router
from tandem.api.webme import router as webme_router
from tandem.api.webmeacts import router as webmeacts_router
from tandem.api.webmodels import router as webmodels_router
from tandem.api.webpost import router as webpost_router
from tandem.api.webposts import router as webposts_router
from tandem.api.webtalk import router as webtalk_router
from tandem.api.webusers import router as webusers_router
from tandem.engine import Engine
from tandem.settings import Settings


class TandemApp(FastAPI):
    """FastAPI with the security headers outside everything, 500 answers included.

    Starlette sends the catch-all 500 from its outermost layer, outside any middleware
    added with ``add_middleware``; wrapping the whole stack puts the headers on it too.
    """

    def build_middleware_stack(self) -> ASGIApp:
        """The usual stack, wrapped in :class:`SecurityHeadersMiddleware`; HEAD runs as GET."""
        return HeadAsGetMiddleware(SecurityHeadersMiddleware(super().build_middleware_stack()))


def create_app(settings: Settings | None = None, *, engine: Engine | None = None) -> FastAPI:
    """A FastAPI app serving the HTTP API under ``/api`` and the web UI at ``/``.

    ``/docs`` and ``/redoc`` load Swagger UI and ReDoc from files in the installed
    ``fastapi-offline`` package, never from a CDN: Tandem runs offline, and so do its API
    docs. Requests pass the rate limit, then the size limits, before any route reads them.
    The process's collector skips the long-lived heap (:mod:`tandem.api.heap`).
    """
    heap.install()
    app = TandemApp(
        title="Tandem",
        version=__version__,
        description="Search, match and explain for talent marketplaces. Every ranking has reasons.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.engine = engine or Engine(settings or Settings())
    settings = app.state.engine.settings
    accesslog.install()  # no search words in server logs
    install_error_handlers(app)
    limits = BodyLimits(settings.max_body_bytes, settings.max_upload_bytes)
    app.add_middleware(RequestLimitsMiddleware, limits=limits)
    if settings.rate_limit_per_minute > 0:
        limiter = RateLimiter(settings.rate_limit_per_minute, settings.rate_limit_burst)
        served = app.state.engine

        def known(kind: str, secret: str) -> bool:
            if kind == "token":
                return served.identify_token(secret) is not None
            return served.web_session(secret) is not None

        app.add_middleware(
            RateLimitMiddleware,
            limiter=limiter,
            per_minute=settings.rate_limit_per_minute,
            known=known,
        )
    responses = limit_responses(settings)
    for router in (
        search.router,
        jobs.router,
        freelancers.router,
        decisions.router,
        audit.router,
        me.router,
        companion.router,
        ops.router,
        signin_router,
        web_router,
        webacts_router,
        webjobs_router,
        webeditjob_router,
        webimports_router,
        webusers_router,
        weblog_router,
        webmodels_router,
        webme_router,
        webmeacts_router,
        webdata_router,
        webpost_router,
        webposts_router,
        webtalk_router,
    ):
        app.include_router(router, responses=responses)
    install_docs(app)
    document_problems(app)
    static = resources.files("tandem.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    return app


def from_environment() -> FastAPI:
    """The app of one ``tandem serve --workers N`` worker: settings from ``TANDEM_`` variables.

    uvicorn starts each worker in a fresh process from an import string, so the app cannot be
    handed over built: every worker builds its own engine, which holds its own copy of the
    published index snapshot in memory and follows newer ones (docs/SCALING.md, Replicas).
    """
    return create_app(Settings())
