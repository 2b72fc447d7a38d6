"""The product's one skill extractor: which skills a text names or describes, with evidence.

Job posts, profiles, cover letters and companion requests all go through :class:`SkillReader`:
exact and alias phrases first (:class:`PhraseExtractor`: cheap, precise, any taxonomy), then
the dense :class:`SkillLinker` over Tandem's own skills for what is described in other words
("keep our books" -> Bookkeeping), kept only above a score calibrated on the bundled MiniLM.

Cost is what decides where it can run, so the reader is built to share work: profiles are
read in the same encoder pass that embeds them for search (:meth:`read_and_embed`), and many
texts (a job's cover letters) are read in one batch.

A phrase names what its last noun is: "booking API" is an API, "fitness app" an app. When
that noun is a technical thing (:data:`TECHNICAL_HEAD`), the words before it say what the
thing is about, not a skill the work asks for, so a skill described only by them is kept
only if it is technical itself ("payment API" may be payment integration work; "booking
API" is no Booking Management, "scheduling SDK" no Calendar Management).

A name the text writes out names that skill, and nothing more: the dense tier scores a label
high for a word it shares with a name in the text, so "Shopify" alone linked Shopify Marketing
and Shopify Customer Support, "Excel" Excel VBA, "Google Ads" LinkedIn Ads. A described skill
that shares a word with named ones is kept only when the text says another of its words too,
or its evidence holds words of the text beyond the names, or names say different words of it
(a compound: "Django" and "REST APIs"; see :func:`leans_on_a_name`).

The dense tier reads words, not senses: "please express interest" scores Express.js as high as
"Express developer". A described skill whose evidence is a bare everyday name of it is kept
only where the extractor would read that name as the skill
(:func:`tandem.skills.senses.read_outside_sense`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from tandem.domain.money import only_money_units
from tandem.skills.extract import PhraseExtractor
from tandem.skills.linker import STOP, SkillLinker
from tandem.skills.senses import read_outside_sense
from tandem.text.roles import ROLE_ENDINGS
from tandem.text.tokens import fold, words

#: A linked skill counts when its score reaches this (best phrase + 0.3 x whole text +
#: lexical boost; both similarities sum label text and name). Calibrated on MiniLM: the
#: hashing encoder's scores are lower, so with it the reader adds little beyond exact names.
MIN_LINK_SCORE = 1.5
#: At most this many linked skills per text (the strongest); exact mentions are not capped.
MAX_LINKED = 5
#: Nouns of technical things a phrase may end in: the words before them modify them.
TECHNICAL_HEAD = (
    r"(?:apis?|sdks?|apps?|integrations?|plug-?ins?|add-?ons?|extensions?|widgets?|"
    r"endpoints?|webhooks?|back-?ends?|microservices?|librar(?:y|ies)|modules?|bots?|"
    r"scripts?|databases?|schemas?)"
)
_HEAD_AFTER = re.compile(rf"[^\S\n]*-?[^\S\n]*{TECHNICAL_HEAD}\b", re.IGNORECASE)
#: What stands before a word that opens a sentence (or a line), past blanks: its capital
#: says nothing.
_OPENERS = frozenset('.!?:;\n"“(-')
_HEAD_LAST = re.compile(rf"\S\s+{TECHNICAL_HEAD}$", re.IGNORECASE)
#: Words of a request that say who is wanted, not what the work is: evidence made of them
#: and a skill's name says nothing beyond the name ("Need a HubSpot expert").
REQUEST_WORDS = frozenset(
    [
        "need",
        "needs",
        "needed",
        "needing",
        "looking",
        "look",
        "seeking",
        "want",
        "wanted",
        "wants",
        "hire",
        "hiring",
        "help",
        "expert",
        "experts",
        "specialist",
        "specialists",
        "developer",
        "developers",
        "dev",
        "devs",
        "engineer",
        "engineers",
        "consultant",
        "consultants",
        "freelancer",
        "freelancers",
        "professional",
        "pro",
        "someone",
        "person",
        "people",
        "guru",
        "ninja",
        "wizard",
        "experienced",
        "skilled",
        "senior",
        "junior",
        "mid",
        "level",
        "asap",
        "urgent",
        "please",
    ]
)


@dataclass(frozen=True)
class FoundSkill:
    """A skill in a text: its canonical name, the phrase that shows it, and how it was found."""

    name: str
    span: str
    how: Literal["named", "described"]
    score: float | None = None


class SkillReader:
    """Reads skills out of free text (see the module docstring)."""

    def __init__(
        self,
        extractor: PhraseExtractor,
        linker: Callable[[], SkillLinker],
        *,
        min_score: float = MIN_LINK_SCORE,
        max_linked: int = MAX_LINKED,
    ) -> None:
        self.extractor = extractor
        self._make_linker = linker
        self._linker: SkillLinker | None = None
        self.min_score = min_score
        self.max_linked = max_linked

    @property
    def linker(self) -> SkillLinker:
        """The dense linker (built on first use: it embeds the label space once)."""
        if self._linker is None:
            self._linker = self._make_linker()
        return self._linker

    def read(self, text: str) -> list[FoundSkill]:
        """Skills named in ``text`` (in text order), then skills it describes (best first)."""
        return self.read_many([text])[0]

    def read_many(self, texts: Sequence[str]) -> list[list[FoundSkill]]:
        """:meth:`read` for many texts, linked in one batch."""
        return self.read_and_embed(texts)[1]

    def read_and_embed(
        self, texts: Sequence[str]
    ) -> tuple[npt.NDArray[np.float32], list[list[FoundSkill]]]:
        """The texts' embeddings (as the encoder gives them) and their skills, in one pass."""
        live = [i for i, t in enumerate(texts) if t.strip()]
        vectors = np.zeros((len(texts), self.linker.encoder.dim), dtype=np.float32)
        found: list[list[FoundSkill]] = [[] for _ in texts]
        if not live:
            return vectors, found
        linked_vectors, ranked = self.linker.rank_with_vectors(
            [texts[i] for i in live], self.max_linked
        )
        for row, i in enumerate(live):
            vectors[i] = linked_vectors[row]
            named = self.named(texts[i])
            seen = {f.name for f in named}
            described = [
                FoundSkill(s.label, s.evidence, "described", round(s.score, 3))
                for s in ranked[row]
                if s.score >= self.min_score
                and s.label not in seen
                and (
                    self.extractor.technical(s.label)
                    or not modifies_a_technical_thing(texts[i], s.evidence)
                )
                and not leans_on_a_name(s.label, s.evidence, texts[i], named)
                and not read_outside_sense(s.label, s.evidence, texts[i])
                and not rests_on_one_word(s.label, s.evidence, texts[i])
                and not modifier_alone(s.label, s.evidence, texts[i])
                and not only_money_units(s.evidence, texts[i])
            ]
            found[i] = named + described
        return vectors, found

    def named(self, text: str) -> list[FoundSkill]:
        """Only the skills ``text`` names (exact or alias): the reader's cheap tier."""
        return named_in(self.extractor, text)

    def names(self, text: str) -> list[str]:
        """Distinct skill names of :meth:`read`."""
        return [f.name for f in self.read(text)]


def named_in(extractor: PhraseExtractor, text: str) -> list[FoundSkill]:
    """The skills ``text`` names (exact or alias), first mention of each, in text order."""
    first: dict[str, FoundSkill] = {}
    for m in extractor.extract(text):
        first.setdefault(m.name, FoundSkill(m.name, m.span, "named"))
    return list(first.values())


def modifies_a_technical_thing(text: str, phrase: str) -> bool:
    """Whether ``phrase`` only ever stands before a technical noun in ``text`` ("booking API").

    Also when the phrase itself ends in one after other words ("booking API" as the
    evidence). A phrase the text also uses on its own ("a booking API, and help with booking
    by phone") still describes the work.
    """
    if _HEAD_LAST.search(phrase):
        return True
    found = list(re.finditer(rf"(?<!\w){re.escape(phrase)}(?!\w)", text, re.IGNORECASE))
    return bool(found) and all(_HEAD_AFTER.match(text, m.end()) for m in found)


def _stem(word: str) -> str:
    """A word's rough stem for "does the text say it": the first six letters, folded.

    "marketing"/"market", "support"/"supporting", "development"/"developer" agree; a
    longer compound does not ("salesforce" is no "sales").
    """
    return fold(word)[:6]


def _says(text_words: set[str], word: str) -> bool:
    """Whether a word of a skill's name is in the text (same stem, or a short word exactly)."""
    folded = fold(word)
    if len(folded) < 6:
        return folded in text_words
    return any(len(w) >= 5 and _stem(w) == _stem(folded) for w in text_words)


def written_as_a_name(word: str, text: str) -> bool:
    """Whether ``text`` writes ``word`` only as a name: capitalised inside a sentence, every time.

    "a coffee truck in Chicago" (a place), "sell on Amazon" (a brand); not "Grant writer for
    a nonprofit", where the capital opens the sentence, nor "the vector files".
    """
    found = list(re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE))
    return bool(found) and all(
        m.group()[0].isupper() and not _opens_a_sentence(text, m.start()) for m in found
    )


def _opens_a_sentence(text: str, start: int) -> bool:
    """Whether the word at ``start`` opens the text, a line or a sentence.

    Read back over the blanks before it only, never from the text's start: a pattern
    searched up to each of a word's n occurrences took n x the text's length.
    """
    at = start - 1
    while at >= 0 and text[at] != "\n" and text[at].isspace():
        at -= 1
    return at < 0 or text[at] in _OPENERS


def rests_on_one_word(skill: str, evidence: str, text: str) -> bool:
    """Whether a described ``skill`` of several words owes its link to a name in the text alone.

    The dense tier scores a label high for a phrase that is one word of its name, but a place
    or a brand the text names is not the work whose name starts with it: "a coffee truck in
    Chicago" asks for no Chicago Style. True when the evidence is that one word, written as a
    name (:func:`written_as_a_name`), and the text says none of the skill's other words ("the
    Chicago Manual of Style" keeps it). An ordinary word of the name alone still describes
    it: "Grant writer" is Grant Writing, "an infographic" Infographic Design, whose other
    word is the work a client asks a person for.
    """
    own = {fold(w) for w in words(skill)} - STOP
    said = [w for w in words(evidence) if fold(w) not in STOP]
    if len(own) < 2 or len(said) != 1:
        return False
    word = fold(said[0])
    alone = {w for w in own if w == word or (len(w) >= 6 and _stem(w) == _stem(word))}
    if not alone or not written_as_a_name(said[0], text):
        return False
    text_words = {fold(w) for w in words(text)}
    return not any(_says(text_words, w) for w in own - alone)


def modifier_alone(skill: str, evidence: str, text: str) -> bool:
    """Whether a described ``skill`` rests on one word that only qualifies its last word.

    "BTC big" read Big Data from "big": a word standing before the last word of a name says
    what kind of that thing it is, and a text that never says the thing ("data") asks for no
    kind of it; "a smart home" asks for no Smart Contracts. A name whose last word is its
    work (:data:`~tandem.text.roles.ROLE_ENDINGS`: Design, Writing, ...) is still described by
    its first word alone: "an infographic" is Infographic Design, "Grant writer" Grant Writing.
    """
    own = [fold(w) for w in words(skill) if fold(w) not in STOP]
    said = [fold(w) for w in words(evidence) if fold(w) not in STOP]
    if len(own) < 2 or len(said) != 1 or said[0] not in own[:-1]:
        return False
    if words(skill)[-1] in ROLE_ENDINGS:
        return False
    text_words = {fold(w) for w in words(text)}
    return not any(_says(text_words, w) for w in own if w != said[0])


def leans_on_a_name(skill: str, evidence: str, text: str, named: Sequence[FoundSkill]) -> bool:
    """Whether a described ``skill`` owes its link only to a name ``text`` writes out.

    True when the skill's name shares words with named skills (their names or the phrases that
    named them), the text says none of its other words, and its evidence holds no word
    beyond the named phrases and request words: "Shopify" is no Shopify Marketing, "Need a
    HubSpot expert" no HubSpot Service Hub, while "Shopify store customer support" is Shopify
    Customer Support and "YouTube editor" (YouTube is more than the name Editing) Video Editing.

    Names make a compound only when they say *different* words of it ("Django" and "REST
    APIs" say Django REST Framework). Names that all share the same word of it say that word
    only: "3D Animation", "Lottie Animation" and "Character Animation" each say "animation"
    and none says "2D", so they are no 2D Animation (truth check 18: "2D Animation: overview:
    'animation'" for an overview saying only "expert 3d animation designer").
    """
    own = {fold(w) for w in words(skill)} - STOP
    names = [{fold(w) for w in words(f"{f.name} {f.span}")} for f in named]
    name_words = set().union(*names)
    if not own & name_words:
        return False
    shares = [own & n for n in names if own & n]
    if len(set().union(*shares)) > max(len(s) for s in shares):
        return False  # names say different words of it: a compound
    text_words = {fold(w) for w in words(text)}
    others = own - name_words
    if not others or any(_says(text_words, w) for w in others):
        return False  # the text says another of its words: "Data analysis in Excel"
    beyond = {fold(w) for w in words(evidence)} - name_words - STOP - REQUEST_WORDS
    return not beyond
