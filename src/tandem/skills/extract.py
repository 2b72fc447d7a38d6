"""Find taxonomy skills mentioned in free text, with the span that mentions them.

This is the exact and alias layer: every 1 to 5 word window of the text is
looked up by spelling-insensitive key. Words that are also everyday English
("go", "express", "excel") count only when written like a proper name, and short
acronyms only when written as acronyms ("IAM", never "I am": see :mod:`forms`).

Two forms of text that short names take:

- A name may start with a dot (".NET", ".NET Core"): a dot that opens a word (after a space,
  a bracket or the start) belongs to it, so ".NET experience" is .NET, where a word never
  starting with a joiner read it as "NET" and found nothing.
- A two-letter name is an acronym ("AI", "QA": capitals only) unless the taxonomy spells it
  otherwise: "Go" and "Qt" count written exactly so. "Go" is also an everyday verb, and a
  capital at the start of a sentence says nothing ("Go ahead and ..."), nor one where a verb
  goes ("to Go live", in a Title Case job title "Developer Needed To Go Through Code"), so
  there it counts only before a noun of the work or a list ("Go developer", "Go, Rust").
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from bisect import bisect_left
from pathlib import Path
from types import ModuleType
from typing import NamedTuple

from tandem.domain import money as _money_code
from tandem.domain.money import money_unit
from tandem.skills import forms as _forms_code
from tandem.skills import keys as _keys_code
from tandem.skills import senses as _senses_code
from tandem.skills import taxonomy as _taxonomy_code
from tandem.skills.forms import WrittenForms, is_acronym, joins_words
from tandem.skills.keys import skill_key
from tandem.skills.senses import bare_outside_sense, everyday_use, technical_context
from tandem.skills.taxonomy import Taxonomy
from tandem.text import tokens as _tokens_code
from tandem.text.tokens import technical_tokens

#: Words of any script; "C++", "Node.js", "CI/CD" stay whole.
_TOKEN = technical_tokens("+#./")
_MAX_WORDS = 5
#: What may come before a dot that opens a word (".NET"): nothing, a space or an opening mark.
_OPENS_A_WORD = frozenset(" \t\n\r([{\"'/,;:")
#: Where a sentence starts: a capital just after one of these says nothing of a name.
_SENTENCE_START = re.compile(r"(?:^|[.!?;\n•*]|\s-)\s*$")
#: Words after which a verb goes ("to Go live", "Let's Go", "will Go the extra mile"): an
#: everyday name there is the everyday word unless the work follows, as at a sentence start.
#: Job titles are written in Title Case, so "Developer Needed To Go Through Existing Code"
#: capitalises the verb as a name.
_VERB_BEFORE = re.compile(
    r"(?<![\w'])(?:to|let'?s|will|would|can|could|must|should|shall|may|might|please|i|we|"
    r"you|they)[^\S\n]+$",
    re.IGNORECASE,
)
#: After an everyday name at the start of a sentence, what shows it is the name: a noun of the
#: work ("Go developer", "Go backend") or a list ("Go, Rust", "Go/Rust", "Go and Rust").
_WORK_NOUN = re.compile(
    r"[^\S\n]*(?:$|\n|[,/+&]|(?:and|or|developers?|devs?|engineers?|programmers?|coders?|experts?|"
    r"specialists?|consultants?|backends?|back-end|frontends?|services?|microservices?|apis?|"
    r"apps?|code|codebase|programming|development|projects?|modules?|librar(?:y|ies)|"
    r"servers?|cli|sdk|scripts?|tools?)\b)",
    re.IGNORECASE,
)
#: Where a clause starts, for a capitalised everyday word followed by what a verb takes.
_CLAUSE_START = re.compile(r"(?:^|[.!?;:,\n•*()\"“]|\s[-–—])\s*$")
#: What follows an everyday word used as a verb, never a tool's name: its object (a pronoun,
#: a determiner) or its particle. "Make it expert level", "Word it better", "Excel at
#: support", "Sketch a logo", "Slack off"; a name is followed by a noun, a verb or a list
#: ("Make scenarios", "Excel spreadsheets", "Make, Zapier").
_VERB_OBJECT = re.compile(
    r"[^\S\n]+(?:it|its|it's|them|me|us|him|her|this|that|these|those|everything|something|"
    r"anything|sure|the|a|an|my|our|your|their|his|some|any|all|each|every|more|less|"
    r"better|worse|bigger|smaller|shorter|longer|up|out|off|in|on|at|into|ahead|back|away|"
    r"over|down|through|live)\b",
    re.IGNORECASE,
)
#: Keys that are everyday words: matched only when capitalised in the text.
_EVERYDAY = frozenset(
    {
        "go",
        "express",
        "spring",
        "rails",
        "bun",
        "remix",
        "astro",
        "expo",
        "excel",
        "word",
        "notion",
        "sketch",
        "maya",
        "lever",
        "greenhouse",
        "apollo",
        "ionic",
        "inventor",
        "editing",
        "research",
        "sales",
        "trading",
        "typing",
        "empathy",
        "make",
        "slack",
        "wave",
        "sage",
        "next",
        "nest",
        "vue",
        "swift",
        "rust",
        "dart",
        "ruby",
        "julia",
        "scala",
        "crystal",
        "unity",
        "elixir",
        "storytelling",
        "insurance",
        "chemistry",
        "biology",
        "physics",
        "mathematics",
        "math",
        "maths",
        "statistics",
        "stats",
        "translation",
        "teaching",
        "singing",
        "poetry",
        "lean",
        "strategy",
        "bi",
        "ai",
        "ml",
        "cv",
        "pm",
        "ea",
        "ap",
        "ar",
        "bd",
        "va",
        "ux",
        "ui",
        "qa",
        "hr",
        "pr",
        "ts",
        "js",
        "rl",
        "dl",
        "ps",
        "xd",
        "ae",
        "sem",
        "cro",
        "rag",
        "ner",
        "gas",
        "esg",
        "aso",
        "dba",
        "nx",
        "lms",
        "ats",
        "ppt",
        "drafting",
        "manufacturing",
        "construction",
        "formatting",
        "reporting",
        "operations",
        "procurement",
        "purchasing",
        "sourcing",
        "logistics",
        "inventory",
        "forecasting",
        "regression",
        "optimization",
        "recruiting",
        "onboarding",
        "payroll",
        "grammar",
        "scheduling",
        "reservations",
        "moderation",
        "mediation",
        "audit",
        "investing",
        "valuation",
        "budgeting",
        "invoicing",
        "selling",
        "negotiation",
        "prototyping",
        "wireframes",
        "rendering",
        "animation",
        "illustration",
        "photography",
        "filming",
        "mixing",
        "mastering",
        "songwriting",
        "interpreting",
        "security",
        "compliance",
        "caching",
        "deployment",
        "troubleshooting",
        "documentation",
        "leases",
        "contracts",
    }
)


#: Language names that are also everyday words: "polish the copy", "Polish my CV", "go dutch",
#: "it's all Greek to me". One is the language only in the language's sense: written with a
#: capital in mid-sentence ("a Polish speaker", "into Polish"), or beside a word about
#: language (:data:`_LANGUAGE_CUE`). At a sentence start or where a verb goes ("Please Polish
#: my CV") a capital says nothing, so only a cue does.
_LANGUAGE_HOMONYMS = frozenset({"polish", "dutch", "welsh", "greek"})
#: Words about a language: speaking, fluency, translating it, a native speaker, into/from it.
_LANGUAGE_CUE = re.compile(
    r"\b(?:speak\w*|spoken|fluen\w*|native|mother tongue|translat\w*|interpret\w*|"
    r"languages?|bilingual|into|from|lessons?|tutor\w*|teach\w*|learn\w*|locali[sz]\w*|"
    r"subtitl\w*|proofread\w*|transcri\w*|written|writing in|copy in|write in|level|"
    r"C1|C2|B1|B2)\b",
    re.IGNORECASE,
)
#: Where a sentence around a word starts and ends.
_SENTENCE_END = re.compile(r"[.!?;\n]")


def _in_language_sense(text: str, start: int, end: int) -> bool:
    """Whether a language name that is also an everyday word is the language here."""
    before, after = text[:start], text[end:]
    cut = max((m.end() for m in _SENTENCE_END.finditer(before)), default=0)
    stop = _SENTENCE_END.search(after)
    sentence = before[cut:] + " " + (after[: stop.start()] if stop else after)
    if _LANGUAGE_CUE.search(sentence):
        return True
    at_start = _SENTENCE_START.search(text[max(0, start - 3) : start])
    verb_slot = _VERB_BEFORE.search(text, max(0, start - 12), start)
    return text[start].isupper() and not at_start and not verb_slot


#: The categories of the built-in taxonomy whose skills are technical: an acronym of theirs
#: that another kind of work also writes ("CV" in "CV writing") needs a technical context.
TECHNICAL_CATEGORIES = frozenset(
    {
        "Web, Mobile & Software Dev",
        "IT & Networking",
        "Data Science & Analytics",
        "Engineering & Architecture",
    }
)
#: After an ambiguous acronym, a noun of technical work: "CV engineer", "CV models".
_TECHNICAL_NOUN = re.compile(
    r"[^\S\n]*(?:developers?|engineers?|engineering|models?|pipelines?|algorithms?|"
    r"researchers?|apps?|applications?|systems?|code|libraries|library)\b",
    re.IGNORECASE,
)


class Mention(NamedTuple):
    """A skill mentioned in text: the canonical name and where."""

    name: str
    span: str
    start: int
    end: int


def _looks_like_a_name(span: str) -> bool:
    return span[:1].isupper() or any(ch in span for ch in "+#.")


def _plausible_single(key: str, span: str, spelled: bool) -> bool:
    """A one-word match counts unless it is an everyday word not written like a name.

    ``spelled``: the span is written exactly as one of the taxonomy's own spellings.
    """
    if any(ch in span for ch in "+#"):
        return True
    if len(key) <= 2:  # an acronym, or a short name written as the taxonomy writes it ("Go")
        return span.isupper() or (spelled and _looks_like_a_name(span))
    return key not in _EVERYDAY or _looks_like_a_name(span)


def _name_in_context(text: str, start: int, end: int) -> bool:
    """Whether a short everyday name ("Go") at ``start`` reads as the name in its sentence."""
    sentence_start = _SENTENCE_START.search(text[max(0, start - 3) : start])
    if not sentence_start and not _VERB_BEFORE.search(text, max(0, start - 12), start):
        return True
    return bool(_WORK_NOUN.match(text, end))


def _verb_not_name(text: str, start: int, end: int) -> bool:
    """Whether a capitalised everyday name ("Make") is the verb opening a clause.

    A capital at the start of a sentence or clause, or where a verb goes ("Please Make it
    shorter"), is no evidence of a name; what follows decides: a verb's object or particle
    makes it the verb ("Make it expert level", "Excel at support"), anything else leaves the
    name ("Make scenarios", "Excel spreadsheets"). A name written in its own form ("Make.com")
    never gets here.
    """
    opens = _CLAUSE_START.search(text[max(0, start - 4) : start])
    if not opens and not _VERB_BEFORE.search(text, max(0, start - 12), start):
        return False
    return bool(_VERB_OBJECT.match(text, end))


def ambiguous_acronyms(taxonomy: Taxonomy) -> dict[str, str]:
    """Acronyms of technical skills that other work writes in another sense: key -> skill.

    "CV" is Computer Vision's acronym and the CV of "CV writing" (Resume Writing); "AD" is
    Active Directory and the ad of "AD copy"; "DSP" is signal processing and the demand-side
    platform of programmatic advertising. Read from the taxonomy: a technical skill's acronym
    that is a word of a name or alias of a non-technical skill it has no link with.
    """
    words: dict[str, set[str]] = {}
    for skill in taxonomy:
        if skill.category in TECHNICAL_CATEGORIES:
            continue
        for form in (skill.name, *skill.aliases):
            if len(form.split()) > 1:
                for word in form.lower().split():
                    words.setdefault(word, set()).add(skill.name)
    out: dict[str, str] = {}
    for skill in taxonomy:
        if skill.category not in TECHNICAL_CATEGORIES:
            continue
        for form in (skill.name, *skill.aliases):
            if " " in form or not is_acronym(form):
                continue
            related = taxonomy.related(skill.name)
            others = {o for o in words.get(form.lower(), ()) if o not in related}
            if others:
                out[skill_key(form)] = skill.name
    return out


def _with_leading_dot(text: str, start: int) -> int:
    """``start`` moved onto a dot that opens the word (".NET"), else unchanged."""
    if start and text[start - 1] == "." and (start == 1 or text[start - 2] in _OPENS_A_WORD):
        return start - 1
    return start


def _slash_parts(token: str, start: int, _end: int) -> list[tuple[str, int, int]]:
    """``"Arduino/ESP32"`` at ``start`` -> its parts with their own offsets."""
    parts = []
    offset = start
    for part in token.split("/"):
        if part:
            parts.append((part, offset, offset + len(part)))
        offset += len(part) + 1
    return parts


class PhraseExtractor:
    """Exact and alias skill mentions in text."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self._keys = taxonomy.keys()
        self._taxonomy = taxonomy
        self._sorted_keys = sorted(self._keys)
        self._forms = WrittenForms(f for s in taxonomy for f in (s.name, *s.aliases))
        self._technical = frozenset(s.name for s in taxonomy if s.category in TECHNICAL_CATEGORIES)
        self._ambiguous = ambiguous_acronyms(taxonomy)

    def technical(self, name: str) -> bool:
        """Whether ``name`` is a skill of technical work (:data:`TECHNICAL_CATEGORIES`)."""
        return name in self._technical

    def extract(self, text: str, *, context: str = "") -> list[Mention]:
        """Mentions in text order; longer phrases win over the words inside them.

        A slash-joined token that starts no skill as a whole is read as its parts
        ("Arduino/ESP32", "English/French"), while "CI/CD" stays one skill. A letter glued
        to a dollar sign is a currency ("C$18", "R$ 900"), never the skill it spells; so is a
        ticker that is an amount's unit ("budget 2 ETH": :func:`~tandem.domain.money.money_unit`).
        ``context``: more of the same record (a profile's other fields), read only for the
        sense of an ambiguous acronym.
        """
        tokens = []
        for m in _TOKEN.finditer(text):
            start = _with_leading_dot(text, m.start())
            tokens.append((text[start : m.end()], start, m.end()))
        mentions: list[Mention] = []
        taken_until = -1
        i = 0
        while i < len(tokens):
            found = self._longest_at(text, tokens, i)
            if found is None and "/" in tokens[i][0]:
                tokens[i : i + 1] = _slash_parts(*tokens[i])
                continue
            if found is not None and text[found[0].end : found[0].end + 1] == "$":
                found = None
            if found is not None and money_unit(text, found[0].start, found[0].end):
                found = None  # "budget 2 ETH", "paid in BTC": money, not the coin's work
            if found is None or tokens[i][1] < taken_until:
                i += 1
                continue
            mention, width = found
            mentions.append(mention)
            taken_until = mention.end
            i += width
        return self._in_context(text, mentions, context)

    def _in_context(self, text: str, mentions: list[Mention], context: str) -> list[Mention]:
        """The mentions without ambiguous names that stand outside a technical context.

        A tool's name used as an everyday word of another language ("un tableau de bord",
        :func:`tandem.skills.senses.everyday_use`) needs the things its work is done with, and
        so does a bare English name whose capital says nothing ("Express interest", "Pony
        Express": :func:`tandem.skills.senses.bare_outside_sense`), in its own sentence.

        "Rewrite my CV" is no Computer Vision; "CV with OpenCV" (another technical skill
        named), "a CV engineer" (a noun of technical work after it) and "AD and group
        policies" (a thing that work is done with: :mod:`tandem.skills.senses`) are.
        """
        mentions = [
            m
            for m in mentions
            if (
                not everyday_use(skill_key(m.span), text, m.start, m.end)
                or technical_context(m.name, f"{text}\n{context}")
            )
            and not bare_outside_sense(m.name, text, m.start, m.end)
        ]  # "un tableau de bord" is a dashboard, Tableau only beside "Power BI" or "dataviz"
        ambiguous = [m for m in mentions if self._ambiguous.get(skill_key(m.span)) == m.name]
        if not ambiguous:
            return mentions
        technical = any(m.name in self._technical and m not in ambiguous for m in mentions)
        if not technical and context:  # only now, and rarely: read the rest of the record
            technical = any(
                m.name in self._technical and self._ambiguous.get(skill_key(m.span)) != m.name
                for m in self.extract(context)
            )
        return [
            m
            for m in mentions
            if m not in ambiguous
            or technical
            or _TECHNICAL_NOUN.match(text, m.end)
            or technical_context(m.name, f"{text}\n{context}")
        ]

    def _longest_at(
        self, text: str, tokens: list[tuple[str, int, int]], i: int
    ) -> tuple[Mention, int] | None:
        for width in range(self._widest(text, tokens, i), 0, -1):
            start, end = tokens[i][1], tokens[i + width - 1][2]
            span = text[start:end].rstrip(".")
            key = skill_key(span)
            name = self._keys.get(key)
            if name is None or not self._forms.allows(span, key):
                continue
            if width > 1 and joins_words(span, self._spellings(name, key)):
                continue  # "in Design" is no InDesign
            if width == 1:
                spelled = self._forms.spelled(span, key)
                if not _plausible_single(key, span, spelled):
                    continue
                short_everyday = len(key) <= 2 and key in _EVERYDAY and not span.isupper()
                if short_everyday and not _name_in_context(text, start, start + len(span)):
                    continue
                if (
                    key in _EVERYDAY
                    and not span.isupper()
                    and _verb_not_name(text, start, start + len(span))
                ):
                    continue
                if key in _LANGUAGE_HOMONYMS and not _in_language_sense(
                    text, start, start + len(span)
                ):
                    continue
            return Mention(name, span, start, start + len(span)), width
        return None

    def _spellings(self, name: str, key: str) -> list[str]:
        """The name and aliases of skill ``name`` whose key is ``key``."""
        skill = self._taxonomy.get(name)
        forms = (name, *skill.aliases) if skill else (name,)
        return [f for f in forms if skill_key(f) == key]

    def _widest(self, text: str, tokens: list[tuple[str, int, int]], i: int) -> int:
        """The most words a phrase from token ``i`` may have and still be a skill (0: none).

        Phrases grow a word at a time until one's key starts no taxonomy key: a longer
        phrase's key starts with it. That holds for ASCII text that neither starts with a dot
        nor holds ".net" (nothing :func:`skill_key` folds then spans two words, and dots and
        spaces are dropped); any other phrase stops the shortcut. Most words of a profile
        start no skill, and keying each of their 1-5 word phrases was a quarter of an import.
        """
        most = min(_MAX_WORDS, len(tokens) - i)
        start = tokens[i][1]
        for width in range(1, most + 1):
            span = text[start : tokens[i + width - 1][2]].rstrip(".")
            if not span.isascii() or span.startswith(".") or ".net" in span.lower():
                return most
            if not self._starts_a_key(skill_key(span)):
                return width - 1
        return most

    def _starts_a_key(self, key: str) -> bool:
        """Whether some taxonomy key starts with ``key`` (a binary search of the sorted keys)."""
        at = bisect_left(self._sorted_keys, key)
        return at < len(self._sorted_keys) and self._sorted_keys[at].startswith(key)

    def names(self, text: str) -> list[str]:
        """Distinct canonical names mentioned, in first-mention order."""
        return list(dict.fromkeys(m.name for m in self.extract(text)))


def fingerprint(skills: Taxonomy, *code: ModuleType) -> str:
    """A digest of everything a named mention depends on: spellings and the rules' code.

    The taxonomy's names and aliases, this module's code and the code it reads text with,
    and ``code``: the caller's own modules that shape what it stores of a mention (which
    fields are read, how they are redacted). What an index stores as read by another
    reader is read again (``tandem.engine.core``); code is hashed whole, so any edit of
    these modules counts as another reader.
    """
    digest = hashlib.blake2b(digest_size=16)
    ours = (
        sys.modules[__name__],
        _money_code,
        _forms_code,
        _keys_code,
        _senses_code,
        _taxonomy_code,
        _tokens_code,
    )
    for module in (*ours, *code):
        digest.update(Path(module.__file__ or "").read_bytes())
    for skill in skills:
        digest.update(json.dumps([skill.name, skill.aliases], ensure_ascii=False).encode())
    return digest.hexdigest()
