"""Reasons in plain words, with evidence, from feature families and their contributions."""

from __future__ import annotations

from tandem.domain import Reason
from tandem.domain.results import ReasonKind
from tandem.rank.base import BASELINE, MatchFeatures, Scored
from tandem.rank.features import RateFit


def money(amount: float | None) -> str:
    """``$1,234`` style USD amounts (``?`` when unknown)."""
    if amount is None:
        return "?"
    return f"${amount:,.0f}" if amount >= 100 else f"${amount:,.2f}".replace(".00", "")


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


def rate_text(rate: RateFit) -> str:
    """How a price compares with a budget, in words."""
    what = "Bid" if rate.source == "bid" else "Rate"
    price = money(rate.price_usd)
    if rate.status == "no_budget":
        return f"{what} {price}; the job gives no budget"
    if rate.status == "not_comparable":
        return f"{what} cannot be compared with a fixed budget without an hours estimate"
    if rate.budget_min_usd is not None and rate.budget_max_usd is not None:
        budget = f"{money(rate.budget_min_usd)}-{money(rate.budget_max_usd)}"
    else:
        budget = money(rate.budget_max_usd or rate.budget_min_usd)
    if rate.status == "over":
        top = rate.budget_max_usd or rate.budget_min_usd or 1.0
        pct = 100 * ((rate.price_usd or 0.0) - top) / top
        return f"{what} {price} is {pct:.0f}% over the {budget} budget"
    if rate.status == "below":
        return f"{what} {price} is well below the {budget} budget"
    return f"{what} {price} is within the {budget} budget"


def _rate(f: MatchFeatures, points: float) -> Reason:
    kinds: dict[str, ReasonKind] = {"over": "negative", "within": "positive", "below": "positive"}
    kind = kinds.get(f.rate.status, "neutral")
    return Reason(
        code="rate_vs_budget",
        text=rate_text(f.rate),
        kind=kind,
        contribution=points,
        evidence=["amounts compared in USD at reference rates"],
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
        return Reason(
            code="track_record",
            text="New to the marketplace: scored as an average freelancer, not penalised",
            kind="neutral",
            contribution=points,
            evidence=["no completed jobs yet; neutral prior used for job success and rating"],
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


def _language(f: MatchFeatures, points: float) -> Reason | None:
    lang = f.language
    if not lang.required:
        return None
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


def _timezone(f: MatchFeatures, points: float) -> Reason | None:
    tz = f.timezone
    if tz.hours_apart is None:
        return None
    return Reason(
        code="timezone",
        text=f"{tz.hours_apart:g} h apart from the client",
        kind="positive" if tz.score >= 0.75 else "negative" if tz.score < 0.45 else "neutral",
        contribution=points,
        evidence=[f"client {tz.client_tz}, freelancer {tz.freelancer_tz}"],
    )


def _proposal(f: MatchFeatures, points: float) -> Reason | None:
    p = f.proposal
    if not p.applied:
        return None
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


def reasons_for(features: MatchFeatures, scored: Scored) -> list[Reason]:
    """Every reason for one pair's score, skills first, each with its contribution."""
    c = {k: round(v, 4) for k, v in scored.contributions.items()}
    reasons = _skills(features, c.get("skills", 0.0))
    reasons.append(_semantic(features, c.get("semantic", 0.0)))
    reasons.append(_rate(features, c.get("rate", 0.0)))
    reasons.append(_experience(features, c.get("experience", 0.0)))
    reasons.append(_availability(features, c.get("availability", 0.0)))
    reasons.append(_record(features, c.get("record", 0.0)))
    for extra in (
        _language(features, c.get("language", 0.0)),
        _timezone(features, c.get("timezone", 0.0)),
        _proposal(features, c.get("proposal", 0.0)),
    ):
        if extra is not None:
            reasons.append(extra)
    if BASELINE in c:
        reasons.append(
            Reason(
                code="baseline",
                text="Starting point: the model's score for an average candidate",
                kind="neutral",
                contribution=c[BASELINE],
                evidence=[
                    "the learned model's expected score; each reason above adds or subtracts"
                ],
            )
        )
    return reasons
