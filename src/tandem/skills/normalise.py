"""Skill normaliser: free-text skill names as people type them -> canonical taxonomy skills.

Order of attempts, first hit wins: exact name or alias (by spelling-insensitive
key), a known variant (``"Python developer"``, ``"Vuejs"``), a typo
within a small edit distance found through a symmetric-delete index, a name of several words
each within that distance of the same word of one spelling (``"Simultaneosu Interpretation"``;
:meth:`Normaliser._phrase_typo`), then a name typed in
another language whose every word the trade words or a cognate read as one skill
(``"Buchhaltung"``: Bookkeeping, ``"Diseño gráfico"``: Graphic Design; :func:`translated`).
Ambiguous typos and translations resolve to nothing: a wrong skill is worse than none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from itertools import product
from typing import Literal, NamedTuple

from tandem.skills.cognates import OTHER, cognate_skills
from tandem.skills.forms import MAX_ACRONYM_KEY, joins_words, written_as_acronym
from tandem.skills.keys import skill_key
from tandem.skills.taxonomy import Taxonomy
from tandem.skills.trades import trade_skills
from tandem.text.tokens import WORD

How = Literal["exact", "alias", "variant", "typo", "translated", "unknown"]

_SUFFIXES = (
    "developer",
    "development",
    "programming",
    "programmer",
    "framework",
    "expert",
    "specialist",
    "language",
    "skills",
    "js",
)
_PREFIXES = ("microsoft", "ms", "adobe", "google", "apache", "amazon", "aws")
_MIN_TYPO_LEN = 5
_MAX_FUZZY_KEY = 24
#: What splits a name into words for the per-word typo rule ("Object-Oriented", "CI/CD").
_WORD_BREAK = re.compile(r"[\s/-]+")
#: Readings of a typed name's words tried at most (each word rarely has more than one).
_MAX_PHRASE_READINGS = 64
#: Words the trade stems would read as another language's but that English types as a skill
#: of its own: "Redaction" (of documents) is no French *rédaction* (writing), a "compositor"
#: sets type, a "texter" sends texts, "relish" is no French *relis*.
_ENGLISH_AS_TYPED = frozenset(
    {"redaction", "redactions", "compositor", "compositors", "texter", "relish"}
)


def _words(text: str) -> tuple[str, ...]:
    """The keys of the words of ``text``, as the per-word typo rule compares them."""
    return tuple(k for k in (skill_key(w) for w in _WORD_BREAK.split(text)) if k)


def _typo_limit(key: str) -> int:
    """Edits a typo of ``key`` may hold: one in a short key, two from nine characters."""
    return 1 if len(key) < 9 else 2


class SkillMatch(NamedTuple):
    """What a typed skill resolved to, and how."""

    text: str
    name: str | None
    how: How


def _deletes(key: str) -> set[str]:
    return {key[:i] + key[i + 1 :] for i in range(len(key))}


def edit_distance(a: str, b: str, limit: int | None = None) -> int:
    """Optimal-string-alignment distance (Levenshtein plus adjacent transpositions).

    With ``limit``, any distance above it is reported as ``limit + 1`` as soon as it is
    certain (lengths too far apart, or two rows past the limit): typo lookups only ask whether
    a distance is 1 or 2, and the full table was most of a cold ``match`` (0.3 s).
    """
    if limit is not None and abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        # A cell derives from this row, the previous one (+0/+1) or the one before (+1): once
        # this row is past the limit and the previous one at it, no later cell can come back.
        if limit is not None and min(cur) > limit and min(prev) >= limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1] if limit is None else min(prev[-1], limit + 1)


class Normaliser:
    """Maps typed skill names to canonical names of one taxonomy."""

    def __init__(self, taxonomy: Taxonomy, known: Mapping[str, SkillMatch] | None = None) -> None:
        """``known``: answers worked out before for this taxonomy (see :mod:`.memo`)."""
        self.taxonomy = taxonomy
        self._keys = taxonomy.keys()
        self._fuzzy: dict[str, set[str]] | None = None
        self._phrases: _PhraseIndex | None = None
        self._cache: dict[str, SkillMatch] = dict(known or {})
        self._given = len(self._cache)

    @property
    def known(self) -> Mapping[str, SkillMatch]:
        """Every typed name resolved so far (given or worked out), as typed."""
        return self._cache

    @property
    def learned(self) -> bool:
        """Whether names were resolved here that were not given at creation."""
        return len(self._cache) > self._given

    def settle(self) -> None:
        """Count every name resolved so far as given: they have been stored."""
        self._given = len(self._cache)

    def _fuzzy_index(self) -> dict[str, set[str]]:
        if self._fuzzy is None:
            index: dict[str, set[str]] = {}
            for key in self._keys:
                if _MIN_TYPO_LEN <= len(key) <= _MAX_FUZZY_KEY:
                    for variant in _deletes(key) | {key}:
                        index.setdefault(variant, set()).add(key)
            self._fuzzy = index
        return self._fuzzy

    def match(self, text: str) -> SkillMatch:
        """Resolve one typed skill name."""
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        result = self._match(text)
        if len(self._cache) < 200_000:
            self._cache[text] = result
        return result

    def _match(self, text: str) -> SkillMatch:
        key = skill_key(text)
        if not key:
            return SkillMatch(text, None, "unknown")
        name = self._keys.get(key)
        if name is not None and not self._split(text, key, name):
            how: How = "exact" if skill_key(name) == key else "alias"
            return SkillMatch(text, name, how)
        if name is not None:
            return SkillMatch(text, None, "unknown")
        variant = self._variant(key)
        if variant is not None:
            return SkillMatch(text, variant, "variant")
        typo = self._typo(key) or self._phrase_typo(text)
        if typo is not None:
            return SkillMatch(text, typo, "typo")
        other = translated(self.taxonomy, text)
        if other is not None:
            return SkillMatch(text, other, "translated")
        return SkillMatch(text, None, "unknown")

    def _split(self, text: str, key: str, name: str) -> bool:
        """Whether ``text`` only meets ``name``'s key by losing spaces its spellings do not have.

        "in design" is no InDesign and "I am" no IAM (:func:`~tandem.skills.forms.joins_words`,
        :meth:`_split_acronym`); such a text resolves to nothing, not to a typo of the name.
        """
        skill = self.taxonomy.get(name)
        spellings = [s for s in (name, *(skill.aliases if skill else ())) if skill_key(s) == key]
        slipped = joins_words(text, spellings, slack=1)  # a typed list's space may slip
        return slipped or self._split_acronym(text, key, name)

    def _split_acronym(self, text: str, key: str, name: str) -> bool:
        """Whether ``text`` only meets a short spelling by losing its spaces ("I am" is not IAM).

        Keys ignore spaces and case, which is right for "React JS" and "reactjs" but turns two
        everyday words into a short acronym. Typed lists keep their lower case ("aws" is AWS);
        they may not split an acronym into words its spellings do not have, unless the words
        are written as one ("CI CD", "UI UX").
        """
        words = len(text.split())
        if words < 2 or len(key) > MAX_ACRONYM_KEY or written_as_acronym(text):
            return False
        skill = self.taxonomy.get(name)
        spellings = [name, *(skill.aliases if skill else [])]
        shapes = {len(s.split()) for s in spellings if skill_key(s) == key}
        return bool(shapes) and words not in shapes

    def _variant(self, key: str) -> str | None:
        for suffix in _SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix) + 1:
                hit = self._keys.get(key[: -len(suffix)])
                if hit:
                    return hit
        for prefix in _PREFIXES:
            if key.startswith(prefix) and len(key) > len(prefix) + 2:
                hit = self._keys.get(key[len(prefix) :])
                if hit:
                    return hit
        return None

    def _typo(self, key: str) -> str | None:
        if not _MIN_TYPO_LEN <= len(key) <= _MAX_FUZZY_KEY:
            return None
        index = self._fuzzy_index()
        candidates: set[str] = set()
        for variant in _deletes(key) | {key}:
            candidates |= index.get(variant, set())
        limit = _typo_limit(key)
        scored = sorted((edit_distance(key, c, limit), c) for c in candidates)
        scored = [(d, c) for d, c in scored if d <= limit]
        if not scored:
            return None
        best = scored[0][0]
        names = {self._keys[c] for d, c in scored if d == best}
        return names.pop() if len(names) == 1 else None

    def _phrase_index(self) -> _PhraseIndex:
        if self._phrases is None:
            self._phrases = _PhraseIndex.build(self.taxonomy)
        return self._phrases

    def _phrase_typo(self, text: str) -> str | None:
        """The one skill whose spelling has every typed word, each up to a typo, or None.

        A whole-key typo search stops at :data:`_MAX_FUZZY_KEY` characters, and most long
        names are several words ("Simultaneous Interpretation", 26). Read word by word, each
        typed word may stand for a spelling's word at the same place within the distance a
        word of its length is allowed on its own, and the edits of the whole name stay within
        what its whole key is allowed. A word shorter than a typo needs ("Java", "C#") must
        be exact, so one short skill does not become another ("Lava Developer"), and the
        count of words must agree ("React" is not "React Native"). Two skills at the same
        least distance are ambiguous: nothing.
        """
        words = _words(text)
        if len(words) < 2:
            return None
        index = self._phrase_index()
        readings: list[list[tuple[int, str]]] = []
        for word in words:
            near = index.near(word)
            if not near:
                return None
            readings.append(near)
        count = 1
        for near in readings:
            count *= len(near)
        if count > _MAX_PHRASE_READINGS:
            return None
        budget = _typo_limit("".join(words))
        found: dict[int, set[str]] = {}
        for reading in product(*readings):
            edits = sum(d for d, _ in reading)
            if edits > budget:
                continue
            names = index.spellings.get(tuple(w for _, w in reading))
            if names:
                found.setdefault(edits, set()).update(names)
        if not found:
            return None
        best = found[min(found)]
        return next(iter(best)) if len(best) == 1 else None

    def aliases_in(self, text: str) -> list[tuple[str, str]]:
        """The words of a search that name a skill by another of its spellings, with its name.

        ``"seo content writer"`` -> ``[("seo", "Search Engine Optimization"), ("content
        writer", "Content Writing")]``: runs of up to five words, the longest first, left to
        right, that are an alias or acronym of a skill as typed (case aside), never words
        joined into a name written as one (:meth:`_split`). A skill named by its own name is
        left out: its words are the records' words already. No typos, no variants: a search
        is widened only by what the taxonomy itself says is the same skill.
        """
        words = text.split()
        found: list[tuple[str, str]] = []
        i = 0
        while i < len(words):
            width = min(5, len(words) - i)
            while width:
                span = " ".join(words[i : i + width])
                key = skill_key(span)
                name = self._keys.get(key)
                if name is not None and not self._split(span, key, name):
                    if skill_key(name) != key:
                        found.append((span, name))
                    break
                width -= 1
            i += max(width, 1)
        return found

    def canonical(self, text: str) -> str | None:
        """Canonical name for ``text``, or None when it is not a known skill."""
        return self.match(text).name

    def normalise(self, texts: Iterable[str]) -> list[str]:
        """Canonical names for a list of typed skills, deduplicated, order kept.

        Unknown skills are kept as typed (trimmed) so they still count as
        themselves; the taxonomy can learn them later.
        """
        out: dict[str, None] = {}
        seen_keys: set[str] = set()
        for text in texts:
            clean = " ".join(text.split())
            if not clean:
                continue
            name = self.canonical(clean) or clean
            key = skill_key(name)
            if key not in seen_keys:
                seen_keys.add(key)
                out[name] = None
        return list(out)


class _PhraseIndex(NamedTuple):
    """The words of every spelling of two words or more, for :meth:`Normaliser._phrase_typo`.

    ``spellings`` maps a spelling's word keys to the skills it names; ``deletes`` is the
    symmetric-delete index of their words long enough to carry a typo (as the whole-key typo
    index is of keys), so a typed word finds its near words without a scan of the taxonomy.
    """

    spellings: dict[tuple[str, ...], set[str]]
    deletes: dict[str, set[str]]

    @classmethod
    def build(cls, taxonomy: Taxonomy) -> _PhraseIndex:
        """Index the several-word names and aliases of ``taxonomy``."""
        spellings: dict[tuple[str, ...], set[str]] = {}
        deletes: dict[str, set[str]] = {}
        for skill in taxonomy:
            for spelling in (skill.name, *skill.aliases):
                words = _words(spelling)
                if len(words) < 2:
                    continue
                spellings.setdefault(words, set()).add(skill.name)
                for word in words:
                    if _MIN_TYPO_LEN <= len(word) <= _MAX_FUZZY_KEY:
                        for variant in _deletes(word) | {word}:
                            deletes.setdefault(variant, set()).add(word)
        return cls(spellings, deletes)

    def near(self, word: str) -> list[tuple[int, str]]:
        """Spelling words ``word`` may stand for, with their distance, nearest first.

        A word too short for a typo, or one that is itself a word of some spelling, stands
        only for itself: a real word is not read as another ("Fractional Programming" is no
        Functional Programming).
        """
        if not _MIN_TYPO_LEN <= len(word) <= _MAX_FUZZY_KEY:
            return [(0, word)]
        candidates: set[str] = set()
        for variant in _deletes(word) | {word}:
            candidates |= self.deletes.get(variant, set())
        if word in candidates:
            return [(0, word)]
        limit = _typo_limit(word)
        scored = ((edit_distance(word, c, limit), c) for c in candidates)
        return sorted((d, c) for d, c in scored if d <= limit)


def translated(taxonomy: Taxonomy, text: str) -> str | None:
    """The one skill a name typed in another language names with every word, or None.

    A typed skills list has no sentence to tell its language by, so the whole name must be
    read: each word longer than a function word (:data:`~tandem.skills.cognates.OTHER`)
    inside one trade phrase ("Diseño gráfico", "Buchhaltung"), or the name a single word
    that is a skill's cognate ("Ilustración"). "Traducción jurídica" names more than
    Translation, so it stays as typed rather than lose what it says.
    """
    words = [w.group() for w in WORD.finditer(text)]
    content = [w for w in words if w.lower() not in OTHER]
    if not content or len(words) > 4 or text.lower().strip() in _ENGLISH_AS_TYPED:
        return None
    trades = trade_skills(taxonomy, text)
    if len({t.name for t in trades}) == 1:
        covered = {w.group() for t in trades for w in WORD.finditer(t.words)}
        return trades[0].name if covered >= set(content) else None
    if not trades and len(content) == 1:
        cognates = {name for name, _ in cognate_skills(taxonomy, text)}
        return cognates.pop() if len(cognates) == 1 else None
    return None
