"""Serving commands: serve (one process or several workers), demo, and db upgrade."""

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
    read_settings,
)
from tandem.cli.data import generate
from tandem.errors import TandemError
from tandem.settings import Settings

db_app = typer.Typer(help="The store's schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default TANDEM_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default TANDEM_PORT).")] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help="Serving processes sharing the port, each with its own engine and indexes "
            "in memory (see docs/SCALING.md).",
        ),
    ] = 1,
) -> None:
    """Serve the web UI and the HTTP API.

    With --workers N, N processes serve on one port, each building its app from the TANDEM_
    environment: all serve one store and the published index snapshot, and each picks up a
    newer snapshot on its own. Rate limits count per worker. See docs/SCALING.md (Replicas).
    """
    import uvicorn

    settings = read_settings()
    host, port = host or settings.host, port or settings.port
    try:  # the store is migrated (or refused) here, once, before any worker starts
        engine = open_engine()
    except TandemError as exc:
        fail(exc)
        return
    out.print(
        f"Tandem is serving on [bold]http://{host}:{port}[/] (API docs at /docs)"
        + (f" with {workers} workers" if workers > 1 else "")
    )
    if workers == 1:
        from tandem.api import create_app

        uvicorn.run(create_app(engine=engine), host=host, port=port, log_level="info")
        return
    uvicorn.run(
        "tandem.api.app:from_environment",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="info",
    )


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Run the store's schema migrations once, then exit (a deploy step before new replicas).

    Safe from several hosts at once: it takes the store's migration lock (a PostgreSQL
    advisory lock, a SQLite file lock) and does nothing when the schema is already current.
    """
    from tandem.engine import upgrade_store

    try:
        done = upgrade_store(read_settings())
    except TandemError as exc:
        fail(exc)
        return
    before = ", ".join(done.before) or "empty"
    after = ", ".join(done.after)
    if done.migrated:
        out.print(f"schema upgraded: {before} -> {after}", highlight=False)
    else:
        out.print(f"schema already current: {after}", highlight=False)


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
