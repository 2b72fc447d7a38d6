"""The API docs pages, /docs (Swagger UI) and /redoc (ReDoc), served offline.

Their JavaScript, CSS and icon come from the installed ``fastapi-offline`` package (mounted
at :data:`DOCS_ASSETS`), never from a CDN. The pages are Tandem's own templates rather than
FastAPI's, whose Swagger page starts the UI with an inline ``<script>``: ours starts it from
``/static/swagger-init.js``, so the Content-Security-Policy needs no inline script.
"""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

#: Where the API docs' JavaScript, CSS and icon are served from.
DOCS_ASSETS = "/static-docs"

router = APIRouter(include_in_schema=False)


def _page(request: Request, template: str, what: str) -> HTMLResponse:
    from tandem.api.pages import templates

    root = str(request.scope.get("root_path", ""))
    context = {
        "title": f"{request.app.title} - {what}",
        "root": root,
        "assets": root + DOCS_ASSETS,
        "openapi_url": root + str(request.app.openapi_url),
    }
    return templates.TemplateResponse(request, template, context)


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI over this app's OpenAPI schema."""
    return _page(request, "api_swagger.html", "Swagger UI")


@router.get("/redoc", response_class=HTMLResponse)
def redoc(request: Request) -> HTMLResponse:
    """ReDoc over this app's OpenAPI schema."""
    return _page(request, "api_redoc.html", "ReDoc")


def install_docs(app: FastAPI) -> None:
    """Serve the docs pages and their assets (from the ``fastapi-offline`` package)."""
    assets = resources.files("fastapi_offline") / "static"
    app.mount(DOCS_ASSETS, StaticFiles(directory=str(assets)), name="static-docs")
    app.include_router(router)
