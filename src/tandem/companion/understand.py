"""Deterministic understanding of a client's request: duration, hours a week, experience level.

Small, explicit rules in several languages; money lives in :mod:`tandem.companion.money`.
"""

from __future__ import annotations

import re
from typing import Literal

Level = Literal["entry", "intermediate", "expert"]

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "couple": 2,
    "few": 3, "several": 4, "un": 1, "une": 1, "uno": 1, "una": 1, "dos": 2, "tres": 3,
    "deux": 2, "trois": 3, "ein": 1, "eine": 1, "einen": 1, "zwei": 2, "drei": 3,
    "cuatro": 4, "cinco": 5, "seis": 6, "quatre": 4, "cinq": 5, "vier": 4, "fünf": 5,
    "sechs": 6, "duas": 2, "três": 3, "quatro": 4, "due": 2, "tre": 3, "quattro": 4,
    "cinque": 5, "sei": 6, "twee": 2, "drie": 3, "dwa": 2, "dwie": 2, "trzy": 3,
    "cztery": 4,
}  # fmt: skip
UNIT_WEEKS = {
    "day": 1 / 7, "days": 1 / 7, "week": 1.0, "weeks": 1.0, "wk": 1.0, "wks": 1.0,
    "fortnight": 2.0, "fortnights": 2.0,
    "month": 4.345, "months": 4.345, "mo": 4.345, "year": 52.0, "years": 52.0,
    "semana": 1.0, "semanas": 1.0, "mes": 4.345, "meses": 4.345, "semaine": 1.0,
    "semaines": 1.0, "mois": 4.345, "woche": 1.0, "wochen": 1.0, "monat": 4.345,
    "monate": 4.345, "monaten": 4.345, "tage": 1 / 7, "tagen": 1 / 7, "dias": 1 / 7,
    "días": 1 / 7, "jours": 1 / 7, "settimana": 1.0, "settimane": 1.0, "mese": 4.345,
    "mesi": 4.345, "giorni": 1 / 7, "mês": 4.345, "weken": 1.0, "maand": 4.345,
    "maanden": 4.345, "dagen": 1 / 7, "jahr": 52.0, "jahre": 52.0, "años": 52.0, "anni": 52.0,
    "jahren": 52.0, "jaar": 52.0, "dag": 1 / 7,
    "tydzień": 1.0, "tygodnie": 1.0, "tygodni": 1.0, "miesiąc": 4.345, "miesiące": 4.345,
    "miesięcy": 4.345, "dni": 1 / 7, "rok": 52.0, "lata": 52.0,
}  # fmt: skip
_NUM = r"\d+(?:[.,]\d+)?|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
YEAR_UNITS = frozenset({"year", "years", "jahr", "jahre", "jahren", "años", "anni"})
DURATION = re.compile(
    rf"\b(?P<a>{_NUM})(?:\s*(?:-|–|to|or|a|à|bis)\s*(?P<b>{_NUM}))?(?:\s*-\s*|\s*)(?:of\s+)?(?:(?:business|working|calendar)\s+)?"
    rf"(?P<unit>{'|'.join(sorted(UNIT_WEEKS, key=len, reverse=True))})\b",
    re.IGNORECASE,
)
#: Experience, in the languages clients write in.
_EXPERIENCE = r"(?:experience|exp\b|expérience|experiencia|experiência|erfahrung|esperienza)"
#: After a period, what makes it experience: "of experience", "of Go experience", "d'expérience".
EXPERIENCE_AFTER = re.compile(
    rf"^['’]?\s*(?:(?:of|de|d['’]|di|mit)\s*)?(?:[\w+#][\w+#/-]*(?:\.[\w+#/-]+)*\s+){{0,3}}?"
    rf"{_EXPERIENCE}",
    re.IGNORECASE,
)
# Hours a week, years of experience and ages are not how long the job lasts.
NOT_DURATION = re.compile(
    rf"{EXPERIENCE_AFTER.pattern}|"
    r"^\s*(?:old|ago|in\s+business|in\s+operation|per\s+week|a\s+week|/\s*week)",
    re.IGNORECASE,
)
#: After a number of years, what makes them experience rather than the job's length:
#: "3 years with Klaviyo", "5 years in B2B sales", "4 years using Figma".
YEARS_OF_PRACTICE = re.compile(
    r"^['’]?\s*(?:with|in(?!\s+(?:total|business|operation))|using|working|doing|building|designing|writing|as|"
    r"professional|hands-on|relevant|\+)\b",
    re.IGNORECASE,
)
#: "N <unit> of X" lasts N units only when X is the work itself ("6 weeks of work"); otherwise
#: it is how much there is to do ("8 months of bookkeeping to catch up", "2 years of data").
OF_WORK = re.compile(
    r"^\s*of\s+(?:(?:full|part)[-\s]time\s+)?(?:work|effort|development|engagement|support|help|"
    r"collaboration|coding|design|writing|consulting|maintenance|testing|freelance|contract|"
    r"trabajo|travail|arbeit|lavoro|trabalho)\b",
    re.IGNORECASE,
)

#: After a period, what makes it an amount of material rather than the job's length, like
#: "of <material>": "12 months' worth of receipts", and a note before the "of" ("12 months
#: (Jan-Dec) of bank statements").
WORTH_OF = re.compile(r"^(?:['’]s?)?\s*worth\s+of\b", re.IGNORECASE)
NOTE_BEFORE_OF = re.compile(r"^\s*\([^()]{0,40}\)(?=\s*of\s)")
#: Before a period, a stretch of the past ("the last 12 months of statements", "for the past
#: 2 years"): the period the material covers, not how long the work lasts.
PAST_BEFORE = re.compile(r"\b(?:last|past|previous|prior)\s+$", re.IGNORECASE)

WORKLOAD_BEFORE = re.compile(
    r"(?:\b(?:hours?|hrs?|h|times)|\d+\s+\w{3,}s)\s*(?:a|per|every)?\s*$", re.IGNORECASE
)
#: Before "a week" / "a month": a frequency or a price ("4x a week", "twice a month",
#: "$500 a month", "1 lesson a week"), so the phrase is a rate, not how long the work lasts.
RATE_BEFORE = re.compile(
    r"(?:\d\s*x|\b(?:twice|once|thrice)|\d[\d.,]*\s*(?:k|[a-z]{3}|[^\w\s])?|"
    r"\d+\s+(?!(?:within|for|over|in|about|around|under|of)\b)[a-z]{3,})\s*$",
    re.IGNORECASE,
)

#: A number said as a word that counts hours exactly: vague words ("a few", "several",
#: "a couple") and articles are no number of hours a week.
_EXACT_WORDS = "|".join(
    sorted(
        (w for w in NUMBER_WORDS if w not in {"a", "an", "couple", "few", "several"}),
        key=len,
        reverse=True,
    )
)
_HOURS_NUM = rf"\d+(?:[.,]\d+)?|{_EXACT_WORDS}"
#: Hours a week, in the languages drafting reads: "20 hours a week", "20 h/week", "20hrs/wk",
#: "10-15 hours per week", "20 Stunden pro Woche", "20 Wochenstunden", "20 horas por semana",
#: "20 horas semanales", "20 heures par semaine", "20 ore a settimana". The week must follow
#: the hours: "40 hours total", "40 hours over 4 weeks" and "$20/hour for 10 weeks" state no
#: hours a week; an amount of money ("$20 hours") is no number of hours.
HOURS_PER_WEEK = re.compile(
    rf"(?<![\w$€£¥₹.,])(?P<a>{_HOURS_NUM})\+?"
    rf"(?:\s*(?:-|–|to|or|bis|a|à)\s*(?P<b>{_HOURS_NUM})\+?)?\s*"
    r"(?:wochenstunden\b|(?:hours?|hrs?|h|stunden|std\.?|horas?|heures?|ore)\s*"
    r"(?:(?:a|an|per|each|every|/|pro|die|in\s+der|por|a\s+la|par|à\s+la|la|alla|a)\s*"
    r"(?:week|wk|w|woche|semana|semaine|settimana)\b|weekly\b|wöchentlich\b|semanales\b|"
    r"hebdomadaires?\b|settimanali\b))",
    re.IGNORECASE,
)
#: The same named before its number, as an edit says it: "hours per week 20", "weekly hours:
#: 15", "hours a week to 30", "Wochenstunden 25", "horas semanales 10", "heures par semaine 12".
HOURS_PER_WEEK_FIRST = re.compile(
    r"(?:\b(?:hours?|hrs?|stunden|horas|heures|ore)\s*(?:a|an|per|each|every|/|pro|por|par|"
    r"alla)\s*(?:week|wk|woche|semana|semaine|settimana)|\bweekly\s+hours|\bwochenstunden|"
    r"\bhoras\s+semanales|\bheures\s+hebdomadaires|\bore\s+settimanali)\b"
    rf"\s*(?:to|=|:|auf|a|à|en|of)?\s*(?P<a>{_HOURS_NUM})(?![\w.,]*\s*(?:[$€£¥₹%]|weeks?\b))",
    re.IGNORECASE,
)
#: Hours, their number, then the week: "set hours to 25 per week", "Stunden auf 20 pro Woche".
HOURS_THEN_WEEK = re.compile(
    r"\b(?:hours?|hrs?|stunden|horas|heures|ore)\s*(?:to|=|:|of|auf|a|à|en)?\s*"
    rf"(?P<a>{_HOURS_NUM})\s*(?:a|an|per|each|every|/|pro|die|por|par|alla)\s*"
    r"(?:week|wk|woche|semana|semaine|settimana)\b",
    re.IGNORECASE,
)
#: The most hours a week holds (a job's ``hours_per_week`` is at most this).
WEEK_HOURS = 168

LEVELS: dict[Level, tuple[str, ...]] = {
    "expert": ("expert", "senior", "sr.", "seasoned", "highly experienced", "very experienced",
               "tech lead", "team lead", "principal",
               "top-notch", "experienced", "top notch", "experto", "experta", "erfahren",
               "erfahrene", "erfahrenen", "erfahrener",
               "expérimenté", "expérimentée", "sênior", "specialist with 5"),
    "intermediate": ("intermediate", "mid-level", "mid level", "some experience", "intermedio",
                     "solid experience"),
    # "entry" only as a level: "data entry" is a kind of work, not a junior person.
    "entry": ("entry level", "entry-level", "junior", "jr.", "beginner", "newbie", "student",
              "no experience needed", "principiante", "débutant", "débutante", "anfänger",
              "trainee", "intern"),
}  # fmt: skip
#: "Lead" as a rank: before a role ("lead designer"), never the sales word ("lead generation").
LEAD_ROLE = re.compile(
    r"\blead\s+(?!gen(?:eration)?\b|lists?\b|magnets?\b)(?:[\w.+#-]+\s+)?(?:developer|engineer|designer|architect|programmer|writer|editor|"
    r"analyst|scientist|researcher|consultant|animator|illustrator|artist|producer|dev)s?\b"
)
#: Before a level word, a task about other people ("to source senior engineers", "help us
#: mentor junior designers"): their level, not the level asked of the freelancer.
OTHERS_LEVEL = re.compile(
    r"\b(?:to|help\s+(?:us\s+)?)\s*(?:source|recruit|mentor|manage|train|coach|supervise|screen|"
    r"interview|onboard|teach)\s+(?:(?:a|an|the|our|some|new|more|\d+)\s+)?$"
)
#: "3-5 years of Go experience", "4 years with Figma", "at least 6 years in sales".
YEARS = re.compile(
    r"\b(?P<n>\d{1,2})\s*\+?\s*(?:(?:-|–|to)\s*\d{1,2}\s*\+?\s*)?"
    r"(?:years?|yrs?|años|ans|jahren|jahre|anni|anos)\b",
    re.IGNORECASE,
)


def _number(token: str) -> float | None:
    token = token.lower().replace(",", ".")
    if token in NUMBER_WORDS:
        return float(NUMBER_WORDS[token])
    try:
        return float(token)
    except ValueError:
        return None


def read_duration_weeks(text: str) -> float | None:
    """How many weeks the work lasts ("3 weeks" -> 3, "2-3 months" -> 13.0), if said."""
    for m in DURATION.finditer(text):
        rest = NOTE_BEFORE_OF.sub("", text[m.end() :], count=1)
        if (
            NOT_DURATION.match(rest)
            or WORTH_OF.match(rest)
            or (rest.lstrip().lower().startswith("of ") and not OF_WORK.match(rest))
        ):
            continue
        if m.group("unit").lower() in YEAR_UNITS and YEARS_OF_PRACTICE.match(rest):
            continue
        before = text[max(0, m.start() - 12) : m.start()].lower()
        if PAST_BEFORE.search(before):  # "the last 12 months": what the material covers
            continue
        if WORKLOAD_BEFORE.search(before):  # "5 hours a month" is how much, not how long
            continue
        if m.group("a").lower() in ("a", "an") and RATE_BEFORE.search(before):
            continue  # "4x a week", "$500 a month": a rate
        if re.search(r"(within|in the last|since|old|ago)\s*$", before) and "within" not in before:
            continue
        a = _number(m.group("a"))
        b = _number(m.group("b")) if m.group("b") else None
        if a is None:
            continue
        amount = max(a, b) if b is not None else a
        if re.search(r"\bhalf\s+$", before):  # "half a year"
            amount /= 2
        weeks = amount * UNIT_WEEKS[m.group("unit").lower()]
        return round(weeks, 1)
    return None


def read_hours_per_week(text: str) -> float | None:
    """How many hours a week the work takes ("20 hours a week" -> 20, "10-15 h/week" -> 15).

    Only a number of hours said per week (:data:`HOURS_PER_WEEK`); a range takes its upper
    end, as a duration does. Vague words ("part-time", "a few hours a week") give nothing: no
    number is made up for them. More hours than a week holds is no reading.
    """
    for m in HOURS_PER_WEEK.finditer(text):
        a = _number(m.group("a"))
        b = _number(m.group("b")) if m.group("b") else None
        if a is None:
            continue
        hours = max(a, b) if b is not None else a
        if 0 < hours <= WEEK_HOURS:
            return hours
    for m in (*HOURS_PER_WEEK_FIRST.finditer(text), *HOURS_THEN_WEEK.finditer(text)):
        named = _number(m.group("a"))
        if named is not None and 0 < named <= WEEK_HOURS:
            return named
    return None


def read_experience_level(text: str) -> Level | None:
    """The experience level asked for, if the text says (expert wins over entry on a tie)."""
    lowered = text.lower()
    by_years = years_level(text)
    order: tuple[Level, ...] = ("expert", "intermediate", "entry")
    for level in order:
        if by_years == level or (level == "expert" and LEAD_ROLE.search(lowered)):
            return level
        for cue in LEVELS[level]:
            for m in re.finditer(rf"(?<![\w-]){re.escape(cue)}s?(?![\w]|-(?!level))", lowered):
                if not OTHERS_LEVEL.search(lowered[max(0, m.start() - 40) : m.start()]):
                    return level
    return None


def years_level(text: str) -> Level | None:
    """The level a number of years of experience asks for: 5 or more expert, 2-4 intermediate.

    Counts only years that are practice ("3-5 years of Go experience", "4 years with Figma",
    "6+ years"), never the job's length ("a 2 year contract"); a range counts from its low
    end. Fewer than 2 years says nothing (it is how entry and intermediate posts both read).
    """
    found: Level | None = None
    for m in YEARS.finditer(text):
        rest = text[m.end() :]
        practice = EXPERIENCE_AFTER.match(rest) or YEARS_OF_PRACTICE.match(rest)
        if "+" not in m.group() and not practice:
            continue
        n = int(m.group("n"))
        level: Level | None = "expert" if n >= 5 else "intermediate" if n >= 2 else None
        if level == "expert":
            return level
        found = found or level
    return found
