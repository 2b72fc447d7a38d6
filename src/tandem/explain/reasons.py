"""Reasons in plain words, with evidence, from feature families and their contributions."""

from __future__ import annotations

from collections.abc import Callable

from tandem.domain import Reason
from tandem.domain.results import ReasonKind
from tandem.explain.rates import rate_evidence, rate_text
from tandem.rank.base import MatchFeatures, Scored
from tandem.rank.features import NEW_MEMBER_DAYS, PastOutcomes


def _skills(f: MatchFeatures, points: float) -> list[Reason]:
    cov = f.skills
    total = len(cov.hits) + len(cov.missing)
    if total == 0:
        return [
            Reason(
                code="skill_coverage",
                text="The job lists no skills to compare",
                kind="neutral",
                contribution=points,
            )
        ]
    source = " (inferred from the description)" if cov.inferred else ""
    full = sum(1 for h in cov.hits if h.how != "related")
    related = len(cov.hits) - full
    text = f"Covers {full} of {total} job skills{source}"
    if related:
        text += f", {related} more through related skills"
    out = [
        Reason(
            code="skill_coverage",
            text=text,
            kind="positive" if cov.score >= 0.5 else "negative",
            contribution=points,
            evidence=[f"{h.skill}: {h.evidence}" for h in cov.hits],
        )
    ]
    if cov.missing:
        out.append(
            Reason(
                code="missing_skills",
                text="Missing: " + ", ".join(cov.missing),
                kind="negative",
                evidence=[f"{s}: not in skills, title, overview or portfolio" for s in cov.missing],
            )
        )
    return out


def _semantic(f: MatchFeatures, points: float) -> Reason:
    strength = "closely" if f.semantic >= 0.66 else "partly" if f.semantic >= 0.33 else "barely"
    return Reason(
        code="semantic_similarity",
        text=f"Profile is {strength} related to the job description",
        kind="positive" if f.semantic >= 0.33 else "neutral",
        contribution=points,
        evidence=[f"embedding similarity {f.semantic_cosine:.2f}"],
    )


def _rate(f: MatchFeatures, points: float) -> Reason:
    kinds: dict[str, ReasonKind] = {"over": "negative", "within": "positive", "below": "positive"}
    kind = kinds.get(f.rate.status, "neutral")
    return Reason(
        code="rate_vs_budget",
        text=rate_text(f.rate),
        kind=kind,
        contribution=points,
        evidence=rate_evidence(f.rate),
    )


def _experience(f: MatchFeatures, points: float) -> Reason:
    e = f.experience
    if e.years is None:
        return Reason(code="experience", text="Years of experience not stated", contribution=points)
    if e.level is None:
        return Reason(
            code="experience",
            text=f"{e.years:g} years of experience",
            kind="positive",
            contribution=points,
        )
    ok = e.score >= 1.0
    text = (
        f"{e.years:g} years of experience meets the {e.level} level"
        if ok
        else f"{e.years:g} years of experience; the job asks for {e.level} level"
    )
    return Reason(
        code="experience", text=text, kind="positive" if ok else "negative", contribution=points
    )


def _availability(f: MatchFeatures, points: float) -> Reason:
    a = f.availability
    if a.offered == 0:
        return Reason(
            code="availability",
            text="Not available at the moment",
            kind="negative",
            contribution=points,
        )
    if a.offered is None:
        return Reason(code="availability", text="Availability not stated", contribution=points)
    need = f"; the job needs {a.needed:g}" if a.needed else ""
    return Reason(
        code="availability",
        text=f"Available {a.offered} h/week{need}",
        kind="positive" if a.score >= 1.0 else "negative",
        contribution=points,
    )


def _record(f: MatchFeatures, points: float) -> Reason:
    r = f.record
    if r.newcomer:
        who, evidence = _without_record(r.member_days, f.past)
        if points < 0:  # a learned model may count the missing record against them: say so
            return Reason(
                code="track_record",
                text=f"{who}: this model scores having no track record on the profile lower",
                kind="negative",
                contribution=points,
                evidence=evidence,
            )
        # Scored as an average record, which is worth what this ranking makes of it: a
        # learned model may count it for +1.9, so "not penalised" would understate it.
        return Reason(
            code="track_record",
            text=(
                f"{who}: scored as an average track record; its points are "
                "what an average record is worth in this ranking"
            ),
            kind="neutral",
            contribution=points,
            evidence=evidence,
        )
    parts = []
    if r.job_success is not None:
        parts.append(f"job success {r.job_success:.0f}%")
    if r.rating is not None:
        parts.append(f"rating {r.rating:.1f}/5")
    text = ", ".join(parts).capitalize() + f" over {r.jobs} job{'s' if r.jobs != 1 else ''}"
    return Reason(
        code="track_record",
        text=text,
        kind="positive" if r.score >= 0.85 else "neutral",
        contribution=points,
        evidence=[f"shrunk toward the prior by job count: {r.shrunk_success:.2f}"]
        + ([f"{f.past.hires} earlier hire(s) recorded here"] if f.past.hires else []),
    )


def _without_record(member_days: int | None, past: PastOutcomes) -> tuple[str, list[str]]:
    """Who a profile without completed jobs is, in words that hold, and the evidence.

    "New to the marketplace" only for someone who joined within :data:`NEW_MEMBER_DAYS` of
    the ranking: a member of years whose jobs were never recorded (trial 16: joined
    2022-09-09, no ``total_jobs`` in the bundle) has no track record on file, nothing more.
    The profile's numbers are not all that is on file: this marketplace's own hires and
    reviews (``past``) may hold a finished, reviewed contract (an independent check found
    "no completed jobs yet" beside a hire and a 4.6 review), and then the words say so;
    the score still reads the profile's record, which is what "neutral prior" refers to.
    """
    prior = "neutral prior used for job success and rating"
    here = _recorded_here(past)
    jobs = f"no completed jobs on the profile, but {here}" if here else ""
    if member_days is not None and member_days < NEW_MEMBER_DAYS:
        since = f"joined {max(member_days, 0)} day(s) before this ranking"
        return "New to the marketplace", [f"{since}, {jobs or 'no completed jobs yet'}; {prior}"]
    if here:
        since = f"{_membership(member_days)}; " if member_days is not None else ""
        return "No track record on the profile", [f"{since}{jobs}; {prior}"]
    if member_days is None:
        return "No track record on file", [f"no completed jobs on the profile; {prior}"]
    evidence = f"{_membership(member_days)} with no completed jobs on the profile; {prior}"
    return "No track record on file", [evidence]


def _membership(member_days: int) -> str:
    years = member_days // 365
    return (
        f"a member for {years} year(s)" if years else f"a member for {member_days // 30} month(s)"
    )


def _recorded_here(past: PastOutcomes) -> str:
    """Hires and reviews on this marketplace of someone, in words ("" when there are none)."""
    parts = []
    if past.hires:
        parts.append(f"{past.hires} hire(s)")
    if past.reviews:
        mean = f", mean {past.mean_review:.1f}/5" if past.mean_review is not None else ""
        parts.append(f"{past.reviews} review(s){mean}")
    return " and ".join(parts) + " recorded here" if parts else ""


def _language(f: MatchFeatures, points: float) -> Reason:
    lang = f.language
    if not lang.required:
        return Reason(
            code="language",
            text="The job asks for no particular language",
            kind="neutral",
            contribution=points,
        )
    if lang.unknown:
        return Reason(
            code="language",
            text="Languages not listed on the profile: neutral",
            kind="neutral",
            contribution=points,
            evidence=["the job asks for " + ", ".join(lang.required)],
        )
    if lang.missing:
        return Reason(
            code="language",
            text="Does not list required language(s): " + ", ".join(lang.missing),
            kind="negative",
            contribution=points,
        )
    return Reason(
        code="language",
        text="Speaks the required language(s): " + ", ".join(lang.spoken),
        kind="positive",
        contribution=points,
    )


def _timezone(f: MatchFeatures, points: float) -> Reason:
    tz = f.timezone
    if tz.hours_apart is None:
        if not tz.freelancer_tz:
            text = "Time zone not stated: neutral"
        elif not tz.client_tz:
            text = "The client's time zone is not known: neutral"
        else:
            text = f"Time zone {tz.freelancer_tz} or {tz.client_tz} not recognised: neutral"
        return Reason(code="timezone", text=text, kind="neutral", contribution=points)
    return Reason(
        code="timezone",
        text=f"{tz.hours_apart:g} h apart from the client",
        kind="positive" if tz.score >= 0.75 else "negative" if tz.score < 0.45 else "neutral",
        contribution=points,
        evidence=[f"client {tz.client_tz}, freelancer {tz.freelancer_tz}"],
    )


def _proposal(f: MatchFeatures, points: float) -> Reason:
    p = f.proposal
    if not p.applied:
        return Reason(
            code="application",
            text="Has not applied to this job",
            kind="neutral",
            contribution=points,
        )
    text = "Applied after an invitation" if p.invited else "Applied to this job"
    evidence = [f"cover letter: {p.letter_words} words"]
    if p.letter_skills:
        text += f"; the cover letter names {len(p.letter_skills)} of the job's skills"
        evidence.append("cover letter names: " + ", ".join(p.letter_skills))
    if p.bid_vs_rate is not None:
        evidence.append(f"bid is {p.bid_vs_rate:.0%} of their usual rate")
    return Reason(
        code="application", text=text, kind="positive", contribution=points, evidence=evidence
    )


def _baseline(points: float) -> Reason:
    return Reason(
        code="baseline",
        text="Starting point: the score of a pair about which nothing is known",
        kind="neutral",
        contribution=points,
        evidence=[
            "the heuristic: every family at its neutral value; a learned model: its average "
            "score; each reason adds or subtracts from here"
        ],
    )


#: Points below this (in absolute value) neither help nor hurt: a neutral icon.
NEUTRAL_POINTS = 0.0005


def _signed(reason: Reason) -> Reason:
    """An icon never contradicts the points: a verdict the points disagree with shows neutral.

    The words say what the data says ("38% over the budget"); the points say what that did
    to the score against a neutral pair. When a plus verdict cost points, or a minus
    verdict still earned some (a rate slightly over budget scores above an unknown one),
    the reason is shown neutral rather than with an icon its own points deny.
    """
    c = reason.contribution
    if reason.code == "baseline" or abs(c) < NEUTRAL_POINTS:
        return reason
    if (reason.kind == "positive" and c < 0) or (reason.kind == "negative" and c > 0):
        return reason.model_copy(update={"kind": "neutral"})
    return reason


def _other(family: str, points: float) -> Reason:
    return Reason(
        code=family,
        text=f"Other signals ({family.replace('_', ' ')})",
        kind="neutral",
        contribution=points,
    )


#: Reason builders by feature family, in the order people read them (skills first).
_FAMILIES: dict[str, Callable[[MatchFeatures, float], Reason | list[Reason]]] = {
    "skills": _skills,
    "semantic": _semantic,
    "rate": _rate,
    "experience": _experience,
    "availability": _availability,
    "record": _record,
    "language": _language,
    "timezone": _timezone,
    "proposal": _proposal,
}
#: Families every result explains, even under a ranker that gives them no points.
_ALWAYS = frozenset({"skills", "semantic", "rate", "experience", "availability", "record"})
#: Names a ranker may give its bias among the parts.
_BIAS = frozenset({"bias", "baseline"})
#: Six decimals: the precision of a served score, so the parts add up to it exactly.
_UNIT = 1_000_000


def _exact_points(scored: Scored) -> tuple[dict[str, float], float]:
    """Each family's points rounded so that they, plus a baseline, sum to the rounded score.

    Rounding is done in millionths: the drift of rounding each part (never more than half a
    millionth a part) goes to the largest part, and whatever the families do not explain
    (a learned model's bias) is the baseline.
    """
    parts = {k: v for k, v in scored.contributions.items() if k not in _BIAS}
    units = {k: round(v * _UNIT) for k, v in parts.items()}
    # round(x, 6) as the served score is rounded: round(x * 10**6) can differ from it by one
    # millionth where x * 10**6 lands on a half (0.5724775 -> 572477.5 -> 572478).
    rest = round(round(scored.score, 6) * _UNIT) - sum(units.values())
    unexplained = abs(scored.score - sum(parts.values())) * _UNIT >= 1
    if rest and units and not unexplained:
        largest = max(units, key=lambda k: abs(units[k]))
        units[largest] += rest
        rest = 0
    return {k: v / _UNIT for k, v in units.items()}, rest / _UNIT


def reasons_for(features: MatchFeatures, scored: Scored) -> list[Reason]:
    """A reason for every family that carries points; their points add up to the score.

    The six core families always get a reason; the others whenever the ranker gives them
    points (the heuristic has no proposal family), with neutral words when there is nothing
    to compare (no language asked for, no time zone stated, not an applicant). A model's
    bias, passed as a ``bias`` part or left unexplained by the parts, is the baseline.
    """
    points, baseline = _exact_points(scored)
    reasons: list[Reason] = []
    for family, build in _FAMILIES.items():
        if family not in points and family not in _ALWAYS:
            continue
        made = build(features, points.get(family, 0.0))
        reasons.extend(made if isinstance(made, list) else [made])
    reasons.extend(_other(k, v) for k, v in points.items() if k not in _FAMILIES)
    if baseline:
        reasons.append(_baseline(baseline))
    return [_signed(r) for r in reasons]
