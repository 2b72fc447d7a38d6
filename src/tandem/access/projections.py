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
from tandem.domain import Decision, Freelancer, Reason
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


def decision_for(who: Identity, decision: Decision) -> Decision:
    """A logged ranking as ``who`` may read it: whole, or without people for an auditor.

    Auditors check how rankings were made (model version, scores, reasons, the policy
    applied), not whom they were about: the person who asked, the candidates' ids, the words
    of a search (also where a reason quotes them) and the evidence quoted from profiles are
    left out, and each result is known
    by its position. A job id stays (a job is a client's post, not a person).
    """
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
