"""Shared fixtures, each named for what it isolates and scoped on purpose."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tandem.bundle import Generator, VocabSkill
from tandem.embed import HashingEncoder
from tandem.engine import Engine, UserView
from tandem.engine.acting import Surface
from tandem.settings import Settings
from tandem.skills.taxonomy import builtin_skills

#: The hand-written 13-freelancer bundle of new-user trial 16 (a German bookkeeping job, a
#: freelancer declined on a job, one hired, rows without track records or languages).
AGENCY = Path(__file__).resolve().parent / "data" / "agency"
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
POSTGRES_URL = os.environ.get("TANDEM_TEST_POSTGRES_URL")

# Under pytest-xdist (``make test``) the workers share the cores: torch's and OpenMP's thread
# pools default to all of them, so each worker's pools get its share instead of fighting.
_WORKERS = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
if _WORKERS > 1:
    os.environ.setdefault("OMP_NUM_THREADS", str(max(1, (os.cpu_count() or 1) // _WORKERS)))


def shared_data(*parts: str) -> Path:
    """A path under ../shared/data, or a skip when the reference data is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"reference data {path} is absent (it lives beside the project, not in it)")
    return path


def make_settings(home: Path, database_url: str | None = None) -> Settings:
    """Settings isolated under ``home`` with the instant hashing encoder."""
    return Settings(home=home, database_url=database_url, encoder="hashing")


@contextmanager
def deadline(seconds: int, what: str) -> Iterator[None]:
    """Fail with ``TimeoutError`` if the block runs ``seconds`` or more (SIGALRM, main thread).

    Not a timing target (the machine is shared and noisy): a generous alarm that turns a
    hang, such as a pattern scanning a long input in quadratic time, into a failure.
    """

    def _expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"{what} did not return within {seconds} s")

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch ``TANDEM_HOME`` with the hashing encoder, for CLI tests (via env vars)."""
    monkeypatch.setenv("TANDEM_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TANDEM_ENCODER", "hashing")
    return tmp_path


@pytest.fixture(scope="session")
def vocabulary() -> list[VocabSkill]:
    return [VocabSkill(s.name, s.category, s.group, s.aliases) for s in builtin_skills()]


@pytest.fixture(scope="session")
def small_bundle(tmp_path_factory: pytest.TempPathFactory, vocabulary: list[VocabSkill]) -> Path:
    """A generated marketplace of 300 freelancers and 150 jobs (read-only for tests)."""
    out = tmp_path_factory.mktemp("bundle")
    Generator(vocabulary, seed=11).write(out, 300, 150)
    return out


@pytest.fixture
def bare_engine(tmp_path: Path) -> Iterator[Engine]:
    """An engine with an empty SQLite store of its own and the hashing encoder."""
    engine = Engine(make_settings(tmp_path / "home"), encoder=HashingEncoder())
    yield engine
    engine.store.close()


@pytest.fixture(scope="session")
def loaded_engine(tmp_path_factory: pytest.TempPathFactory, small_bundle: Path) -> Iterator[Engine]:
    """One engine with ``small_bundle`` imported and indexed; tests must not write to it."""
    home = tmp_path_factory.mktemp("loaded-home")
    engine = Engine(make_settings(home), encoder=HashingEncoder())
    engine.import_bundle(small_bundle)
    yield engine
    engine.store.close()


@pytest.fixture
def agency_engine(tmp_path: Path) -> Iterator[Engine]:
    """An engine of its own with the trial-16 agency bundle (:data:`AGENCY`) imported."""
    engine = Engine(make_settings(tmp_path / "home"), encoder=HashingEncoder())
    engine.import_bundle(AGENCY)
    yield engine
    engine.store.close()


@dataclass(frozen=True)
class Cast:
    """One user per role, and the records they own: what access tests sign in as."""

    tokens: dict[str, str]
    client_id: str
    other_client_id: str
    freelancer_id: str
    other_freelancer_id: str
    job_id: str  # owned by ``client_id``

    def auth(self, who: str) -> dict[str, str]:
        """The ``Authorization`` header of ``who`` (``anonymous``: none)."""
        return {} if who == "anonymous" else {"Authorization": f"Bearer {self.tokens[who]}"}

    def view(self, engine: Engine, who: str, face: Surface = "api") -> UserView:
        """The engine acting as ``who``, signed in with its token, through ``face``."""
        return view_of(engine, self.tokens[who], face)


def view_of(engine: Engine, token: str, face: Surface = "api") -> UserView:
    """The engine acting for whoever ``token`` signs in, through ``face`` (as a request does)."""
    identity = engine.identify_token(token)
    assert identity is not None
    return engine.as_user(identity, face)


def cast_users(engine: Engine, tag: str = "") -> Cast:
    """Users operator, auditor, client-own/-other, freelancer-own/-other on a loaded store.

    The job is an open one: a closed job takes no decisions or proposals.
    """
    jobs = [j for j in engine.store.jobs.iter_all() if j.client_id]
    job = next(j for j in jobs if j.status == "open")
    other = next(j.client_id for j in jobs if j.client_id != job.client_id)
    people, _ = engine.store.freelancers.page(0, 2)
    binding = {
        "operator": {},
        "auditor": {},
        "client-own": {"client_id": job.client_id},
        "client-other": {"client_id": other},
        "freelancer-own": {"freelancer_id": people[0].id},
        "freelancer-other": {"freelancer_id": people[1].id},
    }
    tokens = {
        who: engine.add_user(f"{who}{tag}", who.split("-")[0], **kw)[1]  # type: ignore[arg-type]
        for who, kw in binding.items()
    }
    assert job.client_id and other
    return Cast(tokens, job.client_id, other, people[0].id, people[1].id, job.id)


def operator_headers(engine: Engine, name: str = "op") -> dict[str, str]:
    """A new operator's ``Authorization`` header."""
    return {"Authorization": f"Bearer {engine.add_user(name, 'operator')[1]}"}


def sign_in(client: Any, token: str) -> str:
    """Sign a TestClient's browser in with ``token``; returns the session's CSRF token."""
    import re

    page = client.get("/signin").text
    field = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert field is not None
    done = client.post(
        "/signin", data={"csrf_token": field.group(1), "token": token}, follow_redirects=False
    )
    assert done.status_code == 303, done.text
    meta = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/jobs").text)
    assert meta is not None
    return meta.group(1)


def _module_tag(request: pytest.FixtureRequest) -> str:
    """``test_webusers`` -> ``webusers``: names the module's home and its cast's users."""
    return request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")


@pytest.fixture(scope="module")
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, small_bundle: Path
) -> Iterator[Engine]:
    """The small marketplace loaded into the asking module's own store (module-scoped).

    What one module writes (users, imports, edits, decisions) never shows in another's counts;
    a module that needs something else defines its own ``engine``, which takes precedence.
    """
    home = tmp_path_factory.mktemp(f"{_module_tag(request)}-home")
    engine = Engine(make_settings(home), encoder=HashingEncoder())
    engine.import_bundle(small_bundle)
    yield engine
    engine.store.close()


@pytest.fixture(scope="module")
def cast(request: pytest.FixtureRequest, engine: Engine) -> Cast:
    """One user per role on the module's engine (:func:`cast_users`)."""
    return cast_users(engine, f"-{_module_tag(request)}")
