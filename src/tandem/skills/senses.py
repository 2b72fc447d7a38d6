"""Words of the work an ambiguous name's technical sense is done with.

"AD" is Active Directory and an ad; "CV" is computer vision and a résumé; "DSP" is signal
processing and a demand-side platform (:func:`tandem.skills.extract.ambiguous_acronyms` reads
which acronyms are ambiguous from the taxonomy). The extractor keeps the technical sense when
another technical skill is named or a noun of technical work follows the acronym ("CV
engineer"); a request often names neither, only the things that work is done with: "Set up
AD and group policies for 40 users", "CV model to count cars from the camera", "DSP with FFT
filters". Those things are no skills of the taxonomy (a group policy, a camera), so they are
listed here, for the technical sense of each acronym, in words no ad, résumé or ad-tech
platform uses. An acronym the taxonomy makes ambiguous later and that is not listed keeps the
extractor's two other signs.

A tool's name can also be an everyday word of another language clients write in: "un tableau
de bord" is a dashboard, not Tableau; "la première version" is the first one, not Premiere
Pro; "une vue d'ensemble" an overview, not Vue.js. :data:`EVERYDAY_ELSEWHERE` says how that
language uses each such word (the article or preposition that makes it its noun, the set
phrases it starts); used so, the word is the tool only where the text names what the tool's
work is done with (:data:`CONTEXT`: "Power BI", "dataviz" for Tableau). The English everyday
words ("go", "word", "excel") are read by their capital instead
(:data:`tandem.skills.extract._EVERYDAY`).

Some English everyday words are names whose capital says nothing either: "Express interest
by Friday" opens a sentence, "Please Express Your Interest" is Title Case, "Pony Express" and
"Express delivery" are names of other things. Written bare, such a skill's name
(:data:`BARE_EVERYDAY`) is the skill only where its own sentence names what its work is done
with (:data:`CONTEXT`: "Node/Express backend") or a noun of that work follows it ("Express
developer"); written in its own form ("Express.js", "ExpressJS") it is the skill anywhere.
The sentence, not the whole text: "Node.js developer needed. Express interest by Friday."
names Node.js and no Express.js.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import NamedTuple

from tandem.skills.keys import skill_key

#: Skill -> what its work is done with (the words of its technical sense).
CONTEXT: dict[str, re.Pattern[str]] = {
    "Active Directory": re.compile(  # acronyms in capitals only: "ou" is French, "dc" a city
        r"\b(?:GPOs?|LDAPS?|OUs?|SSO|DNS|DHCP|(?i:group\s+polic(?:y|ies)|domain\s+"
        r"(?:controllers?|join(?:ed|ing)?|admins?|users?|accounts?)|kerberos|organi[sz]ational"
        r"\s+units?|user\s+accounts?|users\s+and\s+groups|security\s+groups?|windows\s+"
        r"server|single\s+sign[- ]on|entra|forests?\s+and\s+domains?))\b"
    ),
    "Computer Vision": re.compile(
        r"\b(?:cameras?|pixels?|segmentation|bounding\s+box(?:es)?|video\s+(?:feeds?|frames?|"
        r"streams?)|image\s+(?:classification|datasets?|recognition|labell?ing)|"
        r"(?:labell?ed|annotated)\s+images|YOLO\w*|OpenCV|object\s+detection|"
        r"neural\s+networks?|CNNs?)\b",
        re.IGNORECASE,
    ),
    "Signal Processing": re.compile(
        r"\b(?:FFT|FIR|IIR|(?:digital|low-?pass|high-?pass|band-?pass)\s+filters?|"
        r"sampl(?:e|ing)\s+rates?|spectr(?:um|al|ogram)|frequency\s+(?:response|domain)|"
        r"ADCs?|DACs?|audio\s+signals?|signals?\s+chain|MATLAB|FPGA|firmware)\b",
        re.IGNORECASE,
    ),
    "Tableau": re.compile(
        r"\b(?:Tableau\s+(?:Desktop|Server|Public|Prep|Cloud|Online)|Power\s*BI|Looker|Qlik\w*|"
        r"Metabase|Superset|business\s+intelligence|(?-i:BI)|dataviz|data\s+visuali[sz]ation|"
        r"visuali[sz]ation\s+de\s+donn[ée]es|visualizaci[óo]n\s+de\s+datos|"
        r"datenvisualisierung|visualiza[çc][ãa]o\s+de\s+dados|calculated\s+fields?|"
        r"champs?\s+calcul[ée]s|LOD\s+expressions?|VizQL|extracts?\s+Tableau)\b",
        re.IGNORECASE,
    ),
    "Adobe Premiere Pro": re.compile(
        r"\b(?:Adobe|After\s+Effects|Final\s+Cut|DaVinci|Media\s+Encoder|Premiere\s+Pro|"
        r"timeline|rushes|rushs)\b",
        re.IGNORECASE,
    ),
    "Vue.js": re.compile(
        r"\b(?:Vue\s*(?:\.js|js|2|3)|Nuxt\w*|Vuex|Pinia|Vite|Vuetify|Quasar|"
        r"composition\s+API|single[- ]file\s+components?)\b",
        re.IGNORECASE,
    ),
    "Express.js": re.compile(  # no "routes" or "delivery": those are a courier's too
        r"\b(?:Express\s*\.?\s*js|Node(?:\s*\.?\s*js)?|npm|JavaScript|TypeScript|(?-i:JS|TS)|"
        r"APIs?|REST(?:ful)?|GraphQL|back-?ends?|server-?side|middlewares?|endpoints?|"
        r"route\s+handlers?|MongoDB|Mongoose|MERN|MEAN|Nest\s*\.?\s*js|Sequelize|Prisma|"
        r"Socket\.io|web\s+servers?)\b",
        re.IGNORECASE,
    ),
    "Notion": re.compile(
        r"\b(?:Notion\s+(?:AI|API|pages?|databases?|templates?|workspace)|workspace|"
        r"espace\s+de\s+travail|wiki\s+interne|Airtable|ClickUp|Coda)\b",
        re.IGNORECASE,
    ),
}


#: Skill -> the keys of its bare names that are everyday English words with phrases of their
#: own ("express interest", "Express delivery", "Pony Express"): see the module docstring.
BARE_EVERYDAY: dict[str, frozenset[str]] = {"Express.js": frozenset({"express"})}
#: Right after a bare everyday name, a noun of its work: "Express developer", "Express app".
_WORK_AFTER = re.compile(
    r"[^\S\n]*(?:developers?|devs?|engineers?|programmers?|apps?|applications?|servers?|"
    r"backends?|back-end|apis?|middlewares?|routers?|codebase)\b",
    re.IGNORECASE,
)
#: Where a sentence ends: a stop before a space or the end (not the dot of "Node.js"), a
#: semicolon or a new line.
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|[;\n]")
#: Words of plain letters, where a bare everyday name is looked for.
_LETTERS = re.compile(r"[^\W\d_]+")


class EverydayUse(NamedTuple):
    """How a language uses a word that is also a tool's name.

    ``before``: what ends right before the word when it is that language's noun (an article,
    a possessive, a preposition); ``after``: what starts right after it in its set phrases.
    """

    before: re.Pattern[str]
    after: re.Pattern[str]


#: French determiners and prepositions a noun follows.
_FR_NOUN_BEFORE = (
    r"(?:\b(?:un|une|le|la|les|l['’]|des|du|de|d['’]|au|aux|ce|cet|cette|ces|mon|ma|mes|ton|ta|"
    r"notre|nos|votre|vos|leur|leurs|en|quel|quelle|chaque|premier|nouveau|nouvelle|petit|"
    r"petite|grand|grande|beau|belle|joli|jolie|point))[^\S\n]*$"
)

#: Key -> how another language uses it (French, which shares the most tool names as words).
EVERYDAY_ELSEWHERE: dict[str, EverydayUse] = {
    "tableau": EverydayUse(  # a table, a board, a painting; "tableau de bord": a dashboard
        re.compile(_FR_NOUN_BEFORE, re.IGNORECASE),
        re.compile(
            r"[^\S\n]+(?:de\s+bord|blanc|noir|crois[ée]|r[ée]capitulatif|d['’]affichage|"
            r"de\s+(?:donn[ée]es|suivi|prix|chasse|valeurs|ma[îi]tre|service))\b",
            re.IGNORECASE,
        ),
    ),
    "premiere": EverydayUse(  # "première": first, a premiere
        re.compile(_FR_NOUN_BEFORE + r"|\b(?:en|pour\s+la|à\s+la|dès\s+la)[^\S\n]*$", re.I),
        re.compile(
            r"[^\S\n]+(?:version|fois|étape|etape|phase|partie|page|ann[ée]e|semaine|mois|"
            r"livraison|s[ée]ance|classe|impression|mise|maquette)\b",
            re.IGNORECASE,
        ),
    ),
    "vue": EverydayUse(  # a view, an overview, seen
        re.compile(_FR_NOUN_BEFORE + r"|\b(?:en|bien|d[ée]j[àa])[^\S\n]*$", re.IGNORECASE),
        re.compile(
            r"[^\S\n]*(?:d['’]ensemble|d['’]œil|de\s+l['’]esprit|sur\s+(?:la|le|les|mer)|"
            r"imprenable|panoramique|a[ée]rienne)\b",
            re.IGNORECASE,
        ),
    ),
    "notion": EverydayUse(  # an idea, a notion ("la notion de", "des notions d'anglais")
        re.compile(_FR_NOUN_BEFORE + r"|\b(?:the|a|any|no)[^\S\n]*$", re.IGNORECASE),
        re.compile(r"[^\S\n]+(?:de|d['’]|of|that)\b", re.IGNORECASE),
    ),
}


def everyday_use(key: str, text: str, start: int, end: int) -> bool:
    """Whether the word at ``text[start:end]`` (a tool's ``key``) is used as an everyday word.

    In a set phrase ("tableau de bord") it is, whatever its case. After an article or a
    preposition it is, unless written as a name: a noun after "de" or "en" is not capitalised
    in French, so "maîtrise de Tableau" and "formation en Tableau" name the tool (such a word
    starts no sentence, so its capital is no sentence's).
    """
    use = EVERYDAY_ELSEWHERE.get(key)
    if use is None:
        return False
    if use.after.match(text, end):
        return True
    return not text[start : start + 1].isupper() and bool(
        use.before.search(text, max(0, start - 20), start)
    )


def technical_context(name: str, text: str) -> bool:
    """Whether ``text`` names a thing the technical skill ``name``'s work is done with."""
    pattern = CONTEXT.get(name)
    return pattern is not None and pattern.search(text) is not None


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` that holds ``text[start:end]``."""
    cut, stop = _sentence_bounds(text, start, end)
    return text[cut:stop]


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the sentence holding ``text[start:end]`` starts and stops.

    From the text's sentence ends found once (:func:`_ends_of`), not searched for from the
    text's start at each word: a text writing "Express" n times cost n x its length. A stop
    right before the word ends a sentence as the end of the text before it would.
    """
    starts, ends = _ends_of(text)
    before = bisect_right(ends, start)
    cut = ends[before - 1] if before else 0
    if start and text[start - 1] in ".!?":
        cut = start
    after = bisect_left(starts, end)
    return cut, starts[after] if after < len(starts) else len(text)


@lru_cache(maxsize=2)  # the text being read (few kept: texts are people's words)
def _ends_of(text: str) -> tuple[list[int], list[int]]:
    """The starts and ends of every sentence end in ``text`` (a text's words are read in turn)."""
    found = list(_SENTENCE_END.finditer(text))
    return [m.start() for m in found], [m.end() for m in found]


@lru_cache(maxsize=32)
def _in_sense(name: str, text: str, cut: int, stop: int) -> bool:
    """Whether the sentence ``text[cut:stop]`` names what ``name``'s work is done with."""
    return technical_context(name, text[cut:stop])


def bare_outside_sense(name: str, text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]``, read as skill ``name``, is a bare everyday word out of sense.

    Only for the bare names of :data:`BARE_EVERYDAY` ("Express" for Express.js): one is out
    of its sense unless a noun of its work follows it or its sentence names what its work is
    done with. Any other name, or another spelling ("Express.js"), never is.
    """
    if skill_key(text[start:end]) not in BARE_EVERYDAY.get(name, ()):
        return False
    if _WORK_AFTER.match(text, end):
        return False
    return not _in_sense(name, text, *_sentence_bounds(text, start, end))


def read_outside_sense(name: str, phrase: str, text: str) -> bool:
    """Whether skill ``name``, read from ``phrase`` of ``text``, owes it to a word out of sense.

    For a reader that found the skill by other means than its name (the dense linker scores
    "express interest" close to Express.js): when the phrase holds a bare everyday name of the
    skill and every place ``text`` writes that word is :func:`bare_outside_sense`.
    """
    bare = BARE_EVERYDAY.get(name)
    if not bare or not any(skill_key(w) in bare for w in _LETTERS.findall(phrase)):
        return False
    spots = [m for m in _LETTERS.finditer(text) if skill_key(m.group()) in bare]
    return all(bare_outside_sense(name, text, m.start(), m.end()) for m in spots)
