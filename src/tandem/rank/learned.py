"""A learned LambdaMART ranker (LightGBM) whose explanations come from its own contributions.

``pred_contrib`` gives each prediction's exact decomposition into per-column
contributions (TreeSHAP) plus a bias; summing the columns of one family gives
that family's contribution, so the reasons a person reads are the same ones
the heuristic gives, weighted by what the model actually used.

A model may start from a **prior**: a transparent ranker's score (scaled) is the
boosting's initial score, and the trees learn only what history adds to it. The
discovery model does this: its labels come from people who applied or were
shown, so where history is silent (talent unlike any applicant) the trees add
little and the prior's reading of skills, rate and availability still decides.
Contributions stay exact: the prior's families plus the trees' families.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel

from tandem.errors import BackendUnavailable, ConfigurationError
from tandem.rank.base import BASELINE, MatchFeatures, Ranker, Scored
from tandem.rank.vector import FAMILY_OF, MONOTONE, TASK_COLUMNS, Task, task_of_columns, to_matrix


class LambdaMartConfig(BaseModel):
    """Training settings of the LambdaMART ranker."""

    num_leaves: int = 15
    learning_rate: float = 0.05
    max_rounds: int = 600
    min_data_in_leaf: int = 30
    feature_fraction: float = 0.9
    bagging_fraction: float = 0.9
    lambda_l2: float = 1.0
    early_stopping_rounds: int = 60
    seed: int = 7


def _lightgbm() -> Any:
    try:
        import lightgbm
    except ImportError as exc:  # pragma: no cover - lightgbm is a core dependency
        raise BackendUnavailable(
            "the learned ranker needs lightgbm (pip install lightgbm)"
        ) from exc
    return lightgbm


@dataclass(frozen=True)
class Prior:
    """A transparent ranker whose score, times ``scale``, a model starts from."""

    ranker: Ranker
    scale: float

    def scores(self, features: Sequence[MatchFeatures]) -> list[Scored]:
        """The prior's scaled scores, with scaled contributions."""
        return [
            Scored(self.scale * s.score, {k: self.scale * v for k, v in s.contributions.items()})
            for s in self.ranker.score_many(features)
        ]

    @classmethod
    def unit(cls, ranker: Ranker, groups: Sequence[Sequence[MatchFeatures]]) -> Prior:
        """``ranker`` scaled so its scores spread by 1 within a group, on average.

        LambdaRank's pair weights are a logistic function of score differences: a prior
        whose typical within-group spread is 1 expresses confident orderings the trees
        must overcome with evidence, without a tuned weight.
        """
        spreads = [
            float(np.std([s.score for s in ranker.score_many(g)])) for g in groups if len(g) > 1
        ]
        spread = float(np.mean(spreads)) if spreads else 0.0
        return cls(ranker, 1.0 / spread if spread > 1e-9 else 1.0)


class LearnedRanker:
    """LambdaMART over one task's columns (:data:`tandem.rank.vector.TASK_COLUMNS`).

    The task is read from the model's own feature list, so a model file cannot be
    served for a task whose features it was not trained on.
    """

    name = "lambdamart"

    def __init__(self, booster: Any, version: str, prior: Prior | None = None) -> None:
        task = task_of_columns(list(booster.feature_name()))
        if task is None:
            raise ConfigurationError(
                f"model {version} was trained on other features; retrain it with 'tandem train'"
            )
        self.booster = booster
        self.version = version
        self.task: Task = task
        self.columns = TASK_COLUMNS[task]
        self.prior = prior

    @classmethod
    def fit(
        cls,
        train: tuple[npt.NDArray[np.float64], npt.NDArray[np.int64], list[int]],
        valid: tuple[npt.NDArray[np.float64], npt.NDArray[np.int64], list[int]],
        config: LambdaMartConfig | None = None,
        version: str = "unsaved",
        task: Task = "applicants",
        prior: tuple[Prior, npt.NDArray[np.float64], npt.NDArray[np.float64]] | None = None,
        each_round: Callable[[], None] | None = None,
    ) -> LearnedRanker:
        """Train on ``(X, grades, group sizes)``, early-stopped on ``valid`` by NDCG@10.

        ``X`` holds the task's columns in order; the model is monotone in the directions
        :data:`tandem.rank.vector.MONOTONE` names. ``prior``: the prior and its scaled
        scores on the train and valid rows (the boosting's initial scores). ``each_round``
        is called after each boosting round (progress: at most ``config.max_rounds``).
        """
        lgb = _lightgbm()
        cfg = config or LambdaMartConfig()
        names = [c.name for c in TASK_COLUMNS[task]]
        params = {
            "objective": "lambdarank",
            "metric": "ndcg",
            "eval_at": [10],
            "num_leaves": cfg.num_leaves,
            "learning_rate": cfg.learning_rate,
            "min_data_in_leaf": cfg.min_data_in_leaf,
            "feature_fraction": cfg.feature_fraction,
            "bagging_fraction": cfg.bagging_fraction,
            "bagging_freq": 1,
            "lambda_l2": cfg.lambda_l2,
            "seed": cfg.seed,
            "deterministic": True,
            "num_threads": 2,
            "verbose": -1,
            "monotone_constraints": [MONOTONE.get(n, 0) for n in names],
            "monotone_constraints_method": "advanced",
        }
        init = (None, None) if prior is None else (prior[1], prior[2])
        dtrain = lgb.Dataset(
            train[0], label=train[1], group=train[2], feature_name=names, init_score=init[0]
        )
        dvalid = lgb.Dataset(
            valid[0], label=valid[1], group=valid[2], reference=dtrain, init_score=init[1]
        )
        booster = lgb.train(
            params,
            dtrain,
            num_boost_round=cfg.max_rounds,
            valid_sets=[dvalid],
            callbacks=[
                lgb.early_stopping(cfg.early_stopping_rounds, verbose=False),
                *([] if each_round is None else [lambda _: each_round()]),
            ],
        )
        return cls(booster, version, None if prior is None else prior[0])

    def score_many(self, features: Sequence[MatchFeatures]) -> list[Scored]:
        """See :class:`tandem.rank.base.Ranker`; contributions are TreeSHAP sums per family.

        TreeSHAP's last column is the model's expected score (the same for every pair); it
        is kept as the ``baseline`` contribution so a pair's contributions add up to its
        score exactly and each family's points read as "above or below an average pair".
        """
        if not features:
            return []
        matrix = to_matrix(features, self.columns)
        contrib = self.booster.predict(
            matrix, pred_contrib=True, num_iteration=self.booster.best_iteration or None
        )
        priors = self.prior.scores(features) if self.prior is not None else None
        out = []
        for n, row in enumerate(contrib):
            families = dict(priors[n].contributions) if priors is not None else {}
            for column, value in zip(self.columns, row[:-1], strict=True):
                family = FAMILY_OF[column.name]
                families[family] = families.get(family, 0.0) + float(value)
            families[BASELINE] = families.get(BASELINE, 0.0) + float(row[-1])
            start = priors[n].score if priors is not None else 0.0
            out.append(Scored(start + float(row.sum()), families))
        return out

    def prior_meta(self) -> dict[str, object] | None:
        """What the registry records to rebuild the prior on load."""
        if self.prior is None:
            return None
        return {"ranker": self.prior.ranker.name, "scale": self.prior.scale}

    def save(self, path: Path) -> None:
        """Write the model as LightGBM's text format."""
        self.booster.save_model(str(path), num_iteration=self.booster.best_iteration or None)

    @classmethod
    def load(cls, path: Path, version: str, prior: Prior | None = None) -> LearnedRanker:
        """Read a model written by :meth:`save` (with the prior it was trained from)."""
        lgb = _lightgbm()
        return cls(lgb.Booster(model_file=str(path)), version, prior)
