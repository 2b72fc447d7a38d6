"""Learning commands: train, rank, eval, models, learn."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from tandem.cli.common import (
    CandidateSource,
    ExecutorOption,
    RayAddressOption,
    app,
    err,
    eval_app,
    fail,
    models_app,
    open_engine,
    out,
    print_json,
    progress_bars,
    requester,
)
from tandem.engine.types import TASK_OF
from tandem.errors import NotFoundError, TandemError, ValidationError
from tandem.text.articles import with_article

if TYPE_CHECKING:  # the learning stack is heavy; only `train` needs it, at run time
    from tandem.engine import Engine
    from tandem.learn.train import GateDecision
from tandem.domain.results import TASKS, Task


@app.command()
def train(
    promote: Annotated[bool, typer.Option(help="Promote if the gate passes.")] = True,
    executor: ExecutorOption = "local",
    ray_address: RayAddressOption = None,
) -> None:
    """Train one LambdaMART ranker per task; each serves only if it passes its task's gate.

    With --executor ray, the training groups' feature rows are built by Ray actors; the
    groups, and so the models, are the ones a local run builds.
    """
    try:
        engine = open_engine()
        with engine.executing(executor, ray_address), progress_bars() as progress:
            outcome = engine.train(auto_promote=promote, progress=progress)
    except TandemError as exc:
        fail(exc)
        return
    for task, run in outcome.runs.items():
        info, decision = run.model, run.decision
        table = Table(title=f"{task}: trained {info.version}")
        table.add_column("window")
        table.add_column("jobs", justify="right")
        table.add_column("from / to")
        for name, size in run.groups.items():
            table.add_row(name, str(size), " / ".join(run.windows.get(name, [])))
        out.print(table)
        out.print(_gate_table(task, decision))
        if info.status == "serving":
            out.print(f"[green]promoted for {task}[/]: {decision.reason}")
        else:
            why = (
                decision.reason
                if not decision.promote
                else "promotion not requested (--no-promote)"
            )
            out.print(f"[yellow]kept as {with_article(task)} candidate[/]: {why}")
            out.print(f"{task} is served by the {engine.ranker_note(task)}")


def _gate_table(task: str, decision: GateDecision) -> Table:
    what = "labelled candidates" if task == "applicants" else "whole pool, as served"
    table = Table(title=f"{task}: held-out window ({what})")
    table.add_column("ranker")
    table.add_column("NDCG@10", justify="right")
    for name in decision.floors:
        table.add_column(name, justify="right")
    for name, value in decision.metrics.items():
        floors = [f"{values.get(name, float('nan')):.4f}" for values in decision.floors.values()]
        table.add_row(name, f"{value:.4f}", *floors)
    return table


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
    fair_by: Annotated[
        str | None,
        typer.Option(
            help="Fair re-ranking by this attribute (e.g. gender); '' for none. "
            "Default: TANDEM_FAIR_BY."
        ),
    ] = None,
    newcomers: Annotated[
        float | None,
        typer.Option(
            min=0.0,
            max=1.0,
            metavar="SHARE",
            help="Newcomer exposure: newcomers clearing each list's relevance floor get this "
            "share of the top 10's attention over the run (after --fair-by); 0 for none. "
            "Default: TANDEM_NEWCOMER_SHARE.",
        ),
    ] = None,
    executor: ExecutorOption = "local",
    ray_address: RayAddressOption = None,
) -> None:
    """Rank candidates for many jobs into a JSON Lines file (one job per line).

    Each line carries the ranking's request_id and model version: every ranking is written
    to the decision log as a served one is, so `tandem why REQUEST_ID FREELANCER` replays it.

    With --executor ray, Ray actors score the jobs' lists; the policies that carry state from
    list to list (--fair-by with the amortised method, --newcomers) and the decision log run
    here, in the file's order, so the file is the one a local run writes.
    """
    if not jobs.exists():
        fail(TandemError(f"{jobs} does not exist"))
    ids = [line.strip() for line in jobs.read_text(encoding="utf-8").splitlines() if line.strip()]
    top = top_k if candidates == "all" else None
    if candidates == "all" and top is None:
        top = 100
    missing = 0
    try:
        engine = open_engine()
        err.print(f"ranking with the {engine.ranker_note(TASK_OF[candidates])}")
        policy = engine.fairness_policy(fair_by)
        if policy is not None:
            engine.check_attribute(policy.attribute)
            err.print(f"fair re-ranking by {policy.attribute} ({policy.method})")
        run = engine.newcomer_run(newcomers)
        if run.policy is not None:
            err.print(f"newcomer exposure: {run.policy.share:g} of the top {run.policy.k}")
        with (
            engine.executing(executor, ray_address),
            progress_bars() as progress,
            out_path.open("w", encoding="utf-8") as handle,
        ):
            served = engine.serve_matches(
                ids,
                top=top,
                candidates=candidates,
                who=requester("batch"),
                fair_by=fair_by,
                newcomers=run,
            )
            for job_id, ranking in served:
                line: dict[str, object] = {"job_id": job_id}
                if isinstance(ranking, NotFoundError):
                    missing += 1
                    line.update(ranking=[], error=str(ranking))
                else:  # logged like a served ranking: `tandem why REQUEST_ID ID` replays it
                    line["request_id"] = ranking.request_id
                    line["model"] = ranking.model_version
                    line["ranking"] = [
                        {
                            "freelancer_id": r.freelancer_id,
                            "score": r.score,
                            "reasons": [x.model_dump() for x in r.reasons],
                        }
                        for r in ranking.results
                    ]
                handle.write(json.dumps(line, ensure_ascii=False) + "\n")
                progress("rank jobs", 1, len(ids))
    except TandemError as exc:
        fail(exc)
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
        with progress_bars(enabled=not as_json) as progress:
            report = open_engine().evaluate_ranking(bundle, when, progress)
    except TandemError as exc:
        fail(exc)
        return
    if as_json:
        print_json(report)
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
def models_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Every trained model with its task, windows, metrics and status."""
    engine = open_engine()
    erased = engine.erased_models()
    rows = []
    for info in engine.models.list():
        metric = info.meta.get("metrics", {}).get("ndcg@10/candidate")
        rows.append(
            {
                "version": info.version,
                "task": info.task,
                "status": info.status,
                "created": str(info.meta.get("created_at", ""))[:19],
                "holdout_ndcg@10": metric,
                "gate": str(info.meta.get("gate", "")),
                "windows": info.meta.get("windows", {}),
                "predates_erasure": f"{erased[info.version]:%Y-%m-%d}"
                if info.version in erased
                else None,
            }
        )
    if as_json:
        notes = {t: engine.ranker_note(t) for t in TASKS}
        print_json({"serving": notes, "models": rows, "changes": engine.models.changes()})
        return
    serving = "; ".join(f"{t}: {engine.ranker_note(t)}" for t in TASKS)
    if out.width < _TABLE_WIDTH:
        _model_blocks(serving, rows)
        return
    table = Table(title=f"Models (serving {serving})")
    # The version is what `models promote` takes: never cut it, fold the long gate text instead.
    table.add_column("version", no_wrap=True, overflow="fold", min_width=44)
    for col in ("task", "status", "created", "holdout NDCG@10"):
        table.add_column(col)
    table.add_column("gate", overflow="fold", ratio=1)
    # Versions trained on someone erased since: they still carry that person's influence.
    table.add_column("erasure", overflow="fold")
    for row in rows:
        table.add_row(*_cells(row))
    out.print(table)


#: Narrower terminals get one block per model: seven columns do not fit in 80.
_TABLE_WIDTH = 140


def _cells(row: dict[str, Any]) -> list[str]:
    metric = row["holdout_ndcg@10"]
    erasure = row["predates_erasure"]
    return [
        row["version"],
        row["task"],
        row["status"],
        row["created"],
        f"{metric:.4f}" if metric is not None else "",
        row["gate"],
        f"predates an erasure ({erasure}): retrain" if erasure else "",
    ]


def _model_blocks(serving: str, rows: list[dict[str, Any]]) -> None:
    """The models as blocks of lines, for a terminal too narrow for the table."""
    out.print(f"Serving: {serving}", highlight=False)
    for row in rows:
        version, task, status, created, metric, gate, erasure = _cells(row)
        out.print(f"\n[bold]{version}[/]  {status}", highlight=False)
        facts = [f"task {task}", f"created {created}"]
        if metric:
            facts.append(f"holdout NDCG@10 {metric}")
        out.print("  " + " · ".join(facts), highlight=False)
        if gate:
            out.print(f"  gate: {escape(gate)}", highlight=False)
        if erasure:
            out.print(f"  [yellow]{erasure}[/]", highlight=False)


#: Serving a model trained on someone since erased takes a deliberate yes.
DespiteErasure = Annotated[
    bool,
    typer.Option(
        "--yes", help="Serve it even if it predates an erasure (trained on an erased person)."
    ),
]


def _warn_if_erased(engine: Engine, version: str | None) -> None:
    erased = engine.erased_models()
    if version in erased:
        err.print(
            f"[yellow]warning:[/] {version} predates an erasure ({erased[version]:%Y-%m-%d}): "
            "it carries an erased person's influence; retrain with 'tandem train'",
            highlight=False,
        )


#: Why the serving model changes: kept with the change in the registry (`models list --json`).
Reason = Annotated[
    str,
    typer.Option(
        "--reason",
        help="Why (kept with the change in the registry's record, shown on the web's models "
        "page beside the web's own reasons).",
    ),
]


def _reason(reason: str) -> str:
    """The reason as the record keeps it: blanks folded as the web's form folds them."""
    return " ".join(reason.split())


def _said_why(reason: str) -> None:
    """After a change recorded without a reason, say how to give one (the change stands).

    Why: the web's form takes a reason for every change, and the models page showed the CLI's
    changes as "(no reason given)" (trial): the option was there, unsaid. An empty reason
    stays allowed, so existing command lines and scripts keep working.
    """
    if not reason:
        err.print(
            "[yellow]note:[/] recorded without a reason; add --reason TEXT to say why "
            "(kept with the change, shown on the models page)",
            highlight=False,
        )


@models_app.command("promote")
def models_promote(
    version: Annotated[str, typer.Argument(help="Model version.")],
    yes: DespiteErasure = False,
    reason: Reason = "",
    force: Annotated[
        bool,
        typer.Option("--force", help="Serve it even though it did not pass its promotion gate."),
    ] = False,
) -> None:
    """Serve a model for its task (a person's decision, never a silent one).

    A version that did not pass its promotion gate is refused without --force, and one
    trained on the data of someone erased since without --yes.
    """
    try:
        engine = open_engine()
        task = engine.promote_model(
            version, despite_erasure=yes, despite_gate=force, by="cli", reason=_reason(reason)
        )
    except TandemError as exc:
        fail(exc)
        return
    _warn_if_erased(engine, version)
    _said_why(_reason(reason))
    meta = engine.models.get(version).meta
    if meta.get("gate_passed") is False:  # served by --force: said, not silent
        err.print(
            f"[yellow]warning:[/] {version} did not pass its promotion gate: "
            + escape(str(meta.get("gate", ""))),
            highlight=False,
        )
    out.print(f"serving {version} for {task}")


@models_app.command("rollback")
def models_rollback(
    task: Annotated[
        Task, typer.Option(help="Which task's model to roll back: 'applicants' or 'discovery'.")
    ] = "applicants",
    yes: DespiteErasure = False,
    reason: Reason = "",
) -> None:
    """Serve a task's previously promoted model again (or the heuristic if there was none).

    A previous version trained on the data of someone erased since is refused without --yes.
    """
    try:
        engine = open_engine()
        previous = engine.rollback_model(
            task, despite_erasure=yes, by="cli", reason=_reason(reason)
        )
    except TandemError as exc:
        fail(exc)
        return
    _warn_if_erased(engine, previous)
    _said_why(_reason(reason))
    out.print(f"{task} is served by {previous or 'the heuristic scorer'}")


@app.command()
def learn(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Run the feedback loop once (safe from cron): new outcomes -> retrain -> gate -> promote."""
    try:
        with progress_bars(enabled=not as_json) as progress:  # on stderr; --json: none
            result = open_engine().learn(progress=progress)
    except TandemError as exc:
        fail(exc)
        return
    if as_json:
        print_json(result)
        return
    _print_mapping(result)


def _print_mapping(result: dict[str, Any], indent: str = "") -> None:
    """``key: value`` lines, a nested mapping indented under its key (no raw dicts)."""
    for key, value in result.items():
        if isinstance(value, dict):
            out.print(f"{indent}{key}:", highlight=False)
            _print_mapping(value, indent + "  ")
        else:
            out.print(f"{indent}{key}: {value}", highlight=False)


@eval_app.command("skills")
def eval_skills(
    benchmark: Annotated[Path, typer.Option(help="CSV: sentence,span,sub_span,label.")],
    labels: Annotated[Path, typer.Option(help="Label space, one ESCO preferred label per line.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Skill linking on a benchmark: RP@5, RP@10 and MRR over the full label space."""
    try:
        scores = open_engine().evaluate_skills(benchmark, labels)
    except TandemError as exc:
        fail(exc)
        return
    if as_json:
        print_json(scores.as_dict())
        return
    for key, value in scores.as_dict().items():
        out.print(f"{key}: {value}", highlight=False)
