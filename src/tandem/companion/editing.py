"""Edits to a drafted job post, read by the same parsers that drafted it.

"the budget is $400", "make it expert level", "add Figma", "drop WordPress", "3 weeks instead",
"make it 30 hours a week", "hourly, $30-40", "call it ...": each field is read from the edit by
the reader that filled it in the first place (:mod:`~tandem.companion.money` for budgets,
:mod:`~tandem.companion.understand` for duration, hours a week and level, the skill extractor
for skills, the language reader), so an edit is understood in every wording and language a
first request is. Whether a skill or a language is added or dropped is read from the words
before it ("drop", "sin", "ohne", "not", "instead of") or after it ("... is not needed"). A
message that restates the request replaces the text instead of repeating it; one that changes
no field adds to the description.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from tandem.companion.drafts import (
    LANGUAGE_CODES,
    LANGUAGE_SKILLS,
    JobDraft,
    clean,
    finish,
    freelance_skill,
    job_budget,
    money_text,
    read_fields,
    read_languages,
)
from tandem.companion.languages import language_names
from tandem.companion.money import HOURLY, read_budget
from tandem.companion.ordinals import pointed_at
from tandem.companion.understand import (
    WEEK_HOURS,
    read_duration_weeks,
    read_experience_level,
    read_hours_per_week,
)
from tandem.text.counts import counted

if TYPE_CHECKING:
    from tandem.companion.tools import Tools


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


#: What a skill or language after these words is: dropped, or (the default) added. Longer
#: cues first, so "no need for" is one cue and not "no" and then "need".
CUE = _re(
    r"(?P<drop>\bno\s+(?:longer\s+)?need\s+(?:for|of)\b|\b(?:don'?t|do\s+not|doesn'?t|does\s+not)"
    r"(?:\s+(?:need|want|use|require))?\b|\bget\s+rid\s+of\b|\btake\s+out\b|\binstead\s+of\b|"
    r"\brather\s+than\b|\b(?:drop|remove|delete|without|skip|exclude|except|minus|not|no|"
    r"quita(?:r)?|quite|elimina(?:r)?|sin|saca(?:r)?|en\s+(?:lugar|vez)\s+de|enl[eè]ve(?:r|z)?|"
    r"retire(?:r|z)?|supprime(?:r|z)?|sans|pas\s+de|au\s+lieu\s+de|entferne(?:n)?|ohne|"
    r"streiche(?:n)?|l[öo]sche(?:n)?|kein(?:e|en)?|statt|anstatt|remova|remover|tire|tirar|"
    r"sem|em\s+vez\s+de|ao\s+inv[ée]s\s+de)\b)|"
    r"(?P<add>\b(?:add|also|plus|include|including|with|too|needs?|requires?|must\s+know|"
    r"should\s+know|but|añade|añadir|agrega(?:r)?|incluye|incluir|también|con|pero|"
    r"ajoute(?:r|z)?|aussi|avec|inclure|mais|füge|hinzu(?:fügen)?|auch|mit|aber|adicione|"
    r"adicionar|inclua|com|mas)\b)"
)
#: "replace WordPress with Webflow", "swap X for Y", "cambia X por Y": the first part goes.
REPLACE = _re(
    r"\b(?:replace|swap|switch|change|reemplaza(?:r)?|cambia(?:r)?|remplace(?:r|z)?|"
    r"ersetze(?:n)?|tausche|substitua|troque|troca)\b(?P<old>.+?)\b(?:with|for|by|to|por|par|"
    r"durch|gegen|pelo|pela|mit)\b(?P<new>.+)"
)
#: "WordPress is not needed", "no hace falta WordPress": the clause's skills go.
NOT_NEEDED = _re(
    r"\b(?:not|n't|no\s+longer)\s+(?:needed|required|necessary)\b|\bunnecessary\b|"
    r"\bno\s+hace\s+falta\b|\bno\s+es\s+necesari[oa]\b|\bpas\s+(?:besoin|n[ée]cessaire)\b|"
    r"\bnicht\s+(?:mehr\s+)?(?:n[öo]tig|erforderlich|notwendig)\b|"
    r"\bn[ãa]o\s+(?:[ée]\s+)?(?:precisa|necess[áa]ri[oa])\b"
)
LANGUAGE_CONTEXT = _re(
    r"\b(?:languages?|speak(?:s|ing|er)?|fluent|native|bilingual|idiomas?|langues?|sprachen?|"
    r"l[íi]nguas?|habl(?:a|e|ar)|parle(?:r)?|spricht|sprechen|fala(?:r)?)\b"
)
#: "the category is Design & Creative", "category: Writing" (to the end of the message).
CATEGORY = re.compile(r"\bcategory\s*(?:is|:|=|to|should\s+be)?\s+(?P<category>\S.*)$", re.I)
TITLE = _re(
    r"(?:\b(?:change|set|make)\s+the\s+title\s+(?:to|into)|\btitle\s*(?:it|should\s+be|is|:|=)|"
    r"\brename\s+(?:it\s+)?(?:to|as)?|\b(?:call|name)\s+it|\btitled|\bt[íi]tulo\s*:|"
    r"\bll[áa]malo|\bpon(?:le)?\s+(?:de\s+|como\s+)?t[íi]tulo|\btitre\s*:|\bappelle[- ]le|"
    r"\bintitul[ée]|\btitel\s*:|\bnenne\s+es|\bchame(?:-o)?\s+de)\s*[\"“'‘]?"
    r"(?P<title>[^\"”’\n]{3,90}?)[\"”'’]?\s*[.!]?\s*$"
)
FIXED_ONLY = _re(
    r"\b(?:fixed|flat|lump\s+sum|one[-\s]off|precio\s+fijo|festpreis|pauschal|forfait|"
    r"prix\s+fixe|pre[çc]o\s+fixo)\b"
)
START_OVER = _re(
    r"\b(?:start\s+over|new\s+(?:draft|job\s+post)|from\s+scratch|empezar\s+de\s+nuevo|"
    r"nouveau\s+brouillon|neuer\s+entwurf|novo\s+rascunho)\b"
)
LEADING_YES_NO = _re(
    r"^\s*(?:yes|yeah|no|nope|ok(?:ay)?|sí|si|oui|non|ja|nein|sim|não|nao)\s*[,.!:;-]+\s*"
)
CLAUSE = re.compile(r".+?(?:[,;.!?]+(?=\s|$)|$)", re.S)
CLAUSE_BREAK = _re(r"[,;.!?](?=\s|$)|\b(?:but|pero|mais|aber|mas)\b")
STOP = frozenset(
    {
        "the", "and", "for", "with", "that", "this", "have", "need", "needs", "want", "looking",
        "someone", "who", "our", "are", "you", "can", "from", "about", "into", "will", "would",
        "should", "could", "also", "please", "just", "some", "more",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Edited:
    """A draft after an edit, the text its description is written from, and what changed."""

    draft: JobDraft
    body: str
    changes: list[str]
    title_fixed: bool
    #: What was understood but changed nothing ("Figma is already in the draft").
    remarks: list[str] = field(default_factory=list)
    #: What a reply adds about a change ("your description still names TypeScript").
    asides: list[str] = field(default_factory=list)


def restates(body: str, text: str) -> bool:
    """Whether ``text`` says the request again (most of its words are already in ``body``)."""
    new, old = _content_words(text), _content_words(body)
    return len(new) >= 3 and len(new & old) / len(new) >= 0.6


def starts_over(text: str) -> str:
    """What follows a request for a new draft ("new draft: ..."); empty when there is none."""
    m = START_OVER.search(text)
    return "" if m is None else text[m.end() :].strip(" :,;-")


def redraft(tools: Tools, old: JobDraft, text: str, *, title_fixed: bool) -> Edited:
    """The request said again: its text replaces the old one; what it leaves out stays."""
    cleaned = clean(text)
    new = read_fields(tools, cleaned.text)
    if new.budget_min is None and new.budget_max is None:
        new.budget_type, new.budget_min, new.budget_max, new.currency = (
            old.budget_type, old.budget_min, old.budget_max, old.currency,
        )  # fmt: skip
    new.currency = new.currency or old.currency
    new.budget_type = new.budget_type or old.budget_type
    if new.duration_weeks is None:
        new.duration_weeks = old.duration_weeks
    if new.hours_per_week is None:
        new.hours_per_week = old.hours_per_week
    new.experience_level = new.experience_level or old.experience_level
    stated = [s for s in new.skills if s not in new.implied_skills]
    # a skill the client removed stays removed: saying the request again (its words name it)
    # is no request to add it back; "add TypeScript" is
    new.skills = [s for s in dict.fromkeys(new.skills + old.skills) if s not in old.removed_skills]
    new.skills = new.skills[:12]
    new.removed_skills = list(old.removed_skills)
    stated = [s for s in stated if s in new.skills]
    implied = dict.fromkeys(new.implied_skills + old.implied_skills)
    new.implied_skills = [s for s in implied if s not in stated]  # finish() keeps those kept
    new.languages = list(dict.fromkeys(new.languages + old.languages))
    if old.category_chosen:  # a category the client chose stays chosen
        new.category, new.category_chosen = old.category, True
    new.notes = list(dict.fromkeys(old.notes + cleaned.notes))
    finish(tools, new, cleaned.text, title=old.title if title_fixed else None)
    return Edited(new, cleaned.text, changes(old, new), title_fixed)


def edit(tools: Tools, old: JobDraft, body: str, text: str, *, title_fixed: bool) -> Edited:
    """Apply the edits ``text`` states to ``old``; nothing it does not state changes."""
    cleaned = clean(LEADING_YES_NO.sub("", text, count=1))
    said = cleaned.text
    new = replace(old, skills=list(old.skills), languages=list(old.languages))
    new.notes = list(dict.fromkeys(old.notes + cleaned.notes))
    title = TITLE.search(said)
    if title is not None:
        chosen = title.group("title").strip()
        new.title = chosen[:1].upper() + chosen[1:]
        title_fixed = True
        said = said[: title.start()]
    said, chosen = _edit_category(tools, new, said)
    said, placed = _edit_skills_by_place(new, said)
    body = _edit_budget(new, said, body)
    body = _edit_duration_and_level(new, said, body)
    remarks = chosen + placed + _edit_skills_and_languages(tools, new, said)
    extra: list[str] = []
    if not changes(old, new) and not remarks and len(said.split()) >= 3:  # more about the work
        longer = _append(body, said)
        if longer != body:
            body, extra = longer, [f"added to the description: “{said.strip()}”"]
    finish(tools, new, body, title=new.title if title_fixed else None)
    dropped = [s for s in old.skills if s not in new.skills]
    new.removed_skills = [
        s for s in dict.fromkeys([*old.removed_skills, *dropped]) if s not in new.skills
    ]
    asides = _kept_words(tools, body, dropped)
    return Edited(new, body, changes(old, new) + extra, title_fixed, remarks, asides)


def _kept_words(tools: Tools, body: str, dropped: list[str]) -> list[str]:
    """What a reply says of a removed skill the client's own words still name.

    The description is the client's text ("React y TypeScript"), and is not rewritten behind
    their back; the skill is gone from the post's list and stays out of what a match reads
    from the description (``removed_skills`` becomes the job's ``excluded_skills``).
    """
    named = set(tools.extractor.names(body))
    return [
        f"Your description still names {s} in your words (edit them if you like); the post "
        "no longer asks for it."
        for s in dropped
        if s in named
    ]


def _edit_category(tools: Tools, new: JobDraft, said: str) -> tuple[str, list[str]]:
    """A category the client names ("the category is Design & Creative") replaces the suggestion.

    Returns what is left of ``said`` to read, and a remark when the category is not one of the
    market's (they are listed, rather than a guess made).
    """
    m = CATEGORY.search(said)
    if m is None:
        return said, []
    asked = m.group("category").strip(" .!\"“”'").lower()
    known = [c for c in tools.taxonomy.categories() if c and not c.startswith("O*NET")]
    found = [c for c in known if c.lower() == asked] or [
        c for c in known if asked and c.lower().startswith(asked)
    ]
    if len(found) != 1:
        return said[: m.start()], ["the categories are: " + "; ".join(known)]
    new.category, new.category_chosen = found[0], True
    return said[: m.start()], []


def _edit_skills_by_place(new: JobDraft, said: str) -> tuple[str, list[str]]:
    """Drop the skills ``said`` points at by place ("remove the second skill").

    Places count in the list the client was shown (the draft's skills before this edit), and
    are dropped like a skill named by its name, so :func:`edit` records them in
    ``removed_skills`` and they stay removed. Returns ``said`` without those words (no other
    reader takes "2nd" for an amount) and a remark for a place the list does not have.
    """
    pointed = pointed_at(said, len(new.skills))
    if not pointed:
        return said, []
    adds = _polarity(said)
    shown = list(new.skills)
    remarks: list[str] = []
    for p in pointed:
        if adds(p.start):
            continue  # "the first skill is the main one": no edit
        for index in p.indexes:
            if shown[index] in new.skills:
                new.skills.remove(shown[index])
        if p.missing:
            remarks.append(f"the draft lists {counted(len(shown), 'skill')}")
    for p in reversed(pointed):
        said = said[: p.start] + " " + said[p.end :]
    return said, remarks


def _edit_budget(new: JobDraft, said: str, body: str) -> str:
    budget = job_budget(said)  # "0,10 € por palabra": the price of a unit, no type
    if budget.minimum is None and budget.maximum is None:
        kind = "hourly" if HOURLY.search(said) else "fixed" if FIXED_ONLY.search(said) else None
        if kind is not None and new.budget_type != kind:
            new.budget_type = kind
        return body
    new.budget_min, new.budget_max = budget.minimum, budget.maximum
    new.currency = budget.currency or new.currency
    # a price per unit is no total and no rate: the draft's old type would misname it
    new.budget_type = None if budget.per is not None else budget.kind or new.budget_type
    return _drop_clauses(body, _states_budget)


def _states_budget(clause: str) -> bool:
    budget = read_budget(clause)
    return budget.minimum is not None or budget.maximum is not None


def _edit_duration_and_level(new: JobDraft, said: str, body: str) -> str:
    weeks = read_duration_weeks(said)
    if weeks is not None:
        new.duration_weeks = weeks
        body = _drop_clauses(body, lambda c: read_duration_weeks(c) is not None)
    hours = read_hours_per_week(said)  # "make it 30 hours a week"
    if hours is None and new.hours_per_week is not None:
        hours = _hours_edit(said)  # "change the hours to 30": the draft's hours are a week's
    if hours is not None:
        new.hours_per_week = hours
        body = _drop_clauses(body, lambda c: read_hours_per_week(c) is not None)
    level = read_experience_level(said)
    if level is not None:
        new.experience_level = level
        body = _drop_clauses(body, lambda c: read_experience_level(c) is not None)
    return body


#: "change the hours to 30", "hours: 25": the hours a draft holds, named without the week.
#: Not a total ("hours to 40 in total") nor anything a currency marks as money.
HOURS_EDIT = re.compile(
    r"\b(?:hours?|hrs?|stunden|horas|heures)\s*(?:to|=|:|auf|a|à)\s*(?P<a>\d{1,3}(?:[.,]5)?)\b"
    r"(?!\s*(?:[$€£¥₹%]|total|in\s+total|overall|insgesamt|en\s+total|au\s+total|weeks?\b))",
    re.IGNORECASE,
)


def _hours_edit(said: str) -> float | None:
    m = HOURS_EDIT.search(said)
    if m is None:
        return None
    hours = float(m.group("a").replace(",", "."))
    return hours if 0 < hours <= WEEK_HOURS else None


def _edit_skills_and_languages(tools: Tools, new: JobDraft, said: str) -> list[str]:
    """Add or drop the skills and languages ``said`` names; remarks on those already so."""
    adds = _polarity(said)
    asked_languages = set(read_languages(said)) | (
        set() if LANGUAGE_CONTEXT.search(said) is None else {"*"}
    )
    language_words: set[str] = set()
    remarks: list[str] = []
    for start, word, code in _language_words(said):
        if word.islower() and word in LANGUAGE_CODES and code not in asked_languages:
            continue  # "polish the copy" is not about Polish
        skill = LANGUAGE_SKILLS.get(code, "")
        if not adds(start):  # "ohne Spanisch", "sin inglés": the language and its skill go
            language_words.update({word.lower(), skill.lower()})
            if code in new.languages:
                new.languages.remove(code)
            if skill in new.skills:
                new.skills.remove(skill)
        elif code in asked_languages or "*" in asked_languages:
            language_words.update({word.lower(), skill.lower()})
            if code in new.languages:
                remarks.append(f"{skill or code} is already required")
            else:
                new.languages.append(code)
    for mention in tools.extractor.extract(said):
        if mention.name.lower() in language_words or not freelance_skill(tools, mention.name):
            continue
        if adds(mention.start) and mention.name in new.skills:
            remarks.append(f"{mention.name} is already in the draft")
        elif adds(mention.start):
            new.skills.append(mention.name)
        elif mention.name in new.skills:
            new.skills.remove(mention.name)
        else:
            remarks.append(f"{mention.name} was not in the draft")
    return list(dict.fromkeys(remarks))


def _language_words(said: str) -> list[tuple[int, str, str]]:
    """The language names of ``said`` as (offset, word, code), in order.

    English names, and the names in the languages clients write in ("inglés", "Deutsch",
    "français": :mod:`~tandem.companion.languages`).
    """
    found = {
        m.start(): (m.start(), m.group(1), LANGUAGE_CODES[m.group(1).lower()])
        for m in re.finditer(r"\b(" + "|".join(LANGUAGE_CODES) + r")\b", said, re.IGNORECASE)
    }
    for n in language_names(said):
        found.setdefault(n.start, (n.start, said[n.start : n.end], n.code))
    return [found[k] for k in sorted(found)]


def _polarity(text: str) -> Callable[[int], bool]:
    """Whether a word starting at an offset of ``text`` is added (True) or dropped."""
    cues = [(m.end(), m.group("add") is not None) for m in CUE.finditer(text)]
    swap = REPLACE.search(text)
    if swap is not None:
        cues += [(swap.start("old"), False), (swap.start("new"), True)]
    cues.sort()
    negated: list[tuple[int, int]] = []  # the clauses that end in "... is not needed"
    for m in NOT_NEEDED.finditer(text):
        breaks = [b.end() for b in CLAUSE_BREAK.finditer(text, 0, m.start())]
        negated.append((breaks[-1] if breaks else 0, m.start()))

    def adds(offset: int) -> bool:
        if any(start <= offset < end for start, end in negated):
            return False
        said = [add for end, add in cues if end <= offset]
        return said[-1] if said else True

    return adds


def changes(old: JobDraft, new: JobDraft) -> list[str]:
    """What differs between two drafts, in words ("budget: $300 in total → $400 in total")."""
    out: list[str] = []
    if old.title != new.title:
        out.append(f"title: “{old.title}” → “{new.title}”")
    money = [(d.budget_type, d.budget_min, d.budget_max, d.currency) for d in (old, new)]
    if money[0] != money[1]:
        out.append(f"budget: {_money(old)} → {_money(new)}")
    if old.duration_weeks != new.duration_weeks:
        out.append(f"duration: {_weeks(old.duration_weeks)} → {_weeks(new.duration_weeks)}")
    if old.hours_per_week != new.hours_per_week:
        out.append(f"hours: {_hours(old.hours_per_week)} → {_hours(new.hours_per_week)}")
    if old.experience_level != new.experience_level:
        out.append(f"level: {old.experience_level or 'not given'} → {new.experience_level}")
    if old.category != new.category:
        out.append(f"category: {old.category or 'none'} → {new.category or 'none'}")
    out += [f"added skill {s}" for s in new.skills if s not in old.skills]
    out += [f"removed skill {s}" for s in old.skills if s not in new.skills]
    out += [f"added language {c}" for c in new.languages if c not in old.languages]
    out += [f"removed language {c}" for c in old.languages if c not in new.languages]
    return out


def _money(draft: JobDraft) -> str:
    if draft.budget_min is None and draft.budget_max is None:
        return f"{draft.budget_type} (amount not given)" if draft.budget_type else "not given"
    return money_text(draft)


def _weeks(weeks: float | None) -> str:
    return "not given" if weeks is None else counted(weeks, "week")


def _hours(hours: float | None) -> str:
    return "not given" if hours is None else f"{hours:g} a week"


def _content_words(text: str) -> set[str]:
    words = re.findall(r"[^\W\d_]{3,}", text.lower())
    return {w for w in words if w not in STOP}


def _drop_clauses(body: str, stale: Callable[[str], bool]) -> str:
    """The body without the short clauses that stated a value the client just changed."""
    parts = CLAUSE.findall(body)
    kept = [p for p in parts if not (stale(p) and len(p.split()) <= 6)]
    if len(kept) == len(parts) or not kept:
        return body
    text = "".join(kept).strip()
    return re.sub(r"[,;:]$", ".", text)


def _append(body: str, said: str) -> str:
    """More about the work, once: a sentence already in the body is not repeated."""
    sentence = said.strip()
    if not sentence or sentence.lower().rstrip(".!?") in body.lower():
        return body
    sentence = sentence[:1].upper() + sentence[1:]
    if sentence[-1] not in ".!?":
        sentence += "."
    return f"{body} {sentence}".strip()
