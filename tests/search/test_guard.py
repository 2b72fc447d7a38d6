"""The collection guard: many readers or one writer, re-entrant, a waiting writer first."""

import threading
import time

import pytest

from tandem.search.guard import Guard


def test_a_change_waits_for_the_query_under_way_and_holds_back_new_ones() -> None:
    guard = Guard()
    order: list[str] = []
    reading, writer_waits = threading.Event(), threading.Event()

    def query(name: str, started: threading.Event | None) -> None:
        with guard.reading():
            order.append(f"{name} in")
            if started is not None:
                started.set()
                writer_waits.wait(5)
                time.sleep(0.2)  # time for the writer (and the later query) to get in, if let
            with guard.reading():  # re-entrant: a query's helpers read again
                order.append(f"{name} out")

    def change() -> None:
        reading.wait(5)
        writer_waits.set()
        with guard.writing(), guard.writing():
            order.append("change")

    first = threading.Thread(target=query, args=("first", reading))
    writer = threading.Thread(target=change)
    first.start()
    writer.start()
    writer_waits.wait(5)
    time.sleep(0.05)
    later = threading.Thread(target=query, args=("later", None))
    later.start()
    for thread in (first, writer, later):
        thread.join(5)
    assert order == ["first in", "first out", "change", "later in", "later out"]


def test_a_reader_that_tries_to_change_is_refused_not_deadlocked() -> None:
    guard = Guard()
    with guard.reading(), pytest.raises(RuntimeError, match="cannot change"), guard.writing():
        pass
    with guard.writing(), guard.reading():  # the writer may read what it wrote
        pass
