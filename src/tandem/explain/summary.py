"""A compact card's reasons: the few that matter most up front, the rest one click away."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from tandem.domain import Reason

#: Reasons a compact card shows before "more reasons".
CARD_REASONS = 3
#: Reasons about the score's scale rather than the candidate (where every score starts):
#: never among the few shown at once, however large.
SCALE_REASONS = frozenset({"baseline"})


class ReasonSplit(NamedTuple):
    """The reasons shown at once, and the rest (kept in their original order)."""

    main: list[Reason]
    rest: list[Reason]


def most_telling(reasons: Sequence[Reason], n: int = CARD_REASONS) -> ReasonSplit:
    """The ``n`` reasons that move the score most, either way, then the rest.

    Weight is the absolute contribution: a gap that costs a candidate points matters as
    much to the reader as a strength that earns them. The starting point every score has
    (``SCALE_REASONS``) says nothing about this candidate and stays in the rest. Ties (and
    reasons that add nothing, such as notes on how the list was re-ranked) keep the order
    the explainer gave them, so the split never reshuffles reasons of equal weight.
    """
    if n < 0:
        raise ValueError(f"n must be at least 0, got {n}")
    about = [i for i, r in enumerate(reasons) if r.code not in SCALE_REASONS]
    chosen = sorted(about, key=lambda i: -abs(reasons[i].contribution))[:n]
    kept = set(chosen)
    return ReasonSplit(
        [reasons[i] for i in chosen], [r for i, r in enumerate(reasons) if i not in kept]
    )
