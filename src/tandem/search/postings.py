"""Each record's skills as codes into one vocabulary, and which records have a skill.

A list of names per record and a set of labels per skill cost tens of bytes an entry: at a
million profiles of about eight skills, gigabytes. Here a record's skills are int32 codes in
CSR arrays (:class:`tandem.search.columns.Ragged`), and the labels having a skill (what a
``HasSkills`` filter asks) are one sorted int32 array built from the saved codes when a filter
first needs it. Records set since the save are held aside: they are taken out of the saved
postings and answered from a small set per skill, until the next save folds them in.

Skills match case-insensitively (a filter for "python" finds "Python"), as they always have.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from tandem.search.columns import Ragged

Labels = npt.NDArray[np.int64]


class _Postings(NamedTuple):
    """Labels per lower-cased skill, from the saved codes: CSR by key."""

    key_of: dict[str, int]
    labels: npt.NDArray[np.int32]
    offsets: npt.NDArray[np.int64]


class SkillColumn:
    """Skill names per label (codes into :attr:`vocabulary`) and labels per skill."""

    def __init__(self, vocabulary: list[str], codes: Ragged) -> None:
        self.vocabulary = vocabulary
        self._code = {name: i for i, name in enumerate(vocabulary)}
        self.codes = codes
        self._postings: _Postings | None = None
        #: Labels set since the save, by lower-cased skill they have now.
        self._extra: dict[str, set[int]] = {}
        self._changed: Labels | None = None  # sorted labels of codes.changed (cached)

    @classmethod
    def empty(cls) -> SkillColumn:
        """No labels, no skills."""
        return cls([], Ragged.empty(np.int32))

    @classmethod
    def open(cls, vocabulary: list[str], codes: Path, offsets: Path) -> SkillColumn:
        """The column saved at ``codes`` and ``offsets`` (mapped) over ``vocabulary``."""
        return cls(list(vocabulary), Ragged.open(codes, offsets))

    def names(self, label: int) -> list[str]:
        """The skills of ``label``, as they were set."""
        return [self.vocabulary[int(c)] for c in self.codes.get(label)]

    def set(self, label: int, names: list[str]) -> None:
        """Replace the skills of ``label``."""
        if label in self.codes.changed:
            for old in self.names(label):
                self._extra.get(old.lower(), set()).discard(label)
        else:
            self._changed = None
        for name in names:
            if name not in self._code:
                self._code[name] = len(self.vocabulary)
                self.vocabulary.append(name)
        codes = [self._code[name] for name in names]
        self.codes.set(label, np.asarray(codes, dtype=np.int32))
        for name in names:
            self._extra.setdefault(name.lower(), set()).add(label)

    def labels_with(self, name: str) -> Labels:
        """Labels (live or not) having skill ``name``, any case."""
        key = name.lower()
        postings = self._postings or self._build()
        at = postings.key_of.get(key)
        saved: Labels = np.zeros(0, dtype=np.int64)
        if at is not None:
            saved = postings.labels[postings.offsets[at] : postings.offsets[at + 1]].astype(
                np.int64
            )
        if self.codes.changed:
            if self._changed is None:
                self._changed = np.fromiter(self.codes.changed, dtype=np.int64)
            saved = saved[~np.isin(saved, self._changed)]
        extra = self._extra.get(key)
        if extra:
            saved = np.concatenate([saved, np.fromiter(extra, dtype=np.int64)])
        return saved

    def _build(self) -> _Postings:
        """Postings of the saved codes: one stable sort of (key, label) pairs."""
        key_of: dict[str, int] = {}
        keys = np.asarray(
            [key_of.setdefault(n.lower(), len(key_of)) for n in self.vocabulary] or [0],
            dtype=np.int32,
        )
        offsets = np.asarray(self.codes.offsets, dtype=np.int64)
        values = np.asarray(self.codes.values, dtype=np.int64)
        owners = np.repeat(np.arange(self.codes.saved, dtype=np.int32), np.diff(offsets))
        by_key = keys[values]
        order = np.argsort(by_key, kind="stable")
        counts = np.bincount(by_key, minlength=len(key_of))
        postings = _Postings(
            key_of,
            owners[order],
            np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(counts)]),
        )
        self._postings = postings
        return postings

    def write(self, codes: Path, offsets: Path, labels: int) -> None:
        """Save the codes of labels below ``labels`` (the caller reopens the saved files)."""
        self.codes.write(codes, offsets, labels)
