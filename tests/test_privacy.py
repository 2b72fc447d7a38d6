"""Erasure through the engine: clients, sessions, users, both index backends, models, consent."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tandem.domain import Freelancer
from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tandem.engine.types import TalentQuery
from tandem.errors import NotFoundError
from tandem.search import snapshots
from tandem.settings import Settings
from tandem.store.redacting import TOMBSTONE
from tests.conftest import make_settings
from tests.test_cli_privacy import traces


def _engine(home: Path, bundle: Path, **settings: str) -> Engine:
    engine = Engine(
        Settings(home=home, encoder="hashing", **settings),  # type: ignore[arg-type]
        encoder=HashingEncoder(),
    )
    engine.import_bundle(bundle)
    return engine


@pytest.fixture
def engine(tmp_path: Path, small_bundle: Path) -> Iterator[Engine]:
    """An engine of its own with the small market: erasures write to it."""
    made = Engine(make_settings(tmp_path / "home"), encoder=HashingEncoder())
    made.import_bundle(small_bundle)
    yield made
    made.store.close()


def test_erasing_a_client_removes_its_jobs_users_and_traces(engine: Engine) -> None:
    jobs = [j for j in engine.store.jobs.iter_all() if j.client_id]
    client_id = jobs[0].client_id
    assert client_id is not None
    theirs = sorted(j.id for j in jobs if j.client_id == client_id)
    client = engine.store.clients.get(client_id)
    user, token = engine.add_user("acme-hr", "client", client_id=client_id)
    owner = engine.as_user(engine.identify_token(token))  # type: ignore[arg-type]
    owner.serve_match(theirs[0], top=5)
    other_job = next(j.id for j in jobs if j.client_id != client_id)
    others = engine.serve_match(other_job, top=5)
    jobs_before = engine.collection("jobs").count()
    engine.export_bundle(engine.settings.home / "exports" / "bundle")  # proposals on its jobs

    report = engine.erase("client", client_id)

    assert report.rows["jobs"] == len(theirs) and report.rows["users"] == 1
    assert not engine.store.jobs.exists(theirs) and not engine.store.clients.exists([client_id])
    assert engine.identify_token(token) is None
    assert engine.collection("jobs").count() == jobs_before - len(theirs)
    assert engine.store.decisions.get(others.request_id).subject == other_job  # untouched
    assert engine.verify_log().ok
    home = engine.settings.home
    assert traces(home, [client_id, client.name, user.id, "acme-hr", *theirs]) == []


def _unambiguous(engine: Engine) -> Freelancer:
    """A freelancer whose id, name and email are no prefix of anyone else's ("... 1", "... 10")."""
    people = list(engine.store.freelancers.iter_all())
    return next(
        p
        for p in people
        if not any(o.id != p.id and (o.name.startswith(p.name) or o.id.startswith(p.id))
                   for o in people)
    )  # fmt: skip


def test_own_sessions_go_and_others_sessions_naming_them_stay_redacted(engine: Engine) -> None:
    """Trial: erasing a freelancer deleted a client's session of a hire of someone else."""
    person = _unambiguous(engine)
    other = next(p for p in engine.store.freelancers.iter_all() if p.id != person.id)
    job = next(j for j in engine.store.jobs.iter_all() if j.client_id)
    assert job.client_id is not None
    user, _ = engine.add_user("me", "freelancer", freelancer_id=person.id)
    hirer, _ = engine.add_user("hirer", "client", client_id=job.client_id)
    conversations = engine.store.conversations
    mine = conversations.create(user.id, {"context": {"freelancer_id": person.id}}, "hi")
    shown = [
        {"id": person.id, "name": person.name, "title": person.title},
        {"id": other.id, "name": other.name, "title": other.title},
    ]
    state = {
        "context": {"job_id": job.id, "freelancer_id": person.id, "client_id": job.client_id},
        "shown": shown,
        "query": {"text": f"someone like {person.name.upper()}"},
        "pending": None,
    }
    theirs = conversations.create(hirer.id, state, "hi")
    results = [{"freelancer_id": person.id, "name": person.name, "score": 0.9, "reasons": []}]
    said = f"{person.name} ({person.email}) looks strong; {other.name} is cheaper"
    conversations.append(theirs, [("assistant", said, {"results": results})], state)
    confirmed = {"action": "hire", "args": {"freelancer_id": other.id, "job_id": job.id}}
    conversations.append(theirs, [("assistant", f"Confirmed: hire {other.name}", confirmed)], state)
    kept = conversations.create("u-client", {"shortlist": [other.id]}, "hi")
    assert engine.erasure_plan("freelancer", person.id).sessions_redacted == 1

    report = engine.erase("freelancer", person.id)

    assert report.rows["conversations"] == 1 and report.rows["conversations_redacted"] == 1
    with pytest.raises(NotFoundError, match="no companion session"):
        conversations.get(mine.id)
    assert conversations.get(kept.id).state == {"shortlist": [other.id]}
    after = conversations.get(theirs.id).state
    assert after["context"] == {"job_id": job.id, "freelancer_id": TOMBSTONE,
                                "client_id": job.client_id}  # fmt: skip
    assert after["shown"] == [{"id": TOMBSTONE, "name": TOMBSTONE, "title": TOMBSTONE}, shown[1]]
    assert after["query"] == {"text": f"someone like {TOMBSTONE}"}
    messages = conversations.messages(theirs.id)
    assert messages[1].text == f"{TOMBSTONE} ({TOMBSTONE}) looks strong; {other.name} is cheaper"
    assert messages[1].payload["results"] == [dict.fromkeys(results[0], TOMBSTONE)]
    assert messages[2].payload == confirmed and messages[2].text.endswith(other.name)
    export = engine.export_person("client", job.client_id)
    assert [c["id"] for c in export["conversations"]] == [theirs.id]  # the client's own record
    needles = [person.id, person.name, person.email or person.name, user.id]
    assert traces(engine.settings.home, needles) == []


@pytest.mark.parametrize(
    ("lexical", "vector"),
    [("tantivy", "hnsw"), ("fts5", "faiss")],
    ids=["tantivy-hnsw", "fts5-faiss"],
)
def test_no_trace_in_either_backends_index_files(
    tmp_path: Path, small_bundle: Path, lexical: str, vector: str
) -> None:
    bundle = tmp_path / "bundle"
    shutil.copytree(small_bundle, bundle)
    lines = (bundle / "freelancers.jsonl").read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0]) | {"overview": "Quokka-grade ledger tamer from Tromso."}
    first["skills"] = [*first["skills"], "Wombatwrangling"]  # kept as typed: a stored form
    lines[0] = json.dumps(first)
    (bundle / "freelancers.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    engine = _engine(tmp_path / "home", bundle, lexical_backend=lexical, vector_backend=vector)
    index = engine.settings.index_dir
    assert engine.collection("talent").lexical.search("quokka tamer tromso", 3)
    before = engine.collection("talent").count()
    assert _stored_terms(index, lexical, "quokka") == 1
    assert traces(index, [first["id"]])
    assert any(t.startswith("skill-forms.json") for t in traces(index, ["Wombatwrangling"]))

    engine.erase("freelancer", first["id"])

    assert engine.collection("talent").count() == before - 1
    assert not engine.collection("talent").lexical.search("quokka tamer tromso", 3)
    # deleted documents would still count here (tantivy: until their segment is merged)
    assert _stored_terms(index, lexical, "quokka") == 0
    assert traces(index, ["Tromso", "tromso", "Quokka", "quokka", first["id"]]) == []
    assert traces(index, ["Wombatwrangling"]) == []
    assert (index / "skill-forms.json").exists()  # the others' forms are stored again
    engine.store.close()


def _stored_terms(index: Path, lexical: str, word: str) -> int:
    """Documents the lexical index's files hold ``word`` for, deleted ones included.

    Every snapshot on disk counts, retired ones too: an erasure must leave none behind.
    """
    if lexical == "fts5":
        return len(traces(index, [word.capitalize()]))  # the stored text, as typed
    import tantivy

    found = 0
    for version in snapshots.versions(index / "talent"):
        searcher = tantivy.Index.open(str(version / "lexical")).searcher()
        found += int(searcher.doc_freq("body", word))
    return found


def test_a_clients_export_holds_its_jobs_and_the_rankings_served_for_them(
    engine: Engine,
) -> None:
    job = next(j for j in engine.store.jobs.iter_all() if j.client_id)
    assert job.client_id is not None
    served = engine.serve_match(job.id, top=5)
    document = engine.export_person("client", job.client_id)
    assert document["profile"]["id"] == job.client_id
    assert job.id in [j["id"] for j in document["jobs"]]
    ranking = next(r for r in document["rankings"] if r["request_id"] == served.request_id)
    assert ranking["job_id"] == job.id and ranking["results"] == 5
    assert "reasons" not in json.dumps(ranking)  # other people's reasons are not theirs to see


def test_an_erasure_plan_changes_nothing(engine: Engine) -> None:
    person = next(engine.store.freelancers.iter_all())
    plan = engine.erasure_plan("freelancer", person.id)
    assert plan.id == person.id and engine.store.freelancers.exists([person.id])


def test_an_export_holds_the_persons_sessions_and_only_the_existence_of_others(
    engine: Engine,
) -> None:
    """Someone else's session about the person holds that user's words and other people."""
    people, _ = engine.store.freelancers.page(0, 2)
    person, other = people
    user, _ = engine.add_user("exporter", "freelancer", freelancer_id=person.id)
    conversations = engine.store.conversations
    mine = conversations.create(user.id, {"freelancer_id": person.id}, "my own words")
    about = conversations.create("u-client", {"shortlist": [person.id, other.id]}, "hi")
    reply = f"{person.name} or {other.name}, who charges $99/h"
    conversations.append(about, [("assistant", reply, {})], {})
    document = engine.export_person("freelancer", person.id)
    sessions = {s["id"]: s for s in document["conversations"]}
    assert sessions[mine.id]["yours"] and sessions[mine.id]["messages"][0]["text"] == "my own words"
    assert sessions[about.id] == {
        "id": about.id,
        "created_at": sessions[about.id]["created_at"],
        "yours": False,
    }
    assert other.name not in str(document["conversations"])


def test_a_search_typed_with_a_persons_name_leaves_no_trace_of_them(engine: Engine) -> None:
    from tandem.engine import JobQuery, TalentQuery

    person, other = _distinct(engine)[:2]
    # Each part of the erased name counts alone ("Freelancer" is every generated name's):
    # another person's search keeps its words when no part of the erased name is one of them.
    other = engine.save_freelancer(other.model_copy(update={"name": "Odile Marchetti"}))
    named = engine.serve_search_talent(TalentQuery(text=f"django like {person.name}", top=5))
    engine.serve_search_jobs(JobQuery(text=f"work {person.name.upper()} did", top=5))
    others = engine.serve_search_talent(TalentQuery(text=f"like {other.name}", top=5))
    home = engine.settings.home
    assert traces(home, [person.name])
    assert engine.erasure_plan("freelancer", person.id).log_entries >= 2
    exported = engine.export_person("freelancer", person.id)["rankings"]
    assert {r["request_id"] for r in exported if r["query_names_you"]} >= {named.request_id}

    engine.erase("freelancer", person.id)

    assert traces(home, [person.name, person.name.upper()]) == []
    check = engine.verify_log()
    assert check.ok and check.entries == 3, check.problem
    assert engine.store.decisions.get(named.request_id).subject.startswith("erased:")
    assert engine.store.decisions.get(others.request_id).subject == f"like {other.name}"


def test_a_reimport_skips_erased_people_until_they_are_readmitted(
    engine: Engine, small_bundle: Path
) -> None:
    person = _distinct(engine)[0]
    job = next(j for j in engine.store.jobs.iter_all() if j.client_id)
    assert job.client_id is not None
    client = engine.store.clients.get(job.client_id)
    jobs = [j.id for j in engine.store.jobs.iter_all() if j.client_id == client.id]
    applied = engine.store.proposals.where(freelancer_id=person.id)
    proposals = len(applied)
    # what readmitting the person lets in: not their part in the erased client's jobs
    elsewhere = sum(p.job_id not in jobs for p in applied)
    engine.erase("freelancer", person.id)
    engine.erase("client", client.id)

    report = engine.import_bundle(small_bundle)

    assert not engine.store.freelancers.exists([person.id])
    assert not engine.store.clients.exists([client.id]) and not engine.store.jobs.exists(jobs)
    assert report.withheld >= 2 + proposals + len(jobs) and report.status == "complete"
    assert f"skipped {report.withheld} records of erased people" in report.summary()
    assert traces(engine.settings.home, [person.id, person.name, client.id]) == []

    again = engine.import_bundle(small_bundle, readmit=[person.id])
    assert engine.store.freelancers.exists([person.id])
    assert not engine.store.clients.exists([client.id])
    events = _events_of(small_bundle, person.id, besides=jobs)
    assert again.withheld == report.withheld - 1 - elsewhere - events


def _events_of(bundle: Path, freelancer_id: str, besides: list[str]) -> int:
    """The person's events in the bundle on jobs other than ``besides``."""
    lines = (bundle / "events.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(x) for x in lines if x.strip()]
    return sum(
        r.get("freelancer_id") == freelancer_id and r.get("job_id") not in besides for r in rows
    )


def _distinct(engine: Engine) -> list[Freelancer]:
    """Freelancers whose name no one else's contains (generated names run "Freelancer 1",
    "Freelancer 10"): a search of the files for it finds only them."""
    everyone = list(engine.store.freelancers.iter_all())
    names = [p.name for p in everyone]
    return [p for p in everyone if sum(p.name in n for n in names) == 1]


def test_an_erased_persons_vector_leaves_every_sealed_shard(
    tmp_path: Path, small_bundle: Path
) -> None:
    """Sealed vector shards are never rewritten: an erasure must drop the files holding one."""
    engine = _engine(tmp_path / "home", small_bundle, vector_shard_size="40")
    talent = engine.collection("talent")
    assert talent.vector.shards > 2  # the import sealed shards
    victim = talent.ids[0]
    vector = talent.vector_of(victim)
    assert vector is not None
    index = engine.settings.index_dir
    assert _files_holding(index, vector.tobytes())

    engine.erase("freelancer", victim)

    after = engine.collection("talent")
    # rebuilt a batch of 256 at a time, each sealed at its checkpoint: never one shard of all
    assert after.vector.shards >= 3
    assert victim not in {after.ids[h.label] for h in after.vector.search(vector, 300)}
    assert after.vector.count() == 299
    assert _files_holding(index, vector.tobytes()) == []
    engine.store.close()


def _files_holding(root: Path, needle: bytes) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_a_server_serves_and_logs_nobody_another_process_erased(engine: Engine) -> None:
    """``tandem erase`` beside a running server: its next ranking neither shows nor logs them.

    The server kept the person's record in memory (read twice) and its index snapshot still
    named them; the erasing process marks the erasure for every process of the home.
    """
    job = next(j for j in engine.store.jobs.iter_all() if j.status == "open")
    engine.serve_match(job.id, top=10)
    before = engine.serve_match(job.id, top=10)  # the second read: their records are kept
    erased = before.results[0].freelancer_id
    cli = Engine(engine.settings, encoder=HashingEncoder())  # another process on the home
    cli.erase("freelancer", erased)
    cli.store.close()
    after = engine.serve_match(job.id, top=10)
    assert erased not in [r.freelancer_id for r in after.results]
    logged = engine.store.decisions.get(after.request_id)
    assert erased not in logged.candidates
    assert erased not in json.dumps(logged.model_dump(mode="json"))


def test_an_erasure_takes_the_outcomes_it_removed_out_of_learns_count(engine: Engine) -> None:
    """``tandem learn`` after an erasure: no negative "new outcomes", none missed."""
    engine.train()
    counts: dict[str, int] = {}
    for event in engine.store.events.iter_all():
        if event.freelancer_id and event.type in ("hire", "review", "interview", "shortlist"):
            counts[event.freelancer_id] = counts.get(event.freelancer_id, 0) + 1
    person = max(counts, key=lambda i: counts[i])
    engine.erase("freelancer", person)
    assert engine.learn()["new_outcomes"] == 0  # was minus the person's outcomes


def test_a_servers_search_does_not_count_someone_another_process_erased(engine: Engine) -> None:
    """The server's index snapshot may still name the person: not shown, and not in "of N"."""
    person = next(iter(engine.store.freelancers.iter_all()))
    query = TalentQuery(text=person.title, top=50)
    before, total = engine.search_talent_counted(query)
    assert person.id in [r.freelancer_id for r in before]
    cli = Engine(engine.settings, encoder=HashingEncoder())  # another process on the home
    cli.erase("freelancer", person.id)
    cli.store.close()
    after, count = engine.search_talent_counted(query)
    assert person.id not in [r.freelancer_id for r in after]
    assert count == total - 1


def test_each_part_of_an_erased_name_leaves_the_logged_searches(engine: Engine) -> None:
    """A search that named the person by one part of their name, accents or not, goes too."""
    from tandem.engine import JobQuery, TalentQuery

    first, second = _distinct(engine)[:2]
    engine.save_freelancer(first.model_copy(update={"name": "Hannah O'Brien"}))
    engine.save_freelancer(second.model_copy(update={"name": "Carlos Peña"}))
    typed = [
        "Hannah full-stack Django React Docker",
        "obrien react",
        "Pena django",
        "carlos django",
        "PEÑA react",
    ]
    named = [engine.serve_search_talent(TalentQuery(text=t, top=5)).request_id for t in typed]
    jobs = engine.serve_search_jobs(JobQuery(text="work hannah did", top=5)).request_id
    kept = ["banana analytics django", "savannah react"]  # no part of either name as a word
    others = [engine.serve_search_talent(TalentQuery(text=t, top=5)).request_id for t in kept]
    assert engine.erasure_plan("freelancer", first.id).log_entries >= 3
    exported = engine.export_person("freelancer", second.id)["rankings"]
    assert {r["request_id"] for r in exported if r["query_names_you"]} >= set(named[2:])

    engine.erase("freelancer", first.id)
    engine.erase("freelancer", second.id)

    for rid in [*named, jobs]:
        entry = engine.store.decisions.get(rid)
        assert entry.subject.startswith("erased:"), (rid, entry.subject)
        assert "text" not in entry.request or str(entry.request["text"]).startswith("erased:")
    assert [engine.store.decisions.get(r).subject for r in others] == kept
    assert engine.verify_log().ok
    words = ["Hannah", "hannah", "HANNAH", "Brien", "brien", "Pena", "PEÑA", "Peña", "carlos"]
    assert traces(engine.settings.home, words) == []


def test_why_says_a_ranked_person_was_erased_not_that_they_were_never_shown(
    engine: Engine,
) -> None:
    from tandem.errors import NotFoundError

    job = next(j.id for j in engine.store.jobs.iter_all())
    served = engine.serve_match(job, top=5)
    second = served.results[1].freelancer_id
    assert engine.why(served.request_id, second)["logged"]["rank"] == 2

    engine.erase("freelancer", second)

    with pytest.raises(NotFoundError, match=f"freelancer '{second}' was erased"):
        engine.why(served.request_id, second)
    with pytest.raises(NotFoundError, match="was not among the 5 results"):
        engine.why(served.request_id, "f-never-ranked")


def test_the_audit_counts_an_erased_person_as_served_once(engine: Engine) -> None:
    """``people_ranked`` counts what was served (docs/audit-report.md): one tombstone each."""
    jobs = [j.id for j in engine.store.jobs.iter_all()][:2]
    first = engine.serve_match(jobs[0], top=50)
    again = engine.serve_match(jobs[1], top=50)
    shown_again = {r.freelancer_id for r in again.results}
    # someone ranked on both (which one depends on the generated market, not on the rule)
    gone = next(r.freelancer_id for r in first.results if r.freelancer_id in shown_again)
    before = engine.audit_report()["data"]
    engine.erase("freelancer", gone)
    after = engine.audit_report()["data"]
    assert (after["people_ranked"], after["appearances"]) == (
        before["people_ranked"],
        before["appearances"],
    )


def test_a_clients_why_is_no_oracle_of_who_was_erased(engine: Engine) -> None:
    """A client asking 'why' of any id on its own ranking must not learn who was erased.

    Naming an id the ranking never held answered "freelancer 'f...' was erased" when that
    person had been erased, and "was not among the N results" otherwise: any client could
    test any id. Operators (who erase) are still told.
    """
    from tandem.errors import NotFoundError
    from tests.conftest import cast_users

    cast = cast_users(engine, "-why")
    client = cast.view(engine, "client-own")
    served = client.serve_match(cast.job_id, top=3)
    shown = {r.freelancer_id for r in served.results}
    stranger = next(f.id for f in engine.store.freelancers.iter_all() if f.id not in shown)
    engine.erase("freelancer", stranger)

    answers = []
    for probe in (stranger, "f-never-was"):
        with pytest.raises(NotFoundError) as refused:
            client.why(served.request_id, probe)
        answers.append(str(refused.value).replace(probe, "<id>"))
    assert answers[0] == answers[1] and "erased" not in answers[0]
    operator = cast.view(engine, "operator")  # told only what the ranking holds: no tombstone
    with pytest.raises(NotFoundError, match="was not among the 3 results") as told:
        operator.why(served.request_id, stranger)
    assert "tombstone" not in str(told.value)
