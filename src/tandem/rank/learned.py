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
from tandem.rank.base import MatchFeatures, Scored
from tandem.rank.vector import FAMILY_OF, FEATURE_NAMES, to_matrix


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
    """LambdaMART over :data:`tandem.rank.vector.COLUMNS`."""

    name = "lambdamart"

    def __init__(self, booster: Any, version: str) -> None:
        names = list(booster.feature_name())
        if names != list(FEATURE_NAMES):
            raise ConfigurationError(
                f"model {version} was trained on other features; retrain it with 'tandem train'"
            )
        self.booster = booster
        self.version = version

    @classmethod
    def fit(
        cls,
        train: tuple[npt.NDArray[np.float64], npt.NDArray[np.int64], list[int]],
        valid: tuple[npt.NDArray[np.float64], npt.NDArray[np.int64], list[int]],
        config: LambdaMartConfig | None = None,
        version: str = "unsaved",
    ) -> LearnedRanker:
        """Train on ``(X, grades, group sizes)``, early-stopped on ``valid`` by NDCG@10."""
        lgb = _lightgbm()
        cfg = config or LambdaMartConfig()
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
        }
        names = list(FEATURE_NAMES)
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
        """See :class:`tandem.rank.base.Ranker`; contributions are TreeSHAP sums per family."""
        if not features:
            return []
        matrix = to_matrix(features)
        contrib = self.booster.predict(
            matrix, pred_contrib=True, num_iteration=self.booster.best_iteration or None
        )
        out = []
        for row in contrib:
            families: dict[str, float] = {}
            for name, value in zip(FEATURE_NAMES, row[:-1], strict=True):
                family = FAMILY_OF[name]
                families[family] = families.get(family, 0.0) + float(value)
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
