"""The ``tandem`` command line (Typer + Rich). Settings come from ``TANDEM_`` env vars."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from tandem.domain import JobResult, MatchResult, Reason
from tandem.errors import NotFoundError, TandemError, ValidationError
from tandem.settings import Settings

if TYPE_CHECKING:
    from tandem.engine import Requester

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

out = Console()
err = Console(stderr=True)


def _requester(surface: str) -> Requester:
    import getpass

    from tandem.engine import Requester

    return Requester(actor=getpass.getuser(), surface=surface)  # type: ignore[arg-type]


def _engine() -> Any:
    from tandem.engine import Engine

    return Engine(Settings())


@contextmanager
def _progress(enabled: bool = True) -> Iterator[Callable[[str, int, int], None]]:
    """A Rich progress bar fed by ``(task, advance, total)`` callbacks (on stderr)."""
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


def _fail(exc: TandemError) -> None:
    err.print(f"[bold red]error:[/] {exc}", highlight=False)
    raise typer.Exit(code=2 if exc.status_code in (404, 409, 422) else 1)


def _print_json(payload: object) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


@app.command()
def generate(
    out_dir: Annotated[Path, typer.Argument(help="Directory to write the bundle into.")],
    freelancers: Annotated[int, typer.Option(min=1, help="Number of freelancers.")] = 2000,
    jobs: Annotated[int, typer.Option(min=1, help="Number of jobs.")] = 1000,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same bundle).")] = 0,
) -> None:
    """Generate a realistic sample marketplace bundle."""
    from tandem.bundle import Generator, VocabSkill
    from tandem.skills.taxonomy import builtin_skills

    vocab = [VocabSkill(s.name, s.category, s.group, s.aliases) for s in builtin_skills()]
    with _progress() as progress:
        counts = Generator(vocab, seed=seed).write(
            out_dir, freelancers, jobs, progress=lambda name, n: progress(f"generate {name}", n, 0)
        )
    out.print(f"wrote {out_dir}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))


@app.command("import")
def import_(
    directory: Annotated[Path, typer.Argument(help="Bundle directory (DATA_FORMAT.md).")],
    strict: Annotated[
        bool, typer.Option(help="Abort without importing if any line is bad.")
    ] = False,
) -> None:
    """Import a bundle: validate, report bad lines as file:line: reason, upsert the rest, index."""
    try:
        engine = _engine()
        with _progress() as progress:
            report = engine.import_bundle(directory, strict=strict, progress=progress)
    except TandemError as exc:
        _fail(exc)
        return
    for error in report.errors[:200]:
        err.print(str(error), highlight=False, markup=False)
    if len(report.errors) > 200:
        err.print(f"... and {len(report.errors) - 200} more bad lines")
    out.print(report.summary())


@app.command("export")
def export(
    directory: Annotated[Path, typer.Argument(help="Directory to write the bundle into.")],
) -> None:
    """Export the store as a bundle."""
    try:
        counts = _engine().export_bundle(directory)
    except TandemError as exc:
        _fail(exc)
        return
    out.print(f"wrote {directory}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))


@app.command()
def index() -> None:
    """Bring the search indexes up to date with the store (only changes are re-indexed)."""
    try:
        with _progress() as progress:
            changed = _engine().sync_indexes(progress)
    except TandemError as exc:
        _fail(exc)
        return
    out.print("re-indexed: " + ", ".join(f"{v} {k}" for k, v in changed.items()))


def _why(reasons: list[Reason], limit: int = 6) -> str:
    marks = {"positive": "+", "negative": "-"}
    return "\n".join(f"{marks.get(x.kind, '·')} {x.text}" for x in reasons[:limit])


def _match_table(title: str, results: list[MatchResult]) -> Table:
    table = Table(title=title, show_lines=True)
    for col in ("#", "freelancer", "score", "rate", "why"):
        table.add_column(col)
    for n, r in enumerate(results, start=1):
        why = _why(r.reasons)
        table.add_row(
            str(n),
            f"{r.name}\n{r.title}\n[dim]{r.freelancer_id}[/]",
            f"{r.score:.3f}",
            f"{r.hourly_rate:g} {r.currency}/h",
            why,
        )
    return table


def _job_table(title: str, results: list[JobResult]) -> Table:
    table = Table(title=title, show_lines=True)
    for col in ("#", "job", "score", "why"):
        table.add_column(col)
    for n, r in enumerate(results, start=1):
        why = _why(r.reasons)
        table.add_row(
            str(n), f"{r.title}\n[dim]{r.job_id} · {r.category or ''}[/]", f"{r.score:.3f}", why
        )
    return table


@search_app.command("talent")
def search_talent(
    query: Annotated[str, typer.Argument(help="What you are looking for, in words.")] = "",
    skill: Annotated[list[str] | None, typer.Option(help="Required skill (repeatable).")] = None,
    max_rate: Annotated[float | None, typer.Option(min=0, help="Maximum hourly rate, USD.")] = None,
    country: Annotated[str | None, typer.Option(help="ISO 3166-1 alpha-2 country code.")] = None,
    min_job_success: Annotated[float | None, typer.Option(min=0, max=100)] = None,
    available: Annotated[bool, typer.Option(help="Only people available now.")] = False,
    top: Annotated[int, typer.Option(min=1, max=1000)] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Search freelancers."""
    from tandem.engine import TalentQuery

    try:
        served = _engine().serve_search_talent(
            TalentQuery(query, skill or [], max_rate, country, min_job_success, available, top),
            _requester("cli"),
        )
        results = served.results
    except TandemError as exc:
        _fail(exc)
        return
    if as_json:
        _print_json(served.model_dump())
    else:
        out.print(_match_table(f"Talent for '{query}'", results))


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
        _fail(TandemError("--budget-type must be 'fixed' or 'hourly'"))
    try:
        served = _engine().serve_search_jobs(
            JobQuery(query, skill or [], min_budget, budget_type, category, include_closed, top),
            _requester("cli"),
        )
        results = served.results
    except TandemError as exc:
        _fail(exc)
        return
    if as_json:
        _print_json(served.model_dump())
    else:
        out.print(_job_table(f"Jobs for '{query}'", results))


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
        served = _engine().serve_match(
            job_id, top=top, candidates=candidates, who=_requester("cli")
        )
        results = served.results
    except TandemError as exc:
        _fail(exc)
        return
    if as_json:
        _print_json({"job_id": job_id, **served.model_dump()})
    else:
        out.print(_match_table(f"Matches for job {job_id}", results))
        out.print(f"[dim]ranked by the {served.ranker}; request {served.request_id}[/]")


@app.command()
def recommend(
    freelancer_id: Annotated[str, typer.Argument(help="The freelancer to find jobs for.")],
    top: Annotated[int, typer.Option(min=1, max=1000)] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Rank open jobs for a freelancer, with reasons."""
    try:
        served = _engine().serve_recommend(freelancer_id, top=top, who=_requester("cli"))
        results = served.results
    except TandemError as exc:
        _fail(exc)
        return
    if as_json:
        _print_json({"freelancer_id": freelancer_id, **served.model_dump()})
    else:
        out.print(_job_table(f"Jobs for freelancer {freelancer_id}", results))


@app.command()
def train(
    promote: Annotated[bool, typer.Option(help="Promote if the gate passes.")] = True,
) -> None:
    """Train a LambdaMART ranker on outcomes; it serves only if it beats the gate."""
    try:
        engine = _engine()
        outcome = engine.train(auto_promote=promote)
    except TandemError as exc:
        _fail(exc)
        return
    info, decision = outcome.model, outcome.decision
    table = Table(title=f"Trained {info.version}")
    table.add_column("window")
    table.add_column("jobs", justify="right")
    table.add_column("from / to")
    for name, size in outcome.groups.items():
        table.add_row(name, str(size), " / ".join(outcome.windows.get(name, [])))
    out.print(table)
    metrics = Table(title="Held-out window, NDCG@10 (labelled candidates)")
    metrics.add_column("ranker")
    metrics.add_column("NDCG@10", justify="right")
    for name, value in decision.metrics.items():
        metrics.add_row(name, f"{value:.4f}")
    out.print(metrics)
    if info.status == "serving":
        out.print(f"[green]promoted[/]: {decision.reason}")
    else:
        why = decision.reason if not decision.promote else "promotion not requested (--no-promote)"
        out.print(f"[yellow]kept as a candidate[/]: {why}")
        out.print(f"serving: {engine.ranker_note}")


@app.command()
def rank(
    jobs: Annotated[Path, typer.Option("--jobs", help="File with one job id per line.")],
    out_path: Annotated[Path, typer.Option("--out", help="JSON Lines output file.")],
    candidates: Annotated[
        CandidateSource, typer.Option(help="'proposals' (every applicant) or 'all' freelancers.")
    ] = "proposals",
    top_k: Annotated[
        int | None, typer.Option(min=1, max=1000, help="Results per job (default: 100 for all).")
    ] = None,
) -> None:
    """Rank candidates for many jobs into a JSON Lines file (one job per line)."""
    if not jobs.exists():
        _fail(TandemError(f"{jobs} does not exist"))
    ids = [line.strip() for line in jobs.read_text(encoding="utf-8").splitlines() if line.strip()]
    top = top_k if candidates == "all" else None
    if candidates == "all" and top is None:
        top = 100
    missing = 0
    try:
        engine = _engine()
        err.print(f"ranking with the {engine.ranker_note}")
        with _progress() as progress, out_path.open("w", encoding="utf-8") as handle:
            for job_id in ids:
                line: dict[str, object] = {"job_id": job_id}
                try:
                    results = engine.serve_match(
                        job_id, top=top, candidates=candidates, who=_requester("batch")
                    ).results
                    line["ranking"] = [
                        {
                            "freelancer_id": r.freelancer_id,
                            "score": r.score,
                            "reasons": [x.model_dump() for x in r.reasons],
                        }
                        for r in results
                    ]
                except NotFoundError as exc:
                    missing += 1
                    line.update(ranking=[], error=str(exc))
                handle.write(json.dumps(line, ensure_ascii=False) + "\n")
                progress("rank jobs", 1, len(ids))
    except TandemError as exc:
        _fail(exc)
        return
    out.print(
        f"wrote {len(ids)} rankings to {out_path}"
        + (f" ({missing} unknown job ids)" if missing else "")
    )


@eval_app.command("ranking")
def eval_ranking(
    bundle: Annotated[Path, typer.Option(help="Bundle to evaluate on.")],
    cutoff: Annotated[str, typer.Option(help="ISO date: train before it, evaluate after it.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Train before a cutoff and evaluate after it, against baselines from the same run."""
    try:
        when = _parse_time(cutoff)
        with _progress(enabled=not as_json) as progress:
            report = _engine().evaluate_ranking(bundle, when, progress)
    except TandemError as exc:
        _fail(exc)
        return
    if as_json:
        _print_json(report)
        return
    table = Table(title=f"Ranking evaluation: {report['jobs_evaluated']} jobs after {cutoff}")
    for col in ("method", "NDCG@10", "MRR (hire)", "Recall@100 (hire)"):
        table.add_column(col, justify="right" if col != "method" else "left")
    for method, m in report["metrics"].items():
        table.add_row(method, f"{m['ndcg@10']:.4f}", f"{m['mrr']:.4f}", f"{m['recall@100']:.4f}")
    out.print(table)


def _parse_time(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValidationError(f"not an ISO date or time: {text!r}") from exc
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@models_app.command("list")
def models_list() -> None:
    """Every trained model with its windows, metrics and status."""
    engine = _engine()
    table = Table(title=f"Models (serving: {engine.ranker_note})")
    for col in ("version", "status", "created", "holdout NDCG@10", "gate"):
        table.add_column(col)
    for info in engine.models.list():
        metric = info.meta.get("metrics", {}).get("ndcg@10/candidate")
        table.add_row(
            info.version,
            info.status,
            str(info.meta.get("created_at", ""))[:19],
            f"{metric:.4f}" if metric is not None else "",
            str(info.meta.get("gate", "")),
        )
    out.print(table)


@models_app.command("promote")
def models_promote(version: Annotated[str, typer.Argument(help="Model version.")]) -> None:
    """Serve a model (a person's decision: the gate is advisory here)."""
    try:
        _engine().models.promote(version)
    except TandemError as exc:
        _fail(exc)
        return
    out.print(f"serving {version}")


@models_app.command("rollback")
def models_rollback() -> None:
    """Serve the previously promoted model again (or the heuristic if there was none)."""
    try:
        previous = _engine().models.rollback()
    except TandemError as exc:
        _fail(exc)
        return
    out.print(f"serving {previous or 'the heuristic scorer'}")


@app.command()
def why(
    request_id: Annotated[str, typer.Argument(help="Request id of a served ranking.")],
    freelancer_id: Annotated[str, typer.Argument(help="A freelancer in that ranking.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Replay a logged decision: the score, reasons, model version, and what today's model does."""
    try:
        replay = _engine().why(request_id, freelancer_id)
    except TandemError as exc:
        _fail(exc)
        return
    if as_json:
        _print_json(replay)
        return
    logged = replay["logged"]
    out.print(f"[bold]{replay['kind']}[/] {replay['subject']} at {replay['ts']}", highlight=False)
    out.print(
        f"{freelancer_id} was ranked #{logged['rank']} with score {logged['score']:.4f} "
        f"by {logged['model_version']}, because:",
        highlight=False,
    )
    for reason in logged["reasons"]:
        mark = {"positive": "+", "negative": "-"}.get(reason["kind"], "·")
        out.print(f"  {mark} {reason['text']} ({reason['contribution']:+.3f})", highlight=False)
        for item in reason["evidence"]:
            out.print(f"      {item}", highlight=False, style="dim")
    today = replay.get("today")
    if today:
        where = (
            f"#{today['rank']} with score {today['score']:.4f}" if today["rank"] else "not at all"
        )
        verdict = "differently" if replay["changed"] else "the same way"
        out.print(f"Today {today['model_version']} ranks them {where}: {verdict}.", highlight=False)


@app.command()
def learn(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Run the feedback loop once (safe from cron): new outcomes -> retrain -> gate -> promote."""
    try:
        result = _engine().learn()
    except TandemError as exc:
        _fail(exc)
        return
    if as_json:
        _print_json(result)
        return
    for key, value in result.items():
        out.print(f"{key}: {value}", highlight=False)


def _taxonomy_import(source: str, directory: Path) -> None:
    try:
        read, new = _engine().import_taxonomy(source, directory)
    except TandemError as exc:
        _fail(exc)
        return
    out.print(f"{source}: read {read} skills, {new} new in the taxonomy")


@taxonomy_import_app.command("onet")
def taxonomy_import_onet(
    directory: Annotated[Path, typer.Argument(help="O*NET text files.")],
) -> None:
    """Import O*NET technology skills (``Technology Skills.txt``)."""
    _taxonomy_import("onet", directory)


@taxonomy_import_app.command("esco")
def taxonomy_import_esco(
    directory: Annotated[Path, typer.Argument(help="ESCO CSV export.")],
) -> None:
    """Import ESCO skills from the CSV export."""
    _taxonomy_import("esco", directory)


@taxonomy_app.command("stats")
def taxonomy_stats() -> None:
    """How many skills per category and source."""
    engine = _engine()
    table = Table(title=f"{len(engine.taxonomy)} skills")
    table.add_column("category")
    table.add_column("skills", justify="right")
    counts: dict[str, int] = {}
    for s in engine.taxonomy:
        counts[s.category] = counts.get(s.category, 0) + 1
    for cat, n in sorted(counts.items(), key=lambda kv: -kv[1])[:40]:
        table.add_row(cat, str(n))
    out.print(table)


@skills_app.command("normalise")
def skills_normalise(
    names: Annotated[list[str], typer.Argument(help="Skill names as typed.")],
) -> None:
    """Show what typed skill names resolve to."""
    engine = _engine()
    for name in names:
        m = engine.normaliser.match(name)
        out.print(f"{name!r} -> {m.name or '(unknown)'} ({m.how})", highlight=False, markup=False)


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
    """Build the sample marketplace (first run only), index it and serve it."""
    settings = Settings()
    bundle = settings.home / "demo-bundle"
    try:
        engine = _engine()
        url = f"http://{settings.host}:{port or settings.port}"
        if engine.store.freelancers.count() == 0:
            out.print(f"Building the sample marketplace in {bundle}; it will be served on {url}")
            generate(bundle, freelancers=freelancers, jobs=jobs, seed=7)
            with _progress() as progress:
                report = engine.import_bundle(bundle, progress=progress)
            out.print(report.summary())
        else:
            with _progress() as progress:
                engine.sync_indexes(progress)
    except TandemError as exc:
        _fail(exc)
        return
    serve(host=None, port=port)


def main() -> None:
    """Entry point of the ``tandem`` script."""
    app()
