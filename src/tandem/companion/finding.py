"""Find talent from a request in words, then refine it turn by turn ("cheaper", "must know Stripe").

The request becomes an explicit :class:`tandem.engine.TalentQuery` (words + filters) that the
person can read; each follow-up changes that query and says how. Nothing is hidden: the
filters applied are listed with every answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from tandem.companion.drafts import stated_skills
from tandem.companion.money import read_budget
from tandem.domain.money import to_usd
from tandem.domain.zones import resolve_zone

if TYPE_CHECKING:
    from tandem.companion.tools import Tools
    from tandem.domain import MatchRanking
    from tandem.engine import TalentQuery, UserView

COUNTRIES = {
    "germany": "DE", "india": "IN", "pakistan": "PK", "philippines": "PH", "ukraine": "UA",
    "poland": "PL", "brazil": "BR", "argentina": "AR", "mexico": "MX", "spain": "ES",
    "france": "FR", "portugal": "PT", "italy": "IT", "uk": "GB", "united kingdom": "GB",
    "england": "GB", "usa": "US", "us": "US", "united states": "US", "canada": "CA",
    "nigeria": "NG", "kenya": "KE", "egypt": "EG", "bangladesh": "BD", "vietnam": "VN",
    "indonesia": "ID", "serbia": "RS", "netherlands": "NL", "australia": "AU",
}  # fmt: skip
IN_COUNTRY = re.compile(
    r"\b(?:in|from|based in|located in)\s+(?:the\s+)?([a-z][a-z ]{1,20}?)\b"
    r"(?=[,.;!?]|\s+(?:who|with|under|below|and|that)|$)",
    re.IGNORECASE,
)
SUCCESS = re.compile(
    r"(\d{2,3})\s*%?\s*\+?\s*(?:job\s+success|jss|success)|"
    r"(?:job\s+success|jss)\s*(?:of|over|above|at\s+least|>=?)?\s*(\d{2,3})",
    re.IGNORECASE,
)
MUST_KNOW = re.compile(
    r"\b(?:must|should|needs? to|has to)\s+(?:know|have|use)\s+(.+?)(?:[,.;!?]|$)", re.IGNORECASE
)
CHEAPER = re.compile(r"\b(?:cheaper|less expensive|lower (?:rate|price)|more affordable)\b", re.I)
NEWCOMERS = re.compile(r"\b(?:newcomers?|new talent|new freelancers?|no history)\b", re.I)
AVAILABLE = re.compile(r"\bavailable\b", re.I)
_ZONE_WORDS = r"((?:[A-Za-z][\w/+:-]*\s*){1,3})"
#: "overlaps with CET", "timezone: Europe/Berlin", "in EST hours", "during CET", "within UTC+2".
OVERLAP = [
    re.compile(r"\boverlap(?:s|ping)?\s+(?:with\s+)?(?:the\s+)?" + _ZONE_WORDS, re.I),
    re.compile(r"\btime\s?zone\s*:?\s*" + _ZONE_WORDS, re.I),
    re.compile(
        r"\b(?:in|during|within)\s+(?:the\s+)?((?:[A-Za-z][\w/+:-]*\s+){1,3})"
        r"(?:time|hours|business hours|working hours|time\s?zone)\b",
        re.I,
    ),
    re.compile(r"\b(?:in|during|within)\s+([A-Z]{2,5}(?:[+-]\d{1,2})?)\b"),
]
#: An amount with its currency and unit: "$40/h", "40 dollars an hour", "€35 per hour", "5k".
AMOUNT = re.compile(
    r"(?:[$€£₹¥]|\b(?:usd|eur|gbp|inr)\s?)?\d[\d,.]*\s*k?\s*"
    r"(?:(?:us\s)?dollars?|usd|euros?|eur|pounds?|gbp|rupees?|inr|bucks)?"
    r"(?:\s*(?:/\s?h(?:ou)?r?\b|/\s?hour|per\s+hour|an\s+hour|a\s+hour|hourly|p/h))?",
    re.IGNORECASE,
)
FILLER = re.compile(
    r"\b(?:find|show|get|me|a|an|some|please|i need|looking for|who|that|"
    r"under|below|max(?:imum)?|up to|busco|buscamos|buscar|b[uú]scame|encuentra|enc[uú]entrame|"
    r"je\s+cherche|nous\s+cherchons|cherche|trouve|trouver|ich\s+suche|wir\s+suchen|suche|finde|"
    r"procuro|procuramos|encontre|cerco|cerchiamo|trova|trovami)\b",
    re.I,
)


@dataclass
class Turn:
    """One exchange: what was asked, the query it led to, what changed, and the results."""

    said: str
    query: TalentQuery
    changes: list[str]
    ranking: MatchRanking


@dataclass
class FindSession:
    """A search a person refines in conversation."""

    acting: UserView
    turns: list[Turn] = field(default_factory=list)

    @property
    def query(self) -> TalentQuery | None:
        """The query as it stands."""
        return self.turns[-1].query if self.turns else None

    def ask(self, text: str) -> Turn:
        """A first request, or a follow-up that refines the current query."""
        current = self.query
        query, changes = (
            start(self.acting, text)
            if current is None
            else refine(self.acting, current, text, rates_usd(self.turns[-1].ranking))
        )
        ranking = self.acting.search_talent(query)
        turn = Turn(text, query, changes, ranking)
        self.turns.append(turn)
        return turn


#: "add Docker", "añade Docker", "ajoute Docker", "also Kubernetes": skills a search must have.
ADD_SKILL = re.compile(
    r"^\s*(?:please\s+)?(?:add|also|plus|with|añade|agrega|con|ajoute(?:z)?|avec|"
    r"füge|mit|adicione|com)\b(?P<rest>.+)$",
    re.IGNORECASE,
)


def _max_rate_usd(text: str) -> float | None:
    """The hourly rate a request caps, in USD; None when its amount is no hourly rate.

    A total ("budget 2500 dollars", "$2,000 in total") or a price per unit ("0,08 € por
    palabra", "$50 per video") never becomes a rate filter: only an hourly amount, or one that
    says nothing of how it is paid and is small enough to be a rate ("under $40").
    """
    budget = read_budget(text)
    if budget.maximum is None or budget.kind == "fixed" or budget.per is not None:
        return None
    return to_usd(budget.maximum, budget.currency or "USD")


def start(tools: Tools, text: str) -> tuple[TalentQuery, list[str]]:
    """The first query of a session, and the filters read from the request."""
    from tandem.engine import TalentQuery

    changes: list[str] = []
    asked = _zone_asked(text)
    words = _words(text.replace(asked[1], " ") if asked else text)
    query = TalentQuery(text=_with_skills(tools, words, text), top=10)
    rate = _max_rate_usd(text)
    if rate is not None:
        query.max_rate = rate
        changes.append(f"rate at most ${rate:,.0f}/h")
    else:
        changes += _not_a_rate(text)
    return _common(tools, query, text, changes)


def _with_skills(tools: Tools, words: str, text: str) -> str:
    """The search words, and the skills the request names in the taxonomy's words.

    Profiles are searched by their words, and a request in Spanish names its trade in words
    a profile in English or French does not have: "Busco traductor de inglés a español"
    reached the search as "Busco traductor de inglés español" and found nobody, though
    translators were there. The draft's reader knows "traductor" is Translation and the pair
    English and Spanish (:func:`tandem.companion.drafts.stated_skills`), so the search looks
    for those words too: the skills named, never ones guessed from other words ("a designer"
    is no Fashion Design). They widen the search; they are no filter ("must know" is one).
    """
    named = stated_skills(tools, text, tools.reader.named(text))
    missing = [s for s in named if s.lower() not in words.lower()]
    return " ".join([words, *missing]).strip()


def _not_a_rate(text: str) -> list[str]:
    """What a search says of an amount that is no hourly rate (a total, a price per unit)."""
    budget = read_budget(text)
    if budget.maximum is None:
        return []
    amount = f"{budget.maximum:,.2f}".rstrip("0").rstrip(".") + f" {budget.currency or ''}"
    if budget.per:
        what = f"{amount.strip()} {budget.per}"
        return [f"no rate filter ({what} is a price per unit, not an hourly rate)"]
    if budget.kind != "fixed":
        return []
    return [f"no rate filter ({amount.strip()} is a total budget, not an hourly rate)"]


def rates_usd(ranking: MatchRanking) -> list[float]:
    """The hourly rates shown, in USD (what "cheaper" is relative to)."""
    rates = (to_usd(r.hourly_rate, r.currency) for r in ranking.results)
    return [rate for rate in rates if rate is not None]


def refine(
    tools: Tools, query: TalentQuery, text: str, shown_rates_usd: list[float]
) -> tuple[TalentQuery, list[str]]:
    """Apply a follow-up ("cheaper", "must know Stripe", "only 90%+", "show newcomers too")."""
    new = replace(query, skills=list(query.skills))
    changes: list[str] = []
    if CHEAPER.search(text):
        rates = sorted(shown_rates_usd) or [new.max_rate or 0.0]
        ceiling = (new.max_rate or rates[len(rates) // 2]) * 0.8
        new.max_rate = round(ceiling, 2)
        changes.append(f"rate at most ${ceiling:,.0f}/h (cheaper)")
    rate = _max_rate_usd(text)
    if rate is not None:
        new.max_rate = rate
        changes.append(f"rate at most ${rate:,.0f}/h")
    if NEWCOMERS.search(text):
        if new.min_job_success is not None:
            new.min_job_success = None
            changes.append("newcomers included (no job-success minimum)")
        else:
            changes.append("newcomers were already included (no job-success minimum)")
    return _common(tools, new, text, changes)


def _common(
    tools: Tools, query: TalentQuery, text: str, changes: list[str]
) -> tuple[TalentQuery, list[str]]:
    m = SUCCESS.search(text)
    if m:
        query.min_job_success = float(m.group(1) or m.group(2))
        changes.append(f"job success at least {query.min_job_success:g}%")
    must = MUST_KNOW.search(text)
    added = ADD_SKILL.search(text)
    if added and not must:
        for name in tools.reader.names(added.group("rest")):
            if name not in query.skills:
                query.skills.append(name)
                changes.append(f"must know {name}")
    if must:
        for name in tools.reader.names(must.group(1)) or [must.group(1).strip()]:
            if name not in query.skills:
                query.skills.append(name)
                changes.append(f"must know {name}")
    if AVAILABLE.search(text) and not query.available:
        query.available = True
        changes.append("available now")
    place = IN_COUNTRY.search(text)
    if place and place.group(1).lower().strip() in COUNTRIES:
        query.country = COUNTRIES[place.group(1).lower().strip()]
        changes.append(f"based in {query.country}")
    asked = _zone_asked(text)
    if asked is not None:
        zone = query.overlap_with = asked[0]
        changes.append(
            f"working hours overlap with {zone} (clocks at most {query.max_hours_apart:g} h apart)"
        )
    return query, changes


def _zone_asked(text: str) -> tuple[str, str] | None:
    """The time zone a request wants overlap with, and the words that said it."""
    for pattern in OVERLAP:
        for m in pattern.finditer(text):
            words = m.group(1).split()
            for n in range(min(3, len(words)), 0, -1):  # longest first: "us east coast"
                phrase = " ".join(words[:n])
                if resolve_zone(phrase) is not None:
                    return phrase, m.group(0)
    return None


def _words(text: str) -> str:
    """The words to search for: the request without filler, amounts and filters."""
    cleaned = re.sub(r"\d+\s*%\+?\s*(?:job success|jss)?", " ", text, flags=re.I)
    cleaned = AMOUNT.sub(" ", cleaned)
    cleaned = FILLER.sub(" ", cleaned)
    return " ".join(cleaned.split())
