"""Audit commands: fairness counts over rankings (NYC Local Law 144 style)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from tandem.cli.common import app, fail, open_engine, out, print_json
from tandem.errors import TandemError, ValidationError

audit_app = typer.Typer(help="Fairness audits (aggregates only).", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


def read_rankings(path: Path) -> list[list[str]]:
    """The ranked ids of each list in a ``tandem rank`` output file (lists with errors: none)."""
    if not path.exists():
        raise ValidationError(f"{path} does not exist")
    rankings: list[list[str]] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            rankings.append([str(r["freelancer_id"]) for r in row.get("ranking", [])])
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
            raise ValidationError(f"{path}:{n}: not a `tandem rank` line ({exc})") from exc
    return rankings


def _fmt(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.3f}"


@audit_app.command("rankings")
def audit_rankings(
    file: Annotated[Path, typer.Argument(help="A `tandem rank` output file (JSON Lines).")],
    attribute: Annotated[str, typer.Option(help="The attribute to audit, e.g. gender.")],
    top_k: Annotated[int, typer.Option(min=1, help="Selected = in the top K of a list.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Selection rate and impact ratio per group of an attribute over ranked lists.

    Selected: in the top K of a list; rates are pooled over lists; a group's impact ratio is
    its rate over the highest rate among groups of at least 2% of the known candidates
    (smaller groups are reported but left out of the minimum). People without the attribute
    are counted as unknown.
    """
    try:
        rankings = read_rankings(file)
        audit = open_engine().audit_rankings(rankings, attribute=attribute, top_k=top_k)
    except TandemError as exc:
        fail(exc)
        return
    if as_json:
        print_json(audit.as_dict())
        return
    table = Table(title=f"{attribute}: top {top_k} of {audit.lists} lists")
    for col in ("group", "candidates", "selected", "selection rate", "impact ratio"):
        table.add_column(col, justify="left" if col == "group" else "right")
    for group, r in sorted(audit.by_group.items()):
        note = "" if r.counted else " (<2%: not compared)"
        table.add_row(
            group + note,
            str(r.candidates),
            str(r.selected),
            _fmt(r.selection_rate),
            _fmt(r.impact_ratio),
        )
    out.print(table)
    out.print(f"unknown: {audit.unknown}; minimum impact ratio: {_fmt(audit.min_impact_ratio)}")
