"""The model registry under ``TANDEM_HOME/models``: versions, metadata, serving pointer, rollback.

Each trained model lives in its own folder (``model.txt`` + ``meta.json``: the
task, the training windows, the feature list, metrics and the file's SHA-256). A
small ``registry.json`` names the serving version of each task (``applicants``,
``discovery``) and each task's promotion history, so a rollback is one pointer
move. Writes are atomic (temp file + rename). A registry written before tasks
existed (one ``serving`` version) is read as the applicant task's.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tandem.errors import NotFoundError, ValidationError
from tandem.rank.learned import LearnedRanker, Prior
from tandem.rank.registry import create_ranker
from tandem.rank.vector import TASKS, Task


def _write_json(path: Path, data: object) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


@dataclass(frozen=True)
class ModelInfo:
    """What the registry knows of one model."""

    version: str
    meta: dict[str, Any]

    @property
    def status(self) -> str:
        """``serving``, ``candidate`` or ``retired``."""
        return str(self.meta.get("status", "candidate"))

    @property
    def task(self) -> Task:
        """The task the model was trained for (older models: ``applicants``)."""
        return "discovery" if self.meta.get("task") == "discovery" else "applicants"


def _check_task(task: str) -> Task:
    if task not in TASKS:
        raise ValidationError(f"unknown task {task!r}; known: {', '.join(TASKS)}")
    return task


class ModelRegistry:
    """Versioned models on disk."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _state(self) -> dict[str, Any]:
        path = self.root / "registry.json"
        state: dict[str, Any] = (
            json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        )
        serving, history = state.get("serving"), state.get("history")
        if not isinstance(serving, dict):  # written before tasks: one applicant model
            serving = {"applicants": serving}
        if not isinstance(history, dict):
            history = {"applicants": list(history or [])}
        changes = state.get("changes")
        return {
            "serving": {t: serving.get(t) for t in TASKS},
            "history": {t: list(history.get(t, [])) for t in TASKS},
            "changes": list(changes) if isinstance(changes, list) else [],
        }

    def _note(
        self,
        state: dict[str, Any],
        task: str,
        action: str,
        version: str | None,
        by: str,
        reason: str,
    ) -> None:
        """Append who changed which task's serving model, when and why (the registry's record)."""
        state["changes"].append(
            {
                "ts": datetime.now(UTC).isoformat(),
                "task": task,
                "action": action,
                "version": version,
                "by": by,
                "reason": reason,
            }
        )

    def changes(self) -> list[dict[str, Any]]:
        """Every promotion and rollback recorded (with who and why), newest first."""
        return list(reversed(self._state()["changes"]))

    def _save_state(self, state: dict[str, Any]) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        _write_json(self.root / "registry.json", state)

    def add(self, ranker: LearnedRanker, meta: dict[str, Any]) -> ModelInfo:
        """Store a trained model as a candidate of its task; returns its info."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        folder = self.root / f"tmp-{stamp}"
        folder.mkdir(parents=True)
        ranker.save(folder / "model.txt")
        digest = hashlib.sha256((folder / "model.txt").read_bytes()).hexdigest()
        version = f"lambdamart-{ranker.task}-{stamp[:15]}-{digest[:8]}"
        ranker.version = version
        full = {
            **meta,
            "version": version,
            "task": ranker.task,
            "ranker": ranker.name,
            "created_at": datetime.now(UTC).isoformat(),
            "features": [c.name for c in ranker.columns],
            "prior": ranker.prior_meta(),
            "sha256": digest,
            "status": "candidate",
        }
        _write_json(folder / "meta.json", full)
        folder.rename(self.root / version)
        return ModelInfo(version, full)

    def get(self, version: str) -> ModelInfo:
        """A model's info; :class:`NotFoundError` if unknown."""
        path = self.root / version / "meta.json"
        if not path.exists():
            raise NotFoundError(f"no model {version!r} in {self.root}")
        return ModelInfo(version, json.loads(path.read_text(encoding="utf-8")))

    def list(self) -> list[ModelInfo]:
        """Every model, newest first."""
        if not self.root.is_dir():
            return []
        found = [self.get(p.name) for p in self.root.iterdir() if (p / "meta.json").exists()]
        return sorted(found, key=lambda m: str(m.meta.get("created_at", "")), reverse=True)

    def serving_version(self, task: Task = "applicants") -> str | None:
        """The version that serves ``task``, if any."""
        value = self._state()["serving"].get(_check_task(task))
        return str(value) if value else None

    def load(self, version: str) -> LearnedRanker:
        """Load a model after checking its file against the recorded hash."""
        info = self.get(version)
        path = self.root / version / "model.txt"
        if hashlib.sha256(path.read_bytes()).hexdigest() != info.meta.get("sha256"):
            raise ValidationError(f"model {version} does not match its recorded SHA-256")
        prior = info.meta.get("prior")
        if prior:
            start = Prior(create_ranker(str(prior["ranker"])), float(prior["scale"]))
            return LearnedRanker.load(path, version, start)
        return LearnedRanker.load(path, version)

    def _set_status(self, version: str, status: str) -> None:
        info = self.get(version)
        _write_json(self.root / version / "meta.json", {**info.meta, "status": status})

    def promote(self, version: str, *, by: str = "", reason: str = "") -> Task:
        """Serve ``version`` for its task (the previous one is retired, kept for rollback).

        ``by`` and ``reason`` are recorded with the change (:meth:`changes`).
        """
        task = self.get(version).task
        state = self._state()
        previous = state["serving"][task]
        if previous == version:
            return task
        if previous:
            self._set_status(previous, "retired")
        self._set_status(version, "serving")
        state["serving"][task] = version
        state["history"][task].append(version)
        self._note(state, task, "promote", version, by, reason)
        self._save_state(state)
        return task

    def rollback_target(self, task: Task = "applicants") -> str | None:
        """The version :meth:`rollback` would serve (None: the heuristic); changes nothing."""
        history = self._state()["history"][_check_task(task)]
        if not history:
            raise ValidationError(f"nothing to roll back: no {task} model has been promoted")
        return str(history[-2]) if len(history) > 1 else None

    def rollback(self, task: Task = "applicants", *, by: str = "", reason: str = "") -> str | None:
        """Serve ``task``'s previously promoted model again (None: back to the heuristic)."""
        state = self._state()
        history = state["history"][_check_task(task)]
        if not history:
            raise ValidationError(f"nothing to roll back: no {task} model has been promoted")
        current = history.pop()
        self._set_status(current, "retired")
        previous = history[-1] if history else None
        if previous:
            self._set_status(previous, "serving")
        state["serving"][task] = previous
        self._note(state, task, "rollback", previous, by, reason)
        self._save_state(state)
        return previous
