"""Accountability commands: verify the decision log's hash chain and print its head."""

from __future__ import annotations

from typing import Annotated

import typer

from tandem.cli.common import app, err, open_engine, out, print_json

log_app = typer.Typer(help="The decision log: verify its hash chain.", no_args_is_help=True)
app.add_typer(log_app, name="log")


@log_app.command("verify")
def log_verify(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Check every entry of the decision log; exit 1 naming the first edited/removed one."""
    check = open_engine().verify_log()
    if as_json:
        print_json(
            {
                "ok": check.ok,
                "entries": check.entries,
                "head": {"seq": check.head_seq, "hash": check.head_hash},
                "problem": check.problem,
            }
        )
    elif check.ok:
        out.print(
            f"intact: {check.entries} entries; head {check.head_seq} {check.head_hash}",
            highlight=False,
        )
    else:
        err.print(f"[bold red]broken:[/] {check.problem}", highlight=False, soft_wrap=True)
        err.print(f"{check.entries} entries held before it.", highlight=False)
    if not check.ok:
        raise typer.Exit(code=1)


@log_app.command("head")
def log_head(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """The latest entry's number and hash: anchor it elsewhere (see docs/decision-log.md)."""
    seq, digest = open_engine().log_head()
    if as_json:
        print_json({"seq": seq, "hash": digest})
    else:
        out.print(f"{seq} {digest}", highlight=False)
