"""Answer "why is A ranked above B?" from the decision log, and only from it.

The answer compares the two results' logged reasons code by code, ordered by how much each
contributed to the gap between their scores; every sentence quotes a logged reason.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tandem.companion.coaching import Grounded
from tandem.domain.results import FAIRNESS_REASON
from tandem.errors import NotFoundError
from tandem.explain.compare import REORDERED
from tandem.explain.points import points_text

if TYPE_CHECKING:
    from tandem.domain import Reason, ServedItem
    from tandem.engine import UserView


def _by_code(item: ServedItem) -> dict[str, Reason]:
    return {r.code: r for r in item.reasons}


def compare(acting: UserView, request_id: str, first_id: str, second_id: str) -> Grounded:
    """Why ``first_id`` was ranked where it was relative to ``second_id`` in one logged ranking.

    Only a ranking the asker may read (:meth:`UserView.decision`): one they were served, or
    the matches of their own job.
    """
    decision = acting.decision(request_id)
    items = {r.id: r for r in decision.results}
    for wanted in (first_id, second_id):
        if wanted not in items:
            raise NotFoundError(f"{wanted!r} is not among the results of request {request_id!r}")
    a, b = items[first_id], items[second_id]
    higher, lower = (a, b) if a.rank < b.rank else (b, a)
    ra, rb = _by_code(higher), _by_code(lower)
    gaps = sorted(
        ((ra[c].contribution if c in ra else 0.0) - (rb[c].contribution if c in rb else 0.0), c)
        for c in set(ra) | set(rb)
    )
    people = acting.people([higher.id, lower.id]) if decision.kind != "recommend" else {}
    label = {i: f"{people[i].name} ({i})" if i in people else i for i in (higher.id, lower.id)}
    lines = [
        f"{label[higher.id]} is #{higher.rank} (score {higher.score:.3f}) and {label[lower.id]} is "
        f"#{lower.rank} (score {lower.score:.3f}) in request {request_id}, ranked by "
        f"{decision.model_version}."
    ]
    facts = []
    for item in (higher, lower):  # a policy, not the score, set this person's place
        moved = _by_code(item).get(FAIRNESS_REASON)
        if moved is not None:
            lines.append(f"{label[item.id]}: {moved.text}.")
            facts.append(
                {"claim": f"{item.id} {FAIRNESS_REASON}", "source": f"decision {request_id}"}
            )
    if not facts and higher.score < lower.score:  # moves not this reader's to see (a client)
        lines.append(f"{label[higher.id]} is above a higher score: {REORDERED}.")
        facts.append({"claim": "policy re-ordered the list", "source": f"decision {request_id}"})
    for gap, code in sorted(gaps, key=lambda g: -abs(g[0]))[:4]:
        if code == FAIRNESS_REASON:
            continue
        if abs(gap) < 1e-4:
            continue
        side = label[higher.id] if gap > 0 else label[lower.id]
        here, there = ra.get(code), rb.get(code)
        said_a = here.text if here else "no such reason"
        said_b = there.text if there else "no such reason"
        lines.append(
            f"{code.replace('_', ' ')} favours {side} by {abs(gap):.3f}: "
            f"{higher.id}: {said_a}; {lower.id}: {said_b}."
        )
        facts.append({"claim": f"{code} {points_text(gap)}", "source": f"decision {request_id}"})
    if len(lines) == 1:
        lines += _without_points(decision.kind, higher, lower, label)
    return Grounded(
        "\n".join(lines),
        facts,
        ["Answered from the decision log only: the reasons shown when it was ranked."],
    )


def _without_points(
    kind: str, higher: ServedItem, lower: ServedItem, label: dict[str, str]
) -> list[str]:
    """Why two results are in this order when their reasons carry no points (a search).

    A search's reasons say where each result stood in the keyword and the meaning rankings that
    were fused into its score; they, and the scores, are what the order came from. Only equal
    scores with equal reasons leave the order to the tie-break.
    """
    if higher.score != lower.score:
        how = "relevance to the search" if kind.startswith("search") else "score"
        lines = [
            f"The order follows the logged {how}: {higher.score:.3f} for {label[higher.id]} "
            f"against {lower.score:.3f} for {label[lower.id]}."
        ]
    elif kind == "search_talent" and not any(r.code.endswith("_match") for r in higher.reasons):
        return [
            "The search had no words to rank by, so everyone passing its filters was listed by "
            f"job success; {label[higher.id]} is listed first by that."
        ]
    else:
        return ["Their logged scores and reasons are the same; the order came from tie-breaking."]
    ours, theirs = _by_code(higher), _by_code(lower)
    for code in sorted(set(ours) | set(theirs)):
        here, there = ours.get(code), theirs.get(code)
        if here is not None and there is not None and here.text == there.text:
            continue
        lines.append(
            f"{code.replace('_', ' ')}: {higher.id}: {_quote(here)}; {lower.id}: {_quote(there)}."
        )
    return lines


def _quote(reason: Reason | None) -> str:
    if reason is None:
        return "no such reason"
    evidence = f" ({', '.join(reason.evidence)})" if reason.evidence else ""
    return f"{reason.text}{evidence}"
