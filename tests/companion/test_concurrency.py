"""Two confirmations of one pending action racing: exactly one runs it (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tandem.companion.dialogue import Companion
from tandem.embed import HashingEncoder
from tandem.engine import Conversation, Engine
from tandem.errors import ConflictError
from tests.companion.conftest import acting
from tests.conftest import POSTGRES_URL, make_settings
from tests.store.conftest import _fresh_postgres


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty engine on SQLite and, when TANDEM_TEST_POSTGRES_URL is set, PostgreSQL."""
    url = None
    if request.param == "postgresql":
        if not POSTGRES_URL:
            pytest.skip("TANDEM_TEST_POSTGRES_URL is not set (.ci/run starts a PostgreSQL 15)")
        url = _fresh_postgres(POSTGRES_URL)
    engine = Engine(make_settings(tmp_path / "home", url), encoder=HashingEncoder())
    yield engine
    engine.store.close()


class LoadsTogether(Companion):
    """A companion whose sessions are loaded by both racers before either goes on.

    Only the timing is arranged: every step after loading is the real one.
    """

    def __init__(self, engine: Engine, barrier: threading.Barrier) -> None:
        super().__init__(acting(engine))
        self.barrier = barrier

    def get(self, session_id: str) -> Conversation:
        conv = super().get(session_id)
        if threading.current_thread() is not threading.main_thread():
            self.barrier.wait(timeout=30)
        return conv


@pytest.mark.parametrize("how", ["button", "yes"])
def test_two_concurrent_confirmations_post_one_job(store_engine: Engine, how: str) -> None:
    barrier = threading.Barrier(2)
    companion = LoadsTogether(store_engine, barrier)
    conv, _ = companion.open()
    draft = companion.say(conv.id, "I need a logo for my bakery, budget $300").reply
    action = draft.payload["pending"]
    assert action["kind"] == "post_job" and store_engine.store.jobs.count() == 0

    outcomes: list[object] = []

    def confirm() -> None:
        try:
            if how == "button":
                turn = companion.say(conv.id, "", confirm=action["id"])
            else:
                turn = companion.say(conv.id, "yes")
            outcomes.append(turn.reply.payload["intent"])
        except ConflictError as exc:
            outcomes.append(exc)

    racers = [threading.Thread(target=confirm) for _ in range(2)]
    for t in racers:
        t.start()
    for t in racers:
        t.join(timeout=60)

    assert store_engine.store.jobs.count() == 1
    assert sorted(map(str, outcomes)) == [
        "posted",
        "that action is no longer waiting for confirmation",
    ]
    texts = [(m.role, m.text) for m in companion.history(conv.id)[1]]
    assert [r for r, _ in texts] == ["assistant", "user", "assistant", "user", "assistant"]
    assert texts[-1][1].startswith("Posted")
    assert companion.get(conv.id).state["pending"] is None
