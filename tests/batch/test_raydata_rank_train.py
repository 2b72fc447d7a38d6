"""Batch ranking and training features on Ray give the local executor's file, rows and model.

One local Ray serves the whole module (its start-up is the slow part); every executor made
here joins it and leaves it running.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from tandem.cli import load
from tandem.domain.results import FAIRNESS_REASON
from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tandem.learn.dataset import GroupSet, build_groups
from tandem.learn.runner import consenting, load_training_data, training_labels
from tandem.learn.train import fit, split_by_time
from tandem.rank.learned import LambdaMartConfig
from tandem.rank.vector import TASKS, Task
from tests.conftest import make_settings

ray = pytest.importorskip("ray")
pytest.importorskip("ray.data")


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    """One local Ray for the module, started as the executor would start it."""
    ray.init(num_cpus=2, include_dashboard=False, logging_level=logging.ERROR, log_to_driver=False)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory, small_bundle: Path) -> Path:
    """A home with the small bundle imported (copied before each use: ranking writes the log)."""
    home = tmp_path_factory.mktemp("imported") / "home"
    engine = Engine(make_settings(home), encoder=HashingEncoder())
    engine.import_bundle(small_bundle)
    engine.store.close()
    return home


def _copy(imported: Path, to: Path) -> Path:
    shutil.copytree(imported, to)
    return to


def _rank(home: Path, jobs: Path, out: Path, monkeypatch: Any, *extra: str) -> None:
    monkeypatch.setenv("TANDEM_HOME", str(home))
    monkeypatch.setenv("TANDEM_ENCODER", "hashing")
    args = ["rank", "--jobs", str(jobs), "--out", str(out), "--candidates", "all"]
    result = CliRunner().invoke(load(), [*args, "--top-k", "20", *extra])
    assert result.exit_code == 0, result.output


def _logged(home: Path) -> list[tuple[Any, ...]]:
    """What each logged match says, in the chain's order (less its id, time and run start)."""
    engine = Engine(make_settings(home), encoder=HashingEncoder())
    assert engine.verify_log().ok
    rows = []
    for _, d in engine.store.decisions.numbered("match"):
        request = dict(d.request)
        if isinstance(request.get("newcomers"), dict):
            request["newcomers"] = {k: v for k, v in request["newcomers"].items() if k != "as_of"}
        rows.append((d.subject, request, d.candidates, [r.model_dump() for r in d.results]))
    engine.store.close()
    return rows


def test_rank_on_ray_writes_the_local_file(
    local_ray: None, imported: Path, small_bundle: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    lines_in = (small_bundle / "jobs.jsonl").read_text().splitlines()
    ids = [json.loads(line)["id"] for line in lines_in][:14]
    jobs = tmp_path / "jobs.txt"
    jobs.write_text("\n".join([*ids[:7], "no-such-job", *ids[7:]]) + "\n")
    # amortised (the default method) and the newcomer share carry state from list to list
    policies = ("--fair-by", "gender", "--newcomers", "0.3")
    here, there = tmp_path / "local.jsonl", tmp_path / "ray.jsonl"
    _rank(_copy(imported, tmp_path / "a"), jobs, here, monkeypatch, *policies)
    _rank(_copy(imported, tmp_path / "b"), jobs, there, monkeypatch, *policies, "--executor", "ray")
    # the same lines but each one's request id (it names that run's own logged ranking)
    unnamed = [re.sub(rb'"request_id": "[0-9a-f]+", ', b"", p.read_bytes()) for p in (here, there)]
    assert unnamed[0] == unnamed[1] and b"request_id" not in unnamed[0]
    lines = [json.loads(line) for line in here.read_text().splitlines()]
    assert [line["job_id"] for line in lines] == [*ids[:7], "no-such-job", *ids[7:]]
    assert lines[7]["ranking"] == [] and "no-such-job" in lines[7]["error"]
    moved = [r for line in lines for x in line["ranking"] for r in x["reasons"]]
    assert any(r["code"] == FAIRNESS_REASON for r in moved)  # the policies did move people
    logged = _logged(tmp_path / "a")
    assert len(logged) == len(ids) and _logged(tmp_path / "b") == logged


def _groups(engine: Engine, task: Task) -> GroupSet:
    data = load_training_data(engine.store)
    labels = training_labels(engine.store, data, None)
    return build_groups(
        engine.matcher,
        data.jobs,
        labels,
        consenting(data),
        data.proposals,
        excluded=data.excluded,
        task=task,
        seed=7,
        rows=engine.training_rows(),
    )


def test_training_features_on_ray_give_the_local_matrices_and_model(
    local_ray: None, imported: Path
) -> None:
    engine = Engine(make_settings(imported), encoder=HashingEncoder())
    cfg = LambdaMartConfig(max_rounds=40)
    for task in TASKS:
        here = _groups(engine, task)
        with engine.executing("ray"):
            there = _groups(engine, task)
        x_here, y_here, sizes_here = here.arrays(task)
        x_there, y_there, sizes_there = there.arrays(task)
        assert x_here.shape[0] > 100
        np.testing.assert_array_equal(x_there, x_here)
        np.testing.assert_array_equal(y_there, y_here)
        assert sizes_there == sizes_here
        prior = engine.heuristic if task == "discovery" else None
        local_model = fit(split_by_time(here), cfg, task, prior)
        ray_model = fit(split_by_time(there), cfg, task, prior)
        feats = [f for g in here.groups for f in g.features]
        scores = [s.score for s in local_model.score_many(feats)]
        assert [s.score for s in ray_model.score_many(feats)] == scores
        assert len(set(scores)) > 1  # a model that learned something, not a constant
    engine.store.close()


def test_rank_and_train_refuse_an_unreachable_cluster_before_any_work(
    home: Path, tmp_path: Path
) -> None:
    jobs = tmp_path / "jobs.txt"
    jobs.write_text("j000001\n")
    out = tmp_path / "out.jsonl"
    ray_at = ["--executor", "ray", "--ray-address", "127.0.0.1:1"]
    for args in (["rank", "--jobs", str(jobs), "--out", str(out)], ["train"]):
        result = CliRunner().invoke(load(), [*args, *ray_at])
        assert result.exit_code != 0
        assert "cannot reach the Ray cluster at '127.0.0.1:1'" in result.output
    assert not out.exists() or out.read_text() == ""
