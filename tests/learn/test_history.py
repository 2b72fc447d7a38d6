"""A freelancer's track record reads the same from the store's light path as from models."""

from __future__ import annotations

from datetime import UTC, datetime

from tandem.engine import Engine
from tandem.learn.history import History


def test_outcomes_read_from_json_give_the_history_models_give(loaded_engine: Engine) -> None:
    events = list(loaded_engine.store.events.iter_all())
    from_models = History(events)
    from_store = History(loaded_engine.store.outcomes())
    people = sorted({e.freelancer_id for e in events if e.freelancer_id})
    hired_or_reviewed = {e.freelancer_id for e in events if e.type in ("hire", "review")}
    assert hired_or_reviewed  # the sample market has outcomes to compare
    times = sorted(e.ts for e in events)
    for when in (times[len(times) // 3], times[-1], datetime(2100, 1, 1, tzinfo=UTC)):
        for fid in people:
            assert from_store.as_of(fid, when) == from_models.as_of(fid, when), (fid, when)


def test_outcomes_are_hires_and_reviews_only(loaded_engine: Engine) -> None:
    kinds = {o.type for o in loaded_engine.store.outcomes()}
    assert kinds == {"hire", "review"}
    assert all(o.ts.tzinfo is not None for o in loaded_engine.store.outcomes())
