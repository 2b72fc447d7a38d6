"""Shared parts of the command line: the Typer apps, consoles, progress bars, errors."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer
from rich.console import Console
from typer.core import TyperGroup

from tandem.errors import TandemError
from tandem.settings import Settings

if TYPE_CHECKING:
    from tandem.engine import Engine, Requester, UserView

CandidateSource = Literal["all", "proposals"]

app = typer.Typer(
    help="Tandem: search, match and explain for talent marketplaces.", no_args_is_help=True
)
search_app = typer.Typer(
    help="Hybrid search (BM25 + embeddings) with filters.", no_args_is_help=True
)
taxonomy_app = typer.Typer(help="The skill taxonomy.", no_args_is_help=True)
taxonomy_import_app = typer.Typer(
    help="Extend the taxonomy from official downloads.", no_args_is_help=True
)
skills_app = typer.Typer(help="Skill normalisation and extraction.", no_args_is_help=True)
app.add_typer(search_app, name="search")
app.add_typer(taxonomy_app, name="taxonomy")
taxonomy_app.add_typer(taxonomy_import_app, name="import")
app.add_typer(skills_app, name="skills")
eval_app = typer.Typer(help="Offline evaluation.", no_args_is_help=True)
models_app = typer.Typer(help="The model registry.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
app.add_typer(models_app, name="models")


class _BundleByDefault(TyperGroup):
    """``tandem export DIR`` still writes a bundle: an unknown first word means ``bundle``."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """Insert ``bundle`` before a first argument that names no subcommand."""
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            args = ["bundle", *args]
        return super().parse_args(ctx, args)


export_app = typer.Typer(
    cls=_BundleByDefault,
    help="Write data out: the store as a bundle, or everything about one person.",
    no_args_is_help=True,
)
app.add_typer(export_app, name="export")

out = Console()
err = Console(stderr=True)


def requester(surface: str) -> Requester:
    """Who is asking: the logged-in user, through ``surface`` (for the decision log)."""
    import getpass

    from tandem.engine import Requester

    return Requester(actor=getpass.getuser(), surface=surface)  # type: ignore[arg-type]


def read_settings() -> Settings:
    """The ``TANDEM_`` settings; a refused value ends the command with one clear line."""
    from pydantic import ValidationError

    try:
        return Settings()
    except ValidationError as exc:
        for problem in exc.errors():
            name = "TANDEM_" + "_".join(str(p) for p in problem["loc"]).upper()
            err.print(f"[bold red]error:[/] {name}: {problem['msg']}", highlight=False)
        raise typer.Exit(code=2) from exc


def open_engine(*, embeds: bool = False) -> Any:
    """The engine, from ``TANDEM_`` settings (imported late: ``--help`` stays fast).

    ``embeds``: the command will embed text, so the encoder starts loading first, in the
    background, while the engine's imports run (see :mod:`tandem.engine.prefetch`).
    """
    settings = read_settings()
    encoder = None
    if embeds:
        from tandem.engine.prefetch import start_encoder

        encoder = start_encoder(settings)
    from tandem.engine import Engine

    return Engine(settings, encoder=encoder)


#: ``--executor``: where a command's bulk work runs (``tandem.batch``; one registry of names).
ExecutorOption = Annotated[
    str,
    typer.Option(
        "--executor",
        help="Where the bulk work runs (import/index: embedding and skill reading; rank: "
        "scoring each job's list; train: the groups' feature rows): 'local' (this process) "
        "or 'ray' (Ray Data actors; a local Ray unless --ray-address is given; needs the "
        "'ray' extra). The result is the same.",
    ),
]
#: ``--ray-address``: a running Ray cluster, with ``--executor ray``.
RayAddressOption = Annotated[
    str | None,
    typer.Option(
        "--ray-address",
        metavar="ADDR",
        help="A running Ray cluster to use with --executor ray (e.g. ray://head:10001); its "
        "nodes need Tandem installed and this home's database and index in reach.",
    ),
]


#: The ``--as NAME`` option of commands that act for someone.
AsUser = Annotated[
    str | None,
    typer.Option(
        "--as",
        help="Act as this user (its role's rules apply); default: you, the local operator.",
    ),
]


def acting_as(engine: Engine, name: str | None, surface: str) -> UserView:
    """The engine acting for the user called ``name``, or for whoever runs the CLI.

    Whoever can open the store on this machine is its operator
    (:meth:`Engine.local_operator`); ``--as NAME`` narrows that to a stored user's role, so a
    command can be run exactly as that user would run it through the API.
    """
    who = engine.local_operator() if name is None else engine.named_identity(name)
    return engine.as_user(who, surface)  # type: ignore[arg-type]


class _ProgressLines:
    """Progress as plain lines on stderr, for logs and pipes (no terminal to redraw a bar on).

    A bar drawn to a file shows nothing until the end, so a long import or evaluation looked
    hung for minutes in CI logs and under ``nohup``. One line when a step starts, then one
    per tenth of it or every ``every`` seconds, whichever comes first, and one when it ends.
    """

    def __init__(self, every: float = 30.0) -> None:
        self.every = every
        self.name = ""
        self.done = self.total = self.tenth = 0
        self.started = self.said = 0.0

    def __call__(self, name: str, advance: int, total: int) -> None:
        now = time.monotonic()
        if name != self.name:
            self.finish()
            self.name, self.done, self.total, self.tenth = name, 0, total, 0
            self.started = self.said = now
            err.print(f"{name}: started" + (f" ({total:,})" if total else ""), highlight=False)
        if total:
            self.total = total
        self.done += advance
        tenth = 10 * self.done // self.total if self.total else 0
        if tenth > self.tenth or now - self.said >= self.every:
            self.tenth = max(self.tenth, tenth)
            self.said = now
            of = f" of {self.total:,}" if self.total else ""
            err.print(f"{name}: {self.done:,}{of} ({now - self.started:.0f} s)", highlight=False)

    def finish(self) -> None:
        """Close the current step with its count and time, if one is running."""
        if self.name:
            took = time.monotonic() - self.started
            err.print(f"{self.name}: done, {self.done:,} in {took:.0f} s", highlight=False)
            self.name = ""


@contextmanager
def progress_bars(enabled: bool = True) -> Iterator[Callable[[str, int, int], None]]:
    """A Rich progress bar fed by ``(task, advance, total)`` callbacks (on stderr).

    When stderr is not a terminal the same callbacks print plain lines instead
    (:class:`_ProgressLines`), so logs show progress too.
    """
    if enabled and not err.is_terminal:
        lines = _ProgressLines()
        yield lines
        lines.finish()
        return
    from rich.progress import (  # only long commands draw bars: light ones skip the import
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    bars = Progress(
        TextColumn("{task.description:<18}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        disable=not enabled,
        transient=False,
    )
    tasks: dict[str, Any] = {}

    def update(name: str, advance: int, total: int) -> None:
        if name not in tasks:
            for previous in tasks.values():  # one step at a time: finish the earlier bars
                done = bars.tasks[previous].completed
                bars.update(previous, total=done, completed=done)
            tasks[name] = bars.add_task(name, total=total or None)
        elif total:
            bars.update(tasks[name], total=total)
        bars.advance(tasks[name], advance)

    with bars:
        yield update


def fail(exc: TandemError) -> None:
    """Print one clear error line and exit: 2 for bad input, 1 otherwise."""
    err.print(f"[bold red]error:[/] {exc}", highlight=False)
    raise typer.Exit(code=2 if exc.status_code in (404, 409, 422) else 1)


def print_json(payload: object) -> None:
    """Print JSON on stdout (progress and errors go to stderr)."""
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
