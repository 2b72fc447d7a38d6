"""The marketplace's own fields stay its own when a freelancer or a client writes its record.

Through :class:`UserView`, so the rule holds for the API, the web UI and the companion alike.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tandem.engine import Engine
from tandem.engine.owned import OWNED, keep_owned
from tandem.errors import PermissionDeniedError
from tests.conftest import Cast


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("job_success", 100.0),
        ("rating", 5.0),
        ("total_jobs", 999),
        ("total_hours", 99_999),
        ("joined_at", datetime(2026, 11, 1, tzinfo=UTC)),
    ],
)
def test_a_freelancer_cannot_set_the_marketplaces_numbers_about_them(
    engine: Engine, cast: Cast, field: str, value: object
) -> None:
    stored = engine.store.freelancers.get(cast.freelancer_id)
    me = cast.view(engine, "freelancer-own")
    with pytest.raises(PermissionDeniedError, match=f"{field} is .*only the marketplace sets it"):
        me.save_freelancer(stored.model_copy(update={field: value, "title": "Changed"}))
    assert engine.store.freelancers.get(cast.freelancer_id) == stored


def test_a_round_trip_or_a_left_out_field_keeps_the_stored_values(
    engine: Engine, cast: Cast
) -> None:
    stored = engine.store.freelancers.get(cast.freelancer_id)
    me = cast.view(engine, "freelancer-own")
    me.save_freelancer(stored.model_copy(update={"title": "Round trip"}))
    cleared = {"job_success": None, "rating": None, "total_jobs": None, "total_hours": None}
    me.save_freelancer(stored.model_copy(update=cleared | {"title": "Left out"}))
    saved = engine.store.freelancers.get(cast.freelancer_id)
    assert saved.title == "Left out"
    assert saved.model_copy(update={"title": stored.title}) == stored


def test_a_new_job_is_posted_now_whatever_time_the_body_says(engine: Engine, cast: Cast) -> None:
    template = engine.store.jobs.get(cast.job_id)
    backdated = template.model_copy(
        update={"id": "j-new-owned", "created_at": datetime(2020, 1, 1, tzinfo=UTC)}
    )
    saved = cast.view(engine, "client-own").save_job(backdated, create=True)
    assert datetime.now(UTC) - saved.created_at < timedelta(minutes=1)
    assert engine.store.jobs.get("j-new-owned").created_at == saved.created_at


def test_a_client_cannot_backdate_its_job_but_an_operator_can(engine: Engine, cast: Cast) -> None:
    stored = engine.store.jobs.get(cast.job_id)
    earlier = stored.created_at - timedelta(days=30)
    with pytest.raises(PermissionDeniedError, match="created_at is the time the job was posted"):
        cast.view(engine, "client-own").save_job(stored.model_copy(update={"created_at": earlier}))
    cast.view(engine, "client-own").save_job(stored.model_copy(update={"title": "Kept time"}))
    assert engine.store.jobs.get(cast.job_id).created_at == stored.created_at
    cast.view(engine, "operator").save_job(stored.model_copy(update={"created_at": earlier}))
    assert engine.store.jobs.get(cast.job_id).created_at == earlier


def test_an_operator_sets_the_marketplaces_numbers(engine: Engine, cast: Cast) -> None:
    stored = engine.store.freelancers.get(cast.other_freelancer_id)
    cast.view(engine, "operator").save_freelancer(stored.model_copy(update={"rating": 4.25}))
    assert engine.store.freelancers.get(cast.other_freelancer_id).rating == 4.25


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("payment_verified", True),
        ("total_spent", 1_000_000.0),
        ("hires", 500),
        ("rating", 5.0),
        ("joined_at", datetime(2015, 1, 1, tzinfo=UTC)),
    ],
)
def test_a_client_cannot_set_the_marketplaces_numbers_about_itself(
    engine: Engine, cast: Cast, field: str, value: object
) -> None:
    # No face writes a client record yet: the rule any future one goes through.
    held = {"payment_verified": False, "total_spent": 510.0, "hires": 3, "rating": 4.5}
    stored = engine.store.clients.get(cast.client_id).model_copy(update=held)
    assert getattr(stored, field) != value
    given = stored.model_copy(update={field: value, "name": "Renamed Ltd"})
    with pytest.raises(PermissionDeniedError, match=f"^{field} is .*only the marketplace sets"):
        keep_owned("client", given, stored, datetime.now(UTC))
    repeated = stored.model_copy(update={"name": "Renamed Ltd"})
    left_out = repeated.model_copy(update=dict.fromkeys(OWNED["client"]))
    for body in (repeated, left_out):
        kept = keep_owned("client", body, stored, datetime.now(UTC))
        assert kept == stored.model_copy(update={"name": "Renamed Ltd"})


def test_a_new_client_has_no_history_and_joins_now(engine: Engine, cast: Cast) -> None:
    template = engine.store.clients.get(cast.client_id)
    new = template.model_copy(update={**dict.fromkeys(OWNED["client"]), "id": "c-new-owned"})
    with pytest.raises(PermissionDeniedError, match="^hires is .*a new client has none yet"):
        keep_owned("client", new.model_copy(update={"hires": 3}), None, datetime.now(UTC))
    now = datetime.now(UTC)
    backdated = new.model_copy(update={"joined_at": datetime(2015, 1, 1, tzinfo=UTC)})
    assert keep_owned("client", backdated, None, now).joined_at == now
