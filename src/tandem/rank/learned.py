"""A learned LambdaMART ranker (LightGBM) whose explanations come from its own contributions.

``pred_contrib`` gives each prediction's exact decomposition into per-column
contributions (TreeSHAP) plus a bias; summing the columns of one family gives
that family's contribution, so the reasons a person reads are the same ones
the heuristic gives, weighted by what the model actually used.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel

from tandem.errors import BackendUnavailable, ConfigurationError
from tandem.rank.base import BASELINE, MatchFeatures, Scored
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


class LearnedRanker:
    """LambdaMART over one task's columns (:data:`tandem.rank.vector.TASK_COLUMNS`).

    The task is read from the model's own feature list, so a model file cannot be
    served for a task whose features it was not trained on.
    """

    name = "lambdamart"

    def __init__(self, booster: Any, version: str) -> None:
        task = task_of_columns(list(booster.feature_name()))
        if task is None:
            raise ConfigurationError(
                f"model {version} was trained on other features; retrain it with 'tandem train'"
            )
        self.booster = booster
        self.version = version
        self.task: Task = task
        self.columns = TASK_COLUMNS[task]

    @classmethod
    def fit(
        cls,
        train: tuple[npt.NDArray[np.float64], npt.NDArray[np.int64], list[int]],
        valid: tuple[npt.NDArray[np.float64], npt.NDArray[np.int64], list[int]],
        config: LambdaMartConfig | None = None,
        version: str = "unsaved",
        task: Task = "applicants",
    ) -> LearnedRanker:
        """Train on ``(X, grades, group sizes)``, early-stopped on ``valid`` by NDCG@10.

        ``X`` holds the task's columns in order; the model is monotone in the directions
        :data:`tandem.rank.vector.MONOTONE` names.
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
        dtrain = lgb.Dataset(train[0], label=train[1], group=train[2], feature_name=names)
        dvalid = lgb.Dataset(valid[0], label=valid[1], group=valid[2], reference=dtrain)
        booster = lgb.train(
            params,
            dtrain,
            num_boost_round=cfg.max_rounds,
            valid_sets=[dvalid],
            callbacks=[lgb.early_stopping(cfg.early_stopping_rounds, verbose=False)],
        )
        return cls(booster, version)

    def predict(self, matrix: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Raw scores of a feature matrix."""
        if len(matrix) == 0:
            return np.zeros(0)
        out: npt.NDArray[np.float64] = self.booster.predict(
            matrix, num_iteration=self.booster.best_iteration or None
        )
        return out

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
        out = []
        for row in contrib:
            families: dict[str, float] = {}
            for column, value in zip(self.columns, row[:-1], strict=True):
                family = FAMILY_OF[column.name]
                families[family] = families.get(family, 0.0) + float(value)
            families[BASELINE] = float(row[-1])
            out.append(Scored(float(row.sum()), families))
        return out

    def save(self, path: Path) -> None:
        """Write the model as LightGBM's text format."""
        self.booster.save_model(str(path), num_iteration=self.booster.best_iteration or None)

    @classmethod
    def load(cls, path: Path, version: str) -> LearnedRanker:
        """Read a model written by :meth:`save`."""
        lgb = _lightgbm()
        return cls(lgb.Booster(model_file=str(path)), version)
