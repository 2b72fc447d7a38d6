"""The Ray executor gives the local executor's result: same rows, same counts, same vectors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from tandem.batch import create_executor
from tandem.bundle import Generator, VocabSkill
from tandem.cli import load
from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tandem.errors import ConfigurationError, ValidationError
from tandem.settings import Settings
from tests.conftest import make_settings

pytest.importorskip("ray.data")


def _counts(engine: Engine) -> dict[str, Any]:
    """``tandem stats``' counts, less the bytes on disk (two index builds lay files out apart)."""
    stats = engine.stats()
    for index in stats["indexes"].values():
        del index["bytes"]
    return stats


def _rows(engine: Engine, kind: str) -> dict[str, tuple[Any, ...]]:
    """Each indexed record: its vector, skills and the evidence of skills read from its text."""
    coll = engine.collection(kind)  # type: ignore[arg-type]
    return {
        doc_id: (coll.vectors_of([label])[0], coll.skills_of(doc_id), coll.mentions_of(doc_id))
        for doc_id, label in zip(coll.known_ids(), coll.ids.live_labels(), strict=True)
    }


def _assert_same(local: Engine, ray: Engine) -> None:
    assert _counts(ray) == _counts(local)
    for kind in ("talent", "jobs"):
        here, there = _rows(local, kind), _rows(ray, kind)
        assert here.keys() == there.keys() and here
        for doc_id, (vector, skills, mentions) in here.items():
            np.testing.assert_allclose(there[doc_id][0], vector, atol=1e-5)
            assert there[doc_id][1:] == (skills, mentions)


def test_import_on_ray_matches_local(tmp_path: Path, small_bundle: Path, monkeypatch: Any) -> None:
    local = Engine(make_settings(tmp_path / "local"), encoder=HashingEncoder())
    local.import_bundle(small_bundle)
    # the contract's command line, on a local Ray
    monkeypatch.setenv("TANDEM_HOME", str(tmp_path / "ray"))
    monkeypatch.setenv("TANDEM_ENCODER", "hashing")
    result = CliRunner().invoke(load(), ["import", str(small_bundle), "--executor", "ray"])
    assert result.exit_code == 0, result.output
    _assert_same(local, Engine(make_settings(tmp_path / "ray"), encoder=HashingEncoder()))


@pytest.mark.slow
def test_real_encoder_on_ray_matches_local(tmp_path: Path, vocabulary: list[VocabSkill]) -> None:
    """The default encoder (MiniLM on ONNX Runtime), loaded once per Ray actor."""
    bundle = tmp_path / "bundle"
    Generator(vocabulary, seed=5).write(bundle, 60, 20)
    engines = []
    for name in ("local", "ray"):
        engine = Engine(Settings(home=tmp_path / name))
        with engine.executing(name):
            engine.import_bundle(bundle)
        engines.append(engine)
    _assert_same(*engines)


def test_an_unknown_executor_or_a_stray_address_is_refused() -> None:
    with pytest.raises(ValidationError, match="unknown executor 'spark'"):
        create_executor("spark")
    with pytest.raises(ValidationError, match="--ray-address needs --executor ray"):
        create_executor("local", "10.0.0.1:6379")


def test_an_unreachable_cluster_fails_fast_and_plainly() -> None:
    with pytest.raises(ConfigurationError, match="cannot reach the Ray cluster at '127.0.0.1:1'"):
        create_executor("ray", "127.0.0.1:1")
    with pytest.raises(ConfigurationError, match="HOST:PORT"):
        create_executor("ray", "nowhere")


def test_the_engine_does_not_import_ray() -> None:
    code = "import sys, tandem.engine, tandem.batch; print('ray' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
