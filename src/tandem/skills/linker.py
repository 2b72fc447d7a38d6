"""Link free text to a skill label space: dense retrieval, span matching and exact/alias boosts.

Each component is switchable so its contribution can be measured (``bench/``):

- ``sentence``: the whole text's embedding against each label's embedding;
- ``spans``: short phrases of the text (1-4 words, not starting or ending with a
  stop word) embedded too, each label scored by its best phrase;
- ``lexical``: a label, or one of its alternative labels, written out in the text.

Label embeddings are computed once per label space and cached under ``cache_dir``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from tandem.embed import Encoder
from tandem.skills.keys import skill_key

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9+#.\-/]*[A-Za-z0-9+#]|[A-Za-z0-9]")
STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "that",
        "the",
        "their",
        "this",
        "to",
        "was",
        "we",
        "were",
        "will",
        "with",
        "you",
        "your",
        "who",
        "which",
        "can",
        "able",
        "etc",
        "e.g",
        "i.e",
        "such",
        "other",
        "using",
        "use",
        "within",
        "experience",
        "strong",
        "good",
        "excellent",
        "knowledge",
        "skills",
        "skill",
        "ability",
        "working",
        "work",
    ]
)


@dataclass(frozen=True)
class LinkerConfig:
    """Which components run, and how much each weighs."""

    sentence: bool = True
    spans: bool = True
    lexical: bool = True
    max_span_words: int = 4
    lexical_boost: float = 0.15


class LinkedSkill(NamedTuple):
    """A label for a text, its score, and the phrase that supports it."""

    label: str
    score: float
    evidence: str


def label_text(name: str, aliases: Sequence[str], description: str) -> str:
    """What a label is embedded as: its name, alternative names and description."""
    alts = ", ".join(a for a in aliases[:8] if a != name)
    parts = [name] + ([alts] if alts else []) + ([description] if description else [])
    return ". ".join(parts)


def spans(text: str, max_words: int) -> list[str]:
    """Candidate skill phrases: n-grams that neither start nor end with a stop word."""
    words = [m.group() for m in _WORD.finditer(text)]
    out: dict[str, None] = {}
    for i in range(len(words)):
        for n in range(1, max_words + 1):
            chunk = words[i : i + n]
            if len(chunk) < n or chunk[0].lower() in STOP or chunk[-1].lower() in STOP:
                continue
            out[" ".join(chunk)] = None
    return list(out)


class SkillLinker:
    """Ranks a fixed label space for any text."""

    def __init__(
        self,
        labels: Sequence[str],
        texts: Sequence[str],
        aliases: Sequence[Sequence[str]],
        encoder: Encoder,
        *,
        cache_dir: Path | None = None,
        config: LinkerConfig | None = None,
    ) -> None:
        self.labels = list(labels)
        self.encoder = encoder
        self.config = config or LinkerConfig()
        self.vectors = self._label_vectors(texts, cache_dir)
        self._by_key: dict[str, list[int]] = {}
        for i, (label, alts) in enumerate(zip(self.labels, aliases, strict=True)):
            for name in [label, *alts]:
                key = skill_key(name)
                if len(key) >= 2:
                    self._by_key.setdefault(key, []).append(i)

    def _label_vectors(
        self, texts: Sequence[str], cache_dir: Path | None
    ) -> npt.NDArray[np.float32]:
        digest = hashlib.sha256(
            ("\n".join(texts) + self.encoder.name + str(self.encoder.dim)).encode()
        ).hexdigest()[:16]
        path = cache_dir / f"labels-{digest}.npy" if cache_dir else None
        if path is not None and path.exists():
            cached: npt.NDArray[np.float32] = np.load(path)
            return cached
        vectors = self.encoder.encode(list(texts), batch_size=128)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            np.save(path, vectors)
        return vectors

    def scores(self, text: str) -> tuple[npt.NDArray[np.float32], list[str]]:
        """A score per label, and per label the phrase of the text that supports it best."""
        cfg = self.config
        phrases = [text] if cfg.sentence or not cfg.spans else []
        if cfg.spans:
            phrases += [p for p in spans(text, cfg.max_span_words) if p != text]
        phrases = phrases or [text]
        sims = self.encoder.encode(phrases, batch_size=64) @ self.vectors.T
        best = sims.max(axis=0)
        evidence = [phrases[int(i)] for i in sims.argmax(axis=0)]
        if cfg.lexical:
            for phrase in spans(text, 6):
                for i in self._by_key.get(skill_key(phrase), []):
                    best[i] += cfg.lexical_boost
                    evidence[i] = phrase
        return best, evidence

    def rank(self, text: str, k: int | None = None) -> list[LinkedSkill]:
        """Labels best first (all of them when ``k`` is None), each with its evidence."""
        scores, evidence = self.scores(text)
        order = np.argsort(-scores, kind="stable")
        if k is not None:
            order = order[:k]
        return [LinkedSkill(self.labels[i], float(scores[i]), evidence[i]) for i in order]
