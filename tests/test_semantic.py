"""End to end with the real bundled MiniLM model (slow: loads the model, embeds a bundle)."""

from collections.abc import Iterator

import pytest

from tandem.domain import Freelancer
from tandem.engine import Engine, TalentQuery
from tandem.settings import Settings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def minilm_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = Engine(Settings(home=tmp_path_factory.mktemp("minilm-home"), encoder="minilm"))
    people = [
        ("f1", "Brand identity designer", "I craft logos, visual identities and brand guidelines."),
        ("f2", "Tax accountant", "I prepare US tax returns and do bookkeeping in QuickBooks."),
        ("f3", "Backend engineer", "I build REST APIs in Django and PostgreSQL."),
    ]
    for fid, title, overview in people:
        engine.store.freelancers.save(
            Freelancer.model_validate(
                {
                    "id": fid,
                    "name": fid,
                    "title": title,
                    "overview": overview,
                    "hourly_rate": 40,
                    "country": "DE",
                    "joined_at": "2024-01-01T00:00:00Z",
                }
            )
        )
    engine.sync_indexes()
    yield engine
    engine.store.close()


def test_meaning_beyond_shared_words(minilm_engine: Engine) -> None:
    hits = minilm_engine.search_talent(TalentQuery("someone to make our company emblem", top=3))
    assert hits[0].freelancer_id == "f1"
    hits = minilm_engine.search_talent(TalentQuery("help with my income taxes", top=3))
    assert hits[0].freelancer_id == "f2"


def test_index_survives_a_restart(minilm_engine: Engine) -> None:
    again = Engine(minilm_engine.settings)
    assert again.collection("talent").count() == 3
    assert again.sync_indexes() == {"talent": 0, "jobs": 0}


def test_one_reader_serves_profiles_jobs_letters_and_requests(minilm_engine: Engine) -> None:
    from tandem.companion import draft_job
    from tandem.domain import Job

    # profiles: read in the pass that embeds them; a described skill carries its phrase
    mentions = minilm_engine.collection("talent").mentions_of("f3")
    assert mentions.get("Django REST Framework", "").endswith("(described)"), mentions
    # job posts: a thin post gets the skill its words describe
    job = Job.model_validate(
        {
            "id": "j-translate",
            "title": "Help wanted",
            "description": "Someone to translate our website into Spanish.",
            "created_at": "2026-11-01T00:00:00Z",
        }
    )
    skills, inferred = minilm_engine.matcher.job_skills(job)
    assert inferred and {"Spanish", "Translation"} <= set(skills)
    # cover letters: the same reader's exact/alias tier (a dense pass per letter is too slow)
    letter = "I can translate it into Spanish next week, and I know Django."
    assert minilm_engine.matcher.letter_skills(letter) == ["Spanish", "Django"]
    # companion requests
    request = "Need help to edit our wedding videos"
    assert "Video Editing" in draft_job(minilm_engine, request).skills
