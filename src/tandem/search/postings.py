"""Each record's skills as codes into one vocabulary, and which records have a skill.

A list of names per record and a set of labels per skill cost tens of bytes an entry: at a
million profiles of about eight skills, gigabytes. Here a record's skills are int32 codes in
CSR arrays (:class:`tandem.search.runs.Ragged`, mapped). The labels having a skill (what a
``HasSkills`` filter asks) are found by one scan of the saved codes the first time a filter
names that skill (a vectorised compare over every code: milliseconds at a million profiles,
where sorting all of them into postings up front took seconds) and kept for the next filter.
Records set since the save are held aside: they are taken out of the saved answer and added
back from a small set per skill, until the next save folds them in.

Skills match case-insensitively (a filter for "python" finds "Python"), as they always have.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt

from tandem.search.runs import Ragged

Labels = npt.NDArray[np.int64]
#: Labels by lower-cased skill.
LabelSets = dict[str, set[int]]


class SkillColumn:
    """Skill names per label (codes into :attr:`vocabulary`) and labels per skill."""

    def __init__(self, vocabulary: list[str], codes: Ragged) -> None:
        self.vocabulary = vocabulary
        self._code = {name: i for i, name in enumerate(vocabulary)}
        self.codes = codes
        #: Lower-cased skill -> its codes in the saved runs (built on first use).
        self._codes_of: dict[str, list[int]] | None = None
        #: Lower-cased skill -> labels whose saved run has it (filled as filters ask).
        self._saved: dict[str, npt.NDArray[np.int32]] = {}
        #: Labels set since the save, by lower-cased skill they have now: built from the
        #: runs set since (``codes``) by the first filter that needs it, then kept up to date by
        #: :meth:`set`. None until then: a sync sets every label of a bundle and filters
        #: none, and a set of labels per skill cost it ~0.3 KB a profile until the next save.
        self._extra: LabelSets | None = None
        self._changed: Labels | None = None  # the labels of codes.changed, as an array (cached)

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
        extra = self._extra
        if extra is not None and self.codes.is_set(label):
            for old in self.names(label):
                extra.get(old.lower(), set()).discard(label)
        for name in names:
            if name not in self._code:
                self._code[name] = len(self.vocabulary)
                self.vocabulary.append(name)
        codes = [self._code[name] for name in names]
        self.codes.set(label, np.asarray(codes, dtype=np.int32))
        if extra is None:
            self._extra = None  # one built meanwhile may predate this run: the next builds again
            return
        for name in names:
            extra.setdefault(name.lower(), set()).add(label)

    def _extra_labels(self) -> LabelSets:
        """Labels set since the save by lower-cased skill (built on first use, see ``_extra``)."""
        extra = self._extra
        if extra is None:
            extra = {}
            vocabulary = self.vocabulary
            for label, run in self.codes.set_runs():
                for code in run.tolist():
                    extra.setdefault(vocabulary[code].lower(), set()).add(label)
            self._extra = extra
        return extra

    def labels_with(self, name: str) -> Labels:
        """Labels (live or not) having skill ``name``, any case."""
        key = name.lower()
        saved = self._saved.get(key)
        if saved is None:
            saved = self._saved[key] = self._scan(key)
        labels: Labels = saved.astype(np.int64)
        if self.codes.set_count():
            # Labels set are only ever added to (a save starts a new column), so their count
            # says whether the cached array is current: a filter read while another thread
            # sets a label (a catch-up) never keeps an array that misses it.
            if self._changed is None or len(self._changed) != self.codes.set_count():
                self._changed = self.codes.set_labels()
            labels = labels[~np.isin(labels, self._changed)]
        extra = self._extra_labels().get(key)
        if extra:
            labels = np.concatenate([labels, np.fromiter(extra, dtype=np.int64)])
        return labels

    def _scan(self, key: str) -> npt.NDArray[np.int32]:
        """Labels whose saved run has a skill lower-casing to ``key``: one pass over the codes."""
        if self._codes_of is None:
            codes_of: dict[str, list[int]] = {}
            for code, name in enumerate(self.vocabulary):
                codes_of.setdefault(name.lower(), []).append(code)
            self._codes_of = codes_of
        codes = self._codes_of.get(key)
        if not codes:
            return np.zeros(0, dtype=np.int32)
        values = self.codes.values
        found = values == codes[0] if len(codes) == 1 else np.isin(values, codes)
        at = np.flatnonzero(found)
        return (np.searchsorted(self.codes.offsets, at, side="right") - 1).astype(np.int32)

    def write(self, codes: Path, offsets: Path, labels: int) -> None:
        """Save the codes of labels below ``labels`` (the caller reopens the saved files)."""
        self.codes.write(codes, offsets, labels)
