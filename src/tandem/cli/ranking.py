"""Ranking commands: search, match, recommend, why."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from tandem.cli.common import (
    CandidateSource,
    app,
    fail,
    open_engine,
    out,
    print_json,
    requester,
    search_app,
)
from tandem.domain import JobResult, MatchResult, Reason
from tandem.domain.zones import DEFAULT_MAX_HOURS_APART
from tandem.errors import TandemError
from tandem.explain.points import points_text

if TYPE_CHECKING:
    from tandem.engine import JobQuery, TalentQuery


def _why(reasons: list[Reason], limit: int = 6) -> str:
    marks = {"positive": "+", "negative": "-"}
    return "\n".join(f"{marks.get(x.kind, '·')} {x.text}" for x in reasons[:limit])


def _score(result: MatchResult | JobResult) -> str:
    """A search result's relevance (0-100 in its list) or a match's score."""
    return f"{result.score:.3f}" if result.relevance is None else str(result.relevance)


def _score_column(results: list[MatchResult] | list[JobResult]) -> str:
    return "relevance" if results and results[0].relevance is not None else "score"


def _match_table(title: str, results: list[MatchResult]) -> Table:
    table = Table(title=title, show_lines=True)
    for col in ("#", "freelancer", _score_column(results), "rate", "why"):
        table.add_column(col)
    for n, r in enumerate(results, start=1):
        why = _why(r.reasons)
        table.add_row(
            str(n),
            f"{r.name}\n{r.title}\n[dim]{r.freelancer_id}[/]",
            _score(r),
            f"{r.hourly_rate:g} {r.currency}/h",
            why,
        )
    return table


def _job_table(title: str, results: list[JobResult]) -> Table:
    table = Table(title=title, show_lines=True)
    for col in ("#", "job", _score_column(results), "why"):
        table.add_column(col)
    for n, r in enumerate(results, start=1):
        why = _why(r.reasons)
        table.add_row(str(n), f"{r.title}\n[dim]{r.job_id} · {r.category or ''}[/]", _score(r), why)
    return table


@search_app.command("talent")
def search_talent(
    query: Annotated[str, typer.Argument(help="What you are looking for, in words.")] = "",
    skill: Annotated[list[str] | None, typer.Option(help="Required skill (repeatable).")] = None,
    max_rate: Annotated[float | None, typer.Option(min=0, help="Maximum hourly rate, USD.")] = None,
    country: Annotated[str | None, typer.Option(help="ISO 3166-1 alpha-2 country code.")] = None,
    min_job_success: Annotated[float | None, typer.Option(min=0, max=100)] = None,
    available: Annotated[bool, typer.Option(help="Only people available now.")] = False,
    overlap_with: Annotated[
        str | None, typer.Option(help="Time zone to overlap with: Europe/Berlin, CET, UTC+2.")
    ] = None,
    max_hours_apart: Annotated[
        float,
        typer.Option(min=0, max=12, help="How far apart clocks may be (with --overlap-with)."),
    ] = DEFAULT_MAX_HOURS_APART,
    top: Annotated[int, typer.Option(min=1, max=1000)] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Search freelancers."""
    from tandem.engine import TalentQuery

    query_ = TalentQuery(
        text=query,
        skills=skill or [],
        max_rate=max_rate,
        country=country,
        min_job_success=min_job_success,
        available=available,
        overlap_with=overlap_with,
        max_hours_apart=max_hours_apart,
        top=top,
    )
    try:
        served = open_engine(embeds=bool(query.strip())).serve_search_talent(
            query_, requester("cli")
        )
        results = served.results
    except TandemError as exc:
        fail(exc)
        return
    if as_json:
        print_json(served.model_dump())
    else:
        out.print(_match_table(f"Talent for '{query}' (relevance: 100 = best here)", results))
        _nothing_found(query_, results)
        _served_by(served.ranker, served.request_id)


@search_app.command("jobs")
def search_jobs(
    query: Annotated[str, typer.Argument(help="What work you are looking for, in words.")] = "",
    skill: Annotated[list[str] | None, typer.Option(help="Required skill (repeatable).")] = None,
    min_budget: Annotated[float | None, typer.Option(min=0, help="Minimum budget, USD.")] = None,
    budget_type: Annotated[str | None, typer.Option(help="fixed or hourly.")] = None,
    category: Annotated[str | None, typer.Option(help="Job category.")] = None,
    include_closed: Annotated[bool, typer.Option(help="Also closed jobs.")] = False,
    top: Annotated[int, typer.Option(min=1, max=1000)] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Search jobs (open ones by default)."""
    from tandem.engine import JobQuery

    if budget_type not in (None, "fixed", "hourly"):
        fail(TandemError("--budget-type must be 'fixed' or 'hourly'"))
    asked = JobQuery(query, skill or [], min_budget, budget_type, category, include_closed, top)
    try:
        served = open_engine(embeds=bool(query.strip())).serve_search_jobs(asked, requester("cli"))
        results = served.results
    except TandemError as exc:
        fail(exc)
        return
    if as_json:
        print_json(served.model_dump())
    else:
        out.print(_job_table(f"Jobs for '{query}' (relevance: 100 = best here)", results))
        _nothing_found(asked, results)
        _served_by(served.ranker, served.request_id)


@app.command()
def match(
    job_id: Annotated[str, typer.Argument(help="The job to find freelancers for.")],
    top: Annotated[int, typer.Option(min=1, max=1000)] = 10,
    candidates: Annotated[
        CandidateSource, typer.Option(help="'all' freelancers or the job's 'proposals'.")
    ] = "all",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Rank freelancers for a job, with reasons and evidence."""
    try:
        served = open_engine().serve_match(
            job_id, top=top, candidates=candidates, who=requester("cli")
        )
        results = served.results
    except TandemError as exc:
        fail(exc)
        return
    if as_json:
        print_json({"job_id": job_id, **served.model_dump()})
    else:
        out.print(_match_table(f"Matches for job {job_id}", results))
        _served_by(served.ranker, served.request_id)


@app.command()
def recommend(
    freelancer_id: Annotated[str, typer.Argument(help="The freelancer to find jobs for.")],
    top: Annotated[int, typer.Option(min=1, max=1000)] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Rank open jobs for a freelancer, with reasons."""
    try:
        served = open_engine().serve_recommend(freelancer_id, top=top, who=requester("cli"))
        results = served.results
    except TandemError as exc:
        fail(exc)
        return
    if as_json:
        print_json({"freelancer_id": freelancer_id, **served.model_dump()})
    else:
        out.print(_job_table(f"Jobs for freelancer {freelancer_id}", results))
        _served_by(served.ranker, served.request_id)


def _nothing_found(q: TalentQuery | JobQuery, results: Sequence[object]) -> None:
    """Under an empty table, what to try (a search in another language finds nothing here)."""
    if not results:
        from tandem.engine.types import nothing_found_hint

        out.print(f"[yellow]hint:[/] {escape(nothing_found_hint(q))}", highlight=False)


def _served_by(ranker: str, request_id: str) -> None:
    """What ranked the table and the request id ``tandem why`` replays it by."""
    out.print(f"request {request_id}", style="dim", highlight=False)
    out.print(f"ranked by the {ranker}", style="dim", highlight=False)


@app.command()
def why(
    request_id: Annotated[str, typer.Argument(help="Request id of a served ranking.")],
    freelancer_id: Annotated[str, typer.Argument(help="A freelancer in that ranking.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Replay a logged decision: the score, reasons, model version, and what today's model does."""
    try:
        replay = open_engine().why(request_id, freelancer_id)
    except TandemError as exc:
        fail(exc)
        return
    if as_json:
        print_json(replay)
        return
    logged = replay["logged"]
    # Logged text is data, not markup: "[email]" must print as typed (Rich would eat it).
    out.print(
        f"[bold]{replay['kind']}[/] {escape(replay['subject'])} at {replay['ts']}", highlight=False
    )
    out.print(
        f"{freelancer_id} was ranked #{logged['rank']} with score {logged['score']:.4f} "
        f"by {logged['model_version']}, because:",
        highlight=False,
    )
    for reason in logged["reasons"]:
        mark = {"positive": "+", "negative": "-"}.get(reason["kind"], "·")
        text = escape(reason["text"])
        points = points_text(reason["contribution"])
        out.print(f"  {mark} {text} ({points})", highlight=False)
        for item in reason["evidence"]:
            out.print(f"      {escape(item)}", highlight=False, style="dim")
    today = replay.get("today")
    if today:
        where = (
            f"#{today['rank']} with score {today['score']:.4f}" if today["rank"] else "not at all"
        )
        verdict = "differently" if replay["changed"] else "the same way"
        out.print(f"Today {today['model_version']} ranks them {where}: {verdict}.", highlight=False)
