from datetime import UTC, datetime

import pytest

from tandem.companion.finding import FindSession, _words, _zone_asked, start
from tandem.domain.zones import hours_apart
from tandem.engine import Engine
from tests.companion.conftest import acting


def test_request_then_refinements(loaded_engine: Engine) -> None:
    session = FindSession(acting(loaded_engine).through("companion"))
    first = session.ask("find me a developer under $50/h who overlaps with CET")
    assert first.query.max_rate == 50
    assert first.query.overlap_with == "CET"
    assert any("overlap with CET" in c for c in first.changes)
    assert first.ranking.results
    now = datetime.now(UTC)
    for r in first.ranking.results:
        assert r.hourly_rate <= 50
        zone = loaded_engine.store.freelancers.get(r.freelancer_id).timezone
        assert zone is not None
        apart = hours_apart(zone, "Europe/Berlin", now)
        assert apart is not None and apart <= 3

    cheaper = session.ask("cheaper")
    assert cheaper.query.max_rate == 40 and "cheaper" in cheaper.changes[0]
    assert all(r.hourly_rate <= 40 for r in cheaper.ranking.results)

    strict = session.ask("only 90%+ job success")
    assert strict.query.min_job_success == 90
    for r in strict.ranking.results:
        assert (loaded_engine.store.freelancers.get(r.freelancer_id).job_success or 0) >= 90

    relaxed = session.ask("show newcomers too")
    assert relaxed.query.min_job_success is None and relaxed.query.max_rate == 40

    skill = next(
        s
        for f in loaded_engine.store.freelancers.iter_all()
        for s in loaded_engine.normaliser.normalise(f.skills)
        if s in loaded_engine.taxonomy
    )
    must = session.ask(f"must know {skill}")
    assert skill in must.query.skills
    assert len(session.turns) == 5
    logged = loaded_engine.store.decisions.get(must.ranking.request_id)
    assert (logged.surface, logged.actor) == ("companion", "alice")  # the user, not "companion"


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("find me a Django developer under $50/h who overlaps with CET", "CET"),
        ("designer working in EST hours", "EST"),
        ("someone in the US east coast time zone", "US east coast"),
        ("timezone: Europe/Berlin please", "Europe/Berlin"),
        ("a translator in Spain", None),
        ("python developer in India", None),
    ],
)
def test_zone_asked(text: str, zone: str | None) -> None:
    found = _zone_asked(text)
    assert (found[0] if found else None) == zone


def test_search_words_drop_amounts_and_filters() -> None:
    assert _words("find me a logo designer under 40 dollars an hour") == "logo designer"
    assert _words("translator up to €35 per hour with 90% job success") == "translator with"


@pytest.mark.parametrize(
    "text",
    [
        "find me a React developer, budget 2500 dollars in total",
        "busco desarrollador React, presupuesto 2.500 € por el proyecto",
        "find a translator, 0.08 EUR per word",
        "Busco traductor de inglés a español, 0,08 € por palabra",
    ],
)
def test_a_total_or_a_price_per_unit_is_no_rate_filter(loaded_engine: Engine, text: str) -> None:
    """Only an hourly amount caps a rate: a total ($2,500) or a per-word price ($0.08) does not."""
    query, changes = start(acting(loaded_engine).through("companion"), text)
    assert query.max_rate is None
    assert not any("rate at most" in c for c in changes)
    assert any("not an hourly rate" in c for c in changes)


@pytest.mark.parametrize(
    ("text", "skills"),
    [
        ("Busco traductor de inglés a español", ["Translation", "English", "Spanish"]),
        ("Je cherche un traducteur de l'allemand vers le français", ["Translation"]),
    ],
)
def test_a_search_in_another_language_looks_for_the_skills_it_names(
    loaded_engine: Engine, text: str, skills: list[str]
) -> None:
    """Profiles hold "Translation", not "traductor": the skills read from the words are searched.

    "Busco traductor de inglés a español" reached the search as "Busco traductor de inglés
    español", words no profile in English or French has, and found nobody.
    """
    query, _ = start(acting(loaded_engine).through("companion"), text)
    for skill in skills:
        assert skill in query.text
    assert not any(w in query.text.lower().split() for w in ("busco", "cherche"))
    assert query.skills == []  # they widen the search, they filter nobody out


def test_a_search_adds_only_the_skills_named_never_guessed_ones(loaded_engine: Engine) -> None:
    query, _ = start(acting(loaded_engine).through("companion"), "find me a designer")
    assert query.text == "designer"  # the linker's guess (Fashion Design) is no word to search
