"""Skill normaliser: free-text skill names as people type them -> canonical taxonomy skills.

Order of attempts, first hit wins: exact name or alias (by spelling-insensitive
key), a known variant (``"Python developer"``, ``"Vuejs"``), a typo
within a small edit distance found through a symmetric-delete index, then a name typed in
another language whose every word the trade words or a cognate read as one skill
(``"Buchhaltung"``: Bookkeeping, ``"Diseño gráfico"``: Graphic Design; :func:`translated`).
Ambiguous typos and translations resolve to nothing: a wrong skill is worse than none.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal, NamedTuple

from tandem.skills.cognates import OTHER, cognate_skills
from tandem.skills.forms import MAX_ACRONYM_KEY, written_as_acronym
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
#: Words the trade stems would read as another language's but that English types as a skill
#: of its own: "Redaction" (of documents) is no French *rédaction* (writing), a "compositor"
#: sets type, a "texter" sends texts, "relish" is no French *relis*.
_ENGLISH_AS_TYPED = frozenset(
    {"redaction", "redactions", "compositor", "compositors", "texter", "relish"}
)


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
        if name is not None and not self._split_acronym(text, key, name):
            how: How = "exact" if skill_key(name) == key else "alias"
            return SkillMatch(text, name, how)
        if name is not None:
            return SkillMatch(text, None, "unknown")
        variant = self._variant(key)
        if variant is not None:
            return SkillMatch(text, variant, "variant")
        typo = self._typo(key)
        if typo is not None:
            return SkillMatch(text, typo, "typo")
        other = translated(self.taxonomy, text)
        if other is not None:
            return SkillMatch(text, other, "translated")
        return SkillMatch(text, None, "unknown")

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
        limit = 1 if len(key) < 9 else 2
        scored = sorted((edit_distance(key, c, limit), c) for c in candidates)
        scored = [(d, c) for d, c in scored if d <= limit]
        if not scored:
            return None
        best = scored[0][0]
        names = {self._keys[c] for d, c in scored if d == best}
        return names.pop() if len(names) == 1 else None

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
