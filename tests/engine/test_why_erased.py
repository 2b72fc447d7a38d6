"""``why`` of an erased id: an operator is told of a tombstone only where the ranking has one.

A tombstone is the erased id's HMAC under a key destroyed with the person
(:mod:`tandem.store.ledger`): nothing tells whose it is, so a ranking without any cannot
have held the person, and one with some can only say that it may have.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tandem.api import create_app
from tandem.engine import Engine
from tandem.errors import NotFoundError
from tests.conftest import Cast


def _newcomer(engine: Engine, cast: Cast, new_id: str) -> str:
    """A profile saved after the ranking was made: it cannot be on it."""
    person = engine.store.freelancers.get(cast.other_freelancer_id)
    engine.save_freelancer(person.model_copy(update={"id": new_id}))
    return new_id


def test_an_erased_id_never_ranked_is_not_said_to_hold_a_place(engine: Engine, cast: Cast) -> None:
    """Trial 18: a person made after the ranking, then erased, "held a place": false."""
    operator = cast.view(engine, "operator")
    ranking = operator.serve_match(cast.job_id, top=4)
    late = _newcomer(engine, cast, "f-after-the-ranking")
    engine.erase("freelancer", late)
    with pytest.raises(NotFoundError, match="was not among the 4 results") as told:
        operator.why(ranking.request_id, late)
    assert "tombstone" not in str(told.value) and "erased" not in str(told.value)
    api = TestClient(create_app(engine=engine), raise_server_exceptions=False)
    url = f"/api/decisions/{ranking.request_id}/why/{late}"
    answer = api.get(url, headers=cast.auth("operator"))
    assert answer.status_code == 404 and "not among the 4 results" in answer.json()["detail"]
    assert "tombstone" not in answer.json()["detail"]


def test_an_erased_person_on_the_ranking_is_said_to_be_erased(engine: Engine, cast: Cast) -> None:
    operator = cast.view(engine, "operator")
    ranking = operator.serve_match(cast.job_id, top=4)
    shown = ranking.results[2].freelancer_id
    late = _newcomer(engine, cast, "f-after-another-ranking")
    engine.erase("freelancer", shown)
    with pytest.raises(NotFoundError, match=f"freelancer '{shown}' was erased.* holds 1 of its 4"):
        operator.why(ranking.request_id, shown)
    engine.erase("freelancer", late)  # erased too, never shown: only "may have", never "held"
    with pytest.raises(NotFoundError, match="whether one of them was theirs cannot be told"):
        operator.why(ranking.request_id, late)
