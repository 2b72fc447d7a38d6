"""Find talent from a request in words, then refine it turn by turn ("cheaper", "must know Stripe").

The request becomes an explicit :class:`tandem.engine.TalentQuery` (words + filters) that the
person can read; each follow-up changes that query and says how. Nothing is hidden: the
filters applied are listed with every answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from tandem.companion.money import read_budget
from tandem.domain.money import to_usd

if TYPE_CHECKING:
    from tandem.domain import MatchRanking
    from tandem.engine import Engine, TalentQuery

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
FILLER = re.compile(
    r"\b(?:find|show|get|me|a|an|some|please|i need|looking for|who|that|"
    r"overlaps? with \w+|under|below|max(?:imum)?|up to)\b",
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

    engine: Engine
    turns: list[Turn] = field(default_factory=list)

    @property
    def query(self) -> TalentQuery | None:
        """The query as it stands."""
        return self.turns[-1].query if self.turns else None

    def ask(self, text: str) -> Turn:
        """A first request, or a follow-up that refines the current query."""
        from tandem.engine import Requester

        current = self.query
        query, changes = (
            start(self.engine, text)
            if current is None
            else refine(self.engine, current, text, self.turns[-1].ranking)
        )
        ranking = self.engine.serve_search_talent(query, Requester("companion", "companion"))
        turn = Turn(text, query, changes, ranking)
        self.turns.append(turn)
        return turn


def _max_rate_usd(text: str) -> float | None:
    budget = read_budget(text)
    if budget.maximum is None:
        return None
    return to_usd(budget.maximum, budget.currency or "USD")


def start(engine: Engine, text: str) -> tuple[TalentQuery, list[str]]:
    """The first query of a session, and the filters read from the request."""
    from tandem.engine import TalentQuery

    changes: list[str] = []
    query = TalentQuery(text=_words(text), top=10)
    rate = _max_rate_usd(text)
    if rate is not None:
        query.max_rate = rate
        changes.append(f"rate at most ${rate:,.0f}/h")
    return _common(engine, query, text, changes)


def refine(
    engine: Engine, query: TalentQuery, text: str, last: MatchRanking
) -> tuple[TalentQuery, list[str]]:
    """Apply a follow-up ("cheaper", "must know Stripe", "only 90%+", "show newcomers too")."""
    new = replace(query, skills=list(query.skills))
    changes: list[str] = []
    if CHEAPER.search(text):
        rates = sorted(r.hourly_rate for r in last.results) or [new.max_rate or 0.0]
        ceiling = (new.max_rate or rates[len(rates) // 2]) * 0.8
        new.max_rate = round(ceiling, 2)
        changes.append(f"rate at most ${ceiling:,.0f}/h (cheaper)")
    rate = _max_rate_usd(text)
    if rate is not None:
        new.max_rate = rate
        changes.append(f"rate at most ${rate:,.0f}/h")
    if NEWCOMERS.search(text) and new.min_job_success is not None:
        new.min_job_success = None
        changes.append("newcomers included (no job-success minimum)")
    return _common(engine, new, text, changes)


def _common(
    engine: Engine, query: TalentQuery, text: str, changes: list[str]
) -> tuple[TalentQuery, list[str]]:
    m = SUCCESS.search(text)
    if m:
        query.min_job_success = float(m.group(1) or m.group(2))
        changes.append(f"job success at least {query.min_job_success:g}%")
    must = MUST_KNOW.search(text)
    if must:
        for name in engine.extractor.names(must.group(1)) or [must.group(1).strip()]:
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
    if re.search(r"\boverlaps? with|time ?zone|\b(?:CET|EST|PST|IST|GMT|UTC)\b", text):
        changes.append("timezone preference noted: shown in each result's reasons, not a filter")
    return query, changes


def _words(text: str) -> str:
    """The words to search for: the request without filler, amounts and filters."""
    cleaned = re.sub(r"[$€£₹]\s?\d[\d,.]*\s*(?:/\s?h\w*|per hour|an hour)?", " ", text)
    cleaned = re.sub(r"\d+\s*%?\+?\s*(?:job success|jss)?", " ", cleaned, flags=re.I)
    cleaned = FILLER.sub(" ", cleaned)
    return " ".join(cleaned.split())
