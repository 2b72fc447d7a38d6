"""Checks at the door (issue 16): finite numbers, IANA zones, ISO 639-1, capped text and lists."""

import math

import pydantic
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.domain import Budget, Client, Event, Freelancer, Job, Proposal
from tandem.domain.fields import MAX_ITEMS, MAX_LONG_TEXT, MAX_SHORT_TEXT, STORED
from tandem.domain.languages import ISO_639_1

FREELANCER = {
    "id": "f1",
    "name": "Ana",
    "hourly_rate": 40,
    "country": "PT",
    "joined_at": "2024-01-02T03:04:05Z",
}
JOB = {"id": "j1", "title": "Logo", "created_at": "2026-01-01T00:00:00Z"}
CLIENT = {"id": "c1", "name": "Acme", "country": "US"}
EVENT = {"id": "e1", "ts": "2026-01-01T00:00:00Z", "type": "review"}


def _message(model: type[pydantic.BaseModel], data: dict[str, object]) -> str:
    """``field: message`` of the first error validating ``data``."""
    with pytest.raises(pydantic.ValidationError) as caught:
        model.model_validate(data)
    first = caught.value.errors()[0]
    return ".".join(str(p) for p in first["loc"]) + ": " + first["msg"]


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan])
@pytest.mark.parametrize(
    ("model", "base", "field"),
    [
        (Freelancer, FREELANCER, "hourly_rate"),
        (Freelancer, FREELANCER, "rating"),
        (Freelancer, FREELANCER, "experience_years"),
        (Client, CLIENT, "total_spent"),
        (Job, JOB, "duration_weeks"),
        (Event, EVENT, "rating"),
    ],
)
def test_numbers_must_be_finite_and_the_message_says_so(
    model: type[pydantic.BaseModel], base: dict[str, object], field: str, value: float
) -> None:
    assert _message(model, {**base, field: value}) == f"{field}: Input should be a finite number"


def test_nested_and_unknown_numbers_must_be_finite_too() -> None:
    budget = {**JOB, "budget": {"type": "hourly", "max": math.inf}}
    assert _message(Job, budget) == "budget.max: Input should be a finite number"
    assert "finite" in _message(Budget, {"type": "fixed", "min": math.nan})
    bid = {"amount": math.inf, "type": "fixed"}
    proposal = {"id": "p1", "job_id": "j1", "freelancer_id": "f1", "created_at": "2026-01-01"}
    message = _message(Proposal, {**proposal, "bid": bid})
    assert message == "bid.amount: Input should be a finite number"
    unknown = {**FREELANCER, "stats": {"score": [1.0, math.inf]}}
    assert "stats.score.1: Input should be a finite number" in _message(Freelancer, unknown)


def test_time_zones_are_iana_names() -> None:
    assert _message(Freelancer, {**FREELANCER, "timezone": "Not/AZone"}) == (
        "timezone: time zone 'Not/AZone' is not an IANA time zone (e.g. 'Europe/Berlin')"
    )
    assert "is not an IANA time zone" in _message(Client, {**CLIENT, "timezone": "Mars/Olympus"})
    spelled = Freelancer.model_validate({**FREELANCER, "timezone": " asia/kolkata "})
    assert spelled.timezone == "Asia/Kolkata"  # the database's spelling
    assert Freelancer.model_validate({**FREELANCER, "timezone": "UTC"}).timezone == "UTC"


def test_languages_are_iso_639_1() -> None:
    assert _message(Freelancer, {**FREELANCER, "languages": [{"code": "xx"}]}) == (
        "languages.0.code: language 'xx' is not an ISO 639-1 code (two letters, e.g. 'en')"
    )
    assert "not an ISO 639-1 code" in _message(Job, {**JOB, "languages": ["en", "eng"]})
    job = Job.model_validate({**JOB, "languages": ["EN", " de "]})
    assert job.languages == ["en", "de"]
    assert len(ISO_639_1) == 184 and {"en", "tl", "uk", "zh"} <= ISO_639_1


@pytest.mark.parametrize(
    ("model", "base", "field", "limit"),
    [
        (Freelancer, FREELANCER, "overview", MAX_LONG_TEXT),
        (Freelancer, FREELANCER, "title", MAX_SHORT_TEXT),
        (Freelancer, FREELANCER, "name", MAX_SHORT_TEXT),
        (Freelancer, FREELANCER, "id", MAX_SHORT_TEXT),
        (Job, JOB, "description", MAX_LONG_TEXT),
        (Job, JOB, "category", MAX_SHORT_TEXT),
        (Client, CLIENT, "industry", MAX_SHORT_TEXT),
        (Event, EVENT, "comment", MAX_LONG_TEXT),
    ],
)
def test_free_text_is_capped(
    model: type[pydantic.BaseModel], base: dict[str, object], field: str, limit: int
) -> None:
    model.model_validate({**base, field: "x" * limit})
    assert _message(model, {**base, field: "x" * (limit + 1)}) == (
        f"{field}: {limit + 1:,} characters, over the limit of {limit:,}"
    )


def test_lists_and_nested_text_are_capped() -> None:
    many = [f"skill {i}" for i in range(MAX_ITEMS + 1)]
    assert _message(Freelancer, {**FREELANCER, "skills": many}).startswith("skills: 201 items")
    assert _message(Freelancer, {**FREELANCER, "skills": ["x" * 301]}).startswith("skills.0: 301")
    item = {"title": "Shop", "description": "y" * (MAX_LONG_TEXT + 1)}
    assert "portfolio.0.description" in _message(Freelancer, {**FREELANCER, "portfolio": [item]})
    attributes = {f"k{i}": "v" for i in range(MAX_ITEMS + 1)}
    assert "over the limit" in _message(Freelancer, {**FREELANCER, "attributes": attributes})


def test_the_api_schema_states_the_caps() -> None:
    props = Freelancer.model_json_schema()["properties"]
    assert props["overview"]["maxLength"] == MAX_LONG_TEXT
    assert props["name"]["maxLength"] == MAX_SHORT_TEXT and props["name"]["minLength"] == 1
    assert props["skills"]["maxItems"] == MAX_ITEMS


def test_an_error_does_not_echo_a_huge_value() -> None:
    assert len(_message(Freelancer, {**FREELANCER, "timezone": "Z/" * 100_000})) < 400
    assert len(_message(Freelancer, {**FREELANCER, "currency": "E" * 100_000})) < 400


def test_rows_read_back_from_the_store_are_not_rechecked() -> None:
    """A row stored before a check existed stays readable (the store reads with ``STORED``)."""
    old = {
        **FREELANCER,
        "timezone": "Mars/Olympus",
        "languages": [{"code": "xx"}],
        "overview": "x" * (MAX_LONG_TEXT + 1),
    }
    read = Freelancer.model_validate(old, context=STORED)
    assert read.timezone == "Mars/Olympus" and read.languages[0].code == "xx"
    with pytest.raises(pydantic.ValidationError):
        Freelancer.model_validate(old)


def test_a_stored_country_of_two_non_ascii_letters_stays_readable() -> None:
    """Two letters passed the country rule until it asked for ASCII: such a row still reads."""
    old = {**FREELANCER, "country": "РФ"}
    assert Freelancer.model_validate(old, context=STORED).country == "РФ"
    with pytest.raises(pydantic.ValidationError, match="two letters"):
        Freelancer.model_validate(old)


@given(st.sampled_from(sorted(ISO_639_1)), st.sampled_from(["Europe/Lisbon", "Asia/Kolkata"]))
def test_valid_codes_and_zones_pass_unchanged(code: str, zone: str) -> None:
    f = Freelancer.model_validate(
        {**FREELANCER, "timezone": zone, "languages": [{"code": code.upper()}]}
    )
    assert (f.timezone, f.languages[0].code) == (zone, code)


def test_long_texts_keep_at_most_eight_blanks_in_a_row_stored_rows_as_they_are() -> None:
    """A run of blanks costs the readers' patterns quadratic time (``tandem.text.spaces``)."""
    padded = "Logo." + " " * 15_000 + "Budget $300.\n\n  - item"
    job = Job.model_validate({**JOB, "description": padded})
    assert job.description == "Logo." + " " * 8 + "Budget $300.\n\n  - item"
    letter = Proposal.model_validate(
        {
            "id": "p1",
            "job_id": "j1",
            "freelancer_id": "f1",
            "created_at": "2026-01-01T00:00:00Z",
            "cover_letter": "Hi" + "\n" * 50 + "Ana",
        }
    )
    assert letter.cover_letter == "Hi" + "\n" * 8 + "Ana"
    assert Job.model_validate({**JOB, "description": padded}, context=STORED).description == padded


@pytest.mark.parametrize("bad", ["j\x00x", "a\x1bb", "a\u0085b", "a\u200bb", "a\u2028b"])
@pytest.mark.parametrize(
    ("model", "base", "field"),
    [
        (Job, JOB, "id"),
        (Freelancer, FREELANCER, "id"),
        (Client, CLIENT, "id"),
        (Event, EVENT, "id"),
        (Job, JOB, "client_id"),
        (Event, EVENT, "freelancer_id"),
    ],
)
def test_an_id_is_one_line_of_visible_text(
    model: type[pydantic.BaseModel], base: dict[str, object], field: str, bad: str
) -> None:
    said = _message(model, {**base, field: bad})
    assert said.startswith(f"{field}: {bad!r} has a control or invisible character (U+"), said
    assert model.model_validate({**base, field: bad}, context=STORED)  # old rows still read


def test_an_id_may_be_any_visible_text() -> None:
    assert Job.model_validate({**JOB, "id": "job-ü-日本-Ĳ 1"}).id == "job-ü-日本-Ĳ 1"
