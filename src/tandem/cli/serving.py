"""Serving commands: serve and demo."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from tandem.cli.common import (
    app,
    fail,
    open_engine,
    out,
    progress_bars,
)
from tandem.cli.data import generate
from tandem.errors import TandemError
from tandem.settings import Settings


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default TANDEM_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default TANDEM_PORT).")] = None,
) -> None:
    """Serve the web UI and the HTTP API."""
    import uvicorn

    from tandem.api import create_app

    settings = Settings()
    host, port = host or settings.host, port or settings.port
    out.print(f"Tandem is serving on [bold]http://{host}:{port}[/] (API docs at /docs)")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


@app.command()
def demo(
    freelancers: Annotated[int, typer.Option(min=10)] = 2000,
    jobs: Annotated[int, typer.Option(min=10)] = 1000,
    port: Annotated[int | None, typer.Option(help="Port (default TANDEM_PORT).")] = None,
) -> None:
    """Build the sample marketplace (first run only), index it and serve it in demo mode.

    Demo mode (``TANDEM_DEMO=1``) adds one demo user per role on first run, and the sign-in
    page offers them with one click.
    """
    os.environ["TANDEM_DEMO"] = "1"
    settings = Settings()
    bundle = settings.home / "demo-bundle"
    try:
        engine = open_engine()
        url = f"http://{settings.host}:{port or settings.port}"
        if engine.store.freelancers.count() == 0:
            out.print(f"Building the sample marketplace in {bundle}; it will be served on {url}")
            generate(bundle, freelancers=freelancers, jobs=jobs, seed=7)
            with progress_bars() as progress:
                report = engine.import_bundle(bundle, progress=progress)
            out.print(report.summary())
        else:
            with progress_bars() as progress:
                engine.sync_indexes(progress)
        made = engine.ensure_demo_users()
        if made:
            out.print(f"Demo users (sign in at {url}/signin with one click): {', '.join(made)}")
    except TandemError as exc:
        fail(exc)
        return
    serve(host=None, port=port)
