"""Why one person is above another in a logged ranking: their reasons side by side.

A client comparing two candidates asks "why is A above B?". The answer must come from what
was served (the decision log), not from a fresh ranking that may differ, and it must be
true: a result's reasons add up to its score, so the difference of two scores is exactly
the sum, reason by reason, of the differences of their contributions. Reasons are paired by
their code (skill coverage with skill coverage); a reason only one of them has counts zero
for the other. The largest differences are the answer, in both directions: where A gains
and where B does.

A ranking policy (the fairness policy) may serve someone above a higher score. Its reason
adds no points, so the score gap cannot explain the order; the summary then says the policy
placed them, quoting its reason to those who may read it (operators and auditors), and to
clients only that the policy re-ordered the list, instead of pretending the scores did.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tandem.domain import Decision, Reason
from tandem.domain.results import FAIRNESS_REASON, ServedItem
from tandem.errors import NotFoundError, ValidationError
from tandem.explain.points import points_text

#: Reasons of policies that move people without changing scores.
POLICY_CODES = frozenset({FAIRNESS_REASON})
#: Said of a pair out of score order when the reader sees no per-person move (a client's view
#: of the log: :func:`tandem.access.projections.decision_for`): of the list, never who moved.
REORDERED = "the marketplace's exposure policy re-ordered this list (scores are unchanged)"
#: Differences smaller than this are ties (scores are logged rounded to 6 decimals).
_TIE = 1e-6


@dataclass(frozen=True)
class Gap:
    """One reason code compared: each side's reason (``None``: absent) and A minus B."""

    code: str
    a: Reason | None
    b: Reason | None

    @property
    def points(self) -> float:
        """A's contribution minus B's."""
        return (self.a.contribution if self.a else 0.0) - (self.b.contribution if self.b else 0.0)

    def to_json(self) -> dict[str, Any]:
        """The JSON shape of one row of the comparison."""

        def side(r: Reason | None) -> dict[str, Any] | None:
            return None if r is None else {"text": r.text, "contribution": r.contribution}

        return {"code": self.code, "a": side(self.a), "b": side(self.b), "gap": self.points}


def _served(decision: Decision, person: str) -> ServedItem:
    found = next((r for r in decision.results if r.id == person), None)
    if found is None:
        raise NotFoundError(
            f"{person!r} was not among the {len(decision.results)} results of request "
            f"{decision.request_id!r}"
        )
    if found.sealed is not None:
        raise NotFoundError(f"{person!r} was erased from request {decision.request_id!r}")
    return found


def _by_code(item: ServedItem) -> dict[str, Reason]:
    merged: dict[str, Reason] = {}
    for r in item.reasons:
        if r.code in merged:  # two reasons under one code: one row, their points summed
            first = merged[r.code]
            r = first.model_copy(
                update={
                    "text": f"{first.text}; {r.text}",
                    "contribution": first.contribution + r.contribution,
                }
            )
        merged[r.code] = r
    return merged


def compare(
    decision: Decision, first: str, second: str, *, names: dict[str, str]
) -> dict[str, Any]:
    """``first`` and ``second`` of a logged ranking compared; ``names`` label them for people.

    Returns the served rank and score of each, every reason code's gap (largest first) and a
    one-sentence answer to "why is the higher one above the other?".
    """
    if first == second:
        raise ValidationError("pick two different people to compare")
    a, b = _served(decision, first), _served(decision, second)
    if b.rank < a.rank:  # the higher one is always "a" in the answer
        a, b = b, a
    ra, rb = _by_code(a), _by_code(b)
    codes = [c for c in dict.fromkeys([*ra, *rb]) if c not in POLICY_CODES]
    gaps = sorted((Gap(c, ra.get(c), rb.get(c)) for c in codes), key=lambda g: -abs(g.points))
    name_a, name_b = names.get(a.id, a.id), names.get(b.id, b.id)
    return {
        "request_id": decision.request_id,
        "subject": decision.subject,
        "model_version": decision.model_version,
        "higher": _side(a, name_a),
        "lower": _side(b, name_b),
        "score_gap": a.score - b.score,
        "gaps": [g.to_json() for g in gaps],
        "policy": [r.text for item in (a, b) for r in item.reasons if r.code in POLICY_CODES],
        "summary": _summary(a, b, name_a, name_b, gaps),
    }


def _side(item: ServedItem, name: str) -> dict[str, Any]:
    return {"id": item.id, "name": name, "rank": item.rank, "score": item.score}


def _summary(a: ServedItem, b: ServedItem, name_a: str, name_b: str, gaps: list[Gap]) -> str:
    gap = a.score - b.score
    moved = [r.text for item in (a, b) for r in item.reasons if r.code in POLICY_CODES]
    if gap < -_TIE or (moved and abs(gap) <= _TIE):
        # a client's view of the log has no per-person moves: the list as a whole is said
        why = "; ".join(moved) or REORDERED
        return f"{name_a} is above {name_b} although {name_b} scores {-gap:.3f} higher: {why}."
    if abs(gap) <= _TIE:
        return f"{name_a} and {name_b} score the same; the list keeps the order it was given."
    ahead = [g for g in gaps if g.points > _TIE][:3]
    behind = [g for g in gaps if g.points < -_TIE][:2]
    text = f"{name_a} scores {gap:.3f} higher than {name_b}, mostly from " + ", ".join(
        f"{_label(g, g.a)} ({points_text(g.points)})" for g in ahead
    )
    if behind:
        text += f"; {name_b} is ahead on " + ", ".join(
            f"{_label(g, g.b)} ({points_text(-g.points)})" for g in behind
        )
    return text + "."


def _label(gap: Gap, side: Reason | None) -> str:
    """How a row reads in the sentence: the side's own reason text, else the other's."""
    reason = side or gap.a or gap.b
    return reason.text if reason else gap.code
