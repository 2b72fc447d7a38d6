"""Draft a job post from a client's free text, deterministically, with nothing invented.

Every field comes from the text (budget, currency, duration, hours a week, level,
languages, skills) or is left empty, except implied skills: the taxonomy's "implies" links add the
stack a named skill needs (Django -> Python), listed in ``implied_skills`` as well as in
``skills`` so a client sees they were inferred and can drop them. The post itself is a
template filled with those fields and the client's own words (contact details and
instructions aimed at an AI removed). Nothing is posted: the client confirms or edits the draft.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from tandem.companion.guard import split_instructions
from tandem.companion.languages import language_pairs, needed_names, paired_names
from tandem.companion.llm import reword
from tandem.companion.money import BudgetGuess, priced_total, read_budget
from tandem.companion.titles import title as make_title
from tandem.companion.understand import (
    read_duration_weeks,
    read_experience_level,
    read_hours_per_week,
)
from tandem.domain.fields import MAX_LONG_TEXT
from tandem.errors import ValidationError
from tandem.skills.cognates import cognate_skills
from tandem.skills.trades import trade_skills
from tandem.skills.verbs import verb_skills
from tandem.text import bounded_spaces, find_pii, redact
from tandem.text.counts import counted

if TYPE_CHECKING:
    from tandem.companion.tools import Tools
    from tandem.skills.reader import FoundSkill

LANGUAGE_CODES = {
    "english": "en", "spanish": "es", "french": "fr", "german": "de", "italian": "it",
    "portuguese": "pt", "dutch": "nl", "polish": "pl", "russian": "ru", "ukrainian": "uk",
    "arabic": "ar", "hindi": "hi", "japanese": "ja", "korean": "ko", "chinese": "zh",
    "mandarin": "zh", "turkish": "tr", "swedish": "sv", "norwegian": "no", "danish": "da",
    "finnish": "fi", "greek": "el", "hebrew": "he", "vietnamese": "vi", "thai": "th",
    "indonesian": "id", "tagalog": "tl", "romanian": "ro", "czech": "cs", "hungarian": "hu",
}  # fmt: skip
LANGUAGE_NEED = re.compile(
    r"\b(?:fluent|native|bilingual|proficient)\s+(?:in\s+)?(\w+)|\b(\w+)\s+(?:speaker|speaking|"
    r"native|fluency|required|is\s+a\s+must)\b|\b(?:speak|speaks|write|writes)\s+(\w+)",
    re.IGNORECASE,
)
#: ISO 639-1 code -> the taxonomy's skill for that language ("en" -> English).
LANGUAGE_SKILLS = {code: word.capitalize() for word, code in reversed(LANGUAGE_CODES.items())}
#: A contact detail already redacted (what the companion's messages arrive as).
REDACTED = re.compile(r"\[(?:email|phone|link)\]")
#: A redacted contact detail and the words that introduce it ("call me at [phone]").
CONTACT = re.compile(
    r"[,;]?\s*(?:\b(?:call|email|e-mail|contact|reach|text|whatsapp|phone|mail|write)\b"
    r"(?:\s+me)?(?:\s+(?:at|on|via))?\s*:?\s*)?\[(?:email|phone|link)\](?:\s+(?:or|and))?",
    re.IGNORECASE,
)
NOTE = "Drafted by Tandem's AI assistant: nothing is posted until you confirm or edit it."
#: At most this many skills in a draft, stated and implied together.
MAX_SKILLS = 12
CURRENCY_SIGNS = {"USD": "$", "EUR": "€", "GBP": "£", "INR": "₹", "JPY": "¥"}


@dataclass
class JobDraft:
    """A job post the client still has to confirm."""

    title: str
    description: str
    skills: list[str]
    budget_type: str | None
    budget_min: float | None
    budget_max: float | None
    currency: str | None
    duration_weeks: float | None
    experience_level: str | None
    #: Hours a week the work takes, when the request says a number of them ("20 hours a
    #: week"); the posted job's ``hours_per_week``, which match reasons compare a freelancer's
    #: availability with and a fixed budget's price is estimated from.
    hours_per_week: float | None = None
    languages: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: The entries of ``skills`` the text did not state but a stated skill implies.
    implied_skills: list[str] = field(default_factory=list)
    #: The market category the skills belong to (the taxonomy's), a suggestion the client sees
    #: before confirming; None when the skills name no category (the job stays uncategorised).
    category: str | None = None
    #: Whether the client chose ``category`` ("the category is Design & Creative"); until then
    #: it follows the skills.
    category_chosen: bool = False
    #: Skills the client removed from the draft: the posted job keeps them out of what a match
    #: reads from its description (``Job.excluded_skills``), so a removed skill stays removed.
    removed_skills: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The JSON the CLI and the API print."""
        return asdict(self)


def read_languages(text: str) -> list[str]:
    """The languages the text asks for, as ISO 639-1 codes.

    A stated need ("fluent in Spanish" -> es, "Deutsch erforderlich" -> de, "se requiere
    inglés" -> en) or a pair, in the languages clients write in ("de inglés a español",
    "Deutsch-Englisch" -> both: see :mod:`tandem.companion.languages`).
    """
    found: list[str] = []
    for m in LANGUAGE_NEED.finditer(text):
        word = next(g for g in m.groups() if g).lower()
        code = LANGUAGE_CODES.get(word)
        if code and code not in found:
            found.append(code)
    found += [c for c in dict.fromkeys(n.code for n in needed_names(text)) if c not in found]
    return found + [c for c in language_pairs(text) if c not in found]


def _amount(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 or value == int(value) else f"{value:,.2f}"


def money_text(draft: JobDraft) -> str:
    """The budget as a post says it: "$60-80 per hour", "500 CHF in total" (one must be set)."""
    sign = CURRENCY_SIGNS.get(draft.currency or "", "")
    code = "" if sign or not draft.currency else f" {draft.currency}"
    low = f"{sign}{_amount(draft.budget_min)}" if draft.budget_min is not None else ""
    high = f"{sign}{_amount(draft.budget_max)}" if draft.budget_max is not None else ""
    amount = f"{low}-{high}" if low and high and low != high else (high or f"from {low}")
    unit = (
        " per hour" if draft.budget_type == "hourly" else " in total" if draft.budget_type else ""
    )
    return f"{amount}{code}{unit}"


class Cleaned(NamedTuple):
    """A client's words made safe to draft from, and notes on what was removed."""

    text: str
    notes: list[str]


def clean(text: str) -> Cleaned:
    """The text with contact details and sentences addressed to an AI removed."""
    notes: list[str] = []
    if find_pii(text) or REDACTED.search(text):  # the companion redacts at its door
        notes.append("Contact details were removed: share them only after you hire someone.")
    kept, dropped = split_instructions(bounded_spaces(redact(text)))
    if dropped:
        notes.append("Sentences addressed to an AI were treated as text and left out of the post.")
    return Cleaned(re.sub(r"\s{2,}", " ", CONTACT.sub("", kept)).strip(" ,;"), notes)


def draft_job(tools: Tools, text: str) -> JobDraft:
    """A draft from free text (PII removed first, instructions treated as data)."""
    if not text.strip():
        raise ValidationError("tell me about the work first: what needs doing, budget, timing")
    size = len(bounded_spaces(text))  # as a post's text is counted: long blank runs cut
    if size > MAX_LONG_TEXT:  # a post's description holds no more; every face drafts here
        raise ValidationError(
            f"a request is at most {MAX_LONG_TEXT:,} characters (this one has {size:,}): "
            "describe the work in fewer words"
        )
    cleaned = clean(text)
    draft = read_fields(tools, cleaned.text)
    draft.notes = [NOTE, *cleaned.notes, *per_unit_note(cleaned.text, draft)]
    return finish(tools, draft, cleaned.text)


def job_budget(text: str) -> BudgetGuess:
    """The budget as the client stated it: a price per unit stays the price of one unit.

    "0,08 € por palabra, 10.000 palabras" keeps 0.08 € with no type: it is no total and no
    hourly rate, and a job posted from it has no budget (:func:`per_unit_note` says so and
    offers the total the message counts, :func:`~tandem.companion.money.priced_total`). The
    draft never turns a price into a sum the client did not write: they confirm a total.
    """
    return read_budget(text)


def per_unit_note(text: str, draft: JobDraft) -> list[str]:
    """What a draft says of a price per unit: posted without a budget, and the total offered.

    The total is the client's to confirm ("make the budget 800 EUR"), never set for them.
    """
    budget = read_budget(text)
    if budget.count is not None and budget.maximum is not None and draft.budget_type == "fixed":
        price = f"{_amount(budget.maximum)} {budget.currency or ''}".strip()
        whole = f"{_amount(budget.maximum * budget.count)} {budget.currency or ''}".strip()
        return [  # "3 at $1,000 fixed": the post's budget is what was said, the total offered
            f"{price} is the price of each of {budget.count}: the budget says {price}; for "
            f'the whole job of {whole}, say "make the budget {whole}".'
        ]
    if budget.per is None or budget.maximum is None or draft.budget_type is not None:
        return []
    price = f"{_amount(budget.maximum)} {budget.currency or ''}".strip()
    note = (
        f"{price} {budget.per} is a price per unit, not a total or an hourly rate: the job "
        "will be posted without a budget unless you give one."
    )
    total = priced_total(text, budget)
    if total is not None and total.maximum is not None:
        whole = f"{_amount(total.maximum)} {total.currency or ''}".strip()
        note += f' The units your message counts come to {whole}: say "make the budget {whole}".'
    return [note]


def read_fields(tools: Tools, text: str) -> JobDraft:
    """Every field the (clean) text states; title and description are left empty."""
    budget = job_budget(text)
    found = tools.reader.read(text)
    named = [f for f in found if f.how == "named"]
    spans = " ".join(f.span for f in named)  # "security audit" asks for no Auditing as well
    stated = stated_skills(
        tools, text, named + [f for f in found if asked_as_verb(f.name, f.span, spans)]
    )
    skills = list(stated)
    if len(skills) < 2:  # thin: add what the text describes in other words
        skills = list(dict.fromkeys(skills + [f.name for f in found if f.how == "described"]))[:8]
    if len(skills) < 2:  # a request in Spanish, French, Portuguese or Italian
        cognates = [n for n, _ in cognate_skills(tools.taxonomy, text) if freelance_skill(tools, n)]
        skills = list(dict.fromkeys(skills + cognates))
    skills = skills[:MAX_SKILLS]
    implied = implied_skills(tools, [n for n in stated if n in skills])
    implied = [s for s in implied if s not in skills][: MAX_SKILLS - len(skills)]
    return JobDraft(
        title="",
        description="",
        skills=skills + implied,
        implied_skills=implied,
        budget_type=budget.kind,
        budget_min=budget.minimum,
        budget_max=budget.maximum,
        currency=budget.currency,
        duration_weeks=read_duration_weeks(text),
        experience_level=read_experience_level(text),
        hours_per_week=read_hours_per_week(text),
        languages=read_languages(text),
    )


def finish(tools: Tools, draft: JobDraft, body: str, *, title: str | None = None) -> JobDraft:
    """Title (``title`` when the client chose one) and description from the fields and ``body``.

    Run again after every edit, so the post never says something its fields do not.
    """
    draft.implied_skills = [s for s in draft.implied_skills if s in draft.skills]
    if not draft.category_chosen:
        draft.category = suggest_category(tools, draft.skills, draft.implied_skills)
    draft.title = title or make_title(tools, draft.skills, draft.experience_level, body)
    worded = reword(
        tools.llm,
        _description(draft, without_field_values(body, draft.skills)),
        [body, draft.title],
        skills_in=tools.extractor.names,
        allowed_skills=draft.skills,
    )
    draft.description = worded.text
    draft.notes = [n for n in draft.notes if not n.startswith("The language model")]
    if worded.note:
        draft.notes.append(worded.note)
    return draft


def stated_skills(tools: Tools, text: str, named: list[FoundSkill]) -> list[str]:
    """The skills the text names, in the order it names them, in English or in its own words.

    ``named``: what the reader found named, and activities asked for by their verb.

    An English request asks for its work by its verbs ("transcribe 10 interviews", "write my
    CV": :mod:`tandem.skills.verbs`); those skills count as named too, in its opening words
    (the request itself: "Migrate our MySQL database to PostgreSQL") or when the text names
    fewer than two skills, counting those they imply. Past its opening a text that names
    its skills is left to them:
    in a longer post the verbs describe the steps of the work ("optimize the performance",
    "troubleshoot issues") more often than the skills asked for.

    A request not in English names its trade in its own words ("Traductor de inglés a
    español", "Comptable pour ...": :mod:`tandem.skills.trades`), and a translation its two
    languages in whatever language it is written in (English and Spanish, where the
    taxonomy's aliases know "español" but not "inglés"). Those skills count as named, however
    many others the text names, and take their place in the text's order, so the title leads
    with the trade (Translator), not with a language it mentions.
    """
    where: dict[str, int] = {}
    for mention in tools.extractor.extract(text):
        where.setdefault(mention.name, mention.start)
    trades = [w for w in trade_skills(tools.taxonomy, text) if freelance_skill(tools, w.name)]
    verbs = [v for v in verb_skills(tools.taxonomy, text) if freelance_skill(tools, v.name)]
    at: dict[str, int] = {}
    for f in named:
        start = where.get(f.name, max(text.find(f.span), 0))
        inside = any(
            w.start <= start and start + len(f.span) <= w.start + len(w.words) for w in trades
        )  # a longer phrase wins over a word in it: "editor de vídeo" is no Editing
        if freelance_skill(tools, f.name) and not inside:
            at.setdefault(f.name, start)
    for word in trades:
        at[word.name] = min(at.get(word.name, word.start), word.start)
    # thin: fewer than two skills named or implied by them (a language of a pair is no work)
    thin = len(set(at) | set(implied_skills(tools, list(at)))) < 2
    opening = _opening_end(text)
    for verb in verbs:  # "transcribe 10 interviews": Transcription, asked for by its verb
        if thin or verb.start < opening:
            at[verb.name] = min(at.get(verb.name, verb.start), verb.start)
    for language in paired_names(text):  # "de inglés a español": English and Spanish
        name = LANGUAGE_SKILLS.get(language.code, "")
        if freelance_skill(tools, name):
            at[name] = min(at.get(name, language.start), language.start)
    return sorted(at, key=lambda name: at[name])


#: The end of a one-word activity's name ("Translation", "Proofreading", "Animation").
ACTIVITY = re.compile(r"[a-z]{3}(?:ing|tion|sion|ment|ance)$")
#: Endings of an English verb: "translated", "proofreads", "illustrating" -> the stem.
VERB_ENDING = re.compile(r"(?:ing|ed|es|e|s)$")


def asked_as_verb(name: str, evidence: str, named: str = "") -> bool:
    """Whether the words the linker read a one-word activity from ask for it by its verb.

    "Translate my website" -> Translation, "proofread my thesis" -> Proofreading: a verb
    whose stem (five letters or more) starts the activity's name is that activity asked
    for, as surely as its name would be; the linker found it, the extractor reads nouns only.
    A word of ``named`` (the spans of the skills the text names) is no verb of another skill,
    and the noun itself is no verb: the extractor left it out on purpose when it did (an
    everyday word: "compliance", "research").
    """
    noun = name.lower()
    if " " in noun or not ACTIVITY.search(noun):  # "Video Editing" needs more than "edit"
        return False
    taken = set(re.findall(r"[a-z]+", named.lower()))  # words of skills already named
    for word in re.findall(r"[a-z]+", evidence.lower()):
        if word in taken or word.startswith(noun):  # the noun is the extractor's to read
            continue
        stem = VERB_ENDING.sub("", word)
        if len(stem) >= 5 and noun.startswith(stem):
            return True
    return False


#: How many words open a request: a verb among them is what it asks for ("Migrate our MySQL
#: database to PostgreSQL", "Need someone to scrape ...").
OPENING_WORDS = 5


def _opening_end(text: str) -> int:
    """Where the text's first :data:`OPENING_WORDS` words end, within its first sentence."""
    for n, m in enumerate(re.finditer(r"\S+", text), start=1):
        if n == OPENING_WORDS or m.group()[-1] in ".!?":
            return m.end()
    return len(text)


def implied_skills(tools: Tools, named: list[str]) -> list[str]:
    """What the named skills imply (Laravel -> PHP), in the order they were named.

    Only skills the text names imply others: a skill the linker guessed from other words
    is evidence too weak to stack more guesses on.
    """
    out: list[str] = []
    for name in named:
        for other in tools.taxonomy.implied(name):
            if other not in named and other not in out and freelance_skill(tools, other):
                out.append(other)
    return out


def implied_by(tools: Tools, draft: JobDraft) -> dict[str, str]:
    """Each implied skill of ``draft`` and the stated skill that implies it (JavaScript: React).

    What a reply cites as its source: the client named React, not JavaScript. An implied skill
    whose stated skill was removed since has none.
    """
    stated = [s for s in draft.skills if s not in draft.implied_skills]
    out: dict[str, str] = {}
    for name in stated:
        for other in tools.taxonomy.implied(name):
            if other in draft.implied_skills:
                out.setdefault(other, name)
    return out


def suggest_category(tools: Tools, skills: list[str], implied: list[str]) -> str | None:
    """The category most of the stated skills belong to (ties: the first skill's), or None.

    Read from the built-in taxonomy, whose categories are the market's (Web, Mobile & Software
    Dev, Design & Creative, ...); O*NET's commodity groups are not, so they suggest nothing.
    Recomputed whenever the skills change, so it never contradicts them.
    """
    votes: dict[str, int] = {}
    for name in [s for s in skills if s not in implied] or skills:
        skill = tools.taxonomy.get(name)
        if skill is not None and skill.source == "builtin" and skill.category:
            votes[skill.category] = votes.get(skill.category, 0) + 1
    return max(votes, key=lambda c: votes[c]) if votes else None  # max keeps the first of ties


def freelance_skill(tools: Tools, name: str) -> bool:
    """Skills of the kind people hire for (built-in or O*NET), not ESCO's broad competences."""
    skill = tools.taxonomy.get(name)
    return skill is not None and skill.source in ("builtin", "onet")


#: A clause of the client's words: up to and including its comma, semicolon or full stop.
CLAUSE = re.compile(r".+?(?:[,;.!?]+(?=\s|$)|$)", re.S)


def without_field_values(body: str, skills: list[str]) -> str:
    """The client's words without the short clauses that only state a field's value.

    "I need a logo for my bakery, budget $300, within 2 weeks" -> "I need a logo for my
    bakery." The budget, duration and level are the job's fields, shown from the fields; kept in
    the text too, they would say the old value after the client changes the field. A clause
    that also names one of the skills is kept (its words are about the work).
    """
    parts = CLAUSE.findall(body)

    def states_a_field(clause: str) -> bool:
        if len(clause.split()) > 6 or any(s.lower() in clause.lower() for s in skills):
            return False
        budget = read_budget(clause)
        return (
            budget.minimum is not None
            or budget.maximum is not None
            or read_duration_weeks(clause) is not None
            or read_hours_per_week(clause) is not None
            or read_experience_level(clause) is not None
        )

    kept = [p for p in parts if not states_a_field(p)]
    if len(kept) == len(parts) or not kept:
        return body
    return re.sub(r"[,;:]$", ".", "".join(kept).strip())


def _description(draft: JobDraft, text: str) -> str:
    """The post's text: the client's words and the skills it asks for, never a field's value."""
    facts = []
    stated = [s for s in draft.skills if s not in draft.implied_skills]
    if stated:
        facts.append("Skills: " + ", ".join(stated) + ".")
    if draft.implied_skills:  # inferred, so the post says so rather than asking for them
        facts.append("Likely also useful: " + ", ".join(draft.implied_skills) + ".")
    # Budget, duration, hours, level and languages are fields of the job, shown from the fields
    # wherever the job is (its page, the API, the CLI): written into the text as well, they
    # went stale the moment the client changed a field ("Budget: $2,000" after an edit to
    # $3,000). The skills lines stay: the ranker reads which skills are nice-to-have from them.
    body = text.strip()
    if body and body[-1] not in ".!?":
        body += "."
    parts = [
        f"About the work: {body}" if body else "",
        " ".join(facts),
        "In your proposal, please share examples of similar work and how you would start.",
    ]
    return "\n\n".join(p for p in parts if p)


def fields_line(draft: JobDraft) -> str:
    """The draft's fields in one line (the chat and the CLI show them beside the text)."""
    named = [f"{s} (implied)" if s in draft.implied_skills else s for s in draft.skills]
    parts = [f"skills: {', '.join(named) or 'none found'}"]
    if draft.budget_max is not None or draft.budget_min is not None:
        parts.append(f"budget: {money_text(draft)}")
    else:
        parts.append("budget: not given")
    if draft.duration_weeks is not None:
        parts.append(f"duration: {counted(draft.duration_weeks, 'week')}")
    if draft.hours_per_week is not None:
        parts.append(f"hours: {draft.hours_per_week:g} a week")
    if draft.experience_level:
        parts.append(f"level: {draft.experience_level}")
    if draft.languages:
        parts.append(f"languages: {', '.join(draft.languages)}")
    if draft.category:
        how = "" if draft.category_chosen else " (suggested from the skills; say another to change)"
        parts.append(f"category: {draft.category}{how}")
    return "Fields: " + "; ".join(parts) + "."
