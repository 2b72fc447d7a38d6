"""Subject access (GDPR Art. 15): everything Tandem stores about one person, as one document.

The document holds the person's record, what hangs off it (a freelancer's proposals and
events; a client's jobs, and the proposals and events on them), their users and companion
sessions, every logged ranking that names them (a freelancer: where they were ranked, at
which position, with the reasons shown; the rankings made for them; a client: the rankings
served for its jobs, without the other people in them) or whose search words do, and the
model versions trained on their data. Nothing here writes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tandem.store import Store, ledger
from tandem.store.privacy import PersonKind, Subject

#: The version of the export's layout (bump it when a field changes meaning).
EXPORT_FORMAT = 1


def export_subject(store: Store, kind: PersonKind, person_id: str) -> dict[str, Any]:
    """The subject access document of ``kind``/``person_id`` (NotFoundError if absent)."""
    subject = store.privacy.subject(kind, person_id)
    repo = store.freelancers if kind == "freelancer" else store.clients
    document: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "generated_at": datetime.now(UTC).isoformat(),
        "kind": kind,
        "id": person_id,
        "profile": repo.get(person_id).to_json_dict(),
    }
    if kind == "freelancer":
        document["proposals"] = [
            p.to_json_dict() for p in store.proposals.where(freelancer_id=person_id)
        ]
        document["events"] = [e.to_json_dict() for e in store.events.where(freelancer_id=person_id)]
    else:
        jobs = store.jobs.get_many(subject.job_ids)
        document["jobs"] = [jobs[j].to_json_dict() for j in sorted(jobs)]
        document["proposals"] = [
            p.to_json_dict() for j in subject.job_ids for p in store.proposals.where(job_id=j)
        ]
        document["events"] = [
            e.to_json_dict() for j in subject.job_ids for e in store.events.where(job_id=j)
        ]
    document["users"] = [
        {"id": u.id, "name": u.name, "role": u.role, "created_at": u.created_at.isoformat()}
        for u in store.users.all()
        if u.id in subject.user_ids
    ]
    document["conversations"] = _conversations(store, subject)
    document["rankings"] = _rankings(store, subject)
    document["models"] = store.privacy.models_of(subject.model_names)
    return document


def _conversations(store: Store, subject: Subject) -> list[dict[str, Any]]:
    """The person's own sessions in full; others' sessions about them by id and date only.

    A session someone else opened (a client comparing candidates) holds that user's words and
    other people's profiles: handing it over would disclose them (GDPR Art. 15(4)). The
    person learns that it exists and when; erasing them takes them out of it (it stays the
    other person's, with a tombstone where they were).
    """
    out: list[dict[str, Any]] = []
    for session_id in store.privacy.conversations_of(subject):
        conv = store.conversations.get(session_id)
        entry: dict[str, Any] = {
            "id": conv.id,
            "created_at": conv.created_at.isoformat(),
            "yours": conv.actor in subject.user_ids,
        }
        if entry["yours"]:
            entry["state"] = conv.state
            entry["messages"] = [
                {"seq": m.seq, "ts": m.ts.isoformat(), "role": m.role, "text": m.text}
                for m in store.conversations.messages(session_id)
            ]
        out.append(entry)
    return out


def _rankings(store: Store, subject: Subject) -> list[dict[str, Any]]:
    """Every logged ranking that names the person, as it concerns them."""
    out: list[dict[str, Any]] = []
    jobs = set(subject.job_ids)
    needles = subject.log_needles
    found = store.decisions.entries_mentioning(subject.log_keys, needles, subject.name_parts)
    for seq, entry in found:
        row: dict[str, Any] = {
            "request_id": entry["request_id"],
            "seq": seq,
            "ts": entry["ts"],
            "kind": entry["kind"],
            "surface": entry["surface"],
            "model_version": entry["model_version"],
            "requested_by_you": entry["actor"] in subject.user_ids,
            # a search whose words name the person (their words are someone else's: not shown)
            "query_names_you": ledger.quotes(entry, needles, subject.name_parts),
        }
        if subject.kind == "freelancer":
            mine = [r for r in entry["results"] if r["id"] == subject.id]
            if entry["kind"] in ("match", "search_talent"):
                row["considered"] = subject.id in entry["candidates"]
                row["shown"] = bool(mine)
                if mine:
                    row.update(
                        position=mine[0]["rank"],
                        score=mine[0]["score"],
                        reasons=mine[0]["reasons"],
                        of=len(entry["results"]),
                    )
            elif entry["subject"] == subject.id:  # jobs recommended to the person
                row["for_you"] = [
                    {k: r[k] for k in ("id", "rank", "score", "reasons")} for r in entry["results"]
                ]
        elif entry["kind"] == "match":  # a ranking served for one of the client's jobs
            row["job_id"] = entry["subject"]
            row["results"] = len(entry["results"])
        else:  # the client's jobs, ranked for someone else
            row["positions"] = {r["id"]: r["rank"] for r in entry["results"] if r["id"] in jobs}
        out.append(row)
    return out
