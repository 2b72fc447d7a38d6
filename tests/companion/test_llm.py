"""The LLM backend's fallbacks and redaction, against real sockets (no model needed)."""

import socket
import threading
from collections.abc import Iterator

import pytest

from tandem.companion.llm import reword
from tandem.llm.openai_compatible import OpenAICompatible

DRAFT = (
    "About the work: logo for my bakery, budget $300. "
    "Reach me at jo@example.com or +1 415 555 0100."
)


class Recorder:
    """A backend that keeps what it was sent and answers with a fixed text."""

    name = "recorder"

    def __init__(self, answer: str) -> None:
        self.answer = answer
        self.sent: list[str] = []

    def complete(self, system: str, user: str) -> str:
        self.sent.append(system + user)
        return self.answer


def test_contact_details_never_reach_the_model() -> None:
    recorder = Recorder("About the work: a logo for my bakery, budget $300.")
    worded = reword(recorder, DRAFT, [], skills_in=lambda t: [])
    assert recorder.sent and "jo@example.com" not in recorder.sent[0]
    assert "555" not in recorder.sent[0]
    assert worded.used_model and worded.text == recorder.answer


def test_invented_facts_fall_back_to_the_draft_and_say_so() -> None:
    worded = reword(
        Recorder("Logo for a bakery, budget $450 per month."), DRAFT, [], skills_in=lambda t: []
    )
    assert not worded.used_model and worded.text == DRAFT
    assert "450" in worded.note and "built-in draft" in worded.note


def test_no_backend_means_the_draft() -> None:
    assert reword(None, DRAFT, [], skills_in=lambda t: []).text == DRAFT


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


def test_a_silent_server_times_out_into_the_draft(silent_port: int) -> None:
    backend = OpenAICompatible(f"http://127.0.0.1:{silent_port}/v1", "m", timeout=0.5)
    worded = reword(backend, DRAFT, [], skills_in=lambda t: [])
    assert not worded.used_model and worded.text == DRAFT and "Timeout" in worded.note


def test_a_refused_connection_falls_back() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens here
    worded = reword(
        OpenAICompatible(f"http://127.0.0.1:{port}/v1", "m", timeout=2),
        DRAFT,
        [],
        skills_in=lambda t: [],
    )
    assert not worded.used_model and "failed" in worded.note
