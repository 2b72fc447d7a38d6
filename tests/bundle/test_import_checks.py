"""What an import refuses and how it says so (issue 16): BOM, strict references, numbers,
zones, languages, capped text, overlong lines."""

import json
import tracemalloc
from pathlib import Path

import pytest

from tandem.bundle.importer import parse_file
from tandem.domain import Freelancer
from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tandem.errors import ValidationError
from tests.conftest import make_settings

F1 = {
    "id": "f1",
    "name": "Ana",
    "hourly_rate": 40,
    "country": "PT",
    "joined_at": "2024-01-02T03:04:05Z",
}
J1 = {"id": "j1", "title": "React dashboard", "created_at": "2026-01-01T00:00:00Z"}
#: The documented longest line (README): 1 MiB.
MAX_LINE_BYTES = 1 << 20


def _proposal(pid: str, job: str, person: str) -> dict[str, str]:
    return {"id": pid, "job_id": job, "freelancer_id": person, "created_at": "2026-01-02"}


def _lines(rows: list[object]) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows)


def _bundle(root: Path, **files: list[object]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, rows in files.items():
        (root / f"{name}.jsonl").write_text(_lines(rows), encoding="utf-8")
    return root


def test_a_utf8_byte_order_mark_is_accepted(bare_engine: Engine, tmp_path: Path) -> None:
    bundle = tmp_path / "b"
    bundle.mkdir()
    f2 = {**F1, "id": "f2"}
    (bundle / "freelancers.jsonl").write_bytes(b"\xef\xbb\xbf" + _lines([F1, f2]).encode())
    (bundle / "jobs.jsonl").write_bytes(b"\xef\xbb\xbf" + _lines([J1]).encode())
    report = bare_engine.import_bundle(bundle)
    assert report.errors == []
    assert bare_engine.store.freelancers.count() == 2 and bare_engine.store.jobs.count() == 1


def test_a_utf16_file_is_one_clear_error(bare_engine: Engine, tmp_path: Path) -> None:
    bundle = _bundle(tmp_path / "b", jobs=[J1])
    (bundle / "freelancers.jsonl").write_bytes(_lines([F1]).encode("utf-16"))
    errors = [str(e) for e in bare_engine.import_bundle(bundle).errors]
    assert errors == [
        "freelancers.jsonl:1: the file is UTF-16 (it starts with a UTF-16 byte-order mark); "
        "save it as UTF-8"
    ]


def test_strict_aborts_on_a_missing_reference_with_nothing_written(
    bare_engine: Engine, tmp_path: Path
) -> None:
    bundle = _bundle(
        tmp_path / "b",
        freelancers=[F1],
        jobs=[J1],
        proposals=[_proposal("p1", "j1", "f1"), _proposal("p2", "j1", "f9")],
        events=[{"id": "e1", "ts": "2026-01-03", "type": "click", "job_id": "j7"}],
    )
    with pytest.raises(ValidationError) as caught:
        bare_engine.import_bundle(bundle, strict=True)
    assert str(caught.value).splitlines()[1:] == [
        "proposals.jsonl:2: freelancer_id 'f9' is not in the bundle or the store",
        "events.jsonl:1: job_id 'j7' is not in the bundle or the store",
    ]
    store = bare_engine.store
    assert (store.freelancers.count(), store.jobs.count(), store.proposals.count()) == (0, 0, 0)


def test_strict_finds_references_in_the_bundle_and_in_the_store(
    bare_engine: Engine, tmp_path: Path
) -> None:
    bare_engine.import_bundle(_bundle(tmp_path / "first", freelancers=[F1], jobs=[J1]))
    second = _bundle(
        tmp_path / "second",
        freelancers=[{**F1, "id": "f2"}],
        jobs=[{**J1, "id": "j2"}],
        proposals=[_proposal("p1", "j1", "f2"), _proposal("p2", "j2", "f1")],
    )
    report = bare_engine.import_bundle(second, strict=True)
    assert report.errors == [] and bare_engine.store.proposals.count() == 2


def test_numbers_zones_and_languages_are_checked_with_messages_that_say_why(
    bare_engine: Engine, tmp_path: Path
) -> None:
    good = json.dumps(F1)
    rows: list[object] = [
        good,
        good.replace('"id": "f1"', '"id": "f2"').replace("40", "Infinity"),
        good.replace('"id": "f1"', '"id": "f3"').replace("40", "NaN"),
        {**F1, "id": "f4", "timezone": "Not/AZone"},
        {**F1, "id": "f5", "languages": [{"code": "xx", "level": "fluent"}]},
        good.replace('"id": "f1"', '"id": "f6", "score": -Infinity'),
        {**F1, "id": "f7", "hourly_rate": 1e999},
    ]
    bundle = _bundle(tmp_path / "b", freelancers=rows, jobs=[{**J1, "languages": ["en", "xx"]}])
    errors = [str(e) for e in bare_engine.import_bundle(bundle).errors]
    assert errors == [
        "freelancers.jsonl:2: hourly_rate: Input should be a finite number",
        "freelancers.jsonl:3: hourly_rate: Input should be a finite number",
        "freelancers.jsonl:4: timezone: time zone 'Not/AZone' is not an IANA time zone "
        "(e.g. 'Europe/Berlin')",
        "freelancers.jsonl:5: languages.0.code: language 'xx' is not an ISO 639-1 code "
        "(two letters, e.g. 'en')",
        "freelancers.jsonl:6: record: score: Input should be a finite number",
        "freelancers.jsonl:7: hourly_rate: Input should be a finite number",
        "jobs.jsonl:1: languages.1: language 'xx' is not an ISO 639-1 code "
        "(two letters, e.g. 'en')",
    ]
    assert bare_engine.store.freelancers.count() == 1
    out = tmp_path / "out"
    bare_engine.export_bundle(out)
    assert "Infinity" not in (out / "freelancers.jsonl").read_text()


def test_text_over_its_cap_is_a_bad_line(bare_engine: Engine, tmp_path: Path) -> None:
    long = {**F1, "id": "f2", "overview": "x" * 20_001}
    bundle = _bundle(tmp_path / "b", freelancers=[F1, long], jobs=[J1])
    errors = [str(e) for e in bare_engine.import_bundle(bundle).errors]
    assert errors == ["freelancers.jsonl:2: overview: 20,001 characters, over the limit of 20,000"]


def test_an_overlong_line_is_reported_unread_and_the_next_lines_still_count(
    bare_engine: Engine, tmp_path: Path
) -> None:
    huge = json.dumps({**F1, "id": "f2", "overview": "x" * (3 * MAX_LINE_BYTES)})
    bundle = _bundle(tmp_path / "b", freelancers=[F1, huge, {**F1, "id": "f3"}], jobs=[J1])
    errors = [str(e) for e in bare_engine.import_bundle(bundle).errors]
    assert errors == [
        f"freelancers.jsonl:2: line of {len(huge) + 1:,} bytes is over the limit of 1,048,576; "
        "not read"
    ]
    assert set(bare_engine.store.freelancers.get_many(["f1", "f2", "f3"])) == {"f1", "f3"}


def test_memory_stays_bounded_per_line(tmp_path: Path) -> None:
    path = tmp_path / "freelancers.jsonl"
    with path.open("w") as handle:  # a 16 MiB profile, as in the probe (20 MB, 3.7 GB, 210 s)
        handle.write(json.dumps({**F1, "overview": "word " * (16 * MAX_LINE_BYTES // 5)}) + "\n")
        handle.write(json.dumps({**F1, "id": "f2"}) + "\n")
    errors: list[object] = []
    tracemalloc.start()
    try:
        records = list(parse_file(path, Freelancer, errors))  # type: ignore[arg-type]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [r.id for _, r in records] == ["f2"] and len(errors) == 1
    assert peak < 3 * MAX_LINE_BYTES


def test_json_that_would_crash_the_parser_is_a_bad_line(
    bare_engine: Engine, tmp_path: Path
) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    digits = json.dumps(F1).replace("40", "4" * 5_000)
    bundle = _bundle(tmp_path / "b", freelancers=[F1, deep, digits], jobs=[J1])
    errors = [str(e) for e in bare_engine.import_bundle(bundle).errors]
    assert errors[0] == "freelancers.jsonl:2: invalid JSON: nested too deeply"
    assert errors[1].startswith("freelancers.jsonl:3: invalid JSON: Exceeds the limit")


def test_the_report_says_whether_lines_were_skipped(bare_engine: Engine, tmp_path: Path) -> None:
    clean = bare_engine.import_bundle(_bundle(tmp_path / "a", freelancers=[F1], jobs=[J1]))
    assert clean.status == "complete"
    bad = bare_engine.import_bundle(_bundle(tmp_path / "b", freelancers=[F1, "{"], jobs=[J1]))
    assert bad.status == "completed_with_skipped_lines"


def test_the_generated_market_is_valid_under_every_check(
    bare_engine: Engine, small_bundle: Path
) -> None:
    report = bare_engine.import_bundle(small_bundle, strict=True)
    assert report.errors == [] and report.status == "complete"
    assert bare_engine.store.freelancers.count() == 300


def test_the_bounded_reader_cuts_exactly_at_the_limit() -> None:
    import io

    from tandem.bundle.importer import read_lines

    data = b"a" * 8 + b"\n" + b"b" * 9 + b"\n" + b"c" * 30 + b"\r\n" + b"d" * 8
    lines = list(read_lines(io.BytesIO(data), limit=8))
    assert lines == [
        (1, b"a" * 8 + b"\n", 9),  # the newline is not counted
        (2, b"", 10),  # one byte over: not read, its length reported
        (3, b"", 32),  # read past in chunks
        (4, b"d" * 8, 8),  # the last line needs no newline
    ]


def _outcome(eid: str, kind: str, person: str, **more: object) -> dict[str, object]:
    return {"id": eid, "ts": "2026-02-01T00:00:00Z", "type": kind, "job_id": "j1"} | {
        "freelancer_id": person,
        **more,
    }


def test_a_review_without_a_hire_is_a_bad_line(bare_engine: Engine, tmp_path: Path) -> None:
    """A review needs a hire of that person on that job, in the bundle or the store."""
    f2 = {**F1, "id": "f2"}
    events = [
        _outcome("e1", "shortlist", "f2"),
        _outcome("e2", "review", "f2", rating=5),  # f2 was only shortlisted
        _outcome("e3", "hire", "f1"),
        _outcome("e4", "review", "f1", rating=4),
    ]
    bundle = _bundle(tmp_path / "b", freelancers=[F1, f2], jobs=[J1], events=events)
    with pytest.raises(ValidationError, match="events.jsonl:2: review of freelancer 'f2'"):
        bare_engine.import_bundle(bundle, strict=True)
    errors = [str(e) for e in bare_engine.import_bundle(bundle).errors]
    assert errors == [
        "events.jsonl:2: review of freelancer 'f2' on job 'j1' without a hire of them on that "
        "job (in the bundle or the store)"
    ]
    assert {e.id for e in bare_engine.store.events.where(type="review")} == {"e4"}
    review = _outcome("e5", "review", "f1", rating=3)
    later = _bundle(tmp_path / "c", freelancers=[F1], jobs=[J1], events=[review])
    assert bare_engine.import_bundle(later, strict=True).errors == []  # the hire is stored


def test_a_generated_bundle_has_no_review_without_a_hire(
    bare_engine: Engine, small_bundle: Path
) -> None:
    events = [json.loads(x) for x in (small_bundle / "events.jsonl").read_text().splitlines()]
    assert sum(e["type"] == "review" for e in events) > 10
    assert bare_engine.import_bundle(small_bundle, strict=True).errors == []


def test_a_review_whose_hire_comes_later_in_the_bundle_is_kept(
    bare_engine: Engine, tmp_path: Path
) -> None:
    """The hire may be anywhere in the bundle: an export writes events by id, not by time.

    Ids are the poster's ('ev10' sorts before 'ev9'), so an export of a store holding a hire
    and its review, imported into a new store, listed the review first and lost it.
    """
    events = [_outcome("ev9", "hire", "f1"), _outcome("ev10", "review", "f1", rating=5)]
    bundle = _bundle(tmp_path / "b", freelancers=[F1], jobs=[J1], events=events)
    assert bare_engine.import_bundle(bundle).errors == []
    exported = tmp_path / "export"
    bare_engine.export_bundle(exported)
    lines = (exported / "events.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["id"] for x in lines] == ["ev10", "ev9"]  # by id: review first
    fresh = Engine(make_settings(tmp_path / "fresh"), encoder=HashingEncoder())
    try:
        assert fresh.import_bundle(exported, strict=True).errors == []
        assert fresh.import_bundle(exported).errors == []
        assert {e.id for e in fresh.store.events.where(type="review")} == {"ev10"}
    finally:
        fresh.store.close()


def test_reviews_of_stored_hires_are_checked_in_one_query_per_batch(
    bare_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reviews whose hires an earlier import stored: the store is asked once per batch.

    It was asked once per review (a query parsing the pair's hires as models): a bundle of
    a million reviews made a million queries.
    """
    people = [{**F1, "id": f"f{n}"} for n in range(31)]
    hires = [_outcome(f"h{n}", "hire", f"f{n}") for n in range(30)]
    first = _bundle(tmp_path / "a", freelancers=people, jobs=[J1], events=hires)
    assert bare_engine.import_bundle(first).errors == []
    reviews = [_outcome(f"r{n}", "review", f"f{n}", rating=5) for n in range(30)]
    reviews.append(_outcome("r30", "review", "f30", rating=5))  # never hired
    later = _bundle(tmp_path / "b", freelancers=people[:1], jobs=[J1], events=reviews)
    db = bare_engine.store.db
    asked: list[str] = []
    for name in ("fetchall", "fetchone", "scalar"):
        real = getattr(db, name)

        def counted(sql: str, params: object = (), real: object = real) -> object:
            if "hire" in str(params) or "hire" in sql:
                asked.append(sql)
            return real(sql, params)  # type: ignore[operator]

        monkeypatch.setattr(db, name, counted)
    errors = [str(e) for e in bare_engine.import_bundle(later).errors]
    assert errors == [
        "events.jsonl:31: review of freelancer 'f30' on job 'j1' without a hire of them on that "
        "job (in the bundle or the store)"
    ]
    assert len(bare_engine.store.events.where(type="review")) == 30
    assert len(asked) <= 1, asked
