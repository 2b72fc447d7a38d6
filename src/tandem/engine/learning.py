"""Learning: training runs, the feedback loop, batch ranking and offline evaluation."""

from __future__ import annotations

import fcntl
import json
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tandem.domain import MatchRanking, MatchResult
from tandem.engine.newcomers import NewcomerCarry
from tandem.engine.queries import _check_top
from tandem.engine.serving import ServingLayer
from tandem.engine.types import OUTCOME_EVENTS, CandidateSource, Progress, Requester
from tandem.errors import NotFoundError, TandemError, ValidationError
from tandem.rank import Ranker
from tandem.rank.learned import LambdaMartConfig
from tandem.rank.vector import TASKS, Task

if TYPE_CHECKING:
    from tandem.learn.dataset import FeatureRows
    from tandem.learn.runner import TrainingOutcome


class LearningLayer(ServingLayer):
    """Train, learn, rank in batch, evaluate."""

    # learning -----------------------------------------------------------------------------
    def train(
        self,
        *,
        cutoff: datetime | None = None,
        config: LambdaMartConfig | None = None,
        auto_promote: bool = True,
        progress: Progress | None = None,
    ) -> TrainingOutcome:
        """Train one LambdaMART ranker per task (before ``cutoff``), gate each, maybe promote.

        ``progress`` hears each stage with its count (see :func:`tandem.learn.runner.train_run`).
        """
        from tandem.learn.runner import train_run  # training's modules load when it runs

        # A serving model trained on someone since erased is no rival: the retrain without
        # them replaces it whenever it beats the heuristic (exact retraining is the unlearning).
        tainted = self.erased_models()
        rivals: dict[Task, dict[str, Ranker]] = {}
        for task in TASKS:
            rivals[task] = {"heuristic": self.heuristic}
            serving = self.ranker_for(task)
            if serving is not self.heuristic and serving.version not in tainted:
                rivals[task]["serving"] = serving
        matcher = self.matcher
        outcome = train_run(
            self.store,
            matcher,
            self.models,
            rivals,
            cutoff=cutoff,
            config=config,
            auto_promote=auto_promote,
            heuristic=self.heuristic,
            rows=self.training_rows(),
            progress=progress,
        )
        self._matcher = None
        for run in outcome.runs.values():
            self.store.privacy.record_model_data(run.model.version, run.people)
        if cutoff is None:  # trained on every outcome so far: the loop has nothing new to learn
            self._save_learn_state(outcome)
        return outcome

    def erased_models(self) -> dict[str, datetime]:
        """Model versions trained on someone since erased, with the (first) erasure's time.

        The one rule every face reads ("predates an erasure"): the models list, the ranking
        card, a promotion's refusal, and a retrain's choice of rivals.
        """
        found: dict[str, datetime] = {}
        for erasure in self.store.privacy.erasures():
            for version in erasure.models:
                found.setdefault(version, erasure.ts)
        return found

    def training_rows(self) -> FeatureRows:
        """Where training groups' feature rows are built: the executor (:meth:`executing`).

        Here, or on Ray's workers, each with an engine on this home; the rows, and so the
        fitted models, are the same (``tests/batch/test_raydata_rank_train.py``).
        """
        from tandem.batch.base import Mapped
        from tandem.engine.spread import BuildRows, feature_rows

        work = Mapped(lambda asks: feature_rows(self, asks), BuildRows(self.settings))
        return lambda asks: self.executor.map(work, asks)  # streamed: progress per group

    def _outcome_count(self) -> int:
        return sum(1 for e in self.store.events.iter_all() if e.type in OUTCOME_EVENTS)

    def _save_learn_state(self, outcome: TrainingOutcome) -> None:
        """Record what a run trained on, so ``learn`` retrains only for new outcomes."""
        state = {
            "outcomes": self._outcome_count(),
            "last_run": datetime.now(UTC).isoformat(),
            "last_models": {task: run.model.version for task, run in outcome.runs.items()},
        }
        path = self.settings.home / "learn_state.json"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(state))
        tmp.replace(path)

    def rank_jobs(
        self,
        job_ids: Iterable[str],
        *,
        candidates: CandidateSource = "proposals",
        top: int | None = 100,
    ) -> Iterator[tuple[str, list[MatchResult]]]:
        """Rankings for many jobs, one at a time (for batch output; ``top=None``: all)."""
        for job_id in job_ids:
            yield job_id, self.match(job_id, top=top, candidates=candidates)

    def serve_matches(
        self,
        job_ids: Sequence[str],
        *,
        top: int | None = 100,
        candidates: CandidateSource = "proposals",
        who: Requester | None = None,
        fair_by: str | None = None,
        newcomers: NewcomerCarry | None = None,
    ) -> Iterator[tuple[str, MatchRanking | NotFoundError]]:
        """:meth:`serve_match` for many jobs, in their order: a batch (``tandem rank``).

        Each job's list is scored on the executor (:meth:`executing`: here, or Ray's workers,
        each with an engine on this home), streamed back in the jobs' order; then, here, the
        policies that carry state from list to list (``amortised``'s tally, the newcomer
        carry) are applied and every ranking is written to the decision log (a hash chain).
        So the rankings, and the log, are the ones :meth:`serve_match` job by job gives. An
        unknown job id yields its error in its place; any other error is raised.
        """
        from tandem.batch.base import Mapped
        from tandem.engine.spread import ScoreJobs, score_jobs

        if top is not None:
            _check_top(top)
        work = Mapped(
            lambda ids: score_jobs(self, ids, candidates), ScoreJobs(self.settings, candidates)
        )
        for job_id, scored in zip(job_ids, self.executor.map(work, job_ids), strict=True):
            if isinstance(scored, NotFoundError):
                yield job_id, scored
                continue
            if isinstance(scored, TandemError):
                raise scored
            yield (
                job_id,
                self._serve_match(job_id, top, candidates, who, fair_by, newcomers, scored=scored),
            )

    def learn(
        self, *, min_new_outcomes: int = 1, progress: Progress | None = None
    ) -> dict[str, Any]:
        """Run the feedback loop once: new outcome events -> retrain -> gate -> promote or keep.

        Safe from cron: a second run while one is in progress returns at once, and a run
        with no new outcomes since the last one does nothing. ``progress``: as :meth:`train`.
        """
        state_path = self.settings.home / "learn_state.json"
        with (self.settings.home / "learn.lock").open("w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return {"status": "busy", "detail": "another learn run is in progress"}
            state = json.loads(state_path.read_text()) if state_path.exists() else {}
            outcomes = self._outcome_count()
            new = outcomes - int(state.get("outcomes", 0))
            # An erasure of someone a model was trained on: retrain without them at once.
            if new < min_new_outcomes and not state.get("retrain_after_erasure"):
                return {"status": "unchanged", "new_outcomes": new, "serving": self._notes()}
            try:
                result = self.train(auto_promote=True, progress=progress)
            except ValidationError as exc:
                return {"status": "not_trained", "detail": str(exc), "serving": self._notes()}
            models = {task: run.model.version for task, run in result.runs.items()}
            promoted = [t for t, run in result.runs.items() if run.model.status == "serving"]
            return {
                "status": "promoted" if promoted else "kept",
                "new_outcomes": new,
                "models": models,
                "promoted": promoted,
                "gate": {task: run.decision.reason for task, run in result.runs.items()},
                "serving": self._notes(),
            }

    def _notes(self) -> dict[str, str]:
        return {task: self.ranker_note(task) for task in TASKS}

    def evaluate_ranking(
        self, bundle: Path, cutoff: datetime, progress: Progress | None = None
    ) -> dict[str, Any]:
        """Import ``bundle`` into a scratch home, train before ``cutoff``, evaluate after it."""
        from tandem.learn.evaluate import EvalContext, evaluate, evaluation_jobs
        from tandem.learn.labels import graded_labels
        from tandem.learn.runner import load_training_data

        with tempfile.TemporaryDirectory(prefix="tandem-eval-") as tmp:
            settings = self.settings.model_copy(update={"home": Path(tmp), "database_url": None})
            sandbox = type(self)(settings, encoder=self.encoder)
            try:
                sandbox.import_bundle(bundle, progress=progress)
                outcome = sandbox.train(cutoff=cutoff, auto_promote=False)
                versions = {t: run.model.version for t, run in outcome.runs.items()}
                learned = sandbox.models.load(versions["applicants"])
                discovery = sandbox.models.load(versions["discovery"])
                data = load_training_data(sandbox.store)
                proposals = [p for by_f in data.proposals.values() for p in by_f.values()]
                labels = graded_labels(sandbox.store.events.iter_all(), proposals)
                ctx = EvalContext(
                    sandbox.matcher,
                    data.freelancers,
                    data.proposals,
                    sandbox.heuristic,
                    learned,
                    discovery,
                )
                jobs = evaluation_jobs(data.jobs, cutoff)

                def step(n: int) -> None:
                    if progress:
                        progress("evaluate", n, len(jobs))

                table, evaluated = evaluate(ctx, jobs, labels, step)
            finally:
                sandbox.store.close()
        return {
            "cutoff": cutoff.isoformat(),
            "jobs_evaluated": evaluated,
            "training_groups": outcome.runs["applicants"].groups,
            "model": versions["applicants"],
            "models": versions,
            "metrics": table,
        }
