"""The decision log's hash chain: edits, removals and reorderings fail; erasure does not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tandem.domain import Decision
from tandem.store import Store, logcodec, migrate, open_database
from tandem.store.db import json_param, load_json
from tandem.store.ledger import GENESIS


def _decision(
    n: int, kind: str = "match", people: tuple[str, ...] = ("f1", "f2", "f3")
) -> Decision:
    subject = "f1" if kind == "recommend" else f"j{n}"
    ranked = [f"j{n}", f"j{n + 1}"] if kind == "recommend" else list(people)
    return Decision.model_validate(
        {
            "request_id": f"r{n}",
            "ts": datetime(2026, 11, 1, tzinfo=UTC) + timedelta(minutes=n),
            "actor": "u-client",
            "surface": "api",
            "kind": kind,
            "subject": subject,
            "model_version": "heuristic",
            "request": {"job_id": subject} if kind == "match" else {"freelancer_id": "f1"},
            "candidates": ranked,
            "results": [
                {
                    "id": who,
                    "rank": rank,
                    "score": 0.9 - rank / 10,
                    "reasons": [{"code": "skill_coverage", "text": f"{who} knows Django"}],
                }
                for rank, who in enumerate(ranked, start=1)
            ],
        }
    )


def _log(store: Store, n: int = 5) -> None:
    for i in range(1, n + 1):
        store.decisions.record(_decision(i, "recommend" if i == 3 else "match"))


def test_an_untouched_log_verifies_and_its_head_is_the_last_entry(store: Store) -> None:
    assert store.decisions.verify().ok and store.decisions.head() == (0, GENESIS)
    _log(store)
    check = store.decisions.verify()
    assert check.ok and check.entries == 5
    assert store.decisions.head() == (5, check.head_hash) and check.head_hash != GENESIS


def test_an_edited_score_is_found_and_named(store: Store) -> None:
    _log(store)
    raw = store.db.scalar("SELECT payload FROM decisions WHERE request_id = 'r2'")
    payload = logcodec.unpack(load_json(raw))  # SQLite hands back text, PostgreSQL JSON
    assert payload["results"][0]["score"] == 0.8
    payload["results"][0]["score"] = 0.99
    edited = json_param(logcodec.pack(payload))  # an edit in the format it is stored in
    with store.db.transaction() as tx:
        tx.execute("UPDATE decisions SET payload = ? WHERE request_id = 'r2'", (edited,))
    check = store.decisions.verify()
    assert not check.ok and check.entries == 1
    assert "entry 2 (request r2)" in (check.problem or "")


@pytest.mark.parametrize("change", ["remove middle", "remove last", "reorder", "edit actor"])
def test_removed_reordered_or_edited_entries_break_the_chain(store: Store, change: str) -> None:
    _log(store)
    with store.db.transaction() as tx:
        if change == "remove middle":
            tx.execute("DELETE FROM decisions WHERE seq = 3")
        elif change == "remove last":
            tx.execute("DELETE FROM decisions WHERE seq = 5")
        elif change == "reorder":
            tx.execute("UPDATE decisions SET seq = 100 WHERE seq = 2")
            tx.execute("UPDATE decisions SET seq = 2 WHERE seq = 4")
            tx.execute("UPDATE decisions SET seq = 4 WHERE seq = 100")
        else:
            tx.execute("UPDATE decisions SET actor = 'someone-else' WHERE seq = 4")
    assert not store.decisions.verify().ok


def test_erasing_a_person_leaves_no_trace_and_the_chain_verifies(store: Store) -> None:
    _log(store)
    before = {d.request_id: [r.score for r in d.results] for d in store.decisions.recent(10)}
    rewritten = store.decisions.erase_people({"freelancer:f1"})
    assert rewritten == 5  # f1 is ranked in every match and is the subject of the recommend
    check = store.decisions.verify()
    assert check.ok and check.entries == 5, check.problem
    for decision in store.decisions.recent(10):
        text = decision.model_dump_json()
        assert '"f1"' not in text and "f1 knows" not in text
        assert [r.score for r in decision.results] == before[decision.request_id]
    match = store.decisions.get("r1")
    assert [r.id for r in match.results][1:] == ["f2", "f3"]  # everyone else stays
    assert match.results[0].id.startswith("erased:") and match.results[0].sealed
    assert match.results[1].reasons[0].text == "f2 knows Django"
    recommend = store.decisions.get("r3")
    assert recommend.subject.startswith("erased:") and all(r.sealed for r in recommend.results)
    assert store.db.scalar("SELECT COUNT(*) FROM log_keys WHERE name = 'freelancer:f1'") == 0
    store.decisions.record(_decision(6, people=("f2", "f3")))  # the chain goes on
    assert store.decisions.verify().ok


def test_a_deleted_key_is_reported(store: Store) -> None:
    _log(store, 2)
    with store.db.transaction() as tx:
        tx.execute("DELETE FROM log_keys WHERE name = 'freelancer:f2'")
    check = store.decisions.verify()
    assert not check.ok and "no key for freelancer:f2" in (check.problem or "")


def test_entries_logged_before_the_chain_are_chained_by_the_migration(tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy import create_engine, text

    from tandem.store.db import alembic_config

    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    engine = create_engine(url)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0004")
        for n in (2, 1):
            d = _decision(n)
            connection.execute(
                text(
                    "INSERT INTO decisions (request_id, ts, actor, surface, kind, subject, "
                    "model_version, payload) VALUES (:r, :ts, 'a', 'api', 'match', :s, 'h', :p)"
                ),
                {
                    "r": d.request_id,
                    "ts": d.ts.strftime("%Y-%m-%d %H:%M:%S.%f"),
                    "s": d.subject,
                    "p": d.model_dump_json(include={"request", "candidates", "results"}),
                },
            )
    engine.dispose()
    db = open_database(url)
    migrate(db)
    store = Store(db)
    check = store.decisions.verify()
    assert check.ok and check.entries == 2, check.problem
    assert [r[0] for r in db.fetchall("SELECT request_id FROM decisions ORDER BY seq")] == [
        "r1",
        "r2",
    ]
    store.decisions.record(_decision(3))
    assert store.decisions.verify().entries == 3


def _search(n: int, text: str, kind: str = "search_talent") -> Decision:
    ranked = ["f2", "f3"] if kind == "search_talent" else ["j1", "j2"]
    return Decision.model_validate(
        {
            "request_id": f"s{n}",
            "ts": datetime(2026, 11, 2, tzinfo=UTC) + timedelta(minutes=n),
            "actor": "u-client",
            "surface": "api",
            "kind": kind,
            "subject": text,
            "model_version": "hybrid-search",
            "request": {"text": text, "skills": ["django", text], "top": 5},
            "candidates": ranked,
            "results": [
                {
                    "id": who,
                    "rank": rank,
                    "score": 0.5,
                    "reasons": [
                        {"code": "keyword_match", "text": f"Matches the words of '{text}'"}
                    ],
                }
                for rank, who in enumerate(ranked, start=1)
            ],
        }
    )


@pytest.mark.parametrize("kind", ["search_talent", "search_jobs"])
def test_a_search_naming_a_person_loses_its_words_when_they_are_erased(
    store: Store, kind: str
) -> None:
    _log(store, 2)
    store.decisions.record(_search(1, "django dev like Zorba   Quennell", kind))
    store.decisions.record(_search(2, "django dev in Lisbon", kind))
    assert store.decisions.verify().ok

    # the person's full name, as their record spells it (case and spacing differ)
    rewritten = store.decisions.erase_people(set(), ["zorba quennell"])

    assert rewritten == 1
    check = store.decisions.verify()
    assert check.ok and check.entries == 4, check.problem
    erased = store.decisions.get("s1")
    assert "zorba" not in erased.model_dump_json().casefold()
    assert erased.subject.startswith("erased:") and erased.request["text"] == erased.subject
    assert all(r.sealed and not r.reasons for r in erased.results)  # they quoted the words
    assert [r.id for r in erased.results] == ((["f2", "f3"]) if kind == "search_talent" else
                                              ["j1", "j2"])  # fmt: skip
    assert store.db.scalar("SELECT COUNT(*) FROM log_keys WHERE name = 'query:s1'") == 0
    kept = store.decisions.get("s2")
    assert kept.subject == "django dev in Lisbon" and kept.results[0].reasons
    raw = store.db.fetchall("SELECT actor, subject, payload FROM decisions")
    assert "Quennell" not in repr(raw)
    store.decisions.record(_search(3, "after", kind))  # the chain goes on
    assert store.decisions.verify().ok


def test_an_edited_search_word_breaks_the_chain(store: Store) -> None:
    store.decisions.record(_search(1, "django dev"))
    with store.db.transaction() as tx:
        tx.execute("UPDATE decisions SET subject = 'rust dev' WHERE request_id = 's1'")
    check = store.decisions.verify()
    assert not check.ok and "entry 1" in (check.problem or "")


def test_the_hashed_form_holds_no_search_words(store: Store) -> None:
    from tandem.store import ledger
    from tandem.store.decisions import entry_of

    store.decisions.record(_search(1, "Zorba Quennell"))
    row = store.db.fetchone(
        "SELECT request_id, ts, actor, surface, kind, subject, model_version, payload "
        "FROM decisions"
    )
    assert row is not None
    entry = entry_of(tuple(row))
    keys = {n: bytes.fromhex(k) for n, k in store.db.fetchall("SELECT name, key FROM log_keys")}
    assert "Zorba" not in ledger.canonical(ledger.hashed_form(entry, keys)).decode()


def test_searches_logged_before_their_words_were_keyed_are_rechained(tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy import create_engine

    from tandem.store.db import alembic_config

    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    engine = create_engine(url)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0006")
    engine.dispose()
    db = open_database(url)
    store = Store(db)
    with db.transaction() as tx:  # what today's appends write to (0011 adds it)
        tx.execute("ALTER TABLE log_keys ADD COLUMN last_seq INTEGER NOT NULL DEFAULT 0")
    _log(store, 2)
    store.decisions.record(_search(1, "Zorba Quennell"))
    store.decisions.record(_decision(9))
    before = db.fetchall("SELECT seq, entry_hash FROM decisions ORDER BY seq")
    with db.transaction() as tx:  # as an 0006 store held them: no key for the words
        tx.execute("DELETE FROM log_keys WHERE name LIKE 'query:%'")
        tx.execute("ALTER TABLE log_keys DROP COLUMN last_seq")
    assert not store.decisions.verify().ok
    migrate(db)
    check = store.decisions.verify()
    assert check.ok and check.entries == 4, check.problem
    after = db.fetchall("SELECT seq, entry_hash FROM decisions ORDER BY seq")
    assert after[:2] == before[:2] and after[2:] != before[2:]  # only from the first search
    assert store.decisions.erase_people(set(), ["Zorba Quennell"]) == 1
    assert store.decisions.verify().ok


def test_numbered_reads_a_window_of_one_kind_by_sequence_number(store: Store) -> None:
    _log(store, 6)  # entry 3 is a recommendation
    assert [s for s, _ in store.decisions.numbered("match")] == [1, 2, 4, 5, 6]
    newest = store.decisions.numbered("match", through=5, newest_first=True, limit=2)
    assert [(s, d.request_id) for s, d in newest] == [(5, "r5"), (4, "r4")]
    assert [s for s, _ in store.decisions.numbered("match", after=4)] == [5, 6]
    assert [s for s, _ in store.decisions.numbered("recommend", through=2)] == []


def test_entries_stored_in_the_first_format_still_read_verify_and_erase(store: Store) -> None:
    _log(store, 3)
    kept = store.decisions.get("r2")
    raw = store.db.scalar("SELECT payload FROM decisions WHERE request_id = 'r2'")
    plain = logcodec.unpack(load_json(raw))  # r2 as a log written before format 2 held it
    with store.db.transaction() as tx:
        tx.execute("UPDATE decisions SET payload = ? WHERE request_id = 'r2'", (json_param(plain),))
    assert store.decisions.get("r2") == kept
    assert store.decisions.verify().ok  # the chain hashes the entry, not its encoding
    assert store.decisions.erase_people({"freelancer:f2"}) == 2  # r1, r2 (r3 ranks jobs)
    assert store.decisions.verify().ok
    erased = store.decisions.get("r2")
    assert erased.results[1].id.startswith("erased:") and erased.results[1].sealed
    assert erased.results[0].reasons == kept.results[0].reasons


def test_candidates_are_stored_as_a_set(store: Store) -> None:
    store.decisions.record(_decision(1, people=("f3", "f1", "f2")))
    assert store.decisions.get("r1").candidates == ["f1", "f2", "f3"]
    assert store.decisions.verify().ok
