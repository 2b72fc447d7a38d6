"""Companion commands: drafts, coaching, explanations and the chat, each acting as someone.

Every command that reads a record acts through the engine bound to an identity: the local
operator by default, or ``--as NAME`` (a stored user), whose role's rules then apply exactly
as through the API.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from tandem.cli.common import AsUser, acting_as, app, fail, open_engine, out, print_json
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
    from tandem.companion.drafts import fields_line

    try:
        draft = make_draft(open_engine(embeds=True), text)
    except TandemError as exc:
        fail(exc)
        return
    if as_json:
        print_json(draft.as_dict())
        return
    out.print(f"[bold]{draft.title}[/]\n", highlight=False)
    out.print(draft.description, highlight=False, markup=False)
    out.print(fields_line(draft), highlight=False, markup=False)  # not in the text: see drafts
    for note in draft.notes:
        out.print(f"[dim]{note}[/]", highlight=False)


def _print_grounded(result: object, as_json: bool) -> None:
    from tandem.companion.coaching import Grounded

    assert isinstance(result, Grounded)
    if as_json:
        print_json(result.as_dict())
        return
    out.print(result.text, highlight=False, markup=False)
    for fact in result.facts:
        out.print(f"[dim]  source: {fact['source']} -> {fact['claim']}[/]", highlight=False)
    for note in result.notes:
        out.print(f"[dim]{note}[/]", highlight=False)


@companion_app.command("draft-proposal")
def draft_proposal(
    freelancer_id: Annotated[str, typer.Argument(help="The freelancer applying.")],
    job_id: Annotated[str, typer.Argument(help="The job.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    as_user: AsUser = None,
) -> None:
    """Draft a proposal from the profile's facts only (nothing is sent)."""
    from tandem.companion.coaching import draft_proposal as make

    try:
        _print_grounded(
            make(acting_as(open_engine(), as_user, "cli"), freelancer_id, job_id), as_json
        )
    except TandemError as exc:
        fail(exc)


@companion_app.command("interview-questions")
def interview_questions(
    job_id: Annotated[str, typer.Argument(help="The job.")],
    freelancer_id: Annotated[str, typer.Argument(help="The candidate.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    as_user: AsUser = None,
) -> None:
    """Interview questions aimed at the candidate's gaps for the job."""
    from tandem.companion.coaching import interview_questions as make

    try:
        _print_grounded(
            make(acting_as(open_engine(), as_user, "cli"), job_id, freelancer_id), as_json
        )
    except TandemError as exc:
        fail(exc)


@companion_app.command("tips")
def tips(
    freelancer_id: Annotated[str, typer.Argument(help="The freelancer.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    as_user: AsUser = None,
) -> None:
    """Honest ways to raise a freelancer's matches (skills their best jobs ask for, gaps)."""
    from tandem.companion.coaching import profile_tips as make

    try:
        _print_grounded(make(acting_as(open_engine(), as_user, "cli"), freelancer_id), as_json)
    except TandemError as exc:
        fail(exc)


@companion_app.command("explain")
def explain(
    request_id: Annotated[str, typer.Argument(help="Request id of a served ranking.")],
    first: Annotated[str, typer.Argument(help="One result (id).")],
    second: Annotated[str, typer.Argument(help="Another result (id).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    as_user: AsUser = None,
) -> None:
    """Why one result was ranked above another, from the decision log only."""
    from tandem.companion.explain import compare

    try:
        acting = acting_as(open_engine(), as_user, "cli")
        _print_grounded(compare(acting, request_id, first, second), as_json)
    except TandemError as exc:
        fail(exc)


@companion_app.command("find")
def find(
    request: Annotated[str, typer.Argument(help="Who you are looking for, in words.")],
    then: Annotated[
        list[str] | None, typer.Option("--then", help="A follow-up that refines (repeatable).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    as_user: AsUser = None,
) -> None:
    """Find talent from a request in words, then refine it turn by turn."""
    from tandem.companion.finding import FindSession

    try:
        session = FindSession(acting_as(open_engine(embeds=True), as_user, "companion"))
        turns = [session.ask(text) for text in [request, *(then or [])]]
    except TandemError as exc:
        fail(exc)
        return
    if as_json:
        print_json(
            {
                "turns": [
                    {
                        "said": t.said,
                        "changes": t.changes,
                        "request_id": t.ranking.request_id,
                        "results": [r.model_dump() for r in t.ranking.results],
                    }
                    for t in turns
                ]
            }
        )
        return
    out.print("[dim]Tandem's AI assistant: these are suggestions; nobody is contacted.[/]")
    for t in turns:
        out.print(f"\n[bold]> {t.said}[/]", highlight=False)
        out.print("filters: " + ("; ".join(t.changes) or "none"), highlight=False)
        for n, r in enumerate(t.ranking.results[:5], start=1):
            out.print(
                f"  {n}. {r.name} - {r.title} - {r.hourly_rate:g} {r.currency}/h", highlight=False
            )


def _print_reply(text: str, payload: dict[str, object]) -> None:
    out.print(f"[bold cyan]tandem>[/] {escape(text)}", highlight=False)
    for fact in payload.get("facts", []) or []:  # type: ignore[attr-defined]
        line = f"source: {fact['source']} -> {fact['claim']}"
        out.print(f"[dim]  {escape(line)}[/]", highlight=False)
    for note in payload.get("notes", []) or []:  # type: ignore[attr-defined]
        out.print(f"[dim]  {escape(note)}[/]", highlight=False)
    pending = payload.get("pending")
    if isinstance(pending, dict):
        summary = escape(str(pending["summary"]))
        out.print(f"[yellow]  waiting for your yes: {summary}[/]", highlight=False)


@app.command("chat")
def chat(
    session: Annotated[str | None, typer.Option(help="Resume a stored session by its id.")] = None,
    job: Annotated[str | None, typer.Option(help="Talk about this job (as its client).")] = None,
    freelancer: Annotated[
        str | None, typer.Option(help="Talk for this freelancer's profile (proposals, tips).")
    ] = None,
    as_user: AsUser = None,
) -> None:
    """Talk with the companion in the terminal; the session is stored and can be resumed.

    You talk as the local operator, or ``--as NAME`` as a stored user (a client about its
    own jobs, a freelancer for its own profile); only its opener can resume a session.
    Type /quit to leave (the session id is printed so you can come back with --session).
    """
    from tandem.companion.dialogue import Companion

    try:
        companion = Companion(acting_as(open_engine(embeds=True), as_user, "companion"))
        if session is not None:
            conv, messages = companion.history(session)
            for m in messages:
                if m.role == "user":
                    out.print(f"[bold]you>[/] {escape(m.text)}", highlight=False)
                else:
                    _print_reply(m.text, m.payload)
        else:
            conv, first = companion.open(job_id=job, freelancer_id=freelancer)
            _print_reply(first.text, first.payload)
    except TandemError as exc:
        fail(exc)
        return
    out.print(f"[dim]session {conv.id} (/quit to leave)[/]", highlight=False)
    while True:
        try:
            text = out.input("[bold]you>[/] ")
        except (EOFError, KeyboardInterrupt):
            text = "/quit"
        if text.strip() in ("/quit", "/exit", "/q"):
            out.print(f"[dim]bye: resume with tandem chat --session {conv.id}[/]", highlight=False)
            return
        if not text.strip():
            continue
        try:
            turn = companion.say(conv.id, text)
        except TandemError as exc:
            out.print(f"[red]{exc}[/]", highlight=False)
            continue
        _print_reply(turn.reply.text, turn.reply.payload)
