"""What Tandem serves: ranked results, each with the reasons behind its score."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

ReasonKind = Literal["positive", "negative", "neutral"]
#: The two ranking tasks a learned model can serve: triage of a job's applicants, and
#: discovery over all talent (see :mod:`tandem.rank.vector`).
Task = Literal["applicants", "discovery"]
TASKS: tuple[Task, ...] = ("applicants", "discovery")
#: The code of the reason a ranking policy gives a person it moved (0 points: the served order
#: is then the policy's, not the score's).
FAIRNESS_REASON = "fairness_policy"


class Reason(BaseModel):
    """One human-readable reason for a score, with the evidence it rests on."""

    code: str = Field(description="Stable machine name, e.g. 'skill_coverage'.")
    text: str = Field(description="The reason in plain words.")
    kind: ReasonKind = "neutral"
    contribution: float = Field(default=0.0, description="Points this reason added to the score.")
    evidence: list[str] = Field(
        default_factory=list, description="Where in the data it comes from."
    )


class RankedItem(BaseModel):
    """One ranked freelancer or job."""

    id: str
    score: float
    title: str = ""
    reasons: list[Reason] = Field(default_factory=list)


class MatchResult(BaseModel):
    """A freelancer ranked for a job, in the served JSON shape."""

    freelancer_id: str
    score: float
    name: str
    title: str
    hourly_rate: float
    currency: str
    country: str
    reasons: list[Reason]
    relevance: int | None = Field(
        default=None,
        description="Search only: 0-100 within this result list (100 = its best result); "
        "'score' stays the raw fused score.",
    )


class JobResult(BaseModel):
    """A job ranked for a freelancer."""

    job_id: str
    score: float
    title: str
    category: str | None
    reasons: list[Reason]
    relevance: int | None = Field(
        default=None,
        description="Search only: 0-100 within this result list (100 = its best result); "
        "'score' stays the raw fused score.",
    )


class ServedItem(BaseModel):
    """One result as the decision log keeps it."""

    id: str
    rank: int
    score: float
    reasons: list[Reason]
    sealed: str | None = Field(
        default=None,
        description="After an erasure: the commitment that stands in for the reasons removed.",
    )


class Decision(BaseModel):
    """A ranking that was served: enough to replay and audit it."""

    request_id: str
    ts: datetime
    actor: str = "anonymous"
    surface: Literal["cli", "api", "web", "companion", "batch"] = "api"
    kind: Literal["match", "recommend", "search_talent", "search_jobs"]
    subject: str = Field(description="The job id, freelancer id or query the ranking answered.")
    model_version: str
    request: dict[str, object] = Field(default_factory=dict)
    candidates: list[str] = Field(default_factory=list, description="Ids considered.")
    results: list[ServedItem] = Field(default_factory=list)


class MatchRanking(BaseModel):
    """Ranked freelancers with the request id and model version that produced them."""

    request_id: str
    model_version: str
    ranker: str
    results: list[MatchResult]
    policy_note: str | None = Field(
        default=None,
        exclude_if=lambda v: v is None,  # left out unless a policy re-ordered: keys as before
        description="When a marketplace policy (fair re-ranking, newcomer exposure) placed "
        "results away from score order: that, in words, of the list as a whole (who moved is "
        "kept in the decision log for operators and auditors, never shown per result).",
    )
    total: int | None = Field(
        default=None,
        description="Searches only: how many results the search found in all (a page shows "
        "the first ``top``).",
    )


class JobRanking(BaseModel):
    """Ranked jobs with the request id and model version that produced them."""

    request_id: str
    model_version: str
    ranker: str
    results: list[JobResult]
    total: int | None = Field(
        default=None,
        description="Searches and recommendations: how many results were found (or open jobs "
        "ranked) in all (a page shows the first ``top``).",
    )
