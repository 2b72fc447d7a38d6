"""``tandem models card``: the ranking card of one model version."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from tandem.cli.common import acting_as, fail, models_app, open_engine, out, print_json
from tandem.errors import TandemError


@models_app.command("card")
def models_card(
    version: Annotated[str, typer.Argument(help="Model version (see tandem models list).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """A model's ranking card: training window, features, metrics, gate, known limits.

    Per-group numbers are counted over the rankings the version served (decision log).
    """
    try:
        card = acting_as(open_engine(), None, "cli").model_card(version)
    except TandemError as exc:
        fail(exc)
        return
    if as_json:
        print_json(card)
        return
    _print_card(card)


def _print_card(card: dict[str, Any]) -> None:
    training = card["training"]
    out.print(f"[bold]{card['version']}[/bold]  task {card['task']}, {card['status']}")
    out.print(f"trained {card['created_at']}, cutoff {training['cutoff'] or 'none'}")
    for window, bounds in training["windows"].items():
        jobs = training["jobs"].get(window, 0)
        span = " to ".join(bounds) if bounds else "empty"
        out.print(f"  {window}: {span} ({jobs} jobs)")
    families = ", ".join(f"{f} ({len(c)})" for f, c in card["features"].items())
    out.print(f"features: {families}; protected attributes used: no")
    for metric, value in card["metrics"].items():
        out.print(f"  {metric}: {value:.4f}")
    gate = card["gate"]
    out.print(
        f"gate: {'passed' if gate['passed'] else 'not passed'}. {gate['reason']}", markup=False
    )
    out.print(f"served {card['served']['rankings']} rankings (decision log)")
    for name, s in card["by_group"].items():
        out.print(
            f"  {name}: minimum impact ratio of scoring rates {_num(s['scoring'])}, "
            f"of positives in the top {s['representation']['k']} "
            f"{_num(s['positives_in_top'])}; NDKL {_fmt(s['representation']['ndkl'])}",
            markup=False,
        )
    out.print("known limits:")
    for limit in card["limits"]:
        out.print(f"  - {limit}", markup=False)


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _num(frame: dict[str, Any]) -> str:
    return _fmt(frame["min_impact_ratio"])
