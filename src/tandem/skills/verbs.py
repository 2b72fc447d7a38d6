"""Skills asked for by an English verb whose noun is not its stem: transcribe -> Transcription.

Clients say what they want done: "transcribe 10 interviews", "illustrate a children's book",
"animate our logo", "scrape a site", "write my CV". The taxonomy names the activities
(Transcription, Children's Book Illustration, Animation, Web Scraping, Resume Writing) and
the extractor reads names, so the verb was lost unless its stem starts the name. English
forms these nouns by a few regular suffixes, so this module derives a verb's nouns and
checks them against the taxonomy's own names and aliases, with no list of verbs:

- -ibe -> -iption (transcribe), -yze -> -ysis (analyze), -ize -> -ization (localize),
  -ify -> -ification (verify), -uce -> -uction (produce), -olve -> -olution (resolve),
  -ert -> -ersion (convert), -ate -> -ation (animate, automate, illustrate, migrate),
  -ct -> -ction (extract); any verb + -ing (edit, proofread, scrape: silent e dropped,
  a final consonant doubled), + -ation (consult), + -ment (develop), + -ance (assist);
  re- + verb also does the verb's work ("rewrite my CV" is CV writing).
- The verb's object makes a compound first: "edit my YouTube videos" -> YouTube Video
  Editing, "illustrate a children's book" -> Children's Book Illustration, "write my CV" ->
  CV writing (Resume Writing), "migrate our website" -> site migration.
- Without a compound, the verb's one-word activity: "transcribe 10 interviews" ->
  Transcription. Only when the skill's own name is that noun or ends with it (2D Animation,
  Web Scraping): an alias that is a broader word than its skill ("optimization" for
  Operations Research, "scheduling" for Calendar Management) is no sure reading of a verb.

Precision: a word counts as a verb only where English puts one, not wherever its letters
fit ("credit" holds "edit", "a market study" holds "market"), and only where it asks for
work, not where a post lists duties ("you will deploy", "- Optimize the performance"):

- after "to" in a sentence that asks for someone ("I need someone to transcribe", "an
  artist to illustrate"; not "it is essential to interpret");
- after "help (us)", "please", "can you" opening a sentence, "someone who can";
- opening a sentence of prose (not an item of a list) before its object ("Proofread my
  thesis."), or joined to such a verb ("transcribe and translate", "edit, mix and master");
- as a gerund after "help (with)" ("help analyzing our sales data");
- as the participle of what someone needs or wants ("need 10 interviews transcribed").

A word opening a sentence before a bare noun ("Write product descriptions") is a verb only
when verb and noun make a compound the taxonomy knows; a verb not followed by its object
gives no one-word activity ("report to our CFO"). Only texts mostly in English are read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from tandem.skills.cognates import mostly_english
from tandem.skills.extract import TECHNICAL_CATEGORIES
from tandem.skills.keys import skill_key
from tandem.skills.taxonomy import Taxonomy, per_taxonomy

#: Verb endings and the endings of their nouns (the first that fits is used; the generic
#: suffixes below are tried for every verb as well).
SUFFIXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ibe", ("iption",)), ("yze", ("ysis",)), ("yse", ("ysis",)),
    ("ize", ("ization",)), ("ise", ("isation", "ization")), ("ify", ("ification",)),
    ("uce", ("uction",)), ("olve", ("olution",)), ("ert", ("ersion",)),
    ("ate", ("ation",)), ("ct", ("ction",)),
)  # fmt: skip
#: Activity nouns: what a derived noun must end with to be read as asked for.
ACTIVITY = re.compile(r"(?:ing|tion|sion|ment|ance|ysis)$")
#: Words after which the next word may be a verb in its base form.
MODALS = frozenset({"can", "could", "will", "would", "should", "must"})
BEFORE_VERB = MODALS | {"to", "please"}
#: Who a modal's verb must be said of to ask for work: "someone who can animate" (never "a
#: tool that can automate", nor a post's list of duties: "you will deploy").
SUBJECTS = frozenset({"who", "someone", "somebody", "anyone"})
#: Pronouns between a modal or "help" and its verb: "can you proofread", "help us automate".
PRONOUN = frozenset({"you", "me", "us", "them", "someone", "somebody", "anyone", "i", "we"})
#: Words that make a sentence a request for work, so its "to" + verb is the work asked for
#: ("I need someone to transcribe"; not "it is essential to interpret").
REQUEST = frozenset(
    {"need", "needs", "needed", "want", "wants", "looking", "seeking", "seek", "hire", "hiring",
     "require", "requires", "required", "like", "help", "someone", "somebody", "anyone",
     "person", "expert", "experts", "pro", "professional", "freelancer", "freelancers"}
)  # fmt: skip
#: A person's trade before "to": "an artist to", "a developer to", "a specialist to".
ROLE = re.compile(r"^[a-z]{3,}(?:ers?|ors?|ists?|ants?)$")
#: Verbs before another verb's base form: "help us automate", "let's migrate".
HELPERS = frozenset({"help", "helps", "helping", "let's", "lets"})
#: Words that ask for work done to something: "need 10 interviews transcribed".
WANT = frozenset({"need", "needs", "want", "wants", "get", "have", "having", "like"})
#: "to be migrated", "being edited", "needs to be transcribed".
PASSIVE = frozenset({"be", "been", "being"})
#: Words that open an object: determiners, possessives, numbers.
OPENS_OBJECT = re.compile(
    r"^(?:a|an|the|my|our|your|their|his|her|its|this|that|these|those|some|all|any|every|each|"
    r"\d[\d,.]*|it|them)$"
)
#: Words an object phrase skips: determiners, numbers, "of" ("5 hours of video").
SKIP_IN_OBJECT = re.compile(
    r"^(?:a|an|the|my|our|your|their|his|her|its|this|that|these|those|some|all|any|every|each|"
    r"\d[\d,.]*|of|few|several|many|more|new|short|long)$"
)
#: Words that end an object phrase (prepositions, conjunctions, relatives).
ENDS_OBJECT = frozenset(
    {"from", "to", "into", "for", "in", "on", "with", "by", "at", "about", "using", "via", "and",
     "or", "but", "so", "which", "who", "that", "as", "per", "before", "after", "within", "than",
     "while", "if", "because", "like", "including", "such"}
)  # fmt: skip
#: Joiners of two verbs: "transcribe and translate", "edit, mix or master".
JOINS = frozenset({"and", "or", "&", ",", "then"})
#: The most words an object phrase holds, and the most a compound takes from it.
OBJECT_WORDS = 5
COMPOUND_WORDS = 3
#: Tokens: words (apostrophes and hyphens inside) and single marks.
TOKEN = re.compile(r"[^\W_][\w'’+#-]*|[^\w\s]")


class VerbSkill(NamedTuple):
    """A skill asked for by a verb: the name, the words that ask for it, where they start."""

    name: str
    words: str
    start: int


def _ing(base: str) -> list[str]:
    out = [base + "ing"]
    if base.endswith("e") and not base.endswith(("ee", "ye", "oe")):
        out.insert(0, base[:-1] + "ing")
    if re.search(r"[^aeiou][aeiou][bdgklmnprt]$", base):  # plan -> planning (and editing)
        out.append(base + base[-1] + "ing")
    return out


def nouns_of(base: str) -> list[str]:
    """The nouns English derives from a verb's base form, most specific first."""
    base = base.lower()
    out: list[str] = []
    for ending, nouns in SUFFIXES:
        if base.endswith(ending) and len(base) > len(ending) + 2:
            out += [base[: -len(ending)] + n for n in nouns]
            break
    stem = base[:-1] if base.endswith("e") else base
    out += _ing(base) + [stem + "ation", base + "ment", stem + "ance"]
    if base.startswith("re") and len(base) >= 6:  # rewrite -> write, redesign -> design
        out += nouns_of(base[2:]) + [base[2:]]
    return list(dict.fromkeys(out))


def bases_of(word: str) -> list[str]:
    """The base forms an inflected verb may have: "transcribed" -> transcribe, transcrib."""
    w = word.lower()
    if w.endswith("ing") and len(w) > 5:
        stem = w[:-3]
        out = [stem, stem + "e"]
        if len(stem) > 2 and stem[-1] == stem[-2]:
            out.append(stem[:-1])
        return out
    if w.endswith("ed") and len(w) > 4:
        stem = w[:-2]
        out = [stem, w[:-1]]
        if len(stem) > 2 and stem[-1] == stem[-2]:
            out.append(stem[:-1])
        if stem.endswith("i"):
            out.append(stem[:-1] + "y")
        return out
    return [w]


@per_taxonomy
def _activity_nouns(taxonomy: Taxonomy) -> dict[str, str]:
    """One-word activity noun -> skill, where the skill's own name is or ends with the noun."""
    index: dict[str, str] = {}
    for skill in taxonomy:
        for form in (skill.name, *skill.aliases):
            noun = form.lower()
            head = skill.name.lower().split()[-1] if skill.name.split() else ""
            if " " not in noun and ACTIVITY.search(noun) and noun == head:
                index.setdefault(noun, skill.name)
    return index


def _singular(word: str) -> str:
    w = word.lower()
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("s") and not w.endswith(("ss", "us", "is", "'s", "’s")) and len(w) > 3:
        return w[:-1]
    return w


class _Tok(NamedTuple):
    text: str
    low: str
    start: int
    end: int


def _tokens(text: str) -> list[_Tok]:
    out = []
    for m in TOKEN.finditer(text):
        word = m.group().rstrip("'’-")
        out.append(_Tok(word, word.lower(), m.start(), m.start() + len(word)))
    return out


def _is_word(tok: _Tok) -> bool:
    return tok.text[:1].isalnum()


def _opens_sentence(tokens: list[_Tok], i: int, text: str) -> bool:
    """Whether token ``i`` opens the text or a sentence of prose (not an item of a list)."""
    if i == 0:
        return True
    before = text[tokens[i - 1].end : tokens[i].start]
    return tokens[i - 1].text in {".", "!", "?"} and "\n" not in before


def _requested(tokens: list[_Tok], text: str) -> list[bool]:
    """Per token, whether a word asking for work comes before it in its sentence.

    The sentence, or the item of a list, starts after ".", "!", "?", ";" or a line break.
    One pass over the text: scanning back from every "to" was quadratic in a long text
    with few sentence ends (seconds for 16k words).
    """
    out: list[bool] = []
    seen = False
    for k, tok in enumerate(tokens):
        if k and (
            tokens[k - 1].text in {".", "!", "?", ";"}
            or "\n" in text[tokens[k - 1].end : tok.start]
        ):
            seen = False  # the sentence, or the item of a list, starts here
        out.append(seen)
        seen = seen or tok.low in REQUEST
    return out


def _asks(tokens: list[_Tok], i: int, requested: list[bool]) -> bool:
    """Whether the sentence before "to" at ``i`` asks for work: "need someone to", "an artist to".

    A person's trade right before "to" asks too, unless "in" comes before it ("in order to").
    ``requested``: :func:`_requested` of the tokens.
    """
    if i > 1 and ROLE.match(tokens[i - 1].low) and tokens[i - 2].low != "in":
        return True
    return requested[i]


def _verb_positions(tokens: list[_Tok], text: str) -> Iterator[tuple[int, str]]:
    """(index, form) of each word where English puts a verb: "base", "ing", "ed" or "title"."""
    verbs: set[int] = set()
    requested = _requested(tokens, text)
    for i, tok in enumerate(tokens):
        if not _is_word(tok) or tok.low in BEFORE_VERB or not tok.low.isalpha():
            continue
        prev = tokens[i - 1].low if i else ""
        prev2 = tokens[i - 2].low if i > 1 else ""
        nxt = tokens[i + 1].low if i + 1 < len(tokens) else ""
        opens = _opens_sentence(tokens, i, text)
        helped = prev in HELPERS or (prev in PRONOUN and prev2 in HELPERS)
        form = ""
        if tok.low.endswith("ing") and len(tok.low) > 5:
            if helped or (prev == "with" and prev2 in HELPERS | {"help"}):
                form = "ing"  # "help analyzing our data", "need help with transcribing"
            elif opens:
                form = "title"  # "Animating a mascot": a verb if a compound says so
        elif helped or prev == "please":
            form = "base"  # "help us automate", "please proofread"
        elif prev == "to" and _asks(tokens, i - 1, requested):
            form = "base"  # "need someone to transcribe", "an artist to illustrate"
        elif prev in MODALS and prev2 in SUBJECTS:
            form = "base"  # "someone who can animate"
        elif i > 1 and prev in PRONOUN and prev2 in MODALS and _opens_sentence(tokens, i - 2, text):
            form = "base"  # "Can you proofread"
        elif opens and (OPENS_OBJECT.match(nxt) or nxt in JOINS):
            form = "base"  # "Proofread my thesis.", "Transcribe and translate ..."
        elif opens:
            form = "title"  # "Write product descriptions": a verb if a compound says so
        elif i - 2 in verbs and prev in JOINS:
            form = "base"  # "transcribe and translate", "edit, mix and master"
        elif tok.low.endswith("ed") and any(t.low in WANT for t in tokens[max(0, i - 8) : i]):
            form = "ed"  # "need 10 interviews transcribed", "needs to be migrated"
        if form:
            verbs.add(i)
            yield i, form


def _object(tokens: list[_Tok], i: int) -> list[_Tok]:
    """The words of the object after the verb at ``i`` (determiners and numbers skipped)."""
    out: list[_Tok] = []
    for k in range(i + 1, len(tokens)):  # not a slice: a copy of the rest for every verb
        tok = tokens[k]
        if not _is_word(tok) or tok.low in ENDS_OBJECT or len(out) >= OBJECT_WORDS:
            break
        if not SKIP_IN_OBJECT.match(tok.low):  # "5 hours of video": "of" joins, never ends
            out.append(tok)
    return out


def _object_before(tokens: list[_Tok], i: int) -> list[_Tok]:
    """A participle's object before it: "10 interviews transcribed" -> [interviews]."""
    out: list[_Tok] = []
    for tok in reversed(tokens[max(0, i - OBJECT_WORDS) : i]):
        if not _is_word(tok) or tok.low in WANT | PASSIVE | ENDS_OBJECT | {"to"}:
            break
        if not SKIP_IN_OBJECT.match(tok.low):
            out.insert(0, tok)
    return out


def _chain_ends(tokens: list[_Tok], positions: dict[int, str]) -> dict[int, int]:
    """The last verb of the chain joined to each verb ("edit, mix and master": master's).

    One pass from the end, each verb taking its successor's answer: walking each verb's chain
    on its own read a chain of n verbs n²/2 times ("a, a, a, ..." is one: 20,000 characters
    of it took 3.5 s, 40,000 took 30 s).
    """
    ends: dict[int, int] = {}
    for i in sorted(positions, reverse=True):
        joined = i + 2 in positions and tokens[i + 1].low in JOINS
        ends[i] = ends[i + 2] if joined else i
    return ends


def _compound(
    taxonomy: Taxonomy, words: list[_Tok], nouns: list[str]
) -> tuple[str, tuple[int, int]] | None:
    """The longest "<object words> <noun>" the taxonomy knows, and where its words are.

    A technical skill named before the words taken, not linked with a non-technical
    compound's skill, says the object is a technical thing: "write a Python script" is no
    Scriptwriting (scripts for film). Everyday words of business that name skills too do not
    ("analyze our sales data" is data analysis), nor a linked skill ("migrate our WordPress
    site" is site migration).
    """
    keys = taxonomy.keys()
    for width in range(min(COMPOUND_WORDS, len(words)), 0, -1):
        for at in range(len(words) - width + 1):
            part = words[at : at + width]
            heads = {part[-1].low, _singular(part[-1].low)}
            lead = " ".join(t.low for t in part[:-1])
            for noun in nouns:
                for head in heads:
                    name = keys.get(skill_key(f"{lead} {head} {noun}".strip()))
                    if name is not None and not _other_thing(taxonomy, name, words[:at]):
                        return name, (part[0].start, part[-1].end)
    return None


def _technical(taxonomy: Taxonomy, name: str) -> bool:
    skill = taxonomy.get(name)
    return skill is not None and skill.category in TECHNICAL_CATEGORIES


def _other_thing(taxonomy: Taxonomy, name: str, before: list[_Tok]) -> bool:
    """Whether a word before a non-technical compound names an unlinked technical skill."""
    if _technical(taxonomy, name):
        return False
    related = taxonomy.related(name)
    for tok in before:
        other = taxonomy.keys().get(skill_key(tok.text))
        if other is not None and other not in related and _technical(taxonomy, other):
            return True
    return False


def verb_skills(taxonomy: Taxonomy, text: str) -> list[VerbSkill]:
    """The skills a mostly English text asks for by their verbs, in text order."""
    if not mostly_english(text):
        return []
    activities = _activity_nouns(taxonomy)
    tokens = _tokens(text)
    positions = dict(_verb_positions(tokens, text))
    chain_ends = _chain_ends(tokens, positions)
    found: dict[str, VerbSkill] = {}
    for i in sorted(positions, reverse=True):  # a chain's last verb first: it holds the object
        form, tok = positions[i], tokens[i]
        bases = [tok.low] if form in ("base", "title") else bases_of(tok.low)
        nouns = [n for b in bases if len(b) >= 3 for n in nouns_of(b)]
        compound_nouns = nouns + bases  # "design a logo": the verb is its own noun
        words = _object_before(tokens, i) if form == "ed" else _object(tokens, i)
        if not words and i + 2 in positions and tokens[i + 1].low in JOINS:
            words = _object(tokens, chain_ends[i])  # "edit, mix and master X"
        compound = _compound(taxonomy, words, compound_nouns)
        if compound is not None:
            name, (a, b) = compound
            start, end = min(a, tok.start), max(b, tok.end)
            found[name] = VerbSkill(name, text[start:end], start)
            continue
        if form == "title" or (not words and form == "base"):  # "report to our CFO"
            continue
        for noun in nouns:
            activity = activities.get(noun)
            if activity is not None and noun != tok.low:  # the noun itself is the extractor's
                found[activity] = VerbSkill(activity, tok.text, tok.start)
                break
    return sorted(found.values(), key=lambda v: v.start)
