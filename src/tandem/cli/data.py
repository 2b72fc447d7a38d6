"""Data commands: generate, import, export, index, taxonomy and skills."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Final, Literal

import typer
from rich.table import Table

from tandem.cli.common import (
    ExecutorOption,
    RayAddressOption,
    app,
    err,
    export_app,
    fail,
    open_engine,
    out,
    print_json,
    progress_bars,
    skills_app,
    taxonomy_app,
    taxonomy_import_app,
)
from tandem.errors import TandemError, ValidationError


@app.command()
def generate(
    out_dir: Annotated[Path, typer.Argument(help="Directory to write the bundle into.")],
    freelancers: Annotated[int, typer.Option(min=1, help="Number of freelancers.")] = 2000,
    jobs: Annotated[int, typer.Option(min=1, help="Number of jobs.")] = 1000,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same bundle).")] = 0,
    bias: Annotated[
        float | None,
        typer.Option(
            min=0.0,
            max=1.0,
            help="Clients penalise a group (0-1) and its track record is depressed; also "
            "writes truth/unbiased_outcomes.jsonl (what unbiased clients would have decided).",
        ),
    ] = None,
    bias_against: Annotated[
        str, typer.Option(help="The penalised group, as attribute=value.")
    ] = "gender=woman",
    style: Annotated[
        str,
        typer.Option(
            help="Market style: how posts mark required skills, how client segments weigh "
            "applicants, price sensitivity, applicants per job, letters (default, agency, gig, "
            "specialist, crowded)."
        ),
    ] = "default",
) -> None:
    """Generate a realistic sample marketplace bundle (optionally one with bias in it)."""
    from tandem.bundle import Generator, VocabSkill
    from tandem.bundle.generator_bias import Bias
    from tandem.bundle.generator_style import STYLES
    from tandem.skills.taxonomy import builtin_skills

    if style not in STYLES:
        fail(ValidationError(f"--style must be one of {', '.join(STYLES)}, not {style!r}"))

    attribute, sep, group = bias_against.partition("=")
    if not sep or not attribute.strip() or not group.strip():
        fail(ValidationError(f"--bias-against must be attribute=value, not {bias_against!r}"))
    model = Bias(bias or 0.0, attribute.strip(), group.strip())
    vocab = [VocabSkill(s.name, s.category, s.group, s.aliases) for s in builtin_skills()]
    with progress_bars() as progress:
        counts = Generator(vocab, seed=seed, bias=model, style=style).write(
            out_dir,
            freelancers,
            jobs,
            progress=lambda name, n: progress(f"generate {name}", n, 0),
            truth=bias is not None,
        )
    out.print(f"wrote {out_dir}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    if bias is not None:
        out.print(f"wrote {out_dir / 'truth'}: unbiased outcomes and the bias parameters")


#: ``tandem import`` finished, but skipped bad lines: distinct, so a script notices.
EXIT_SKIPPED_LINES: Final = 3


@app.command("import")
def import_(
    directory: Annotated[Path, typer.Argument(help="Bundle directory (DATA_FORMAT.md).")],
    strict: Annotated[
        bool,
        typer.Option(
            help="Run every check first (references too); import nothing if any line is bad."
        ),
    ] = False,
    readmit: Annotated[
        list[str] | None,
        typer.Option(
            "--readmit",
            metavar="ID",
            help="A freelancer or client id erased before whose records may come back "
            "(repeatable). Without it, records of erased people are skipped and counted.",
        ),
    ] = None,
    executor: ExecutorOption = "local",
    ray_address: RayAddressOption = None,
) -> None:
    """Import a bundle: validate, report bad lines as file:line: reason, upsert the rest, index.

    Exit status:
    0 every line imported;
    3 the good lines imported, bad ones skipped (listed on stderr);
    2 bad input, nothing imported (no such directory, a required file missing, --strict);
    1 any other failure.
    """
    from tandem.cli.allocator import return_large_blocks

    return_large_blocks()  # what the import frees goes back to the system (issue 15)
    try:
        engine = open_engine()
        with engine.executing(executor, ray_address), progress_bars() as progress:
            report = engine.import_bundle(
                directory, strict=strict, progress=progress, readmit=readmit or ()
            )
    except TandemError as exc:
        fail(exc)
        return
    for error in report.errors[:200]:
        err.print(str(error), highlight=False, markup=False)
    if len(report.errors) > 200:
        err.print(f"... and {len(report.errors) - 200} more bad lines")
    out.print(report.summary())
    if report.errors:
        raise typer.Exit(code=EXIT_SKIPPED_LINES)


@export_app.command("bundle")
def export(
    directory: Annotated[Path, typer.Argument(help="Directory to write the bundle into.")],
) -> None:
    """Export the store as a bundle (``tandem export DIR`` does the same)."""
    try:
        counts = open_engine().export_bundle(directory)
    except TandemError as exc:
        fail(exc)
        return
    out.print(f"wrote {directory}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))


@app.command()
def index(executor: ExecutorOption = "local", ray_address: RayAddressOption = None) -> None:
    """Bring the search indexes up to date with the store (only changes are re-indexed)."""
    try:
        engine = open_engine()
        with engine.executing(executor, ray_address), progress_bars() as progress:
            changed = engine.sync_indexes(progress)
    except TandemError as exc:
        fail(exc)
        return
    out.print("re-indexed: " + ", ".join(f"{v} {k}" for k, v in changed.items()))


@app.command()
def stats(
    as_json: Annotated[bool, typer.Option("--json", help="Print the counts as JSON.")] = False,
) -> None:
    """How many records the store holds and each search index serves (counts only)."""
    try:
        numbers = open_engine().stats()
    except TandemError as exc:
        fail(exc)
        return
    if as_json:
        print_json(numbers)
        return
    store = numbers["store"]
    out.print(f"store ({numbers['database']}):", highlight=False)
    for name, value in store.items():
        out.print(f"  {name.replace('_', ' ')}: {value:,}", highlight=False)
    out.print(f"indexes (encoder {numbers['encoder']}):", highlight=False)
    for kind, index in numbers["indexes"].items():
        sync = "in sync" if index["in_sync"] else "NOT in sync: run `tandem index`"
        out.print(
            f"  {kind}: {index['documents']:,} documents ({index['vectors']:,} vectors, "
            f"{index['lexical']:,} lexical), {index['bytes'] / 1e6:.1f} MB, {sync}",
            highlight=False,
        )


def _taxonomy_import(source: str, directory: Path) -> None:
    try:
        engine = open_engine()
        read, new = engine.import_taxonomy(source, directory)
        out.print(f"{source}: read {read} skills, {new} new in the taxonomy")
        if source == "esco":
            # Embed the label space now (the heavy, once-only part of skill linking), so the
            # first `tandem skills extract` answers at once instead of after minutes of silence.
            with progress_bars() as progress:
                engine.linker(taxonomy="esco", progress=progress)
    except TandemError as exc:
        fail(exc)
        return


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
    engine = open_engine()
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
    engine = open_engine()
    for name in names:
        m = engine.normaliser.match(name)
        out.print(f"{name!r} -> {m.name or '(unknown)'} ({m.how})", highlight=False, markup=False)


@skills_app.command("extract")
def skills_extract(
    text: Annotated[str, typer.Argument(help="Any text: a job post, a profile, a request.")],
    taxonomy: Annotated[
        Literal["builtin", "esco"], typer.Option(help="Label space to link to.")
    ] = "esco",
    top_k: Annotated[int, typer.Option(min=1, max=1000)] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Rank the skills a text is about, each with a score and the phrase that supports it."""
    try:
        linked = open_engine(embeds=True).extract_skills(text, taxonomy=taxonomy, top_k=top_k)
    except TandemError as exc:
        fail(exc)
        return
    if as_json:
        print_json(
            {
                "skills": [
                    {"label": s.label, "score": round(s.score, 4), "evidence": s.evidence}
                    for s in linked
                ]
            }
        )
        return
    table = Table(title=f"Skills in the text ({taxonomy})")
    for col in ("#", "skill", "score", "evidence"):
        table.add_column(col)
    for n, s in enumerate(linked, start=1):
        table.add_row(str(n), s.label, f"{s.score:.3f}", s.evidence)
    out.print(table)
