"""Property-level access: what of a profile each identity may see.

One public projection of a freelancer, used for every response except to the person
themselves and to operators; responses are built from it, not from templates that must
remember to leave fields out.

The projection is an allowlist. Records keep fields the bundle format does not know
(``extra="allow"``, so import then export round-trips them), and a marketplace may put
anything there (``secondary_email``, ``home_address``, ``date_of_birth``): a field is shown
publicly only when it is named in :data:`PUBLIC_FIELDS`, nested items included. A new
field of :class:`~tandem.domain.Freelancer` stays private until it is added here
(``tests/access/test_projections.py`` makes every field either public or private).
"""

from __future__ import annotations

import re

from tandem.access.identity import Identity
from tandem.domain import Decision, Freelancer, MatchRanking, Reason
from tandem.domain.results import FAIRNESS_REASON
from tandem.text import redact

#: Never shown to anyone but the person and operators.
PRIVATE_FIELDS = frozenset({"email", "phone", "attributes", "consent"})

#: Shown to everyone who may read profiles: a top-level field, with the keys kept of each
#: item when the field is a list of objects (``None``: a plain value, kept as it is).
PUBLIC_FIELDS: dict[str, frozenset[str] | None] = {
    "id": None,
    "name": None,
    "title": None,
    "overview": None,
    "skills": None,
    "hourly_rate": None,
    "currency": None,
    "country": None,
    "timezone": None,
    "languages": frozenset({"code", "level"}),
    "experience_years": None,
    "availability_hours_per_week": None,
    "job_success": None,
    "total_jobs": None,
    "total_hours": None,
    "rating": None,
    "joined_at": None,
    "portfolio": frozenset({"title", "description", "skills"}),
}


def _keep(value: object, keys: frozenset[str] | None) -> object:
    if keys is None or not isinstance(value, list):
        return value
    return [
        {k: v for k, v in item.items() if k in keys} for item in value if isinstance(item, dict)
    ]


#: Free text a freelancer types (top-level fields, and keys of portfolio items): shown to
#: others through :func:`tandem.text.redact`, so an email or phone typed into an overview
#: stays as private as the ``email`` field.
FREE_TEXT = frozenset({"name", "title", "overview", "description"})


def _redacted(value: object) -> object:
    if isinstance(value, list):
        return [_redacted(item) for item in value]
    if isinstance(value, dict):
        return {k: redact(v) if k in FREE_TEXT and isinstance(v, str) else v
                for k, v in value.items()}  # fmt: skip
    return value


def public_profile(f: Freelancer) -> dict[str, object]:
    """A freelancer as other users see them: the public fields only, contact details redacted."""
    data = f.to_json_dict()
    kept = {k: _keep(v, PUBLIC_FIELDS[k]) for k, v in data.items() if k in PUBLIC_FIELDS}
    return {
        k: redact(v) if k in FREE_TEXT and isinstance(v, str) else _redacted(v)
        for k, v in kept.items()
    }


#: Shown to the person only: self-reported protected attributes (gender, ...). Operators run
#: the marketplace and see contact details, but an attribute is read only to audit (auditors
#: see aggregates) and to apply the fairness policy; nobody needs it per person.
PERSON_ONLY_FIELDS = frozenset({"attributes"})


def profile_for(who: Identity, f: Freelancer) -> dict[str, object]:
    """The whole record for the person; for operators without the attributes; else public."""
    if who.is_freelancer(f.id):
        return f.to_json_dict()
    if who.role == "operator":
        return {k: v for k, v in f.to_json_dict().items() if k not in PERSON_ONLY_FIELDS}
    return public_profile(f)


#: What of a logged ranking's request an auditor sees: how it was asked, never what was typed.
AUDIT_REQUEST_KEYS = frozenset({"candidates", "top", "fairness", "ranker"})


#: What an auditor reads instead of a search's words or filters quoted in a reason.
SEARCH_WORDS = "the search words"
#: Reason codes whose whole text restates the request (a filter names its value).
_REQUEST_REASONS = {"filter": "Passes a filter of the search"}


def _reason_for_audit(reason: Reason, words: str) -> Reason:
    """A reason without its evidence, and without the search words or filters it quotes.

    Search reasons quote the query ("Matches the words of 'web scraping developer'"), which
    would show an auditor what someone searched for through the reason text; every reason
    kind that does is generalised here, whatever its code, by taking the words out.
    """
    text = _REQUEST_REASONS.get(reason.code, reason.text)
    if words:
        # "Matches 'developer' of 'python developer'" quotes some of the words before them
        text = re.sub(
            rf"^Matches .+ of '{re.escape(words)}'", f"Matches some of {SEARCH_WORDS}", text
        )
        text = text.replace(f"'{words}'", SEARCH_WORDS)
        text = re.sub(re.escape(words), SEARCH_WORDS, text, flags=re.IGNORECASE)
    return reason.model_copy(update={"evidence": [], "text": text})


#: Who reads, person by person, how a ranking policy moved someone ("Moved up by the fairness
#: policy: position 2, 6 by score"): the roles that account for rankings, in the decision log
#: and what reads it (``GET /api/decisions/ID``, ``tandem why``, compare). A client reading who
#: moved up would read the group the policy lifts (trial 19): for clients and freelancers a
#: policy's moves are only ever said of a list as a whole (:data:`POLICY_NOTE`).
SEES_POLICY_MOVES = frozenset({"operator", "auditor"})

#: What a served list says, as a whole, when a marketplace policy placed some of its results
#: away from their score order: never who moved, which way, or by which attribute.
POLICY_NOTE = (
    "The marketplace's exposure policy re-ordered this list, so it is not all in score "
    "order; every score is unchanged."
)


def is_policy_move(reason: Reason) -> bool:
    """Whether ``reason`` is a ranking policy's per-person move (fairness or newcomer step)."""
    return reason.code == FAIRNESS_REASON


def without_policy_moves(reasons: list[Reason]) -> list[Reason]:
    """``reasons`` without a policy's per-person move (they add no points: the sum stays)."""
    return [r for r in reasons if not is_policy_move(r)]


def served_list(ranking: MatchRanking) -> MatchRanking:
    """A served list of people as every face shows it, whoever asks: no per-person moves.

    A served list reaches the job's client (the API, the web cards, the companion, and what an
    operator's ``tandem match`` prints is the list a client would be shown), so its results
    never say who a policy moved; :data:`POLICY_NOTE` says it of the list instead. The decision
    log keeps each move, for the roles in :data:`SEES_POLICY_MOVES`.
    """
    moved = any(is_policy_move(r) for item in ranking.results for r in item.reasons)
    if not moved:
        return ranking
    results = [
        item.model_copy(update={"reasons": without_policy_moves(item.reasons)})
        for item in ranking.results
    ]
    return ranking.model_copy(update={"results": results, "policy_note": POLICY_NOTE})


def replay_for(who: Identity, replay: dict[str, object]) -> dict[str, object]:
    """A replay (``tandem why``) as ``who`` may read it: the logged reasons without moves.

    The logged position stays: it is the person's own place in a list the reader was shown.
    """
    logged = replay.get("logged")
    if who.role in SEES_POLICY_MOVES or not isinstance(logged, dict):
        return replay
    reasons = [r for r in logged.get("reasons", []) if r.get("code") != FAIRNESS_REASON]
    return replay | {"logged": logged | {"reasons": reasons}}


def decision_for(who: Identity, decision: Decision) -> Decision:
    """A logged ranking as ``who`` may read it: whole, or without people for an auditor.

    Auditors check how rankings were made (model version, scores, reasons, the policy
    applied), not whom they were about: the person who asked, the candidates' ids, the words
    of a search (also where a reason quotes them) and the evidence quoted from profiles are
    left out, and each result is known
    by its position. A job id stays (a job is a client's post, not a person). A client or
    freelancer reads what they were served without a policy's per-person moves
    (:data:`SEES_POLICY_MOVES`).
    """
    if who.role not in SEES_POLICY_MOVES:
        moved = any(is_policy_move(r) for item in decision.results for r in item.reasons)
        if not moved:
            return decision
        results = [
            item.model_copy(update={"reasons": without_policy_moves(item.reasons)})
            for item in decision.results
        ]
        return decision.model_copy(update={"results": results})
    if who.role != "auditor":
        return decision
    words = str(decision.request.get("text") or "").strip()
    results = [
        item.model_copy(
            update={
                "id": f"#{item.rank}",
                "reasons": [_reason_for_audit(r, words) for r in item.reasons],
            }
        )
        for item in decision.results
    ]
    return decision.model_copy(
        update={
            "actor": "",
            "subject": decision.subject if decision.kind == "match" else "",
            "request": {k: v for k, v in decision.request.items() if k in AUDIT_REQUEST_KEYS},
            "candidates": [],
            "results": results,
        }
    )
