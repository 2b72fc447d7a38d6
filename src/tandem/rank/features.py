"""Feature families for matching a freelancer to a job, one function per family.

Each function reads only the job, the freelancer (and, for skills, the
taxonomy) and returns a small result with a score in [0, 1] and the evidence
behind it, so the same numbers feed the scorer and the explanation. None of
them reads a name, email, phone, country as such, or ``attributes``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal, NamedTuple

from tandem.domain import Freelancer, Job, Proposal
from tandem.domain.languages import ISO_639_1, language_names
from tandem.domain.money import to_usd
from tandem.domain.zones import hours_apart
from tandem.rank.literal import LiteralSkill, Texts
from tandem.search.documents import DESCRIBED
from tandem.skills import Normaliser, Taxonomy
from tandem.skills.taxonomy import EXPLICIT_RELATED
from tandem.text.tokens import fold, words

SkillHow = Literal["listed", "mentioned", "related"]
#: Credit for a job skill by how the profile covers it.
CREDIT: dict[SkillHow, float] = {"listed": 1.0, "mentioned": 0.8, "related": 0.5}
#: Levels of a profile's language that cover a job skill named for it, and how: a language
#: spoken natively or fluently is stated as surely as a listed skill; a conversational one
#: is used at work (:func:`language_fit`) but short of the fluency a language job asks for,
#: so it counts as a mention. Basic is no working level.
SPOKEN_HOW: dict[str, SkillHow] = {
    "native": "listed",
    "fluent": "listed",
    "conversational": "mentioned",
}
#: Prior for shrinking track records: a newcomer is scored as an average freelancer.
PRIOR_SUCCESS = 0.85
PRIOR_RATING = 0.88
PRIOR_WEIGHT = 5.0
LEVEL_YEARS = {"entry": 0.0, "intermediate": 2.0, "expert": 5.0}


@dataclass(frozen=True)
class SkillHit:
    """How one job skill is covered."""

    skill: str
    how: SkillHow
    evidence: str
    credit: float


@dataclass(frozen=True)
class SkillCoverage:
    """Job skills covered and missing; ``score`` is the mean credit."""

    hits: list[SkillHit]
    missing: list[str]
    inferred: bool
    score: float


def profile_skills(freelancer: Freelancer, normaliser: Normaliser) -> dict[str, str]:
    """Canonical skills a profile lists, each with the text as typed."""
    listed: dict[str, str] = {}
    for typed in freelancer.skills:
        name = normaliser.canonical(typed) or " ".join(typed.split())
        listed.setdefault(name, typed)
    return listed


def spoken_languages(freelancer: Freelancer) -> dict[str, str]:
    """The profile's languages, code -> level: what covers a job skill named for one."""
    return {lang.code: lang.level for lang in freelancer.languages}


def skill_coverage(
    job_skills: list[str],
    listed: dict[str, str],
    mentions: Mapping[str, str],
    taxonomy: Taxonomy,
    *,
    inferred: bool = False,
    texts: Texts = (),
    spoken: Mapping[str, str] | None = None,
) -> SkillCoverage:
    """Cover each job skill by a listed skill, a mention in the profile, or a related skill.

    Stated once, in :meth:`SkillSide.cover`: this is that rule for one profile, and a job
    scored against many profiles (:class:`tandem.rank.pairing.JobSide`) prepares its
    :class:`SkillSide` once and covers each profile with it.
    """
    side = SkillSide(job_skills, taxonomy)
    return side.cover(listed, mentions, inferred=inferred, texts=lambda: texts, spoken=spoken)


class SkillSide:
    """A job's skills to cover, prepared once for covering one profile or many.

    Holds each job skill's explicit related links (read from the taxonomy once, not once per
    profile: a match covers ~300 profiles against the same few skills, see
    :func:`explicit_links`) and the hits made so far. The maps are the taxonomy's as of
    construction: build one per call, not one to keep.
    """

    def __init__(self, skills: list[str], taxonomy: Taxonomy) -> None:
        self.skills = skills
        self._related = [explicit_links(taxonomy.related_view(skill)) for skill in skills]
        # Skills that imply each job skill (a profile showing Kotlin Multiplatform shows
        # Kotlin), and the language codes of job skills named for a human language.
        self._implying = [taxonomy.implied_by(skill) for skill in skills]
        self._tongues = {s: codes for s in skills if (codes := language_codes(taxonomy, s))}
        # Skills the taxonomy does not know: no finder names them, so they are looked for
        # word for word before they are called missing (see :mod:`tandem.rank.literal`).
        self._literal = {s: LiteralSkill(s) for s in skills if s not in taxonomy}
        # Hits by what decides them (the skill, how, the text typed, mentioned or related):
        # profiles covered against this side list the same skills the same way, and a hit
        # is frozen, so one object serves them all.
        self._hits: dict[tuple[str, SkillHow, str], SkillHit] = {}

    def cover(
        self,
        listed: dict[str, str],
        mentions: Mapping[str, str],
        *,
        inferred: bool = False,
        texts: Callable[[], Texts] | None = None,
        spoken: Mapping[str, str] | None = None,
    ) -> SkillCoverage:
        """The coverage of one profile's skills (``listed``) and ``mentions``.

        Each job skill in order: listed (evidence: the text as typed), else mentioned (the
        mention), else the better of a listed skill with an explicit related link to it (the
        related credit, see :func:`_best_related`; a skill that only shares its family is no
        such link, :func:`explicit_links`) and a skill shown that implies it
        (:func:`_best_implying`), else missing; the score is the mean credit (0.5 for a job
        without skills). A skill the taxonomy does not know is listed when a listed skill
        folds to the same words, and mentioned when the profile's ``texts`` (read only then,
        see :func:`tandem.rank.literal.profile_texts`) say it as a whole word. A skill named
        for a human language is covered by the profile's ``spoken`` languages (code ->
        level) as :data:`SPOKEN_HOW` says, when neither the skills list nor a stronger
        mention covers it: a native French speaker is no "same family as 'Vietnamese'".
        """
        hits: list[SkillHit] = []
        missing: list[str] = []
        made = self._hits
        literal = self._literal
        tongues = self._tongues
        read: Texts | None = None
        for skill, related, implying in zip(
            self.skills, self._related, self._implying, strict=True
        ):
            typed = listed.get(skill)
            said = mentions.get(skill)
            if typed is None and spoken and skill in tongues:
                heard = _spoken_as(tongues[skill], spoken)
                if heard is not None and (said is None or heard[0] == "listed"):
                    hits.append(self._hit(skill, heard[0], heard[1], CREDIT[heard[0]]))
                    continue
            if typed is None and said is None and skill in literal:
                typed = literal[skill].listed_as(listed)
                if typed is None and texts is not None:
                    read = texts() if read is None else read
                    said = literal[skill].find(read)
            if typed is not None:
                key: tuple[str, SkillHow, str] = (skill, "listed", typed)
                hit = made.get(key)
                if hit is None:
                    note = "in skills" if typed == skill else f"in skills as '{typed}'"
                    hit = made[key] = SkillHit(skill, "listed", note, CREDIT["listed"])
            elif said is not None:
                key = (skill, "mentioned", said)
                hit = made.get(key)
                if hit is None:
                    hit = made[key] = SkillHit(skill, "mentioned", key[2], CREDIT["mentioned"])
            else:
                best = _best_related(related, listed)
                shown = _best_implying(implying, listed, mentions) if implying else None
                if shown is not None and (best is None or shown[0] >= best[0]):
                    share, note = shown
                    hits.append(self._hit(skill, "related", note, CREDIT["related"] * share))
                    continue
                if best is None:
                    missing.append(skill)
                    continue
                weight, other = best
                key = (skill, "related", other)
                hit = made.get(key)
                if hit is None:
                    note = related_evidence(other)
                    hit = made[key] = SkillHit(skill, "related", note, CREDIT["related"] * weight)
            hits.append(hit)
        score = sum([h.credit for h in hits]) / len(self.skills) if self.skills else 0.5
        return SkillCoverage(hits, missing, inferred, score)

    def _hit(self, skill: str, how: SkillHow, note: str, credit: float) -> SkillHit:
        """The hit of ``skill`` covered ``how`` with evidence ``note`` (one object, shared)."""
        key = (skill, how, note)
        hit = self._hits.get(key)
        if hit is None:
            hit = self._hits[key] = SkillHit(skill, how, note, credit)
        return hit


def explicit_links(links: Mapping[str, float]) -> dict[str, float]:
    """The links of a job skill that may cover it: explicit ones, written for the pair.

    The taxonomy also links every two skills of one family (a heading of its files, an O*NET
    commodity: ``SAME_GROUP``), which is all that "Kotlin: same family as 'WebAssembly'",
    "Onboarding: same family as 'Typing'" or "Songwriting: same family as 'Interior Design'"
    rested on. A family that broad says nothing about whether someone can do the job skill,
    so it is no coverage, no credit and no "through related skills": the skill is missing
    unless a listed skill is linked to it by name, implies it, or is it under an alias.
    """
    return {other: w for other, w in links.items() if w >= EXPLICIT_RELATED}


def related_evidence(other: str) -> str:
    """How a related hit reads: the listed skill with an explicit link to the job skill."""
    return f"related skill '{other}'"


def related_name(evidence: str) -> str:
    """The skill a related hit's evidence names (:func:`related_evidence`, `_best_implying`)."""
    if evidence.startswith("implied by '"):
        return evidence.removeprefix("implied by '").partition("' (")[0]
    if evidence.startswith("related skill "):
        return evidence.removeprefix("related skill ").strip("'")
    return evidence


def language_codes(taxonomy: Taxonomy, skill: str) -> frozenset[str]:
    """The ISO 639-1 codes a skill is named for ("French" -> fr, "Filipino"/tagalog -> tl).

    By its name or an alias, against the language names of ISO 639-1
    (:func:`tandem.domain.languages.language_names`); none for any other skill.
    """
    entry = taxonomy.get(skill)
    called = {fold(n) for n in [skill, *(entry.aliases if entry else [])]}
    return frozenset(code for code, names in _LANGUAGE_KEYS.items() if names & called)


_LANGUAGE_KEYS: dict[str, set[str]] = {
    code: {fold(name) for name in language_names(code)} for code in ISO_639_1
}


def _spoken_as(codes: frozenset[str], spoken: Mapping[str, str]) -> tuple[SkillHow, str] | None:
    """How a profile's languages cover a skill named for one of ``codes`` (best level)."""
    best: tuple[SkillHow, str] | None = None
    for code in sorted(codes):
        level = spoken.get(code)
        how = SPOKEN_HOW.get(level or "")
        if how is not None and (best is None or CREDIT[how] > CREDIT[best[0]]):
            best = (how, f"in languages: {code} ({level})")
    return best


def _best_implying(
    implying: list[str], listed: dict[str, str], mentions: Mapping[str, str]
) -> tuple[float, str] | None:
    """The strongest skill the profile shows that implies the job skill: (share, evidence).

    An implied link (``>`` in the taxonomy: Kotlin Multiplatform implies Kotlin, Django
    Python) is an explicit related link that always holds, so it is credited as one (the
    related credit), times how the implying skill is shown: listed 1, named in the profile's
    text the mention's share (0.8). A skill the text only describes in other words implies
    nothing: that would be a guess on a guess. Never more than a related link's credit, so
    below any direct match; it says which skill implies it and where the profile shows it.
    """
    best: tuple[float, str] | None = None
    for other in implying:
        if other in listed:
            return 1.0, f"implied by '{other}' (in skills)"
        where = mentions.get(other)
        if best is None and where is not None and not where.endswith(DESCRIBED):
            best = CREDIT["mentioned"] / CREDIT["listed"], f"implied by '{other}' ({where})"
    return best


def _best_related(related: Mapping[str, float], listed: dict[str, str]) -> tuple[float, str] | None:
    """The heaviest (weight, skill) among ``related`` that the profile lists; ties: last name.

    Walks whichever side is smaller (a profile lists a dozen skills, a broad skill relates to
    hundreds): the pairs, and so their maximum, are the same either way.
    """
    if len(listed) < len(related):
        pairs = ((related[other], other) for other in listed if other in related)
    else:
        pairs = ((w, other) for other, w in related.items() if other in listed)
    return max(pairs, default=None)


@dataclass(frozen=True)
class RequirementFit:
    """Coverage of the skills a post marks required and of those it marks nice-to-have.

    ``required``/``nice`` are mean credits (as :class:`SkillCoverage`), None when the post
    has no such skills; ``marked``: the post's text itself marks them (not only its skills
    field). See :mod:`tandem.text.requirements`.
    """

    required: float | None = None
    nice: float | None = None
    marked: bool = False


def requirement_fit(
    coverage: SkillCoverage,
    extra: SkillCoverage | None,
    required: list[str],
    nice: list[str],
    marked: bool,
) -> RequirementFit:
    """Mean credit over required and over nice-to-have skills.

    Credits come from the job's ``coverage`` and ``extra`` (the coverage of marked skills
    outside the job's skill list).
    """
    credit = {h.skill: h.credit for h in coverage.hits}
    if extra is not None:
        credit.update({h.skill: h.credit for h in extra.hits})

    def mean_credit(skills: list[str]) -> float | None:
        return sum(credit.get(s, 0.0) for s in skills) / len(skills) if skills else None

    return RequirementFit(mean_credit(required), mean_credit(nice), marked)


RateStatus = Literal["within", "below", "over", "no_budget", "not_comparable"]
#: A price under this share of the budget's minimum scores a little lower (it may mean a
#: misread scope); anything from there up to the budget's top scores as a fit.
FAR_BELOW = 0.5


@dataclass(frozen=True)
class RateFit:
    """The freelancer's price against the job's budget, both in USD and in the budget's units.

    ``status`` says only what the numbers say: ``below`` is under the budget's minimum,
    ``within`` between its minimum and its top, ``over`` above its top. For a fixed budget
    without a fixed bid the price is an estimate, ``hours`` at ``hourly_usd``; both are kept
    so a reason can say how the estimate was made.
    """

    status: RateStatus
    price_usd: float | None
    budget_min_usd: float | None
    budget_max_usd: float | None
    source: Literal["rate", "bid"]
    score: float
    budget_type: Literal["hourly", "fixed"] | None = None
    hours: float | None = None
    hourly_usd: float | None = None


class _Price(NamedTuple):
    usd: float | None
    source: Literal["rate", "bid"]
    hours: float | None = None
    hourly_usd: float | None = None


def _price(freelancer: Freelancer, proposal: Proposal | None, job: Job) -> _Price:
    """The price in the budget's units: a bid of the same type, else the rate (times hours).

    A bid of the other type (an hourly bid on a fixed job) is never compared with the
    budget: the hourly rate, times the job's stated hours for a fixed budget, is.
    """
    bid = proposal.bid if proposal is not None else None
    if bid is not None and job.budget is not None and bid.type == job.budget.type:
        return _Price(to_usd(bid.amount, bid.currency), "bid")
    rate = to_usd(freelancer.hourly_rate, freelancer.currency)
    if job.budget is not None and job.budget.type == "fixed":
        hours = job_hours(job)
        if hours is None or rate is None:
            return _Price(None, "rate", None, rate)
        return _Price(rate * hours, "rate", hours, rate)
    return _Price(rate, "rate", None, rate)


def job_hours(job: Job) -> float | None:
    """The hours a job states in all: its weeks times its hours a week (None unless both).

    What an hourly rate is multiplied by to price a fixed-price job, here for the ranking and
    in a proposal's draft (:func:`tandem.companion.coaching.draft_proposal`), so the price a
    letter states is the one the ranking would estimate.
    """
    hours = (job.duration_weeks or 0) * (job.hours_per_week or 0)
    return hours if hours > 0 else None


def rate_fit(job: Job, freelancer: Freelancer, proposal: Proposal | None = None) -> RateFit:
    """Up to the budget's top scores 1 (0.85 when far below its minimum); over it, less.

    Over the top loses in proportion to the overshoot. The score does not punish a price
    a little under the minimum, but the status says it is under: never "within".
    """
    price = _price(freelancer, proposal, job)
    budget = job.budget

    def fit(status: RateStatus, lo: float | None, hi: float | None, score: float) -> RateFit:
        kind = budget.type if budget is not None else None
        return RateFit(
            status, price.usd, lo, hi, price.source, score, kind, price.hours, price.hourly_usd
        )

    if budget is None or (budget.min is None and budget.max is None):
        return fit("no_budget", None, None, 0.6)
    lo = to_usd(budget.min, budget.currency) if budget.min is not None else None
    hi = to_usd(budget.max, budget.currency) if budget.max is not None else None
    usd = price.usd
    top = hi if hi is not None else lo
    if usd is None or top is None:
        return fit("not_comparable", lo, hi, 0.5)
    if usd > top:
        return fit("over", lo, hi, max(0.0, 1.0 - (usd - top) / max(top, 1e-9)))
    if lo is not None and usd < lo:
        return fit("below", lo, hi, 0.85 if usd < FAR_BELOW * lo else 1.0)
    return fit("within", lo, hi, 1.0)


@dataclass(frozen=True)
class ExperienceFit:
    """Years of experience against the level the job asks for."""

    level: str | None
    years: float | None
    score: float


def experience_fit(job: Job, freelancer: Freelancer) -> ExperienceFit:
    """Meets the level's years: 1; short of them: in proportion; unknown: neutral."""
    level, years = job.experience_level, freelancer.experience_years
    if level is None:
        return ExperienceFit(None, years, 0.6 if years is None else min(1.0, 0.6 + years / 25))
    if years is None:
        return ExperienceFit(level, None, 0.5)
    need = LEVEL_YEARS[level]
    return ExperienceFit(level, years, 1.0 if years >= need else 0.3 + 0.7 * years / need)


@dataclass(frozen=True)
class AvailabilityFit:
    """Hours a freelancer offers against hours the job needs."""

    offered: int | None
    needed: float | None
    score: float


def availability_fit(job: Job, freelancer: Freelancer) -> AvailabilityFit:
    """Not available: 0; enough hours: 1; fewer: in proportion; unknown: neutral."""
    offered, needed = freelancer.availability_hours_per_week, job.hours_per_week
    if offered == 0:
        return AvailabilityFit(0, needed, 0.0)
    if offered is None:
        return AvailabilityFit(None, needed, 0.6)
    if not needed:
        return AvailabilityFit(offered, needed, 1.0)
    return AvailabilityFit(offered, needed, min(1.0, offered / needed))


@dataclass(frozen=True)
class TrackRecord:
    """Job success and rating shrunk toward a prior by the number of past jobs."""

    jobs: int
    job_success: float | None
    rating: float | None
    shrunk_success: float
    shrunk_rating: float
    newcomer: bool
    score: float
    #: Days on the marketplace at the ranking, kept for a profile without jobs on file (the
    #: explanation says "new to the marketplace" only when it is); None when not judged.
    member_days: int | None = None


#: Joined within this many days: new to the marketplace, as the audit report and the newcomer
#: policy count it (``tandem.fairness.report.NEWCOMER_WINDOW``, which rank may not import;
#: a test keeps the two equal).
NEW_MEMBER_DAYS = 90


def track_record(freelancer: Freelancer, as_of: datetime | None = None) -> TrackRecord:
    """A newcomer gets the prior (an average freelancer), neither rewarded nor punished.

    "Newcomer" here is the ranker's feature: no completed jobs on the profile. That is also
    the profile of someone who joined years ago and whose jobs were never recorded (a bundle
    row without ``total_jobs``), so with ``as_of`` (the moment of the ranking) the record keeps
    how long they have been a member, and the reason says which of the two it is.
    """
    n = float(freelancer.total_jobs or 0)
    js = freelancer.job_success / 100 if freelancer.job_success is not None else None
    rating = freelancer.rating / 5 if freelancer.rating is not None else None
    ns = n if js is not None else 0.0
    nr = n if rating is not None else 0.0
    success = (ns * (js or 0.0) + PRIOR_WEIGHT * PRIOR_SUCCESS) / (ns + PRIOR_WEIGHT)
    rated = (nr * (rating or 0.0) + PRIOR_WEIGHT * PRIOR_RATING) / (nr + PRIOR_WEIGHT)
    return TrackRecord(
        jobs=int(n),
        job_success=freelancer.job_success,
        rating=freelancer.rating,
        shrunk_success=success,
        shrunk_rating=rated,
        newcomer=n == 0,
        score=0.6 * success + 0.4 * rated,
        member_days=(as_of - freelancer.joined_at).days if n == 0 and as_of else None,
    )


@dataclass(frozen=True)
class LanguageFit:
    """Languages the job requires that the freelancer speaks (conversational or better)."""

    required: list[str]
    spoken: list[str]
    missing: list[str] = field(default_factory=list)
    score: float = 1.0
    #: The profile lists no language at all: what it speaks is not known.
    unknown: bool = False


def language_fit(job: Job, freelancer: Freelancer) -> LanguageFit:
    """The share of required languages spoken at a working level; none listed: neutral.

    A profile that lists no language says nothing either way (the web profile form cannot
    even set them), like an unstated time zone or availability: it scores the family's
    neutral value (1.0, :data:`tandem.rank.heuristic.NEUTRAL`), not "does not speak it".
    A profile that lists languages and not the one asked for does not speak it.
    """
    working = {lang.code for lang in freelancer.languages if lang.level != "basic"}
    required = list(dict.fromkeys(job.languages))
    if not required:
        return LanguageFit([], sorted(working))
    if not freelancer.languages:
        return LanguageFit(required, [], [], 1.0, unknown=True)
    spoken = [c for c in required if c in working]
    missing = [c for c in required if c not in working]
    return LanguageFit(required, spoken, missing, len(spoken) / len(required))


@dataclass(frozen=True)
class TimezoneFit:
    """Hours between the client's and the freelancer's clocks."""

    client_tz: str | None
    freelancer_tz: str | None
    hours_apart: float | None
    score: float


def timezone_fit(client_tz: str | None, freelancer_tz: str | None, when: datetime) -> TimezoneFit:
    """Overlapping working hours score high; unknown zones are neutral."""
    if not client_tz or not freelancer_tz:
        return TimezoneFit(client_tz, freelancer_tz, None, 0.6)
    apart = hours_apart(client_tz, freelancer_tz, when)
    if apart is None:
        return TimezoneFit(client_tz, freelancer_tz, None, 0.6)
    score = 1.0 if apart <= 3 else 0.75 if apart <= 6 else 0.45 if apart <= 9 else 0.25
    return TimezoneFit(client_tz, freelancer_tz, apart, score)


def semantic_score(cosine: float) -> float:
    """Cosine of MiniLM embeddings mapped to [0, 1] (0.1 -> 0, 0.7 -> 1)."""
    return min(1.0, max(0.0, (cosine - 0.1) / 0.6))


def now_utc() -> datetime:
    """The current time in UTC (one place, so tests can reason about it)."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class PastOutcomes:
    """What the marketplace's own events say of a freelancer before a given time."""

    hires: int = 0
    reviews: int = 0
    mean_review: float | None = None


@dataclass(frozen=True)
class ProposalSignals:
    """What an application says: invited or not, the cover letter, the bid."""

    applied: bool = False
    invited: bool = False
    letter_words: int = 0
    letter_skills: list[str] = field(default_factory=list)
    letter_skill_share: float = 0.0
    letter_echo: float | None = None
    letter_title_share: float | None = None
    hours_to_apply: float | None = None
    bid_vs_rate: float | None = None


#: Words that say nothing of a particular job (function words and hiring boilerplate).
COMMON_WORDS: frozenset[str] = frozenset(
    """a about above after again all also am an and any are as at be been before being
    below between both but by can could did do does doing for from further had has have
    having he her here hers him his how i if in into is it its just me more most my no nor
    not now of off on once only or other our out over own same she should so some such than
    that the their them then there these they this those through to too under until up very
    was we were what when where which while who whom why will with would you your yours
    hi hello dear thanks thank regards hiring manager job project work experience years
    year looking forward call discuss start week questions happy let know working need
    help team please proposal post client freelancer skills skill able sure best quality
    time good great new one make get like use""".split()  # noqa: SIM905
)


def content_words(text: str) -> set[str]:
    """Folded words of ``text`` that could tie it to one job (3+ letters, not common)."""
    return {w for w in (fold(x) for x in words(text)) if len(w) >= 3 and w not in COMMON_WORDS}


def letter_echo(letter: str, title: str, description: str) -> tuple[float | None, float | None]:
    """How much a cover letter addresses the job: two shares, None where undefined.

    The shares: of the letter's content words, those the post uses; of the title's content
    words, those the letter repeats.

    A letter written for this job takes its words from the post (the project, the tools, the
    client's words); a letter sent to every job does not, however long it is.
    """
    said = content_words(letter)
    if not said:
        return None, None
    title_words = content_words(title)
    post = title_words | content_words(description)
    echo = len(said & post) / len(said)
    title_share = len(said & title_words) / len(title_words) if title_words else None
    return echo, title_share


def proposal_signals(
    job: Job,
    job_skills: list[str],
    freelancer: Freelancer,
    proposal: Proposal | None,
    letter_mentions: list[str],
) -> ProposalSignals:
    """Signals of one application (all empty when the freelancer did not apply)."""
    if proposal is None:
        return ProposalSignals()
    letter = proposal.cover_letter or ""
    named = [s for s in job_skills if s in set(letter_mentions)]
    hours = (proposal.created_at - job.created_at).total_seconds() / 3600
    bid_vs_rate = None
    if proposal.bid is not None and proposal.bid.type == "hourly" and freelancer.hourly_rate > 0:
        bid_usd = to_usd(proposal.bid.amount, proposal.bid.currency)
        rate_usd = to_usd(freelancer.hourly_rate, freelancer.currency)
        if bid_usd is not None and rate_usd:
            bid_vs_rate = bid_usd / rate_usd
    echo, title_share = letter_echo(letter, job.title, job.description or "")
    return ProposalSignals(
        applied=True,
        letter_echo=echo,
        letter_title_share=title_share,
        invited=proposal.source == "invited",
        letter_words=len(letter.split()),
        letter_skills=named,
        letter_skill_share=len(named) / len(job_skills) if job_skills else 0.0,
        hours_to_apply=max(0.0, hours),
        bid_vs_rate=bid_vs_rate,
    )
