"""What the search indexes hold for a record: redacted text, vectors' text, filterable fields."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from tandem.domain import Freelancer, Job
from tandem.domain.money import to_usd
from tandem.text import redact

SkillNormaliser = Callable[[list[str]], list[str]]


class MentionFinder(Protocol):
    """Finds skills in free text: ``text -> [(canonical name, span)]``.

    ``context``: the rest of the record, read only to tell an ambiguous acronym's sense
    ("AD" in an overview is Active Directory when the title says "Windows Server").
    """

    def __call__(self, text: str, *, context: str = "") -> list[tuple[str, str]]:
        """The skills ``text`` names, each with the words that name it."""
        ...


#: Ends the evidence of a skill a text describes in other words ("keep our books" ->
#: Bookkeeping), found with the encoder (``tandem.engine.understanding``), not named.
DESCRIBED = " (described)"


@dataclass
class Document:
    """One indexed record. Text is PII-redacted before it gets here."""

    id: str
    content_hash: str
    text: str
    embed_text: str
    skills: list[str] = field(default_factory=list)
    numbers: dict[str, float] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    #: Skills mentioned outside the skills list: canonical name -> "field: span".
    mentions: dict[str, str] = field(default_factory=dict)


def _num(value: float | None) -> float:
    return math.nan if value is None else float(value)


def profile_texts(f: Freelancer, *, redacted: bool = True) -> list[tuple[str, str]]:
    """A profile's free-text fields as (label, text): where a skill can be mentioned.

    The one list of them: the mention finder reads these (:func:`profile_mentions`), and so
    does the literal look-up of skills the taxonomy does not know (``tandem.rank.literal``),
    which takes them unredacted (``redacted=False``) and redacts only a text it quotes.
    """
    hide = redact if redacted else str
    fields = [("title", f.title), ("overview", hide(f.overview))]
    fields += [(f"portfolio '{p.title}'", hide(f"{p.title}. {p.description}")) for p in f.portfolio]
    return fields


def profile_mentions(f: Freelancer, find: MentionFinder) -> dict[str, str]:
    """Where a profile's free text mentions skills (first mention per skill).

    Each field is read with the whole profile as context: an acronym's sense is the
    profile's ("AD" in the overview of a Windows Server administrator who lists GPO).
    """
    fields = profile_texts(f)
    whole = "\n".join([*(text for _, text in fields), ", ".join(f.skills)])
    found: dict[str, str] = {}
    for name, text in fields:
        for skill, span in find(text, context=whole):
            found.setdefault(skill, f"{name}: '{span}'")
    return found


def with_named_again(
    stored: dict[str, str], named: dict[str, str], skills: list[str]
) -> dict[str, str]:
    """A record's stored mentions with the named ones replaced by ``named`` (read again).

    What an index sync does when another reader named the skills (``tandem.engine.core``):
    naming is cheap, describing takes an encoder pass over the text, the cost of embedding
    it. So the described ones are kept as read, and ordered as a full read orders them:
    after the named, and dropped where the skill is now named or listed in ``skills``.
    """
    listed = {s.lower() for s in skills}
    described = {
        name: where
        for name, where in stored.items()
        if where.endswith(DESCRIBED) and name not in named and name.lower() not in listed
    }
    return {**named, **described}


def profile_embed_text(f: Freelancer, skills: list[str]) -> str:
    """The text a profile is embedded from, and read for the skills it describes (redacted)."""
    return redact(f"{f.title}. Skills: {', '.join(skills)}. {f.overview}")


def described_span(where: str) -> str | None:
    """The words quoted by a described mention ("overview: 'keep our books' (described)")."""
    if not where.endswith(DESCRIBED):
        return None
    _, _, quoted = where.removesuffix(DESCRIBED).partition(": ")
    return quoted[1:-1] if len(quoted) >= 2 and quoted[0] == quoted[-1] == "'" else None


def freelancer_document(
    f: Freelancer, content_hash: str, normalise: SkillNormaliser, find: MentionFinder
) -> Document:
    """The talent-index document of a freelancer (no name, email, phone or attributes)."""
    skills = normalise(f.skills)
    portfolio = " ".join(f"{p.title}. {p.description}" for p in f.portfolio)
    text = redact(f"{f.title}\n{' '.join(skills)}\n{f.overview}\n{portfolio}")
    embed = profile_embed_text(f, skills)
    return Document(
        id=f.id,
        content_hash=content_hash,
        text=text,
        embed_text=embed,
        skills=skills,
        numbers={
            "rate_usd": _num(to_usd(f.hourly_rate, f.currency)),
            "job_success": _num(f.job_success),
            "hours": _num(f.availability_hours_per_week),
            "rating": _num(f.rating),
            "total_jobs": _num(f.total_jobs),
        },
        tags={
            "country": f.country,
            "available": "yes" if f.available else "no",
            "timezone": f.timezone or "",
        },
        mentions=profile_mentions(f, find),
    )


def job_document(j: Job, content_hash: str, normalise: SkillNormaliser) -> Document:
    """The jobs-index document of a job post."""
    skills = normalise(j.skills)
    text = redact(f"{j.title}\n{' '.join(skills)}\n{j.category or ''}\n{j.description}")
    embed = redact(f"{j.title}. Skills: {', '.join(skills)}. {j.description}")
    budget_max = budget_min = None
    budget_type = ""
    if j.budget is not None:
        budget_type = j.budget.type
        if j.budget.max is not None:
            budget_max = to_usd(j.budget.max, j.budget.currency)
        if j.budget.min is not None:
            budget_min = to_usd(j.budget.min, j.budget.currency)
    return Document(
        id=j.id,
        content_hash=content_hash,
        text=text,
        embed_text=embed,
        skills=skills,
        numbers={
            "budget_max_usd": _num(budget_max if budget_max is not None else budget_min),
            "budget_min_usd": _num(budget_min if budget_min is not None else budget_max),
            "created": j.created_at.timestamp(),
        },
        tags={
            "status": j.status,
            "budget_type": budget_type,
            "category": j.category or "",
            "experience_level": j.experience_level or "",
        },
    )
