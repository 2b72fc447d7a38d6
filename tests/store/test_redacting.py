"""Erasure on each store backend: others' sessions naming the person stay, redacted."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tandem.domain import Freelancer
from tandem.store import Store
from tandem.store.redacting import JOB_TOMBSTONE, TOMBSTONE, Erased, Redactor


def _person(i: int) -> Freelancer:
    return Freelancer.model_validate(
        {"id": f"f{i}", "name": f"Ada Quist{i}", "email": f"ada{i}@example.org",
         "hourly_rate": 30.0, "country": "DE", "joined_at": "2025-01-01T00:00:00Z"}
    )  # fmt: skip


def test_an_erasure_deletes_own_sessions_and_redacts_others_on_each_backend(store: Store) -> None:
    store.freelancers.add(_person(1))
    store.freelancers.add(_person(2))
    privacy, conversations = store.privacy, store.conversations
    subject = privacy.subject("freelancer", "f1")
    mine = conversations.create("u-f1", {}, "hi")  # not a user row: found by its words below
    state = {"context": {"job_id": "j9", "freelancer_id": "f1"}, "shown": [
        {"id": "f1", "name": "Ada Quist1", "title": "Welder"}, {"id": "f2", "name": "Ada Quist2"}
    ]}  # fmt: skip
    client = conversations.create("u-client", state, "Compare ada quist1 and Ada Quist2?")
    conversations.append(client, [("user", "hire f2, not f1 (ada1@example.org)", {})], state)
    own, others = privacy.split_conversations(subject)
    assert own == [] and others == sorted([client.id])  # "u-f1" is no user of theirs

    counts = privacy.delete_rows(subject, [mine.id], others)

    assert counts["conversations"] == 1 and counts["conversations_redacted"] == 1
    kept = conversations.get(client.id).state
    assert kept["context"] == {"job_id": "j9", "freelancer_id": TOMBSTONE}
    assert kept["shown"] == [dict.fromkeys(("id", "name", "title"), TOMBSTONE), state["shown"][1]]
    texts = [m.text for m in conversations.messages(client.id)]
    assert texts == [
        f"Compare {TOMBSTONE} and Ada Quist2?",
        f"hire f2, not {TOMBSTONE} ({TOMBSTONE})",
    ]
    assert privacy.split_conversations(privacy.subject("freelancer", "f2"))[1] == [client.id]
    for needle in ("Quist1", "quist1", "ada1@"):
        for table, column in (("messages", "text"), ("conversations", "CAST(state AS TEXT)")):
            sql = f"SELECT COUNT(*) FROM {table} WHERE LOWER({column}) LIKE ?"
            assert store.db.scalar(sql, (f"%{needle.lower()}%",)) == 0, (table, needle)


def test_a_clients_jobs_become_a_job_tombstone_and_linking_ids_stay() -> None:
    redactor = Redactor(Erased(frozenset({"c1", "u7"}), frozenset({"j1"}), ("Acme Two",)))
    pending = {"kind": "hire", "args": {"job_id": "j1", "freelancer_id": "f2"}}
    assert redactor.value(pending) == {
        "kind": "hire", "args": {"job_id": JOB_TOMBSTONE, "freelancer_id": "f2"}
    }  # fmt: skip
    assert redactor.value({"id": "j1", "title": "Ledger", "budget": 900}) == dict.fromkeys(
        ("id", "title", "budget"), JOB_TOMBSTONE
    )
    assert redactor.text("j1 at ACME TWO, not j10") == f"{JOB_TOMBSTONE} at {TOMBSTONE}, not j10"


@given(st.text(max_size=40), st.text(max_size=40))
def test_a_redacted_text_never_holds_a_needle(before: str, after: str) -> None:
    needles = ("Ada Quist", "ada@example.org", "f000002")
    redactor = Redactor(Erased(frozenset({"f000002"}), frozenset(), needles))
    for needle in needles:
        text = redactor.text(f"{before} {needle} {after}")
        assert all(n.lower() not in text.lower() for n in needles) or any(
            n.lower() in f"{before}{after}".lower() for n in needles
        )
