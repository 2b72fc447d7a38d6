"""Privacy commands: erase a person, export everything about one, purge by age."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tandem.cli.common import (
    acting_as,
    app,
    err,
    export_app,
    fail,
    open_engine,
    out,
    print_json,
    progress_bars,
)
from tandem.errors import NotFoundError, TandemError, ValidationError

if TYPE_CHECKING:
    from tandem.engine.privacy import ErasurePlan
    from tandem.store.privacy import PersonKind

erase_app = typer.Typer(
    help="Erase a person and everything derived from them (GDPR Art. 17).", no_args_is_help=True
)
app.add_typer(erase_app, name="erase")

Yes = Annotated[
    bool, typer.Option("--yes", help="Erase for real (without it: say what would go, exit 0).")
]
Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _erase(kind: PersonKind, person_id: str, yes: bool, as_json: bool) -> None:
    engine = open_engine()
    view = acting_as(engine, None, "cli")
    try:
        if not yes:
            _dry_run(view.erasure_plan(kind, person_id), as_json)
            return
        with progress_bars(not as_json) as progress:
            report = view.erase_person(kind, person_id, progress)
    except TandemError as exc:
        fail(exc)
        return
    if as_json:
        print_json(report.to_dict())
        return
    removed = ", ".join(f"{n} {table}" for table, n in sorted(report.rows.items()) if n)
    out.print(f"erased {kind} {person_id}: {removed or 'no rows'}", highlight=False)
    out.print(f"decision-log entries tombstoned: {report.log_entries}", highlight=False)
    if report.files:
        out.print(f"files cleaned: {', '.join(report.files)}", highlight=False)
    if report.models:
        out.print(
            f"models trained on their data: {', '.join(report.models)}; "
            "run 'tandem learn' (or 'tandem train') to retrain without them",
            highlight=False,
        )


def _dry_run(plan: ErasurePlan, as_json: bool) -> None:
    """What an erasure would remove; nothing is changed (exit 0: asking is not failing)."""
    if as_json:
        print_json({"dry_run": True, **asdict(plan)})
        return
    kind = plan.kind
    out.print(
        f"would erase {kind} {plan.id}: the record, "
        + (f"{plan.jobs} jobs, " if kind == "client" else "")
        + f"their proposals and events, {plan.sessions} companion sessions of theirs "
        f"({plan.sessions_redacted} of others' that name them are kept with them redacted), "
        f"{plan.users} users with their tokens, their index entries and files under "
        f"TANDEM_HOME; {plan.log_entries} decision-log entries keep a tombstone. "
        f"Models trained on their data: {', '.join(plan.models) or 'none'}. "
        "Nothing was changed: run again with --yes to erase.",
        highlight=False,
        soft_wrap=True,
    )


@erase_app.command("freelancer")
def erase_freelancer(
    freelancer_id: Annotated[str, typer.Argument(help="Freelancer id.")],
    yes: Yes = False,
    as_json: Json = False,
) -> None:
    """Erase a freelancer: profile, proposals, events, sessions, users, index entries, files."""
    _erase("freelancer", freelancer_id, yes, as_json)


@erase_app.command("client")
def erase_client(
    client_id: Annotated[str, typer.Argument(help="Client id.")],
    yes: Yes = False,
    as_json: Json = False,
) -> None:
    """Erase a client: its record, jobs, the proposals and events on them, sessions, users."""
    _erase("client", client_id, yes, as_json)


@export_app.command("person")
def export_person(
    person_id: Annotated[str, typer.Argument(help="Freelancer or client id.")],
    output: Annotated[Path, typer.Option("--out", help="JSON file to write.")],
    kind: Annotated[
        str, typer.Option(help="'freelancer' or 'client' (default: whichever has the id).")
    ] = "",
) -> None:
    """Everything stored about one person, as one JSON document (GDPR Art. 15)."""
    engine = open_engine()
    view = acting_as(engine, None, "cli")
    try:
        if kind not in ("", "freelancer", "client"):
            raise ValidationError(f"--kind must be 'freelancer' or 'client', not {kind!r}")
        try:
            document = view.export_person("client" if kind == "client" else "freelancer", person_id)
        except NotFoundError:
            if kind:
                raise
            try:
                document = view.export_person("client", person_id)
            except NotFoundError:
                raise NotFoundError(
                    f"no person with id {person_id!r} (neither a freelancer nor a client)"
                ) from None
    except TandemError as exc:
        fail(exc)
        return
    tmp = output.with_name(output.name + ".tmp")
    tmp.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(output)
    err.print(
        f"wrote {output}: {len(document.get('rankings', []))} rankings, "
        f"{len(document.get('conversations', []))} sessions, "
        f"{len(document.get('models', []))} models",
        highlight=False,
    )


@app.command()
def purge(
    as_json: Json = False,
    compact: Annotated[
        bool, typer.Option("--compact", help="Compact the database even if nothing was removed.")
    ] = False,
) -> None:
    """Delete what is older than the TANDEM_RETENTION_* settings keep (safe from cron)."""
    try:
        removed = acting_as(open_engine(), None, "cli").purge(compact=compact)
    except TandemError as exc:
        fail(exc)
        return
    if as_json:
        print_json(removed)
    else:
        out.print(
            "purged: " + ", ".join(f"{n} {what.replace('_', ' ')}" for what, n in removed.items()),
            highlight=False,
        )
