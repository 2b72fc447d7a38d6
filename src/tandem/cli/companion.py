"""Companion commands: drafting a job post from free text."""

from __future__ import annotations

from typing import Annotated

import typer

from tandem.cli.common import app, fail, open_engine, out, print_json
from tandem.errors import TandemError

companion_app = typer.Typer(
    help="The AI companion (it proposes; you decide).", no_args_is_help=True
)
app.add_typer(companion_app, name="companion")


@companion_app.command("draft-job")
def draft_job(
    text: Annotated[str, typer.Argument(help="What you need, in your own words.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Draft a job post from free text; nothing is posted until you confirm it."""
    from tandem.companion import draft_job as make_draft

    try:
        draft = make_draft(open_engine(), text)
    except TandemError as exc:
        fail(exc)
        return
    if as_json:
        print_json(draft.as_dict())
        return
    out.print(f"[bold]{draft.title}[/]\n", highlight=False)
    out.print(draft.description, highlight=False, markup=False)
    for note in draft.notes:
        out.print(f"[dim]{note}[/]", highlight=False)
