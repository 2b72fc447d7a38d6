"""The grounding guard: text from a language model is used only if every fact in it traces.

A fact is a number, a skill, a name (a capitalised word mid-sentence), a link or a contact
detail. Each must appear in the sources the model was given (the person's request, the
profile, the job, the deterministic draft). The check is deliberately strict: rejecting good
wording costs little (the deterministic text is shown instead), accepting an invented fact
breaks the promise that the companion says nothing it cannot point to.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from tandem.text import find_pii
from tandem.text.counts import noun_for

NUMBER = re.compile(r"(?<![\w.])(\d+(?:[.,]\d+)*)\s*([kKmM])?(?![\w])")
URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
#: Capitalised words that carry no fact of their own (titles, weekdays, pronouns...).
PLAIN_CAPITALS = frozenset((
    "i", "i'm", "i'll", "i've", "we", "you", "your", "our", "my", "the", "a", "an", "this",
    "that", "these", "those", "it", "its", "about", "hello", "hi", "dear", "thanks", "thank",
    "best", "regards", "sincerely", "kind", "looking", "please", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october", "november", "december",
    "skills", "budget", "duration", "experience", "level", "languages", "language",
    "responsibilities", "requirements", "role", "overview", "summary", "deliverables",
    "timeline", "scope", "project", "job", "post", "proposal", "description", "ai", "tandem's",
    "tandem", "in", "for", "with", "and", "or", "to", "of", "on", "at", "as", "by", "we're",
    "you're",
))  # fmt: skip


#: A model talking about its edit instead of doing it ("Here's a rewritten version...").
META = re.compile(
    r"\b(?:here(?:'s| is) (?:a|the|your) (?:rewritten|revised|improved|polished)|"
    r"i (?:made|have made) (?:a few|some|the following) changes|rewritten version|"
    r"as an ai|language model|^\s*draft\s*:)",
    re.IGNORECASE | re.MULTILINE,
)
#: Units that turn a number into a claim: "300 per month" is not "300 in total".
UNITS = re.compile(
    r"\b(hour|hourly|day|daily|week|weekly|month|monthly|year|yearly|annual|annually|"
    r"retainer|equity|bonus|commission|salary|full[- ]time|part[- ]time|remote|on[- ]site|"
    r"guarantee[ds]?|certified|certificate|degree|award)",
    re.IGNORECASE,
)
WORD = re.compile(r"[a-zA-Z][a-zA-Z'-]{3,}")
#: Share of a text's content words that may be new (wording), above which it adds content.
MAX_NEW_WORDS = 0.3
STOP = frozenset((
    "that", "this", "with", "from", "have", "will", "your", "you're", "their", "there", "they",
    "them", "what", "when", "which", "while", "would", "could", "should", "about", "into",
    "also", "some", "more", "very", "just", "like", "make", "sure", "need", "needs", "want",
    "work", "here", "please", "thank", "thanks", "hello", "looking", "forward", "able",
    "been", "being", "were", "well", "each", "other", "such", "only", "than", "then", "these",
    "those", "over", "ideal", "great", "help", "helps", "seeking", "candidate", "role",
    "project", "best", "regards", "dear", "team", "ensure", "strong", "ability", "provide",
))  # fmt: skip


def _stem(word: str) -> str:
    """A crude stem: enough that "weeks", "weekly" and "week" are the same word."""
    word = word.lower()
    for suffix in ("ly", "ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) > len(suffix) + 3:
            word = word[: -len(suffix)]
            break
    return word[:5]


@dataclass(frozen=True)
class GroundingReport:
    """Whether a text passed, and each fact that did not trace to a source."""

    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing untraceable was found."""
        return not self.problems


def _readings(m: re.Match[str]) -> set[float]:
    """The values a written number may mean ("1,200" is 1200, or 1.2 where "," is decimal)."""
    raw, suffix = m.group(1), (m.group(2) or "").lower()
    scale = 1000 if suffix == "k" else 1_000_000 if suffix == "m" else 1
    values: set[float] = set()
    for candidate in {raw.replace(",", ""), raw.replace(".", "").replace(",", ".")}:
        try:
            values.add(float(candidate) * scale)
        except ValueError:
            continue
    return values


def numbers_in(text: str) -> set[float]:
    """Every value a text's numbers may mean ("5k" -> 5000, "1,200" -> 1200 or 1.2)."""
    return {v for m in NUMBER.finditer(text) for v in _readings(m)}


def _capitalised(text: str) -> list[str]:
    """Capitalised words that do not start a sentence or a line: names, brands, places."""
    words = []
    for sentence in re.split(r"(?<=[.!?:])\s+|\n+|^\s*[-*\d.]+\s+", text):
        tokens = re.findall(r"[A-Za-z][\w'&.-]*", sentence)
        words += [t.rstrip(".") for t in tokens[1:] if t[0].isupper()]
    return words


def check(
    text: str,
    sources: Iterable[str],
    *,
    skills_in: Callable[[str], list[str]],
    allowed_skills: Iterable[str] = (),
) -> GroundingReport:
    """Every number, skill, name, link and contact detail in ``text`` must trace to ``sources``."""
    source_text = "\n".join(sources)
    lowered = source_text.lower()
    problems: list[str] = []
    if find_pii(text):
        problems.append("contains a contact detail")
    known_numbers = numbers_in(source_text)
    for m in NUMBER.finditer(text):
        if not _readings(m) & known_numbers:
            problems.append(f"number {m.group(0).strip()} is not in the sources")
    for link in URL.findall(text):
        if link.lower() not in lowered:
            problems.append(f"link {link} is not in the sources")
    allowed = {s.lower() for s in allowed_skills} | {s.lower() for s in skills_in(source_text)}
    for skill in skills_in(text):
        if skill.lower() not in allowed:
            problems.append(f"skill {skill} is not in the sources")
    if META.search(text):
        problems.append("talks about the draft instead of being one")
    known_stems = {_stem(w) for w in WORD.findall(source_text)}
    for unit in {u.lower() for u in UNITS.findall(text)}:
        if _stem(unit) not in known_stems:
            problems.append(f"adds '{unit}', which the sources do not say")
    content = [w for w in WORD.findall(text) if w.lower() not in STOP]
    new_words = [w for w in content if _stem(w) not in known_stems]
    if content and len(new_words) / len(content) > MAX_NEW_WORDS:
        problems.append(
            f"{len(new_words)} of {len(content)} words {noun_for(len(new_words), 'is', 'are')} "
            "not in the sources "
            f"(e.g. {', '.join(dict.fromkeys(w.lower() for w in new_words[:4]))})"
        )
    for word in _capitalised(text):
        key = word.lower()
        if key not in PLAIN_CAPITALS and key not in lowered:
            problems.append(f"name {word!r} is not in the sources")
    return GroundingReport(list(dict.fromkeys(problems)))
