"""Light commands import only what they use (the cold start of issue 9, part 4).

Each command runs in a fresh interpreter, as a user's shell runs it, and reports at exit which
heavy libraries were imported. Asserting behaviour (what got imported), not timing: the timing
is `bench/bench_coldstart.py`'s job.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tandem.bundle import Generator, VocabSkill

#: Never needed by a command that reads: model training, the web server, the LLM client, the
#: torch encoder, and Alembic (only when a migration is pending).
HEAVY = (
    "torch",
    "sentence_transformers",
    "transformers",
    "lightgbm",
    "fastapi",
    "uvicorn",
    "openai",
    "alembic",
)

_RUN = """
import atexit, json, sys
atexit.register(lambda: sys.__stderr__.write("\\nIMPORTED " + json.dumps(
    sorted(m for m in {heavy!r} if m in sys.modules)) + "\\n"))
from tandem.cli import main
sys.argv = ["tandem", *{args!r}]
main()
"""


def run_cli(
    args: list[str], env: dict[str, str]
) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """Run ``tandem ARGS`` in a new interpreter; its result and the heavy modules it imported."""
    code = _RUN.format(heavy=HEAVY, args=args)
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300
    )
    line = [x for x in done.stderr.splitlines() if x.startswith("IMPORTED ")]
    assert line, done.stderr
    return done, json.loads(line[-1].removeprefix("IMPORTED "))


def _built_home(root: Path, vocabulary: list[VocabSkill], encoder: str) -> dict[str, str]:
    env = dict(os.environ, TANDEM_HOME=str(root / "home"), TANDEM_ENCODER=encoder)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    bundle = root / "bundle"
    Generator(vocabulary, seed=3).write(bundle, 60, 30)
    done, _ = run_cli(["import", str(bundle)], env)
    assert done.returncode == 0, done.stderr
    return env


LIGHT = [
    ["--help"],
    ["search", "talent", "python developer", "--top", "3"],
    ["search", "jobs", "logo design", "--top", "3"],
    ["match", "j000001", "--top", "3"],
    ["recommend", "f000001", "--top", "3"],
    ["companion", "draft-job", "I need a React developer for 3 weeks, budget $900"],
    ["skills", "extract", "I build REST APIs in Django", "--taxonomy", "builtin"],
    ["models", "list"],
]


@pytest.fixture(scope="module")
def hashing_home(
    tmp_path_factory: pytest.TempPathFactory, vocabulary: list[VocabSkill]
) -> dict[str, str]:
    return _built_home(tmp_path_factory.mktemp("light"), vocabulary, "hashing")


@pytest.mark.parametrize("args", LIGHT, ids=lambda a: " ".join(a[:2]))
def test_light_commands_import_no_heavy_library(
    args: list[str], hashing_home: dict[str, str]
) -> None:
    done, imported = run_cli(args, hashing_home)
    assert done.returncode == 0, done.stderr
    assert imported == []


def test_why_replays_without_heavy_libraries(hashing_home: dict[str, str]) -> None:
    done, _ = run_cli(["match", "j000002", "--top", "2", "--json"], hashing_home)
    request_id = json.loads(done.stdout)["request_id"]
    first = json.loads(done.stdout)["results"][0]["freelancer_id"]
    done, imported = run_cli(["why", request_id, first], hashing_home)
    assert done.returncode == 0, done.stderr
    assert imported == []


@pytest.mark.slow
def test_the_default_encoder_serves_without_torch(
    tmp_path: Path, vocabulary: list[VocabSkill]
) -> None:
    env = _built_home(tmp_path, vocabulary, "minilm")
    for args in (LIGHT[1], LIGHT[5], LIGHT[6]):
        done, imported = run_cli(args, env)
        assert done.returncode == 0, done.stderr
        assert imported == [], args
