"""Link free text to a skill label space: dense retrieval, span matching and exact/alias boosts.

Each component is switchable so its contribution can be measured (``bench/``):

- ``sentence``: the whole text's embedding against each label's embedding;
- ``spans``: short phrases of the text (1-4 words, not starting or ending with a
  stop word) embedded too, each label scored by its best phrase;
- ``lexical``: a label, or one of its alternative labels, written out in the text (short
  acronyms only as acronyms: "IAM", never "I am"; see :mod:`tandem.skills.forms`).

Label embeddings are computed once per label space and cached under ``cache_dir``.
"""

from __future__ import annotations

import copy
import hashlib
import os
import threading
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

import numpy as np
import numpy.typing as npt

from tandem.embed import Encoder, encoder_identity
from tandem.skills.forms import WrittenForms
from tandem.skills.keys import skill_key
from tandem.text.tokens import technical_tokens

if TYPE_CHECKING:
    from tandem.skills.taxonomy import Taxonomy

#: Words of any script; "C++", "Node.js", "e-commerce", "CI/CD" stay whole.
_WORD = technical_tokens("+#.-/")
#: The longest phrase :meth:`SkillLinker.written` reads, in words.
_WRITTEN_WORDS = 6
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
    """Which components run, and how much each weighs (tuned on the validation splits)."""

    sentence: bool = True
    spans: bool = True
    lexical: bool = True
    names: bool = True
    max_span_words: int = 3
    #: Weight of the whole text's similarity, added to the best phrase's.
    sentence_weight: float = 0.3
    lexical_boost: float = 0.5
    #: "pool": phrase vectors pooled from one pass over the text (fast, in context);
    #: "encode": every phrase encoded on its own.
    span_mode: Literal["pool", "encode"] = "pool"
    #: Score phrases only against this many labels: those most similar to the whole text,
    #: plus any written out in it (``None``: every label, as the benchmark does). Cuts the
    #: phrase x label product, the linker's main cost after the encoder, when reading many
    #: texts (profiles at indexing time); other labels score -inf.
    candidates: int | None = None


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


def span_offsets(text: str, max_words: int) -> dict[str, tuple[int, int]]:
    """Candidate skill phrases with their character range: n-grams without stop-word edges."""
    found = list(_WORD.finditer(text))
    words = [m.group() for m in found]
    stop = [w.lower() in STOP for w in words]
    out: dict[str, tuple[int, int]] = {}
    # In text order, shortest first from each word; each phrase is extended by one word
    # rather than joined again (this runs over every profile at indexing time).
    for i, first in enumerate(words):
        if stop[i]:
            continue
        phrase, start = first, found[i].start()
        for j in range(i, min(i + max_words, len(words))):
            if j > i:
                phrase = f"{phrase} {words[j]}"
            if not stop[j]:
                out.setdefault(phrase, (start, found[j].end()))
    return out


def spans(text: str, max_words: int) -> list[str]:
    """Candidate skill phrases: n-grams that neither start nor end with a stop word."""
    return list(span_offsets(text, max_words))


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
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.labels = list(labels)
        self.encoder = encoder
        self.config = config or LinkerConfig()
        self._progress = progress
        self.aliases = [list(a) for a in aliases]
        self.vectors = self._label_vectors(texts, cache_dir)
        self.name_vectors = self._label_vectors(self.labels, cache_dir)
        self._by_key: dict[str, list[int]] = {}
        self._forms = WrittenForms(
            f for label, alts in zip(labels, aliases, strict=True) for f in (label, *alts)
        )
        for i, (label, alts) in enumerate(zip(self.labels, aliases, strict=True)):
            for name in [label, *alts]:
                key = skill_key(name)
                if len(key) >= 2:
                    self._by_key.setdefault(key, []).append(i)
        self._sorted_keys = sorted(self._by_key)

    def _label_vectors(
        self, texts: Sequence[str], cache_dir: Path | None
    ) -> npt.NDArray[np.float32]:
        digest = hashlib.sha256(
            ("\n".join(texts) + encoder_identity(self.encoder) + str(self.encoder.dim)).encode()
        ).hexdigest()[:16]
        path = cache_dir / f"labels-{digest}.npy" if cache_dir else None
        if path is not None and path.exists():
            cached: npt.NDArray[np.float32] = np.load(path)
            return cached
        # Embedding a whole label space (ESCO: ~14k labels, twice) takes minutes on a laptop:
        # done in chunks so a caller can show progress; then cached for good.
        chunk, parts = 1024, []
        for start in range(0, len(texts), chunk):
            parts.append(self.encoder.encode(list(texts[start : start + chunk]), batch_size=128))
            if self._progress:
                self._progress(min(chunk, len(texts) - start), 2 * len(texts))
        vectors = (
            np.concatenate(parts) if parts else np.zeros((0, self.encoder.dim), dtype=np.float32)
        )
        if path is not None:
            # written aside and renamed: another process (a Ray worker, a replica) building
            # the same cache read a half-written file here ("could only read 131040 elements")
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{path.stem}.{os.getpid()}.{threading.get_ident()}.tmp.npy")
            np.save(tmp, vectors)
            os.replace(tmp, path)
        return vectors

    def _ranges(self, text: str) -> dict[str, tuple[int, int]]:
        return {
            p: r for p, r in span_offsets(text, self.config.max_span_words).items() if p != text
        }

    def _similarity(
        self, vectors: npt.NDArray[np.float32], labels: npt.NDArray[np.int64] | None = None
    ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int32]]:
        """Per label, the best phrase's similarity to the label text and to the bare name.

        The two maxima may come from different phrases; the phrase that matched the label
        text best is returned as the evidence index. ``labels``: only these (in that order).
        """
        texts = self.vectors if labels is None else self.vectors[labels]
        full = vectors @ texts.T
        best: npt.NDArray[np.float32] = full.max(axis=0)
        where = full.argmax(axis=0).astype(np.int32)
        if self.config.names:
            names = self.name_vectors if labels is None else self.name_vectors[labels]
            best = best + (vectors @ names.T).max(axis=0)
        return best, where

    def _encoded(
        self, texts: Sequence[str]
    ) -> list[tuple[npt.NDArray[np.float32], list[str], npt.NDArray[np.float32]]]:
        """Per text: its vector, its phrases and their vectors (one pass per text if pooled)."""
        ranges = [self._ranges(t) for t in texts]
        joint = getattr(self.encoder, "encode_with_spans", None)
        if self.config.spans and self.config.span_mode == "pool" and joint is not None:
            pairs = joint(list(texts), [list(r.values()) for r in ranges])
            return [
                (whole, list(r), spans) if r else (whole, [t], whole[None, :])
                for t, r, (whole, spans) in zip(texts, ranges, pairs, strict=True)
            ]
        wholes = self.encoder.encode(list(texts))
        out = []
        for t, r, whole in zip(texts, ranges, wholes, strict=True):
            if not self.config.spans or not r:
                out.append((whole, [t], whole[None, :]))
            else:  # short phrases in their own batch: no padding to the sentence's length
                out.append((whole, list(r), self.encoder.encode(list(r), batch_size=128)))
        return out

    def with_config(self, config: LinkerConfig) -> SkillLinker:
        """The same label space and vectors under other weights (no label is embedded again)."""
        other = copy.copy(self)
        other.config = config
        return other

    def encode_texts(
        self, texts: Sequence[str]
    ) -> list[tuple[npt.NDArray[np.float32], list[str], npt.NDArray[np.float32]]]:
        """The encoder's part of ranking ``texts``, to score under several configurations.

        Valid for any configuration with the same ``spans``, ``span_mode`` and
        ``max_span_words`` (those decide what is encoded).
        """
        return self._encoded(texts)

    def score_encoded(
        self,
        texts: Sequence[str],
        encoded: list[tuple[npt.NDArray[np.float32], list[str], npt.NDArray[np.float32]]],
    ) -> list[tuple[npt.NDArray[np.float32], npt.NDArray[np.int32], list[str]]]:
        """:meth:`scores_many` for texts already passed through :meth:`encode_texts`."""
        return self._score(texts, encoded)

    def order_encoded(
        self,
        texts: Sequence[str],
        encoded: list[tuple[npt.NDArray[np.float32], list[str], npt.NDArray[np.float32]]],
    ) -> list[list[str]]:
        """Every label, best first, for texts already passed through :meth:`encode_texts`."""
        return [
            [self.labels[i] for i in np.argsort(-best, kind="stable")]
            for best, _, _ in self._score(texts, encoded)
        ]

    def scores(self, text: str) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int32], list[str]]:
        """A score per label, the index of the phrase supporting each, and the phrases.

        score = best phrase's similarity + ``sentence_weight`` x the whole text's similarity
        + ``lexical_boost`` when the label (or an alternative label) is written out; each
        similarity sums the label's full text and its bare name.
        """
        return self.scores_many([text])[0]

    def scores_many(
        self, texts: Sequence[str]
    ) -> list[tuple[npt.NDArray[np.float32], npt.NDArray[np.int32], list[str]]]:
        """:meth:`scores` for many texts, encoded in batches."""
        return self._score(texts, self._encoded(texts))

    def _score(
        self,
        texts: Sequence[str],
        encoded: list[tuple[npt.NDArray[np.float32], list[str], npt.NDArray[np.float32]]],
    ) -> list[tuple[npt.NDArray[np.float32], npt.NDArray[np.int32], list[str]]]:
        cfg = self.config
        out = []
        for text, (whole_vec, phrases, vectors) in zip(texts, encoded, strict=True):
            whole, _ = self._similarity(whole_vec[None, :])
            written = self.written(text) if cfg.lexical else []
            if cfg.spans:
                if cfg.candidates is not None and cfg.candidates < len(self.labels):
                    keep = np.argpartition(-whole, cfg.candidates)[: cfg.candidates]
                    keep = np.unique(np.concatenate([keep, [i for _, h in written for i in h]]))
                    keep = keep.astype(np.int64)
                    best = np.full(len(self.labels), -np.inf, dtype=np.float32)
                    where = np.zeros(len(self.labels), dtype=np.int32)
                    best[keep], where[keep] = self._similarity(vectors, keep)
                else:
                    best, where = self._similarity(vectors)
                if cfg.sentence:
                    best = best + cfg.sentence_weight * whole
            else:
                phrases, where, best = [text], np.zeros(len(self.labels), dtype=np.int32), whole
            phrases = list(phrases)
            for phrase, hits in written:
                phrases.append(phrase)
                best[hits] += cfg.lexical_boost
                where[hits] = len(phrases) - 1
            out.append((best, where, phrases))
        return out

    def written(self, text: str) -> list[tuple[str, list[int]]]:
        """Phrases of ``text`` that write out a label or an alternative label, with its indexes.

        The phrases are :func:`spans` ``(text, 6)``, in that order, each once. The walk from a
        word stops at the first phrase whose key starts no label's key: an ASCII phrase's key
        is its words' keys joined (words never start with a dot nor hold an ``&``, so
        :func:`skill_key` has nothing to fold across them), and a longer phrase's key starts
        with it. Keying every 1-6 word phrase of every profile was a fifth of an import.
        """
        found = [m.group() for m in _WORD.finditer(text)]
        stop = [w.lower() in STOP for w in found]
        out: list[tuple[str, list[int]]] = []
        seen: set[str] = set()
        for i in range(len(found)):
            if stop[i]:
                continue
            phrase = key = ""
            for j in range(i, min(i + _WRITTEN_WORDS, len(found))):
                phrase = found[j] if j == i else f"{phrase} {found[j]}"
                if phrase.isascii():
                    key += skill_key(found[j])
                    if not self._starts_a_key(key):
                        break
                else:
                    key = skill_key(phrase)
                hits = self._by_key.get(key)
                if stop[j] or hits is None or phrase in seen:
                    continue
                seen.add(phrase)
                if self._forms.allows(phrase, key):
                    out.append((phrase, hits))
        return out

    def _starts_a_key(self, key: str) -> bool:
        """Whether some label's key starts with ``key`` (a binary search of the sorted keys)."""
        at = bisect_left(self._sorted_keys, key)
        return at < len(self._sorted_keys) and self._sorted_keys[at].startswith(key)

    def order(self, text: str) -> list[str]:
        """Every label, best first (the fast path the benchmark uses)."""
        best, _, _ = self.scores(text)
        return [self.labels[i] for i in np.argsort(-best, kind="stable")]

    def rank(self, text: str, k: int | None = None) -> list[LinkedSkill]:
        """Labels best first (all of them when ``k`` is None), each with its evidence."""
        return self.rank_many([text], k)[0]

    def rank_many(self, texts: Sequence[str], k: int | None = None) -> list[list[LinkedSkill]]:
        """:meth:`rank` for many texts (one batched encoder pass)."""
        return self.rank_with_vectors(texts, k)[1]

    def rank_with_vectors(
        self, texts: Sequence[str], k: int | None = None
    ) -> tuple[npt.NDArray[np.float32], list[list[LinkedSkill]]]:
        """The texts' own vectors (as :meth:`Encoder.encode` gives them) and their rankings.

        A caller that indexes the texts anyway (profiles) gets both from one encoder pass.
        """
        encoded = self._encoded(texts)
        vectors = np.stack([whole for whole, _, _ in encoded]).astype(np.float32)
        out = []
        for best, where, phrases in self._score(texts, encoded):
            order = np.argsort(-best, kind="stable")
            if k is not None:
                order = order[:k]
            out.append(
                [LinkedSkill(self.labels[i], float(best[i]), phrases[where[i]]) for i in order]
            )
        return vectors, out


def taxonomy_linker(
    taxonomy: Taxonomy,
    labels: Sequence[str],
    encoder: Encoder,
    *,
    cache_dir: Path | None = None,
    config: LinkerConfig | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SkillLinker:
    """A linker over ``labels``, each described by its taxonomy entry (aliases, description).

    One builder for the engine and for batch workers (:mod:`tandem.batch`): a worker that
    builds its reader from the same taxonomy gets the same label space, so the same skills.
    """
    texts, aliases = [], []
    for label in labels:
        skill = taxonomy.get(label)
        alts = list(skill.aliases) if skill else []
        texts.append(label_text(label, alts, skill.description if skill else ""))
        aliases.append(alts)
    return SkillLinker(
        labels, texts, aliases, encoder, cache_dir=cache_dir, config=config, progress=progress
    )
