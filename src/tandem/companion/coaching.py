"""Grounded help for both sides of a match: proposal drafts, interview questions, profile tips.

Each takes the engine acting for the person asking (:class:`tandem.engine.UserView`), so
the access table decides: how a person fits a job is for the job's client and the person
(and operators); tips come from one's own recommendations; other people's
profiles are read only as their public projection.

Every sentence is built from a field of the profile or the job (or a feature computed from
them) and each draft lists the facts it used with their source, so a person can check that
nothing was invented. An empty profile fails closed and says what is missing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from tandem.companion.letters import job_price_sentence, rate_sentence
from tandem.companion.llm import reword
from tandem.domain.money import amount_text
from tandem.errors import ConflictError, ValidationError
from tandem.explain import rate_text
from tandem.rank.features import job_hours, related_name
from tandem.text.articles import with_article
from tandem.text.counts import counted, noun_for

if TYPE_CHECKING:
    from tandem.companion.tools import Tools
    from tandem.domain import Freelancer, Job
    from tandem.engine import UserView
    from tandem.rank.base import MatchFeatures


@dataclass
class Grounded:
    """Text plus the facts it rests on, each with the field it came from."""

    text: str
    facts: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return asdict(self)


def _require_profile(f: Freelancer) -> None:
    missing = [
        name
        for name, value in (("a title", f.title), ("an overview", f.overview), ("skills", f.skills))
        if not value
    ]
    if len(missing) == 3:
        raise ValidationError(
            "the profile is empty, so there is nothing true to say yet: add "
            + ", ".join(missing[:-1])
            + " and "
            + missing[-1]
        )


def draft_proposal(acting: UserView, freelancer_id: str, job_id: str) -> Grounded:
    """A cover letter from the profile's facts that matter for this job (empty profile: fail).

    Not for a job the freelancer already applied to: one proposal per person and job, and no
    face edits a sent one, so a second draft could only be refused when sent (trial 16
    drafted one for a job f01 had applied to and been hired on). Refused here, saying so.
    """
    feats = acting.pair_features(job_id, freelancer_id)
    if feats.proposal.applied:
        raise ConflictError(
            f"{freelancer_id!r} already applied to job {job_id!r}: there is no new proposal to "
            "draft (one proposal per job, and a sent proposal cannot be edited here)"
        )
    f = acting.person(freelancer_id)
    job = acting.job(job_id)
    _require_profile(f)
    facts: list[dict[str, str]] = []
    lines = [f"Hello, I read your post \u201c{job.title}\u201d."]
    if f.title:
        intro = f"I am {with_article(f.title)}"
        facts.append({"claim": f.title, "source": "profile.title"})
        if f.experience_years is not None:
            intro += f" with {counted(f.experience_years, 'year')} of experience"
            facts.append(
                {"claim": counted(f.experience_years, "year"), "source": "profile.experience_years"}
            )
        lines.append(intro + ".")
    covered = [h for h in feats.skills.hits if h.how in ("listed", "mentioned")]
    if covered:
        names = [h.skill for h in covered]
        lines.append("The skills you ask for that I work with: " + ", ".join(names) + ".")
        facts += [{"claim": h.skill, "source": f"profile ({h.evidence})"} for h in covered]
    work = _relevant_portfolio(f, {h.skill for h in covered}, acting)
    if work is not None:
        kind = "A related piece of my work" if covered else "A piece of my work"
        lines.append(f"{kind}: {work}.")
        facts.append({"claim": work, "source": "profile.portfolio"})
    if f.availability_hours_per_week:
        lines.append(f"I am available {counted(f.availability_hours_per_week, 'hour')} a week.")
        facts.append(
            {
                "claim": f"{f.availability_hours_per_week} h/week",
                "source": "profile.availability_hours_per_week",
            }
        )
    price = _price(f, job)
    lines.append(price.sentence)
    facts += price.facts
    lines.append("I would be glad to discuss how to start.")
    notes = [
        "Drafted by Tandem's AI assistant from your profile only: edit it, then send it yourself.",
        *price.notes,
    ]
    if feats.skills.missing:
        notes.append(
            "Not claimed because your profile does not show them: "
            + ", ".join(feats.skills.missing)
            + "."
        )
    sources = [f.title, f.overview, job.title, job.description, *(p.title for p in f.portfolio)]
    worded = reword(
        acting.llm,
        " ".join(lines),
        sources,
        skills_in=acting.extractor.names,
        allowed_skills=[h.skill for h in covered],
    )
    if worded.note:
        notes.append(worded.note)
    return Grounded(worded.text, facts, notes)


class _Priced(NamedTuple):
    """A letter's price sentence, the facts it rests on, and what the freelancer should know."""

    sentence: str
    facts: list[dict[str, str]]
    notes: list[str]


def _price(f: Freelancer, job: Job) -> _Priced:
    """The price the letter states, in the job's terms: per hour, or for the whole job.

    A fixed-price job is bid one price for the whole job (its proposal's bid is of that type),
    so its letter says no hourly rate: it states the profile's rate times the hours the job
    states (weeks times hours a week), the price the ranking estimates for the person. A job
    that states no hours prices nothing: the letter says the price is to be agreed, and the
    note asks for one rather than inventing it.
    """
    rate, cur = f.hourly_rate, f.currency
    if job.budget is None or job.budget.type != "fixed":
        fact = {"claim": f"{rate:g} {cur}/h", "source": "profile.hourly_rate"}
        return _Priced(rate_sentence(rate, cur), [fact], [])
    ask = f"say your price for the whole job to change it (“bid 1,500 {cur} for the whole job”)"
    hours = job_hours(job)
    if hours is None:
        note = (
            "This job pays a fixed price and states no weeks and hours a week, so your "
            f"hourly rate gives no price for the whole job: {ask}."
        )
        return _Priced(job_price_sentence(None, cur), [], [note])
    total = round(rate * hours)
    said = amount_text(total)  # "11,400", as the letter writes it
    weeks, per_week = job.duration_weeks or 0, job.hours_per_week or 0  # both set: hours > 0
    fact = {
        "claim": f"{said} {cur} for the whole job",
        "source": "profile.hourly_rate × job.duration_weeks × job.hours_per_week",
    }
    note = (
        f"This job pays a fixed price: {said} {cur} is your rate ({rate:g} {cur} per hour) "
        f"times the {counted(hours, 'hour')} the job states ({counted(weeks, 'week')} at "
        f"{counted(per_week, 'hour')} a week); {ask}."
    )
    return _Priced(job_price_sentence(total, cur), [fact], [note])


def _relevant_portfolio(f: Freelancer, skills: set[str], tools: Tools) -> str | None:
    """The first portfolio item that shows a covered skill (none covered: the first one).

    A draft calls the item related only when some skill was covered.
    """
    for item in f.portfolio:
        if skills & set(tools.normaliser.normalise(item.skills)) or not skills:
            return item.title
    return None


def interview_questions(acting: UserView, job_id: str, freelancer_id: str) -> Grounded:
    """Questions aimed at the candidate's gaps for this job, then at their strengths."""
    feats = acting.pair_features(job_id, freelancer_id)
    job = acting.job(job_id)
    questions: list[str] = []
    facts: list[dict[str, str]] = []
    for skill in feats.skills.missing:
        questions.append(
            f"The work needs {skill}, which your profile does not show. How have you "
            f"handled {skill} or something close to it?"
        )
        facts.append({"claim": f"missing {skill}", "source": "job.skills vs profile"})
    for hit in feats.skills.hits:
        if hit.how == "related":
            questions.append(
                f"You know {related_name(hit.evidence)}; how would "
                f"you apply it to {hit.skill} here?"
            )
            facts.append({"claim": f"{hit.skill}: {hit.evidence}", "source": "taxonomy link"})
    questions += _fit_questions(feats, job)
    strong = [h.skill for h in feats.skills.hits if h.how == "listed"][:2]
    questions += [f"Walk me through a recent project where you used {s}." for s in strong]
    return Grounded(
        "\n".join(f"{i}. {q}" for i, q in enumerate(questions, 1)),
        facts,
        ["Suggested by Tandem's AI assistant from the job and the profile."],
    )


def _fit_questions(feats: MatchFeatures, job: Job) -> list[str]:
    out = []
    if feats.experience.level and feats.experience.score < 1.0:
        out.append(
            f"The job asks for {feats.experience.level} level; which of your projects "
            f"comes closest to that?"
        )
    if feats.availability.needed and feats.availability.score < 1.0:
        out.append(
            f"The job needs about {counted(feats.availability.needed, 'hour')} a week; how would "
            f"you fit that in?"
        )
    if feats.rate.status == "over":
        out.append(f"{rate_text(feats.rate)}. What scope would fit the budget?")
    if feats.timezone.hours_apart is not None and feats.timezone.hours_apart > 6:
        out.append(
            f"You are {counted(feats.timezone.hours_apart, 'hour')} apart; which hours would "
            "overlap?"
        )
    return out


def profile_tips(acting: UserView, freelancer_id: str, *, jobs: int = 20) -> Grounded:
    """What would truly raise this freelancer's matches: skills their best jobs ask for, gaps.

    Only things a person can honestly add: a skill they have but do not list, a missing
    overview, availability or portfolio. Never their name, country or anything that games
    the ranking.
    """
    ranked = acting.recommend(freelancer_id, top=jobs)
    f = acting.person(freelancer_id)
    asked: Counter[str] = Counter()
    for r in ranked:
        feats = acting.pair_features(r.job_id, freelancer_id)
        asked.update(feats.skills.missing)
    tips: list[str] = []
    facts: list[dict[str, str]] = []
    for skill, n in asked.most_common(3):
        tips.append(
            f"{n} of your {counted(len(ranked), 'best-matching open job')} "
            f"{noun_for(n, 'asks', 'ask')} for {skill}. If you "
            f"have worked with it, add it to your skills with an example."
        )
        facts.append(
            {"claim": f"{skill} asked by {counted(n, 'job')}", "source": "open jobs' skills"}
        )
    if not f.overview:
        tips.append("Write an overview: clients and the search read it for what you do.")
    if f.availability_hours_per_week is None:
        tips.append("Say how many hours a week you are available.")
    if not f.portfolio:
        tips.append("Add a portfolio item that shows the skills you list.")
    if not tips:
        tips.append("Your profile already covers what your best-matching jobs ask for.")
    return Grounded(
        "\n".join(f"- {t}" for t in tips),
        facts,
        ["Only add what is true: the ranking rewards evidence, not keywords."],
    )


def job_tips(acting: UserView, freelancer_id: str, job_id: str) -> Grounded:
    """How this person could honestly raise their match for one job, from its features.

    Each tip names a gap the ranking saw between the job and the profile (a skill the job
    asks for that the profile does not list, hours, level, languages, a price above the
    budget) and asks for nothing untrue: "if you have used it, add it". Names, countries and
    other things that must not move a ranking are never suggested.
    """
    feats = acting.pair_features(job_id, freelancer_id)
    f = acting.person(freelancer_id)
    tips: list[str] = []
    facts: list[dict[str, str]] = []
    missing = feats.skills.missing
    if missing:
        one = len(missing) == 1
        names = missing[0] if one else ", ".join(missing[:-1]) + " and " + missing[-1]
        tips.append(
            f"The job asks for {names}, which your profile does not show. If you have worked "
            f"with {'it' if one else 'any of them'}, add {'it' if one else 'them'} to your "
            "skills with an example."
        )
    for skill in missing:
        facts.append({"claim": f"missing {skill}", "source": "job.skills vs profile.skills"})
    for hit in feats.skills.hits:
        if hit.how == "mentioned":
            tips.append(f"Your profile mentions {hit.skill} but does not list it: list it.")
            facts.append({"claim": f"{hit.skill} mentioned", "source": "profile text"})
        elif hit.how == "related" and hit.evidence.startswith("implied by "):
            other = related_name(hit.evidence)
            tips.append(f"Your profile shows {other}, which implies {hit.skill}: list it too.")
            facts.append({"claim": f"{hit.skill}: {hit.evidence}", "source": "taxonomy link"})
        elif hit.how == "related":
            other = related_name(hit.evidence)
            tips.append(
                f"You list {other}, which is close to {hit.skill}; if you have used "
                f"{hit.skill} itself, list it."
            )
            facts.append({"claim": f"{hit.skill}: {hit.evidence}", "source": "taxonomy link"})
    tips += _fit_tips(feats, f, facts)
    if not f.overview:
        tips.append("Write an overview: clients and the search read it for what you do.")
    if not tips:
        tips.append("Your profile already shows what this job asks for.")
    return Grounded(
        "\n".join(f"- {t}" for t in tips),
        facts,
        ["Only add what is true: the ranking rewards evidence, not keywords."],
    )


def _fit_tips(feats: MatchFeatures, f: Freelancer, facts: list[dict[str, str]]) -> list[str]:
    out = []
    needed, level = feats.availability.needed, feats.experience.level
    if needed and f.availability_hours_per_week is None:
        out.append(f"Say how many hours a week you are available: the job needs about {needed:g}.")
        facts.append({"claim": f"{needed:g} h/week needed", "source": "job.hours_per_week"})
    elif needed and feats.availability.score < 1.0:
        out.append(
            f"The job needs about {counted(needed, 'hour')} a week and your profile offers "
            f"{f.availability_hours_per_week}; if you can give more, update your hours."
        )
        facts.append({"claim": f"{needed:g} h/week needed", "source": "job.hours_per_week"})
    if level and f.experience_years is None:
        out.append(f"Add your years of experience: the job asks for {level} level.")
        facts.append({"claim": f"{level} level", "source": "job.experience_level"})
    for lang in feats.language.required if feats.language.unknown else feats.language.missing:
        out.append(f"The job requires the language {lang}; if you speak it, add it.")
        facts.append({"claim": f"requires {lang}", "source": "job.languages"})
    if feats.rate.status == "over":
        out.append(f"{rate_text(feats.rate)}. A bid in your proposal can fit the budget.")
        facts.append({"claim": "over budget", "source": "profile.hourly_rate vs job.budget"})
    return out
