"""Audit commands: fairness counts over rankings (NYC Local Law 144 style)."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from tandem.cli.common import acting_as, app, err, fail, open_engine, out, print_json
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


def read_models(path: Path) -> dict[str, int]:
    """How many lists of a ``tandem rank`` file each model version ranked.

    Lines written before ``tandem rank`` named its model count under "unknown"; a line with
    an error ranked nothing and is not counted.
    """
    models: dict[str, int] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line) if line.strip() else {}
        if isinstance(row, dict) and row and "error" not in row:
            model = str(row.get("model") or "unknown")
            models[model] = models.get(model, 0) + 1
    return dict(sorted(models.items()))


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
        models = read_models(file)
        audit = open_engine().audit_rankings(rankings, attribute=attribute, top_k=top_k)
    except TandemError as exc:
        fail(exc)
        return
    if as_json:
        print_json(audit.as_dict() | {"models": models})
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
    ranked_by = ", ".join(f"{m} ({n} lists)" for m, n in models.items())
    out.print(f"ranked by: {ranked_by or 'no list'}", highlight=False)


def parse_when(value: str | None, flag: str) -> datetime | None:
    """An ISO date or time (UTC when no zone is given); ``None`` stays ``None``."""
    if value is None or not value.strip():
        return None
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise ValidationError(
            f"{flag} must be an ISO date or time, e.g. 2026-01-31 or 2026-01-31T12:00, "
            f"got {value!r}"
        ) from exc
    return when if when.tzinfo else when.replace(tzinfo=UTC)


@audit_app.command("report")
def audit_report(
    since: Annotated[
        str | None, typer.Option(help="From this ISO date or time (UTC), inclusive.")
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Up to this ISO date or time (UTC), exclusive.")
    ] = None,
    out_path: Annotated[
        Path | None, typer.Option("--out", help="Write the HTML report here (self-contained).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the numbers as JSON.")] = False,
) -> None:
    """The fairness audit over what Tandem served and what happened in [since, until).

    Per attribute and per intersection of two: LL144 selection rates among applicants
    (shortlist, interview, hire) and scoring rates in served rankings, with 95% intervals
    and impact ratios; exposure against relevance; skew@10 and NDKL; newcomers; a proxy
    check of the ranking features; the ranking card of each model that served. Aggregates
    only. The JSON shape is in docs/audit-report.md.
    """
    from tandem.fairness.render import render_html

    try:
        start, end = parse_when(since, "--since"), parse_when(until, "--until")
        engine = open_engine()
        report = acting_as(engine, None, "cli").audit_report(since=start, until=end)
    except TandemError as exc:
        fail(exc)
        return
    if out_path is not None:
        out_path.write_text(render_html(report), encoding="utf-8")
        err.print(f"wrote {out_path}")
    if as_json:
        print_json(report)
    elif out_path is None:
        _summary(report)


def _summary(report: dict[str, Any]) -> None:
    """The headline per attribute: minimum impact ratios (use --out or --json for the rest)."""
    data = report["data"]
    out.print(
        f"{data['rankings']} rankings served ({data['appearances']} appearances), "
        f"{data['applications']} applications"
        + (
            f"; {data['batch_rankings']} offline batch rankings (tandem rank) not counted as served"
            if data.get("batch_rankings")
            else ""
        )
    )
    table = Table(
        title="Lowest impact ratio per grouping (groups of 30+ people and 2%+ of the known); "
        "positives: shortlisted or better and ranked in the top 10"
    )
    for col in ("grouping", "shortlist", "interview", "hire", "scoring", "positives", "NDKL"):
        table.add_column(col, justify="left" if col == "grouping" else "right")
    sections = {**report["attributes"], **report["intersections"], "newcomers": report["newcomers"]}
    for name, s in sections.items():
        sel = s["selection"]
        table.add_row(
            name,
            *(
                _cell(sel[stage]["min_impact_ratio"])
                for stage in ("shortlist", "interview", "hire")
            ),
            _cell(s["scoring"]["min_impact_ratio"]),
            _cell(s["positives_in_top"]["min_impact_ratio"]),
            _cell(s["representation"]["ndkl"]),
        )
    out.print(table)
    out.print("Write the full report with --out report.html, or --json for every number.")


def _cell(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"
